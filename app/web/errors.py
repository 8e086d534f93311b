"""Friendly error pages (and JSON for the page's /render calls): say what happened, link back."""

from __future__ import annotations

from collections.abc import Mapping

from flask import Flask, Response, current_app, jsonify, render_template, request
from werkzeug.exceptions import HTTPException, InternalServerError

from app.pintrk import size_text

from .limits import FORM_ENDPOINTS, form_problem
from .pages import html_response

__all__ = ["CSRF_MESSAGE", "csrf_refusal", "error_page", "init_app", "json_error", "wants_json"]

_TITLES = {
    400: "This request can't be used",
    404: "There is nothing at this address",
    405: "This address doesn't accept that kind of request",
    413: "That was too much to send",
    500: "Something went wrong on our side",
}


def init_app(app: Flask) -> None:
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(InternalServerError, _server_error)
    # After CSRFProtect's own check (registered first): a form with too many rows runs nothing.
    app.before_request(_refuse_oversized_form)


def _refuse_oversized_form() -> Response | None:
    """Before a playground form view: refuse a form with more rows than the page can hold."""
    if request.method != "POST" or request.endpoint not in FORM_ENDPOINTS:
        return None
    problem = form_problem(request.form)
    if problem is None:
        return None
    return error_page(413, problem, title="That form has too many rows")


def error_page(status: int, message: str, *, title: str | None = None) -> Response:
    if wants_json():
        return json_error(status, message)
    return html_response(
        render_template(
            "error.html",
            status=status,
            title=title or _TITLES.get(status, "Something went wrong"),
            message=message,
        ),
        status,
    )


CSRF_MESSAGE = (
    "Nothing was run: the form's security token was missing or did not match this browser's session "
    "(for example after its cookies were cleared)."
)


def csrf_refusal() -> Response:
    """The answer to a request whose CSRF token was refused, when there is no form to give back."""
    if wants_json():
        return json_error(400, CSRF_MESSAGE + " Reload the page to continue.")
    return error_page(400, CSRF_MESSAGE + " Go back to the playground, reload it and try again.")


def _http_error(error: HTTPException) -> Response:
    status = error.code or 500
    if status == 413:
        limit = current_app.config.get("MAX_CONTENT_LENGTH") or 0
        field_limit = current_app.config.get("MAX_FORM_MEMORY_SIZE")
        parts = current_app.config.get("MAX_FORM_PARTS")
        per_field = (
            f" (and at most {size_text(field_limit)} in one field)"
            if field_limit and field_limit < limit
            else ""
        )
        if per_field and parts:
            per_field = f" (at most {size_text(field_limit)} in one field, and {parts:,} fields)"
        message = (
            f"The playground accepts at most {size_text(limit)} per request{per_field}, and this one was larger. "
            "Shorten the SDK calls or the pasted config (or split the scenario in two) and try again."
        )
    elif status == 404:
        message = "Check the address, or start again from a fresh playground."
    elif status == 405:
        message = f"{request.path} can't be opened with a {request.method} request. Start from the playground page instead."
    elif status == 400:
        message = (
            "The request was not in a form the playground understands. Start again from the playground page."
        )
    else:
        message = error.description or "The request could not be handled."
    return error_page(status, message)


def _server_error(error: Exception) -> Response:
    message = (
        "The playground hit an unexpected problem. Your input was not stored anywhere; go back and try again."
    )
    try:
        return error_page(500, message)
    except Exception:  # the error page itself failed (a template, the session): say it plainly
        current_app.logger.exception("the 500 page could not be rendered")
        return Response(message + "\n", status=500, mimetype="text/plain")


def wants_json() -> bool:
    return request.endpoint == "playground.render" or request.path == "/render"


def json_error(status: int, message: str, field_errors: Mapping[str, list[str]] | None = None) -> Response:
    """The error as the page's /render calls read it (``errors``: field → messages)."""
    response = jsonify(
        ok=False,
        error=message,
        results_html=None,
        errors=dict(field_errors or {}),
        permalink=None,
        preview_url=None,
    )
    response.status_code = status
    return response
