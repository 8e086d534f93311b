"""The page reads its scenario through load_scenario and words each refusal beside its field."""

from __future__ import annotations

import json

import pytest

from app.pintrk import Location
from app.web.fields import field_for_location
from app.web.pasted_events import read_events
from app.web.scenario_errors import inner_location
from app.web.state import PlaygroundState

SETTINGS = {"tagId": "2612345678901"}
EVENTS = json.dumps(
    [{"type": "track", "event": "A", "context": {"traits": {"plan": "pro"}}}, {"type": "screen"}]
)


@pytest.mark.parametrize(
    ("location", "field"),
    [
        (Location("settings.tagId"), "tag_id"),
        (Location("settings.eventsMapping[2].to"), "mappings-2-target"),
        (Location("settings"), "settings_json"),
        (Location("initialTraits", 1, 3), "initial_traits"),
        (Location("calls", 4, 2), "calls"),
        (Location("events.batch"), "messages"),
        (Location("events", 2, 1), "messages"),
        (Location("pintrk"), "pintrk"),
        (Location("messages[3].properties.products"), "calls"),  # the run's budget: the steps' field
        (None, "calls"),
    ],
)
def test_each_location_in_the_document_has_its_form_field(location: Location | None, field: str) -> None:
    assert field_for_location(location, "calls") == field


def test_a_location_seen_from_its_field() -> None:
    assert inner_location(Location("events", 3, 5), "events") == "line 3, column 5"
    assert inner_location(Location("events.batch"), "events") == "batch"
    assert inner_location(Location("settings.eventsMapping[1].to"), "settings") == "eventsMapping[1].to"
    assert inner_location(Location("events"), "events") is None


def test_several_problems_each_beside_its_field_in_the_page_order() -> None:
    state = PlaygroundState({"tagId": 5}, "nope", "rudderanalytics.track('A'", "{")
    outcome = state.run()
    assert list(outcome.errors) == ["tag_id", "profile", "initial_traits", "calls"]
    assert outcome.errors["tag_id"] == ["The Tag ID must be a string (text in quotes), not a number."]
    assert outcome.errors["calls"][0].startswith("Line 1, column 22: ")


def test_initial_traits_that_are_null_are_no_object() -> None:
    outcome = PlaygroundState(SETTINGS, "sdk-v3", "", "null").run()
    assert outcome.errors == {
        "initial_traits": ['Initial traits must be a JSON object in { }, like {"email": "jane@example.com"}.']
    }


def test_pasted_events_are_still_shown_when_the_traits_are_wrong() -> None:
    outcome = PlaygroundState(SETTINGS, "sdk-v3", "", "{", messages=EVENTS).run()
    assert outcome.result is None and list(outcome.errors) == ["initial_traits", "messages"]
    assert outcome.errors["messages"][0].startswith("1 entry was left out (1 event loaded)")
    assert (len(outcome.messages), outcome.event_numbers, outcome.suggested_traits) == (
        1,
        [1],
        {"plan": "pro"},
    )


def test_pasted_events_missing_are_nothing_to_run_yet() -> None:
    """An empty paste box is not an error on the page (the results say what to paste)."""
    outcome = PlaygroundState(SETTINGS, "sdk-v3", "", "", messages=" ").run()
    assert outcome.errors == {} and outcome.nothing_to_run and outcome.source == "events"
    # Read on its own (an action on nothing pasted), it still says what to paste.
    words = read_events(" ")
    assert isinstance(words, str) and words.startswith("Paste RudderStack events here: ")


def test_the_page_cut_is_a_note_from_the_scenario_total() -> None:
    outcome = PlaygroundState(SETTINGS, "docs", "", "", pintrk=json.dumps([["page"]] * 1_001)).run()
    assert outcome.ok and outcome.notes["pintrk"][0].startswith(
        "Showing the first 1,000 of 1,001 pintrk calls:"
    )
