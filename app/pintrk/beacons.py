"""Real beacons: decode the requests a site's Pinterest tag sent, and compare them with ours.

Support staff get ``ct.pinterest.com/v3/?event=…&ed=…`` URLs (copied from the
Network tab, or a whole HAR file) from a customer.  :func:`decode_text` and
:func:`decode_har` turn them into :class:`DecodedBeacon` values, and
:func:`compare_beacons` lines them up with the beacons the playground predicts
for a scenario and says, one line each, where they differ.

Parameters are read as core.js writes them: ``ed``, ``pd``, ``ov`` and ``ad``
are JSON (read with JavaScript number semantics), or, in the ``<noscript>``
pixel, bracket style (``pd[em]=…``, ``ed[value]=…``), where every value is
text.  A beacon the tag POSTed carries them in a form body.  The tag's
``/user/`` requests (it fetches its configuration before a beacon) are decoded
too, but only ``/v3/`` beacons are compared.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import IO, Any, Literal
from urllib.parse import SplitResult, urlsplit

from . import jsonstream
from . import limits as budget
from .jsvalue import JSONInputError, js_keys, loads, normalize, stringify, to_js_string, to_well_formed
from .mapping import LDP_KEYS
from .query import parse_query
from .tag import MAX_GET_URL, Request, percent_encode
from .text import shorten

__all__ = [
    "DEFAULT_HOSTS",
    "MAX_HAR_BYTES",
    "BeaconError",
    "HarTooLargeError",
    "DecodedBeacon",
    "BeaconList",
    "BeaconDifference",
    "BeaconComparison",
    "decode_url",
    "decode_text",
    "decode_har",
    "decode_text_within",
    "read_har_events",
    "compare_beacons",
]

DEFAULT_HOSTS: tuple[str, ...] = ("ct.pinterest.com",)
# Browsers export HARs of tens of MB; past this we refuse rather than exhaust memory.
MAX_HAR_BYTES = budget.MAX_HAR_BYTES
# Beacon paths on the tag's host, and what kind of request each is.
_ENDPOINTS = {"/v3/": "v3", "/v3": "v3", "/user/": "user", "/user": "user"}
_KNOWN = ("event", "tid", "ed", "pd", "ov", "ad", "cb", "noscript")
_MAX_DEPTH = 64
_SHA256 = re.compile(r"[0-9a-f]{64}")
_OTHER_DIGEST = re.compile(r"[0-9a-fA-F]{32}|[0-9a-fA-F]{40}")
_TAG_ID = re.compile(r"\d{13}")
_BRACKETS = re.compile(r"([A-Za-z_]\w*)((?:\[[^\[\]]*\])+)$")

Endpoint = Literal["v3", "user"]


class BeaconError(ValueError):
    """Input that can't be read as beacons; ``location`` says where (or is ``None``)."""

    def __init__(self, message: str, location: str | None = None) -> None:
        self.message, self.location = message, location
        super().__init__(f"{location}: {message}" if location else message)


class HarTooLargeError(BeaconError):
    """A HAR over the size limit; ``limit`` is in bytes."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        super().__init__(
            f"the HAR file is larger than {_size(limit)}, the most the playground reads. "
            "Record only the page visit that shows the problem, or copy the ct.pinterest.com "
            "request URLs instead."
        )


@dataclass(frozen=True)
class DecodedBeacon:
    """One request the site's tag really sent, decoded."""

    url: str
    endpoint: Endpoint  # "v3" (events) or "user"
    event: str | None
    tid: str | None
    ed: Any  # event data, parsed; None when absent or unreadable (see problems)
    pd: Mapping[str, Any]  # partner data, parsed ({} when absent)
    cb: str | None  # cache buster (a timestamp): never compared
    noscript: bool
    ov: Any = None  # page()/track() options, parsed; None when absent or unreadable
    ad: Any = None  # automatic data about the page (URL, screen, browser), parsed
    # the names of the parameters sent, in order, each once (ed[…]/pd[…] as "ed"/"pd")
    params_sent: tuple[str, ...] = ()
    other: Mapping[str, str] = field(default_factory=dict)  # every other parameter, as sent
    problems: tuple[str, ...] = ()
    source: str | None = None  # "line 3", "HAR entry 12"
    method: str = "GET"
    # ed/pd written in brackets (the noscript pixel): their values are all text
    bracketed: frozenset[str] = frozenset()

    @property
    def pd_sent(self) -> bool:
        """Whether a ``pd`` parameter was there at all (``pd`` is ``{}`` either way)."""
        return "pd" in self.params_sent

    def to_dict(self) -> dict[str, Any]:
        return {
            "url": self.url,
            "endpoint": self.endpoint,
            "method": self.method,
            "source": self.source,
            "event": self.event,
            "tid": self.tid,
            "ed": self.ed,
            "pd": dict(self.pd),
            "ov": self.ov,
            "ad": self.ad,
            "cb": self.cb,
            "noscript": self.noscript,
            "params_sent": list(self.params_sent),
            "other": dict(self.other),
            "bracketed": sorted(self.bracketed),
            "problems": list(self.problems),
        }


