"""The simulated Pinterest tag, rule by rule (the recordings are replayed in test_tag_conformance)."""

from __future__ import annotations

import hashlib
import json
import time
from urllib.parse import parse_qs, urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.pintrk import Scenario, parse_settings, replay
from app.pintrk.jsvalue import stringify
from app.pintrk.mapping import Command
from app.pintrk.tag import (
    MAX_GET_URL,
    contains_email,
    hash_identifier,
    hash_identifiers,
    noscript_pixel_url,
    percent_encode,
    simulate,
)
from app.pintrk.tag.identifiers import merge_external_ids

TID = "2612345678901"


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def run(*calls: list) -> list:
    return list(simulate([Command(c[0], tuple(c[1:]), None) for c in calls]).requests)


def beacons(*calls: list) -> list:
    return [r for r in run(*calls) if r.is_beacon]


# -- identifiers ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("jane@example.com", sha("jane@example.com")),
        ("Jane@Example.COM", sha("jane@example.com")),
        ("  jane@example.com \n", sha("jane@example.com")),
        ("\u00a0jane@example.com\u3000", sha("jane@example.com")),  # JS trim() strips these too
        ("\ufeffjane@example.com", sha("jane@example.com")),
        ("Jane Doe@Example.com", sha("jane doe@example.com")),  # inner spaces are kept
        ("JOSÉ@Example.com", sha("josé@example.com")),
    ],
)
def test_identifiers_are_trimmed_lowercased_and_hashed(value: str, expected: str) -> None:
    assert hash_identifier(value) == expected


@pytest.mark.parametrize("length", [32, 40, 64])
def test_an_existing_digest_passes_through_lowercased(length: int) -> None:
    digest = ("ABCDEF0123456789" * 4)[:length]
    assert hash_identifier(digest) == digest.lower()
    assert hash_identifier(f" {digest} ") == digest.lower()


@pytest.mark.parametrize("text", ["abcdef", "a" * 63, "a" * 65, "0x" + "a" * 64, "g" * 64])
def test_text_that_is_not_a_digest_is_hashed(text: str) -> None:
    assert hash_identifier(text) == sha(text.lower())


def test_falsy_values_are_sent_as_they_are_and_others_as_text() -> None:
    assert [hash_identifier(v) for v in ("", None, 0, False)] == ["", None, 0, False]
    assert hash_identifier(12345) == sha("12345")
    assert hash_identifier(True) == sha("true")
    assert hash_identifier({"a": "b"}) == sha("[object object]")
    assert hash_identifier("a\ud800b") == sha("a\ufffdb")  # lone surrogate: as the browser encodes it


def test_arrays_are_hashed_one_level_deep() -> None:
    assert hash_identifiers([["A@b.com", "c@d.com"], " E@F.com ", None, ""]) == [
        sha("a@b.com,c@d.com"), sha("e@f.com"), None, "",
    ]  # fmt: skip
    assert hash_identifiers([]) == []


def test_external_ids_from_text_are_split_and_merged_newest_first() -> None:
    stored = merge_external_ids(None, "[\"Ab\", 'B ', c,,]")
    assert stored == [sha("ab"), sha("b"), sha("c")]
    assert merge_external_ids(stored, "d") == [sha("d"), *stored]
    assert merge_external_ids(stored, "Ab") == stored  # already there: moves first, not twice
    assert merge_external_ids(stored, 42) == [sha("42"), *stored]
    assert merge_external_ids(None, 7) == sha("7")  # not text: hashed, not split
    assert merge_external_ids(sha("7"), None) is None
    assert merge_external_ids(None, "") == []


@pytest.mark.parametrize(
    "text",
    ["jane@example.com", "Jane@example.com", "mailto:jane@example.com", "write to a.b+c@mail.example.co.uk now",
     "x@y-z.museum", " jane@example.com "],
)  # fmt: skip
def test_strings_with_an_email_by_the_tags_pattern(text: str) -> None:
    assert contains_email(text)


@pytest.mark.parametrize(
    "text",
    ["jane@Example.com", "JANE@EXAMPLE.COM", "jane@example.c", "jane.example.com", "@example.com", "a@.co",
     "a@b.c0m", "", "@@@", "a@b."],
)  # fmt: skip
def test_strings_without_one(text: str) -> None:
    assert not contains_email(text)


