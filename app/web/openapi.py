"""The API's OpenAPI 3.0 description, built from Python so limits and examples stay in step.

Served at ``/api/v1/openapi.json``; ``/api/v1/docs`` renders the same data as HTML
(:func:`operations` flattens it for the template).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping
from typing import Any

from app.pintrk import limits as budget
from app.pintrk.events_import import MAX_MESSAGES
from app.pintrk.profiles import DEFAULT_PROFILE, PROFILES
from app.pintrk.reproduction import FORMAT

from . import limits

__all__ = ["LIMITS", "openapi_spec", "operations"]

MB = 1024 * 1024

# Measured: a RudderStack JS SDK v3 message with a typical context (page, library,
# userAgent, screen, traits…) and a few properties is 1–1.5 KB of JSON, so 20 MB
# holds 10,000 messages with room to spare.  The app's own MAX_CONTENT_LENGTH
# (2 MB, for the main page's forms) is raised only for these endpoints.
LIMITS: dict[str, Any] = {
    "API_MAX_CONTENT_LENGTH": 20 * MB,  # replay, compare, import
    "API_MAX_HAR_CONTENT_LENGTH": 50 * MB,  # decode: HAR files run to tens of MB
    "max_messages": MAX_MESSAGES,
    "max_calls": limits.MAX_CALLS,  # the call script parser reads ~1 ms per call; send messages for more
    "max_script_length": limits.MAX_TEXT_LENGTH,
    "max_depth": limits.MAX_NESTING,  # nesting of {…}/[…] in the body
    "max_beacons": budget.MAX_BEACONS,
    # The work budget (app/pintrk/budget.py): past these a replay is refused, 413 over-budget.
    "max_values": budget.MAX_VALUES,  # JSON values in a scenario's messages and initial traits
    "max_line_items": budget.MAX_LINE_ITEMS,  # products, over all the messages
    "max_har_entries": budget.MAX_HAR_ENTRIES,
    "max_har_values": budget.MAX_HAR_VALUES,
}

_TAG_ID = "2612345678901"

_EXAMPLE_SETTINGS = {
    "tagId": _TAG_ID,
    "enhancedMatch": False,
    "customProperties": [{"properties": "plan"}],
    "eventsMapping": [{"from": "Signed Up", "to": "SignUp"}],
    "sendAsCustomEvent": False,
}
_EXAMPLE_CALLS = (
    'rudderanalytics.page("Pricing");\n'
    'rudderanalytics.identify("user-1", {email: "Jane.Doe@example.com"});\n'
    'rudderanalytics.track("Order Completed", {revenue: 10, currency: "USD", order_id: "o-1"});'
)
_EXAMPLE_MESSAGE = {
    "type": "track",
    "event": "Order Completed",
    "properties": {"revenue": 10, "currency": "USD"},
    "messageId": "1f6c0c5e-7a8e-4b87-9d56-3e0f4ab3c001",
    "anonymousId": "anon-1",
    "userId": "user-1",
    "context": {"traits": {"email": "jane.doe@example.com"}},
}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    return {**schema, "nullable": True}


_ANY = {"description": "any JSON value"}
# The scenario besides settings and profile, as /decode and /compare take it.
_SCENARIO_FIELDS = {
    "initialTraits": _ref("Traits"),
    "messages": {"type": "array", "items": _ANY},
    "calls": {"type": "string"},
    "pintrk": {"type": "array", "items": {"type": "array", "minItems": 1, "items": _ANY}},
    "id": {"type": "string"},
}
_INDEX = {"type": "integer", "minimum": 0}

_SCHEMAS: dict[str, Any] = {
    "Error": {
        "type": "object",
        "required": ["error"],
        "additionalProperties": False,
        "properties": {
            "error": {
                "type": "object",
                "required": ["code", "message", "location"],
                "additionalProperties": False,
                "properties": {
                    "code": {
                        "type": "string",
                        "description": "stable identifier, e.g. invalid-json, invalid-settings, too-large",
                    },
                    "message": {"type": "string", "description": "what is wrong, in plain words"},
                    "location": _nullable(
                        {
                            "type": "string",
                            "description": "where: a field path such as settings.eventsMapping[2].to, or calls: line 3, column 5",
                        }
                    ),
                },
            }
        },
    },
    "Profile": {
        "type": "string",
        "enum": list(PROFILES),
        "description": " ".join(f"{p.name}: {p.summary}" for p in PROFILES.values()),
    },
    "Settings": {
        "type": "object",
        "description": "The Pinterest Tag destination config, in RudderStack's own JSON shape (other keys are kept and ignored).",
        "additionalProperties": True,
        "properties": {
            "tagId": {"type": "string", "description": "Pinterest Tag ID (13 digits)"},
            "enhancedMatch": {"type": "boolean", "description": "send the stored e-mail at load as em"},
            "customProperties": {
                "type": "array",
                "description": "extra properties to send, by dotted path",
                "items": {"type": "object", "properties": {"properties": {"type": "string"}}},
            },
            "eventsMapping": {
                "type": "array",
                "description": "Map Your Events To Pinterest Events",
                "items": {
                    "type": "object",
                    "properties": {"from": {"type": "string"}, "to": {"type": "string"}},
                },
            },
            "sendAsCustomEvent": {
                "type": "boolean",
                "description": "(sdk-v3) unmapped events go out as Custom",
            },
            "deduplicationKey": {
                "type": "string",
                "description": "(sdk-v3) dotted path into the message for event_id",
            },
        },
    },
    "Traits": {
        "type": "object",
        "additionalProperties": True,
        "description": 'user traits, e.g. {"email": "jane@example.com"}',
    },
    "Message": {
        "type": "object",
        "additionalProperties": True,
        "description": "a RudderStack message (type track, page or identify), kept verbatim",
        "properties": {
            "type": {"type": "string"},
            "event": _ANY,
            "name": _ANY,
            "category": _ANY,
            "properties": _ANY,
            "messageId": _ANY,
            "context": _ANY,
        },
    },
    "ScenarioRequest": {
        "type": "object",
        "additionalProperties": False,
        "description": "A scenario: settings, the traits stored before the page loaded, and either messages or a call script.",
        "properties": {
            "settings": _ref("Settings"),
            "profile": _ref("Profile"),
            "initialTraits": _ref("Traits"),
            "messages": {
                "type": "array",
                "maxItems": LIMITS["max_messages"],
                "items": _ANY,
                "description": "RudderStack messages, replayed in order (malformed ones are replayed too, as the integration would see them)",
            },
            "calls": {
                "type": "string",
                "maxLength": LIMITS["max_script_length"],
                "description": f"instead of messages: a call script (rudderanalytics.track/page/identify(…) with literal arguments), at most {LIMITS['max_calls']:,} calls",
            },
            "pintrk": {
                "type": "array",
                "maxItems": LIMITS["max_messages"],
                "items": {"type": "array", "minItems": 1, "items": _ANY},
                "description": "instead of settings and messages: pintrk calls given to the tag as they are, "
                'e.g. [["load", "2612345678901"], ["page"], ["track", "Checkout", {"value": 10}]]',
            },
            "id": {"type": "string", "description": "your name for the scenario (ignored)"},
        },
    },
    "Reproduction": {
        "type": "object",
        "required": ["format", "version"],
        "description": "a saved reproduction document, accepted wherever a scenario is",
        "properties": {
            "format": {"type": "string", "enum": [FORMAT]},
            "version": {"type": "integer", "enum": [1]},
            "profile": _ref("Profile"),
            "settings": _ref("Settings"),
            "initialTraits": _ref("Traits"),
            "calls": {"type": "string"},
            "messages": {"type": "array", "items": _ANY},
            "pintrk": {"type": "array", "items": {"type": "array", "minItems": 1, "items": _ANY}},
            "sentBeacons": {"type": "array", "items": {"type": "string"}},
            "note": {"type": "string"},
        },
    },
    "Command": {
        "description": "one pintrk(...) call, or an error where the integration threw on a message",
        "oneOf": [
            {
                "type": "object",
                "required": ["index", "method", "args", "message", "event"],
                "additionalProperties": False,
                "properties": {
                    "index": _INDEX,
                    "method": {"description": "load, page, set or track (any value in a pintrk scenario)"},
                    "args": {"type": "array", "items": _ANY},
                    "message": _nullable(
                        {**_INDEX, "description": "the message that made it (null: initialisation)"}
                    ),
                    "event": _nullable({"type": "string", "description": "the Pinterest event of a track"}),
                },
            },
            {
                "type": "object",
                "required": ["index", "error", "message"],
                "additionalProperties": False,
                "properties": {"index": _INDEX, "error": {"type": "string"}, "message": _INDEX},
            },
        ],
    },
    "Request": {
        "type": "object",
        "required": ["after_call", "method", "path", "params", "simulated", "event", "tid", "ed", "pd", "ov"],
        "additionalProperties": False,
        "description": "a request Pinterest's tag would make (simulated; nothing is sent): /user/ fetches its "
        "configuration, /v3/ is the conversion beacon",
        "properties": {
            "after_call": {**_INDEX, "description": "the pintrk call (index into calls_json) that caused it"},
            "method": {"type": "string", "enum": ["GET", "POST"]},
            "path": {"type": "string", "enum": ["/v3/", "/user/"]},
            "params": {
                "type": "array",
                "items": {"type": "array", "minItems": 2, "maxItems": 2, "items": {"type": "string"}},
                "description": "[name, value] in the tag's order, before percent-encoding",
            },
            "simulated": {
                "type": "array",
                "items": {"type": "string"},
                "description": "params whose values a real browser decides (cb, ad)",
            },
            "event": _nullable(
                {
                    "type": "string",
                    "description": "the event parameter: the name as written (trimmed, case kept); init for a page view",
                }
            ),
            "tid": {"type": "string"},
            "ed": _nullable({"description": "event data after the tag's processing"}),
            "pd": _nullable(
                {
                    "type": "object",
                    "additionalProperties": True,
                    "description": "partner data; em and other identifiers are SHA-256",
                }
            ),
            "ov": _nullable({"description": "options given to page() or track()"}),
        },
    },
    "TagMessage": {
        "type": "object",
        "required": ["after_call", "level", "code", "text"],
        "additionalProperties": False,
        "description": "what Pinterest's tag writes to the browser console",
        "properties": {
            "after_call": _INDEX,
            "level": {"type": "string", "enum": ["error", "warning"]},
            "code": {"type": "string"},
            "text": {"type": "string"},
        },
    },
    "Finding": {
        "type": "object",
        "required": ["severity", "code", "text", "message", "entry", "field"],
        "additionalProperties": False,
        "properties": {
            "severity": {"type": "string", "enum": ["error", "warning", "info"]},
            "code": {"type": "string"},
            "text": {"type": "string"},
            "message": _nullable(_INDEX),
            "entry": _nullable(_INDEX),
            "field": _nullable({"type": "string"}),
        },
    },
    "ReplayResponse": {
        "type": "object",
        "required": [
            "profile",
            "commands",
            "calls_json",
            "requests",
            "tag_console",
            "diagnostics",
            "snippet",
        ],
        "additionalProperties": False,
        "properties": {
            "profile": _ref("Profile"),
            "commands": {"type": "array", "items": _ref("Command")},
            "calls_json": {
                "type": "array",
                "items": {"type": "string"},
                "description": "JSON.stringify of each call's arguments, byte for byte as in the conformance vectors",
            },
            "requests": {"type": "array", "items": _ref("Request")},
            "tag_console": {"type": "array", "items": _ref("TagMessage")},
            "diagnostics": {"type": "array", "items": _ref("Finding")},
            "snippet": {"type": "string", "description": "the tag as a site would paste it"},
            "messages": {
                "type": "array",
                "items": _ref("Message"),
                "description": "only for calls: the messages they became",
            },
        },
    },
    "DecodedBeacon": {
        "type": "object",
        "required": [
            "url",
            "endpoint",
            "method",
            "source",
            "event",
            "tid",
            "ed",
            "pd",
            "cb",
            "noscript",
            "other",
            "bracketed",
            "problems",
        ],
        "additionalProperties": False,
        "properties": {
            "url": {"type": "string"},
            "endpoint": {"type": "string", "enum": ["v3", "user"]},
            "method": {"type": "string"},
            "source": _nullable(
                {"type": "string", "description": "where it came from: urls[2], line 3, HAR entry 12"}
            ),
            "event": _nullable({"type": "string"}),
            "tid": _nullable({"type": "string"}),
            "ed": _nullable({"type": "object", "additionalProperties": True}),
            "pd": {"type": "object", "additionalProperties": True},
            "ov": _nullable({"description": "options of page() or track()"}),
            "ad": _nullable({"description": "automatic data about the page"}),
            "params_sent": {
                "type": "array",
                "items": {"type": "string"},
                "description": "the parameter names the request carried",
            },
            "cb": _nullable({"type": "string"}),
            "noscript": {"type": "boolean"},
            "other": {"type": "object", "additionalProperties": {"type": "string"}},
            "bracketed": {"type": "array", "items": {"type": "string", "enum": ["ed", "pd"]}},
            "problems": {"type": "array", "items": {"type": "string"}},
        },
    },
    "BeaconDifference": {
        "type": "object",
        "required": ["kind", "text", "predicted", "sent", "field"],
        "additionalProperties": False,
        "properties": {
            "kind": {
                "type": "string",
                "enum": ["missing-beacon", "extra-beacon", "event", "tid", "method", "ed", "pd", "ov"],
            },
            "text": {"type": "string"},
            "predicted": _nullable(_INDEX),
            "sent": _nullable(_INDEX),
            "field": _nullable({"type": "string"}),
        },
    },
    "BeaconComparison": {
        "type": "object",
        "required": ["profile", "predicted", "agrees", "pairs", "differences", "ignored"],
        "additionalProperties": False,
        "properties": {
            "profile": _ref("Profile"),
            "predicted": {"type": "array", "items": _ref("Request")},
            "agrees": {"type": "boolean"},
            "pairs": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["predicted", "sent"],
                    "additionalProperties": False,
                    "properties": {"predicted": _nullable(_INDEX), "sent": _nullable(_INDEX)},
                },
            },
            "differences": {"type": "array", "items": _ref("BeaconDifference")},
            "ignored": {
                "type": "array",
                "items": _INDEX,
                "description": "sent beacons not compared (requests to /user/)",
            },
        },
    },
    "DecodeRequest": {
        "type": "object",
        "description": "exactly one of urls, text or har; add a scenario (settings, profile, initialTraits, messages or calls) to compare",
        "additionalProperties": False,
        "properties": {
            "urls": {"type": "array", "maxItems": LIMITS["max_beacons"], "items": {"type": "string"}},
            "text": {
                "type": "string",
                "description": f"beacon URLs separated by spaces or new lines; other words are ignored. At most {LIMITS['max_beacons']:,} are decoded (see truncated)",
            },
            "har": {
                "type": "object",
                "description": (
                    'a HAR file\'s JSON object ({"log": {"entries": […]}}), read entry by entry: at most '
                    f"{budget.MAX_HAR_ENTRIES:,} entries are read and {LIMITS['max_beacons']:,} beacons decoded (see truncated); "
                    f"a POSTed body over {budget.MAX_HAR_BODY_BYTES // (1024 * 1024)} MB is not read"
                ),
            },
            "settings": _ref("Settings"),
            "profile": _ref("Profile"),
            **_SCENARIO_FIELDS,
        },
    },
    "DecodeResponse": {
        "type": "object",
        "required": ["beacons", "notes", "truncated", "found"],
        "additionalProperties": False,
        "properties": {
            "beacons": {"type": "array", "maxItems": LIMITS["max_beacons"], "items": _ref("DecodedBeacon")},
            "notes": {
                "type": "array",
                "items": {"type": "string"},
                "description": "what was skipped, in plain words",
            },
            "truncated": {
                "type": "boolean",
                "description": (
                    f"true when part of the input was left out under a cap (more than {LIMITS['max_beacons']:,} beacons, "
                    f"or a HAR of more than {budget.MAX_HAR_ENTRIES:,} requests); the first note says what"
                ),
            },
            "found": {
                "type": "integer",
                "minimum": 0,
                "description": "beacons found in the input, decoded or not (more than beacons holds when truncated)",
            },
            "comparison": _ref("BeaconComparison"),
        },
    },
    "ProfileDifference": {
        "type": "object",
        "required": ["code", "text", "profiles"],
        "additionalProperties": False,
        "properties": {
            "code": {"type": "string"},
            "text": {"type": "string"},
            "profiles": {"type": "array", "items": _ref("Profile")},
        },
    },
    "CompareRequest": {
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "profiles": {"type": "array", "items": _ref("Profile"), "description": "default: all three"},
            "settings": _ref("Settings"),
            **_SCENARIO_FIELDS,
        },
    },
    "CompareResponse": {
        "type": "object",
        "required": ["profiles", "rows", "summary"],
        "additionalProperties": False,
        "properties": {
            "profiles": {"type": "array", "items": _ref("Profile")},
            "rows": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["message", "summary", "commands", "differences"],
                    "additionalProperties": False,
                    "properties": {
                        "message": _nullable({**_INDEX, "description": "null: initialisation"}),
                        "summary": {"type": "string"},
                        "commands": {
                            "type": "object",
                            "description": "profile name → its commands for this message",
                            "additionalProperties": {
                                "type": "array",
                                "items": {
                                    "oneOf": [
                                        {
                                            "type": "object",
                                            "required": ["method", "args", "json"],
                                            "additionalProperties": False,
                                            "properties": {
                                                "method": {"type": "string"},
                                                "args": {"type": "array", "items": _ANY},
                                                "json": {"type": "string"},
                                            },
                                        },
                                        {
                                            "type": "object",
                                            "required": ["error", "json"],
                                            "additionalProperties": False,
                                            "properties": {
                                                "error": {"type": "string"},
                                                "json": {"type": "string"},
                                            },
                                        },
                                    ]
                                },
                            },
                        },
                        "differences": {"type": "array", "items": _ref("ProfileDifference")},
                    },
                },
            },
            "summary": {
                "type": "array",
                "description": "each distinct difference once, with the number of rows it appears in",
                "items": {
                    "type": "object",
                    "required": ["code", "text", "profiles", "rows"],
                    "additionalProperties": False,
                    "properties": {
                        "code": {"type": "string"},
                        "text": {"type": "string"},
                        "profiles": {"type": "array", "items": _ref("Profile")},
                        "rows": {"type": "integer", "minimum": 1},
                    },
                },
            },
        },
    },
    "ImportRequest": {
        "type": "object",
        "additionalProperties": False,
        "description": "exactly one of payload or text",
        "properties": {
            "payload": {"description": 'one message, a list of messages, or the SDK\'s {"batch": […]} body'},
            "text": {
                "type": "string",
                "description": "the same as pasted JSON text (one message per line also works)",
            },
        },
    },
    "ImportResponse": {
        "type": "object",
        "required": ["messages", "problems", "initialTraits", "shape"],
        "additionalProperties": False,
        "properties": {
            "messages": {"type": "array", "items": _ref("Message")},
            "problems": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["index", "location", "text", "skipped"],
                    "additionalProperties": False,
                    "properties": {
                        "index": _INDEX,
                        "location": {"type": "string"},
                        "text": {"type": "string"},
                        "skipped": {"type": "boolean", "description": "true: the entry was left out"},
                    },
                },
            },
            "initialTraits": {
                "type": "object",
                "additionalProperties": True,
                "description": "suggested initial traits: the first message's context.traits ({} when it is an identify)",
            },
            "shape": {"type": "string", "enum": ["message", "list", "batch", "lines"]},
        },
    },
}

_REPLAY_EXAMPLE = {
    "settings": _EXAMPLE_SETTINGS,
    "profile": DEFAULT_PROFILE,
    "initialTraits": {},
    "calls": _EXAMPLE_CALLS,
}
_DECODE_EXAMPLE = {
    "urls": [
        f"https://ct.pinterest.com/v3/?event=init&tid={_TAG_ID}&cb=1714557600000",
        f"https://ct.pinterest.com/v3/?event=Checkout&ed=%7B%22value%22%3A%2210%22%2C%22currency%22%3A%22USD%22%7D&tid={_TAG_ID}&cb=1714557601000",
    ],
    "settings": {"tagId": _TAG_ID},
    "profile": DEFAULT_PROFILE,
    "calls": 'rudderanalytics.track("Order Completed", {revenue: 10, currency: "USD"});',
}
_COMPARE_EXAMPLE = {
    "settings": {**_EXAMPLE_SETTINGS, "sendAsCustomEvent": True},
    "initialTraits": {},
    "calls": 'rudderanalytics.track("Product List Viewed", {query: "shoes"});\nrudderanalytics.track("Clicked Banner");',
}
_IMPORT_EXAMPLE = {
    "payload": {
        "batch": [_EXAMPLE_MESSAGE, {**_EXAMPLE_MESSAGE, "type": "screen", "messageId": "m-2"}],
        "sentAt": "2024-05-01T10:00:02.000Z",
    }
}


def _errors(*statuses: int) -> dict[str, Any]:
    words = {
        400: "Bad input: the body is not JSON, not an object, has an unknown field, or a field of the wrong type.",
        413: "Too large: the body, the number of messages, calls or beacons is over the limit.",
        415: "Wrong content type: send Content-Type: application/json.",
        422: "Well-formed but unusable: invalid settings, an unknown profile, a call script that doesn't parse, a HAR that isn't one.",
        429: "Too many requests from this client address (code too-many-requests): replay, decode, compare and import "
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
            "content": {"application/json": {"schema": _ref("Error")}},
        }
        for status in statuses
    }


def _post(
    summary: str, description: str, request: dict[str, Any], response: str, example: Any
) -> dict[str, Any]:
    return {
        "post": {
            "summary": summary,
            "description": description,
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": request, "example": example}},
            },
            "responses": {
                "200": {"description": "OK", "content": {"application/json": {"schema": _ref(response)}}},
                **_errors(400, 413, 415, 422, 429),
            },
        }
    }


def openapi_spec(limits: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The OpenAPI 3.0 document; ``limits`` override :data:`LIMITS` (the app's config)."""
    limits = {**LIMITS, **(limits or {})}
    body_limit = limits["API_MAX_CONTENT_LENGTH"] / MB
    har_limit = limits["API_MAX_HAR_CONTENT_LENGTH"] / MB
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "pintrk playground API",
            "version": "1.0.0",
            "description": (
                "Replays RudderStack's Pinterest Tag destination (device mode): messages → pintrk() commands → "
                "every request Pinterest's tag would make, /user/ and /v3/ (simulated: nothing is ever sent to Pinterest). "
                "Also decodes real beacons and compares them with the prediction. Bodies are JSON "
                "(Content-Type: application/json), read with JavaScript number semantics; answers are written "
                'as JSON.stringify writes them. Errors are {"error": {"code", "message", "location"}}. '
                f"Limits: bodies up to {body_limit:g} MB ({har_limit:g} MB for /decode), "
                f"{limits['max_messages']:,} messages, {limits['max_calls']:,} calls in a call script, "
                f"{limits['max_beacons']:,} beacons, nesting {limits['max_depth']} levels deep; "
                f"and a work budget per request: {limits['max_values']:,} JSON values and {limits['max_line_items']:,} "
                "products in a scenario (past it: 413 over-budget, before any work), "
                f"{limits['max_har_entries']:,} entries and {limits['max_har_values']:,} JSON values read from a HAR."
            ),
        },
        "servers": [{"url": "/api/v1"}],
        "x-limits": {k: limits[k] for k in LIMITS},
        "paths": {
            "/replay": _post(
                "Replay a scenario",
                "Runs a scenario (messages, a call script, or pintrk calls for the tag alone) under a profile and returns "
                "the pintrk commands, their byte-exact JSON, the tag's requests and console messages (simulated), "
                "diagnostics and the tag snippet. "
                "A saved reproduction document is accepted as the body too.",
                {"anyOf": [_ref("ScenarioRequest"), _ref("Reproduction")]},
                "ReplayResponse",
                _REPLAY_EXAMPLE,
            ),
            "/decode": _post(
                "Decode real beacons (and compare)",
                "Decodes ct.pinterest.com beacon URLs (a list, pasted text, or a HAR file) into event, tid, ed, pd "
                "and the other parameters, with problems noted per beacon. With a scenario too, lines the beacons "
                "up with the predicted ones and explains each difference in one line (cb is never compared). "
                "A reproduction document with sentBeacons is accepted as the body too.",
                {"anyOf": [_ref("DecodeRequest"), _ref("Reproduction")]},
                "DecodeResponse",
                _DECODE_EXAMPLE,
            ),
            "/compare": _post(
                "Compare profiles side by side",
                "Replays the scenario under docs, sdk-v1 and sdk-v3 (or the profiles you list), aligns the "
                "commands by message and explains each difference in one line.",
                {"anyOf": [_ref("CompareRequest"), _ref("Reproduction")]},
                "CompareResponse",
                _COMPARE_EXAMPLE,
            ),
            "/import": _post(
                "Import pasted events",
                'Reads what a customer pasted (one message, a list, or the SDK\'s {"batch": […]} body) into '
                "messages to replay. Unusable entries are reported by position and left out; valid ones keep "
                "every field verbatim. Also suggests initial traits for a returning visitor.",
                _ref("ImportRequest"),
                "ImportResponse",
                _IMPORT_EXAMPLE,
            ),
            "/openapi.json": {
                "get": {
                    "summary": "This OpenAPI document",
                    "description": "The API description you are reading, as JSON.",
                    "responses": {
                        "200": {
                            "description": "OpenAPI 3.0 document",
                            "content": {"application/json": {"schema": {"type": "object"}}},
                        }
                    },
                }
            },
            "/docs": {
                "get": {
                    "summary": "Human-readable API documentation",
                    "description": "This document as an HTML page, with an example curl command for each endpoint.",
                    "responses": {
                        "200": {
                            "description": "HTML page",
                            "content": {"text/html": {"schema": {"type": "string"}}},
                        }
                    },
                }
            },
        },
        "components": {"schemas": copy.deepcopy(_SCHEMAS)},
    }


