"""The JSON API: real responses validated against the served OpenAPI document, errors, limits."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openapi_schema_validator import OAS30Validator
from openapi_spec_validator import validate as validate_openapi_document
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4
from werkzeug.test import TestResponse

from app import create_app
from app.pintrk.jsvalue import loads
from app.pintrk.replay import replay
from app.pintrk.reproduction import Reproduction, dump
from app.pintrk.scenario import load_scenario
from app.pintrk.snippet import render_snippet
from tests.fixtures import make_har

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
TID = "2612345678901"
JSON = "application/json"


@pytest.fixture
def spec(client: FlaskClient) -> dict[str, Any]:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200 and response.mimetype == JSON
    return json.loads(response.data)


@pytest.fixture
def check(spec: dict[str, Any]) -> Callable[[TestResponse, str, int], Any]:
    """check(response, "/replay", status) → the parsed body, validated against the served schema."""
    registry = Registry().with_resource("urn:api", Resource.from_contents(spec, default_specification=DRAFT4))

    def validate(response: TestResponse, path: str, status: int = 200) -> Any:
        assert response.status_code == status, response.data[:500]
        assert response.mimetype == JSON
        body = loads(response.data)
        pointer = f"/paths/{path.replace('/', '~1')}/post/responses/{status}/content/application~1json/schema"
        OAS30Validator({"$ref": f"urn:api#{pointer}"}, registry=registry).validate(body)
        return body

    return validate


def post(client: FlaskClient, path: str, body: Any) -> TestResponse:
    """POST a body as JSON text (json.dumps keeps key order, unlike the test client's json=)."""
    return client.post(
        f"/api/v1{path}", data=body if isinstance(body, (str, bytes)) else json.dumps(body), content_type=JSON
    )


def example(spec: dict[str, Any], path: str) -> Any:
    return spec["paths"][path]["post"]["requestBody"]["content"][JSON]["example"]


def error_of(check: Callable[..., Any], response: TestResponse, path: str, status: int) -> dict[str, Any]:
    return check(response, path, status)["error"]


# -- the document ------------------------------------------------------------------------------


def test_openapi_document_is_valid(spec: dict[str, Any]) -> None:
    validate_openapi_document(spec)
    assert spec["openapi"].startswith("3.0")
    assert set(spec["paths"]) == {
        "/replay",
        "/decode",
        "/compare",
        "/import",
        "/cloud",
        "/openapi.json",
        "/docs",
    }
    assert spec["x-limits"]["max_messages"] == 10_000


@pytest.mark.parametrize("path", ["/replay", "/decode", "/compare", "/import", "/cloud"])
def test_every_documented_example_works(
    client: FlaskClient, spec: dict[str, Any], check: Callable[..., Any], path: str
) -> None:
    check(post(client, path, example(spec, path)), path)


def test_docs_page(client: FlaskClient, spec: dict[str, Any]) -> None:
    response = client.get("/api/v1/docs")
    assert response.status_code == 200 and response.mimetype == "text/html"
    soup = BeautifulSoup(response.text, "html.parser")
    assert soup.select_one("header .brand").get_text(strip=True) == "pintrk playground"  # extends base.html
    assert soup.find("script") is None
    for tag in soup.find_all(["link", "img", "iframe"]):
        assert not (tag.get("href") or tag.get("src") or "").startswith(("http:", "https:", "//"))
    curls = [pre.get_text() for pre in soup.select("pre.api-curl")]
    for path in ("/replay", "/decode", "/compare", "/import"):
        section = soup.find(id=path.strip("/"))
        assert section is not None and f"/api/v1{path}" in section.get_text()
        assert any(f"/api/v1{path}" in c and "Content-Type: application/json" in c for c in curls)
        fields = {code.get_text() for code in section.select("table code")}
        operation = spec["paths"][path]["post"]
        # The tables list the request's fields, then the answer's: each one must be in the schema.
        documented = _property_names(
            spec, operation["requestBody"]["content"][JSON]["schema"]
        ) | _property_names(spec, operation["responses"]["200"]["content"][JSON]["schema"])
        assert fields and fields <= documented, (path, fields - documented)
    assert "settings.eventsMapping[2].to" in response.text  # how errors point at fields


def _property_names(spec: dict[str, Any], schema: dict[str, Any]) -> set[str]:
    """The property names of a schema, following $ref and every anyOf branch."""
    if "$ref" in schema:
        return _property_names(spec, spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]])
    names = set(schema.get("properties", {}))
    for branch in schema.get("anyOf", []):
        names |= _property_names(spec, branch)
    return names


