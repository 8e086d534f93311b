"""A scenario, and the one way input becomes one: :func:`load_scenario`.

Every caller (the page's form and its links, the JSON API, the CLI, reproduction files) hands
:func:`load_scenario` a *document* in the conformance/API shape::

    {"id": "…", "settings": {…} or "JSON text", "initialTraits": {…} or "JSON text",
     and at most one of
     "messages": [RudderStack messages],  "calls": "rudderanalytics.track(…); …",
     "events": pasted events (JSON text or the parsed value),  "pintrk": [["load", "2612…"], …]}

and gets a :class:`Scenario` back, or an :class:`~app.pintrk.errors.InputError` saying what is
wrong and where in the document (``settings.tagId``, ``calls: line 3, column 5``), with a
stable ``code``; :class:`~app.pintrk.errors.InputErrors` when several fields are wrong at once.
Every limit (characters, calls, nesting, messages, values, products) is checked here, before any
mapping, from the one table in :mod:`app.pintrk.limits`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from . import limits
from .calls import CallScriptError, SdkCall, parse_call_script
from .errors import InputError, InputErrors, Location, item_path
from .events_import import ImportedEvents, import_events
from .jsvalue import JSONInputError, loads, max_bracket_depth
from .limits import API, Budget, OverBudget
from .messages import MessageError, build_messages
from .settings import Settings, parse_settings

__all__ = ["Scenario", "SOURCES", "load_scenario", "pintrk_calls", "event_numbers"]

# Where a scenario's steps come from; a document gives at most one.
SOURCES = ("messages", "calls", "events", "pintrk")
_T = TypeVar("_T")


@dataclass(frozen=True)
class Scenario:
    """Settings, the traits stored before the page loaded, and RudderStack messages.

    Or, for checking the tag alone, ``pintrk``: the calls themselves (``[["load", "2612…"],
    ["page"], …]``), which go to the tag as they are, without settings or messages.

    What renderers need from the input comes along, so nothing is read twice: ``calls``, the SDK
    calls of a call script with their lines (message *i* comes from call *i*); ``events``, the
    pasted events as read (entries left out or worth a warning, suggested initial traits) and
    ``event_numbers``, each message's 1-based position among them; ``total``, how many messages
    (or pintrk calls) there were when a page's budget kept only the first ones.
    """

    settings: Settings = field(default_factory=Settings)
    initial_traits: Mapping[str, Any] = field(default_factory=dict)
    messages: Sequence[Any] = ()
    id: str | None = None
    pintrk: Sequence[Sequence[Any]] | None = None
    calls: tuple[SdkCall, ...] | None = None
    events: ImportedEvents | None = None
    event_numbers: tuple[int, ...] = ()
    total: int | None = None
    # The config of a *separate* destination that receives the same events in cloud mode (a
    # customer with one device-mode and one cloud-mode Pinterest destination); None: the cloud
    # path uses ``settings`` (one destination in hybrid mode).
    cloud_settings: Settings | None = None

    @property
    def server_sends(self) -> bool:
        """RudderStack's servers send this scenario's events: cloud or hybrid mode, or a separate
        cloud destination (a scenario of pintrk calls has no RudderStack at all)."""
        return self.pintrk is None and (self.cloud_settings is not None or self.settings.sends_from_server)

    @property
    def server_settings(self) -> Settings:
        """The settings RudderStack's servers use for this scenario's events."""
        return self.cloud_settings if self.cloud_settings is not None else self.settings

    @property
    def source(self) -> str:
        """Where the steps came from: "pintrk", "events", "calls" or "messages"."""
        if self.pintrk is not None:
            return "pintrk"
        return "events" if self.events is not None else "calls" if self.calls is not None else "messages"


def load_scenario(document: Mapping[str, Any], *, budget: Budget = API) -> Scenario:
    """The scenario ``document`` describes, within ``budget``; raises :class:`InputError`."""
    if not isinstance(document, Mapping):
        raise InputError("a scenario must be an object ({ … })", code="not-an-object")
    scenario_id = document.get("id")
    scenario_id = scenario_id if isinstance(scenario_id, str) else None
    source = _source(document)
    if source == "pintrk":
        calls, total = _pintrk(document["pintrk"], budget)
        return Scenario(id=scenario_id, pintrk=calls, total=total)
    problems: list[InputError] = []
    settings = _collect(problems, lambda: _settings(document.get("settings")))
    cloud_config = document.get("cloudSettings")
    cloud_settings = (
        None if cloud_config is None else _collect(problems, lambda: _settings(cloud_config, "cloudSettings"))
    )
    traits = _collect(problems, lambda: _initial_traits(document.get("initialTraits")))
    steps: dict[str, Any] | None = {"messages": ()}
    if source == "calls":
        steps = _collect(problems, lambda: _from_calls(document["calls"], traits))
    elif source == "events":
        steps = _collect(problems, lambda: _from_events(document["events"], budget))
    elif source == "messages":
        steps = _collect(problems, lambda: _from_messages(document["messages"], budget))
    if problems:
        failure = problems[0] if len(problems) == 1 else InputErrors(tuple(problems))
        if steps is not None:
            failure.scenario = Scenario(
                settings or Settings(), traits or {}, id=scenario_id, cloud_settings=cloud_settings, **steps
            )
        raise failure
    assert settings is not None and traits is not None and steps is not None
    scenario = Scenario(settings, traits, id=scenario_id, cloud_settings=cloud_settings, **steps)
    try:
        limits.check_scenario(scenario.messages, budget)  # products, and messages from any source
    except OverBudget as exc:
        exc.scenario = scenario
        raise
    return scenario


def _collect(problems: list[InputError], read: Callable[[], _T]) -> _T | None:
    """``read()``, or None with its problem noted (each field is read, so all are reported)."""
    try:
        return read()
    except InputErrors as exc:
        problems.extend(exc.problems)
    except InputError as exc:
        problems.append(exc)
    return None


def _source(document: Mapping[str, Any]) -> str | None:
    given = [key for key in SOURCES if document.get(key) is not None]
    if "pintrk" in given and (len(given) > 1 or document.get("settings") is not None):
        raise InputError(
            "send pintrk calls on their own, without settings, messages or calls",
            Location("pintrk"),
            code="conflicting-fields",
        )
    if given == ["messages", "calls"]:
        raise InputError(
            "send either messages or calls, not both", Location("calls"), code="conflicting-fields"
        )
    if len(given) > 1:
        raise InputError(
            f"send one of messages, calls or events, not {' and '.join(given)}",
            Location(given[-1]),
            code="conflicting-fields",
        )
    return given[0] if given else None


def _json_text(text: str, key: str) -> Any:
    """A field given as JSON text (as typed into a form), read with the playground's nesting limit."""
    try:
        return loads(text, max_depth=limits.MAX_NESTING)
    except JSONInputError as exc:
        where = Location(key, exc.line, exc.column) if exc.line else Location(key)
        raise InputError(exc.message, where, code="invalid-json") from exc


