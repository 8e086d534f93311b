"""The API's answers written as JSON.stringify writes them, big lists item by item."""

from __future__ import annotations

from collections.abc import Iterator
from types import GeneratorType
from typing import Any

from flask import Response

from app.pintrk import Command, Entry, Result, quote, render_snippet, stringify

__all__ = ["command_dict", "json_response", "json_stream", "replay_dict"]


def json_response(value: Any, status: int = 200) -> Response:
    return Response((stringify(value) or "null") + "\n", status=status, mimetype="application/json")


def command_dict(index: int, entry: Entry) -> dict[str, Any]:
    if isinstance(entry, Command):
        return {
            "index": index,
            "method": entry.method,
            "args": list(entry.args),
            "message": entry.message_index,
            "event": entry.event,
        }
    return {"index": index, "error": entry.error, "message": entry.message_index}


def replay_dict(result: Result) -> dict[str, Any]:
    """The replay answer; its big lists are generators, serialised item by item."""
    return {
        "profile": result.profile.name,
        "commands": (command_dict(i, e) for i, e in enumerate(result.entries)),
        "calls_json": (entry.to_json() for entry in result.entries),
        "requests": (r.to_dict() for r in result.requests),
        "tag_console": [m.to_dict() for m in result.tag_messages],
        "diagnostics": [f.to_dict() for f in result.diagnostics],
        "snippet": render_snippet(result.entries),
    }


def json_stream(value: dict[str, Any]) -> Iterator[str]:
    """A JSON object written piece by piece: a 10,000-message answer never sits in memory whole."""
    yield "{"
    for i, (key, item) in enumerate(value.items()):
        yield ("," if i else "") + quote(key) + ":"
        if isinstance(item, (GeneratorType, list)):
            yield "["
            for j, element in enumerate(item):
                yield ("," if j else "") + (stringify(element) or "null")
            yield "]"
        else:
            yield stringify(item) or "null"
    yield "}\n"
