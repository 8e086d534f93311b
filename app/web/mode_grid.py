"""The compare page's second view: profile × connection mode, each cell a link to the playground.

The core's ``compare_modes`` runs the deduplication check of every combination; this module
adds what the page needs around it: the playground link of each cell (the same scenario with
that profile and connection mode set) and the verdict tags' symbols.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from flask import url_for

from app.pintrk import PROFILES, VERDICT_WORDS, ModeCell, ModeColumn, ModeGrid, Profile, compare_modes

from .linked import LinkedScenario
from .server_view import VERDICT_SYMBOLS
from .state import PlaygroundState

__all__ = ["ModeCellView", "ModeGridView", "build_mode_grid"]


@dataclass(frozen=True)
class VerdictCount:
    verdict: str
    symbol: str
    words: str  # "Will count twice"
    count: int


@dataclass(frozen=True)
class ModeCellView:
    cell: ModeCell
    url: str  # the playground with this cell's profile and connection mode
    counts: tuple[VerdictCount, ...]
    current: bool  # the playground's own profile and mode

    @property
    def rejected_text(self) -> str:
        """What RudderStack's servers refuse, by message type: "identify", "2 × track"."""
        seen: dict[str, int] = {}
        for kind in self.cell.rejected_messages:
            seen[kind] = seen.get(kind, 0) + 1
        return ", ".join(kind if n == 1 else f"{n:,} × {kind}" for kind, n in seen.items())


@dataclass(frozen=True)
class ModeGridView:
    grid: ModeGrid
    rows: tuple[tuple[Profile, tuple[ModeCellView, ...]], ...]
    cut: str | None = None  # the scenario was cut to a page's worth of messages: said in words

    @property
    def columns(self) -> tuple[ModeColumn, ...]:
        return self.grid.columns


def build_mode_grid(opened: LinkedScenario) -> ModeGridView | None:
    """The grid for the linked scenario; None for pintrk calls (they go to the tag alone)."""
    scenario = opened.result.scenario
    if scenario.pintrk is not None:
        return None
    grid = compare_modes(scenario, replayed=opened.result)
    mode = scenario.settings.connection_mode
    separate = scenario.cloud_settings is not None
    rows = []
    for profile, cells in zip(grid.profiles, grid.rows, strict=True):
        views = tuple(
            ModeCellView(
                cell,
                url_for("playground.index", s=_state_for(opened.state, cell).to_token()),
                _counts(cell),
                profile == opened.state.profile
                and cell.column.connection_mode == mode
                and cell.column.server_destination == separate,
            )
            for cell in cells
        )
        rows.append((PROFILES[profile], views))
    cut = None
    if scenario.total is not None and scenario.total > len(scenario.messages):
        shown = len(scenario.messages)
        cut = (
            f"Counted over the first {shown:,} of {scenario.total:,} {_things(opened)}: "
            f"the page replays at most {shown:,} at once."
        )
    return ModeGridView(grid, tuple(rows), cut)


def _things(opened: LinkedScenario) -> str:
    return "events" if opened.outcome.source == "events" else "SDK calls"


def _state_for(state: PlaygroundState, cell: ModeCell) -> PlaygroundState:
    """The playground's state with the cell's profile and connection mode (everything else kept)."""
    settings = {**state.settings, "connectionMode": {"web": cell.column.connection_mode}}
    changes: dict[str, Any] = {"profile": cell.profile, "settings": settings}
    if not cell.column.server_destination and state.cloud_settings is not None:
        # "Browser destination only": the link leaves the separate server destination out.
        changes["cloud_settings"] = None
    return replace(state, **changes)


def _counts(cell: ModeCell) -> tuple[VerdictCount, ...]:
    return tuple(
        VerdictCount(verdict, VERDICT_SYMBOLS[verdict], VERDICT_WORDS[verdict].capitalize(), n)
        for verdict, n in cell.counts
    )
