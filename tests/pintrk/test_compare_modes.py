"""Profile × connection mode: each cell is the deduplication check of that combination."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from app.pintrk import compare_modes, load_scenario, replay
from app.pintrk.cloud import cloud_outcomes
from app.pintrk.compare import ModeGrid
from app.pintrk.dedup import check_deduplication
from tests.fixtures.hybrid import SHOP_CALLS, hybrid_config


def _grid(config: dict[str, Any], calls: str = SHOP_CALLS, **document: Any) -> ModeGrid:
    return compare_modes(load_scenario({"settings": config, "calls": calls, **document}))


def _texts(grid: ModeGrid) -> dict[str, list[str]]:
    return {
        profile: [cell.text for cell in row] for profile, row in zip(grid.profiles, grid.rows, strict=True)
    }


def test_every_cell_of_the_hybrid_shop_scenario() -> None:
    grid = _grid(hybrid_config())
    assert grid.profiles == ("docs", "sdk-v1", "sdk-v3")
    assert [c.key for c in grid.columns] == ["device", "cloud", "hybrid"] and not grid.separate_server
    device, cloud = "2 events from the browser only", "2 events from the server only (1 rejected)"
    assert _texts(grid) == {
        "docs": [device, cloud, "2 of 2 events will count twice"],
        "sdk-v1": [device, cloud, "2 of 2 events will count twice"],
        "sdk-v3": [device, cloud, "All 2 events will be deduplicated"],
    }
    assert grid.cell("docs", "hybrid").counts == (("count-twice", 2), ("not-sent", 1))
    assert grid.cell("sdk-v3", "hybrid").counts == (("deduplicated", 2), ("not-sent", 1))
    assert grid.cell("sdk-v1", "device").counts == (("browser-only", 2), ("not-sent", 1))
    # The one refusal in cloud mode is identify: the Conversions API has no such event.
    assert grid.cell("sdk-v3", "cloud").counts == (("server-only", 2), ("not-sent", 1))
    assert grid.cell("sdk-v3", "cloud").rejected_messages == ("identify",)
    assert [c.deduplicates_everything for c in grid.rows[2]] == [False, False, True]
    assert grid.conclusion == "Only sdk-v3 in hybrid mode deduplicates every event."


@pytest.mark.parametrize("own_mode", ["device", "cloud", "hybrid", "separate"])
def test_every_cell_is_the_checks_own_run_of_that_combination(own_mode: str) -> None:
    """The grid replays once per profile and asks the server once: each cell must still be what a
    run of its own (replay, cloud_outcomes, check) with the column's settings says."""
    mode = "device" if own_mode == "separate" else own_mode
    document: dict[str, Any] = {"settings": hybrid_config(connectionMode={"web": mode}), "calls": SHOP_CALLS}
    if own_mode == "separate":
        document["cloudSettings"] = hybrid_config(connectionMode={"web": "cloud"}, sendingUnHashedData=False)
    scenario = load_scenario(document)
    grid = compare_modes(scenario)
    for profile, row in zip(grid.profiles, grid.rows, strict=True):
        for cell in row:
            column = cell.column
            variant = replace(
                scenario,
                settings=replace(scenario.settings, connection_mode=column.connection_mode),
                cloud_settings=scenario.cloud_settings if column.server_destination else None,
            )
            check = check_deduplication(replay(variant, profile), cloud_outcomes(variant))
            assert cell.check.to_dict() == check.to_dict(), (own_mode, profile, column.key)


def test_a_server_that_rejects_every_event_is_said_in_cloud_mode_and_nothing_deduplicates() -> None:
    grid = _grid(hybrid_config(advertiserId=""))
    assert grid.cell("sdk-v3", "cloud").text == "No events from the server (3 rejected)"
    assert grid.cell("sdk-v3", "cloud").rejected_messages == ("identify", "page", "track")
    assert grid.cell("sdk-v3", "hybrid").counts == (("browser-only", 2), ("not-sent", 1))
    assert grid.conclusion == "No combination deduplicates every event."


