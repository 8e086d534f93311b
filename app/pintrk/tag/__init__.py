"""Pinterest's tag as recorded: pintrk calls → requests (``/user/``, ``/v3/``) and console messages.

Nothing here performs a request; the playground only shows what would go out.
"""

from __future__ import annotations

from typing import Any

from ..jsvalue import to_js_string, truthy
from .console import TAG_STANDARD_EVENTS, TagMessage
from .identifiers import IDENTIFIER_KEYS, contains_email, hash_identifier, hash_identifiers, is_digest
from .request import (
    BEACON_ENDPOINT,
    MAX_GET_URL,
    SIMULATED_PARAMS,
    TAG_BUILD,
    USER_ENDPOINT,
    AutomaticData,
    Request,
    encoded_length,
    percent_encode,
)
from .runtime import COMMANDS, TagRun, Withheld, command_name, simulate

__all__ = [
    "AutomaticData",
    "BEACON_ENDPOINT",
    "COMMANDS",
    "IDENTIFIER_KEYS",
    "MAX_GET_URL",
    "Request",
    "SIMULATED_PARAMS",
    "TAG_STANDARD_EVENTS",
    "TAG_BUILD",
    "TagMessage",
    "TagRun",
    "USER_ENDPOINT",
    "Withheld",
    "command_name",
    "contains_email",
    "encoded_length",
    "hash_identifier",
    "hash_identifiers",
    "is_digest",
    "noscript_pixel_url",
    "percent_encode",
    "simulate",
]


def noscript_pixel_url(tag_id: Any, email: Any = None) -> str:
    """The ``<img>`` fallback for browsers without JavaScript."""
    parts = [f"event=init&tid={percent_encode(to_js_string(tag_id))}"]
    if truthy(email):
        parts.append(f"pd[em]={hash_identifier(email)}")
    parts.append("noscript=1")
    return f"{BEACON_ENDPOINT}?{'&'.join(parts)}"