def test_the_curl_examples_are_valid_shell_json(client: FlaskClient) -> None:
    soup = BeautifulSoup(client.get("/api/v1/docs").text, "html.parser")
    checked = 0
    for pre in soup.select("pre.api-curl"):
        text = pre.get_text()
        if "-d '" not in text:
            continue
        data = text.split("-d '", 1)[1].rsplit("'", 1)[0].replace("'\\''", "'")
        json.loads(data)
        checked += 1
    assert checked == 5  # one per POST endpoint


# -- replay ----------------------------------------------------------------------------------------


def test_replay_messages_matches_every_vector(
    client: FlaskClient, conformance_path: Path, check: Callable[..., Any]
) -> None:
    raw = json.loads(conformance_path.read_text())  # sent as JSON text; the API reads it with JS semantics
    vectors = loads(conformance_path.read_text())
    for data, vector in zip(raw, vectors, strict=True):
        for profile in ("docs", "sdk-v1", "sdk-v3"):
            body = {
                "settings": data["settings"],
                "profile": profile,
                "initialTraits": data["initialTraits"],
                "messages": data["messages"],
            }
            result = check(post(client, "/replay", body), "/replay")
            assert result["calls_json"] == vector["expected"][profile]["calls_json"], (data["id"], profile)


def test_replay_response_shape(client: FlaskClient, check: Callable[..., Any]) -> None:
    calls = 'rudderanalytics.identify("u", {email: "A@B.com"});\nrudderanalytics.track("Order Completed", {revenue: 1.50});\nrudderanalytics.track("Bad", null)'
    body = {
        "settings": {"tagId": TID, "eventsMapping": [{"from": "Order Completed"}]},
        "profile": "sdk-v1",
        "calls": calls,
    }
    result = check(post(client, "/replay", body), "/replay")
    assert result["profile"] == "sdk-v1"
    assert result["commands"][:3] == [
        {"index": 0, "method": "load", "args": [TID], "message": None, "event": None},
        {"index": 1, "method": "page", "args": [], "message": None, "event": None},
        {"index": 2, "method": "set", "args": [{"em": "A@B.com"}], "message": 0, "event": None},
    ]
    assert result["commands"][3]["event"] == "Checkout" and result["commands"][3]["args"][1] == {"value": 1.5}
    assert [m["type"] for m in result["messages"]] == ["identify", "track", "track"]
    beacons = [r for r in result["requests"] if r["path"] == "/v3/"]
    assert beacons[1]["event"] == "Checkout" and len(beacons[1]["pd"]["em"]) == 64
    assert [r["path"] for r in result["requests"]].count("/user/") == len(beacons)
    assert {d["code"] for d in result["diagnostics"]} >= {"checkout-incomplete"}
    scenario = load_scenario({"settings": body["settings"], "messages": result["messages"]})
    assert result["snippet"] == render_snippet(replay(scenario, "sdk-v1").entries)


def test_error_entries(client: FlaskClient, check: Callable[..., Any]) -> None:
    body = {"settings": {"tagId": TID}, "messages": [{"type": "track", "event": 5, "messageId": "m"}]}
    result = check(post(client, "/replay", body), "/replay")
    assert result["commands"][2] == {
        "index": 2,
        "error": "TypeError: event.toLowerCase is not a function",
        "message": 0,
    }
    assert result["calls_json"][2] == '{"error":"TypeError: event.toLowerCase is not a function"}'


