"""Serving an app for the browser tests, and watching what the browser asks of the network (a
module: test files can't import conftest)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit

from flask import Flask
from playwright.sync_api import BrowserContext, Request, Route
from werkzeug.serving import make_server


@contextmanager
def serve(app: Flask, name: str = "live_server") -> Iterator[str]:
    """Serve ``app`` on a free loopback port; yields its base URL (no trailing slash)."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name=name, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)


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
