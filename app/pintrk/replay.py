"""The single entry point: a scenario under a profile → commands, beacons, findings."""

from __future__ import annotations

import gc
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Iterator, Mapping, Sequence

from .diagnostics import Finding, diagnose
from .jsvalue import get_property
from .mapping import Command, Entry, init_commands, map_message
from .memo import cached_property
from .profiles import Profile, get_profile
from .settings import Settings, parse_settings
from .tag import Beacon, simulate

__all__ = ["Scenario", "Result", "replay", "stored_traits_after", "cyclic_gc_paused"]


@dataclass(frozen=True)
class Scenario:
    """Settings, the traits stored before the page loaded, and RudderStack messages."""

    settings: Settings = field(default_factory=Settings)
    initial_traits: Mapping[str, Any] = field(default_factory=dict)
    messages: Sequence[Any] = ()
    id: str | None = None

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Scenario":
        """A scenario in the conformance format (``settings``, ``initialTraits``, ``messages``).

        Raises :class:`SettingsError` for the settings, ``ValueError`` for the rest.
        """
        settings = parse_settings(data.get("settings") or {})
        traits = data.get("initialTraits") or {}
        if not isinstance(traits, Mapping):
            raise ValueError("initialTraits must be an object ({ … })")
        messages = data.get("messages", [])
        if not isinstance(messages, list):
            raise ValueError("messages must be a list ([ … ])")
        scenario_id = data.get("id")
        return cls(
            settings=settings,
            initial_traits=traits,
            messages=tuple(messages),
            id=scenario_id if isinstance(scenario_id, str) else None,
        )


@dataclass(frozen=True)
class Result:
    scenario: Scenario
    profile: Profile
    entries: tuple[Entry, ...]  # commands and error entries, in execution order
    beacons: tuple[Beacon, ...]

    @cached_property
    def diagnostics(self) -> tuple[Finding, ...]:
        """Findings in plain words; worked out on first use (the mapping doesn't need them)."""
        return tuple(diagnose(self.scenario, self.profile, self.entries, self.beacons))

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


def replay(scenario: Scenario, profile: Profile | str | None = None) -> Result:
    """Run a scenario through the integration and the simulated tag."""
    if not isinstance(profile, Profile):
        profile = get_profile(profile)
    with cyclic_gc_paused():
        return _replay(scenario, profile)


def _replay(scenario: Scenario, profile: Profile) -> Result:
    settings = scenario.settings
    traits: Any = scenario.initial_traits
    entries: list[Entry] = list(init_commands(settings, traits))
    for index, message in enumerate(scenario.messages):
        traits = stored_traits_after(traits, message)
        entries.extend(map_message(message, index, settings, profile, traits))
    return Result(scenario, profile, tuple(entries), tuple(simulate(entries)))
