"""The streamed JSON reader's refusals are input errors with a location, their texts as before."""

from __future__ import annotations

import io

import pytest

from app.pintrk import InputError, Location
from app.pintrk.errors import at_line
from app.pintrk.jsonstream import (
    DepthError,
    JSONStreamError,
    NotUTF8Error,
    SizeLimitError,
    Source,
    ValueLimitError,
    build,
    events,
    located,
)


def _read(data: bytes, limit: int = 10**6, max_depth: int = 200) -> object:
    source = Source(io.BytesIO(data), limit)
    stream = events(source)
    with located(source):
        event, value = next(stream)
        return build(stream, event, value, max_depth=max_depth)


def test_bad_json_is_located_by_line_and_column() -> None:
    with pytest.raises(JSONStreamError) as caught:
        _read(b'{"a":\n  [1, }')
    error = caught.value
    assert isinstance(error, InputError) and error.code == "invalid-json"
    assert (error.line, error.column) == (2, 7)
    assert error.location == at_line(2, 7) and error.where == "line 2, column 7"
    assert error.message == error.reason == "a value, comma or bracket is out of place here"
    assert str(error) == f"{error.reason} (line 2, column 7)"


def test_an_unlocated_json_error_is_its_reason() -> None:
    error = JSONStreamError("it ends too early (was the file cut off?)")
    assert (error.location, str(error)) == (None, "it ends too early (was the file cut off?)")


@pytest.mark.parametrize(
    ("error", "text", "code", "attribute"),
    [
        (SizeLimitError(1_000), "more than 1,000 bytes", "too-large", ("limit", 1_000)),
        (ValueLimitError(20), "more than 20 values", "over-budget", ("limit", 20)),
        (NotUTF8Error(7), "not UTF-8 (byte 7)", "invalid-json", ("byte", 7)),
        (DepthError(3), "nested more than 3 levels deep", "invalid-json", ("limit", 3)),
    ],
)
def test_the_limits_are_input_errors(
    error: InputError, text: str, code: str, attribute: tuple[str, int]
) -> None:
    assert isinstance(error, InputError) and isinstance(error, ValueError)
    assert (str(error), error.message, error.code, error.location) == (text, text, code, None)
    assert getattr(error, attribute[0]) == attribute[1]


def test_the_reader_raises_them() -> None:
    with pytest.raises(SizeLimitError):
        _read(b"[" + b"1," * 100 + b"1]", limit=50)
    with pytest.raises(NotUTF8Error) as caught:
        _read(b'["\xff"]')
    assert caught.value.byte == 3
    with pytest.raises(DepthError):
        _read(b"[[[[1]]]]", max_depth=2)
    assert isinstance(JSONStreamError("x", 1, 2).location, Location)
