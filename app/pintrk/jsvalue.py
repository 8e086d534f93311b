"""JavaScript value semantics the integration's output depends on.

RudderStack's integration is JavaScript, and the recorded vectors compare
``JSON.stringify`` output byte for byte.  Everything JS-specific lives here so
the mapper can read like the spec: numbers are doubles, integer-like keys
enumerate first, ``String(x)`` has its own rules, truthiness is not Python's.

Values are plain Python data: ``dict`` (objects), ``list`` (arrays), ``str``,
``bool``, ``None`` (null), ``int``/``float`` (numbers) and :data:`UNDEFINED`.
Values are kept *normalised*, which :func:`loads` and :func:`normalize`
guarantee at the input boundaries: an integral number below 1e16 is an
``int`` (exact, prints like JS), any other number a ``float``; and every
object's keys are already in JavaScript's enumeration order (array-index keys
first).  The core relies on this so ``JSON.stringify`` can mostly run at C
speed (see :func:`stringify`).
"""

from __future__ import annotations

import json
import math
import re
from array import array
from collections.abc import Callable, Iterable
from itertools import accumulate
from typing import Any

__all__ = [
    "UNDEFINED",
    "NativeFunction",
    "JSTypeError",
    "JSONInputError",
    "NumberTooLarge",
    "normalize",
    "js_object",
    "loads",
    "max_bracket_depth",
    "stringify",
    "to_js_string",
    "number_to_string",
    "truthy",
    "js_keys",
    "get_property",
    "set_property",
    "to_property_key",
    "is_array_index",
    "js_trim",
    "to_number",
    "loosely_equals_one",
    "quote",
    "to_well_formed",
    "indent_json",
    "MAX_SAFE_INTEGER",
]

MAX_SAFE_INTEGER = 2**53
_MAX_ARRAY_INDEX = 2**32 - 2


class _Undefined:
    """JavaScript's ``undefined``: a missing property, distinct from ``null``."""

    _instance: _Undefined | None = None

    def __new__(cls) -> _Undefined:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "undefined"

    def __bool__(self) -> bool:
        return False

    def __reduce__(self) -> str:
        return "UNDEFINED"


UNDEFINED = _Undefined()


class NativeFunction:
    """A built-in function reached through ``Object.prototype`` (``obj.toString``)."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"function {self.name}() {{ [native code] }}"


# What ``{}[key]`` finds on a plain object that does not have ``key`` itself.
# Custom property paths such as "toString" really hit these in the browser.
_OBJECT_PROTOTYPE: dict[str, Any] = {
    name: NativeFunction(name)
    for name in (
        "__defineGetter__",
        "__defineSetter__",
        "hasOwnProperty",
        "__lookupGetter__",
        "__lookupSetter__",
        "isPrototypeOf",
        "propertyIsEnumerable",
        "toString",
        "valueOf",
        "toLocaleString",
    )
}
_OBJECT_PROTOTYPE["constructor"] = NativeFunction("Object")
_OBJECT_PROTOTYPE["__proto__"] = {}  # Object.prototype itself: String() gives "[object Object]"


class JSTypeError(Exception):
    """What the integration would throw; ``str()`` is the engine's wording."""

    def __init__(self, message: str, kind: str = "TypeError") -> None:
        super().__init__(f"{kind}: {message}")


class JSONInputError(ValueError):
    """Input text that is not JSON, with a 1-based line and column."""

    def __init__(self, message: str, line: int = 0, column: int = 0) -> None:
        self.message, self.line, self.column = message, line, column
        super().__init__(f"{self.location}: {message}" if self.location else message)

    @property
    def location(self) -> str | None:
        """``"line L, column C"``, or None when the position is unknown."""
        return f"line {self.line}, column {self.column}" if self.line else None


# -- numbers -----------------------------------------------------------------


