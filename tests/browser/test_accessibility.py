"""Every page, in the states people meet it, against axe-core (WCAG 2.1 AA) on desktop and phone.

Issue 13's bar: 0 violations of any impact, and no sideways scrolling at 390 or 320 px. Each
state is reached as a person reaches it (the example's links, a submitted form) where that is
short, else through the link that holds it (``/?s=…``).
"""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from app.pintrk import replay
from app.pintrk.presets import get_preset
from app.web.state import PlaygroundState
from tests.browser.axe import axe_source, axe_violations, report

DESKTOP, PHONE = {"width": 1366, "height": 900}, {"width": 390, "height": 844}
NARROW_WIDTHS = (390, 320)
TAG_ID = "2612345678901"
EXAMPLE = "identify-then-track"

# A customer's events as RudderStack's Live Events shows them: a {"batch": […]} body, with
# context, messageIds and an e-commerce order whose products carry their quantities.
_CONTEXT = {
    "traits": {"email": "jane@example.com", "firstName": "Jane"},
    "library": {"name": "RudderLabs JavaScript SDK", "version": "3.7.0"},
    "page": {"path": "/checkout", "url": "https://shop.example.com/checkout", "title": "Checkout"},
    "locale": "en-US",
}
BATCH = {
    "batch": [
        {
            "type": "page",
            "name": "Checkout",
            "messageId": "page-0001",
            "properties": {"path": "/checkout", "title": "Checkout"},
            "context": _CONTEXT,
        },
        {
            "type": "track",
            "event": "Order Completed",
            "messageId": "order-0002",
            "properties": {
                "order_id": "O-1001",
                "revenue": 29,
                "currency": "EUR",
                "products": [
                    {"product_id": "P-1", "name": "Mug", "price": 12.5, "quantity": 2},
                    {"product_id": "P-2", "name": "Tea", "price": 4, "quantity": 1},
                ],
            },
            "context": _CONTEXT,
        },
    ],
    "sentAt": "2024-05-01T10:00:00.000Z",
}


def example_state() -> PlaygroundState:
    preset = get_preset(EXAMPLE)
    return PlaygroundState(dict(preset.settings), "docs", preset.calls, "")


def wait_until_all_ran(page: Page) -> None:
    """The live preview has ticked every row of the log (so nothing changes under axe)."""
    page.wait_for_function(
        """() => {
          const rows = [...document.querySelectorAll(".log-status[data-status]")];
          return rows.length > 0 && rows.every(row => row.dataset.status === "confirmed");
        }"""
    )


def blank(page: Page, base: str) -> None:
    page.goto(base + "/")


def example_loaded(page: Page, base: str) -> None:
    page.goto(f"{base}/?preset={EXAMPLE}")
    wait_until_all_ran(page)


def form_error(page: Page, base: str) -> None:
    """The example with an unfinished last line, run with the form (a full POST, no JavaScript)."""
    example_loaded(page, base)
    page.fill("#calls", get_preset(EXAMPLE).calls + 'rudderanalytics.track("Lead", {lead_type: ')
    with page.expect_navigation():
        page.locator("#playground-form").evaluate("form => form.requestSubmit()")
    expect(page.locator("[aria-invalid=true]").first).to_be_attached()


def pasted_events(page: Page, base: str) -> None:
    state = PlaygroundState({"tagId": TAG_ID}, "sdk-v3", "", "", messages=json.dumps(BATCH, indent=2))
    page.goto(f"{base}/?s={state.to_token()}")
    wait_until_all_ran(page)


def cloud_mode(page: Page, base: str) -> None:
    """Both paths (hybrid): the cloud fields shown, and a separate destination's config with a problem."""
    settings = {"tagId": TAG_ID, "connectionMode": {"web": "hybrid"}, "advertiserId": "549765000000"}
    state = PlaygroundState(
        {**settings, "conversionToken": "<token>", "sendingUnHashedData": True},
        "sdk-v3",
        get_preset(EXAMPLE).calls,
        "",
        cloud_settings='{"tagId": 5}',
    )
    page.goto(f"{base}/?s={state.to_token()}")
    expect(page.locator("#error-cloud_settings")).to_be_visible()


