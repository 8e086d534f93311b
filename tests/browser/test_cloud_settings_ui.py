"""Cloud mode's settings in a real browser: the fields follow the connection mode, and a typed
conversion token never reaches the address bar, the links, the page or the server's log lines."""

from __future__ import annotations

import json
import logging
import re
from urllib.parse import unquote

import pytest
from playwright.sync_api import Page, expect

from app.web.permalink import PermalinkError, decode
from tests.browser.serving import NetworkLog

SECRET = "pina_SECRET1234567890"
TAG_ID = "2612345678901"
_LINKED = re.compile(r"[?&;]s=([A-Za-z0-9_.%-]{2,})")


def assert_never_in_clear(text: str) -> None:
    """No token in ``text``, nor in any playground link it holds."""
    assert "SECRET1234" not in text
    for token in _LINKED.findall(text):
        try:
            linked = decode(unquote(token))
        except PermalinkError:
            continue
        assert "SECRET1234" not in json.dumps(linked)


def test_a_typed_token_never_reaches_the_address_bar_the_links_or_the_page(
    page: Page, live_server: str, network: NetworkLog, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)  # the live server's access lines (werkzeug) included
    page.goto(live_server + "/")
    page.fill("#tag_id", TAG_ID)
    page.fill("#calls", 'rudderanalytics.track("Order Completed", {"order_id": "o-1"});')
    page.get_by_label("Both (hybrid)").check()
    token_box = page.locator("#conversion_token")
    expect(token_box).to_be_visible()
    token_box.press_sequentially(SECRET)
    expect(page.locator("#live-status")).to_have_text("Up to date")
    link = page.locator("#copy-link")
    expect(link).to_have_attribute("href", re.compile(r"s="))
    linked = decode(unquote(page.evaluate("location.search").split("s=", 1)[1]))
    assert linked["s"]["conversionToken"] == "<token>"  # the link says there is one
    assert_never_in_clear(page.evaluate("location.href"))
    assert_never_in_clear(link.get_attribute("href") or "")
    assert_never_in_clear(page.locator("#results").inner_html())

    page.reload()
    expect(page.locator("#conversion_token")).to_have_value("<token>")
    expect(page.get_by_label("Both (hybrid)")).to_be_checked()
    assert_never_in_clear(page.evaluate("document.documentElement.outerHTML"))
    for url in network.urls:  # what the browser asked for: pages, the preview, the live updates
        assert_never_in_clear(url)
    assert caplog.records, "the live server's access lines were not captured"
    for record in caplog.records:
        assert_never_in_clear(record.getMessage())


def test_the_cloud_fields_follow_the_connection_mode(
    page: Page, live_server: str, network: NetworkLog
) -> None:
    page.goto(live_server + "/")
    cloud = page.locator("#field-advertiser_id")
    expect(page.get_by_label("Device mode: the Pinterest tag in the browser")).to_be_checked()
    expect(cloud).to_be_hidden()  # device mode: nothing of cloud mode in the way (or in the Tab order)
    for name in ("ad_account_id", "conversion_token", "api_version", "app_id", "sending_unhashed_data"):
        expect(page.locator(f"#field-{name}")).to_be_hidden()
    # … but a second, cloud-mode destination (the support case) is still in reach
    expect(page.get_by_text("Server events go to a different Pinterest destination?")).to_be_visible()
    page.get_by_label("Cloud mode: RudderStack's servers call Pinterest's Conversions API").check()
    expect(cloud).to_be_visible()
    page.get_by_label("Advertiser ID").fill("549765000000")
    page.get_by_label("Device mode: the Pinterest tag in the browser").check()
    expect(cloud).to_be_hidden()
    expect(page.locator("#advertiser_id")).to_have_value("549765000000")  # hidden, not lost
    # The radios are one Tab stop, and arrow keys choose (the browser's own radio group).
    page.get_by_label("Device mode: the Pinterest tag in the browser").focus()
    page.keyboard.press("ArrowDown")
    expect(
        page.get_by_label("Cloud mode: RudderStack's servers call Pinterest's Conversions API")
    ).to_be_checked()
    expect(cloud).to_be_visible()
    page.keyboard.press("Tab")
    expect(page.locator("#tag_id")).to_be_focused()


def test_a_problem_in_the_cloud_fields_is_shown_even_in_device_mode(
    page: Page, live_server: str, network: NetworkLog
) -> None:
    page.goto(live_server + "/")
    page.get_by_label("Both (hybrid)").check()
    page.get_by_text("Server events go to a different Pinterest destination?").click()
    page.fill("#cloud_settings", '{"tagId": 5}')
    page.get_by_label("Device mode: the Pinterest tag in the browser").check()
    expect(page.locator("#error-cloud_settings")).to_contain_text("“tagId” must be a string")
    expect(page.locator("#field-cloud")).to_be_visible()


def test_without_javascript_the_cloud_fields_are_shown_and_work(
    page_without_javascript: tuple[Page, NetworkLog], live_server: str
) -> None:
    page, _ = page_without_javascript
    page.goto(live_server + "/")
    expect(page.locator("#field-cloud")).to_be_visible()
    page.fill("#tag_id", TAG_ID)
    page.fill("#advertiser_id", "549765000000")
    page.fill("#conversion_token", SECRET)
    page.get_by_label("Send as test events").check()
    page.locator("#run-button, button[name=action][value=run]").last.click()
    expect(page.locator("#advertiser_id")).to_have_value("549765000000")
    expect(page.locator("#conversion_token")).to_have_value("<token>")
    expect(page.get_by_label("Send as test events")).to_be_checked()
    assert_never_in_clear(page.content())
