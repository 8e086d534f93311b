"""Turn a pasted "call script" into the SDK calls it makes, without evaluating it.

A small scanner finds each ``rudderanalytics.<method>(…)`` call and the text of
its arguments; the maintained ``json5`` parser reads the arguments as literals.
"""

from __future__ import annotations

import re
import sys
import threading
from dataclasses import dataclass
from types import FrameType
from typing import Any

import json5
import pyjson5

from .jsvalue import js_object, normalize
from .text import shorten

__all__ = ["CallScriptError", "SdkCall", "parse_call_script"]

_METHODS = ("track", "page", "identify")

_LITERALS = "literal values (text in quotes, numbers, true/false/null, {…} and […])"
_ALLOWED = "the allowed methods are track, page and identify"
_OPENERS = {"(": ")", "[": "]", "{": "}"}
_CLOSERS = {closer: opener for opener, closer in _OPENERS.items()}
_QUOTES = "\"'`"
_WORD = re.compile(r"(?:[^\W\d]|\$)[\w$]*")
_DOTTED_WORD = re.compile(r"(?:[^\W\d]|\$)[\w$]*(?:\s*\.\s*(?:[^\W\d]|\$)[\w$]*)*")
_ARROW = re.compile(r"(?:async\s+)?(?:\([^()]*\)|(?:[^\W\d]|\$)[\w$]*)\s*=>")
_LINE_END = re.compile(r"[\n\r\u2028\u2029]")
_SCANNER_STOP = re.compile(r"[\"'`()\[\]{}/]")
# What can end a string, or change how it goes on: its quote, a backslash and, for '…' and
# "…", a raw line break (JavaScript ends them there; after a backslash it continues the line).
_STRING_STOPS = {
    '"': re.compile(r'["\\\r\n]'),
    "'": re.compile(r"['\\\r\n]"),
    "`": re.compile(r"[`\\]"),
}
# json5's generated parser recurses through up to 26 Python frames per nesting
# level (measured on 0.17), so the default limit of 1000 stops near 40 levels.
_JSON5_FRAMES_PER_LEVEL = 32
_JSON5_BASE_FRAMES = 200
_recursion_limit_lock = threading.Lock()
# json5 is pure Python (~30 µs a character): it reads at most this many characters of one
# script's arguments (those pyjson5 refused); past that, pyjson5's own error explains the
# refusal, so a 200,000-character script costs milliseconds, not seconds.
_JSON5_MAX_CHARS = 4_000
_NEAR = re.compile(r"near (\d+)")
_NUMBER = re.compile(r"[+-]?(?:[\w.]|(?<=[eE])[+-])*")


@dataclass(frozen=True)
class SdkCall:
    method: str
    args: tuple[Any, ...]
    line: int
    column: int
    source: str


class CallScriptError(ValueError):
    def __init__(self, message: str, line: int, column: int) -> None:
        super().__init__(f"line {line}, column {column}: {message}")
        self.message = message
        self.line = line
        self.column = column


def parse_call_script(
    text: str,
    *,
    max_calls: int = 1000,
    max_depth: int = 64,
    max_length: int = 200_000,
) -> list[SdkCall]:
    if len(text) > max_length:
        raise _error(
            text,
            max_length,
            f"the script is {len(text):,} characters long; the playground accepts "
            f"at most {max_length:,} characters. Remove some calls or shorten the values.",
        )
    calls: list[SdkCall] = []
    lines = _Lines(text)
    json5_budget = [_JSON5_MAX_CHARS]  # characters json5 may still read in this script
    pos = _skip_separators(text, 0)
    while pos < len(text):
        if len(calls) == max_calls:
            raise _error(
                text,
                pos,
                f"too many calls: the playground runs at most {max_calls:,} calls "
                "at a time. Remove some calls.",
            )
        call, pos = _parse_call(text, pos, max_depth, lines, json5_budget)
        calls.append(call)
        pos = _skip_separators(text, pos)
    return calls


