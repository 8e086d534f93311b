"""JavaScript strings: ``trim``, UTF-16 length, well-formedness and ``JSON.stringify``'s quoting."""

from __future__ import annotations

import json
import re
from collections.abc import Callable

__all__ = ["js_trim", "utf16_length", "to_well_formed", "quote", "SURROGATES", "encode_string"]

# String.prototype.trim strips these (WhiteSpace and LineTerminator); Python's
# str.strip() differs (it keeps U+FEFF and strips U+001C–U+001F).
_JS_WHITESPACE = (
    "\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
    "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
)

# A surrogate pair, or a lone surrogate: what UTF-16 strings hold and Python's encoders treat apart.
SURROGATES = re.compile("[\ud800-\udbff][\udc00-\udfff]|[\ud800-\udfff]")

encode_string: Callable[[str], str] = json.encoder.encode_basestring


def js_trim(text: str) -> str:
    """``String.prototype.trim``."""
    return text.strip(_JS_WHITESPACE)


def utf16_length(text: str) -> int:
    """``text.length``: UTF-16 code units, so an emoji counts 2."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def to_well_formed(text: str) -> str:
    """``String.prototype.toWellFormed``: lone surrogates → U+FFFD (as URL and UTF-8 encoders do)."""
    if text.isascii() or not SURROGATES.search(text):
        return text
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


def _surrogate_escape(match: re.Match[str]) -> str:
    pair = match.group()
    if len(pair) == 2:  # a split pair is still a valid pair in UTF-16
        return pair.encode("utf-16-le", "surrogatepass").decode("utf-16-le")
    return f"\\u{ord(pair):04x}"


def quote(text: str) -> str:
    """A JSON string literal exactly as ``JSON.stringify`` writes it."""
    encoded = encode_string(text)
    if not text.isascii() and SURROGATES.search(text):
        encoded = SURROGATES.sub(_surrogate_escape, encoded)
    return encoded