@dataclass(frozen=True)
class BeaconList:
    """Decoded beacons in the order they were sent, and what was skipped (in words).

    ``found`` counts the beacons in the input, decoded or not (``None``: all were decoded);
    ``truncated`` says that part of the input was left out under a cap (the notes say which).
    """

    beacons: tuple[DecodedBeacon, ...]
    notes: tuple[str, ...] = ()
    found: int | None = None
    truncated: bool = False
    entries: int | None = None  # HAR entries read (None: not a HAR)
    read_whole: bool = True  # False: reading stopped before the end of the input (the entries cap)

    @property
    def total(self) -> int:
        """Beacons in the input, decoded or not."""
        return len(self.beacons) if self.found is None else self.found


# -- one URL -------------------------------------------------------------------------


def decode_url(
    url: str,
    *,
    hosts: Iterable[str] = DEFAULT_HOSTS,
    source: str | None = None,
    method: str = "GET",
    body: Sequence[tuple[str, str]] = (),
    extra_problems: Sequence[str] = (),
) -> DecodedBeacon:
    """Decode one beacon URL (scheme optional); ``body`` adds POSTed parameters.

    Raises :class:`BeaconError` when the URL is not a request to the tag's
    host and a beacon path (``/v3/`` or ``/user/``).
    """
    text = url.strip()
    try:
        parts = _split(text)
    except ValueError:  # urlsplit refuses some hosts, e.g. an unclosed "[" (IPv6)
        raise BeaconError(f"{shorten(text, 80)} is not a valid URL; skipped", source) from None
    endpoint = _endpoint(parts, tuple(hosts))
    if endpoint is None:
        raise BeaconError(_not_a_beacon(text, parts, tuple(hosts)), source)
    params = parse_query(parts.query) + list(body)
    problems: list[str] = []
    seen: dict[str, str] = {}
    counts: dict[str, int] = {}
    names: dict[str, None] = {}  # in order, each once
    brackets: dict[str, list[tuple[list[str], str]]] = {"ed": [], "pd": []}
    other: dict[str, str] = {}
    for name, value in params:
        counts[name] = counts.get(name, 0) + 1
        match = _BRACKETS.match(name)
        part = match.group(1) if match and match.group(1) in brackets else None  # ed[…], pd[…]
        names[part or name] = None
        if part is not None and match is not None:
            brackets[part].append((re.findall(r"\[([^\[\]]*)\]", match.group(2)), value))
            continue
        if name in seen or name in other:
            continue  # the first one counts, as for the tag's own reader
        if name in _KNOWN:
            seen[name] = value
        else:
            other[name] = value
    for name, count in counts.items():
        if count > 1 and not _BRACKETS.match(name):
            problems.append(f"{name} appears {count} times; the first one is used")

    event = seen.get("event")
    tid = seen.get("tid")
    bracketed: set[str] = set()
    ed = _json_param("ed", seen, problems)
    pd = _json_param("pd", seen, problems)
    ov = _json_param("ov", seen, problems, objects_only=False)
    ad = _json_param("ad", seen, problems)
    for name in ("ed", "pd"):
        if not brackets[name]:
            continue
        if name in seen:
            problems.append(f"{name} is sent both as JSON and in brackets ({name}[…]); the JSON is used")
            continue
        bracketed.add(name)
        built = _from_brackets(brackets[name], name, problems)
        if not isinstance(built, dict):
            problems.append(f"{name} in brackets is a list ({name}[0]=…), not an object")
            built = None
        if name == "ed":
            ed = built
        else:
            pd = built
    if pd is not None and not isinstance(pd, dict):
        pd = None  # _json_param already said so
    pd = pd or {}

    if endpoint == "v3" and not event:
        problems.append("no event parameter: Pinterest can't tell what happened")
    if not tid:
        problems.append("no tid parameter: Pinterest can't attribute this beacon to a tag")
    elif not _TAG_ID.fullmatch(tid):
        problems.append(f"tid {tid!r} is not 13 digits, as Pinterest Tag IDs are")
    problems.extend(_em_problems(pd.get("em")))
    problems.extend(extra_problems)
    return DecodedBeacon(
        url=text,
        endpoint=endpoint,
        event=event,
        tid=tid,
        ed=ed,
        pd=pd,
        ov=ov,
        ad=ad,
        params_sent=tuple(names),
        cb=seen.get("cb"),
        noscript=seen.get("noscript") not in (None, "", "0", "false"),
        other=normalize(other),  # JS key order ("0", "1" first), as for every value in the core
        problems=tuple(problems),
        source=source,
        method=method,
        bracketed=frozenset(bracketed),
    )


def _split(text: str) -> SplitResult:
    if text.startswith("//"):
        text = "https:" + text
    elif "://" not in text.split("?", 1)[0]:
        text = "https://" + text
    return urlsplit(text)


def _host_matches(parts: SplitResult, hosts: tuple[str, ...]) -> bool:
    """``host`` matches any port; ``host:port`` only that port."""
    hostname = (parts.hostname or "").lower()
    netloc = parts.netloc.rpartition("@")[2].lower()
    for host in hosts:
        host = host.lower()
        with_port = host.count(":") == 1 or (host.startswith("[") and "]:" in host)
        if host == (netloc if with_port else hostname.strip("[]")) or host == netloc:
            return True
    return False


