"""The main page in real Chromium: live updates, log confirmation, presets, copy, no-JS."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page, Route, expect

from app.pintrk.presets import PRESETS
from tests.browser.serving import NetworkLog
from tests.web.pages import STATIC

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
TAG_ID = "2612345678901"
TRACK = 'rudderanalytics.track("Order Completed", {revenue: 20, currency: "USD"});'

COMMAND_ROWS = 'tr.log-row[data-kind="command"]'
STATUS = COMMAND_ROWS + " .log-status"


def calls_json_of_rows(page: Page) -> list[str]:
    return page.locator("tr.log-row").evaluate_all("rows => rows.map(r => r.dataset.callsJson)")


def expect_all_confirmed(page: Page) -> None:
    """Every command row gets the browser's ✓, and nothing is flagged."""
    rows = page.locator(COMMAND_ROWS)
    expect(rows.first).to_be_visible()
    count = rows.count()
    expect(page.locator(STATUS + '[data-status="confirmed"]')).to_have_count(count)
    expect(page.locator(STATUS + '[data-status="confirmed"]').first).to_have_text("✓ ran in browser")
    expect(page.locator(".log-mismatch")).to_have_count(0)
    expect(page.locator(STATUS + ':is([data-status="mismatch"], [data-status="missing"])')).to_have_count(0)


