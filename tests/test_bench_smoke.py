"""The benchmark still runs (tiny sizes): it is not part of the test run, so nothing else would notice it rot."""

from __future__ import annotations

from app.pintrk import PROFILES
from bench import run


def test_mapping_and_scaling_report_every_profile_and_size() -> None:
    mapping = run.mapping_throughput(300, 1)
    assert set(mapping["profiles"]) == set(PROFILES)
    assert all(row["msgs_per_s"] > 0 and row["ratio_to_floor"] > 0 for row in mapping["profiles"].values())
    scaling = run.scaling([100, 200], 1)
    assert set(scaling["sizes"]) == {"100", "200"}


def test_requests_are_timed_against_a_real_server() -> None:
    report = run.request_cost(3)
    assert {
        "minimal_route",
        "empty_main_page",
        "main_page_20_calls_first_view",
        "main_page_20_calls_repeat_view",
        "main_page_500_calls_first_view",
        "main_page_500_calls_repeat_view",
        "api_replay_1000_messages",
    } == set(report)
    assert all(row["p50_ms"] > 0 for row in report.values())


def test_cli_and_api_memory_figures() -> None:
    cli = run.cli_cost(50, 1)
    assert cli["start_up_seconds"] > 0 and cli["us_per_msg_in_process"] > 0
    memory = run.api_memory(200)
    assert memory["peak_rss_mb"] >= memory["rss_before_mb"] > 0
