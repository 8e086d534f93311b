"""load_scenario: the one way input becomes a scenario, for every source, with every refusal."""

from __future__ import annotations

import json
from typing import Any

import pytest

from app.pintrk import InputError, InputErrors, Location, OverBudget, limits, load_scenario
from app.pintrk.calls import CallScriptError
from app.pintrk.jsvalue import NumberTooLarge
from app.pintrk.limits import API, CLI, PAGE, Budget
from app.pintrk.messages import MessageError

SETTINGS = {"tagId": "2612345678901"}
CALLS = 'rudderanalytics.identify("u", {email: "a@b.c"});\n  rudderanalytics.track("Order Completed", {revenue: 5});'


def test_messages() -> None:
    page = {"type": "page", "messageId": "m1"}
    scenario = load_scenario(
        {"id": "s", "settings": SETTINGS, "initialTraits": {"plan": "pro"}, "messages": [page]}
    )
    assert scenario.settings.tag_id == "2612345678901" and scenario.initial_traits == {"plan": "pro"}
    assert (scenario.messages, scenario.id, scenario.source, scenario.total) == (
        (page,),
        "s",
        "messages",
        None,
    )


def test_nothing_but_settings_is_an_empty_scenario() -> None:
    scenario = load_scenario({"settings": SETTINGS})
    assert (scenario.messages, scenario.source, scenario.initial_traits) == ((), "messages", {})
    assert load_scenario({}).settings.tag_id is None


def test_a_call_script_carries_its_calls_and_their_lines() -> None:
    scenario = load_scenario({"settings": SETTINGS, "calls": CALLS})
    assert scenario.source == "calls"
    assert [m["type"] for m in scenario.messages] == ["identify", "track"]
    assert [(c.method, c.line, c.column) for c in scenario.calls or ()] == [
        ("identify", 1, 1),
        ("track", 2, 3),
    ]


def test_settings_and_traits_as_json_text() -> None:
    scenario = load_scenario({"settings": json.dumps(SETTINGS), "initialTraits": '{"a": 1}', "calls": ""})
    assert scenario.settings.tag_id == "2612345678901" and scenario.initial_traits == {"a": 1}
    assert load_scenario({"initialTraits": "  "}).initial_traits == {}


@pytest.mark.parametrize("as_text", [True, False])
def test_pasted_events_carry_their_numbers_and_problems(as_text: bool) -> None:
    events: Any = [
        {"type": "track", "event": "A", "messageId": "1", "context": {"traits": {"email": "x@y.z"}}},
        {"type": "screen"},
        {"type": "page", "messageId": "3", "context": {}},
    ]
    scenario = load_scenario({"settings": SETTINGS, "events": json.dumps(events) if as_text else events})
    assert scenario.source == "events" and scenario.events is not None
    assert [m["messageId"] for m in scenario.messages] == ["1", "3"]
    assert scenario.event_numbers == (1, 3)
    assert [(p.index, p.skipped) for p in scenario.events.problems] == [(1, True)]
    assert scenario.events.initial_traits == {"email": "x@y.z"}


def test_pasted_events_one_per_line_keep_their_lines() -> None:
    text = '{"type": "page", "messageId": "1", "context": {}}\n\n{"type": "page", "messageId": "2", "context": {}}'
    scenario = load_scenario({"events": text})
    assert scenario.events is not None and scenario.events.shape == "lines"
    assert len(scenario.messages) == 2


def test_pintrk_calls_as_a_list_or_as_text() -> None:
    calls = [["load", "2612345678901"], ["page"]]
    for given in (calls, json.dumps(calls)):
        scenario = load_scenario({"id": "p", "pintrk": given})
        assert scenario.pintrk == (("load", "2612345678901"), ("page",))
        assert (scenario.source, scenario.id, scenario.messages) == ("pintrk", "p", ())


# -- refusals: code, location, message ---------------------------------------------------------


