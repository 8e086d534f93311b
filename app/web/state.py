"""Everything a user typed into the playground, and running it through the core.

A :class:`PlaygroundState` is what a permalink holds: the destination config, the
profile and the texts exactly as typed. The scenario is either the call script or,
when ``messages`` is set, RudderStack messages pasted from a customer (kept verbatim,
messageIds and all). :meth:`PlaygroundState.run` turns it
into an :class:`Outcome`: the core's result, or errors keyed by the form field
they belong to, so each message can sit next to its field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from app.pintrk import PROFILES, OverBudget, Result, Scenario, SettingsError, parse_settings, replay
from app.pintrk import limits as budget
from app.pintrk.calls import CallScriptError, SdkCall, parse_call_script
from app.pintrk.events_import import (
    MAX_MESSAGES,
    EventsImportError,
    ImportedEvents,
    ImportProblem,
    import_events,
)
from app.pintrk.jsvalue import JSONInputError, NumberTooLarge, loads, max_bracket_depth
from app.pintrk.limits import MAX_MESSAGES as MAX_API_MESSAGES
from app.pintrk.limits import MAX_PAGE_MESSAGES, showing_first
from app.pintrk.messages import MessageError, build_messages

from . import limits
from .permalink import PermalinkError, decode, encode

__all__ = ["PlaygroundState", "Outcome", "PermalinkError", "settings_error_field", "sentence"]

_TOKEN_KEYS = {"settings": "s", "profile": "p", "calls": "c", "initial_traits": "t"}
# Optional keys: absent in tokens made before they existed, so those links still open.
_OPTIONAL_TOKEN_KEYS = {"messages": "m", "pintrk": "k"}
# Pasted events replayed at once (the API's limit).
MAX_IMPORTED_MESSAGES = MAX_MESSAGES


@dataclass(frozen=True)
class Outcome:
    result: Result | None  # None when input errors prevent a run
    errors: dict[str, list[str]] = field(default_factory=dict)  # form field name → messages
    call_lines: list[int] = field(default_factory=list)  # the line of each call; message i ↔ call i
    calls: list[SdkCall] = field(default_factory=list)
    # With imported events (state.messages): the messages replayed, and for each its
    # 1-based position among the pasted entries (skipped entries keep their numbers).
    source: str = "calls"  # "calls" | "events" | "pintrk"
    messages: list[Any] = field(default_factory=list)
    event_numbers: list[int] = field(default_factory=list)
    # Remarks that don't stop anything (field → texts), e.g. an event without a messageId.
    notes: dict[str, list[str]] = field(default_factory=dict)
    # The first imported event's context.traits, offered as initial traits.
    suggested_traits: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.result is not None and not self.errors


@dataclass(frozen=True)
class PlaygroundState:
    settings: dict[str, Any]  # RudderStack destination config (JSON shape, unknown keys kept)
    profile: str  # "docs" | "sdk-v1" | "sdk-v3"
    calls: str  # the call script, verbatim
    initial_traits: str  # JSON text as typed; "" means none
    # Pasted RudderStack events (JSON text as pasted: one message, a list or a {"batch": […]}
    # body), replayed instead of ``calls`` when set. ``calls`` is kept for switching back.
    messages: str | None = None
    # pintrk calls as JSON text ([["load", "2612…"], ["page"], …]), given to the tag as they
    # are (no settings, no SDK): QA's way to check the tag alone. Wins over the two above.
    pintrk: str | None = None

    @property
    def source(self) -> str:
        return "pintrk" if self.pintrk is not None else "events" if self.messages is not None else "calls"

    def to_token(self) -> str:
        data = {short: getattr(self, name) for name, short in _TOKEN_KEYS.items()}
        for name, short in _OPTIONAL_TOKEN_KEYS.items():
            if getattr(self, name) is not None:
                data[short] = getattr(self, name)
        return encode(data)

    @classmethod
    def from_token(cls, token: str) -> PlaygroundState:
        data = decode(token)
        values = {name: data.get(short) for name, short in _TOKEN_KEYS.items()}
        optional = {name: data[short] for name, short in _OPTIONAL_TOKEN_KEYS.items() if short in data}
        complete = (
            set(data) - set(_OPTIONAL_TOKEN_KEYS.values()) == set(_TOKEN_KEYS.values())
            and isinstance(values["settings"], dict)
            and all(isinstance(values[name], str) for name in ("profile", "calls", "initial_traits"))
            and all(isinstance(value, str) for value in optional.values())
        )
        if not complete:
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
        too_big = limits.settings_problem(values["settings"])
        if too_big:  # refused here: the page would have to build every row
            raise PermalinkError(f"This link can't be opened: {too_big}.")
        return cls(**values, **optional)

    def run(self) -> Outcome:
        # Limits first (characters, rows): nothing runs on input over them.
        texts = {"calls": self.calls, "initial_traits": self.initial_traits, "pintrk": self.pintrk or ""}
        over = limits.state_errors(self.settings, texts)
        if over:
            return Outcome(None, over, source=self.source)
        if self.pintrk is not None:
            return self._run_pintrk(self.pintrk)
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

        if self.messages is not None:
            return self._run_events(settings, traits, errors)

        calls: list[SdkCall] = []
        try:
            calls = parse_call_script(
                self.calls,
                max_calls=limits.MAX_CALLS,
                max_depth=limits.MAX_CALL_NESTING,
                max_length=limits.MAX_TEXT_LENGTH,
            )
        except CallScriptError as exc:
            errors.setdefault("calls", []).append(f"Line {exc.line}, column {exc.column}: {exc.message}")
        call_lines = [call.line for call in calls]

        messages: list[dict[str, Any]] = []
        if traits is not None and "calls" not in errors:
            try:
                messages = build_messages(calls, traits)
            except MessageError as exc:
                line = exc.call.line if exc.call is not None else call_lines[exc.call_index]
                errors.setdefault("calls", []).append(f"Line {line}: {sentence(exc.message)}")

        if errors or settings is None or traits is None:
            return Outcome(None, errors, call_lines, calls)
        result = _replay_or_error(Scenario(settings, traits, tuple(messages)), self.profile, "calls", errors)
        return Outcome(result, errors, call_lines, calls)

    def _run_pintrk(self, text: str) -> Outcome:
        """The tag alone: the pasted pintrk calls, as they are."""
        try:
            data = loads(text, max_depth=limits.MAX_NESTING) if text.strip() else None
            if data is None:
                raise ValueError(
                    'Write the pintrk calls as a JSON list, one call per item: [["load", "2612345678901"], ["page"]]'
                )
            notes = {}
            if isinstance(data, list) and len(data) > MAX_PAGE_MESSAGES:
                notes["pintrk"] = [_page_cut_note(MAX_PAGE_MESSAGES, len(data), "pintrk calls")]
                data = data[:MAX_PAGE_MESSAGES]
            scenario = Scenario.from_dict({"pintrk": data})
        except JSONInputError as exc:
            where = f"Line {exc.line}, column {exc.column}: " if exc.line else ""
            return Outcome(None, {"pintrk": [f"{where}{sentence(exc.message)}"]}, source="pintrk")
        except ValueError as exc:  # the calls' shape; "pintrk" stays lower-case, as the command is written
            return Outcome(None, {"pintrk": [f"{str(exc).rstrip('.')}."]}, source="pintrk")
        errors: dict[str, list[str]] = {}
        result = _replay_or_error(scenario, self.profile, "pintrk", errors)
        return Outcome(result, errors, source="pintrk", notes=notes)

    def _run_events(
        self, settings: Any, traits: dict[str, Any] | None, errors: dict[str, list[str]]
    ) -> Outcome:
        """Replay the pasted events: unusable entries are reported by position, the rest run."""
        found = read_events(self.messages or "")
        if isinstance(found, str):
            errors.setdefault("messages", []).append(found)
            return Outcome(None, errors, source="events")
        numbers = event_numbers(found)
        skipped = [p for p in found.problems if p.skipped]
        if skipped:
            errors.setdefault("messages", []).append(describe_problems(skipped, len(numbers)))
        warnings = [p for p in found.problems if not p.skipped]
        notes = {"messages": [describe_problems(warnings, len(numbers))]} if warnings else {}
        messages = list(found.messages)
        if len(messages) > MAX_PAGE_MESSAGES:  # the first ones run; the rest are named, not dropped silently
            notes.setdefault("messages", []).insert(
                0, _page_cut_note(MAX_PAGE_MESSAGES, len(messages), "events")
            )
            messages, numbers = messages[:MAX_PAGE_MESSAGES], numbers[:MAX_PAGE_MESSAGES]
        extra = {
            "source": "events",
            "messages": messages,
            "event_numbers": numbers,
            "notes": notes,
            "suggested_traits": dict(found.initial_traits),
        }
        blocking = {name: texts for name, texts in errors.items() if name != "messages"}
        if blocking or settings is None or traits is None:
            return Outcome(None, errors, **extra)
        result = _replay_or_error(
            Scenario(settings, traits, tuple(messages)), self.profile, "messages", errors
        )
        # Skipped entries stay listed next to the field, but don't stop the valid ones.
        return Outcome(result, errors, **extra)


def _replay_or_error(
    scenario: Scenario, profile: str, field_name: str, errors: dict[str, list[str]]
) -> Result | None:
    """The replay, or ``None`` with the budget's sentence beside ``field_name``."""
    try:
        return replay(scenario, profile, budget.PAGE)
    except OverBudget as exc:
        where = "initial_traits" if exc.location == "initialTraits" else field_name
        errors.setdefault(where, []).append(
            f"{sentence(exc.message)} Nothing was run; shorten it and run again."
        )
        return None


