"""``JSON.stringify`` byte for byte, and JSON text re-indented for people to read."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from typing import Any

from .keys import js_keys
from .numbers import number_to_string
from .strings import SURROGATES, encode_string, quote
from .values import UNDEFINED, NativeFunction

__all__ = ["stringify", "stringify_by_the_rule", "indent_json", "indent_json_by_character"]


def _skipped(value: Any) -> bool:
    return value is UNDEFINED or isinstance(value, NativeFunction)


def stringify_by_the_rule(value: Any) -> str | None:
    """``JSON.stringify(value)``, one value at a time (``None`` where JS returns undefined)."""
    if _skipped(value):
        return None
    parts: list[str] = []
    _write(value, parts.append)
    return "".join(parts)


def _write(value: Any, out: Callable[[str], None]) -> None:
    if isinstance(value, str):
        out(quote(value))
    elif value is None:
        out("null")
    elif value is True:
        out("true")
    elif value is False:
        out("false")
    elif isinstance(value, int):
        out(str(value))
    elif isinstance(value, float):
        out(number_to_string(value) if math.isfinite(value) else "null")
    elif isinstance(value, dict):
        _write_object(value, out)
    elif isinstance(value, (list, tuple)):
        out("[")
        for i, item in enumerate(value):
            if i:
                out(",")
            if _skipped(item):
                out("null")
            else:
                _write(item, out)
        out("]")
    else:
        raise TypeError(f"not a JavaScript value: {type(value).__name__}")


def _write_object(value: dict[str, Any], out: Callable[[str], None]) -> None:
    out("{")
    first = True
    for key in js_keys(value):
        item = value[key]
        if _skipped(item):
            continue
        if not first:
            out(",")
        first = False
        out(quote(key))
        out(":")
        _write(item, out)
    out("}")


# -- the fast path: the C encoder, whenever its text provably equals JavaScript's ----------------


def _not_json(value: Any) -> Any:
    raise TypeError(type(value).__name__)


try:  # the C encoder, built once: json.dumps would rebuild it on every call
    from json.encoder import c_make_encoder as _c_make_encoder  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - CPython always has it
    _c_make_encoder = None

if _c_make_encoder is not None:
    _c_encode = _c_make_encoder(None, _not_json, encode_string, None, ":", ",", False, False, True)

    def _dumps(value: Any) -> str:
        if isinstance(value, str):
            return encode_string(value)
        return "".join(_c_encode(value, 0))

else:  # pragma: no cover
    _ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), check_circular=False)

    def _dumps(value: Any) -> str:
        return _ENCODER.encode(value)


# An exponent in a number (see _may_differ).
_EXPONENT = re.compile(r"\de[+-]")


def _may_differ(text: str) -> bool:
    """Could Python's output differ from JavaScript's for normalised values?

    Only in how floats with an exponent (1e-7, 1e+16) and non-finite numbers
    are written, and in how surrogates are escaped.  The substring tests are cheap;
    a match inside a string is a false alarm that only costs the rule.
    """
    return (
        (("e+" in text or "e-" in text) and _EXPONENT.search(text) is not None)
        or "NaN" in text
        or "Infinity" in text
        or (not text.isascii() and SURROGATES.search(text) is not None)
    )


def stringify(value: Any) -> str | None:
    """:func:`stringify_by_the_rule`, at C speed where it can (the tests hold the two equal).

    ``value`` must be normalised (see the package doc): then object keys are already in
    JavaScript's order and integers print alike, so the C encoder's text is JavaScript's
    unless :func:`_may_differ` says it may not be.
    """
    if _skipped(value):
        return None
    try:
        text = _dumps(value)
    except (TypeError, ValueError):  # undefined / native functions / odd types
        return stringify_by_the_rule(value)
    return stringify_by_the_rule(value) if _may_differ(text) else text


# -- indentation ------------------------------------------------------------------------------------


def indent_json_by_character(compact: str, indent: str = "  ") -> str:
    """Re-indent compact JSON text, one character at a time: the rule :func:`indent_json` follows."""
    out: list[str] = []
    depth = 0
    in_string = escaped = False
    i, n = 0, len(compact)
    while i < n:
        char = compact[i]
        if in_string:
            out.append(char)
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
            out.append(char)
        elif char in "[{":
            closer = "]" if char == "[" else "}"
            if i + 1 < n and compact[i + 1] == closer:  # keep [] and {} on one line
                out.append(char + closer)
                i += 1
            else:
                depth += 1
                out.append(char + "\n" + indent * depth)
        elif char in "]}":
            depth -= 1
            out.append("\n" + indent * depth + char)
        elif char == ",":
            out.append(",\n" + indent * depth)
        elif char == ":":
            out.append(": ")
        else:
            out.append(char)
        i += 1
    return "".join(out)


_STRUCTURAL = re.compile(r'["\[\]{},:]')


def indent_json(compact: str, indent: str = "  ") -> str:
    """Re-indent compact JSON text so numbers and escapes stay as the core wrote them.

    The same text as :func:`indent_json_by_character`, faster: jumps from one structural
    character to the next (C-speed search) and copies whole strings at once; a link's log
    of 1,000 events is several MB of text.
    """
    out: list[str] = []
    depth = 0
    i, n = 0, len(compact)
    while i < n:
        match = _STRUCTURAL.search(compact, i)
        if match is None:
            out.append(compact[i:])
            break
        j = match.start()
        if j > i:
            out.append(compact[i:j])
        char = compact[j]
        i = j + 1
        if char == '"':
            i = _string_end(compact, j)
            out.append(compact[j:i])
        elif char in "[{":
            closer = "]" if char == "[" else "}"
            if i < n and compact[i] == closer:  # keep [] and {} on one line
                out.append(char + closer)
                i += 1
            else:
                depth += 1
                out.append(char + "\n" + indent * depth)
        elif char in "]}":
            depth -= 1
            out.append("\n" + indent * depth + char)
        elif char == ",":
            out.append(",\n" + indent * depth)
        else:  # ":"
            out.append(": ")
    return "".join(out)


def _string_end(text: str, start: int) -> int:
    """The index after the quote that closes the string opened at ``start`` (the end if none).

    A quote closes it when an even number of backslashes precede it; each run of backslashes
    is counted once, so the scan is linear.
    """
    k = start + 1
    while True:
        k = text.find('"', k)
        if k < 0:
            return len(text)
        b = k
        while text[b - 1] == "\\":  # stops at the opening quote at the latest
            b -= 1
        if (k - b) % 2 == 0:
            return k + 1
        k += 1