def wait_until(page: Page, predicate: Callable[[], bool], timeout_ms: int = 5000) -> None:
    """Wait for a Python-side condition (set by a route handler), letting Playwright dispatch events."""
    for _ in range(timeout_ms // 50):
        if predicate():
            return
        page.wait_for_timeout(50)
    assert predicate(), "timed out"


def load_preset(page: Page, live_server: str, preset_id: str) -> None:
    """Pick an example in the form and load it (a real form submit: the server fills the form)."""
    page.goto(live_server + "/")
    page.select_option("#preset", preset_id)
    with page.expect_navigation():
        page.get_by_role("button", name="Load example").click()


# -- live updates ---------------------------------------------------------------------


def test_typing_updates_the_log_live(page: Page, live_server: str, network) -> None:
    page.goto(live_server + "/")
    expect(page.locator("tr.log-row")).to_have_count(0)
    status = page.locator("#live-status")
    expect(status).to_have_attribute("aria-live", "polite")

    page.fill("#tag_id", TAG_ID)
    calls = page.locator("#calls")
    # Type in two goes, letting an update land in between: nothing typed may be lost.
    calls.press_sequentially(TRACK[:30], delay=5)
    expect(status).to_have_text(re.compile("Up to date|Out of date"))
    calls.press_sequentially(TRACK[30:], delay=5)

    expect(page.locator("tr.log-row")).to_have_count(3)
    expect(status).to_have_text("Up to date")
    assert calls.input_value() == TRACK
    assert page.input_value("#tag_id") == TAG_ID
    assert calls_json_of_rows(page) == [
        f'["load","{TAG_ID}"]',
        '["page"]',
        '["track","Checkout",{"value":20,"currency":"USD"}]',
    ]
    expect(page).to_have_url(re.compile(r"/\?s=[^&]+$"))
    expect(page.locator("#copy-link")).to_be_enabled()
    expect_all_confirmed(page)

    # A syntax error: the message sits at the field, the input is kept as typed.
    broken = TRACK + '\nrudderanalytics.track("Oops", {revenue: });'
    calls.fill(broken)
    error = page.locator('[data-error-for="calls"]')
    expect(error).to_be_visible()
    expect(error).to_contain_text("Line 2")
    expect(calls).to_have_attribute("aria-invalid", "true")
    expect(status).to_contain_text("fix the marked fields")
    assert calls.input_value() == broken
    # The unfinished line does not blank the results: the last log stays, marked out of date.
    stale = page.locator("#stale-note")
    expect(stale).to_contain_text("Out of date: SDK calls: Line 2")
    expect(stale).to_have_attribute("aria-live", "polite")
    expect(page.locator("tr.log-row")).to_have_count(3)
    expect(page.locator(".results-blocked")).to_have_count(0)
    expect(page.locator("[role=alert]")).to_have_count(0)

    # Fixed: the message goes, the log comes back, and the new preview confirms it again.
    calls.fill(TRACK + '\nrudderanalytics.track("Product Added", {price: 5});')
    expect(error).to_be_hidden()
    expect(calls).not_to_have_attribute("aria-invalid", "true")
    expect(page.locator("tr.log-row")).to_have_count(4)
    expect(stale).to_have_count(0)
    expect_all_confirmed(page)
    network.assert_only_own_origin()


def test_stale_answers_never_win(page: Page, live_server: str, network) -> None:
    """An answer to an older edit that arrives late must not replace the newer result."""
    held: list[Route] = []

    def hold_first(route: Route) -> None:
        if not held:
            held.append(route)  # answered only after the second edit's answer is shown
        else:
            route.continue_()

    page.goto(live_server + "/")
    page.route(live_server + "/render", hold_first)
    page.fill("#tag_id", TAG_ID)
    page.fill("#calls", 'rudderanalytics.track("First");')
    expect(page.locator("#live-status")).to_have_text("Updating…")
    wait_until(page, lambda: len(held) == 1)  # past the debounce: the first request is held
    page.fill("#calls", 'rudderanalytics.track("Second");')
    expect(page.locator(COMMAND_ROWS + '[data-calls-json*="Second"]')).to_have_count(1)
    try:
        held[0].continue_()  # the script aborted it already, or it arrives now and is ignored
    except Exception:
        pass
    page.wait_for_timeout(500)  # give a late answer the chance to (wrongly) land
    expect(page.locator(COMMAND_ROWS + '[data-calls-json*="First"]')).to_have_count(0)
    expect(page.locator(COMMAND_ROWS + '[data-calls-json*="Second"]')).to_have_count(1)
    expect(page.locator("#live-status")).to_have_text("Up to date")


def test_mapping_rows_are_added_and_removed_without_a_reload(page: Page, live_server: str, network) -> None:
    page.goto(live_server + "/")
    page.evaluate("window.notReloaded = true")
    page.fill("#tag_id", TAG_ID)
    page.fill("#calls", 'rudderanalytics.track("Signed Up", {value: 1});')
    expect(page.locator(COMMAND_ROWS + '[data-calls-json*="Signed Up"]')).to_have_count(1)

    page.get_by_role("button", name="+ Add a mapping").click()
    source = page.get_by_label("Row 1: RudderStack event")
    expect(source).to_be_focused()  # focus moves to the new row
    source.fill("Signed Up")
    page.get_by_label("Row 1: Pinterest event").fill("SignUp")
    expect(page.locator(COMMAND_ROWS + '[data-calls-json^="[\\"track\\",\\"SignUp\\""]')).to_have_count(1)

    page.get_by_role("button", name="+ Add a mapping").click()
    expect(page.get_by_label("Row 2: RudderStack event")).to_be_focused()
    page.get_by_label("Row 2: RudderStack event").fill("Order Completed")

    page.get_by_role("button", name="Remove mapping row 1").click()
    # Row 2 moved up, with what was typed in it; the mapping for "Signed Up" is gone.
    expect(page.get_by_label("Row 1: RudderStack event")).to_have_value("Order Completed")
    expect(page.get_by_label("Row 2: RudderStack event")).to_have_count(0)
    expect(page.locator(COMMAND_ROWS + '[data-calls-json*="Signed Up"]')).to_have_count(1)
    expect_all_confirmed(page)

    assert page.evaluate("window.notReloaded") is True
    assert page.input_value("#calls") == 'rudderanalytics.track("Signed Up", {value: 1});'
    network.assert_only_own_origin()


# -- presets and log confirmation ---------------------------------------------------------


@pytest.mark.parametrize("preset", [p.id for p in PRESETS])
def test_each_preset_runs_and_is_confirmed_in_the_browser(
    page: Page, live_server: str, network, preset: str
) -> None:
    load_preset(page, live_server, preset)
    expect(page.locator(".notice")).to_contain_text("Loaded the example")
    expect(page.locator("#live-preview")).to_have_count(1)
    expect_all_confirmed(page)
    network.assert_only_own_origin()


def test_identify_then_track_shows_the_hashed_email(page: Page, live_server: str, network) -> None:
    page.set_viewport_size({"width": 1280, "height": 800})  # the size the design is checked at
    load_preset(page, live_server, "identify-then-track")
    expect_all_confirmed(page)
    hashed = hashlib.sha256("test@emai.com".strip().lower().encode()).hexdigest()
    em = page.locator(COMMAND_ROWS + " .em code.hash")
    expect(em).to_have_count(1)
    expect(em).to_have_attribute("title", hashed)
    # The decoded request table spells it out in full, as JSON.
    expect(
        page.locator('details.beacon[data-path="/v3/"] .beacon-table code.hash', has_text=hashed)
    ).to_have_text(json.dumps(hashed))

    expect(page.frame_locator("#live-preview").locator("#recorder-commands li")).to_have_count(4)
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator("#live-preview").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "playground.png"), full_page=True)
    network.assert_only_own_origin()


