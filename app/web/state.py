"""Everything a user typed into the playground, and running it through the core.

A :class:`PlaygroundState` is what a permalink holds: the destination config, the
profile and the two texts exactly as typed. :meth:`PlaygroundState.run` turns it
into an :class:`Outcome`: the core's result, or errors keyed by the form field
they belong to, so each message can sit next to its field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from app.pintrk import PROFILES, Result, Scenario, SettingsError, parse_settings, replay
from app.pintrk.calls import CallScriptError, SdkCall, parse_call_script
from app.pintrk.jsvalue import JSONInputError, loads
from app.pintrk.messages import MessageError, build_messages

from .permalink import PermalinkError, decode, encode

__all__ = ["PlaygroundState", "Outcome", "PermalinkError", "settings_error_field"]

_TOKEN_KEYS = {"settings": "s", "profile": "p", "calls": "c", "initial_traits": "t"}


@dataclass(frozen=True)
class Outcome:
    result: Result | None  # None when input errors prevent a run
    errors: dict[str, list[str]] = field(default_factory=dict)  # form field name → messages
    call_lines: list[int] = field(default_factory=list)  # the line of each call; message i ↔ call i
    calls: list[SdkCall] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.result is not None and not self.errors


@dataclass(frozen=True)
class PlaygroundState:
    settings: dict[str, Any]  # RudderStack destination config (JSON shape, unknown keys kept)
    profile: str  # "docs" | "sdk-v1" | "sdk-v3"
    calls: str  # the call script, verbatim
    initial_traits: str  # JSON text as typed; "" means none

    def to_token(self) -> str:
        return encode({short: getattr(self, name) for name, short in _TOKEN_KEYS.items()})

    @classmethod
    def from_token(cls, token: str) -> "PlaygroundState":
        data = decode(token)
        values = {name: data.get(short) for name, short in _TOKEN_KEYS.items()}
        if set(data) != set(_TOKEN_KEYS.values()) or not isinstance(values["settings"], dict):
            raise PermalinkError("This link is damaged: it doesn't hold a complete playground scenario.")
        if not all(isinstance(values[name], str) for name in ("profile", "calls", "initial_traits")):
            raise PermalinkError("This link is damaged: it doesn't hold a complete playground scenario.")
        if values["profile"] not in PROFILES:
            raise PermalinkError(
                f"This link asks for a behaviour profile the playground doesn't know ({values['profile'][:40]!r})."
            )
        try:
            parse_settings(values["settings"])
        except SettingsError as exc:
            # A state that came from the form always has well-typed settings.
            raise PermalinkError(f"This link's destination settings are not valid: {exc}.") from None
        return cls(**values)

    def run(self) -> Outcome:
        errors: dict[str, list[str]] = {}

        settings = None
        try:
            settings = parse_settings(self.settings)
        except SettingsError as exc:
            errors.setdefault(settings_error_field(exc.path), []).append(_settings_message(exc))

        if self.profile not in PROFILES:
            names = ", ".join(f"{p.label} ({name})" for name, p in PROFILES.items())
            errors.setdefault("profile", []).append(f"Choose a behaviour profile: {names}.")

        traits = _initial_traits(self.initial_traits, errors)

        calls: list[SdkCall] = []
        try:
            calls = parse_call_script(self.calls)
        except CallScriptError as exc:
            errors.setdefault("calls", []).append(f"Line {exc.line}, column {exc.column}: {exc.message}")
        call_lines = [call.line for call in calls]

        messages: list[dict[str, Any]] = []
        if traits is not None and "calls" not in errors:
            try:
                messages = build_messages(calls, traits)
            except MessageError as exc:
                line = exc.call.line if exc.call is not None else call_lines[exc.call_index]
                errors.setdefault("calls", []).append(f"Line {line}: {_sentence(exc.message)}")

        if errors or settings is None or traits is None:
            return Outcome(None, errors, call_lines, calls)
        result = replay(Scenario(settings, traits, tuple(messages)), self.profile)
        return Outcome(result, {}, call_lines, calls)


def _initial_traits(text: str, errors: dict[str, list[str]]) -> dict[str, Any] | None:
    if not text.strip():
        return {}
    try:
        value = loads(text)
    except JSONInputError as exc:
        where = f"Line {exc.line}, column {exc.column}: " if exc.line else ""
        errors["initial_traits"] = [
            f"{where}{_sentence(exc.message)} Initial traits must be JSON, like {{\"email\": \"jane@example.com\"}}."
        ]
        return None
    if not isinstance(value, dict):
        errors["initial_traits"] = [
            'Initial traits must be a JSON object in { }, like {"email": "jane@example.com"}.'
        ]
        return None
    return value


_ROW = re.compile(r"(eventsMapping|customProperties)\[(\d+)\](?:\.(\w+))?")
_TOP_FIELDS = {
    "tagId": "tag_id",
    "enhancedMatch": "enhanced_match",
    "sendAsCustomEvent": "send_as_custom_event",
    "deduplicationKey": "deduplication_key",
    "eventsMapping": "mappings",
    "customProperties": "custom_properties",
}
_ROW_FIELDS = {("eventsMapping", "from"): "source", ("eventsMapping", "to"): "target", ("customProperties", "properties"): "path"}
_LABELS = {
    "tagId": "The Tag ID",
    "enhancedMatch": "Enhanced match",
    "sendAsCustomEvent": "“Send as custom event”",
    "deduplicationKey": "The deduplication key",
    "eventsMapping": "The event mapping",
    "customProperties": "The custom properties",
}


def settings_error_field(path: str) -> str:
    """The form field a settings path such as ``eventsMapping[2].to`` is edited in."""
    if path in _TOP_FIELDS:
        return _TOP_FIELDS[path]
    row = _ROW.fullmatch(path)
    if row:
        group, index, key = row.groups()
        sub = _ROW_FIELDS.get((group, key or ""))
        if sub:
            return f"{_TOP_FIELDS[group]}-{index}-{sub}"
        return _TOP_FIELDS[group]
    return "settings_json"


def _settings_message(exc: SettingsError) -> str:
    label = _LABELS.get(exc.path)
    if label:
        return f"{label} {exc.message}."
    if exc.path:
        return f"“{exc.path}” {exc.message}."
    return _sentence(exc.message)


def _sentence(text: str) -> str:
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."
