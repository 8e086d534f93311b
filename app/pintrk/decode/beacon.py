"""A request the site's tag really sent, decoded; a list of them; and the error for input that isn't one.

Parameters are read as core.js writes them: ``ed``, ``pd``, ``ov`` and ``ad`` are JSON (read
with JavaScript number semantics), or, in the ``<noscript>`` pixel, bracket style
(``pd[em]=…``, ``ed[value]=…``), where every value is text.  A beacon the tag POSTed carries
them in a form body.  The tag's ``/user/`` requests (it fetches its configuration before a
beacon) are decoded too, but only ``/v3/`` beacons are compared.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from ..errors import InputError

__all__ = ["DEFAULT_HOSTS", "Endpoint", "BeaconError", "DecodedBeacon", "BeaconList"]

DEFAULT_HOSTS: tuple[str, ...] = ("ct.pinterest.com",)

Endpoint = Literal["v3", "user"]


class BeaconError(InputError):
    """Input that can't be read as beacons; ``location`` says where (or is ``None``)."""

    code = "invalid-har"  # a URL that is not a beacon says "not-a-beacon"


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
