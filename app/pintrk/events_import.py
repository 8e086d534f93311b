"""Pasted RudderStack payloads → the messages to replay.

Customers send what they can see: one message from the Live Events view, a
list of them, or the ``{"batch": [...]}`` body the SDK posts (with
``sentAt``, ``writeKey``…).  Valid messages are kept verbatim (messageIds,
traits, everything); each unusable entry is reported by its position and
left out, so the rest still loads.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from . import limits
from .errors import InputError, Location, as_location, at_line, item_path
from .jsvalue import UNDEFINED, JSONInputError, get_property, loads, normalize, to_js_string
from .mapping import HANDLED_TYPES

__all__ = [
    "EventsImportError",
    "ImportProblem",
    "ImportedEvents",
    "import_events",
    "MAX_MESSAGES",
    "HANDLED_TYPES",
]

MAX_MESSAGES = limits.MAX_MESSAGES
# RudderStack's other message types: real, but the Pinterest integration ignores them.
_OTHER_TYPES = ("screen", "group", "alias")


class EventsImportError(InputError):
    """A payload that can't be read at all; ``location`` is like ``batch`` or ``line 3, column 5``;
    ``too_many``: more messages than may be read at once (``code`` ``too-many-messages``)."""

    code = "invalid-payload"

    def __init__(
        self, message: str, location: str | Location | None = None, *, too_many: bool = False
    ) -> None:
        super().__init__(message, as_location(location), code="too-many-messages" if too_many else None)
        self.too_many = too_many


@dataclass(frozen=True)
class ImportProblem:
    index: int  # 0-based position in the payload's list of messages
    location: str  # where the entry is: "batch[2]", "[2]", "message" or "line 3"
    text: str  # "entry 3: type 'screen' is not handled by the Pinterest integration"
    skipped: bool  # True: the entry was left out; False: kept, with a warning

    def to_dict(self) -> dict[str, Any]:
        return {"index": self.index, "location": self.location, "text": self.text, "skipped": self.skipped}


@dataclass(frozen=True)
class ImportedEvents:
    messages: tuple[dict[str, Any], ...]
    problems: tuple[ImportProblem, ...] = ()
    # A suggestion for "returning visitor" replays: the traits stored before the
    # first message (its context.traits), or {} when the first message is an
    # identify, whose traits already include what it added.
    initial_traits: Mapping[str, Any] = field(default_factory=dict)
    shape: str = "list"  # "message", "list", "batch" or "lines": what was pasted

    def to_dict(self) -> dict[str, Any]:
        return {
            "messages": list(self.messages),
            "problems": [p.to_dict() for p in self.problems],
            "initialTraits": dict(self.initial_traits),
            "shape": self.shape,
        }


def import_events(
    payload: str | bytes | Any, *, max_messages: int = MAX_MESSAGES, max_depth: int = limits.MAX_NESTING
) -> ImportedEvents:
    """Read a pasted payload (JSON text, or the already-parsed value, normalised in place)."""
    lines: list[int] | None = None
    if isinstance(payload, (str, bytes)):
        data, lines = _parse(payload, max_depth)
    else:
        # Already parsed: bring it to the core's normalised form (numbers, key order), in place.
        try:
            data = normalize(payload, max_depth=max_depth)
        except JSONInputError as exc:
            raise EventsImportError(f"the payload is {exc.message}") from None
    entries, prefix, shape = _entries(data)
    if lines is not None:
        shape = "lines"
    if len(entries) > max_messages:
        raise EventsImportError(
            f"{len(entries):,} messages is more than the playground replays at once "
            f"({max_messages:,}); paste fewer.",
            prefix or None,
            too_many=True,
        )
    messages: list[dict[str, Any]] = []
    problems: list[ImportProblem] = []
    for index, entry in enumerate(entries):
        if lines is not None:
            location = str(at_line(lines[index]))
        else:
            location = item_path(prefix, index) if shape != "message" else "message"
        reason, warnings = _check(entry)
        label = f"entry {index + 1}"
        if reason:
            problems.append(ImportProblem(index, location, f"{label}: {reason}", True))
            continue
        problems.extend(ImportProblem(index, location, f"{label}: {w}", False) for w in warnings)
        messages.append(entry)
    return ImportedEvents(tuple(messages), tuple(problems), _initial_traits(messages), shape)


def _parse(text: str | bytes, max_depth: int) -> tuple[Any, list[int] | None]:
    """The parsed payload, and for one-message-per-line text each message's line."""
    try:
        return loads(text, max_depth=max_depth), None
    except JSONInputError as exc:
        if exc.message != "there is extra text after the JSON value":
            raise EventsImportError(f"the payload is not valid JSON: {exc.message}", exc.location) from None
        first = exc
    # One message per line (copied from a log): read each line on its own.
    if isinstance(text, bytes):
        text = text.decode("utf-8")
    values, numbers = [], []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            values.append(loads(line, max_depth=max_depth))
            numbers.append(number)
        except JSONInputError as exc:
            if number == 1:
                raise EventsImportError(
                    f"the payload is not valid JSON: {first.message}", first.location
                ) from None
            raise EventsImportError(
                f"the payload is not valid JSON: {exc.message}", Location(None, number, exc.column)
            ) from None
    return values, numbers


