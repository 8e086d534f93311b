"""Pages opened from a link, an example or the blank form are rendered once and kept.

What must hold: a kept page is the same page a fresh render gives (bar the per-response
CSRF token), each response carries its own session's token and a token that works, no
placeholder ever reaches a browser, refusals are never kept, and the cache stays
within its byte budget.
"""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient

from app import create_app
from app.web.page_cache import PageCache, page_cache
from app.web.state import PlaygroundState
from tests.web.pages import STATIC, csrf_token_in

_TOKEN_IN_PAGE = re.compile(rb'(name="csrf-token" content="|name="csrf_token" type="hidden" value=")[^"]+"')


def _link(calls: str, tag_id: str = "2612345678901") -> str:
    state = PlaygroundState(
        settings={"tagId": tag_id, "enhancedMatch": True}, profile="docs", calls=calls, initial_traits=""
    )
    return f"/?s={state.to_token()}"


SCENARIO = _link(
    'rudderanalytics.identify("u1", {email: "Jane@Example.com "});\n'
    'rudderanalytics.track("Order Completed", {order_id: "o-1", revenue: 20, currency: "USD"});'
)


def _without_tokens(body: bytes) -> bytes:
    return _TOKEN_IN_PAGE.sub(rb'\1TOKEN"', body)


def _stats(app: Flask) -> dict:
    with app.app_context():
        return page_cache().stats()


def test_a_link_opened_twice_is_rendered_once_and_served_identically(app: Flask, client: FlaskClient) -> None:
    first = client.get(SCENARIO)
    second = client.get(SCENARIO)
    assert first.status_code == second.status_code == 200
    # The same page; the token is re-signed with a timestamp, so it changes from second to second.
    assert _without_tokens(first.data) == _without_tokens(second.data)
    stats = _stats(app)
    assert (stats["misses"], stats["hits"], stats["pages"]) == (1, 1, 1)
    assert b"Checkout" in first.data and b"em" in first.data


@pytest.mark.parametrize("path", ["/", "/?preset=identify-then-track", SCENARIO])
def test_a_kept_page_equals_a_fresh_render(path: str) -> None:
    cached_app = create_app("testing")
    fresh_app = create_app("testing", PAGE_CACHE_BYTES=0)
    cached = cached_app.test_client()
    cached.get(path)  # fills the cache
    kept = cached.get(path)
    fresh = fresh_app.test_client().get(path)
    assert _stats(cached_app)["hits"] == 1 and _stats(fresh_app)["pages"] == 0
    assert kept.status_code == fresh.status_code == 200
    assert _without_tokens(kept.data) == _without_tokens(fresh.data)


def test_each_visitor_gets_their_own_working_csrf_token(app: Flask) -> None:
    alice, bob = app.test_client(), app.test_client()
    alice_page = alice.get(SCENARIO).data
    bob_page = bob.get(SCENARIO).data  # served from the cache
    assert _stats(app)["hits"] == 1
    alice_token, bob_token = csrf_token_in(alice_page), csrf_token_in(bob_page)
    assert alice_token != bob_token
    # The hidden form field carries the same token as the <meta> the scripts read.
    for page, token in ((alice_page, alice_token), (bob_page, bob_token)):
        field = BeautifulSoup(page, "html.parser").find("input", attrs={"name": "csrf_token"})
        assert field is not None and field["value"] == token
    # Bob's token, from a kept page, is valid for Bob's session and for nobody else's.
    form = {
        "csrf_token": bob_token,
        "tag_id": "2612345678901",
        "profile": "docs",
        "calls": "rudderanalytics.page();",
    }
    assert bob.post("/render", data=form).status_code == 200
    assert alice.post("/render", data=form).status_code == 400


def test_no_placeholder_reaches_a_response(app: Flask, client: FlaskClient) -> None:
    paths = ["/", "/", "/?preset=identify-then-track", SCENARIO, SCENARIO, "/?s=broken", "/?preset=nope"]
    for path in paths:
        body = client.get(path).data
        assert b"-hole-" not in body, path
    token = csrf_token_in(client.get("/").data)
    posted = client.post(
        "/",
        data={
            "csrf_token": token,
            "tag_id": "2612345678901",
            "profile": "docs",
            "calls": "rudderanalytics.page();",
        },
    )
    assert posted.status_code == 200 and b"-hole-" not in posted.data


def test_refusals_are_not_kept(app: Flask, client: FlaskClient) -> None:
    assert client.get("/?s=1.not-a-link").status_code == 400
    assert client.get("/?preset=no-such-example").status_code == 404
    assert _stats(app)["pages"] == 0


def test_pages_are_keyed_by_what_the_url_names(app: Flask, client: FlaskClient) -> None:
    other = _link("rudderanalytics.page();", tag_id="2619999999999")
    assert b"2619999999999" not in client.get(SCENARIO).data
    assert b"2619999999999" in client.get(other).data
    client.get("/")
    client.get("/?preset=identify-then-track")
    assert _stats(app)["pages"] == 4
    # Mounted under a prefix, the same link is another page: its URLs start with the prefix.
    mounted = client.get(SCENARIO, base_url="http://localhost/playground/")
    assert (
        b'data-render-url="/playground/render"' in mounted.data
        and f'src="/playground{STATIC}/js/playground/main.js"'.encode() in mounted.data
    )
    assert _stats(app)["pages"] == 5


def test_the_cache_can_be_turned_off() -> None:
    app = create_app("testing", PAGE_CACHE_BYTES=0)
    client = app.test_client()
    assert _without_tokens(client.get(SCENARIO).data) == _without_tokens(client.get(SCENARIO).data)
    assert _stats(app) == {"pages": 0, "bytes": 0, "max_bytes": 0, "hits": 0, "misses": 0}


def test_development_config_does_not_keep_pages() -> None:
    # Templates reload on change in development; a kept page would hide the change.
    assert create_app("development").config["PAGE_CACHE_BYTES"] == 0


def test_the_cache_stays_within_its_byte_budget() -> None:
    cache = PageCache(max_bytes=1000)
    for index in range(50):
        cache.put(("page", index), bytes(100))
    assert cache.stats()["bytes"] <= 1000 and len(cache) == 10
    assert cache.get(("page", 0)) is None and cache.get(("page", 49)) == bytes(100)  # the oldest went first
    cache.put("huge", bytes(126))  # over an eighth of the budget: sent, never kept
    assert cache.get("huge") is None


def test_the_least_recently_used_page_goes_first() -> None:
    cache = PageCache(max_bytes=300)
    cache.put("a", b"a" * 30)
    cache.put("b", b"b" * 30)
    assert cache.get("a") is not None  # "a" is now the most recent
    for index in range(9):  # ten pages fit: the ninth new one pushes one out
        cache.put(index, b"x" * 30)
    assert cache.get("a") is not None and cache.get("b") is None


def test_a_big_scenario_is_served_but_not_kept() -> None:
    app = create_app("testing", PAGE_CACHE_BYTES=400_000)  # pages over 50 KB are not kept
    client = app.test_client()
    big = _link(
        "\n".join(f'rudderanalytics.track("Order Completed", {{order_id: "o-{i}"}});' for i in range(60))
    )
    small = _link("rudderanalytics.page();")
    assert client.get(big).status_code == 200 and len(client.get(big).data) > 50_000
    assert client.get(small).status_code == 200
    assert _stats(app)["pages"] == 1
