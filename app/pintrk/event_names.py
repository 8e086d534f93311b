"""Which Pinterest event(s) a RudderStack track goes out as, and the rule that decided it.

Two orders exist (the profile's ``all_user_mappings_first`` switch): sdk-v3 files every
mapping row under its trimmed ``from`` and fires each distinct ``to`` of the event's exact
name before consulting the standard table; the other profiles consult the standard table
first, then take the first row whose ``from`` matches ignoring case.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from .commands import Rule
from .jsvalue import UNDEFINED, JSTypeError, get_property, js_trim, set_property, to_property_key, truthy
from .profiles import Profile
from .settings import EventMapping, Settings

__all__ = ["destination_events", "mapping_key", "RowWithoutFrom", "STANDARD_TABLE", "UNMAPPED_RULES"]

STANDARD_TABLE = Rule("standard-table")
_SEND_AS_CUSTOM = Rule("send-as-custom")
_EVENT_NAME = Rule("event-name")
UNMAPPED_RULES = frozenset({_SEND_AS_CUSTOM, _EVENT_NAME})  # no mapping and no table named the event


class RowWithoutFrom(JSTypeError):
    """The throw of a mapping row without ``from`` (read by the case-insensitive match)."""

    def __init__(self, message: str, row: int) -> None:
        super().__init__(message)
        self.row = row


def mapping_key(source: Any) -> str | None:
    """The name sdk-v3 files a mapping row under: its trimmed ``from`` (None: the row is skipped)."""
    return js_trim(str(source)) if truthy(source) else None


def destination_events(event: Any, settings: Settings, profile: Profile) -> list[tuple[Any, Rule]]:
    """The Pinterest event name(s) a RudderStack event goes out as, each with its rule."""
    if profile.all_user_mappings_first:
        found = _every_mapping(event, settings)
        if found:
            return found
        if not isinstance(event, str):
            raise JSTypeError("event.toLowerCase is not a function")
        standard = profile.standard_event(event)
        if standard:
            return [(standard, STANDARD_TABLE)]
        return [_unmapped(event, settings, profile)]
    if not isinstance(event, str):
        raise JSTypeError("event.toLowerCase is not a function")
    standard = profile.standard_event(event)
    if standard:
        return [(standard, STANDARD_TABLE)]
    lowered = event.lower()
    for row, mapping in enumerate(settings.events_mapping):
        if mapping.source is None:
            read = "null" if mapping.source_is_null else "undefined"
            raise RowWithoutFrom(f"Cannot read properties of {read} (reading 'toLowerCase')", row)
        if mapping.source.lower() == lowered:
            return [(mapping.target if truthy(mapping.target) else event, Rule("user-mapping", row))]
    return [_unmapped(event, settings, profile)]


def _unmapped(event: str, settings: Settings, profile: Profile) -> tuple[Any, Rule]:
    if settings.send_as_custom_event and profile.honours_send_as_custom_event:
        return "Custom", _SEND_AS_CUSTOM
    return event, _EVENT_NAME


def _every_mapping(event: Any, settings: Settings) -> list[tuple[Any, Rule]]:
    """sdk-v3: every distinct ``to`` filed under the event's name, with the first row giving it."""
    table = _events_by_source(settings.events_mapping)
    # an empty table is never consulted, so "toString" is looked up only beside real rows
    targets = get_property(table, to_property_key(event)) if table else UNDEFINED
    if not truthy(targets):
        return []
    if not isinstance(targets, list):  # a prototype member: "toString", "__proto__"…
        raise JSTypeError("destEventArray.forEach is not a function")
    return [(target, Rule("user-mapping", row)) for target, row in targets]


@lru_cache(maxsize=64)
def _events_by_source(mappings: tuple[EventMapping, ...]) -> dict[str, list[tuple[Any, int]]]:
    """sdk-v3's table: trimmed ``from`` → the distinct ``to`` values, in order (with their first row).

    Built as a plain JS object, so a ``from`` that names an ``Object.prototype``
    member finds a function there instead of an array, and every track throws.
    Callers must not change the result (it is shared).
    """
    table: dict[str, list[tuple[Any, int]]] = {}
    for row, mapping in enumerate(mappings):
        key = mapping_key(mapping.source)
        if key is None:
            continue
        target = UNDEFINED if mapping.target is None else mapping.target
        targets = get_property(table, key)
        if not truthy(targets):
            set_property(table, key, [(target, row)])
        elif not isinstance(targets, list):
            raise JSTypeError("val.includes is not a function")
        elif all(known != target for known, _ in targets):
            targets.append((target, row))
    return table