def normalize_number(value: int | float) -> int | float:
    """Bring a parsed number into the normalised form (see module doc).

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


def normalize(value: Any, *, max_depth: int = 200) -> Any:
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
                _order_keys(item)
            keys: Iterable[Any] = item.keys() if isinstance(item, dict) else range(len(item))
            stack.extend((item, k, depth + 1) for k in keys)
    return root[0]


def _order_keys(obj: dict[str, Any]) -> None:
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
            _order_keys(obj)
            break
    return obj


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


def _parse_int(text: str) -> int | float:
    if len(text) > 300:  # beyond any double; also avoids int()'s digit limit
        return _finite(float(text), text)
    return normalize_number(int(text))


def _parse_float(text: str) -> int | float:
    return normalize_number(_finite(float(text), text))


def _parse_finite_float(text: str) -> float:
    # The fast path's hook: no normalising to do there (see loads), only the overflow check.
    value = float(text)
    return value if value - value == 0 else _finite(value, text)


def _finite(value: float, literal: str) -> float:
    if value in (math.inf, -math.inf):
        raise NumberTooLarge(literal)
    return value


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


_STRING_OR_NUMBER = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|-?[0-9][0-9.eE+-]*')


def _parse_constant(name: str) -> float:
    # JSON.parse rejects NaN/Infinity; so do we.
    raise ValueError(f"{name} is not valid JSON")


# Input features that plain json.loads would not read the JavaScript way: keys
# JS would move first, and numbers that need normalising (x.0, exponents, more
# than 15 digits).  Matches inside strings are false alarms: they only cost the
# slower, hooked parse.
_DIGIT_KEY_IN_JSON = re.compile(r'[{,]\s*"[0-9]')
# A number token starts right after a key's closing '":', or after "[" or ",";
# so timestamps like "10:00:01.000Z" (a colon, but no quote before it) don't count.
_ODD_NUMBER_IN_JSON = re.compile(
    r'(?:"\s*:|[\[,])\s*-?(?:[0-9]+\.0+(?![0-9])|[0-9]+(?:\.[0-9]+)?[eE]|[0-9]{16})'
)


def loads(text: str | bytes, *, max_depth: int = 200, allow_infinity: bool = False) -> Any:
    """``JSON.parse`` with JavaScript number semantics and clear errors.

    The result is normalised (see the module doc).  Plain ``json.loads`` (C)
    does the work unless the text has integer-like keys or odd numbers.
    A number too large for a double (``1e400``) is refused (:class:`NumberTooLarge`,
    located): JSON can't hold the Infinity it would become, so no input boundary
    accepts it.  ``allow_infinity`` reads it as ``JSON.parse`` does, as ±Infinity
    (the recorded conformance vectors rely on that).
    """
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise JSONInputError(f"the text is not valid UTF-8 (byte {exc.start + 1})") from None
    depth = max_bracket_depth(text)
    if depth > max_depth:
        raise JSONInputError(f"the JSON is nested {depth} levels deep; the limit is {max_depth}")
    try:
        if _DIGIT_KEY_IN_JSON.search(text) or _ODD_NUMBER_IN_JSON.search(text):
            return json.loads(
                text,
                object_pairs_hook=js_object,
                parse_int=_parse_int,
                parse_float=_parse_float,
                parse_constant=_parse_constant,
            )
        return json.loads(text, parse_float=_parse_finite_float, parse_constant=_parse_constant)
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


# Bytes that shape JSON's nesting: quotes (strings), backslashes (escapes) and brackets; the
# rest is deleted before counting.  Then brackets become steps of +1 / -1.
_NOT_STRUCTURE = bytes(b for b in range(256) if b not in b'"\\[]{}')
_DEPTH_STEPS = bytes.maketrans(b"[{]}", b"\x01\x01\xff\xff")


def max_bracket_depth(text: str) -> int:
    """Deepest ``[``/``{`` nesting outside strings, as JSON reads it: a guard against RecursionError.

    The rule, one character at a time, is :func:`_max_bracket_depth_by_hand`; this is the same
    count in a few linear passes at C speed (no regular expression, nothing re-scanned):

    1. escapes can't end a string: each ``\\\\`` and ``\\"`` becomes a backslash and a harmless
       ``\\x01`` (pairs are taken from the left, as JSON does), so every quote left opens or
       closes a string, and every backslash left is inside a string or where JSON stops reading;
    2. everything but quotes, backslashes and brackets is deleted;
    3. splitting on quotes puts strings at odd positions (an unclosed one too): drop them;
    4. a backslash outside strings is where JSON stops: nothing after it counts;
    5. the running sum of +1 / -1 steps gives the depth.
    """
    if "[" not in text and "{" not in text:
        return 0
    if "\\" in text:
        text = text.replace("\\\\", "\\\x01").replace('\\"', "\\\x01")
    skeleton = text.encode("utf-8", "surrogatepass").translate(None, _NOT_STRUCTURE)
    outside = b"".join(skeleton.split(b'"')[::2])
    stop = outside.find(b"\\")
    if stop >= 0:
        outside = outside[:stop]
    steps = array("b", outside.translate(_DEPTH_STEPS))  # +1 / -1
    return max(0, max(accumulate(steps), default=0))


def _max_bracket_depth_by_hand(text: str) -> int:
    """The rule :func:`max_bracket_depth` follows, one character at a time (Python speed).

    Brackets count outside strings only; inside a string a backslash escapes the next
    character; outside strings a backslash is an error where JSON stops reading, so nothing
    after it counts.  The tests check that both agree.
    """
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char == "\\":
            break
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


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


# -- conversions -------------------------------------------------------------


_FALSY = (None, False, 0, "", UNDEFINED)  # `in` compares by identity, then ==: 0.0 and -0.0 match 0


def truthy(value: Any) -> bool:
    """JavaScript truthiness: ``[]`` and ``{}`` are true, ``0``/``""``/NaN false."""
    if value in _FALSY:
        return False
    return not (value.__class__ is float and value != value)  # NaN


def to_js_string(value: Any) -> str:
    """``String(value)``, which is also what ``value.toString()`` gives."""
    if isinstance(value, str):
        return value
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value is None:
        return "null"
    if value is UNDEFINED:
        return "undefined"
    if isinstance(value, (int, float)):
        return number_to_string(value)
    if isinstance(value, list):
        # Array.prototype.join: null and undefined elements become "".
        return ",".join("" if e is None or e is UNDEFINED else to_js_string(e) for e in value)
    if isinstance(value, NativeFunction):
        return repr(value)
    return "[object Object]"


def is_array_index(key: str) -> bool:
    """Keys that JS enumerates first, in numeric order ("0", "7", not "01" or "-1")."""
    return (
        key.isdigit()
        and key.isascii()
        and len(key) <= 10  # 2**32 - 2 has 10 digits; int() would refuse 4,300 and more
        and (key == "0" or key[0] != "0")
        and int(key) <= _MAX_ARRAY_INDEX
    )


def js_keys(obj: dict[str, Any]) -> list[str]:
    """``Object.keys(obj)``: array-index keys ascending, then insertion order."""
    keys = list(obj)
    if not any(k[:1].isdigit() for k in keys):
        return keys
    indexes = sorted((k for k in keys if is_array_index(k)), key=int)
    if not indexes:
        return keys
    index_set = set(indexes)
    return indexes + [k for k in keys if k not in index_set]


def get_property(value: Any, key: str) -> Any:
    """``value[key]``, including the throw on null/undefined and prototype hits."""
    if isinstance(value, dict):
        if key in value:
            return value[key]
        return _OBJECT_PROTOTYPE.get(key, UNDEFINED)
    if value is None or value is UNDEFINED:
        raise JSTypeError(f"Cannot read properties of {to_js_string(value)} (reading '{key}')")
    if isinstance(value, (list, str)):
        if key == "length":
            return len(value) if isinstance(value, list) else _utf16_length(value)
        if is_array_index(key):
            index = int(key)
            if isinstance(value, list):
                return value[index] if index < len(value) else UNDEFINED
            units = value.encode("utf-16-le", "surrogatepass")
            if index * 2 < len(units):
                return units[index * 2 : index * 2 + 2].decode("utf-16-le", "surrogatepass")
            return UNDEFINED
    return _OBJECT_PROTOTYPE.get(key, UNDEFINED)


def set_property(obj: dict[str, Any], key: str, value: Any) -> None:
    """``obj[key] = value`` on a plain object (key order is the caller's concern)."""
    # Assigning "__proto__" sets the prototype (or, for a primitive, does nothing): no own key appears.
    if key != "__proto__":
        obj[key] = value


def to_property_key(value: Any) -> str:
    """The key ``obj[value]`` reads: ``String(value)``, so ``["a"]`` reads ``"a"`` and ``1`` reads ``"1"``."""
    return to_js_string(value)


def _utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


# -- JSON.stringify ------------------------------------------------------------

_encode_string: Callable[[str], str] = json.encoder.encode_basestring
_SURROGATES = re.compile("[\ud800-\udbff][\udc00-\udfff]|[\ud800-\udfff]")


def _surrogate_escape(match: re.Match[str]) -> str:
    pair = match.group()
    if len(pair) == 2:  # a split pair is still a valid pair in UTF-16
        return pair.encode("utf-16-le", "surrogatepass").decode("utf-16-le")
    return f"\\u{ord(pair):04x}"


def quote(text: str) -> str:
    """A JSON string literal exactly as ``JSON.stringify`` writes it."""
    encoded = _encode_string(text)
    if not text.isascii() and _SURROGATES.search(text):
        encoded = _SURROGATES.sub(_surrogate_escape, encoded)
    return encoded


def _skipped(value: Any) -> bool:
    return value is UNDEFINED or isinstance(value, NativeFunction)


def _not_json(value: Any) -> Any:
    raise TypeError(type(value).__name__)


try:  # the C encoder, built once: json.dumps would rebuild it on every call
    from json.encoder import c_make_encoder as _c_make_encoder  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - CPython always has it
    _c_make_encoder = None

if _c_make_encoder is not None:
    _c_encode = _c_make_encoder(None, _not_json, _encode_string, None, ":", ",", False, False, True)

    def _dumps(value: Any) -> str:
        if isinstance(value, str):
            return _encode_string(value)
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
    are written.  The substring tests are cheap; a match inside a string is a
    false alarm that only costs the slow path.
    """
    return (("e+" in text or "e-" in text) and _EXPONENT.search(text) is not None) or (
        "NaN" in text or "Infinity" in text
    )


def stringify(value: Any) -> str | None:
    """``JSON.stringify(value)`` byte for byte (``None`` where JS returns undefined).

    ``value`` must be normalised (see the module doc); then the C encoder's
    output is used whenever it provably equals JavaScript's.
    """
    if _skipped(value):
        return None
    try:
        text = _dumps(value)
    except (TypeError, ValueError):  # undefined / native functions / odd types
        pass
    else:
        if not _may_differ(text) and (text.isascii() or not _SURROGATES.search(text)):
            return text
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


# String.prototype.trim strips these (WhiteSpace and LineTerminator); Python's
# str.strip() differs (it keeps U+FEFF and strips U+001C–U+001F).
_JS_WHITESPACE = (
    "\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
    "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
)


def js_trim(text: str) -> str:
    """``String.prototype.trim``."""
    return text.strip(_JS_WHITESPACE)


# StringNumericLiteral (decimal part): unambiguous, so a failed match costs linear time.
_DECIMAL_LITERAL = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_RADIX_PREFIXES = {"0x": 16, "0o": 8, "0b": 2}
_RADIX_DIGITS = {16: frozenset("0123456789abcdefABCDEF"), 8: frozenset("01234567"), 2: frozenset("01")}


def _string_to_number(text: str) -> int | float:
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


def to_number(value: Any) -> int | float:
    """``Number(value)``: ``null`` → 0, ``true`` → 1, ``" 7 "`` → 7, ``[4]`` → 4, ``"abc"`` → NaN."""
    if value is None or value is False:
        return 0
    if value is True:
        return 1
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, str):
        return _string_to_number(value)
    if isinstance(value, list):  # arrays go through their string form: [] → "" → 0
        return _string_to_number(to_js_string(value))
    return math.nan  # undefined, plain objects


def loosely_equals_one(value: Any) -> bool:
    """``value == 1``: numbers and booleans compare as numbers, strings and arrays via ``Number``."""
    if value is None or value is UNDEFINED or isinstance(value, dict):
        return False
    return to_number(value) == 1


def to_well_formed(text: str) -> str:
    """``String.prototype.toWellFormed``: lone surrogates → U+FFFD (as URL and UTF-8 encoders do)."""
    if text.isascii() or not _SURROGATES.search(text):
        return text
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


def indent_json(compact: str, indent: str = "  ") -> str:
    """Re-indent compact JSON text so numbers and escapes stay as the core wrote them.

    Jumps from one structural character to the next (C-speed search) and copies whole
    strings at once; a link's log of 1,000 events is several MB of text.
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


_STRUCTURAL = re.compile(r'["\[\]{},:]')


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


def indent_json_by_character(compact: str, indent: str = "  ") -> str:
    """The rule :func:`indent_json` follows, one character at a time (tests hold the two equal)."""
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
