"""JavaScript's own-key order: array-index keys first, ascending, then the rest as inserted.

The one place that orders an object's keys as ``Object.keys`` and ``JSON.stringify`` do;
objects in the core are kept in that order (see the package doc).
"""

from __future__ import annotations

from typing import Any

__all__ = ["is_array_index", "js_keys", "js_keys_by_the_rule", "order_keys", "js_object"]

_MAX_ARRAY_INDEX = 2**32 - 2


def is_array_index(key: str) -> bool:
    """Keys that JS enumerates first, in numeric order ("0", "7", not "01" or "-1")."""
    return (
        key.isdigit()
        and key.isascii()
        and len(key) <= 10  # 2**32 - 2 has 10 digits; int() would refuse 4,300 and more
        and (key == "0" or key[0] != "0")
        and int(key) <= _MAX_ARRAY_INDEX
    )


def js_keys_by_the_rule(obj: dict[str, Any]) -> list[str]:
    """The rule :func:`js_keys` follows: array-index keys ascending, then insertion order."""
    indexes = sorted((k for k in obj if is_array_index(k)), key=int)
    return indexes + [k for k in obj if not is_array_index(k)]


def js_keys(obj: dict[str, Any]) -> list[str]:
    """``Object.keys(obj)``, as :func:`js_keys_by_the_rule` gives it.

    Fast path: an array index starts with a digit, so an object without such a key is
    already in order (the usual case); a property test holds the two equal.
    """
    keys = list(obj)
    if not any(k[:1].isdigit() for k in keys):
        return keys
    indexes = sorted((k for k in keys if is_array_index(k)), key=int)
    if not indexes:
        return keys
    index_set = set(indexes)
    return indexes + [k for k in keys if k not in index_set]


def order_keys(obj: dict[str, Any]) -> None:
    """Put ``obj``'s keys in JavaScript's order, in place (the object stays the same object)."""
    keys = js_keys(obj)
    if keys != list(obj):
        ordered = {k: obj[k] for k in keys}
        obj.clear()
        obj.update(ordered)


def js_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """An ``object_pairs_hook`` that builds objects as ``JSON.parse`` does.

    Pair by pair, so a duplicate key keeps its first position and last value;
    then array-index keys move first.
    """
    obj = dict(pairs)
    for key, _ in pairs:
        if key[:1].isdigit():
            order_keys(obj)
            break
    return obj
