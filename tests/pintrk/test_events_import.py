"""Importing pasted RudderStack payloads: one message, a list, or the SDK's batch body."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from app.pintrk.events_import import EventsImportError, import_events
from app.pintrk.jsvalue import loads
from app.pintrk.replay import Scenario, replay
from app.pintrk.settings import parse_settings

TRACK = {
    "type": "track",
    "event": "Order Completed",
    "properties": {"revenue": 10, "currency": "USD"},
    "messageId": "5a1e-01",
    "anonymousId": "anon-9",
    "userId": "u-1",
    "context": {
        "traits": {"email": "jane@example.com", "plan": "pro"},
        "library": {"name": "RudderLabs JavaScript SDK"},
    },
    "integrations": {"All": True},
    "custom_field": [1, {"x": None}],
}
IDENTIFY = {
    "type": "identify",
    "userId": "u-1",
    "messageId": "5a1e-02",
    "context": {"traits": {"email": "jane@example.com"}},
}


def test_one_message() -> None:
    imported = import_events(json.dumps(TRACK))
    assert imported.messages == (TRACK,)
    assert imported.problems == () and imported.shape == "message"


def test_a_list() -> None:
    imported = import_events(json.dumps([TRACK, IDENTIFY]))
    assert imported.messages == (TRACK, IDENTIFY) and imported.shape == "list"


@pytest.mark.parametrize(
    "body",
    [
        {"batch": [TRACK, IDENTIFY]},
        {"sentAt": "2024-05-01T10:00:02.000Z", "batch": [TRACK, IDENTIFY], "writeKey": "abc"},
    ],
)
def test_the_sdk_batch_body(body: dict[str, Any]) -> None:
    imported = import_events(json.dumps(body))
    assert imported.messages == (TRACK, IDENTIFY) and imported.shape == "batch"


def test_everything_is_kept_verbatim_with_js_numbers() -> None:
    text = '[{"type":"track","event":"X","messageId":"m-1","properties":{"value":1.0,"big":12345678901234567890,"2":"b","1":"a"}}]'
    [message] = import_events(text).messages
    assert message["messageId"] == "m-1"
    assert message["properties"] == {"value": 1, "big": 12345678901234567000.0, "2": "b", "1": "a"}
    assert isinstance(message["properties"]["value"], int)


def test_invalid_entries_are_reported_by_position_and_valid_ones_load() -> None:
    batch = [
        TRACK,
        IDENTIFY,
        {"type": "screen", "name": "Home"},
        {"type": "page", "messageId": "p", "context": {"traits": {}}},
        7,
        {"event": "no type"},
        {"type": 3},
        {"type": "Track"},
        {"type": "visit"},
        None,
        ["x"],
    ]
    imported = import_events({"batch": batch})
    assert [m.get("messageId") for m in imported.messages] == ["5a1e-01", "5a1e-02", "p"]
    assert [(p.index, p.location, p.text, p.skipped) for p in imported.problems] == [
        (2, "batch[2]", "entry 3: type 'screen' is not handled by the Pinterest integration", True),
        (4, "batch[4]", "entry 5: not an object: it is a number (7)", True),
        (5, "batch[5]", "entry 6: has no type (track, page or identify)", True),
        (6, "batch[6]", "entry 7: type must be text, not a number (3)", True),
        (7, "batch[7]", "entry 8: type 'Track' must be written 'track' (lower case, no spaces)", True),
        (
            8,
            "batch[8]",
            "entry 9: type 'visit' is not a RudderStack message type the integration handles (track, page, identify)",
            True,
        ),
        (9, "batch[9]", "entry 10: not an object: it is null", True),
        (10, "batch[10]", "entry 11: not an object: it is a list", True),
    ]


def test_warnings_keep_the_entry() -> None:
    imported = import_events(
        [
            {"type": "track", "event": "A"},
            {"type": "page", "messageId": "m", "context": "x"},
            {"type": "page", "messageId": "m", "context": {"traits": []}},
        ]
    )
    assert len(imported.messages) == 3
    assert [(p.text, p.skipped) for p in imported.problems] == [
        ("entry 1: no messageId: the sdk-v3 profile's event_id will be missing", False),
        (
            "entry 1: no context: the sdk-v3 profile's integration throws on it (it reads context.traits)",
            False,
        ),
        ("entry 2: context is text, not an object: the stored traits can't be read from it", False),
        ("entry 3: context.traits is a list, not an object", False),
    ]


def test_initial_traits_suggestion() -> None:
    assert import_events([TRACK, IDENTIFY]).initial_traits == {"email": "jane@example.com", "plan": "pro"}
    # An identify first: its traits already include what it added, so nothing is suggested.
    assert import_events([IDENTIFY, TRACK]).initial_traits == {}
    assert import_events([{"type": "track", "event": "A", "messageId": "m"}]).initial_traits == {}
    assert import_events([]).initial_traits == {}
    # The first *valid* message counts.
    assert import_events([{"type": "screen"}, TRACK]).initial_traits == TRACK["context"]["traits"]


def test_one_message_per_line() -> None:
    text = json.dumps(TRACK) + "\n\n" + json.dumps(IDENTIFY) + "\n" + "[1]\n"
    imported = import_events(text)
    assert imported.shape == "lines" and imported.messages == (TRACK, IDENTIFY)
    assert [(p.location, p.text) for p in imported.problems] == [
        ("line 4", "entry 3: not an object: it is a list")
    ]


@pytest.mark.parametrize(
    ("payload", "location", "words"),
    [
        ("{", "line 1, column 2", "the payload is not valid JSON"),
        ('{"type": "track"}\n{oops}', "line 2, column 2", "the payload is not valid JSON"),
        ('{"a": 1} x', "line 1, column 10", "the payload is not valid JSON"),
        ('{"writeKey": "k"}', None, "neither a RudderStack message"),
        ('{"batch": {"type": "track"}}', "batch", "batch must be a list of messages, not an object"),
        ("42", None, "the payload is a number (42)"),
        ('"text"', None, "the payload is text"),
    ],
)
def test_unreadable_payloads(payload: str, location: str | None, words: str) -> None:
    with pytest.raises(EventsImportError) as caught:
        import_events(payload)
    assert caught.value.location == location
    assert words in caught.value.message


def test_message_limit() -> None:
    assert (
        len(
            import_events(
                [{"type": "page", "messageId": str(i)} for i in range(50)], max_messages=50
            ).messages
        )
        == 50
    )
    with pytest.raises(
        EventsImportError, match="51 messages is more than the playground replays at once"
    ) as caught:
        import_events({"batch": [{"type": "page"}] * 51}, max_messages=50)
    assert caught.value.too_many and caught.value.location == "batch"


def test_depth_limit() -> None:
    with pytest.raises(EventsImportError, match="nested"):
        import_events("[" * 30 + "]" * 30, max_depth=20)


def test_imported_batch_replays_like_the_vectors(conformance_path: Path) -> None:
    scenarios = loads(conformance_path.read_text())
    checked = 0
    for data in scenarios:
        if data["category"] == "malformed" or not data["messages"]:
            continue
        body = json.dumps({"sentAt": "2024-05-01T10:00:00.000Z", "batch": data["messages"]})
        imported = import_events(body)
        assert imported.problems == () or all(not p.skipped for p in imported.problems)
        scenario = Scenario(parse_settings(data["settings"]), data["initialTraits"], imported.messages)
        for profile, expected in data["expected"].items():
            assert replay(scenario, profile).calls_json == expected["calls_json"], (data["id"], profile)
        checked += 1
    assert checked > 100
