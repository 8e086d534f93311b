"""Real-browser infrastructure: Debian's chromium driven by pytest-playwright, app on loopback.

See /work/shared/notes/browser-tests.md for why it is set up this way.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import BrowserContext, Request, Route

from app import create_app
from tests.browser.serving import serve
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


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


class NetworkLog:
    """Every request a browser context makes; anything not for the app's own origin is aborted.

    The abort is a safety net (nothing may ever reach Pinterest, even from a broken build);
    the tests still fail on any such request, via `offsite`.
    """

    def __init__(self, own_origin: str) -> None:
        self.own_origin = own_origin
        self.urls: list[str] = []
        self.offsite: list[str] = []

    def attach(self, context: BrowserContext) -> NetworkLog:
        context.on("request", self._record)
        context.route("**/*", self._route)
        return self

    def _record(self, request: Request) -> None:
        self.urls.append(request.url)
        if origin_of(request.url) != self.own_origin:
            self.offsite.append(request.url)

    def _route(self, route: Route) -> None:
        if origin_of(route.request.url) == self.own_origin:
            route.continue_()
        else:
            route.abort("blockedbyclient")

    def assert_only_own_origin(self) -> None:
        assert self.urls, "no request was recorded at all"
        assert not self.offsite, (
            f"requests left {self.own_origin} (Pinterest's servers included): {self.offsite}"
        )


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
