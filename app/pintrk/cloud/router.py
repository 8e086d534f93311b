"""RudderStack's router: many messages for one destination → batched Conversions API requests.

Each message goes through the processor workflow; the events of those that succeed are packed,
in input order, into requests of ``{"data": [events…]}`` (at most :data:`MAX_BATCH_SIZE`
messages each; a message with two event names adds two events but one metadata entry); each
failure is its own output after the batches, with the bare error text.  The first message's
destination decides the API version and the test flag; each batch takes its endpoint and token
from its own first message's destination.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from ..jsvalue import UNDEFINED
from ..settings import Settings
from .processor import V3_ENDPOINT, cloud_events, headers_for, is_processed, is_v3, test_params, v5_endpoint
from .reading import read
from .request import CloudError, CloudRequest

__all__ = ["MAX_BATCH_SIZE", "RouterOutput", "RouterEvent", "route"]

# Events per request: the transformer's own constant (Pinterest's Conversions API takes 1,000).
MAX_BATCH_SIZE = 1000

# (message, the destination's settings, RudderStack's metadata for the message)
RouterEvent = tuple[Any, Settings, Any]


@dataclass(frozen=True)
class RouterOutput:
    """A batched request (``batched``, 200, the metadata of every message in it) or one failed
    message (400, its metadata, the bare error text)."""

    batched: bool
    status: int
    metadata: tuple[Any, ...]
    request: CloudRequest | None = None
    error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        if self.request is not None:
            return {
                "batched": True,
                "status": self.status,
                "metadata": list(self.metadata),
                "request": self.request.to_dict(),
            }
        return {"batched": False, "status": self.status, "metadata": list(self.metadata), "error": self.error}


def route(events: Sequence[RouterEvent]) -> tuple[RouterOutput, ...]:
    """The router's outputs for ``events``: the batches, then the failures."""
    if not events:
        return ()
    successes: list[tuple[list[Any], Settings, Any]] = []
    failures: list[RouterOutput] = []
    for message, settings, metadata in events:
        try:
            successes.append((_batch_events(message, settings), settings, metadata))
        except CloudError as error:
            failures.append(RouterOutput(False, error.status, (metadata,), error=error.message))
    first = events[0][1]
    batches = [
        successes[start : start + MAX_BATCH_SIZE] for start in range(0, len(successes), MAX_BATCH_SIZE)
    ]
    return (*(_batched(batch, first) for batch in batches), *failures)


def _batch_events(message: Any, settings: Settings) -> list[Any]:
    """A message's events in batch mode: the event bodies, or an already-transformed body as is."""
    if is_processed(message):
        body = read(message, "body.JSON")
        return [] if body is UNDEFINED else [body]
    return [body for body, _origin in cloud_events(message, settings)]


def _batched(batch: list[tuple[list[Any], Settings, Any]], first: Settings) -> RouterOutput:
    own = batch[0][1]
    # the version from the first message; the account and token from this batch's first one
    settings = replace(own, api_version=first.api_version)
    endpoint = V3_ENDPOINT if is_v3(settings) else v5_endpoint(own.ad_account_id)
    data = [event for events, _settings, _metadata in batch for event in events]
    request = CloudRequest("POST", endpoint, headers_for(settings), test_params(first), {"data": data})
    return RouterOutput(True, 200, tuple(metadata for _events, _settings, metadata in batch), request)