def _parse_call(
    text: str, start: int, max_depth: int, lines: _Lines, json5_budget: list[int]
) -> tuple[SdkCall, int]:
    name_end = _word_end(text, start)
    if name_end == start:
        raise _error(text, start, _unexpected_between_calls(text[start]))
    name, pos = text[start:name_end], name_end
    if name == "window":
        dot = _skip_trivia(text, pos)
        if text.startswith(".", dot):
            word_start = _skip_trivia(text, dot + 1)
            word_end = _word_end(text, word_start)
            if text[word_start:word_end] == "rudderanalytics":
                name, pos = "rudderanalytics", word_end
    if name != "rudderanalytics":
        raise _error(
            text,
            start,
            f'"{shorten(_expression_at(text, start))}" is not a rudderanalytics call: paste only '
            "rudderanalytics.track(…), rudderanalytics.page(…) and "
            "rudderanalytics.identify(…) calls.",
        )

    dot = _skip_trivia(text, pos)
    if not text.startswith(".", dot):
        raise _error(
            text,
            pos,
            'add the method to call after "rudderanalytics", '
            'for example rudderanalytics.track("Event name").',
        )
    method_start = _skip_trivia(text, dot + 1)
    method_end = _word_end(text, method_start)
    method = text[method_start:method_end]
    if method not in _METHODS:
        raise _error(text, method_start, _unknown_method(method))

    paren = _skip_trivia(text, method_end)
    if not text.startswith("(", paren):
        raise _error(
            text,
            method_end,
            f'add "(" after rudderanalytics.{method}: a call looks like '
            f'rudderanalytics.{method}("…", {{…}}).',
        )
    close, depth = _find_closing_parenthesis(text, paren, method, max_depth)
    args = _parse_arguments(text, paren + 1, close, method, depth, json5_budget)
    line, column = lines.position(start)
    return SdkCall(method, args, line, column, text[start : close + 1]), close + 1


def _unknown_method(method: str) -> str:
    if not method:
        return f'add the method name after "rudderanalytics.": {_ALLOWED}.'
    if method in ("load", "ready"):
        return (
            f"rudderanalytics.{method}(…) is not needed: the playground loads the "
            f"SDK for you. Remove this call; {_ALLOWED}."
        )
    if method.lower() in _METHODS:
        return f'method names are case-sensitive: write "{method.lower()}" instead of "{method}".'
    return f'"{shorten(method)}" is not supported in the playground: {_ALLOWED}.'


def _unexpected_between_calls(char: str) -> str:
    if char in _CLOSERS:
        return f'this "{char}" has no matching "{_CLOSERS[char]}": remove it.'
    if char == "<":
        return "remove HTML such as <script> tags: paste only the rudderanalytics calls."
    return (
        f"unexpected {_describe(char)}: expected a call such as "
        'rudderanalytics.track("Event name"). Remove anything that is not a '
        "rudderanalytics call."
    )


def _find_closing_parenthesis(text: str, paren: int, method: str, max_depth: int) -> tuple[int, int]:
    """Return the position of the ``)`` closing the call, and the deepest nesting inside."""
    call = f"in rudderanalytics.{method}(…),"
    open_brackets = [paren]
    deepest = 0
    pos = paren + 1
    while match := _SCANNER_STOP.search(text, pos):
        pos = match.start()
        char = text[pos]
        if char == "/":
            pos = _skip_trivia(text, pos)
            if pos == match.start():
                pos += 1
            continue
        if char in _QUOTES:
            string_end = _string_end(text, pos)
            if string_end < 0:
                raise _error(
                    text,
                    pos,
                    f"{call} this text is missing its closing {char}: add {char} where the text ends.",
                )
            pos = string_end
            continue
        if char in _OPENERS:
            open_brackets.append(pos)
            deepest = max(deepest, len(open_brackets) - 1)
            if deepest > max_depth:
                raise _error(
                    text,
                    pos,
                    f"{call} the values are nested more than {max_depth} levels deep; "
                    f"the playground accepts at most {max_depth} levels of {{…}} and […].",
                )
        else:
            opener = _CLOSERS[char]
            innermost = open_brackets[-1]
            if text[innermost] != opener:
                if any(text[p] == opener for p in open_brackets):
                    raise _never_closed(text, innermost, call)
                raise _error(text, pos, f'{call} this "{char}" has no matching "{opener}": remove it.')
            open_brackets.pop()
            if not open_brackets:
                return pos, deepest
        pos += 1
    raise _never_closed(text, open_brackets[-1], call)


