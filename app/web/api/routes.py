"""The endpoints under ``/api/v1``: replay, decode, compare, import and cloud, the document and its page.

Each endpoint reads its body (bodies.py), checks its fields against the schema (fields.py), asks
the core, and answers (responses.py).  Every error is JSON (errors.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from flask import Blueprint, Response, current_app, render_template, request

from app.gc_pause import cyclic_gc_paused  # a process-wide switch: the entry point's, not the core's
from app.pintrk import (
    PROFILES,
    BeaconError,
    BeaconList,
    EventsImportError,
    InputError,
    Location,
    check_server_budget,
    cloud_lines,
    compare_beacons,
    compare_profiles,
    decode_text_within,
    decode_url,
    import_events,
    item_path,
    limits,
    read_cloud_cases,
    read_router_cases,
    replay,
    router_lines,
    server_path_dict,
    size_text,
)

from . import openapi
from .bodies import read_body, read_decode_body
from .docs import operations
from .errors import error_response, fail, register_error_handlers
from .fields import allowed_fields, check_field, check_item, check_keys
from .responses import json_response, json_stream, replay_dict
from .scenarios import scenario_of, status_of
from .schema import LIMITS

bp = Blueprint("api", __name__, url_prefix="/api/v1")
register_error_handlers(bp)

_SOURCES = ("urls", "text", "har")


@bp.post("/replay")
def replay_endpoint() -> Response:
    # A big replay allocates millions of small acyclic objects: no cycle collection meanwhile.
    with cyclic_gc_paused():
        body = read_body()
        if "format" not in body:
            check_keys(body, "ScenarioRequest")
        scenario, profile, built = scenario_of(body, "ScenarioRequest")
        try:
            check_server_budget(scenario, limits.API)
        except InputError as exc:
            fail(status_of(exc), exc.code, exc.message, str(exc.location) if exc.location else None)
        result = replay(scenario, profile)
        data = replay_dict(result)
        if built is not None:
            data["messages"] = built
        # When RudderStack's servers send the events too: "cloud" and "dedup" (else neither key).
        data.update(server_path_dict(result) or {})
        # Serialised while the response is sent (the cycle collector stays paused for that too).
        return Response(_paused(json_stream(data)), mimetype="application/json")


def _paused(chunks: Iterator[str]) -> Iterator[str]:
    with cyclic_gc_paused():
        yield from chunks


@bp.post("/decode")
def decode_endpoint() -> Response:
    body, har = read_decode_body()
    reproduction = "format" in body
    if not reproduction:
        check_keys(body, "DecodeRequest")
    sources = ["sentBeacons"] if reproduction else [key for key in _SOURCES if body.get(key) is not None]
    if len(sources) != 1:
        fail(
            400,
            "missing-field" if not sources else "conflicting-fields",
            "send the beacons in exactly one of urls (a list of URLs), text (URLs separated by spaces "
            "or new lines) or har (a HAR file's JSON object)",
            None if not sources else sources[1],
        )
    beacons, notes, truncated, found = _decode(body, sources[0], har, reproduction)
    # At most max_beacons beacons (a cap, stated): "truncated" says more were sent, "found" how many.
    data: dict[str, Any] = {
        "beacons": [b.to_dict() for b in beacons],
        "notes": notes,
        "truncated": truncated,
        "found": found,
    }
    scenario_fields = [key for key in allowed_fields("ScenarioRequest") if key != "id"]
    if reproduction or any(body.get(key) is not None for key in scenario_fields):
        scenario, profile, _ = scenario_of(
            {k: v for k, v in body.items() if k not in _SOURCES}, "DecodeRequest"
        )
        result = replay(scenario, profile)
        comparison = compare_beacons(result.beacons, beacons)
        data["comparison"] = {
            "profile": profile,
            "predicted": [b.to_dict() for b in result.beacons],  # the /v3/ requests
            **comparison.to_dict(),
        }
    return json_response(data)


def _decode(
    body: dict[str, Any], source: str, har: BeaconList | None, reproduction: bool
) -> tuple[list[Any], list[str], bool, int]:
    # Only Pinterest's tag host, unless a test configures a local stand-in.
    hosts = current_app.config["BEACON_HOSTS"]
    schema = "Reproduction" if reproduction else "DecodeRequest"
    if source != "har" or har is None:  # a HAR object was read as it streamed by
        check_field(body, schema, source, items=False, required=True)
    if source in ("urls", "sentBeacons"):
        beacons = []
        for i, url in enumerate(body[source]):
            check_item(body[source], schema, source, i)
            try:
                beacons.append(decode_url(url, hosts=hosts, source=item_path(source, i)))
            except BeaconError as exc:
                fail(422, "not-a-beacon", exc.message, item_path(source, i))
        return beacons, [], False, len(beacons)
    if source == "text":
        found = decode_text_within(body["text"], hosts=hosts, max_beacons=LIMITS["max_beacons"])
        notes = list(found.notes)
        if not found.beacons:
            notes.append(f"no {' or '.join(hosts)} beacon URLs were found in the text")
        return list(found.beacons), notes, found.truncated, found.total
    assert har is not None  # an object in "har" was read as it streamed (read_decode_body)
    notes = list(har.notes)
    if not har.beacons:
        notes.append(
            f"none of the HAR's {har.entries or 0:,} requests went to {' or '.join(hosts)}: the tag didn't fire "
            "during the recording, or something (an ad blocker, a consent tool) stopped it"
        )
    return list(har.beacons), notes, har.truncated, har.total


@bp.post("/compare")
def compare_endpoint() -> Response:
    body = read_body()
    if "format" not in body:
        check_keys(body, "CompareRequest")  # "profiles" (a list) replaces "profile" here
    check_field(body, "CompareRequest", "profiles")
    names = body.get("profiles") or list(PROFILES)
    scenario, _, _ = scenario_of(
        {k: v for k, v in body.items() if k not in ("profile", "profiles")}, "CompareRequest"
    )
    return json_response(compare_profiles(scenario, names).to_dict())


@bp.post("/import")
def import_endpoint() -> Response:
    body = read_body()
    check_keys(body, "ImportRequest")
    if ("payload" in body) == ("text" in body):
        fail(
            400,
            "missing-field" if "payload" not in body else "conflicting-fields",
            "send the pasted events as payload (the JSON value) or as text (the JSON text), not both",
            None,
        )
    source = "text" if "text" in body else "payload"
    check_field(body, "ImportRequest", "text", required=source == "text")
    try:
        imported = import_events(
            body[source], max_messages=LIMITS["max_messages"], max_depth=LIMITS["max_depth"]
        )
    except EventsImportError as exc:
        if exc.too_many:
            fail(413, "too-many-messages", exc.message, _inside(source, exc.location))
        fail(422, "invalid-payload", exc.message, _inside(source, exc.location))
    data = imported.to_dict()
    for problem in data["problems"]:
        problem["location"] = _inside(source, problem["location"])
    return json_response(data)


def _inside(source: str, location: str | None) -> str:
    """A location inside the payload, from the request's point of view."""
    if not location or location == "message":
        return source
    if source == "text" or location.startswith("line"):
        return f"{source}: {location}"
    return str(Location(location).inside(source))


