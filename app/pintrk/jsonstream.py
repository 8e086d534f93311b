"""Reading a large JSON document piece by piece (HAR files, the decode API's body).

A 50 MB HAR parsed whole costs gigabytes (every one of its objects at once); read as a
stream of events (``ijson``, its C backend when installed) it costs one chunk of input
plus what the reader keeps.  This module holds the pieces every such reader needs:

* :class:`Source`: the input read in chunks, with the size limit and the UTF-8 check
  applied as it is read;
* :func:`events`: ``(event, value)`` pairs (``start_map``, ``map_key``, ``string``, …);
* :func:`skip` (a value not needed, without building it) and :func:`build` (a value kept,
  with JavaScript's number and key-order semantics, as :func:`jsvalue.loads` reads it);
* :class:`JSONStreamError`: bad JSON, with its line and column (a ``Location``); it and the
  limits' errors are ``InputError``s.

Every loop here is iterative: nesting costs a counter, never a Python stack frame.
"""

from __future__ import annotations

import codecs
import io
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import IO, Any

import ijson  # type: ignore[import-untyped]

from . import limits
from .errors import InputError, at_line
from .jsvalue import js_object, normalize_number

__all__ = [
    "CHUNK",
    "DepthError",
    "JSONStreamError",
    "NotUTF8Error",
    "SizeLimitError",
    "ValueLimitError",
    "Source",
    "build",
    "events",
    "located",
    "scalar",
    "skip",
]

CHUNK = 64 * 1024
# The fastest backend installed: yajl2_c (C) when ijson's wheel has it.
_BACKEND = ijson.get_backend(ijson.backend) if hasattr(ijson, "get_backend") else ijson
_OPEN = frozenset({"start_map", "start_array"})
_CLOSE = frozenset({"end_map", "end_array"})
# yajl's reasons, in plain words.
_REASONS = {
    "premature EOF": "it ends too early (was the file cut off?)",
    "trailing garbage": "there is more text after the end of the JSON",
    "unallowed token at this point in JSON text": "a value, comma or bracket is out of place here",
    "invalid char in json text.": "this character can't start a JSON value",
    "invalid object key (must be a string)": "a key in double quotes was expected here",
    "object key and value must be separated by a colon (':')": "a colon was expected here",
    "after key and value, inside map, I expect ',' or '}'": "a comma or } was expected here",
    "after array element, I expect ',' or ']'": "a comma or ] was expected here",
    "invalid string in json text.": "this word is not JSON (text needs double quotes)",
    "invalid character inside string.": "a line break or control character is inside quotes; write it as \\n",
    "numeric (floating point) overflow": "a number is too large",
    "integer overflow": "a number is too large",
}


class JSONStreamError(InputError):
    """The input is not valid JSON; ``line``/``column`` (1-based) say where, when known."""

    code = "invalid-json"

    def __init__(self, reason: str, line: int | None = None, column: int | None = None) -> None:
        self.reason, self.line, self.column = reason, line, column
        super().__init__(reason, at_line(line, column) if line else None)
        # the reason first, then where: "it ends too early (line 3, column 1)"
        self.args = (f"{reason} ({self.location})" if self.location is not None else reason,)


class SizeLimitError(InputError):
    """More than ``limit`` bytes to read."""

    code = "too-large"

    def __init__(self, limit: int) -> None:
        self.limit = limit
        super().__init__(f"more than {limit:,} bytes")


class ValueLimitError(InputError):
    """More than ``limit`` JSON values (counted as "[", "{" and "," bytes) to read."""

    code = "over-budget"

    def __init__(self, limit: int) -> None:
        self.limit = limit
        super().__init__(f"more than {limit:,} values")


class NotUTF8Error(InputError):
    """Bytes that are not UTF-8; ``byte`` (1-based) is the first of them."""

    code = "invalid-json"

    def __init__(self, byte: int) -> None:
        self.byte = byte  # 1-based
        super().__init__(f"not UTF-8 (byte {byte})")


