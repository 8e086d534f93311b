"""Findings in plain words: what will surprise someone looking at Pinterest later."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from .commands import Command, Entry, MappingError
from .errors import item_path
from .jsvalue import UNDEFINED, NativeFunction, js_trim, truthy
from .paths import find_flattened_value
from .profiles import Profile
from .settings import STANDARD_EVENTS, Settings
from .tag import TagRun
from .tag.identifiers import is_digest
from .tag.runtime import command_name

__all__ = ["Finding", "Severity", "diagnose", "ScenarioParts"]

Severity = Literal["error", "warning", "info"]
_TAG_ID = re.compile(r"\d{13}")
_LOOSE = {re.sub(r"[\s_-]+", "", e).lower(): e for e in STANDARD_EVENTS}
_CHECKOUT_FIELDS = ("value", "currency", "order_quantity")


class ScenarioParts(Protocol):
    """What the findings read of a scenario (:class:`~app.pintrk.replay.Scenario` has it)."""

    @property
    def settings(self) -> Settings: ...
    @property
    def initial_traits(self) -> Mapping[str, Any]: ...
    @property
    def messages(self) -> Sequence[Any]: ...
    @property
    def pintrk(self) -> Sequence[Sequence[Any]] | None: ...


@dataclass(frozen=True)
class Finding:
    severity: Severity
    code: str  # stable identifier, e.g. "tag-id-format"
    text: str  # plain words, saying what to change
    message_index: int | None = None  # the message (SDK call) it concerns
    entry_index: int | None = None  # the log row it concerns
    field: str | None = None  # the settings field it concerns, e.g. "tagId"

    def to_dict(self) -> dict[str, Any]:
        return {
            "severity": self.severity,
            "code": self.code,
            "text": self.text,
            "message": self.message_index,
            "entry": self.entry_index,
            "field": self.field,
        }


def diagnose(
    scenario: ScenarioParts, profile: Profile, entries: Sequence[Entry], tag: TagRun
) -> list[Finding]:
    findings: list[Finding] = []
    if scenario.pintrk is None:  # pintrk calls go to the tag alone: no settings, no messages
        findings += _settings_findings(scenario)
        findings += _enhanced_match_findings(scenario, entries)
        findings += _message_findings(scenario, profile, entries)
    findings += _entry_findings(entries, tag)
    findings += _tag_findings(entries, tag)
    return findings


def loose_standard_event(name: str) -> str | None:
    """The standard event ``name`` resembles apart from case and spacing, if not equal."""
    match = _LOOSE.get(re.sub(r"[\s_-]+", "", name).lower())
    return match if match and match != name else None


def _settings_findings(scenario: ScenarioParts) -> Iterable[Finding]:
    settings = scenario.settings
    # Pinterest's tag trims the ID it is given: a Tag ID copied with a space or a line break works.
    tag_id = js_trim(settings.tag_id) if settings.tag_id is not None else None
    if not tag_id:
        yield Finding(
            "error",
            "tag-id-missing",
            "The Tag ID is empty: Pinterest can't attribute any event. Copy it from Pinterest Ads → Conversions → Tag manager (13 digits).",
            field="tagId",
        )
    elif not _TAG_ID.fullmatch(tag_id):
        yield Finding(
            "warning",
            "tag-id-format",
            f"The Tag ID {tag_id!r} is not 13 digits. Real Pinterest Tag IDs are 13 digits; check for a typo or extra characters.",
            field="tagId",
        )

    for i, mapping in enumerate(settings.events_mapping):
        where = item_path("eventsMapping", i)
        if mapping.source is None:
            yield Finding(
                "warning",
                "mapping-no-from",
                f"Event mapping row {i + 1} has no 'from' event. The SDK v1.1 integration stops with an error on every unmapped event because of it.",
                field=where,
            )
        if mapping.target is not None:
            near = loose_standard_event(mapping.target)
            if near:
                yield Finding(
                    "warning",
                    "mapping-near-standard",
                    f"Event mapping row {i + 1} sends {mapping.target!r}, which is not a Pinterest standard event. Did you mean {near!r}? Names are case-sensitive.",
                    field=where,
                )
            elif mapping.target and mapping.target not in STANDARD_EVENTS:
                yield Finding(
                    "info",
                    "mapping-user-defined",
                    f"Event mapping row {i + 1} sends {mapping.target!r}, a user-defined event: Pinterest accepts it, but it is not available in conversion reporting.",
                    field=where,
                )
            elif not mapping.target:
                yield Finding(
                    "warning",
                    "mapping-empty-to",
                    f"Event mapping row {i + 1} has an empty 'to' event.",
                    field=where,
                )


def _enhanced_match_findings(scenario: ScenarioParts, entries: Sequence[Entry]) -> Iterable[Finding]:
    """No e-mail when the tag loads, nor from an identify later (a visitor who signs in gets em then)."""
    stored = truthy(scenario.initial_traits.get("email", UNDEFINED))
    identified = any(isinstance(e, Command) and e.rule.kind == "identify-set" for e in entries)
    if scenario.settings.enhanced_match and not stored and not identified:
        yield Finding(
            "warning",
            "enhanced-match-no-email",
            "Enhanced match is on, but no e-mail is stored when the tag loads and no identify gives one, so Pinterest gets no em. Add an e-mail to the initial traits to preview a returning, identified visitor, or an identify with an e-mail for one who signs in.",
            field="enhancedMatch",
        )


def _message_findings(
    scenario: ScenarioParts, profile: Profile, entries: Sequence[Entry]
) -> Iterable[Finding]:
    paths = [p for p in scenario.settings.custom_properties if p]
    found: set[str] = set()
    # What the mapper did with each message: the rules that fired ("error" for a throw).
    outcome: dict[int | None, set[str]] = {}
    for entry in entries:
        outcome.setdefault(entry.message_index, set()).add(
            entry.rule.kind if isinstance(entry, Command) else "error"
        )
    for index, message in enumerate(scenario.messages):
        if not isinstance(message, dict):
            yield Finding(
                "error",
                "message-not-object",
                f"Message {index + 1} is not an object, so the SDK would never send it.",
                index,
            )
            continue
        kind = message.get("type")
        properties = message.get("properties")
        # Once a path is found it needs no more looking up, except on pages
        # (a profile may drop page custom properties).
        wanted = paths if kind == "page" else [p for p in paths if p not in found]
        present = [p for p in wanted if _has_path(properties, p)] if isinstance(properties, dict) else []
        if kind == "track" or (kind == "page" and profile.page_custom_properties):
            found.update(present)
        finding = _message_finding(index, message, outcome.get(index, set()), profile, present)
        if finding is not None:
            yield finding
    for path in paths:
        if path not in found:
            yield Finding(
                "warning",
                "custom-property-never-found",
                f"Custom property {path!r} was not found in any event's properties, so it is never sent. Check the spelling and use dots for nested keys (e.g. customProperty.customValue).",
                field="customProperties",
            )


def _message_finding(
    index: int, message: dict[str, Any], fired: set[str], profile: Profile, present: list[str]
) -> Finding | None:
    """What one message will surprise someone with, given the rules that fired for it."""
    kind = message.get("type")
    if kind == "track":
        if fired:  # a track with an event name always sends (or throws)
            return None
        return Finding(
            "warning",
            "track-no-event",
            f"Message {index + 1} is a track call without an event name: the integration sends nothing for it.",
            index,
        )
    if kind == "page":
        if profile.page_custom_properties or not present:
            return None
        names = ", ".join(repr(p) for p in present)
        return Finding(
            "info",
            "page-properties-dropped",
            f"Page call {index + 1} has custom properties ({names}), but the {profile.name} profile doesn't send custom properties on page calls; only the docs profile does.",
            index,
        )
    if kind == "identify":
        if fired & {"identify-set", "error"}:
            return None
        return Finding(
            "info",
            "identify-no-email",
            f"Identify {index + 1} has no e-mail in the user's traits, so nothing is set: Pinterest only uses the e-mail (as a hashed em).",
            index,
        )
    return Finding(
        "info",
        "message-type-ignored",
        f"Message {index + 1} has type {kind!r}; the Pinterest integration only handles track, page and identify.",
        index,
    )


def _has_path(properties: dict[str, Any], path: str) -> bool:
    value = find_flattened_value(properties, path)
    return value is not None and value is not UNDEFINED and not isinstance(value, NativeFunction)


def _entry_findings(entries: Sequence[Entry], tag: TagRun) -> Iterable[Finding]:
    tag_warned = {m.command_index for m in tag.messages if m.code == "non-standard-event"}
    reported: set[str] = set()
    for i, entry in enumerate(entries):
        if isinstance(entry, MappingError):
            yield Finding(
                "error",
                "integration-error",
                f"The integration stops with “{entry.error}” on message {entry.message_index + 1}: nothing more is sent for it. The next messages still go out.",
                entry.message_index,
                i,
            )
            continue
        if not isinstance(entry, Command) or entry.method != "track":
            continue
        event = entry.event
        if event is None:
            continue
        if event not in STANDARD_EVENTS and event not in reported:
            reported.add(event)
            near = loose_standard_event(event)
            hint = (
                f" It looks like {near!r}: names are case-sensitive."
                if near
                else " Map it to a standard event under Event mapping if it should count as a conversion."
            )
            if i in tag_warned:
                hint += " Pinterest's tag also logs a warning about it in the browser console."
            yield Finding(
                "warning" if near else "info",
                "user-defined-event",
                f"{event!r} goes out as a user-defined event: Pinterest accepts it, but it is not available in conversion reporting.{hint}",
                entry.message_index,
                i,
            )
        if event == "Checkout":
            data = entry.data or {}
            missing = [f for f in _CHECKOUT_FIELDS if f not in data and not _counted_by_products(f, data)]
            if missing:
                yield Finding(
                    "warning",
                    "checkout-incomplete",
                    f"Checkout without {', '.join(missing)}: Pinterest needs value, currency and order_quantity to report revenue. Send revenue or value, currency and order_quantity in the event's properties.",
                    entry.message_index,
                    i,
                )


def _counted_by_products(field: str, data: dict[str, Any]) -> bool:
    """Whether the line items say what ``field`` would: every product with its quantity gives
    Pinterest the order's quantity, so a Checkout without ``order_quantity`` is not short of it."""
    items = data.get("line_items")
    return (
        field == "order_quantity"
        and isinstance(items, list)
        and bool(items)
        and all(isinstance(item, dict) and "product_quantity" in item for item in items)
    )


