"""A per-client rate limit on the JSON API's endpoints that do work (Flask-Limiter).

``API_RATE_LIMIT`` requests (config.py; ``PINTRK_API_RATE_LIMIT`` in the environment) from one
client address, shared by ``/api/v1/replay``, ``/decode``, ``/compare`` and ``/import``: a
script may spend its budget on any of them. The API's docs page and OpenAPI document are not
counted: they cost about as much as ``/healthz`` and are read by people and tools setting up.
The pages are not limited either: they are sized by the input limits, and a person can't type
fast enough to matter.

Counts live in ``RATELIMIT_STORAGE_URI`` (``memory://``: each gunicorn worker process counts
on its own; ``redis://host:6379`` for one count across workers and machines). If that store
fails, the count falls back to memory rather than turning requests into errors.

Behind reverse proxies, every request comes from a proxy's address: ``TRUSTED_PROXIES`` (how
many proxies in front add ``X-Forwarded-For``) makes the client's own address the one counted.
"""

from __future__ import annotations

import math
import time

from flask import Flask, current_app, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from werkzeug.middleware.proxy_fix import ProxyFix

__all__ = ["LIMITED_ENDPOINTS", "init_app", "retry_after_seconds"]

LIMITED_ENDPOINTS = frozenset(
    {"api.replay_endpoint", "api.decode_endpoint", "api.compare_endpoint", "api.import_endpoint"}
)


def init_app(app: Flask) -> None:
    """Count the API's requests per client (after the api blueprint is registered)."""
    proxies = int(app.config.get("TRUSTED_PROXIES") or 0)
    if proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies)  # type: ignore[method-assign]
    # One Limiter per app: its counts and its on/off state are the app's (tests build many apps).
    limiter = Limiter(get_remote_address, key_prefix="pintrk")
    limiter.shared_limit(_api_rate_limit, scope="api", exempt_when=_not_counted)(app.blueprints["api"])
    limiter.init_app(app)


def _api_rate_limit() -> str:
    return str(current_app.config["API_RATE_LIMIT"])


def _not_counted() -> bool:
    return request.endpoint not in LIMITED_ENDPOINTS


def retry_after_seconds() -> int:
    """Whole seconds until the client's exhausted limit lets a request through again (at least 1)."""
    limiters = current_app.extensions.get("limiter") or ()
    for limiter in limiters:
        breached = limiter.current_limit
        if breached is not None:
            # reset_at is the window's end rounded *up* a second (int(end + 1)), so it can be a
            # second past the window itself: never ask for more than the window.
            wait = math.ceil(breached.reset_at - time.time())
            return max(1, min(wait, breached.limit.get_expiry()))
    return 1