def _page_cut_note(shown: int, total: int, things: str) -> str:
    return (
        f"{showing_first(shown, total, things)[:-1]}: the page replays at most {shown:,} at once. "
        f"The JSON API (/api/v1/docs) and the command line replay up to {MAX_API_MESSAGES:,}."
    )


def read_events(text: str) -> ImportedEvents | str:
    """The pasted events, or why they can't be read at all (a sentence for the field)."""
    if not text.strip():
        return (
            "Paste RudderStack events here: one message ({…}), a list of messages ([…]) or the SDK's "
            '{"batch": […]} request body. Or switch back to the call script.'
        )
    try:
        if max_bracket_depth(text) <= limits.MAX_NESTING:  # else the import says how deep, more to the point
            budget.check_text(text, budget.PAGE, "messages", "the pasted text")
        return import_events(text, max_messages=MAX_IMPORTED_MESSAGES, max_depth=limits.MAX_NESTING)
    except OverBudget as exc:
        return f"{sentence(exc.message)} Nothing was imported; paste fewer events, or use the JSON API (/api/v1/docs)."
    except EventsImportError as exc:
        where = f"{sentence(exc.location)[:-1]}: " if exc.location else ""
        return f"{where}{sentence(exc.message)} Nothing was imported; fix the pasted text and try again."


