"""Static files under a fingerprinted URL, kept by browsers for a year; responses compressed.

Every static URL carries the build id, a hash of the whole static folder's contents worked out
when the app is created: ``/static/<build id>/css/app.css``. Flask's ``static_url_path`` is set
to that prefix, so every ``url_for('static', ...)`` is versioned, and the page's ES modules,
which import each other by relative paths (``./state.js``), resolve under the same prefix. A
file's URL therefore changes whenever any static file changes, so a browser may keep what it
got for as long as it likes (``immutable``: not even a reload asks again). One id for the
folder rather than one per file: modules could not carry per-file ids in their imports
without a build step, and the folder is small (a deploy that changes a file re-downloads ~70 KB).

Old URLs (``/static/css/app.css``, or another build's ``/static/<id>/…``) are redirected to the
current one with a temporary redirect that is not cached, rather than answered 404: a page
rendered by the previous process during a deploy, a tab left open, a bookmarked stylesheet keep
working. The redirect carries the current build's file (the old content is gone), and a module
redirected this way imports its siblings under the current prefix, so a page never mixes two
builds within one module graph. A file that does not exist is a 404 without a redirect.

Development (``STATIC_IMMUTABLE`` off) keeps Flask's revalidation instead: a file edited while
the server runs keeps its URL there, and must not be kept by the browser.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

from flask import Flask, Response, abort, current_app, redirect, request, url_for
from flask_compress import Compress
from werkzeug.security import safe_join

__all__ = ["build_id", "init_app", "static_url_path", "IMMUTABLE"]

IMMUTABLE = "public, max-age=31536000, immutable"  # a year: the most HTTP caches honour
_BUILD_ID_LENGTH = 12  # 48 bits of SHA-256: no two builds of one site collide
_BUILD_ID = re.compile(rf"[0-9a-f]{{{_BUILD_ID_LENGTH}}}")


def build_id(folder: Path) -> str:
    """A hash of every file's path and bytes under ``folder`` (the same in every worker)."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        data = path.read_bytes()
        name = path.relative_to(folder).as_posix().encode()
        # Lengths first, so no two different folders hash the same bytes.
        digest.update(f"{len(name)}:{len(data)}:".encode() + name + data)
    return digest.hexdigest()[:_BUILD_ID_LENGTH]


def static_url_path(folder: Path) -> str:
    """Flask's ``static_url_path`` for ``folder``: ``/static/<build id>``."""
    return f"/static/{build_id(folder)}"


def init_app(app: Flask) -> None:
    """Far-future caching on the versioned URLs, redirects from old ones, compression."""
    app.config.setdefault("STATIC_IMMUTABLE", True)
    Compress(app)  # its settings: config.py's COMPRESS_*
    app.add_url_rule("/static/<path:filename>", endpoint="static_moved", view_func=_moved)
    folder = Path(app.static_folder or "")
    # The playground's modules, for <link rel="modulepreload">: fetched at once, not import by import.
    app.jinja_env.globals["playground_modules"] = sorted(
        path.relative_to(folder).as_posix() for path in (folder / "js" / "playground").glob("*.js")
    )

    @app.after_request
    def cache_static(response: Response) -> Response:
        if (
            request.endpoint == "static"
            and response.status_code in (200, 206, 304)
            and current_app.config["STATIC_IMMUTABLE"]
        ):
            response.headers["Cache-Control"] = IMMUTABLE
            response.headers.pop("Expires", None)
        return response


def _moved(filename: str) -> Response:
    """An unversioned or another build's static URL: to the current build's file, if it exists."""
    first, _, rest = filename.partition("/")
    folder = current_app.static_folder or ""
    if rest and _BUILD_ID.fullmatch(first) and not os.path.isdir(os.path.join(folder, first)):
        filename = rest
    path = safe_join(folder, filename)
    if path is None or not os.path.isfile(path):
        abort(404)
    response = redirect(url_for("static", filename=filename), code=302)
    response.headers["Cache-Control"] = "no-cache"  # the target moves with every build
    return response
