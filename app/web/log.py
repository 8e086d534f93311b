"""The core's Result, arranged for the page: log rows, the timeline, findings, the snippet.

No mapping happens here: every value shown comes from the Result; this module only
decides what goes in which cell, and how the SDK call behind each row is named.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from app.pintrk import Command, MappingError
from app.pintrk.calls import SdkCall
from app.pintrk.diagnostics import Finding
from app.pintrk.jsvalue import indent_json as pretty_json
from app.pintrk.jsvalue import stringify, to_js_string
from app.pintrk.limits import MAX_RENDERED_ROWS, showing_first
from app.pintrk.snippet import render_snippet
from app.pintrk.tag import SIMULATED_PARAMS, Request, TagMessage, command_name
from app.pintrk.text import shorten

from .forms import field_label
from .state import Outcome, settings_error_field

__all__ = [
    "LogView",
    "LogRow",
    "BeaconView",
    "Step",
    "FindingView",
    "Source",
    "build_log",
    "pretty_json",
    "scenario_sources",
]

SYMBOLS = {"error": "✕", "warning": "!", "info": "i"}
SEVERITY_WORDS = {"error": "Error", "warning": "Warning", "info": "Note"}


# How Pinterest's tag documentation names each parameter; the log labels decoded requests with these.
PARAM_LABELS = {
    "event": "Event name",
    "ed": "Event data",
    "tid": "Tag ID",
    "pd": "Partner data",
    "ov": "Options given to page() or track()",
    "ad": "Automatic data about the page",
    "cb": "Cache buster (the time, Date.now())",
    "dep": "Tag state",
    "stc": "Configuration received",
}
# Partner-data keys the tag hashes, in words.
IDENTIFIER_LABELS = {
    "em": "hashed email", "ph": "hashed phone", "fn": "hashed first name", "ln": "hashed last name",
    "ge": "hashed gender", "db": "hashed birth date", "ct": "hashed city", "st": "hashed state",
    "zp": "hashed zip code", "country": "hashed country", "external_id": "hashed external ID",
}  # fmt: skip


@dataclass(frozen=True)
class BeaconView:
    """One request the tag makes, decoded as a tag debugger shows it."""

    endpoint: str  # "v3" (the conversion beacon) or "user" (the configuration request)
    path: str
    method: str
    event: str | None
    tid: str
    url: str
    hashed_email: str | None
    event_data: list[tuple[str, str]]  # Omnibug's "Event data": key, JSON value
    partner_data: list[tuple[str, str, str]]  # key, label, JSON value
    options: list[tuple[str, str]]  # ov: key, JSON value
    general: list[tuple[str, str, str, bool]]  # name, label, value, simulated

    @property
    def is_beacon(self) -> bool:
        return self.endpoint == "v3"


@dataclass(frozen=True)
class LogRow:
    index: int  # the entry index (execution order), 0-based
    kind: str  # "command" | "error"
    command_index: int | None  # counts commands only
    method: str
    event: str | None
    summary: str  # the arguments on one line, shortened
    arguments: str  # the arguments, pretty-printed JSON
    calls_json: str
    origin: str  # "initialisation" or "line N: rudderanalytics.track(…)"
    call_index: int | None
    effect: str  # what the tag does with it, in words
    beacon: BeaconView | None  # the /v3/ request, if the call sends one
    error: str | None
    origin_where: str = ""  # "line 4", "event 3 (messageId abc…)"; "" for initialisation
    origin_what: str = ""  # the call or message, recognisable but short
    requests: tuple[BeaconView, ...] = ()  # every request of the call: /user/ first, then the beacon
    tag_messages: tuple[str, ...] = ()  # what the tag writes to the console for this call


@dataclass(frozen=True)
class Source:
    """Where message *i* of the scenario came from: a line of the call script, or a pasted event."""

    anchor: str  # "call-3": its step in the timeline
    where: str  # "line 4", or "event 3 (messageId abc…)"
    what: str  # 'rudderanalytics.track("Order Completed", …)', or 'track "Order Completed"'
    method: str  # "track", "page", "identify" (or the message's type)


@dataclass(frozen=True)
class StepItem:
    entry: int
    command: str  # e.g. "track Checkout", "set {em}"
    outcome: str  # e.g. "beacon: Checkout", "no request"
    kind: str  # "beacon" | "quiet" | "error"
    has_email: bool


@dataclass(frozen=True)
class Step:
    anchor: str  # "call-3" or "initialisation"
    call: str  # "identify", or "Initialisation"
    where: str  # "line 4" or "before any call"
    items: list[StepItem]


@dataclass(frozen=True)
class FindingView:
    severity: str
    symbol: str
    word: str
    text: str
    links: list[tuple[str, str]]  # href, label


@dataclass(frozen=True)
class LogView:
    rows: list[LogRow]
    steps: list[Step]
    findings: list[FindingView]
    counts: dict[str, int]
    profile_label: str
    snippet: str
    source: str = "calls"  # "calls" (a call script) or "events" (pasted RudderStack events)
    # Rows and findings beyond MAX_RENDERED_ROWS are counted, not rendered (Export log has them all).
    total_rows: int = 0
    total_findings: int = 0

    @property
    def rows_cut(self) -> str | None:
        """ "Showing the first 500 of 2,345 rows." when the log is cut, else ``None``."""
        return (
            showing_first(len(self.rows), self.total_rows, "rows")
            if self.total_rows > len(self.rows)
            else None
        )

    @property
    def findings_cut(self) -> str | None:
        if self.total_findings <= len(self.findings):
            return None
        return showing_first(len(self.findings), self.total_findings, "findings")

    @property
    def shown_commands(self) -> int:
        """Commands among the rendered rows (the preview runs them all; the page checks these)."""
        return sum(1 for row in self.rows if row.kind == "command")


def scenario_sources(outcome: Outcome) -> list[Source]:
    """One Source per message of the scenario, in order."""
    if outcome.source == "pintrk" and outcome.result is not None:
        calls = outcome.result.scenario.pintrk or ()
        return [
            Source(
                f"call-{i}", f"call {i + 1}", shorten(stringify(list(call)) or "", 60), _method_text(call[0])
            )
            for i, call in enumerate(calls)
        ]
    if outcome.source == "events":
        numbers = outcome.event_numbers
        return [
            Source(
                f"call-{i}",
                describe_event(numbers[i] if i < len(numbers) else i + 1, message),
                describe_message(message),
                _message_type(message),
            )
            for i, message in enumerate(outcome.messages)
        ]
    return [
        Source(f"call-{i}", f"line {call.line}", describe_call(call), call.method)
        for i, call in enumerate(outcome.calls)
    ]


def build_log(outcome: Outcome, max_rows: int = MAX_RENDERED_ROWS) -> LogView | None:
    """The page's view of the outcome: at most ``max_rows`` log rows (and findings), the rest counted."""
    result = outcome.result
    if result is None:
        return None
    sources = scenario_sources(outcome)
    requests: dict[int, list[Request]] = {}
    for request in result.requests:
        requests.setdefault(request.command_index, []).append(request)
    messages: dict[int, list[TagMessage]] = {}
    for message in result.tag_messages:
        messages.setdefault(message.command_index, []).append(message)
    rows: list[LogRow] = []
    command_count = 0
    for index, entry in enumerate(result.entries[:max_rows]):
        source = (
            sources[entry.message_index]
            if entry.message_index is not None and entry.message_index < len(sources)
            else None
        )
        origin = f"{source.where}: {source.what}" if source else "initialisation"
        where, what = (source.where, source.what) if source else ("", "")
        if isinstance(entry, MappingError):
            rows.append(
                LogRow(
                    index,
                    "error",
                    None,
                    "error",
                    None,
                    entry.error,
                    pretty_json(entry.to_json()),
                    entry.to_json(),
                    origin,
                    entry.message_index,
                    "Nothing is sent for this call.",
                    None,
                    entry.error,
                    where,
                    what,
                )
            )
            continue
        views = tuple(_beacon_view(r) for r in requests.get(index, ()))
        beacon = next((v for v in views if v.is_beacon), None)
        rows.append(
            LogRow(
                index=index,
                kind="command",
                command_index=command_count,
                method=_method_text(entry.method),
                event=entry.event,
                summary=_summary(entry),
                arguments=pretty_json("[" + ",".join(entry.args_json) + "]"),
                calls_json=entry.to_json(),
                origin=origin,
                call_index=entry.message_index,
                effect=_effect(entry, views),
                beacon=beacon,
                error=None,
                origin_where=where,
                origin_what=what,
                requests=views,
                tag_messages=tuple(m.text for m in messages.get(index, ())),
            )
        )
        command_count += 1

    errors = sum(1 for entry in result.entries if isinstance(entry, MappingError))
    counts = {
        "calls": len(sources),
        "commands": len(result.entries) - errors,
        "beacons": len(result.beacons),
        "requests": len(result.requests),
        "beacons_with_email": sum(1 for b in result.beacons if b.pd and b.pd.get("em")),
        "errors": errors,
        **{severity: sum(1 for f in result.diagnostics if f.severity == severity) for severity in SYMBOLS},
    }
    return LogView(
        rows=rows,
        steps=_steps(rows, result.entries, sources, complete=len(rows) == len(result.entries)),
        findings=[_finding_view(f, sources) for f in result.diagnostics[:max_rows]],
        counts=counts,
        profile_label=result.profile.label,
        snippet=render_snippet(result.entries),
        source=outcome.source,
        total_rows=len(result.entries),
        total_findings=len(result.diagnostics),
    )


