"""Device and cloud side by side in real Chromium: a hybrid scenario shows each SDK call's pintrk
commands, the tag's beacon and the Conversions API request together, and the deduplication check's
"will count twice" turns into "will be deduplicated" once the deduplication key is set as it says."""

from __future__ import annotations

import json
import re

from playwright.sync_api import Page, expect

TAG_ID = "2612345678901"
CALLS = 'rudderanalytics.track("Order Completed", {order_id: "ord-5001", revenue: 30, currency: "USD"});'
SERVER_DESTINATION = {
    "connectionMode": {"web": "cloud"},
    "advertiserId": "549764492980",
    "sendingUnHashedData": True,
    "deduplicationKey": "",
    "eventsMapping": [],
}


def fill_hybrid_scenario(page: Page, server: dict[str, object]) -> None:
    """A support case: the browser destination (SDK v3) with a deduplication key, and a separate
    cloud-mode destination for the server events, typed into the form as a user would."""
    page.get_by_label("JavaScript SDK v3 (current)").check()
    page.get_by_label("Both (hybrid)").check()
    page.fill("#tag_id", TAG_ID)
    page.fill("#deduplication_key", "properties.order_id")
    page.fill("#advertiser_id", "549764492980")
    page.get_by_label(re.compile("Send unhashed data")).check()
    page.locator("#field-cloud_settings summary").click()
    page.fill("#cloud_settings", json.dumps(server, indent=2))
    page.fill("#calls", CALLS)


def test_a_hybrid_scenario_counts_twice_until_the_key_is_set_as_suggested(
    page: Page, live_server: str
) -> None:
    page.goto(live_server + "/")
    fill_hybrid_scenario(page, SERVER_DESTINATION)
    status = page.locator("#live-status")
    expect(status).to_have_text("Up to date")

    # Both paths, aligned: the call's step lists its browser beacon and its server request …
    step = page.locator("#call-0")
    expect(step.locator(".step-item.step-beacon")).to_contain_text("beacon: Checkout")
    expect(step.locator(".step-item.step-server")).to_contain_text("checkout")
    # … and in the log the server's request comes right after the call's track command.
    rows = page.locator("table.log > tbody > tr:not(.log-beacon):not(.server-body)")
    kinds = rows.evaluate_all(
        "rows => rows.map(r => r.classList.contains('server-row') ? 'S' : r.dataset.callsJson)"
    )
    assert kinds[-2].startswith('["track","Checkout"') and kinds[-1] == "S"
    # The server request folds out decoded: the event, event_id, the hashed e-mail's absence.
    page.locator("tr.server-body summary").click()
    body = page.locator("tr.server-body")
    expect(body).to_contain_text("event_name")
    expect(body).to_contain_text("custom_data")

    pair = page.locator("#dedup-pair-1")
    expect(pair).to_contain_text("Will count twice")
    expect(pair).to_contain_text("event_id differs")
    expect(pair.locator("[data-reason=event-id-differs]")).to_contain_text(
        "Set the server destination's deduplication key to properties.order_id"
    )
    expect(page.locator(".dedup-top")).to_contain_text("1 of 1 event will count twice")

    # The user does what the verdict says: the server destination's key, in its config.
    page.fill(
        "#cloud_settings", json.dumps({**SERVER_DESTINATION, "deduplicationKey": "properties.order_id"})
    )
    expect(pair).to_contain_text("Will be deduplicated")
    expect(status).to_have_text("Up to date")
    expect(page.locator(".dedup-top")).to_contain_text("The event will be deduplicated")
    expect(pair.locator("dd").first).to_contain_text("ord-5001")
    expect(pair.locator("dd").nth(1)).to_contain_text("ord-5001")


def test_the_suggested_fix_applies_with_one_button(page: Page, live_server: str) -> None:
    page.goto(live_server + "/")
    fill_hybrid_scenario(page, SERVER_DESTINATION)
    expect(page.locator("#live-status")).to_have_text("Up to date")
    button = page.locator("#dedup-pair-1").get_by_role(
        "button", name="Set the deduplication key to properties.order_id"
    )
    with page.expect_navigation():
        button.click()
    expect(page.locator("#dedup-pair-1")).to_contain_text("Will be deduplicated")
    assert json.loads(page.input_value("#cloud_settings"))["deduplicationKey"] == "properties.order_id"
    # nothing else the user typed is lost
    assert page.input_value("#calls") == CALLS
    assert page.input_value("#deduplication_key") == "properties.order_id"
    expect(page.locator("p.notice-info")).to_have_text(
        "The server destination's deduplication key is now properties.order_id."
    )