def test_replay_reads_and_writes_javascript_numbers(client: FlaskClient, check: Callable[..., Any]) -> None:
    text = (
        f'{{"settings": {{"tagId": "{TID}"}}, "messages": [{{"type": "track", "event": "Order Completed", "messageId": "m",'
        ' "properties": {"revenue": 1.0, "order_quantity": 12345678901234567890, "value": 1e21, "currency": -0.0}}]}'
    )
    response = post(client, "/replay", text)
    result = check(response, "/replay")
    assert (
        result["calls_json"][2]
        == '["track","Checkout",{"value":1e+21,"order_quantity":12345678901234567000,"currency":0}]'
    )
    assert b'"value":1e+21' in response.data  # the response itself is written as JSON.stringify would


def test_replay_accepts_a_reproduction_document(client: FlaskClient, check: Callable[..., Any]) -> None:
    document = dump(
        Reproduction(profile="sdk-v3", settings={"tagId": TID}, calls='rudderanalytics.track("Lead")')
    )
    result = check(post(client, "/replay", document), "/replay")
    assert result["profile"] == "sdk-v3" and result["commands"][3]["event"] == "Lead"
    wrong = json.loads(document) | {"version": 7}
    err = error_of(check, post(client, "/replay", wrong), "/replay", 400)
    assert (err["code"], err["location"]) == ("invalid-reproduction", "version")
    bad_settings = json.loads(document) | {"settings": {"tagId": 1}}
    err = error_of(check, post(client, "/replay", bad_settings), "/replay", 422)
    assert (err["code"], err["location"]) == ("invalid-reproduction", "settings.tagId")


def test_empty_scenario_is_initialisation_only(client: FlaskClient, check: Callable[..., Any]) -> None:
    result = check(post(client, "/replay", {}), "/replay")
    assert result["calls_json"] == [
        '["load",""]',
        '["page"]',
    ]  # no tagId: load(""), as recorded (fuzz-scenarios.json)
    assert result["commands"][0]["args"] == [""]
    assert result["requests"] == []  # load(""): the tag never loads, so nothing is sent
    assert result["tag_console"][0]["code"] == "not-loaded-page"


# -- errors --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "status", "code", "location"),
    [
        ("{", 400, "invalid-json", "body: line 1, column 2"),
        ('{"settings": {}}\n  x', 400, "invalid-json", "body: line 2, column 3"),
        ("[]", 400, "not-an-object", "body"),
        ("", 400, "empty-body", "body"),
        ('{"setings": {}}', 400, "unknown-field", "setings"),
        ('{"settings": []}', 400, "invalid-field", "settings"),
        ('{"initialTraits": "x"}', 400, "invalid-field", "initialTraits"),
        ('{"messages": {}}', 400, "invalid-field", "messages"),
        ('{"calls": 3}', 400, "invalid-field", "calls"),
        ('{"calls": "", "messages": []}', 400, "conflicting-fields", "calls"),
        ('{"profile": 3}', 400, "invalid-field", "profile"),
        ('{"profile": "v2"}', 422, "unknown-profile", "profile"),
        (
            '{"settings": {"eventsMapping": [{}, {}, {"from": "a", "to": 5}]}}',
            422,
            "invalid-settings",
            "settings.eventsMapping[2].to",
        ),
        ('{"settings": {"enhancedMatch": "yes"}}', 422, "invalid-settings", "settings.enhancedMatch"),
        (
            '{"calls": "rudderanalytics.track(\\"A\\");\\nrudderanalytics.track(\\"B\\");\\nrudderanalytics.track(x)"}',
            422,
            "invalid-calls",
            "calls: line 3, column 23",
        ),
        ('{"calls": "rudderanalytics.track(\\"A\\", 3)"}', 422, "invalid-calls", "calls: line 1, column 1"),
        ("[" * 101 + "]" * 101, 400, "invalid-json", "body"),
    ],
)
def test_bad_input_is_a_json_4xx(
    client: FlaskClient, check: Callable[..., Any], body: str, status: int, code: str, location: str
) -> None:
    err = error_of(check, post(client, "/replay", body), "/replay", status)
    assert (err["code"], err["location"]) == (code, location)
    assert err["message"] and not err["message"].startswith("Traceback")