def _settings(config: Any, key: str = "settings") -> Settings:
    if isinstance(config, Settings):  # read already (a page checks a link's settings first)
        return config
    if config is not None and not isinstance(config, (Mapping, str)):
        raise InputError(
            f'{key} must be an object: the destination config ({{"tagId": …}})',
            Location(key),
            code="invalid-field",
        )
    try:
        return parse_settings(config or {})
    except InputError as exc:
        raise InputError(exc.message, (exc.location or Location()).inside(key), code=exc.code) from exc


def _initial_traits(traits: Any) -> Mapping[str, Any]:
    if isinstance(traits, str):
        if not traits.strip():
            return {}
        traits = _json_text(traits, "initialTraits")  # as text, "null" is no object either
    elif traits is None:
        return {}
    if not isinstance(traits, Mapping):
        raise InputError(
            "initialTraits must be an object ({ … }) of user traits",
            Location("initialTraits"),
            code="invalid-field",
        )
    return traits


def _from_calls(script: Any, traits: Mapping[str, Any] | None) -> dict[str, Any]:
    """The messages a call script makes (``traits`` None: the script is only checked)."""
    if not isinstance(script, str):
        raise InputError(
            "calls must be a call script (text), e.g. \"rudderanalytics.track('Signed Up');\"",
            Location("calls"),
            code="invalid-field",
        )
    try:
        calls = parse_call_script(
            script,
            max_calls=limits.MAX_CALLS,
            max_depth=limits.MAX_CALL_NESTING,
            max_length=limits.MAX_TEXT_LENGTH,
        )
        messages = build_messages(calls, traits) if traits is not None else []
    except CallScriptError as exc:
        where = Location("calls", exc.line, exc.column)
        raise InputError(exc.message, where, code="invalid-calls") from exc
    except MessageError as exc:
        where = Location("calls", exc.call.line, exc.call.column) if exc.call else Location("calls")
        raise InputError(exc.message, where, code="invalid-calls") from exc
    return {"messages": tuple(messages), "calls": tuple(calls)}


