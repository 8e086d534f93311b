"""Cloud cases as the CLI and the API take them: ``{"id", "destination_config", "message"}``, and
router cases ``{"id", "events": [{"destination_config", "message", "metadata"}]}``.

RudderStack's recorded files (``cases.json``, ``router.json``) read as they are: other keys are
ignored.  Every refusal is an :class:`~app.pintrk.errors.InputError` that says where
(``[2].destination_config.eventsMapping[0].to``, or ``cases[2]…`` inside an API body), and the
counts are held to the caller's :class:`~app.pintrk.limits.Budget`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from ..errors import InputError, Location, field_path, item_path
from ..limits import Budget, OverBudget
from ..settings import Settings, SettingsError, parse_settings
from .event_names import event_of
from .processor import transform
from .router import RouterEvent, route

# The code of a case (or router case, or event) of the wrong shape.
INVALID_CASE = "invalid-case"

__all__ = [
    "INVALID_CASE",
    "CloudCase",
    "RouterCase",
    "read_cloud_cases",
    "read_router_cases",
    "cloud_lines",
    "router_lines",
    "check_copies",
]


@dataclass(frozen=True)
class CloudCase:
    id: Any
    settings: Settings
    message: Any


@dataclass(frozen=True)
class RouterCase:
    id: Any
    events: tuple[RouterEvent, ...]


def read_cloud_cases(data: Any, budget: Budget, where: str | None = None) -> list[CloudCase]:
    """One case or a list of them (``where``: the list's path in a larger document)."""
    items = _items(data, where, "cases")
    _check_count(len(items), budget, where or "cases", "cases")
    cases = []
    for index, item in enumerate(items):
        path = item_path(where, index)
        case = _object(item, path, 'a case: {"id", "destination_config", "message"}')
        settings, message = _event(case, path)
        cases.append(CloudCase(case.get("id"), settings, message))
    _check_products([c.message for c in cases], budget, where or "cases")
    check_copies([(c.message, c.settings) for c in cases], budget, where or "cases")
    return cases


def read_router_cases(data: Any, budget: Budget, where: str | None = None) -> list[RouterCase]:
    """One router case or a list of them, each with its list of events."""
    items = _items(data, where, "router cases")
    cases, total, messages, configured = [], 0, [], []
    for index, item in enumerate(items):
        path = item_path(where, index)
        case = _object(item, path, 'a router case: {"id", "events": [ … ]}')
        events_path = field_path(path, "events")
        events = case.get("events")
        if not isinstance(events, list):
            raise InputError(
                'must be a list of events ({"destination_config", "message", "metadata"})',
                Location(events_path),
                code=INVALID_CASE,
            )
        total += len(events)
        _check_count(total, budget, events_path, "events")
        read = []
        for position, entry in enumerate(events):
            event_path = item_path(events_path, position)
            event = _object(entry, event_path, 'an event: {"destination_config", "message", "metadata"}')
            settings, message = _event(event, event_path)
            read.append((message, settings, event.get("metadata")))
            messages.append(message)
            configured.append((message, settings))
        cases.append(RouterCase(case.get("id"), tuple(read)))
    _check_products(messages, budget, where or "events")
    check_copies(configured, budget, where or "events")
    return cases


def cloud_lines(cases: list[CloudCase]) -> Iterator[dict[str, Any]]:
    """Each case's line: ``{"id", "status", "requests"}`` or ``{"id", "status", "error"}``."""
    for case in cases:
        yield transform(case.message, case.settings).to_dict(case.id)


def router_lines(cases: list[RouterCase]) -> Iterator[dict[str, Any]]:
    """Each router case's line: ``{"id", "outputs": [ … ]}``, the batches then the failures."""
    for case in cases:
        yield {"id": case.id, "outputs": [output.to_dict() for output in route(case.events)]}


def _items(data: Any, where: str | None, what: str) -> list[Any]:
    if isinstance(data, list):
        return data
    if isinstance(data, Mapping):
        return [data]
    raise InputError(
        f"must be a list of {what} ([ … ]) or one of them ({{ … }})",
        Location(where) if where else None,
        code=INVALID_CASE,
    )


def _object(item: Any, path: str, what: str) -> Mapping[str, Any]:
    if not isinstance(item, Mapping):
        raise InputError(f"must be {what}", Location(path), code=INVALID_CASE)
    return item


def _event(item: Mapping[str, Any], path: str) -> tuple[Settings, Any]:
    """The destination config (as Settings) and the message of one case or event."""
    config_path = field_path(path, "destination_config")
    config = item.get("destination_config")
    if not isinstance(config, Mapping):
        raise InputError(
            "must be the destination's config, an object ({ … })", Location(config_path), code=INVALID_CASE
        )
    try:
        settings = parse_settings(config)
    except SettingsError as exc:
        inner = exc.location if exc.location is not None else Location()
        raise InputError(exc.message, inner.inside(config_path), code=exc.code) from None
    message = item.get("message")
    if not isinstance(message, Mapping):
        raise InputError(
            "must be the RudderStack event, an object ({ … })",
            Location(field_path(path, "message")),
            code=INVALID_CASE,
        )
    return settings, message


def _check_count(count: int, budget: Budget, where: str, what: str) -> None:
    if count > budget.messages:
        raise OverBudget(
            f"more than {budget.messages:,} {what}; {budget.replayer} transforms at most {budget.messages:,} at once",
            where,
            code="too-many-messages",
        )


def _check_products(messages: list[Any], budget: Budget, where: str) -> None:
    """Products become contents entries, the dearest part: at most the budget's line items in all."""
    total = 0
    for message in messages:
        properties = message.get("properties")
        products = properties.get("products") if isinstance(properties, Mapping) else None
        total += len(products) if isinstance(products, list) else 0
    if total > budget.line_items:
        raise OverBudget(
            f"the events list {total:,} products in all; {budget.replayer} transforms at most {budget.line_items:,} at once",
            where,
        )


def check_copies(events: list[tuple[Any, Settings]], budget: Budget, where: str) -> None:
    """An event that several eventsMapping rows map is sent once per row, each copy whole: the copies'
    JSON values count against the budget too (a few rows times a large message is a large answer)."""
    extra = 0
    for message, settings in events:
        event = event_of(message)
        copies = sum(1 for row in settings.events_mapping if row.source == event and row.target is not None)
        if copies > 1:
            extra += (copies - 1) * _values_in(message)
            if extra > budget.values:
                raise OverBudget(
                    f"the events would be sent as more than {budget.values:,} JSON values: eventsMapping rows that "
                    "map the same event send it once per row; map each event once, or send fewer events",
                    where,
                )


def _values_in(value: Any) -> int:
    """How many JSON values ``value`` holds (itself included), counted without recursion."""
    count, stack = 0, [value]
    while stack:
        item = stack.pop()
        count += 1
        if isinstance(item, Mapping):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return count
