"""Requests whose bytes are not UTF-8 are still read, and the form says where.

Werkzeug, left alone, fails on such input in two ways this app can't accept:

* a query string with raw (not percent-encoded) non-UTF-8 bytes, such as a hand-made
  ``/?s=\\xff`` sent by a script, raises ``UnicodeDecodeError`` in ``request.args``: a 500;
* an ``application/x-www-form-urlencoded`` body with raw non-UTF-8 bytes is dropped
  *whole* (``request.form`` comes back empty), so the CSRF check fails and everything the
  person sent is lost.

:class:`PlaygroundRequest` reads both: in query strings every byte that is not UTF-8 stays
percent-encoded (``%FF``), as Werkzeug already does for percent-encoded bytes; in form
bodies (URL-encoded or multipart) each such byte becomes U+FFFD, as browsers do, and
:attr:`PlaygroundRequest.undecodable_fields` names the fields that had any, so the page
can say where (see :func:`undecodable_field_errors`).

The playground's own form (``FORM_ENDPOINTS``) is also read when it is too large: instead of
a bare 413 that loses everything, the body is read as a stream (up to
:data:`READ_LIMIT_FACTOR` times ``MAX_CONTENT_LENGTH``, then no further), each field kept up to
``MAX_FORM_MEMORY_SIZE`` bytes and at most ``MAX_FORM_PARTS`` fields, whatever the encoding
(multipart or URL-encoded).  :attr:`PlaygroundRequest.form_overflow` says what did not fit;
``errors.py`` then gives the page back with what was kept and the problem beside each field.
"""

from __future__ import annotations

import codecs
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from io import BytesIO
from typing import IO, Any
from urllib.parse import parse_qsl, unquote_to_bytes

from flask import Flask, Request, request
from werkzeug.datastructures import FileStorage, Headers, MultiDict
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.formparser import FormDataParser, MultiPartParser
from werkzeug.sansio.multipart import Data, Epilogue, Field, File, MultipartDecoder, NeedData
from werkzeug.utils import cached_property
from werkzeug.wsgi import get_input_stream

from .limits import FORM_ENDPOINTS

__all__ = ["UNDECODABLE_MESSAGE", "FormOverflow", "PlaygroundRequest", "init_app", "undecodable_field_errors"]

# How much of an over-large playground form is read, as a multiple of MAX_CONTENT_LENGTH:
# enough to find every field of a form that is a few times too large (and to answer the
# browser, which is still sending), never an unbounded amount.
READ_LIMIT_FACTOR = 8
_CHUNK = 64 * 1024

UNDECODABLE_MESSAGE = (
    "part of the text sent was not UTF-8; each unreadable byte is shown as \ufffd. "
    "Check the text there before you run it again."
)

# The values that had to be repaired while the current request's body was parsed.
_repaired: ContextVar[list[str] | None] = ContextVar("pintrk_repaired_values", default=None)
_TRACKED_UTF8 = "pintrk_tracked_utf8"


def _tracked_decode(data: bytes, errors: str = "strict") -> tuple[str, int]:
    try:
        text = str(data, "utf-8")
    except UnicodeDecodeError:
        text = str(data, "utf-8", "replace")
        repaired = _repaired.get()
        if repaired is not None:
            repaired.append(text)
    return text, len(data)


def _search(name: str) -> codecs.CodecInfo | None:
    if name != _TRACKED_UTF8:
        return None
    utf8 = codecs.lookup("utf-8")
    return codecs.CodecInfo(utf8.encode, _tracked_decode, name=_TRACKED_UTF8)


codecs.register(_search)


class _TrackingMultiPartParser(MultiPartParser):
    def get_part_charset(self, headers: Headers) -> str:
        charset = super().get_part_charset(headers)
        return _TRACKED_UTF8 if charset == "utf-8" else charset


class _TolerantFormDataParser(FormDataParser):
    """URL-encoded and multipart bodies with their non-UTF-8 bytes replaced, not dropped."""

    def _parse_urlencoded(
        self, stream: IO[bytes], mimetype: str, content_length: int | None, options: dict[str, str]
    ) -> Any:
        # The stream is already limited to max_content_length (as in Werkzeug's own parser).
        # Latin-1 maps each byte to one character and back, so the parser sees the exact
        # bytes (raw or percent-encoded) and each name and value is then read as UTF-8.
        pairs = parse_qsl(stream.read().decode("latin-1"), keep_blank_values=True, encoding="latin-1")
        # The multipart limits, applied here too (Werkzeug applies MAX_FORM_MEMORY_SIZE and
        # MAX_FORM_PARTS to multipart bodies only): the same form is refused whatever its encoding.
        if self.max_form_parts is not None and len(pairs) > self.max_form_parts:
            raise RequestEntityTooLarge()
        fields: list[tuple[str, str]] = []
        for raw_name, raw_value in pairs:
            if self.max_form_memory_size is not None and len(raw_value) > self.max_form_memory_size:
                raise RequestEntityTooLarge()  # the bytes of one value (latin-1: one character each)
            name, _ = _tracked_decode(raw_name.encode("latin-1"))
            value, _ = _tracked_decode(raw_value.encode("latin-1"))
            fields.append((name, value))
        return stream, self.cls(fields), self.cls()

    def _parse_multipart(
        self, stream: IO[bytes], mimetype: str, content_length: int | None, options: dict[str, str]
    ) -> Any:
        parser = _TrackingMultiPartParser(
            stream_factory=self.stream_factory,
            max_form_memory_size=self.max_form_memory_size,
            max_form_parts=self.max_form_parts,
            cls=self.cls,
        )
        boundary = options.get("boundary", "").encode("ascii")
        if not boundary:
            raise ValueError("Missing boundary")
        form, files = parser.parse(stream, boundary, content_length)
        return stream, form, files


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