@pytest.mark.parametrize(
    ("document", "code", "location", "message"),
    [
        ("text", "not-an-object", None, "a scenario must be an object ({ … })"),
        (
            {"pintrk": [], "settings": {}},
            "conflicting-fields",
            "pintrk",
            "send pintrk calls on their own, without settings, messages or calls",
        ),
        (
            {"messages": [], "calls": ""},
            "conflicting-fields",
            "calls",
            "send either messages or calls, not both",
        ),
        (
            {"messages": [], "events": []},
            "conflicting-fields",
            "events",
            "send one of messages, calls or events, not messages and events",
        ),
        (
            {"settings": [1]},
            "invalid-field",
            "settings",
            'settings must be an object: the destination config ({"tagId": …})',
        ),
        (
            {"settings": {"tagId": 5}},
            "invalid-settings",
            "settings.tagId",
            "must be a string (text in quotes), not a number",
        ),
        (
            {"settings": {"eventsMapping": [{"from": "a", "to": 1}]}},
            "invalid-settings",
            "settings.eventsMapping[0].to",
            "must be a string (text in quotes), not a number",
        ),
        ({"settings": "{"}, "invalid-settings", "settings", "The destination config is not valid JSON"),
        (
            {"initialTraits": [1]},
            "invalid-field",
            "initialTraits",
            "initialTraits must be an object ({ … }) of user traits",
        ),
        ({"initialTraits": '{"a": }'}, "invalid-json", "initialTraits: line 1, column 7", ""),
        (
            {"messages": {}},
            "invalid-field",
            "messages",
            "messages must be a list ([ … ]) of RudderStack messages",
        ),
        (
            {"calls": 5},
            "invalid-field",
            "calls",
            "calls must be a call script (text), e.g. \"rudderanalytics.track('Signed Up');\"",
        ),
        (
            {"calls": "rudderanalytics.track(userEmail)"},
            "invalid-calls",
            "calls: line 1, column 23",
            "userEmail",
        ),
        (
            {"calls": '\n rudderanalytics.track("A", 3)'},
            "invalid-calls",
            "calls: line 2, column 2",
            "the properties of track() must be an object",
        ),
        ({"events": " "}, "missing-events", "events", "paste RudderStack events"),
        ({"events": '[{"type": "page"}'}, "invalid-payload", "events: line 1, column 18", "not valid JSON"),
        ({"events": {"batch": 3}}, "invalid-payload", "events.batch", "batch must be a list of messages"),
        (
            {"pintrk": {"load": 1}},
            "invalid-pintrk",
            "pintrk",
            'pintrk must be a list of calls, e.g. [["load", "2612345678901"], ["page"]]',
        ),
        (
            {"pintrk": [["load"], "page"]},
            "invalid-pintrk",
            "pintrk",
            "pintrk[1] must be a call written as a list",
        ),
        ({"pintrk": "  "}, "invalid-pintrk", "pintrk", "Write the pintrk calls as a JSON list"),
        ({"pintrk": "[[1e400]]"}, "invalid-json", "pintrk: line 1, column 3", ""),
    ],
)
def test_each_refusal_says_what_and_where(
    document: Any, code: str, location: str | None, message: str
) -> None:
    with pytest.raises(InputError) as caught:
        load_scenario(document)
    error = caught.value
    assert (error.code, error.where) == (code, location)
    assert message in error.message
    assert str(error) == (f"{location}: {error.message}" if location else error.message)


def test_the_original_error_is_the_cause() -> None:
    with pytest.raises(InputError) as caught:
        load_scenario({"calls": "rudderanalytics.track(x)"})
    assert isinstance(caught.value.__cause__, CallScriptError)
    with pytest.raises(InputError) as caught:
        load_scenario({"calls": 'rudderanalytics.track("A", 3)'})
    assert isinstance(caught.value.__cause__, MessageError)
    with pytest.raises(InputError) as caught:
        load_scenario({"initialTraits": "[1e400]"})
    assert isinstance(caught.value.__cause__, NumberTooLarge)


def test_every_field_is_read_so_every_problem_is_reported() -> None:
    with pytest.raises(InputErrors) as caught:
        load_scenario({"settings": {"tagId": 5}, "initialTraits": "[", "calls": "nope()"})
    assert [p.where for p in caught.value.problems] == [
        "settings.tagId",
        "initialTraits: line 1, column 2",
        "calls: line 1, column 1",
    ]
    assert str(caught.value) == str(caught.value.problems[0])  # the first speaks for all
    with pytest.raises(InputErrors) as caught:  # a script with bad traits is still checked
        load_scenario({"initialTraits": [], "events": "{"})
    assert [p.code for p in caught.value.problems] == ["invalid-field", "invalid-payload"]


def test_a_single_problem_is_raised_as_it_is() -> None:
    with pytest.raises(InputError) as caught:
        load_scenario({"settings": {"tagId": 5}})
    assert not isinstance(caught.value, InputErrors) and caught.value.problems == (caught.value,)


# -- budgets ------------------------------------------------------------------------------------