def _entries(data: Any) -> tuple[list[Any], str, str]:
    """The list of candidate messages, the JSON path to it, and the shape."""
    if isinstance(data, list):
        return data, "", "list"
    if isinstance(data, dict):
        if "batch" in data:
            batch = data["batch"]
            if not isinstance(batch, list):
                raise EventsImportError(f"batch must be a list of messages, not {_kind(batch)}", "batch")
            return batch, "batch", "batch"
        if "type" in data:
            return [data], "", "message"
        raise EventsImportError(
            'this object is neither a RudderStack message (it has no "type") nor a batch '
            '(it has no "batch" list). Paste one message, a list of messages, or the SDK\'s '
            '{"batch": […]} request body.'
        )
    raise EventsImportError(
        f"the payload is {_kind(data)}: paste one message ({{…}}), a list of messages ([…]) "
        'or the SDK\'s {"batch": […]} request body'
    )


def _check(entry: Any) -> tuple[str | None, list[str]]:
    """Why an entry can't be replayed (or None), and warnings for one that can."""
    if not isinstance(entry, dict):
        return f"not an object: it is {_kind(entry)}", []
    kind = entry.get("type", UNDEFINED)
    if kind is UNDEFINED:
        return "has no type (track, page or identify)", []
    if not isinstance(kind, str):
        return f"type must be text, not {_kind(kind)}", []
    if kind not in HANDLED_TYPES:
        lowered = kind.strip().lower()
        if lowered in HANDLED_TYPES:
            return f"type {kind!r} must be written {lowered!r} (lower case, no spaces)", []
        if lowered in _OTHER_TYPES:
            return f"type {kind!r} is not handled by the Pinterest integration", []
        return (
            f"type {kind!r} is not a RudderStack message type the integration handles (track, page, identify)",
            [],
        )
    warnings: list[str] = []
    if "messageId" not in entry:
        warnings.append("no messageId: the sdk-v3 profile's event_id will be missing")
    context = entry.get("context", UNDEFINED)
    if context is UNDEFINED or context is None:
        missing = "no context" if context is UNDEFINED else "context is null"
        warnings.append(f"{missing}: the sdk-v3 profile's integration throws on it (it reads context.traits)")
    elif not isinstance(context, dict):
        warnings.append(
            f"context is {_kind(context)}, not an object: the stored traits can't be read from it"
        )
    elif isinstance(context, dict) and "traits" in context and not isinstance(context["traits"], dict):
        warnings.append(f"context.traits is {_kind(context['traits'])}, not an object")
    return None, warnings


def _initial_traits(messages: Sequence[dict[str, Any]]) -> dict[str, Any]:
    if not messages or messages[0].get("type") == "identify":
        return {}
    context = get_property(messages[0], "context")
    traits = context.get("traits") if isinstance(context, dict) else None
    return dict(traits) if isinstance(traits, dict) else {}


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"{to_js_string(value)} (true/false)"
    if isinstance(value, (int, float)):
        return f"a number ({to_js_string(value)})"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    return "an object"
