"""The single entry point: a scenario under a profile → commands, beacons, findings."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

from .diagnostics import Finding, diagnose
from .limits import API, Budget, check_scenario
from .mapping import Command, Entry, init_commands, map_message
from .messages import stored_traits_after
from .profiles import Profile, get_profile
from .scenario import Scenario
from .tag import Request, TagMessage, TagRun, simulate

__all__ = ["Scenario", "Result", "replay"]


# Not a value type (eq=False: one run's outcome, equal only to itself). The findings are
# worked out on first use and kept: the mapping doesn't need them (compare_profiles, the
# benchmark), a page reads them several times, and they cost ~10% of a replay.
@dataclass(frozen=True, eq=False)
class Result:
    scenario: Scenario
    profile: Profile
    entries: tuple[Entry, ...]  # commands and error entries, in execution order
    tag: TagRun  # what Pinterest's tag makes of the commands: requests and console messages

    @cached_property
    def diagnostics(self) -> tuple[Finding, ...]:
        """Findings in plain words; worked out on first use (the mapping doesn't need them)."""
        return tuple(diagnose(self.scenario, self.profile, self.entries, self.tag))

    @property
    def requests(self) -> tuple[Request, ...]:
        """Every request the tag makes (``/user/`` and ``/v3/``), in order."""
        return self.tag.requests

    @property
    def beacons(self) -> tuple[Request, ...]:
        """The ``/v3/`` requests: the conversion events Pinterest counts."""
        return self.tag.beacons

    @property
    def tag_messages(self) -> tuple[TagMessage, ...]:
        return self.tag.messages

    @property
    def commands(self) -> tuple[Command, ...]:
        return tuple(e for e in self.entries if isinstance(e, Command))

    @property
    def calls_json(self) -> list[str]:
        """One ``JSON.stringify`` per entry, exactly as in the conformance vectors."""
        return [entry.to_json() for entry in self.entries]


def replay(scenario: Scenario, profile: Profile | str | None = None, budget: Budget = API) -> Result:
    """Run a scenario through the integration and the simulated tag.

    Raises :class:`~app.pintrk.limits.OverBudget` before any work for a scenario over the
    per-request ``budget`` (messages, products; the JSON values were counted on the text).
    """
    if not isinstance(profile, Profile):
        profile = get_profile(profile)
    check_scenario(scenario.pintrk if scenario.pintrk is not None else scenario.messages, budget)
    return _replay(scenario, profile)


def _replay(scenario: Scenario, profile: Profile) -> Result:
    if scenario.pintrk is not None:  # straight to the tag
        # Each call is its own step of the scenario (message_index i names it).
        calls = [Command(call[0], tuple(call[1:]), i) for i, call in enumerate(scenario.pintrk)]
        return Result(scenario, profile, tuple(calls), simulate(calls))
    settings = scenario.settings
    traits: Any = scenario.initial_traits
    entries: list[Entry] = list(init_commands(settings, traits))
    for index, message in enumerate(scenario.messages):
        traits = stored_traits_after(traits, message)
        entries.extend(map_message(message, index, settings, profile, traits))
    return Result(scenario, profile, tuple(entries), simulate(entries))