# -- for the HTML page --------------------------------------------------------------------


def operations(spec: Mapping[str, Any], base_url: str) -> list[dict[str, Any]]:
    """Each operation flattened for the docs template: fields, example and curl command."""
    schemas = spec["components"]["schemas"]
    out = []
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            url = f"{base_url}{spec['servers'][0]['url']}{path}"
            entry: dict[str, Any] = {
                "method": method.upper(),
                "path": f"{spec['servers'][0]['url']}{path}",
                "id": path.strip("/").replace(".", "-"),
                "summary": operation["summary"],
                "description": operation["description"],
                "request_fields": [],
                "response_fields": [],
                "errors": [],
                "alternatives": [],
                "example": None,
                "curl": f"curl -sS {url}",
            }
            body = operation.get("requestBody")
            if body:
                content = body["content"]["application/json"]
                entry["request_fields"] = _fields(content["schema"], schemas)
                entry["alternatives"] = [
                    {
                        "name": ref["$ref"].rsplit("/", 1)[1],
                        "description": _resolve(ref, schemas).get("description", ""),
                    }
                    for ref in content["schema"].get("anyOf", [])[1:]
                ]
                example = json.dumps(content["example"], indent=2, ensure_ascii=False)
                entry["example"] = example
                entry["curl"] = (
                    f"curl -sS -X POST {url} \\\n  -H 'Content-Type: application/json' \\\n"
                    f"  -d '{_shell_quote(json.dumps(content['example'], ensure_ascii=False))}'"
                )
            responses = operation["responses"]
            ok = responses["200"]["content"]
            if "application/json" in ok:
                entry["response_fields"] = _fields(ok["application/json"]["schema"], schemas)
            entry["errors"] = [
                {"status": status, "description": response["description"]}
                for status, response in responses.items()
                if status != "200"
            ]
            out.append(entry)
    return out


