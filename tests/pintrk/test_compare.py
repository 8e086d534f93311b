"""Profiles side by side: rows aligned by message, differences explained from the profiles' data."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.pintrk.calls import parse_call_script
from app.pintrk.compare import compare_profiles
from app.pintrk.decode import compare_beacons, decode_url
from app.pintrk.jsvalue import loads, normalize
from app.pintrk.messages import build_messages
from app.pintrk.profiles import PROFILES
from app.pintrk.replay import Scenario
from app.pintrk.scenario import load_scenario
from app.pintrk.settings import parse_settings

TID = "2612345678901"


def scenario(calls: str, traits: dict[str, Any] | None = None, **settings: Any) -> Scenario:
    return Scenario(
        parse_settings({"tagId": TID, **settings}),
        traits or {},
        tuple(build_messages(parse_call_script(calls), traits or {})),
    )


def texts(calls: str, **settings: Any) -> list[str]:
    comparison = compare_profiles(scenario(calls, **settings))
    return [d.text for row in comparison.rows for d in row.differences]


def test_rows_align_every_vector_by_message(conformance_path: Path) -> None:
    for data in loads(conformance_path.read_text()):
        s = load_scenario(data)
        comparison = compare_profiles(s)
        assert [row.message_index for row in comparison.rows] == [None, *range(len(s.messages))]
        for name in comparison.results:
            # Nothing is lost or reordered: the rows hold every entry of each profile.
            flattened = [e.to_json() for row in comparison.rows for e in row.commands[name]]
            assert flattened == data["expected"][name]["calls_json"], (data["id"], name)
        for row in comparison.rows:
            identical = len({tuple(e.to_json() for e in entries) for entries in row.commands.values()}) == 1
            assert identical == (not row.differences), (data["id"], row.message_index, row.differences)
            # Every difference in the vectors has a real explanation, not the fallback listing.
            assert all(d.code != "commands" for d in row.differences), (data["id"], row.differences)


def test_sdk_v3_extras() -> None:
    comparison = compare_profiles(scenario('rudderanalytics.track("Order Completed", {revenue: 5})'))
    row = comparison.rows[1]
    assert row.summary == "track 'Order Completed'"
    assert [len(row.commands[p]) for p in ("docs", "sdk-v1", "sdk-v3")] == [1, 1, 2]
    assert [(d.code, d.text, d.profiles) for d in row.differences] == [
        ("ldp-set", "sdk-v3 sends a limited-data-processing set() before each track and page", ("sdk-v3",)),
        ("line-items", "sdk-v3 always adds line_items", ("sdk-v3",)),
        ("event-id", "sdk-v3 adds event_id", ("sdk-v3",)),
    ]
    assert (
        comparison.rows[0].differences == () and comparison.rows[0].summary == "initialisation (load, page)"
    )


def test_standard_event_tables() -> None:
    assert (
        "docs maps 'Product List Viewed' to Search; the SDKs don't (they send 'Product List Viewed')"
        in texts('rudderanalytics.track("Product List Viewed")')
    )
    assert (
        "the SDKs map 'Product List Filtered' to Search; docs doesn't (it sends 'Product List Filtered')"
        in texts('rudderanalytics.track("Product List Filtered")')
    )


def test_page_custom_properties() -> None:
    found = texts('rudderanalytics.page("Pricing", {plan: "pro"})', customProperties=[{"properties": "plan"}])
    assert "docs sends custom properties on page calls (plan); the SDKs don't" in found


def test_send_as_custom_event() -> None:
    found = texts('rudderanalytics.track("Clicked Banner")', sendAsCustomEvent=True)
    assert (
        "sdk-v3 sends unmapped events as Custom (sendAsCustomEvent); docs and sdk-v1 send 'Clicked Banner' under its own name"
        in found
    )


def test_mapping_matching_rules() -> None:
    case = texts(
        'rudderanalytics.track("watch demo")', eventsMapping=[{"from": "Watch Demo", "to": "WatchVideo"}]
    )
    assert (
        "sdk-v3 matches event mappings exactly (case and spaces); docs and sdk-v1 ignore case: 'Watch Demo' ≠ 'watch demo'"
        in case
    )
    spaces = texts(
        'rudderanalytics.track("Signed Up")', eventsMapping=[{"from": " Signed Up ", "to": "SignUp"}]
    )
    assert (
        "sdk-v3 ignores spaces around a mapping's 'from' (' Signed Up '); docs and sdk-v1 compare it as typed, "
        "so it doesn't match 'Signed Up'" in spaces
    )


def test_every_matching_mapping_and_precedence() -> None:
    found = texts(
        'rudderanalytics.track("Order Completed")',
        eventsMapping=[
            {"from": "Order Completed", "to": "Lead"},
            {"from": "Order Completed", "to": "Custom"},
        ],
    )
    assert (
        "sdk-v3 fires every matching mapping (2 tracks: 'Lead', 'Custom'); docs and sdk-v1 send one ('Checkout')"
        in found
    )
    assert (
        "sdk-v3 applies your event mapping before the standard events ('Lead', 'Custom'); "
        "docs and sdk-v1 use the standard event Checkout" in found
    )


def test_errors_in_one_profile() -> None:
    found = texts('rudderanalytics.track("Anything")', eventsMapping=[{"to": "Lead"}])
    assert (
        "docs and sdk-v1 stop with an error here (TypeError: Cannot read properties of undefined (reading "
        "'toLowerCase'): event mapping row 1 has no 'from'); sdk-v3 doesn't" in found
    )


def test_identify() -> None:
    comparison = compare_profiles(scenario('rudderanalytics.identify("u", {email: "a@b.com"})'))
    row = comparison.rows[1]
    assert row.summary == "identify"
    assert [d.text for d in row.differences] == [
        "sdk-v3 adds the limited-data-processing keys (opt_out_type, st, country) to identify's set()",
        "sdk-v3 adds event_id",
    ]


def test_messages_without_commands_are_rows_too() -> None:
    messages = ({"type": "screen", "messageId": "s"}, 5, {"type": "page", "name": "Home", "messageId": "p"})
    comparison = compare_profiles(Scenario(parse_settings({"tagId": TID}), {}, messages))
    assert [row.summary for row in comparison.rows] == [
        "initialisation (load, page)",
        "screen (not handled)",
        "not a message",
        "page 'Home'",
    ]
    assert comparison.rows[1].commands == {"docs": (), "sdk-v1": (), "sdk-v3": ()}


def test_summary_counts_rows() -> None:
    comparison = compare_profiles(
        scenario('rudderanalytics.track("A"); rudderanalytics.track("B"); rudderanalytics.page()')
    )
    summary = {d.text: n for d, n in comparison.summary}
    assert summary["sdk-v3 sends a limited-data-processing set() before each track and page"] == 3
    assert summary["sdk-v3 adds event_id"] == 3
    assert summary["sdk-v3 always adds line_items"] == 2
    data = comparison.to_dict()
    assert data["profiles"] == ["docs", "sdk-v1", "sdk-v3"] and data["summary"][0]["rows"] == 3
    assert data["rows"][1]["commands"]["sdk-v3"][0] == {
        "method": "set",
        "args": [{"opt_out_type": "", "st": "", "country": ""}],
        "json": '["set",{"opt_out_type":"","st":"","country":""}]',
    }


def test_explanations_follow_the_profile_switches() -> None:
    # A made-up profile: sdk-v1 with line_items on every track. The wording follows its switches.
    custom = dataclasses.replace(PROFILES["sdk-v1"], name="my-sdk", line_items_always=True)
    comparison = compare_profiles(scenario('rudderanalytics.track("Lead")'), [PROFILES["docs"], custom])
    assert [d.text for d in comparison.rows[1].differences] == ["my-sdk always adds line_items"]


def test_a_subset_of_profiles() -> None:
    comparison = compare_profiles(
        scenario('rudderanalytics.track("Product List Filtered")'), ["docs", "sdk-v1"]
    )
    assert comparison.profiles == ("docs", "sdk-v1")
    assert [d.text for d in comparison.rows[1].differences] == [
        "sdk-v1 maps 'Product List Filtered' to Search; docs doesn't (it sends 'Product List Filtered')"
    ]
    with pytest.raises(ValueError, match="only once"):
        compare_profiles(scenario(""), ["docs", "docs"])
    with pytest.raises(ValueError, match="Unknown profile"):
        compare_profiles(scenario(""), ["docs", "v2"])


# -- arbitrary input ---------------------------------------------------------------------------


_EVENTS = [
    "Order Completed",
    "order completed",
    "Product Added",
    "Product List Viewed",
    "Product List Filtered",
    "Signed Up",
    " Signed Up ",
    "",
    "toString",
]
_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**20), 10**20)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=6)
    | st.sampled_from(["\ud800", "</script>", "1e21"]),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(
            st.sampled_from(["0", "10", "a", "products", "revenue", "plan", "email"]), inner, max_size=4
        )
    ),
    max_leaves=12,
)
_messages = (
    st.fixed_dictionaries(
        {"type": st.sampled_from(["track", "page", "identify", "screen"])},
        optional={
            "event": st.sampled_from(_EVENTS) | _values,
            "name": _values,
            "category": _values,
            "properties": _values,
            "messageId": _values,
            "context": st.fixed_dictionaries(
                {
                    "traits": st.dictionaries(
                        st.sampled_from(["email", "optOutType", "state"]), _values, max_size=3
                    )
                }
            ),
        },
    )
    | _values
)
_settings = st.fixed_dictionaries(
    {"tagId": st.sampled_from([TID, "123"])},
    optional={
        "enhancedMatch": st.booleans(),
        "customProperties": st.lists(
            st.fixed_dictionaries({"properties": st.sampled_from(["plan", "a", "0", "products.0"])}),
            max_size=2,
        ),
        "eventsMapping": st.lists(
            st.fixed_dictionaries(
                {},
                optional={
                    "from": st.sampled_from(_EVENTS),
                    "to": st.sampled_from(["Lead", "SignUp", "", "Custom"]),
                },
            ),
            max_size=3,
        ),
        "sendAsCustomEvent": st.booleans(),
    },
)


@settings(deadline=None)
@given(
    config=_settings,
    traits=st.dictionaries(st.sampled_from(["email", "optOutType"]), _values, max_size=2),
    messages=st.lists(_messages, max_size=4),
)
def test_arbitrary_scenarios_compare_and_decode(
    config: dict[str, Any], traits: dict[str, Any], messages: list[Any]
) -> None:
    config, traits, messages = normalize([config, traits, messages])
    comparison = compare_profiles(Scenario(parse_settings(config), traits, tuple(messages)))
    comparison.to_dict()
    for row in comparison.rows:
        identical = len({tuple(e.to_json() for e in entries) for entries in row.commands.values()}) == 1
        assert identical == (not row.differences)
    for result in comparison.results.values():
        # What the tag would send, decoded again, is what was predicted.
        assert compare_beacons(result.beacons, [decode_url(b.url) for b in result.beacons]).agrees


def test_an_error_is_put_down_to_a_mapping_row_only_when_that_row_made_it_throw() -> None:
    # The error entry records its reason: sdk-v3 throws on the missing context, not on the row.
    settings = parse_settings({"tagId": TID, "eventsMapping": [{"to": "Lead"}]})
    message = {"type": "track", "event": "Order Completed", "properties": {}, "messageId": "m"}
    comparison = compare_profiles(Scenario(settings, {}, (message,)))
    assert [d.text for d in comparison.rows[1].differences if d.code == "error"] == [
        "sdk-v3 stops with an error here (TypeError: Cannot read properties of undefined (reading 'traits')); "
        "docs and sdk-v1 don't"
    ]
