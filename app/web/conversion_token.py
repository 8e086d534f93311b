"""The conversion token, never in clear: what the web layer echoes, links or exports is masked.

Pinterest's conversion token is the password of an advertiser's Conversions API. The core masks
it as soon as it reads a config (``mask_token``), but the web layer also holds what was *typed*:
the pasted config's text, the cloud destination's text, a hidden field, a link's settings. Every
form value and every state is masked here on the way in, so the page, its links (and so the
server's access log), the exports and the reproductions only ever hold ``<token>``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from app.pintrk import MASKED_TOKEN, JSONInputError, indent_json, load_json, mask_config, stringify

from .limits import MAX_NESTING

__all__ = ["masked_text", "masked_values"]

# "conversionToken": "…" in JSON text, the value a whole JSON string (escapes included), or what is
# typed of it so far (unfinished: up to the end). Each character matches one way: linear in the text.
_TOKEN_IN_TEXT = re.compile(r'("conversionToken"\s*:\s*")((?:[^"\\]|\\.)+)("|\Z)')


def masked_text(text: str, *, read: bool = True) -> str:
    """``text`` with every non-empty ``"conversionToken"`` value in it replaced by ``<token>``; the
    rest exactly as typed (unfinished JSON too). ``read``: also read it as JSON when it has
    ``\\u`` escapes (a key written ``"conversion\\u0054oken"`` is only found by reading)."""
    masked = text
    if "conversionToken" in text:
        masked = _TOKEN_IN_TEXT.sub(lambda found: found.group(1) + MASKED_TOKEN + found.group(3), text)
    if read and "\\u" in masked:
        return _masked_by_reading(masked)
    return masked


def _masked_by_reading(text: str) -> str:
    """The JSON re-written with its tokens masked when reading finds one the text pass missed."""
    try:
        value = load_json(text, max_depth=MAX_NESTING)
    except JSONInputError:
        return text  # not JSON: the core can't read a token from it either
    masked = mask_config(value)
    return text if masked is value else indent_json(stringify(masked) or "null")


# The form's fields that hold a destination config (as JSON text), and the pasted reproduction
# (which holds two; often large, so only its text is searched).
_CONFIG_FIELDS = ("settings_json", "cloud_settings", "extra_settings")


def masked_values(values: Mapping[str, Any]) -> dict[str, Any]:
    """The form's values with the token masked wherever a config is typed."""
    masked = dict(values)
    for name in _CONFIG_FIELDS:
        if isinstance(values.get(name), str):
            masked[name] = masked_text(values[name])
    if isinstance(values.get("reproduction_text"), str):
        masked["reproduction_text"] = masked_text(values["reproduction_text"], read=False)
    token = masked.get("conversion_token")
    if isinstance(token, str) and token:
        masked["conversion_token"] = MASKED_TOKEN
    return masked