def event_numbers(found: ImportedEvents) -> list[int]:
    """Each imported message's 1-based position among the pasted entries."""
    skipped = {p.index for p in found.problems if p.skipped}
    numbers: list[int] = []
    position = 0
    while len(numbers) < len(found.messages):
        if position not in skipped:
            numbers.append(position + 1)
        position += 1
    return numbers


def describe_problems(problems: list[ImportProblem], loaded: int) -> str:
    """One line per problem ("Entry 3 (batch[2]): …"), under a heading that says what was done."""
    skipped = problems[0].skipped if problems else False
    if skipped:
        count = len({p.index for p in problems})
        head = (
            f"{count} {'entry was' if count == 1 else 'entries were'} left out "
            f"({loaded} event{'s' if loaded != 1 else ''} loaded); fix or remove "
            f"{'it' if count == 1 else 'them'} in the pasted text:"
        )
    else:
        head = "Loaded, but worth knowing:"
    lines = [head]
    for problem in problems:
        text = problem.text
        label, _, reason = text.partition(": ")
        where = f" ({problem.location})" if problem.location not in ("message",) else ""
        lines.append(f"• {sentence(label)[:-1]}{where}: {sentence(reason) if reason else ''}".rstrip(": "))
    return "\n".join(lines)


def _initial_traits(text: str, errors: dict[str, list[str]]) -> dict[str, Any] | None:
    if not text.strip():
        return {}
    try:
        value = loads(text, max_depth=limits.MAX_NESTING)
    except JSONInputError as exc:
        where = f"Line {exc.line}, column {exc.column}: " if exc.line else ""
        hint = (
            ""
            if isinstance(exc, NumberTooLarge)
            else ' Initial traits must be JSON, like {"email": "jane@example.com"}.'
        )
        errors["initial_traits"] = [f"{where}{sentence(exc.message)}{hint}"]
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
_ROW_FIELDS = {
    ("eventsMapping", "from"): "source",
    ("eventsMapping", "to"): "target",
    ("customProperties", "properties"): "path",
}
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
    return sentence(exc.message)


def sentence(text: str) -> str:
    """``text`` as a sentence: capital first letter, closing full stop."""
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."
