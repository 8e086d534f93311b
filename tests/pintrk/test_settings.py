"""Destination config JSON → Settings."""

from __future__ import annotations

import pytest

from app.pintrk import EventMapping, SettingsError, parse_settings


def test_full_config_round_trips() -> None:
    config = {
        "tagId": "2612345678901",
        "enhancedMatch": True,
        "customProperties": [{"properties": "customProperty.customValue"}],
        "eventsMapping": [{"from": "Signed Up", "to": "SignUp"}],
        "sendAsCustomEvent": True,
        "deduplicationKey": "properties.order_id",
        "useNativeSDK": {"web": True},
        "blacklistedEvents": [],
    }
    settings = parse_settings(config)
    assert settings.tag_id == "2612345678901"
    assert settings.enhanced_match and settings.send_as_custom_event
    assert settings.custom_properties == ("customProperty.customValue",)
    assert settings.events_mapping == (EventMapping("Signed Up", "SignUp"),)
    assert settings.deduplication_key == "properties.order_id"
    assert settings.extra == {"useNativeSDK": {"web": True}, "blacklistedEvents": []}
    assert settings.to_config() == config


def test_json_text_and_wrapped_destination_are_accepted() -> None:
    assert parse_settings('{"tagId": "1"}').tag_id == "1"
    assert parse_settings({"config": {"tagId": "2"}, "id": "dest-1"}).tag_id == "2"


def test_missing_keys_default() -> None:
    settings = parse_settings({})
    assert settings.tag_id is None and not settings.enhanced_match
    assert settings.events_mapping == () and settings.custom_properties == ()


def test_rows_missing_from_or_to_are_kept_for_the_integration_to_meet() -> None:
    settings = parse_settings({"eventsMapping": [{"to": "Lead"}, {"from": "A"}]})
    assert settings.events_mapping == (EventMapping(None, "Lead"), EventMapping("A", None))


@pytest.mark.parametrize(
    ("config", "path", "words"),
    [
        (
            {"eventsMapping": [{"from": "a", "to": "b"}, {}, {"from": "c", "to": 5}]},
            "eventsMapping[2].to",
            "must be a string",
        ),
        ({"tagId": 2612345678901}, "tagId", "must be a string"),
        ({"enhancedMatch": "yes"}, "enhancedMatch", "must be true or false"),
        ({"customProperties": {"properties": "x"}}, "customProperties", "must be a list"),
        ({"customProperties": ["x"]}, "customProperties[0]", "must be an object"),
        ({"customProperties": [{"properties": ["x"]}]}, "customProperties[0].properties", "must be a string"),
        ({"deduplicationKey": 1}, "deduplicationKey", "must be a string"),
    ],
)
def test_wrong_types_name_key_and_position(config: dict, path: str, words: str) -> None:
    with pytest.raises(SettingsError) as info:
        parse_settings(config)
    assert info.value.path == path
    assert str(info.value).startswith(f"{path} {words}")


def test_bad_json_and_non_object() -> None:
    with pytest.raises(SettingsError, match="line 1, column"):
        parse_settings("{tagId: 1}")
    with pytest.raises(SettingsError, match="JSON object"):
        parse_settings("[1, 2]")