def _endpoint(parts: SplitResult, hosts: tuple[str, ...]) -> Endpoint | None:
    if parts.scheme not in ("http", "https") or not _host_matches(parts, hosts):
        return None
    return _ENDPOINTS.get(parts.path)  # type: ignore[return-value]


def _not_a_beacon(text: str, parts: SplitResult, hosts: tuple[str, ...]) -> str:
    shown = shorten(text, 80)
    if parts.scheme not in ("http", "https"):
        return f"{shown} is not an http(s) URL; skipped"
    if not _host_matches(parts, hosts):
        where = parts.netloc or "no host"
        return f"{shown} is not a request to {' or '.join(hosts)} ({where}); skipped"
    return f"{shown} is not a Pinterest tag beacon (the path should be /v3/ or /user/); skipped"


def _json_param(name: str, seen: Mapping[str, str], problems: list[str], *, objects_only: bool = True) -> Any:
    text = seen.get(name)
    if text is None:
        return None
    try:
        value = loads(text, max_depth=_MAX_DEPTH)
    except JSONInputError as exc:
        problems.append(f"{name} is not valid JSON ({exc})")
        return None
    if objects_only and not isinstance(value, dict):
        problems.append(f"{name} is JSON but not an object ({{…}}): {shorten(text, 40)}")
        return None
    return value


def _from_brackets(pairs: list[tuple[list[str], str]], name: str, problems: list[str]) -> Any:
    """``ed[line_items][0][product_id]=…`` → nested objects; all-index objects become lists."""
    root: dict[str, Any] = {}
    for keys, value in pairs:
        if not keys or any(k == "" for k in keys):
            problems.append(f"{name}[{']['.join(keys)}] has an empty key; skipped")
            continue
        if len(keys) > _MAX_DEPTH:  # the nesting built below is walked recursively (_lists)
            problems.append(
                f"{shorten(f'{name}[' + ']['.join(keys) + ']', 40)} is nested {len(keys):,} levels deep; "
                f"the most read is {_MAX_DEPTH}; skipped"
            )
            continue
        node = root
        for key in keys[:-1]:
            child = node.get(key)
            if not isinstance(child, dict):
                child = node[key] = {}
            node = child
        if keys[-1] not in node:
            node[keys[-1]] = value
    return normalize(_lists(root))  # JS key order, as for every other value in the core


def _lists(node: Any) -> Any:
    if not isinstance(node, dict):
        return node
    items = {k: _lists(v) for k, v in node.items()}
    # ASCII digits of a plausible index only: "²".isdigit() is true, and int() refuses 4,300+ digits
    if (
        items
        and all(k.isascii() and k.isdigit() and len(k) <= 9 for k in items)
        and sorted(map(int, items)) == list(range(len(items)))
    ):
        return [items[str(i)] for i in range(len(items))]
    return items


def _em_problems(em: Any) -> list[str]:
    """What is wrong with ``pd.em``: one hash, or a list of them (the tag hashes a list
    element by element).  An empty or null one is no e-mail, as the tag sends it."""
    problems: list[str] = []
    for value in em if isinstance(em, list) else [em]:
        if value is None or value == "":
            continue
        text = value if isinstance(value, str) else to_js_string(value)
        if _SHA256.fullmatch(text) or _OTHER_DIGEST.fullmatch(text):
            continue
        if "@" in text:
            problem = "pd.em looks like an e-mail address in clear: Pinterest expects it hashed (SHA-256)"
        else:
            problem = "pd.em is not a SHA-256 hash (64 lower-case hex characters)"
        if problem not in problems:
            problems.append(problem)
    return problems


# -- text with URLs -------------------------------------------------------------------

_TOKEN = re.compile(r"\S+")
_OPENING = {'"': '"', "'": "'", "<": ">", "(": ")", "[": "]", "`": "`"}


def decode_text(text: str, *, hosts: Iterable[str] = DEFAULT_HOSTS) -> BeaconList:
    """Every beacon URL in ``text`` (separated by whitespace or new lines), in order.

    Words that are not URLs (a "Request URL:" label, curl options) are ignored;
    URLs to other hosts or paths are skipped with a note.
    """
    hosts = tuple(hosts)
    beacons: list[DecodedBeacon] = []
    notes: list[str] = []
    line, counted = 1, 0
    for match in _TOKEN.finditer(text):
        token = _unwrap(match.group())
        if not _looks_like_url(token, hosts):
            continue
        line += text.count("\n", counted, match.start())
        counted = match.start()
        where = f"line {line}"
        try:
            beacons.append(decode_url(token, hosts=hosts, source=where))
        except BeaconError as exc:
            notes.append(str(exc))
    return BeaconList(tuple(beacons), tuple(notes))


def _unwrap(token: str) -> str:
    """``"(https://…)",`` → ``https://…``: peel quotes and brackets, each with its last closer.

    Positions move instead of the token being sliced each time, and a closer once missing
    stays missing (the window only shrinks), so a run of ``((((…`` costs one pass, not one per ``(``.
    """
    start, end = 0, len(token)
    missing: set[str] = set()
    while start < end and token[start] in _OPENING:
        closing = _OPENING[token[start]]
        start += 1
        if closing in missing:
            continue
        found = token.rfind(closing, start, end)
        if found >= 0:
            end = found
        else:
            missing.add(closing)
    return token[start:end].rstrip(",;")


