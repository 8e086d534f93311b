"""Cloud mode's settings on the form: where events are sent, the Conversions API's fields and a
separate cloud destination's config. Each round-trips (form → scenario document → form), a pasted
config fills them, and a problem is shown beside its field."""

from __future__ import annotations

import json
from typing import Any

import pytest
from flask.testing import FlaskClient

from app.pintrk import MAX_LINE_LENGTH
from app.web.permalink import decode
from app.web.state import PlaygroundState
from tests.web.pages import Page, Playground, textarea_value

CALLS = 'rudderanalytics.track("Order Completed", {"order_id": "o-1"});'
DEVICE = {"tagId": "2612345678901", "enhancedMatch": False}


def _linked(page: Page) -> dict[str, Any]:
    """What the page's link holds (the state the form gave)."""
    link = page.soup.find(id="copy-link")
    assert link is not None and link.get("href"), "the page has no link"
    return decode(str(link["href"]).split("s=", 1)[1])


def _filled(playground: Playground, config: dict[str, Any]) -> Page:
    page = playground.submit(
        playground.get(), "fill-from-config", {"settings_json": json.dumps(config), "calls": CALLS}
    )
    assert page.response.status_code == 200
    assert not page.error("settings_json"), page.error("settings_json")
    return page


@pytest.mark.parametrize(
    ("field", "value", "key", "expected"),
    [
        ("connection_mode", "cloud", "connectionMode", {"web": "cloud"}),
        ("connection_mode", "hybrid", "connectionMode", {"web": "hybrid"}),
        ("advertiser_id", "549765000000", "advertiserId", "549765000000"),
        ("ad_account_id", "549765000001", "adAccountId", "549765000001"),
        ("conversion_token", "pina_abc", "conversionToken", "<token>"),
        ("api_version", "newApi", "apiVersion", "newApi"),
        ("app_id", "429047995", "appId", "429047995"),
        ("sending_unhashed_data", True, "sendingUnHashedData", True),
        ("send_as_test_event", True, "sendAsTestEvent", True),
        ("send_external_id", True, "sendExternalId", True),
    ],
)
def test_each_cloud_field_round_trips(
    playground: Playground, field: str, value: Any, key: str, expected: Any
) -> None:
    page = playground.submit(
        playground.get(), changes={"tag_id": "2612345678901", field: value, "calls": CALLS}
    )
    settings = _linked(page)["s"]
    assert settings[key] == expected
    # The form shows it again (a checkbox ticked, the option chosen), and the next round trip keeps it.
    shown = page.fields.get(field)
    assert shown == ("y" if value is True else expected if field == "conversion_token" else value)
    again = playground.submit(page)
    assert _linked(again)["s"] == settings
    # Opening the link gives the same form.
    opened = playground.get(str(page.soup.find(id="copy-link")["href"]))
    assert opened.fields.get(field) == shown


def test_a_device_mode_config_gains_no_cloud_keys(playground: Playground) -> None:
    page = _filled(playground, DEVICE)
    assert page.value("connection_mode") == "device"
    assert set(_linked(page)["s"]) == {
        "tagId",
        "enhancedMatch",
        "customProperties",
        "eventsMapping",
        "sendAsCustomEvent",
    }


def test_the_connection_mode_reflects_a_pasted_config(playground: Playground) -> None:
    page = _filled(playground, {**DEVICE, "connectionMode": {"web": "hybrid"}})
    checked = page.soup.select('input[name="connection_mode"][checked]')
    assert [box["value"] for box in checked] == ["hybrid"]
    assert _linked(page)["s"]["connectionMode"] == {"web": "hybrid"}


def test_a_pasted_cloud_config_round_trips_exactly(playground: Playground) -> None:
    config = {
        **DEVICE,
        "customProperties": [],
        "eventsMapping": [{"from": "Order Completed", "to": "Checkout"}],
        "sendAsCustomEvent": True,
        "deduplicationKey": "properties.order_id",
        "connectionMode": {"web": "hybrid"},
        "advertiserId": "",  # empty, not absent: a different refusal on the cloud path
        "adAccountId": "549765000001",
        "conversionToken": "",
        "apiVersion": "legacyApi",  # shown as v3, as an absent one, and given back as it was
        "appId": "",
        "sendingUnHashedData": True,
        "sendAsTestEvent": True,
        "sendExternalId": True,
        "blacklistedEvents": [{"eventName": "x"}],  # a key the integration doesn't read
    }
    page = _filled(playground, config)
    assert page.value("api_version") == "" and page.value("advertiser_id") == ""
    assert _linked(page)["s"] == config
    assert _linked(playground.submit(page))["s"] == config


