"""JavaScript numbers: doubles, the normalised form the core keeps them in, and ``Number`` ↔ text.

This module is the one place that prints a number as JavaScript does (``Number::toString``)
and reads text as ``Number(text)`` does.
"""

from __future__ import annotations

import math
import re

from .strings import js_trim

__all__ = ["MAX_SAFE_INTEGER", "normalize_number", "number_to_string", "string_to_number"]

MAX_SAFE_INTEGER = 2**53


def normalize_number(value: int | float) -> int | float:
    """Bring a parsed number into the normalised form (see the package doc).

    A double with an integral value below 1e16 becomes an ``int`` holding
    exactly that value: Python prints it as JavaScript does (``1.0`` → ``1``,
    ``-0.0`` → ``0``, 2**53 + 1 → 9007199254740992).  Larger integers keep
    float form, since JS prints only their shortest digits (``…567000``).
    """
    if isinstance(value, int):
        if -MAX_SAFE_INTEGER <= value <= MAX_SAFE_INTEGER:
            return value
        try:
            value = float(value)
        except OverflowError:
            return math.inf if value > 0 else -math.inf
    if value.is_integer() and -1e16 < value < 1e16:
        return int(value)
    return value


def number_to_string(value: int | float) -> str:
    """ECMAScript Number::toString(10)."""
    if isinstance(value, int):
        return str(value)
    if value != value:
        return "NaN"
    if value in (math.inf, -math.inf):
        return "Infinity" if value > 0 else "-Infinity"
    if value == 0:
        return "0"
    sign = "-" if value < 0 else ""
    # repr() gives the shortest digits that round-trip, as JS does; only the
    # layout (where the point goes, when to use an exponent) differs.
    mantissa, _, exponent = repr(abs(value)).partition("e")
    int_part, _, frac_part = mantissa.partition(".")
    all_digits = int_part + frac_part
    digits = all_digits.lstrip("0")
    n = len(int_part) + int(exponent or 0) - (len(all_digits) - len(digits))
    digits = digits.rstrip("0")
    k = len(digits)
    if k <= n <= 21:
        text = digits + "0" * (n - k)
    elif 0 < n <= 21:
        text = digits[:n] + "." + digits[n:]
    elif -6 < n <= 0:
        text = "0." + "0" * -n + digits
    else:
        e = n - 1
        exp_text = ("e+" if e >= 0 else "e-") + str(abs(e))
        text = digits[0] + ("." + digits[1:] if k > 1 else "") + exp_text
    return sign + text


# StringNumericLiteral (decimal part): unambiguous, so a failed match costs linear time.
_DECIMAL_LITERAL = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_RADIX_PREFIXES = {"0x": 16, "0o": 8, "0b": 2}
_RADIX_DIGITS = {16: frozenset("0123456789abcdefABCDEF"), 8: frozenset("01234567"), 2: frozenset("01")}


def string_to_number(text: str) -> int | float:
    """``Number(text)`` for a string: ``" 7 "`` → 7, ``"0x10"`` → 16, ``""`` → 0, ``"abc"`` → NaN."""
    text = js_trim(text)
    if not text:
        return 0  # Number("") and Number("  ") are 0
    if text in ("Infinity", "+Infinity", "-Infinity"):
        return -math.inf if text[0] == "-" else math.inf
    radix = _RADIX_PREFIXES.get(text[:2].lower())
    if radix is not None:  # 0x10, 0o7, 0b1: no sign allowed
        digits = text[2:]
        if digits and all(c in _RADIX_DIGITS[radix] for c in digits):
            return normalize_number(int(digits, radix))
        return math.nan
    if _DECIMAL_LITERAL.fullmatch(text) is None:
        return math.nan  # Python's float() would also take "inf", "nan" and "1_0"
    return normalize_number(float(text))
