"""Every recorded cloud-mode case of ../shared/conformance/cloud/ (RudderStack's own tests).

Processor cases: status; method, endpoint, headers, params and body equal as JSON values (key
order ignored, as jest's toEqual does); errors with their full dashboard text.  Router cases: the
batches in order with their metadata, then the failures with the bare text.
"""

from __future__ import annotations

from typing import Any

import pytest

from app.pintrk.cloud import CloudOutcome, route, transform
from app.pintrk.jsvalue import loads, stringify
from app.pintrk.settings import parse_settings
from tests.conformance import load_vectors, missing_message, vector_file

CASES: list[dict[str, Any]] = load_vectors("cloud/cases.json")
ROUTER_CASES: list[dict[str, Any]] = load_vectors("cloud/router.json")
# The case files' groups: RudderStack's processor, step and API tests (cases.json), and its router tests.
GROUPS = {"processor": 29, "step": 26, "api": 12}


def as_json(value: Any) -> Any:
    """The value as JSON reads it back (tuples → lists; NaN → null), for comparing as JSON values."""
    return loads(stringify(value) or "null")


def outcome_of(case: dict[str, Any]) -> CloudOutcome:
    return transform(case["message"], parse_settings(case["destination_config"]))


def test_vectors_present() -> None:
    if not CASES or not ROUTER_CASES:
        pytest.skip(missing_message(vector_file("cloud/cases.json")))
    assert len(CASES) == 67 and len(ROUTER_CASES) == 4
    assert {group: sum(c["id"].startswith(group + "-") for c in CASES) for group in GROUPS} == GROUPS
    assert len({c["id"] for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_processor_case(case: dict[str, Any]) -> None:
    expected = case["expected"]
    outcome = outcome_of(case)
    assert outcome.status == expected["status"]
    if expected["status"] != 200:
        assert outcome.error is not None and outcome.requests == ()
        assert outcome.error.full_text == expected["error"]
        assert (outcome.error.message, outcome.error.step) == (expected["error_message"], expected["step"])
        return
    assert outcome.error is None
    wanted = expected.get("requests") or [expected["request"]]
    assert len(outcome.requests) == len(wanted) == case["output_count"]
    for request, want in zip(outcome.requests, wanted, strict=True):
        got = as_json(request.to_dict())
        for part in ("method", "endpoint", "headers", "params", "body"):
            assert got[part] == want[part], part


@pytest.mark.parametrize("case", [c for c in CASES if c.get("same_as")], ids=lambda c: c["id"])
def test_copies_give_what_their_original_gives(case: dict[str, Any]) -> None:
    [original] = [c for c in CASES if c["id"] == case["same_as"]]
    assert as_json(outcome_of(case).to_dict("x")) == as_json(outcome_of(original).to_dict("x"))


@pytest.mark.parametrize("case", ROUTER_CASES, ids=[c["id"] for c in ROUTER_CASES])
def test_router_case(case: dict[str, Any]) -> None:
    outputs = route(
        [(e["message"], parse_settings(e["destination_config"]), e["metadata"]) for e in case["events"]]
    )
    expected = case["expected"]
    assert [o.batched for o in outputs] == [e["batched"] for e in expected]
    for output, want in zip(outputs, expected, strict=True):
        assert output.status == want["status"]
        assert as_json(list(output.metadata)) == want["metadata"]
        if want["batched"]:
            assert output.request is not None and output.error is None
            got = as_json(output.request.to_dict())
            for part in ("method", "endpoint", "headers", "params", "body"):
                assert got[part] == want["request"][part], part
        else:
            assert output.request is None
            assert output.error == want["error"]  # the bare text: no "Workflow: …" suffix
            assert "Workflow:" not in (output.error or "")


def test_every_outcome_serialises_as_the_cli_line() -> None:
    for case in CASES:
        line = outcome_of(case).to_dict(case["id"])
        assert line["id"] == case["id"] and line["status"] == case["expected"]["status"]
        assert set(line) == (
            {"id", "status", "requests"} if line["status"] == 200 else {"id", "status", "error"}
        )
