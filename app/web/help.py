"""The help blueprint: one page on the ways in besides the form (the JSON API, the CLI, and the
reproduction file), linked from every page's Help menu."""

from __future__ import annotations

from flask import Blueprint, Response, render_template

from app.pintrk import PROFILES, REPRODUCTION_FORMAT

from .pages import html_response

__all__ = ["bp"]

bp = Blueprint("help", __name__)


@bp.get("/help")
def index() -> Response:
    return html_response(
        render_template("help/index.html", profiles=PROFILES, reproduction_format=REPRODUCTION_FORMAT)
    )
