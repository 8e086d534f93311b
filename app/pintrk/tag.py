"""The Pinterest tag runtime, simulated: commands → the beacons core.js would send.

Nothing here performs a request; the playground only shows what would go out.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping
from urllib.parse import quote

from .jsvalue import UNDEFINED, stringify, to_js_string, to_well_formed, truthy
from .mapping import Command, Entry
from .memo import cached_property

__all__ = [
    "Beacon",
    "TagState",
    "simulate",
    "hash_email",
    "percent_encode",
    "noscript_pixel_url",
    "BEACON_ENDPOINT",
]

BEACON_ENDPOINT = "https://ct.pinterest.com/v3/"

_HEX_DIGEST = re.compile(r"[0-9a-f]{32}|[0-9a-f]{40}|[0-9a-f]{64}")
_WHITESPACE = re.compile(r"\s+")


_UNRESERVED = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-~"
_ASCII_ESCAPES = [(chr(c), f"%{c:02X}") for c in range(128) if chr(c) not in _UNRESERVED and c != 0x25]


def percent_encode(text: str) -> str:
    """``encodeURIComponent``-style query encoding (``%20`` for spaces, UTF-8 bytes)."""
    if not text.isascii():
        # URL encoders replace lone surrogates with U+FFFD rather than failing.
        return quote(to_well_formed(text), safe="")
    # str.replace per character that occurs: several times faster than quote()
    # on the long JSON parameters, and the same result.
    text = text.replace("%", "%25")
    for char, escape in _ASCII_ESCAPES:
        if char in text:
            text = text.replace(char, escape)
    return text


def hash_email(value: Any) -> str:
    """What the tag sends as ``em``: lower-cased, whitespace removed, SHA-256 hex.

    A value that already is an MD5, SHA-1 or SHA-256 hex digest goes on as it
    is (lower-cased): sites often hash e-mails themselves.
    """
    text = _WHITESPACE.sub("", to_js_string(value).lower())
    if _HEX_DIGEST.fullmatch(text):
        return text
    # Lone surrogates become U+FFFD, as the browser's UTF-8 encoder does.
    return hashlib.sha256(to_well_formed(text).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Beacon:
    """One request to ``ct.pinterest.com/v3/`` as the tag would make it."""

    command_index: int  # the entry (command) that caused it
    event: str  # "init" for page(), else the event name in lower case
    tid: Any
    ed: Mapping[str, Any] | None  # event data
    pd: Mapping[str, Any]  # partner data: the hashed em and other set() keys
    # ed as JSON when the command already serialised it (saves doing it twice); pd as JSON
    # when the tag state already had it (it is the same for every beacon until a set()).
    ed_text: str | None = field(default=None, compare=False, repr=False)
    pd_text: str | None = field(default=None, compare=False, repr=False)

    @cached_property
    def ed_json(self) -> str | None:
        """The ``ed`` parameter: the event data as JSON."""
        if self.ed is None:
            return None
        return self.ed_text if self.ed_text is not None else stringify(self.ed) or "{}"

    @cached_property
    def pd_json(self) -> str:
        """The ``pd`` parameter: partner data (hashed em, set() keys) as JSON."""
        return self.pd_text if self.pd_text is not None else stringify(self.pd) or "{}"

    @property
    def url(self) -> str:
        params = [("event", self.event)]
        if self.ed_json is not None:
            params.append(("ed", self.ed_json))
        params.append(("tid", to_js_string(self.tid)))
        if self.pd:
            params.append(("pd", self.pd_json))
        query = "&".join(f"{key}={percent_encode(value)}" for key, value in params)
        return f"{BEACON_ENDPOINT}?{query}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "command": self.command_index,
            "event": self.event,
            "tid": self.tid,
            "ed": self.ed,
            "pd": self.pd,
            "url": self.url,
        }


@dataclass
class TagState:
    """What ``load`` and ``set`` have stored so far."""

    tid: Any = None
    partner: dict[str, Any] = field(default_factory=dict)
    email_hash: str | None = None  # hash_email of the stored em, kept so each beacon doesn't rehash
    # The partner data and its JSON, shared by the beacons until a store() changes something
    # (sdk-v3 sets the same empty limited-data-processing keys before every event).
    _partner_data: tuple[dict[str, Any], str] | None = field(default=None, repr=False)

    def partner_data(self) -> tuple[dict[str, Any], str]:
        """``pd`` (the hashed em first, then the set() keys) and its JSON; treat both as read-only."""
        if self._partner_data is None:
            pd: dict[str, Any] = {}
            if self.email_hash is not None:
                pd["em"] = self.email_hash
            pd.update(self.partner)
            self._partner_data = (pd, stringify(pd) or "{}")
        return self._partner_data

    def store(self, options: Any) -> None:
        if not isinstance(options, dict):
            return
        for key, value in options.items():
            if key == "em":
                email_hash = hash_email(value) if truthy(value) else None
                if email_hash != self.email_hash:
                    self.email_hash, self._partner_data = email_hash, None
            else:
                old = self.partner.get(key, UNDEFINED)
                # Only text is compared: in Python True == 1 == 1.0, which JSON writes differently.
                if not (type(old) is str and type(value) is str and old == value):
                    self.partner[key], self._partner_data = value, None


def simulate(entries: Iterable[Entry]) -> list[Beacon]:
    """Run the commands through the simulated tag and collect its beacons."""
    state = TagState()
    beacons: list[Beacon] = []
    for index, entry in enumerate(entries):
        if not isinstance(entry, Command):
            continue
        if entry.method == "load":
            state.tid = entry.args[0] if entry.args else None
            if len(entry.args) > 1:
                state.store(entry.args[1])
        elif entry.method == "set":
            state.store(entry.args[0] if entry.args else None)
        elif entry.method == "page":
            pd, pd_text = state.partner_data()
            beacons.append(Beacon(index, "init", state.tid, None, pd, pd_text=pd_text))
        elif entry.method == "track":
            name = to_js_string(entry.args[0]).lower() if entry.args else "undefined"
            if len(entry.args) > 1 and isinstance(entry.args[1], dict):
                data, text = entry.args[1], entry.args_json[1]
            else:
                data, text = {}, "{}"
            pd, pd_text = state.partner_data()
            beacons.append(Beacon(index, name, state.tid, data, pd, text, pd_text))
    return beacons


def noscript_pixel_url(tag_id: Any, email: Any = None) -> str:
    """The ``<img>`` fallback for browsers without JavaScript."""
    parts = [f"event=init&tid={percent_encode(to_js_string(tag_id))}"]
    if truthy(email):
        parts.append(f"pd[em]={hash_email(email)}")
    parts.append("noscript=1")
    return f"{BEACON_ENDPOINT}?{'&'.join(parts)}"
