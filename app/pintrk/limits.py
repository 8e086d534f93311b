"""The playground's limits, in one table: every cap on input and on the work one request may ask.

A small input must never cost much: a 10 KB link can hold 10,000 pasted events, a 50 MB HAR
can hold millions of empty entries.  Each cap below bounds one kind of work whatever the
input's size, so time and memory per request stay bounded.  Inputs over a cap are refused
(or, where a partial answer helps more, cut) with a sentence that names the cap.

The limits on what a text may hold (characters, calls, nesting, rows) are here too, so the
form, the API, the CLI and the documents they describe state the same numbers; the web layer
refuses them in its own words (``app/web/limits.py``), :func:`~app.pintrk.scenario.load_scenario`
in the core's.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from .errors import InputError, Location, field_path, item_path

__all__ = [
    "API",
    "CLI",
    "PAGE",
    "SAVE",
    "Budget",
    "OverBudget",
    "check_scenario",
    "check_text",
    "StructureCounter",
    "structure_outside_texts",
    "values_in_text",
    "API_MAX_CONTENT_LENGTH",
    "API_MAX_HAR_CONTENT_LENGTH",
    "MAX_BEACONS",
    "MAX_BEACON_NESTING",
    "MAX_DECODE_FORM_EXTRA",
    "MAX_FORM_BYTES",
    "MAX_FORM_FIELD_BYTES",
    "MAX_FORM_PARTS",
    "MAX_HAR_NOTES",
    "MAX_JSON5_CHARS",
    "MAX_JSON5_NESTING",
    "MAX_LINK_BYTES",
    "MAX_LINK_CHARS",
    "MAX_NUMBER_DIGITS",
    "MAX_READ_NESTING",
    "MAX_REPRODUCTION_BYTES",
    "READ_LIMIT_FACTOR",
    "MAX_CALLS",
    "MAX_CALL_NESTING",
    "MAX_HAR_BODY_BYTES",
    "MAX_HAR_BYTES",
    "MAX_HAR_ENTRIES",
    "MAX_HAR_VALUES",
    "MAX_LINE_ITEMS",
    "MAX_LINE_LENGTH",
    "MAX_MESSAGES",
    "MAX_NESTING",
    "MAX_PAGE_MESSAGES",
    "MAX_PAGE_VALUES",
    "MAX_RENDERED_ROWS",
    "MAX_LISTED_ITEMS",
    "MAX_ROWS",
    "MAX_TEXT_LENGTH",
    "MAX_VALUES",
    "showing_first",
    "size_text",
]

# What a text may hold.  Texts: characters in a text box (SDK calls, initial traits, pasted
# config, the builder's data) and in a one-line field (Tag ID, event names, paths).  JSON: levels
# of {…}/[…] in any JSON the playground reads (fields, bodies, files, links).  Call scripts: calls
# in one script (the parser reads ~1 ms per call: send messages for more), levels of {…}/[…]
# inside one call's arguments.  Settings: event-mapping rows; custom-property rows (each).
MAX_TEXT_LENGTH = 200_000
MAX_LINE_LENGTH = 1_000
MAX_NESTING = 100
MAX_CALLS = 1_000
MAX_CALL_NESTING = 64
MAX_ROWS = 100
# The few call arguments pyjson5 reads (JavaScript beyond JSON: comments, single quotes…): it is
# pure Python and recursive, so at most this many characters a script and levels a call.
MAX_JSON5_CHARS = 4_000
MAX_JSON5_NESTING = 24
# Digits in one JSON number: int() refuses 4,300 and more, and no double needs more than ~770.
MAX_NUMBER_DIGITS = 4_000
# Levels of {…}/[…] when a caller names no limit of its own (recorded vectors, fixtures, the
# core's own JSON): well below Python's recursion limit.
MAX_READ_NESTING = 200

# The playground's forms (config.py gives them to Flask): a request (2 MB: scenarios and settings
# are small text); one field, which may hold the longest call script the core accepts
# (200,000 characters, up to 4 bytes each in UTF-8); fields (MAX_ROWS + MAX_ROWS rows of 3 and 2
# fields, and more).  An over-large form is read up to READ_LIMIT_FACTOR times its limit, then no
# further (so its fields can be named).  The decode form: the HAR limit plus this much for its
# other fields.
MAX_FORM_BYTES = 2 * 1024 * 1024
MAX_FORM_FIELD_BYTES = 1024 * 1024
MAX_FORM_PARTS = 1_000
READ_LIMIT_FACTOR = 8
MAX_DECODE_FORM_EXTRA = 1024 * 1024
# Links and files that carry a page's scenario: a link's characters and the bytes they inflate to;
# a reproduction file opened on the page.
MAX_LINK_CHARS = 64 * 1024
MAX_LINK_BYTES = 1024 * 1024
MAX_REPRODUCTION_BYTES = 2 * 1024 * 1024

# Request bodies of the JSON API: replay, compare and import; decode (HAR files run to tens of MB).
# A RudderStack JS SDK v3 message with a typical context is 1–1.5 KB of JSON, so 20 MB holds
# 10,000 messages with room to spare (MAX_FORM_BYTES, 2 MB, is for the forms).
API_MAX_CONTENT_LENGTH = 20 * 1024 * 1024
API_MAX_HAR_CONTENT_LENGTH = 50 * 1024 * 1024

# Scenarios: RudderStack messages (SDK calls, pasted events, pintrk calls) replayed in one API
# or CLI request, and on one page (each message is a row or two of the log; the pasted events
# beyond it are counted and named, not run).
MAX_MESSAGES = 10_000
MAX_PAGE_MESSAGES = 1_000
# JSON values (objects, lists, texts, numbers…) in a JSON text that brings a scenario (pasted
# events, an API body, a reproduction file, a CLI file), counted on the text before it is read
# (check_text): every step (reading, key ordering, mapping, saving) costs a few µs per value, and
# a 1 KB link can hold 300,000 of them.  10,000 realistic SDK messages hold ~450,000
# (bench/corpus.py).  Call scripts, initial traits and pintrk calls are bounded by their length.
MAX_VALUES = 1_000_000
MAX_PAGE_VALUES = 100_000
# Products: each becomes a line item of the Pinterest event, the dearest value to map.
MAX_LINE_ITEMS = 50_000

# Decoding beacons: beacons decoded from one text or HAR; HAR entries read (every request the
# browser recorded, beacons or not); a HAR's size; one request body kept from a HAR entry
# (the tag POSTs from 2,048 characters; real beacon bodies are a few KB).
MAX_BEACONS = 5_000  # ~100 µs each (the query, ed and pd read as JSON): half a second at most
MAX_HAR_ENTRIES = 100_000
MAX_HAR_BYTES = 50 * 1024 * 1024
MAX_HAR_BODY_BYTES = 1024 * 1024
# Levels of {…}/[…] read from one beacon's ed, pd or ov (or a HAR body); notes on skipped HAR
# entries listed one by one (the rest are counted).
MAX_BEACON_NESTING = 64
MAX_HAR_NOTES = 20
# JSON values in one streamed HAR (or API decode body), counted on the raw bytes as each chunk
# arrives: every "[", "{" and "," outside texts.  Entries are capped above, but one entry can hold
# 50 MB of [0,0,0,…]: 25 million values, seconds of parsing (~0.2 µs each).  A recording's bulk is
# texts (response bodies); the rest is ~130 values per request (tests/fixtures/pintrk-visit.har), so
# this reads ~15,000 requests' worth (a long visit records a few hundred).
MAX_HAR_VALUES = 2_000_000

# Pages: rows (log rows, findings, compare rows, decoded beacon cards) rendered into one HTML
# page; the rest is named ("showing the first 500 of 10,000") and the downloads and the API carry
# everything.  (A value's length needs no cap of its own: the texts above bound it.)
MAX_RENDERED_ROWS = 500
# Line items named in one grouped beacon difference ("items 1, 2, 3 and 40 more").
MAX_LISTED_ITEMS = 3


@dataclass(frozen=True)
class Budget:
    """What one replay may hold: :data:`API` for the JSON API, :data:`CLI` for the command line,
    :data:`PAGE` for a page, :data:`SAVE` for a reproduction file saved from a page.

    ``messages`` (or pintrk calls) over the budget are refused in words that name ``replayer``,
    or, with ``cut``, the first ones are kept and the rest counted (a page shows the first
    :data:`MAX_PAGE_MESSAGES` and names the rest); ``pasted`` bounds the pasted events read at all.
    """

    messages: int
    values: int
    line_items: int = MAX_LINE_ITEMS
    replayer: str = "the playground"
    cut: bool = False
    pasted: int = MAX_MESSAGES


API = Budget(messages=MAX_MESSAGES, values=MAX_VALUES, replayer="the API")
CLI = Budget(messages=MAX_MESSAGES, values=MAX_VALUES, replayer="the command line")
PAGE = Budget(messages=MAX_PAGE_MESSAGES, values=MAX_PAGE_VALUES, cut=True)
# Saving a page's scenario as a reproduction file: every pasted event (the file is for the API
# and the CLI too), but no more values than a page reads.
SAVE = Budget(messages=MAX_MESSAGES, values=MAX_PAGE_VALUES)


def showing_first(shown: int, total: int, things: str) -> str:
    """ "Showing the first 500 of 10,000 calls." """
    return f"Showing the first {shown:,} of {total:,} {things}."


def size_text(size: int, *, digits: int | None = None, unit: str | None = None) -> str:
    """A number of bytes in words, the one way the playground writes a size.

    A limit (``digits`` None): its largest whole unit, "2 MB", "500 KB" (1,024 or 1,000 bytes a
    KB: Flask's limits are decimal), else "1,500 bytes".  A measured size (``digits`` N): MB with
    N decimals, whole KB, or bytes ("1.50 MB", "12 KB", "500 bytes").  ``unit="MB"``: megabytes
    however many, shortest form ("20 MB", "0.5 MB").
    """
    mb, kb = 1024 * 1024, 1024
    if unit == "MB":
        return f"{size / mb:g} MB"
    if digits is not None:
        if size >= mb:
            return f"{size / mb:.{digits}f} MB"
        return f"{size / kb:,.0f} KB" if size >= kb else f"{size:,} bytes"
    if size >= mb and size % mb == 0:
        return f"{size // mb} MB"
    if size >= kb and size % kb == 0:
        return f"{size // kb} KB"
    if size >= 1000 and size % 1000 == 0:
        return f"{size // 1000} KB"
    return f"{size:,} bytes"


class OverBudget(InputError):
    """A scenario that asks for more work than one request may; ``str()`` says which cap, in words.

    ``location`` is where in the scenario ("messages", "initialTraits",
    "messages[3].properties.products"); ``code`` is ``over-budget``, or ``too-many-messages`` /
    ``too-many-calls`` for a count refused before anything was read.
    """

    code = "over-budget"

    def __init__(self, message: str, location: str | Location, *, code: str | None = None) -> None:
        super().__init__(
            message, location if isinstance(location, Location) else Location(location), code=code
        )
        self.args = (message,)  # str(): the sentence alone, as before


def structure_outside_texts(data: bytes, in_text: bool = False) -> tuple[int, bool]:
    """The "[", "{" and "," of ``data`` outside JSON texts, and whether ``data`` ends inside one.

    C-speed passes only: escapes go first (``\\\\`` then ``\\"``, so no escaped quote is
    taken for a real one), then the quotes split texts from the rest.  ``data`` must not end
    inside an escape (a reader of chunks carries a trailing backslash over to the next one).
    """
    data = data.replace(b"\\\\", b"").replace(b'\\"', b"")
    skeleton = data.translate(None, _NOT_STRUCTURE)  # quotes, "[", "{" and ",": far fewer pieces to split
    pieces = skeleton.split(b'"')
    outside = b"".join(pieces[1::2] if in_text else pieces[0::2])
    if len(pieces) % 2 == 0:  # an odd number of quotes: the data ends on the other side
        in_text = not in_text
    return len(outside), in_text


_NOT_STRUCTURE = bytes(byte for byte in range(256) if byte not in b'"[{,')


class StructureCounter:
    """:func:`structure_outside_texts` over data that arrives in chunks (an escape split between
    two chunks is carried over); ``count`` is the total so far."""

    def __init__(self) -> None:
        self.count = 0
        self._in_text = False
        self._carry = b""

    def feed(self, chunk: bytes) -> int:
        """Count ``chunk``; the new total."""
        data = (self._carry + chunk).replace(b"\\\\", b"")
        self._carry = b""
        if data.endswith(b"\\"):  # its escaped byte is in the next chunk
            self._carry, data = b"\\", data[:-1]
        found, self._in_text = structure_outside_texts(data, self._in_text)
        self.count += found
        return self.count


_CHUNK = 64 * 1024  # counted a chunk at a time: a few copies of 64 KB, never of the whole text


def values_in_text(text: str | bytes) -> int:
    """How many JSON values ``text`` holds, at most: every value but the first follows a "[",
    a "," or an object's ":" (one per "{" or ","), so 1 + the "[", "{" and "," outside texts
    (an empty [] or {} counts one too many).  Counted on the text, before it is parsed."""
    data = text if isinstance(text, bytes) else text.encode("utf-8", "surrogatepass")
    counter = StructureCounter()
    for start in range(0, len(data), _CHUNK):
        counter.feed(data[start : start + _CHUNK])
    return 1 + counter.count


def check_text(
    text: str | bytes, budget: Budget, location: str | Location, what: str = "the scenario"
) -> None:
    """Refuse JSON ``text`` holding more values than ``budget`` allows, before it is parsed."""
    values = values_in_text(text)
    if values > budget.values:
        raise OverBudget(
            f"{what} holds about {values:,} values (keys, list items, texts, numbers); the playground "
            f"reads at most {budget.values:,} at once",
            location,
        )


def check_scenario(messages: Iterable[Any], budget: Budget = API) -> None:
    """Refuse, before any work, a scenario over ``budget``: messages, products (values: :func:`check_text`)."""
    messages = messages if isinstance(messages, (list, tuple)) else list(messages)
    if len(messages) > budget.messages:
        raise OverBudget(
            f"the scenario has {len(messages):,} messages; at most {budget.messages:,} are replayed at once",
            "messages",
        )
    line_items = 0
    for index, message in enumerate(messages):
        properties = message.get("properties") if isinstance(message, Mapping) else None
        products = properties.get("products") if isinstance(properties, Mapping) else None
        if isinstance(products, list):
            line_items += len(products)
            if line_items > budget.line_items:
                raise OverBudget(
                    f"the scenario's events list more than {budget.line_items:,} products in all (message {index + 1} "
                    f"brings the count to {line_items:,}); each becomes a line item, and the playground maps at "
                    f"most {budget.line_items:,} per run",
                    field_path(item_path("messages", index), "properties.products"),
                )
