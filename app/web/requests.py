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
``form_guards.py`` then gives the page back with what was kept and the problem beside each field.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import IO, Any
from urllib.parse import parse_qsl

from flask import Flask, Request, request
from werkzeug.datastructures import Headers, MultiDict
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.formparser import FormDataParser, MultiPartParser
from werkzeug.utils import cached_property
from werkzeug.wsgi import get_input_stream

from app.pintrk import READ_LIMIT_FACTOR

from .form_reader import (
    TRACKED_UTF8,
    FieldCollector,
    FormOverflow,
    collect_multipart,
    collect_urlencoded,
    read_chunks,
    repaired_values,
    tracked_decode,
)
from .limits import FORM_ENDPOINTS

__all__ = ["UNDECODABLE_MESSAGE", "FormOverflow", "PlaygroundRequest", "init_app", "undecodable_field_errors"]

# How much of an over-large playground form is read (READ_LIMIT_FACTOR, a multiple of
# MAX_CONTENT_LENGTH): enough to find every field of a form that is a few times too large (and to
# answer the browser, which is still sending), never an unbounded amount.

UNDECODABLE_MESSAGE = (
    "part of the text sent was not UTF-8; each unreadable byte is shown as \ufffd. "
    "Check the text there before you run it again."
)


class _TrackingMultiPartParser(MultiPartParser):
    def get_part_charset(self, headers: Headers) -> str:
        charset = super().get_part_charset(headers)
        return TRACKED_UTF8 if charset == "utf-8" else charset


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
            name, _ = tracked_decode(raw_name.encode("latin-1"))
            value, _ = tracked_decode(raw_value.encode("latin-1"))
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
        token = repaired_values.set([])
        try:
            if "form" not in self.__dict__ and self._reads_playground_form():
                self._load_playground_form()
            else:
                super()._load_form_data()
            repaired = repaired_values.get() or []
        finally:
            repaired_values.reset(token)
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
        collector = FieldCollector(overflow, file_limit=request_limit or read_limit)
        chunks = read_chunks(stream, overflow, read_limit)
        if self.mimetype == "multipart/form-data":
            boundary = self.mimetype_params.get("boundary", "").encode("latin-1", "replace")
            if boundary:
                try:
                    collect_multipart(chunks, boundary, collector)
                except ValueError:
                    pass  # a broken body: the fields read so far are kept, the rest is missing
        else:
            collect_urlencoded(chunks, collector)
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
