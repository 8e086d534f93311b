"""``JSON.parse`` with JavaScript's semantics, and input errors that say where.

Every value read here is *normalised* (see the package doc): numbers through
:func:`normalize_number`, objects in JavaScript's key order.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable
from typing import Any

from ..errors import InputError, at_line
from ..limits import MAX_READ_NESTING
from .depth import max_bracket_depth
from .keys import js_object, order_keys
from .numbers import normalize_number

__all__ = ["JSONInputError", "NumberTooLarge", "normalize", "loads", "loads_by_the_rule"]


class JSONInputError(InputError):
    """Input text that is not JSON, located (``line``/``column`` count from 1; 0 when unknown)."""

    code = "invalid-json"

    def __init__(self, message: str, line: int = 0, column: int = 0) -> None:
        super().__init__(message, at_line(line, column) if line else None)

    @property
    def line(self) -> int:
        return self.location.line or 0 if self.location is not None else 0

    @property
    def column(self) -> int:
        return self.location.column or 0 if self.location is not None else 0


class NumberTooLarge(JSONInputError):
    """A number JSON text may hold but JavaScript can't: ``JSON.parse`` would make it ±Infinity."""

    def __init__(self, literal: str, line: int = 0, column: int = 0) -> None:
        self.literal = literal
        sign = "-" if literal.startswith("-") else ""
        unit = "digits" if literal.lstrip("-").isdigit() else "characters"
        shown = literal if len(literal) <= 24 else f"{literal[:12]}…{literal[-6:]} ({len(literal):,} {unit})"
        super().__init__(
            f"{shown} is too large for a number: JavaScript would read it as {sign}Infinity, "
            "which JSON can't hold (the largest is about 1.8e308)",
            line,
            column,
        )


def normalize(value: Any, *, max_depth: int = MAX_READ_NESTING) -> Any:
    """Return ``value`` normalised (numbers, key order), in place where it can.

    Iterative, so deep input never hits the recursion limit.
    """
    root: list[Any] = [value]
    stack: list[tuple[Any, Any, int]] = [(root, 0, 0)]
    while stack:
        container, key, depth = stack.pop()
        item = container[key]
        if isinstance(item, bool) or item is None or isinstance(item, str):
            continue
        if isinstance(item, (int, float)):
            container[key] = normalize_number(item)
        elif isinstance(item, (dict, list)):
            if depth >= max_depth:
                raise JSONInputError(f"nested more than {max_depth} levels deep")
            if isinstance(item, dict):
                order_keys(item)
            keys: Iterable[Any] = item.keys() if isinstance(item, dict) else range(len(item))
            stack.extend((item, k, depth + 1) for k in keys)
    return root[0]


# -- numbers as JSON.parse reads them -------------------------------------------------------------


def _parse_int(text: str) -> int | float:
    if len(text) > 300:  # beyond any double; also avoids int()'s digit limit
        return _finite(float(text), text)
    return normalize_number(int(text))


def _parse_float(text: str) -> int | float:
    return normalize_number(_finite(float(text), text))


def _parse_finite_float(text: str) -> float:
    # The fast path's hook: no normalising to do there (see _needs_hooks), only the overflow check.
    value = float(text)
    return value if value - value == 0 else _finite(value, text)


def _finite(value: float, literal: str) -> float:
    if value in (math.inf, -math.inf):
        raise NumberTooLarge(literal)
    return value


def _parse_constant(name: str) -> float:
    # JSON.parse rejects NaN/Infinity; so do we.
    raise ValueError(f"{name} is not valid JSON")


def _loads_with_infinity(text: str) -> Any:
    def to_number(literal: str) -> int | float:
        return normalize_number(float(literal) if len(literal) > 300 else json.loads(literal))

    return json.loads(
        text,
        object_pairs_hook=js_object,
        parse_int=to_number,
        parse_float=to_number,
        parse_constant=_parse_constant,
    )


_STRING_OR_NUMBER = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|-?[0-9][0-9.eE+-]*')


def _locate_number(text: str, error: NumberTooLarge) -> NumberTooLarge:
    """``error`` with the line and column of its literal, the first number token spelled so.

    The parser calls the number hooks in document order, so every string before the literal
    is closed: one pass over the tokens finds it.  Runs only on this error.
    """
    for match in _STRING_OR_NUMBER.finditer(text):
        if match.group() == error.literal:
            line = text.count("\n", 0, match.start()) + 1
            column = match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1
            return NumberTooLarge(error.literal, line, column)
    return error


