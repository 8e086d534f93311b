"""The recorded vectors in ../shared/conformance/ (or $PINTRK_CONFORMANCE_DIR), read once per run.

Never copied into the repo. A missing file skips its tests locally; in CI (CI=true) it is a
failure, not a skip.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from app.pintrk import PROFILES
from app.pintrk.jsvalue import loads
from app.pintrk.mapping import Command, Entry, MappingError

__all__ = [
    "PLACEHOLDERS",
    "comparable",
    "entries_from_calls_json",
    "load_vectors",
    "missing_message",
    "placeholder_keys",
    "profile_cases",
    "vector_file",
]

_REPO_ROOT = Path(__file__).resolve().parents[1]
# Parameters the browser and the clock decide; the recordings hold placeholders for them.
PLACEHOLDERS = ("cb", "ad")


def vector_file(name: str) -> Path:
    """``name`` (say ``scenarios.json``) in $PINTRK_CONFORMANCE_DIR, else ../shared/conformance."""
    directory = os.environ.get("PINTRK_CONFORMANCE_DIR")
    return (Path(directory) if directory else _REPO_ROOT.parent / "shared" / "conformance") / name


def missing_message(path: Path) -> str:
    return f"conformance vectors not found at {path} (set PINTRK_CONFORMANCE_DIR to their directory)"


@cache
def load_vectors(name: str) -> Any:
    """A vector file read with JavaScript JSON semantics (1e400 is Infinity, 1.0 is 1).

    ``[]`` when the file is missing, except in CI, where that raises. Cached: treat it as read-only.
    """
    path = vector_file(name)
    if not path.is_file():
        if os.environ.get("CI") == "true":
            raise RuntimeError(missing_message(path))
        return []
    return loads(path.read_bytes(), allow_infinity=True)


def profile_cases(scenarios: list[dict[str, Any]]) -> list[Any]:
    """One pytest param per scenario and profile, with the id ``<scenario id>[<profile>]``."""
    return [
        pytest.param(scenario, profile, id=f"{scenario['id']}[{profile}]")
        for scenario in scenarios
        for profile in PROFILES
    ]


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
