"""Reading a message the way RudderStack's cloud workflow does.

The workflow reads paths like ``.context.traits.email``: a step onto anything that is not an
object or an array gives ``undefined`` (no error), and ``a ?? b`` takes ``b`` only when ``a`` is
``null`` or ``undefined`` (an empty text is kept).  Only a value's own keys are read.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from ..jsvalue import UNDEFINED, is_array_index

__all__ = ["read", "first_present", "is_present", "read_key_path", "js_lower"]


def read(value: Any, path: str) -> Any:
    """The value at the dotted ``path`` (numeric steps index arrays), or :data:`UNDEFINED`."""
    for key in path.split("."):
        value = _step(value, key)
        if value is UNDEFINED:
            break
    return value


def _step(value: Any, key: str) -> Any:
    if isinstance(value, dict):
        return value.get(key, UNDEFINED)
    if isinstance(value, list) and is_array_index(key):
        index = int(key)
        return value[index] if index < len(value) else UNDEFINED
    return UNDEFINED


def is_present(value: Any) -> bool:
    """Neither ``null`` nor ``undefined``: what ``??`` keeps."""
    return value is not None and value is not UNDEFINED


def first_present(value: Any, paths: Iterable[str]) -> Any:
    """``.a ?? .b ?? …``: the first value that is neither null nor undefined."""
    found: Any = UNDEFINED
    for path in paths:
        found = read(value, path)
        if is_present(found):
            return found
    return found


# A property path as lodash's get() reads it: dots, and [0] or ["key"] brackets.
_KEY_PATH_PART = re.compile(r'[^.[\]]+|\[(?:(\d+)|"([^"]*)"|\'([^\']*)\')\]')


def read_key_path(value: Any, path: str) -> Any:
    """The value at a deduplication-key path (``properties.eventId``, ``a[0].b``), or undefined;
    an empty path reads nothing."""
    if not path:
        return UNDEFINED
    for match in _KEY_PATH_PART.finditer(path):
        key = next((group for group in match.groups() if group is not None), match.group(0))
        value = _step(value, key)
        if value is UNDEFINED:
            break
    return value


def js_lower(text: str) -> str:
    """``String.prototype.toLowerCase`` (Unicode's default lower-casing, like Python's)."""
    return text.lower()
