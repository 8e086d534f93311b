"""Before a playground form view runs anything: a form that can't be used comes back, not lost.

A form over the size limits, or whose CSRF token was refused, runs nothing; the page comes
back with every field that was read and the reason at the top (the marked fields say what
to shorten). The page's own /render calls get the same as JSON.
"""

from __future__ import annotations

from flask import Flask, Response, request
from flask_wtf.csrf import CSRFError

from app.pintrk import size_text

from . import errors
from .form_overflow import form_overflow_errors
from .limits import FORM_ENDPOINTS, form_problem
from .playground_page import give_form_back

__all__ = ["init_app"]


def init_app(app: Flask) -> None:
    app.register_error_handler(CSRFError, _csrf_error)
    app.before_request(_refuse_overflowing_form)  # after the CSRF check, which reads the form


def _refuse_overflowing_form() -> Response | None:
    """A form over the size limits: the page comes back with each problem beside its field (never a bare 413)."""
    if request.method != "POST" or request.endpoint not in FORM_ENDPOINTS:
        return None
    _ = request.form  # read here if the CSRF check did not (it is off in some tests)
    field_errors = form_overflow_errors()
    if not field_errors:
        return None
    overflow = request.form_overflow  # type: ignore[attr-defined]
    message = (
        f"Nothing was run: the form was too large to use ({size_text(overflow.body_bytes, digits=2)}"
        f"{'+' if overflow.unread else ''}; the playground accepts at most "
        f"{size_text(overflow.request_limit)} per request and "
        f"{size_text(overflow.field_limit)} in one field)."
    )
    if errors.wants_json():
        return errors.json_error(413, message, field_errors)
    return give_form_back(
        413, message + " Everything that was received is below; the marked fields say what to shorten."
    )


def _csrf_error(error: CSRFError) -> Response:
    if errors.wants_json():
        return errors.csrf_refusal()
    if (
        request.method == "POST"
        and request.endpoint in FORM_ENDPOINTS
        and request.form
        and form_problem(request.form) is None
    ):
        # Give the user's input straight back in a fresh form: nothing typed is lost (also for
        # the header's Export log button, which posts the same form to /export).
        return give_form_back(
            400, errors.CSRF_MESSAGE + " Your input is below, unchanged: press Run to try again."
        )
    return errors.csrf_refusal()
