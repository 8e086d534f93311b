"""How deeply JSON text nests, counted before it is parsed: a guard against RecursionError."""

from __future__ import annotations

from array import array
from itertools import accumulate

__all__ = ["max_bracket_depth", "max_bracket_depth_by_hand"]

# Bytes that shape JSON's nesting: quotes (strings), backslashes (escapes) and brackets; the
# rest is deleted before counting.  Then brackets become steps of +1 / -1.
_NOT_STRUCTURE = bytes(b for b in range(256) if b not in b'"\\[]{}')
_DEPTH_STEPS = bytes.maketrans(b"[{]}", b"\x01\x01\xff\xff")


def max_bracket_depth_by_hand(text: str) -> int:
    """Deepest ``[``/``{`` nesting outside strings, as JSON reads it: the rule, one character at a time.

    Brackets count outside strings only; inside a string a backslash escapes the next
    character; outside strings a backslash is an error where JSON stops reading, so nothing
    after it counts.  :func:`max_bracket_depth` is the same count at C speed; the tests check
    that both agree.
    """
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char == "\\":
            break
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


def max_bracket_depth(text: str) -> int:
    """:func:`max_bracket_depth_by_hand`, in a few linear passes at C speed (nothing re-scanned).

    1. escapes can't end a string: each ``\\\\`` and ``\\"`` becomes a backslash and a harmless
       ``\\x01`` (pairs are taken from the left, as JSON does), so every quote left opens or
       closes a string, and every backslash left is inside a string or where JSON stops reading;
    2. everything but quotes, backslashes and brackets is deleted;
    3. splitting on quotes puts strings at odd positions (an unclosed one too): drop them;
    4. a backslash outside strings is where JSON stops: nothing after it counts;
    5. the running sum of +1 / -1 steps gives the depth.
    """
    if "[" not in text and "{" not in text:
        return 0
    if "\\" in text:
        text = text.replace("\\\\", "\\\x01").replace('\\"', "\\\x01")
    skeleton = text.encode("utf-8", "surrogatepass").translate(None, _NOT_STRUCTURE)
    outside = b"".join(skeleton.split(b'"')[::2])
    stop = outside.find(b"\\")
    if stop >= 0:
        outside = outside[:stop]
    steps = array("b", outside.translate(_DEPTH_STEPS))  # +1 / -1
    return max(0, max(accumulate(steps), default=0))
