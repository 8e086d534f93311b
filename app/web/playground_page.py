"""The playground page for a state: the form, the run's results, and the links that carry it.

Views only translate HTTP ↔ core: the form gives a PlaygroundState, the state runs once
into an Outcome (the page state), the templates show it. Every view that shows the page
(the playground's own, a refused form given back, a reproduction that could not be saved)
renders it here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Response, render_template, url_for

from app.pintrk import PROFILES, STANDARD_EVENTS

from .cloud_fields import CONNECTION_MODE_SUMMARIES
from .fields import field_label
from .form_overflow import form_overflow_errors
from .forms import PlaygroundForm, extra_settings, form_for, state_from_values, values_from_form
from .log import build_log
from .page_cache import hole_values
from .pages import encode_page, page_response
from .permalink import MAX_TOKEN_LENGTH
from .requests import undecodable_field_errors
from .state import Outcome, PlaygroundState

__all__ = ["give_form_back", "playground_page", "render_playground", "results_context"]


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


def give_form_back(status: int, notice: str) -> Response:
    """The posted form, not run, with ``notice`` at the top: nothing typed is lost."""
    return render_playground(status=status, run=False, notice=notice, notice_kind="error")


def playground_page(
    values: Mapping[str, Any],
    *,
    state: PlaygroundState | None = None,
    outcome: Outcome | None = None,
    run: bool = True,
    extra_errors: Mapping[str, list[str]] | None = None,
    notice: str | None = None,
    notice_kind: str = "info",
    focus_results: bool = False,
) -> bytes:
    """The page for these values, with holes for the per-response values (see page_cache).

    ``state`` and ``outcome``: the values' state and its run, when the view has them already.
    """
    if state is None:
        state = state_from_values(values)
    if outcome is None and run:
        outcome = state.run()
    context = results_context(state, outcome)
    field_errors = {field: list(messages) for field, messages in (outcome.errors if outcome else {}).items()}
    for field, messages in [
        *(extra_errors or {}).items(),
        *undecodable_field_errors(field_label).items(),
        *form_overflow_errors().items(),
    ]:
        field_errors.setdefault(field, []).extend(messages)
    html = render_template(
        "playground/index.html",
        form=form_for(values),
        errors=field_errors,
        notice=notice,
        notice_kind=notice_kind,
        profiles=PROFILES,
        standard_events=STANDARD_EVENTS,
        connection_mode_summaries=CONNECTION_MODE_SUMMARIES,
        extra_keys=list(extra_settings(values.get("extra_settings", ""))),
        focus_results=focus_results and outcome is not None,
        **context,
        **hole_values(),
    )
    return encode_page(html)


def results_context(state: PlaygroundState, outcome: Outcome | None) -> dict[str, Any]:
    """What the results panel shows: the log, and the links that carry the scenario elsewhere."""
    token = state.to_token() if outcome is not None else None
    linkable = token is not None and len(token) <= MAX_TOKEN_LENGTH
    has_result = outcome is not None and outcome.result is not None
    return {
        "outcome": outcome,
        "log": build_log(outcome) if outcome is not None else None,
        "too_long_for_link": token is not None and not linkable,
        "permalink": url_for("playground.index", s=token) if linkable else None,
        "preview_url": url_for("preview.index", s=token) if linkable and has_result else None,
        "export_url": url_for("playground.export", s=token) if linkable else None,
        "download_url": url_for("playground.download", s=token) if linkable and has_result else None,
        "compare_url": url_for("compare.index", s=token) if linkable and has_result else None,
        "decode_url": url_for("decode.index", s=token) if linkable and has_result else None,
        "reproduction_url": url_for("reproduction.save", s=token) if linkable else None,
        "profile": PROFILES.get(state.profile),
        "has_result": has_result,
    }
