"""A HAR's entries, one at a time: from the parsed object, or from its JSON read as a stream.

Read as a stream, only what the HAR reader looks at is built from each entry: request.url,
.method, .postData (text, params), response.status, ._error, ._failureText, _error and
startedDateTime.  Everything else (headers, cookies, response bodies, timings) is skipped
event by event, so a 50 MB recording costs one chunk of input, not its objects.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from .. import jsonstream, limits
from ..errors import Location
from .beacon import BeaconError

__all__ = ["entries_of", "streamed_entries"]

_NO_LOG = (
    'this is not a HAR file: it has no "log" object. In the browser, open '
    'DevTools → Network, reload the page and use "Export HAR".'
)
_NO_ENTRIES = "this is not a HAR file: log.entries is missing or not a list"

_ENTRY_KEYS = {"request": "map", "response": "map", "_error": "scalar", "startedDateTime": "scalar"}
_REQUEST_KEYS = {"url": "scalar", "method": "scalar", "postData": "map"}
_RESPONSE_KEYS = {"status": "scalar", "_error": "scalar", "_failureText": "scalar"}
_POST_KEYS = {"text": "scalar", "params": "params"}
_SCALARS = frozenset({"string", "number", "boolean", "null"})

Events = Iterator[tuple[str, Any]]


def entries_of(har: Mapping[str, Any]) -> Iterator[Any]:
    """The entries of a parsed HAR; :class:`BeaconError` when it is not one."""
    log = har.get("log")
    if not isinstance(log, Mapping):
        raise BeaconError(_NO_LOG, Location("log"))
    entries = log.get("entries")
    if not isinstance(entries, list):
        raise BeaconError(_NO_ENTRIES, Location("log.entries"))
    return iter(entries)


def streamed_entries(stream: Events, event: str) -> Iterator[Any]:
    """Each entry of the HAR whose JSON events are ``stream`` (its first, ``event``, taken) as a
    small dict (see above), or ``None`` when it is not an object; not-a-HAR errors as entries_of's."""
    log = _member(stream, event, "log", "start_map")
    if log is None:
        raise BeaconError(_NO_LOG, Location("log"))
    for event in log:
        entries = _member(stream, event, "entries", "start_array")
        if entries is None:
            raise BeaconError(_NO_ENTRIES, Location("log.entries"))
        for event in entries:
            for event, _ in stream:
                if event == "end_array":
                    break
                if event == "start_map":
                    yield _object(stream, _ENTRY_KEYS)
                else:
                    jsonstream.skip(stream, event)
                    yield None


def _member(stream: Events, event: str, key: str, kind: str) -> Iterator[str] | None:
    """In the object that began with ``event``, its first ``key`` when it is a ``kind``: an iterator
    that yields that value's first event once (read it, then the rest of the object is skipped);
    ``None`` when the object is not one, or has no such member."""
    if event != "start_map":
        jsonstream.skip(stream, event)
        return None
    for event, name in stream:
        if event == "end_map":
            return None
        event, _ = next(stream)
        if name != key:
            jsonstream.skip(stream, event)
            continue
        if event != kind:
            jsonstream.skip(stream, event)
            return None
        return _then_skip_rest(stream, event)
    return None


def _then_skip_rest(stream: Events, event: str) -> Iterator[str]:
    yield event  # the caller reads the member's value here
    for event, _ in stream:  # later members (a second "log" or "entries" included) are skipped
        if event == "end_map":
            return
        jsonstream.skip(stream, next(stream)[0])


def _object(stream: Events, wanted: Mapping[str, str]) -> dict[str, Any]:
    """The ``wanted`` keys of the object being read (its start_map taken), the rest skipped."""
    out: dict[str, Any] = {}
    for event, key in stream:
        if event == "end_map":
            return out
        event, value = next(stream)
        kind = wanted.get(key)
        if kind == "scalar" and event in _SCALARS:
            out[key] = jsonstream.scalar(value)
        elif kind == "map" and event == "start_map":
            out[key] = _object(
                stream,
                _REQUEST_KEYS if key == "request" else _RESPONSE_KEYS if key == "response" else _POST_KEYS,
            )
        elif kind == "params" and event == "start_array":
            out[key] = _params(stream)
        else:
            jsonstream.skip(stream, event)
    return out


def _params(stream: Events) -> list[Any]:
    """postData.params: [{"name", "value"}, …], up to the body cap in characters (the rest skipped)."""
    params: list[Any] = []
    size = 0
    for event, _ in stream:
        if event == "end_array":
            return params
        if event == "start_map" and size <= limits.MAX_HAR_BODY_BYTES:
            param = _object(stream, {"name": "scalar", "value": "scalar"})
            size += sum(len(v) for v in param.values() if isinstance(v, str))
            params.append(param)
        else:
            jsonstream.skip(stream, event)
    return params