def deduplication_check(page: Page, base: str) -> None:
    """Browser and server together: every verdict kind that example shows, the server's rows in
    the log (opened), and a suggested fix with its button."""
    page.goto(f"{base}/?preset=hybrid-count-twice")
    wait_until_all_ran(page)
    page.check("#profile-2")  # SDK v3: now deduplicated, bar the event mapping below
    page.fill("#deduplication_key", "properties.order_id")
    page.locator("#field-cloud_settings summary").click()
    page.fill("#cloud_settings", '{"connectionMode": {"web": "cloud"}, "advertiserId": "549764492980"}')
    expect(page.locator(".dedup-pair.verdict-count-twice button")).to_be_visible()
    page.locator("tr.server-body summary").first.click()
    expect(page.locator(".dedup-pair.verdict-not-sent")).to_be_visible()


def compare(page: Page, base: str) -> None:
    example_loaded(page, base)
    with page.expect_navigation():
        page.locator('a[href^="/compare?"]').first.click()
    expect(page.locator("table.compare-table")).to_be_visible()


def compare_modes(page: Page, base: str) -> None:
    """The compare page's second view: profile × connection mode."""
    compare(page, base)
    with page.expect_navigation():
        page.get_by_role("link", name="Profile × connection mode").click()
    expect(page.locator("table.modes-table")).to_be_visible()


def decode_with_comparison(page: Page, base: str) -> None:
    """The example's beacons as sdk-v3 sends them, pasted and compared with the docs prediction."""
    example_loaded(page, base)
    with page.expect_navigation():
        page.locator('a[href^="/decode?"]').first.click()
    scenario = example_state().run().scenario
    assert scenario is not None
    beacons = replay(scenario, "sdk-v3").beacons
    page.fill("#urls", "\n".join(beacon.url for beacon in beacons))
    with page.expect_navigation():
        page.locator("#decode-form").evaluate("form => form.requestSubmit()")
    expect(page.locator("#comparison")).to_be_visible()


def out_of_date(page: Page, base: str) -> None:
    """The example, then an unfinished line typed: the last log stays, marked out of date."""
    example_loaded(page, base)
    page.fill("#calls", get_preset(EXAMPLE).calls + 'rudderanalytics.track("Lead", {lead_type: ')
    expect(page.locator("#stale-note")).to_be_visible()


def help_page(page: Page, base: str) -> None:
    page.goto(base + "/help")


def api_docs(page: Page, base: str) -> None:
    page.goto(base + "/api/v1/docs")


def not_found(page: Page, base: str) -> None:
    response = page.goto(base + "/no-such-page")
    assert response is not None and response.status == 404


STATES: dict[str, Callable[[Page, str], None]] = {
    "blank": blank,
    "example loaded": example_loaded,
    "form error": form_error,
    "results out of date": out_of_date,
    "pasted events": pasted_events,
    "cloud mode": cloud_mode,
    "deduplication check": deduplication_check,
    "/compare": compare,
    "/compare?view=modes": compare_modes,
    "/decode with a comparison": decode_with_comparison,
    "/api/v1/docs": api_docs,
    "/help": help_page,
    "error page (404)": not_found,
}


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1366px", "390px"])
@pytest.mark.parametrize("state", list(STATES))
def test_no_axe_violations(page: Page, live_server: str, network, state: str, viewport: dict) -> None:
    axe_source()  # skips (or fails in CI) before the page is loaded when axe-core is not installed
    page.set_viewport_size(viewport)
    STATES[state](page, live_server)
    violations = axe_violations(page)
    assert not violations, f"{state} at {viewport['width']} px: " + report(violations)


@pytest.mark.parametrize("state", list(STATES))
def test_nothing_scrolls_sideways_on_a_phone(page: Page, live_server: str, network, state: str) -> None:
    page.set_viewport_size(PHONE)
    STATES[state](page, live_server)
    for width in NARROW_WIDTHS:
        page.set_viewport_size({"width": width, "height": PHONE["height"]})
        scroll_width = page.evaluate("() => document.documentElement.scrollWidth")
        wide = page.evaluate(WIDER_THAN_THE_SCREEN) if scroll_width > width else []
        assert scroll_width <= width, f"{state} lays out {scroll_width} px wide at {width} px: {wide}"


# What sticks out, for the failure message: the outermost elements whose right edge passes the screen's.
WIDER_THAN_THE_SCREEN = """() => {
  const width = document.documentElement.clientWidth, found = [];
  for (const el of document.body.querySelectorAll("*")) {
    const box = el.getBoundingClientRect();
    if (box.right > width + 0.5 && !found.some(outer => outer.contains(el))) found.push(el);
  }
  return found.slice(0, 8).map(el => {
    const name = el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
      + (el.classList.length ? "." + [...el.classList].join(".") : "");
    return `${name} (right edge ${Math.round(el.getBoundingClientRect().right)} px)`;
  });
}"""