# -- the rule and its fast path ---------------------------------------------------------------------

# What the hooks change, as text: a key JavaScript would move first (an array index starts with a
# digit, written or escaped as \u0030-\u0039), and a number that normalising changes (x.0, an
# exponent, 16 or more digits: any other decimal has at most 15 significant digits, so it is not
# integral unless written so).  A number token starts the text, or follows a key's closing '":',
# "[" or ","; so timestamps like "10:00:01.000Z" (a colon, but no quote before it) don't count.
# Matches inside strings are false alarms: they only cost the hooked parse.
_DIGIT_KEY_IN_JSON = re.compile(r'[{,]\s*"(?:[0-9]|\\u003[0-9])')
_ODD_NUMBER_IN_JSON = re.compile(
    r'(?:^|"\s*:|[\[,])\s*-?(?:[0-9]+\.0+(?![0-9])|[0-9]+(?:\.[0-9]+)?[eE]|[0-9]{16}|[0-9.]{17})'
)


def _needs_hooks(text: str) -> bool:
    """Could :func:`_parse_by_the_rule` give anything plain ``json.loads`` would not?"""
    return _DIGIT_KEY_IN_JSON.search(text) is not None or _ODD_NUMBER_IN_JSON.search(text) is not None


def _parse_by_the_rule(text: str) -> Any:
    """The rule: every object built as ``JSON.parse`` builds it, every number normalised."""
    return json.loads(
        text,
        object_pairs_hook=js_object,
        parse_int=_parse_int,
        parse_float=_parse_float,
        parse_constant=_parse_constant,
    )


def _parse(text: str, fast: bool) -> Any:
    if fast and not _needs_hooks(text):  # the C parser alone, unhooked: the usual case
        return json.loads(text, parse_float=_parse_finite_float, parse_constant=_parse_constant)
    return _parse_by_the_rule(text)


# -- loads ------------------------------------------------------------------------------------------


def loads(text: str | bytes, *, max_depth: int = MAX_READ_NESTING, allow_infinity: bool = False) -> Any:
    """``JSON.parse`` with JavaScript number semantics and clear errors.

    The result is normalised (see the package doc).  Plain ``json.loads`` (C)
    does the work unless the text has integer-like keys or odd numbers.
    A number too large for a double (``1e400``) is refused (:class:`NumberTooLarge`,
    located): JSON can't hold the Infinity it would become, so no input boundary
    accepts it.  ``allow_infinity`` reads it as ``JSON.parse`` does, as ±Infinity
    (the recorded conformance vectors rely on that).
    """
    return _loads(text, max_depth, allow_infinity, fast=True)


def loads_by_the_rule(
    text: str | bytes, *, max_depth: int = MAX_READ_NESTING, allow_infinity: bool = False
) -> Any:
    """What :func:`loads` gives, always through the hooks (the tests hold the two equal)."""
    return _loads(text, max_depth, allow_infinity, fast=False)


def _loads(text: str | bytes, max_depth: int, allow_infinity: bool, *, fast: bool) -> Any:
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise JSONInputError(f"the text is not valid UTF-8 (byte {exc.start + 1})") from None
    depth = max_bracket_depth(text)
    if depth > max_depth:
        raise JSONInputError(f"the JSON is nested {depth} levels deep; the limit is {max_depth}")
    try:
        return _parse(text, fast)
    except NumberTooLarge as exc:
        if allow_infinity:
            return _loads_with_infinity(text)
        raise _locate_number(text, exc) from None
    except json.JSONDecodeError as exc:
        raise JSONInputError(_plain_json_error(exc.msg), exc.lineno, exc.colno) from None
    except ValueError as exc:  # NaN/Infinity
        raise JSONInputError(str(exc)) from None
    except RecursionError:  # not reached below max_depth; a last line of defence
        raise JSONInputError("the JSON is nested too deeply") from None


def _plain_json_error(msg: str) -> str:
    return {
        "Expecting value": "a value was expected here (text in double quotes, a number, true, false, null, {…} or […])",
        "Expecting property name enclosed in double quotes": 'a key in double quotes was expected here (JSON needs "key": value)',
        "Expecting ',' delimiter": "a comma was expected here",
        "Expecting ':' delimiter": "a colon was expected here",
        "Extra data": "there is extra text after the JSON value",
        "Unterminated string starting at": "this text in quotes is never closed",
        "Invalid control character at": "a line break or control character is inside quotes; write it as \\n",
    }.get(msg, msg)
