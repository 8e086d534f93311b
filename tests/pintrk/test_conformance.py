"""Every recorded vector of scenarios.json, in every profile, byte for byte.

See tests/conformance.py for where the file is read from.
"""

from __future__ import annotations

import pytest

from app.pintrk import PROFILES, replay
from app.pintrk.jsvalue import loads
from app.pintrk.scenario import load_scenario
from tests.conformance import load_vectors, missing_message, profile_cases, vector_file

SCENARIOS = load_vectors("scenarios.json")
CASES = profile_cases(SCENARIOS)


def test_vectors_present() -> None:
    if not SCENARIOS:
        pytest.skip(missing_message(vector_file("scenarios.json")))
    assert len({s["id"] for s in SCENARIOS}) == len(SCENARIOS), "scenario ids must be unique"
    assert all(set(s["expected"]) == set(PROFILES) for s in SCENARIOS)


@pytest.mark.parametrize(("scenario", "profile"), CASES)
def test_vector(scenario: dict, profile: str) -> None:
    expected = scenario["expected"][profile]["calls_json"]
    result = replay(load_scenario(scenario), profile)
    assert result.calls_json == expected


@pytest.mark.parametrize(("scenario", "profile"), CASES[:: len(PROFILES) * 10])
def test_vector_calls_parse_back(scenario: dict, profile: str) -> None:
    """calls_json is real JSON that parses to the vector's `calls` too."""
    result = replay(load_scenario(scenario), profile)
    assert [loads(c) for c in result.calls_json] == scenario["expected"][profile]["calls"]