class Source:
    """``stream`` read in chunks: at most ``limit`` bytes, checked as UTF-8, a leading BOM dropped.

    Raises :class:`SizeLimitError`, :class:`NotUTF8Error` and (a run of digits too long for
    the parser) :class:`JSONStreamError` from :meth:`read`; ijson passes them through.
    """

    def __init__(self, stream: IO[bytes], limit: int, max_values: int = limits.MAX_HAR_VALUES) -> None:
        self.stream, self.limit, self.max_values = stream, limit, max_values
        self.values = 0  # "[", "{" and "," read outside texts: an upper bound on the values
        self._structure = limits.StructureCounter()
        self.read_bytes = 0  # bytes read from the stream (the limit counts them all)
        self.position = 0  # bytes handed to the parser (after a BOM)
        self.start = 0  # where the chunk handed out last began
        self._decoder = codecs.getincrementaldecoder("utf-8")()
        self._origin = stream.tell() if stream.seekable() else None
        self._first = True
        self._digit_run = 0  # digits at the end of the input read so far

    @classmethod
    def of(cls, data: bytes | str | IO[bytes], limit: int, max_values: int = limits.MAX_HAR_VALUES) -> Source:
        if isinstance(data, str):
            if len(data) > limit:  # each character is at least a byte
                raise SizeLimitError(limit)
            data = data.encode("utf-8", "surrogatepass")
        if isinstance(data, (bytes, bytearray, memoryview)):
            if len(data) > limit:
                raise SizeLimitError(limit)
            return cls(io.BytesIO(bytes(data)), limit, max_values)
        return cls(data, limit, max_values)

    def read(self, size: int = CHUNK) -> bytes:
        if size == 0:  # ijson asks for nothing first, to see whether it reads bytes or text
            return b""
        chunk = self.stream.read(max(1, min(size, self.limit + 1 - self.read_bytes)))
        self.read_bytes += len(chunk)
        if self.read_bytes > self.limit:
            raise SizeLimitError(self.limit)
        if self._first:
            self._first = False
            if chunk.startswith(b"\xef\xbb\xbf"):
                chunk = chunk[3:]
                if self._origin is not None:
                    self._origin += 3
        self.start = self.position
        self.position += len(chunk)
        try:
            self._decoder.decode(chunk, final=not chunk)
        except UnicodeDecodeError as exc:
            raise NotUTF8Error(self.start + exc.start + 1) from None
        self._check_digits(chunk)
        # The parser's cost is per value: bound it at C speed, before the parser sees the chunk.
        self.values = self._structure.feed(chunk)
        if self.values > self.max_values:
            raise ValueLimitError(self.max_values)
        return chunk

    def _check_digits(self, chunk: bytes) -> None:
        """Refuse a run of limits.MAX_NUMBER_DIGITS digits before ijson sees it: its C backend can't turn a
        longer integer into a Python int (Python's 4,300-digit limit) and crashes the process."""
        digits = chunk.translate(_DIGITS_ONLY)
        lead = len(digits) - len(digits.lstrip(b"0"))
        found = digits.find(_LONG_RUN)
        if self._digit_run + lead >= limits.MAX_NUMBER_DIGITS or found >= 0:
            at = (
                self.start - self._digit_run
                if self._digit_run + lead >= limits.MAX_NUMBER_DIGITS
                else self.start + found
            )
            where = self.line_column(at)
            raise JSONStreamError(
                f"a number of more than {limits.MAX_NUMBER_DIGITS:,} digits", *(where or (None, None))
            )
        self._digit_run = (
            self._digit_run + lead if lead == len(digits) else len(digits) - len(digits.rstrip(b"0"))
        )

    def line_column(self, offset: int) -> tuple[int, int] | None:
        """Line and column of the character at byte ``offset`` (0-based), read again from the start."""
        if self._origin is None:
            return None
        here = self.stream.tell()
        self.stream.seek(self._origin)
        counter = _Counter()
        done = 0
        while done < offset:
            piece = self.stream.read(min(CHUNK, offset - done))
            if not piece:
                break
            counter.advance(piece)
            done += len(piece)
        self.stream.seek(here)
        return counter.line, counter.column + 1

    def locate(self) -> tuple[int, int] | None:
        """Line and column of the JSON error in the chunk read last (``None``: the input can't be read again).

        The input is parsed again: the chunks before the failing one whole (they were fine),
        then the failing one a byte at a time, until the byte that makes the error."""
        if self._origin is None:
            return None
        stream = self.stream
        stream.seek(self._origin)
        coroutine = _BACKEND.basic_parse_coro(_Discard())
        counter = _Counter()
        offset = 0
        line, column = 1, 0
        try:
            while offset < self.start:
                piece = stream.read(min(CHUNK, self.start - offset))
                if not piece:
                    break
                coroutine.send(piece)
                counter.advance(piece)
                offset += len(piece)
            chunk = stream.read(self.position - self.start)
            for i in range(len(chunk)):
                byte = chunk[i : i + 1]
                line, column = counter.line, counter.column
                coroutine.send(byte)
                counter.advance(byte)
        except (ijson.JSONError, ValueError, SystemError):
            return line, column + 1
        try:
            coroutine.close()
        except (ijson.JSONError, ValueError, SystemError):
            pass  # the input ends too early: the error is just after its last character
        return counter.line, counter.column + 1


