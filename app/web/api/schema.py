"""The API's request bodies as OpenAPI 3.0 Schema Objects: what the API validates with, and what
its document (openapi.py) describes.

Data, read once: ``bodies.py`` checks each field of a body against its schema here (the checks'
words are in ``fields.py``), and the document publishes the same dicts.  Limits come from the core's
table, never written twice.
"""

from __future__ import annotations

from typing import Any

from app.pintrk import DEFAULT_PROFILE, MASKED_TOKEN, PROFILES, limits, size_text
from app.pintrk import REPRODUCTION_FORMAT as FORMAT

__all__ = ["ANY", "BODIES", "EXAMPLES", "INDEX", "LIMITS", "REQUEST_SCHEMAS", "nullable", "ref"]

MAX_HAR_BODY_BYTES = limits.MAX_HAR_BODY_BYTES

# The core's limits table (app/pintrk/limits.py), under the names the document gives them.
LIMITS: dict[str, Any] = {
    "API_MAX_CONTENT_LENGTH": limits.API_MAX_CONTENT_LENGTH,  # replay, compare, import
    "API_MAX_HAR_CONTENT_LENGTH": limits.API_MAX_HAR_CONTENT_LENGTH,  # decode: HAR files run to tens of MB
    "max_messages": limits.MAX_MESSAGES,
    "max_calls": limits.MAX_CALLS,
    "max_script_length": limits.MAX_TEXT_LENGTH,
    "max_depth": limits.MAX_NESTING,  # nesting of {…}/[…] in the body
    "max_beacons": limits.MAX_BEACONS,
    # The work budget: past these a replay is refused, 413 over-budget.
    "max_values": limits.MAX_VALUES,  # JSON values in a scenario's messages and initial traits
    "max_line_items": limits.MAX_LINE_ITEMS,  # products, over all the messages
    "max_har_entries": limits.MAX_HAR_ENTRIES,
    "max_har_values": limits.MAX_HAR_VALUES,
}


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def nullable(schema: dict[str, Any]) -> dict[str, Any]:
    return {**schema, "nullable": True}


ANY = {"description": "any JSON value"}
INDEX = {"type": "integer", "minimum": 0}
# The scenario besides settings and profile: /replay, /decode and /compare take the same fields.
_SCENARIO_FIELDS: dict[str, Any] = {
    "initialTraits": ref("Traits"),
    "messages": {
        "type": "array",
        "maxItems": LIMITS["max_messages"],
        "items": ANY,
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
        "items": {"type": "array", "minItems": 1, "items": ANY},
        "description": "instead of settings and messages: pintrk calls given to the tag as they are, "
        'e.g. [["load", "2612345678901"], ["page"], ["track", "Checkout", {"value": 10}]]',
    },
    "id": {"type": "string", "description": "your name for the scenario (ignored)"},
}

