"""The simulated Pinterest tag: em hashing, beacons, the noscript pixel."""

from __future__ import annotations

import hashlib
import json
from urllib.parse import parse_qs, urlsplit

import pytest

from app.pintrk import Scenario, parse_settings, replay
from app.pintrk.mapping import Command
from app.pintrk.tag import hash_email, noscript_pixel_url, simulate


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


@pytest.mark.parametrize(
    ("email", "expected"),
    [
        ("jane@example.com", sha("jane@example.com")),
        ("Jane@Example.COM", sha("jane@example.com")),
        ("  jane@example.com \n", sha("jane@example.com")),
        ("ja ne@exa\tmple.com", sha("jane@example.com")),
        ("JOHN.SMITH@EXAMPLE.COM", sha("john.smith@example.com")),
    ],
)
def test_em_is_lowercased_stripped_and_hashed(email: str, expected: str) -> None:
    assert hash_email(email) == expected


@pytest.mark.parametrize("length", [32, 40, 64])
def test_an_existing_digest_passes_through_lowercased(length: int) -> None:
    digest = ("ABCDEF0123456789" * 4)[:length]
    assert hash_email(digest) == digest.lower()
    assert hash_email(f" {digest} ") == digest.lower()


def test_non_digest_hex_is_hashed() -> None:
    assert hash_email("abcdef") == sha("abcdef")
    assert hash_email("a" * 63) == sha("a" * 63)


def test_non_string_email_is_hashed_as_string() -> None:
    assert hash_email(12345) == sha("12345")
    assert hash_email({}) == sha("[objectobject]")  # String({}), lower-cased, spaces removed


def test_lone_surrogate_hashes_like_the_browser() -> None:
    assert hash_email("a\ud800b") == sha("a\ufffdb")


def test_beacons_follow_load_page_set_track() -> None:
    entries = [
        Command("load", ("2612345678901",), None),
        Command("page", (), None),
        Command("track", ("PageVisit", {"name": "Home"}), 0),
        Command("set", ({"em": "Jane@Example.com"},), 1),
        Command("track", ("Checkout", {"value": 10}), 2),
    ]
    beacons = simulate(entries)
    assert [(b.command_index, b.event) for b in beacons] == [(1, "init"), (2, "pagevisit"), (4, "checkout")]
    assert "em" not in beacons[1].pd  # before identify
    assert beacons[2].pd == {"em": sha("jane@example.com")}
    assert beacons[2].ed == {"value": 10}
    query = parse_qs(urlsplit(beacons[2].url).query)
    assert query["event"] == ["checkout"]
    assert query["tid"] == ["2612345678901"]
    assert json.loads(query["ed"][0]) == {"value": 10}
    assert json.loads(query["pd"][0]) == {"em": sha("jane@example.com")}
    assert beacons[2].url.startswith("https://ct.pinterest.com/v3/?")


def test_set_makes_no_request_and_load_em_is_kept() -> None:
    entries = [
        Command("load", ("2612345678901", {"em": "a@b.c"}), None),
        Command("set", ({"opt_out_type": "LDP", "st": "x"},), 0),
        Command("page", (), None),
    ]
    beacons = simulate(entries)
    assert len(beacons) == 1
    assert beacons[0].pd == {"em": sha("a@b.c"), "opt_out_type": "LDP", "st": "x"}


def test_noscript_pixel() -> None:
    assert noscript_pixel_url("2612345678901") == (
        "https://ct.pinterest.com/v3/?event=init&tid=2612345678901&noscript=1"
    )
    assert noscript_pixel_url("2612345678901", "A@B.C") == (
        f"https://ct.pinterest.com/v3/?event=init&tid=2612345678901&pd[em]={sha('a@b.c')}&noscript=1"
    )
    assert "%26" in noscript_pixel_url("1&x=2")


def test_every_event_after_identify_carries_em() -> None:
    scenario = Scenario(
        parse_settings({"tagId": "2612345678901"}),
        {},
        (
            {"type": "track", "event": "Before", "properties": {}, "messageId": "m1"},
            {"type": "identify", "messageId": "m2", "context": {"traits": {"email": "x@y.z"}}},
            {"type": "track", "event": "After", "properties": {}, "messageId": "m3"},
            {"type": "page", "name": "Later", "properties": {}, "messageId": "m4"},
        ),
    )
    beacons = replay(scenario).beacons
    assert [(b.event, b.pd.get("em")) for b in beacons] == [
        ("init", None),
        ("before", None),
        ("after", sha("x@y.z")),
        ("pagevisit", sha("x@y.z")),
    ]


@pytest.mark.parametrize("text", ["a b/c?d=e&f%g", "%%20", "\x00\x1f\x7f~_.-", "é\ud800x", '{"a":[1,"2"]}', ""])
def test_percent_encode_matches_urllib(text: str) -> None:
    from urllib.parse import quote

    from app.pintrk.jsvalue import to_well_formed
    from app.pintrk.tag import percent_encode

    assert percent_encode(text) == quote(to_well_formed(text), safe="")


def test_partner_data_follows_every_change_and_only_changes() -> None:
    # The tag state shares pd between beacons until a set() changes it: each beacon's pd must
    # still be exactly what was stored at that point (JSON written as JSON.stringify would).
    def track() -> Command:
        return Command("track", ("checkout", {}), 0)

    entries = [
        Command("load", ("2612345678901",), None),
        track(),
        Command("set", ({"st": "", "x": 1},), 0),
        track(),
        Command("set", ({"st": ""},), 0),  # nothing changes
        track(),
        Command("set", ({"x": True},), 0),  # True == 1 in Python, not in JSON
        track(),
        Command("set", ({"em": "Jane@Example.com"},), 0),
        track(),
        Command("set", ({"em": " jane@example.com"},), 0),  # the same hash
        track(),
        Command("set", ({"em": ""},), 0),  # forgets the e-mail
        track(),
    ]
    beacons = simulate(entries)
    em = sha("jane@example.com")
    assert [b.pd_json for b in beacons] == [
        "{}",
        '{"st":"","x":1}',
        '{"st":"","x":1}',
        '{"st":"","x":true}',
        f'{{"em":"{em}","st":"","x":true}}',
        f'{{"em":"{em}","st":"","x":true}}',
        '{"st":"","x":true}',
    ]
    assert [json.loads(b.pd_json) for b in beacons] == [dict(b.pd) for b in beacons]
    assert beacons[1].pd is beacons[2].pd and beacons[2].pd is not beacons[3].pd  # shared only while unchanged
