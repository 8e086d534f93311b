"""The deduplication check: one verdict per event, each reason read from the rule records."""

from __future__ import annotations

from typing import Any

import pytest

from app.pintrk import load_scenario, replay
from app.pintrk.cloud import cloud_outcomes
from app.pintrk.dedup import DedupCheck, check_deduplication, pinterest_event_key
from tests.fixtures.hybrid import SHOP_CALLS, hybrid_config


def _check(
    config: dict[str, Any], profile: str = "sdk-v3", calls: str = SHOP_CALLS, **document: Any
) -> DedupCheck:
    scenario = load_scenario({"settings": config, "calls": calls, **document})
    return check_deduplication(replay(scenario, profile), cloud_outcomes(scenario))


def _verdicts(check: DedupCheck) -> list[tuple[str, str]]:
    return [(pair.message_type, pair.verdict) for pair in check.pairs]


def test_one_hybrid_destination_with_sdk_v3_deduplicates_every_event() -> None:
    check = _check(hybrid_config())
    assert _verdicts(check) == [("identify", "not-sent"), ("page", "deduplicated"), ("track", "deduplicated")]
    page, track = check.pairs[1], check.pairs[2]
    assert (page.browser_event, page.server_event) == ("ViewCategory", "view_category")
    assert (track.browser_event, track.server_event) == ("Checkout", "checkout")
    assert track.browser_event_id == track.server_event_id == "msg-3"
    assert check.summary == "All 2 events will be deduplicated"
    identify = check.pairs[0]
    assert [r.kind for r in identify.reasons] == ["identify-no-event", "identify-rejected"]
    assert "message type identify is not supported" in identify.reasons[1].text


@pytest.mark.parametrize("profile", ["docs", "sdk-v1"])
def test_profiles_without_event_id_count_twice(profile: str) -> None:
    check = _check(hybrid_config(), profile)
    assert _verdicts(check)[1:] == [("page", "count-twice"), ("track", "count-twice")]
    assert check.summary == "2 of 2 events will count twice"
    for pair in check.pairs[1:]:
        assert pair.browser_event_id is None and pair.server_event_id is not None
        assert [r.kind for r in pair.reasons if not r.note] == ["browser-no-event-id"]
    assert check.pairs[1].reasons[0].text.startswith("The browser's event has no event_id: page events")


def test_event_names_are_matched_as_pinterest_normalises_them() -> None:
    assert pinterest_event_key("AddToCart") == pinterest_event_key("add_to_cart") == "addtocart"
    assert pinterest_event_key("Checkout") == pinterest_event_key("checkout")
    assert pinterest_event_key("Signed Up") != pinterest_event_key("custom")


def test_an_event_name_that_differs_counts_twice_and_names_both_rules() -> None:
    # sdk-v3 sends an unmapped event under its own name; the server with "Send as custom event"
    # would say "custom" — here the server's separate destination has it on, the browser's not.
    calls = 'rudderanalytics.track("Signed Up", {});'
    server = hybrid_config(sendAsCustomEvent=True)
    check = _check(hybrid_config(connectionMode={"web": "device"}), calls=calls, cloudSettings=server)
    (pair,) = check.pairs
    assert (pair.browser_event, pair.server_event, pair.verdict) == ("Signed Up", "custom", "count-twice")
    (reason,) = [r for r in pair.reasons if not r.note]
    assert reason.kind == "name-differs"
    assert "the event's own name" in reason.text and "“Send as custom event”" in reason.text


def test_a_different_deduplication_key_counts_twice_and_the_suggested_fix_deduplicates() -> None:
    browser = hybrid_config(connectionMode={"web": "device"}, deduplicationKey="properties.order_id")
    server = hybrid_config(connectionMode={"web": "cloud"}, deduplicationKey="")
    calls = 'rudderanalytics.track("Order Completed", {order_id: "ord-1", email: "a@b.co"});'
    check = _check(browser, calls=calls, cloudSettings=server)
    (pair,) = check.pairs
    assert pair.verdict == "count-twice"
    assert (pair.browser_event_id, pair.server_event_id) == ("ord-1", "msg-1")
    (reason,) = [r for r in pair.reasons if not r.note]
    assert reason.kind == "event-id-differs"
    assert "properties.order_id" in reason.text and "the messageId" in reason.text
    assert reason.fix is not None
    assert (reason.fix.destination, reason.fix.key, reason.fix.value) == (
        "cloudSettings",
        "deduplicationKey",
        "properties.order_id",
    )
    fixed = _check(browser, calls=calls, cloudSettings={**server, reason.fix.key: reason.fix.value})
    assert [p.verdict for p in fixed.pairs] == ["deduplicated"]


def test_an_email_sent_unhashed_as_given_is_a_note() -> None:
    check = _check(hybrid_config(sendingUnHashedData=False))
    track = check.pairs[2]
    assert track.verdict == "deduplicated"  # names and event_id match: the e-mail doesn't decide
    notes = [r for r in track.reasons if r.note]
    assert [r.kind for r in notes] == ["em-not-hashed"]
    assert "Jane.Doe@Example.com" in notes[0].text  # untrimmed, as given


def test_device_mode_is_browser_only_and_cloud_mode_server_only() -> None:
    device = _check(hybrid_config(connectionMode={"web": "device"}))
    assert {p.verdict for p in device.pairs[1:]} == {"browser-only"}
    assert device.pairs[2].reasons[0].kind == "server-off"
    cloud = _check(hybrid_config(connectionMode={"web": "cloud"}))
    assert {p.verdict for p in cloud.pairs[1:]} == {"server-only"}
    assert cloud.pairs[2].reasons[0].kind == "browser-off"


def test_a_server_rejection_is_browser_only_with_the_dashboard_text() -> None:
    check = _check(hybrid_config(advertiserId=""))
    assert _verdicts(check)[1:] == [("page", "browser-only"), ("track", "browser-only")]
    assert "Advertiser Id not found. Aborting" in check.pairs[2].reasons[0].text


def test_to_dict_has_the_summary_counts_and_pairs() -> None:
    data = _check(hybrid_config(), "docs").to_dict()
    assert data["summary"] == "2 of 2 events will count twice"
    assert data["counts"]["count-twice"] == 2 and data["counts"]["not-sent"] == 1
    assert data["pairs"][2]["browser"] == {"event": "Checkout", "event_id": None}
    assert data["pairs"][2]["server"]["event_name"] == "checkout"


def test_the_check_grows_linearly_with_the_messages() -> None:
    """Identifies (no browser event: the reason reads that message's entries) in numbers: ten
    times the messages cost about ten times the time (a scan of the whole run per message cost
    35 times at 1,000, measured), not a hundred."""
    import time

    def seconds(count: int) -> float:
        identify = {"type": "identify", "messageId": "m", "context": {"traits": {"email": "a@b.co"}}}
        scenario = load_scenario({"settings": hybrid_config(), "messages": [identify] * count})
        result = replay(scenario, "sdk-v3")
        outcomes = cloud_outcomes(scenario)
        start = time.perf_counter()
        check_deduplication(result, outcomes)
        return time.perf_counter() - start

    seconds(50)  # warm up
    small, large = min(seconds(200) for _ in range(3)), min(seconds(2000) for _ in range(3))
    assert large < small * 20, (small, large)
