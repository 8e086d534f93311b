"""Where each message of a run came from: a line of the call script, a pasted event, a pintrk call."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.pintrk import Location, SdkCall, shorten, stringify, to_js_string

from .state import Outcome

__all__ = ["Source", "describe_call", "describe_event", "describe_message", "method_text", "scenario_sources"]


@dataclass(frozen=True)
class Source:
    """Where message *i* of the scenario came from: a line of the call script, or a pasted event."""

    anchor: str  # "call-3": its step in the timeline
    where: str  # "line 4", or "event 3 (messageId abc…)"
    what: str  # 'rudderanalytics.track("Order Completed", …)', or 'track "Order Completed"'
    method: str  # "track", "page", "identify" (or the message's type)


def scenario_sources(outcome: Outcome) -> list[Source]:
    """One Source per message of the scenario, in order."""
    if outcome.source == "pintrk" and outcome.result is not None:
        calls = outcome.result.scenario.pintrk or ()
        return [
            Source(
                f"call-{i}", f"call {i + 1}", shorten(stringify(list(call)) or "", 60), method_text(call[0])
            )
            for i, call in enumerate(calls)
        ]
    if outcome.source == "events":
        numbers = outcome.event_numbers
        return [
            Source(
                f"call-{i}",
                describe_event(numbers[i] if i < len(numbers) else i + 1, message),
                describe_message(message),
                _message_type(message),
            )
            for i, message in enumerate(outcome.messages)
        ]
    return [
        Source(f"call-{i}", str(Location(line=call.line)), describe_call(call), call.method)
        for i, call in enumerate(outcome.calls)
    ]


def describe_call(call: SdkCall) -> str:
    """``rudderanalytics.track("Order Completed", …)``: the call, recognisable but short."""
    if not call.args:
        return f"rudderanalytics.{call.method}()"
    first = call.args[0]
    if isinstance(first, str):
        shown = stringify(shorten(first, 40)) or '""'
    elif isinstance(first, dict):
        shown = "{…}"
    elif isinstance(first, list):
        shown = "[…]"
    else:
        shown = stringify(first) or "undefined"
    more = ", …" if len(call.args) > 1 else ""
    return f"rudderanalytics.{call.method}({shown}{more})"


def describe_event(number: int, message: Any) -> str:
    """``event 3 (messageId abc…)``: which pasted entry a message is."""
    message_id = message.get("messageId") if isinstance(message, dict) else None
    if message_id is None:
        return f"event {number}"
    shown = to_js_string(message_id)
    return f"event {number} (messageId {shown if len(shown) <= 12 else shown[:10] + '…'})"


def describe_message(message: Any) -> str:
    """``track "Order Completed"``: a RudderStack message, recognisable but short."""
    kind = _message_type(message)
    if not isinstance(message, dict):
        return kind
    key = {"track": "event", "page": "name", "identify": "userId"}.get(kind)
    value = message.get(key) if key else None
    if isinstance(value, str) and value:
        return f"{kind} {stringify(value if len(value) <= 40 else value[:39] + '…')}"
    return kind


def _message_type(message: Any) -> str:
    kind = message.get("type") if isinstance(message, dict) else None
    return kind if isinstance(kind, str) and kind else "message"


def method_text(method: Any) -> str:
    """A call's command as written (a pintrk scenario may give a number or null there)."""
    return method if isinstance(method, str) else (stringify(method) or "undefined")
