"""Security headers on every response: pages, partials, JSON, downloads, errors, static files, the API.

The policy is app/web/security.py's (the live preview and its error set stricter ones). Each
response is checked for the same invariants, so a new route or error handler that forgets
them fails here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from app import create_app
from app.pintrk.presets import TAG_ID
from app.web.state import PlaygroundState
from tests.hostile import csp_directives, header_problems
from tests.web.pages import csrf_token_in

GOOD = PlaygroundState(
    {"tagId": TAG_ID}, "docs", 'rudderanalytics.track("Order Completed", {revenue: 1});', ""
).to_token()
BROKEN = PlaygroundState({"tagId": TAG_ID}, "docs", "rudderanalytics.track(", "").to_token()
PREVIEWS = ("/preview",)


def directives(policy: str) -> dict[str, list[str]]:
    return csp_directives(policy)


def check_headers(response: TestResponse, path: str, *, server_error: bool = False) -> None:
    """The header invariants every response must meet (tests/hostile.py), and no 5xx unless expected."""
    headers = {name.lower(): value for name, value in response.headers.items()}
    assert header_problems(headers, preview=path.startswith(PREVIEWS)) == [], f"{response.status_code} {path}"
    assert (response.status_code >= 500) == server_error, f"{response.status_code} {path}"


def _requests(token: str, static: str) -> list[tuple[str, str, dict]]:
    """(method, path, keyword arguments for the test client): one of every kind of response.

    ``static``: the app's versioned static prefix (/static/<build id>)."""
    form = {"csrf_token": token, "tag_id": TAG_ID, "calls": "rudderanalytics.track('x');"}
    return [
        ("GET", "/", {}),
        ("HEAD", "/", {}),
        ("OPTIONS", "/", {}),
        ("GET", "/?preset=identify-then-track", {}),
        ("GET", f"/?s={GOOD}", {}),
        ("GET", "/?s=broken", {}),  # 400 page
        ("GET", "/?preset=nope", {}),  # 404 page
        ("GET", "/no/such/page", {}),  # 404
        ("DELETE", "/", {}),  # 405
        ("GET", "/render", {}),  # 405
        ("POST", "/", {"data": form}),
        ("POST", "/", {"data": {"tag_id": "x"}}),  # CSRF 400, input kept
        ("POST", "/", {"data": {**form, "calls": "x" * (3 * 1024 * 1024)}}),  # 413 page
        ("POST", "/render", {"data": form}),  # JSON partial
        ("POST", "/render", {"data": {"calls": ""}}),  # CSRF 400 JSON
        ("POST", "/render", {"data": {**form, "calls": "x" * (3 * 1024 * 1024)}}),  # 413 JSON
        ("POST", "/render", {"json": {}, "headers": {"X-CSRFToken": token}}),  # 400 JSON: not a form
        ("GET", f"/export?s={GOOD}", {}),
        ("GET", f"/download?s={GOOD}", {}),
        ("GET", f"/download?s={BROKEN}", {}),  # 400 page
        ("POST", "/export", {"data": form}),
        ("GET", f"/preview?s={GOOD}", {}),
        ("GET", "/preview?s=broken", {}),  # plain-text 400
        ("GET", f"/preview?s={BROKEN}", {}),
        ("GET", "/healthz", {}),
        ("GET", f"{static}/css/app.css", {}),
        ("GET", f"{static}/js/playground/main.js", {}),
        ("GET", f"{static}/js/playground/state.js", {}),  # a module main.js imports
        ("GET", f"{static}/js/recorder.js", {}),
        ("GET", f"{static}/no-such-file.js", {}),  # 404
        ("GET", "/static/css/app.css", {}),  # an unversioned URL: redirected
        ("GET", "/static/no-such-file.js", {}),  # 404
        ("GET", "/api/v1/docs", {}),
        ("GET", "/api/v1/openapi.json", {}),
        ("POST", "/api/v1/replay", {"json": {"settings": {"tagId": TAG_ID}}}),
        ("POST", "/api/v1/replay", {"data": "x", "content_type": "text/plain"}),  # 415
        ("POST", "/api/v1/replay", {"data": "[" * 100_000, "content_type": "application/json"}),  # 400
        ("GET", "/api/v1/replay", {}),  # 405 JSON
        ("GET", "/api/v1/nope", {}),  # 404 JSON
    ]


@pytest.fixture(scope="module")
def client_and_token() -> Iterator[tuple[FlaskClient, str]]:
    client = create_app("testing").test_client()
    html = client.get("/").text
    yield client, csrf_token_in(html)


def test_every_kind_of_response_has_the_headers(client_and_token: tuple[FlaskClient, str]) -> None:
    client, token = client_and_token
    statuses = set()
    for method, path, kwargs in _requests(token, client.application.static_url_path):
        response = client.open(path, method=method, **kwargs)
        response.close()
        statuses.add(response.status_code)
        check_headers(response, path)
    assert {200, 302, 400, 404, 405, 413, 415} <= statuses


