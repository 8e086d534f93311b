"""The answer of ``/api/v1/cloud`` as OpenAPI 3.0 Schema Objects (answers.py adds them to the rest)."""

from __future__ import annotations

from typing import Any

from .schema import ANY, ref

__all__ = ["CLOUD_ANSWER_SCHEMAS"]

_STATUS = {
    "type": "integer",
    "description": "200, or RudderStack's status for the refusal (400; 500 where it throws)",
}

CLOUD_ANSWER_SCHEMAS: dict[str, Any] = {
    "ConversionsApiRequest": {
        "type": "object",
        "required": ["method", "endpoint", "headers", "params", "body"],
        "additionalProperties": False,
        "description": "a request RudderStack's servers would send to Pinterest's Conversions API (nothing is sent)",
        "properties": {
            "method": {"type": "string"},
            "endpoint": {
                "type": "string",
                "description": "v3: https://ct.pinterest.com/events/v3; v5: …/v5/ad_accounts/{id}/events",
            },
            "headers": {"type": "object", "additionalProperties": {"type": "string"}},
            "params": {"type": "object", "description": '{"test": true} with sendAsTestEvent'},
            "body": {
                "type": "object",
                "description": "one event (event_name, event_time, event_id, action_source, user_data, custom_data…); "
                'batched: {"data": [events…]}',
            },
        },
    },
    "CloudResult": {
        "description": "one case's result, as `python -m app.pintrk cloud` prints it",
        "oneOf": [
            {
                "type": "object",
                "required": ["id", "status", "requests"],
                "additionalProperties": False,
                "properties": {
                    "id": ANY,
                    "status": {"type": "integer", "enum": [200]},
                    "requests": {
                        "type": "array",
                        "items": ref("ConversionsApiRequest"),
                        "description": "one per Pinterest event (two eventsMapping rows for one event: two requests)",
                    },
                },
            },
            {
                "type": "object",
                "required": ["id", "status", "error"],
                "additionalProperties": False,
                "properties": {
                    "id": ANY,
                    "status": _STATUS,
                    "error": {
                        "type": "string",
                        "description": "the text RudderStack's dashboard shows for the event",
                    },
                },
            },
        ],
    },
    "RouterResult": {
        "type": "object",
        "required": ["id", "outputs"],
        "additionalProperties": False,
        "description": "one router case's result, as `python -m app.pintrk cloud --batch` prints it",
        "properties": {
            "id": ANY,
            "outputs": {
                "type": "array",
                "description": "the batched requests, then one entry per failed event",
                "items": {
                    "oneOf": [
                        {
                            "type": "object",
                            "required": ["batched", "status", "metadata", "request"],
                            "additionalProperties": False,
                            "properties": {
                                "batched": {"type": "boolean", "enum": [True]},
                                "status": {"type": "integer", "enum": [200]},
                                "metadata": {"type": "array", "items": ANY},
                                "request": ref("ConversionsApiRequest"),
                            },
                        },
                        {
                            "type": "object",
                            "required": ["batched", "status", "metadata", "error"],
                            "additionalProperties": False,
                            "properties": {
                                "batched": {"type": "boolean", "enum": [False]},
                                "status": _STATUS,
                                "metadata": {"type": "array", "items": ANY},
                                "error": {
                                    "type": "string",
                                    "description": "the bare text (no Workflow: … suffix)",
                                },
                            },
                        },
                    ]
                },
            },
        },
    },
    "CloudResponse": {
        "type": "object",
        "required": ["results"],
        "additionalProperties": False,
        "properties": {
            "results": {
                "type": "array",
                "items": {"oneOf": [ref("CloudResult"), ref("RouterResult")]},
                "description": "one per case, in order: CloudResult for cases, RouterResult for batch",
            }
        },
    },
}