def describe_call(call: SdkCall) -> str:
    """``rudderanalytics.track("Order Completed", …)``: the call, recognisable but short."""
    if not call.args:
        return f"rudderanalytics.{call.method}()"
    first = call.args[0]
    if isinstance(first, str):
        shown = stringify(shorten(first, 40)) or '""'
    elif isinstance(first, dict):
        shown = "{…}"
    elif isinstance(first, list):
        shown = "[…]"
    else:
        shown = stringify(first) or "undefined"
    more = ", …" if len(call.args) > 1 else ""
    return f"rudderanalytics.{call.method}({shown}{more})"


def describe_event(number: int, message: Any) -> str:
    """``event 3 (messageId abc…)``: which pasted entry a message is."""
    message_id = message.get("messageId") if isinstance(message, dict) else None
    if message_id is None:
        return f"event {number}"
    shown = to_js_string(message_id)
    return f"event {number} (messageId {shown if len(shown) <= 12 else shown[:10] + '…'})"


def describe_message(message: Any) -> str:
    """``track "Order Completed"``: a RudderStack message, recognisable but short."""
    kind = _message_type(message)
    if not isinstance(message, dict):
        return kind
    key = {"track": "event", "page": "name", "identify": "userId"}.get(kind)
    value = message.get(key) if key else None
    if isinstance(value, str) and value:
        return f"{kind} {stringify(value if len(value) <= 40 else value[:39] + '…')}"
    return kind


