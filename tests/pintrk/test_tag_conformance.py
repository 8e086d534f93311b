"""Pinterest's own tag, as recorded in Chromium: every request and console message, byte for byte.

``beacons.json``: the requests the real tag made for every public scenario and profile, fed the
recorded pintrk calls. ``tag-runtime.json``: 51 hand-written call lists ("probes").
"""

from __future__ import annotations

import pytest

from app.pintrk import PROFILES, replay
from app.pintrk.scenario import load_scenario
from app.pintrk.tag import simulate
from tests.conformance import comparable, entries_from_calls_json, load_vectors, placeholder_keys

PROBES = load_vectors("tag-runtime.json")
SCENARIOS = {s["id"]: s for s in load_vectors("scenarios.json")}
RECORDINGS = load_vectors("beacons.json")


def test_recordings_present() -> None:
    if not PROBES or not RECORDINGS:
        pytest.skip("conformance recordings not found")
    assert len(PROBES) == 51
    assert len(RECORDINGS) == len(SCENARIOS) * len(PROFILES)


@pytest.mark.parametrize("probe", PROBES, ids=[p["id"] for p in PROBES])
def test_probe_requests_and_console(probe: dict) -> None:
    run = simulate(entries_from_calls_json(probe["calls_json"]))
    ours = [r.to_dict() for r in run.requests]
    assert comparable(ours) == comparable(probe["requests"])
    assert placeholder_keys(ours) == placeholder_keys(probe["requests"])
    assert [dict(zip(("type", "text"), m.console, strict=False)) for m in run.messages] == probe["console"]


@pytest.mark.parametrize("recording", RECORDINGS, ids=[f"{r['id']}[{r['profile']}]" for r in RECORDINGS])
def test_scenario_requests(recording: dict) -> None:
    """The tag fed the recorded calls, and the whole replay of the scenario, give the recorded requests."""
    scenario = SCENARIOS[recording["id"]]
    expected = comparable(recording["requests"])
    fed = simulate(entries_from_calls_json(scenario["expected"][recording["profile"]]["calls_json"]))
    assert comparable([r.to_dict() for r in fed.requests]) == expected
    replayed = replay(load_scenario(scenario), recording["profile"])
    assert comparable([r.to_dict() for r in replayed.requests]) == expected


@pytest.mark.parametrize(
    "recording", RECORDINGS[:: len(PROFILES) * 7], ids=lambda r: f"{r['id']}[{r['profile']}]"
)
def test_ad_keys_follow_the_configuration(recording: dict) -> None:
    """``ad`` carries is_restricted_region once the tag's configuration has arrived, as recorded."""
    import json

    fed = simulate(
        entries_from_calls_json(SCENARIOS[recording["id"]]["expected"][recording["profile"]]["calls_json"])
    )
    ours = [list(json.loads(r.ad_json)) for r in fed.requests if r.is_beacon]
    theirs = [r["ad_keys"] for r in recording["requests"] if r["path"] == "/v3/"]
    assert ours == theirs
