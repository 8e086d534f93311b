"""The support pages in real Chromium: compare profiles, decode a HAR, import events; nothing leaves the app."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from app import create_app
from app.web.state import PlaygroundState
from tests.browser.serving import serve
from tests.fixtures import make_har

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
TAG_ID = "2612345678901"
COMMAND_ROWS = 'tr.log-row[data-kind="command"]'


@pytest.fixture(scope="module")
def live_server() -> Iterator[str]:
    """This module's app also reads beacons sent to the HAR fixture's stand-in host (127.0.0.1)."""
    app = create_app("testing", BEACON_HOSTS=(make_har.STAND_IN_HOST,))
    with serve(app, "support_live_server") as url:
        yield url


def test_compare_profiles_from_a_preset(page: Page, live_server: str, network) -> None:
    page.goto(live_server + "/?preset=custom-properties")
    expect(page.locator(COMMAND_ROWS).first).to_be_visible()
    page.get_by_role("link", name="Compare profiles").click()

    expect(page).to_have_url(re.compile(r"/compare\?s=1\."))
    expect(page.get_by_role("heading", level=1)).to_have_text("Compare profiles")
    expect(page.locator("table.compare-table thead th.profile-head")).to_have_count(3)
    expect(page.locator("table.compare-table thead th.profile-head code")).to_have_text(
        ["docs", "sdk-v1", "sdk-v3"]
    )
    expect(page.locator("#summary h2")).to_contain_text(re.compile(r"\d+ differences?, in \d+ of \d+ rows"))
    differing = page.locator("li.cmd-differs")
    expect(differing.first).to_be_visible()
    # Highlighted with a symbol and words as well as colour, and explained in words under the row.
    expect(differing.first.locator(".kind-command")).to_have_text("◆ command differs")
    expect(page.locator("tbody.row-differs ul.why li").first).to_be_visible()
    expect(page.locator("tbody.row-differs ul.why")).to_contain_text(
        ["sdk-v3 sends a limited-data-processing set()"]
    )

    page.get_by_role("link", name="← Back to the playground").first.click()
    expect(page.locator(COMMAND_ROWS).first).to_be_visible()
    expect(page.locator("#calls")).to_have_value(re.compile(r"rudderanalytics\.track"))
    network.assert_only_own_origin()


def test_decode_the_recorded_har_and_compare(page: Page, live_server: str, network) -> None:
    token = PlaygroundState(make_har.SETTINGS, make_har.PROFILE, make_har.CALLS, "").to_token()
    page.goto(f"{live_server}/?s={token}")
    page.get_by_role("link", name="Compare with real beacons").click()
    expect(page).to_have_url(re.compile(r"/decode\?s=1\."))
    expect(page.locator("#field-profile")).to_contain_text("Predicted: 7 beacons")

    page.set_input_files("#har", str(FIXTURES / "pintrk-visit.har"))
    page.get_by_role("button", name="Decode and compare").click()

    cards = page.locator("article.beacon-card")
    # Each beacon comes after the tag's /user/ request (listed, not compared); the case is kept.
    expect(cards).to_have_count(14)
    expect(cards.locator(".card-event")).to_have_text(
        [
            "configuration request",
            "init",
            "PageVisit",
            "PageVisit",
            "AddToCart",
            "AddToCart",
            "SignUp",
            "SignUp",
            "Checkout",
            "Checkout",
            "Custom",
            "Custom",
            "Checkout",
            "Checkout",
        ]
    )
    expect(cards.nth(0).locator(".verdict")).to_contain_text("Configuration request (/user/)")
    expect(cards.nth(1).locator(".verdict-line")).to_have_text(
        "✓ Same as predicted beacon 1 (predicted init)"
    )
    expect(page.locator("#comparison-heading")).to_have_text(
        "✓ The 7 beacons match what the scenario predicts (profile sdk-v3)"
    )
    checkout = cards.nth(9)
    expect(checkout.locator("table.debugger-table caption")).to_have_text(
        ["General", "Event data (ed)", "Partner data (pd)"]
    )
    expect(checkout.locator("table.debugger-table").nth(2)).to_contain_text("hashed email (em)")

    # The same recording against another profile: the differences are marked and explained.
    page.select_option("#profile", "sdk-v1")
    page.set_input_files("#har", str(FIXTURES / "pintrk-visit.har"))
    page.get_by_role("button", name="Decode and compare").click()
    expect(page.locator("#comparison-heading")).to_contain_text(
        "beacons differ from what the scenario predicts (profile sdk-v1)"
    )
    expect(cards.nth(3).locator(".field-differences")).to_contain_text("+ extra in real ed.event_id")
    expect(cards.nth(3).locator("tr.f-added").first).to_be_visible()
    network.assert_only_own_origin()


def test_import_a_batch_body_and_the_live_preview_confirms_it(page: Page, live_server: str, network) -> None:
    batch = {
        "batch": [
            {
                "type": "page",
                "name": "Shoes",
                "messageId": "page-0001",
                "properties": {"plan": "pro"},
                "context": {"traits": {"email": "jane@example.com"}},
            },
            {"type": "screen", "name": "Home", "messageId": "screen-1"},
            # with a context, as the SDK sends it: sdk-v3's integration throws on a track without one
            {
                "type": "track",
                "event": "Order Completed",
                "messageId": "order-0002",
                "properties": {"revenue": 20, "currency": "USD", "order_id": "o-1"},
                "context": {"traits": {"email": "jane@example.com"}},
            },
        ],
        "sentAt": "2024-05-01T10:00:00.000Z",
    }
    page.goto(live_server + "/")
    page.fill("#tag_id", TAG_ID)
    page.get_by_label("JavaScript SDK v3 (current)").check()  # its event_id shows the messageIds
    page.get_by_role("tab", name="Pasted RudderStack events").click()
    page.fill("#messages", json.dumps(batch, indent=2))
    with page.expect_navigation():
        page.get_by_role("button", name="Run", exact=True).click()

    expect(page.get_by_role("tab", name="Pasted RudderStack events")).to_have_attribute(
        "aria-selected", "true"
    )
    expect(page.locator("p.summary")).to_contain_text("2 imported events →")
    expect(page.locator("#error-messages")).to_contain_text(
        "Entry 2 (batch[1]): Type 'screen' is not handled"
    )
    origins = page.locator(COMMAND_ROWS + " td.origin")
    expect(origins.nth(2)).to_contain_text("event 1 (messageId page-0001)")
    expect(origins.last).to_contain_text("event 3 (messageId order-0002)")
    expect(page.locator(COMMAND_ROWS).last).to_have_attribute(
        "data-calls-json", re.compile('"event_id":"order-0002"')
    )

    # The live preview runs the same commands in this browser and ticks every row.
    rows = page.locator(COMMAND_ROWS)
    count = rows.count()
    assert count == 6
    expect(page.locator(COMMAND_ROWS + ' .log-status[data-status="confirmed"]')).to_have_count(count)
    expect(page.locator(".log-mismatch")).to_have_count(0)
    network.assert_only_own_origin()