def _resolve(schema: Mapping[str, Any], schemas: Mapping[str, Any]) -> Mapping[str, Any]:
    while "$ref" in schema:
        schema = schemas[schema["$ref"].rsplit("/", 1)[1]]
    return schema


def _fields(schema: Mapping[str, Any], schemas: Mapping[str, Any]) -> list[dict[str, Any]]:
    schema = _resolve(schema, schemas)
    if "anyOf" in schema:  # the first alternative is the usual body; the others are described
        schema = _resolve(schema["anyOf"][0], schemas)
    required = set(schema.get("required", ()))
    fields = []
    for name, prop in schema.get("properties", {}).items():
        resolved = _resolve(prop, schemas)
        items = _resolve(prop.get("items", {}), schemas) if prop.get("type") == "array" else {}
        fields.append(
            {
                "name": name,
                "type": _type_name(prop, schemas),
                "required": name in required,
                "description": prop.get("description")
                or resolved.get("description")
                or items.get("description", ""),
            }
        )
    return fields


def _type_name(prop: Mapping[str, Any], schemas: Mapping[str, Any]) -> str:
    if "$ref" in prop:
        name = prop["$ref"].rsplit("/", 1)[1]
        target = schemas[name]
        if "enum" in target:
            return " | ".join(target["enum"])
        return name
    kind = prop.get("type")
    if kind == "array":
        items = prop.get("items", {})
        return f"array of {_type_name(items, schemas) if items else 'any'}"
    if "enum" in prop:
        return " | ".join(str(v) for v in prop["enum"])
    if kind is None:
        return "any"
    return f"{kind} or null" if prop.get("nullable") else str(kind)


def _shell_quote(text: str) -> str:
    """For inside '…' in a POSIX shell."""
    return text.replace("'", "'\\''")
