"""Saving and reopening a reproduction: versioned JSON, exact round trip, errors that say where."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest

from app.pintrk.jsvalue import loads
from app.pintrk.replay import replay
from app.pintrk.reproduction import FORMAT, VERSION, Reproduction, ReproductionError, dump, load

SETTINGS = {
    "tagId": "2612345678901",
    "enhancedMatch": True,
    "customProperties": [{"properties": "plan"}],
    "eventsMapping": [{"from": "Signed Up", "to": "SignUp"}],
    "sendAsCustomEvent": False,
    "blacklistedEvents": [],  # RudderStack's other keys travel along unchanged
}
CALLS = 'rudderanalytics.identify("u-1", {email: "jane@example.com"});\nrudderanalytics.track("Signed Up", {plan: "pro"});\n'


def document(**fields: Any) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "version": VERSION,
        "profile": "docs",
        "settings": {},
        "initialTraits": {},
        "calls": "",
        **fields,
    }


def test_round_trip_with_calls() -> None:
    reproduction = Reproduction(
        profile="sdk-v3",
        settings=SETTINGS,
        initial_traits={"email": "old@example.com"},
        calls=CALLS,
        sent_beacons=("https://ct.pinterest.com/v3/?event=init&tid=2612345678901",),
        note="Customer #4711: SignUp missing em",
    )
    text = dump(reproduction)
    assert text.endswith("}\n") and text.startswith(
        '{\n  "format": "pintrk-playground/reproduction",\n  "version": 1,'
    )
    assert load(text) == reproduction
    assert dump(load(text)) == text
    assert json.loads(text)["calls"] == CALLS


def test_round_trip_of_every_vector(conformance_path: Path) -> None:
    for data in loads(conformance_path.read_text()):
        reproduction = Reproduction(
            profile="sdk-v1",
            settings=data["settings"],
            initial_traits=data["initialTraits"],
            messages=tuple(data["messages"]),
        )
        text = dump(reproduction)
        again = load(text)
        assert again == reproduction and dump(again) == text, data["id"]
        # … and it replays exactly as recorded.
        assert replay(again.scenario(), again.profile).calls_json == data["expected"]["sdk-v1"]["calls_json"]


def test_javascript_numbers_and_key_order_survive() -> None:
    text = (
        '{"format": "pintrk-playground/reproduction", "version": 1, "profile": "docs", "settings": {}, '
        '"initialTraits": {}, "messages": [{"type": "track", "event": "E", "properties": '
        '{"b": 1.0, "a": 1e21, "big": 12345678901234567890, "small": 1e-7, "10": "x", "2": "y", "neg": -0}}]}'
    )
    reproduction = load(text)
    written = dump(reproduction)
    assert '"2": "y",\n' in written and written.index('"2"') < written.index('"10"') < written.index('"b"')
    assert '"a": 1e+21' in written and '"big": 12345678901234567000' in written and '"small": 1e-7' in written
    assert '"b": 1,' in written and '"neg": 0' in written
    assert load(written) == reproduction and dump(load(written)) == written


def test_unicode_and_escapes() -> None:
    reproduction = Reproduction(
        calls='rudderanalytics.track("É \\u2028 </script> \\"q\\"");', note="línea\nnueva\u2028"
    )
    assert load(dump(reproduction)) == reproduction


def test_scenario_from_calls_and_messages() -> None:
    scenario = Reproduction(settings=SETTINGS, initial_traits={"email": "x@y.z"}, calls=CALLS).scenario()
    assert [m["type"] for m in scenario.messages] == ["identify", "track"]
    assert scenario.settings.tag_id == "2612345678901" and scenario.initial_traits == {"email": "x@y.z"}
    assert Reproduction(messages=({"type": "page"},)).scenario().messages == ({"type": "page"},)


@pytest.mark.parametrize(
    ("calls", "location", "words"),
    [
        (
            'rudderanalytics.track("A");\nrudderanalytics.track(foo)',
            "calls: line 2, column 23",
            '"foo" is not a value',
        ),
        ('rudderanalytics.track("A", 3)', "calls: line 1", "the properties of track() must be an object"),
    ],
)
def test_scenario_errors_point_at_the_call(calls: str, location: str, words: str) -> None:
    with pytest.raises(ReproductionError) as caught:
        Reproduction(calls=calls).scenario()
    assert caught.value.location == location and words in caught.value.message


@pytest.mark.parametrize(
    ("text", "location", "words"),
    [
        ("{", "line 1, column 2", "this is not valid JSON"),
        ("[]", None, "a reproduction must be a JSON object"),
        ("{}", "format", "format must be 'pintrk-playground/reproduction' (it has none)"),
        ('{"format": "har"}', "format", "(it says 'har')"),
        (
            json.dumps(document(version=2)),
            "version",
            "version 2 is newer than this playground understands (1)",
        ),
        (json.dumps(document(version="1")), "version", "version must be a whole number"),
        (json.dumps(document(version=True)), "version", "version must be a whole number"),
        (json.dumps(document(version=0)), "version", "version 0 does not exist"),
        (json.dumps(document(extra=1)), "extra", "unknown key 'extra'"),
        (json.dumps(document(profile="v2")), "profile", "unknown profile 'v2'"),
        (json.dumps(document(profile=2)), "profile", "profile must be text"),
        (json.dumps(document(settings=[])), "settings", "settings must be an object"),
        (
            json.dumps(document(settings={"eventsMapping": [{"from": "a", "to": 3}]})),
            "settings.eventsMapping[0].to",
            "must be a string",
        ),
        (
            json.dumps(document(settings={"enhancedMatch": "yes"})),
            "settings.enhancedMatch",
            "must be true or false",
        ),
        (json.dumps(document(initialTraits=[])), "initialTraits", "initialTraits must be an object"),
        (
            json.dumps(document(messages=[])),
            "messages",
            "give one of calls, messages or pintrk, not calls and messages",
        ),
        (json.dumps(document(pintrk=[["page"]])), "pintrk", "not calls and pintrk"),
        (
            json.dumps({**{k: v for k, v in document().items() if k != "calls"}, "pintrk": [["page"], 1]}),
            "pintrk",
            "pintrk[1] must be a call",
        ),
        (json.dumps({k: v for k, v in document().items() if k != "calls"}), None, "add calls"),
        (json.dumps(document(calls=5)), "calls", "calls must be a call script"),
        (
            json.dumps({**{k: v for k, v in document().items() if k != "calls"}, "messages": {}}),
            "messages",
            "messages must be a list",
        ),
        (json.dumps(document(sentBeacons="x")), "sentBeacons", "sentBeacons must be a list"),
        (json.dumps(document(sentBeacons=["ok", 1])), "sentBeacons[1]", "each sent beacon must be a URL"),
        (json.dumps(document(note=1)), "note", "note must be text"),
    ],
)
def test_load_errors_say_where(text: str, location: str | None, words: str) -> None:
    with pytest.raises(ReproductionError) as caught:
        load(text)
    assert caught.value.location == location
    assert words in caught.value.message


def test_defaults_and_parsed_input() -> None:
    minimal = {"format": FORMAT, "version": 1, "messages": []}
    reproduction = load(minimal)
    assert (reproduction.profile, reproduction.settings, reproduction.initial_traits) == ("docs", {}, {})
    assert load(dump(reproduction)) == reproduction


def test_constructor_checks() -> None:
    with pytest.raises(ReproductionError, match="give one of calls"):
        Reproduction()
    with pytest.raises(ReproductionError, match="give one of calls"):
        Reproduction(calls="", messages=())
    with pytest.raises(ReproductionError, match="give one of calls"):
        Reproduction(calls="", pintrk=(("page",),))
    with pytest.raises(ReproductionError, match="unknown profile"):
        Reproduction(profile="v9", calls="")


def test_dump_refuses_non_json_values() -> None:
    with pytest.raises(ReproductionError, match="finite"):
        dump(Reproduction(messages=({"value": math.inf},)))
    with pytest.raises(ReproductionError, match="not a JSON value"):
        dump(Reproduction(messages=({"value": object()},)))


def test_round_trip_with_pintrk_calls() -> None:
    calls = (
        ("load", "2612345678901", {"em": "a@b.c"}),
        ("page",),
        ("track", "Checkout", {"value": 1e21, "2": "x", "a": 1}),
    )
    reproduction = Reproduction(pintrk=calls, note="tag only")
    again = load(dump(reproduction))
    assert again == reproduction and again.pintrk is not None
    assert again.scenario().pintrk == calls
    assert '"pintrk": [' in dump(reproduction)