def test_email_scan_is_linear() -> None:
    def cost(n: int) -> float:
        texts = ["a" * n + "@", "@" * n, ("a@" + "b" * 10) * (n // 12), "a@" + "b." * (n // 2)]
        start = time.perf_counter()
        for text in texts:
            contains_email(text)
        return time.perf_counter() - start

    small, large = min(cost(20_000) for _ in range(3)), min(cost(320_000) for _ in range(3))
    assert large < small * 16 * 3  # 16× the input: linear, with room for noise


# -- requests ---------------------------------------------------------------------------


def test_each_page_and_track_asks_user_then_sends_a_beacon() -> None:
    requests = run(["load", TID], ["page"], ["track", "Checkout", {"value": 10}])
    assert [(r.command_index, r.path, r.dep) for r in requests] == [
        (1, "/user/", "2,PAGE_LOAD"),
        (1, "/v3/", None),
        (2, "/user/", "4,TAGS_RECEIVED"),
        (2, "/v3/", "4,TAGS_RECEIVED"),
    ]
    beacon = requests[-1]
    assert beacon.event == "Checkout"  # case kept
    query = parse_qs(urlsplit(beacon.url).query)
    assert [name for name, _ in beacon.params] == ["event", "ed", "tid", "cb", "dep", "stc", "ad"]
    assert (
        query["event"] == ["Checkout"]
        and query["tid"] == [TID]
        and json.loads(query["ed"][0]) == {"value": 10}
    )
    assert beacon.url.startswith("https://ct.pinterest.com/v3/?")
    assert [name for name, _ in requests[1].params] == ["tid", "event", "ad", "cb"]


def test_nothing_is_sent_before_load_or_without_consent() -> None:
    assert run(["page"], ["track", "lead"]) == []
    assert run(["setConsent", False], ["load", TID], ["page"], ["track", "lead"]) == []
    after = run(["load", TID], ["setConsent", "no"], ["page"], ["setConsent", " TRUE "], ["track", "lead"])
    assert [(r.path, r.dep) for r in after] == [
        ("/user/", "5,EVENT_TAGS_ABSENT"),
        ("/v3/", "5,EVENT_TAGS_ABSENT"),
    ]
    silenced = simulate(
        [
            Command(*c)
            for c in [
                ("load", (TID,), None),
                ("setConsent", ("no",), None),
                ("page", (), None),
                ("setConsent", (1,), None),
                ("track", ("lead",), 0),
            ]
        ]
    )
    assert [(w.command_index, w.withdrawn_at) for w in silenced.withheld] == [(2, 1)]  # the page, by call 1


@pytest.mark.parametrize(("value", "consents"), [(True, True), (1, True), ("1", True), ("true", True),
                                                 (False, False), ("yes", False), (None, False), ([], False)])  # fmt: skip
def test_consent_values(value: object, consents: bool) -> None:
    got = beacons(["load", TID], ["setConsent", value], ["track", "lead"])
    assert bool(got) is consents


def test_partner_data_merges_in_order_and_hashes_identifiers() -> None:
    got = beacons(
        ["set", {"np": "a", "em": "first@example.com"}],
        ["load", TID, {"em": "Second@example.com", "ph": "1", "md_frequency": 0}],
        ["page"],
    )
    assert got[0].pd == {"np": "a", "em": sha("second@example.com"), "ph": sha("1")}


def test_partner_data_exists_once_an_object_was_given() -> None:
    assert beacons(["load", TID], ["page"])[0].pd_json is None
    assert beacons(["load", TID, {}], ["page"])[0].pd_json == "{}"
    assert beacons(["load", TID], ["set", "em"], ["set", None], ["set", []], ["page"])[0].pd_json == "{}"


def test_event_data_is_processed_as_the_tag_does() -> None:
    (beacon,) = beacons(
        ["load", TID],
        ["track", "lead", {"value": " 7 ", "contact": "Jane@example.com", "note": "jane@Example.com", "external_id": "x"}],
    )  # fmt: skip
    assert beacon.ed == {"value": 7, "contact": sha("jane@example.com"), "note": "jane@Example.com"}
    assert beacon.ed_json == stringify(beacon.ed)
    assert beacon.pd == {"external_id": [sha("x")]}


def test_unchanged_event_data_reuses_the_calls_json() -> None:
    data = {"value": 1e21, "a": -0.0, "list": [{"b": None}]}
    (beacon,) = beacons(["load", TID], ["track", "Custom", data])
    assert beacon.ed_json == stringify(data) == '{"value":1e+21,"a":0,"list":[{"b":null}]}'


def test_event_names() -> None:
    got = beacons(["load", TID], ["track", "  AddToCart  "], ["track", ""], ["track", "   "], ["track", 42])
    assert [b.event for b in got] == ["AddToCart", None, "", None]


def test_messages_name_the_call() -> None:
    tag = simulate([Command(*c) for c in [
        ("page", (), None), ("load", (TID,), None), ("load", ("2619999999999",), None),
        ("track", ("Newsletter", {"value": "abc"}), 0),
    ]])  # fmt: skip
    assert [(m.command_index, m.code) for m in tag.messages] == [
        (0, "not-loaded-page"), (2, "load-twice"), (3, "non-standard-event"), (3, "wrong-type"),
    ]  # fmt: skip
    assert tag.messages[1].text.endswith(f"Previously for tag id '{TID}', now for tag id '2619999999999'.")


def test_a_url_of_2048_characters_or_more_is_posted() -> None:
    def beacon_for(size: int):  # noqa: ANN202
        return beacons(["load", TID], ["track", "lead", {"note": "x" * size}])[0]

    sizes = range(1000, 1600)
    methods = [(len(beacon_for(n).url), beacon_for(n).method) for n in sizes]
    assert all((method == "POST") == (length >= MAX_GET_URL) for length, method in methods)
    assert {method for _, method in methods} == {"GET", "POST"}


def test_every_event_after_identify_carries_em() -> None:
    scenario = Scenario(
        parse_settings({"tagId": TID}),
        {},
        (
            {"type": "track", "event": "Before", "properties": {}, "messageId": "m1"},
            {"type": "identify", "messageId": "m2", "context": {"traits": {"email": "x@y.z"}}},
            {"type": "track", "event": "After", "properties": {}, "messageId": "m3"},
            {"type": "page", "name": "Later", "properties": {}, "messageId": "m4"},
        ),
    )
    got = replay(scenario).beacons
    assert [(b.event, (b.pd or {}).get("em")) for b in got] == [
        ("init", None),
        ("Before", None),
        ("After", sha("x@y.z")),
        ("PageVisit", sha("x@y.z")),
    ]


def test_noscript_pixel() -> None:
    assert noscript_pixel_url(TID) == f"https://ct.pinterest.com/v3/?event=init&tid={TID}&noscript=1"
    assert noscript_pixel_url(TID, "A@B.C") == (
        f"https://ct.pinterest.com/v3/?event=init&tid={TID}&pd[em]={sha('a@b.c')}&noscript=1"
    )
    assert "%26" in noscript_pixel_url("1&x=2")


@pytest.mark.parametrize(
    "text", ["a b/c?d=e&f%g", "%%20", "\x00\x1f\x7f~_.-", "é\ud800x", '{"a":[1,"2"]}', "", "Men's (blue)*!"]
)
def test_percent_encode_is_encode_uri_component(text: str) -> None:
    from urllib.parse import quote

    from app.pintrk.jsvalue import to_well_formed

    # encodeURIComponent: everything but A–Z a–z 0–9 - _ . ! ~ * ' ( ) is escaped, as UTF-8.
    assert percent_encode(text) == quote(to_well_formed(text), safe="!'()*")
    assert percent_encode("Men's (blue)") == "Men's%20(blue)"


def test_partner_data_follows_every_change() -> None:
    got = beacons(
        ["load", TID],
        ["track", "lead"],
        ["set", {"st": "", "x": 1}],
        ["track", "lead"],
        ["set", {"x": True}],  # True == 1 in Python, not in JSON
        ["track", "lead"],
        ["set", {"em": "Jane@Example.com"}],
        ["track", "lead"],
        ["set", {"em": ""}],  # kept as "", as the tag does
        ["track", "lead"],
    )
    em = sha("jane@example.com")
    assert [b.pd_json for b in got] == [
        None,
        '{"st":"","x":1}',
        '{"st":"","x":true}',
        f'{{"st":"","x":true,"em":"{em}"}}',
        '{"st":"","x":true,"em":""}',
    ]
    assert [json.loads(b.pd_json) for b in got[1:]] == [dict(b.pd) for b in got[1:]]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "plain",
        "a b/c?d=e&f%g",
        "Men's (blue)*!",
        '{"value":10,"line_items":[{"product_name":"x"}]}',
        "é\ud800x",
        "😀",
    ],
)
def test_encoded_length_agrees_with_percent_encode(text: str) -> None:
    from app.pintrk.tag import encoded_length

    assert encoded_length(text) == len(percent_encode(text))


