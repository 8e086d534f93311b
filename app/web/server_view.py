"""The server path (cloud mode) and the deduplication check, arranged for the page.

No mapping happens here: the Conversions API requests come from the core's cloud path and the
verdicts from its deduplication check; this module decides what goes in which cell, and where
each message's server requests sit in the log (right after that message's pintrk commands).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from app.pintrk import (
    MAX_RENDERED_ROWS,
    CloudOutcome,
    CloudRequest,
    DedupCheck,
    EventPair,
    Result,
    SettingFix,
    both_paths,
    is_sha256_hex,
    shorten,
    showing_first,
    stringify,
)
from app.pintrk import indent_json as pretty_json

__all__ = ["ServerView", "ServerItem", "build_server_view", "VERDICT_SYMBOLS", "DEDUP_FIX_ACTION"]

# The deduplication check's "Apply" button: "set-dedup-key:<destination>:<path>", the destination
# "settings" (this destination) or "cloudSettings" (the separate server destination); actions.py.
DEDUP_FIX_ACTION = "set-dedup-key:"

# A symbol and a word for every verdict (never colour alone): how many times Pinterest counts it.
VERDICT_SYMBOLS = {
    "deduplicated": "✓",
    "count-twice": "2×",
    "server-only": "1×",
    "browser-only": "1×",
    "not-sent": "–",
}

# user_data keys, in words; the identifiers are hashed when "Send unhashed data" is on.
_USER_DATA_LABELS = {
    "em": "e-mail",
    "ph": "phone",
    "fn": "first name",
    "ln": "last name",
    "ge": "gender",
    "db": "birth date",
    "ct": "city",
    "st": "state",
    "zp": "zip code",
    "country": "country",
    "hashed_maids": "mobile ad ID",
    "external_id": "external ID",
    "client_ip_address": "IP address",
    "client_user_agent": "user agent",
    "click_id": "click ID",
    "partner_id": "partner ID",
}
_PLAIN_USER_DATA = frozenset({"client_ip_address", "client_user_agent", "click_id", "partner_id"})


@dataclass(frozen=True)
class ServerItem:
    """One Conversions API request, or the server's refusal, for one message."""

    number: int  # 1-based among the server items ("S1")
    message_index: int
    event: str | None
    request: CloudRequest | None
    error: str | None  # the text RudderStack's dashboard shows, when the server rejects the event
    pair: EventPair | None

    @property
    def path(self) -> str:
        return urlsplit(self.request.endpoint).path if self.request is not None else ""

    @property
    def summary(self) -> str:
        if self.request is None:
            return ""
        body = self.request.body
        # what tells events apart first (the body's own order starts with event_time)
        first = {key: body[key] for key in ("event_name", "event_id") if key in body}
        return shorten(stringify({**first, **body}) or "", 70)

    @property
    def body_json(self) -> str:
        return pretty_json(stringify(self.request.body) or "{}") if self.request is not None else ""

    @property
    def hashed_email(self) -> str | None:
        user_data = self.request.body.get("user_data") if self.request is not None else None
        em = user_data.get("em") if isinstance(user_data, Mapping) else None
        first = em[0] if isinstance(em, list) and em else None
        return first if isinstance(first, str) and is_sha256_hex(first) else None

    @property
    def general(self) -> list[tuple[str, str]]:
        if self.request is None:
            return []
        rows = [("endpoint", f"{self.request.method} {self.request.endpoint}")]
        # v5's Authorization header carries the conversion token: masked (<token>) since it was read
        rows += [(name, value) for name, value in self.request.headers.items() if name == "Authorization"]
        if self.request.params:
            rows.append(("params", stringify(dict(self.request.params)) or ""))
        for key, value in self.request.body.items():
            if key not in ("user_data", "custom_data"):
                rows.append((key, _text(value)))
        return rows

    @property
    def user_data(self) -> list[tuple[str, str, str]]:
        """(key, label, value) rows; a label says whether the value is hashed."""
        data = self.request.body.get("user_data") if self.request is not None else None
        if not isinstance(data, Mapping):
            return []
        rows = []
        for key, value in data.items():
            words = _USER_DATA_LABELS.get(key, "")
            first = value[0] if isinstance(value, list) and value else value
            if key in _PLAIN_USER_DATA or not words:
                label = words
            elif isinstance(first, str) and is_sha256_hex(first):
                label = f"hashed {words}"
            else:
                label = f"{words}, as given (not hashed)"
            rows.append((key, label, _text(value)))
        return rows

    @property
    def custom_data(self) -> list[tuple[str, str]]:
        data = self.request.body.get("custom_data") if self.request is not None else None
        return [(key, _text(value)) for key, value in data.items()] if isinstance(data, Mapping) else []