@pytest.mark.parametrize(
    "headers",
    [
        {"content_type": "text/plain"},
        {"content_type": "application/x-www-form-urlencoded"},
        {"content_type": "multipart/form-data; boundary=x"},
        {},
        {"content_type": "application/json; charset=latin-1"},
    ],
)
def test_only_json_is_accepted(
    client: FlaskClient, check: Callable[..., Any], headers: dict[str, str]
) -> None:
    for path in ("/replay", "/decode", "/compare", "/import"):
        response = client.post(f"/api/v1{path}", data="{}", **headers)
        err = error_of(check, response, path, 415)
        assert err["code"] == "unsupported-media-type" and err["location"] == "Content-Type"


def test_json_with_charset_and_vendor_types_are_fine(client: FlaskClient) -> None:
    for kind in ("application/json; charset=utf-8", "application/vnd.api+json"):
        assert client.post("/api/v1/replay", data="{}", content_type=kind).status_code == 200


def test_no_csrf_token_needed(app: Flask) -> None:
    assert app.config["WTF_CSRF_ENABLED"]
    assert app.test_client().post("/api/v1/replay", data="{}", content_type=JSON).status_code == 200


def test_wrong_method_and_unknown_path(client: FlaskClient) -> None:
    response = client.get("/api/v1/replay")
    assert response.status_code == 405 and response.headers["Allow"] == "POST"
    assert json.loads(response.data)["error"]["code"] == "method-not-allowed"
    response = client.post("/api/v1/openapi.json", data="{}", content_type=JSON)
    assert response.status_code == 405 and "GET" in response.headers["Allow"]
    response = client.post("/api/v1/replays", data="{}", content_type=JSON)
    assert response.status_code == 404 and json.loads(response.data)["error"]["code"] == "not-found"
    assert client.get("/api/v1/").status_code == 404


# -- limits ----------------------------------------------------------------------------------------------


def realistic_message(i: int) -> dict[str, Any]:
    """A message shaped like the JS SDK v3's (context and all): about 1.2 KB of JSON."""
    return {
        "type": "track",
        "event": ["Order Completed", "Product Added", "Products Searched", "Signed Up"][i % 4],
        "properties": {
            "revenue": 10 + i % 90,
            "currency": "USD",
            "order_id": f"o-{i}",
            "query": "shoes",
            "products": [{"product_id": f"P-{i}", "name": "Trail Runner", "price": 89.99, "quantity": 1}],
        },
        "messageId": f"8c4e3d7a-{i:04x}-4d1e-9f0b-2a6c5e8d1f{i % 100:02d}",
        "anonymousId": "5f0d6c2e-1b7a-4c39-8e4f-0a9d3b6c7e21",
        "userId": "user-4711",
        "channel": "web",
        "rudderId": "b2a1c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d",
        "context": {
            "app": {
                "build": "1.0.0",
                "name": "RudderLabs JavaScript SDK",
                "namespace": "com.rudderlabs.javascript",
                "version": "3.7.6",
                "installType": "npm",
            },
            "traits": {"email": "jane.doe@example.com", "plan": "pro"},
            "library": {"name": "RudderLabs JavaScript SDK", "version": "3.7.6"},
            "userAgent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36",
            "os": {"name": "", "version": ""},
            "locale": "en-US",
            "screen": {"density": 2, "width": 1512, "height": 982, "innerWidth": 1512, "innerHeight": 823},
            "campaign": {},
            "page": {
                "path": "/checkout",
                "referrer": "https://www.example.com/cart",
                "referring_domain": "www.example.com",
                "search": "",
                "title": "Checkout | Example Store",
                "url": "https://www.example.com/checkout",
                "tab_url": "https://www.example.com/checkout",
                "initial_referrer": "$direct",
                "initial_referring_domain": "",
            },
            "timezone": "GMT+0200",
            "sessionId": 1714557600000,
        },
        "originalTimestamp": "2024-05-01T10:00:01.000Z",
        "sentAt": "2024-05-01T10:00:02.000Z",
        "integrations": {"All": True},
    }


