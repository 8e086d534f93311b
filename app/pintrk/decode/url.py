"""One beacon URL → a :class:`DecodedBeacon`: its endpoint, its parameters (JSON or bracket names)
and what is wrong with them, in plain words."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import SplitResult, urlsplit

from ..errors import Location
from ..jsvalue import JSONInputError, loads, normalize, to_js_string
from ..limits import MAX_BEACON_NESTING
from ..query import parse_query
from ..text import shorten
from .beacon import DEFAULT_HOSTS, BeaconError, DecodedBeacon, Endpoint

__all__ = ["beacon_endpoint", "decode_url", "split_url"]

# Beacon paths on the tag's host, and what kind of request each is.
_ENDPOINTS: dict[str, Endpoint] = {"/v3/": "v3", "/v3": "v3", "/user/": "user", "/user": "user"}
_KNOWN = ("event", "tid", "ed", "pd", "ov", "ad", "cb", "noscript")
# The deepest nesting read in a JSON parameter or a bracket name (the brackets are walked recursively).
_SHA256 = re.compile(r"[0-9a-f]{64}")
_OTHER_DIGEST = re.compile(r"[0-9a-fA-F]{32}|[0-9a-fA-F]{40}")
_TAG_ID = re.compile(r"\d{13}")
_BRACKETS = re.compile(r"([A-Za-z_]\w*)((?:\[[^\[\]]*\])+)$")
_BRACKET_KEY = re.compile(r"\[([^\[\]]*)\]")


def decode_url(
    url: str,
    *,
    hosts: Iterable[str] = DEFAULT_HOSTS,
    source: str | Location | None = None,
    method: str = "GET",
    body: Sequence[tuple[str, str]] = (),
    extra_problems: Sequence[str] = (),
) -> DecodedBeacon:
    """Decode one beacon URL (scheme optional); ``body`` adds POSTed parameters.

    ``source`` says where the URL came from (``line 3``, ``urls[2]``, ``HAR entry 12``).
    Raises :class:`BeaconError` when the URL is not a request to the tag's host and a
    beacon path (``/v3/`` or ``/user/``).
    """
    text = url.strip()
    hosts = tuple(hosts)
    location = Location(source) if isinstance(source, str) else source
    endpoint, parts = _beacon_parts(text, hosts, location)
    query = _Query.read([*parse_query(parts.query), *body])
    known, problems = query.known, query.problems
    ed = _json_param("ed", known, problems)
    pd = _json_param("pd", known, problems)
    ov = _json_param("ov", known, problems, objects_only=False)
    ad = _json_param("ad", known, problems)
    bracketed = _bracketed_params(query)
    ed, pd = bracketed.get("ed", ed), bracketed.get("pd", pd)
    pd = pd if isinstance(pd, dict) else {}  # _json_param has said why when it was something else
    event, tid = known.get("event"), known.get("tid")
    problems.extend(_tag_problems(endpoint, event, tid, pd))
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
        params_sent=tuple(query.names),
        cb=known.get("cb"),
        noscript=known.get("noscript") not in (None, "", "0", "false"),
        other=normalize(query.other),  # JS key order ("0", "1" first), as for every value in the core
        problems=tuple(problems),
        source=str(location) if location is not None else None,
        method=method,
        bracketed=frozenset(bracketed),
    )


def split_url(text: str) -> SplitResult:
    """``text`` split as a URL, ``https:`` assumed when it has no scheme.  Raises ValueError
    for what ``urlsplit`` refuses (an unclosed ``[``, for one)."""
    if text.startswith("//"):
        text = "https:" + text
    elif "://" not in text.split("?", 1)[0]:
        text = "https://" + text
    return urlsplit(text)


def beacon_endpoint(parts: SplitResult, hosts: tuple[str, ...]) -> Endpoint | None:
    """``v3`` or ``user`` for a request to one of ``hosts`` on a beacon path; otherwise ``None``."""
    if parts.scheme not in ("http", "https") or not _host_matches(parts, hosts):
        return None
    return _ENDPOINTS.get(parts.path)


def _beacon_parts(
    text: str, hosts: tuple[str, ...], location: Location | None
) -> tuple[Endpoint, SplitResult]:
    try:
        parts = split_url(text)
    except ValueError:  # urlsplit refuses some hosts, e.g. an unclosed "[" (IPv6)
        raise BeaconError(
            f"{shorten(text, 80)} is not a valid URL; skipped", location, code="not-a-beacon"
        ) from None
    endpoint = beacon_endpoint(parts, hosts)
    if endpoint is None:
        raise BeaconError(_not_a_beacon(text, parts, hosts), location, code="not-a-beacon")
    return endpoint, parts


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


def _not_a_beacon(text: str, parts: SplitResult, hosts: tuple[str, ...]) -> str:
    shown = shorten(text, 80)
    if parts.scheme not in ("http", "https"):
        return f"{shown} is not an http(s) URL; skipped"
    if not _host_matches(parts, hosts):
        where = parts.netloc or "no host"
        return f"{shown} is not a request to {' or '.join(hosts)} ({where}); skipped"
    return f"{shown} is not a Pinterest tag beacon (the path should be /v3/ or /user/); skipped"


# -- the parameters ----------------------------------------------------------------------------


@dataclass
class _Query:
    """A beacon's parameters as the tag's own reader takes them: the first of each name counts."""

    known: dict[str, str] = field(default_factory=dict)  # event, tid, ed, pd, ov, ad, cb, noscript
    other: dict[str, str] = field(default_factory=dict)  # every other parameter
    names: dict[str, None] = field(default_factory=dict)  # in order, each once (ed[…] as "ed")
    # ed[a][b]=v and pd[…]=v: the keys and the value of each
    brackets: dict[str, list[tuple[list[str], str]]] = field(default_factory=lambda: {"ed": [], "pd": []})
    problems: list[str] = field(default_factory=list)

    @classmethod
    def read(cls, params: Iterable[tuple[str, str]]) -> _Query:
        query = cls()
        counts: dict[str, int] = {}
        for name, value in params:
            counts[name] = counts.get(name, 0) + 1
            match = _BRACKETS.match(name)
            part = match.group(1) if match and match.group(1) in query.brackets else None  # ed[…], pd[…]
            query.names[part or name] = None
            if part is not None and match is not None:
                query.brackets[part].append((_BRACKET_KEY.findall(match.group(2)), value))
            elif name not in query.known and name not in query.other:  # the first one counts
                (query.known if name in _KNOWN else query.other)[name] = value
        for name, count in counts.items():
            if count > 1 and not _BRACKETS.match(name):
                query.problems.append(f"{name} appears {count} times; the first one is used")
        return query


def _json_param(name: str, seen: Mapping[str, str], problems: list[str], *, objects_only: bool = True) -> Any:
    text = seen.get(name)
    if text is None:
        return None
    try:
        value = loads(text, max_depth=MAX_BEACON_NESTING)
    except JSONInputError as exc:
        problems.append(f"{name} is not valid JSON ({exc})")
        return None
    if objects_only and not isinstance(value, dict):
        problems.append(f"{name} is JSON but not an object ({{…}}): {shorten(text, 40)}")
        return None
    return value


def _bracketed_params(query: _Query) -> dict[str, Any]:
    """``ed`` and ``pd`` built from bracket names, when they were sent so (and not as JSON too)."""
    built: dict[str, Any] = {}
    for name in ("ed", "pd"):
        if not query.brackets[name]:
            continue
        if name in query.known:
            query.problems.append(
                f"{name} is sent both as JSON and in brackets ({name}[…]); the JSON is used"
            )
            continue
        value = _from_brackets(query.brackets[name], name, query.problems)
        if not isinstance(value, dict):
            query.problems.append(f"{name} in brackets is a list ({name}[0]=…), not an object")
            value = None
        built[name] = value
    return built


def _from_brackets(pairs: list[tuple[list[str], str]], name: str, problems: list[str]) -> Any:
    """``ed[line_items][0][product_id]=…`` → nested objects; all-index objects become lists."""
    root: dict[str, Any] = {}
    for keys, value in pairs:
        if not keys or any(k == "" for k in keys):
            problems.append(f"{name}[{']['.join(keys)}] has an empty key; skipped")
            continue
        if len(keys) > MAX_BEACON_NESTING:  # the nesting built below is walked recursively (_lists)
            problems.append(
                f"{shorten(f'{name}[' + ']['.join(keys) + ']', 40)} is nested {len(keys):,} levels deep; "
                f"the most read is {MAX_BEACON_NESTING}; skipped"
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


# -- what Pinterest needs ----------------------------------------------------------------------


def _tag_problems(endpoint: Endpoint, event: str | None, tid: str | None, pd: Mapping[str, Any]) -> list[str]:
    problems: list[str] = []
    if endpoint == "v3" and not event:
        problems.append("no event parameter: Pinterest can't tell what happened")
    if not tid:
        problems.append("no tid parameter: Pinterest can't attribute this beacon to a tag")
    elif not _TAG_ID.fullmatch(tid):
        problems.append(f"tid {tid!r} is not 13 digits, as Pinterest Tag IDs are")
    problems.extend(_em_problems(pd.get("em")))
    return problems


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
