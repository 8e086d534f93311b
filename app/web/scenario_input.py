"""The state's texts read for a run: call script, initial traits, pasted events, pintrk calls.

Each reader puts its refusals, worded for the page, beside the form field they belong to
(``errors``: field → messages) and gives back what it could read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from app.pintrk import (
    MAX_MESSAGES,
    MAX_PAGE_MESSAGES,
    PAGE_BUDGET,
    CallScriptError,
    JSONInputError,
    MessageError,
    NumberTooLarge,
    OverBudget,
    Result,
    Scenario,
    SdkCall,
    SettingsError,
    build_messages,
    load_json,
    parse_call_script,
    replay,
    showing_first,
)

from . import limits
from .fields import setting_subject
from .pasted_events import describe_problems, event_numbers, read_events
from .wording import sentence

__all__ = [
    "Errors",
    "PastedEvents",
    "read_call_script",
    "read_initial_traits",
    "read_pasted_events",
    "read_pintrk",
    "replay_or_error",
    "settings_message",
]

Errors = dict[str, list[str]]  # form field → messages


@dataclass
class PastedEvents:
    """The pasted events as the run uses them (``messages`` is None when they can't be read)."""

    messages: list[Any] | None = None
    numbers: list[int] = field(default_factory=list)
    notes: dict[str, list[str]] = field(default_factory=dict)
    suggested_traits: dict[str, Any] = field(default_factory=dict)

    def outcome_fields(self) -> dict[str, Any]:
        if self.messages is None:
            return {"source": "events"}
        return {
            "source": "events",
            "messages": self.messages,
            "event_numbers": self.numbers,
            "notes": self.notes,
            "suggested_traits": self.suggested_traits,
        }


def settings_message(exc: SettingsError) -> str:
    label = setting_subject(exc.path)
    if label:
        return f"{label} {exc.message}."
    if exc.path:
        return f"“{exc.path}” {exc.message}."
    return sentence(exc.message)


def read_initial_traits(text: str, errors: Errors) -> dict[str, Any] | None:
    if not text.strip():
        return {}
    try:
        value = load_json(text, max_depth=limits.MAX_NESTING)
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


def read_call_script(
    text: str, traits: dict[str, Any] | None, errors: Errors
) -> tuple[list[SdkCall], list[dict[str, Any]]]:
    """The script's calls, and their messages when the script and the traits can be read."""
    calls: list[SdkCall] = []
    try:
        calls = parse_call_script(
            text,
            max_calls=limits.MAX_CALLS,
            max_depth=limits.MAX_CALL_NESTING,
            max_length=limits.MAX_TEXT_LENGTH,
        )
    except CallScriptError as exc:
        errors.setdefault("calls", []).append(f"Line {exc.line}, column {exc.column}: {exc.message}")
    messages: list[dict[str, Any]] = []
    if traits is not None and "calls" not in errors:
        try:
            messages = build_messages(calls, traits)
        except MessageError as exc:
            line = exc.call.line if exc.call is not None else calls[exc.call_index].line
            errors.setdefault("calls", []).append(f"Line {line}: {sentence(exc.message)}")
    return calls, messages


def read_pasted_events(text: str, errors: Errors) -> PastedEvents:
    """The pasted events: unusable entries are reported by position, the rest run."""
    found = read_events(text)
    if isinstance(found, str):
        errors.setdefault("messages", []).append(found)
        return PastedEvents()
    numbers = event_numbers(found)
    skipped = [p for p in found.problems if p.skipped]
    if skipped:
        errors.setdefault("messages", []).append(describe_problems(skipped, len(numbers)))
    warnings = [p for p in found.problems if not p.skipped]
    notes = {"messages": [describe_problems(warnings, len(numbers))]} if warnings else {}
    messages = list(found.messages)
    if len(messages) > MAX_PAGE_MESSAGES:  # the first ones run; the rest are named, not dropped silently
        notes.setdefault("messages", []).insert(0, _page_cut_note(MAX_PAGE_MESSAGES, len(messages), "events"))
        messages, numbers = messages[:MAX_PAGE_MESSAGES], numbers[:MAX_PAGE_MESSAGES]
    return PastedEvents(messages, numbers, notes, dict(found.initial_traits))


def read_pintrk(text: str, errors: Errors) -> tuple[Scenario | None, dict[str, list[str]]]:
    """The pintrk calls as a scenario for the tag alone, and the notes about them."""
    notes: dict[str, list[str]] = {}
    try:
        data = load_json(text, max_depth=limits.MAX_NESTING) if text.strip() else None
        if data is None:
            raise ValueError(
                'Write the pintrk calls as a JSON list, one call per item: [["load", "2612345678901"], ["page"]]'
            )
        if isinstance(data, list) and len(data) > MAX_PAGE_MESSAGES:
            notes["pintrk"] = [_page_cut_note(MAX_PAGE_MESSAGES, len(data), "pintrk calls")]
            data = data[:MAX_PAGE_MESSAGES]
        return Scenario.from_dict({"pintrk": data}), notes
    except JSONInputError as exc:
        where = f"Line {exc.line}, column {exc.column}: " if exc.line else ""
        errors["pintrk"] = [f"{where}{sentence(exc.message)}"]
    except ValueError as exc:  # the calls' shape; "pintrk" stays lower-case, as the command is written
        errors["pintrk"] = [f"{str(exc).rstrip('.')}."]
    return None, notes


def replay_or_error(scenario: Scenario, profile: str, field_name: str, errors: Errors) -> Result | None:
    """The replay, or ``None`` with the budget's sentence beside ``field_name``."""
    try:
        return replay(scenario, profile, PAGE_BUDGET)
    except OverBudget as exc:
        where = "initial_traits" if exc.location == "initialTraits" else field_name
        errors.setdefault(where, []).append(
            f"{sentence(exc.message)} Nothing was run; shorten it and run again."
        )
        return None


def _page_cut_note(shown: int, total: int, things: str) -> str:
    return (
        f"{showing_first(shown, total, things)[:-1]}: the page replays at most {shown:,} at once. "
        f"The JSON API (/api/v1/docs) and the command line replay up to {MAX_MESSAGES:,}."
    )