def _looks_like_url(token: str, hosts: tuple[str, ...]) -> bool:
    lowered = token.lower()
    if "://" in lowered or lowered.startswith("//"):
        return True
    return any(lowered.startswith(host.lower()) for host in hosts)


# -- HAR -------------------------------------------------------------------------------


def decode_har(
    har: bytes | str | IO[bytes] | Mapping[str, Any],
    *,
    hosts: Iterable[str] = DEFAULT_HOSTS,
    max_bytes: int = MAX_HAR_BYTES,
    max_entries: int = budget.MAX_HAR_ENTRIES,
    max_beacons: int = budget.MAX_BEACONS,
) -> BeaconList:
    """The beacons in a HAR file (bytes, text, a binary stream, or the parsed object).

    A file is read entry by entry (a stream of JSON events), never whole: only requests
    to ``hosts`` on a beacon path are kept; the rest of the recording (the site's pages,
    images, scripts) is dropped as it is read.  At most ``max_entries`` entries are read
    and ``max_beacons`` beacons decoded; past either, the notes say what was left out
    (``BeaconList.truncated``).  Entries are put in the order the browser started them.
    """
    if isinstance(har, Mapping):
        return _HarReader(tuple(hosts), max_entries, max_beacons).read(_entries_of(har))
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
        raise BeaconError(har_too_dense(exc.limit)) from None
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
    max_entries: int = budget.MAX_HAR_ENTRIES,
    max_beacons: int = budget.MAX_BEACONS,
) -> BeaconList:
    """The beacons of the HAR whose JSON events are ``stream`` (its first event, ``event``, already
    taken): for a HAR inside a larger document, such as the decode API's body."""
    return _HarReader(tuple(hosts), max_entries, max_beacons).read(_streamed_entries(stream, event))


_NO_LOG = (
    'this is not a HAR file: it has no "log" object. In the browser, open '
    'DevTools → Network, reload the page and use "Export HAR".'
)
_NO_ENTRIES = "this is not a HAR file: log.entries is missing or not a list"
# Notes about skipped entries, one each up to this many; then one line counts the rest.
_MAX_NOTES = 20


def _entries_of(har: Mapping[str, Any]) -> Iterator[Any]:
    log = har.get("log")
    if not isinstance(log, Mapping):
        raise BeaconError(_NO_LOG, "log")
    entries = log.get("entries")
    if not isinstance(entries, list):
        raise BeaconError(_NO_ENTRIES, "log.entries")
    return iter(entries)


