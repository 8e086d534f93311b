"""Each fast path in jsvalue agrees with the readable rule it stands behind.

``loads`` skips JSON.parse's hooks when a pre-scan finds nothing they would change;
``stringify`` uses the C encoder when its text provably equals JavaScript's; ``js_keys``
skips sorting when no key starts with a digit.  Property tests hold each equal to its rule.
"""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.pintrk.jsvalue import UNDEFINED, NativeFunction, js_keys, loads, normalize, stringify
from app.pintrk.jsvalue.keys import js_keys_by_the_rule
from app.pintrk.jsvalue.parse import loads_by_the_rule
from app.pintrk.jsvalue.serialize import stringify_by_the_rule

# -- JSON text as people and programs write it -----------------------------------------------------

number_tokens = st.one_of(
    st.from_regex(r"-?(0|[1-9][0-9]{0,20})(\.[0-9]{1,22})?([eE][+-]?[0-9]{1,3})?", fullmatch=True),
    st.sampled_from(["1.0", "-0.0", "0.99999999999999999999", "1.000000000000000001", "1e400", "-0", "2.50"]),
    st.integers().map(str),
    st.floats(allow_nan=False, allow_infinity=False).map(repr),
)
key_texts = st.one_of(
    st.text(max_size=6).map(json.dumps),
    st.from_regex(r"(0|[1-9][0-9]{0,11}|0[0-9]|-1)", fullmatch=True).map(json.dumps),
    st.from_regex(r"[0-9]{1,3}", fullmatch=True).map(
        lambda d: '"' + "".join(f"\\u{ord(c):04x}" for c in d) + '"'
    ),
)
spaces = st.sampled_from(["", " ", "\n  ", "\t"])
scalar_texts = st.one_of(
    number_tokens, st.sampled_from(["true", "false", "null"]), st.text(max_size=8).map(json.dumps)
)


def _container(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    array = st.tuples(st.lists(inner, max_size=4), spaces).map(lambda t: "[" + (t[1] + ",").join(t[0]) + "]")
    member = st.tuples(key_texts, spaces, inner).map(lambda t: f"{t[0]}{t[1]}:{t[1]}{t[2]}")
    obj = st.tuples(st.lists(member, max_size=4), spaces).map(lambda t: "{" + (t[1] + ",").join(t[0]) + "}")
    return array | obj


json_texts = st.tuples(spaces, st.recursive(scalar_texts, _container, max_leaves=20)).map("".join)


def _read(read: Any, text: str, **options: Any) -> str:
    """What ``read`` gives for ``text``, as a string that shows types and key order (or the error)."""
    try:
        return repr(read(text, **options))
    except ValueError as exc:
        return f"{type(exc).__name__}: {exc}"


@given(json_texts)
def test_loads_agrees_with_its_rule(text: str) -> None:
    assert _read(loads, text) == _read(loads_by_the_rule, text)
    assert _read(loads, text, allow_infinity=True) == _read(loads_by_the_rule, text, allow_infinity=True)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1.0", 1),  # a number alone: no "[", "," or '":' before it
        ("  -0.0", 0),
        ("[1.000000000000000001]", [1]),  # more digits than a double holds: integral after all
        ("[0.99999999999999999999]", [1]),
        ('{"b": 1, "\\u0031": 2}', {"1": 2, "b": 1}),  # an array index written as an escape
    ],
)
def test_what_the_pre_scan_once_missed(text: str, expected: Any) -> None:
    assert repr(loads(text)) == repr(loads_by_the_rule(text)) == repr(expected)


# -- JSON.stringify -------------------------------------------------------------------------------

js_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**53), max_value=2**53),
    st.floats(),
    st.sampled_from([1e21, 1e-7, 5e-324, 1.5e300, -1e16, math.inf, -math.inf, math.nan]),
    st.text(),
    st.sampled_from(["\ud800", "a\udc00b", "\ud83d\ude80", "1e+5", "NaN", UNDEFINED, NativeFunction("f")]),
)
js_values = st.recursive(
    js_scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=4), inner, max_size=4),
    max_leaves=25,
)


@given(js_values)
def test_stringify_agrees_with_its_rule(value: Any) -> None:
    value = normalize(value)
    assert stringify(value) == stringify_by_the_rule(value)


# -- key order ------------------------------------------------------------------------------------

keys = st.one_of(st.text(max_size=4), st.integers(0, 2**33).map(str), st.sampled_from(["01", "-1", "²", "٣"]))


@given(st.lists(keys, max_size=8))
def test_js_keys_agrees_with_its_rule(names: list[str]) -> None:
    obj = dict.fromkeys(names, 0)
    assert js_keys(obj) == js_keys_by_the_rule(obj)