def test_ten_thousand_messages(client: FlaskClient, check: Callable[..., Any]) -> None:
    messages = [realistic_message(i) for i in range(10_000)]
    body = json.dumps(
        {"settings": {"tagId": TID, "enhancedMatch": True}, "profile": "sdk-v3", "messages": messages}
    )
    per_message = len(body) / 10_000
    assert 1000 < per_message < 1600  # what the body limit was sized for
    assert (
        len(body) > create_app("testing").config["MAX_CONTENT_LENGTH"]
    )  # the page's limit is raised for the API
    result = check(post(client, "/replay", body), "/replay")
    assert sum(r["path"] == "/v3/" for r in result["requests"]) == 1 + 10_000
    assert result["commands"][-1]["message"] == 9_999


def test_too_many_messages(client: FlaskClient, check: Callable[..., Any]) -> None:
    err = error_of(check, post(client, "/replay", {"messages": [{}] * 10_001}), "/replay", 413)
    assert (err["code"], err["location"]) == ("too-many-messages", "messages")
    assert "10,000" in err["message"]


def test_body_size_limit(client: FlaskClient, check: Callable[..., Any]) -> None:
    app = create_app("testing", API_MAX_CONTENT_LENGTH=1024 * 1024)
    small = app.test_client()
    body = json.dumps({"messages": [{"type": "page", "name": "x" * 1000}] * 1100})
    err = error_of(check, small.post("/api/v1/replay", data=body, content_type=JSON), "/replay", 413)
    assert err["code"] == "too-large" and "(1 MB)" in err["message"]
    assert (
        small.post(
            "/api/v1/replay", data=json.dumps({"messages": [{"type": "page"}] * 100}), content_type=JSON
        ).status_code
        == 200
    )


def test_too_many_calls(client: FlaskClient, check: Callable[..., Any]) -> None:
    err = error_of(
        check, post(client, "/replay", {"calls": 'rudderanalytics.track("A");' * 1001}), "/replay", 422
    )
    assert err["code"] == "invalid-calls" and "at most 1,000 calls" in err["message"]


# -- decode -------------------------------------------------------------------------------------------------


def test_decode_urls_and_compare(client: FlaskClient, check: Callable[..., Any]) -> None:
    predicted = replay(
        load_scenario(
            {
                "settings": {"tagId": TID},
                "messages": [
                    {
                        "type": "track",
                        "event": "Order Completed",
                        "properties": {"revenue": 10},
                        "messageId": "m",
                    }
                ],
            }
        ),
        "docs",
    ).beacons
    body = {
        "urls": [b.url + "&cb=1" for b in predicted],
        "settings": {"tagId": TID},
        "calls": 'rudderanalytics.track("Order Completed", {revenue: 10})',
    }
    result = check(post(client, "/decode", body), "/decode")
    assert [b["event"] for b in result["beacons"]] == ["init", "Checkout"]
    assert result["comparison"]["agrees"] is True and result["comparison"]["profile"] == "docs"
    assert result["comparison"]["pairs"] == [{"predicted": 0, "sent": 0}, {"predicted": 1, "sent": 1}]
    # Without a scenario: decoding only.
    assert "comparison" not in check(post(client, "/decode", {"urls": body["urls"]}), "/decode")