def _string_end(text: str, pos: int) -> int:
    """Where the string that opens at ``pos`` ends (just after its quote), or -1 if it never does.

    One forward pass from stop to stop: a regular expression for the whole string would
    keep a backtracking record per escape (~100 bytes each).
    """
    quote = text[pos]
    stops = _STRING_STOPS[quote]
    i = pos + 1
    while (stop := stops.search(text, i)) is not None:
        i = stop.start()
        if text[i] == quote:
            return i + 1
        if text[i] != "\\":
            return -1  # a raw line break
        i += 3 if text.startswith("\r\n", i + 1) else 2  # the escaped character (a CRLF is one)
    return -1


def _never_closed(text: str, pos: int, call: str) -> CallScriptError:
    opener = text[pos]
    return _error(
        text,
        pos,
        f'{call} this "{opener}" is never closed: add the matching "{_OPENERS[opener]}".',
    )


def _parse_arguments(
    text: str, start: int, end: int, method: str, depth: int, json5_budget: list[int]
) -> tuple[Any, ...]:
    literal = "[" + text[start:end] + "]"
    try:
        # Fast path: pyjson5 (compiled) reads well-formed JSON5 thousands of times
        # faster than json5; anything it refuses goes to json5, whose positions
        # make the precise, friendly errors below (and which also reads 1e400).
        value = pyjson5.decode(literal, maxdepth=depth + 2)
    except Exception as exc:  # pyjson5's exceptions have no common public base class
        refused = exc
    else:
        return tuple(normalize(value, max_depth=depth + 4))
    call = f"in rudderanalytics.{method}(…),"
    if len(literal) > json5_budget[0]:
        raise _error(text, *_explain_refusal(refused, text, start, end, call))
    json5_budget[0] -= len(literal)
    _ensure_recursion_headroom(depth + 1)
    try:
        value, problem, problem_pos = json5.parse(
            literal,
            # Objects built as JavaScript does: duplicate keys keep the first
            # position and the last value; array-index keys come first.
            object_pairs_hook=js_object,  # type: ignore[arg-type]  # json5's stub says Iterable; it passes a list
            parse_int=_to_int,
            parse_float=_to_float,
        )
    except RecursionError:
        raise _error(
            text,
            start - 1,
            f"in rudderanalytics.{method}(…), the values are nested too deeply.",
        ) from None
    if problem is None:
        return tuple(normalize(value, max_depth=depth + 4))
    if not problem.startswith("<string>:"):
        # A number conversion failed; json5 reports those without a position.
        raise _error(text, start - 1, f"{call} {problem}: write numbers like 42, -1.5 or 2e10.")
    # problem_pos counts the "[" we added in front of the arguments.
    pos = min(max(start + problem_pos - 1, start), end)
    raise _error(text, *_explain_argument_problem(text, pos, start, end, call))


def _explain_refusal(refused: Exception, text: str, start: int, end: int, call: str) -> tuple[int, str]:
    """Where and why pyjson5 refused arguments too long for json5 (see ``_JSON5_MAX_CHARS``).

    pyjson5 says where in its message ("… near 12, found U+0063"): near the character it
    refused, or where an unclosed number starts.
    """
    message = str(refused.args[0]) if refused.args else ""
    near = _NEAR.search(message)
    # literal[i] is text[start + i - 1] (the "[" added in front)
    pos = min(max(start + int(near.group(1)) - 2, start), end) if near else start
    found = getattr(refused, "character", None)
    if isinstance(found, str) and len(found) == 1:
        # pyjson5 counts the refused character, or one before it; a keyword it half-matched
        # ("tru]") is reported at its start: the character is a few places on.
        hit = text.find(found, pos, min(pos + 16, end))
        pos = hit if hit >= 0 else pos
    elif "NumericLiteral" in message:
        number = _NUMBER.match(text, pos)
        shown = number.group() if number and number.group() else text[pos]
        return pos, (
            f'{call} "{shorten(shown)}" is not a number the playground can read: '
            "write numbers like 42, -1.5 or 2e10 (at most about 1.8e308)."
        )
    return _explain_argument_problem(text, pos, start, end, call)