@pytest.mark.parametrize("tamper", ["changed-and-extra", "dropped"])
def test_the_log_flags_what_the_browser_did_differently(
    page: Page, live_server: str, network, tamper: str
) -> None:
    """Make the preview run something else than predicted: the log must say so, loudly."""

    # Edit the queue the base code built, just before the recorder drains it. (Tampering with the
    # preview document instead would not work: Chromium's Local Network Access blocks a fulfilled,
    # address-space-less document's sandboxed frame from loading scripts from 127.0.0.1.)
    edits = {
        "changed-and-extra": 'q[1] = ["page", {"x": 1}]; q.push(["track", "Stray"]);',
        "dropped": "q.pop();",
    }[tamper]

    def tampered(route: Route) -> None:
        response = route.fetch()
        body = f"(function () {{ var q = window.pintrk.queue; {edits} }})();\n" + response.text()
        route.fulfill(response=response, body=body)

    page.route(re.compile(re.escape(STATIC) + r"/js/recorder\.js"), tampered)
    load_preset(page, live_server, "identify-then-track")
    rows = page.locator(COMMAND_ROWS)
    expect(rows).to_have_count(4)
    banner = page.locator(".log-mismatch")
    if tamper == "changed-and-extra":
        page_status = rows.nth(1).locator(".log-status")
        expect(page_status).to_have_attribute("data-status", "mismatch")
        expect(page_status).to_contain_text("✕ browser ran something else")
        expect(page_status.locator("code.browser-json")).to_have_text('["page",{"x":1}]')
        expect(banner).to_be_visible()
        expect(banner).to_contain_text("The browser executed different commands than predicted")
        expect(banner).to_contain_text('["track","Stray"]')
        expect(banner).to_have_attribute("role", "alert")
        for i in (0, 2, 3):
            expect(rows.nth(i).locator(".log-status")).to_have_attribute("data-status", "confirmed")
    else:
        last = rows.nth(3).locator(".log-status")
        expect(last).to_have_attribute("data-status", "missing")
        expect(last).to_contain_text("not run")
        for i in (0, 1, 2):
            expect(rows.nth(i).locator(".log-status")).to_have_attribute("data-status", "confirmed")
        expect(banner).to_have_count(0)
    network.assert_only_own_origin()


# -- copy buttons and the permalink ---------------------------------------------------------


