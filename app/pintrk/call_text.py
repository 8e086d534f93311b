"""Reading a call script's text: where calls, strings, comments and brackets begin and end.

The scanner :mod:`.calls` walks with; it never evaluates anything.  Every refusal is a
:class:`CallScriptError`, located at a line and column of the script.
"""

from __future__ import annotations

import re

from .errors import InputError, at_line

__all__ = [
    "CallScriptError",
    "error_at",
    "Lines",
    "skip_separators",
    "skip_trivia",
    "word_end",
    "expression_at",
    "describe",
    "string_end",
    "find_closing_parenthesis",
    "OPENERS",
    "CLOSERS",
    "WORD",
]

OPENERS = {"(": ")", "[": "]", "{": "}"}
CLOSERS = {closer: opener for opener, closer in OPENERS.items()}
_QUOTES = "\"'`"
WORD = re.compile(r"(?:[^\W\d]|\$)[\w$]*")
_DOTTED_WORD = re.compile(r"(?:[^\W\d]|\$)[\w$]*(?:\s*\.\s*(?:[^\W\d]|\$)[\w$]*)*")
_LINE_END = re.compile(r"[\n\r\u2028\u2029]")
_SCANNER_STOP = re.compile(r"[\"'`()\[\]{}/]")
# What can end a string, or change how it goes on: its quote, a backslash and, for '…' and
# "…", a raw line break (JavaScript ends them there; after a backslash it continues the line).
_STRING_STOPS = {
    '"': re.compile(r'["\\\r\n]'),
    "'": re.compile(r"['\\\r\n]"),
    "`": re.compile(r"[`\\]"),
}


class CallScriptError(InputError):
    """A call script the playground can't read, at a line and column (counted from 1)."""

    code = "invalid-calls"

    def __init__(self, message: str, line: int, column: int) -> None:
        super().__init__(message, at_line(line, column))

    @property
    def line(self) -> int:
        return self.location.line or 0 if self.location is not None else 0

    @property
    def column(self) -> int:
        return self.location.column or 0 if self.location is not None else 0


def _position(text: str, pos: int) -> tuple[int, int]:
    line_start = text.rfind("\n", 0, pos) + 1
    return text.count("\n", 0, pos) + 1, pos - line_start + 1


def error_at(text: str, pos: int, message: str) -> CallScriptError:
    """The refusal ``message``, located at ``text[pos]``."""
    return CallScriptError(message, *_position(text, pos))


class Lines:
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


def skip_separators(text: str, pos: int) -> int:
    """Skip whitespace, comments and semicolons."""
    while True:
        pos = skip_trivia(text, pos)
        if not text.startswith(";", pos):
            return pos
        pos += 1


def skip_trivia(text: str, pos: int) -> int:
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
                raise error_at(text, pos, 'this comment is never closed: add "*/" where it ends.')
            pos = comment_end + 2
        else:
            break
    return pos


def word_end(text: str, pos: int) -> int:
    """The end of the identifier at ``pos`` (``pos`` itself if there is none)."""
    word = WORD.match(text, pos)
    return word.end() if word else pos


def expression_at(text: str, pos: int) -> str:
    """The dotted name at ``pos`` (``window.analytics``), without spaces, or the character there."""
    expression = _DOTTED_WORD.match(text, pos)
    return re.sub(r"\s+", "", expression.group()) if expression else text[pos]


def describe(char: str) -> str:
    """A character as a message shows it: quoted, or named when it is invisible."""
    if char == '"':
        return "'\"'"
    if char.isprintable() and not char.isspace():
        return f'"{char}"'
    return f"invisible character U+{ord(char):04X}"


def string_end(text: str, pos: int) -> int:
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


def find_closing_parenthesis(text: str, paren: int, method: str, max_depth: int) -> tuple[int, int]:
    """Return the position of the ``)`` closing the call, and the deepest nesting inside."""
    call = f"in rudderanalytics.{method}(…),"
    open_brackets = [paren]
    deepest = 0
    pos = paren + 1
    while match := _SCANNER_STOP.search(text, pos):
        pos = match.start()
        char = text[pos]
        if char == "/":
            pos = skip_trivia(text, pos)
            if pos == match.start():
                pos += 1
            continue
        if char in _QUOTES:
            pos = _after_string(text, pos, call)
            continue
        if char in OPENERS:
            open_brackets.append(pos)
            deepest = max(deepest, len(open_brackets) - 1)
            if deepest > max_depth:
                raise error_at(
                    text,
                    pos,
                    f"{call} the values are nested more than {max_depth} levels deep; "
                    f"the playground accepts at most {max_depth} levels of {{…}} and […].",
                )
        else:
            _close(text, pos, open_brackets, call)
            if not open_brackets:
                return pos, deepest
        pos += 1
    raise _never_closed(text, open_brackets[-1], call)


def _after_string(text: str, pos: int, call: str) -> int:
    end = string_end(text, pos)
    if end < 0:
        char = text[pos]
        raise error_at(
            text, pos, f"{call} this text is missing its closing {char}: add {char} where the text ends."
        )
    return end


def _close(text: str, pos: int, open_brackets: list[int], call: str) -> None:
    """Close the innermost bracket with ``text[pos]``, or refuse a bracket that does not match."""
    char = text[pos]
    opener = CLOSERS[char]
    innermost = open_brackets[-1]
    if text[innermost] != opener:
        if any(text[p] == opener for p in open_brackets):
            raise _never_closed(text, innermost, call)
        raise error_at(text, pos, f'{call} this "{char}" has no matching "{opener}": remove it.')
    open_brackets.pop()


def _never_closed(text: str, pos: int, call: str) -> CallScriptError:
    opener = text[pos]
    return error_at(
        text,
        pos,
        f'{call} this "{opener}" is never closed: add the matching "{OPENERS[opener]}".',
    )
