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
