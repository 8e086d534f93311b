"""The main page as its users meet it: phone to desktop, keyboard to screen reader (issue 13).

Results come first (on phones on screen, for the keyboard in the page), focus lands on them after
an example or Run, the hashed e-mail is a few Tab stops away, nothing overflows a phone's width,
the log turns into cards there, and buttons that can't do anything yet say so.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_playground import TAG_ID, TRACK, expect_all_confirmed

PHONE = {"width": 390, "height": 844}
SMALL_PHONE = {"width": 320, "height": 640}
DESKTOP = {"width": 1366, "height": 900}


def from_the_top(page: Page) -> None:
    """Reload, then put the keyboard's starting point at the very top of the page (as after the
    address bar): focus a stand-in at the start of <body> and remove it."""
    page.goto(page.url)
    expect(page.locator("#results-heading")).to_be_focused()  # the page script has run
    page.evaluate(
        "() => { const b = document.createElement('button'); document.body.prepend(b); b.focus(); b.remove(); }"
    )
    assert page.evaluate("document.activeElement === document.body")


def open_example(page: Page, live_server: str) -> None:
    page.goto(live_server + "/")
    page.get_by_role("link", name="Try: identify then track").click()
    expect(page).to_have_url(re.compile(r"/\?s="))
    expect_all_confirmed(page)


def test_after_an_example_focus_is_on_the_results_and_the_hashed_email_is_a_few_tabs_away(
    page: Page, live_server: str
) -> None:
    page.set_viewport_size(DESKTOP)
    open_example(page, live_server)
    expect(page.locator("#results-heading")).to_be_focused()

    # From the top of the page, pressing Tab only.
    from_the_top(page)
    presses = 0
    while not page.evaluate("document.activeElement.classList.contains('email-row-link')"):
        presses += 1
        if presses > 10:
            pytest.fail("the link to the hashed e-mail row is not within 10 Tab stops")
        page.keyboard.press("Tab")
    print(f"Tab stops from the top to the hashed e-mail row: {presses}")
    page.keyboard.press("Enter")
    row = page.locator("tr.log-row:focus")
    expect(row).to_have_count(1)
    expect(row.locator(".em")).to_contain_text("hashed email")


def test_the_first_tab_stop_skips_to_the_results(page: Page, live_server: str) -> None:
    open_example(page, live_server)
    from_the_top(page)
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link").first
    expect(skip).to_be_focused()
    expect(skip).to_have_text("Skip to results")
    expect(skip).to_be_in_viewport()  # shown when focused
    page.keyboard.press("Enter")
    expect(page.locator("#results-heading")).to_be_focused()


def test_run_puts_focus_on_the_results_heading(page: Page, live_server: str) -> None:
    page.goto(live_server + "/")
    page.fill("#tag_id", TAG_ID)
    page.fill("#calls", TRACK)
    with page.expect_navigation():
        page.get_by_role("button", name="Run", exact=True).last.click()
    expect(page.locator("#results-heading")).to_be_focused()
    expect(page.locator("tr.log-row")).to_have_count(3)


@pytest.mark.parametrize("size", [PHONE, SMALL_PHONE], ids=["390px", "320px"])
@pytest.mark.parametrize("path", ["/", "/?preset=identify-then-track", "/help"])
def test_nothing_is_wider_than_a_phone(page: Page, live_server: str, size: dict[str, int], path: str) -> None:
    page.set_viewport_size(size)
    page.goto(live_server + path)
    page.wait_for_load_state("load")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= size["width"], f"{path} lays out {width} px wide on a {size['width']} px screen"


def test_on_a_phone_results_come_first_and_the_log_is_a_list_of_cards(page: Page, live_server: str) -> None:
    page.set_viewport_size(PHONE)
    open_example(page, live_server)
    results_top = page.locator("#results-heading").bounding_box()
    form_top = page.locator("#playground-form").bounding_box()
    assert results_top and form_top and results_top["y"] < form_top["y"]
    assert results_top["y"] < PHONE["height"], "the results start below the first screen"

    expect(page.locator("table.log thead")).to_be_hidden()
    email_row = page.locator("tr.log-row.has-beacon", has=page.locator(".em"))
    expect(email_row).to_have_count(1)
    assert email_row.evaluate("row => getComputedStyle(row).display") == "block"
    # Every cell says what it is, and the hashed e-mail is on screen, not cut off on the right.
    assert (
        email_row.locator("td.request").evaluate("td => getComputedStyle(td, '::before').content")
        == '"Request"'
    )
    email_row.locator(".em").scroll_into_view_if_needed()
    box = email_row.locator(".em").bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]


def test_on_a_desktop_the_results_stay_in_view_while_the_form_scrolls(page: Page, live_server: str) -> None:
    page.set_viewport_size(DESKTOP)
    open_example(page, live_server)
    results = page.locator("#results-column")
    before = results.bounding_box()
    page.locator("#field-reproduction").scroll_into_view_if_needed()
    assert page.evaluate("window.scrollY") > 300
    after = results.bounding_box()
    assert before and after and after["y"] >= 0 and after["y"] < 50, after
    expect(page.locator("#results-heading")).to_be_in_viewport()
    # It scrolls on its own, so it must be reachable by keyboard (axe: scrollable-region-focusable).
    assert results.get_attribute("tabindex") == "0"
    assert results.evaluate("el => el.scrollHeight > el.clientHeight")


def test_copy_link_and_export_are_honestly_disabled_until_there_is_a_result(
    page: Page, live_server: str
) -> None:
    page.goto(live_server + "/")
    copy_link = page.locator("#copy-link")
    export = page.get_by_role("button", name="Export log")
    expect(copy_link).to_have_attribute("aria-disabled", "true")
    assert copy_link.get_attribute("href") is None  # not a link to nowhere
    expect(copy_link).to_have_attribute("title", re.compile("Run a scenario first"))
    expect(export).to_be_disabled()
    # Disabled looks disabled: not the look of the enabled "Decode beacons" button beside it.
    decode = page.get_by_role("link", name="Decode beacons")
    for disabled in (copy_link, export):
        assert disabled.evaluate("el => getComputedStyle(el).borderStyle") == "dashed"
    assert decode.evaluate("el => getComputedStyle(el).borderStyle") == "solid"

    page.fill("#tag_id", TAG_ID)
    page.fill("#calls", TRACK)
    expect(page.locator("tr.log-row")).to_have_count(3)
    expect(copy_link).not_to_have_attribute("aria-disabled", "true")
    expect(copy_link).to_have_attribute("href", re.compile(r"^/\?s="))
    expect(export).to_be_enabled()


def test_one_h1_and_a_help_menu_that_leads_to_the_api_cli_and_reproduction_docs(
    page: Page, live_server: str
) -> None:
    page.goto(live_server + "/")
    expect(page.locator("h1")).to_have_count(1)
    menu = page.locator("details.help-menu")
    menu.locator("summary").click()
    links = menu.get_by_role("link")
    expect(links).to_have_count(4)
    hrefs = links.evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert "/api/v1/docs" in hrefs and "/help#cli" in hrefs and "/help#reproduction" in hrefs
    menu.get_by_role("link", name="Command line (CLI)").click()
    expect(page.locator("#cli")).to_be_in_viewport()
    expect(page.locator("h1")).to_have_count(1)
    expect(page.locator("#reproduction + p, #reproduction ~ pre").first).to_be_visible()
    page.get_by_role("link", name="API documentation").click()
    expect(page).to_have_url(re.compile("/api/v1/docs$"))


def test_the_empty_state_tours_the_four_parts_of_the_page(page: Page, live_server: str) -> None:
    page.goto(live_server + "/")
    tour = page.locator("ol.tour > li")
    expect(tour).to_have_count(4)
    expect(tour.nth(0)).to_contain_text("Settings")
    expect(tour.nth(1)).to_contain_text("Scenario")
    expect(tour.nth(2)).to_contain_text("Results")
    expect(tour.nth(3)).to_contain_text("live preview")
    tour.nth(1).get_by_role("link", name="Scenario").click()
    expect(page.locator("#scenario-heading")).to_be_in_viewport()


def test_an_example_loads_in_place_and_back_returns_to_the_blank_page(page: Page, live_server: str) -> None:
    page.goto(live_server + "/")
    page.evaluate("window.__same_document = true")
    page.get_by_role("link", name="Try: identify then track").click()
    expect_all_confirmed(page)
    assert page.evaluate("window.__same_document === true"), "the example reloaded the page"
    expect(page).to_have_url(re.compile(r"/\?s="))
    expect(page.locator("#calls")).to_have_value(re.compile(r"^rudderanalytics\.identify"))
    expect(page.locator("#results-heading")).to_be_focused()
    expect(page.locator("#copy-link")).to_have_attribute("href", re.compile(r"^/\?s="))
    expect(page.get_by_role("button", name="Export log")).to_be_enabled()
    expect(page.locator("#live-status")).to_have_text("Up to date")
    # The swapped-in form is live: an edit updates the log.
    page.locator("#calls").press("Control+End")
    page.locator("#calls").press_sequentially('rudderanalytics.page("Shoes");', delay=5)
    expect(page.locator("tr.log-row")).to_have_count(5)
    # A link to a row is a place on the page, not another page.
    page.locator("a.email-row-link").first.click()
    assert page.evaluate("window.__same_document === true")
    page.go_back()  # the row link
    page.go_back()  # the example
    expect(page).to_have_url(live_server + "/")
    expect(page.locator("ol.tour")).to_be_visible()


def test_an_example_still_opens_when_its_fetch_fails(page: Page, live_server: str) -> None:
    def refuse_fetch(route) -> None:  # the in-place load's request only; the page load passes
        if route.request.resource_type == "fetch":
            route.abort()
        else:
            route.continue_()

    page.goto(live_server + "/")
    page.route("**/?preset=*", refuse_fetch)
    with page.expect_navigation():
        page.get_by_role("link", name="Try: identify then track").click()
    expect_all_confirmed(page)
