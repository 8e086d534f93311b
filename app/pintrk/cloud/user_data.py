"""``user_data``: who the event is about, normalised and hashed, or passed through as hashed.

With "Send unhashed data" on, RudderStack normalises each value (e-mail, names, city, state,
country, gender: trimmed and lower-cased; phone: digits without leading zeros; zip: digits) and
sends SHA-256 digests, one per value, in a list.  With it off, the values are taken as hashed
already: each goes in a list unchanged, and ``ge`` is the raw traits gender.  The client's IP
address, user agent, click ID and partner ID are plain texts either way.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

from ..jsvalue import UNDEFINED, js_trim, stringify, to_js_string, truthy
from ..settings import Settings
from .reading import first_present, is_present, js_lower, read
from .request import CloudError

__all__ = ["user_data", "normalise_gender", "hash_value", "has_required_user_fields", "USER_PATHS"]

# Where each field is read, in order (RudderStack's generic field paths).
USER_PATHS: dict[str, tuple[str, ...]] = {
    "em": ("traits.email", "context.traits.email", "properties.email", "context.externalId.0.id"),
    "ph": ("traits.phone", "context.traits.phone", "properties.phone"),
    "db": (
        "traits.birthday",
        "context.traits.birthday",
        "traits.dateOfBirth",
        "context.traits.dateOfBirth",
        "traits.dateofbirth",
        "context.dateofbirth",
        "traits.dob",
        "context.traits.dob",
        "traits.DOB",
        "context.traits.DOB",
    ),
    "ln": (
        "traits.lastName",
        "traits.lastname",
        "traits.last_name",
        "context.traits.lastName",
        "context.traits.lastname",
        "context.traits.last_name",
    ),
    "fn": (
        "traits.firstName",
        "traits.firstname",
        "traits.first_name",
        "context.traits.firstName",
        "context.traits.firstname",
        "context.traits.first_name",
    ),
    "ct": ("traits.address.city", "context.traits.address.city"),
    "st": ("traits.address.state", "context.traits.address.state"),
    "zp": ("traits.address.zip", "context.traits.address.zip"),
    "country": ("traits.address.country", "context.traits.address.country"),
    "hashed_maids": ("context.device.advertisingId",),
    "client_ip_address": ("context.ip", "request_ip"),
    "client_user_agent": ("context.userAgent",),
    "external_id": (
        "userId",
        "traits.userId",
        "traits.id",
        "context.traits.userId",
        "context.traits.id",
        "anonymousId",
    ),
    "click_id": ("properties.clickId",),
    "partner_id": ("traits.partnerId", "context.traits.partnerId"),
}
_GENDER_PATHS = ("traits.gender", "context.traits.gender")

_GENDERS = (
    (("f", "F", "Female", "female", "FEMALE"), "f"),
    (("m", "M", "Male", "male", "MALE"), "m"),
    (("n", "N", "non-binary", "non binary", "Non-Binary", "Non Binary"), "n"),
)
# Sent as plain texts, never hashed nor put in a list.
_PLAIN = ("client_ip_address", "client_user_agent", "click_id", "partner_id")
_LOWERED = ("em", "ct", "st", "country", "ln", "fn", "ge")
_AS_GIVEN = ("hashed_maids", "external_id", "db")
_NOT_DIGIT = re.compile(r"[^0-9]")
_LEADING_ZEROS = re.compile(r"^0+")


def normalise_gender(gender: Any) -> Any:
    """f/F/Female/female/FEMALE → ``f``, the male forms → ``m``, n/non-binary forms → ``n``;
    anything else (and a falsy value) unchanged."""
    if not truthy(gender):
        return gender
    for spellings, letter in _GENDERS:
        if isinstance(gender, str) and gender in spellings:
            return letter
    return gender


def _kept(value: Any) -> bool:
    """RudderStack's "defined, not null, not empty" (lodash's isEmpty: a number or a boolean
    counts as empty; a text, list or object when it has nothing)."""
    if value is None or value is UNDEFINED or isinstance(value, (bool, int, float)):
        return False
    return len(value) > 0 if isinstance(value, (str, list, dict)) else True


def user_data(message: dict[str, Any], settings: Settings) -> dict[str, Any]:
    """The ``user_data`` object for ``message``."""
    gender = first_present(message, _GENDER_PATHS)
    fields: dict[str, Any] = {}
    for key, paths in USER_PATHS.items():
        fields[key] = first_present(message, paths)
        if key == "ph":  # the workflow's order: gender right after the phone
            fields["ge"] = normalise_gender(gender)
    if not settings.send_external_id:
        del fields["external_id"]
    click_id = fields["click_id"]
    if is_present(click_id) and not isinstance(click_id, str):
        fields["click_id"] = stringify(click_id)
    kept = {key: value for key, value in fields.items() if _kept(value)}
    if settings.sending_unhashed_data:
        return {key: hash_value(key, value) for key, value in kept.items()}
    return _as_hashed(kept, message)


def hash_value(key: str, value: Any) -> Any:
    """One field, normalised and hashed (a list of digests), or a plain text for the plain fields."""
    if key in _PLAIN:
        return value if isinstance(value, str) else to_js_string(value)
    values = value if isinstance(value, list) else [value]
    return [_sha256(_normalised(key, item)) for item in values]


def _normalised(key: str, value: Any) -> str:
    if value is None or value is UNDEFINED:  # the workflow calls a method on it: a TypeError
        reading = "constructor" if key in _AS_GIVEN else "toString"
        raise CloudError(
            f"Cannot read properties of {to_js_string(value)} (reading '{reading}')", "userFields", 500
        )
    text = to_js_string(value)
    if key in _LOWERED:
        return js_lower(js_trim(text))
    if key == "ph":
        return _LEADING_ZEROS.sub("", _NOT_DIGIT.sub("", text))
    if key == "zp":
        return _NOT_DIGIT.sub("", text)
    return text


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _as_hashed(fields: dict[str, Any], message: dict[str, Any]) -> dict[str, Any]:
    """Values taken as hashed already: in a list (a list copied), ``ge`` the raw traits gender."""
    out = {
        key: value if key in _PLAIN else list(value) if isinstance(value, list) else [value]
        for key, value in fields.items()
    }
    gender = read(message, "traits.gender")
    if not truthy(gender):
        gender = read(message, "context.traits.gender")
    if truthy(gender):
        out["ge"] = list(gender) if isinstance(gender, list) else [gender]
    return out


def has_required_user_fields(fields: dict[str, Any]) -> bool:
    """At least an e-mail, a mobile advertising ID, or both the IP address and the user agent."""
    return (
        truthy(fields.get("em"))
        or truthy(fields.get("hashed_maids"))
        or (truthy(fields.get("client_ip_address")) and truthy(fields.get("client_user_agent")))
    )
