"""Recordings decoded and compared: the Chromium visit in tests/fixtures, and Pinterest's own tag
(``beacons.json``, ``tag-runtime.json``): real requests agree with the prediction."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

import pytest

from app.pintrk.decode import (
    compare_beacons,
    decode_har,
)
from app.pintrk.jsvalue import loads
from app.pintrk.replay import Scenario, replay
from app.pintrk.scenario import load_scenario
from tests.conformance import load_vectors
from tests.fixtures import make_har
from tests.pintrk.decode.beacons import HAR, SAFE_IN_URI_COMPONENT, TID, entry, har

# -- the recorded Chromium visit ---------------------------------------------------------------


def test_recorded_visit_matches_the_prediction() -> None:
    found = decode_har(HAR.read_bytes(), hosts=(make_har.STAND_IN_HOST,))
    result = make_har.predicted()
    # Every request, /user/ ones too, in the order the browser made them.
    assert [(b.method, b.endpoint, b.event) for b in found.beacons] == [
        (r.method, r.endpoint, r.event) for r in result.requests
    ]
    sent = [b for b in found.beacons if b.endpoint == "v3"]
    assert (
        [b.event for b in sent]
        == [b.event for b in result.beacons]
        == [
            "init",
            "PageVisit",
            "AddToCart",
            "SignUp",
            "Checkout",
            "Custom",
            "Checkout",
        ]
    )
    comparison = compare_beacons(result.requests, found.beacons)
    assert comparison.agrees, [d.text for d in comparison.differences]
    assert comparison.ignored == tuple(i for i, b in enumerate(found.beacons) if b.endpoint == "user") != ()
    assert all(b.problems == () and b.cb for b in found.beacons)
    # cb and ad came from the browser (its clock, the page's own URL and screen), not the prediction.
    for decoded, beacon in zip(sent, result.beacons, strict=True):
        assert decoded.cb != str(beacon.cb)
        assert decoded.ad is not None and decoded.ad["loc"].startswith(f"http://{make_har.STAND_IN_HOST}:")
        assert list(decoded.ad) == list(loads(beacon.ad_json or "{}"))
    # em on the wire: the address trimmed and lower-cased (inner spaces kept), then SHA-256.
    assert sent[3].pd["em"] == hashlib.sha256(b"jane.doe@example.com").hexdigest()
    assert sent[3].params_sent == ("event", "ed", "tid", "pd", "cb", "dep", "stc", "ad")
    checkout = sent[4].ed
    assert checkout["line_items"][1] == {
        "product_quantity": 3,
        "product_price": 1e-7,
        "product_name": "</script><b>",
        "product_id": "S-2",
    }
    # The big cart's beacon was POSTed: read from the form body Chromium recorded.
    assert (sent[6].method, sent[6].url) == ("POST", f"{sent[6].url.split('/v3/')[0]}/v3/")
    assert len(sent[6].ed["line_items"]) == 9 and sent[6].tid == TID
    # Only the stand-in host holds the beacons: Pinterest's host finds none in this HAR.
    assert decode_har(HAR.read_bytes()).beacons == ()


def _visit() -> tuple[Any, Any]:
    found = decode_har(HAR.read_bytes(), hosts=(make_har.STAND_IN_HOST,))
    return make_har.scenario(), found.beacons


def test_recorded_visit_against_another_profile() -> None:
    scenario, sent = _visit()
    differences = compare_beacons(replay(scenario, "docs").beacons, sent).differences
    texts = [d.text for d in differences]
    assert (
        'event_id sent on PageVisit but not predicted: "msg-1" (the current SDK, profile sdk-v3, adds it)'
        in texts
    )
    assert (
        'opt_out_type sent on PageVisit but not predicted: "" (the current SDK, profile sdk-v3, adds it)'
        in texts
    )
    # docs sends the unmapped event under its own name, case kept; the site sent Custom.
    assert (
        "event differs: predicted 'Clicked Banner', sent 'Custom' (check the event mapping and the event name the site tracks)"
        in texts
    )
    # The /user/ requests are never compared, so nothing is said about them.
    assert all(d.sent is None or sent[d.sent].endpoint == "v3" for d in differences)


def test_recorded_visit_with_the_identify_moved_earlier() -> None:
    scenario, sent = _visit()
    messages = list(scenario.messages)
    messages.insert(1, messages.pop(2))  # identify before Product Added, messageIds kept
    changed = Scenario(scenario.settings, scenario.initial_traits, tuple(messages))
    texts = [d.text for d in compare_beacons(replay(changed, make_har.PROFILE).beacons, sent).differences]
    assert "em missing on AddToCart: the identify came after this event" in texts


def test_recorded_visit_with_the_identify_moved_later() -> None:
    scenario, sent = _visit()
    messages = list(scenario.messages)
    messages.insert(4, messages.pop(2))  # identify after Order Completed
    changed = Scenario(scenario.settings, scenario.initial_traits, tuple(messages))
    texts = [d.text for d in compare_beacons(replay(changed, make_har.PROFILE).beacons, sent).differences]
    assert (
        "em sent on SignUp but not predicted: on the site the identify came before this event; "
        "in the scenario it comes later"
    ) in texts


def test_recorded_visit_with_changed_values_and_events() -> None:
    scenario, sent = _visit()
    messages = [dict(m) for m in scenario.messages]
    messages[4] = {**messages[4], "properties": {**messages[4]["properties"], "revenue": "131.49"}}
    # The tag makes a number of a numeric text in value: no difference there.
    messages[4]["properties"] = {**messages[4]["properties"], "order_quantity": "4"}
    # A search where the site had Clicked Banner (with a context, as the SDK sends it: sdk-v3 throws without one).
    messages[5] = {
        "type": "track",
        "event": "Products Searched",
        "properties": {},
        "messageId": "msg-6",
        "context": messages[4]["context"],
    }
    changed = Scenario(scenario.settings, scenario.initial_traits, tuple(messages))
    comparison = compare_beacons(replay(changed, make_har.PROFILE).beacons, sent)
    texts = [d.text for d in comparison.differences]
    assert not any(text.startswith("value ") for text in texts)
    assert 'order_quantity differs on Checkout (the 1st): predicted "4", sent 4 (a number)' in texts
    assert (
        "event differs: predicted 'Search', sent 'Custom' (check the event mapping and the event name the site tracks)"
        in texts
    )
    assert {d.kind for d in comparison.differences} >= {"ed", "event"}


# -- Pinterest's own tag, recorded: real requests agree with the prediction ----------------------

_RECORDINGS = load_vectors("beacons.json")
_PROBES = load_vectors("tag-runtime.json")
_SCENARIOS = {s["id"]: s for s in load_vectors("scenarios.json")}
# What a desktop Chromium on a shop's page reports as ad (recorded as "<ad>"), by key.
_PAGE_FACTS: dict[str, Any] = {
    "loc": "https://shop.example.org/checkout/thank-you?order=5001&utm_source=newsletter&utm_medium=email",
    "ref": "https://shop.example.org/checkout/payment",
    "if": False,
    "sh": 1080,
    "sw": 1920,
    "mh": "0cb4b510",
    "is_eu": True,
    "is_restricted_region": False,
    "architecture": "x86",
    "bitness": "64",
    "brands": [{"brand": "Chromium", "version": "156"}, {"brand": "Not?A_Brand", "version": "99"}],
    "mobile": False,
    "model": "",
    "platform": "Linux",
    "platformVersion": "6.1.0",
    "uaFullVersion": "156.0.8078.114",
}


def _encode(params: list[tuple[str, str]]) -> str:
    """The query or form body as the tag writes it: encodeURIComponent for every value."""
    return "&".join(f"{name}={quote(value, safe=SAFE_IN_URI_COMPONENT)}" for name, value in params)


def _real_har(requests: list[dict[str, Any]]) -> tuple[dict[str, Any], list[int]]:
    """A HAR of the recorded requests, with realistic values for the placeholders, as Chrome
    exports it (a POST's params still percent-encoded); and the indices of the /user/ ones."""
    entries = [entry("https://shop.example.org/checkout/thank-you", "2024-05-01T10:00:00.000Z")]
    users = []
    for n, request in enumerate(requests):
        params = []
        for name, value in request["params"]:
            if value == "<cb>":
                value = str(1_714_557_600_100 + 500 * request["after_call"] + n)
            elif value == "<ad>":
                value = json.dumps(
                    {key: _PAGE_FACTS[key] for key in request["ad_keys"]}, separators=(",", ":")
                )
            params.append((name, value))
        started = f"2024-05-01T10:00:{n // 1000:02d}.{n % 1000:03d}Z"
        address = f"https://ct.pinterest.com{request['path']}"
        if request["method"] == "POST":
            body = _encode(params)
            raw = [dict(zip(("name", "value"), pair.split("=", 1), strict=False)) for pair in body.split("&")]
            post = {"mimeType": "application/x-www-form-urlencoded", "text": body, "params": raw}
            entries.append(entry(address, started, request={"method": "POST", "postData": post}))
        else:
            entries.append(entry(f"{address}?{_encode(params)}", started))
        if request["path"] == "/user/":
            users.append(n)
    return har(*entries), users


def _assert_real_requests_agree(predicted: Sequence[Any], recorded: list[dict[str, Any]], where: str) -> None:
    capture, users = _real_har(recorded)
    found = decode_har(capture)
    assert found.notes == () and len(found.beacons) == len(recorded), where
    assert [(b.method, b.endpoint) for b in found.beacons] == [
        (r["method"], "v3" if r["path"] == "/v3/" else "user") for r in recorded
    ], where
    for beacon, request in zip(found.beacons, recorded, strict=True):
        # Every parameter was read, in order; the tag's own output raises no problem but a missing event.
        assert beacon.params_sent == tuple(name for name, _ in request["params"]), where
        names = dict(request["params"])
        allowed = set()
        if beacon.endpoint == "v3" and not names.get("event"):
            allowed.add("no event parameter: Pinterest can't tell what happened")
        if not re.fullmatch(r"\d{13}", names.get("tid", "")):
            allowed.update(p for p in beacon.problems if p.startswith(("tid ", "no tid")))
        assert set(beacon.problems) <= allowed, (where, beacon.problems)
    comparison = compare_beacons(predicted, found.beacons)
    assert comparison.agrees, (where, [d.text for d in comparison.differences])
    assert comparison.ignored == tuple(users), where
    assert len(comparison.pairs) == len(recorded) - len(users), where


def test_real_tag_recordings_are_present() -> None:
    if not _RECORDINGS or not _PROBES:
        pytest.skip("conformance recordings not found")
    assert len(_RECORDINGS) == 447 and len(_PROBES) == 51


@pytest.mark.parametrize("recording", _RECORDINGS, ids=[f"{r['id']}[{r['profile']}]" for r in _RECORDINGS])
def test_real_scenario_requests_agree_with_the_prediction(recording: dict[str, Any]) -> None:
    """A capture of Pinterest's own tag for a scenario shows no difference from the replay,
    but for the values only the browser knows (cb, ad), which are not compared."""
    predicted = replay(load_scenario(_SCENARIOS[recording["id"]]), recording["profile"]).beacons
    _assert_real_requests_agree(
        predicted, recording["requests"], f"{recording['id']}[{recording['profile']}]"
    )


@pytest.mark.parametrize("probe", _PROBES, ids=[p["id"] for p in _PROBES])
def test_real_probe_requests_agree_with_the_prediction(probe: dict[str, Any]) -> None:
    scenario = load_scenario({"id": probe["id"], "pintrk": [loads(c) for c in probe["calls_json"]]})
    _assert_real_requests_agree(replay(scenario).beacons, probe["requests"], probe["id"])
