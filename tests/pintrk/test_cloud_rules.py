"""Cloud mode's rules one at a time, on small messages (the recorded cases are in test_cloud_cases.py)."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest

from app.pintrk.cloud import CloudOrigin, route, transform
from app.pintrk.cloud.event_names import snake_case
from app.pintrk.cloud.router import MAX_BATCH_SIZE
from app.pintrk.cloud.timestamps import to_seconds
from app.pintrk.cloud.user_data import normalise_gender
from app.pintrk.settings import MASKED_TOKEN, parse_settings

V3 = {"advertiserId": "549", "sendingUnHashedData": True, "eventsMapping": []}
V5 = {"apiVersion": "newApi", "adAccountId": "acc1", "conversionToken": "secret-token", "eventsMapping": []}


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def message(**overrides: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "type": "track",
        "event": "Order Completed",
        "messageId": "m-1",
        "timestamp": "2024-05-01T10:00:00.000Z",
        "channel": "web",
        "context": {"traits": {"email": "a@b.co"}},
        "properties": {},
    }
    base.update(overrides)
    return base


def body(msg: dict[str, Any], config: dict[str, Any] | None = None) -> dict[str, Any]:
    outcome = transform(msg, parse_settings(config or V3))
    assert outcome.error is None, outcome.error and outcome.error.full_text
    return dict(outcome.requests[0].body)


def error(msg: dict[str, Any], config: dict[str, Any] | None = None) -> str:
    outcome = transform(msg, parse_settings(config or V3))
    assert outcome.error is not None and outcome.status == 400
    return outcome.error.message


@pytest.mark.parametrize(
    ("name", "snake"),
    [
        ("WatchVideo", "watch_video"),
        ("Watch Video", "watch_video"),
        ("AddToCart", "add_to_cart"),
        ("signup", "signup"),
        ("ABCDef", "abcdef"),
        ("a  \t b", "a_b"),
    ],
)
def test_event_names_to_snake_case(name: str, snake: str) -> None:
    assert snake_case(name) == snake


def test_event_name_rules_in_order_and_recorded() -> None:
    mapping = {
        **V3,
        "eventsMapping": [{"from": "Signed Up", "to": "SignUp"}, {"from": "Signed Up", "to": "Lead"}],
    }
    outcome = transform(message(event="Signed Up"), parse_settings(mapping))
    assert [r.body["event_name"] for r in outcome.requests] == ["sign_up", "lead"]
    assert [r.origin for r in outcome.requests] == [
        CloudOrigin("events-mapping", 0, "messageId"),
        CloudOrigin("events-mapping", 1, "messageId"),
    ]
    assert outcome.requests[0].body["event_id"] == outcome.requests[1].body["event_id"]
    built_in = transform(message(event="ORDER completed"), parse_settings(V3)).requests[0]
    assert (built_in.body["event_name"], built_in.origin and built_in.origin.event_name_rule) == (
        "checkout",
        "built-in",
    )
    custom = transform(message(event="Played"), parse_settings({**V3, "sendAsCustomEvent": True})).requests[0]
    assert (custom.body["event_name"], custom.origin and custom.origin.event_name_rule) == (
        "custom",
        "send-as-custom",
    )
    raw = transform(message(event="Played Game"), parse_settings(V3)).requests[0]
    assert (raw.body["event_name"], raw.origin and raw.origin.event_name_rule) == ("Played Game", "raw-name")


def test_pages_are_page_visit_or_view_category() -> None:
    page = transform(message(type="page", name="Home"), parse_settings(V3)).requests[0]
    assert (page.body["event_name"], page.origin and page.origin.event_name_rule) == (
        "page_visit",
        "page-visit",
    )
    assert "custom_data" not in page.body
    category = transform(message(type="Page", category="Shoes"), parse_settings(V3)).requests[0]
    assert (category.body["event_name"], category.origin and category.origin.event_name_rule) == (
        "view_category",
        "view-category",
    )


@pytest.mark.parametrize(
    ("given", "normalised"),
    [
        ("Female", "f"),
        ("FEMALE", "f"),
        ("M", "m"),
        ("male", "m"),
        ("Non Binary", "n"),
        ("non-binary", "n"),
        ("woman", "woman"),
        ("", ""),
        (["F"], ["F"]),
    ],
)
def test_gender_normalisation(given: Any, normalised: Any) -> None:
    assert normalise_gender(given) == normalised


def test_unhashed_data_is_normalised_then_hashed() -> None:
    traits = {
        "email": "  Jane@Example.COM ",
        "phone": "+00 (44) 7700-900",
        "gender": "Female",
        "firstName": " Jane",
        "address": {"zip": "SW1A 1AA 12", "city": "London "},
    }
    user = body(
        message(context={"traits": traits, "userAgent": "ua", "ip": "1.2.3.4"}, properties={"clickId": 42})
    )["user_data"]
    assert user["em"] == [sha("jane@example.com")]
    assert user["ph"] == [sha("447700900")]  # digits only, leading zeros gone
    assert user["zp"] == [sha("1112")]  # digits only
    assert user["ge"] == [sha("f")]
    assert user["fn"] == [sha("jane")] and user["ct"] == [sha("london")]
    assert (user["client_ip_address"], user["client_user_agent"], user["click_id"]) == ("1.2.3.4", "ua", "42")
    listed = body(message(context={"traits": {"email": ["A@b.co", " c@D.co"]}}))["user_data"]
    assert listed["em"] == [sha("a@b.co"), sha("c@d.co")]


def test_hashed_data_is_passed_through_in_lists() -> None:
    config = {**V3, "sendingUnHashedData": False}
    traits = {"email": " Already-Hashed ", "gender": "Female", "phone": "abc"}
    user = body(message(context={"traits": traits, "userAgent": "ua"}), config)["user_data"]
    assert user == {"em": [" Already-Hashed "], "ph": ["abc"], "ge": ["Female"], "client_user_agent": "ua"}


def test_external_id_only_when_asked() -> None:
    msg = message(userId="u-7", anonymousId="anon")
    assert "external_id" not in body(msg)["user_data"]
    assert body(msg, {**V3, "sendExternalId": True})["user_data"]["external_id"] == [sha("u-7")]


def test_value_and_order_id_are_texts() -> None:
    custom = body(message(properties={"total": 27.5, "revenue": 48, "order_id": 123}))["custom_data"]
    assert (custom["value"], custom["order_id"]) == ("27.5", "123")
    custom = body(message(properties={"value": [1, 2], "order_id": {"a": "b"}}))["custom_data"]
    assert (custom["value"], custom["order_id"]) == ("[1,2]", '{"a":"b"}')


def test_contents_with_products() -> None:
    products = [
        {"product_id": 7, "price": 9.5, "quantity": 2, "name": "Mug", "brand": "B"},
        {"sku": "s2", "quantity": 3},
    ]
    custom = body(message(properties={"products": products, "price": 4}))["custom_data"]
    assert custom["num_items"] == 5 and custom["content_ids"] == ["7", "s2"]
    assert custom["contents"] == [
        {"quantity": 2, "item_price": "9.5", "item_name": "Mug", "item_brand": "B", "id": "7"},
        {"quantity": 3, "item_price": "4", "id": "s2"},
    ]


def test_contents_without_products() -> None:
    custom = body(message(properties={"sku": "x1", "price": 3, "quantity": 4, "category": "Toys"}))[
        "custom_data"
    ]
    assert custom == {
        "num_items": 4,
        "content_ids": ["x1"],
        "contents": [{"quantity": 4, "item_price": "3", "item_category": "Toys", "id": "x1"}],
    }
    assert body(message())["custom_data"] == {"num_items": 0, "contents": [{"quantity": 1}]}


@pytest.mark.parametrize(
    ("overrides", "text"),
    [
        ({"channel": "email"}, "Action source must be one of app_android, app_ios, web, offline"),
        ({"channel": None}, "action_source is required"),
        ({"timestamp": "yesterday"}, "event_time is required"),
        ({"type": "identify"}, "message type identify is not supported"),
        ({"type": "Group"}, "message type group is not supported"),
        ({"event": ""}, "event_name could not be mapped. Aborting."),
        ({"event": 5}, "Event is a required field and should be a string"),
        (
            {"context": {}},
            "It is required at least one of em, hashed_maids or pair of client_ip_address and client_user_agent",
        ),
    ],
)
def test_refusals(overrides: dict[str, Any], text: str) -> None:
    assert error(message(**overrides)) == text


def test_action_source_from_traits_first() -> None:
    msg = message(channel="email", context={"traits": {"email": "a@b.co", "action_source": "app_ios"}})
    assert body(msg)["action_source"] == "app_ios"


def test_v3_and_v5_endpoints_headers_and_body() -> None:
    v3 = transform(message(), parse_settings(V3)).requests[0]
    assert (v3.endpoint, dict(v3.headers)) == (
        "https://ct.pinterest.com/events/v3",
        {"Content-Type": "application/json"},
    )
    assert v3.body["advertiser_id"] == "549"
    v5 = transform(message(), parse_settings({**V5, "advertiserId": "549"})).requests[0]
    assert v5.endpoint == "https://api.pinterest.com/v5/ad_accounts/acc1/events"
    assert dict(v5.headers) == {"Content-Type": "application/json", "Authorization": f"Bearer {MASKED_TOKEN}"}
    assert "advertiser_id" not in v5.body
    assert "secret-token" not in repr(v5)


@pytest.mark.parametrize(
    ("config", "text"),
    [
        ({"advertiserId": ""}, "Advertiser Id not found. Aborting"),
        ({**V5, "adAccountId": ""}, "Ad Account ID not found. Aborting"),
        ({**V5, "conversionToken": ""}, "Conversion Token not found. Aborting"),
    ],
)
def test_config_refusals_carry_the_step(config: dict[str, Any], text: str) -> None:
    outcome = transform(message(), parse_settings(config))
    assert outcome.error is not None and outcome.error.message == text
    assert (
        outcome.error.full_text
        == f"{text}: Workflow: procWorkflow, Step: validateInput, ChildStep: undefined, OriginalError: {text}"
    )


def test_test_param() -> None:
    assert dict(transform(message(), parse_settings({**V3, "sendAsTestEvent": True})).requests[0].params) == {
        "test": True
    }
    assert dict(transform(message(), parse_settings(V3)).requests[0].params) == {}


def test_event_id_from_the_deduplication_key_or_message_id() -> None:
    msg = message(properties={"eventId": "e-9"})
    keyed = transform(msg, parse_settings({**V3, "deduplicationKey": "properties.eventId"})).requests[0]
    assert (keyed.body["event_id"], keyed.origin and keyed.origin.event_id_from) == (
        "e-9",
        "properties.eventId",
    )
    missing = transform(message(), parse_settings({**V3, "deduplicationKey": "properties.eventId"})).requests[
        0
    ]
    assert (missing.body["event_id"], missing.origin and missing.origin.event_id_from) == ("m-1", "messageId")


def test_event_time_in_whole_seconds() -> None:
    assert to_seconds("2020-08-14T05:30:30.118Z") == 1597383030
    assert to_seconds("2022-12-26T19:45:25.619+05:30") == 1672064125
    assert to_seconds(1597383030999) == 1597383030
    assert to_seconds("not a date") is None


def test_router_batches_at_most_the_batch_size_and_puts_failures_last() -> None:
    settings = parse_settings(V3)
    events = [(message(messageId=f"m{i}"), settings, {"jobId": i}) for i in range(MAX_BATCH_SIZE + 1)]
    events.insert(3, (message(type="identify"), settings, {"jobId": "bad"}))
    outputs = route(events)
    assert [(o.batched, len(o.metadata)) for o in outputs] == [(True, MAX_BATCH_SIZE), (True, 1), (False, 1)]
    assert outputs[0].request is not None and len(outputs[0].request.body["data"]) == MAX_BATCH_SIZE
    assert outputs[-1].error == "message type identify is not supported"
    assert route([]) == ()


def test_cloud_outcomes_use_the_scenarios_server_settings() -> None:
    from app.pintrk.cloud import cloud_outcomes
    from app.pintrk.scenario import load_scenario

    messages = [message(), message(type="identify")]
    hybrid = load_scenario(
        {
            "settings": {**V3, "tagId": "2612345678901", "connectionMode": {"web": "hybrid"}},
            "messages": messages,
        }
    )
    outcomes = cloud_outcomes(hybrid)
    assert [o.status for o in outcomes] == [200, 400]
    assert outcomes[0].requests[0].body["advertiser_id"] == "549"
    separate = load_scenario(
        {
            "settings": {"tagId": "2612345678901"},
            "cloudSettings": {**V3, "advertiserId": "777"},
            "messages": messages,
        }
    )
    assert cloud_outcomes(separate)[0].requests[0].body["advertiser_id"] == "777"
