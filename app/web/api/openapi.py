"""The API's OpenAPI 3.0 document, assembled from the schemas the API validates with.

The request bodies (schema.py) are the ones ``fields.py`` checks bodies against; the answers
(answers.py) are the ones the tests check answers against.  This module adds the paths, the
words about each operation and the limits, and is served at ``/api/v1/openapi.json``;
``/api/v1/docs`` renders the same document as HTML (docs.py).
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from app.pintrk import size_text

from .answers import ANSWER_SCHEMAS
from .schema import BODIES, EXAMPLES, LIMITS, REQUEST_SCHEMAS, ref
from .server_answers import with_examples

__all__ = ["document"]


def _errors(*statuses: int) -> dict[str, Any]:
    words = {
        400: "Bad input: the body is not JSON, not an object, has an unknown field, or a field of the wrong type.",
        413: "Too large: the body, the number of messages, calls or beacons is over the limit.",
        415: "Wrong content type: send Content-Type: application/json.",
        422: "Well-formed but unusable: invalid settings, an unknown profile, a call script that doesn't parse, a HAR that isn't one.",
        429: "Too many requests from this client address (code too-many-requests): replay, decode, compare, import and cloud "
        "share one per-client rate limit, set by the server's operator. Wait the seconds in Retry-After, then send it again.",
    }
    retry_after = {
        "Retry-After": {
            "description": "seconds to wait before the next request",
            "schema": {"type": "integer", "minimum": 1},
        }
    }
    return {
        str(status): {
            "description": words[status],
            **({"headers": retry_after} if status == 429 else {}),
            "content": {"application/json": {"schema": ref("Error")}},
        }
        for status in statuses
    }


def _post(path: str, summary: str, description: str, response: str) -> dict[str, Any]:
    body = ref(BODIES[path])
    schema = body if path in ("/import", "/cloud") else {"anyOf": [body, ref("Reproduction")]}
    return {
        "post": {
            "summary": summary,
            "description": description,
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": schema, "example": EXAMPLES[path]}},
            },
            "responses": {
                "200": {"description": "OK", "content": {"application/json": {"schema": ref(response)}}},
                **_errors(400, 413, 415, 422, 429),
            },
        }
    }


def _get(summary: str, description: str, answer: str, media_type: str, schema: str) -> dict[str, Any]:
    return {
        "get": {
            "summary": summary,
            "description": description,
            "responses": {
                "200": {"description": answer, "content": {media_type: {"schema": {"type": schema}}}}
            },
        }
    }


_PATHS: dict[str, Any] = {
    "/replay": _post(
        "/replay",
        "Replay a scenario",
        "Runs a scenario (messages, a call script, or pintrk calls for the tag alone) under a profile and returns "
        "the pintrk commands, their byte-exact JSON, the tag's requests and console messages (simulated), "
        "diagnostics and the tag snippet. When RudderStack's servers send the events too (settings with "
        'connectionMode {"web": "cloud"} or {"web": "hybrid"}, or a separate cloud-mode destination in cloudSettings), '
        "the answer adds cloud (each message's Conversions API requests, or the error) and dedup (the deduplication "
        "check: per event, will be deduplicated / will count twice / server only / browser only, with the reasons and "
        "the setting that fixes it); otherwise neither key is there. "
        "A saved reproduction document is accepted as the body too.",
        "ReplayResponse",
    ),
    "/decode": _post(
        "/decode",
        "Decode real beacons (and compare)",
        "Decodes ct.pinterest.com beacon URLs (a list, pasted text, or a HAR file) into event, tid, ed, pd "
        "and the other parameters, with problems noted per beacon. With a scenario too, lines the beacons "
        "up with the predicted ones and explains each difference in one line (cb is never compared). "
        "A reproduction document with sentBeacons is accepted as the body too.",
        "DecodeResponse",
    ),
    "/compare": _post(
        "/compare",
        "Compare profiles side by side",
        "Replays the scenario under docs, sdk-v1 and sdk-v3 (or the profiles you list), aligns the "
        "commands by message and explains each difference in one line.",
        "CompareResponse",
    ),
    "/import": _post(
        "/import",
        "Import pasted events",
        'Reads what a customer pasted (one message, a list, or the SDK\'s {"batch": […]} body) into '
        "messages to replay. Unusable entries are reported by position and left out; valid ones keep "
        "every field verbatim. Also suggests initial traits for a returning visitor.",
        "ImportResponse",
    ),
    "/cloud": _post(
        "/cloud",
        "Cloud mode: the Conversions API request(s)",
        "What RudderStack's servers send to Pinterest's Conversions API for each event, as RudderStack's own "
        "recorded cases show it: method, endpoint, headers, params and JSON body (user data normalised and hashed, "
        "event_id from the deduplication key), or the error text RudderStack's dashboard shows. With batch, the "
        "events of each router case are batched into requests as RudderStack's router does, failures after them. "
        "The lines are those `python -m app.pintrk cloud` prints.",
        "CloudResponse",
    ),
    "/openapi.json": _get(
        "This OpenAPI document",
        "The API description you are reading, as JSON.",
        "OpenAPI 3.0 document",
        "application/json",
        "object",
    ),
    "/docs": _get(
        "Human-readable API documentation",
        "This document as an HTML page, with an example curl command for each endpoint.",
        "HTML page",
        "text/html",
        "string",
    ),
}


def _description(limits: Mapping[str, Any]) -> str:
    body_limit = size_text(limits["API_MAX_CONTENT_LENGTH"], unit="MB")
    har_limit = size_text(limits["API_MAX_HAR_CONTENT_LENGTH"], unit="MB")
    return (
        "Replays RudderStack's Pinterest Tag destination (device mode): messages → pintrk() commands → "
        "every request Pinterest's tag would make, /user/ and /v3/ (simulated: nothing is ever sent to Pinterest). "
        "Also decodes real beacons and compares them with the prediction, and shows cloud mode's Conversions API "
        "requests (/cloud). Bodies are JSON "
        "(Content-Type: application/json), read with JavaScript number semantics; answers are written "
        'as JSON.stringify writes them. Errors are {"error": {"code", "message", "location"}}. '
        f"Limits: bodies up to {body_limit} ({har_limit} for /decode), "
        f"{limits['max_messages']:,} messages, {limits['max_calls']:,} calls in a call script, "
        f"{limits['max_beacons']:,} beacons, nesting {limits['max_depth']} levels deep; "
        f"and a work budget per request: {limits['max_values']:,} JSON values and {limits['max_line_items']:,} "
        "products in a scenario (past it: 413 over-budget, before any work), "
        f"{limits['max_har_entries']:,} entries and {limits['max_har_values']:,} JSON values read from a HAR."
    )


def document(limits: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The OpenAPI 3.0 document; ``limits`` override :data:`LIMITS` (the app's config)."""
    limits = {**LIMITS, **(limits or {})}
    return {
        "openapi": "3.0.3",
        "info": {"title": "pintrk playground API", "version": "1.0.0", "description": _description(limits)},
        "servers": [{"url": "/api/v1"}],
        "x-limits": {k: limits[k] for k in LIMITS},
        "paths": copy.deepcopy(_PATHS),
        "components": {"schemas": with_examples(copy.deepcopy({**REQUEST_SCHEMAS, **ANSWER_SCHEMAS}))},
    }