REQUEST_SCHEMAS: dict[str, Any] = {
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
                    "location": nullable(
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
            "event": ANY,
            "name": ANY,
            "category": ANY,
            "properties": ANY,
            "messageId": ANY,
            "context": ANY,
        },
    },
    "ScenarioRequest": {
        "type": "object",
        "additionalProperties": False,
        "description": "A scenario: settings, the traits stored before the page loaded, and either messages or a call script. "
        "When RudderStack's servers send the events too (settings.connectionMode cloud or hybrid, or cloudSettings), "
        "the answer adds cloud (the Conversions API requests) and dedup (the deduplication check). cloudSettings is "
        "the config of a separate cloud-mode destination that receives the same events; without it, the server path "
        'uses settings (connectionMode {"web": "hybrid"}: one destination sending from both).',
        "properties": {
            "settings": ref("Settings"),
            "cloudSettings": ref("CloudSettings"),
            "profile": ref("Profile"),
            **_SCENARIO_FIELDS,
        },
    },
    "Reproduction": {
        "type": "object",
        "required": ["format", "version"],
        "description": "a saved reproduction document, accepted wherever a scenario is",
        "properties": {
            "format": {"type": "string", "enum": [FORMAT]},
            "version": {"type": "integer", "enum": [1]},
            "profile": ref("Profile"),
            "settings": ref("Settings"),
            "cloudSettings": ref("CloudSettings"),
            "initialTraits": ref("Traits"),
            "calls": {"type": "string"},
            "messages": {"type": "array", "items": ANY},
            "pintrk": {"type": "array", "items": {"type": "array", "minItems": 1, "items": ANY}},
            "sentBeacons": {"type": "array", "maxItems": LIMITS["max_beacons"], "items": {"type": "string"}},
            "note": {"type": "string"},
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
                    f"{LIMITS['max_har_entries']:,} entries are read and {LIMITS['max_beacons']:,} beacons decoded (see truncated); "
                    f"a POSTed body over {size_text(MAX_HAR_BODY_BYTES)} is not read"
                ),
            },
            "settings": ref("Settings"),
            "profile": ref("Profile"),
            **_SCENARIO_FIELDS,
        },
    },
    "CompareRequest": {
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "profiles": {
                "type": "array",
                "minItems": 1,
                "uniqueItems": True,
                "items": ref("Profile"),
                "description": "default: all three",
            },
            "settings": ref("Settings"),
            **_SCENARIO_FIELDS,
        },
    },
    "CloudRequest": {
        "type": "object",
        "additionalProperties": False,
        "description": "exactly one of cases (one event each) or batch (router cases: events batched into requests)",
        "properties": {
            "cases": {
                "type": "array",
                "maxItems": LIMITS["max_messages"],
                "items": ref("CloudCase"),
                "description": "events, each with its destination config (RudderStack's recorded cases.json reads as it is)",
            },
            "batch": {
                "type": "array",
                "items": ref("RouterCase"),
                "description": f"router cases (router.json reads as it is); at most {LIMITS['max_messages']:,} events in all",
            },
        },
    },
    "CloudCase": {
        "type": "object",
        "required": ["destination_config", "message"],
        "description": "one event and the config of the cloud-mode destination that receives it (other keys are ignored)",
        "properties": {
            "id": {"description": "your name for the case, given back in its result"},
            "destination_config": ref("CloudSettings"),
            "message": ref("Message"),
        },
    },
    "RouterCase": {
        "type": "object",
        "required": ["events"],
        "properties": {
            "id": {"description": "your name for the case, given back in its result"},
            "events": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["destination_config", "message"],
                    "properties": {
                        "destination_config": ref("CloudSettings"),
                        "message": ref("Message"),
                        "metadata": {
                            "description": "RudderStack's metadata for the event, given back with its output"
                        },
                    },
                },
            },
        },
    },
    "CloudSettings": {
        "type": "object",
        "additionalProperties": True,
        "description": "The Pinterest destination config in RudderStack's JSON shape; cloud mode reads advertiserId (API v3), "
        "apiVersion (newApi: v5, with adAccountId and conversionToken), appId, sendingUnHashedData, sendAsTestEvent, "
        "sendExternalId, deduplicationKey, eventsMapping and sendAsCustomEvent. A conversion token is never kept: "
        f"the answers show it as {MASKED_TOKEN}.",
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

# A device-mode destination and a separate cloud-mode one: the answer shows both paths and a
# deduplication check (the order's event_id differs: "will count twice", with the setting to fix).
_REPLAY_EXAMPLE = {
    "settings": {**_EXAMPLE_SETTINGS, "deduplicationKey": "properties.order_id"},
    "cloudSettings": {"advertiserId": "549760000000", "sendingUnHashedData": True},
    "profile": "sdk-v3",
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
_CLOUD_EXAMPLE = {
    "cases": [
        {
            "id": "order",
            "destination_config": {
                "advertiserId": "549760000000",
                "sendingUnHashedData": True,
                "deduplicationKey": "messageId",
                "eventsMapping": [{"from": "Signed Up", "to": "SignUp"}],
            },
            "message": {**_EXAMPLE_MESSAGE, "channel": "web", "timestamp": "2024-05-01T10:00:00.000Z"},
        }
    ]
}
# The request body of each POST endpoint, with the example its documentation shows.
BODIES: dict[str, str] = {
    "/replay": "ScenarioRequest",
    "/decode": "DecodeRequest",
    "/compare": "CompareRequest",
    "/import": "ImportRequest",
    "/cloud": "CloudRequest",
}
EXAMPLES: dict[str, Any] = {
    "/replay": _REPLAY_EXAMPLE,
    "/decode": _DECODE_EXAMPLE,
    "/compare": _COMPARE_EXAMPLE,
    "/import": _IMPORT_EXAMPLE,
    "/cloud": _CLOUD_EXAMPLE,
}