def test_decode_example_explains_the_string_value(
    client: FlaskClient, spec: dict[str, Any], check: Callable[..., Any]
) -> None:
    result = check(post(client, "/decode", example(spec, "/decode")), "/decode")
    assert [d["text"] for d in result["comparison"]["differences"]] == [
        'value differs on Checkout: predicted 10, sent "10" (a string)'
    ]


def test_decode_text(client: FlaskClient, check: Callable[..., Any]) -> None:
    text = f"Request URL: https://ct.pinterest.com/v3/?event=init&tid={TID}\nhttps://example.com/x\n"
    result = check(post(client, "/decode", {"text": text}), "/decode")
    assert [b["source"] for b in result["beacons"]] == ["line 1"]
    assert result["notes"] == [
        "line 2: https://example.com/x is not a request to ct.pinterest.com (example.com); skipped"
    ]
    empty = check(post(client, "/decode", {"text": "nothing"}), "/decode")
    assert empty["beacons"] == [] and empty["notes"] == [
        "no ct.pinterest.com beacon URLs were found in the text"
    ]


def test_decode_the_recorded_har_and_compare(check: Callable[..., Any]) -> None:
    app = create_app("testing", BEACON_HOSTS=(make_har.STAND_IN_HOST,))
    client = app.test_client()
    har = json.loads((FIXTURES / "pintrk-visit.har").read_text())
    body = {
        "har": har,
        "settings": make_har.SETTINGS,
        "profile": make_har.PROFILE,
        "initialTraits": make_har.INITIAL_TRAITS,
        "calls": make_har.CALLS,
    }
    result = check(post(client, "/decode", body), "/decode")
    assert [b["endpoint"] for b in result["beacons"]] == [
        "user",
        "v3",
    ] * 7  # each beacon after its /user/ request
    assert result["comparison"]["agrees"] is True and result["comparison"]["ignored"] == list(range(0, 14, 2))
    changed = check(post(client, "/decode", {**body, "profile": "sdk-v1"}), "/decode")
    assert not changed["comparison"]["agrees"]
    assert any(
        "event_id sent on PageVisit but not predicted" in d["text"]
        for d in changed["comparison"]["differences"]
    )
    # With the default host list (Pinterest only) the stand-in's requests are not beacons.
    default = check(post(create_app("testing").test_client(), "/decode", {"har": har}), "/decode")
    assert (
        default["beacons"] == []
        and "none of the HAR's 16 requests went to ct.pinterest.com" in default["notes"][0]
    )


def test_decode_a_reproduction_with_its_sent_beacons(client: FlaskClient, check: Callable[..., Any]) -> None:
    document = Reproduction(
        settings={"tagId": TID},
        calls='rudderanalytics.track("Lead")',
        sent_beacons=(f"https://ct.pinterest.com/v3/?event=init&tid={TID}",),
    )
    result = check(post(client, "/decode", dump(document)), "/decode")
    assert [d["text"] for d in result["comparison"]["differences"]] == [
        "missing beacon 'Lead': the scenario predicts it, but the site didn't send it "
        "(not called there, blocked, or sent before the recording started)"
    ]


@pytest.mark.parametrize(
    ("body", "status", "code", "location"),
    [
        ({}, 400, "missing-field", None),
        ({"settings": {}}, 400, "missing-field", None),
        ({"urls": [], "text": ""}, 400, "conflicting-fields", "text"),
        ({"urls": "x"}, 400, "invalid-field", "urls"),
        ({"urls": ["https://ct.pinterest.com/v3/?event=init", 3]}, 400, "invalid-field", "urls[1]"),
        (
            {"urls": ["https://ct.pinterest.com/v3/?event=init", "https://example.com/"]},
            422,
            "not-a-beacon",
            "urls[1]",
        ),
        ({"text": 1}, 400, "invalid-field", "text"),
        ({"har": []}, 400, "invalid-field", "har"),
        ({"har": {"entries": []}}, 422, "invalid-har", "har.log"),
        ({"har": {"log": {"entries": {}}}}, 422, "invalid-har", "har.log.entries"),
        ({"urls": [], "profile": "nope"}, 422, "unknown-profile", "profile"),
        ({"urls": [], "hosts": ["x"]}, 400, "unknown-field", "hosts"),
        ({"urls": ["u"] * 10_001}, 413, "too-many-beacons", "urls"),
    ],
)
def test_decode_errors(
    client: FlaskClient, check: Callable[..., Any], body: Any, status: int, code: str, location: str | None
) -> None:
    err = error_of(check, post(client, "/decode", body), "/decode", status)
    assert (err["code"], err["location"]) == (code, location)


