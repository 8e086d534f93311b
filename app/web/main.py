"""The playground page: render a state, apply the no-JavaScript form actions, export the log.

Views only translate HTTP ↔ core: the form gives a PlaygroundState, the state runs,
the templates show the Outcome.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Blueprint, Response, jsonify, render_template, request, url_for

from app.pintrk import DEFAULT_PROFILE, PROFILES, get_preset, render_tag_page, stringify

from . import errors
from .actions import apply_action
from .forms import (
    STANDARD_EVENTS,
    PlaygroundForm,
    blank_values,
    errors_in_words,
    extra_settings,
    field_anchor,
    field_label,
    form_for,
    state_from_values,
    values_from_form,
    values_from_preset,
    values_from_state,
)
from .log import build_log, pretty_json
from .page_cache import hole_values, page_cache
from .pages import encode_page, page_response
from .permalink import MAX_TOKEN_LENGTH
from .reproductions import open_reproduction
from .requests import undecodable_field_errors
from .security import content_security_policy, csp_nonce
from .state import Outcome, PermalinkError, PlaygroundState

bp = Blueprint("main", __name__)
errors.register(bp)
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
        state = _state_from_link(token)
        if isinstance(state, Response):
            return state
        return playground_page(values_from_state(state), state=state)
    if preset_id is not None:
        preset = get_preset(preset_id)
        if preset is None:
            return errors.error_page(
                404,
                f"There is no example called “{preset_id[:60]}”. Pick one from the Examples list on the playground.",
            )
        values = {**blank_values(), **values_from_preset(preset, DEFAULT_PROFILE)}
        return playground_page(values, notice=f"Loaded the example “{preset.title}”: {preset.description}")
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
    )


@bp.post("/render")
def render() -> Response:
    if request.mimetype not in ("application/x-www-form-urlencoded", "multipart/form-data"):
        return errors.error_page(400, "Send the playground form (form fields), not another kind of body.")
    state = state_from_values(values_from_form(PlaygroundForm()))
    outcome = state.run()
    context = _results_context(state, outcome)
    return jsonify(
        ok=outcome.ok,
        results_html=render_template("_results.html", **context),
        errors={**outcome.errors, **undecodable_field_errors(field_label)},
        notes=outcome.notes,
        permalink=context["permalink"],
        preview_url=context["preview_url"],
    )


@bp.get("/export")
@bp.post("/export")
def export() -> Response:
    state = _requested_state()
    if isinstance(state, Response):
        return state
    outcome = state.run()
    body = pretty_json(stringify(export_log(state, outcome)) or "{}") + "\n"
    return _attachment(body, "application/json", "pintrk-log.json")


@bp.get("/download")
@bp.post("/download")
def download() -> Response:
    state = _requested_state()
    if isinstance(state, Response):
        return state
    outcome = state.run()
    result = outcome.result
    if result is None:
        return errors.error_page(
            400,
            f"There is no tag to download yet: the scenario has errors. {errors_in_words(outcome.errors)} "
            "Open the playground, fix the marked fields, then download again.",
        )
    return _attachment(render_tag_page(result.entries), "text/html", "pintrk-tag.html")


@bp.get("/healthz")
def healthz() -> Response:
    return Response("ok", mimetype="text/plain")


# -- rendering -----------------------------------------------------------------


def render_playground(
    values: Mapping[str, Any] | None = None,
    *,
    status: int = 200,
    **options: Any,
) -> Response:
    """The whole page for these form values (default: the posted form, unprocessed)."""
    if values is None:
        values = values_from_form(PlaygroundForm())
    return page_response(playground_page(values, **options), status)


def playground_page(
    values: Mapping[str, Any],
    *,
    state: PlaygroundState | None = None,
    run: bool = True,
    extra_errors: Mapping[str, list[str]] | None = None,
    notice: str | None = None,
    notice_kind: str = "info",
) -> bytes:
    """The page for these values, with holes for the per-response values (see page_cache)."""
    if state is None:
        state = state_from_values(values)
    outcome = state.run() if run else None
    context = _results_context(state, outcome)
    field_errors = {field: list(messages) for field, messages in (outcome.errors if outcome else {}).items()}
    for field, messages in [
        *(extra_errors or {}).items(),
        *undecodable_field_errors(field_label).items(),
        *errors.form_overflow_errors().items(),
    ]:
        field_errors.setdefault(field, []).extend(messages)
    html = render_template(
        "index.html",
        form=form_for(values),
        errors=field_errors,
        notice=notice,
        notice_kind=notice_kind,
        profiles=PROFILES,
        standard_events=STANDARD_EVENTS,
        extra_keys=list(extra_settings(values.get("extra_settings", ""))),
        **context,
        **hole_values(),
    )
    return encode_page(html)


def _results_context(state: PlaygroundState, outcome: Outcome | None) -> dict[str, Any]:
    token = state.to_token() if outcome is not None else None
    linkable = token is not None and len(token) <= MAX_TOKEN_LENGTH
    has_result = outcome is not None and outcome.result is not None
    return {
        "outcome": outcome,
        "log": build_log(outcome) if outcome is not None else None,
        "too_long_for_link": token is not None and not linkable,
        "permalink": url_for("main.index", s=token) if linkable else None,
        "preview_url": url_for("preview.preview", s=token) if linkable and has_result else None,
        "export_url": url_for("main.export", s=token) if linkable else None,
        "download_url": url_for("main.download", s=token) if linkable and has_result else None,
        "compare_url": url_for("support.compare", s=token) if linkable and has_result else None,
        "decode_url": url_for("support.decode", s=token) if linkable and has_result else None,
        "reproduction_url": url_for("support.reproduction", s=token) if linkable else None,
        "profile": PROFILES.get(state.profile),
    }


# -- actions and helpers ---------------------------------------------------------


def export_log(state: PlaygroundState, outcome: Outcome) -> dict[str, Any]:
    """The log as data: what a support ticket needs to reproduce and compare."""
    result = outcome.result
    lines = outcome.call_lines
    numbers = outcome.event_numbers
    commands: list[dict[str, Any]] = []
    if result is not None:
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
    return {
        "tool": "pintrk playground (simulated: nothing was sent to Pinterest)",
        "profile": state.profile,
        "settings": state.settings,
        "calls": state.calls,
        **({"messages": outcome.messages} if outcome.source == "events" else {}),
        "initial_traits": state.initial_traits,
        "errors": outcome.errors,
        "calls_json": result.calls_json if result else [],
        "commands": commands,
        "requests": [r.to_dict() for r in result.requests] if result else [],
        "tag_console": [m.to_dict() for m in result.tag_messages] if result else [],
        "diagnostics": [finding.to_dict() for finding in result.diagnostics] if result else [],
    }


def _requested_state() -> PlaygroundState | Response:
    if request.method == "POST":
        return state_from_values(values_from_form(PlaygroundForm()))
    return _state_from_link(request.args.get("s", ""))


def _state_from_link(token: str) -> PlaygroundState | Response:
    try:
        return PlaygroundState.from_token(token)
    except PermalinkError as exc:
        return errors.error_page(400, str(exc), title="This playground link can't be opened")


def _attachment(body: str, mimetype: str, filename: str) -> Response:
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    # A download, never a page of this site: should a browser render it anyway (the tag page
    # holds an inline script), the sandbox gives it an opaque origin and no script runs.
    response.headers["Content-Security-Policy"] = content_security_policy(csp_nonce()) + "; sandbox"
    return response
