"""The playground blueprint: the page, its no-JavaScript form actions, its JSON render, export and download."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify, render_template, request

from app.pintrk import DEFAULT_PROFILE, get_preset, indent_json, render_tag_page, server_path_dict, stringify

from . import errors
from .actions import apply_action
from .fields import field_anchor, field_label
from .forms import (
    PlaygroundForm,
    blank_values,
    state_from_values,
    values_from_form,
    values_from_preset,
    values_from_state,
)
from .linked import outcome_from_link
from .page_cache import page_cache
from .pages import attachment, page_response
from .playground_page import playground_page, render_playground, results_context
from .reproduction_state import open_reproduction
from .requests import undecodable_field_errors
from .server_view import DEDUP_FIX_ACTION
from .state import Outcome, PlaygroundState
from .wording import errors_in_words

__all__ = ["bp", "export_log"]

bp = Blueprint("playground", __name__)

# After these, the page's script moves focus to the results heading: the user asked for a result.
# (Editing actions such as adding a mapping row keep the user where they were.)
FOCUS_RESULTS_AFTER = frozenset(
    {"run", "load-preset", "open-reproduction", "turn-on-enhanced-match", "use-event-traits"}
)
# …and the deduplication check's "Apply" buttons, whose values carry the key (actions.py).
FOCUS_RESULTS_PREFIXES = (DEDUP_FIX_ACTION,)
bp.add_app_template_global(field_label)
bp.add_app_template_global(field_anchor)


@bp.get("/")
def index() -> Response:
    # What the page depends on: the link or example it names (and where the app is mounted).
    key = (request.script_root, request.args.get("s"), request.args.get("preset"))
    cache = page_cache()
    page = cache.get(key)
    if page is None:
        built = _index_page(request.args.get("s"), request.args.get("preset"))
        if isinstance(built, Response):  # a refusal: bad link, unknown example
            return built
        page = built
        cache.put(key, page)
    return page_response(page)


def _index_page(token: str | None, preset_id: str | None) -> bytes | Response:
    if token is not None:
        opened = outcome_from_link(token)
        if isinstance(opened, Response):
            return opened
        state, outcome = opened
        return playground_page(
            values_from_state(state, outcome.settings), state=state, outcome=outcome, focus_results=True
        )
    if preset_id is not None:
        preset = get_preset(preset_id)
        if preset is None:
            return errors.error_page(
                404,
                f"There is no example called “{preset_id[:60]}”. Pick one from the Examples list on the playground.",
            )
        values = {**blank_values(), **values_from_preset(preset, DEFAULT_PROFILE)}
        return playground_page(
            values, notice=f"Loaded the example “{preset.title}”: {preset.description}", focus_results=True
        )
    return playground_page(blank_values(), run=False)


@bp.post("/")
def submit() -> Response:
    """The no-JavaScript round trip: apply the pressed button's action, then show the result."""
    values = values_from_form(PlaygroundForm())
    action = request.form.get("action", "run")
    if action == "open-reproduction":  # the only action that reads a file
        done = open_reproduction(values, request.files.get("reproduction_file"))
    else:
        done = apply_action(action, values)
    return render_playground(
        values,
        extra_errors=done.errors,
        notice=done.summary(action),
        notice_kind="error" if done.errors else "info",
        focus_results=action in FOCUS_RESULTS_AFTER or action.startswith(FOCUS_RESULTS_PREFIXES),
    )


@bp.post("/render")
def render() -> Response:
    if request.mimetype not in ("application/x-www-form-urlencoded", "multipart/form-data"):
        return errors.error_page(400, "Send the playground form (form fields), not another kind of body.")
    state = state_from_values(values_from_form(PlaygroundForm()))
    outcome = state.run()
    context = results_context(state, outcome)
    field_errors = {**outcome.errors, **undecodable_field_errors(field_label)}
    return jsonify(
        ok=outcome.ok,
        has_result=context["has_result"],
        # When there is no result, the page keeps the last one, marked out of date for this reason.
        stale_reason=errors_in_words(field_errors, limit=1) if not context["has_result"] else None,
        results_html=render_template("playground/_results.html", **context),
        errors=field_errors,
        notes=outcome.notes,
        permalink=context["permalink"],
        preview_url=context["preview_url"],
    )


@bp.get("/export")
@bp.post("/export")
def export() -> Response:
    opened = _requested()
    if isinstance(opened, Response):
        return opened
    state, outcome = opened
    body = indent_json(stringify(export_log(state, outcome)) or "{}") + "\n"
    return attachment(body, "application/json", "pintrk-log.json")


@bp.get("/download")
@bp.post("/download")
def download() -> Response:
    opened = _requested()
    if isinstance(opened, Response):
        return opened
    result = opened[1].result
    if result is None:
        return errors.error_page(
            400,
            f"There is no tag to download yet: the scenario has errors. {errors_in_words(opened[1].errors)} "
            "Open the playground, fix the marked fields, then download again.",
        )
    return attachment(render_tag_page(result.entries), "text/html", "pintrk-tag.html")


@bp.get("/healthz")
def healthz() -> Response:
    return Response("ok", mimetype="text/plain")


def _requested() -> tuple[PlaygroundState, Outcome] | Response:
    """The posted form's state, or the link's, and its run."""
    if request.method == "POST":
        state = state_from_values(values_from_form(PlaygroundForm()))
        return state, state.run()
    return outcome_from_link(request.args.get("s", ""))


def export_log(state: PlaygroundState, outcome: Outcome) -> dict[str, Any]:
    """The log as data: what a support ticket needs to reproduce and compare."""
    result = outcome.result
    return {
        "tool": "pintrk playground (simulated: nothing was sent to Pinterest)",
        "profile": state.profile,
        "settings": state.settings,
        **({"cloud_settings": state.cloud_settings} if state.cloud_settings is not None else {}),
        "calls": state.calls,
        **({"messages": outcome.messages} if outcome.source == "events" else {}),
        "initial_traits": state.initial_traits,
        "errors": outcome.errors,
        "calls_json": result.calls_json if result else [],
        "commands": _exported_commands(outcome),
        "requests": [r.to_dict() for r in result.requests] if result else [],
        "tag_console": [m.to_dict() for m in result.tag_messages] if result else [],
        "diagnostics": [finding.to_dict() for finding in result.diagnostics] if result else [],
        **_exported_server_path(outcome),
    }


def _exported_server_path(outcome: Outcome) -> dict[str, Any]:
    """With RudderStack's servers sending too: ``cloud`` (each message's Conversions API outcome,
    in message order) and ``dedup``, as the API and the CLI answer them; nothing in device mode."""
    found = server_path_dict(outcome.result) if outcome.result is not None else None
    return found or {}


def _exported_commands(outcome: Outcome) -> list[dict[str, Any]]:
    result = outcome.result
    if result is None:
        return []
    lines, numbers = outcome.call_lines, outcome.event_numbers
    commands: list[dict[str, Any]] = []
    for index, entry in enumerate(result.entries):
        origin = entry.message_index
        row: dict[str, Any] = {
            "entry": index,
            "call": origin,
            "line": lines[origin] if origin is not None and origin < len(lines) else None,
        }
        if outcome.source == "events":
            row["event"] = numbers[origin] if origin is not None and origin < len(numbers) else None
        if hasattr(entry, "method"):
            row.update(method=entry.method, args=list(entry.args))
        else:
            row.update(error=entry.error)
        row["calls_json"] = entry.to_json()
        commands.append(row)
    return commands