def test_url_length_agrees_with_the_url() -> None:
    requests = run(
        ["load", TID, {"em": "a@b.c", "np": "x y"}],
        ["page", {"page_name": "Ünïcode"}],
        ["track", "Checkout", {"value": 1, "note": "a&b=c d"}, None, None, {"em": "q@r.s"}],
    )
    assert requests and all(r.url_length == len(r.url) for r in requests)


@given(st.text())
def test_percent_encode_and_its_length_agree_with_urllib_for_any_text(text: str) -> None:
    from urllib.parse import quote

    from app.pintrk.jsvalue import to_well_formed
    from app.pintrk.tag import encoded_length

    assert percent_encode(text) == quote(to_well_formed(text), safe="!'()*")
    assert encoded_length(text) == len(percent_encode(text))


def test_partner_data_is_rewritten_only_when_a_set_changes_it() -> None:
    got = beacons(
        ["load", TID],
        ["set", {"opt_out_type": "", "st": "", "country": ""}],
        ["track", "Checkout"],
        ["set", {"opt_out_type": "", "st": "", "country": ""}],  # sdk-v3 sends this before every event
        ["track", "Checkout"],
        ["set", {"x": 1}],
        ["track", "Checkout"],
        ["set", {"x": True}],  # True == 1 in Python, not in JSON
        ["track", "Checkout"],
    )
    assert got[0].pd is got[1].pd  # unchanged: shared, its JSON written once
    assert [b.pd_json for b in got] == [
        '{"opt_out_type":"","st":"","country":""}',
        '{"opt_out_type":"","st":"","country":""}',
        '{"opt_out_type":"","st":"","country":"","x":1}',
        '{"opt_out_type":"","st":"","country":"","x":true}',
    ]


