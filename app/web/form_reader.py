"""Form bodies read byte-tolerantly: a UTF-8 decoder that notes what it repaired, and the
reader of an over-large playground form, which keeps each field's head and counts the rest.

See ``requests.py`` for why and where they are used.
"""

from __future__ import annotations

import codecs
from contextvars import ContextVar
from dataclasses import dataclass, field
from io import BytesIO
from typing import IO, Any
from urllib.parse import unquote_to_bytes

from werkzeug.datastructures import FileStorage
from werkzeug.sansio.multipart import Data, Epilogue, Field, File, MultipartDecoder, NeedData

__all__ = [
    "TRACKED_UTF8",
    "FieldCollector",
    "FormOverflow",
    "collect_multipart",
    "collect_urlencoded",
    "read_chunks",
    "repaired_values",
    "tracked_decode",
]

_CHUNK = 64 * 1024

# The values that had to be repaired while the current request's body was parsed.
repaired_values: ContextVar[list[str] | None] = ContextVar("pintrkrepaired_values_values", default=None)
TRACKED_UTF8 = "pintrk_tracked_utf8"


def tracked_decode(data: bytes, errors: str = "strict") -> tuple[str, int]:
    try:
        text = str(data, "utf-8")
    except UnicodeDecodeError:
        text = str(data, "utf-8", "replace")
        repaired = repaired_values.get()
        if repaired is not None:
            repaired.append(text)
    return text, len(data)


def _search(name: str) -> codecs.CodecInfo | None:
    if name != TRACKED_UTF8:
        return None
    utf8 = codecs.lookup("utf-8")
    return codecs.CodecInfo(utf8.encode, tracked_decode, name=TRACKED_UTF8)


codecs.register(_search)


@dataclass
class FormOverflow:
    """What of a playground form did not fit its limits (all sizes in bytes, as sent)."""

    body_bytes: int = 0  # bytes of body read (all of it unless ``unread``)
    unread: bool = False  # the body went on past the read limit: later fields are missing
    request_limit: int = 0
    field_limit: int = 0
    parts_limit: int = 0
    cut: dict[str, int] = field(default_factory=dict)  # field name → its size; only its head is kept
    dropped_parts: int = 0  # fields past the parts limit, not kept
    sizes: dict[str, int] = field(default_factory=dict)  # every field's size as sent
    unfinished: str | None = None  # the field the reading stopped in (``unread``): its size is more

    @property
    def over(self) -> bool:
        return bool(self.unread or self.cut or self.dropped_parts or self.body_bytes > self.request_limit)


class FieldCollector:
    """Keeps each field's head (up to the field limit) and counts everything."""

    def __init__(self, overflow: FormOverflow, file_limit: int) -> None:
        self.overflow = overflow
        self.file_limit = file_limit
        self.fields: list[tuple[str, str]] = []
        self.files: list[tuple[str, FileStorage]] = []
        self.parts = 0

    def accept_part(self) -> bool:
        self.parts += 1
        if self.overflow.parts_limit and self.parts > self.overflow.parts_limit:
            self.overflow.dropped_parts += 1
            return False
        return True

    def add_field(self, name: str, raw: bytes, size: int) -> None:
        self._sized(name, size)
        limit = self.overflow.field_limit
        if limit and size > limit:
            self.overflow.cut[name] = max(size, self.overflow.cut.get(name, 0))
            raw = _utf8_head(raw, limit)
        value, _ = tracked_decode(raw)
        self.fields.append((name, value))

    def add_file(self, part: File, data: bytes, size: int) -> None:
        self._sized(part.name, size)
        # The head is enough for the view's own size check (read_upload refuses past its limit).
        self.files.append(
            (
                part.name,
                FileStorage(
                    BytesIO(data[: self.file_limit + 1]), part.filename, part.name, headers=part.headers
                ),
            )
        )

    def _sized(self, name: str, size: int) -> None:
        self.overflow.sizes[name] = self.overflow.sizes.get(name, 0) + size


def _utf8_head(raw: bytes, limit: int) -> bytes:
    """At most ``limit`` bytes of ``raw``, never ending inside a UTF-8 character."""
    if len(raw) <= limit:
        return raw
    end = limit
    while end > 0 and end > limit - 4 and raw[end] & 0xC0 == 0x80:  # a continuation byte
        end -= 1
    return raw[:end]


