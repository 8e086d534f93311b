"""GET /preview: the generated tag against the local recorder, under a strict CSP."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import quote

import pytest
from bs4 import BeautifulSoup
from flask.testing import FlaskClient

from app.pintrk.presets import TAG_ID
from app.web.state import PlaygroundState
from tests.web.pages import STATIC

NASTY = 'rudderanalytics.track("</script><script>alert(1)</script>", {promo_code: "<!-- \\u2028 & >"});\n'


def token(calls: str = NASTY, profile: str = "docs") -> str:
    return PlaygroundState({"tagId": TAG_ID}, profile, calls, "").to_token()


def test_preview_runs_the_tag_against_the_recorder(client: FlaskClient) -> None:
    response = client.get(f"/preview?s={quote(token())}")
    assert response.status_code == 200
    assert response.mimetype == "text/html"

    csp = response.headers["Content-Security-Policy"]
    nonce = re.search(r"'nonce-([^']+)'", csp).group(1)
    assert csp == (
        f"sandbox allow-scripts; default-src 'none'; script-src 'self' 'nonce-{nonce}' 'report-sample'; connect-src 'none'; "
        f"img-src 'self'; style-src 'nonce-{nonce}'; frame-src 'none'; child-src 'none'; worker-src 'none'; object-src 'none'; "
        "base-uri 'none'; form-action 'none'; frame-ancestors 'self'; require-trusted-types-for 'script'; "
        "trusted-types default"
    )
    assert len(nonce) >= 16

    soup = BeautifulSoup(response.text, "html.parser")
    assert "nothing is sent to Pinterest" in soup.get_text(" ", strip=True)
    scripts = soup.find_all("script")
    # Exactly two: the guard first, then the nonced tag (the recorder is inserted by the base code).
    assert len(scripts) == 2
    guard, tag = scripts
    assert (
        guard["src"] == f"{STATIC}/js/preview-guard.js"
        and not guard.has_attr("async")
        and not guard.has_attr("defer")
    )
    assert (
        guard["data-recorder-url"] == f"{STATIC}/js/recorder.js"
    )  # the one URL its Trusted Types policy lets through
    assert (
        soup.head.find("script") is guard and guard.find_previous("link") is None
    )  # before anything else loads
    assert tag["nonce"] == nonce and not guard.has_attr("nonce")
    code = tag.string
    assert f'"{STATIC}/js/recorder.js"' in code
    assert "pinimg.com" not in response.text and "pinterest.com" not in response.text
    # The user's markup stayed data: the script element holds all of it.
    assert "</script><script>" not in code and "\\u003c/script\\u003e" in code


def test_preview_script_is_valid_javascript(client: FlaskClient) -> None:
    node = shutil.which("node")
    if not node:
        pytest.skip("node is not installed")
    html = client.get(f"/preview?s={quote(token())}").text
    code = BeautifulSoup(html, "html.parser").find("script", nonce=True).string
    check = subprocess.run([node, "--check", "-"], input=code, capture_output=True, text=True)
    assert check.returncode == 0, check.stderr


def test_each_request_gets_a_fresh_nonce(client: FlaskClient) -> None:
    url = f"/preview?s={quote(token())}"
    first = client.get(url).headers["Content-Security-Policy"]
    second = client.get(url).headers["Content-Security-Policy"]
    assert first != second


@pytest.mark.parametrize("query", ["", "?s=", "?s=nonsense", "?s=1.AAAA"])
def test_a_bad_link_is_a_short_400(client: FlaskClient, query: str) -> None:
    response = client.get("/preview" + query)
    assert response.status_code == 400
    assert response.mimetype == "text/plain"
    assert "This preview can't be opened." in response.text


def test_a_scenario_with_errors_has_nothing_to_run(client: FlaskClient) -> None:
    broken = token('rudderanalytics.track("x"')
    response = client.get(f"/preview?s={quote(broken)}")
    assert response.status_code == 400
    assert "there is no tag to run" in response.text


def test_the_recorder_has_no_way_to_send_anything() -> None:
    source = (Path(__file__).resolve().parents[2] / "static" / "js" / "recorder.js").read_text()
    code = re.sub(r"/\*[\s\S]*?\*/|//[^\n]*", "", source)  # its comments may name what it avoids
    for api in ("Image", "fetch", "sendBeacon", "XMLHttpRequest", "WebSocket", "EventSource", "src", "href"):
        assert not re.search(rf"\b{api}\b", code), api


def test_the_preview_is_its_own_opaque_origin_and_without_webrtc_features(client: FlaskClient) -> None:
    """Opened directly, not only in the playground's sandboxed iframe (tests/browser/test_preview_sandbox.py)."""
    with_errors = token('rudderanalytics.track("x"')
    for query in (f"?s={quote(token())}", "?s=nonsense", f"?s={quote(with_errors)}"):
        response = client.get("/preview" + query)
        directives = [d.strip().split() for d in response.headers["Content-Security-Policy"].split(";")]
        sandbox = [d for d in directives if d[0] == "sandbox"]
        assert sandbox in ([["sandbox", "allow-scripts"]], [["sandbox"]]), (
            query,
            sandbox,
        )  # never allow-same-origin
        policy = dict(
            item.strip().split("=", 1) for item in response.headers["Permissions-Policy"].split(",")
        )
        for feature in (
            "camera",
            "microphone",
            "display-capture",
            "speaker-selection",
            "local-network",
            "loopback-network",
            "geolocation",
        ):
            assert policy.get(feature) == "()", (query, feature)
    assert (
        client.get("/preview?s=nonsense").headers["Content-Security-Policy"].startswith("sandbox; ")
    )  # nothing runs
