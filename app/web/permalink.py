"""Permalink tokens: a JSON object → zlib → base64url (no padding), behind a version prefix.

A token is read back with hard limits on its length and on the decompressed size, so a
hand-made token can neither exhaust memory (a zlib bomb) nor crash the page.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import re
import zlib
from typing import Any

from app.pintrk import MAX_LINK_BYTES, MAX_LINK_CHARS, max_bracket_depth

from . import limits

__all__ = ["PermalinkError", "encode", "pack", "decode", "MAX_TOKEN_LENGTH", "MAX_DECOMPRESSED"]

VERSION = "1"
MAX_TOKEN_LENGTH = MAX_LINK_CHARS
MAX_DECOMPRESSED = MAX_LINK_BYTES
# Levels of {…}/[…] in a link's settings (the token's own object adds one).
MAX_NESTING = limits.MAX_NESTING
_BASE64URL = re.compile(r"[A-Za-z0-9_-]*")


class PermalinkError(ValueError):
    """A link that can't be opened; ``str()`` says why, in plain words."""


def encode(data: dict[str, Any]) -> str:
    # ensure_ascii keeps lone surrogates (which browsers may send) encodable.
    text = json.dumps(data, separators=(",", ":"), ensure_ascii=True, allow_nan=False)
    return pack(text.encode("ascii"))


def pack(raw: bytes) -> str:
    """A token for these bytes: the version, then zlib and base64url without padding.

    :func:`encode` packs JSON; tests and the load test pack bytes that are not (damaged links).
    """
    packed = base64.urlsafe_b64encode(zlib.compress(raw, 9))
    return ".".join((VERSION, packed.rstrip(b"=").decode("ascii")))  # "1.<base64url, unpadded>"


def decode(token: str) -> dict[str, Any]:
    """The object a token holds; raises PermalinkError saying, in plain words, why it can't be read."""
    return _scenario_object(_unpacked(_compressed(token)))


def _compressed(token: str) -> bytes:
    """The token's zlib bytes, once its length, version and alphabet are checked."""
    if len(token) > MAX_TOKEN_LENGTH:
        raise PermalinkError(
            f"This link is too long ({len(token):,} characters; links can be at most "
            f"{MAX_TOKEN_LENGTH:,}). It was probably damaged when it was copied."
        )
    version, dot, body = token.partition(".")
    if not dot or not version:
        raise PermalinkError("This link is incomplete: the part after “?s=” is not a playground link.")
    if version != VERSION:
        raise PermalinkError(
            f"This link was made by a different version of the playground (version {version[:10]!r}), "
            "which this one can't read."
        )
    if not body or not _BASE64URL.fullmatch(body) or len(body) % 4 == 1:
        raise PermalinkError(
            "This link is damaged: it contains characters a playground link never has, or it was cut short."
        )
    try:
        compressed = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    except (binascii.Error, ValueError):
        raise PermalinkError("This link is damaged and can't be read.") from None
    return compressed


def _unpacked(compressed: bytes) -> str:
    """The token's text, never more than MAX_DECOMPRESSED bytes of it (a zlib bomb stops there)."""
    inflater = zlib.decompressobj()
    try:
        raw = inflater.decompress(compressed, MAX_DECOMPRESSED)
    except zlib.error:
        raise PermalinkError(
            "This link is damaged: it was probably changed or cut short when it was copied."
        ) from None
    if inflater.unconsumed_tail:
        raise PermalinkError(
            f"This link holds more than {MAX_DECOMPRESSED // (1024 * 1024)} MB of scenario, "
            "more than the playground accepts."
        )
    if not inflater.eof:
        raise PermalinkError("This link was cut short: part of it is missing. Copy the whole link again.")
    if inflater.unused_data:
        raise PermalinkError("This link is damaged: it has extra characters at the end.")
    try:
        text = raw.decode("ascii")
    except UnicodeDecodeError:
        raise PermalinkError("This link is damaged: its content can't be read.") from None
    return text


def _scenario_object(text: str) -> dict[str, Any]:
    depth = max_bracket_depth(text)  # one linear pass: a hand-made link can't make it slow
    if depth > MAX_NESTING + 1:
        raise PermalinkError(
            f"This link's settings are nested {depth - 1:,} levels deep; the playground accepts at most "
            f"{MAX_NESTING} levels of {{…}} and […]."
        )
    try:
        data = json.loads(text, parse_int=_finite_int, parse_float=_finite_float, parse_constant=_not_json)
    except _NotJSONNumber as exc:
        # encode() never writes these: the link was made or changed by hand.
        raise PermalinkError(
            f"This link holds a number JSON can't hold ({exc}): JavaScript would read it as Infinity. "
            "It was probably made or changed by hand; make the link again from the playground."
        ) from None
    except (ValueError, RecursionError):
        raise PermalinkError("This link is damaged: its content can't be read.") from None
    if not isinstance(data, dict):
        raise PermalinkError("This link is damaged: its content is not a playground scenario.")
    return data


class _NotJSONNumber(ValueError):
    """NaN, Infinity, or a number too large for a double (``str()`` is how the link spells it)."""


def _finite_float(literal: str) -> float:
    value = float(literal)
    if math.isinf(value):
        raise _NotJSONNumber(literal[:24])
    return value


def _finite_int(literal: str) -> int:
    if len(literal) > 300:  # past any double (and int()'s digit limit)
        _finite_float(literal)
    return int(literal)


def _not_json(name: str) -> float:
    raise _NotJSONNumber(name)