class _HarReader:
    """Entries in, beacons out, within the caps on entries, beacons and request bodies."""

    def __init__(self, hosts: tuple[str, ...], max_entries: int, max_beacons: int) -> None:
        self.hosts, self.max_entries, self.max_beacons = hosts, max_entries, max_beacons

    def read(self, entries: Iterator[Any]) -> BeaconList:
        found: list[tuple[Any, int, DecodedBeacon]] = []
        notes: list[str] = []
        skipped = 0  # entries noted as skipped
        more_beacons = 0  # beacon requests past max_beacons, counted but not decoded
        read_all = True
        count = 0  # entries read
        for i, entry in enumerate(entries):
            if i >= self.max_entries:
                read_all = False
                break
            count = i + 1
            note = None
            request = entry.get("request") if isinstance(entry, Mapping) else None
            url = request.get("url") if isinstance(request, Mapping) else None
            if not isinstance(url, str):
                note = f"log.entries[{i}]: no request URL; skipped"
            else:
                try:
                    parts = _split(url)
                except ValueError:
                    note = f"log.entries[{i}]: {shorten(url, 80)} is not a valid URL; skipped"
                else:
                    if _endpoint(parts, self.hosts) is None:
                        continue
                    if len(found) >= self.max_beacons:
                        more_beacons += 1
                        continue
                    if len(url) > budget.MAX_HAR_BODY_BYTES:
                        note = (
                            f"HAR entry {i + 1}: its URL is {len(url):,} characters long, more than a tag "
                            f"ever sends ({budget.MAX_HAR_BODY_BYTES:,}); skipped"
                        )
                    else:
                        assert isinstance(request, Mapping)  # it held the URL
                        found.append((_started(entry), i, self._beacon(i, entry, request, url)))
            if note is not None:
                skipped += 1
                if skipped <= _MAX_NOTES:
                    notes.append(note)
        if skipped > _MAX_NOTES:
            notes.append(f"… and {skipped - _MAX_NOTES:,} more entries skipped for the same reasons.")
        if not read_all:
            notes.insert(
                0,
                f"This HAR has more than {self.max_entries:,} requests; the first {self.max_entries:,} were read. "
                "Record only the page visit that shows the problem to see them all.",
            )
        total = len(found) + more_beacons
        if more_beacons:
            notes.insert(
                0,
                f"This HAR has {total:,} beacons{' or more' if not read_all else ''}; "
                f"the first {len(found):,} were decoded.",
            )
        if all(started is not None for started, _, _ in found):
            found.sort(key=lambda item: (item[0], item[1]))
        return BeaconList(
            tuple(beacon for _, _, beacon in found),
            tuple(notes),
            found=total,
            truncated=bool(more_beacons) or not read_all,
            entries=count,
            read_whole=read_all,
        )

    def _beacon(
        self, i: int, entry: Mapping[str, Any], request: Mapping[str, Any], url: str
    ) -> DecodedBeacon:
        method = request["method"] if isinstance(request.get("method"), str) else "GET"
        body: list[tuple[str, str]] = []
        problems: list[str] = []
        if method.upper() != "GET":
            post = request.get("postData")
            if _body_size(post) > budget.MAX_HAR_BODY_BYTES:
                problems.append(
                    f"the request body is larger than {_size(budget.MAX_HAR_BODY_BYTES)}, more than "
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


# -- HAR read as a stream -----------------------------------------------------------------
#
# Only what decode_har looks at is built from each entry: request.url, .method, .postData
# (text, params), response.status, ._error, ._failureText, _error and startedDateTime.
# Everything else (headers, cookies, response bodies, timings) is skipped event by event.

_ENTRY_KEYS = {"request": "map", "response": "map", "_error": "scalar", "startedDateTime": "scalar"}
_REQUEST_KEYS = {"url": "scalar", "method": "scalar", "postData": "map"}
_RESPONSE_KEYS = {"status": "scalar", "_error": "scalar", "_failureText": "scalar"}
_POST_KEYS = {"text": "scalar", "params": "params"}
_SCALARS = frozenset({"string", "number", "boolean", "null"})


def _streamed_entries(stream: Iterator[tuple[str, Any]], event: str) -> Iterator[Any]:
    """Each entry of the HAR as a small dict (see above); not-a-HAR errors as decode_har's."""
    log = _member(stream, event, "log", "start_map")
    if log is None:
        raise BeaconError(_NO_LOG, "log")
    for event in log:
        entries = _member(stream, event, "entries", "start_array")
        if entries is None:
            raise BeaconError(_NO_ENTRIES, "log.entries")
        for event in entries:
            for event, _ in stream:
                if event == "end_array":
                    break
                if event == "start_map":
                    yield _object(stream, _ENTRY_KEYS)
                else:
                    jsonstream.skip(stream, event)
                    yield None


def _member(stream: Iterator[tuple[str, Any]], event: str, key: str, kind: str) -> Iterator[str] | None:
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


def _then_skip_rest(stream: Iterator[tuple[str, Any]], event: str) -> Iterator[str]:
    yield event  # the caller reads the member's value here
    for event, _ in stream:  # later members (a second "log" or "entries" included) are skipped
        if event == "end_map":
            return
        jsonstream.skip(stream, next(stream)[0])


def _object(stream: Iterator[tuple[str, Any]], wanted: Mapping[str, str]) -> dict[str, Any]:
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


def _params(stream: Iterator[tuple[str, Any]]) -> list[Any]:
    """postData.params: [{"name", "value"}, …], up to the body cap in characters (the rest skipped)."""
    params: list[Any] = []
    size = 0
    for event, _ in stream:
        if event == "end_array":
            return params
        if event == "start_map" and size <= budget.MAX_HAR_BODY_BYTES:
            param = _object(stream, {"name": "scalar", "value": "scalar"})
            size += sum(len(v) for v in param.values() if isinstance(v, str))
            params.append(param)
        else:
            jsonstream.skip(stream, event)
    return params


def decode_text_within(
    text: str, *, hosts: Iterable[str] = DEFAULT_HOSTS, max_beacons: int = budget.MAX_BEACONS
) -> BeaconList:
    """:func:`decode_text` of at most ``max_beacons`` beacons: the text is cut after the line
    holding its ``max_beacons``-th URL-like word (line numbers stay right), and the notes say so."""
    hosts = tuple(hosts)
    lowered_hosts = tuple(host.lower() for host in hosts)
    count, cut = 0, len(text)
    for match in _TOKEN.finditer(text):
        word = match.group().lower()
        # as generous as decode_text's own test (after unwrapping), so no beacon is missed
        if "//" in word or any(host in word for host in lowered_hosts):
            count += 1
            if count > max_beacons:
                cut = text.rfind("\n", 0, match.start()) + 1 or match.start()
                break
    found = decode_text(text[:cut], hosts=hosts)
    if cut == len(text) and len(found.beacons) <= max_beacons:
        return found
    beacons = found.beacons[:max_beacons]
    note = (
        f"The text has more than {max_beacons:,} beacon URLs; the first {len(beacons):,} were decoded. "
        "Paste fewer at a time to see the rest."
    )
    return BeaconList(beacons, (note, *found.notes), found=None, truncated=True)


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
            body = loads(text, max_depth=_MAX_DEPTH)
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


# -- comparison ------------------------------------------------------------------------

DifferenceKind = Literal["missing-beacon", "extra-beacon", "event", "tid", "method", "ed", "pd", "ov"]


@dataclass(frozen=True)
class BeaconDifference:
    kind: DifferenceKind
    text: str  # one line, plain words
    predicted: int | None = None  # index into the predicted beacons
    sent: int | None = None  # index into the sent beacons
    field: str | None = None  # "event", "tid", "ed.value", "pd.em", "ed.line_items[0].product_id"

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "text": self.text,
            "predicted": self.predicted,
            "sent": self.sent,
            "field": self.field,
        }


