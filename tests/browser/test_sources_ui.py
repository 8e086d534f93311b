"""The scenario's source switch in real Chromium: tabs with the script, submit buttons without it,
Run on the source shown, the enhanced-match note and its button, the keyboard, the blank form."""

from __future__ import annotations

import json

from playwright.sync_api import Page, expect

from tests.browser.serving import NetworkLog
from tests.fixtures.live_events import LIVE_TRACK

TAG_ID = "2612345678901"
COMMAND_ROWS = 'tr.log-row[data-kind="command"]'
CALLS = 'rudderanalytics.track("Lead");'
PINTRK = '[["load", "2612345678901"], ["page"]]'
TRACK = LIVE_TRACK
BATCH = {
    "batch": [
        {"type": "page", "name": "Shoes", "messageId": "p-1", "context": {"traits": {}}},
        {**TRACK, "messageId": "o-1", "context": {"traits": {}}},
    ],
    "sentAt": "2024-05-01T10:00:00.000Z",
}
BATCH_ROWS = [
    f'["load","{TAG_ID}"]',
    '["page"]',
    '["track","PageVisit",{"name":"Shoes"}]',
    '["track","Checkout",{"value":20,"currency":"USD"}]',
]
TABS = {"calls": "SDK calls", "events": "Pasted RudderStack events", "pintrk": "pintrk calls (tag only)"}


def rows_of(page: Page) -> list[str]:
    return page.locator("tr.log-row").evaluate_all("rows => rows.map(r => r.dataset.callsJson)")


def run(page: Page) -> None:
    with page.expect_navigation():
        page.locator(".run-bar").get_by_role("button", name="Run").click()


def expect_shown(page: Page, source: str) -> None:
    """Exactly ``source``'s editor is visible, and its tab is the selected one."""
    for key, name in TABS.items():
        panel = page.locator(f"#source-panel-{key}")
        tab = page.get_by_role("tab", name=name)
        if key == source:
            expect(panel).to_be_visible()
            expect(tab).to_have_attribute("aria-selected", "true")
            expect(tab).to_have_attribute("tabindex", "0")
        else:
            expect(panel).to_be_hidden()
            expect(tab).to_have_attribute("aria-selected", "false")
            expect(tab).to_have_attribute("tabindex", "-1")
    expect(page.locator("#scenario_source")).to_have_value(source)


def test_paste_a_batch_then_run_runs_its_commands(page: Page, live_server: str, network) -> None:
    page.goto(live_server + "/")
    page.fill("#tag_id", TAG_ID)
    page.get_by_role("tab", name=TABS["events"]).click()
    expect_shown(page, "events")
    page.fill("#messages", json.dumps(BATCH, indent=2))
    # Live: the pasted events are the scenario at once.
    expect(page.locator("p.summary")).to_contain_text("2 imported events →")
    run(page)
    expect_shown(page, "events")
    assert rows_of(page) == BATCH_ROWS
    expect(page.locator(COMMAND_ROWS + " td.origin").last).to_contain_text("event 2 (messageId o-1)")
    network.assert_only_own_origin()


def test_switching_is_instant_and_keeps_every_text(page: Page, live_server: str, network) -> None:
    page.goto(live_server + "/")
    page.fill("#tag_id", TAG_ID)
    page.fill("#calls", CALLS)
    expect(page.locator("p.summary")).to_contain_text("1 SDK call →")
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.method + " " + request.url))
    page.get_by_role("tab", name=TABS["pintrk"]).click()
    expect_shown(page, "pintrk")
    page.fill("#pintrk", PINTRK)
    expect(page.locator(COMMAND_ROWS)).to_have_count(2)
    page.get_by_role("tab", name=TABS["events"]).click()
    page.fill("#messages", json.dumps(TRACK))
    expect(page.locator("p.summary")).to_contain_text("1 imported event →")
    page.get_by_role("tab", name=TABS["calls"]).click()
    expect_shown(page, "calls")
    expect(page.locator(COMMAND_ROWS).last).to_have_attribute("data-calls-json", '["track","Lead",{}]')
    assert not [r for r in requests if r.startswith("GET ") and r.endswith("/")], "no page load"
    # The hidden sources' texts are still in the form, and a Run keeps them.
    run(page)
    expect_shown(page, "calls")
    assert (page.input_value("#calls"), page.input_value("#pintrk")) == (CALLS, PINTRK)
    assert json.loads(page.input_value("#messages")) == TRACK
    network.assert_only_own_origin()