def _message_type(message: Any) -> str:
    kind = message.get("type") if isinstance(message, dict) else None
    return kind if isinstance(kind, str) and kind else "message"


def _summary(command: Command, limit: int = 70) -> str:
    return shorten(", ".join(stringify(arg) or "undefined" for arg in command.args), limit)


def _method_text(method: Any) -> str:
    """A call's command as written (a pintrk scenario may give a number or null there)."""
    return method if isinstance(method, str) else _json(method)


def _effect(command: Command, requests: Sequence[BeaconView]) -> str:
    beacon = next((r for r in requests if r.is_beacon), None)
    if beacon is not None:
        what = (
            "the page view (event=init)"
            if beacon.event == "init"
            else (
                f"the event (event={beacon.event})"
                if beacon.event is not None
                else "a beacon without an event name"
            )
        )
        asks = (
            "Asks Pinterest for the tag's configuration (/user/), then sends "
            if len(requests) > 1
            else "Sends "
        )
        return f"{asks}{what}" + (" by POST: the URL would be too long" if beacon.method == "POST" else "")
    method = command_name(command.method)
    if method == "load":
        return (
            "Stores the Tag ID"
            + (" and the e-mail" if isinstance(command.data, dict) and "em" in command.data else "")
            + ": no request"
        )
    if method == "set":
        return "Stored for later events: no request"
    if method == "setconsent":
        return "Changes consent: no request"
    return "No request"