def test_decode_har_size_limit(check: Callable[..., Any]) -> None:
    client = create_app("testing", API_MAX_HAR_CONTENT_LENGTH=64 * 1024).test_client()
    har = {"log": {"entries": [{"request": {"url": "https://www.example.com/" + "x" * 1000}}] * 100}}
    err = error_of(check, post(client, "/decode", {"har": har}), "/decode", 413)
    assert err["code"] == "too-large" and "0.0625 MB" in err["message"]


# -- compare ----------------------------------------------------------------------------------------------------


def test_compare(client: FlaskClient, spec: dict[str, Any], check: Callable[..., Any]) -> None:
    result = check(post(client, "/compare", example(spec, "/compare")), "/compare")
    assert result["profiles"] == ["docs", "sdk-v1", "sdk-v3"]
    row = result["rows"][1]
    assert row["summary"] == "track 'Product List Viewed'"
    assert (
        "docs maps 'Product List Viewed' to Search; the SDKs don't (sdk-v1 sends 'Product List Viewed'; sdk-v3 sends 'Custom')"
        in [d["text"] for d in row["differences"]]
    )
    assert any(s["code"] == "ldp-set" and s["rows"] == 2 for s in result["summary"])


def test_compare_some_profiles(client: FlaskClient, check: Callable[..., Any]) -> None:
    result = check(
        post(client, "/compare", {"profiles": ["sdk-v1", "sdk-v3"], "calls": "rudderanalytics.page()"}),
        "/compare",
    )
    assert result["profiles"] == ["sdk-v1", "sdk-v3"] and set(result["rows"][1]["commands"]) == {
        "sdk-v1",
        "sdk-v3",
    }


@pytest.mark.parametrize(
    ("body", "status", "code", "location"),
    [
        ({"profiles": []}, 400, "invalid-field", "profiles"),
        ({"profiles": "docs"}, 400, "invalid-field", "profiles"),
        ({"profiles": ["docs", 1]}, 400, "invalid-field", "profiles[1]"),
        ({"profiles": ["docs", "v2"]}, 422, "unknown-profile", "profiles[1]"),
        ({"profiles": ["docs", "docs"]}, 422, "duplicate-profile", "profiles[1]"),
        ({"profile": "docs"}, 400, "unknown-field", "profile"),
        ({"settings": {"tagId": 5}}, 422, "invalid-settings", "settings.tagId"),
    ],
)
def test_compare_errors(
    client: FlaskClient, check: Callable[..., Any], body: Any, status: int, code: str, location: str
) -> None:
    err = error_of(check, post(client, "/compare", body), "/compare", status)
    assert (err["code"], err["location"]) == (code, location)


# -- import --------------------------------------------------------------------------------------------------------


def test_import_payload(client: FlaskClient, spec: dict[str, Any], check: Callable[..., Any]) -> None:
    result = check(post(client, "/import", example(spec, "/import")), "/import")
    assert result["shape"] == "batch" and len(result["messages"]) == 1
    assert result["problems"] == [
        {
            "index": 1,
            "location": "payload.batch[1]",
            "skipped": True,
            "text": "entry 2: type 'screen' is not handled by the Pinterest integration",
        }
    ]
    assert result["initialTraits"] == {"email": "jane.doe@example.com"}
    assert result["messages"][0]["messageId"] == "1f6c0c5e-7a8e-4b87-9d56-3e0f4ab3c001"