def _from_messages(messages: Any, budget: Budget) -> dict[str, Any]:
    if not isinstance(messages, list):
        raise InputError(
            "messages must be a list ([ … ]) of RudderStack messages",
            Location("messages"),
            code="invalid-field",
        )
    kept, total = _within(messages, budget, "messages", "messages", "too-many-messages")
    return {"messages": tuple(kept), "total": total}


def _from_events(payload: Any, budget: Budget) -> dict[str, Any]:
    """Pasted events: entries that can't be replayed are left out (and listed), the rest run."""
    if isinstance(payload, str) and not payload.strip():
        raise InputError(
            "paste RudderStack events: one message ({…}), a list of messages ([…]) or the SDK's "
            '{"batch": […]} request body',
            Location("events"),
            code="missing-events",
        )
    if isinstance(payload, bytes) or (
        isinstance(payload, str) and max_bracket_depth(payload) <= limits.MAX_NESTING
    ):
        # Counted before it is read; deeper text is refused by the import, which says how deep.
        limits.check_text(payload, budget, Location("events"), "the pasted text")
    try:
        found = import_events(payload, max_messages=budget.pasted, max_depth=limits.MAX_NESTING)
    except InputError as exc:
        location = exc.location.inside("events") if exc.location else Location("events")
        raise InputError(exc.message, location, code=exc.code) from exc
    numbers = event_numbers(found)
    kept, total = _within(found.messages, budget, "events", "messages", "too-many-messages")
    return {
        "messages": tuple(kept),
        "events": found,
        "event_numbers": tuple(numbers[: len(kept)]),
        "total": total,
    }


def _pintrk(data: Any, budget: Budget) -> tuple[tuple[tuple[Any, ...], ...], int | None]:
    if isinstance(data, str):
        if not data.strip():
            raise InputError(
                'Write the pintrk calls as a JSON list, one call per item: [["load", "2612345678901"], ["page"]]',
                Location("pintrk"),
                code="invalid-pintrk",
            )
        data = _json_text(data, "pintrk")
    total = None
    if isinstance(data, list):
        data, total = _within(data, budget, "pintrk", "pintrk calls", "too-many-calls")
    try:
        return pintrk_calls(data), total
    except InputError as exc:
        raise InputError(exc.message, Location("pintrk"), code=exc.code) from exc


def _within(
    steps: Sequence[Any], budget: Budget, key: str, things: str, code: str
) -> tuple[Sequence[Any], int | None]:
    """``steps`` within the budget's count: all of them, or (a page) the first ones and how many
    there were; over it otherwise, refused before anything is read."""
    if len(steps) <= budget.messages:
        return steps, None
    if budget.cut:
        return steps[: budget.messages], len(steps)
    raise OverBudget(
        f"{len(steps):,} {things} is more than {budget.replayer} replays at once ({budget.messages:,})",
        key,
        code=code,
    )


def pintrk_calls(data: Any) -> tuple[tuple[Any, ...], ...]:
    """``[["load", "2612…"], ["page"], …]``: each call a list, its command first."""
    if not isinstance(data, list):
        raise InputError(
            'pintrk must be a list of calls, e.g. [["load", "2612345678901"], ["page"]]',
            code="invalid-pintrk",
        )
    for i, call in enumerate(data):
        if not isinstance(call, list) or not call:
            raise InputError(
                f'{item_path("pintrk", i)} must be a call written as a list, e.g. ["track", "Checkout", {{"value": 10}}]',
                code="invalid-pintrk",
            )
    return tuple(tuple(call) for call in data)


def event_numbers(found: ImportedEvents) -> list[int]:
    """Each imported message's 1-based position among the pasted entries (skipped ones keep theirs)."""
    skipped = {p.index for p in found.problems if p.skipped}
    numbers: list[int] = []
    position = 0
    while len(numbers) < len(found.messages):
        if position not in skipped:
            numbers.append(position + 1)
        position += 1
    return numbers
