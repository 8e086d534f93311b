"""Pasted text → the beacon URLs in it (copied from the Network tab, a log, a curl command)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from .. import limits
from ..errors import at_line
from .beacon import DEFAULT_HOSTS, BeaconError, BeaconList, DecodedBeacon
from .url import decode_url

__all__ = ["decode_text", "decode_text_within"]

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
        try:
            beacons.append(decode_url(token, hosts=hosts, source=at_line(line)))
        except BeaconError as exc:
            notes.append(str(exc))
    return BeaconList(tuple(beacons), tuple(notes))


def decode_text_within(
    text: str, *, hosts: Iterable[str] = DEFAULT_HOSTS, max_beacons: int = limits.MAX_BEACONS
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