def test_the_switch_by_keyboard(page: Page, live_server: str, network) -> None:
    page.goto(live_server + "/")
    tablist = page.get_by_role("tablist", name="Scenario source")
    expect(tablist.get_by_role("tab")).to_have_count(3)
    for key, name in TABS.items():
        tab = page.get_by_role("tab", name=name)
        expect(tab).to_have_attribute("aria-controls", f"source-panel-{key}")
        expect(page.locator(f"#source-panel-{key}")).to_have_attribute("role", "tabpanel")
        expect(page.locator(f"#source-panel-{key}")).to_have_attribute("aria-labelledby", f"source-tab-{key}")
    # One tab stop: Tab from the examples' field backwards lands on the selected tab only.
    page.locator("#preset").focus()
    page.keyboard.press("Shift+Tab")
    expect(page.get_by_role("tab", name=TABS["calls"])).to_be_focused()
    page.keyboard.press("ArrowRight")
    expect(page.get_by_role("tab", name=TABS["events"])).to_be_focused()
    expect_shown(page, "events")
    page.keyboard.press("End")
    expect_shown(page, "pintrk")
    page.keyboard.press("ArrowRight")  # wraps round
    expect(page.get_by_role("tab", name=TABS["calls"])).to_be_focused()
    expect_shown(page, "calls")
    page.keyboard.press("ArrowLeft")
    expect_shown(page, "pintrk")
    page.keyboard.press("Home")
    expect_shown(page, "calls")
    page.keyboard.press("Shift+Tab")  # out of the tablist: the other tabs are not tab stops
    assert page.evaluate("document.activeElement.getAttribute('role')") != "tab"
    # Enter on a tab switches without leaving the page.
    page.get_by_role("tab", name=TABS["events"]).focus()
    page.keyboard.press("Enter")
    expect_shown(page, "events")
    network.assert_only_own_origin()


def test_the_switch_without_javascript(
    page_without_javascript: tuple[Page, NetworkLog], live_server: str
) -> None:
    page, network = page_without_javascript
    page.goto(live_server + "/")
    page.fill("#tag_id", TAG_ID)
    page.fill("#calls", CALLS)
    switch = page.get_by_role("group", name="Scenario source")
    expect(switch.get_by_role("button")).to_have_count(3)
    expect(page.locator("#source-panel-events")).to_be_hidden()
    with page.expect_navigation():
        switch.get_by_role("button", name=TABS["events"]).click()
    expect(page.locator("#source-panel-events")).to_be_visible()
    expect(page.locator("#source-panel-calls")).to_be_hidden()
    expect(switch.get_by_role("button", name=TABS["events"])).to_have_attribute("aria-current", "true")
    expect(page.locator("#nothing-to-run")).to_contain_text("No RudderStack events are pasted")
    page.fill("#messages", json.dumps(BATCH, indent=2))
    run(page)
    assert rows_of(page) == BATCH_ROWS
    assert page.input_value("#calls") == CALLS  # kept, hidden
    with page.expect_navigation():
        switch.get_by_role("button", name=TABS["calls"]).click()
    assert rows_of(page)[-1] == '["track","Lead",{}]'
    assert json.loads(page.input_value("#messages")) == BATCH
    network.assert_only_own_origin()


def test_the_enhanced_match_note_and_its_button(page: Page, live_server: str, network) -> None:
    """A single Live Events track with context.traits.email: the note says why no e-mail is sent."""
    page.goto(live_server + "/")
    page.fill("#tag_id", TAG_ID)
    page.get_by_role("tab", name=TABS["events"]).click()
    note = page.locator("#offer-enhanced_match_offer")
    expect(note).to_be_hidden()
    page.fill("#messages", json.dumps(TRACK, indent=2))
    # Live updates bring the note, with what enhanced match would change for these events.
    expect(note).to_be_visible()
    expect(note).to_contain_text("event 1's context.traits.email")
    expect(note).to_contain_text("2 of 2 beacons would carry a hashed e-mail instead of 0")
    expect(page.locator("p.summary")).not_to_contain_text("hashed e-mail")
    with page.expect_navigation():
        note.get_by_role("button", name="Turn on enhanced match").click()
    expect(page.locator(".notice")).to_contain_text("Enhanced match is on")
    expect(page.locator("#enhanced_match")).to_be_checked()
    assert json.loads(page.input_value("#initial_traits")) == {"email": "jane@example.com"}
    expect(page.locator("p.summary")).to_contain_text("(2 with a hashed e-mail: row 2, row 3)")
    expect(note).to_be_hidden()
    # Turning it off again brings the note back, live.
    page.locator("#enhanced_match").uncheck()
    expect(note).to_be_visible()
    expect(note).to_contain_text("2 of 2 beacons would carry a hashed e-mail instead of 0")
    network.assert_only_own_origin()


def test_the_blank_form_says_there_is_nothing_to_run(page: Page, live_server: str, network) -> None:
    page.goto(live_server + "/")
    run(page)
    nothing = page.locator("#nothing-to-run")
    expect(nothing).to_contain_text("There are no SDK calls")
    expect(page.locator("#results")).not_to_contain_text("0 SDK calls")
    expect(page.locator("#results")).not_to_contain_text("No problems found")
    page.get_by_role("tab", name=TABS["events"]).click()
    expect(nothing).to_contain_text("No RudderStack events are pasted")
    page.get_by_role("tab", name=TABS["pintrk"]).click()
    expect(nothing).to_contain_text("There are no pintrk calls")
    expect(page.locator("#error-pintrk")).to_be_hidden()
    # Placeholders are examples, and look it.
    assert page.get_attribute("#tag_id", "placeholder") == f"e.g. {TAG_ID}"
    assert (
        page.eval_on_selector("#tag_id", "el => getComputedStyle(el, '::placeholder').fontStyle") == "italic"
    )
    network.assert_only_own_origin()
