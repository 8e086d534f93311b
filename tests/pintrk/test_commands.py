"""The rule record: every command says which mapping rule produced it, checked on the recorded vectors."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from app.pintrk import PROFILES, Scenario, replay
from app.pintrk.commands import RULE_KINDS, Command, MappingError, Rule
from app.pintrk.jsvalue import UNDEFINED, get_property, truthy
from app.pintrk.ldp import LDP_KEYS
from app.pintrk.scenario import load_scenario
from app.pintrk.settings import parse_settings
from tests.conformance import load_vectors

SCENARIOS = load_vectors("scenarios.json")


def _vector_results() -> list[tuple[dict[str, Any], str, Any]]:
    return [(data, name, replay(load_scenario(data), name)) for data in SCENARIOS for name in PROFILES]


def _check(command: Command, data: dict[str, Any], profile: str) -> None:
    """What each rule kind promises about the command, against the message and settings it came from."""
    kind, row = command.rule.kind, command.rule.row
    assert (row is not None) == (kind == "user-mapping"), command
    if kind.startswith("init-"):
        assert command.message_index is None
        assert command.method == {"init-load": "load", "init-load-em": "load", "init-page": "page"}[kind]
        assert ("em" in (command.data or {})) == (kind == "init-load-em")
        return
    assert command.message_index is not None
    message = data["messages"][command.message_index]
    settings = parse_settings(data["settings"] or {})
    event = get_property(message, "event")
    if kind == "standard-table":
        assert command.event == PROFILES[profile].standard_event(event)
    elif kind == "user-mapping":
        assert row is not None
        target = settings.events_mapping[row].target
        if PROFILES[profile].all_user_mappings_first:  # the row's "to" as it is
            assert command.args[0] == (UNDEFINED if target is None else target)
        else:  # an empty "to" falls back to the event's own name
            assert command.args[0] == (target if truthy(target) else event)
    elif kind == "send-as-custom":
        assert command.event == "Custom" and settings.send_as_custom_event
    elif kind == "event-name":
        assert command.args[0] == event
    elif kind == "page":
        assert message["type"] == "page" and command.event in ("PageVisit", "ViewCategory")
    elif kind == "identify-set":
        assert message["type"] == "identify" and command.method == "set" and "em" in command.data
    elif kind == "ldp":
        assert command.method == "set" and command.data.keys() == LDP_KEYS
    else:
        pytest.fail(f"unexpected rule {command.rule} from a mapped message")


def test_every_command_of_every_vector_carries_its_rule() -> None:
    if not SCENARIOS:
        pytest.skip("conformance vectors not found")
    seen: Counter[str] = Counter()
    for data, profile, result in _vector_results():
        for entry in result.entries:
            if isinstance(entry, MappingError):
                if entry.reason == "mapping-no-from":
                    settings = parse_settings(data["settings"] or {})
                    assert entry.row is not None and settings.events_mapping[entry.row].source is None
                    seen["mapping-no-from"] += 1
                continue
            _check(entry, data, profile)
            seen[entry.rule.kind] += 1
    # Every rule kind (but "pintrk", for calls given directly) fires in some recorded vector.
    assert set(seen) == {*RULE_KINDS, "mapping-no-from"} - {"pintrk"}, seen


def test_pintrk_calls_are_their_own_rule() -> None:
    result = replay(Scenario(pintrk=(("load", "2612345678901"), ("track", "checkout"))))
    assert [c.rule for c in result.commands] == [Rule("pintrk"), Rule("pintrk")]


def test_user_mapping_rows() -> None:
    settings = parse_settings(
        {
            "tagId": "2612345678901",
            "eventsMapping": [
                {"from": "Other", "to": "Lead"},
                {"from": " Signed Up ", "to": "SignUp"},
                {"from": "Signed Up", "to": "Lead"},
                {"from": "Signed Up", "to": "SignUp"},
            ],
        }
    )
    message = {"type": "track", "event": "Signed Up", "properties": {}, "messageId": "m", "context": {}}
    scenario = Scenario(settings, {}, (message,))
    tracks = {name: [c for c in replay(scenario, name).commands if c.method == "track"] for name in PROFILES}
    # sdk-v3: every distinct "to" under the trimmed name, each from the first row giving it; its
    # event_id is the messageId (no deduplication key), and the rule records that
    assert [(c.event, c.rule) for c in tracks["sdk-v3"]] == [
        ("SignUp", Rule("user-mapping", 1, event_id_from="messageId")),
        ("Lead", Rule("user-mapping", 2, event_id_from="messageId")),
    ]
    # the others: the first row equal ignoring case (" Signed Up " is not)
    assert [(c.event, c.rule) for c in tracks["docs"]] == [("Lead", Rule("user-mapping", 2))]


def test_a_row_without_from_is_the_recorded_reason() -> None:
    settings = parse_settings(
        {"tagId": "2612345678901", "eventsMapping": [{"from": "A", "to": "Lead"}, {"to": "X"}]}
    )
    scenario = Scenario(settings, {}, ({"type": "track", "event": "B", "properties": {}},))
    (error,) = [e for e in replay(scenario, "docs").entries if isinstance(e, MappingError)]
    assert (error.reason, error.row) == ("mapping-no-from", 1)


def test_commands_write_their_json_once_at_construction() -> None:
    command = Command("track", ("checkout", {"value": 1.5}), 0)
    assert vars(command)["args_json"] == ('"checkout"', '{"value":1.5}')  # a field, no cache
    assert command.to_json() == '["track","checkout",{"value":1.5}]'
    assert command.rule == Rule("pintrk")


def test_the_rule_records_where_event_id_came_from() -> None:
    """sdk-v3's event_id: the deduplication key's path when it finds a value, else messageId;
    the profiles without event_id record nothing."""
    message = {
        "type": "track",
        "event": "Order Completed",
        "properties": {"order_id": "ord-1"},
        "messageId": "m-1",
        "context": {},
    }
    page = {"type": "page", "name": "Home", "properties": {}, "messageId": "m-2", "context": {}}
    for key, expected_from, expected_id in (
        ("properties.order_id", "properties.order_id", "ord-1"),
        ("properties.missing", "messageId", "m-1"),
        (None, "messageId", "m-1"),
    ):
        config: dict[str, object] = {"tagId": "2612345678901"}
        if key:
            config["deduplicationKey"] = key
        scenario = Scenario(parse_settings(config), {}, (message, page))
        tracks = [c for c in replay(scenario, "sdk-v3").commands if c.method == "track"]
        assert [(c.rule.event_id_from, c.data["event_id"]) for c in tracks][0] == (expected_from, expected_id)
        assert (tracks[1].event, tracks[1].rule.event_id_from) == ("PageVisit", "messageId")  # no order_id
        for profile in ("docs", "sdk-v1"):
            assert all(c.rule.event_id_from is None for c in replay(scenario, profile).commands)
