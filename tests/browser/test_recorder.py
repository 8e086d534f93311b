"""The preview page and static/js/recorder.js in real Chromium.

The recorder stands in for Pinterest's core.js: it must run every command of the generated
tag in order and report each one to the parent with exactly the server's calls_json.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

import pytest
from playwright.sync_api import Frame, Page, Route, expect

from app.web.state import PlaygroundState
from tests.web.pages import STATIC

# Awkward on purpose: markup in strings, U+2028, integer-like keys, 1e21, -0, an email with
# spaces, a call the integration throws on (so command indexes skip an error entry).
CALLS = """\
rudderanalytics.identify("u1", {email: " Jane@Example.com ", name: "Jane"});
rudderanalytics.track("Order Completed", {revenue: 1e21, promo_code: "</script><!--<script>", products: [{sku: "a\\u2028b", price: 0.1, quantity: 2}], "10": "ten", "2": "two", customProperty: {customValue: true}});
rudderanalytics.page("Cat", "Shoes & more", {path: "/x?a=1&b=2"});
rudderanalytics.track(42);
rudderanalytics.track("Signed Up", {value: 12345678901234567890, order_quantity: -0, order_id: "quote \\" backslash \\\\ done"});
"""
SETTINGS = {
    "tagId": "2612345678901",
    "enhancedMatch": True,
    "customProperties": [
        {"properties": "customProperty.customValue"},
        {"properties": "10"},
        {"properties": "2"},
    ],
    "eventsMapping": [{"from": "Signed Up", "to": "SignUp"}],
    "sendAsCustomEvent": True,
    "deduplicationKey": "properties.order_id",
}
TRAITS = '{"email": "old@example.com"}'

HOST_PATH = "/__test-host"  # served by page.route below, on the app's own origin
HOST_PAGE = """<!doctype html>
<meta charset="utf-8"><title>recorder host</title>
<script>
  window.reports = [];
  window.addEventListener("message", function (event) {
    var frame = document.getElementById("preview");
    if (frame && event.source === frame.contentWindow) {
      window.reports.push({origin: event.origin, data: event.data});
    }
  });
</script>
<iframe id="preview" sandbox="allow-scripts" src="%s"></iframe>
"""


def preview_url(profile: str) -> tuple[str, list[str]]:
    """The /preview URL of the awkward scenario, and the server's calls_json of its commands."""
    state = PlaygroundState(dict(SETTINGS), profile, CALLS, TRAITS)
    outcome = state.run()
    assert outcome.ok, outcome.errors
    commands = [command.to_json() for command in outcome.result.commands]
    assert len(commands) < len(outcome.result.entries), "the scenario should include an error entry"
    return f"/preview?s={quote(state.to_token())}", commands


def open_in_host(page: Page, live_server: str, src: str) -> Frame:
    def host(route: Route) -> None:
        route.fulfill(status=200, content_type="text/html", body=HOST_PAGE % src)

    page.route(live_server + HOST_PATH, host)
    page.goto(live_server + HOST_PATH)
    page.wait_for_function("window.reports.some(r => r.data.type === 'done')")
    frame = page.frame(url=re.compile(r"/preview\?s="))
    assert frame is not None
    return frame


def reports(page: Page) -> list[dict[str, Any]]:
    return page.evaluate("window.reports")


@pytest.mark.parametrize("profile", ["docs", "sdk-v1", "sdk-v3"])
def test_recorder_reports_every_command_in_order(page: Page, live_server: str, network, profile: str) -> None:
    src, expected = preview_url(profile)
    frame = open_in_host(page, live_server, src)

    got = reports(page)
    assert all(r["origin"] == "null" for r in got), "the preview must run in an opaque (sandboxed) origin"
    data = [r["data"] for r in got]
    assert all(d["source"] == "pintrk-recorder" for d in data)
    commands = [d for d in data if d["type"] == "command"]
    assert [d["index"] for d in commands] == list(range(len(expected)))
    assert [d["calls_json"] for d in commands] == expected  # byte for byte
    assert [d["method"] for d in commands] == [re.match(r'\["(\w+)"', j).group(1) for j in expected]
    assert data[-1] == {"source": "pintrk-recorder", "type": "done", "count": len(expected)}
    assert [d["type"] for d in data].count("done") == 1

    # After the queue, window.pintrk runs each call at once, and keeps reporting.
    frame.evaluate('pintrk("track", "Later", {"a": 1, "1": 2})')
    page.wait_for_function(f"window.reports.length === {len(data) + 1}")
    later = reports(page)[-1]["data"]
    assert later == {
        "source": "pintrk-recorder",
        "type": "command",
        "index": len(expected),
        "method": "track",
        "calls_json": '["track","Later",{"1":2,"a":1}]',
    }

    # The parent may ask for everything again (it attaches its listener late on first load).
    page.evaluate("window.reports = []")
    page.evaluate(
        'document.getElementById("preview").contentWindow.postMessage({source: "pintrk-playground", type: "replay"}, "*")'
    )
    page.wait_for_function(f"window.reports.length === {len(data) + 1}")
    assert [r["data"] for r in reports(page)] == data + [later]

    network.assert_only_own_origin()
    assert any(u.endswith(f"{STATIC}/js/recorder.js") for u in network.urls)


def test_preview_page_on_its_own(page: Page, live_server: str, network) -> None:
    src, expected = preview_url("docs")
    response = page.goto(live_server + src)
    assert response is not None and response.status == 200
    csp = response.headers["content-security-policy"]
    assert "connect-src 'none'" in csp and "'unsafe-inline'" not in csp

    expect(page.locator("body")).to_contain_text("nothing is sent to Pinterest")
    # The CSP lets the recorder (script-src 'self') and the nonced block run: every command shows.
    expect(page.locator("#recorder-commands li")).to_have_count(len(expected))
    expect(page.locator("#recorder-state")).to_contain_text(f"{len(expected)} commands ran")
    assert page.evaluate("window.pintrk.recorded.map(c => c.calls_json)") == expected

    # The browser enforces the policy: the page cannot open any connection, even to itself.
    outcome = page.evaluate("fetch('/healthz').then(() => 'sent', () => 'blocked')")
    assert outcome == "blocked"
    network.assert_only_own_origin()
    assert not any(u.endswith("/healthz") for u in network.urls)


def test_preview_bad_token(page: Page, live_server: str, network) -> None:
    response = page.goto(live_server + "/preview?s=not-a-token")
    assert response is not None and response.status == 400
    expect(page.locator("body")).to_contain_text("This preview can't be opened")
