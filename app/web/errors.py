"""Friendly error pages (and JSON for the page's /render calls): say what happened, link back."""

from __future__ import annotations

import re

from flask import Blueprint, Response, current_app, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from .forms import field_label
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
    bp.before_app_request(_refuse_overflowing_form)  # after the CSRF check, which reads the form


# -- a playground form too large to use: the page comes back with what was kept -----------------

_VISIBLE_FIELDS = frozenset(
    {
        "tag_id",
        "profile",
        "enhanced_match",
        "send_as_custom_event",
        "deduplication_key",
        "settings_json",
        "calls",
        "initial_traits",
        "messages",
        "pintrk",
        "preset",
        "builder_method",
        "builder_event",
        "builder_name",
        "builder_category",
        "builder_user_id",
        "builder_data",
        "mappings",
        "custom_properties",
    }
)
_ROW_SUBFIELD = re.compile(r"(mappings|custom_properties)-\d{1,12}-(source|target|path|missing)")


def _error_key(name: str) -> str:
    """The error container a posted field's problem is shown in."""
    if name in ("reproduction_text", "reproduction_file"):
        return "reproduction"
    row = _ROW_SUBFIELD.fullmatch(name)
    if row:
        return row.group(1) if row.group(2) == "missing" else name
    return name if name in _VISIBLE_FIELDS else "__all__"


def _label(name: str) -> str:
    if name == "reproduction_file":
        return "The chosen reproduction file"
    if name == "reproduction_text":
        return "The pasted reproduction"
    return f"The field “{field_label(name)}”" if _error_key(name) == "__all__" else field_label(name)


def form_overflow_errors() -> dict[str, list[str]]:
    """Field → what did not fit, for a playground form read past its limits (else ``{}``)."""
    overflow = getattr(request, "form_overflow", None)
    if overflow is None or not overflow.over:
        return {}
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        errors.setdefault(_error_key(name), []).append(message)

    field_limit = size_text(overflow.field_limit) if overflow.field_limit else ""
    for name, size in overflow.cut.items():
        add(
            name,
            (
                f"{_subject(name)} {'at least ' if name == overflow.unfinished else ''}{_size(size)} as sent; the playground "
                f"accepts at most {field_limit} in one field. Only the first {field_limit} is kept here; the rest was "
                "not received. Shorten it, then try again."
            ),
        )
    if overflow.body_bytes > overflow.request_limit and not overflow.cut and not overflow.unread:
        largest = max(overflow.sizes, key=overflow.sizes.__getitem__, default=None)
        if largest is not None:
            add(
                largest,
                (
                    f"{_subject(largest)} the largest part of the form ({_size(overflow.sizes[largest])}); the whole form "
                    f"was {_size(overflow.body_bytes)}, more than the {size_text(overflow.request_limit)} the playground "
                    "accepts per request. Shorten it, then try again."
                    + (
                        " Choose the file again afterwards: browsers don't keep a chosen file."
                        if largest == "reproduction_file"
                        else ""
                    )
                ),
            )
    if overflow.unread:
        add(
            "__all__",
            (
                f"The form was larger than {_size(overflow.body_bytes)}, so the playground stopped reading it there: "
                "fields after that point are empty here."
            ),
        )
    if overflow.dropped_parts:
        add(
            "__all__",
            (
                f"The form had {overflow.dropped_parts:,} fields more than the {overflow.parts_limit:,} the playground "
                "accepts; those were not kept."
            ),
        )
    return errors


def _subject(name: str) -> str:
    """A message's start: "This field is" beside the field itself, else the field by name."""
    if _error_key(name) == name:
        return "This field is"
    return f"{_label(name)} is"


def _size(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.2f} MB"
    return f"{size / 1024:,.0f} KB" if size >= 1024 else f"{size:,} bytes"


def _refuse_overflowing_form() -> Response | None:
    """Before a playground form view: a form over the size limits runs nothing; the page comes back
    with every field that was read, and each problem beside its field (never a bare 413)."""
    if request.method != "POST" or request.endpoint not in FORM_ENDPOINTS:
        return None
    _ = request.form  # read here if the CSRF check did not (it is off in some tests)
    errors = form_overflow_errors()
    if not errors:
        return None
    overflow = request.form_overflow
    message = (
        f"Nothing was run: the form was too large to use ({_size(overflow.body_bytes)}{'+' if overflow.unread else ''}; "
        f"the playground accepts at most {size_text(overflow.request_limit)} per request and "
        f"{size_text(overflow.field_limit)} in one field)."
    )
    if _wants_json():
        response = jsonify(
            ok=False, error=message, results_html=None, errors=errors, permalink=None, preview_url=None
        )
        response.status_code = 413
        return response
    from .main import render_playground  # late: main imports this module

    return render_playground(
        status=413,
        run=False,
        notice=message + " Everything that was received is below; the marked fields say what to shorten.",
        notice_kind="error",
    )


def error_page(status: int, message: str, *, title: str | None = None) -> Response:
    if _wants_json():
        return _json_error(status, message)
    return html_response(
        render_template(
            "error.html",
            status=status,
            title=title or _TITLES.get(status, "Something went wrong"),
            message=message,
        ),
        status,
    )


def _csrf_error(error: CSRFError) -> Response:
    message = (
        "Nothing was run: the form's security token was missing or did not match this browser's session "
        "(for example after its cookies were cleared)."
    )
    if _wants_json():
        return _json_error(400, message + " Reload the page to continue.")
    if (
        request.method == "POST"
        and request.endpoint in FORM_ENDPOINTS
        and request.form
        and form_problem(request.form) is None
    ):
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


def _wants_json() -> bool:
    return request.endpoint == "main.render" or request.path == "/render"


def _json_error(status: int, message: str) -> Response:
    response = jsonify(
        ok=False, error=message, results_html=None, errors={}, permalink=None, preview_url=None
    )
    response.status_code = status
    return response
