"""The API's answers as OpenAPI 3.0 Schema Objects, for its document (openapi.py).

The tests validate every answer against these (tests/web/test_api.py); ``responses.py`` shapes them.
"""

from __future__ import annotations

from typing import Any

from .cloud_answers import CLOUD_ANSWER_SCHEMAS
from .schema import ANY, INDEX, LIMITS, nullable, ref
from .server_answers import SERVER_ANSWER_SCHEMAS, SERVER_FIELDS

__all__ = ["ANSWER_SCHEMAS"]

ANSWER_SCHEMAS: dict[str, Any] = {
    "Command": {
        "description": "one pintrk(...) call, or an error where the integration threw on a message",
        "oneOf": [
            {
                "type": "object",
                "required": ["index", "method", "args", "message", "event"],
                "additionalProperties": False,
                "properties": {
                    "index": INDEX,
                    "method": {"description": "load, page, set or track (any value in a pintrk scenario)"},
                    "args": {"type": "array", "items": ANY},
                    "message": nullable(
                        {**INDEX, "description": "the message that made it (null: initialisation)"}
                    ),
                    "event": nullable({"type": "string", "description": "the Pinterest event of a track"}),
                },
            },
            {
                "type": "object",
                "required": ["index", "error", "message"],
                "additionalProperties": False,
                "properties": {"index": INDEX, "error": {"type": "string"}, "message": INDEX},
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
            "after_call": {**INDEX, "description": "the pintrk call (index into calls_json) that caused it"},
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
            "event": nullable(
                {
                    "type": "string",
                    "description": "the event parameter: the name as written (trimmed, case kept); init for a page view",
                }
            ),
            "tid": {"type": "string"},
            "ed": nullable({"description": "event data after the tag's processing"}),
            "pd": nullable(
                {
                    "type": "object",
                    "additionalProperties": True,
                    "description": "partner data; em and other identifiers are SHA-256",
                }
            ),
            "ov": nullable({"description": "options given to page() or track()"}),
        },
    },
    "TagMessage": {
        "type": "object",
        "required": ["after_call", "level", "code", "text"],
        "additionalProperties": False,
        "description": "what Pinterest's tag writes to the browser console",
        "properties": {
            "after_call": INDEX,
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
            "message": nullable(INDEX),
            "entry": nullable(INDEX),
            "field": nullable({"type": "string"}),
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
            "profile": ref("Profile"),
            "commands": {"type": "array", "items": ref("Command")},
            "calls_json": {
                "type": "array",
                "items": {"type": "string"},
                "description": "JSON.stringify of each call's arguments, byte for byte as in the conformance vectors",
            },
            "requests": {"type": "array", "items": ref("Request")},
            "tag_console": {"type": "array", "items": ref("TagMessage")},
            "diagnostics": {"type": "array", "items": ref("Finding")},
            "snippet": {"type": "string", "description": "the tag as a site would paste it"},
            "messages": {
                "type": "array",
                "items": ref("Message"),
                "description": "only for calls: the messages they became",
            },
            **SERVER_FIELDS,
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
            "source": nullable(
                {"type": "string", "description": "where it came from: urls[2], line 3, HAR entry 12"}
            ),
            "event": nullable({"type": "string"}),
            "tid": nullable({"type": "string"}),
            "ed": nullable({"type": "object", "additionalProperties": True}),
            "pd": {"type": "object", "additionalProperties": True},
            "ov": nullable({"description": "options of page() or track()"}),
            "ad": nullable({"description": "automatic data about the page"}),
            "params_sent": {
                "type": "array",
                "items": {"type": "string"},
                "description": "the parameter names the request carried",
            },
            "cb": nullable({"type": "string"}),
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
            "predicted": nullable(INDEX),
            "sent": nullable(INDEX),
            "field": nullable({"type": "string"}),
        },
    },
    "BeaconComparison": {
        "type": "object",
        "required": ["profile", "predicted", "agrees", "pairs", "differences", "ignored"],
        "additionalProperties": False,
        "properties": {
            "profile": ref("Profile"),
            "predicted": {"type": "array", "items": ref("Request")},
            "agrees": {"type": "boolean"},
            "pairs": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["predicted", "sent"],
                    "additionalProperties": False,
                    "properties": {"predicted": nullable(INDEX), "sent": nullable(INDEX)},
                },
            },
            "differences": {"type": "array", "items": ref("BeaconDifference")},
            "ignored": {
                "type": "array",
                "items": INDEX,
                "description": "sent beacons not compared (requests to /user/)",
            },
        },
    },
    "DecodeResponse": {
        "type": "object",
        "required": ["beacons", "notes", "truncated", "found"],
        "additionalProperties": False,
        "properties": {
            "beacons": {"type": "array", "maxItems": LIMITS["max_beacons"], "items": ref("DecodedBeacon")},
            "notes": {
                "type": "array",
                "items": {"type": "string"},
                "description": "what was skipped, in plain words",
            },
            "truncated": {
                "type": "boolean",
                "description": (
                    f"true when part of the input was left out under a cap (more than {LIMITS['max_beacons']:,} beacons, "
                    f"or a HAR of more than {LIMITS['max_har_entries']:,} requests); the first note says what"
                ),
            },
            "found": {
                "type": "integer",
                "minimum": 0,
                "description": "beacons found in the input, decoded or not (more than beacons holds when truncated)",
            },
            "comparison": ref("BeaconComparison"),
        },
    },
    "ProfileDifference": {
        "type": "object",
        "required": ["code", "text", "profiles"],
        "additionalProperties": False,
        "properties": {
            "code": {"type": "string"},
            "text": {"type": "string"},
            "profiles": {"type": "array", "items": ref("Profile")},
        },
    },
    "CompareResponse": {
        "type": "object",
        "required": ["profiles", "rows", "summary"],
        "additionalProperties": False,
        "properties": {
            "profiles": {"type": "array", "items": ref("Profile")},
            "rows": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["message", "summary", "commands", "differences"],
                    "additionalProperties": False,
                    "properties": {
                        "message": nullable({**INDEX, "description": "null: initialisation"}),
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
                                                "args": {"type": "array", "items": ANY},
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
                        "differences": {"type": "array", "items": ref("ProfileDifference")},
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
                        "profiles": {"type": "array", "items": ref("Profile")},
                        "rows": {"type": "integer", "minimum": 1},
                    },
                },
            },
        },
    },
    "ImportResponse": {
        "type": "object",
        "required": ["messages", "problems", "initialTraits", "shape"],
        "additionalProperties": False,
        "properties": {
            "messages": {"type": "array", "items": ref("Message")},
            "problems": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["index", "location", "text", "skipped"],
                    "additionalProperties": False,
                    "properties": {
                        "index": INDEX,
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
    **CLOUD_ANSWER_SCHEMAS,
    **SERVER_ANSWER_SCHEMAS,
}
