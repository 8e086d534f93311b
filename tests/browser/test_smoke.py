"""The index page in real headless Chromium, served from loopback."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import Page, Request, expect

from tests.web.pages import STATIC

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def test_index_in_chromium(page: Page, live_server: str) -> None:
    requests: list[str] = []

    def record(request: Request) -> None:
        requests.append(request.url)

    page.on("request", record)
    page.goto(live_server + "/")
    page.wait_for_load_state("networkidle")

    expect(page.locator("header")).to_contain_text("pintrk playground")
    assert any(url == f"{live_server}{STATIC}/css/app.css" for url in requests), requests
    offsite = [url for url in requests if origin(url) != live_server]
    assert not offsite, f"the page contacted other origins: {offsite}"

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "index.png"), full_page=True)
