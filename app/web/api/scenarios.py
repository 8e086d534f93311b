"""The scenario a body asks for: its fields checked against the schema, then read by the core."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from app.pintrk import (
    DEFAULT_PROFILE,
    CallScriptError,
    MessageError,
    ReproductionError,
    Scenario,
    SettingsError,
    build_messages,
    load_reproduction,
    parse_call_script,
    parse_settings,
)

from .errors import fail
from .fields import allowed_fields, check_field
from .schema import LIMITS

__all__ = ["scenario_of"]


def scenario_of(body: Mapping[str, Any], schema: str) -> tuple[Scenario, str, list[Any] | None]:
    """The scenario in ``body`` (read as ``schema``), its profile, and the messages built from ``calls``."""
    if "format" in body:  # a saved reproduction document
        return _reproduction(body)
    profile = DEFAULT_PROFILE
    if "profile" in allowed_fields(schema):
        check_field(body, schema, "profile")
        profile = body.get("profile") or DEFAULT_PROFILE
    if body.get("pintrk") is not None:  # the tag alone: its calls as they are
        return _pintrk(body, schema), profile, None
    check_field(body, schema, "settings")
    try:
        settings = parse_settings(body.get("settings") or {})
    except SettingsError as exc:
        where = "settings" + ("" if not exc.path else f".{exc.path}")
        fail(422, "invalid-settings", exc.message, where)
    check_field(body, schema, "initialTraits")
    traits = body.get("initialTraits") or {}
    if body.get("calls") is not None and body.get("messages") is not None:
        fail(400, "conflicting-fields", "send either messages or calls, not both", "calls")
    built: list[Any] | None = None
    if body.get("calls") is not None:
        check_field(body, schema, "calls")
        built = _messages_from_calls(body["calls"], traits)
        messages: list[Any] = built
    else:
        check_field(body, schema, "messages")
        messages = body.get("messages") or []
    scenario_id = body.get("id")
    return (
        Scenario(settings, traits, tuple(messages), scenario_id if isinstance(scenario_id, str) else None),
        profile,
        built,
    )


def _reproduction(body: Mapping[str, Any]) -> tuple[Scenario, str, list[Any] | None]:
    try:
        reproduction = load_reproduction(body)
        scenario = reproduction.scenario()
    except ReproductionError as exc:
        status = 400 if exc.location in ("format", "version") or exc.location is None else 422
        fail(status, "invalid-reproduction", exc.message, exc.location)
    from_calls = list(scenario.messages) if reproduction.calls is not None else None
    return scenario, reproduction.profile, from_calls


def _pintrk(body: Mapping[str, Any], schema: str) -> Scenario:
    if any(body.get(key) is not None for key in ("calls", "messages", "settings")):
        fail(
            400,
            "conflicting-fields",
            "send pintrk calls on their own, without settings, messages or calls",
            "pintrk",
        )
    check_field(body, schema, "pintrk")
    try:
        return Scenario.from_dict({"id": body.get("id"), "pintrk": body["pintrk"]})
    except ValueError as exc:
        fail(422, "invalid-pintrk", str(exc), "pintrk")


def _messages_from_calls(script: str, traits: Mapping[str, Any]) -> list[Any]:
    try:
        calls = parse_call_script(
            script, max_calls=LIMITS["max_calls"], max_length=LIMITS["max_script_length"]
        )
        return build_messages(calls, traits)
    except CallScriptError as exc:
        fail(422, "invalid-calls", exc.message, f"calls: line {exc.line}, column {exc.column}")
    except MessageError as exc:
        where = f"calls: line {exc.call.line}, column {exc.call.column}" if exc.call else "calls"
        fail(422, "invalid-calls", exc.message, where)