# -- what Pinterest's tag itself says, and what it will hash -----------------------------

_TAG_WORDS = {
    "not-loaded-page": "This page() call comes before load(), so Pinterest's tag sends nothing for it and logs an error. The base code's load() must run first.",
    "not-loaded-track": "This track() call comes before load(), so Pinterest's tag sends nothing for it and logs an error. The base code's load() must run first.",
    "load-twice": "load() is called a second time (Tag ID {0}, then {1}): Pinterest's tag logs an error, and every later request uses {1}.",
    "advertiser-id": "The Tag ID looks like an advertiser ID, not a tag ID: Pinterest's tag warns about it. Copy the Tag ID from Ads → Conversions → Tag manager.",
    "page-options": "page() got something other than an object: Pinterest's tag warns and ignores it.",
    "unsupported-command": "{0!r} is not a pintrk command Pinterest's tag knows (load, page, set, track, setConsent): it logs an error and ignores the call.",
    "not-an-integer": "{0} is {1}, not a whole number: Pinterest's tag logs an error (the value is still sent).",
}
_WRONG_TYPE = {
    "eventName": "The event name is {2}, not text: Pinterest's tag logs an error and sends the event without a name.",
    "value": "value is {2!r}, which is not a number: Pinterest's tag logs an error and sends it as it is; Pinterest reports revenue only from numbers.",
    "eventData": "The event data is {2!r}, not an object: Pinterest's tag logs an error and sends the event without it.",
    "Pinterest Tag ID": "load() got {2!r} as the Tag ID, which the tag rejects: nothing is sent until a valid load().",
    "callback": "track()'s third argument is {2!r}, not a function: Pinterest's tag logs an error.",
    "pintrk command": "{2!r} is not a command name: Pinterest's tag logs an error and ignores the call.",
}
_PLACEHOLDER_MARKS = ("<", ">", "{{", "}}", "%%")
_PHONE_MARKS = frozenset(" ()-.+/")


