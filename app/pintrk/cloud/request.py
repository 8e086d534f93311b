"""What cloud mode produces for one message: the Conversions API request(s), or the error.

The shapes follow RudderStack's own output (``method``, ``endpoint``, ``headers``, ``params``,
``body``) so a line of the CLI compares with the recorded cases as it is.  Each request carries
the record of the rules that shaped it (:class:`CloudOrigin`): the deduplication check and the
page explain their verdicts from it instead of working the rules out again.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["CloudOrigin", "CloudRequest", "CloudError", "CloudOutcome", "EVENT_NAME_RULES", "WORKFLOW"]

# How the event got its name: a page with / without a category, a row of "Map Your Events To
# Pinterest Events", RudderStack's built-in e-commerce table, "Send as custom event", or the
# event's own name passed through unchanged.
EVENT_NAME_RULES = ("page-visit", "view-category", "events-mapping", "built-in", "send-as-custom", "raw-name")
# The name RudderStack's dashboard gives the single-event workflow in its error texts.
WORKFLOW = "procWorkflow"


@dataclass(frozen=True)
class CloudOrigin:
    """Which rule named the event (``mapping_row``: the eventsMapping row, for "events-mapping")
    and where ``event_id`` came from: the deduplicationKey path when it gave the value, else
    ``"messageId"``."""

    event_name_rule: str
    mapping_row: int | None
    event_id_from: str


@dataclass(frozen=True)
class CloudRequest:
    """One request to Pinterest's Conversions API (``origin`` is None for a message that was
    already transformed and is passed through)."""

    method: str
    endpoint: str
    headers: Mapping[str, str]
    params: Mapping[str, Any]
    body: Mapping[str, Any]
    origin: CloudOrigin | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "endpoint": self.endpoint,
            "headers": dict(self.headers),
            "params": dict(self.params),
            "body": dict(self.body),
        }


class CloudError(Exception):
    """RudderStack's refusal of one message: ``message`` is the bare text (what the router
    reports), ``step`` the workflow step that refused it, ``full_text`` the text its dashboard
    shows for a single event."""

    def __init__(self, message: str, step: str, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.step = step
        self.status = status

    @property
    def full_text(self) -> str:
        return (
            f"{self.message}: Workflow: {WORKFLOW}, Step: {self.step}, ChildStep: undefined, "
            f"OriginalError: {self.message}"
        )


@dataclass(frozen=True)
class CloudOutcome:
    """What one message gives: ``status`` 200 with one request per event name (several when
    more than one eventsMapping row matches), or the status and error."""

    status: int
    requests: tuple[CloudRequest, ...] = ()
    error: CloudError | None = None

    def to_dict(self, case_id: Any = None) -> dict[str, Any]:
        """The CLI's and the API's line: ``{"id", "status", "requests"}`` or ``{"id", "status", "error"}``."""
        if self.error is not None:
            return {"id": case_id, "status": self.status, "error": self.error.full_text}
        return {"id": case_id, "status": self.status, "requests": [r.to_dict() for r in self.requests]}
