"""JavaScript semantics: numbers, key order, truthiness, String(), JSON.stringify."""

from __future__ import annotations

import math

import pytest

from app.pintrk.jsvalue import (
    UNDEFINED,
    JSONInputError,
    JSTypeError,
    NativeFunction,
    get_property,
    is_array_index,
    js_keys,
    js_trim,
    loads,
    normalize,
    number_to_string,
    set_property,
    stringify,
    to_js_string,
    to_property_key,
    truthy,
)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (1.0, "1"),
        (-0.0, "0"),
        (1e21, "1e+21"),
        (1e20, "100000000000000000000"),
        (12345678901234567890.0, "12345678901234567000"),
        (5e-7, "5e-7"),
        (1e-6, "0.000001"),
        (0.00001, "0.00001"),
        (0.1 + 0.2, "0.30000000000000004"),
        (123.456, "123.456"),
        (-1.5e300, "-1.5e+300"),
        (2.5e-300, "2.5e-300"),
        (math.inf, "Infinity"),
        (-math.inf, "-Infinity"),
        (math.nan, "NaN"),
        (42, "42"),
        (1.7976931348623157e308, "1.7976931348623157e+308"),
        (123456789012345680000.0, "123456789012345680000"),
        (1.5e21, "1.5e+21"),
    ],
)
def test_number_to_string_matches_javascript(value: float, text: str) -> None:
    assert number_to_string(value) == text


def test_loads_reads_numbers_as_doubles() -> None:
    data = loads('{"a": 1.0, "b": 12345678901234567890, "c": -0.0, "d": 1E3, "e": 9007199254740993}')
    assert data["a"] == 1 and isinstance(data["a"], int)
    assert stringify(data) == '{"a":1,"b":12345678901234567000,"c":0,"d":1000,"e":9007199254740992}'


def test_loads_errors_have_line_and_column() -> None:
    with pytest.raises(JSONInputError) as info:
        loads('{\n  "a": 1,\n  b: 2\n}')
    assert (info.value.line, info.value.column) == (3, 3)
    assert "double quotes" in info.value.message


def test_loads_refuses_deep_nesting_cleanly() -> None:
    with pytest.raises(JSONInputError, match="nested"):
        loads("[" * 100_000 + "]" * 100_000)


def test_loads_rejects_nan_and_bad_utf8() -> None:
    with pytest.raises(JSONInputError):
        loads("NaN")
    with pytest.raises(JSONInputError, match="UTF-8"):
        loads(b'"\xff"')


def test_key_order_puts_array_indexes_first() -> None:
    obj = {"b": 1, "10": 2, "2": 3, "x": 4, "01": 5, "-1": 6, "4294967295": 7, "4294967294": 8}
    assert js_keys(obj) == ["2", "10", "4294967294", "b", "x", "01", "-1", "4294967295"]
    expected = '{"2":3,"10":2,"4294967294":8,"b":1,"x":4,"01":5,"-1":6,"4294967295":7}'
    assert stringify(normalize(dict(obj))) == expected
    # JSON.parse orders them the same way, and so do the loads/normalize boundaries
    text = '{"b":1,"10":2,"2":3,"x":4,"01":5,"-1":6,"4294967295":7,"4294967294":8}'
    assert stringify(loads(text)) == expected
    assert list(normalize({"m": {"b": 1, "1": 2}})["m"]) == ["1", "b"]


def test_duplicate_keys_keep_first_position_last_value() -> None:
    assert stringify(loads('{"a": 1, "b": 2, "a": 3}')) == '{"a":3,"b":2}'


@pytest.mark.parametrize("key", ["0", "7", "4294967294"])
def test_array_index_keys(key: str) -> None:
    assert is_array_index(key)


@pytest.mark.parametrize("key", ["01", "-1", "4294967295", "1.5", "", "٣", " 1"])
def test_not_array_index_keys(key: str) -> None:
    assert not is_array_index(key)


@pytest.mark.parametrize("value", [[], {}, "0", " ", -1, math.inf, NativeFunction("f")])
def test_truthy_values(value: object) -> None:
    assert truthy(value)


@pytest.mark.parametrize("value", [0, 0.0, "", None, False, UNDEFINED, math.nan])
def test_falsy_values(value: object) -> None:
    assert not truthy(value)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (True, "true"),
        (False, "false"),
        ([], ""),
        ([1, None, "a", [2, 3]], "1,,a,2,3"),
        ({}, "[object Object]"),
        ({"a": 1}, "[object Object]"),
        (1e21, "1e+21"),
        (None, "null"),
        (NativeFunction("toString"), "function toString() { [native code] }"),
    ],
)
def test_to_js_string(value: object, text: str) -> None:
    assert to_js_string(value) == text


def test_stringify_escapes_like_javascript() -> None:
    value = ["tab\tnl\nnul\x00bell\x07del\x7f", "\u2028\u2029", "bad\ud800x", "\ud83d\ude80", '"\\']
    assert stringify(value) == (
        '["tab\\tnl\\nnul\\u0000bell\\u0007del\x7f","\u2028\u2029","bad\\ud800x","\U0001f680","\\"\\\\"]'
    )


def test_stringify_skips_undefined_and_functions() -> None:
    assert stringify({"a": UNDEFINED, "b": NativeFunction("f"), "c": 1}) == '{"c":1}'
    assert stringify([UNDEFINED, NativeFunction("f")]) == "[null,null]"
    assert stringify(UNDEFINED) is None
    assert stringify([math.inf, math.nan]) == "[null,null]"


