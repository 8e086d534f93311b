"""Hostile cost, finding 1 of issue 11 ("Quadratic scans"), replayed in-process.

Each case is a small input that used to hold the only worker for seconds (or, for the link,
until gunicorn killed it): an unclosed string of escaped quotes in a link, an API body or
the initial traits; 300 KB of ``(`` in the decode box; a long call script that the fast JSON5
reader refuses; a beacon name nested thousands of levels deep.  Each must answer below 500,
in under a second in-process, with under 100 MB of peak memory, keeping what was typed.
"""

from __future__ import annotations

import html
import json

import pytest
from flask.testing import FlaskClient
from werkzeug.datastructures import MultiDict
from werkzeug.test import TestResponse

from app.web.permalink import pack
from tests.costs import MEMORY_BUDGET, TIME_BUDGET, Cost, measure
from tests.web.pages import csrf_token_in, soup_of, textarea_value

ESCAPED_QUOTES = lambda n: '{"' + '\\"' * n  # noqa: E731  an unclosed string full of \"

# The reported link: 1 MB of escaped quotes once decompressed, 1.3 KB as a link.
LINK = pack(ESCAPED_QUOTES(500_000).encode())
LINK_PAGES = ["/", "/preview", "/reproduction", "/export", "/download", "/compare", "/decode"]
TAG_ID = "2612345678901"


def within_budget(cost: Cost) -> TestResponse:
    response = cost.result
    assert response.status_code < 500, response.text[:500]
    assert cost.seconds < TIME_BUDGET, f"took {cost}"
    assert cost.peak_bytes < MEMORY_BUDGET, f"took {cost}"
    return response


def form_post(client: FlaskClient, path: str, fields: list[tuple[str, str]]) -> TestResponse:
    token = csrf_token_in(client.get("/").text)
    return client.post(path, data=MultiDict([("csrf_token", token), *fields]))


def typed(response: TestResponse, name: str) -> str:
    """What the page's text box ``name`` holds."""
    box = soup_of(response).find("textarea", attrs={"name": name})
    assert box is not None, f"no text box {name}"
    return textarea_value(box)


def test_the_link_is_small() -> None:
    assert len(LINK) < 1400


@pytest.mark.parametrize("page", LINK_PAGES)
def test_a_link_of_escaped_quotes_is_refused_quickly_on_every_page(client: FlaskClient, page: str) -> None:
    response = within_budget(measure(lambda: client.get(page, query_string={"s": LINK})))
    assert response.status_code == 400
    assert "damaged" in response.text or "never closed" in response.text


def test_an_api_body_with_an_unclosed_string_is_refused_quickly(client: FlaskClient) -> None:
    body = '{"settings": ' + ESCAPED_QUOTES(16_000)  # 32 KB
    response = within_budget(
        measure(lambda: client.post("/api/v1/replay", data=body, content_type="application/json"))
    )
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "invalid-json"
    assert "never closed" in response.get_json()["error"]["message"]


def test_initial_traits_with_an_unclosed_string_live_update_quickly(client: FlaskClient) -> None:
    traits = ESCAPED_QUOTES(16_000)  # 32 KB
    fields = [("tag_id", TAG_ID), ("initial_traits", traits)]
    response = within_budget(measure(lambda: form_post(client, "/render", fields)))
    data = response.get_json()
    assert data["ok"] is False
    assert "never closed" in " ".join(data["errors"]["initial_traits"])


def test_initial_traits_with_an_unclosed_string_come_back_in_the_page(client: FlaskClient) -> None:
    traits = ESCAPED_QUOTES(16_000)
    response = within_budget(
        measure(lambda: form_post(client, "/", [("tag_id", TAG_ID), ("initial_traits", traits)]))
    )
    assert typed(response, "initial_traits") == traits
    assert "never closed" in response.text


PARENS = "(" * 300_000


def test_a_run_of_parentheses_in_the_decode_box_is_read_quickly_and_kept(client: FlaskClient) -> None:
    response = within_budget(measure(lambda: form_post(client, "/decode", [("urls", PARENS)])))
    assert typed(response, "urls") == PARENS
    assert "No ct.pinterest.com beacon URLs were found" in response.text


def test_a_run_of_parentheses_through_the_api_is_read_quickly(client: FlaskClient) -> None:
    response = within_budget(measure(lambda: client.post("/api/v1/decode", json={"text": PARENS})))
    assert response.status_code == 200
    assert response.get_json()["beacons"] == []


# A long call script the compiled JSON5 reader refuses (a variable at the very end) used to be
# explained by json5, in pure Python: ~30 µs a character, seconds for the 200,000 allowed.
LONG_SCRIPT = "rudderanalytics.track('Order', {" + "a: 1, " * 30_000 + "email: userEmail});"


def test_a_long_call_script_with_a_mistake_is_explained_quickly(client: FlaskClient) -> None:
    assert len(LONG_SCRIPT) < 200_000
    response = within_budget(
        measure(lambda: form_post(client, "/", [("tag_id", TAG_ID), ("calls", LONG_SCRIPT)]))
    )
    assert typed(response, "calls") == LONG_SCRIPT
    assert '"userEmail" is not a value' in html.unescape(response.text)


def test_a_long_call_script_with_a_mistake_through_the_api(client: FlaskClient) -> None:
    body = {"settings": {"tagId": TAG_ID}, "calls": LONG_SCRIPT}
    response = within_budget(measure(lambda: client.post("/api/v1/replay", json=body)))
    assert response.status_code == 422
    assert '"userEmail" is not a value' in response.get_json()["error"]["message"]


# Calls of 3 KB, each with a number only json5 reads: json5 used to read every one of them.
OVERFLOWING = "rudderanalytics.track('Order', [" + "1, " * 1_000 + "1e400]);\n"


def test_many_calls_that_need_the_slow_reader_stay_quick(client: FlaskClient) -> None:
    script = OVERFLOWING * 60
    assert len(script) < 200_000
    body = {"settings": {"tagId": TAG_ID}, "calls": script}
    response = within_budget(measure(lambda: client.post("/api/v1/replay", json=body)))
    assert response.status_code == 422
    assert '"1e400" is not a number' in response.get_json()["error"]["message"]
    page = within_budget(measure(lambda: form_post(client, "/", [("tag_id", TAG_ID), ("calls", script)])))
    assert typed(page, "calls") == script


# ed[a][a][a]… thousands deep: the nested object was built, then walked recursively.
DEEP_BEACON = f"https://ct.pinterest.com/v3/?event=checkout&tid={TAG_ID}&ed" + "[a]" * 5_000 + "=1"


def test_a_beacon_name_nested_thousands_deep_is_a_problem_not_a_crash(client: FlaskClient) -> None:
    response = within_budget(measure(lambda: form_post(client, "/decode", [("urls", DEEP_BEACON)])))
    assert response.status_code == 200
    assert "nested 5,000 levels deep" in response.text
    assert typed(response, "urls") == DEEP_BEACON
    api = within_budget(measure(lambda: client.post("/api/v1/decode", json={"text": DEEP_BEACON})))
    assert api.status_code == 200
    assert any("nested 5,000 levels deep" in p for p in api.get_json()["beacons"][0]["problems"])
    json.dumps(api.get_json())  # a plain JSON answer
