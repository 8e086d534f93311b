"""The deduplication check: the browser's events (the tag's beacons) beside the server's (the
Conversions API requests), one verdict per event in plain words.

Pinterest counts an event sent by both the tag and the Conversions API once when the two carry
the same ``event_id`` and the same event (names compared ignoring case, spaces and underscores:
the tag's ``AddToCart`` is the API's ``add_to_cart``). Everything else about the pair (a
differently hashed e-mail, say) does not stop deduplication but is worth knowing: such reasons
are *notes*. Every explanation reads the rule records (``Command.rule`` on the browser side,
``CloudRequest.origin`` on the server side); nothing here re-derives a mapping rule.
"""

from __future__ import annotations

from ..cloud import CloudOutcome, cloud_outcomes
from ..replay import Result
from .check import check_deduplication
from .model import (
    VERDICT_WORDS,
    DedupCheck,
    EventPair,
    Reason,
    SettingFix,
    Verdict,
    is_sha256_hex,
    pinterest_event_key,
)

__all__ = [
    "Verdict",
    "VERDICT_WORDS",
    "SettingFix",
    "Reason",
    "EventPair",
    "DedupCheck",
    "check_deduplication",
    "pinterest_event_key",
    "is_sha256_hex",
    "both_paths",
]


def both_paths(result: Result) -> tuple[tuple[CloudOutcome, ...], DedupCheck] | None:
    """The server path's outcomes and the check for a replayed scenario, or ``None`` when
    RudderStack's servers do not send its events (device mode, pintrk calls)."""
    if not result.scenario.server_sends:
        return None
    outcomes = cloud_outcomes(result.scenario)
    return outcomes, check_deduplication(result, outcomes)
