"""The compare blueprint: a playground scenario under each behaviour profile, side by side.

The page takes the playground's permalink (``?s=``); the core's ``compare_profiles`` pairs the
commands, and this module arranges them for the table. Its second view (``?view=modes``,
``mode_grid``) shows the deduplication check under each profile and connection mode.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, Response, render_template, request, url_for

from app.pintrk import (
    MAX_RENDERED_ROWS,
    PROFILES,
    Command,
    Entry,
    FieldMark,
    ProfileDifference,
    compare_profiles,
    mark_fields,
    showing_first,
    stringify,
    to_js_string,
)

from . import errors
from .linked import LinkedScenario, open_linked
from .mode_grid import build_mode_grid
from .pages import html_response

__all__ = ["bp"]

bp = Blueprint("compare", __name__)


@dataclass(frozen=True)
class CommandView:
    method: str
    label: str  # the event name, the Tag ID, …; "" when there is none
    json: str
    differs: bool
    label_differs: bool
    only_in: bool  # some profile has no such command here
    fields: tuple[FieldMark, ...]
    error: str | None = None


@dataclass(frozen=True)
class CompareRow:
    index: int | None
    where: str
    what: str
    cells: list[list[CommandView]]  # in the order of the profiles
    differences: tuple[ProfileDifference, ...]


@bp.get("/compare")
def index() -> Response:
    opened = open_linked(request.args.get("s", ""), purpose="compare")
    if opened is None:
        return errors.error_page(
            400,
            "This page compares a playground scenario under each profile, so it needs the scenario's link. "
            "Open a scenario in the playground, then use “Compare profiles” above its results.",
        )
    if isinstance(opened, Response):
        return opened
    views = _views(opened)
    if request.args.get("view") == "modes" and views:
        # The second view is its own request: each stays within a page's budget.
        modes = build_mode_grid(opened)
        return html_response(
            render_template(
                "compare/modes.html",
                playground=opened,
                modes=modes,
                views=views,
                view="modes",
                decode_url=url_for("decode.index", s=opened.token),
            )
        )
    comparison = compare_profiles(opened.result.scenario)
    # The table shows the first MAX_RENDERED_ROWS rows; the summary counts them all.
    shown = comparison.rows[:MAX_RENDERED_ROWS]
    rows = [_compare_row(opened, row, comparison.profiles) for row in shown]
    differing_rows = sum(1 for row in comparison.rows if row.differences)
    cut = None
    if len(shown) < len(comparison.rows):
        hidden = differing_rows - sum(1 for row in shown if row.differences)
        cut = showing_first(len(shown), len(comparison.rows), "rows") + (
            f" {hidden:,} more row{'s' if hidden != 1 else ''} below {'differ' if hidden != 1 else 'differs'}: "
            "the JSON API's /api/v1/compare lists every row."
            if hidden
            else " The rows after them are the same in every profile."
        )
    html = render_template(
        "compare/index.html",
        playground=opened,
        profiles=[PROFILES[name] for name in comparison.profiles],
        current=opened.state.profile,
        rows=rows,
        total_rows=len(comparison.rows),
        rows_cut=cut,
        summary=comparison.summary,
        differing_rows=differing_rows,
        decode_url=url_for("decode.index", s=opened.token),
        views=views,
        view="profiles",
    )
    return html_response(html)


def _views(opened: LinkedScenario) -> dict[str, tuple[str, str]]:
    """The page's views (key → label, link); none to choose from for pintrk calls given to the tag
    alone (no profile or connection mode applies to them)."""
    if opened.result.scenario.pintrk is not None:
        return {}
    separate = opened.result.scenario.cloud_settings is not None
    return {
        "profiles": ("Commands by profile", url_for("compare.index", s=opened.token)),
        "modes": (
            f"Profile × {'destination' if separate else 'connection mode'}",
            url_for("compare.index", s=opened.token, view="modes"),
        ),
    }


def _compare_row(playground: LinkedScenario, row: Any, names: Sequence[str]) -> CompareRow:
    where, what = playground.message_label(row.message_index)
    jsons = {name: [e.to_json() for e in row.commands[name]] for name in names}
    cells = []
    for name in names:
        views = []
        seen: dict[tuple[str, bool], int] = {}
        for entry in row.commands[name]:
            key = _pair_key(entry)
            occurrence = seen.get(key, 0)
            seen[key] = occurrence + 1
            others = {other: _nth(row.commands[other], key, occurrence) for other in names if other != name}
            differs = bool(row.differences) and any(entry.to_json() not in jsons[o] for o in others)
            views.append(_command_view(entry, others, differs))
        cells.append(views)
    return CompareRow(row.message_index, where, what, cells, row.differences)


def _pair_key(entry: Entry) -> tuple[str, bool]:
    """Commands are paired across profiles by method (the limited-data-processing set() apart)."""
    if not isinstance(entry, Command):
        return ("error", False)
    return (entry.method, entry.is_ldp_set)


def _nth(entries: Sequence[Entry], key: tuple[str, bool], n: int) -> Entry | None:
    matching = [e for e in entries if _pair_key(e) == key]
    return matching[n] if n < len(matching) else None


def _command_view(entry: Entry, others: Mapping[str, Entry | None], differs: bool) -> CommandView:
    if not isinstance(entry, Command):
        return CommandView(
            "error", "", entry.to_json(), differs, False, differs and None in others.values(), (), entry.error
        )
    counterparts = [c for c in others.values() if isinstance(c, Command)]
    label = _command_label(entry)
    label_differs = differs and any(_command_label(c) != label for c in counterparts)
    fields = mark_fields(entry.data, [c.data for c in counterparts], differs)
    only_in = differs and any(c is None for c in others.values())
    return CommandView(entry.method, label, entry.to_json(), differs, label_differs, only_in, fields)


def _command_label(command: Command) -> str:
    if command.method == "track":
        return (
            command.event
            if command.event is not None
            else (stringify(command.args[0]) if command.args else "")
        )
    if command.method == "load" and command.args:
        return to_js_string(command.args[0])
    return ""
