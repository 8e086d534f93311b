"""The server path of a replayed scenario as the JSON API and the CLI answer it.

When RudderStack's servers send the scenario's events too (its settings in cloud or hybrid mode,
or a separate cloud-mode destination in ``cloudSettings``), an answer gains ``"cloud"`` (what the
Conversions API receives for each message) and ``"dedup"`` (the deduplication check). When they
don't, the answer has neither key: a device-mode answer stays as it always was.
"""

from __future__ import annotations

from typing import Any

from .cloud import CloudOutcome, cloud_outcomes
from .cloud.cases import check_copies
from .dedup import check_deduplication
from .limits import Budget
from .replay import Result
from .scenario import Scenario

__all__ = ["runs_server_path", "check_server_budget", "server_path_dict"]


def runs_server_path(scenario: Scenario) -> bool:
    """Whether RudderStack's servers send this scenario's events (pintrk calls never go through them)."""
    if scenario.pintrk is not None:
        return False
    return scenario.cloud_settings is not None or scenario.settings.sends_from_server


def check_server_budget(scenario: Scenario, budget: Budget) -> None:
    """Refuse (``OverBudget``), before any work, a server path bigger than ``budget``: an event that
    several eventsMapping rows map is sent whole once per row, as the cloud case files count it."""
    if not runs_server_path(scenario):
        return
    key = "cloudSettings" if scenario.cloud_settings is not None else "settings"
    settings = scenario.server_settings
    check_copies([(message, settings) for message in scenario.messages], budget, f"{key}.eventsMapping")


def server_path_dict(result: Result) -> dict[str, Any] | None:
    """``{"cloud": [one entry per message], "dedup": the check}``, or None when no server sends."""
    if not runs_server_path(result.scenario):
        return None
    outcomes = cloud_outcomes(result.scenario)
    return {
        "cloud": [cloud_entry(outcome) for outcome in outcomes],
        "dedup": check_deduplication(result, outcomes).to_dict(),
    }


def cloud_entry(outcome: CloudOutcome) -> dict[str, Any]:
    """A message's entry: ``{"status", "requests"}`` or ``{"status", "error"}`` (its position is its message)."""
    entry = outcome.to_dict()
    del entry["id"]
    return entry