def test_a_tag_id_of_digits_that_are_not_ascii_is_not_a_number() -> None:
    # "²".isdigit() is true in Python, but it is no number (JavaScript's Number("²") is NaN).
    from app.pintrk.mapping import Command
    from app.pintrk.tag import simulate

    run = simulate([Command("load", ("²",), None), Command("page", (), None)])
    assert run.requests  # the tag loads with the odd ID, as the real one does, and nothing raises


# -- speed behind the rules: each fast path agrees with the rule it stands in for -----------------

# True == 1 == 1.0 in Python, not in JSON; digit keys come first in JavaScript
_partner_values = st.sampled_from(
    ["", "x", "jane@example.com", 1, 1.0, True, None, [], [True], [1], {"a": 1}]
)
_partner_objects = st.dictionaries(
    st.sampled_from(["em", "np", "st", "opt_out_type", "external_id", "ph", "0", "10", "x"]),
    _partner_values,
    max_size=4,
)
_tag_calls = st.lists(
    st.one_of(
        st.tuples(st.just("set"), _partner_objects),
        st.tuples(st.just("load"), st.just(TID), _partner_objects),
        st.tuples(st.just("track"), st.sampled_from(["Checkout", "lead"]), _partner_objects),
        st.tuples(st.just("page")),
    ),
    max_size=12,
)


@given(_tag_calls)
def test_partner_json_written_once_per_change_agrees_with_stringify(calls: list[tuple]) -> None:
    # The rule: each request sends the partner data as it was then, and its JSON.  Read after the
    # whole run, so a pd changed after it was sent, or a JSON kept past a change, would show.
    requests = run(["load", TID], *[list(call) for call in calls])
    for request in requests:
        if request.pd is None:
            assert request.pd_json is None
        else:
            assert request.pd_json == (stringify(request.pd) or "{}")


def test_ad_json_written_once_per_state_agrees_with_the_page_facts() -> None:
    from app.pintrk.tag import AutomaticData

    for page in (AutomaticData(), AutomaticData(loc="https://shop.example.org/?q=\u00e9", is_eu=True)):
        tag = simulate(
            [
                Command(*call)
                for call in [("load", (TID,), None), ("page", (), None), ("track", ("lead",), None)]
            ],
            page,
        )
        sent = [r for r in tag.requests if r.is_beacon]
        assert [r.ad_json for r in sent] == [page.to_json(False), page.to_json(True)]


def test_query_with_ad_encoded_once_agrees_with_the_rule() -> None:
    from app.pintrk.tag import AutomaticData
    from app.pintrk.tag.request import query_of

    pages = [AutomaticData(), AutomaticData(loc="https://shop.example.org/a b?c=\u00e9&d=\ud800")]
    for page in pages * 2:  # the second time from the encoded texts kept
        calls = [("load", (TID, {"em": "jane@example.com"}), None), ("page", (), None)]
        calls += [("track", ("Checkout", {"value": "1", "x": "a&b=c%"}), None), ("set", ({"np": "é"},), None)]
        calls += [("track", ("lead",), None)]
        for request in simulate([Command(*call) for call in calls], page).requests:
            assert request.query == query_of(request.params)
            assert request.url == f"{request.endpoint_url}?{query_of(request.params)}"
