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
    DEFAULT_PROFILE,
    PAGE_BUDGET,
    PROFILES,
    ImportedEvents,
    InputError,
    OverBudget,
    Result,
    Scenario,
    SdkCall,
    Settings,
    load_scenario,
    mask_config,
    replay,
)

from . import limits
from .conversion_token import masked_text
from .pasted_events import events_fields, events_offers, page_cut_note
from .permalink import PermalinkError, decode, encode
from .scenario_errors import Errors, by_kind, field_errors, settings_words

__all__ = ["PlaygroundState", "Outcome", "PermalinkError", "open_link"]

_TOKEN_KEYS = {"settings": "s", "profile": "p", "calls": "c", "initial_traits": "t"}
# Optional keys: absent in tokens made before they existed, so those links still open.
_OPTIONAL_TOKEN_KEYS = {"messages": "m", "pintrk": "k", "cloud_settings": "d"}


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
    pasted: ImportedEvents | None = None  # the pasted events as read (all: the page runs the first 1,000)
    # The chosen source has no steps yet (nothing typed, or only comments): the page says what to
    # type rather than "0 SDK calls … no problems found".
    nothing_to_run: bool = False

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
    # A separate cloud-mode destination's config, as typed (JSON text; the document's
    # cloudSettings), for a customer with one device-mode and one cloud-mode destination.
    cloud_settings: str | None = None

    def __post_init__(self) -> None:
        # The conversion token is a password: a state is what links, exports and pages are made
        # of, so it never holds one in clear, whatever it was made from (a form, a crafted link).
        object.__setattr__(self, "settings", mask_config(self.settings))
        if self.cloud_settings is not None:
            object.__setattr__(self, "cloud_settings", masked_text(self.cloud_settings))

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
        return self._run(None)

    def document(self, settings: Settings | None = None) -> dict[str, Any]:
        """The state as a scenario document for :func:`load_scenario` (``settings``: read already)."""
        # A blank box is no steps yet (an empty list), not an error: the page says what to type.
        if self.pintrk is not None:  # the tag alone: no settings, no SDK
            return {"pintrk": self.pintrk if self.pintrk.strip() else "[]"}
        if self.messages is not None:
            steps = {"events": self.messages if self.messages.strip() else "[]"}
        else:
            steps = {"calls": self.calls}
        cloud = {"cloudSettings": self.cloud_settings} if self.cloud_settings is not None else {}
        return {
            "settings": settings if settings is not None else self.settings,
            **cloud,
            "initialTraits": self.initial_traits,
            **steps,
        }

    def _run(self, settings: Settings | None) -> Outcome:
        """The run (``settings``: a link's, read already; the tag alone runs without them)."""
        # Limits first (characters, rows): nothing runs on input over them.
        texts = {
            "calls": self.calls,
            "initial_traits": self.initial_traits,
            "pintrk": self.pintrk or "",
            "cloud_settings": self.cloud_settings or "",
        }
        over = limits.state_errors(self.settings, texts)
        if over:
            return Outcome(None, over, source=self.source, settings=settings)
        problems: tuple[InputError, ...] = ()
        try:
            scenario: Scenario | None = load_scenario(self.document(settings), budget=PAGE_BUDGET)
        except InputError as exc:  # the scenario, as far as it could be read, is still shown
            scenario, problems = exc.scenario, exc.problems
        return self._outcome(scenario, problems, settings)

    def _outcome(
        self, scenario: Scenario | None, problems: tuple[InputError, ...], settings: Settings | None
    ) -> Outcome:
        """What the page shows for the scenario read (or as far as it was) and its problems."""
        steps_field = _STEPS_FIELDS[self.source]
        settings_problems, field_problems, run_problems = by_kind(problems)
        errors: Errors = {}
        field_errors(settings_problems, steps_field, errors)
        if self.pintrk is None and self.profile not in PROFILES:
            names = ", ".join(f"{p.label} ({name})" for name, p in PROFILES.items())
            errors.setdefault("profile", []).append(f"Choose a behaviour profile: {names}.")
        field_errors(field_problems, steps_field, errors)
        read = _steps_read(scenario, errors) if scenario is not None else {}
        field_errors(run_problems, steps_field, errors)
        result = None
        if scenario is not None and not problems and "profile" not in errors:
            try:
                # pintrk calls go to the tag as they are: no profile applies, so none is asked for.
                profile = self.profile if self.profile in PROFILES else DEFAULT_PROFILE
                result = replay(scenario, profile, PAGE_BUDGET)
            except OverBudget as exc:  # load_scenario checked the same budget: not expected
                field_errors([exc], steps_field, errors)
        if self.pintrk is None and scenario is not None:
            if not settings_problems:
                settings = scenario.settings
            if not any(p.location is not None and p.location.path == "initialTraits" for p in field_problems):
                read["initial_traits"] = dict(scenario.initial_traits)
        if result is not None and self.source == "events":
            read["notes"] = {**read.get("notes", {}), **events_offers(result, self.initial_traits)}
        empty = result is not None and not (result.scenario.messages or result.scenario.pintrk)
        nothing_to_run = empty and steps_field not in errors
        return Outcome(
            result, errors, source=self.source, settings=settings, nothing_to_run=nothing_to_run, **read
        )


_STEPS_FIELDS = {"calls": "calls", "events": "messages", "pintrk": "pintrk"}


def _steps_read(scenario: Scenario, errors: Errors) -> dict[str, Any]:
    """The Outcome's fields for the steps read: the calls and their lines, the pasted events
    (what was left out goes beside the field), the pintrk calls' cut."""
    if scenario.pintrk is not None:
        total = scenario.total
        cut = {"pintrk": [page_cut_note(len(scenario.pintrk), total, "pintrk calls")]} if total else {}
        return {"notes": cut}
    if scenario.events is not None:
        return events_fields(scenario, errors)
    calls = list(scenario.calls or ())
    return {"calls": calls, "call_lines": [call.line for call in calls]}


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
    """A link's settings, read; a state that came from the form always has well-typed ones."""
    try:
        settings = load_scenario({"settings": config}, budget=PAGE_BUDGET).settings
    except InputError as exc:
        raise PermalinkError(
            f"This link's destination settings are not valid: {settings_words(exc)}."
        ) from None
    too_big = limits.settings_problem(config)
    if too_big:  # refused here: the page would have to build every row
        raise PermalinkError(f"This link can't be opened: {too_big}.")
    return settings