def test_get_property_throws_like_javascript() -> None:
    with pytest.raises(
        JSTypeError, match=r"^TypeError: Cannot read properties of null \(reading 'revenue'\)$"
    ):
        get_property(None, "revenue")
    with pytest.raises(JSTypeError, match="undefined"):
        get_property(UNDEFINED, "x")


def test_get_property_reaches_the_prototype() -> None:
    assert to_js_string(get_property({}, "toString")) == "function toString() { [native code] }"
    assert to_js_string(get_property({}, "constructor")) == "function Object() { [native code] }"
    assert get_property({"toString": 1}, "toString") == 1
    assert get_property("abc", "length") == 3
    assert get_property("abc", "1") == "b"
    assert get_property([5, 6], "1") == 6
    assert get_property(7, "product_id") is UNDEFINED


def test_set_property_adds_and_overwrites_in_place() -> None:
    data = {"value": 1, "currency": "EUR"}
    set_property(data, "value", "10")
    set_property(data, "campaign.source", "email")
    set_property(data, "toString", "x")  # an own key shadows the prototype's
    assert list(data.items()) == [
        ("value", "10"),
        ("currency", "EUR"),
        ("campaign.source", "email"),
        ("toString", "x"),
    ]


@pytest.mark.parametrize("value", ["[object Object]", "", {}, [1], None])
def test_set_property_never_adds_an_own_proto_key(value: object) -> None:
    data: dict[str, object] = {"a": 1}
    set_property(data, "__proto__", value)
    assert data == {"a": 1}
    assert stringify(data) == '{"a":1}'


@pytest.mark.parametrize(
    ("value", "key"),
    [
        ("Order Completed", "Order Completed"),
        (["Order Completed"], "Order Completed"),  # a one-element array reads its element's key
        (["a", "b"], "a,b"),
        ([], ""),
        (5, "5"),
        (-0.0, "0"),
        (1e21, "1e+21"),
        (True, "true"),
        ({"a": 1}, "[object Object]"),
        ("__proto__", "__proto__"),
    ],
)
def test_to_property_key(value: object, key: str) -> None:
    assert to_property_key(value) == key


def test_js_trim_differs_from_python_strip() -> None:
    assert js_trim("\ufeff a \u00a0") == "a"
    assert js_trim("\x1ca\x1c") == "\x1ca\x1c"


@pytest.mark.parametrize(
    "text",
    [
        '{"a": [1, {"b": 2}], "c": "[[[{{{"}',
        '"\\\\"',
        '[["x\\\\\\"]"], {}]',
        "[1.0, 1e3, 12345678901234567890, -0.0, 0.5]",
        '{"b": 1, "2": {"10": 0, "a": 1}}',
    ],
)
def test_fast_and_hooked_loads_agree(text: str) -> None:
    import json as std_json

    from app.pintrk.jsvalue import js_object, normalize

    expected = normalize(std_json.loads(text, object_pairs_hook=js_object))
    assert stringify(loads(text)) == stringify(expected)


def test_bracket_depth_ignores_strings() -> None:
    from app.pintrk.jsvalue import max_bracket_depth as _max_bracket_depth

    assert _max_bracket_depth('[{"a": "[[[[{{{{"}, [[]]]') == 3
    assert _max_bracket_depth('"no brackets"') == 0
    assert _max_bracket_depth('["\\\\", ["\\"["]]') == 2


@pytest.mark.parametrize(
    "text",
    [
        '{"t": "2024-05-01T10:00:01.000Z", "n": 1.5}',
        "[10.0]",
        '{"a": 1e3}',
        "[ -0.0 ]",
        '{"x":12345678901234567}',
        "[1, 2.50]",
    ],
)
def test_loads_normalises_whatever_the_path(text: str) -> None:
    import json as std_json

    from app.pintrk.jsvalue import js_object, normalize

    assert stringify(loads(text)) == stringify(normalize(std_json.loads(text, object_pairs_hook=js_object)))


def test_a_key_of_thousands_of_digits_is_a_plain_key() -> None:
    from app.pintrk.jsvalue import is_array_index, loads

    key = "1" * 5000
    assert not is_array_index(key)
    assert list(loads(f'{{"b": 1, "{key}": 2, "3": 3}}')) == ["3", "b", key]


def test_json_input_errors_are_input_errors_with_a_location() -> None:
    from app.pintrk import InputError
    from app.pintrk.errors import at_line
    from app.pintrk.jsvalue import NumberTooLarge

    with pytest.raises(InputError) as info:
        loads('{\n  "a": 1,\n  b: 2\n}')
    assert isinstance(info.value, JSONInputError) and info.value.code == "invalid-json"
    assert info.value.location == at_line(3, 3) and info.value.where == "line 3, column 3"
    assert str(info.value) == f"line 3, column 3: {info.value.message}"
    with pytest.raises(NumberTooLarge) as too_large:
        loads("[1,\n 1e400]")
    assert (too_large.value.line, too_large.value.column, too_large.value.literal) == (2, 2, "1e400")
    unlocated = JSONInputError("the JSON is nested too deeply")
    assert (unlocated.location, unlocated.where, unlocated.line, unlocated.column) == (None, None, 0, 0)
    assert str(unlocated) == "the JSON is nested too deeply"
