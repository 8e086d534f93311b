"""The single entry point: a scenario under a profile → commands, beacons, findings."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from .diagnostics import Finding, diagnose
from .jsvalue import get_property
from .limits import API, Budget, check_scenario
from .mapping import Command, Entry, init_commands, map_message
from .memo import cached_property
from .profiles import Profile, get_profile
from .scenario import Scenario
from .tag import Request, TagMessage, TagRun, simulate

__all__ = ["Scenario", "Result", "replay", "stored_traits_after", "cyclic_gc_paused"]


@dataclass(frozen=True)
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


def stored_traits_after(traits: Any, message: Any) -> Any:
    """The user traits the SDK holds once ``message`` is being handled.

    An identify replaces them with its ``context.traits`` (the SDK merged them
    already); other messages leave them alone.
    """
    if isinstance(message, dict) and message.get("type") == "identify":
        context = get_property(message, "context")
        new = context.get("traits") if isinstance(context, dict) else None
        if isinstance(new, dict):
            return new
    return traits


@contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """Pause the cycle collector while a replay allocates many small objects.

    Everything a replay builds is a tree (no reference cycles), so reference
    counting frees it all; the collector would only rescan an ever larger
    heap, which made a 100k-message replay cost twice as much per message as
    a 1k one.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def replay(scenario: Scenario, profile: Profile | str | None = None, budget: Budget = API) -> Result:
    """Run a scenario through the integration and the simulated tag.

    Raises :class:`~app.pintrk.budget.OverBudget` before any work for a scenario over the
    per-request ``budget`` (messages, products; the JSON values were counted on the text).
    """
    if not isinstance(profile, Profile):
        profile = get_profile(profile)
    check_scenario(scenario.pintrk if scenario.pintrk is not None else scenario.messages, budget)
    with cyclic_gc_paused():
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
