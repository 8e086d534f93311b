"""A HAR file (the browser's recording of a page visit) → the beacons in it, in the order sent.

A file is read entry by entry as a stream of JSON events (:mod:`..jsonstream`), never whole;
every cap (bytes, values, entries, beacons, request bodies) is applied as it is read.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import IO, Any

from .. import jsonstream, limits
from ..errors import item_path
from ..jsvalue import JSONInputError, js_keys, loads, stringify
from ..query import parse_query
from ..text import shorten
from .beacon import DEFAULT_HOSTS, BeaconError, BeaconList, DecodedBeacon
from .har_entries import entries_of, streamed_entries
from .url import beacon_endpoint, decode_url, split_url

__all__ = ["MAX_HAR_BYTES", "HarTooLargeError", "decode_har", "har_too_dense", "read_har_events"]

# Browsers export HARs of tens of MB; past this we refuse rather than exhaust memory.
MAX_HAR_BYTES = limits.MAX_HAR_BYTES
# Notes about skipped entries, one each up to this many; then one line counts the rest.


class HarTooLargeError(BeaconError):
    """A HAR over the size limit; ``limit`` is in bytes."""

    code = "too-large"

    def __init__(self, limit: int) -> None:
        self.limit = limit
        super().__init__(
            f"the HAR file is larger than {limits.size_text(limit)}, the most the playground reads. "
            "Record only the page visit that shows the problem, or copy the ct.pinterest.com "
            "request URLs instead."
        )


def decode_har(
    har: bytes | str | IO[bytes] | Mapping[str, Any],
    *,
    hosts: Iterable[str] = DEFAULT_HOSTS,
    max_bytes: int = MAX_HAR_BYTES,
    max_entries: int = limits.MAX_HAR_ENTRIES,
    max_beacons: int = limits.MAX_BEACONS,
) -> BeaconList:
    """The beacons in a HAR file (bytes, text, a binary stream, or the parsed object).

    Only requests to ``hosts`` on a beacon path are kept; the rest of the recording (the
    site's pages, images, scripts) is dropped as it is read.  At most ``max_entries``
    entries are read and ``max_beacons`` beacons decoded; past either, the notes say what
    was left out (``BeaconList.truncated``).  Entries are put in the order the browser
    started them.
    """
    if isinstance(har, Mapping):
        return _HarReader(tuple(hosts), max_entries, max_beacons).read(entries_of(har))
    try:
        source = jsonstream.Source.of(har, max_bytes)
        stream = jsonstream.events(source)
        with jsonstream.located(source):
            found = read_har_events(
                stream,
                next(stream, ("end", None))[0],
                hosts=hosts,
                max_entries=max_entries,
                max_beacons=max_beacons,
            )
            if found.read_whole:
                for _ in stream:  # the rest must be valid JSON too (a file cut short is refused)
                    pass
        return found
    except jsonstream.SizeLimitError:
        raise HarTooLargeError(max_bytes) from None
    except jsonstream.ValueLimitError as exc:
        raise BeaconError(har_too_dense(exc.limit), code=exc.code) from None
    except jsonstream.NotUTF8Error as exc:
        raise BeaconError(f"the HAR file is not UTF-8 text (byte {exc.byte})") from None
    except jsonstream.JSONStreamError as exc:
        raise BeaconError(f"the HAR file is not valid JSON: {exc.reason}", exc.location) from None


def har_too_dense(limit: int) -> str:
    return (
        f"the HAR file holds more than {limit:,} values (lists, objects and their items), more than the "
        "playground reads in one file. Record only the page visit that shows the problem, or save the "
        'recording without response bodies (DevTools: "Export HAR (sanitized)" or a filter on ct.pinterest.com)'
    )


def read_har_events(
    stream: Iterator[tuple[str, Any]],
    event: str,
    *,
    hosts: Iterable[str] = DEFAULT_HOSTS,
    max_entries: int = limits.MAX_HAR_ENTRIES,
    max_beacons: int = limits.MAX_BEACONS,
) -> BeaconList:
    """The beacons of the HAR whose JSON events are ``stream`` (its first event, ``event``, already
    taken): for a HAR inside a larger document, such as the decode API's body."""
    return _HarReader(tuple(hosts), max_entries, max_beacons).read(streamed_entries(stream, event))


@dataclass
class _Reading:
    """What reading the entries has found so far."""

    found: list[tuple[Any, int, DecodedBeacon]] = field(default_factory=list)  # (started, entry, beacon)
    notes: list[str] = field(default_factory=list)
    skipped: int = 0  # entries noted as skipped
    more_beacons: int = 0  # beacon requests past max_beacons, counted but not decoded
    entries: int = 0  # entries read
    read_all: bool = True

    def skip(self, note: str) -> None:
        self.skipped += 1
        if self.skipped <= limits.MAX_HAR_NOTES:
            self.notes.append(note)

    def result(self, max_entries: int) -> BeaconList:
        notes = list(self.notes)
        if self.skipped > limits.MAX_HAR_NOTES:
            notes.append(
                f"… and {self.skipped - limits.MAX_HAR_NOTES:,} more entries skipped for the same reasons."
            )
        if not self.read_all:
            notes.insert(
                0,
                f"This HAR has more than {max_entries:,} requests; the first {max_entries:,} were read. "
                "Record only the page visit that shows the problem to see them all.",
            )
        total = len(self.found) + self.more_beacons
        if self.more_beacons:
            notes.insert(
                0,
                f"This HAR has {total:,} beacons{' or more' if not self.read_all else ''}; "
                f"the first {len(self.found):,} were decoded.",
            )
        found = self.found
        if all(started is not None for started, _, _ in found):
            found = sorted(found, key=lambda item: (item[0], item[1]))
        return BeaconList(
            tuple(beacon for _, _, beacon in found),
            tuple(notes),
            found=total,
            truncated=bool(self.more_beacons) or not self.read_all,
            entries=self.entries,
            read_whole=self.read_all,
        )


class _HarReader:
    """Entries in, beacons out, within the caps on entries, beacons and request bodies."""

    def __init__(self, hosts: tuple[str, ...], max_entries: int, max_beacons: int) -> None:
        self.hosts, self.max_entries, self.max_beacons = hosts, max_entries, max_beacons

    def read(self, entries: Iterator[Any]) -> BeaconList:
        reading = _Reading()
        for i, entry in enumerate(entries):
            if i >= self.max_entries:
                reading.read_all = False
                break
            reading.entries = i + 1
            self._entry(reading, i, entry)
        return reading.result(self.max_entries)

    def _entry(self, reading: _Reading, i: int, entry: Any) -> None:
        request = entry.get("request") if isinstance(entry, Mapping) else None
        url = request.get("url") if isinstance(request, Mapping) else None
        if not isinstance(url, str):
            reading.skip(f"{item_path('log.entries', i)}: no request URL; skipped")
            return
        try:
            parts = split_url(url)
        except ValueError:
            reading.skip(f"{item_path('log.entries', i)}: {shorten(url, 80)} is not a valid URL; skipped")
            return
        if beacon_endpoint(parts, self.hosts) is None:
            return
        if len(reading.found) >= self.max_beacons:
            reading.more_beacons += 1
        elif len(url) > limits.MAX_HAR_BODY_BYTES:
            reading.skip(
                f"HAR entry {i + 1}: its URL is {len(url):,} characters long, more than a tag "
                f"ever sends ({limits.MAX_HAR_BODY_BYTES:,}); skipped"
            )
        else:
            assert isinstance(request, Mapping)  # it held the URL
            reading.found.append((_started(entry), i, self._beacon(i, entry, request, url)))

    def _beacon(
        self, i: int, entry: Mapping[str, Any], request: Mapping[str, Any], url: str
    ) -> DecodedBeacon:
        method = request["method"] if isinstance(request.get("method"), str) else "GET"
        body: list[tuple[str, str]] = []
        problems: list[str] = []
        if method.upper() != "GET":
            post = request.get("postData")
            if _body_size(post) > limits.MAX_HAR_BODY_BYTES:
                problems.append(
                    f"the request body is larger than {limits.size_text(limits.MAX_HAR_BODY_BYTES)}, more than "
                    "a tag ever sends; it was not read"
                )
            else:
                body = _post_params(post)
        return decode_url(
            url,
            hosts=self.hosts,
            source=f"HAR entry {i + 1}",
            method=method.upper(),
            body=body,
            extra_problems=_response_problems(entry) + problems,
        )


def _body_size(post: Any) -> int:
    if not isinstance(post, Mapping):
        return 0
    text = post.get("text")
    size = len(text) if isinstance(text, str) else 0
    params = post.get("params")
    if isinstance(params, list):
        size += sum(
            len(p.get("name") or "") + len(p.get("value") or "") if isinstance(p, Mapping) else 0
            for p in params
        )
    return size


def _post_params(post: Any) -> list[tuple[str, str]]:
    """Parameters POSTed as a form (``a=1&b=2``) or as a JSON object.

    The body as sent (``postData.text``) is read when the HAR has it: the ``params`` list
    is only a fallback, because HAR writers disagree on it: Chrome's DevTools list the
    values still percent-encoded, Playwright decoded (and leaves the text empty when it
    records without content).
    """
    if not isinstance(post, Mapping):
        return []
    text = post.get("text")
    if not isinstance(text, str) or not text.strip():
        params = post.get("params")
        if not isinstance(params, list):
            return []
        return [
            (str(p["name"]), str(p["value"]) if isinstance(p.get("value"), str) else "")
            for p in params
            if isinstance(p, Mapping) and isinstance(p.get("name"), str)
        ]
    if text.lstrip().startswith("{"):
        try:
            body = loads(text, max_depth=limits.MAX_BEACON_NESTING)
        except JSONInputError:
            return []
        if isinstance(body, dict):
            return [
                (key, body[key] if isinstance(body[key], str) else stringify(body[key]) or "")
                for key in js_keys(body)
            ]
        return []
    return parse_query(text.strip())


def _response_problems(entry: Mapping[str, Any]) -> list[str]:
    response = entry.get("response")
    response = response if isinstance(response, Mapping) else {}
    error = next(
        (
            value
            for value in (entry.get("_error"), response.get("_error"), response.get("_failureText"))
            if isinstance(value, str) and value
        ),
        None,
    )
    status = response.get("status")
    if error:
        return [f"the request failed ({error}): an ad blocker or a privacy setting may have stopped it"]
    if isinstance(status, int) and not isinstance(status, bool):
        if status <= 0:
            return [
                "the request got no answer (status 0): an ad blocker or a privacy setting may have stopped it"
            ]
        if status >= 400:
            return [f"Pinterest answered with HTTP status {status}"]
    return []


def _started(entry: Any) -> datetime | None:
    started = entry.get("startedDateTime") if isinstance(entry, Mapping) else None
    if not isinstance(started, str):
        return None
    try:
        moment = datetime.fromisoformat(started.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None
