"""The per-request work budget (app/pintrk/limits.py): counted before any work, refused in words."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.pintrk import InputError, OverBudget, Scenario, limits, parse_settings, replay
from app.pintrk.jsvalue import stringify
from app.pintrk.limits import API, PAGE, Budget, check_scenario, check_text, values_in_text
from app.pintrk.scenario import load_scenario

SETTINGS = parse_settings({"tagId": "2612345678901"})
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=3),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=3), inner, max_size=4),
    max_leaves=30,
)


def _count_recursively(value: object) -> int:
    """The JSON values in a parsed value, written plainly: a value, plus the values inside it."""
    if isinstance(value, dict):
        return 1 + sum(_count_recursively(v) for v in value.values())
    if isinstance(value, list):
        return 1 + sum(_count_recursively(v) for v in value)
    return 1


def _empty_containers(value: object) -> int:
    if isinstance(value, dict):
        return (not value) + sum(_empty_containers(v) for v in value.values())
    if isinstance(value, list):
        return (not value) + sum(_empty_containers(v) for v in value)
    return 0


@given(json_values)
def test_values_counted_on_the_text_are_the_values_parsed_give_or_take_empty_containers(
    value: object,
) -> None:
    text = stringify(value) or "null"
    exact = _count_recursively(value)
    assert exact <= values_in_text(text) <= exact + _empty_containers(value)
    assert values_in_text(text.encode()) == values_in_text(text)


def test_texts_count_as_one_value_whatever_they_hold() -> None:
    assert values_in_text('["a,b,[c]", "{\\"", 1]') == 4


def test_a_text_over_the_budget_is_refused_before_it_is_read() -> None:
    with pytest.raises(OverBudget) as caught:
        check_text("[" + "0," * 200 + "0]", Budget(messages=10, values=100), "messages", "the pasted text")
    assert caught.value.location == "messages"
    assert "the pasted text holds about 202 values" in caught.value.message
    check_text("[" + "0," * 98 + "0]", Budget(messages=10, values=100), "messages")  # 100 values: fits


def test_messages_over_the_budget() -> None:
    with pytest.raises(OverBudget) as caught:
        check_scenario([{"type": "page"}] * 11, Budget(messages=10, values=1000))
    assert caught.value.location == "messages"
    assert "11 messages; at most 10" in caught.value.message


def test_products_are_bounded_across_messages() -> None:
    track = {"type": "track", "event": "Order Completed", "properties": {"products": [{}] * 30_000}}
    check_scenario([track], API)  # 30,000 products fit
    with pytest.raises(OverBudget) as caught:
        check_scenario([track, track], API)
    assert caught.value.location == "messages[1].properties.products"
    assert f"more than {limits.MAX_LINE_ITEMS:,} products" in caught.value.message


def test_replay_refuses_before_mapping() -> None:
    huge = {"type": "track", "event": "Order Completed", "properties": {"products": [{}] * 300_000}}
    with pytest.raises(OverBudget):
        replay(Scenario(SETTINGS, {}, (huge,)), "sdk-v3")


def test_replay_takes_the_page_budget() -> None:
    messages = tuple({"type": "page"} for _ in range(PAGE.messages + 1))
    replay(Scenario(SETTINGS, {}, messages), "sdk-v3")  # within the API's budget
    with pytest.raises(OverBudget):
        replay(Scenario(SETTINGS, {}, messages), "sdk-v3", PAGE)


def test_pintrk_calls_count_as_messages() -> None:
    calls = tuple(("page",) for _ in range(11))
    with pytest.raises(OverBudget):
        replay(
            load_scenario({"pintrk": [list(c) for c in calls]}),
            "sdk-v3",
            Budget(messages=10, values=10_000),
        )


def test_a_realistic_ten_thousand_message_api_body_fits_the_api_budget() -> None:
    import json

    from bench.corpus import INITIAL_TRAITS, corpus
    from bench.corpus import SETTINGS as BENCH_SETTINGS

    body = json.dumps(
        {"settings": BENCH_SETTINGS, "initialTraits": INITIAL_TRAITS, "messages": corpus(10_000)}
    )
    check_text(body, API, "body")
    check_scenario(corpus(10_000), API)


@pytest.mark.parametrize(
    ("size", "options", "text"),
    [
        # A limit: its largest whole unit (app/web/limits.size_text, beacons._size).
        (2 * 1024 * 1024, {}, "2 MB"),
        (50 * 1024 * 1024, {}, "50 MB"),
        (512 * 1024, {}, "512 KB"),
        (500_000, {}, "500 KB"),  # Flask's decimal limits
        (1_500, {}, "1,500 bytes"),
        (3 * 1024 * 1024 + 1, {}, "3,145,729 bytes"),
        # A measured size (app/web/errors._size): MB with two decimals, whole KB, bytes.
        (1_572_864, {"digits": 2}, "1.50 MB"),
        (12_800, {"digits": 2}, "12 KB"),
        (2_000_000, {"digits": 2}, "1.91 MB"),
        (500, {"digits": 2}, "500 bytes"),
        # Rounded to a tenth (app/web/reproductions.size_text_rounded, sizes over a field limit).
        (1_572_864, {"digits": 1}, "1.5 MB"),
        (300_000, {"digits": 1}, "293 KB"),
        # Megabytes whatever the size (app/web/api._megabytes).
        (20 * 1024 * 1024, {"unit": "MB"}, "20 MB"),
        (512 * 1024, {"unit": "MB"}, "0.5 MB"),
    ],
)
def test_one_size_formatter_writes_every_size(size: int, options: dict[str, Any], text: str) -> None:
    assert limits.size_text(size, **options) == text


def test_the_form_and_api_limits_are_in_the_table() -> None:
    assert (limits.MAX_NESTING, limits.MAX_CALL_NESTING, limits.MAX_CALLS, limits.MAX_ROWS) == (
        100,
        64,
        1_000,
        100,
    )
    assert (limits.MAX_LINE_LENGTH, limits.MAX_TEXT_LENGTH) == (1_000, 200_000)
    assert limits.API_MAX_CONTENT_LENGTH == 20 * 1024 * 1024
    assert limits.API_MAX_HAR_CONTENT_LENGTH == 50 * 1024 * 1024


def test_over_budget_is_an_input_error_with_a_location() -> None:
    error = limits.OverBudget("too much", "messages[3].properties.products")
    assert isinstance(error, InputError) and error.code == "over-budget"
    assert (str(error), error.message, error.location) == (
        "too much",
        "too much",
        "messages[3].properties.products",
    )
    assert error.location.path == "messages[3].properties.products"
