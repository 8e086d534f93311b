"""One test per mapping rule the generated vectors (fuzz-scenarios.json) pinned down.

Each test names the input that triggers the rule, so a regression points at the
rule rather than only at a vector.
"""

from __future__ import annotations

from typing import Any

import pytest

from app.pintrk import Scenario, parse_settings, replay
from app.pintrk.jsvalue import UNDEFINED, NativeFunction, stringify
from app.pintrk.paths import lookup_path

TRAITS = {"email": "jane@example.com"}


def calls(config: dict[str, Any], messages: list[dict[str, Any]], profile: str) -> list[str]:
    """The calls_json after the two initialisation calls."""
    result = replay(
        Scenario(parse_settings({"tagId": "2612345678901", **config}), {}, tuple(messages)), profile
    )
    return result.calls_json[2:]


def track(event: Any, properties: Any = None, traits: Any = None, **extra: Any) -> dict[str, Any]:
    return {
        "type": "track",
        "event": event,
        "properties": {} if properties is None else properties,
        "messageId": "m1",
        "context": {"traits": {} if traits is None else traits},
        **extra,
    }


# -- all profiles --------------------------------------------------------------------------


@pytest.mark.parametrize("config", [{"tagId": None}, {}])
def test_missing_or_null_tag_id_loads_an_empty_string(config: dict[str, Any]) -> None:
    settings = parse_settings(config)
    assert replay(Scenario(settings, {}, ()), "docs").calls_json[0] == '["load",""]'


@pytest.mark.parametrize(("query", "sent"), [(None, None), ("", ""), (0, 0), ("hats", "hats")])
def test_a_null_query_sends_no_search_query(query: Any, sent: Any) -> None:
    out = calls({}, [track("Products Searched", {"query": query})], "docs")
    expected = {} if sent is None else {"search_query": sent}
    assert out == [stringify(["track", "Search", expected])]


@pytest.mark.parametrize("profile", ["docs", "sdk-v1", "sdk-v3"])
def test_products_that_are_not_a_list_throw_at_foreach(profile: str) -> None:
    out = calls({}, [track("Order Completed", {"products": "P-1"})], profile)
    assert out == ['{"error":"TypeError: products.forEach is not a function"}']


def test_a_proto_custom_property_adds_no_key() -> None:
    out = calls(
        {"customProperties": [{"properties": "__proto__"}, {"properties": "plan"}]},
        [track("Signed Up", {"plan": "pro"})],
        "docs",
    )
    assert out == ['["track","Signed Up",{"plan":"pro"}]']


@pytest.mark.parametrize(
    ("row", "read"), [({"from": None, "to": "Lead"}, "null"), ({"to": "Lead"}, "undefined")]
)
def test_a_mapping_row_without_from_names_what_was_read(row: dict[str, Any], read: str) -> None:
    out = calls({"eventsMapping": [row]}, [track("Signed Up")], "sdk-v1")
    assert out == [f'{{"error":"TypeError: Cannot read properties of {read} (reading \'toLowerCase\')"}}']


# -- sdk-v3: the table of user mappings ----------------------------------------------------


def test_sdk_v3_looks_a_non_string_event_up_by_its_string_key() -> None:
    mapping = {
        "eventsMapping": [
            {"from": " Order Completed", "to": "Lead"},
            {"from": "Order Completed", "to": "Lead"},
        ]
    }
    out = calls(mapping, [track(["Order Completed"])], "sdk-v3")
    assert out[1] == '["track","Lead",{"line_items":[{}],"event_id":"m1"}]'
    assert len(out) == 2  # the duplicate "to" is sent once


@pytest.mark.parametrize("event", ["toString", "constructor", "__proto__", "hasOwnProperty", "valueOf"])
def test_sdk_v3_a_prototype_event_name_throws_beside_real_mappings(event: str) -> None:
    with_rows = calls({"eventsMapping": [{"from": "Signed Up", "to": "SignUp"}]}, [track(event)], "sdk-v3")
    assert with_rows == ['{"error":"TypeError: destEventArray.forEach is not a function"}']
    without_rows = calls({"eventsMapping": []}, [track(event)], "sdk-v3")
    assert without_rows[1] == stringify(["track", event, {"line_items": [{}], "event_id": "m1"}])


@pytest.mark.parametrize("source", ["toString", " constructor ", "__proto__"])
def test_sdk_v3_a_prototype_from_breaks_every_track(source: str) -> None:
    config = {"eventsMapping": [{"from": source, "to": "Lead"}]}
    messages = [
        track("Signed Up"),
        {"type": "page", "name": "Home", "messageId": "m2", "context": {"traits": {}}},
    ]
    out = calls(config, messages, "sdk-v3")
    assert out[0] == '{"error":"TypeError: val.includes is not a function"}'
    assert out[2] == '["track","PageVisit",{"name":"Home","event_id":"m2"}]'  # pages don't read the table


# -- sdk-v3: deduplication key -------------------------------------------------------------


def test_dedup_path_reaches_prototype_members() -> None:
    message = {"properties": {"order_id": "ord-1"}, "messageId": "m1"}
    assert isinstance(lookup_path(message, "constructor"), NativeFunction)
    assert isinstance(lookup_path(message, "properties.constructor"), NativeFunction)
    assert lookup_path(message, "__proto__") == {}
    assert lookup_path(message, "properties.order_id") == "ord-1"
    assert lookup_path(message, "properties.order_id.0") is UNDEFINED  # not into strings
    assert lookup_path({"a": None}, "a.b") is UNDEFINED


def test_a_function_event_id_is_left_out_by_json() -> None:
    out = calls({"deduplicationKey": "constructor"}, [track("Signed Up")], "sdk-v3")
    assert out[1] == '["track","Signed Up",{"line_items":[{}]}]'


# -- sdk-v3: traits come from the message ----------------------------------------------------


def test_sdk_v3_ldp_reads_the_messages_traits_then_its_properties() -> None:
    traits = {"address": {"State": "New York", "Country": "DE"}}
    out = calls({}, [track("Signed Up", {"optOutType": "LDP"}, traits)], "sdk-v3")
    assert out[0] == stringify(
        [
            "set",
            {
                "opt_out_type": "LDP",
                "st": "815eca977c7d75f72bd23bccc91bc6f9931a42fbf03451eb0d7db8d2a704d94f",  # sha256("New York")
                "country": "6814ef46f686990cf4e946f966167b0507e1d642c44e51f61bffb0bba2d4672b",  # sha256("DE")
            },
        ]
    )
    both = calls({}, [track("Signed Up", {"optOutType": "CCPA"}, {"optOutType": "LDP"})], "sdk-v3")
    assert '"opt_out_type":"LDP"' in both[0]  # the traits win


def test_sdk_v3_track_without_context_throws() -> None:
    message = track("Signed Up")
    del message["context"]
    assert calls({}, [message], "sdk-v3") == [
        '{"error":"TypeError: Cannot read properties of undefined (reading \'traits\')"}'
    ]
    assert calls({}, [message], "docs") == ['["track","Signed Up",{}]']


def test_sdk_v3_identify_reads_the_messages_traits() -> None:
    identify = {"type": "identify", "messageId": "m2", "context": {"traits": None}}
    scenario = Scenario(parse_settings({}), TRAITS, (identify,))
    assert replay(scenario, "sdk-v3").calls_json[2:] == []
    assert replay(scenario, "docs").calls_json[2:] == ['["set",{"em":"jane@example.com"}]']
