"""Every recorded vector, in every profile, byte for byte.

The vectors are read from ../shared/conformance/ (or $PINTRK_CONFORMANCE_DIR),
never copied into the repo; in CI a missing file is a failure, not a skip.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from app.pintrk import PROFILES, Scenario, replay
from app.pintrk.jsvalue import loads

_DIR = os.environ.get("PINTRK_CONFORMANCE_DIR")
VECTORS = (
    Path(_DIR) if _DIR else Path(__file__).resolve().parents[2].parent / "shared" / "conformance"
) / "scenarios.json"


def _load() -> list[dict]:
    if not VECTORS.is_file():
        if os.environ.get("CI") == "true":
            raise RuntimeError(f"conformance vectors missing at {VECTORS}")
        return []
    # Read with JavaScript JSON semantics: 1.0 is 1, big integers lose precision.
    return loads(VECTORS.read_bytes())


SCENARIOS = _load()
CASES = [
    pytest.param(scenario, profile, id=f"{scenario['id']}[{profile}]")
    for scenario in SCENARIOS
    for profile in PROFILES
]


def test_vectors_present() -> None:
    if not SCENARIOS:
        pytest.skip(f"conformance vectors not found at {VECTORS}")
    assert len({s["id"] for s in SCENARIOS}) == len(SCENARIOS), "scenario ids must be unique"
    assert all(set(s["expected"]) == set(PROFILES) for s in SCENARIOS)


@pytest.mark.parametrize(("scenario", "profile"), CASES)
def test_vector(scenario: dict, profile: str) -> None:
    expected = scenario["expected"][profile]["calls_json"]
    result = replay(Scenario.from_dict(scenario), profile)
    assert result.calls_json == expected


@pytest.mark.parametrize(("scenario", "profile"), CASES[:: len(PROFILES) * 10])
def test_vector_calls_parse_back(scenario: dict, profile: str) -> None:
    """calls_json is real JSON that parses to the vector's `calls` too."""
    result = replay(Scenario.from_dict(scenario), profile)
    assert [loads(c) for c in result.calls_json] == scenario["expected"][profile]["calls"]