def test_a_scenario_without_events_says_so() -> None:
    grid = _grid(hybrid_config(), calls='rudderanalytics.identify("u-1", {email: "a@b.co"});')
    assert grid.cell("docs", "device").text == "No events from the browser"
    assert grid.cell("docs", "cloud").text == "No events from the server (1 rejected)"
    assert grid.cell("docs", "hybrid").text == "No events: nothing can count twice"
    assert grid.conclusion == "This scenario sends no events, so nothing can count twice."


def test_a_separate_server_destination_gives_destination_columns() -> None:
    browser = hybrid_config(connectionMode={"web": "device"}, deduplicationKey="properties.order_id")
    server = hybrid_config(connectionMode={"web": "cloud"})
    grid = _grid(browser, cloudSettings=server)
    assert grid.separate_server
    assert [c.label for c in grid.columns] == [
        "Browser destination only",
        "Server destination only",
        "Both destinations",
    ]
    device, cloud = "2 events from the browser only", "2 events from the server only (1 rejected)"
    # sdk-v3's order takes its event_id from the order ID, the server destination's from the
    # messageId: the page deduplicates, the order counts twice.
    assert _texts(grid) == {
        "docs": [device, cloud, "2 of 2 events will count twice"],
        "sdk-v1": [device, cloud, "2 of 2 events will count twice"],
        "sdk-v3": [device, cloud, "1 of 2 events will count twice"],
    }
    assert grid.cell("sdk-v3", "both").counts == (("deduplicated", 1), ("count-twice", 1), ("not-sent", 1))
    assert grid.conclusion == "No combination deduplicates every event."
    fixed = _grid(browser, cloudSettings={**server, "deduplicationKey": "properties.order_id"})
    assert fixed.conclusion == "Only sdk-v3 with both destinations deduplicates every event."


def test_the_conclusion_names_every_combination_that_deduplicates() -> None:
    grid = compare_modes(load_scenario({"settings": hybrid_config(), "calls": SHOP_CALLS}), ["sdk-v3"])
    good = grid.cell("sdk-v3", "hybrid")
    every = ModeGrid(
        ("a", "b"), grid.columns, ((replace(good, profile="a"),), (replace(good, profile="b"),)), False
    )
    assert every.conclusion == "Every profile in hybrid mode deduplicates every event."
    other = replace(good, profile="b", column=replace(good.column, phrase="with both destinations"))
    some = ModeGrid(("a", "b", "c"), grid.columns, ((replace(good, profile="a"),), (other,), ()), False)
    assert some.conclusion == "a in hybrid mode and b with both destinations deduplicate every event."


def test_to_dict_has_every_cell_with_its_counts() -> None:
    data = _grid(hybrid_config()).to_dict()
    assert [c["key"] for c in data["columns"]] == ["device", "cloud", "hybrid"]
    assert data["conclusion"] == "Only sdk-v3 in hybrid mode deduplicates every event."
    sdk_v3 = data["rows"][2]
    assert sdk_v3["profile"] == "sdk-v3"
    assert sdk_v3["cells"][2] == {
        "profile": "sdk-v3",
        "column": "hybrid",
        "text": "All 2 events will be deduplicated",
        "deduplicatesEverything": True,
        "rejected": 1,
        "counts": {
            "deduplicated": 2,
            "count-twice": 0,
            "server-only": 0,
            "browser-only": 0,
            "not-sent": 1,
        },
    }


def test_each_profile_is_known_and_compared_once() -> None:
    scenario = load_scenario({"settings": hybrid_config(), "calls": SHOP_CALLS})
    with pytest.raises(ValueError, match="Unknown profile 'nope'"):
        compare_modes(scenario, ["nope"])
    with pytest.raises(ValueError, match="only once"):
        compare_modes(scenario, ["docs", "docs"])


def test_a_run_the_caller_has_is_reused_and_gives_the_same_grid() -> None:
    scenario = load_scenario({"settings": hybrid_config(), "calls": SHOP_CALLS})
    mine = replay(scenario, "sdk-v1")
    assert compare_modes(scenario, replayed=mine).to_dict() == compare_modes(scenario).to_dict()
    # a run of another scenario is not taken for this one's
    other = replay(load_scenario({"settings": hybrid_config(), "calls": ""}), "sdk-v1")
    assert compare_modes(scenario, replayed=other).to_dict() == compare_modes(scenario).to_dict()
