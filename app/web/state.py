"""Everything a user typed into the playground, and running it through the core.

A :class:`PlaygroundState` is what a permalink holds: the destination config, the
profile and the texts exactly as typed. The scenario is either the call script or,
when ``messages`` is set, RudderStack messages pasted from a customer (kept verbatim,
messageIds and all). :meth:`PlaygroundState.run` reads it once into an :class:`Outcome`
(the page state): the parsed settings and scenario and the core's result, or errors keyed
by the form field they belong to, so each message can sit next to its field. Every
view reads the Outcome; nothing parses the state's texts a second time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from app.pintrk import (
    PROFILES,
    Result,
    Scenario,
    SdkCall,
    Settings,
    SettingsError,
    parse_settings,
)

from . import limits
from .fields import field_for_setting
from .permalink import PermalinkError, decode, encode
from .scenario_input import (
    Errors,
    read_call_script,
    read_initial_traits,
    read_pasted_events,
    read_pintrk,
    replay_or_error,
    settings_message,
)

__all__ = ["PlaygroundState", "Outcome", "PermalinkError", "open_link"]

_TOKEN_KEYS = {"settings": "s", "profile": "p", "calls": "c", "initial_traits": "t"}
# Optional keys: absent in tokens made before they existed, so those links still open.
_OPTIONAL_TOKEN_KEYS = {"messages": "m", "pintrk": "k"}


@dataclass(frozen=True)
class Outcome:
    """The page state: the state read once (settings, scenario) and run, or why it can't be."""

    result: Result | None  # None when input errors prevent a run
    errors: Errors = field(default_factory=dict)  # form field name → messages
    call_lines: list[int] = field(default_factory=list)  # the line of each call; message i ↔ call i
    calls: list[SdkCall] = field(default_factory=list)
    # With imported events (state.messages): the messages replayed, and for each its
    # 1-based position among the pasted entries (skipped entries keep their numbers).
    source: str = "calls"  # "calls" | "events" | "pintrk"
    messages: list[Any] = field(default_factory=list)
    event_numbers: list[int] = field(default_factory=list)
    # Remarks that don't stop anything (field → texts), e.g. an event without a messageId.
    notes: dict[str, list[str]] = field(default_factory=dict)
    # The first imported event's context.traits, offered as initial traits.
    suggested_traits: dict[str, Any] = field(default_factory=dict)
    settings: Settings | None = None  # the parsed settings (None: they have errors, or were not read)
    initial_traits: dict[str, Any] | None = None  # the parsed initial traits (None: not read, or errors)

    @property
    def ok(self) -> bool:
        return self.result is not None and not self.errors

    @property
    def scenario(self) -> Scenario | None:
        """What was replayed (``None`` when input errors stopped the run)."""
        return self.result.scenario if self.result is not None else None


