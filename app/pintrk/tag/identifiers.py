"""How Pinterest's tag normalises and hashes what identifies a person.

Recorded from the tag itself (``conformance/tag-runtime.json``): every
identifier is ``String(value).trim().toLowerCase()`` and then SHA-256 hex;
inner spaces are kept.  Values that already are hex digests pass through.
"""

from __future__ import annotations

import hashlib
from typing import Any

from ..jsvalue import js_trim, to_js_string, to_well_formed, truthy

__all__ = [
    "IDENTIFIER_KEYS",
    "AEM_KEYS",
    "hash_identifier",
    "hash_identifiers",
    "is_digest",
    "merge_external_ids",
    "contains_email",
]

# Keys of partner data (set(), load options, page/track options) that the tag hashes.
IDENTIFIER_KEYS = frozenset({"em", "ph", "fn", "ln", "ge", "db", "ct", "st", "zp", "country", "external_id"})
# Their "automatic enhanced match" twins: hashed the same way, and dropped from
# partner data once the tag's configuration has arrived.
AEM_KEYS = frozenset({"aem", *(f"aem_{key}" for key in IDENTIFIER_KEYS - {"em"})})

_HEX = frozenset("0123456789abcdef")


def is_digest(text: str) -> bool:
    """An MD5, SHA-1 or SHA-256 hex digest (lower case): sites often hash e-mails themselves."""
    return len(text) in (32, 40, 64) and all(c in _HEX for c in text)


def hash_identifier(value: Any) -> Any:
    """One value as the tag sends it: falsy values (``""``, ``null``) as they are, else hashed.

    ``String(value)``, so ``true`` hashes ``"true"`` and ``{}`` hashes ``"[object object]"``;
    a nested array is joined with commas first.
    """
    if not truthy(value):
        return value
    # JS trim() strips more than Python's strip() (NBSP, BOM, U+2028 …); see js_trim.
    text = js_trim(to_js_string(value)).lower()
    if is_digest(text):
        return text
    # Lone surrogates become U+FFFD, as the browser's UTF-8 encoder does.
    return hashlib.sha256(to_well_formed(text).encode("utf-8")).hexdigest()


def hash_identifiers(value: Any) -> Any:
    """An identifier value: an array is hashed element by element (one level deep)."""
    if isinstance(value, list):
        return [hash_identifier(item) for item in value]
    return hash_identifier(value)


def _split_external_ids(text: str) -> list[str]:
    """``"[\\"a\\", 'b', c,,]"`` → ``["a", "b", "c"]``: the tag reads a list written as text."""
    text = js_trim(text)
    if text.startswith("[") and text.endswith("]"):
        text = text[1:-1]
    parts = (js_trim(part).strip("\"'") for part in text.split(","))
    return [part for part in parts if part]


def merge_external_ids(old: Any, new: Any) -> Any:
    """``external_id`` as the tag stores it: text becomes a list of hashes, merged with the
    list already stored (new ones first, no repeats); other kinds replace what was there."""
    if isinstance(new, str):
        hashed: Any = [hash_identifier(part) for part in _split_external_ids(new)]
    else:
        hashed = hash_identifiers(new)
    if not isinstance(old, list):
        return hashed
    fresh = hashed if isinstance(hashed, list) else [hashed]
    return fresh + [item for item in old if item not in fresh]


# The tag's e-mail pattern, as recorded: a local part of these characters, "@", a
# lower-case domain and a dot followed by at least two lower-case letters, anywhere
# in the text ("mailto:jane@example.com" counts, "jane@Example.com" does not).
_LOCAL = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._%+-")
_DOMAIN = frozenset("abcdefghijklmnopqrstuvwxyz0123456789.-")
_LOWER = frozenset("abcdefghijklmnopqrstuvwxyz")


def contains_email(text: str) -> bool:
    """Does ``text`` contain an e-mail address by the tag's pattern?  One pass, linear time."""
    at = text.find("@")
    while at != -1:
        end = at + 1
        while end < len(text) and text[end] in _DOMAIN:
            end += 1
        if at > 0 and text[at - 1] in _LOCAL:
            # a dot with at least one domain character before it and two letters after
            for dot in range(at + 2, end - 2):
                if text[dot] == "." and text[dot + 1] in _LOWER and text[dot + 2] in _LOWER:
                    return True
        at = text.find("@", end)
    return False
