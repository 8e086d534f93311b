"""Friendly error pages (and JSON for the page's /render calls): say what happened, link back."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from .limits import FORM_ENDPOINTS, form_problem, size_text
from .pages import html_response

__all__ = ["register", "error_page"]

_TITLES = {
    400: "This request can't be used",
    404: "There is nothing at this address",
    405: "This address doesn't accept that kind of request",
    413: "That was too much to send",
    500: "Something went wrong on our side",
}


def register(bp: Blueprint) -> None:
    bp.app_errorhandler(CSRFError)(_csrf_error)
    bp.app_errorhandler(HTTPException)(_http_error)
    bp.app_errorhandler(InternalServerError)(_server_error)


def error_page(status: int, message: str, *, title: str | None = None) -> Response:
    if _wants_json():
        return _json_error(status, message)
    return html_response(
        render_template("error.html", status=status, title=title or _TITLES.get(status, "Something went wrong"), message=message),
        status,
    )


def _csrf_error(error: CSRFError) -> Response:
    message = (
        "Nothing was run: the form's security token was missing or did not match this browser's session "
        "(for example after its cookies were cleared)."
    )
    if _wants_json():
        return _json_error(400, message + " Reload the page to continue.")
    if request.method == "POST" and request.endpoint in FORM_ENDPOINTS and request.form and form_problem(request.form) is None:
        # Give the user's input straight back in a fresh form: nothing typed is lost (also for
        # the header's Export log button, which posts the same form to /export).
        from .main import render_playground  # late: main imports this module

        return render_playground(
            status=400,
            run=False,
            notice=message + " Your input is below, unchanged: press Run to try again.",
            notice_kind="error",
        )
    return error_page(400, message + " Go back to the playground, reload it and try again.")


def _http_error(error: HTTPException) -> Response:
    status = error.code or 500
    if status == 413:
        limit = current_app.config.get("MAX_CONTENT_LENGTH") or 0
        field_limit = current_app.config.get("MAX_FORM_MEMORY_SIZE")
        parts = current_app.config.get("MAX_FORM_PARTS")
        per_field = f" (and at most {size_text(field_limit)} in one field)" if field_limit and field_limit < limit else ""
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
        message = "The request was not in a form the playground understands. Start again from the playground page."
    else:
        message = error.description or "The request could not be handled."
    return error_page(status, message)


def _server_error(error: Exception) -> Response:
    message = "The playground hit an unexpected problem. Your input was not stored anywhere; go back and try again."
    try:
        return error_page(500, message)
    except Exception:  # the error page itself failed (a template, the session): say it plainly
        current_app.logger.exception("the 500 page could not be rendered")
        return Response(message + "\n", status=500, mimetype="text/plain")


def _wants_json() -> bool:
    return request.endpoint == "main.render" or request.path == "/render"


def _json_error(status: int, message: str) -> Response:
    response = jsonify(ok=False, error=message, results_html=None, errors={}, permalink=None, preview_url=None)
    response.status_code = status
    return response


