"""Decode & compare as support staff meet them in Chromium: one verdict per beacon, differences
grouped per field, the tag's /user/ requests recognised, a legend; on phones and from the keyboard."""

from __future__ import annotations

import json
import re
from urllib.parse import quote

import pytest
from playwright.sync_api import Page, expect

from app.web.state import PlaygroundState

TAG_ID = "2612345678901"
CALLS = (
    'rudderanalytics.track("Order Completed", {order_id: "o1", revenue: 15, currency: "USD", products: ['
    '{product_id: "P1", name: "Shoe", price: 10, quantity: 1, category: "shoes"},'
    '{product_id: "P2", name: "Boot", price: 5, quantity: 1, category: "shoes"}]});'
)
STATE = PlaygroundState({"tagId": TAG_ID}, "docs", CALLS, "")

# Every element that scrolls (its content is larger than its box, and it may scroll) and is not
# reachable by the keyboard, or has no name: axe-core's scrollable-region-focusable, and a name.
UNREACHABLE_SCROLLERS = """() => [...document.querySelectorAll("body *")].filter((el) => {
  const style = getComputedStyle(el);
  const scrolls = (axis) => ["auto", "scroll"].includes(style["overflow" + axis]);
  const wide = scrolls("X") && el.scrollWidth > el.clientWidth + 1;
  const tall = scrolls("Y") && el.scrollHeight > el.clientHeight + 1;
  if (!(wide || tall) || el.getClientRects().length === 0) return false;
  if (el.matches("textarea, select, input")) return false;  // a form control: focusable, named by its label
  return el.tabIndex < 0 || !(el.getAttribute("aria-label") || el.getAttribute("aria-labelledby"));
}).map((el) => el.outerHTML.slice(0, 120))"""

HEADING_LEVELS = (
    "() => [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')].map((h) => Number(h.tagName[1]))"
)


def _real_urls() -> str:
    """What the site sent: the predicted requests, its checkout's line items without three fields."""
    result = STATE.run().result
    lines = []
    for request in result.requests:
        if request.is_beacon and request.event == "Checkout":
            ed = json.loads(request.ed_json or "{}")
            for item in ed["line_items"]:
                for key in ("product_name", "product_price", "product_category"):
                    del item[key]
            lines.append(
                f"https://ct.pinterest.com/v3/?event=Checkout&ed={quote(json.dumps(ed))}&tid={TAG_ID}"
            )
        else:
            lines.append(request.url)
    return "\n".join(lines)


def _decode_with_comparison(page: Page, live_server: str) -> None:
    page.goto(f"{live_server}/decode?s={STATE.to_token()}")
    page.fill("#urls", _real_urls())
    page.get_by_role("button", name="Decode and compare").click()
    expect(page.locator("article.beacon-card")).to_have_count(4)


