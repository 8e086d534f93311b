"""The live preview: the generated tag, run in the browser against the local recorder.

The main page shows this page in ``<iframe sandbox="allow-scripts">``, and the response itself
says ``sandbox allow-scripts`` (CSP), so opened on its own too the scenario's script runs in an
opaque origin (no access to the playground's page, cookies or storage). The recorder
(``static/js/recorder.js``, the stand-in for Pinterest's core.js) reports each command it runs
to the parent with ``postMessage``.

CSP does not cover WebRTC, so ``static/js/preview-guard.js`` runs before anything else and
takes the WebRTC interfaces away; the Trusted Types directives below keep a script from making
a child document (``srcdoc``) that would bring fresh ones (see that file).
"""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Response, current_app, render_template, request, url_for
from markupsafe import Markup

from app.pintrk import render_script

from .security import csp_nonce
from .state import PermalinkError, open_link

bp = Blueprint("preview", __name__)

# Nothing but our own scripts (the guard, the recorder), the one nonced inline block and the
# nonced stylesheet written into the page (preview_stylesheet); no connections at all, so even
# a scenario that tried to reach Pinterest could not. `sandbox`: an
# opaque origin even when the page is opened directly (allow-scripts only: no forms, popups,
# navigation of the top page, same-origin access). Frames and workers: none (default-src 'none'
# covers them; said out loud because a frame or worker would be a fresh, unguarded global).
# Trusted Types: only the guard's "default" policy, which turns no string into HTML or script.
CSP = (
    "sandbox allow-scripts; "
    "default-src 'none'; script-src 'self' 'nonce-{nonce}' 'report-sample'; connect-src 'none'; img-src 'self'; "
    "style-src 'nonce-{nonce}'; frame-src 'none'; child-src 'none'; worker-src 'none'; object-src 'none'; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'self'; require-trusted-types-for 'script'; trusted-types default"
)
# The plain-text error: nothing may run or load at all, and it too is its own opaque origin.
ERROR_CSP = (
    "sandbox; default-src 'none'; script-src 'none'; connect-src 'none'; object-src 'none'; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'self'"
)
# Powerful features the preview never needs, off for it and anything inside it: the site-wide
# list (security.py) plus what WebRTC could use: capture devices, screen capture, audio output
# choice, and requests to the local network or this machine (Local Network Access). Every
# feature named here is one Chromium 156 recognises (an unknown one is a console warning; the
# browser tests keep the console clean).
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "camera",
        "microphone",
        "display-capture",
        "speaker-selection",
        "local-network",
        "loopback-network",
        "local-network-access",
        "geolocation",
        "interest-cohort",
    )
)


@bp.get("/preview")
def index() -> Response:
    token = request.args.get("s", "")
    try:
        result = open_link(token)[1].result
    except PermalinkError as exc:
        return plain_error(f"This preview can't be opened. {exc}")
    if result is None:
        # A well-formed link to a scenario with input errors: there is no tag to run.
        return plain_error(
            "This scenario has errors, so there is no tag to run. Fix the marked fields in the playground."
        )
    recorder_url = url_for("static", filename="js/recorder.js")
    script = render_script(result.entries, loader_url=recorder_url)
    response = Response(
        render_template(
            "preview/index.html", script=script, recorder_url=recorder_url, stylesheet=preview_stylesheet()
        )
    )
    # Stricter than the site-wide policy (security.py keeps a header a view set).
    response.headers["Content-Security-Policy"] = CSP.format(nonce=csp_nonce())
    response.headers["Permissions-Policy"] = PERMISSIONS_POLICY
    response.headers["Cache-Control"] = "no-store"
    return response


def preview_stylesheet() -> Markup:
    """static/css/preview.css, to be written into the page's <style> (that file says why)."""
    css = (Path(current_app.static_folder or "") / "css" / "preview.css").read_text(encoding="utf-8")
    if "</" in css:  # our own file, but it lands inside <style>: it must not be able to end it
        raise ValueError("static/css/preview.css must not contain '</'")
    return Markup(css)


def plain_error(message: str) -> Response:
    """A short plain-text 400: this page lives in a small iframe, a full error page won't fit."""
    text = f"{message}\nGo back to the playground and run the scenario again.\n"
    response = Response(text, status=400, mimetype="text/plain")
    response.headers["Content-Security-Policy"] = ERROR_CSP
    response.headers["Permissions-Policy"] = PERMISSIONS_POLICY
    return response
