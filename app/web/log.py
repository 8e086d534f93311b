"""The core's Result, arranged for the page: log rows, the timeline, findings, the snippet.

No mapping happens here: every value shown comes from the Result; this module only
decides what goes in which cell, and how the SDK call behind each row is named.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from app.pintrk import (
    MAX_RENDERED_ROWS,
    Command,
    Finding,
    MappingError,
    Request,
    Result,
    TagMessage,
    command_name,
    render_snippet,
    shorten,
    showing_first,
    stringify,
)
from app.pintrk import indent_json as pretty_json

from .beacon_view import BeaconView, beacon_view
from .fields import element_for_setting, field_label
from .server_view import ServerView, build_server_view
from .sources import Source, method_text, scenario_sources
from .state import Outcome

__all__ = [
    "LogView",
    "LogRow",
    "Step",
    "FindingView",
    "build_log",
    "pretty_json",
]

SYMBOLS = {"error": "✕", "warning": "!", "info": "i"}
SEVERITY_WORDS = {"error": "Error", "warning": "Warning", "info": "Note"}


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
    message_index: int | None = None  # None: initialisation


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
    # RudderStack's servers' requests and the deduplication check (cloud or hybrid mode)
    server: ServerView | None = None

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
    def email_rows(self) -> list[LogRow]:
        """The rendered rows whose beacon carries the hashed e-mail (the summary links to them)."""
        return [row for row in self.rows if row.beacon is not None and row.beacon.hashed_email]

    @property
    def shown_commands(self) -> int:
        """Commands among the rendered rows (the preview runs them all; the page checks these)."""
        return sum(1 for row in self.rows if row.kind == "command")


def build_log(outcome: Outcome, max_rows: int = MAX_RENDERED_ROWS) -> LogView | None:
    """The page's view of the outcome: at most ``max_rows`` log rows (and findings), the rest counted."""
    result = outcome.result
    if result is None:
        return None
    sources = scenario_sources(outcome)
    rows = _rows(result, sources, max_rows)
    complete = len(rows) == len(result.entries)
    return LogView(
        rows=rows,
        steps=_steps(rows, result.entries, sources, complete=complete),
        findings=[_finding_view(f, sources) for f in result.diagnostics[:max_rows]],
        counts=_counts(result, sources),
        profile_label=result.profile.label,
        snippet=render_snippet(result.entries),
        source=outcome.source,
        total_rows=len(result.entries),
        total_findings=len(result.diagnostics),
        server=build_server_view(result, [row.call_index for row in rows], complete=complete),
    )


def _rows(result: Result, sources: Sequence[Source], max_rows: int) -> list[LogRow]:
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
        if isinstance(entry, MappingError):
            rows.append(_error_row(index, entry, source))
            continue
        views = tuple(beacon_view(r) for r in requests.get(index, ()))
        tag_messages = tuple(m.text for m in messages.get(index, ()))
        rows.append(_command_row(index, command_count, entry, source, views, tag_messages))
        command_count += 1
    return rows


def _origin(source: Source | None) -> tuple[str, str, str]:
    """The row's origin in one text, and its where and what apart ("" for initialisation)."""
    if source is None:
        return "initialisation", "", ""
    return f"{source.where}: {source.what}", source.where, source.what


def _error_row(index: int, entry: MappingError, source: Source | None) -> LogRow:
    origin, where, what = _origin(source)
    return LogRow(
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


def _command_row(
    index: int,
    command_index: int,
    entry: Command,
    source: Source | None,
    views: tuple[BeaconView, ...],
    tag_messages: tuple[str, ...],
) -> LogRow:
    origin, where, what = _origin(source)
    return LogRow(
        index=index,
        kind="command",
        command_index=command_index,
        method=method_text(entry.method),
        event=entry.event,
        summary=_summary(entry),
        arguments=pretty_json("[" + ",".join(entry.args_json) + "]"),
        calls_json=entry.to_json(),
        origin=origin,
        call_index=entry.message_index,
        effect=_effect(entry, views),
        beacon=next((v for v in views if v.is_beacon), None),
        error=None,
        origin_where=where,
        origin_what=what,
        requests=views,
        tag_messages=tag_messages,
    )


def _counts(result: Result, sources: Sequence[Source]) -> dict[str, int]:
    errors = sum(1 for entry in result.entries if isinstance(entry, MappingError))
    return {
        "calls": len(sources),
        "commands": len(result.entries) - errors,
        "beacons": len(result.beacons),
        "requests": len(result.requests),
        "beacons_with_email": sum(1 for b in result.beacons if b.pd and b.pd.get("em")),
        "errors": errors,
        **{severity: sum(1 for f in result.diagnostics if f.severity == severity) for severity in SYMBOLS},
    }


def _summary(command: Command, limit: int = 70) -> str:
    return shorten(", ".join(stringify(arg) or "undefined" for arg in command.args), limit)


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
        steps.append(Step(source.anchor, source.method, source.where, by_call.get(i, []), i))
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
        field = element_for_setting(finding.field)
        links.append((f"#field-{field}", f"the setting “{field_label(field)}”"))
    return FindingView(
        finding.severity, SYMBOLS[finding.severity], SEVERITY_WORDS[finding.severity], finding.text, links
    )
