"""Turn a pasted "call script" into the SDK calls it makes, without evaluating it.

A small scanner (:mod:`.call_text`) finds each ``rudderanalytics.<method>(…)`` call and the
text of its arguments; :mod:`.call_arguments` reads the arguments as JSON5 literals.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .call_arguments import read_arguments
from .call_text import (
    CLOSERS,
    CallScriptError,
    Lines,
    describe,
    error_at,
    expression_at,
    find_closing_parenthesis,
    skip_separators,
    skip_trivia,
    word_end,
)
from .limits import MAX_CALL_NESTING, MAX_CALLS, MAX_JSON5_CHARS, MAX_TEXT_LENGTH
from .text import shorten

__all__ = ["CallScriptError", "SdkCall", "parse_call_script"]

_METHODS = ("track", "page", "identify")
_ALLOWED = "the allowed methods are track, page and identify"


@dataclass(frozen=True)
class SdkCall:
    method: str
    args: tuple[Any, ...]
    line: int
    column: int
    source: str


def parse_call_script(
    text: str,
    *,
    max_calls: int = MAX_CALLS,
    max_depth: int = MAX_CALL_NESTING,
    max_length: int = MAX_TEXT_LENGTH,
) -> list[SdkCall]:
    """The calls in ``text``, in order, or a :class:`CallScriptError` at the first problem."""
    if len(text) > max_length:
        raise error_at(
            text,
            max_length,
            f"the script is {len(text):,} characters long; the playground accepts "
            f"at most {max_length:,} characters. Remove some calls or shorten the values.",
        )
    calls: list[SdkCall] = []
    lines = Lines(text)
    json5_budget = [MAX_JSON5_CHARS]  # characters json5 may still read in this script
    pos = skip_separators(text, 0)
    while pos < len(text):
        if len(calls) == max_calls:
            raise error_at(
                text,
                pos,
                f"too many calls: the playground runs at most {max_calls:,} calls "
                "at a time. Remove some calls.",
            )
        call, pos = _parse_call(text, pos, max_depth, lines, json5_budget)
        calls.append(call)
        pos = skip_separators(text, pos)
    return calls


def _parse_call(
    text: str, start: int, max_depth: int, lines: Lines, json5_budget: list[int]
) -> tuple[SdkCall, int]:
    pos = _after_receiver(text, start)
    dot = skip_trivia(text, pos)
    if not text.startswith(".", dot):
        raise error_at(
            text,
            pos,
            'add the method to call after "rudderanalytics", '
            'for example rudderanalytics.track("Event name").',
        )
    method_start = skip_trivia(text, dot + 1)
    method_end = word_end(text, method_start)
    method = text[method_start:method_end]
    if method not in _METHODS:
        raise error_at(text, method_start, _unknown_method(method))

    paren = skip_trivia(text, method_end)
    if not text.startswith("(", paren):
        raise error_at(
            text,
            method_end,
            f'add "(" after rudderanalytics.{method}: a call looks like '
            f'rudderanalytics.{method}("…", {{…}}).',
        )
    close, depth = find_closing_parenthesis(text, paren, method, max_depth)
    args = read_arguments(text, paren + 1, close, method, depth, json5_budget)
    line, column = lines.position(start)
    return SdkCall(method, args, line, column, text[start : close + 1]), close + 1


def _after_receiver(text: str, start: int) -> int:
    """Where ``rudderanalytics`` (or ``window.rudderanalytics``) ends; refuse any other receiver."""
    name_end = word_end(text, start)
    if name_end == start:
        raise error_at(text, start, _unexpected_between_calls(text[start]))
    name, pos = text[start:name_end], name_end
    if name == "window":
        dot = skip_trivia(text, pos)
        if text.startswith(".", dot):
            word_start = skip_trivia(text, dot + 1)
            end = word_end(text, word_start)
            if text[word_start:end] == "rudderanalytics":
                name, pos = "rudderanalytics", end
    if name != "rudderanalytics":
        raise error_at(
            text,
            start,
            f'"{shorten(expression_at(text, start))}" is not a rudderanalytics call: paste only '
            "rudderanalytics.track(…), rudderanalytics.page(…) and "
            "rudderanalytics.identify(…) calls.",
        )
    return pos


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
    if char in CLOSERS:
        return f'this "{char}" has no matching "{CLOSERS[char]}": remove it.'
    if char == "<":
        return "remove HTML such as <script> tags: paste only the rudderanalytics calls."
    return (
        f"unexpected {describe(char)}: expected a call such as "
        'rudderanalytics.track("Event name"). Remove anything that is not a '
        "rudderanalytics call."
    )
