"""A scenario longer than the page renders: the log is cut and says so, the preview still runs it all."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import Page, expect

from app.pintrk import limits as budget
from app.web.state import PlaygroundState

pytestmark = pytest.mark.browser

TAG_ID = "2612345678901"


def test_a_cut_log_confirms_its_rows_and_reports_no_stray_commands(
    page: Page, live_server: str, network
) -> None:
    calls = [["load", TAG_ID]] + [
        ["track", "Checkout", {"order_id": str(i)}] for i in range(budget.MAX_RENDERED_ROWS + 99)
    ]
    state = PlaygroundState(
        settings={}, profile="sdk-v3", calls="", initial_traits="", pintrk=json.dumps(calls)
    )
    page.goto(f"{live_server}/?s={state.to_token()}")
    rows = page.locator('tr.log-row[data-kind="command"]')
    expect(rows).to_have_count(budget.MAX_RENDERED_ROWS)
    expect(page.locator(".log-cut")).to_contain_text(f"Showing the first 500 of {len(calls):,} rows")
    # The preview runs all 600 calls; the 500 rows shown get their tick, and the 100 beyond them
    # are not reported as strays.
    expect(page.locator('.log-status[data-status="confirmed"]')).to_have_count(
        budget.MAX_RENDERED_ROWS, timeout=15_000
    )
    page.wait_for_timeout(1_500)  # past the page's grace period after the preview's "done"
    expect(page.locator(".log-mismatch")).to_have_count(0)
    expect(page.locator('.log-status:is([data-status="mismatch"], [data-status="missing"])')).to_have_count(0)
