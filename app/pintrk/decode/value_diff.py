"""Where a predicted JSON value and a sent one differ, leaf by leaf, and how a value is shown."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ..errors import field_path, item_path
from ..jsvalue import js_keys, stringify, to_js_string
from ..text import shorten

__all__ = ["ABSENT", "Leaf", "kind_of", "leaf_differences", "show"]


class _Absent:
    """A key one side doesn't have."""

    def __repr__(self) -> str:
        return "(absent)"


ABSENT = _Absent()


@dataclass(frozen=True)
class Leaf:
    """One value that differs.  Inside a list's item it also says which list, which item and
    where in the item, so the same field of several items (``line_items``) reads as one."""

    path: str  # "line_items[0].product_name"
    predicted: Any  # ABSENT: not predicted
    sent: Any  # ABSENT: not sent
    items: str | None = None  # the list holding the item: "line_items" (None: not in a list item)
    index: int = 0  # the item, 0-based
    within: str = ""  # the path inside the item: "product_name" ("": the item itself)


def leaf_differences(
    a: Any, b: Any, loose: bool, path: str = "", item: tuple[str, int, str] | None = None
) -> Iterable[Leaf]:
    """Every leaf that differs, predicted ``a`` vs sent ``b``; key order is not compared.

    ``item`` (list path, index, path inside the item) is carried down from the outermost list."""
    if isinstance(a, dict) and isinstance(b, dict):
        for key in js_keys(a):
            if key in b:
                yield from leaf_differences(a[key], b[key], loose, *_down(path, item, key))
            else:
                yield _leaf(a[key], ABSENT, *_down(path, item, key))
        for key in js_keys(b):
            if key not in a:
                yield _leaf(ABSENT, b[key], *_down(path, item, key))
        return
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            yield _leaf(a, b, path, item)
        for i, (x, y) in enumerate(zip(a, b, strict=False)):  # the length difference is reported above
            inner = (path, i, "") if item is None else (item[0], item[1], item_path(item[2], i))
            yield from leaf_differences(x, y, loose, item_path(path, i), inner)
        return
    if loose and isinstance(b, str) and not isinstance(a, (dict, list)):
        # Bracket-style values are all text: compare the text JavaScript would write.
        if to_js_string(a) != b:
            yield _leaf(a, b, path, item)
        return
    if kind_of(a) != kind_of(b) or stringify(a) != stringify(b):
        yield _leaf(a, b, path, item)


def _down(path: str, item: tuple[str, int, str] | None, key: str) -> tuple[str, tuple[str, int, str] | None]:
    """The path of ``key`` below ``path``, and inside the current list item."""
    inner = None if item is None else (item[0], item[1], field_path(item[2], key))
    return field_path(path, key), inner


def _leaf(a: Any, b: Any, path: str, item: tuple[str, int, str] | None) -> Leaf:
    if item is None:
        return Leaf(path, a, b)
    return Leaf(path, a, b, item[0], item[1], item[2])


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