# A run of digits this long is refused (see Source._check_digits); below Python's 4,300.
_DIGITS_ONLY = bytes(48 if 48 <= b <= 57 else 46 for b in range(256))  # digits → "0", the rest → "."
_LONG_RUN = b"0" * limits.MAX_NUMBER_DIGITS
_NOT_CONTINUATION = bytes(b for b in range(256) if not 0x80 <= b < 0xC0)


class _Counter:
    """Line and column (characters) after the bytes seen so far."""

    def __init__(self) -> None:
        self.line, self.column = 1, 0

    def advance(self, piece: bytes) -> None:
        newlines = piece.count(b"\n")
        if newlines:
            self.line += newlines
            self.column = 0
            piece = piece[piece.rfind(b"\n") + 1 :]
        # characters: every byte but UTF-8 continuation bytes
        self.column += len(piece) - len(piece.translate(None, _NOT_CONTINUATION))


class _Discard:
    def send(self, value: Any) -> None:
        pass


def events(source: Source) -> Iterator[tuple[str, Any]]:
    """The ``(event, value)`` pairs of ``source``: the parser itself (no wrapper: it is the hot
    loop).  Read them inside :func:`located` to turn its errors into :class:`JSONStreamError`."""
    stream: Iterator[tuple[str, Any]] = _BACKEND.basic_parse(source, buf_size=CHUNK, use_float=False)
    return stream


@contextmanager
def located(source: Source) -> Iterator[None]:
    """Bad JSON met while reading ``source`` raises :class:`JSONStreamError` with its line and column."""
    try:
        yield
    except (ijson.JSONError, SystemError) as exc:  # SystemError: ijson's C backend on a bad number
        where = source.locate()
        raise JSONStreamError(_reason(exc), *(where or (None, None))) from None
    except (
        UnicodeDecodeError
    ):  # yajl writes an escaped lone surrogate ("\udc00") as bytes no UTF-8 decoder reads
        where = source.locate()
        raise JSONStreamError(
            "a text holds an escaped lone surrogate (such as \\udc00), which this reader can't keep; "
            "remove it or write the character itself",
            *(where or (None, None)),
        ) from None


def _reason(exc: Exception) -> str:
    text = str(exc)
    if text.startswith(("b'", 'b"')):
        text = text[2:]
    first = text.split("\n", 1)[0].split("\\n", 1)[0]
    for prefix in ("parse error: ", "lexical error: "):
        if first.startswith(prefix):
            first = first[len(prefix) :]
    if not isinstance(exc, ijson.JSONError):
        return "a number is too long"
    return _REASONS.get(first.strip(), first.strip() or "it can't be read")


def skip(stream: Iterator[tuple[str, Any]], event: str) -> None:
    """Read past the value that began with ``event``, building nothing."""
    if event not in _OPEN:
        return
    depth = 1
    for event, _ in stream:
        if event in _OPEN:
            depth += 1
        elif event in _CLOSE:
            depth -= 1
            if depth == 0:
                return


class DepthError(InputError):
    """JSON nested deeper than ``limit`` levels."""

    code = "invalid-json"

    def __init__(self, limit: int) -> None:
        self.limit = limit
        super().__init__(f"nested more than {limit} levels deep")


def build(
    stream: Iterator[tuple[str, Any]], event: str, value: Any, *, max_depth: int = limits.MAX_READ_NESTING
) -> Any:
    """The value that began with ``(event, value)``, read as ``JSON.parse`` would (see jsvalue.loads)."""
    if event not in _OPEN:
        return scalar(value)
    # Each open container: [kind, pairs or items, pending key]
    stack: list[list[Any]] = [["map" if event == "start_map" else "array", [], None]]
    for event, value in stream:
        top = stack[-1]
        if event == "map_key":
            top[2] = value
            continue
        if event in _OPEN:
            if len(stack) >= max_depth:
                raise DepthError(max_depth)
            stack.append(["map" if event == "start_map" else "array", [], None])
            continue
        if event in _CLOSE:
            stack.pop()
            done = js_object(top[1]) if top[0] == "map" else top[1]
            if not stack:
                return done
            item = done
        else:
            item = scalar(value)
        parent = stack[-1]
        parent[1].append((parent[2], item) if parent[0] == "map" else item)
    raise JSONStreamError("it ends too early (was the file cut off?)")


def scalar(value: Any) -> Any:
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, Decimal):
        return normalize_number(float(value))
    if isinstance(value, int):
        if value.bit_length() > 1000:  # beyond any double, as float("1" * 400) is
            return float("inf") if value > 0 else float("-inf")
        return normalize_number(value)
    return value
