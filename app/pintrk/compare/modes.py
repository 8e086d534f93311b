"""Profile × connection mode: which combinations count conversions twice.

One scenario under every profile and every connection mode (device, cloud, hybrid), each cell
the deduplication check of that combination. With a separate server destination
(``Scenario.cloud_settings``) the columns are that customer's choices instead: the browser
destination alone, the server destination alone, or both. Every cell is the check itself —
``check_deduplication`` of ``replay`` and ``cloud_outcomes`` with the column's settings — so the
grid never says anything the check would not.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from ..cloud import cloud_outcomes
from ..dedup import VERDICT_WORDS, DedupCheck, Verdict, check_deduplication
from ..profiles import PROFILES, Profile, get_profile
from ..replay import Result, replay
from ..scenario import Scenario

__all__ = ["ModeColumn", "ModeCell", "ModeGrid", "compare_modes", "MODE_COLUMNS", "DESTINATION_COLUMNS"]

# Reasons (the check's stable codes) that mean RudderStack's servers refused the message.
_REJECTED = frozenset({"server-rejected", "identify-rejected"})


@dataclass(frozen=True)
class ModeColumn:
    """One way of sending the scenario's events."""

    key: str  # "device" | "cloud" | "hybrid", or "browser-destination" | "server-destination" | "both"
    label: str  # the column's heading
    description: str  # what sends the events, in words
    phrase: str  # the column in a sentence: "in hybrid mode", "with both destinations"
    connection_mode: str  # the (browser) destination's connectionMode
    server_destination: bool  # the separate server destination is kept (only with one)


MODE_COLUMNS = (
    ModeColumn(
        "device", "Device mode", "the Pinterest tag in the browser", "in device mode", "device", False
    ),
    ModeColumn(
        "cloud",
        "Cloud mode",
        "RudderStack's servers (Pinterest's Conversions API)",
        "in cloud mode",
        "cloud",
        False,
    ),
    ModeColumn(
        "hybrid", "Hybrid mode", "both the tag and RudderStack's servers", "in hybrid mode", "hybrid", False
    ),
)
DESTINATION_COLUMNS = (
    ModeColumn(
        "browser-destination",
        "Browser destination only",
        "the device-mode destination, without the server one",
        "with the browser destination only",
        "device",
        False,
    ),
    ModeColumn(
        "server-destination",
        "Server destination only",
        "the server destination, without the browser one",
        "with the server destination only",
        "cloud",
        True,
    ),
    ModeColumn(
        "both",
        "Both destinations",
        "the browser destination and the server destination",
        "with both destinations",
        "device",
        True,
    ),
)


@dataclass(frozen=True)
class ModeCell:
    profile: str
    column: ModeColumn
    check: DedupCheck

    @property
    def events(self) -> int:
        return len(self.check.events)

    @property
    def rejected(self) -> int:
        """Messages RudderStack's servers refuse (their dashboard shows each as an error)."""
        return len(self.rejected_messages)

    @property
    def rejected_messages(self) -> tuple[str, ...]:
        """The type of each message the servers refuse ("identify": the API has no such event)."""
        return tuple(
            pair.message_type for pair in self.check.pairs if any(r.kind in _REJECTED for r in pair.reasons)
        )

    @property
    def counts(self) -> tuple[tuple[Verdict, int], ...]:
        """Each verdict that occurs, with how many events have it (in the check's order)."""
        found = ((verdict, self.check.count(verdict)) for verdict in VERDICT_WORDS)
        return tuple((verdict, n) for verdict, n in found if n)

    @property
    def deduplicates_everything(self) -> bool:
        """Both paths send every event and Pinterest counts each once."""
        return self.events > 0 and self.check.count("deduplicated") == self.events

    @property
    def text(self) -> str:
        """The cell in one line: the browser only, the server only, or the check's summary."""
        if self.check.browser_sends and self.check.server_sends:
            return self.check.summary
        if self.check.browser_sends:
            return _events(self.check.count("browser-only"), "from the browser only")
        text = _events(self.check.count("server-only"), "from the server only")
        return f"{text} ({self.rejected:,} rejected)" if self.rejected else text

    def to_dict(self) -> dict[str, Any]:
        return {
            "profile": self.profile,
            "column": self.column.key,
            "text": self.text,
            "deduplicatesEverything": self.deduplicates_everything,
            "rejected": self.rejected,
            "counts": {verdict: self.check.count(verdict) for verdict in VERDICT_WORDS},
        }


