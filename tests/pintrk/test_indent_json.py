"""indent_json's fast path agrees with its rule, character for character, and stays linear."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from app.pintrk.jsvalue import stringify
from app.pintrk.jsvalue.serialize import indent_json, indent_json_by_character
from tests.costs import assert_linear

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4),
    max_leaves=25,
)


@given(json_values)
def test_agrees_with_the_rule_on_what_stringify_writes(value: object) -> None:
    compact = stringify(value) or "null"
    assert indent_json(compact) == indent_json_by_character(compact)


@given(st.text(alphabet='"\\[]{},:a \n'))
def test_agrees_with_the_rule_on_any_text(text: str) -> None:
    assert indent_json(text) == indent_json_by_character(text)
    assert indent_json(text, "\t") == indent_json_by_character(text, "\t")


def test_is_linear_on_escapes_and_unclosed_strings() -> None:
    assert_linear(lambda n: '{"' + '\\"' * n, indent_json, base=10_000, what="indent_json on escaped quotes")
    assert_linear(
        lambda n: '"' + "\\" * n + '"' * n, indent_json, base=5_000, what="indent_json on backslash runs"
    )
    # (Depth is bounded before text gets here, MAX_NESTING levels: the indented output of n
    # levels is itself quadratic in n, whatever the scan.)
    assert_linear(
        lambda n: "[" + "[[],{}]," * n + "0]", indent_json, base=2_000, what="indent_json on many items"
    )
