"""A message as RudderStack's servers receive it from the browser's SDK.

The playground builds messages from SDK calls the way the SDK writes them, but two things reach
the cloud path that the browser integration never reads: the SDK's ``context.userAgent`` and the
``request_ip`` RudderStack's gateway adds from the HTTP request. The Conversions API needs them
(an event without an e-mail must carry both), so for a scenario of SDK calls they are filled in
with made-up values, shown as such on the page. Pasted events and given messages are sent as they
are: they are what a customer's servers received.
"""

from __future__ import annotations

from typing import Any

__all__ = ["SIMULATED_REQUEST_IP", "SIMULATED_USER_AGENT", "as_received"]

# 203.0.113.0/24 is reserved for documentation (RFC 5737): never a real visitor's address.
SIMULATED_REQUEST_IP = "203.0.113.7"
# The simulated browser of the tag's automatic data: Chromium 131 on Linux.
SIMULATED_USER_AGENT = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"
)


def as_received(message: Any) -> Any:
    """``message`` with ``request_ip`` and ``context.userAgent`` added when missing (a copy)."""
    if not isinstance(message, dict):
        return message
    received = dict(message)
    received.setdefault("request_ip", SIMULATED_REQUEST_IP)
    context = received.get("context")
    if isinstance(context, dict) and "userAgent" not in context:
        received["context"] = {**context, "userAgent": SIMULATED_USER_AGENT}
    return received
