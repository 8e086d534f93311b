"""What the deduplication check says: a verdict per event pair, its reasons, and a fix."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from ..cloud import CloudRequest
from ..commands import Command
from ..jsvalue import to_js_string
from ..tag import Request

__all__ = [
    "Verdict",
    "VERDICT_WORDS",
    "Destination",
    "SettingFix",
    "Reason",
    "EventPair",
    "DedupCheck",
    "pinterest_event_key",
    "event_id_of",
    "body_text",
    "is_sha256_hex",
]

Verdict = Literal["deduplicated", "count-twice", "server-only", "browser-only", "not-sent"]
VERDICT_WORDS: dict[Verdict, str] = {
    "deduplicated": "will be deduplicated",
    "count-twice": "will count twice",
    "server-only": "server only",
    "browser-only": "browser only",
    "not-sent": "not sent as an event",
}
Destination = Literal["settings", "cloudSettings"]


@dataclass(frozen=True)
class SettingFix:
    """A change of one setting that would make a pair deduplicate."""

    destination: Destination  # this destination, or the separate server destination
    key: str  # e.g. "deduplicationKey"
    value: str
    text: str  # the suggestion in words

    def to_dict(self) -> dict[str, Any]:
        return {"destination": self.destination, "key": self.key, "value": self.value, "text": self.text}


@dataclass(frozen=True)
class Reason:
    kind: str  # a stable code: "event-id-differs", "name-differs", "em-differs", …
    text: str
    note: bool = False  # True: worth knowing, but it does not decide the verdict
    fix: SettingFix | None = None

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"kind": self.kind, "text": self.text, "note": self.note}
        if self.fix is not None:
            data["fix"] = self.fix.to_dict()
        return data


@dataclass(frozen=True)
class EventPair:
    """One event as each path sends it (either side may be missing) and the verdict."""

    number: int  # 1-based, in the order the events happen
    message_index: int
    message_type: str
    browser: Request | None  # the tag's /v3/ beacon
    browser_command: Command | None
    server: CloudRequest | None
    verdict: Verdict
    reasons: tuple[Reason, ...]

    @property
    def words(self) -> str:
        return VERDICT_WORDS[self.verdict]

    @property
    def browser_event(self) -> str | None:
        return self.browser.event if self.browser is not None else None

    @property
    def server_event(self) -> str | None:
        return body_text(self.server, "event_name")

    @property
    def browser_event_id(self) -> str | None:
        return event_id_of(self.browser)

    @property
    def server_event_id(self) -> str | None:
        return body_text(self.server, "event_id")

    def to_dict(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "message_index": self.message_index,
            "type": self.message_type,
            "verdict": self.verdict,
            "words": self.words,
            "browser": None
            if self.browser is None
            else {"event": self.browser_event, "event_id": self.browser_event_id},
            "server": None
            if self.server is None
            else {"event_name": self.server_event, "event_id": self.server_event_id},
            "reasons": [reason.to_dict() for reason in self.reasons],
        }


@dataclass(frozen=True)
class DedupCheck:
    pairs: tuple[EventPair, ...]
    browser_sends: bool  # the tag runs in the browser (device or hybrid mode)
    server_sends: bool  # RudderStack's servers send the events (cloud or hybrid, or a second destination)

    def count(self, verdict: Verdict) -> int:
        return sum(1 for pair in self.pairs if pair.verdict == verdict)

    @property
    def events(self) -> tuple[EventPair, ...]:
        """The pairs that are an event on at least one side."""
        return tuple(pair for pair in self.pairs if pair.verdict != "not-sent")

    @property
    def summary(self) -> str:
        """One line for the top of the check: "3 of 5 events will count twice"."""
        total = len(self.events)
        if not total:
            return "No events: nothing can count twice"
        twice = self.count("count-twice")
        noun = "event" if total == 1 else "events"
        if twice:
            return f"{twice} of {total} {noun} will count twice"
        if self.count("deduplicated") == total:
            return (
                f"All {total} {noun} will be deduplicated" if total > 1 else "The event will be deduplicated"
            )
        return f"0 of {total} {noun} will count twice"

    def to_dict(self) -> dict[str, Any]:
        return {
            "summary": self.summary,
            "browser_sends": self.browser_sends,
            "server_sends": self.server_sends,
            "counts": {verdict: self.count(verdict) for verdict in VERDICT_WORDS},
            "pairs": [pair.to_dict() for pair in self.pairs],
        }


def pinterest_event_key(name: Any) -> str:
    """How Pinterest matches an event name across the tag and the API: case, spaces, underscores
    and hyphens ignored (``AddToCart`` = ``add_to_cart``, ``Checkout`` = ``checkout``)."""
    text = to_js_string(name) if name is not None else ""
    return "".join(char for char in text.lower() if char.isalnum())


def event_id_of(beacon: Request | None) -> str | None:
    if beacon is None or not isinstance(beacon.ed, dict) or "event_id" not in beacon.ed:
        return None
    value = beacon.ed["event_id"]
    return None if value is None else to_js_string(value)


def body_text(request: CloudRequest | None, key: str) -> str | None:
    if request is None:
        return None
    value = request.body.get(key)
    return None if value is None else to_js_string(value)


def is_sha256_hex(text: str) -> bool:
    """A SHA-256 digest as the Conversions API carries hashed values: 64 lower-case hex digits."""
    return len(text) == 64 and all(char in "0123456789abcdef" for char in text)
