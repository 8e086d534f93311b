"""The per-request work budget (app/pintrk/budget.py): counted before any work, refused in words."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.pintrk import OverBudget, Scenario, parse_settings, replay
from app.pintrk import budget
from app.pintrk.budget import API, PAGE, Budget, check_scenario, count_values

SETTINGS = parse_settings({"tagId": "2612345678901"})
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=3),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=3), inner, max_size=4),
    max_leaves=30,
)


def _count_recursively(value: object) -> int:
    """The rule, written plainly: a value, plus the values inside it."""
    if isinstance(value, dict):
        return 1 + sum(_count_recursively(v) for v in value.values())
    if isinstance(value, list):
        return 1 + sum(_count_recursively(v) for v in value)
    return 1


@given(json_values)
def test_count_values_counts_every_value_once(value: object) -> None:
    assert count_values(value, 10**9) == _count_recursively(value)


def test_count_values_stops_past_the_limit() -> None:
    deep: list[object] = []
    for _ in range(100_000):  # deeper than any recursion limit: the count is iterative
        deep = [deep]
    assert count_values(deep, 10**9) == 100_001
    assert count_values([0] * 1_000_000, 10) == 11  # stops early


def test_messages_over_the_budget() -> None:
    with pytest.raises(OverBudget) as caught:
        check_scenario([{"type": "page"}] * 11, budget=Budget(messages=10, values=1000))
    assert caught.value.location == "messages"
    assert "11 messages; at most 10" in caught.value.message


def test_values_over_the_budget_name_the_message() -> None:
    messages = [{"type": "page"}, {"type": "track", "properties": {"x": [0] * 200}}]
    with pytest.raises(OverBudget) as caught:
        check_scenario(messages, budget=Budget(messages=10, values=100))
    assert caught.value.location == "messages[1]"
    assert "more than 100 values" in caught.value.message and "message 2" in caught.value.message


def test_initial_traits_count_too() -> None:
    with pytest.raises(OverBudget) as caught:
        check_scenario([], {"a": list(range(200))}, Budget(messages=10, values=100))
    assert caught.value.location == "initialTraits"


def test_products_are_bounded_across_messages() -> None:
    track = {"type": "track", "event": "Order Completed", "properties": {"products": [{}] * 30_000}}
    check_scenario([track], budget=API)  # 30,000 products fit
    with pytest.raises(OverBudget) as caught:
        check_scenario([track, track], budget=API)
    assert caught.value.location == "messages[1].properties.products"
    assert f"more than {budget.MAX_LINE_ITEMS:,} products" in caught.value.message


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
        replay(Scenario.from_dict({"pintrk": [list(c) for c in calls]}), "sdk-v3", Budget(messages=10, values=10_000))


def test_a_realistic_ten_thousand_message_replay_fits_the_api_budget() -> None:
    from bench.corpus import INITIAL_TRAITS, SETTINGS as BENCH_SETTINGS, corpus

    check_scenario(corpus(10_000), INITIAL_TRAITS, API)
    assert parse_settings(BENCH_SETTINGS)  # the corpus's own settings are valid
