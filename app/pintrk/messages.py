"""SDK calls → RudderStack messages, as the JavaScript SDK builds them.

Argument overloads, stored user traits and the message envelope follow the
SDK; messageIds and timestamps are deterministic so a scenario always renders
the same way.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from .calls import SdkCall
from .errors import InputError, Location
from .jsvalue import to_js_string, truthy

__all__ = ["PageContext", "MessageError", "build_messages", "LIBRARY"]

LIBRARY = {"name": "RudderLabs JavaScript SDK", "version": "3.0.0"}
_START = datetime(2024, 5, 1, 10, 0, 0, tzinfo=UTC)


@dataclass(frozen=True)
class PageContext:
    """The simulated page the SDK runs on (it fills page properties from it)."""

    path: str = "/shop/shoes"
    referrer: str = "$direct"
    referring_domain: str = ""
    search: str = ""
    title: str = "Shoes | Example Store"
    url: str = "https://www.example.com/shop/shoes"

    def page_properties(self) -> dict[str, str]:
        # The keys and order the SDK adds to every page call's properties.
        return {
            "path": self.path,
            "referrer": self.referrer,
            "referring_domain": self.referring_domain,
            "search": self.search,
            "title": self.title,
            "url": self.url,
            "tab_url": self.url,
            "initial_referrer": self.referrer,
            "initial_referring_domain": self.referring_domain,
        }

    def context(self) -> dict[str, str]:
        return {
            "path": self.path,
            "referrer": self.referrer,
            "search": self.search,
            "title": self.title,
            "url": self.url,
        }


class MessageError(InputError):
    """An SDK call whose arguments the SDK would reject; ``location`` is its line in the script
    (or, for a call without one, "call 3")."""

    code = "invalid-calls"

    def __init__(self, call_index: int, message: str, call: SdkCall | None = None) -> None:
        where = Location(None, call.line) if call is not None else Location(f"call {call_index + 1}")
        super().__init__(message, where)
        self.call_index, self.call = call_index, call


def build_messages(
    calls: Sequence[SdkCall],
    initial_traits: Mapping[str, Any] | None = None,
    *,
    page: PageContext = PageContext(),
    anonymous_id: str = "anon-1",
) -> list[dict[str, Any]]:
    """One message per call, in order (so message *i* comes from call *i*)."""
    session = _Session(dict(initial_traits or {}), page, anonymous_id)
    return [session.message(i, call) for i, call in enumerate(calls)]


class _Session:
    """The SDK's stored user: userId and merged traits."""

    def __init__(self, traits: dict[str, Any], page: PageContext, anonymous_id: str) -> None:
        self.traits = traits
        self.user_id = ""
        self.page = page
        self.anonymous_id = anonymous_id

    def message(self, index: int, call: SdkCall) -> dict[str, Any]:
        args = list(call.args)
        if call.method == "track":
            body = self._track(index, call, args)
        elif call.method == "page":
            body = self._page(index, call, args)
        elif call.method == "identify":
            body = self._identify(index, call, args)
        else:
            raise MessageError(index, f"{call.method}() is not supported", call)
        return {
            **body,
            "messageId": f"msg-{index + 1}",
            "anonymousId": self.anonymous_id,
            "userId": self.user_id,
            "channel": "web",
            "context": {
                "traits": dict(self.traits),
                "library": dict(LIBRARY),
                "locale": "en-US",
                "page": self.page.context(),
            },
            "originalTimestamp": _timestamp(index),
            "integrations": {"All": True},
        }

    def _track(self, index: int, call: SdkCall, args: list[Any]) -> dict[str, Any]:
        body: dict[str, Any] = {"type": "track"}
        if args:
            body["event"] = args[0]
        body["properties"] = _object_or_empty(args[1] if len(args) > 1 else None, "properties", index, call)
        return body

    def _page(self, index: int, call: SdkCall, args: list[Any]) -> dict[str, Any]:
        category, name, properties = _page_overloads(args)
        properties = dict(_object_or_empty(properties, "properties", index, call))
        body: dict[str, Any] = {"type": "page"}
        for key, value in (("name", name), ("category", category)):
            if value is not None:
                if not isinstance(value, str):
                    raise MessageError(index, f"the page {key} must be text in quotes", call)
                body[key] = value
                properties[key] = value
        for key, value in self.page.page_properties().items():
            properties.setdefault(key, value)
        body["properties"] = properties
        return body

    def _identify(self, index: int, call: SdkCall, args: list[Any]) -> dict[str, Any]:
        user_id: Any
        traits: Any
        if args and isinstance(args[0], dict):  # identify(traits)
            user_id, traits = None, args[0]
        else:
            user_id = args[0] if args else None
            traits = args[1] if len(args) > 1 else None
        traits = _object_or_empty(traits, "traits", index, call)
        if truthy(user_id):
            user_id = to_js_string(user_id)
            if self.user_id and user_id != self.user_id:
                self.traits = {}  # a different user: their traits start afresh
            self.user_id = user_id
        self.traits = {**self.traits, **traits}
        return {"type": "identify"}


def _page_overloads(args: list[Any]) -> tuple[Any, Any, Any]:
    """page(category?, name?, properties?, options?) as the SDK resolves it."""
    category, name, properties = (args + [None, None, None])[:3]
    if isinstance(category, dict):  # page(properties)
        category, name, properties = None, None, category
    elif isinstance(name, dict):  # page(name, properties)
        category, name, properties = None, category, name
    elif isinstance(category, str) and not isinstance(name, str):  # page(name)
        category, name = None, category
    return category, name, properties


def _object_or_empty(value: Any, what: str, index: int, call: SdkCall) -> dict[str, Any]:
    if value is None:
        return {}
    if isinstance(value, dict):
        return value
    raise MessageError(
        index, f"the {what} of {call.method}() must be an object ({{ … }}), not {to_js_string(value)!r}", call
    )


def _timestamp(index: int) -> str:
    moment = _START + timedelta(seconds=index + 1)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.000Z")
