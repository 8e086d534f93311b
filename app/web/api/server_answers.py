"""The server path in ``/replay``'s answer (``cloud`` and ``dedup``) as OpenAPI 3.0 Schema Objects.

Their examples are not written by hand: :func:`with_examples` takes them from the core's answer
to the documented ``/replay`` example, so the document never shows an answer the API would not give.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from app.pintrk import API_BUDGET, VERDICT_WORDS, load_scenario, replay, server_path_dict

from .schema import EXAMPLES, INDEX, nullable, ref

__all__ = ["SERVER_ANSWER_SCHEMAS", "SERVER_FIELDS", "with_examples"]

_TEXT = {"type": "string"}
_VERDICT = {
    "type": "string",
    "enum": list(VERDICT_WORDS),
    "description": "; ".join(f"{verdict}: {words}" for verdict, words in VERDICT_WORDS.items()),
}

SERVER_ANSWER_SCHEMAS: dict[str, Any] = {
    "ServerOutcome": {
        "description": "what RudderStack's servers send to Pinterest's Conversions API for one message (cloud[i] "
        "is messages[i]), or the error its dashboard shows",
        "oneOf": [
            {
                "type": "object",
                "required": ["status", "requests"],
                "additionalProperties": False,
                "properties": {
                    "status": {"type": "integer", "enum": [200]},
                    "requests": {
                        "type": "array",
                        "items": ref("ConversionsApiRequest"),
                        "description": "one per Pinterest event (none for an event nothing maps)",
                    },
                },
            },
            {
                "type": "object",
                "required": ["status", "error"],
                "additionalProperties": False,
                "properties": {
                    "status": {
                        "type": "integer",
                        "description": "RudderStack's status for the refusal (400)",
                    },
                    "error": {"type": "string", "description": "the text RudderStack's dashboard shows"},
                },
            },
        ],
    },
    "SettingFix": {
        "type": "object",
        "required": ["destination", "key", "value", "text"],
        "additionalProperties": False,
        "description": "a change of one setting that makes the pair deduplicate",
        "properties": {
            "destination": {
                "type": "string",
                "enum": ["settings", "cloudSettings"],
                "description": "which config to change: this destination's, or the separate cloud-mode one's",
            },
            "key": {"type": "string", "description": "the setting, e.g. deduplicationKey"},
            "value": _TEXT,
            "text": {"type": "string", "description": "the suggestion in words"},
        },
    },
    "DedupReason": {
        "type": "object",
        "required": ["kind", "text", "note"],
        "additionalProperties": False,
        "properties": {
            "kind": {
                "type": "string",
                "description": "a stable code: event-id-differs, name-differs, em-differs, …",
            },
            "text": {"type": "string", "description": "the reason in plain words"},
            "note": {
                "type": "boolean",
                "description": "true: worth knowing, but it does not decide the verdict",
            },
            "fix": ref("SettingFix"),
        },
    },
    "EventPair": {
        "type": "object",
        "required": ["number", "message_index", "type", "verdict", "words", "browser", "server", "reasons"],
        "additionalProperties": False,
        "description": "one event as the browser's tag and RudderStack's servers send it, and how Pinterest counts it",
        "properties": {
            "number": {"type": "integer", "minimum": 1},
            "message_index": INDEX,
            "type": {"type": "string", "description": "the message's type (track, page, identify…)"},
            "verdict": _VERDICT,
            "words": {"type": "string", "description": "the verdict in words"},
            "browser": nullable(
                {
                    "type": "object",
                    "required": ["event", "event_id"],
                    "additionalProperties": False,
                    "description": "the tag's /v3/ beacon (null: the browser sends no event for it)",
                    "properties": {"event": nullable(_TEXT), "event_id": nullable(_TEXT)},
                }
            ),
            "server": nullable(
                {
                    "type": "object",
                    "required": ["event_name", "event_id"],
                    "additionalProperties": False,
                    "description": "the Conversions API event (null: the servers send none for it)",
                    "properties": {"event_name": nullable(_TEXT), "event_id": nullable(_TEXT)},
                }
            ),
            "reasons": {"type": "array", "items": ref("DedupReason")},
        },
    },
    "DedupCheck": {
        "type": "object",
        "required": ["summary", "browser_sends", "server_sends", "counts", "pairs"],
        "additionalProperties": False,
        "description": "the deduplication check: Pinterest counts an event sent from both paths once only when both "
        "carry the same event_id and the same event",
        "properties": {
            "summary": {"type": "string", "description": 'e.g. "1 of 2 events will count twice"'},
            "browser_sends": {
                "type": "boolean",
                "description": "the tag runs in the browser (device or hybrid)",
            },
            "server_sends": {"type": "boolean", "description": "RudderStack's servers send the events"},
            "counts": {
                "type": "object",
                "required": list(VERDICT_WORDS),
                "additionalProperties": False,
                "properties": {verdict: {"type": "integer", "minimum": 0} for verdict in VERDICT_WORDS},
            },
            "pairs": {"type": "array", "items": ref("EventPair")},
        },
    },
}
# /replay's answer gains these when RudderStack's servers send the events (else neither key is there).
SERVER_FIELDS: dict[str, Any] = {
    "cloud": {
        "type": "array",
        "items": ref("ServerOutcome"),
        "description": "only when the servers send the events (connectionMode cloud or hybrid, or cloudSettings): "
        "one entry per message, in order",
    },
    "dedup": ref("DedupCheck"),  # only with cloud
}


@cache
def _example_answer() -> dict[str, Any]:
    body = EXAMPLES["/replay"]
    scenario = load_scenario({k: v for k, v in body.items() if k != "profile"}, budget=API_BUDGET)
    answer = server_path_dict(replay(scenario, body["profile"]))
    assert answer is not None, "the /replay example sends from the server"
    return answer


def with_examples(schemas: dict[str, Any]) -> dict[str, Any]:
    """``schemas`` with an example on each server-path schema, from the documented /replay example."""
    answer = _example_answer()
    dedup = answer["dedup"]
    pairs = dedup["pairs"]
    pair = next((p for p in pairs if any("fix" in r for r in p["reasons"])), pairs[0])
    reason = next((r for r in pair["reasons"] if "fix" in r), None)
    examples = {
        "ServerOutcome": next((e for e in answer["cloud"] if "requests" in e), answer["cloud"][0]),
        "DedupCheck": dedup,
        "EventPair": pair,
        "DedupReason": reason,
        "SettingFix": reason["fix"] if reason is not None else None,
    }
    for name, example in examples.items():
        if example is not None:
            schemas[name]["example"] = example
    return schemas