def test_one_verdict_per_beacon_and_each_missing_field_once(page: Page, live_server: str, network) -> None:
    _decode_with_comparison(page, live_server)
    cards = page.locator("article.beacon-card")
    # The tag's /user/ requests: its configuration requests, no verdict, nothing odd.
    for n in (0, 2):
        expect(cards.nth(n).locator(".verdict")).to_contain_text(
            "⚙ Configuration request (/user/) Not a conversion"
        )
        expect(cards.nth(n).locator(".verdict-line, ul.problems")).to_have_count(0)
    expect(cards.nth(0).locator(".card-event")).to_have_text("configuration request")
    expect(cards.nth(2).locator(".verdict")).to_contain_text("The conversion itself is beacon 4")
    # One statement per compared beacon, with the count.
    expect(cards.nth(1).locator(".verdict-line")).to_have_text(
        "✓ Same as predicted beacon 1 (predicted init)"
    )
    checkout = cards.nth(3)
    expect(checkout.locator(".verdict-line")).to_have_count(1)
    expect(checkout.locator(".verdict-line")).to_have_text(
        "◆ Differs from predicted beacon 2: 3 differences (predicted Checkout)"
    )
    # Three product fields missing from both line items: three differences, each said once.
    missing = checkout.locator("li.field-difference.change-missing")
    expect(missing).to_have_count(3)
    expect(checkout.locator("li.field-difference")).to_have_count(3)
    for field in ("product_category", "product_price", "product_name"):
        item = missing.filter(has_text=field)
        expect(item).to_contain_text(
            re.compile(rf"^\s*− missing in real\s+{field} in items 1 and 2 of ed\.line_items")
        )
    expect(missing.filter(has_text="product_name")).to_contain_text(
        'predicted "Shoe" in item 1, "Boot" in item 2'
    )
    expect(page.locator("#comparison .difference-list")).to_have_count(0)  # not listed a second time
    # The request's own format check does not contradict the verdict.
    expect(checkout.locator(".format-check")).to_have_text(
        re.compile(r"^✓ Request format, read on its own: no problems")
    )
    expect(page.get_by_text("Nothing odd")).to_have_count(0)
    # The summary: a verdict per pair, a legend with a badge (symbol and words) per kind.
    expect(page.locator("#comparison-heading")).to_have_text(
        "◆ 1 of 2 beacons differs from what the scenario predicts (profile docs): 3 differences"
    )
    expect(page.locator("table.pairs td.pair-result")).to_have_text(
        ["✓ Same as predicted beacon 1", "◆ Differs from predicted beacon 2: 3 differences"]
    )
    legend = page.locator("#legend")
    expect(legend).to_be_visible()
    for kind in (
        "✓ same",
        "◆ differs",
        "− missing in real",
        "+ extra in real",
        "≠ different value",
        "⚙ configuration request",
    ):
        expect(legend.locator(".kind-badge", has_text=kind)).to_have_count(1)
    network.assert_only_own_origin()


def test_a_pasted_user_request_alone_is_recognised(page: Page, live_server: str) -> None:
    page.goto(f"{live_server}/decode")
    page.fill("#urls", f"https://ct.pinterest.com/user/?tid={TAG_ID}&cb=1714557600500&dep=2%2CPAGE_LOAD")
    page.get_by_role("button", name="Decode").click()
    card = page.locator("article.beacon-card")
    expect(card).to_have_count(1)
    expect(card.locator(".card-event")).to_have_text("configuration request")
    expect(card.locator(".verdict")).to_contain_text("when it starts (page load), before its first beacon")
    expect(card.locator("ul.problems")).to_have_count(0)
    expect(page.locator("#legend")).to_be_visible()


@pytest.mark.parametrize("width", [390, 320])
def test_decode_and_compare_fit_a_phone(page: Page, live_server: str, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 800})
    _decode_with_comparison(page, live_server)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.evaluate(UNREACHABLE_SCROLLERS) == []
    page.goto(f"{live_server}/compare?s={STATE.to_token()}")
    expect(page.locator("table.compare-table")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    # The table is wider than the screen: it scrolls in its own region, which the keyboard reaches.
    region = page.get_by_role("region", name=re.compile("Commands under each profile"))
    assert region.evaluate("(el) => el.scrollWidth > el.clientWidth")
    assert page.evaluate(UNREACHABLE_SCROLLERS) == []
    region.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => document.activeElement.scrollLeft > 0")


@pytest.mark.parametrize("path", ["decode", "compare"])
def test_one_h1_headings_in_order_and_scroll_regions_reachable(
    page: Page, live_server: str, path: str
) -> None:
    if path == "decode":
        _decode_with_comparison(page, live_server)
        page.locator("article.beacon-card").nth(3).locator("details.ed-json summary").click()
    else:
        page.goto(f"{live_server}/compare?s={STATE.to_token()}")
    levels = page.evaluate(HEADING_LEVELS)
    assert levels.count(1) == 1 and levels[0] == 1
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False)), levels
    assert page.evaluate(UNREACHABLE_SCROLLERS) == []
    # Every badge says its kind in words, not only with a symbol.
    texts = page.locator(".kind-badge").all_inner_texts()
    assert texts and all(re.search(r"[a-z]{3,}", t) for t in texts), texts
