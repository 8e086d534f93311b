"""The decode blueprint: real beacons (pasted URLs or a HAR file) decoded, and compared with a prediction.

With the playground's permalink (``?s=``) the page compares what the site sent with what
the scenario predicts, under any profile.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import IO

from flask import Blueprint, Flask, Response, current_app, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import RequestEntityTooLarge

from app.pintrk import (
    MAX_BEACONS,
    MAX_DECODE_FORM_EXTRA,
    MAX_HAR_BYTES,
    MAX_RENDERED_ROWS,
    PROFILES,
    BeaconError,
    DecodedBeacon,
    decode_har,
    decode_text_within,
    size_text,
)

from .decode_view import DecodeView, decode_view
from .linked import LinkedScenario, open_linked
from .pages import html_response
from .security import csrf
from .wording import sentence

__all__ = ["bp", "init_app"]

bp = Blueprint("decode", __name__)


def init_app(app: Flask) -> None:
    """Register the blueprint. /decode checks CSRF itself, after raising the body limit for HAR files."""
    app.register_blueprint(bp)
    csrf.exempt(index)


@dataclass
class Decoded:
    """What a posted decode form gave: the beacons (``None``: nothing could be decoded) and why not."""

    beacons: list[DecodedBeacon] | None = None
    notes: list[str] = field(default_factory=list)
    total: int = 0
    errors: dict[str, list[str]] = field(default_factory=dict)
    source: str | None = None  # the HAR file in words, when one was read


@bp.route("/decode", methods=["GET", "POST"])
def index() -> Response:
    limit = int(current_app.config.get("MAX_HAR_BYTES") or MAX_HAR_BYTES)
    if request.method == "POST":
        refused = _unread_post(limit)
        if refused is not None:
            return refused
    source = request.form if request.method == "POST" else request.args
    token = source.get("s") or request.args.get("s") or None
    opened = open_linked(token, purpose="compare with")
    if isinstance(opened, Response):
        return opened
    profile = source.get("profile") or (opened.state.profile if opened else None)
    if profile is not None and profile not in PROFILES:
        profile = opened.state.profile if opened else None
    if request.method == "GET":
        return _decode_page(limit, playground=opened, profile=profile)
    text = source.get("urls", "")
    decoded = _decode_posted(text, limit)
    view = None
    if decoded.beacons:
        view = decode_view(decoded.beacons, decoded.notes, opened, profile, decoded.total)
        if decoded.source is not None:
            view.source = decoded.source
    return _decode_page(
        limit, playground=opened, profile=profile, text=text, errors=decoded.errors, view=view
    )


def _unread_post(limit: int) -> Response | None:
    """The page again when the posted form can't be read (over a limit, a refused CSRF token)."""
    # The page's form carries the scenario's token in its address too, so a request that
    # can't be read (over a limit, an expired token) still comes back with its comparison.
    token = request.args.get("s") or None
    # A HAR can be far larger than the playground's other forms: raise the body limit for
    # this request only, and only for a multipart upload (the one way to send a file), then
    # check the CSRF token (exempted from the automatic check, which would read the body
    # under the app-wide limit first).
    if request.mimetype == "multipart/form-data":
        request.max_content_length = limit + MAX_DECODE_FORM_EXTRA
    try:
        request.form  # noqa: B018 (parses the body, within the limits above)
    except RequestEntityTooLarge:
        return _refused(limit, token, 413, _too_large_errors(limit))
    try:
        csrf.protect()
    except CSRFError:
        return _refused(
            limit,
            request.form.get("s") or token,
            400,
            {
                "urls": [
                    "Nothing was decoded: the form's security token was missing or had expired (for example after the "
                    "browser's cookies were cleared). Your text is below, unchanged: press Decode again."
                ]
            },
            text=request.form.get("urls", ""),
            profile=request.form.get("profile"),
        )
    return None