@dataclass(frozen=True)
class ServerView:
    check: DedupCheck
    items: tuple[ServerItem, ...]
    after_row: Mapping[int, tuple[ServerItem, ...]]  # log row index → the server items after it
    by_message: Mapping[int, tuple[ServerItem, ...]]
    max_pairs: int = MAX_RENDERED_ROWS

    @staticmethod
    def fix_action(fix: SettingFix) -> str:
        """The value of the button that applies ``fix`` (only deduplication keys are suggested)."""
        return f"{DEDUP_FIX_ACTION}{fix.destination}:{fix.value}"

    @staticmethod
    def symbol(verdict: str) -> str:
        return VERDICT_SYMBOLS.get(verdict, "")

    def items_for(self, message_index: int) -> tuple[ServerItem, ...]:
        return self.by_message.get(message_index, ())

    @property
    def pairs(self) -> tuple[EventPair, ...]:
        """The pairs the page lists (the first ``max_pairs``; Export log has them all)."""
        return self.check.pairs[: self.max_pairs]

    @property
    def pairs_cut(self) -> str | None:
        total = len(self.check.pairs)
        return showing_first(self.max_pairs, total, "events") if total > self.max_pairs else None

    def pairs_with(self, verdict: str) -> list[EventPair]:
        return [pair for pair in self.pairs if pair.verdict == verdict]


def build_server_view(
    result: Result, row_calls: Sequence[int | None], *, complete: bool = True
) -> ServerView | None:
    """The server path for ``result``'s scenario, when RudderStack's servers send its events.

    ``row_calls`` is the message index of each rendered log row (None: initialisation), so each
    message's server items follow its last row; when the log is cut (``complete`` false), the
    messages after its last row have no place in it (the dedup check still lists them).
    """
    paths = both_paths(result)
    if paths is None:
        return None
    outcomes, check = paths
    items = _items(outcomes, check)
    placed = items if complete else _up_to_last_row(items, row_calls)
    return ServerView(check, items, _after_rows(placed, row_calls), _by_message(items))


def _up_to_last_row(items: Sequence[ServerItem], row_calls: Sequence[int | None]) -> list[ServerItem]:
    last = max((call for call in row_calls if call is not None), default=-1)
    return [item for item in items if item.message_index <= last]


def _items(outcomes: Sequence[CloudOutcome], check: DedupCheck) -> tuple[ServerItem, ...]:
    pair_of_request = {id(pair.server): pair for pair in check.pairs if pair.server is not None}
    rejected = {pair.message_index: pair for pair in check.pairs if pair.server is None}
    items: list[ServerItem] = []
    for index, outcome in enumerate(outcomes):
        if outcome.error is not None:
            items.append(
                ServerItem(len(items) + 1, index, None, None, outcome.error.full_text, rejected.get(index))
            )
            continue
        for request in outcome.requests:
            event = request.body.get("event_name")
            items.append(
                ServerItem(
                    len(items) + 1,
                    index,
                    event if isinstance(event, str) else None,
                    request,
                    None,
                    pair_of_request.get(id(request)),
                )
            )
    return tuple(items)


def _after_rows(
    items: Sequence[ServerItem], row_calls: Sequence[int | None]
) -> dict[int, tuple[ServerItem, ...]]:
    """Each item goes after the last log row of its message, or of the nearest message before it."""
    last_row_of: dict[int, int] = {}
    for row, call in enumerate(row_calls):
        last_row_of[-1 if call is None else call] = row
    # one pass: a message without rows takes the anchor of the one before it
    anchors: list[int | None] = []
    anchor = last_row_of.get(-1)
    for index in range(max((item.message_index for item in items), default=-1) + 1):
        anchor = last_row_of.get(index, anchor)
        anchors.append(anchor)
    after: dict[int, list[ServerItem]] = {}
    for item in items:
        found = anchors[item.message_index]
        if found is not None:
            after.setdefault(found, []).append(item)
    return {row: tuple(found) for row, found in after.items()}


def _by_message(items: Sequence[ServerItem]) -> dict[int, tuple[ServerItem, ...]]:
    found: dict[int, list[ServerItem]] = {}
    for item in items:
        found.setdefault(item.message_index, []).append(item)
    return {index: tuple(group) for index, group in found.items()}


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value
    return stringify(value) or ""
