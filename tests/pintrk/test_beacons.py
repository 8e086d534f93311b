"""Decoding real beacons (URLs, text, HAR) and comparing them with the predicted ones."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.pintrk.beacons import (
    MAX_HAR_BYTES,
    BeaconError,
    HarTooLargeError,
    compare_beacons,
    decode_har,
    decode_text,
    decode_url,
)
from app.pintrk.calls import parse_call_script
from app.pintrk.jsvalue import loads
from app.pintrk.messages import build_messages
from app.pintrk.replay import Scenario, replay
from app.pintrk.settings import parse_settings
from app.pintrk.tag import hash_identifier as hash_email
from tests.fixtures import make_har

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
HAR = FIXTURES / "pintrk-visit.har"
TID = "2612345678901"



def url(event: str, ed: str | None = None, pd: str | None = None, tid: str = TID, extra: str = "") -> str:
    parts = [f"event={event}"]
    if ed is not None:
        parts.append("ed=" + quote(ed, safe=""))
    parts.append(f"tid={tid}")
    if pd is not None:
        parts.append("pd=" + quote(pd, safe=""))
    return "https://ct.pinterest.com/v3/?" + "&".join(parts) + extra


def run(calls: str, settings: dict[str, Any] | None = None, profile: str = "docs", traits: dict[str, Any] | None = None):
    scenario = Scenario(
        parse_settings(settings or {"tagId": TID}),
        traits or {},
        tuple(build_messages(parse_call_script(calls), traits or {})),
    )
    return replay(scenario, profile)


# -- one URL ---------------------------------------------------------------------------


def test_decodes_every_part() -> None:
    beacon = decode_url(
        url("checkout", '{"value":1e+21,"n":1.0,"big":12345678901234567890,"2":"b","1":"a"}', '{"em":"' + "a" * 64 + '"}',
            extra="&cb=1714557601000&ad=%7B%22loc%22%3A1%7D&pv=2")
    )
    assert beacon.endpoint == "v3" and beacon.method == "GET"
    assert beacon.event == "checkout" and beacon.tid == TID and beacon.cb == "1714557601000"
    assert beacon.ed == {"value": 1e21, "n": 1, "big": 12345678901234567000.0, "2": "b", "1": "a"}
    assert isinstance(beacon.ed["n"], int)
    assert beacon.pd == {"em": "a" * 64}
    assert beacon.other == {"ad": '{"loc":1}', "pv": "2"}
    assert beacon.noscript is False and beacon.problems == ()
    assert beacon.to_dict()["other"] == {"ad": '{"loc":1}', "pv": "2"}


@pytest.mark.parametrize(
    "text",
    [
        f"https://ct.pinterest.com/v3/?event=init&tid={TID}",
        f"http://ct.pinterest.com/v3/?event=init&tid={TID}",
        f"ct.pinterest.com/v3/?event=init&tid={TID}",
        f"//ct.pinterest.com/v3?event=init&tid={TID}",
        f"  HTTPS://CT.PINTEREST.COM/v3/?event=init&tid={TID}\n",
    ],
)
def test_url_variants(text: str) -> None:
    beacon = decode_url(text)
    assert (beacon.event, beacon.tid, beacon.endpoint) == ("init", TID, "v3")


def test_user_endpoint_has_no_event_and_no_problem_for_it() -> None:
    beacon = decode_url(f"https://ct.pinterest.com/user/?tid={TID}&pd=%7B%22np%22%3A%22x%22%7D&cb=1")
    assert beacon.endpoint == "user" and beacon.event is None
    assert beacon.pd == {"np": "x"} and beacon.problems == ()


def test_noscript_pixel_in_bracket_style() -> None:
    em = hash_email("jane@example.com")
    beacon = decode_url(
        f"https://ct.pinterest.com/v3/?event=checkout&tid={TID}&pd[em]={em}&ed[value]=10"
        "&ed[line_items][0][product_id]=P1&ed[line_items][1][product_id]=P2&noscript=1"
    )
    assert beacon.noscript is True
    assert beacon.pd == {"em": em}
    assert beacon.ed == {"value": "10", "line_items": [{"product_id": "P1"}, {"product_id": "P2"}]}
    assert beacon.bracketed == frozenset({"ed", "pd"})
    # Brackets carry text only, so 10 and "10" are the same there.
    [predicted] = [b for b in run('rudderanalytics.identify("u", {email: "jane@example.com"});'
                                 'rudderanalytics.track("Order Completed", {revenue: 10, products: [{product_id: "P1"}, {product_id: "P2"}]})').beacons
                   if b.event == "checkout"]
    assert compare_beacons([predicted], [beacon]).agrees


@pytest.mark.parametrize(
    ("query", "problem"),
    [
        ("event=checkout&ed=%7Bvalue%3A1%7D&tid=" + TID, "ed is not valid JSON"),
        ("event=checkout&ed=%5B1%5D&tid=" + TID, "ed is JSON but not an object"),
        ("event=checkout&pd=nope&tid=" + TID, "pd is not valid JSON"),
        ("event=checkout", "no tid parameter"),
        ("event=checkout&tid=123", "tid '123' is not 13 digits"),
        ("tid=" + TID, "no event parameter"),
        ("event=a&event=b&tid=" + TID, "event appears 2 times; the first one is used"),
        ("event=a&tid=" + TID + "&pd=%7B%22em%22%3A%22Jane%40x.com%22%7D", "pd.em looks like an e-mail address in clear"),
        ("event=a&tid=" + TID + "&pd=%7B%22em%22%3A%22abc%22%7D", "pd.em is not a SHA-256 hash"),
        ("event=a&tid=" + TID + "&ed=%7B%7D&ed[value]=1", "ed is sent both as JSON and in brackets"),
    ],
)
def test_problems_in_plain_words(query: str, problem: str) -> None:
    beacon = decode_url("https://ct.pinterest.com/v3/?" + query)
    assert any(p.startswith(problem) for p in beacon.problems), beacon.problems


def test_bad_json_keeps_the_beacon_with_ed_none() -> None:
    beacon = decode_url("https://ct.pinterest.com/v3/?event=checkout&ed=%7B&tid=" + TID)
    assert beacon.ed is None and beacon.event == "checkout"
    assert "line 1, column 2" in beacon.problems[0]


def test_md5_and_sha1_em_are_accepted() -> None:
    for digest in ("a" * 32, "b" * 40):
        assert decode_url(f"{url('init', tid=TID)}&pd[em]={digest}").problems == ()


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("https://example.com/v3/?event=init", "is not a request to ct.pinterest.com (example.com)"),
        ("https://ct.pinterest.com/ct.html?x=1", "the path should be /v3/ or /user/"),
        ("ftp://ct.pinterest.com/v3/?event=init", "is not an http(s) URL"),
    ],
)
def test_not_a_beacon(text: str, words: str) -> None:
    with pytest.raises(BeaconError, match=words.replace("(", r"\(").replace(")", r"\)")):
        decode_url(text)


def test_stand_in_host_is_a_parameter() -> None:
    text = f"http://127.0.0.1:8123/v3/?event=init&tid={TID}"
    with pytest.raises(BeaconError):
        decode_url(text)
    assert decode_url(text, hosts=("127.0.0.1",)).event == "init"
    assert decode_url(text, hosts=("127.0.0.1:8123",)).event == "init"
    with pytest.raises(BeaconError):
        decode_url(text, hosts=("127.0.0.1:9999",))


def test_every_predicted_beacon_decodes_back_to_itself(conformance_path: Path) -> None:
    scenarios = loads(conformance_path.read_text())
    count = 0
    for data in scenarios:
        for profile in ("docs", "sdk-v1", "sdk-v3"):
            predicted = replay(Scenario.from_dict(data), profile).beacons
            decoded = [decode_url(b.url) for b in predicted]
            comparison = compare_beacons(predicted, decoded)
            assert comparison.agrees, (data["id"], profile, [d.text for d in comparison.differences])
            count += len(decoded)
    assert count > 500


# -- text --------------------------------------------------------------------------------


def test_text_with_labels_quotes_and_other_hosts() -> None:
    checkout = url("checkout", '{"value":10}')
    text = (
        f"Request URL: {url('init')}\n"
        "Request Method: GET\n"
        f"curl '{checkout}' -H 'Accept: image/*'\n"
        "https://www.example.com/shop\n"
        f"\"{url('addtocart', '{}')}\", <{url('search', '{}')}>\n"
    )
    found = decode_text(text)
    assert [b.event for b in found.beacons] == ["init", "checkout", "addtocart", "search"]
    assert [b.source for b in found.beacons] == ["line 1", "line 3", "line 5", "line 5"]
    assert found.notes == ("line 4: https://www.example.com/shop is not a request to ct.pinterest.com (www.example.com); skipped",)


def test_text_without_beacons() -> None:
    assert decode_text("nothing here\n\n").beacons == ()


# -- HAR ---------------------------------------------------------------------------------


def har(*entries: dict[str, Any]) -> dict[str, Any]:
    return {"log": {"version": "1.2", "creator": {"name": "test"}, "entries": list(entries)}}


def entry(request_url: str, started: str = "2024-05-01T10:00:00.000Z", **extra: Any) -> dict[str, Any]:
    request = {"method": "GET", "url": request_url, **extra.pop("request", {})}
    return {"startedDateTime": started, "request": request, "response": {"status": 200, **extra.pop("response", {})}, **extra}


def test_har_keeps_only_beacons_in_start_order() -> None:
    data = har(
        entry("https://www.example.com/", "2024-05-01T10:00:00.000Z"),
        entry(url("checkout", "{}"), "2024-05-01T10:00:02.000Z"),
        entry("https://s.pinimg.com/ct/core.js", "2024-05-01T10:00:00.500Z"),
        entry(url("init"), "2024-05-01T12:00:01.000+02:00"),  # 10:00:01Z
        entry("https://ct.pinterest.com/ct.html", "2024-05-01T10:00:00.600Z"),
    )
    found = decode_har(data)
    assert [b.event for b in found.beacons] == ["init", "checkout"]
    assert [b.source for b in found.beacons] == ["HAR entry 4", "HAR entry 2"]


def test_har_post_bodies() -> None:
    form = entry(
        "https://ct.pinterest.com/v3/",
        request={"method": "POST", "postData": {"mimeType": "application/x-www-form-urlencoded",
                                                 "params": [{"name": "event", "value": "lead"}, {"name": "tid", "value": TID}]}},
    )
    text = entry(
        "https://ct.pinterest.com/v3/?tid=" + TID,
        request={"method": "POST", "postData": {"mimeType": "text/plain", "text": "event=signup&ed=%7B%22a%22%3A1%7D"}},
    )
    as_json = entry(
        "https://ct.pinterest.com/v3/",
        request={"method": "POST", "postData": {"mimeType": "application/json",
                                                 "text": json.dumps({"event": "custom", "tid": TID, "ed": {"value": 1.5}})}},
    )
    beacons = decode_har(har(form, text, as_json)).beacons
    assert [(b.method, b.event, b.tid, b.ed) for b in beacons] == [
        ("POST", "lead", TID, None),
        ("POST", "signup", TID, {"a": 1}),
        ("POST", "custom", TID, {"value": 1.5}),
    ]


def test_har_blocked_requests_are_flagged() -> None:
    blocked = entry(url("init"), response={"status": 0, "_error": "net::ERR_BLOCKED_BY_CLIENT"})
    refused = entry(url("checkout", "{}"), response={"status": 403})
    silent = entry(url("lead", "{}"), response={"status": 0})
    beacons = decode_har(har(blocked, refused, silent)).beacons
    assert "ERR_BLOCKED_BY_CLIENT" in beacons[0].problems[0] and "ad blocker" in beacons[0].problems[0]
    assert beacons[1].problems == ("Pinterest answered with HTTP status 403",)
    assert "status 0" in beacons[2].problems[0]


@pytest.mark.parametrize(
    ("data", "location", "words"),
    [
        (b"{", "line 1, column 2", "not valid JSON"),
        (b"[]", "log", "this is not a HAR file"),
        (b'{"log": {"entries": 3}}', "log.entries", "log.entries is missing or not a list"),
        (b"\xff\xfe", None, "not UTF-8"),
    ],
)
def test_har_errors_say_where(data: bytes, location: str | None, words: str) -> None:
    with pytest.raises(BeaconError) as caught:
        decode_har(data)
    assert caught.value.location == location and words in caught.value.message


def test_har_entries_without_url_are_noted() -> None:
    found = decode_har(har({"request": {}}, entry(url("init"))))
    assert found.notes == ("log.entries[0]: no request URL; skipped",)
    assert len(found.beacons) == 1


def test_har_size_cap_states_the_limit() -> None:
    assert MAX_HAR_BYTES == 50 * 1024 * 1024
    data = json.dumps(har(entry(url("init")))).encode()
    assert len(data) > 100
    for source in (data, data.decode(), io.BytesIO(data)):
        with pytest.raises(HarTooLargeError, match="larger than 100 bytes, the most the playground reads") as caught:
            decode_har(source, max_bytes=100)  # type: ignore[arg-type]
        assert caught.value.limit == 100
    with pytest.raises(HarTooLargeError, match="larger than 50 MB"):
        decode_har(io.BytesIO(b" " * (MAX_HAR_BYTES + 1)))
    # A stream is read only up to the limit, and a BOM is fine.
    assert len(decode_har(io.BytesIO(b"\xef\xbb\xbf" + data)).beacons) == 1


# -- the recorded Chromium visit ---------------------------------------------------------------


def test_recorded_visit_matches_the_prediction() -> None:
    found = decode_har(HAR.read_bytes(), hosts=(make_har.STAND_IN_HOST,))
    predicted = make_har.predicted().beacons
    assert [b.event for b in found.beacons] == [b.event for b in predicted] == [
        "init", "pagevisit", "addtocart", "signup", "checkout", "custom",
    ]
    comparison = compare_beacons(predicted, found.beacons)
    assert comparison.agrees, [d.text for d in comparison.differences]
    assert all(b.problems == () and b.cb and "ad" in b.other for b in found.beacons)
    # The browser hashed em itself (crypto.subtle): lower-cased, spaces removed, SHA-256.
    assert found.beacons[3].pd["em"] == hash_email("jane.doe@example.com")
    checkout = found.beacons[4].ed
    assert checkout["line_items"][1] == {"product_quantity": 3, "product_price": 1e-7, "product_name": "</script><b>", "product_id": "S-2"}
    # Only the stand-in host holds the beacons: Pinterest's host finds none in this HAR.
    assert decode_har(HAR.read_bytes()).beacons == ()


def _visit() -> tuple[Any, Any]:
    found = decode_har(HAR.read_bytes(), hosts=(make_har.STAND_IN_HOST,))
    return make_har.scenario(), found.beacons


def test_recorded_visit_against_another_profile() -> None:
    scenario, sent = _visit()
    differences = compare_beacons(replay(scenario, "docs").beacons, sent).differences
    texts = [d.text for d in differences]
    assert "event_id sent on pagevisit but not predicted: \"msg-1\" (the current SDK, profile sdk-v3, adds it)" in texts
    assert "opt_out_type sent on pagevisit but not predicted: \"\" (the current SDK, profile sdk-v3, adds it)" in texts
    # docs sends the unmapped event under its own name; the site sent Custom.
    assert "event differs: predicted 'clicked banner', sent 'custom' (check the event mapping and the event name the site tracks)" in texts


def test_recorded_visit_with_the_identify_moved_earlier() -> None:
    scenario, sent = _visit()
    messages = list(scenario.messages)
    messages.insert(1, messages.pop(2))  # identify before Product Added, messageIds kept
    changed = Scenario(scenario.settings, scenario.initial_traits, tuple(messages))
    texts = [d.text for d in compare_beacons(replay(changed, make_har.PROFILE).beacons, sent).differences]
    assert "em missing on addtocart: the identify came after this event" in texts


def test_recorded_visit_with_the_identify_moved_later() -> None:
    scenario, sent = _visit()
    messages = list(scenario.messages)
    messages.insert(4, messages.pop(2))  # identify after Order Completed
    changed = Scenario(scenario.settings, scenario.initial_traits, tuple(messages))
    texts = [d.text for d in compare_beacons(replay(changed, make_har.PROFILE).beacons, sent).differences]
    assert (
        "em sent on signup but not predicted: on the site the identify came before this event; "
        "in the scenario it comes later"
    ) in texts


def test_recorded_visit_with_changed_values_and_events() -> None:
    scenario, sent = _visit()
    messages = [dict(m) for m in scenario.messages]
    messages[4] = {**messages[4], "properties": {**messages[4]["properties"], "revenue": "131.49"}}
    del messages[5]  # no Clicked Banner in the scenario
    # with a context, as the SDK sends it: sdk-v3 throws on a track without one
    messages.append(
        {"type": "track", "event": "Products Searched", "properties": {}, "messageId": "msg-7", "context": messages[4]["context"]}
    )
    changed = Scenario(scenario.settings, scenario.initial_traits, tuple(messages))
    comparison = compare_beacons(replay(changed, make_har.PROFILE).beacons, sent)
    texts = [d.text for d in comparison.differences]
    assert 'value differs on checkout: predicted "131.49", sent 131.49 (a number)' in texts
    assert (
        "event differs: predicted 'search', sent 'custom' (check the event mapping and the event name the site tracks)"
        in texts
    )
    assert {d.kind for d in comparison.differences} >= {"ed", "event"}


# -- comparison wording --------------------------------------------------------------------------


def test_value_sent_as_text() -> None:
    predicted = run('rudderanalytics.track("Order Completed", {revenue: 10})').beacons
    sent = [decode_url(predicted[0].url), decode_url(url("checkout", '{"value":"10"}'))]
    [difference] = compare_beacons(predicted, sent).differences
    assert difference.text == 'value differs on checkout: predicted 10, sent "10" (a string)'
    assert (difference.kind, difference.field, difference.predicted, difference.sent) == ("ed", "ed.value", 1, 1)


def test_cb_is_ignored_and_key_order_too() -> None:
    predicted = run('rudderanalytics.track("Order Completed", {revenue: 10, currency: "USD"})').beacons
    sent = [decode_url(predicted[0].url + "&cb=1"), decode_url(url("checkout", '{"currency":"USD","value":10}', extra="&cb=2"))]
    assert compare_beacons(predicted, sent).agrees


def test_em_missing_because_the_identify_came_later() -> None:
    scenario = 'rudderanalytics.identify("u", {email: "a@b.com"}); rudderanalytics.track("Order Completed", {revenue: 1});'
    predicted = run(scenario).beacons
    on_site = run('rudderanalytics.track("Order Completed", {revenue: 1}); rudderanalytics.identify("u", {email: "a@b.com"});'
                  'rudderanalytics.track("Lead")').beacons
    sent = [decode_url(b.url) for b in on_site]
    texts = [d.text for d in compare_beacons(predicted, sent).differences]
    assert texts == [
        "em missing on checkout: the identify came after this event",
        "extra beacon 'lead': the playground's scenario doesn't have it",
    ]


def test_em_never_sent_and_em_different() -> None:
    predicted = run('rudderanalytics.identify("u", {email: "a@b.com"}); rudderanalytics.track("Lead")').beacons
    never = [decode_url(url("init")), decode_url(url("lead", "{}"))]
    assert [d.text for d in compare_beacons(predicted, never).differences] == [
        "em missing on lead: the site never sent an e-mail (no identify with an email, and no enhanced match at load)"
    ]
    other = [decode_url(url("init")), decode_url(url("lead", "{}", '{"em":"' + hash_email("c@d.com") + '"}'))]
    [difference] = compare_beacons(predicted, other).differences
    assert difference.text.startswith("em differs on lead: the site sent the hash of another e-mail")


def test_missing_extra_and_reordered_beacons() -> None:
    predicted = run('rudderanalytics.track("Lead"); rudderanalytics.track("Signup"); rudderanalytics.track("Lead")').beacons
    sent = [decode_url(b.url) for b in predicted]
    comparison = compare_beacons(predicted, [sent[0], sent[1], sent[3]])
    assert [d.text for d in comparison.differences] == [
        "missing beacon 'signup': the scenario predicts it, but the site didn't send it "
        "(not called there, blocked, or sent before the recording started)"
    ]
    assert comparison.pairs == ((0, 0), (1, 1), (2, None), (3, 2))
    noscript = decode_url(f"https://ct.pinterest.com/v3/?event=init&tid={TID}&noscript=1")
    extra = compare_beacons(predicted, [*sent, noscript]).differences
    assert [d.text for d in extra] == [
        "extra beacon 'init (the 2nd)': it is the <noscript> pixel, which only fires without JavaScript"
    ]
    twice = compare_beacons(predicted, [sent[0], sent[1], sent[2]]).differences
    assert [d.text for d in twice][0].startswith("missing beacon 'lead (the 2nd)'")


def test_tid_and_case_differences() -> None:
    predicted = run('rudderanalytics.track("Lead")').beacons
    sent = [decode_url(url("init", tid="2612345678900")), decode_url(url("Lead", "{}"))]
    texts = [d.text for d in compare_beacons(predicted, sent).differences]
    assert texts == [
        "tid differs on init: predicted 2612345678901, sent 2612345678900: the site uses another Tag ID",
        "event differs: predicted 'lead', sent 'Lead' (only the case differs; the tag sends event names in lower case)",
    ]


def test_nested_line_items_differences() -> None:
    predicted = run('rudderanalytics.track("Order Completed", {products: [{product_id: "P1", price: 5}, {product_id: "P2"}]})').beacons
    sent = [decode_url(predicted[0].url), decode_url(url("checkout", '{"line_items":[{"product_id":"P1","product_price":"5"}]}'))]
    texts = [d.text for d in compare_beacons(predicted, sent).differences]
    assert texts == [
        "line_items differs on checkout: predicted 2 items, sent 1",
        'line_items[0].product_price differs on checkout: predicted 5, sent "5" (a string)',
    ]


def test_user_endpoint_requests_are_not_compared() -> None:
    predicted = run("").beacons
    sent = [decode_url(predicted[0].url), decode_url(f"https://ct.pinterest.com/user/?tid={TID}")]
    comparison = compare_beacons(predicted, sent)
    assert comparison.agrees and comparison.ignored == (1,)
    assert comparison.to_dict()["agrees"] is True


# -- odd input ----------------------------------------------------------------------------------


def test_invalid_urls_are_skipped_with_a_note() -> None:
    with pytest.raises(BeaconError, match="is not a valid URL"):
        decode_url("http://[::1/v3/?event=a")
    assert decode_text("http://[zz").notes == ("line 1: http://[zz is not a valid URL; skipped",)
    assert decode_har(har({"request": {"url": "http://[::1/v3/"}})).notes == (
        "log.entries[0]: http://[::1/v3/ is not a valid URL; skipped",
    )


def test_brackets_that_make_a_list_or_have_empty_keys() -> None:
    beacon = decode_url(f"https://ct.pinterest.com/v3/?event=x&tid={TID}&ed[0]=a&ed[1]=b&pd[]=1")
    assert beacon.ed is None and beacon.pd == {}
    assert beacon.problems == ("ed in brackets is a list (ed[0]=…), not an object", "pd[] has an empty key; skipped")


_url_text = st.text(alphabet=st.sampled_from(list("ct.pinterest.com/v3user?&=[]{}%\"':,0123456789abcdefEDPD@#\\ \n\t")), max_size=80)


@settings(deadline=None)
@given(text=st.one_of(_url_text, _url_text.map(lambda t: "https://ct.pinterest.com/v3/?" + t), st.text(max_size=60)))
def test_any_text_decodes_or_is_refused_in_words(text: str) -> None:
    try:
        beacon = decode_url(text)
    except BeaconError as exc:
        assert exc.message
    else:
        assert beacon.endpoint in ("v3", "user")
        compare_beacons([], [beacon])
    found = decode_text(text)
    compare_beacons(run("").beacons, found.beacons)
