"""Query strings (``a=1&b=%7B%7D``) read into name/value pairs.

The rule is the standard library's ``parse_qsl(query, keep_blank_values=True)``:
:func:`parse_query_by_the_rule`.  :func:`parse_query` gives the same pairs several times
faster for what beacons hold (ASCII, percent-encoded JSON): it decodes each value's ``%XX``
in one C-speed pass (``codecs.escape_decode``) and falls back to the rule for anything else
(non-ASCII text, a ``%`` not followed by two hex digits).  A property test holds the two equal.
"""

from __future__ import annotations

import codecs
from urllib.parse import parse_qsl, unquote

__all__ = ["parse_query", "parse_query_by_the_rule"]


def parse_query_by_the_rule(query: str) -> list[tuple[str, str]]:
    return parse_qsl(query, keep_blank_values=True)


def parse_query(query: str) -> list[tuple[str, str]]:
    """The pairs of ``query``, as :func:`parse_query_by_the_rule` gives them."""
    pairs = []
    for piece in query.split("&"):
        if piece:
            name, _, value = piece.partition("=")
            pairs.append((_unquote_plus(name), _unquote_plus(value)))
    return pairs


def _unquote_plus(text: str) -> str:
    text = text.replace("+", " ")
    if "%" not in text:
        return text
    if not text.isascii():
        return unquote(text)
    # "%7B" → "\x7B" for the escape decoder; backslashes already there are escaped first, so
    # nothing but the percent escapes is decoded.  A "%" without two hex digits raises.
    try:
        raw = codecs.escape_decode(text.replace("\\", "\\\\").replace("%", "\\x").encode("ascii"))[0]
    except ValueError:
        return unquote(text)
    return raw.decode("utf-8", "replace")
