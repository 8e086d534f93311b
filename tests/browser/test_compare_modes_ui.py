"""The compare page's profile × connection mode grid in Chromium: a cell opens the playground with
that profile and mode, and its deduplication check; the grid fits a phone."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Locator, Page, expect

from app.web.state import PlaygroundState
from tests.browser.test_decode_ui import UNREACHABLE_SCROLLERS

TAG_ID = "2612345678901"
SHOP_CALLS = (
    'rudderanalytics.identify("u-1", {email: " Jane.Doe@Example.com "});\n'
    'rudderanalytics.page("Shop", "Shoes");\n'
    'rudderanalytics.track("Order Completed", {order_id: "ord-1", revenue: 30, currency: "USD"});\n'
)
SHOP = PlaygroundState(
    {
        "tagId": TAG_ID,
        "connectionMode": {"web": "hybrid"},
        "advertiserId": "549764492980",
        "sendingUnHashedData": True,
    },
    "docs",
    SHOP_CALLS,
    "",
)


def _cell(page: Page, profile: str, column: str) -> Locator:
    return page.locator(f"td.mode-cell[data-profile='{profile}'][data-column='{column}']")


def test_a_cell_opens_the_playground_with_its_profile_and_mode(page: Page, live_server: str, network) -> None:
    page.goto(f"{live_server}/compare?s={SHOP.to_token()}")
    views = page.get_by_role("navigation", name="Views of this scenario")
    views.get_by_role("link", name="Profile × connection mode").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Profile × connection mode")
    expect(views.get_by_role("link", name="Profile × connection mode")).to_have_attribute(
        "aria-current", "page"
    )
    expect(_cell(page, "docs", "hybrid").locator("a.mode-link")).to_contain_text(
        "2 of 2 events will count twice"
    )
    expect(page.locator("#modes-conclusion")).to_have_text(
        "Only sdk-v3 in hybrid mode deduplicates every event."
    )

    # The cell's link says where it goes.
    page.get_by_role("link", name=re.compile("open sdk-v3 in hybrid mode in the playground")).click()

    expect(page).to_have_url(re.compile(r"/\?s=1\."))
    expect(page.locator("input[name='profile'][value='sdk-v3']")).to_be_checked()
    expect(page.locator("#dedup-summary")).to_contain_text("All 2 events will be deduplicated")

    page.go_back()
    _cell(page, "docs", "cloud").locator("a.mode-link").click()
    expect(page.locator("input[name='profile'][value='docs']")).to_be_checked()
    expect(page.locator("#dedup-summary")).to_contain_text("0 of 2 events will count twice")
    expect(page.get_by_role("note").filter(has_text="Connection mode is cloud")).to_be_visible()
    network.assert_only_own_origin()


@pytest.mark.parametrize("width", [390, 320])
def test_the_grid_fits_a_phone_and_scrolls_in_its_own_region(
    page: Page, live_server: str, width: int
) -> None:
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(f"{live_server}/compare?s={SHOP.to_token()}&view=modes")
    expect(page.locator("table.modes-table")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.evaluate(UNREACHABLE_SCROLLERS) == []
    region = page.get_by_role("region", name=re.compile("Deduplication by profile and connection mode"))
    assert region.evaluate("(el) => el.scrollWidth > el.clientWidth")
    region.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => document.activeElement.scrollLeft > 0")