def test_an_api_version_rudderstack_does_not_name_is_kept(playground: Playground) -> None:
    page = _filled(playground, {**DEVICE, "apiVersion": "v4"})
    options = [option["value"] for option in page.soup.select("select#api_version option")]
    assert options == ["", "newApi", "v4"]
    assert page.value("api_version") == "v4"
    assert _linked(playground.submit(page))["s"]["apiVersion"] == "v4"


def test_a_wrong_connection_mode_is_refused_beside_its_field(playground: Playground) -> None:
    page = playground.submit(playground.get(), changes={"connection_mode": "server", "calls": CALLS})
    assert 'must be "device", "cloud" or "hybrid"' in page.error("connection_mode")
    assert page.soup.find(id="connection_mode-0")["aria-describedby"].endswith("error-connection_mode")


@pytest.mark.parametrize("field", ["advertiser_id", "ad_account_id", "app_id"])
def test_a_cloud_id_too_long_is_refused_beside_its_field(playground: Playground, field: str) -> None:
    page = playground.submit(playground.get(), changes={field: "9" * (MAX_LINE_LENGTH + 1), "calls": CALLS})
    assert f"at most {MAX_LINE_LENGTH:,}" in page.error(field)
    assert page.value(field) == "9" * (MAX_LINE_LENGTH + 1)  # nothing typed is lost
    assert page.soup.find("input", id=field)["aria-invalid"] == "true"


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ('{"tagId": 5}', "“tagId” must be a string"),
        ('{"connectionMode": {"web": "servers"}}', "“connectionMode.web” must be"),
        ('{"advertiserId": ', "not valid JSON"),
        ("[1, 2]", "must be a JSON object"),
    ],
)
def test_a_wrong_cloud_destination_config_is_refused_beside_it(
    playground: Playground, text: str, error: str
) -> None:
    page = playground.submit(
        playground.get(), changes={"tag_id": "2612345678901", "cloud_settings": text, "calls": CALLS}
    )
    assert error in page.error("cloud_settings")
    assert textarea_value(page.soup.find("textarea", id="cloud_settings")) == text
    assert page.soup.find("details", id="field-cloud_settings").has_attr("open")


def test_the_cloud_destination_config_is_in_the_scenario_document(
    playground: Playground, client: FlaskClient
) -> None:
    cloud = '{"advertiserId": "549765000000",\n "connectionMode": {"web": "cloud"}}'
    page = playground.submit(
        playground.get(), changes={"tag_id": "2612345678901", "cloud_settings": cloud, "calls": CALLS}
    )
    linked = _linked(page)
    assert linked["d"] == cloud  # as typed
    state = PlaygroundState.from_token(str(page.soup.find(id="copy-link")["href"]).split("s=", 1)[1])
    scenario = state.run().scenario
    assert scenario is not None and scenario.cloud_settings is not None
    assert scenario.cloud_settings.advertiser_id == "549765000000"
    assert scenario.server_settings.connection_mode == "cloud"
    assert scenario.settings.connection_mode == "device"
    # Kept in the log export, and in a reproduction that opens with it again.
    data = dict(playground.form_data(page))
    exported = json.loads(client.post("/export", data=data).get_data(as_text=True))
    assert json.loads(exported["cloud_settings"])["advertiserId"] == "549765000000"
    saved = client.post("/reproduction", data=data).get_data(as_text=True)
    assert json.loads(saved)["cloudSettings"] == json.loads(cloud)
    opened = playground.submit(playground.get(), "open-reproduction", {"reproduction_text": saved})
    assert json.loads(opened.value("cloud_settings"))["advertiserId"] == "549765000000"
    assert _linked(opened)["d"]


def test_without_javascript_every_cloud_field_is_in_the_page(playground: Playground) -> None:
    page = playground.get()
    fieldset = page.soup.find("fieldset", id="field-cloud")
    assert fieldset is not None and not fieldset.has_attr("hidden")
    names = {control["name"] for control in fieldset.select("input, select, textarea") if control.get("name")}
    assert names == {
        "advertiser_id",
        "ad_account_id",
        "conversion_token",
        "api_version",
        "app_id",
        "sending_unhashed_data",
        "send_as_test_event",
        "send_external_id",
        "kept_settings",
        "cloud_settings",
    }
    for control in fieldset.select("input:not([type=hidden]), select, textarea"):
        label = page.soup.find("label", attrs={"for": control["id"]})
        assert label is not None and label.get_text(strip=True), control["id"]
        hint = page.soup.find(id=f"hint-{control['name']}")
        assert hint is not None and f"hint-{control['name']}" in control["aria-describedby"]
