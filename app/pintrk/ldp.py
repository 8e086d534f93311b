"""sdk-v3's additions: ``event_id`` for deduplication and the limited-data-processing ``set()``.

Switched on by the profile's ``event_id_and_ldp`` (and ``traits_from_message``, for where
the traits are read from).
"""

from __future__ import annotations

import hashlib
from typing import Any

from .jsvalue import UNDEFINED, JSTypeError, get_property, truthy
from .messages import trait
from .paths import lookup_path
from .settings import Settings

__all__ = ["LDP_KEYS", "NO_LDP", "SDK_V3_BEACON_KEYS", "event_id", "ldp_keys"]

NO_LDP = {"opt_out_type": "", "st": "", "country": ""}  # in the order the SDK sends them; copy before use
LDP_KEYS = frozenset(NO_LDP)
# What the switch adds to a beacon, by part: event_id to the event data (track, page) and, through
# identify's set(), to the partner data, which the LDP set() gives its keys too.
SDK_V3_BEACON_KEYS = {"ed": frozenset({"event_id"}), "pd": frozenset({"event_id", *LDP_KEYS})}
# CryptoJS.SHA256 of a value that is neither a string nor a WordArray hashes a
# malformed block; the SDK sends that digest for a numeric state, say.
_NON_STRING_DIGEST = "4ea5c508a6566e76240543f8feb06fd457777be39549c4016436afda65d2330e"


def event_id(message: dict[str, Any], settings: Settings) -> tuple[Any, str]:
    """The deduplication key's value in the message, else its messageId; and where it came
    from (the key's path, or ``"messageId"``), for the deduplication check to explain."""
    key = settings.deduplication_key
    if key:
        value = lookup_path(message, key)
        if value is not None and value is not UNDEFINED:
            return value, key
    return get_property(message, "messageId"), "messageId"


def ldp_keys(traits: Any, properties: Any) -> dict[str, Any]:
    """The limited-data-processing ``set`` sent before every track and page."""
    opt_out_type = _first_truthy(trait(traits, "optOutType"), trait(properties, "optOutType"))
    if not truthy(opt_out_type):
        return dict(NO_LDP)
    address = trait(traits, "address")
    state = _first_truthy(
        trait(traits, "state"), trait(traits, "State"), trait(address, "state"), trait(address, "State")
    )
    country = _first_truthy(
        trait(traits, "country"),
        trait(traits, "Country"),
        trait(address, "country"),
        trait(address, "Country"),
    )
    return {"opt_out_type": opt_out_type, "st": _sha256(state), "country": _sha256(country)}


def _first_truthy(*values: Any) -> Any:
    for value in values:
        if truthy(value):
            return value
    return ""


def _sha256(value: Any) -> str:
    if not isinstance(value, str):
        return _NON_STRING_DIGEST
    try:
        return hashlib.sha256(value.encode("utf-8")).hexdigest()
    except UnicodeEncodeError:  # a lone surrogate: CryptoJS's UTF-8 step throws
        raise JSTypeError("URI malformed", kind="URIError") from None