def test_import_text_then_replay(client: FlaskClient, check: Callable[..., Any]) -> None:
    lines = (
        '{"type":"page","name":"Home","messageId":"a","context":{"traits":{}}}\n'
        '{"type":"track","event":"Lead","messageId":"b","properties":{"value":1.0},"context":{"traits":{}}}\n5'
    )
    imported = check(post(client, "/import", {"text": lines}), "/import")
    assert imported["shape"] == "lines" and [m["messageId"] for m in imported["messages"]] == ["a", "b"]
    assert imported["problems"][0]["location"] == "text: line 3"
    replayed = check(
        post(client, "/replay", {"settings": {"tagId": TID}, "messages": imported["messages"]}), "/replay"
    )
    assert replayed["calls_json"][-1] == '["track","Lead",{"value":1}]'


@pytest.mark.parametrize(
    ("body", "status", "code", "location"),
    [
        ({}, 400, "missing-field", None),
        ({"payload": [], "text": ""}, 400, "conflicting-fields", None),
        ({"text": 3}, 400, "invalid-field", "text"),
        ({"payload": [], "extra": 1}, 400, "unknown-field", "extra"),
        ({"text": "{"}, 422, "invalid-payload", "text: line 1, column 2"),
        ({"payload": {"batch": 3}}, 422, "invalid-payload", "payload.batch"),
        ({"payload": 3}, 422, "invalid-payload", "payload"),
        ({"payload": {"batch": [{}] * 10_001}}, 413, "too-many-messages", "payload.batch"),
    ],
)
def test_import_errors(
    client: FlaskClient, check: Callable[..., Any], body: Any, status: int, code: str, location: str | None
) -> None:
    err = error_of(check, post(client, "/import", body), "/import", status)
    assert (err["code"], err["location"]) == (code, location)


# -- never a 500 on bad input ----------------------------------------------------------------------------------


_json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**60), 2**60)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)
_FIELDS = [
    "settings",
    "profile",
    "profiles",
    "initialTraits",
    "messages",
    "calls",
    "urls",
    "text",
    "har",
    "payload",
    "format",
    "version",
    "sentBeacons",
    "id",
]
_settings_values = st.fixed_dictionaries(
    {},
    optional={
        "tagId": _json_values,
        "enhancedMatch": _json_values,
        "eventsMapping": _json_values,
        "customProperties": _json_values,
        "sendAsCustomEvent": _json_values,
        "deduplicationKey": _json_values,
    },
)
_bodies = st.dictionaries(
    st.sampled_from(_FIELDS),
    _json_values
    | _settings_values
    | st.sampled_from(
        [
            "docs",
            "sdk-v3",
            "pintrk-playground/reproduction",
            1,
            'rudderanalytics.track("A", {revenue: 1})',
            "https://ct.pinterest.com/v3/?event=init&tid=1",
        ]
    ),
    max_size=5,
)
_fuzz_client = create_app("testing").test_client()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(path=st.sampled_from(["/replay", "/decode", "/compare", "/import"]), body=_bodies)
def test_arbitrary_bodies_never_fail_the_server(path: str, body: dict[str, Any]) -> None:
    response = _fuzz_client.post(f"/api/v1{path}", data=json.dumps(body), content_type=JSON)
    assert response.status_code < 500, (body, response.data[:300])
    data = loads(response.data)
    if response.status_code >= 400:
        assert set(data["error"]) == {"code", "message", "location"}


@settings(max_examples=60, deadline=None)
@given(raw=st.binary(max_size=64) | st.text(max_size=64).map(str.encode))
def test_arbitrary_bytes_never_fail_the_server(raw: bytes) -> None:
    response = _fuzz_client.post("/api/v1/replay", data=raw, content_type=JSON)
    assert response.status_code < 500 and response.mimetype == JSON
