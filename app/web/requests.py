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
"""

from __future__ import annotations

import codecs
from collections.abc import Callable
from contextvars import ContextVar
from typing import IO, Any
from urllib.parse import parse_qsl

from flask import Flask, Request, request
from werkzeug.datastructures import Headers, MultiDict
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.formparser import FormDataParser, MultiPartParser
from werkzeug.utils import cached_property

__all__ = ["UNDECODABLE_MESSAGE", "PlaygroundRequest", "init_app", "undecodable_field_errors"]

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

    def _parse_urlencoded(self, stream: IO[bytes], mimetype: str, content_length: int | None, options: dict[str, str]) -> Any:
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

    def _parse_multipart(self, stream: IO[bytes], mimetype: str, content_length: int | None, options: dict[str, str]) -> Any:
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
