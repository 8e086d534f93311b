"""JavaScript values: ``undefined``, truthiness, ``String(x)``, ``Number(x)`` and property reads.

Values are plain Python data: ``dict`` (objects), ``list`` (arrays), ``str``, ``bool``,
``None`` (null), ``int``/``float`` (numbers) and :data:`UNDEFINED`.
"""

from __future__ import annotations

import math
from typing import Any

from .keys import is_array_index
from .numbers import number_to_string, string_to_number
from .strings import utf16_length

__all__ = [
    "UNDEFINED",
    "NativeFunction",
    "JSTypeError",
    "truthy",
    "to_js_string",
    "get_property",
    "set_property",
    "to_property_key",
    "to_number",
    "loosely_equals_one",
]


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
            return len(value) if isinstance(value, list) else utf16_length(value)
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


def to_number(value: Any) -> int | float:
    """``Number(value)``: ``null`` → 0, ``true`` → 1, ``" 7 "`` → 7, ``[4]`` → 4, ``"abc"`` → NaN."""
    if value is None or value is False:
        return 0
    if value is True:
        return 1
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, str):
        return string_to_number(value)
    if isinstance(value, list):  # arrays go through their string form: [] → "" → 0
        return string_to_number(to_js_string(value))
    return math.nan  # undefined, plain objects


def loosely_equals_one(value: Any) -> bool:
    """``value == 1``: numbers and booleans compare as numbers, strings and arrays via ``Number``."""
    if value is None or value is UNDEFINED or isinstance(value, dict):
        return False
    return to_number(value) == 1
