"""Where the recorded vectors live, and how the tests read them.

The vectors are read from ../shared/conformance/ beside the repo (or
$PINTRK_CONFORMANCE_DIR), never copied into the repo.  A missing file skips
its tests locally; in CI (CI=true) it is a failure, not a skip.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from app.pintrk import PROFILES
from app.pintrk.jsvalue import loads

__all__ = ["vector_file", "load_vectors", "profile_cases", "missing_message"]

_REPO_ROOT = Path(__file__).resolve().parents[2]


def vector_file(name: str) -> Path:
    """``name`` (say ``scenarios.json``) in $PINTRK_CONFORMANCE_DIR, else ../shared/conformance."""
    directory = os.environ.get("PINTRK_CONFORMANCE_DIR")
    return (Path(directory) if directory else _REPO_ROOT.parent / "shared" / "conformance") / name


def missing_message(path: Path) -> str:
    return f"conformance vectors not found at {path} (set PINTRK_CONFORMANCE_DIR to their directory)"


def load_vectors(name: str) -> list[dict[str, Any]]:
    """The scenarios in ``name``, read with JavaScript JSON semantics (1e400 is Infinity, 1.0 is 1).

    ``[]`` when the file is missing, except in CI, where that raises.
    """
    path = vector_file(name)
    if not path.is_file():
        if os.environ.get("CI") == "true":
            raise RuntimeError(missing_message(path))
        return []
    return loads(path.read_bytes())


def profile_cases(scenarios: list[dict[str, Any]]) -> list[Any]:
    """One pytest param per scenario and profile, with the id ``<scenario id>[<profile>]``."""
    return [
        pytest.param(scenario, profile, id=f"{scenario['id']}[{profile}]")
        for scenario in scenarios
        for profile in PROFILES
    ]
