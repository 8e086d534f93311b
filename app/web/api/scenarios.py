"""The scenario a body asks for: the core's one entry point (load_scenario), its refusals as HTTP."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from app.pintrk import (
    DEFAULT_PROFILE,
    InputError,
    ReproductionError,
    Scenario,
    limits,
    load_reproduction,
    load_scenario,
)

from .errors import fail
from .fields import allowed_fields, check_field

__all__ = ["scenario_of", "status_of"]

# InputError.code → HTTP status: the body's shape is wrong (400), there is too much of it (413);
# any other refusal is of well-formed input the core can't use (422: invalid-settings, -calls…).
_STATUS = {
    "invalid-field": 400,
    "conflicting-fields": 400,
    "not-an-object": 400,
    "too-many-messages": 413,
    "too-many-calls": 413,
    "over-budget": 413,
}


def status_of(error: InputError) -> int:
    return _STATUS.get(error.code, 422)


def scenario_of(body: Mapping[str, Any], schema: str) -> tuple[Scenario, str, list[Any] | None]:
    """The scenario in ``body`` (read as ``schema``), its profile, and the messages built from ``calls``."""
    if "format" in body:  # a saved reproduction document
        return _reproduction(body)
    profile = DEFAULT_PROFILE
    if "profile" in allowed_fields(schema):
        check_field(body, schema, "profile")
        profile = body.get("profile") or DEFAULT_PROFILE
    # The core also reads these given as JSON text (a form's way); the API takes JSON values.
    for field in ("pintrk",) if body.get("pintrk") is not None else ("settings", "initialTraits"):
        if isinstance(body.get(field), str):
            check_field(body, schema, field)
    if "cloudSettings" in allowed_fields(schema):
        check_field(body, schema, "cloudSettings")  # in the API's words, which name the cloud config
        if body.get("pintrk") is not None and body.get("cloudSettings") is not None:
            # pintrk calls go to the tag alone: no server sends them (the core ignores cloudSettings then)
            fail(
                400,
                "conflicting-fields",
                "send pintrk calls on their own, without settings, cloudSettings, messages or calls",
                "pintrk",
            )
    document = {
        key: body[key]
        for key in ("id", "settings", "cloudSettings", "initialTraits", "messages", "calls", "pintrk")
        if key in body
    }
    try:
        scenario = load_scenario(document, budget=limits.API)
    except InputError as exc:
        fail(status_of(exc), exc.code, exc.message, str(exc.location) if exc.location else None)
    built = list(scenario.messages) if scenario.calls is not None else None
    return scenario, profile, built


def _reproduction(body: Mapping[str, Any]) -> tuple[Scenario, str, list[Any] | None]:
    try:
        reproduction = load_reproduction(body)
        scenario = reproduction.scenario()
    except ReproductionError as exc:
        where = str(exc.location) if exc.location else None
        fail(400 if where in ("format", "version", None) else 422, exc.code, exc.message, where)
    from_calls = list(scenario.messages) if reproduction.calls is not None else None
    return scenario, reproduction.profile, from_calls
