"""The live preview: the generated tag, run in the browser against the local recorder.

The main page shows this page in ``<iframe sandbox="allow-scripts">``: the scenario's script
runs in an opaque origin (no access to the playground's page, cookies or storage), and the
recorder (``static/js/recorder.js``, the stand-in for Pinterest's core.js) reports each
command it runs to the parent with ``postMessage``.
"""

from __future__ import annotations


from flask import Blueprint, Response, render_template, request, url_for

from app.pintrk.snippet import render_script
from app.web.security import csp_nonce
from app.web.state import PermalinkError, PlaygroundState

bp = Blueprint("preview", __name__)

# Nothing but our own scripts (the recorder) and the one nonced inline block; no connections
# at all, so even a scenario that tried to reach Pinterest could not.
CSP = (
    "default-src 'none'; script-src 'self' 'nonce-{nonce}' 'report-sample'; connect-src 'none'; img-src 'self'; "
    "style-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'self'"
)
# The plain-text error: nothing may run or load at all.
ERROR_CSP = (
    "default-src 'none'; script-src 'none'; connect-src 'none'; object-src 'none'; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'self'"
)


@bp.get("/preview")
def preview() -> Response:
    token = request.args.get("s", "")
    try:
        state = PlaygroundState.from_token(token)
    except PermalinkError as exc:
        return plain_error(f"This preview can't be opened. {exc}")
    result = state.run().result
    if result is None:
        # A well-formed link to a scenario with input errors: there is no tag to run.
        return plain_error("This scenario has errors, so there is no tag to run. Fix the marked fields in the playground.")
    script = render_script(result.entries, loader_url=url_for("static", filename="js/recorder.js"))
    response = Response(render_template("preview.html", script=script))
    # Stricter than the site-wide policy (security.py keeps a header a view set).
    response.headers["Content-Security-Policy"] = CSP.format(nonce=csp_nonce())
    response.headers["Cache-Control"] = "no-store"
    return response


def plain_error(message: str) -> Response:
    """A short plain-text 400: this page lives in a small iframe, a full error page won't fit."""
    text = f"{message}\nGo back to the playground and run the scenario again.\n"
    response = Response(text, status=400, mimetype="text/plain")
    response.headers["Content-Security-Policy"] = ERROR_CSP
    return response