def _too_large_errors(limit: int) -> dict[str, list[str]]:
    return {
        "har": [
            f"That was too much to send: the HAR file can be at most {size_text(limit)} "
            f"and the pasted URLs at most {size_text(_form_memory())}. Nothing was decoded. "
            "Record only the page visit that shows the problem, or paste fewer ct.pinterest.com request URLs."
        ],
        "urls": [
            "The pasted URLs could not be kept: the request was refused before they could be read. Paste them again "
            "(at most " + size_text(_form_memory()) + ")."
        ],
    }


def _decode_posted(text: str, limit: int) -> Decoded:
    """The posted HAR file's beacons, else the pasted URLs' (one source at a time)."""
    hosts = current_app.config["BEACON_HOSTS"]
    upload = request.files.get("har")
    if upload is not None and upload.filename:
        return _decode_upload(upload.stream, upload.filename, bool(text.strip()), hosts, limit)
    if text.strip():
        found = decode_text_within(text, hosts=hosts)
        decoded = Decoded(list(found.beacons), list(found.notes), found.total)
        if not decoded.beacons:
            decoded.errors["urls"] = [
                f"No {' or '.join(hosts)} beacon URLs were found in the pasted text. Paste the request URLs "
                "(they start with https://ct.pinterest.com/v3/?), one per line."
            ]
        return decoded
    return Decoded(
        errors={"urls": ["Paste one or more beacon URLs, or choose a HAR file, then press Decode."]}
    )


def _decode_upload(
    stream: IO[bytes], filename: str, urls_too: bool, hosts: tuple[str, ...], limit: int
) -> Decoded:
    try:
        found = decode_har(stream, hosts=hosts, max_bytes=limit)
    except BeaconError as exc:
        where = f" (at {exc.location})" if exc.location and not exc.location.startswith("log") else ""
        message = f"“{filename}” can't be read{where}: {sentence(exc.message)} Nothing was decoded."
        return Decoded(errors={"har": [message]})
    decoded = Decoded(
        list(found.beacons), list(found.notes), found.total, source=f"the HAR file “{filename}”"
    )
    if urls_too:
        decoded.notes.insert(
            0,
            "The pasted URLs were not decoded: a HAR file was chosen, and only one source is read at a time. Submit again without a file to decode the URLs.",
        )
    if not decoded.beacons:
        decoded.errors["har"] = [
            f"No beacons in “{filename}”: none of its requests went to {' or '.join(hosts)}. "
            "The tag didn't fire during the recording, or something (an ad blocker, a consent tool) stopped it. "
            "Record again with the Network tab open from the start (tick “Preserve log”)."
        ]
    return decoded


def _refused(
    limit: int,
    token: str | None,
    status: int,
    errors: Mapping[str, list[str]],
    *,
    text: str = "",
    profile: str | None = None,
) -> Response:
    """The decode page again after a request that was not read: its text (when it could be read)
    and its comparison (the token) kept, the reason beside the fields."""
    opened = open_linked(token, purpose="compare with") if token else None
    if isinstance(opened, Response):
        opened = None
    if profile not in PROFILES:
        profile = opened.state.profile if opened else None
    return _decode_page(
        limit, playground=opened, profile=profile, text=text, errors=errors, status=status, token=token
    )


def _decode_page(
    limit: int,
    *,
    playground: LinkedScenario | None = None,
    profile: str | None = None,
    text: str = "",
    errors: Mapping[str, list[str]] | None = None,
    view: DecodeView | None = None,
    status: int = 200,
    token: str | None = None,
) -> Response:
    predicted = playground.result_for(profile) if playground and profile else None
    html = render_template(
        "decode/index.html",
        playground=playground,
        token=playground.token if playground else token,
        profile=profile,
        profiles=PROFILES,
        predicted=predicted.beacons if predicted else None,
        text=text,
        errors=errors or {},
        view=view,
        limit=limit,
        limit_text=size_text(limit),
        max_rows=MAX_RENDERED_ROWS,
        max_beacons=MAX_BEACONS,
    )
    return html_response(html, status)


def _form_memory() -> int:
    return int(current_app.config.get("MAX_FORM_MEMORY_SIZE") or 500_000)  # None: Werkzeug's default
