"""Where a predicted JSON value and a sent one differ, leaf by leaf, and how a value is shown."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..errors import field_path, item_path
from ..jsvalue import js_keys, stringify, to_js_string
from ..text import shorten

__all__ = ["ABSENT", "kind_of", "leaf_differences", "show"]


class _Absent:
    """A key one side doesn't have."""

    def __repr__(self) -> str:
        return "(absent)"


ABSENT = _Absent()


def leaf_differences(a: Any, b: Any, loose: bool, path: str = "") -> Iterable[tuple[str, Any, Any]]:
    """(path, predicted, sent) for every leaf that differs; key order is not compared."""
    if isinstance(a, dict) and isinstance(b, dict):
        for key in js_keys(a):
            sub = field_path(path, key)
            if key in b:
                yield from leaf_differences(a[key], b[key], loose, sub)
            else:
                yield sub, a[key], ABSENT
        for key in js_keys(b):
            if key not in a:
                yield field_path(path, key), ABSENT, b[key]
        return
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            yield path, a, b
        for i, (x, y) in enumerate(zip(a, b, strict=False)):  # the length difference is reported above
            yield from leaf_differences(x, y, loose, item_path(path, i))
        return
    if loose and isinstance(b, str) and not isinstance(a, (dict, list)):
        # Bracket-style values are all text: compare the text JavaScript would write.
        if to_js_string(a) != b:
            yield path, a, b
        return
    if kind_of(a) != kind_of(b) or stringify(a) != stringify(b):
        yield path, a, b


def kind_of(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def show(value: Any, other: Any = ABSENT) -> str:
    """A value as JSON, shortened, with its kind when the other side's kind differs."""
    text = shorten(stringify(value) or "undefined", 60)
    if other is not ABSENT and kind_of(value) != kind_of(other) and value is not None:
        text += f" ({kind_of(value)})"
    return text