def test_copy_link_reopens_the_same_log(
    page: Page, context: BrowserContext, live_server: str, network
) -> None:
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server)
    load_preset(page, live_server, "ecommerce-funnel")
    expect_all_confirmed(page)
    rows = calls_json_of_rows(page)

    link = page.locator("#copy-link")
    link.click()
    expect(link).to_have_text("Copied")
    url = page.evaluate("navigator.clipboard.readText()")
    assert url == live_server + link.get_attribute("data-permalink")
    assert re.fullmatch(re.escape(live_server) + r"/\?s=\S+", url)
    expect(page).to_have_url(url)  # after the form submit, the address bar shows the link too
    expect(link).to_have_text("Copy link")  # the feedback goes away again

    snippet_button = page.locator('[data-copy-target="snippet"]')
    snippet_button.click()
    expect(snippet_button).to_have_text("Copied")
    assert page.evaluate("navigator.clipboard.readText()") == page.locator("#snippet").text_content()

    other = context.new_page()
    other.goto(url)
    expect(other.locator("tr.log-row")).to_have_count(len(rows))
    assert calls_json_of_rows(other) == rows
    expect_all_confirmed(other)
    network.assert_only_own_origin()


def test_copy_link_without_the_clipboard_api_selects_the_link(page: Page, live_server: str, network) -> None:
    # As on plain HTTP under another host name: no navigator.clipboard at all.
    page.add_init_script("Object.defineProperty(Navigator.prototype, 'clipboard', {get: () => undefined})")
    load_preset(page, live_server, "track-me")
    link = page.locator("#copy-link")
    link.click()
    expect(link).to_have_text(re.compile(r"^(Copied|Selected: press Ctrl\+C)$"))
    url = live_server + link.get_attribute("data-permalink")
    expect(page.locator("#copy-link-text")).to_have_text(url)
    assert page.evaluate("getSelection().toString()") == url


# -- without JavaScript ---------------------------------------------------------------------


def test_the_form_works_without_javascript(
    page_without_javascript: tuple[Page, NetworkLog], live_server: str
) -> None:
    page, network = page_without_javascript
    page.goto(live_server + "/")
    page.fill("#tag_id", TAG_ID)
    page.fill("#calls", TRACK)
    with page.expect_navigation():
        page.locator(".run-bar").get_by_role("button", name="Run").click()
    expect(page.locator("tr.log-row")).to_have_count(3)
    assert calls_json_of_rows(page)[-1] == '["track","Checkout",{"value":20,"currency":"USD"}]'
    assert page.input_value("#calls") == TRACK
    # Nothing confirms rows without scripts: they stay "expected", and nothing else changed them.
    expect(page.locator(STATUS + '[data-status="expected"]')).to_have_count(3)

    # The server-side buttons do the work the script would (here: an example).
    page.select_option("#preset", "identify-then-track")
    with page.expect_navigation():
        page.get_by_role("button", name="Load example").click()
    expect(page.locator("tr.log-row")).to_have_count(4)
    network.assert_only_own_origin()


# -- the tag alone ----------------------------------------------------------------------


def test_pintrk_calls_run_in_the_browser_and_update_live(page: Page, live_server: str, network) -> None:
    """QA gives pintrk calls; the live preview runs exactly them, and editing updates the log."""
    calls = [
        ["load", TAG_ID, {"em": "Jane@Example.com"}],
        ["page"],
        ["track", "Checkout", {"value": "12.50"}],
    ]
    page.goto(live_server + "/")
    page.get_by_role("tab", name="pintrk calls (tag only)").click()
    page.fill("#pintrk", json.dumps(calls))
    with page.expect_navigation():
        page.get_by_role("button", name="Run", exact=True).click()
    expect(page.get_by_role("tab", name="pintrk calls (tag only)")).to_have_attribute("aria-selected", "true")
    expect_all_confirmed(page)
    assert calls_json_of_rows(page) == [json.dumps(c, separators=(",", ":")) for c in calls]
    beacon = page.locator('details.beacon[data-path="/v3/"]').last
    expect(beacon.locator("summary")).to_contain_text("event=Checkout")
    hashed = hashlib.sha256(b"jane@example.com").hexdigest()
    expect(page.locator(COMMAND_ROWS).last.locator(".em code.hash")).to_have_attribute("title", hashed)

    # Editing the calls updates the log without a submit.
    page.fill("#pintrk", json.dumps([*calls, ["track", "Lead"]]))
    expect(page.locator(COMMAND_ROWS)).to_have_count(4)
    expect_all_confirmed(page)
    network.assert_only_own_origin()
