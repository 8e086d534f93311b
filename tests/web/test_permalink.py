"""Permalinks: a state survives the round trip exactly; a bad link is a plain-words 4xx, never a 500."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.pintrk import parse_settings
from app.web.forms import state_from_values, values_from_state
from app.web.permalink import MAX_TOKEN_LENGTH, PermalinkError, encode, pack
from app.web.state import PlaygroundState

CALLS = (
    "// a returning visitor buys\r\n"
    'rudderanalytics.identify("u-1", {email: " Jane@Example.com "});\r\n'
    'rudderanalytics.track(\'Order Completed\', {revenue: 1e21, currency: "€", note: "</script>\\u2028"});\r\n'
)
SETTINGS = {
    "tagId": "2612345678901",
    "enhancedMatch": True,
    "customProperties": [{"properties": "note"}, {}],
    "eventsMapping": [{"to": "Lead"}, {"from": "Signed Up", "to": "SignUp"}],
    "sendAsCustomEvent": False,
    "blacklistedEvents": [{"eventName": "x"}],
}
STATE = PlaygroundState(SETTINGS, "sdk-v1", CALLS, '{"email": "old@example.com"}\n')


def test_token_round_trip_is_exact() -> None:
    token = STATE.to_token()
    assert token.startswith("1.") and "=" not in token
    assert PlaygroundState.from_token(token) == STATE
    assert STATE.to_token() == token  # deterministic: the same state, the same link


def test_the_form_round_trip_keeps_the_state() -> None:
    # Absent keys ("from", a custom property path) stay absent: SDK v1.1 behaves differently for them.
    again = state_from_values(values_from_state(STATE))
    assert again.calls == STATE.calls and again.initial_traits == STATE.initial_traits
    assert again.profile == STATE.profile
    assert parse_settings(again.settings) == parse_settings(STATE.settings)
    assert again.settings["eventsMapping"][0] == {"to": "Lead"}
    assert again.settings["customProperties"][1] == {}
    assert again.settings["blacklistedEvents"] == [{"eventName": "x"}]
    assert "tagId" in again.settings and "deduplicationKey" not in again.settings


def test_permalink_reproduces_the_same_page(playground) -> None:
    token = STATE.to_token()
    page = playground.get(f"/?s={token}")
    assert page.response.status_code == 200
    expected = STATE.run().result.calls_json
    assert page.calls_json() == expected
    # The form holds the exact state, so running it again changes nothing.
    assert page.value("calls") == CALLS
    assert page.value("initial_traits") == STATE.initial_traits
    assert page.value("profile") == "sdk-v1"
    rerun = playground.submit(page, "run")
    assert rerun.calls_json() == expected
    assert rerun.soup.find(id="results")["data-permalink"] == f"/?s={token}"


def test_a_run_gives_a_permalink_to_the_same_log(playground) -> None:
    page = playground.get("/?preset=ecommerce-funnel")
    edited = playground.submit(
        page, "run", {"tag_id": "  42 ", "calls": page.value("calls") + "rudderanalytics.track('x');"}
    )
    permalink = edited.soup.find(id="results")["data-permalink"]
    assert permalink.startswith("/?s=1.")
    assert edited.soup.find(id="copy-link")["data-permalink"] == permalink
    linked = playground.get(permalink)
    assert linked.calls_json() == edited.calls_json()
    assert linked.value("tag_id") == "  42 "  # verbatim, spaces and all
    assert linked.soup.find(id="live-preview")["src"] == permalink.replace("/?s=", "/preview?s=")


def test_a_state_with_input_errors_still_has_a_link(playground) -> None:
    page = playground.get("/")
    broken = playground.submit(page, "run", {"calls": "rudderanalytics.track(", "tag_id": "x"})
    permalink = broken.soup.find(id="results")["data-permalink"]
    linked = playground.get(permalink)
    assert linked.value("calls") == "rudderanalytics.track("
    assert "Line 1" in linked.error("calls")
    assert linked.soup.find(id="live-preview") is None


def _bomb() -> str:
    return pack(b" " * (3 * 1024 * 1024))


BAD_TOKENS = {
    "empty": "",
    "no version": "abc",
    "other version": "2." + STATE.to_token()[2:],
    "not base64": "1.%%%",
    "bad characters": "1.abc$def",
    "truncated": STATE.to_token()[:-12],
    "one char short": STATE.to_token()[:-1],
    "tampered": STATE.to_token()[:20] + ("A" if STATE.to_token()[20] != "A" else "B") + STATE.to_token()[21:],
    "extra data": STATE.to_token() + "AAAA",
    "oversized": "1." + "A" * (MAX_TOKEN_LENGTH + 10),
    "zlib bomb": _bomb(),
    "not json": pack(b"\xff\xfe not json"),
    "json list": pack(b"[1, 2]"),
    "missing keys": pack(json.dumps({"s": {}, "p": "docs"}).encode()),
    "wrong types": pack(json.dumps({"s": [], "p": "docs", "c": "", "t": ""}).encode()),
    "unknown profile": pack(json.dumps({"s": {}, "p": "sdk-v9", "c": "", "t": ""}).encode()),
    "bad settings": pack(json.dumps({"s": {"tagId": 5}, "p": "docs", "c": "", "t": ""}).encode()),
    "deep json": pack(b"[" * 100_000),
}


@pytest.mark.parametrize("token", BAD_TOKENS.values(), ids=BAD_TOKENS.keys())
def test_bad_tokens_raise_permalink_error(token: str) -> None:
    with pytest.raises(PermalinkError) as caught:
        PlaygroundState.from_token(token)
    assert isinstance(caught.value, ValueError)
    assert str(caught.value)[0].isupper()  # a sentence, for people


@pytest.mark.parametrize("path", ["/", "/export", "/download"])
@pytest.mark.parametrize("token", BAD_TOKENS.values(), ids=BAD_TOKENS.keys())
def test_bad_links_are_friendly_400_pages(playground, path: str, token: str) -> None:
    page = playground.get(f"{path}?s={token}")
    assert page.response.status_code == 400
    assert page.response.mimetype == "text/html"
    assert page.soup.find("a", href="/") is not None  # a way back to a fresh playground
    assert "link" in page.soup.find("h1").get_text().lower()


@given(st.text(max_size=300))
def test_any_text_is_a_link_or_a_permalink_error(token: str) -> None:
    try:
        PlaygroundState.from_token(token)
    except PermalinkError:
        pass


@given(
    calls=st.text(max_size=200),
    traits=st.text(max_size=50),
    tag=st.text(max_size=20),
    profile=st.sampled_from(["docs", "sdk-v1", "sdk-v3"]),
)
def test_any_state_round_trips(calls: str, traits: str, tag: str, profile: str) -> None:
    state = PlaygroundState(
        {"tagId": tag, "eventsMapping": [{"from": tag, "to": "Lead"}]}, profile, calls, traits
    )
    assert PlaygroundState.from_token(state.to_token()) == state


def test_encode_refuses_nothing_a_form_can_hold() -> None:
    # Lone surrogates can arrive from JSON escapes; the token must still encode them.
    state = PlaygroundState({"tagId": "\ud800"}, "docs", "\udfff", "")
    assert PlaygroundState.from_token(state.to_token()) == state
    assert encode({"a": "é"}).startswith("1.")
