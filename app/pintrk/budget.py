"""The work one request may ask of the playground: every cap on cost, in one place.

A small input must never cost much: a 10 KB link can hold 10,000 pasted events, a 50 MB HAR
can hold millions of empty entries.  Each cap below bounds one kind of work whatever the
input's size, so time and memory per request stay bounded.  Inputs over a cap are refused
(or, where a partial answer helps more, cut) with a sentence that names the cap.

The web layer's limits on what a form may carry (characters per field, rows) live in
``app/web/limits.py``; the caps here are about the work the core does with it.
"""

from __future__ import annotations

__all__ = [
    "MAX_BEACONS",
    "MAX_HAR_BODY_BYTES",
    "MAX_HAR_BYTES",
    "MAX_HAR_ENTRIES",
    "MAX_MESSAGES",
    "MAX_RENDERED_ROWS",
    "MAX_RENDERED_VALUE_CHARS",
    "showing_first",
]

# Scenarios: RudderStack messages (SDK calls, pasted events) replayed in one request.
MAX_MESSAGES = 10_000

# Decoding beacons: beacons decoded from one text or HAR; HAR entries read (every request the
# browser recorded, beacons or not); a HAR's size; one request body kept from a HAR entry
# (the tag POSTs from 2,048 characters; real beacon bodies are a few KB).
MAX_BEACONS = 10_000
MAX_HAR_ENTRIES = 100_000
MAX_HAR_BYTES = 50 * 1024 * 1024
MAX_HAR_BODY_BYTES = 1024 * 1024

# Pages: rows (log rows, decoded beacon cards) rendered into one HTML page, and characters of
# one value shown in a row; the rest is named ("showing the first 500 of 10,000") and the
# downloads and the API carry everything.
MAX_RENDERED_ROWS = 500
MAX_RENDERED_VALUE_CHARS = 10_000


def showing_first(shown: int, total: int, things: str) -> str:
    """ "Showing the first 500 of 10,000 calls." """
    return f"Showing the first {shown:,} of {total:,} {things}."
