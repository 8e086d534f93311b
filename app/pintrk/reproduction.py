"""A reproduction: everything needed to replay a customer's case, as one JSON document.

```
{"format": "pintrk-playground/reproduction", "version": 1,
 "profile": "sdk-v3", "settings": {…RudderStack config…}, "initialTraits": {…},
 "cloudSettings": {…the cloud-mode destination's config, when it is a separate one…},   (optional)
 "calls": "rudderanalytics.track(…)"   or   "messages": [ … ],
 "sentBeacons": ["https://ct.pinterest.com/v3/?…"], "note": "…"}     (both optional)
```

:func:`dump` writes it (indented, JavaScript number formatting) and :func:`load`
reads it back exactly: ``load(dump(r)) == r`` and ``dump(load(text)) == text``
for any text :func:`dump` wrote. A conversion token is never written in clear: both configs
are masked (:func:`~app.pintrk.settings.mask_config`) as a reproduction is made.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .errors import InputError, Location, as_location, item_path
from .jsvalue import JSONInputError, indent_json, loads, normalize, stringify
from .limits import API, MAX_NESTING, Budget, OverBudget
from .messages import MessageError
from .profiles import DEFAULT_PROFILE, PROFILES
from .scenario import Scenario, load_scenario, pintrk_calls
from .settings import SettingsError, mask_config, parse_settings

__all__ = ["FORMAT", "VERSION", "Reproduction", "ReproductionError", "dump", "load"]

FORMAT = "pintrk-playground/reproduction"
VERSION = 1
_MAX_DEPTH = MAX_NESTING  # the same nesting limit as the API and the form
_KEYS = (
    "format",
    "version",
    "profile",
    "settings",
    "cloudSettings",
    "initialTraits",
    "dedupCheck",
    "calls",
    "messages",
    "pintrk",
    "sentBeacons",
    "note",
)


class ReproductionError(InputError):
    """A document that is not a valid reproduction; ``location`` is like ``settings.tagId``."""

    code = "invalid-reproduction"

    def __init__(self, message: str, location: str | Location | None = None) -> None:
        super().__init__(message, as_location(location))


@dataclass(frozen=True)
class Reproduction:
    profile: str = DEFAULT_PROFILE
    settings: Mapping[str, Any] = field(default_factory=dict)  # RudderStack's config shape, verbatim
    initial_traits: Mapping[str, Any] = field(default_factory=dict)
    calls: str | None = None  # a call script, or …
    messages: tuple[Any, ...] | None = None  # … RudderStack messages, or …
    pintrk: tuple[tuple[Any, ...], ...] | None = (
        None  # … pintrk calls for the tag alone (exactly one of the three)
    )
    sent_beacons: tuple[str, ...] = ()  # the customer's real beacon URLs, to compare with
    note: str | None = None
    # A separate cloud-mode destination's config (RudderStack's shape), when the case has one.
    cloud_settings: Mapping[str, Any] | None = None

    def __post_init__(self) -> None:
        if sum(source is not None for source in (self.calls, self.messages, self.pintrk)) != 1:
            raise ReproductionError(
                "give one of calls (a call script), messages (a list) or pintrk (a list of calls)"
            )
        if self.profile not in PROFILES:
            raise ReproductionError(
                f"unknown profile {self.profile!r}: choose one of {', '.join(PROFILES)}", "profile"
            )
        # A conversion token is a password: a reproduction is attached to tickets, so never in clear.
        object.__setattr__(self, "settings", mask_config(self.settings))
        object.__setattr__(self, "cloud_settings", mask_config(self.cloud_settings))
        # The core's normalised form (JS numbers and key order), in place: a no-op for load()'s output.
        try:
            normalize(
                [
                    self.settings,
                    self.cloud_settings or {},
                    self.initial_traits,
                    list(self.messages or ()),
                    [list(c) for c in self.pintrk or ()],
                ],
                max_depth=_MAX_DEPTH,
            )
        except JSONInputError as exc:
            raise ReproductionError(exc.message) from None

    def scenario(self, budget: Budget = API) -> Scenario:
        """The scenario to replay (:func:`~app.pintrk.scenario.load_scenario`: a call script is
        turned into messages there); :class:`OverBudget` as it is, other problems as a
        :class:`ReproductionError`."""
        document: dict[str, Any] = {"settings": self.settings, "initialTraits": dict(self.initial_traits)}
        if self.cloud_settings is not None:
            document["cloudSettings"] = self.cloud_settings
        if self.pintrk is not None:
            document = {"pintrk": [list(call) for call in self.pintrk]}
        elif self.messages is not None:
            document["messages"] = list(self.messages)
        else:
            document["calls"] = self.calls or ""
        try:
            return load_scenario(document, budget=budget)
        except OverBudget:
            raise
        except InputError as exc:
            where = exc.location
            if isinstance(exc.__cause__, MessageError) and where is not None:
                where = Location(where.path, where.line)  # the call's line (a call is one step)
            raise ReproductionError(exc.message, where) from None

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "format": FORMAT,
            "version": VERSION,
            "profile": self.profile,
            "settings": self.settings,
            **({"cloudSettings": self.cloud_settings} if self.cloud_settings is not None else {}),
            "initialTraits": self.initial_traits,
        }
        if self.calls is not None:
            data["calls"] = self.calls
        elif self.pintrk is not None:
            data["pintrk"] = [list(call) for call in self.pintrk]
        else:
            data["messages"] = list(self.messages or ())
        if self.sent_beacons:
            data["sentBeacons"] = list(self.sent_beacons)
        if self.note is not None:
            data["note"] = self.note
        return data


def dump(reproduction: Reproduction, dedup_check: Mapping[str, Any] | None = None) -> str:
    """The document as indented JSON text (ends with a new line).

    ``dedup_check`` (a ``DedupCheck.to_dict()``) is saved as ``dedupCheck``: the deduplication
    verdicts when the file was saved, for whoever reads the ticket. It is not an input: opening the
    file works them out again (and :func:`load` ignores it)."""
    data = reproduction.to_dict()
    if dedup_check is not None:
        data["dedupCheck"] = dict(dedup_check)
    _refuse_non_json(data)  # stringify would write null for NaN/Infinity, losing the value silently
    return indent_json(stringify(data) or "{}") + "\n"


def _refuse_non_json(value: Any) -> None:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, (list, tuple)):
            stack.extend(item)
        elif isinstance(item, float) and not math.isfinite(item):
            raise ReproductionError("numbers must be finite (JSON has no NaN or Infinity)")
        elif not (item is None or isinstance(item, (str, bool, int, float))):
            raise ReproductionError(f"{type(item).__name__} is not a JSON value")


def load(text: str | bytes | Mapping[str, Any]) -> Reproduction:
    """Read a document (JSON text or the parsed object); errors say where."""
    if isinstance(text, Mapping):
        data: Any = text
    else:
        try:
            data = loads(text, max_depth=_MAX_DEPTH)
        except JSONInputError as exc:
            raise ReproductionError(f"this is not valid JSON: {exc.message}", exc.location) from None
    _check_header(data)
    profile = data.get("profile", DEFAULT_PROFILE)
    if not isinstance(profile, str):
        raise ReproductionError("profile must be text: docs, sdk-v1 or sdk-v3", "profile")
    if profile not in PROFILES:
        raise ReproductionError(
            f"unknown profile {profile!r}: choose one of {', '.join(PROFILES)}", "profile"
        )
    settings = _settings(data, "settings")
    cloud_settings = _settings(data, "cloudSettings") if data.get("cloudSettings") is not None else None
    traits = _object(data, "initialTraits")
    calls, messages, calls_for_tag = _steps(data)
    beacons = data.get("sentBeacons", [])
    if not isinstance(beacons, list):
        raise ReproductionError("sentBeacons must be a list of URLs (text)", "sentBeacons")
    for i, url in enumerate(beacons):
        if not isinstance(url, str):
            raise ReproductionError("each sent beacon must be a URL (text)", item_path("sentBeacons", i))
    note = data.get("note")
    if note is not None and not isinstance(note, str):
        raise ReproductionError("note must be text", "note")
    return Reproduction(
        profile=profile,
        settings=settings,
        initial_traits=traits,
        calls=calls,
        messages=tuple(messages) if messages is not None else None,
        pintrk=calls_for_tag,
        sent_beacons=tuple(beacons),
        note=note,
        cloud_settings=cloud_settings,
    )


def _settings(data: Mapping[str, Any], key: str) -> dict[str, Any]:
    """A destination config (``settings``, ``cloudSettings``), checked as the core reads it."""
    config = _object(data, key)
    try:
        parse_settings(config)
    except SettingsError as exc:
        raise ReproductionError(exc.message, (exc.location or Location()).inside(key)) from None
    return config


def _check_header(data: Any) -> None:
    """An object saying it is a reproduction, of a version this playground reads, with known keys."""
    if not isinstance(data, Mapping):
        raise ReproductionError("a reproduction must be a JSON object ({ … })")
    form = data.get("format")
    if form != FORMAT:
        said = "it has none" if form is None else f"it says {form!r}"
        raise ReproductionError(
            f"this is not a pintrk playground reproduction: format must be {FORMAT!r} ({said})", "format"
        )
    version = data.get("version")
    if isinstance(version, bool) or not isinstance(version, int):
        raise ReproductionError(
            f"version must be a whole number (this playground writes {VERSION})", "version"
        )
    if version > VERSION:
        raise ReproductionError(
            f"version {version} is newer than this playground understands ({VERSION}): update the playground",
            "version",
        )
    if version < 1:
        raise ReproductionError(f"version {version} does not exist; the first is 1", "version")
    for key in data:
        if key not in _KEYS:
            raise ReproductionError(f"unknown key {key!r}; a reproduction has {', '.join(_KEYS)}", key)


def _steps(
    data: Mapping[str, Any],
) -> tuple[str | None, list[Any] | None, tuple[tuple[Any, ...], ...] | None]:
    """The one source of steps: a call script, messages or pintrk calls."""
    calls, messages, pintrk = data.get("calls"), data.get("messages"), data.get("pintrk")
    given = [
        key
        for key, value in (("calls", calls), ("messages", messages), ("pintrk", pintrk))
        if value is not None
    ]
    if len(given) > 1:
        raise ReproductionError(
            f"give one of calls, messages or pintrk, not {' and '.join(given)}", given[-1]
        )
    if not given:
        raise ReproductionError(
            "add calls (a call script, as text), messages (a list of RudderStack messages) or pintrk (a list of pintrk calls)"
        )
    if calls is not None and not isinstance(calls, str):
        raise ReproductionError("calls must be a call script (text)", "calls")
    if messages is not None and not isinstance(messages, list):
        raise ReproductionError("messages must be a list ([ … ])", "messages")
    try:
        calls_for_tag = pintrk_calls(pintrk) if pintrk is not None else None
    except ValueError as exc:
        raise ReproductionError(str(exc), "pintrk") from None
    return calls, messages, calls_for_tag


def _object(data: Mapping[str, Any], key: str) -> dict[str, Any]:
    value = data.get(key, {})
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ReproductionError(f"{key} must be an object ({{ … }})", key)
    return value
