"""The one input error type and the one way a location is written."""

from __future__ import annotations

import pytest

from app.pintrk import InputError, Location
from app.pintrk.errors import at_line


@pytest.mark.parametrize(
    ("location", "text"),
    [
        (Location("settings.tagId"), "settings.tagId"),
        (at_line(3, 5), "line 3, column 5"),
        (at_line(3), "line 3"),
        (at_line(3, 5, "calls"), "calls: line 3, column 5"),
        (Location(), ""),
    ],
)
def test_a_location_is_written_one_way(location: Location, text: str) -> None:
    assert str(location) == text


def test_a_location_inside_a_field() -> None:
    assert str(Location("properties").inside("messages[3]")) == "messages[3].properties"
    assert str(Location("[2].to").inside("settings.eventsMapping")) == "settings.eventsMapping[2].to"
    assert str(at_line(2, 1).inside("events")) == "events: line 2, column 1"
    assert Location("x").inside("") == Location("x")


def test_an_input_error_says_where_and_what() -> None:
    error = InputError("must be 13 digits", Location("settings.tagId"), code="invalid-settings")
    assert str(error) == "settings.tagId: must be 13 digits"
    assert (error.message, error.where, error.code) == (
        "must be 13 digits",
        "settings.tagId",
        "invalid-settings",
    )
    assert isinstance(error, ValueError)  # callers that catch ValueError keep working


def test_an_input_error_without_a_location() -> None:
    error = InputError("the file is empty")
    assert (str(error), error.where, error.code) == ("the file is empty", None, "invalid-input")
    assert InputError("x", Location()).where is None


def test_a_location_is_its_written_text_and_keeps_its_parts() -> None:
    import copy
    import pickle

    location = at_line(3, 5, "calls")
    assert location == "calls: line 3, column 5" and isinstance(location, str)
    assert (location.path, location.line, location.column) == ("calls", 3, 5)
    assert pickle.loads(pickle.dumps(location)).line == 3 and copy.copy(location).column == 5
    with pytest.raises(AttributeError):
        location.line = 4  # type: ignore[misc]
    assert not Location() and Location("x")


def test_every_input_error_of_the_core_shares_the_base_and_keeps_its_text() -> None:
    from app.pintrk.calls import SdkCall
    from app.pintrk.events_import import EventsImportError
    from app.pintrk.limits import OverBudget
    from app.pintrk.messages import MessageError
    from app.pintrk.reproduction import ReproductionError
    from app.pintrk.settings import SettingsError

    settings = SettingsError("eventsMapping[2].to", "must be a string")
    assert (str(settings), settings.path, settings.where, settings.code) == (
        "eventsMapping[2].to must be a string",
        "eventsMapping[2].to",
        "eventsMapping[2].to",
        "invalid-settings",
    )
    assert str(SettingsError("", "The destination config must be a JSON object")).startswith("The")
    call = SdkCall("track", (), 4, 3, "")
    message = MessageError(0, "bad", call)
    assert (str(message), message.location.line, message.call, message.code) == (
        "line 4: bad",
        4,
        call,
        "invalid-calls",
    )
    assert str(MessageError(1, "bad")) == "call 2: bad"
    events = EventsImportError("not valid JSON", at_line(2, 9))
    assert (str(events), events.location, events.code) == (
        "line 2, column 9: not valid JSON",
        "line 2, column 9",
        "invalid-payload",
    )
    too_many = EventsImportError("too many", "batch", too_many=True)
    assert (too_many.too_many, too_many.code, too_many.location) == (True, "too-many-messages", "batch")
    reproduction = ReproductionError("must be text", "note")
    assert (str(reproduction), reproduction.location, reproduction.code) == (
        "note: must be text",
        "note",
        "invalid-reproduction",
    )
    budget = OverBudget("too much", "messages")
    assert (str(budget), budget.location, budget.code) == ("too much", "messages", "over-budget")
    for error in (settings, message, events, reproduction, budget):
        assert isinstance(error, InputError) and isinstance(error, ValueError)
