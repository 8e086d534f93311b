"""JavaScript value semantics the integration's output depends on.

RudderStack's integration is JavaScript, and the recorded vectors compare
``JSON.stringify`` output byte for byte.  Everything JS-specific lives in this
package so the mapper can read like the spec: numbers are doubles, integer-like
keys enumerate first, ``String(x)`` has its own rules, truthiness is not Python's.

Values are plain Python data: ``dict`` (objects), ``list`` (arrays), ``str``,
``bool``, ``None`` (null), ``int``/``float`` (numbers) and :data:`UNDEFINED`.
Values are kept *normalised*, which :func:`loads` and :func:`normalize`
guarantee at the input boundaries: an integral number below 1e16 is an
``int`` (exact, prints like JS), any other number a ``float``; and every
object's keys are already in JavaScript's enumeration order (array-index keys
first).  The core relies on this so ``JSON.stringify`` can mostly run at C
speed (see :func:`stringify`).

One concept a module: :mod:`.values` (undefined, truthiness, ``String``, ``Number``,
property reads), :mod:`.numbers` (doubles, Number → text), :mod:`.keys` (own-key order),
:mod:`.strings`, :mod:`.parse` (``JSON.parse``), :mod:`.depth` (nesting counted before
parsing) and :mod:`.serialize` (``JSON.stringify``, indentation).  This file is the surface.
"""

from __future__ import annotations

from .depth import max_bracket_depth
from .keys import is_array_index, js_keys, js_object, order_keys
from .numbers import MAX_SAFE_INTEGER, normalize_number, number_to_string
from .parse import JSONInputError, NumberTooLarge, loads, normalize
from .serialize import indent_json, stringify
from .strings import js_trim, quote, to_well_formed
from .values import (
    UNDEFINED,
    JSTypeError,
    NativeFunction,
    get_property,
    loosely_equals_one,
    set_property,
    to_js_string,
    to_number,
    to_property_key,
    truthy,
)

__all__ = [
    "UNDEFINED",
    "NativeFunction",
    "JSTypeError",
    "JSONInputError",
    "NumberTooLarge",
    "normalize",
    "normalize_number",
    "js_object",
    "loads",
    "max_bracket_depth",
    "stringify",
    "to_js_string",
    "number_to_string",
    "truthy",
    "js_keys",
    "order_keys",
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
