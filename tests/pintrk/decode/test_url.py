"""One beacon URL decoded: every parameter, bracket names, problems in plain words."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.pintrk import InputError, Location
from app.pintrk.decode import (
    BeaconError,
    compare_beacons,
    decode_har,
    decode_text,
    decode_url,
)
from app.pintrk.errors import at_line
from app.pintrk.jsvalue import loads
from app.pintrk.replay import replay
from app.pintrk.scenario import load_scenario
from app.pintrk.tag import hash_identifier as hash_email
from tests.pintrk.decode.beacons import TID, har, run, url

# -- one URL ---------------------------------------------------------------------------


def test_decodes_every_part() -> None:
    beacon = decode_url(
        url(
            "checkout",
            '{"value":1e+21,"n":1.0,"big":12345678901234567890,"2":"b","1":"a"}',
            '{"em":"' + "a" * 64 + '"}',
            extra="&cb=1714557601000&ad=%7B%22loc%22%3A1%7D&pv=2",
        )
    )
    assert beacon.endpoint == "v3" and beacon.method == "GET"
    assert beacon.event == "checkout" and beacon.tid == TID and beacon.cb == "1714557601000"
    assert beacon.ed == {"value": 1e21, "n": 1, "big": 12345678901234567000.0, "2": "b", "1": "a"}
    assert isinstance(beacon.ed["n"], int)
    assert beacon.pd == {"em": "a" * 64} and beacon.pd_sent
    assert beacon.ad == {"loc": 1} and beacon.ov is None
    assert beacon.other == {"pv": "2"}
    assert beacon.params_sent == ("event", "ed", "tid", "pd", "cb", "ad", "pv")
    assert beacon.noscript is False and beacon.problems == ()
    assert beacon.to_dict()["other"] == {"pv": "2"} and beacon.to_dict()["ad"] == {"loc": 1}


@pytest.mark.parametrize(
    ("ov", "decoded"),
    [
        ('{"page_name":"Home","np":"x"}', {"page_name": "Home", "np": "x"}),
        ("[1,2]", [1, 2]),  # page([1, 2]): the tag stringifies whatever it was given
        ("{}", {}),
        ('"cart"', "cart"),
    ],
)
def test_ov_is_decoded_whatever_its_json(ov: str, decoded: Any) -> None:
    beacon = decode_url(f"https://ct.pinterest.com/v3/?tid={TID}&ov={quote(ov, safe='')}&event=init")
    assert beacon.ov == decoded and type(beacon.ov) is type(decoded)
    assert beacon.problems == () and beacon.to_dict()["ov"] == decoded
    unreadable = decode_url(f"https://ct.pinterest.com/v3/?tid={TID}&ov=%7Bpage&event=init")
    assert unreadable.ov is None and unreadable.problems[0].startswith("ov is not valid JSON")


def test_pd_absent_and_empty_are_told_apart() -> None:
    absent = decode_url(url("Lead", "{}"))
    empty = decode_url(url("Lead", "{}", "{}"))
    assert absent.pd == empty.pd == {}
    assert (absent.pd_sent, empty.pd_sent) == (False, True)
    assert (
        "pd" in decode_url(f"https://ct.pinterest.com/v3/?event=init&tid={TID}&pd[em]={'a' * 64}").params_sent
    )


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
        f"https://ct.pinterest.com/v3/?event=Checkout&tid={TID}&pd[em]={em}&ed[value]=10"
        "&ed[line_items][0][product_id]=P1&ed[line_items][1][product_id]=P2&noscript=1"
    )
    assert beacon.noscript is True
    assert beacon.pd == {"em": em}
    assert beacon.ed == {"value": "10", "line_items": [{"product_id": "P1"}, {"product_id": "P2"}]}
    assert beacon.bracketed == frozenset({"ed", "pd"})
    # Brackets carry text only, so 10 and "10" are the same there.
    [predicted] = [
        b
        for b in run(
            'rudderanalytics.identify("u", {email: "jane@example.com"});'
            'rudderanalytics.track("Order Completed", {revenue: 10, products: [{product_id: "P1"}, {product_id: "P2"}]})'
        ).beacons
        if b.event == "Checkout"
    ]
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
        (
            "event=a&tid=" + TID + "&pd=%7B%22em%22%3A%22Jane%40x.com%22%7D",
            "pd.em looks like an e-mail address in clear",
        ),
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
            predicted = replay(load_scenario(data), profile).beacons
            decoded = [decode_url(b.url) for b in predicted]
            comparison = compare_beacons(predicted, decoded)
            assert comparison.agrees, (data["id"], profile, [d.text for d in comparison.differences])
            count += len(decoded)
    assert count > 500


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
    assert beacon.problems == (
        "ed in brackets is a list (ed[0]=…), not an object",
        "pd[] has an empty key; skipped",
    )


_url_text = st.text(
    alphabet=st.sampled_from(list("ct.pinterest.com/v3user?&=[]{}%\"':,0123456789abcdefEDPD@#\\ \n\t")),
    max_size=80,
)


@settings(deadline=None)
@given(
    text=st.one_of(
        _url_text, _url_text.map(lambda t: "https://ct.pinterest.com/v3/?" + t), st.text(max_size=60)
    )
)
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


def test_bracket_names_with_odd_digits_stay_an_object() -> None:
    for key in ("²", "1" * 5000):
        beacon = decode_url(
            f"https://ct.pinterest.com/v3/?tid=2612345678901&event=checkout&ed[line_items][{key}][x]=1"
        )
        assert beacon is not None  # decoded, no ValueError


def test_a_url_that_is_not_a_beacon_is_an_input_error_where_it_was_found() -> None:
    with pytest.raises(BeaconError) as caught:
        decode_url("https://example.com/v3/", source="urls[2]")
    error = caught.value
    assert isinstance(error, InputError) and error.code == "not-a-beacon"
    assert error.location == Location("urls[2]") and error.where == "urls[2]"
    assert (
        str(error)
        == "urls[2]: https://example.com/v3/ is not a request to ct.pinterest.com (example.com); skipped"
    )
    beacon = decode_url(f"https://ct.pinterest.com/v3/?event=init&tid={TID}", source=at_line(4))
    assert beacon.source == "line 4"