class _FieldCollector:
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
        value, _ = _tracked_decode(raw)
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


def _read_chunks(stream: IO[bytes], overflow: FormOverflow, read_limit: int) -> Any:
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


def _collect_multipart(chunks: Any, boundary: bytes, collector: _FieldCollector) -> None:
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
    """The multipart events of one body, each part's head kept (see _FieldCollector)."""

    def __init__(self, collector: _FieldCollector) -> None:
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


def _collect_urlencoded(chunks: Any, collector: _FieldCollector) -> None:
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


def _add_pair(raw: bytes, size: int, collector: _FieldCollector) -> None:
    if not raw:
        return
    name_part, _, value_part = raw.partition(b"=")
    if not collector.accept_part():
        return
    name, _ = _tracked_decode(unquote_to_bytes(name_part.replace(b"+", b" ")))
    value = unquote_to_bytes(value_part.replace(b"+", b" "))
    # The size as decoded when all of it was kept; else an estimate from the bytes sent.
    decoded_size = len(value) if len(raw) == size else size - len(name_part) - 1
    collector.add_field(name, value, max(decoded_size, len(value)))


class PlaygroundRequest(Request):
    form_data_parser_class = _TolerantFormDataParser
    form_overflow: FormOverflow | None = None  # set when the playground's form is read

    @cached_property
    def args(self) -> MultiDict[str, str]:  # type: ignore[override]
        # As Werkzeug's, but raw non-UTF-8 bytes stay percent-encoded instead of raising.
        return self.parameter_storage_class(
            parse_qsl(
                self.query_string.decode("utf-8", "werkzeug.url_quote"),
                keep_blank_values=True,
                errors="werkzeug.url_quote",
            )
        )

    def _load_form_data(self) -> None:
        token = _repaired.set([])
        try:
            if "form" not in self.__dict__ and self._reads_playground_form():
                self._load_playground_form()
            else:
                super()._load_form_data()
            repaired = _repaired.get() or []
        finally:
            _repaired.reset(token)
        names: list[str] = []
        if repaired:
            for name, value in self.form.items(multi=True):
                if (value in repaired or name in repaired) and name not in names:
                    names.append(name)
        self.undecodable_fields = names

    undecodable_fields: tuple[str, ...] | list[str] = ()  # set per request when the form is read

    def _reads_playground_form(self) -> bool:
        return (
            self.endpoint in FORM_ENDPOINTS
            and self.method == "POST"
            and self.mimetype in ("multipart/form-data", "application/x-www-form-urlencoded")
            and self._max_content_length is None  # a view that set its own limit keeps Werkzeug's way
        )

    def _load_playground_form(self) -> None:
        """The form, as much of it as fits (see the module doc); never a 413."""
        request_limit = int(self.max_content_length or 0)
        overflow = FormOverflow(
            request_limit=request_limit,
            field_limit=int(self.max_form_memory_size or 0),
            parts_limit=int(self.max_form_parts or 0),
        )
        read_limit = request_limit * READ_LIMIT_FACTOR if request_limit else 1 << 62
        stream = get_input_stream(self.environ, max_content_length=None)
        collector = _FieldCollector(overflow, file_limit=request_limit or read_limit)
        chunks = _read_chunks(stream, overflow, read_limit)
        if self.mimetype == "multipart/form-data":
            boundary = self.mimetype_params.get("boundary", "").encode("latin-1", "replace")
            if boundary:
                try:
                    _collect_multipart(chunks, boundary, collector)
                except ValueError:
                    pass  # a broken body: the fields read so far are kept, the rest is missing
        else:
            _collect_urlencoded(chunks, collector)
        self.form_overflow = overflow
        d = self.__dict__
        d["stream"], d["form"], d["files"] = (
            stream,
            self.parameter_storage_class(collector.fields),
            self.parameter_storage_class(collector.files),
        )


def undecodable_field_errors(label: Callable[[str], str] = str) -> dict[str, list[str]]:
    """``{"__all__": [message]}`` naming (with ``label``) each posted field that held non-UTF-8 bytes, else ``{}``."""
    if request.method not in ("POST", "PUT", "PATCH"):
        return {}
    _ = request.form  # the body is read (and the fields found) here if nothing read it yet
    names = [name for name in getattr(request, "undecodable_fields", []) if name != "csrf_token"]
    if not names:
        return {}
    shown = ", ".join(dict.fromkeys(label(name)[:80] for name in names))
    return {"__all__": [f"{shown}: {UNDECODABLE_MESSAGE}"]}


def init_app(app: Flask) -> None:
    app.request_class = PlaygroundRequest
