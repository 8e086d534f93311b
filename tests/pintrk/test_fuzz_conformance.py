"""Every generated scenario of fuzz-scenarios.json, in every profile, byte for byte.

500 seeded scenarios recorded from RudderStack's integration: null and absent
settings, prototype-like names (``constructor``, ``__proto__``, ``toString``),
LDP fields in traits, address and properties, messages without ``context``,
non-string event names, 1e400, -0, 1e21.  See tests/conformance.py for
where the file is read from.
"""

from __future__ import annotations

import pytest

from app.pintrk import PROFILES, replay
from app.pintrk.scenario import load_scenario
from tests.conformance import load_vectors, missing_message, profile_cases, vector_file

SCENARIOS = load_vectors("fuzz-scenarios.json")


def test_fuzz_vectors_present() -> None:
    if not SCENARIOS:
        pytest.skip(missing_message(vector_file("fuzz-scenarios.json")))
    assert len({s["id"] for s in SCENARIOS}) == len(SCENARIOS), "scenario ids must be unique"
    assert all(set(s["expected"]) == set(PROFILES) for s in SCENARIOS)


@pytest.mark.parametrize(("scenario", "profile"), profile_cases(SCENARIOS))
def test_fuzz_vector(scenario: dict, profile: str) -> None:
    expected = scenario["expected"][profile]["calls_json"]
    result = replay(load_scenario(scenario), profile)
    assert result.calls_json == expected