def test_static_files_conditional_and_range_requests_keep_the_headers(
    client_and_token: tuple[FlaskClient, str],
) -> None:
    client, _ = client_and_token
    path = client.application.static_url_path + "/css/app.css"
    first = client.get(path)
    first.close()
    etag = first.headers["ETag"]
    for headers in ({"If-None-Match": etag}, {"Range": "bytes=0-9"}):
        response = client.get(path, headers=headers)
        response.close()
        assert response.status_code in (206, 304)
        check_headers(response, path)


@pytest.fixture
def failing_app() -> Flask:
    app = create_app("testing", PROPAGATE_EXCEPTIONS=False)

    @app.get("/_boom")
    def boom() -> str:
        raise RuntimeError("a bug")

    return app


def test_a_500_is_a_friendly_page_with_the_headers(failing_app: Flask) -> None:
    response = failing_app.test_client().get("/_boom")
    assert response.status_code == 500 and response.mimetype == "text/html"
    assert "unexpected problem" in response.text and 'href="/"' in response.text
    assert "RuntimeError" not in response.text and "a bug" not in response.text
    check_headers(response, "/_boom", server_error=True)


def test_a_500_whose_page_cannot_render_is_still_plain_text_with_the_headers(
    failing_app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.web import errors

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the template is broken too")

    monkeypatch.setattr(errors, "render_template", broken)
    response = failing_app.test_client().get("/_boom")
    assert response.status_code == 500 and response.mimetype == "text/plain"
    assert "unexpected problem" in response.text
    check_headers(response, "/_boom", server_error=True)


def test_a_500_during_render_answers_json(failing_app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    from app.web import playground

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(playground, "state_from_values", broken)
    client = failing_app.test_client()
    token = csrf_token_in(client.get("/").text)
    response = client.post("/render", data={"csrf_token": token})
    assert response.status_code == 500 and response.is_json
    assert response.get_json()["ok"] is False and "unexpected problem" in response.get_json()["error"]
    check_headers(response, "/render", server_error=True)


def test_the_preview_policy_is_stricter_and_its_frame_is_sandboxed(
    client_and_token: tuple[FlaskClient, str],
) -> None:
    client, _ = client_and_token
    response = client.get(f"/preview?s={GOOD}")
    csp = directives(response.headers["Content-Security-Policy"])
    assert csp["default-src"] == ["'none'"] and csp["connect-src"] == ["'none'"]
    assert csp["form-action"] == ["'none'"] and csp["img-src"] == ["'self'"]
    # Its own opaque origin even opened directly; no frame or worker (a fresh global would bring
    # fresh WebRTC); no string becomes HTML or script except through the guard's policy.
    assert csp["sandbox"] == ["allow-scripts"]
    assert csp["frame-src"] == csp["child-src"] == csp["worker-src"] == ["'none'"]
    assert csp["require-trusted-types-for"] == ["'script'"] and csp["trusted-types"] == ["default"]
    permissions = response.headers["Permissions-Policy"]
    for feature in ("camera", "microphone", "display-capture", "local-network", "loopback-network"):
        assert f"{feature}=()" in permissions.split(", "), feature
    page = client.get(f"/?s={GOOD}").text
    frames = re.findall(r"<iframe\b[^>]*>", page)
    assert len(frames) == 2  # the preview, and the frame that keeps its browser process warm
    for frame in frames:
        assert re.search(r'\ssandbox="allow-scripts"[\s>]', frame), frame
    warm_up = next(frame for frame in frames if "preview-warm-up" in frame)
    warm_up_src = re.search(r'src="([^"]+)"', warm_up)
    assert warm_up_src and "<script" not in client.get(warm_up_src.group(1)).text
    assert "allow-same-origin" not in page and "allow-top-navigation" not in page


@pytest.mark.parametrize("path", [f"/export?s={GOOD}", f"/download?s={GOOD}"])
def test_downloads_are_attachments_that_would_run_sandboxed(
    client_and_token: tuple[FlaskClient, str], path: str
) -> None:
    client, _ = client_and_token
    response = client.get(path)
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert "sandbox" in directives(response.headers["Content-Security-Policy"])


def test_every_page_names_its_favicon_and_it_is_served(client) -> None:
    """No favicon 404 in the console: the layout links the icon, and the file is there."""
    from bs4 import BeautifulSoup

    for path in ("/", "/decode", "/api/v1/docs"):
        link = BeautifulSoup(client.get(path).data, "html.parser").select_one('link[rel="icon"]')
        assert link is not None, path
        icon = client.get(link["href"])
        assert icon.status_code == 200 and icon.mimetype == "image/svg+xml"
        assert b"<svg" in icon.data
