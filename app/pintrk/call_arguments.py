"""A call's arguments read as JSON5 literals, or refused with a located, plain-words reason.

pyjson5 (compiled) reads well-formed arguments; what it refuses goes to json5 (pure Python),
whose positions make the precise, friendly errors below (and which also reads 1e400), as long as
json5 can: it reads at most :data:`~app.pintrk.limits.MAX_JSON5_CHARS` characters a script and
:data:`~app.pintrk.limits.MAX_JSON5_NESTING` levels a call.  Past either, pyjson5's own error explains the refusal.
"""

from __future__ import annotations

import re
from typing import Any

import json5
import pyjson5

from .call_text import WORD, describe, error_at, expression_at
from .jsvalue import js_object, normalize
from .limits import MAX_JSON5_NESTING
from .text import shorten

__all__ = ["read_arguments"]

_LITERALS = "literal values (text in quotes, numbers, true/false/null, {…} and […])"
_ARROW = re.compile(r"(?:async\s+)?(?:\([^()]*\)|(?:[^\W\d]|\$)[\w$]*)\s*=>")
# Why the limits on json5 (limits.MAX_JSON5_CHARS, MAX_JSON5_NESTING) are what they are: json5
# is pure Python (~30 µs a character), so reading at most 4,000 characters of one script's
# arguments (those pyjson5 refused) keeps a 200,000-character script to milliseconds.  Its generated
# parser recurses ~19 Python frames a nesting level (measured on 0.17: 64 levels of objects need
# ~2,500 frames); within the default recursion limit (1,000) it reads arguments nested 24 deep
# (~530 frames, leaving the caller over 400): no process-wide switch is needed.
_NEAR = re.compile(r"near (\d+)")
_NUMBER = re.compile(r"[+-]?(?:[\w.]|(?<=[eE])[+-])*")


def read_arguments(
    text: str, start: int, end: int, method: str, depth: int, json5_budget: list[int]
) -> tuple[Any, ...]:
    """The arguments in ``text[start:end]`` (nested ``depth`` levels at most), as values.

    ``json5_budget`` holds the characters json5 may still read in this script.
    """
    literal = "[" + text[start:end] + "]"
    try:
        value = pyjson5.decode(literal, maxdepth=depth + 2)
    except Exception as exc:  # pyjson5's exceptions have no common public base class
        refused = exc
    else:
        return tuple(normalize(value, max_depth=depth + 4))
    call = f"in rudderanalytics.{method}(…),"
    if len(literal) > json5_budget[0] or depth + 1 > MAX_JSON5_NESTING:
        raise error_at(text, *_explain_refusal(refused, text, start, end, call))
    json5_budget[0] -= len(literal)
    try:
        value, problem, problem_pos = json5.parse(
            literal,
            # Objects built as JavaScript does: duplicate keys keep the first
            # position and the last value; array-index keys come first.
            object_pairs_hook=js_object,  # type: ignore[arg-type]  # json5's stub says Iterable; it passes a list
            parse_int=_to_int,
            parse_float=_to_float,
        )
    except RecursionError:  # the caller's own frames left json5 too little room: as if too deep
        raise error_at(text, *_explain_refusal(refused, text, start, end, call)) from None
    if problem is None:
        return tuple(normalize(value, max_depth=depth + 4))
    if not problem.startswith("<string>:"):
        # A number conversion failed; json5 reports those without a position.
        raise error_at(text, start - 1, f"{call} {problem}: write numbers like 42, -1.5 or 2e10.")
    # problem_pos counts the "[" we added in front of the arguments.
    pos = min(max(start + problem_pos - 1, start), end)
    raise error_at(text, *_explain_argument_problem(text, pos, start, end, call))


def _explain_refusal(refused: Exception, text: str, start: int, end: int, call: str) -> tuple[int, str]:
    """Where and why pyjson5 refused arguments json5 does not read (see the module doc).

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
    if WORD.match(text, word_start) and (not before or before[-1] in ":,[("):
        return word_start, _not_a_value(expression_at(text, word_start), call)
    if text[pos] == "`":
        return pos, f"{call} text in backticks (`…`) is not accepted: use single or double quotes."
    return pos, (
        f"{call} unexpected {describe(text[pos])}: arguments must be {_LITERALS}, separated by commas."
    )


def _not_a_value(name: str, call: str) -> str:
    """Why the name ``name``, where a value should be, is refused."""
    if name == "function":
        return (
            f"{call} functions are not allowed: the playground only accepts "
            f"{_LITERALS}. Replace the function with the value you want to test."
        )
    if name == "new":
        return (
            f'{call} "new …" is not allowed: the playground only accepts {_LITERALS}. '
            "Replace it with the value you want to test."
        )
    if name == "undefined":
        return f'{call} "undefined" is not accepted: use null or leave the value out.'
    return (
        f'{call} "{shorten(name)}" is not a value: the playground only accepts {_LITERALS}. '
        "Replace the variable with the value you want to test."
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