def _explain_argument_problem(text: str, pos: int, start: int, end: int, call: str) -> tuple[int, str]:
    if pos == end:
        return pos, f"{call} the last argument is incomplete: finish it or remove it."
    word_start = pos
    # json5 stops inside a word it half-matched ("function" against "false").
    while word_start > start and re.match(r"[\w$]", text[word_start - 1]):
        word_start -= 1
    for candidate in (word_start, pos):
        if _ARROW.match(text, candidate):
            return candidate, (
                f"{call} arrow functions are not allowed: the playground only accepts "
                f"{_LITERALS}. Replace the function with the value you want to test."
            )
    before = text[start:word_start].rstrip()
    if _WORD.match(text, word_start) and (not before or before[-1] in ":,[("):
        name = _expression_at(text, word_start)
        if name == "function":
            return word_start, (
                f"{call} functions are not allowed: the playground only accepts "
                f"{_LITERALS}. Replace the function with the value you want to test."
            )
        if name == "new":
            return word_start, (
                f'{call} "new …" is not allowed: the playground only accepts {_LITERALS}. '
                "Replace it with the value you want to test."
            )
        if name == "undefined":
            return word_start, f'{call} "undefined" is not accepted: use null or leave the value out.'
        return word_start, (
            f'{call} "{shorten(name)}" is not a value: the playground only accepts {_LITERALS}. '
            "Replace the variable with the value you want to test."
        )
    if text[pos] == "`":
        return pos, f"{call} text in backticks (`…`) is not accepted: use single or double quotes."
    return pos, (
        f"{call} unexpected {_describe(text[pos])}: arguments must be {_LITERALS}, separated by commas."
    )


def _to_int(literal: str, base: int = 10) -> int | float:
    # Python refuses int() of more than 4300 decimal digits; JavaScript reads a double.
    if base == 10 and len(literal) > 400:
        return float(literal)
    return int(literal, base)


def _to_float(literal: str) -> float:
    try:
        return float(literal)
    except ValueError:
        raise ValueError(f'"{literal}" is not a valid number') from None


def _ensure_recursion_headroom(levels: int) -> None:
    stack_depth = 0
    frame: FrameType | None = sys._getframe()
    while frame is not None:
        stack_depth += 1
        frame = frame.f_back
    needed = stack_depth + _JSON5_BASE_FRAMES + _JSON5_FRAMES_PER_LEVEL * levels
    # Only ever raised, never lowered, so a parse in another thread keeps its headroom.
    with _recursion_limit_lock:
        if sys.getrecursionlimit() < needed:
            sys.setrecursionlimit(needed)


def _skip_separators(text: str, pos: int) -> int:
    while True:
        pos = _skip_trivia(text, pos)
        if not text.startswith(";", pos):
            return pos
        pos += 1


def _skip_trivia(text: str, pos: int) -> int:
    """Skip whitespace and comments."""
    while pos < len(text):
        if text[pos].isspace() or text[pos] == "\ufeff":
            pos += 1
        elif text.startswith("//", pos):
            line_end = _LINE_END.search(text, pos)
            pos = line_end.start() if line_end else len(text)
        elif text.startswith("/*", pos):
            comment_end = text.find("*/", pos + 2)
            if comment_end < 0:
                raise _error(text, pos, 'this comment is never closed: add "*/" where it ends.')
            pos = comment_end + 2
        else:
            break
    return pos


def _word_end(text: str, pos: int) -> int:
    word = _WORD.match(text, pos)
    return word.end() if word else pos


def _expression_at(text: str, pos: int) -> str:
    expression = _DOTTED_WORD.match(text, pos)
    return re.sub(r"\s+", "", expression.group()) if expression else text[pos]


def _describe(char: str) -> str:
    if char == '"':
        return "'\"'"
    if char.isprintable() and not char.isspace():
        return f'"{char}"'
    return f"invisible character U+{ord(char):04X}"


class _Lines:
    """Line and column of positions met in order: each call's start is counted from the previous
    one's, so 1,000 calls on one 200,000-character line cost one pass, not one per call."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos, self.line, self.line_start = 0, 1, 0

    def position(self, pos: int) -> tuple[int, int]:
        if pos < self.pos:
            return _position(self.text, pos)
        newlines = self.text.count("\n", self.pos, pos)
        if newlines:
            self.line += newlines
            self.line_start = self.text.rfind("\n", self.pos, pos) + 1
        self.pos = pos
        return self.line, pos - self.line_start + 1


def _position(text: str, pos: int) -> tuple[int, int]:
    line_start = text.rfind("\n", 0, pos) + 1
    return text.count("\n", 0, pos) + 1, pos - line_start + 1


def _error(text: str, pos: int, message: str) -> CallScriptError:
    return CallScriptError(message, *_position(text, pos))
