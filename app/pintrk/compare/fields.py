"""One command's data beside the same command under the other profiles: each key marked.

The compare page marks a command that is not the same in every profile ("command differs") and,
inside it, each key of its data: the same everywhere, another value somewhere ("value differs"),
sent here but not by every profile ("extra here") or sent by another profile but not here
("missing here").  Four kinds, each with its own symbol and words on the page.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from ..jsvalue import stringify

__all__ = ["FieldMark", "FieldChange", "mark_fields"]

FieldChange = Literal["same", "different", "extra", "missing"]


@dataclass(frozen=True)
class FieldMark:
    key: str
    value: str  # JSON as the integration writes it; "" for a key this profile doesn't send
    change: FieldChange


def mark_fields(data: Any, others: Sequence[Any], differs: bool) -> tuple[FieldMark, ...]:
    """``data`` (this profile's object argument, or not an object) against ``others`` (the same
    command's under the other profiles).  Nothing is marked unless the command ``differs``."""
    mine = data if isinstance(data, Mapping) else None
    theirs = [d if isinstance(d, Mapping) else {} for d in others]
    marks: list[FieldMark] = []
    for key, value in (mine or {}).items():
        shown = _json(value)
        change: FieldChange = "same"
        if differs:
            if any(key not in d for d in theirs):
                change = "extra"
            elif any(_json(d[key]) != shown for d in theirs):
                change = "different"
        marks.append(FieldMark(key, shown, change))
    if differs:
        missing: dict[str, None] = {}
        for d in theirs:
            for key in d:
                if mine is None or key not in mine:
                    missing[key] = None
        marks.extend(FieldMark(key, "", "missing") for key in missing)
    return tuple(marks)


def _json(value: Any) -> str:
    return stringify(value) or "undefined"
