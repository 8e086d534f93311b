"""The API's schema: the one its document publishes is the one it checks bodies against."""

from __future__ import annotations

import json
from typing import Any

import pytest
from flask.testing import FlaskClient
from jsonschema import Draft4Validator
from openapi_schema_validator import OAS30Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from app.pintrk import limits as budget
from app.web.api.fields import LEFT_TO_THE_CORE, REFUSALS
from app.web.api.schema import BODIES, EXAMPLES, LIMITS, REQUEST_SCHEMAS

JSON = "application/json"
TID = "2612345678901"


def _validator(spec: dict[str, Any], name: str) -> Draft4Validator:
    registry = Registry().with_resource("urn:api", Resource.from_contents(spec, default_specification=DRAFT4))
    return Draft4Validator({"$ref": f"urn:api#/components/schemas/{name}"}, registry=registry)


@pytest.fixture
def spec(client: FlaskClient) -> dict[str, Any]:
    return json.loads(client.get("/api/v1/openapi.json").data)


@pytest.mark.parametrize("path", sorted(BODIES))
def test_every_example_validates_against_the_schema_the_api_checks_with(
    spec: dict[str, Any], path: str
) -> None:
    content = spec["paths"][path]["post"]["requestBody"]["content"][JSON]
    assert content["example"] == EXAMPLES[path]
    assert spec["components"]["schemas"][BODIES[path]] == json.loads(
        json.dumps(REQUEST_SCHEMAS[BODIES[path]])
    )
    _validator(spec, BODIES[path]).validate(content["example"])


def test_the_documents_limits_are_the_cores(spec: dict[str, Any]) -> None:
    assert spec["x-limits"] == {
        "API_MAX_CONTENT_LENGTH": budget.API_MAX_CONTENT_LENGTH,
        "API_MAX_HAR_CONTENT_LENGTH": budget.API_MAX_HAR_CONTENT_LENGTH,
        "max_messages": budget.MAX_MESSAGES,
        "max_calls": budget.MAX_CALLS,
        "max_script_length": budget.MAX_TEXT_LENGTH,
        "max_depth": budget.MAX_NESTING,
        "max_beacons": budget.MAX_BEACONS,
        "max_values": budget.MAX_VALUES,
        "max_line_items": budget.MAX_LINE_ITEMS,
        "max_har_entries": budget.MAX_HAR_ENTRIES,
        "max_har_values": budget.MAX_HAR_VALUES,
    }
    schemas = spec["components"]["schemas"]
    for name in ("ScenarioRequest", "DecodeRequest", "CompareRequest"):
        fields = schemas[name]["properties"]
        assert fields["messages"]["maxItems"] == fields["pintrk"]["maxItems"] == budget.MAX_MESSAGES
        assert fields["calls"]["maxLength"] == LIMITS["max_script_length"]
        assert f"at most {LIMITS['max_calls']:,} calls" in fields["calls"]["description"]
    assert schemas["DecodeRequest"]["properties"]["urls"]["maxItems"] == budget.MAX_BEACONS
    assert schemas["Reproduction"]["properties"]["sentBeacons"]["maxItems"] == budget.MAX_BEACONS


def _constraints(schema: dict[str, Any], name: str) -> set[tuple[str, str]]:
    """(field, keyword) for each constraint on a field of a body, "field[]" for its items."""
    found = set()
    for field, declared in schema.get("properties", {}).items():
        while "$ref" in declared:
            declared = REQUEST_SCHEMAS[declared["$ref"].rsplit("/", 1)[1]]
        found |= {(field, k) for k in declared if k in ("type", "enum", "minItems", "maxItems", "maxLength")}
        items = declared.get("items", {})
        while "$ref" in items:
            items = REQUEST_SCHEMAS[items["$ref"].rsplit("/", 1)[1]]
        if declared.get("uniqueItems"):
            found.add((f"{field}[]", "uniqueItems"))
        if field not in ("messages", "pintrk"):  # their items are the core's to read
            found |= {(f"{field}[]", k) for k in items if k in ("type", "enum")}
    return found


@pytest.mark.parametrize(
    "name", ["ScenarioRequest", "DecodeRequest", "CompareRequest", "ImportRequest", "CloudRequest"]
)
def test_every_constraint_has_the_apis_words_or_is_the_cores(name: str) -> None:
    constraints = _constraints(REQUEST_SCHEMAS[name], name)
    core = {(field, keyword) for field, keyword in constraints if (field, keyword) in LEFT_TO_THE_CORE}
    assert constraints - core == set(REFUSALS[name]), name


def post(client: FlaskClient, path: str, body: Any) -> Any:
    response = client.post(f"/api/v1{path}", data=json.dumps(body), content_type=JSON)
    return response.status_code, json.loads(response.data)