@dataclass(frozen=True)
class BeaconComparison:
    """Predicted and sent beacons lined up, and the differences in order."""

    pairs: tuple[tuple[int | None, int | None], ...]  # (predicted index, sent index)
    differences: tuple[BeaconDifference, ...]
    ignored: tuple[int, ...] = ()  # sent requests not compared (the tag's /user/ requests)

    @property
    def agrees(self) -> bool:
        return not self.differences

    def to_dict(self) -> dict[str, Any]:
        return {
            "agrees": self.agrees,
            "pairs": [{"predicted": p, "sent": s} for p, s in self.pairs],
            "differences": [d.to_dict() for d in self.differences],
            "ignored": list(self.ignored),
        }


# How far from the GET limit a prediction must be for its method to count, in URL characters:
# the simulated ad and cb (when the site's are unknown) and encoders that escape more or
# fewer characters move the length.
_METHOD_MARGIN = 400
# Keys only the current SDK (profile sdk-v3) adds, in ed and in pd.
_SDK_V3_KEYS = {"ed": {"event_id"}, "pd": {"event_id", *LDP_KEYS}, "ov": set()}


def compare_beacons(predicted: Sequence[Request], sent: Sequence[DecodedBeacon]) -> BeaconComparison:
    """Line up predicted and sent beacons (``/v3/``) in order and explain each difference.

    ``predicted`` may hold every request of a replay: only its beacons are compared, and
    the differences' ``predicted`` indices count beacons only.  Compared: the event (its
    case too; an absent ``event`` parameter is not an empty one), tid, method, ed, pd
    (absent is not ``{}``) and ov.  Not compared: ``cb``, ``ad``, ``dep`` and ``stc`` (they
    depend on the browser and the clock) and the tag's ``/user/`` requests, which only
    fetch its configuration; those are listed in ``ignored``.
    """
    predicted = [b for b in predicted if b.is_beacon]
    events = [i for i, b in enumerate(sent) if b.endpoint == "v3"]
    ignored = tuple(i for i, b in enumerate(sent) if b.endpoint != "v3")
    # Paired by event name whatever its case: a name sent in another case is one beacon
    # with an event difference, not a missing and an extra one.
    keys_p = [_pairing_key(b.event) for b in predicted]
    keys_s = [_pairing_key(sent[i].event) for i in events]
    # autojunk: in long, repetitive lists (10,000 checkouts) the most frequent events are
    # not used as anchors, which keeps this fast; those stretches are paired in order.
    matcher = difflib.SequenceMatcher(None, keys_p, keys_s, autojunk=True)
    pairs: list[tuple[int | None, int | None]] = []
    for tag, p1, p2, s1, s2 in matcher.get_opcodes():
        common = min(p2 - p1, s2 - s1) if tag == "replace" else (p2 - p1 if tag == "equal" else 0)
        for k in range(common):
            pairs.append((p1 + k, events[s1 + k]))
        pairs.extend((p, None) for p in range(p1 + common, p2))
        pairs.extend((None, events[s]) for s in range(s1 + common, s2))
    context = _Context(predicted, sent, events)
    differences: list[BeaconDifference] = []
    for p, s in pairs:
        if s is None:
            differences.append(context.missing(p))  # type: ignore[arg-type]
        elif p is None:
            differences.append(context.extra(s))
        else:
            differences.extend(context.fields(p, s))
    return BeaconComparison(tuple(pairs), tuple(differences), ignored)


def _pairing_key(event: str | None) -> str | None:
    return None if event is None else to_well_formed(event).lower()


@dataclass(frozen=True)
class _Wire:
    """A predicted beacon as its URL carries it: JSON.stringify drops undefined values,
    the URL encoder turns lone surrogates into U+FFFD, and so on."""

    event: str | None
    tid: str
    method: str
    ed: Any
    pd: dict[str, Any]
    pd_sent: bool
    ov: Any

    @classmethod
    def of(cls, beacon: Request) -> _Wire:
        return cls(
            event=None if beacon.event is None else to_well_formed(beacon.event),
            tid=to_well_formed(beacon.tid),
            method=beacon.method,
            ed=None if beacon.ed_json is None else loads(beacon.ed_json),
            pd=loads(beacon.pd_json) if beacon.pd_json is not None else {},
            pd_sent=beacon.pd_json is not None,
            ov=None if beacon.ov_json is None else loads(beacon.ov_json),
        )


