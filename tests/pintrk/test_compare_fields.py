"""A command's data keys marked against the same command under the other profiles (compare/fields.py)."""

from __future__ import annotations

from app.pintrk.compare import FieldMark, mark_fields


def test_each_key_is_marked_once_with_its_own_kind() -> None:
    mine = {"value": 10, "currency": "USD", "event_id": "m-1"}
    others = [{"value": "10", "currency": "USD", "order_id": "o"}, {"value": 10, "currency": "USD"}]
    assert mark_fields(mine, others, differs=True) == (
        FieldMark("value", "10", "different"),
        FieldMark("currency", '"USD"', "same"),
        FieldMark("event_id", '"m-1"', "extra"),
        FieldMark("order_id", "", "missing"),
    )


def test_nothing_is_marked_when_the_command_is_the_same() -> None:
    assert mark_fields({"value": 1}, [{"value": 2}], differs=False) == (FieldMark("value", "1", "same"),)


def test_a_command_without_data_misses_every_key_of_the_others() -> None:
    assert mark_fields(None, [{"a": 1}, "not an object", {"a": 2, "b": None}], differs=True) == (
        FieldMark("a", "", "missing"),
        FieldMark("b", "", "missing"),
    )
    assert mark_fields({"x": [1]}, [{}], differs=True) == (FieldMark("x", "[1]", "extra"),)