def test_pintrk_calls_as_documented(client: FlaskClient) -> None:
    calls = [["load", TID], ["page"], ["track", "Checkout", {"value": 10}]]
    status, data = post(client, "/replay", {"pintrk": calls, "profile": "sdk-v3"})
    assert status == 200 and data["calls_json"] == [
        '["load","2612345678901"]',
        '["page"]',
        data["calls_json"][2],
    ]
    assert data["calls_json"][2].startswith('["track","Checkout"')
    status, data = post(client, "/compare", {"pintrk": calls, "profiles": ["docs", "sdk-v3"]})
    assert status == 200 and data["profiles"] == ["docs", "sdk-v3"]
    status, data = post(client, "/decode", {"urls": [], "pintrk": calls})
    assert status == 200 and data["comparison"]["profile"] == "docs"
    status, data = post(client, "/replay", {"pintrk": [["page"]] * 10_001})
    assert (status, data["error"]["code"], data["error"]["location"]) == (413, "too-many-calls", "pintrk")
    status, data = post(client, "/replay", {"pintrk": "load"})
    assert (status, data["error"]["code"]) == (422, "invalid-pintrk")
    status, data = post(client, "/replay", {"pintrk": calls, "settings": {}})
    assert (status, data["error"]["code"]) == (400, "conflicting-fields")


@pytest.mark.parametrize(
    ("profiles", "status", "code", "location"),
    [
        (["docs", 1, 1], 400, "invalid-field", "profiles[1]"),
        (["docs", "docs", 1], 422, "duplicate-profile", "profiles[1]"),
        (["docs", "v2", "v2"], 422, "unknown-profile", "profiles[1]"),
        (["docs", "sdk-v1", "sdk-v3", "docs"], 422, "duplicate-profile", "profiles[3]"),
        (["x"] * 900_000, 422, "unknown-profile", "profiles[0]"),  # the first is named, the rest unread
    ],
)
def test_the_first_problem_a_reader_meets_is_named(
    client: FlaskClient, profiles: list[Any], status: int, code: str, location: str
) -> None:
    answer = post(client, "/compare", {"profiles": profiles})
    assert (answer[0], answer[1]["error"]["code"], answer[1]["error"]["location"]) == (status, code, location)


def test_urls_are_checked_as_they_are_decoded(client: FlaskClient) -> None:
    # A URL that is not a beacon before one that is not text: the first is named.
    status, data = post(client, "/decode", {"urls": ["https://example.com/", 3]})
    assert (status, data["error"]["code"], data["error"]["location"]) == (422, "not-a-beacon", "urls[0]")
    document = {"format": "pintrk-playground/reproduction", "version": 1, "calls": ""}
    status, data = post(client, "/decode", document)
    assert (status, data["error"]["code"], data["error"]["location"]) == (400, "invalid-field", "sentBeacons")


_SERVER_SCHEMAS = ("ServerOutcome", "DedupCheck", "EventPair", "DedupReason", "SettingFix")


def test_the_replay_example_is_hybrid_and_the_server_schemas_show_its_real_answer(
    client: FlaskClient, spec: dict[str, Any]
) -> None:
    """The documented /replay body sends from the browser and a separate cloud destination; its
    answer validates with cloud and dedup, and each server-path schema's example is part of it."""
    example = spec["paths"]["/replay"]["post"]["requestBody"]["content"][JSON]["example"]
    assert example["cloudSettings"] and "connectionMode" not in example["settings"]
    status, answer = post(client, "/replay", example)
    assert status == 200
    registry = Registry().with_resource("urn:api", Resource.from_contents(spec, default_specification=DRAFT4))

    def validate(value: Any, name: str) -> None:
        OAS30Validator({"$ref": f"urn:api#/components/schemas/{name}"}, registry=registry).validate(value)

    validate(answer, "ReplayResponse")
    schemas = spec["components"]["schemas"]
    for name in _SERVER_SCHEMAS:
        validate(schemas[name]["example"], name)
    assert schemas["DedupCheck"]["example"] == answer["dedup"]
    assert schemas["ServerOutcome"]["example"] in answer["cloud"]
    pair = schemas["EventPair"]["example"]
    assert pair in answer["dedup"]["pairs"] and pair["verdict"] == "count-twice"
    assert schemas["DedupReason"]["example"] in pair["reasons"]
    assert schemas["SettingFix"]["example"] == schemas["DedupReason"]["example"]["fix"]
    assert schemas["SettingFix"]["example"]["destination"] == "cloudSettings"
    # The answer's keys are documented, and only answered when a server sends.
    replay = schemas["ReplayResponse"]
    assert {"cloud", "dedup"} <= set(replay["properties"]) and not {"cloud", "dedup"} & set(
        replay["required"]
    )
