"""The streamed reader's value count (the HAR work budget): C-speed passes that agree with the rule."""

from __future__ import annotations

import io
import json

from hypothesis import given
from hypothesis import strategies as st

from app.pintrk.jsonstream import Source, ValueLimitError


def structure_outside_texts(text: bytes) -> int:
    """The rule, one byte at a time: "[", "{" and "," that are not inside a JSON text."""
    count, in_text, escaped = 0, False, False
    for byte in text:
        char = chr(byte)
        if in_text:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_text = False
        elif char == '"':
            in_text = True
        elif char in "[{,":
            count += 1
    return count


def counted(data: bytes, chunk: int) -> int:
    source = Source(io.BytesIO(data), 10**9)
    while source.read(chunk):
        pass
    return source.values


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(alphabet='ab,[{"\\\n'),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.text(alphabet='k,"\\[', max_size=4), inner, max_size=4)
    ),
    max_leaves=30,
)


@given(json_values, st.integers(min_value=1, max_value=40))
def test_the_count_agrees_with_the_rule_whatever_the_chunks(value: object, chunk: int) -> None:
    data = json.dumps(value).encode()
    assert counted(data, chunk) == structure_outside_texts(data)


@given(st.binary(max_size=200).map(lambda b: b.replace(b"\xff", b"")), st.integers(min_value=1, max_value=16))
def test_the_count_agrees_on_any_ascii_bytes(data: bytes, chunk: int) -> None:
    data = bytes(b & 0x7F for b in data)  # ASCII: the reader checks UTF-8 first
    assert counted(data, chunk) == structure_outside_texts(data)


def test_commas_inside_texts_are_free_and_escaped_quotes_hide_nothing() -> None:
    body = json.dumps({"text": "a,b,[c]{d}" * 1000}).encode()
    assert counted(body, 7) == 1  # the object itself
    tricky = b'["\\\\", 1, 2, "\\"[[[", 3]'  # an escaped backslash closes the text; an escaped quote doesn't
    assert counted(tricky, 3) == structure_outside_texts(tricky) == 5


def test_past_the_cap_reading_stops() -> None:
    source = Source(io.BytesIO(b"[" + b"0," * 1000 + b"0]"), 10**9, max_values=100)
    try:
        while source.read(64):
            pass
    except ValueLimitError as exc:
        assert exc.limit == 100
    else:
        raise AssertionError("read past the cap")


def test_an_escaped_lone_surrogate_is_a_located_error_not_a_crash() -> None:
    from app.pintrk.jsonstream import JSONStreamError, build, events, located

    source = Source(io.BytesIO(b'{"a": ["x\\udc00y"]}'), 10**9)
    stream = events(source)
    try:
        with located(source):
            event, value = next(stream)
            build(stream, event, value)
    except JSONStreamError as exc:
        assert "lone surrogate" in exc.reason
    else:
        raise AssertionError("a lone surrogate escape was read")


def test_values_in_a_long_text_are_counted_across_its_chunks() -> None:
    from app.pintrk.limits import values_in_text

    text = json.dumps(
        ["\\" * 70_001 + '"', [1, 2, 3], "a,b" * 40_000, {"k": [0] * 30_000}, '\\"' * 50_000]
    ).encode()
    assert len(text) > 3 * 64 * 1024
    assert values_in_text(text) == 1 + structure_outside_texts(text)
    assert values_in_text(text.decode()) == values_in_text(text)