def _json(value: object) -> str:
    return stringify(value) or "undefined"


def _beacon_view(request: Request) -> BeaconView:
    pd = request.pd or {}
    email = pd.get("em")
    general = []
    for name, value in request.params:
        if name in ("ed", "pd", "ov"):
            continue
        general.append((name, PARAM_LABELS.get(name, name), value, name in SIMULATED_PARAMS))
    return BeaconView(
        endpoint=request.endpoint,
        path=request.path,
        method=request.method,
        event=request.event,
        tid=request.tid,
        url=request.url,
        hashed_email=email if isinstance(email, str) and email else None,
        event_data=[(key, _json(value)) for key, value in (request.ed or {}).items()],
        partner_data=[(key, IDENTIFIER_LABELS.get(key, ""), _json(value)) for key, value in pd.items()],
        options=[(key, _json(value)) for key, value in request.ov.items()]
        if isinstance(request.ov, dict)
        else ([("", _json(request.ov))] if request.ov is not None else []),
        general=general,
    )


def _steps(
    rows: Sequence[LogRow], entries: Sequence[object], sources: Sequence[Source], *, complete: bool = True
) -> list[Step]:
    """One step per SDK call; when the log is cut, only the calls its rows reach."""
    by_call: dict[int | None, list[StepItem]] = {}
    for row, entry in zip(rows, entries, strict=False):
        by_call.setdefault(row.call_index, []).append(_step_item(row, entry))
    steps = [Step("initialisation", "Initialisation", "when the tag loads", by_call.get(None, []))]
    last = (
        len(sources)
        if complete
        else max((r.call_index for r in rows if r.call_index is not None), default=-1) + 1
    )
    for i, source in enumerate(sources[:last]):
        steps.append(Step(source.anchor, source.method, source.where, by_call.get(i, [])))
    return steps


def _step_item(row: LogRow, entry: object) -> StepItem:
    if row.kind == "error":
        return StepItem(row.index, "integration error", "nothing sent", "error", False)
    if row.method == "track":
        command = f"track {row.event}" if row.event is not None else "track"
    elif row.method == "set":
        data = entry.data if isinstance(entry, Command) else None
        keys = list(data) if isinstance(data, dict) else []
        shown = ", ".join(keys[:3]) + (", …" if len(keys) > 3 else "")
        command = f"set {{{shown}}}" if keys else "set"
    else:
        command = row.method
    if row.beacon is not None:
        shown = row.beacon.event if row.beacon.event is not None else "(no event)"
        return StepItem(row.index, command, f"beacon: {shown}", "beacon", row.beacon.hashed_email is not None)
    return StepItem(row.index, command, "no request", "quiet", False)


def _finding_view(finding: Finding, sources: Sequence[Source]) -> FindingView:
    links: list[tuple[str, str]] = []
    if finding.entry_index is not None:
        links.append((f"#entry-{finding.entry_index}", f"log row {finding.entry_index + 1}"))
    if finding.message_index is not None and finding.message_index < len(sources):
        source = sources[finding.message_index]
        links.append((f"#{source.anchor}", source.where))
    if finding.field:
        field = diagnostic_field(finding.field)
        links.append((f"#field-{field}", f"the setting “{field_label(field)}”"))
    return FindingView(
        finding.severity, SYMBOLS[finding.severity], SEVERITY_WORDS[finding.severity], finding.text, links
    )


def diagnostic_field(path: str) -> str:
    """The form element a finding's settings path points at (a mapping row, not its group)."""
    row = re.fullmatch(r"eventsMapping\[(\d+)\]", path)
    return f"mappings-{row.group(1)}" if row else settings_error_field(path)
