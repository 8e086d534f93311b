"""Finding 3 of issue 11, "links that cost seconds", and the per-request budget behind it.

A few KB of link can decompress to 10,000 pasted events or 300,000 products. Each case: status
below 500, under a second in-process, under 100 MB of peak memory, and the limit said in words.
The app runs without its page cache, so every request does the whole work.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient

from app import create_app
from app.pintrk import limits as budget
from app.web.permalink import MAX_TOKEN_LENGTH, encode
from tests.costs import MEMORY_BUDGET, TIME_BUDGET, measure

SETTINGS = {"tagId": "2612345678901", "enhancedMatch": True, "customProperties": [{"properties": "x"}]}
LINK_PAGES = ("/", "/preview", "/reproduction", "/compare", "/export", "/download")


@pytest.fixture
def uncached() -> Iterator[FlaskClient]:
    app: Flask = create_app("testing", PAGE_CACHE_BYTES=0)
    yield app.test_client()


def link(messages: Any, **extra: Any) -> str:
    data = {
        "s": SETTINGS,
        "p": "sdk-v3",
        "c": "",
        "t": "",
        "m": json.dumps(messages, separators=(",", ":")),
        **extra,
    }
    token = encode(data)
    assert len(token) <= MAX_TOKEN_LENGTH
    return token


def ten_thousand_events() -> list[dict[str, Any]]:
    return [
        {"type": "track", "event": "Order Completed", "properties": {}, "context": {"traits": {}}}
        for _ in range(10_000)
    ]


def assert_cheap(client: FlaskClient, url: str) -> Any:
    cost = measure(lambda: client.get(url))
    response = cost.result
    assert response.status_code < 500, (url[:60], response.status_code)
    assert cost.seconds < TIME_BUDGET, f"{url[:40]}: {cost}"
    assert cost.peak_bytes < MEMORY_BUDGET, f"{url[:40]}: {cost}"
    return response


@pytest.mark.parametrize("path", LINK_PAGES)
def test_a_link_with_ten_thousand_events_costs_a_page_of_one_thousand(
    uncached: FlaskClient, path: str
) -> None:
    token = link(ten_thousand_events())
    assert len(token) < 70_000  # the events are alike: the link stays a few KB
    response = assert_cheap(uncached, f"{path}?s={token}")
    assert response.status_code == 200
    if path == "/":
        page = response.get_data(as_text=True)
        assert len(page) < 8 * 1024 * 1024
        assert "Showing the first 1,000 of 10,000 events" in page
        soup = BeautifulSoup(page, "html.parser")
        assert len(soup.select("tr.log-row")) == budget.MAX_RENDERED_ROWS
        cut = soup.select_one(".log-cut")
        assert cut is not None and "Export log" in cut.get_text()
        commands = soup.select('tr.log-row[data-kind="command"]')
        assert len(commands) == budget.MAX_RENDERED_ROWS  # no errors: every row a command
        assert soup.select_one("table.log")["data-shown-commands"] == str(len(commands))
    if path == "/compare":  # the table is cut, the summary counts every row
        soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
        assert len(soup.select("tbody.compare-row")) == budget.MAX_RENDERED_ROWS
        assert "Showing the first 500 of 1,001 rows" in soup.select_one(".rows-cut").get_text()
    if path == "/export":  # the download has every row the page replays
        exported = json.loads(response.get_data(as_text=True))
        assert (
            len([c for c in exported["commands"] if c.get("method") == "track"]) == budget.MAX_PAGE_MESSAGES
        )


def test_the_compare_pages_second_view_costs_a_page_too(uncached: FlaskClient) -> None:
    """Profile × connection mode: nine deduplication checks of the page's first 1,000 events."""
    response = assert_cheap(uncached, f"/compare?s={link(ten_thousand_events())}&view=modes")
    assert response.status_code == 200
    soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    assert len(soup.select("table.modes-table td.mode-cell")) == 9
    assert "1,000 events from the browser only" in soup.select_one("table.modes-table").get_text()
    assert "Counted over the first 1,000 of 10,000 events" in soup.select_one(".rows-cut").get_text()