def _tag_findings(entries: Sequence[Entry], tag: TagRun) -> Iterable[Finding]:
    for message in tag.messages:
        entry = entries[message.command_index]
        origin = entry.message_index
        words: str | None
        if message.code == "wrong-type":
            words = _WRONG_TYPE.get(message.args[0], "Pinterest's tag logs: {text}")
        else:
            words = _TAG_WORDS.get(message.code)
        if words is None:
            continue  # non-standard-event: said with user-defined-event
        severity: Severity = (
            "warning" if message.level == "warning" or message.code == "not-an-integer" else "error"
        )
        yield Finding(
            severity,
            f"tag-{message.code}",
            words.format(*message.args, text=message.text),
            origin,
            message.command_index,
        )
    yield from _identifier_findings(entries)
    yield from _consent_findings(entries, tag)


def _identifier_findings(entries: Sequence[Entry]) -> Iterable[Finding]:
    """Values the tag will hash as they are, though they can't match Pinterest's records."""
    for i, entry in enumerate(entries):
        if not isinstance(entry, Command) or command_name(entry.method) not in ("load", "set"):
            continue
        options = entry.data or {}
        email = options.get("em")
        if isinstance(email, str) and email.strip():
            text = email.strip()
            if any(mark in text for mark in _PLACEHOLDER_MARKS):
                yield Finding(
                    "error",
                    "em-placeholder",
                    f"The e-mail is {text!r}, a placeholder that was never filled in: Pinterest's tag hashes it like a real address, so every visitor gets the same em. Put the visitor's e-mail there.",
                    entry.message_index,
                    i,
                )
            elif "@" not in text and not is_digest(text.lower()):
                yield Finding(
                    "warning",
                    "em-not-an-email",
                    f"The e-mail {text!r} has no '@': it will be hashed and sent, but can't match a Pinterest account.",
                    entry.message_index,
                    i,
                )
            elif " " in text:
                yield Finding(
                    "warning",
                    "em-inner-space",
                    f"The e-mail {text!r} has a space inside: the tag trims and lower-cases it but keeps inner spaces, so the hash won't match the address without them.",
                    entry.message_index,
                    i,
                )
        phone = options.get("ph")
        if (
            isinstance(phone, str)
            and any(c in _PHONE_MARKS for c in phone.strip())
            and not is_digest(phone.strip().lower())
        ):
            yield Finding(
                "warning",
                "ph-not-normalised",
                f"The phone {phone!r} has spaces or punctuation: the tag hashes it as written, so it won't match the same number written as digits only. Send digits only, with the country code (e.g. 15551234567).",
                entry.message_index,
                i,
            )


def _consent_findings(entries: Sequence[Entry], tag: TagRun) -> Iterable[Finding]:
    """page/track calls that send nothing because setConsent withdrew consent."""
    for withheld in tag.withheld:
        yield Finding(
            "warning",
            "consent-withheld",
            f"Nothing is sent for this call: setConsent() at log row {withheld.withdrawn_at + 1} withdrew consent, "
            "and the tag sends no request until setConsent(true).",
            entries[withheld.command_index].message_index,
            withheld.command_index,
        )