@dataclass(frozen=True)
class ModeGrid:
    profiles: tuple[str, ...]
    columns: tuple[ModeColumn, ...]
    rows: tuple[tuple[ModeCell, ...], ...]  # one per profile, a cell per column
    separate_server: bool  # the columns are destinations, not one destination's modes

    @property
    def conclusion(self) -> str:
        """One sentence: which combinations deduplicate every event, if any."""
        cells = [cell for row in self.rows for cell in row]
        if not any(cell.events for cell in cells):
            return "This scenario sends no events, so nothing can count twice."
        good = [cell for cell in cells if cell.deduplicates_everything]
        if not good:
            return "No combination deduplicates every event."
        if len(good) == 1:
            return f"Only {good[0].profile} {good[0].column.phrase} deduplicates every event."
        columns = {cell.column.key for cell in good}
        if len(columns) == 1 and len(good) == len(self.profiles):
            return f"Every profile {good[0].column.phrase} deduplicates every event."
        return f"{_and([f'{cell.profile} {cell.column.phrase}' for cell in good])} deduplicate every event."

    def cell(self, profile: str, column: str) -> ModeCell:
        row = self.rows[self.profiles.index(profile)]
        return next(cell for cell in row if cell.column.key == column)

    def to_dict(self) -> dict[str, Any]:
        return {
            "columns": [
                {"key": c.key, "label": c.label, "connectionMode": c.connection_mode} for c in self.columns
            ],
            "separateServer": self.separate_server,
            "rows": [
                {"profile": p, "cells": [c.to_dict() for c in row]}
                for p, row in zip(self.profiles, self.rows, strict=True)
            ],
            "conclusion": self.conclusion,
        }


def compare_modes(
    scenario: Scenario,
    profiles: Sequence[str | Profile] = tuple(PROFILES),
    *,
    replayed: Result | None = None,
) -> ModeGrid:
    """The deduplication check of ``scenario`` under each profile and each connection mode.

    ``replayed``: a run of ``scenario`` the caller has already (a page's own result), used for its
    profile instead of replaying it again."""
    chosen = [p if isinstance(p, Profile) else get_profile(p) for p in profiles]
    if len({p.name for p in chosen}) != len(chosen):
        raise ValueError("each profile can be compared only once")
    separate = scenario.cloud_settings is not None
    columns = DESTINATION_COLUMNS if separate else MODE_COLUMNS
    variants = [_variant(scenario, column) for column in columns]
    # The connection mode decides which paths send, not what each sends: the tag's run (per
    # profile) and the server's requests are worked out once, and each column's check reads its
    # own settings (the check ignores the server's requests where no server sends). The tests
    # hold every cell to a run of its own.
    outcomes = cloud_outcomes(variants[-1])  # the last column sends from both sides
    rows = []
    for profile in chosen:
        reuse = replayed is not None and replayed.scenario is scenario and replayed.profile == profile
        result = replayed if reuse and replayed is not None else replay(scenario, profile)
        rows.append(
            tuple(
                ModeCell(
                    profile.name, column, check_deduplication(replace(result, scenario=variant), outcomes)
                )
                for column, variant in zip(columns, variants, strict=True)
            )
        )
    return ModeGrid(tuple(p.name for p in chosen), columns, tuple(rows), separate)


def _variant(scenario: Scenario, column: ModeColumn) -> Scenario:
    """The scenario sent the column's way: its destination's connection mode, and the separate
    server destination kept or dropped."""
    settings = replace(scenario.settings, connection_mode=column.connection_mode)
    cloud_settings = scenario.cloud_settings if column.server_destination else None
    return replace(scenario, settings=settings, cloud_settings=cloud_settings)


def _events(count: int, where: str) -> str:
    if count == 0:
        return f"No events {where.removesuffix(' only')}"
    return f"{count:,} event{'s' if count != 1 else ''} {where}"


def _and(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
