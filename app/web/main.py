"""The main page and a health check."""

from __future__ import annotations

from flask import Blueprint, Response, render_template

bp = Blueprint("main", __name__)


@bp.get("/")
def index() -> str:
    return render_template("index.html")


@bp.get("/healthz")
def healthz() -> Response:
    return Response("ok", mimetype="text/plain")
