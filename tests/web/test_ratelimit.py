"""The JSON API's per-client rate limit (app/web/ratelimit.py): 429 in the API's error shape, with Retry-After."""

from __future__ import annotations

import json
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openapi_schema_validator import OAS30Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from app import create_app

IMPORT = {"payload": {"type": "track", "event": "Order Completed", "messageId": "m-1"}}
REPLAY = {"settings": {"tagId": "2612345678901"}, "calls": 'rudderanalytics.track("Order Completed");'}
DECODE = {"urls": ["https://ct.pinterest.com/v3/?tid=2612345678901&event=checkout"]}
COMPARE = {"settings": {"tagId": "2612345678901"}, "calls": "rudderanalytics.page();"}


def limited(limit: str = "3 per minute", **config: Any) -> Flask:
    return create_app("testing", RATELIMIT_ENABLED=True, API_RATE_LIMIT=limit, **config)


def post(client: FlaskClient, path: str, body: Any, **kwargs: Any) -> Any:
    return client.post(f"/api/v1{path}", data=json.dumps(body), content_type="application/json", **kwargs)


def test_the_limit_answers_429_in_the_apis_error_shape_with_retry_after() -> None:
    client = limited().test_client()
    assert [post(client, "/import", IMPORT).status_code for _ in range(3)] == [200, 200, 200]
    refused = post(client, "/import", IMPORT)
    assert refused.status_code == 429 and refused.mimetype == "application/json"
    wait = int(refused.headers["Retry-After"])
    assert 1 <= wait <= 60
    error = json.loads(refused.data)["error"]
    assert error["code"] == "too-many-requests" and error["location"] is None
    assert "at most 3 per 1 minute from one client" in error["message"]
    assert f"Wait {wait} second" in error["message"]
    # The 429 is the one the OpenAPI document describes.
    spec = json.loads(client.get("/api/v1/openapi.json").data)
    registry = Registry().with_resource("urn:api", Resource.from_contents(spec, default_specification=DRAFT4))
    for path in ("/replay", "/decode", "/compare", "/import"):
        documented = spec["paths"][path]["post"]["responses"]["429"]
        assert "Retry-After" in documented["headers"]
        pointer = f"/paths/{path.replace('/', '~1')}/post/responses/429/content/application~1json/schema"
        OAS30Validator({"$ref": f"urn:api#{pointer}"}, registry=registry).validate(json.loads(refused.data))


def test_the_four_endpoints_share_one_budget_and_nothing_else_counts() -> None:
    client = limited().test_client()
    for _ in range(5):  # the docs, the document, the pages, wrong methods and paths: not counted
        assert client.get("/api/v1/docs").status_code == 200
        assert client.get("/api/v1/openapi.json").status_code == 200
        assert client.get("/healthz").status_code == 200
        assert client.get("/api/v1/replay").status_code == 405
        assert post(client, "/nowhere", {}).status_code == 404
    assert post(client, "/replay", REPLAY).status_code == 200
    assert post(client, "/compare", COMPARE).status_code == 200
    assert post(client, "/decode", DECODE).status_code == 200
    for path, body in (("/import", IMPORT), ("/replay", REPLAY)):
        assert post(client, path, body).status_code == 429


def test_refused_requests_are_counted_too_so_bad_input_is_no_way_around_it() -> None:
    client = limited().test_client()
    assert [post(client, "/replay", {"nope": 1}).status_code for _ in range(3)] == [400, 400, 400]
    assert post(client, "/replay", REPLAY).status_code == 429


def test_each_client_address_has_its_own_count() -> None:
    client = limited().test_client()
    first, second = {"REMOTE_ADDR": "198.51.100.1"}, {"REMOTE_ADDR": "198.51.100.2"}
    assert [post(client, "/import", IMPORT, environ_base=first).status_code for _ in range(4)] == [
        200,
        200,
        200,
        429,
    ]
    assert post(client, "/import", IMPORT, environ_base=second).status_code == 200


def test_x_forwarded_for_counts_only_behind_a_trusted_proxy() -> None:
    proxy = {"REMOTE_ADDR": "10.0.0.5"}

    def statuses(client: FlaskClient) -> list[int]:
        return [
            post(
                client, "/import", IMPORT, environ_base=proxy, headers={"X-Forwarded-For": f"203.0.113.{i}"}
            ).status_code
            for i in range(5)
        ]

    # Served directly, the header is the client's own say-so: it changes nothing.
    assert statuses(limited().test_client()) == [200, 200, 200, 429, 429]
    # Behind one proxy that sets it, each forwarded address is a client of its own.
    assert statuses(limited(TRUSTED_PROXIES=1).test_client()) == [200] * 5


def test_the_suite_runs_without_it_and_production_has_it(monkeypatch: pytest.MonkeyPatch) -> None:
    testing = create_app("testing").test_client()
    assert {post(testing, "/import", IMPORT).status_code for _ in range(150)} == {200}
    monkeypatch.setenv("PINTRK_API_RATE_LIMIT", "2 per hour")
    production = create_app("production", SECRET_KEY="ratelimit-test-only")
    assert (
        production.config["RATELIMIT_ENABLED"] is True and production.config["API_RATE_LIMIT"] == "2 per hour"
    )
    client = production.test_client()
    assert [post(client, "/import", IMPORT).status_code for _ in range(3)] == [200, 200, 429]


def test_the_readme_states_the_default_limit_and_store() -> None:
    from pathlib import Path

    from config import Config

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    serving = readme.split("## Serving in production", 1)[1].split("\n## ", 1)[0]
    assert f"default `{Config.API_RATE_LIMIT}`" in serving
    assert f"`{Config.RATELIMIT_STORAGE_URI}` by default" in serving
