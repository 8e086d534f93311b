"""The recorded vectors in ../shared/conformance/ (or $PINTRK_CONFORMANCE_DIR), read once.

Never copied into the repo; in CI a missing file is a failure, not a skip.
"""

from __future__ import annotations

import json
import os
from functools import cache
from pathlib import Path
from typing import Any

from app.pintrk.jsvalue import loads
from app.pintrk.mapping import Command, Entry, MappingError

_DIR = os.environ.get("PINTRK_CONFORMANCE_DIR")
DIRECTORY = Path(_DIR) if _DIR else Path(__file__).resolve().parents[1].parent / "shared" / "conformance"
# Parameters the browser and the clock decide; the recordings hold placeholders for them.
PLACEHOLDERS = ("cb", "ad")


@cache
def load(name: str) -> Any:
    """A vector file; ``[]`` when it is missing outside CI (the tests that need it skip)."""
    path = DIRECTORY / name
    if not path.is_file():
        if os.environ.get("CI") == "true":
            raise RuntimeError(f"conformance vectors missing at {path}")
        return []
    # Read with JavaScript JSON semantics: 1.0 is 1, big integers lose precision, 1e400 is Infinity.
    return loads(path.read_bytes())


def entries_from_calls_json(calls_json: list[str]) -> list[Entry]:
    """Recorded pintrk calls (and error entries) as the tag runtime's input."""
    entries: list[Entry] = []
    for text in calls_json:
        value = loads(text)
        if isinstance(value, dict):
            entries.append(MappingError(value["error"], 0))
        else:
            entries.append(Command(value[0], tuple(value[1:]), None))
    return entries


def comparable(requests: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    """Requests without the browser-dependent values: method, path, the call, params in order."""
    return [
        (r["method"], r["path"], r["after_call"], [(k, v) for k, v in r["params"] if k not in PLACEHOLDERS])
        for r in requests
    ]


def placeholder_keys(requests: list[dict[str, Any]]) -> list[list[str]]:
    """Which placeholder parameters each request carries, in order."""
    return [[k for k, _ in r["params"] if k in PLACEHOLDERS] for r in requests]


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)