class _Context:
    """What the explanations need to know about both lists."""

    def __init__(
        self, predicted: Sequence[Request], sent: Sequence[DecodedBeacon], events: Sequence[int]
    ) -> None:
        self.predicted, self.sent = predicted, sent
        # Only the beacons count here: the /user/ request before each carries the same event and pd.
        sent_em = [i for i in events if sent[i].pd.get("em") is not None]
        predicted_em = [i for i, b in enumerate(predicted) if b.pd and b.pd.get("em") is not None]
        # Where e-mails first and last appear is all the em explanations need.
        self.sent_em_first = sent_em[0] if sent_em else None
        self.sent_em_last = sent_em[-1] if sent_em else None
        self.predicted_em_last = predicted_em[-1] if predicted_em else None
        self.predicted_labels = _labels([b.event for b in predicted])
        self.sent_labels = dict(zip(events, _labels([sent[i].event for i in events]), strict=True))

    def label(self, p: int | None, s: int | None) -> str:
        """``Checkout``, or ``Checkout (the 2nd)`` when the event comes more than once."""
        return self.predicted_labels[p] if p is not None else self.sent_labels[s]  # type: ignore[index]

    def missing(self, p: int) -> BeaconDifference:
        return BeaconDifference(
            "missing-beacon",
            f"missing beacon '{self.label(p, None)}': the scenario predicts it, but the site didn't "
            "send it (not called there, blocked, or sent before the recording started)",
            predicted=p,
            field="event",
        )

    def extra(self, s: int) -> BeaconDifference:
        beacon = self.sent[s]
        label = self.label(None, s)
        if beacon.noscript:
            why = "it is the <noscript> pixel, which only fires without JavaScript"
        else:
            why = "the playground's scenario doesn't have it"
        return BeaconDifference("extra-beacon", f"extra beacon '{label}': {why}", sent=s, field="event")

    def fields(self, p: int, s: int) -> list[BeaconDifference]:
        ours, theirs = _Wire.of(self.predicted[p]), self.sent[s]
        label = self.label(p, s)
        out: list[BeaconDifference] = []
        if theirs.event != ours.event:
            if (
                theirs.event is not None
                and ours.event is not None
                and theirs.event.lower() == ours.event.lower()
            ):
                why = (
                    "only the case differs: the tag sends the name exactly as the site wrote it, "
                    "so check the spelling in the event mapping or in the site's track call"
                )
            else:
                why = "check the event mapping and the event name the site tracks"
            out.append(
                BeaconDifference(
                    "event",
                    f"event differs: predicted {_event_text(ours.event)}, sent {_event_text(theirs.event)} ({why})",
                    p,
                    s,
                    "event",
                )
            )
        if theirs.tid != ours.tid:
            out.append(
                BeaconDifference(
                    "tid",
                    f"tid differs on {label}: predicted {ours.tid}, sent {theirs.tid}: the site uses another Tag ID"
                    if theirs.tid is not None
                    else f"tid missing on {label}: predicted {ours.tid}, none sent",
                    p,
                    s,
                    "tid",
                )
            )
        if theirs.method != ours.method and not theirs.noscript and self._method_is_certain(p, s):
            out.append(
                BeaconDifference(
                    "method",
                    f"{label} was sent by {theirs.method}, predicted {ours.method}: the tag POSTs a beacon "
                    f"whose URL would reach {MAX_GET_URL:,} characters, so the data sent differs in size",
                    p,
                    s,
                    "method",
                )
            )
        out.extend(self._optional("ed", ours.ed, theirs.ed, label, p, s))
        out.extend(self._partner(ours, p, s, label))
        out.extend(self._optional("ov", ours.ov, theirs.ov, label, p, s))
        return out

    def _method_is_certain(self, p: int, s: int) -> bool:
        """GET or POST turns on the full URL's length, which includes ``ad`` and ``cb``.  The
        playground simulates them, so the site's own take their place where it sent them; the
        method then counts only for a prediction well away from the limit."""
        return abs(_url_length(self.predicted[p], self.sent[s]) - MAX_GET_URL) > _METHOD_MARGIN

    def _optional(
        self, part: str, ours: Any, theirs: Any, label: str, p: int, s: int
    ) -> list[BeaconDifference]:
        kind: DifferenceKind = "ed" if part == "ed" else "ov"
        # ov: the options of the site's page() or track() call
        hint = " (options passed to page() or track())" if part == "ov" else ""
        if ours is None and theirs is not None:
            return [BeaconDifference(kind, f"{part} sent on {label} but not predicted{hint}", p, s, part)]
        if ours is not None and theirs is None:
            why = "it could not be read" if part in self.sent[s].params_sent else "none was sent"
            return [BeaconDifference(kind, f"{part} missing on {label}: {why}{hint}", p, s, part)]
        if ours is None:
            return []
        return self._values(part, ours, theirs, label, p, s, part in self.sent[s].bracketed)

    def _partner(self, predicted: _Wire, p: int, s: int, label: str) -> list[BeaconDifference]:
        ours, theirs = dict(predicted.pd), dict(self.sent[s].pd)
        loose = "pd" in self.sent[s].bracketed
        out: list[BeaconDifference] = []
        if predicted.pd_sent != self.sent[s].pd_sent and not ours and not theirs:
            # An absent pd is not an empty one; with keys on one side, the keys say it all.
            if predicted.pd_sent:
                text = (
                    f"pd missing on {label}: predicted {{}}, none sent (on the site, neither load() "
                    "nor set() received an object before this event)"
                )
            else:
                text = (
                    f"pd sent on {label} but not predicted: {{}} (the tag sends pd once load() or set() "
                    "has received an object, even an empty one)"
                )
            return [BeaconDifference("pd", text, p, s, "pd")]
        em_ours, em_theirs = ours.pop("em", None), theirs.pop("em", None)
        if em_ours is not None and em_theirs is None:
            if self.sent_em_last is not None and self.sent_em_last > s:
                why = "the identify came after this event"
            elif self.sent_em_first is not None and self.sent_em_first < s:
                why = "the site had the e-mail earlier but lost it (a new page load?)"
            else:
                why = (
                    "the site never sent an e-mail (no identify with an email, and no enhanced match at load)"
                )
            out.append(BeaconDifference("pd", f"em missing on {label}: {why}", p, s, "pd.em"))
        elif em_ours is None and em_theirs is not None:
            if self.predicted_em_last is not None and self.predicted_em_last > p:
                why = "on the site the identify came before this event; in the scenario it comes later"
            else:
                why = (
                    "the scenario has no e-mail at this point: add an identify with the email, "
                    "or initial traits with an email and enhanced match"
                )
            out.append(BeaconDifference("pd", f"em sent on {label} but not predicted: {why}", p, s, "pd.em"))
        elif em_ours is not None and stringify(em_theirs) != stringify(em_ours):
            out.append(
                BeaconDifference(
                    "pd",
                    f"em differs on {label}: the site sent the hash of another e-mail, or hashed it "
                    "differently (the tag trims and lower-cases it, then SHA-256)",
                    p,
                    s,
                    "pd.em",
                )
            )
        out.extend(self._values("pd", ours, theirs, label, p, s, loose))
        return out

    def _values(
        self, part: str, ours: Any, theirs: Any, label: str, p: int, s: int, loose: bool
    ) -> list[BeaconDifference]:
        out: list[BeaconDifference] = []
        kind: DifferenceKind = part  # type: ignore[assignment]
        for path, a, b in _walk(ours, theirs, loose):
            name = path or part
            where = f"{part}.{path}" if path else part
            if b is _ABSENT:
                text = f"{name} missing on {label}: predicted {_show(a)}, not sent"
            elif a is _ABSENT:
                text = f"{name} sent on {label} but not predicted: {_show(b)}"
                if path in _SDK_V3_KEYS[part]:
                    text += " (the current SDK, profile sdk-v3, adds it)"
            elif isinstance(a, list) and isinstance(b, list):
                text = f"{name} differs on {label}: predicted {len(a)} items, sent {len(b)}"
            else:
                text = f"{name} differs on {label}: predicted {_show(a)}, sent {_show(b, a)}"
            out.append(BeaconDifference(kind, text, p, s, where))
        return out


