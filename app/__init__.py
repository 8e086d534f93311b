"""The pintrk playground Flask application."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from flask import Flask

from app.cli import pintrk_cli
from app.pintrk import DEFAULT_BEACON_HOSTS
from app.web import (
    api,
    assets,
    compare,
    decode,
    errors,
    form_guards,
    page_cache,
    playground,
    preview,
    ratelimit,
    reproduction,
    requests,
    security,
)
from app.web import help as help_page
from app.web.security import csrf

__all__ = ["create_app", "csrf"]

ROOT = Path(__file__).resolve().parent.parent


def create_app(config_name: str | None = None, **overrides: Any) -> Flask:
    """Build the app for `config_name` (default: $PINTRK_CONFIG or "development").

    Keyword overrides are applied on top of the config class, e.g. create_app("testing", FOO=1).
    """
    # Imported here: config.py reads the core's limits table (app.pintrk), so it needs this package first.
    from config import configs, secret_key_for

    name = config_name or os.environ.get("PINTRK_CONFIG") or "development"
    try:
        config = configs[name]
    except KeyError:
        raise ValueError(f"unknown config {name!r}; choose one of {', '.join(configs)}") from None

    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
        # /static/<build id>: every static URL changes with the files' contents (app/web/assets.py)
        static_url_path=assets.static_url_path(ROOT / "static"),
    )
    app.config.from_object(config)
    # Any setting from the environment, prefixed: PINTRK_PAGE_CACHE_BYTES=0, PINTRK_MAX_HAR_BYTES=…
    # (values read as JSON when they parse, e.g. PINTRK_BEACON_HOSTS='["ct.pinterest.com"]').
    app.config.from_prefixed_env("PINTRK")
    app.config.update(overrides)
    app.config["BEACON_HOSTS"] = _hosts(app.config.get("BEACON_HOSTS"))
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = secret_key_for(config)

    requests.init_app(app)  # before any request: it sets the request class
    csrf.init_app(app)
    security.init_app(app)
    errors.init_app(app)  # after csrf: its before_request runs after the token check
    form_guards.init_app(app)  # after errors: the rows are counted before the sizes
    page_cache.init_app(app)
    assets.init_app(app)  # compression and static caching

    app.register_blueprint(playground.bp)
    app.register_blueprint(preview.bp)
    app.register_blueprint(compare.bp)
    decode.init_app(app)
    app.register_blueprint(reproduction.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(help_page.bp)
    csrf.exempt(api.bp)
    ratelimit.init_app(app)  # counts the api blueprint's requests
    register_cli(app)
    return app


def _hosts(setting: Any) -> tuple[str, ...]:
    """BEACON_HOSTS as a tuple: a list, "a.example,b.example" (from the environment), or the default."""
    if isinstance(setting, str):
        setting = [host.strip() for host in setting.split(",")]
    return tuple(host for host in setting or () if host) or DEFAULT_BEACON_HOSTS


def register_cli(app: Flask) -> None:
    """Add the `flask pintrk ...` command group (the core's CLI)."""
    app.cli.add_command(pintrk_cli)
