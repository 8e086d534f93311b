"""Cloud mode: what RudderStack's servers send to Pinterest's Conversions API for a message.

Beside device mode (the browser's tag, :mod:`app.pintrk.tag`), RudderStack can send the same
events from its servers.  :func:`transform` is its single-event workflow, :func:`route` its
batching router, both as RudderStack's recorded cases show them
(``../shared/conformance/cloud/``).  Each request records the rules that shaped it
(:class:`CloudOrigin`) for the explanations (the deduplication check, the page).
"""

from __future__ import annotations

from .processor import cloud_outcomes, transform
from .request import EVENT_NAME_RULES, CloudError, CloudOrigin, CloudOutcome, CloudRequest
from .router import MAX_BATCH_SIZE, RouterEvent, RouterOutput, route

__all__ = [
    "CloudOrigin",
    "CloudRequest",
    "CloudError",
    "CloudOutcome",
    "EVENT_NAME_RULES",
    "transform",
    "route",
    "RouterOutput",
    "RouterEvent",
    "MAX_BATCH_SIZE",
    "cloud_outcomes",
]
