"""The product documentation's samples map as the documentation says."""

from __future__ import annotations

import hashlib

from app.pintrk import Scenario, parse_settings, replay
from app.pintrk.calls import parse_call_script
from app.pintrk.messages import build_messages

SETTINGS = {
    "tagId": "2612345678901",
    "customProperties": [
        {"properties": "customProperty.customValue"},
        {"properties": "someRandomMailId"},
        {"properties": "testDimension"},
    ],
}


def run(script: str, profile: str = "docs") -> list[str]:
    messages = build_messages(parse_call_script(script), {})
    return replay(Scenario(parse_settings(SETTINGS), {}, tuple(messages)), profile).calls_json[2:]


def test_track_me() -> None:
    assert run('rudderanalytics.track("Track me");') == ['["track","Track me",{}]']


def test_custom_properties_are_sent_as_strings() -> None:
    script = "rudderanalytics.track('Event', {customProperty: { customValue: 2 }, someRandomMailId: 'user@gmail.com'})"
    assert run(script) == [
        '["track","Event",{"customProperty.customValue":"2","someRandomMailId":"user@gmail.com"}]'
    ]


def test_page_with_category_is_view_category() -> None:
    script = 'rudderanalytics.page("I am new page", "new page category", {path: "path", url: "url", title: "title", search: "search", referrer: "referrer", testDimension: "true"});'
    assert run(script) == [
        '["track","ViewCategory",{"name":"new page category","category":"I am new page","testDimension":"true"}]'
    ]
    # only the documented profile carries custom properties on page calls
    assert run(script, "sdk-v1") == [
        '["track","ViewCategory",{"name":"new page category","category":"I am new page"}]'
    ]


def test_page_without_category_is_page_visit() -> None:
    assert run('rudderanalytics.page("I am new page with no name", {path: "path"});') == [
        '["track","PageVisit",{"name":"I am new page with no name"}]'
    ]


def test_identify_sets_em_and_the_tag_hashes_it() -> None:
    script = 'rudderanalytics.identify("sample_user_id", {name: "Test name", email: "test@emai.com"});\nrudderanalytics.track("Track me");'
    messages = build_messages(parse_call_script(script), {})
    result = replay(Scenario(parse_settings(SETTINGS), {}, tuple(messages)))
    assert result.calls_json[2:] == ['["set",{"em":"test@emai.com"}]', '["track","Track me",{}]']
    track_beacon = result.beacons[-1]
    assert track_beacon.event == "Track me"  # the tag keeps the case
    assert track_beacon.pd["em"] == hashlib.sha256(b"test@emai.com").hexdigest()
