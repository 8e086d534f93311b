"""The results panel's server path and deduplication check, as a browser without JavaScript sees it:
shown only when RudderStack's servers send the events, each server request after its call's rows,
and the suggested fix applied by its button (a forged button value changes nothing)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.web.pages import Page, Playground

TAG_ID = "2612345678901"
CALLS = (
    'rudderanalytics.identify("u-1", {email: "jane@example.com"});\n'
    'rudderanalytics.track("Order Completed", {order_id: "ord-1", revenue: 30});'
)
SERVER = {"connectionMode": {"web": "cloud"}, "advertiserId": "549764492980", "sendingUnHashedData": True}


def _run(playground: Playground, **changes: Any) -> Page:
    form = {
        "tag_id": TAG_ID,
        "profile": "sdk-v3",
        "advertiser_id": "549764492980",
        "sending_unhashed_data": True,
        "calls": CALLS,
        **changes,
    }
    page = playground.submit(playground.get(), changes=form)
    assert page.response.status_code == 200
    return page


def _row_kinds(page: Page) -> list[str]:
    rows = page.soup.select("table.log > tbody > tr.log-row, table.log > tbody > tr.server-row")
    return ["S" if "server-row" in row["class"] else str(row["data-calls-json"])[:20] for row in rows]


def test_device_mode_shows_no_server_path(playground: Playground) -> None:
    page = _run(playground, connection_mode="device")
    assert page.soup.select("tr.server-row") == []
    assert page.soup.find(id="dedup-heading") is None


def test_hybrid_mode_puts_each_server_request_after_its_call(playground: Playground) -> None:
    page = _run(playground, connection_mode="hybrid")
    # load, page, identify's set (no server event: rejected → S), LDP set, track, then its request
    expected = ['["load","2612345678901"]', '["page"]', '["set",{"em":"jane@example.com"', "S"]
    expected += ['["set",{"opt_out_type":""', '["track","Checkout",{', "S"]
    assert _row_kinds(page) == [kind[:20] for kind in expected]
    rejected, sent = page.soup.select("tr.server-row")
    assert "message type identify is not supported" in rejected.get_text()
    assert "POST /events/v3" in sent.get_text()
    assert (
        page.soup.select_one(".dedup-top")
        .get_text(" ", strip=True)
        .startswith("Browser and server: The event will be deduplicated")
    )
    pairs = page.soup.select(".dedup-pair")
    assert [p["class"][1] for p in pairs] == ["verdict-not-sent", "verdict-deduplicated"]


def test_the_fix_button_sets_the_server_destinations_key(playground: Playground) -> None:
    page = _run(
        playground,
        connection_mode="device",
        deduplication_key="properties.order_id",
        cloud_settings=json.dumps(SERVER),
    )
    (pair,) = page.soup.select(".dedup-pair.verdict-count-twice")
    button = pair.find("button", attrs={"name": "action"})
    assert button is not None and button["value"] == "set-dedup-key:cloudSettings:properties.order_id"
    fixed = playground.submit(page, str(button["value"]))
    assert [p["class"][1] for p in fixed.soup.select(".dedup-pair")][1:] == ["verdict-deduplicated"]
    assert json.loads(fixed.value("cloud_settings")) == {**SERVER, "deduplicationKey": "properties.order_id"}
    assert fixed.value("calls") == CALLS


@pytest.mark.parametrize(
    "action",
    [
        "set-dedup-key:",
        "set-dedup-key:bogus:x",
        "set-dedup-key:cloudSettings:",
        "set-dedup-key:cloudSettings:x",
    ],
)
def test_a_forged_fix_changes_nothing_and_says_so(playground: Playground, action: str) -> None:
    page = _run(playground, connection_mode="hybrid")  # no separate destination to change
    after = playground.submit(page, action)
    assert after.response.status_code == 200
    assert after.value("cloud_settings") == ""
    assert after.value("deduplication_key") == ""
    assert "The deduplication key was not changed" in after.soup.get_text()


def test_the_fix_on_this_destination_fills_its_field(playground: Playground) -> None:
    page = _run(playground, connection_mode="hybrid")
    after = playground.submit(page, "set-dedup-key:settings:properties.order_id")
    assert after.value("deduplication_key") == "properties.order_id"


def test_the_log_export_and_the_reproduction_carry_the_verdicts(playground: Playground, client) -> None:
    page = _run(
        playground,
        connection_mode="device",
        deduplication_key="properties.order_id",
        cloud_settings=json.dumps(SERVER),
    )
    data = dict(playground.form_data(page))
    exported = json.loads(client.post("/export", data=data).get_data(as_text=True))
    assert [entry["status"] for entry in exported["cloud"]] == [400, 200]
    assert exported["cloud"][1]["requests"][0]["body"]["event_name"] == "checkout"
    assert exported["dedup"]["summary"] == "1 of 1 event will count twice"
    assert exported["dedup"]["pairs"][1]["reasons"][0]["fix"]["value"] == "properties.order_id"

    saved = client.post("/reproduction", data=data).get_data(as_text=True)
    found = json.loads(saved)["dedupCheck"]
    assert found["counts"]["count-twice"] == 1 and found["pairs"][1]["verdict"] == "count-twice"
    # Opening it works the verdicts out again (the saved ones are for the ticket's reader).
    opened = playground.submit(playground.get(), "open-reproduction", {"reproduction_text": saved})
    assert [p["class"][1] for p in opened.soup.select(".dedup-pair")] == [
        "verdict-not-sent",
        "verdict-count-twice",
    ]


def test_device_only_exports_have_no_server_keys(playground: Playground, client) -> None:
    page = _run(playground, connection_mode="device")
    data = dict(playground.form_data(page))
    exported = json.loads(client.post("/export", data=data).get_data(as_text=True))
    assert "cloud" not in exported and "dedup" not in exported
    assert "dedupCheck" not in json.loads(client.post("/reproduction", data=data).get_data(as_text=True))


def test_support_pastes_a_customers_events_and_both_configs(playground: Playground) -> None:
    """Live Events as the customer's servers received them (request_ip, userAgent, the e-mail in
    context.traits), the browser destination's config and the cloud destination's: the verdicts."""
    context = {"traits": {"email": "Jane@Example.com "}, "userAgent": "Mozilla/5.0", "page": {}}
    sent = {"channel": "web", "context": context, "originalTimestamp": "2026-11-30T10:00:00.000Z"}
    events = [
        {"type": "page", "name": "Home", "messageId": "m-1", **sent},
        {
            "type": "track",
            "event": "Order Completed",
            "messageId": "m-2",
            "request_ip": "198.51.100.4",
            "properties": {"order_id": "ord-9", "revenue": 20, "currency": "USD"},
            **sent,
        },
    ]
    browser = {"tagId": TAG_ID, "deduplicationKey": "properties.order_id"}
    server = {**SERVER, "sendingUnHashedData": False}
    page = playground.submit(
        playground.get(),
        "use-events",
        {
            "settings_json": json.dumps(browser),
            "profile": "sdk-v3",
            "messages": json.dumps(events),
            "cloud_settings": json.dumps(server),
        },
    )
    page = playground.submit(page, "fill-from-config")
    pairs = page.soup.select(".dedup-pair")
    assert [p["class"][1] for p in pairs] == ["verdict-deduplicated", "verdict-count-twice"]
    reasons = [li["data-reason"] for li in pairs[1].select(".dedup-reason")]
    # event_id ord-9 against m-2; and the server sends the e-mail as given (unhashed data off)
    assert reasons == ["event-id-differs", "em-not-hashed"]
    assert "Jane@Example.com " in pairs[1].get_text()


def test_the_check_links_to_every_profile_and_mode(playground: Playground, client) -> None:
    page = _run(playground, connection_mode="hybrid")
    link = page.soup.find(id="modes-link")
    assert (
        link is not None and link["href"].startswith("/compare?s=") and link["href"].endswith("&view=modes")
    )
    grid = client.get(link["href"])
    assert grid.status_code == 200 and "will be deduplicated" in grid.get_data(as_text=True)
