"""Every refusal of the API as JSON: ``{"error": {"code", "message", "location"}}``, with its status."""

from __future__ import annotations

from typing import NoReturn

from flask import Blueprint, Response, current_app, request
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from app.pintrk import OverBudget, size_text
from app.web.ratelimit import retry_after_seconds

from .responses import json_response

__all__ = ["ApiError", "error_response", "fail", "register_error_handlers"]


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, location: str | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.location = status, code, message, location


def fail(status: int, code: str, message: str, location: str | None = None) -> NoReturn:
    raise ApiError(status, code, message, location)


def error_response(status: int, code: str, message: str, location: str | None = None) -> Response:
    return json_response({"error": {"code": code, "message": message, "location": location}}, status)


def register_error_handlers(bp: Blueprint) -> None:
    bp.register_error_handler(ApiError, _api_error)
    bp.register_error_handler(OverBudget, _over_budget)
    bp.register_error_handler(RequestEntityTooLarge, _too_large)
    bp.register_error_handler(429, _too_many_requests)
    bp.register_error_handler(HTTPException, _http_error)


def _api_error(exc: ApiError) -> Response:
    return error_response(exc.status, exc.code, exc.message, exc.location)


def _over_budget(exc: OverBudget) -> Response:
    # Raised by the core before any mapping; the limits are in the OpenAPI document's info.
    return error_response(413, exc.code, exc.message, str(exc.location) if exc.location else None)


def _too_large(exc: RequestEntityTooLarge) -> Response:
    limit = request.max_content_length
    size = f" ({size_text(limit, unit='MB')})" if limit else ""
    return error_response(
        413,
        "too-large",
        f"the request body is larger than this endpoint accepts{size}. Send fewer messages, "
        "or, for a HAR file, record only the page visit that shows the problem.",
        "body",
    )


def _too_many_requests(exc: HTTPException) -> Response:
    # Flask-Limiter's refusal (app/web/ratelimit.py), before the view read anything.
    wait = retry_after_seconds()
    limit = getattr(getattr(exc, "limit", None), "limit", None)
    response = error_response(
        429,
        "too-many-requests",
        f"too many requests from your address: this API answers at most {limit or current_app.config['API_RATE_LIMIT']} "
        f"from one client. Wait {wait} second{'s' if wait != 1 else ''} (the Retry-After header), then send it again; "
        "for many scenarios, send fewer, larger requests (up to the limits in /api/v1/docs).",
        None,
    )
    response.headers["Retry-After"] = str(wait)
    return response


def _http_error(exc: HTTPException) -> Response:
    code = (exc.name or "error").lower().replace(" ", "-")
    return error_response(exc.code or 500, code, exc.description or exc.name or "error", None)