def test_too_many_messages_are_refused_naming_who_replays_them() -> None:
    messages = [{"type": "page"}] * 11
    small = Budget(messages=10, values=1000, replayer="the API")
    with pytest.raises(OverBudget) as caught:
        load_scenario({"messages": messages}, budget=small)
    assert (caught.value.code, caught.value.location) == ("too-many-messages", "messages")
    assert caught.value.message == "11 messages is more than the API replays at once (10)"
    with pytest.raises(OverBudget) as caught:
        load_scenario({"pintrk": [["page"]] * 11}, budget=small)
    assert (caught.value.code, caught.value.location) == ("too-many-calls", "pintrk")
    assert caught.value.message == "11 pintrk calls is more than the API replays at once (10)"
    assert API.replayer == "the API" and CLI.replayer == "the command line"


def test_a_page_keeps_the_first_steps_and_counts_the_rest() -> None:
    events = [{"type": "page", "messageId": str(i), "context": {}} for i in range(PAGE.messages + 5)]
    scenario = load_scenario({"events": json.dumps(events)}, budget=PAGE)
    assert len(scenario.messages) == PAGE.messages == len(scenario.event_numbers)
    assert scenario.total == PAGE.messages + 5 and scenario.events is not None
    scenario = load_scenario({"pintrk": [["page"]] * (PAGE.messages + 1)}, budget=PAGE)
    assert scenario.pintrk is not None and len(scenario.pintrk) == PAGE.messages
    assert scenario.total == PAGE.messages + 1


def test_pasted_events_over_what_is_read_at_all() -> None:
    with pytest.raises(InputError) as caught:
        load_scenario(
            {"events": {"batch": [{"type": "page"}] * 3}}, budget=Budget(messages=2, values=100, pasted=2)
        )
    assert (caught.value.code, caught.value.where) == ("too-many-messages", "events.batch")


def test_pasted_text_over_the_values_budget_is_refused_before_it_is_read() -> None:
    text = "[" + ",".join(['{"type": "page"}'] * 60) + "]"
    with pytest.raises(OverBudget) as caught:
        load_scenario({"events": text}, budget=Budget(messages=100, values=100))
    assert (caught.value.code, caught.value.location) == ("over-budget", "events")
    assert caught.value.message.startswith("the pasted text holds about 121 values")


def test_too_deep_pasted_text_is_refused_by_the_import_in_its_words() -> None:
    with pytest.raises(InputError) as caught:
        load_scenario({"events": "[" * (limits.MAX_NESTING + 1)}, budget=Budget(messages=10, values=10))
    assert caught.value.code == "invalid-payload"


def test_products_over_the_budget() -> None:
    track = {"type": "track", "event": "Order Completed", "properties": {"products": [{}] * 30_000}}
    with pytest.raises(OverBudget) as caught:
        load_scenario({"messages": [track, track]})
    assert (caught.value.code, caught.value.location) == ("over-budget", "messages[1].properties.products")


def test_locations_are_written_by_location_only() -> None:
    assert Location("calls", 3, 5) == "calls: line 3, column 5"
    assert Location("events", 2) == "events: line 2"


def test_settings_read_already_are_taken_as_they_are() -> None:
    settings = load_scenario({"settings": SETTINGS}).settings
    assert load_scenario({"settings": settings, "calls": CALLS}).settings is settings


@pytest.mark.parametrize("text", ["null", "[1]", '"jane"', "3"])
def test_initial_traits_given_as_text_must_be_an_object(text: str) -> None:
    with pytest.raises(InputError) as raised:
        load_scenario({"initialTraits": text})
    assert (raised.value.code, raised.value.location) == ("invalid-field", "initialTraits")


def test_an_error_keeps_the_steps_that_could_be_read() -> None:
    events = json.dumps([{"type": "track", "event": "A", "context": {"traits": {"plan": "pro"}}}])
    with pytest.raises(InputError) as raised:
        load_scenario({"settings": {"tagId": 5}, "initialTraits": "{", "events": events}, budget=PAGE)
    read = raised.value.scenario
    assert len(raised.value.problems) == 2
    assert read.events is not None and dict(read.events.initial_traits) == {"plan": "pro"}
    assert (len(read.messages), read.event_numbers) == (1, (1,))
    with pytest.raises(InputError) as raised:
        load_scenario({"settings": {"tagId": 5}, "calls": "rudderanalytics.track("})
    assert raised.value.scenario is None  # the steps themselves could not be read


def test_a_scenario_over_the_budget_comes_with_its_refusal() -> None:
    message = {"type": "track", "event": "Order Completed", "properties": {"products": [{}] * 30}}
    budget = Budget(messages=10, values=1_000, line_items=50)
    with pytest.raises(OverBudget) as raised:
        load_scenario({"settings": SETTINGS, "messages": [message, message]}, budget=budget)
    assert raised.value.location == "messages[1].properties.products"
    assert (
        raised.value.scenario.settings.tag_id == "2612345678901" and len(raised.value.scenario.messages) == 2
    )
