"""POST /api/v1/replay with the server path: cloud and dedup when RudderStack's servers send the
events too (cloud or hybrid mode, or a separate cloud destination), neither key otherwise."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

import pytest
from bs4 import BeautifulSoup
from flask.testing import FlaskClient

from tests.web import test_api

# test_api's fixtures: the served document, and answers validated against it
spec, check, post = test_api.spec, test_api.check, test_api.post

TID = "2612345678901"
CALLS = (
    'rudderanalytics.page("Pricing");\n'
    'rudderanalytics.identify("user-1", {email: " Jane.Doe@example.com"});\n'
    'rudderanalytics.track("Order Completed", {revenue: 10, currency: "USD", order_id: "o-1"});'
)
HYBRID = {
    "tagId": TID,
    "connectionMode": {"web": "hybrid"},
    "advertiserId": "549760000000",
    "sendingUnHashedData": True,
    "deduplicationKey": "properties.order_id",
}


def replay(client: FlaskClient, check: Callable[..., Any], body: dict[str, Any], status: int = 200) -> Any:
    return check(post(client, "/replay", body), "/replay", status)


def verdicts(answer: dict[str, Any]) -> list[tuple[str, str]]:
    return [(pair["type"], pair["verdict"]) for pair in answer["dedup"]["pairs"]]


def test_a_hybrid_destination_answers_both_paths_with_verdicts(
    client: FlaskClient, check: Callable[..., Any]
) -> None:
    answer = replay(client, check, {"settings": HYBRID, "profile": "sdk-v3", "calls": CALLS})
    assert list(answer)[-2:] == ["cloud", "dedup"]
    assert len(answer["cloud"]) == len(answer["messages"]) == 3
    page, identify, order = answer["cloud"]
    assert [r["body"]["event_name"] for r in page["requests"]] == ["page_visit"]
    assert identify["status"] == 400 and "message type identify is not supported" in identify["error"]
    [request] = order["requests"]
    assert request["endpoint"] == "https://ct.pinterest.com/events/v3"
    assert (request["body"]["event_name"], request["body"]["event_id"]) == ("checkout", "o-1")
    # unhashed data sent: the servers hash the trimmed, lower-cased e-mail as the tag does
    assert request["body"]["user_data"]["em"] == [hashlib.sha256(b"jane.doe@example.com").hexdigest()]
    dedup = answer["dedup"]
    assert verdicts(answer) == [("page", "deduplicated"), ("identify", "not-sent"), ("track", "deduplicated")]
    assert dedup["summary"] == "All 2 events will be deduplicated"
    assert (dedup["browser_sends"], dedup["server_sends"]) == (True, True)
    assert dedup["pairs"][2]["browser"] == {"event": "Checkout", "event_id": "o-1"}
    assert dedup["pairs"][2]["server"] == {"event_name": "checkout", "event_id": "o-1"}


def test_cloud_mode_alone_is_server_only(client: FlaskClient, check: Callable[..., Any]) -> None:
    cloud = {**HYBRID, "connectionMode": {"web": "cloud"}}
    answer = replay(client, check, {"settings": cloud, "profile": "sdk-v3", "calls": CALLS})
    assert verdicts(answer)[2] == ("track", "server-only")
    assert answer["dedup"]["browser_sends"] is False


@pytest.mark.parametrize(
    "body",
    [
        {"settings": {"tagId": TID}, "calls": CALLS},
        {"settings": {**HYBRID, "connectionMode": {"web": "device"}}, "calls": CALLS},
        {"pintrk": [["load", TID], ["page"]]},
    ],
    ids=["no-cloud-keys", "device-mode", "pintrk-calls"],
)
def test_a_device_answer_has_neither_key(
    client: FlaskClient, check: Callable[..., Any], body: dict[str, Any]
) -> None:
    answer = replay(client, check, body)
    assert "cloud" not in answer and "dedup" not in answer
    assert answer["requests"]  # the browser's path is answered as ever


def test_a_separate_cloud_destination_with_another_key_counts_twice_until_fixed(
    client: FlaskClient, check: Callable[..., Any]
) -> None:
    settings = {"tagId": TID, "deduplicationKey": "properties.order_id"}  # device mode
    cloud = {"advertiserId": "549760000000", "deduplicationKey": "messageId", "sendingUnHashedData": True}
    body = {"settings": settings, "cloudSettings": cloud, "profile": "sdk-v3", "calls": CALLS}
    answer = replay(client, check, body)
    order = answer["dedup"]["pairs"][2]
    assert order["verdict"] == "count-twice" and order["words"] == "will count twice"
    assert answer["dedup"]["summary"] == "1 of 2 events will count twice"
    assert order["browser"]["event_id"] == "o-1" and order["server"]["event_id"] != "o-1"
    [reason] = [r for r in order["reasons"] if not r["note"]]
    assert reason["kind"] == "event-id-differs"
    fix = reason["fix"]
    assert (fix["destination"], fix["key"], fix["value"]) == (
        "cloudSettings",
        "deduplicationKey",
        "properties.order_id",
    )
    # The fix, applied where it says, turns the verdict.
    fixed = {**body, fix["destination"]: {**cloud, fix["key"]: fix["value"]}}
    assert replay(client, check, fixed)["dedup"]["pairs"][2]["verdict"] == "deduplicated"


def test_a_reproduction_with_cloud_settings_answers_the_server_path(
    client: FlaskClient, check: Callable[..., Any]
) -> None:
    reproduction = {
        "format": "pintrk-playground/reproduction",
        "version": 1,
        "profile": "sdk-v3",
        "settings": {"tagId": TID},
        "cloudSettings": {"advertiserId": "549760000000"},
        "calls": CALLS,
    }
    answer = replay(client, check, reproduction)
    assert len(answer["cloud"]) == 3 and answer["dedup"]["server_sends"] is True


@pytest.mark.parametrize(
    ("cloud_settings", "status", "code", "location"),
    [
        (
            {"eventsMapping": [{"from": "a", "to": 5}]},
            422,
            "invalid-settings",
            "cloudSettings.eventsMapping[0].to",
        ),
        ({"deduplicationKey": 5}, 422, "invalid-settings", "cloudSettings.deduplicationKey"),
        ({"connectionMode": {"web": "both"}}, 422, "invalid-settings", "cloudSettings.connectionMode.web"),
        ('{"advertiserId": "549760000000"}', 400, "invalid-field", "cloudSettings"),
        ([], 400, "invalid-field", "cloudSettings"),
    ],
)
def test_bad_cloud_settings_are_refused_where_they_are(
    client: FlaskClient,
    check: Callable[..., Any],
    cloud_settings: Any,
    status: int,
    code: str,
    location: str,
) -> None:
    body = {"settings": {"tagId": TID}, "cloudSettings": cloud_settings, "calls": CALLS}
    error = replay(client, check, body, status)["error"]
    assert (error["code"], error["location"]) == (code, location), error
    if status == 400:
        assert "cloud-mode destination" in error["message"]


def test_pintrk_calls_take_no_cloud_settings(client: FlaskClient, check: Callable[..., Any]) -> None:
    body = {"pintrk": [["load", TID]], "cloudSettings": {"advertiserId": "549760000000"}}
    error = replay(client, check, body, 400)["error"]
    assert (error["code"], error["location"]) == ("conflicting-fields", "pintrk")


@pytest.mark.parametrize("where", ["settings", "cloudSettings"])
def test_an_event_mapped_by_many_rows_counts_its_copies(
    client: FlaskClient, check: Callable[..., Any], where: str
) -> None:
    """Each eventsMapping row that maps an event sends it whole again: the copies count against
    the API's budget, refused before any work and located at the rows."""
    rows = [{"from": "Big", "to": f"E{i}"} for i in range(100)]
    message = {
        "type": "track",
        "event": "Big",
        "messageId": "m1",
        "channel": "web",
        "timestamp": "2024-05-01T10:00:00Z",
        "properties": {"items": list(range(20_000))},
        "context": {"traits": {"email": "a@b.co"}},
    }
    cloud = {"advertiserId": "549760000000", "eventsMapping": rows}
    if where == "settings":
        body = {
            "settings": {"tagId": TID, "connectionMode": {"web": "cloud"}, **cloud},
            "messages": [message],
        }
    else:
        body = {"settings": {"tagId": TID}, "cloudSettings": cloud, "messages": [message]}
    error = replay(client, check, body, 413)["error"]
    assert (error["code"], error["location"]) == ("over-budget", f"{where}.eventsMapping")
    few = {**body, where: {**body[where], "eventsMapping": rows[:2]}}
    answer = replay(client, check, few)
    assert len(answer["cloud"][0]["requests"]) == 2, answer["cloud"][0]


def test_the_help_page_names_the_cloud_command_and_the_new_keys(client: FlaskClient) -> None:
    response = client.get("/help")
    assert response.status_code == 200
    soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    cli = soup.find("section", attrs={"aria-labelledby": "cli"})
    assert cli is not None
    text = cli.get_text(" ", strip=True)
    assert "python -m app.pintrk cloud FILE [--batch]" in text
    assert "cloudSettings" in text and " cloud " in text and " dedup " in text
