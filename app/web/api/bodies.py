"""Reading a request's body: JSON only, with JavaScript number semantics, within the limits.

Replay, compare and import read the whole body (``read_body``); decode streams it
(``read_decode_body``) so a HAR file of tens of MB is read entry by entry, never whole.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from dataclasses import replace
from typing import Any, NoReturn

from flask import current_app, request
from werkzeug.exceptions import RequestEntityTooLarge

from app.pintrk import (
    BeaconError,
    BeaconList,
    JSONInputError,
    check_text,
    har_too_dense,
    jsonstream,
    limits,
    load_json,
    read_har_events,
)

from .errors import fail
from .schema import LIMITS

__all__ = ["check_json_request", "read_body", "read_decode_body"]

_EMPTY = "the request body is empty: send a JSON object ({ … })"
_NOT_AN_OBJECT = "the body must be a JSON object ({ … })"


def read_body() -> dict[str, Any]:
    """The JSON object in the request body, read with JavaScript semantics."""
    check_json_request()
    request.max_content_length = current_app.config.get(
        "API_MAX_CONTENT_LENGTH", LIMITS["API_MAX_CONTENT_LENGTH"]
    )
    raw = request.get_data(cache=False)
    if not raw.strip():
        fail(400, "empty-body", _EMPTY, "body")
    check_text(raw, limits.API, "body", "the request body")  # before it is parsed: 413 over-budget
    try:
        data = load_json(raw, max_depth=LIMITS["max_depth"])
    except JSONInputError as exc:
        fail(
            400,
            "invalid-json",
            f"the body is not valid JSON: {exc.message}",
            f"body: {exc.location}" if exc.location else "body",
        )
    if not isinstance(data, dict):
        fail(400, "not-an-object", _NOT_AN_OBJECT, "body")
    return data


def check_json_request() -> None:
    mimetype = request.mimetype or ""
    if mimetype != "application/json" and not (
        mimetype.startswith("application/") and mimetype.endswith("+json")
    ):
        shown = request.content_type or "none"
        fail(
            415,
            "unsupported-media-type",
            f"send the body as JSON with the header Content-Type: application/json (this request has {shown})",
            "Content-Type",
        )
    charset = request.mimetype_params.get("charset", "utf-8").lower()
    if charset not in ("utf-8", "utf8"):
        fail(
            415,
            "unsupported-media-type",
            f"send the JSON as UTF-8 (this request says charset={charset})",
            "Content-Type",
        )


class _Replayable:
    """A stream read once from ``source`` but seekable: what was read is spooled (to disk past 1 MB)."""

    def __init__(self, source: Any) -> None:
        self.source, self.spool, self.position = (
            source,
            tempfile.SpooledTemporaryFile(max_size=1024 * 1024),  # noqa: SIM115 (lives as long as the reader)
            0,
        )

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self.position

    def seek(self, position: int) -> None:
        self.position = position

    def read(self, size: int) -> bytes:
        end = self.spool.seek(0, 2)
        if self.position < end:
            self.spool.seek(self.position)
            data = self.spool.read(min(size, end - self.position))
        else:
            data = self.source.read(size)
            self.spool.write(data)
        self.position += len(data)
        return data

    def close(self) -> None:
        self.spool.close()


def _decode_fields(
    stream: Iterator[tuple[str, Any]], hosts: tuple[str, ...]
) -> tuple[dict[str, Any], BeaconList | None, bool]:
    """The body's fields; a HAR in ``har`` read as it streams by.  True: the rest was left unread."""
    fields: dict[str, Any] = {}
    har: BeaconList | None = None
    unread = False
    event, _ = next(stream, ("end", None))
    if event == "end":
        fail(400, "empty-body", _EMPTY, "body")
    if event != "start_map":
        fail(400, "not-an-object", _NOT_AN_OBJECT, "body")
    for event, key in stream:
        if event == "end_map":
            break
        event, value = next(stream)
        if key == "har" and event == "start_map":
            try:
                har = read_har_events(stream, event, hosts=hosts, max_beacons=LIMITS["max_beacons"])
            except BeaconError as exc:
                fail(422, "invalid-har", exc.message, f"har.{exc.location}" if exc.location else "har")
            fields[key] = {}  # read above
            if not har.read_whole:
                # Read up to the entries cap, no further: what follows "har" stays unread.
                unread = True
                break
        else:
            fields[key] = jsonstream.build(stream, event, value, max_depth=LIMITS["max_depth"])
    if not unread:
        for _ in stream:  # nothing may follow the object
            pass
    return fields, har, unread


def read_decode_body() -> tuple[dict[str, Any], BeaconList | None]:
    """The decode body read as a stream: a HAR in ``har`` is read entry by entry (never whole),
    every other field is built as jsvalue.loads would.  Returns the fields and the HAR's beacons."""
    check_json_request()
    limit = current_app.config.get("API_MAX_HAR_CONTENT_LENGTH", LIMITS["API_MAX_HAR_CONTENT_LENGTH"])
    request.max_content_length = limit
    # What is read is kept (on disk past 1 MB) so a JSON error can be located by reading it again.
    spool = _Replayable(request.stream)
    source = jsonstream.Source(spool, limit)
    try:
        with jsonstream.located(source):
            fields, har, unread = _decode_fields(
                jsonstream.events(source), current_app.config["BEACON_HOSTS"]
            )
    except jsonstream.SizeLimitError:
        raise RequestEntityTooLarge() from None
    except jsonstream.ValueLimitError as exc:
        fail(413, "over-budget", har_too_dense(exc.limit), "body")
    except (jsonstream.NotUTF8Error, jsonstream.DepthError, jsonstream.JSONStreamError) as exc:
        _refuse_unreadable(exc, spool, source)
    finally:
        spool.close()
    if har is not None and unread:
        har = replace(
            har,
            notes=(
                *har.notes,
                'The rest of the body, after "har", was not read: put any other fields '
                '(settings, messages, calls…) before "har" to use them with a HAR this large.',
            ),
        )
    return fields, har


def _refuse_unreadable(exc: ValueError, spool: _Replayable, source: jsonstream.Source) -> NoReturn:
    if isinstance(exc, jsonstream.NotUTF8Error):
        reason = f"the text is not valid UTF-8 (byte {exc.byte})"
        fail(400, "invalid-json", f"the body is not valid JSON: {reason}", "body")
    if isinstance(exc, jsonstream.DepthError):
        reason = f"the JSON is nested more than {exc.limit} levels deep"
        fail(400, "invalid-json", f"the body is not valid JSON: {reason}", "body")
    assert isinstance(exc, jsonstream.JSONStreamError)
    spool.seek(0)
    if source.position <= 4096 and not spool.read(source.position).strip():
        fail(400, "empty-body", _EMPTY, "body")
    fail(
        400,
        "invalid-json",
        f"the body is not valid JSON: {exc.reason}",
        f"body: {exc.location}" if exc.location else "body",
    )