def _labels(events: list[str | None]) -> list[str]:
    totals: dict[str | None, int] = {}
    for event in events:
        totals[event] = totals.get(event, 0) + 1
    seen: dict[str | None, int] = {}
    labels = []
    for event in events:
        seen[event] = seen.get(event, 0) + 1
        name = event or "(no event)"
        labels.append(f"{name} (the {_ordinal(seen[event])})" if totals[event] > 1 else name)
    return labels


def _event_text(event: str | None) -> str:
    return "no event parameter" if event is None else f"'{event}'"


def _url_length(beacon: Request, sent: DecodedBeacon) -> int:
    """The predicted beacon's GET URL length with the site's own ``ad`` and ``cb`` in it."""
    length = len(beacon.url)
    if sent.ad is not None and beacon.ad_json is not None:
        length += len(percent_encode(stringify(sent.ad) or "")) - len(percent_encode(beacon.ad_json))
    if sent.cb is not None:
        length += len(percent_encode(sent.cb)) - len(percent_encode(str(beacon.cb)))
    return length


class _Absent:
    def __repr__(self) -> str:
        return "(absent)"


_ABSENT = _Absent()


def _walk(a: Any, b: Any, loose: bool, path: str = "") -> Iterable[tuple[str, Any, Any]]:
    """(path, predicted, sent) for every leaf that differs; key order is not compared."""
    if isinstance(a, dict) and isinstance(b, dict):
        for key in js_keys(a):
            sub = f"{path}.{key}" if path else key
            if key in b:
                yield from _walk(a[key], b[key], loose, sub)
            else:
                yield sub, a[key], _ABSENT
        for key in js_keys(b):
            if key not in a:
                yield (f"{path}.{key}" if path else key), _ABSENT, b[key]
        return
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            yield path, a, b
        for i, (x, y) in enumerate(zip(a, b, strict=False)):  # the length difference is reported above
            yield from _walk(x, y, loose, f"{path}[{i}]")
        return
    if loose and isinstance(b, str) and not isinstance(a, (dict, list)):
        # Bracket-style values are all text: compare the text JavaScript would write.
        if to_js_string(a) != b:
            yield path, a, b
        return
    if _kind(a) != _kind(b) or stringify(a) != stringify(b):
        yield path, a, b


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def _show(value: Any, other: Any = _ABSENT) -> str:
    """A value as JSON, shortened, with its kind when the other side's kind differs."""
    text = shorten(stringify(value) or "undefined", 60)
    if other is not _ABSENT and _kind(value) != _kind(other) and value is not None:
        text += f" ({_kind(value)})"
    return text


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _size(limit: int) -> str:
    if limit >= 1024 * 1024 and limit % (1024 * 1024) == 0:
        return f"{limit // (1024 * 1024)} MB"
    if limit >= 1024 and limit % 1024 == 0:
        return f"{limit // 1024} KB"
    return f"{limit:,} bytes"
