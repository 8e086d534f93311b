"""The deduplication check: the browser's events beside the server's, one verdict each."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..cloud import CloudOutcome, CloudRequest
from ..commands import Command, MappingError
from ..replay import Result
from ..tag import Request
from .model import DedupCheck, EventPair, Reason, Verdict, body_text, event_id_of, pinterest_event_key
from .reasons import email_notes, event_id_differs, name_differs, no_browser_event_id

__all__ = ["check_deduplication"]


def check_deduplication(result: Result, outcomes: Sequence[CloudOutcome]) -> DedupCheck:
    """Every message's browser event(s) beside its server event(s), with a verdict each.

    ``outcomes`` is the cloud path's outcome per message of ``result.scenario`` (see
    ``cloud_outcomes``); it is ignored when no server sends this scenario's events.
    """
    scenario = result.scenario
    browser_sends = scenario.settings.sends_from_browser
    server_sends = scenario.server_sends
    context = _Context(result, browser_sends, server_sends, scenario.cloud_settings is not None)
    pairs: list[EventPair] = []
    for index, message in enumerate(scenario.messages):
        outcome = outcomes[index] if server_sends and index < len(outcomes) else None
        for pair in context.pairs_for(index, message, outcome, len(pairs) + 1):
            pairs.append(pair)
    return DedupCheck(tuple(pairs), browser_sends, server_sends)


# -- pairing -------------------------------------------------------------------------------------


class _Context:
    """What every message's pairing reads: the run, which paths send, and the beacons by message."""

    def __init__(self, result: Result, browser: bool, server: bool, separate_server: bool) -> None:
        self.result = result
        self.browser = browser
        self.server = server
        self.separate_server = separate_server
        self.beacons: dict[int, list[tuple[Request, Command]]] = {}
        entries = result.entries
        # each message's entries, found once (not a scan of the whole run per message)
        self.entries: dict[int, list[Command | MappingError]] = {}
        for entry in entries:
            if entry.message_index is not None:
                self.entries.setdefault(entry.message_index, []).append(entry)
        for beacon in result.beacons:
            command = entries[beacon.command_index] if beacon.command_index < len(entries) else None
            if (
                isinstance(command, Command)
                and command.method == "track"
                and command.message_index is not None
            ):
                self.beacons.setdefault(command.message_index, []).append((beacon, command))

    def pairs_for(
        self, index: int, message: Any, outcome: CloudOutcome | None, number: int
    ) -> list[EventPair]:
        kind = message.get("type") if isinstance(message, dict) else None
        kind = kind.lower() if isinstance(kind, str) else "?"
        browser = self.beacons.get(index, []) if self.browser else []
        server = list(outcome.requests) if outcome is not None else []
        matched = _match(browser, server) or [(None, None)]  # nothing either side: still listed
        pairs = []
        for offset, (sent, request) in enumerate(matched):
            beacon, command = sent if sent is not None else (None, None)
            verdict, reasons = self._judge(index, kind, beacon, command, request, outcome)
            pairs.append(EventPair(number + offset, index, kind, beacon, command, request, verdict, reasons))
        return pairs

    def _judge(
        self,
        index: int,
        kind: str,
        beacon: Request | None,
        command: Command | None,
        request: CloudRequest | None,
        outcome: CloudOutcome | None,
    ) -> tuple[Verdict, tuple[Reason, ...]]:
        if beacon is not None and command is not None and request is not None:
            return _judge_both(beacon, command, request, self)
        reasons: list[Reason] = []
        if beacon is None:
            reasons.append(self._why_no_browser_event(index, kind))
        if request is None:
            reasons.append(self._why_no_server_event(kind, outcome))
        if beacon is not None:
            return "browser-only", tuple(reasons)
        if request is not None:
            return "server-only", tuple(reasons)
        return "not-sent", tuple(reasons)

    def _why_no_browser_event(self, index: int, kind: str) -> Reason:
        if not self.browser:
            return Reason(
                "browser-off",
                "Connection mode is cloud: the Pinterest tag is not in the browser, so only "
                "RudderStack's servers send this.",
            )
        entries = self.entries.get(index, [])
        error = next((e for e in entries if isinstance(e, MappingError)), None)
        if error is not None:
            return Reason(
                "browser-error", f"In the browser the integration stops with an error: {error.error}"
            )
        if kind == "identify":
            return Reason(
                "identify-no-event",
                "In the browser, identify is not an event: it only stores the e-mail (pintrk set) "
                "for the events after it.",
            )
        if any(isinstance(e, Command) and e.method == "track" for e in entries):
            return Reason(
                "browser-withheld", "The tag sends no beacon for it (see the tag's messages in the log)."
            )
        return Reason("browser-ignored", f"The browser integration sends nothing for a {kind} call.")

    def _why_no_server_event(self, kind: str, outcome: CloudOutcome | None) -> Reason:
        if not self.server:
            return Reason(
                "server-off",
                "Connection mode is device: RudderStack's servers do not send this destination's events.",
            )
        if outcome is not None and outcome.error is not None:
            text = f"RudderStack's servers reject it: “{outcome.error.message}”."
            if kind == "identify":
                return Reason(
                    "identify-rejected",
                    text + " Pinterest's Conversions API has no identify call.",
                )
            return Reason("server-rejected", text)
        return Reason("server-fewer", "The server sends fewer events for it than the browser.")


def _match(
    browser: list[tuple[Request, Command]], server: list[CloudRequest]
) -> list[tuple[tuple[Request, Command] | None, CloudRequest | None]]:
    """Each browser event with the server event of the same name (Pinterest's matching), then the
    rest in order; unmatched ones stand alone. A message usually gives one of each."""
    left = list(server)
    pairs: list[tuple[tuple[Request, Command] | None, CloudRequest | None]] = []
    unmatched: list[tuple[Request, Command]] = []
    for sent in browser:
        key = pinterest_event_key(sent[0].event)
        found = next((r for r in left if pinterest_event_key(body_text(r, "event_name")) == key), None)
        if found is None:
            unmatched.append(sent)
        else:
            left.remove(found)
            pairs.append((sent, found))
    for sent in unmatched:
        pairs.append((sent, left.pop(0) if left else None))
    pairs.extend((None, request) for request in left)
    return pairs


def _judge_both(
    beacon: Request, command: Command, request: CloudRequest, context: _Context
) -> tuple[Verdict, tuple[Reason, ...]]:
    causes: list[Reason] = []
    browser_name, server_name = beacon.event, body_text(request, "event_name")
    if pinterest_event_key(browser_name) != pinterest_event_key(server_name):
        causes.append(name_differs(browser_name, command, server_name, request))
    browser_id, server_id = event_id_of(beacon), body_text(request, "event_id")
    if browser_id is None:
        causes.append(no_browser_event_id(command, context.result))
    elif browser_id != server_id:
        causes.append(event_id_differs(browser_id, command, server_id, request, context.separate_server))
    notes = email_notes(beacon, request, context.result.scenario.server_settings)
    return ("count-twice" if causes else "deduplicated"), tuple(causes + notes)