@dataclass(frozen=True)
class PlaygroundState:
    settings: dict[str, Any]  # RudderStack destination config (JSON shape, unknown keys kept)
    profile: str  # "docs" | "sdk-v1" | "sdk-v3"
    calls: str  # the call script, verbatim
    initial_traits: str  # JSON text as typed; "" means none
    # Pasted RudderStack events (JSON text as pasted: one message, a list or a {"batch": […]}
    # body), replayed instead of ``calls`` when set. ``calls`` is kept for switching back.
    messages: str | None = None
    # pintrk calls as JSON text ([["load", "2612…"], ["page"], …]), given to the tag as they
    # are (no settings, no SDK): QA's way to check the tag alone. Wins over the two above.
    pintrk: str | None = None

    @property
    def source(self) -> str:
        return "pintrk" if self.pintrk is not None else "events" if self.messages is not None else "calls"

    def to_token(self) -> str:
        data = {short: getattr(self, name) for name, short in _TOKEN_KEYS.items()}
        for name, short in _OPTIONAL_TOKEN_KEYS.items():
            if getattr(self, name) is not None:
                data[short] = getattr(self, name)
        return encode(data)

    @classmethod
    def from_token(cls, token: str) -> PlaygroundState:
        """The state a link holds; raises PermalinkError when it can't be opened."""
        state = _decoded(token)
        _link_settings(state.settings)
        return state

    def run(self) -> Outcome:
        return self._run(None if self.pintrk is not None else _parsed(self.settings))

    def _run(self, settings: Settings | SettingsError | None) -> Outcome:
        """The run, with the settings read already (``None``: not needed, the tag runs alone)."""
        # Limits first (characters, rows): nothing runs on input over them.
        texts = {"calls": self.calls, "initial_traits": self.initial_traits, "pintrk": self.pintrk or ""}
        over = limits.state_errors(self.settings, texts)
        parsed = settings if isinstance(settings, Settings) else None
        if over:
            return Outcome(None, over, source=self.source, settings=parsed)
        if self.pintrk is not None:
            return _run_pintrk(self.pintrk, self.profile, parsed)
        errors: Errors = {}
        if isinstance(settings, SettingsError):
            errors.setdefault(field_for_setting(settings.path), []).append(settings_message(settings))
        if self.profile not in PROFILES:
            names = ", ".join(f"{p.label} ({name})" for name, p in PROFILES.items())
            errors.setdefault("profile", []).append(f"Choose a behaviour profile: {names}.")
        traits = read_initial_traits(self.initial_traits, errors)

        def outcome(result: Result | None, **more: Any) -> Outcome:
            return Outcome(result, errors, settings=parsed, initial_traits=traits, **more)

        if self.messages is not None:
            events = read_pasted_events(self.messages, errors)
            if events.messages is None or parsed is None or traits is None or _blocking(errors):
                return outcome(None, **events.outcome_fields())
            scenario = Scenario(parsed, traits, tuple(events.messages))
            result = replay_or_error(scenario, self.profile, "messages", errors)
            # Skipped entries stay listed next to the field, but don't stop the valid ones.
            return outcome(result, **events.outcome_fields())
        calls, messages = read_call_script(self.calls, traits, errors)
        call_lines = [call.line for call in calls]
        if errors or parsed is None or traits is None:
            return outcome(None, call_lines=call_lines, calls=calls)
        result = replay_or_error(Scenario(parsed, traits, tuple(messages)), self.profile, "calls", errors)
        return outcome(result, call_lines=call_lines, calls=calls)


def open_link(token: str) -> tuple[PlaygroundState, Outcome]:
    """The state a link holds and its run, its settings read once; raises PermalinkError."""
    state = _decoded(token)
    return state, state._run(_link_settings(state.settings))


def _decoded(token: str) -> PlaygroundState:
    data = decode(token)
    values = {name: data.get(short) for name, short in _TOKEN_KEYS.items()}
    optional = {name: data[short] for name, short in _OPTIONAL_TOKEN_KEYS.items() if short in data}
    complete = (
        set(data) - set(_OPTIONAL_TOKEN_KEYS.values()) == set(_TOKEN_KEYS.values())
        and isinstance(values["settings"], dict)
        and all(isinstance(values[name], str) for name in ("profile", "calls", "initial_traits"))
        and all(isinstance(value, str) for value in optional.values())
    )
    if not complete:
        raise PermalinkError("This link is damaged: it doesn't hold a complete playground scenario.")
    if values["profile"] not in PROFILES:
        raise PermalinkError(
            f"This link asks for a behaviour profile the playground doesn't know ({values['profile'][:40]!r})."
        )
    return PlaygroundState(**values, **optional)


def _link_settings(config: dict[str, Any]) -> Settings:
    """A link's settings, parsed; a state that came from the form always has well-typed ones."""
    settings = _parsed(config)
    if isinstance(settings, SettingsError):
        raise PermalinkError(f"This link's destination settings are not valid: {settings}.")
    too_big = limits.settings_problem(config)
    if too_big:  # refused here: the page would have to build every row
        raise PermalinkError(f"This link can't be opened: {too_big}.")
    return settings


def _parsed(config: dict[str, Any]) -> Settings | SettingsError:
    try:
        return parse_settings(config)
    except SettingsError as exc:
        return exc


def _run_pintrk(text: str, profile: str, settings: Settings | None) -> Outcome:
    """The tag alone: the pasted pintrk calls, as they are."""
    errors: Errors = {}
    scenario, notes = read_pintrk(text, errors)
    if scenario is None:
        return Outcome(None, errors, source="pintrk", settings=settings)
    result = replay_or_error(scenario, profile, "pintrk", errors)
    return Outcome(result, errors, source="pintrk", notes=notes, settings=settings)


def _blocking(errors: Errors) -> bool:
    return any(name != "messages" for name in errors)