@bp.post("/cloud")
def cloud_endpoint() -> Response:
    body = read_body()
    check_keys(body, "CloudRequest")
    if ("cases" in body) == ("batch" in body):
        fail(
            400,
            "missing-field" if "cases" not in body else "conflicting-fields",
            'send the events as cases (a list of {"id", "destination_config", "message"}) or as batch '
            '(a list of router cases {"id", "events": [ … ]}), not both',
            None,
        )
    source = "cases" if "cases" in body else "batch"
    check_field(body, "CloudRequest", source, required=True)
    try:
        if source == "cases":
            results = list(cloud_lines(read_cloud_cases(body[source], limits.API, source)))
        else:
            results = list(router_lines(read_router_cases(body[source], limits.API, source)))
    except InputError as exc:
        fail(status_of(exc), exc.code, exc.message, str(exc.location) if exc.location else None)
    return json_response({"results": results})


@bp.get("/openapi.json")
def openapi_document() -> Response:
    return json_response(openapi.document(_limits()))


@bp.get("/docs")
def docs() -> str:
    limits = _limits()
    document = openapi.document(limits)
    return render_template(
        "api/docs.html",
        spec=document,
        limits=limits,
        sizes={key: size_text(limits[key], unit="MB") for key in _CONFIGURED},
        operations=operations(document, request.host_url.rstrip("/")),
    )


def _limits() -> dict[str, Any]:
    """The limits, with the body sizes this app is configured with."""
    config = current_app.config
    return {**LIMITS, **{key: config.get(key, LIMITS[key]) for key in _CONFIGURED}}


_CONFIGURED = ("API_MAX_CONTENT_LENGTH", "API_MAX_HAR_CONTENT_LENGTH")
# JSON answers for wrong methods and unknown paths under /api/v1 (routing fails
# before a blueprint's error handlers apply, so these are routes of their own).
_OTHER_METHODS = ["GET", "PUT", "PATCH", "DELETE"]


def _post_only() -> Response:
    response = error_response(
        405, "method-not-allowed", f"use POST with a JSON body for {request.path}", None
    )
    response.headers["Allow"] = "POST"
    return response


for _rule in ("/replay", "/decode", "/compare", "/import", "/cloud"):
    bp.add_url_rule(
        _rule, endpoint=f"{_rule.strip('/')}_other_methods", view_func=_post_only, methods=_OTHER_METHODS
    )


@bp.route("/", defaults={"rest": ""}, methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
@bp.route("/<path:rest>", methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
def not_found(rest: str) -> Response:
    if rest in ("openapi.json", "docs"):
        response = error_response(405, "method-not-allowed", f"use GET for {request.path}", None)
        response.headers["Allow"] = "GET, HEAD"
        return response
    return error_response(
        404,
        "not-found",
        f"there is no /api/v1/{rest}: see /api/v1/docs for the endpoints",
        None,
    )
