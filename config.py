"""Configuration classes for the pintrk playground, selected by name in create_app."""

from __future__ import annotations

import os

from app.pintrk import limits


class Config:
    # SECRET_KEY is resolved in create_app (see secret_key_for), not at import time, so
    # importing this module never needs the environment.
    SECRET_KEY: str | None = None
    # The forms' limits: a request, one field, fields (why these numbers: the core's table).
    MAX_CONTENT_LENGTH = limits.MAX_FORM_BYTES
    MAX_FORM_MEMORY_SIZE = limits.MAX_FORM_FIELD_BYTES
    MAX_FORM_PARTS = limits.MAX_FORM_PARTS
    SESSION_COOKIE_SAMESITE = "Lax"
    WTF_CSRF_ENABLED = True
    # The token is tied to the session; an hour-long expiry only broke live updates
    # for people who keep the playground open.
    WTF_CSRF_TIME_LIMIT = None
    TESTING = False
    DEBUG = False
    # Pages opened from a link, an example or the blank form are rendered once and kept
    # (app/web/page_cache.py): at most this many bytes of pages per process; 0: off.
    PAGE_CACHE_BYTES = 32 * 1024 * 1024
    # Decode beacons: the largest HAR file read (None: the core's 50 MB), and the hosts whose
    # requests count as beacons (None: Pinterest's ct.pinterest.com; create_app makes it a tuple).
    MAX_HAR_BYTES: int | None = None
    BEACON_HOSTS: tuple[str, ...] | None = None
    # The JSON API's work endpoints, per client address (app/web/ratelimit.py; Flask-Limiter's
    # notation, e.g. "600 per minute"). Counted in RATELIMIT_STORAGE_URI: memory:// counts per
    # gunicorn worker; redis://host:6379 (pip install redis) counts once for every worker and machine.
    API_RATE_LIMIT = "120 per minute"
    RATELIMIT_ENABLED = True
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_STRATEGY = "sliding-window-counter"  # no burst of twice the limit at a window's edge
    # A store that fails counts in memory meanwhile; never an error for the request.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_SWALLOW_ERRORS = True
    # Reverse proxies in front that add X-Forwarded-For: the client's own address is then the one
    # counted (0: the connection's address, i.e. gunicorn serves clients directly).
    TRUSTED_PROXIES = 0

    # Static files: served under /static/<build id> with "Cache-Control: public, max-age=31536000,
    # immutable" (app/web/assets.py); off, Flask's revalidation (ETag) instead.
    STATIC_IMMUTABLE = True
    # Flask-Compress: what compresses (pages, JSON answers and exports, CSS, JS, SVG), Brotli where
    # the browser takes it, else gzip; streamed answers (the API's replays) compressed as they go.
    COMPRESS_MIMETYPES = [
        "text/html",
        "text/css",
        "text/plain",
        "text/javascript",
        "application/javascript",
        "application/json",
        "image/svg+xml",
    ]
    COMPRESS_ALGORITHM = ["br", "gzip"]
    COMPRESS_ALGORITHM_STREAMING = ["br", "gzip"]

    # Lower-case, so Flask's from_object does not copy it into app.config.
    fallback_secret_key: str | None = None


class DevelopmentConfig(Config):
    DEBUG = True
    PAGE_CACHE_BYTES = 0  # templates reload on change here; a kept page would be stale
    STATIC_IMMUTABLE = False  # nor may a browser keep a static file edited while the server runs
    fallback_secret_key = "dev-only-insecure-key"


class TestingConfig(Config):
    TESTING = True
    # CSRF stays on: tests fetch the token like a browser would.
    fallback_secret_key = "test-only-insecure-key"
    # The suite sends thousands of API requests from one address; tests/web/test_ratelimit.py turns it on.
    RATELIMIT_ENABLED = False


class ProductionConfig(Config):
    pass


configs: dict[str, type[Config]] = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def secret_key_for(config: type[Config]) -> str:
    """The SECRET_KEY from the environment, else the config's fallback, else a RuntimeError."""
    key = os.environ.get("SECRET_KEY") or config.fallback_secret_key
    if not key:
        raise RuntimeError(
            f"SECRET_KEY is not set: {config.__name__} needs it in the environment, e.g. "
            "export SECRET_KEY=$(python3 -c 'import secrets; print(secrets.token_hex(32))')"
        )
    return key
