"""The conversion token never appears in clear: not in a page, a link, a redirect, an export, a
reproduction or a log line, whichever way it came in (the form without JavaScript, the live
update, a pasted config, the cloud destination's config, the JSON API, a crafted link)."""

from __future__ import annotations

import json
import logging
import re
from typing import Any

import pytest
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from app.web.permalink import PermalinkError, decode, encode
from tests.web.pages import Page, Playground, textarea_value

SECRET = "pina_SECRET1234567890"
MASKED = "<token>"
_TOKEN_IN_TEXT = re.compile(r"[?&;]s=([A-Za-z0-9_.-]{2,})")
CALLS = 'rudderanalytics.identify("u1", {"email": "jane@example.com"});\nrudderanalytics.track("Order Completed", {"order_id": "o-1"});'
CLOUD_CONFIG = {
    "advertiserId": "549765000000",
    "adAccountId": "549765000001",
    "conversionToken": SECRET,
    "apiVersion": "newApi",
    "connectionMode": {"web": "cloud"},
}


def assert_never_in_clear(text: str) -> None:
    """``text`` (a page, a JSON answer, a file) holds no token, and no link in it holds one."""
    assert SECRET not in text
    assert "SECRET1234" not in text  # not even a part of it
    for token in _TOKEN_IN_TEXT.findall(text):
        try:
            linked = decode(token)
        except PermalinkError:
            continue
        assert "SECRET1234" not in json.dumps(linked), f"a link in the answer holds the token: {token[:40]}…"


def assert_answer_clean(response: TestResponse) -> None:
    assert_never_in_clear(response.get_data(as_text=True))
    for name, value in response.headers.items():
        assert "SECRET1234" not in value, f"header {name}"
        if name == "Location":
            assert_never_in_clear(value)


@pytest.fixture(autouse=True)
def _every_log_line(caplog: pytest.LogCaptureFixture) -> Any:
    """Every test here also checks what was logged, at every level."""
    caplog.set_level(logging.DEBUG)
    yield
    for record in caplog.records:
        assert "SECRET1234" not in record.getMessage(), record.name
        assert "SECRET1234" not in repr(record.args), record.name


def _with_token(playground: Playground) -> Page:
    page = playground.get()
    return playground.submit(
        page,
        changes={
            "tag_id": "2612345678901",
            "connection_mode": "hybrid",
            "advertiser_id": "549765000000",
            "conversion_token": SECRET,
            "calls": CALLS,
        },
    )


def test_the_form_without_javascript_shows_the_token_masked(playground: Playground) -> None:
    page = _with_token(playground)
    assert page.response.status_code == 200
    assert_answer_clean(page.response)
    token_box = page.soup.find("input", id="conversion_token")
    assert token_box is not None and token_box["type"] == "password"
    assert token_box["value"] == MASKED and token_box["autocomplete"] == "off"
    assert "hint-conversion_token" in token_box["aria-describedby"]
    # The masked token goes on round trip after round trip, and stays a token ("one is there").
    again = playground.submit(page)
    assert again.value("conversion_token") == MASKED
    link = again.soup.find(id="copy-link")
    assert link is not None and link.get("href")
    settings = decode(str(link["href"]).split("s=", 1)[1])["s"]
    assert settings["conversionToken"] == MASKED and settings["connectionMode"] == {"web": "hybrid"}


def test_the_live_update_answers_with_the_token_masked(playground: Playground, client: FlaskClient) -> None:
    page = playground.get()
    data = playground.form_data(
        page,
        {"tag_id": "2612345678901", "connection_mode": "cloud", "conversion_token": SECRET, "calls": CALLS},
    )
    response = client.post("/render", data=dict(data))
    assert response.status_code == 200
    assert response.json is not None and response.json["permalink"]
    assert_answer_clean(response)
    assert decode(response.json["permalink"].split("s=", 1)[1])["s"]["conversionToken"] == MASKED


def test_a_pasted_config_fills_the_form_with_the_token_masked(playground: Playground) -> None:
    config = {"tagId": "2612345678901", **CLOUD_CONFIG}
    page = playground.submit(
        playground.get(), "fill-from-config", {"settings_json": json.dumps(config, indent=2), "calls": CALLS}
    )
    assert_answer_clean(page.response)
    assert page.value("conversion_token") == MASKED
    assert page.value("advertiser_id") == "549765000000"
    pasted = textarea_value(page.soup.find("textarea", id="settings_json"))
    assert json.loads(pasted) == {**config, "conversionToken": MASKED}  # the rest of the text as pasted
    # Pasted and not filled in (Run, a broken config): still masked, also when the JSON is unfinished.
    broken = '{"tagId": "2612345678901", "conversionToken": "' + SECRET
    for text in (
        json.dumps(config),
        broken,
        json.dumps(config).replace("conversionToken", "conversion\\u0054oken"),
    ):
        shown = playground.submit(playground.get(), "run", {"settings_json": text})
        assert_answer_clean(shown.response)
        assert MASKED in textarea_value(shown.soup.find("textarea", id="settings_json"))