def test_the_same_events_through_the_api_replay_all_ten_thousand(client: FlaskClient) -> None:
    body = {"settings": SETTINGS, "profile": "sdk-v3", "messages": ten_thousand_events()}
    response = client.post("/api/v1/replay", json=body)
    assert response.status_code == 200
    assert len([c for c in response.get_json()["commands"] if c["method"] == "track"]) == 10_000


@pytest.mark.parametrize(
    "properties",
    [
        {"products": [{}] * 300_000},  # each product would become a line item
        {"x": [0] * 400_000},  # picked by the custom property "x"
        {"x": [{}] * 300_000},
    ],
    ids=["products", "numbers", "objects"],
)
@pytest.mark.parametrize("path", LINK_PAGES)
def test_a_tiny_link_with_a_huge_value_is_refused_in_words(
    uncached: FlaskClient, path: str, properties: dict[str, Any]
) -> None:
    token = link([{"type": "track", "event": "Order Completed", "properties": properties}])
    assert len(token) < 2_000
    response = assert_cheap(uncached, f"{path}?s={token}")
    text = BeautifulSoup(response.get_data(as_text=True), "html.parser").get_text(" ")
    if path == "/":  # the form comes back, the problem beside the pasted events
        assert response.status_code == 200
        soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
        error = soup.select_one("#messages-error, [id^=messages][id$=error]") or soup
        assert "values" in error.get_text() or "products" in error.get_text()
        assert "Nothing was run" in text
    elif path in ("/preview", "/download", "/reproduction"):
        assert response.status_code == 400
    limit = f"{budget.MAX_PAGE_VALUES:,}" if "products" not in properties else f"{budget.MAX_LINE_ITEMS:,}"
    if path != "/preview":  # the preview's plain-text error only says there is no tag to run
        assert limit in text or f"{budget.MAX_PAGE_VALUES:,}" in text


def test_the_api_refuses_a_scenario_over_its_budget_with_a_413(client: FlaskClient) -> None:
    message = {"type": "track", "event": "Order Completed", "properties": {"products": [{}] * 60_000}}
    cost = measure(lambda: client.post("/api/v1/replay", json={"settings": SETTINGS, "messages": [message]}))
    assert cost.result.status_code == 413
    error = cost.result.get_json()["error"]
    assert error["code"] == "over-budget"
    assert error["location"] == "messages[0].properties.products"
    assert cost.seconds < TIME_BUDGET


def test_the_cli_refuses_a_scenario_over_its_budget(tmp_path: Any) -> None:
    from app.pintrk.cli import main

    path = tmp_path / "big.json"
    path.write_text(
        json.dumps(
            {
                "settings": SETTINGS,
                "messages": [{"type": "track", "event": "x", "properties": {"products": [{}] * 60_000}}],
            }
        )
    )
    import io

    out, err = io.StringIO(), io.StringIO()
    assert main(["replay", str(path)], stdout=out, stderr=err) == 2
    assert "products" in err.getvalue() and f"{budget.MAX_LINE_ITEMS:,}" in err.getvalue()


def test_a_reproduction_file_over_the_value_budget_is_refused_before_it_is_read(client: FlaskClient) -> None:
    from tests.web.pages import csrf_token_in

    document = {
        "format": "pintrk-playground/reproduction",
        "version": 1,
        "profile": "sdk-v3",
        "settings": SETTINGS,
        "initialTraits": {},
        "messages": [{"type": "track", "event": "Order Completed", "properties": {"x": [0] * 300_000}}],
    }
    token = csrf_token_in(client.get("/").get_data(as_text=True))
    form = {
        "csrf_token": token,
        "tag_id": "2612345678901",
        "profile": "sdk-v3",
        "calls": "",
        "action": "open-reproduction",
        "reproduction_text": json.dumps(document),
    }
    cost = measure(lambda: client.post("/", data=form))
    assert cost.result.status_code < 500
    assert cost.seconds < TIME_BUDGET and cost.peak_bytes < MEMORY_BUDGET, cost
    text = BeautifulSoup(cost.result.get_data(as_text=True), "html.parser").get_text(" ")
    assert "can't be opened" in text and f"{budget.MAX_PAGE_VALUES:,}" in text
