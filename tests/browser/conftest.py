"""Real-browser infrastructure: Debian's chromium driven by pytest-playwright, app on loopback.

See /work/shared/notes/browser-tests.md for why it is set up this way.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page

from app import create_app
from tests.browser.serving import NetworkLog, serve
from tests.chromium import CHROMIUM, CHROMIUM_ARGS

HERE = Path(__file__).resolve().parent
MISSING = f"{CHROMIUM} is missing: install it with `apt-get install chromium` (scripts/test.sh does)"


def in_ci() -> bool:
    return os.environ.get("CI") == "true"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # Hooks in this conftest see every collected item, so pick out the ones under tests/browser.
    skip = pytest.mark.skip(reason=MISSING)
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.browser)
            if not CHROMIUM.exists() and not in_ci():
                item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    if not CHROMIUM.exists():
        pytest.fail(MISSING + " (browser tests never skip in CI)")  # reached only when CI=true
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def live_server() -> Iterator[str]:
    """Base URL (http://127.0.0.1:PORT, no trailing slash) of create_app("testing") on a free port."""
    with serve(create_app("testing")) as url:
        yield url


@pytest.fixture
def network(context: BrowserContext, live_server: str) -> Iterator[NetworkLog]:
    """The NetworkLog of pytest-playwright's `context` (the one `page` lives in)."""
    log = NetworkLog(live_server).attach(context)
    yield log
    assert not log.offsite, f"requests left {live_server}: {log.offsite}"


@pytest.fixture
def watch_network(live_server: str) -> Callable[[BrowserContext], NetworkLog]:
    """watch_network(context) -> a NetworkLog for a context a test makes itself."""
    return lambda context: NetworkLog(live_server).attach(context)


@pytest.fixture
def page_without_javascript(
    browser: Browser, watch_network: Callable[[BrowserContext], NetworkLog]
) -> Iterator[tuple[Page, NetworkLog]]:
    """A page (and its network log) in a browser context with JavaScript off: the no-JS path."""
    context = browser.new_context(java_script_enabled=False)
    network = watch_network(context)
    try:
        yield context.new_page(), network
    finally:
        context.close()
