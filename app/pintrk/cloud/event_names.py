"""The Conversions API event name(s) for one message, and the rule that chose each.

A page is ``view_category`` when it has a category, else ``page_visit``.  Any other message
(track, screen) takes its event (or name), then, in order: every eventsMapping row whose ``from``
equals it exactly (its ``to`` in snake_case; two rows give two events), RudderStack's built-in
e-commerce table (compared lower-cased), ``custom`` when "Send as custom event" is on, or the
name unchanged.
"""

from __future__ import annotations

import re
from typing import Any

from ..jsvalue import UNDEFINED, truthy
from ..settings import Settings
from .reading import is_present, js_lower
from .request import CloudError

__all__ = ["BUILT_IN_EVENTS", "NamedEvent", "event_names", "snake_case", "event_of"]

# RudderStack's built-in table (lower-cased event → Conversions API event).
BUILT_IN_EVENTS = {
    "order completed": "checkout",
    "product added": "add_to_cart",
    "products searched": "search",
    "product list filtered": "search",
}

# (event_name, rule, eventsMapping row or None)
NamedEvent = tuple[str, str, int | None]

_LOWER_UPPER = re.compile(r"([a-z])([A-Z])")
# JavaScript's \s: its WhiteSpace and LineTerminator characters.
_JS_SPACES = re.compile("[\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]+")


def snake_case(name: str) -> str:
    """``WatchVideo`` → ``watch_video``, ``Watch Video`` → ``watch_video`` (RudderStack's rule:
    split lower-upper pairs, runs of spaces become one "_", then lower-case)."""
    return js_lower(_JS_SPACES.sub("_", _LOWER_UPPER.sub(r"\1_\2", name)))


def event_of(message: dict[str, Any]) -> Any:
    """``message.event ?? message.name``."""
    event = message.get("event", UNDEFINED)
    return event if is_present(event) else message.get("name", UNDEFINED)


def event_names(message: dict[str, Any], message_type: str, settings: Settings) -> list[NamedEvent]:
    """The event name(s), each with its rule; refuses an event that is not a non-empty text."""
    if message_type == "page":
        if truthy(message.get("category")):
            return [("view_category", "view-category", None)]
        return [("page_visit", "page-visit", None)]
    event = event_of(message)
    if not isinstance(event, str) or not event:
        raise CloudError("Event is a required field and should be a string", "eventNames")
    mapped: list[NamedEvent] = [
        (snake_case(row.target), "events-mapping", index)
        for index, row in enumerate(settings.events_mapping)
        if row.source == event and row.target is not None
    ]
    if mapped:
        return mapped
    built_in = BUILT_IN_EVENTS.get(js_lower(event))
    if built_in is not None:
        return [(built_in, "built-in", None)]
    if settings.send_as_custom_event:
        return [("custom", "send-as-custom", None)]
    return [(event, "raw-name", None)]
