"""A request Pinterest's tag makes, with its parameters in the tag's own order.

Two endpoints on ``ct.pinterest.com``: ``/v3/`` carries the conversion event
(the *beacon*), ``/user/`` asks for the tag's configuration just before it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal
from urllib.parse import quote

from ..jsvalue import stringify, to_well_formed

__all__ = [
    "Request",
    "AutomaticData",
    "percent_encode",
    "encoded_length",
    "BEACON_ENDPOINT",
    "USER_ENDPOINT",
    "MAX_GET_URL",
    "TAG_BUILD",
    "SIMULATED_PARAMS",
]

HOST = "https://ct.pinterest.com"
BEACON_ENDPOINT = f"{HOST}/v3/"
USER_ENDPOINT = f"{HOST}/user/"
# The tag POSTs a beacon whose full URL would be this long or longer.
MAX_GET_URL = 2048
# The recorded tag build; the tag reports it as ad.mh.
TAG_BUILD = "0cb4b510"
# Parameters whose values depend on the browser and the clock: the playground makes them up.
SIMULATED_PARAMS = ("cb", "ad")

Endpoint = Literal["v3", "user"]

# encodeURIComponent leaves these as they are (note ! ' ( ) *, which urllib would escape).
_UNRESERVED = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-~!'()*"
_ASCII_ESCAPES = {chr(c): f"%{c:02X}" for c in range(128) if chr(c) not in _UNRESERVED and c != 0x25}
# Translating with this deletes the characters encodeURIComponent keeps: what is left is escaped.
_ESCAPED_ONLY = str.maketrans("", "", _UNRESERVED)


def percent_encode(text: str) -> str:
    """``encodeURIComponent``-style query encoding (``%20`` for spaces, UTF-8 bytes)."""
    if not text.isascii():
        # URL encoders replace lone surrogates with U+FFFD rather than failing.
        return quote(to_well_formed(text), safe="!'()*")
    # str.replace per character that occurs (found in one C pass): several times faster
    # than quote() on the long JSON parameters, and the same result.
    escaped = set(text.translate(_ESCAPED_ONLY))
    if "%" in escaped:  # first, so the escapes' own % are not escaped again
        text = text.replace("%", "%25")
        escaped.discard("%")
    for char in escaped:
        text = text.replace(char, _ASCII_ESCAPES[char])
    return text


def encoded_length(text: str) -> int:
    """``len(percent_encode(text))`` without building it: an ASCII character that is escaped
    becomes three (``%XX``). The tag decides GET or POST on this for every beacon."""
    if not text.isascii():
        return len(percent_encode(text))
    return len(text) + 2 * len(text.translate(_ESCAPED_ONLY))


@dataclass(frozen=True)
class AutomaticData:
    """The page facts the tag sends as ``ad`` (simulated: a desktop Chromium on the scenario's page)."""

    loc: str = "https://www.example.com/shop/shoes"
    ref: str = ""
    screen_height: int = 800
    screen_width: int = 1280
    is_eu: bool = False

    def to_json(self, config_received: bool) -> str:
        data: dict[str, Any] = {
            "loc": self.loc,
            "ref": self.ref,
            "if": False,
            "sh": self.screen_height,
            "sw": self.screen_width,
            "mh": TAG_BUILD,
            "is_eu": self.is_eu,
        }
        if config_received:  # the tag learns it from the /user/ answer
            data["is_restricted_region"] = False
        # Chromium's client hints
        data.update(
            architecture="x86",
            bitness="64",
            brands=[{"brand": "Chromium", "version": "131"}, {"brand": "Not_A Brand", "version": "24"}],
            mobile=False,
            model="",
            platform="Linux",
            platformVersion="6.1.0",
            uaFullVersion="131.0.6778.85",
        )
        return stringify(data) or "{}"


@dataclass(frozen=True)
class Request:
    """One request to ``ct.pinterest.com`` as the tag would make it.

    ``ed``, ``pd`` and ``ov`` hold the values after the tag's own processing
    (hashing, ``value`` coercion); ``*_json`` their exact ``JSON.stringify``
    text, ``None`` when the parameter is not sent.
    """

    command_index: int  # the entry (pintrk call) that caused it
    endpoint: Endpoint
    command: Literal["page", "track"]  # what kind of call made it
    tid: str
    event: str | None = None  # the event parameter: the name trimmed, case kept; "init" on a page beacon
    ed: Any = None
    ed_json: str | None = None
    ov: Any = None
    ov_json: str | None = None
    pd: Mapping[str, Any] | None = None
    pd_json: str | None = None
    cb: int = 0  # Date.now() when sent (simulated)
    dep: str | None = None  # the tag's state: "2,PAGE_LOAD", "4,TAGS_RECEIVED", "5,EVENT_TAGS_ABSENT"
    stc: bool = False  # sent once the tag's configuration has arrived
    ad_json: str | None = None  # automatic data (simulated); beacons only

    @property
    def method(self) -> Literal["GET", "POST"]:
        """The tag POSTs a beacon whose URL would be 2,048 characters or more; /user/ is always GET."""
        return "POST" if self.endpoint == "v3" and self.url_length >= MAX_GET_URL else "GET"

    @property
    def is_beacon(self) -> bool:
        return self.endpoint == "v3"

    @property
    def path(self) -> str:
        return "/v3/" if self.endpoint == "v3" else "/user/"

    @property
    def endpoint_url(self) -> str:
        return BEACON_ENDPOINT if self.endpoint == "v3" else USER_ENDPOINT

    @property
    def params(self) -> list[tuple[str, str]]:
        """``(name, value)`` in the order the tag writes them; values before percent-encoding."""
        optional = [("ov", self.ov_json), ("pd", self.pd_json)]
        sent = [(name, value) for name, value in optional if value is not None]
        if self.command == "page":
            if self.endpoint == "v3":
                return [
                    ("tid", self.tid),
                    *sent,
                    ("event", "init"),
                    ("ad", self.ad_json or ""),
                    ("cb", str(self.cb)),
                ]
            return [("tid", self.tid), *sent, ("cb", str(self.cb)), ("dep", self.dep or "")]
        params: list[tuple[str, str]] = []
        if self.event is not None:
            params.append(("event", self.event))
        if self.ed_json is not None:
            params.append(("ed", self.ed_json))
        params += [("tid", self.tid), *sent, ("cb", str(self.cb)), ("dep", self.dep or "")]
        if self.stc:
            params.append(("stc", "true"))
        if self.endpoint == "v3":
            params.append(("ad", self.ad_json or ""))
        return params

    @property
    def query(self) -> str:
        return _query_fast(self.params)

    @property
    def url_length(self) -> int:
        """``len(self.url)``, computed without writing the URL (see encoded_length)."""
        params = self.params
        values = "".join(value for _, value in params)
        if values.isascii():  # escapes don't depend on neighbours: measure all values at once
            escaped = encoded_length(values)
        else:  # a lone surrogate at a value's end could pair with the next value's start
            escaped = sum(encoded_length(value) for _, value in params)
        names = sum(len(name) + 1 for name, _ in params)  # "name="
        return len(self.endpoint_url) + 1 + names + escaped + len(params) - 1

    @property
    def url(self) -> str:
        """The URL as a GET would request it (a POST sends the same query as its body)."""
        return f"{self.endpoint_url}?{self.query}"

    def to_dict(self) -> dict[str, Any]:
        """The conformance vectors' request shape, plus the decoded values (the URL follows
        from ``params``; it is left out so a 10,000-message answer stays small)."""
        return {
            "after_call": self.command_index,
            "method": self.method,
            "path": self.path,
            "params": [list(pair) for pair in self.params],
            "simulated": list(SIMULATED_PARAMS),
            "event": self.event,
            "tid": self.tid,
            "ed": self.ed,
            "pd": self.pd,
            "ov": self.ov,
        }


def query_of(params: list[tuple[str, str]]) -> str:
    """The rule: ``name=value`` pairs joined by ``&``, every value percent-encoded."""
    return "&".join(f"{name}={percent_encode(value)}" for name, value in params)


def _query_fast(params: list[tuple[str, str]]) -> str:
    """:func:`query_of`, with ``ad`` (the longest value, and one of two texts per replay) encoded
    once per text: a quarter of the time to write a URL (tests/pintrk/test_tag.py checks they agree)."""
    return "&".join(
        f"{name}={_encoded_ad(value) if name == 'ad' else percent_encode(value)}" for name, value in params
    )


@lru_cache(maxsize=16)
def _encoded_ad(text: str) -> str:
    return percent_encode(text)
