"""Issue 11, findings 5, 6 and 7 replayed in-process: refused in words, fast, nothing typed lost.

5. ``1e400`` (a number JSON can't hold) in the initial traits, then *Save reproduction*; and in
   a hand-made link's settings, opened on ``/`` and ``/reproduction``.
6. A reproduction file with 5,000 mapping rows (the form holds 100).
7. A playground form over the request limit (2 MB) or one field over the field limit (1 MB),
   multipart and URL-encoded.

Each case: status < 500, under ``TIME_BUDGET`` and ``MEMORY_BUDGET`` (tests/costs.py), the
problem stated beside its field, and every field the person typed still in the page.
"""

from __future__ import annotations

import html
import io
import json
from typing import Any
from urllib.parse import urlencode

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.datastructures import MultiDict

from app.pintrk.reproduction import FORMAT
from app.web.permalink import pack
from tests.costs import MEMORY_BUDGET, TIME_BUDGET, Cost, measure
from tests.web.pages import Page, Playground, soup_of

TAG_ID = "2612345678901"
CALLS = 'rudderanalytics.track("Order Completed", {revenue: 20});\n'


def within_budget(cost: Cost) -> None:
    assert cost.seconds < TIME_BUDGET, f"took {cost}"
    assert cost.peak_bytes < MEMORY_BUDGET, f"took {cost}"


def encoded(pairs: list[tuple[str, str]], encoding: str) -> tuple[bytes, str]:
    """The body a browser would send, built before the clock starts (the test client's own
    encoding of megabytes would be timed otherwise)."""
    if encoding == "application/x-www-form-urlencoded":
        return urlencode(pairs).encode("ascii"), encoding
    boundary = "hostile-cost-boundary"
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
        + value.encode()
        + b"\r\n"
        for name, value in pairs
    ]
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"{encoding}; boundary={boundary}"


def page_of(response: Any) -> Page:
    return Page(response, soup_of(response))


@pytest.fixture
def playground(client: FlaskClient) -> Playground:
    return Playground(client)


# -- 5: numbers JSON can't hold ------------------------------------------------------------


@pytest.mark.parametrize("traits", ['{"value": 1e400}', '{"value": -1E999}', '{"id" : ' + "9" * 400 + "}"])
def test_an_infinite_number_in_the_traits_is_refused_at_the_field_on_save(
    playground: Playground, traits: str
) -> None:
    page = playground.get("/")
    data = playground.form_data(page, {"tag_id": TAG_ID, "calls": CALLS, "initial_traits": traits})
    data.append(("action", "save-reproduction"))
    cost = measure(lambda: playground.client.post("/reproduction", data=MultiDict(data)))
    saved = page_of(cost.result)
    assert cost.result.status_code < 500
    within_budget(cost)
    assert (
        saved.value("tag_id") == TAG_ID
        and saved.value("calls") == CALLS
        and saved.value("initial_traits") == traits
    )
    error = saved.error("initial_traits")
    assert "Line 1, column " in error and "too large for a number" in error and "Infinity" in error
    assert "not saved" in saved.error("reproduction")


@pytest.mark.parametrize(
    "path", ["/", "/reproduction", "/preview", "/export", "/download", "/compare", "/decode"]
)
@pytest.mark.parametrize("number", ["1e400", "-1e400", "9" * 400, "NaN", "Infinity"])
def test_an_infinite_number_in_a_links_settings_is_refused_in_words(
    client: FlaskClient, path: str, number: str
) -> None:
    token = pack((f'{{"s":{{"tagId":"{TAG_ID}","value":{number}}},"p":"sdk-v3","c":"","t":""}}').encode())
    cost = measure(lambda: client.get(f"{path}?s={token}"))
    assert cost.result.status_code == 400, cost.result.text[:300]
    within_budget(cost)
    assert "number JSON can't hold" in html.unescape(cost.result.text)


# -- 6: a reproduction over the form's limits ------------------------------------------------------


def test_a_reproduction_with_5000_rows_is_refused_fast_beside_the_upload(playground: Playground) -> None:
    rows = [{"from": f"Event {i}", "to": "Checkout"} for i in range(5_000)]
    document = json.dumps(
        {
            "format": FORMAT,
            "version": 1,
            "profile": "sdk-v3",
            "settings": {"tagId": TAG_ID, "eventsMapping": rows},
            "calls": CALLS,
        }
    ).encode()
    page = playground.get("/")
    typed = {"tag_id": "my own tag", "calls": "// mine\n" + CALLS}

    def open_it() -> Any:
        data = playground.form_data(page, typed) + [("action", "open-reproduction")]
        data.append(("reproduction_file", (io.BytesIO(document), "case.json")))  # type: ignore[arg-type]
        return playground.client.post("/", data=MultiDict(data), content_type="multipart/form-data")

    cost = measure(open_it)
    opened = page_of(cost.result)
    assert cost.result.status_code == 200
    within_budget(cost)
    error = opened.error("reproduction")
    assert (
        "“case.json” can't be opened" in error
        and "5,000 event mapping rows" in error
        and "at most 100" in error
    )
    assert opened.value("tag_id") == "my own tag" and opened.value("calls") == typed["calls"]
    assert len(cost.result.data) < 200_000  # the form was not built from the file


