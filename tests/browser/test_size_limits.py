"""A form too large to send, in real Chromium: nothing typed is lost, the problem sits at the field.

With scripts, the page checks the sizes before sending (the live update and every submit) and
sends nothing; without them, the server reads what it can and gives the page back (issue 11).
"""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.browser.serving import NetworkLog

TAG_ID = "2612345678901"
TRAITS = '{"email": "jane@example.com"}'
# Over the 1 MB a field may carry (config.MAX_FORM_MEMORY_SIZE), as a call script someone pasted.
LINE = 'rudderanalytics.track("Order Completed", {revenue: 20});\n'
TOO_LONG = LINE * 20_000


def paste(page: Page, selector: str, text: str) -> None:
    """Put ``text`` in a field as a paste does: one value change, one input event.

    (Playwright's fill types it through the editor, far too slowly for a megabyte.)
    """
    page.locator(selector).evaluate(
        "(el, text) => { el.value = text; el.dispatchEvent(new Event('input', {bubbles: true})); }", text
    )


def posts_of(page: Page) -> list[str]:
    """Every POST the page makes from now on (path and method), in order."""
    sent: list[str] = []
    page.on("request", lambda request: sent.append(request.url) if request.method == "POST" else None)
    return sent


def test_over_the_field_limit_nothing_is_sent_and_nothing_is_lost(
    page: Page, live_server: str, network
) -> None:
    assert len(TOO_LONG.encode()) > 1024 * 1024
    page.goto(live_server + "/")
    page.fill("#tag_id", TAG_ID)
    page.fill("#initial_traits", TRAITS)
    expect(page.locator("#live-status")).to_have_text("Up to date")
    posts = posts_of(page)

    calls = page.locator("#calls")
    paste(page, "#calls", TOO_LONG)
    error = page.locator('[data-error-for="calls"]')
    expect(error).to_be_visible()
    expect(error).to_contain_text("at most 1 MB in one field")
    expect(error).to_contain_text("Nothing was sent")
    expect(calls).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#live-status")).to_contain_text("too large")

    # Run: still nothing sent, the page stays, every field as typed.
    url = page.url
    page.locator(".run-bar").get_by_role("button", name="Run").click()
    page.wait_for_timeout(300)
    assert page.url == url
    expect(error).to_be_visible()
    assert posts == [], f"the page sent the over-large form: {posts}"
    assert page.input_value("#tag_id") == TAG_ID
    assert page.input_value("#initial_traits") == TRAITS
    assert calls.input_value() == TOO_LONG, "the pasted text changed"

    # Shortened: the live update runs again and the message goes.
    paste(page, "#calls", LINE * 3)
    expect(error).to_be_hidden()
    expect(page.locator("tr.log-row").first).to_be_visible()
    assert any(url.endswith("/render") for url in posts)
    network.assert_only_own_origin()


def test_without_javascript_the_server_gives_the_form_back(
    page_without_javascript: tuple[Page, NetworkLog], live_server: str
) -> None:
    page, network = page_without_javascript
    page.goto(live_server + "/")
    page.fill("#tag_id", TAG_ID)
    page.fill("#initial_traits", TRAITS)
    paste(page, "#calls", TOO_LONG)
    with page.expect_navigation() as navigation:
        page.locator(".run-bar").get_by_role("button", name="Run").click()
    assert navigation.value.status == 413
    error = page.locator('[data-error-for="calls"]')
    expect(error).to_be_visible()
    expect(error).to_contain_text("at most 1 MB in one field")
    assert page.input_value("#tag_id") == TAG_ID
    assert page.input_value("#initial_traits") == TRAITS
    kept = page.input_value("#calls")
    assert kept and TOO_LONG.startswith(kept.replace("\r\n", "\n")), "not the head of the pasted text"
    expect(page.locator(".notice")).to_contain_text("Nothing was run")
    network.assert_only_own_origin()
