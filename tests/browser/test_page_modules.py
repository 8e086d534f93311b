"""The page scripts load as ES modules in Chromium: every module, no console error, no CSP violation.

A module that fails to load (missing, wrong type, refused by the CSP) stops its whole tree, and
the page silently falls back to plain form posts; these tests make that loud. The last one
removes a module on purpose to prove the check would notice.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import ConsoleMessage, Page, Response, expect

from app import create_app
from tests.browser.serving import serve
from tests.web.pages import STATIC

ROOT = Path(__file__).resolve().parents[2]
MODULES = frozenset(path.name for path in (ROOT / "static" / "js" / "playground").glob("*.js"))
HAR_LIMIT = 1000  # bytes: this module's app reads HAR files no larger (decode.js checks it first)
MODULE_URL = re.compile(re.escape(STATIC) + r"/js/playground/([a-z-]+\.js)$")
LIVE_STATUS = "Live updates on: results follow your edits"  # main.js's first words on the page
# Installed in every document before its scripts: CSP violations reach the console.
CSP_HOOK = """
document.addEventListener("securitypolicyviolation", (e) => {
  console.error("CSP violation: " + e.violatedDirective + " blocked " + e.blockedURI);
}, true);
"""


@pytest.fixture(scope="module")
def live_server() -> Iterator[str]:
    with serve(create_app("testing", MAX_HAR_BYTES=HAR_LIMIT), "modules_live_server") as url:
        yield url


@dataclass
class Loads:
    """The playground modules the page fetched (name -> HTTP status), and what went wrong."""

    modules: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def on_response(self, response: Response) -> None:
        match = MODULE_URL.search(response.url.split("?", 1)[0])
        if match:
            self.modules[match.group(1)] = response.status

    def on_console(self, message: ConsoleMessage) -> None:
        if message.type in ("error", "warning"):
            self.problems.append(f"{message.type}: {message.text}")


@pytest.fixture
def loads(page: Page, network) -> Iterator[Loads]:
    watched = Loads()
    page.add_init_script(CSP_HOOK)
    page.on("response", watched.on_response)
    page.on("console", watched.on_console)
    page.on("pageerror", lambda error: watched.problems.append(f"page error: {error}"))
    yield watched
    network.assert_only_own_origin()


def test_the_playground_loads_every_module(page: Page, live_server: str, loads: Loads) -> None:
    page.goto(live_server + "/")
    expect(page.locator("#live-status")).to_have_text(LIVE_STATUS)
    page.wait_for_load_state("networkidle")
    assert loads.modules == dict.fromkeys(MODULES, 200)
    assert loads.problems == []


def test_the_decode_page_loads_its_module(page: Page, live_server: str, loads: Loads) -> None:
    scripts: list[str] = []
    page.on("response", lambda r: scripts.append(f"{r.status} {r.url}") if r.url.endswith(".js") else None)
    page.goto(live_server + "/decode")
    page.wait_for_load_state("networkidle")
    assert scripts == [f"200 {live_server}{STATIC}/js/decode.js"]
    # It ran: a HAR file over the limit is refused before anything is uploaded.
    assert page.locator("#har").get_attribute("data-max-bytes") == str(HAR_LIMIT)
    page.locator("#har").set_input_files(
        {"name": "big.har", "mimeType": "application/json", "buffer": b" " * (HAR_LIMIT + 1)}
    )
    expect(page.locator("#error-har")).to_contain_text("“big.har” is larger than")
    assert loads.problems == []


def test_a_missing_module_is_noticed(page: Page, live_server: str, loads: Loads) -> None:
    # rows.js is imported by main.js only: without it, main.js never runs.
    page.route(
        re.compile(re.escape(STATIC) + r"/js/playground/rows\.js$"), lambda route: route.fulfill(status=404)
    )
    page.goto(live_server + "/")
    page.wait_for_load_state("networkidle")
    assert loads.modules["rows.js"] == 404 and loads.modules != dict.fromkeys(MODULES, 200)
    assert loads.problems, "a module that failed to load left no console error"
    expect(page.locator("#live-status")).to_have_count(0)  # the page is back to plain form posts