def test_a_reproduction_the_form_could_not_send_back_is_refused(playground: Playground) -> None:
    # Few rows, but events that would fill more than one field may carry.
    messages = [{"type": "track", "event": "E" * 60, "properties": {"n": "x" * 200}} for _ in range(5_000)]
    document = json.dumps(
        {"format": FORMAT, "version": 1, "settings": {"tagId": TAG_ID}, "messages": messages}
    )
    assert 1024 * 1024 < len(document) < 2 * 1024 * 1024  # a file the upload takes
    page = playground.get("/")

    def open_it() -> Any:
        data = playground.form_data(page, {"tag_id": "mine"}) + [("action", "open-reproduction")]
        data.append(("reproduction_file", (io.BytesIO(document.encode()), "events.json")))  # type: ignore[arg-type]
        return playground.client.post("/", data=MultiDict(data), content_type="multipart/form-data")

    cost = measure(open_it)
    opened = page_of(cost.result)
    assert cost.result.status_code == 200
    within_budget(cost)
    assert "at most 1 MB in one field" in opened.error("reproduction")
    assert opened.value("tag_id") == "mine" and opened.value("scenario_source") == "calls"


# -- 7: a form over the size limits ------------------------------------------------------------------


OVER = {
    "one field over 1 MB": {"calls": CALLS * 20_000},
    "the request over 2 MB, no field over": {
        "calls": "c" * 900_000,
        "messages": "m" * 900_000,
        "builder_data": "b" * 900_000,
    },
    "far over (20 MB)": {"calls": "x" * 20_000_000},
}


@pytest.mark.parametrize("encoding", ["multipart/form-data", "application/x-www-form-urlencoded"])
@pytest.mark.parametrize("case", list(OVER))
@pytest.mark.parametrize("path", ["/", "/reproduction", "/export"])
def test_an_over_large_form_comes_back_with_every_field_kept(
    playground: Playground, case: str, encoding: str, path: str
) -> None:
    page = playground.get("/")
    typed = {
        "tag_id": TAG_ID,
        "initial_traits": '{"email": "jane@example.com"}',
        "deduplication_key": "order_id",
        **OVER[case],
    }
    body, content_type = encoded(playground.form_data(page, typed) + [("action", "run")], encoding)
    cost = measure(lambda: playground.client.post(path, data=body, content_type=content_type))
    back = page_of(cost.result)
    assert cost.result.status_code == 413 and cost.result.mimetype == "text/html"
    within_budget(cost)
    for name in ("tag_id", "initial_traits", "deduplication_key"):
        assert back.value(name) == typed[name], name
    assert "Nothing was run" in back.soup.select_one(".notice").get_text()
    big = max(OVER[case], key=lambda name: len(OVER[case][name]))
    error = back.error(big)
    assert ("at most 1 MB in one field" in error) or (
        "the 2 MB the playground accepts per request" in error
    ), error
    kept = back.value(big)
    if len(typed[big]) <= 1024 * 1024:
        assert kept == typed[big]  # nothing cut: all of it is back
    else:
        assert kept and typed[big].startswith(kept.replace("\r\n", "\n"))  # the head that fits


def test_live_updates_of_an_over_large_form_answer_json_with_the_field(playground: Playground) -> None:
    page = playground.get("/")
    body, content_type = encoded(
        playground.form_data(page, {"tag_id": TAG_ID, "calls": CALLS * 20_000}), "multipart/form-data"
    )
    cost = measure(lambda: playground.client.post("/render", data=body, content_type=content_type))
    assert cost.result.status_code == 413
    within_budget(cost)
    answer = cost.result.get_json()
    assert answer["ok"] is False and answer["results_html"] is None
    assert "at most 1 MB in one field" in answer["errors"]["calls"][0]


def test_a_form_within_the_limits_is_read_as_before(app: Flask, playground: Playground) -> None:
    # Just under both limits: runs, nothing refused (the reading above must not cut what fits).
    limit = app.config["MAX_FORM_MEMORY_SIZE"]
    script = (CALLS * (limit // len(CALLS)))[:190_000]
    page = playground.get("/")
    # A field of just under 1 MB (UTF-8; URL-encoding triples "é", which would pass 2 MB in all).
    for encoding, data_text in (
        ("multipart/form-data", "é" * (limit // 2 - 10)),
        ("application/x-www-form-urlencoded", "e" * (limit - 20)),
    ):
        data = MultiDict(
            playground.form_data(page, {"tag_id": TAG_ID, "calls": script, "builder_data": data_text})
            + [("action", "run")]
        )
        done = page_of(playground.client.post("/", data=data, content_type=encoding))
        assert done.response.status_code == 200, encoding
        assert done.value("calls") == script and done.value("builder_data") == data_text