def read_chunks(stream: IO[bytes], overflow: FormOverflow, read_limit: int) -> Any:
    """The body in chunks, never more than ``read_limit`` bytes (then ``overflow.unread``)."""
    while True:
        chunk = stream.read(min(_CHUNK, read_limit - overflow.body_bytes + 1))
        if not chunk:
            return
        overflow.body_bytes += len(chunk)
        if overflow.body_bytes > read_limit:
            overflow.unread = True
            overflow.body_bytes = read_limit
            chunk = chunk[: len(chunk) - 1]
            if chunk:
                yield chunk
            return
        yield chunk


def collect_multipart(chunks: Any, boundary: bytes, collector: FieldCollector) -> None:
    reader = _MultipartFields(collector)
    decoder = MultipartDecoder(boundary)  # no limits of its own: they are applied here, without raising
    try:
        for chunk in _with_end(chunks):
            decoder.receive_data(chunk)
            event = decoder.next_event()
            while not isinstance(event, (Epilogue, NeedData)):
                reader.handle(event)
                event = decoder.next_event()
    except ValueError:
        pass  # a broken body: the fields read so far are kept, the rest is missing
    reader.finish_unread()


class _MultipartFields:
    """The multipart events of one body, each part's head kept (see FieldCollector)."""

    def __init__(self, collector: FieldCollector) -> None:
        self.collector = collector
        self.part: Field | File | None = None
        self.kept: list[bytes] = []
        self.kept_bytes = self.size = 0
        self.wanted = False

    def handle(self, event: Any) -> None:
        if isinstance(event, (Field, File)):
            self.part, self.kept, self.kept_bytes, self.size = event, [], 0, 0
            self.wanted = self.collector.accept_part()
        elif isinstance(event, Data) and self.part is not None:
            self.size += len(event.data)
            room = self._room() - self.kept_bytes
            if self.wanted and room > 0:
                piece = event.data[:room]
                self.kept.append(piece)
                self.kept_bytes += len(piece)
            if not event.more_data:
                if self.wanted:
                    if isinstance(self.part, File):
                        self.collector.add_file(self.part, b"".join(self.kept), self.size)
                    else:
                        self.collector.add_field(self.part.name, b"".join(self.kept), self.size)
                self.part = None

    def _room(self) -> int:
        if isinstance(self.part, File):
            return self.collector.file_limit + 1
        limit = self.collector.overflow.field_limit
        return limit + 4 if limit else self.size + 4  # 4: enough to end the head on a whole character

    def finish_unread(self) -> None:
        """The read limit stopped the body inside a text field: keep its head, as for any field too long."""
        overflow = self.collector.overflow
        if self.part is not None and self.wanted and overflow.unread and isinstance(self.part, Field):
            overflow.unfinished = self.part.name
            self.collector.add_field(
                self.part.name, b"".join(self.kept), max(self.size, overflow.field_limit + 1)
            )


def _with_end(chunks: Any) -> Any:
    yield from chunks
    yield None


def collect_urlencoded(chunks: Any, collector: FieldCollector) -> None:
    """``name=value&…`` read pair by pair: a pair's bytes are kept only up to what its value may hold."""
    field_limit = collector.overflow.field_limit
    # Percent-encoding triples a byte: keep enough encoded text for the field limit once decoded.
    keep = 3 * field_limit + 1024 if field_limit else None
    pending: list[bytes] = []
    pending_bytes = pending_size = 0

    def finish() -> None:
        nonlocal pending, pending_bytes, pending_size
        if pending_size or pending:
            _add_pair(b"".join(pending), pending_size, collector)
        pending, pending_bytes, pending_size = [], 0, 0

    for chunk in chunks:
        start = 0
        while True:
            end = chunk.find(b"&", start)
            piece = chunk[start:] if end == -1 else chunk[start:end]
            pending_size += len(piece)
            if keep is None or pending_bytes < keep:
                piece = piece if keep is None else piece[: keep - pending_bytes]
                pending.append(piece)
                pending_bytes += len(piece)
            if end == -1:
                break
            finish()
            start = end + 1
    finish()


def _add_pair(raw: bytes, size: int, collector: FieldCollector) -> None:
    if not raw:
        return
    name_part, _, value_part = raw.partition(b"=")
    if not collector.accept_part():
        return
    name, _ = tracked_decode(unquote_to_bytes(name_part.replace(b"+", b" ")))
    value = unquote_to_bytes(value_part.replace(b"+", b" "))
    # The size as decoded when all of it was kept; else an estimate from the bytes sent.
    decoded_size = len(value) if len(raw) == size else size - len(name_part) - 1
    collector.add_field(name, value, max(decoded_size, len(value)))