def test_the_cloud_destination_config_keeps_the_token_masked(
    playground: Playground, client: FlaskClient
) -> None:
    cloud = json.dumps(CLOUD_CONFIG)
    page = playground.submit(
        playground.get(), changes={"tag_id": "2612345678901", "cloud_settings": cloud, "calls": CALLS}
    )
    assert_answer_clean(page.response)
    shown = textarea_value(page.soup.find("textarea", id="cloud_settings"))
    assert json.loads(shown) == {**CLOUD_CONFIG, "conversionToken": MASKED}
    data = dict(playground.form_data(page, {"cloud_settings": cloud}))
    rendered = client.post("/render", data=data)
    assert_answer_clean(rendered)
    assert rendered.json is not None
    assert MASKED in decode(rendered.json["permalink"].split("s=", 1)[1])["d"]


@pytest.mark.parametrize("path", ["/export", "/reproduction"])
def test_exports_hold_the_token_masked(playground: Playground, client: FlaskClient, path: str) -> None:
    page = playground.get()
    data = playground.form_data(
        page,
        {
            "tag_id": "2612345678901",
            "connection_mode": "hybrid",
            "conversion_token": SECRET,
            "settings_json": json.dumps({"conversionToken": SECRET}),
            "cloud_settings": json.dumps(CLOUD_CONFIG),
            "calls": CALLS,
        },
    )
    response = client.post(path, data=dict(data))
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    assert_answer_clean(response)
    exported = json.loads(response.get_data(as_text=True))
    assert exported["settings"]["conversionToken"] == MASKED
    cloud = exported["cloudSettings"] if path == "/reproduction" else json.loads(exported["cloud_settings"])
    assert cloud["conversionToken"] == MASKED


def _crafted_link() -> str:
    """A link made by hand with a token in it (the playground never makes one)."""
    return encode(
        {
            "s": {"tagId": "2612345678901", "conversionToken": SECRET, "connectionMode": {"web": "hybrid"}},
            "p": "sdk-v3",
            "c": CALLS,
            "t": "",
            "d": json.dumps(CLOUD_CONFIG),
        }
    )


@pytest.mark.parametrize(
    "path", ["/", "/export", "/reproduction", "/compare", "/decode", "/preview", "/download"]
)
def test_a_crafted_link_is_never_echoed_with_its_token(client: FlaskClient, path: str) -> None:
    response = client.get(f"{path}?s={_crafted_link()}")
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert_answer_clean(response)


def test_a_crafted_link_opens_with_the_token_masked(playground: Playground) -> None:
    page = playground.get(f"/?s={_crafted_link()}")
    assert page.value("conversion_token") == MASKED
    assert page.value("connection_mode") == "hybrid"
    assert MASKED in page.value("cloud_settings")


@pytest.mark.parametrize("path", ["/api/v1/replay", "/api/v1/compare"])
def test_the_json_api_never_answers_with_the_token(client: FlaskClient, path: str) -> None:
    body = {"settings": {"tagId": "2612345678901", "conversionToken": SECRET}, "calls": CALLS}
    response = client.post(path, json=body)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert_answer_clean(response)
    wrong = client.post(path, json={"settings": {"conversionToken": SECRET, "tagId": 5}, "calls": CALLS})
    assert wrong.status_code == 422
    assert_answer_clean(wrong)


@pytest.mark.parametrize("where", ["settings", "cloudSettings"])
def test_the_json_api_sends_the_server_path_with_the_token_masked(client: FlaskClient, where: str) -> None:
    """The Conversions API requests in /replay's answer carry the token (v5) as <token> only."""
    hybrid = {"tagId": "2612345678901", **CLOUD_CONFIG, "connectionMode": {"web": "hybrid"}}
    body: dict[str, Any] = (
        {"settings": hybrid, "calls": CALLS}
        if where == "settings"
        else {"settings": {"tagId": "2612345678901"}, "cloudSettings": CLOUD_CONFIG, "calls": CALLS}
    )
    response = client.post("/api/v1/replay", json=body)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert_answer_clean(response)
    assert response.json is not None
    [request] = response.json["cloud"][1]["requests"]
    assert request["headers"]["Authorization"] == f"Bearer {MASKED}"
    assert "/v5/ad_accounts/549765000001/events" in request["endpoint"]
    wrong = client.post("/api/v1/replay", json={**body, where: {**body[where], "appId": 5}})
    assert wrong.status_code == 422 and wrong.json is not None
    assert wrong.json["error"]["location"] == f"{where}.appId"
    assert_answer_clean(wrong)


def test_a_reproduction_with_a_token_opens_masked(playground: Playground) -> None:
    reproduction = {
        "format": "pintrk-playground/reproduction",
        "version": 1,
        "profile": "sdk-v3",
        "settings": {"tagId": "2612345678901", "conversionToken": SECRET},
        "cloudSettings": CLOUD_CONFIG,
        "calls": CALLS,
    }
    page = playground.submit(
        playground.get(), "open-reproduction", {"reproduction_text": json.dumps(reproduction)}
    )
    assert_answer_clean(page.response)
    assert page.value("conversion_token") == MASKED
    assert json.loads(page.value("cloud_settings"))["conversionToken"] == MASKED
    # Refused (and so given back as pasted): masked too.
    refused = playground.submit(
        playground.get(),
        "open-reproduction",
        {"reproduction_text": json.dumps({**reproduction, "version": 9})},
    )
    assert refused.error("reproduction")
    assert_answer_clean(refused.response)
