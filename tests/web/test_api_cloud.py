"""POST /api/v1/cloud: every recorded cloud case through the API, answers checked against the document."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient

from app.pintrk import MASKED_TOKEN
from tests.conformance import load_vectors, missing_message, vector_file
from tests.web import test_api

# test_api's fixtures: the served document, and answers validated against it
spec, check, post = test_api.spec, test_api.check, test_api.post

CASES: list[dict[str, Any]] = load_vectors("cloud/cases.json")
ROUTER_CASES: list[dict[str, Any]] = load_vectors("cloud/router.json")
V3 = {"advertiserId": "549", "eventsMapping": []}
TRACK = {
    "type": "track",
    "event": "Order Completed",
    "channel": "web",
    "messageId": "m1",
    "timestamp": "2024-05-01T10:00:00Z",
    "context": {"traits": {"email": "a@b.co"}},
}


def test_every_processor_case(client: FlaskClient, check: Callable[..., Any]) -> None:
    if not CASES:
        pytest.skip(missing_message(vector_file("cloud/cases.json")))
    body = {"cases": [{key: case[key] for key in ("id", "destination_config", "message")} for case in CASES]}
    results = check(post(client, "/cloud", body), "/cloud")["results"]
    assert len(results) == len(CASES)
    for result, case in zip(results, CASES, strict=True):
        expected = case["expected"]
        assert (result["id"], result["status"]) == (case["id"], expected["status"])
        if expected["status"] == 200:
            assert result["requests"] == (expected.get("requests") or [expected["request"]]), case["id"]
        else:
            assert result["error"] == expected["error"]


def test_every_router_case_as_recorded_files_read(client: FlaskClient, check: Callable[..., Any]) -> None:
    if not ROUTER_CASES:
        pytest.skip(missing_message(vector_file("cloud/router.json")))
    results = check(post(client, "/cloud", {"batch": ROUTER_CASES}), "/cloud")["results"]
    for result, case in zip(results, ROUTER_CASES, strict=True):
        wanted = [
            {k: v for k, v in out.items() if k in ("batched", "status", "metadata", "request", "error")}
            for out in case["expected"]
        ]
        assert (result["id"], result["outputs"]) == (case["id"], wanted)


def test_the_token_is_never_given_back(client: FlaskClient, check: Callable[..., Any]) -> None:
    config = {
        "apiVersion": "newApi",
        "adAccountId": "a1",
        "conversionToken": "pina_REAL-SECRET",
        "eventsMapping": [],
    }
    response = post(client, "/cloud", {"cases": [{"id": 1, "destination_config": config, "message": TRACK}]})
    [result] = check(response, "/cloud")["results"]
    assert result["requests"][0]["headers"]["Authorization"] == f"Bearer {MASKED_TOKEN}"
    assert b"REAL-SECRET" not in response.data


@pytest.mark.parametrize(
    ("body", "status", "code", "location"),
    [
        ({}, 400, "missing-field", None),
        ({"cases": [], "batch": []}, 400, "conflicting-fields", None),
        ({"cases": {}}, 400, "invalid-field", "cases"),
        ({"batch": "x"}, 400, "invalid-field", "batch"),
        ({"cases": [], "profile": "docs"}, 400, "unknown-field", "profile"),
        ({"cases": [1]}, 422, "invalid-case", "cases[0]"),
        ({"batch": [{"events": {}}]}, 422, "invalid-case", "batch[0].events"),
        ({"cases": [{"destination_config": V3}]}, 422, "invalid-case", "cases[0].message"),
        (
            {"cases": [{"destination_config": {"eventsMapping": [{"from": 1}]}, "message": {}}]},
            422,
            "invalid-settings",
            "cases[0].destination_config.eventsMapping[0].from",
        ),
        (
            {"batch": [{"events": [{"destination_config": V3, "message": TRACK}, {}]}]},
            422,
            "invalid-case",
            "batch[0].events[1].destination_config",
        ),
        ({"cases": [{"destination_config": V3, "message": {}}] * 10_001}, 413, "too-many-messages", "cases"),
        (
            {"batch": [{"events": [{"destination_config": V3, "message": {}}] * 10_001}]},
            413,
            "too-many-messages",
            "batch[0].events",
        ),
    ],
)
def test_bad_bodies_are_refused_with_what_and_where(
    client: FlaskClient,
    check: Callable[..., Any],
    body: Any,
    status: int,
    code: str,
    location: str | None,
) -> None:
    error = check(post(client, "/cloud", body), "/cloud", status)["error"]
    assert (error["code"], error["location"]) == (code, location), error


def test_an_event_mapped_by_many_rows_counts_its_copies(
    client: FlaskClient, check: Callable[..., Any]
) -> None:
    """Each matching eventsMapping row sends the whole event again: the copies count against the budget."""
    rows = [{"from": "Big", "to": f"E{i}"} for i in range(100)]
    message = {**TRACK, "event": "Big", "properties": {"items": list(range(20_000))}}
    body = {"cases": [{"destination_config": {**V3, "eventsMapping": rows}, "message": message}]}
    error = check(post(client, "/cloud", body), "/cloud", 413)["error"]
    assert (error["code"], error["location"]) == ("over-budget", "cases")
    few = {"cases": [{"destination_config": {**V3, "eventsMapping": rows[:2]}, "message": message}]}
    assert len(check(post(client, "/cloud", few), "/cloud")["results"][0]["requests"]) == 2


def test_get_is_refused_as_json(client: FlaskClient) -> None:
    response = client.get("/api/v1/cloud")
    assert response.status_code == 405 and json.loads(response.data)["error"]["code"] == "method-not-allowed"
