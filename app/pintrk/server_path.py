"""The server path of a replayed scenario as the JSON API and the CLI answer it.

When RudderStack's servers send the scenario's events too (its settings in cloud or hybrid mode,
or a separate cloud-mode destination in ``cloudSettings``), an answer gains ``"cloud"`` (what the
Conversions API receives for each message) and ``"dedup"`` (the deduplication check). When they
don't, the answer has neither key: a device-mode answer stays as it always was.
"""

from __future__ import annotations

from typing import Any

from .cloud import CloudOutcome
from .cloud.cases import check_copies
from .dedup import both_paths
from .limits import Budget
from .replay import Result
from .scenario import Scenario

__all__ = ["check_server_budget", "server_path_dict"]


def check_server_budget(scenario: Scenario, budget: Budget) -> None:
    """Refuse (``OverBudget``), before any work, a server path bigger than ``budget``: an event that
    several eventsMapping rows map is sent whole once per row, as the cloud case files count it."""
    if not scenario.server_sends:
        return
    key = "cloudSettings" if scenario.cloud_settings is not None else "settings"
    settings = scenario.server_settings
    check_copies([(message, settings) for message in scenario.messages], budget, f"{key}.eventsMapping")


def server_path_dict(result: Result) -> dict[str, Any] | None:
    """``{"cloud": [one entry per message], "dedup": the check}``, or None when no server sends."""
    paths = both_paths(result)
    if paths is None:
        return None
    outcomes, check = paths
    return {"cloud": [cloud_entry(outcome) for outcome in outcomes], "dedup": check.to_dict()}


def cloud_entry(outcome: CloudOutcome) -> dict[str, Any]:
    """A message's entry: ``{"status", "requests"}`` or ``{"status", "error"}`` (its position is its message)."""
    entry = outcome.to_dict()
    del entry["id"]
    return entry
