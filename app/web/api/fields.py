"""A body's fields checked against the request schemas (schema.py), each refusal in the API's words.

The schema says what a field must be; this module says what the API answers when it isn't
(status, code, message, location), keyed by the field and the schema keyword that failed.  A field
is checked where the endpoint reads it, so the first problem reported is the one met first.

Fields whose content the core reads (settings, initialTraits, messages, pintrk, har, payload)
are checked here for their own type and size only: the core refuses bad content with a located,
more precise message.  The few constraints the core checks itself are named in LEFT_TO_THE_CORE.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from jsonschema import Draft4Validator, ValidationError
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from app.pintrk import PROFILES, item_path

from .errors import fail
from .schema import LIMITS, REQUEST_SCHEMAS

__all__ = ["LEFT_TO_THE_CORE", "REFUSALS", "allowed_fields", "check_field", "check_item", "check_keys"]

_ROOT = "urn:pintrk-api"
_REGISTRY: Registry[Any] = Registry().with_resource(
    _ROOT, Resource.from_contents({"components": {"schemas": REQUEST_SCHEMAS}}, default_specification=DRAFT4)
)
# What the core reads: only the field's own type and size are checked here.
_CONTENT_OF_THE_CORE = frozenset(
    {"settings", "cloudSettings", "initialTraits", "messages", "pintrk", "har", "payload", "cases", "batch"}
)


@dataclass(frozen=True)
class Refusal:
    status: int
    code: str
    message: Callable[[Any], str]  # of the offending value


def _says(text: str) -> Callable[[Any], str]:
    return lambda _value: text


_PROFILE = {
    ("profile", "type"): Refusal(400, "invalid-field", _says("profile must be text: docs, sdk-v1 or sdk-v3")),
    ("profile", "enum"): Refusal(
        422, "unknown-profile", lambda name: f"unknown profile {name!r}: choose one of {', '.join(PROFILES)}"
    ),
}
_NON_EMPTY = _says("profiles must be a non-empty list of profile names")
_PROFILES = {
    ("profiles", "type"): Refusal(400, "invalid-field", _NON_EMPTY),
    ("profiles", "minItems"): Refusal(400, "invalid-field", _NON_EMPTY),
    ("profiles[]", "type"): Refusal(400, "invalid-field", _says("each profile must be text")),
    ("profiles[]", "enum"): Refusal(
        422, "unknown-profile", lambda name: f"unknown profile {name!r}: choose from {', '.join(PROFILES)}"
    ),
    ("profiles[]", "uniqueItems"): Refusal(
        422, "duplicate-profile", lambda name: f"profile {name!r} is listed twice"
    ),
}
# The core (load_scenario) checks the scenario's fields in its own words; the API refuses settings,
# initial traits and pintrk calls given as text, which the core would read as JSON (a form's way).
_SCENARIO = {
    ("settings", "type"): Refusal(
        400, "invalid-field", _says('settings must be an object: the destination config ({"tagId": …})')
    ),
    ("initialTraits", "type"): Refusal(
        400, "invalid-field", _says("initialTraits must be an object ({ … }) of user traits")
    ),
    ("pintrk", "type"): Refusal(
        422,
        "invalid-pintrk",
        _says('pintrk must be a list of calls, e.g. [["load", "2612345678901"], ["page"]]'),
    ),
}

# /replay also answers the server path: a separate cloud-mode destination's config, read as settings are.
_CLOUD_SETTINGS = {
    ("cloudSettings", "type"): Refusal(
        400,
        "invalid-field",
        _says('cloudSettings must be an object: the cloud-mode destination\'s config ({"advertiserId": …})'),
    ),
}


def _beacon_urls(source: str) -> dict[tuple[str, str], Refusal]:
    return {
        (source, "type"): Refusal(
            400, "invalid-field", _says(f"{source} must be a list of beacon URLs (text)")
        ),
        (source, "maxItems"): Refusal(
            413,
            "too-many-beacons",
            lambda urls: (
                f"{len(urls):,} URLs is more than the API decodes at once ({LIMITS['max_beacons']:,})"
            ),
        ),
        (f"{source}[]", "type"): Refusal(400, "invalid-field", _says("each URL must be text")),
    }


_DECODE = {
    **_beacon_urls("urls"),
    ("text", "type"): Refusal(
        400, "invalid-field", _says("text must be text: beacon URLs separated by spaces or new lines")
    ),
    ("har", "type"): Refusal(
        400, "invalid-field", _says('har must be the HAR file\'s JSON object ({"log": {…}})')
    ),
}
# Request schema → (field, keyword) → what the API answers.  "field[]" is an item of the field.
REFUSALS: dict[str, dict[tuple[str, str], Refusal]] = {
    "ScenarioRequest": {**_PROFILE, **_SCENARIO, **_CLOUD_SETTINGS},
    "DecodeRequest": {**_DECODE, **_PROFILE, **_SCENARIO},
    "CompareRequest": {**_PROFILES, **_SCENARIO},
    "ImportRequest": {
        ("text", "type"): Refusal(400, "invalid-field", _says("text must be the pasted JSON, as text"))
    },
    "Reproduction": _beacon_urls("sentBeacons"),  # the rest of a reproduction is the core's to read
    "CloudRequest": {
        ("cases", "type"): Refusal(
            400, "invalid-field", _says('cases must be a list of {"id", "destination_config", "message"}')
        ),
        ("batch", "type"): Refusal(
            400, "invalid-field", _says('batch must be a list of {"id", "events": [ … ]}')
        ),
    },
}
# Constraints the core checks (load_scenario, the cloud case readers), in the same words: calls and
# messages (type, size), pintrk calls (count), cloud cases (count, shape); an id that is not text is ignored.
LEFT_TO_THE_CORE = frozenset(
    {
        ("calls", "type"),
        ("calls", "maxLength"),
        ("messages", "type"),
        ("messages", "maxItems"),
        ("pintrk", "maxItems"),
        ("id", "type"),
        # cloud cases: their count and each case's shape (read_cloud_cases, read_router_cases)
        ("cases", "maxItems"),
        ("cases[]", "type"),
        ("batch[]", "type"),
    }
)


def allowed_fields(schema: str) -> tuple[str, ...]:
    return tuple(REQUEST_SCHEMAS[schema]["properties"])


def check_keys(body: Mapping[str, Any], schema: str) -> None:
    """Refuse the first key the schema doesn't name (400 unknown-field)."""
    names = allowed_fields(schema)
    for key in body:
        if key not in names:
            fail(400, "unknown-field", f"unknown field {key!r}; this endpoint takes {', '.join(names)}", key)


def check_field(
    body: Mapping[str, Any], schema: str, field: str, *, items: bool = True, required: bool = False
) -> None:
    """Refuse ``body[field]`` if its schema in ``schema`` does not hold (null means absent: fine,
    unless ``required``, when it is of the wrong type).

    The field itself first (type, size), then (unless ``items`` is false: the caller checks
    each with :func:`check_item` as it reads it) its items in order, stopping at the first that
    fails: a list of a million wrong items costs one look, and the first is named.
    """
    value = body.get(field)
    if value is None:
        if required:
            _refuse(schema, field, "type", value, field)
        return
    _refuse_first(schema, field, _field_validator(schema, field).iter_errors(value), value, field)
    if not items or field in _CONTENT_OF_THE_CORE or not isinstance(value, list):
        return
    for index in range(len(value)):
        check_item(value, schema, field, index)


def check_item(items: list[Any], schema: str, field: str, index: int) -> None:
    """Refuse ``items[index]``, the item of list ``field``, if its schema does not hold."""
    declared = _resolve(REQUEST_SCHEMAS[schema]["properties"][field])
    if "items" not in declared:
        return
    item, location = items[index], item_path(field, index)
    _refuse_first(schema, f"{field}[]", _item_validator(schema, field).iter_errors(item), item, location)
    if declared.get("uniqueItems") and item in items[:index]:
        _refuse(schema, f"{field}[]", "uniqueItems", item, location)


_KEYWORD_ORDER = ("type", "minItems", "maxItems", "maxLength", "enum")


def _refuse_first(
    schema: str, name: str, errors: Iterable[ValidationError], value: Any, location: str
) -> None:
    """Refuse with the first error a reader would meet: the value's type before its size or value."""
    keywords = {str(error.validator) for error in errors}
    for keyword in sorted(keywords, key=lambda k: _KEYWORD_ORDER.index(k) if k in _KEYWORD_ORDER else 99):
        if (name, keyword) not in LEFT_TO_THE_CORE:
            _refuse(schema, name, keyword, value, location)


def _refuse(schema: str, name: str, keyword: str, value: Any, location: str) -> None:
    refusal = REFUSALS[schema][(name, keyword)]  # a constraint with no refusal is a bug here: a 500
    fail(refusal.status, refusal.code, refusal.message(value), location)


@cache
def _field_validator(schema: str, field: str) -> Draft4Validator:
    return Draft4Validator(_shallow(_resolve(REQUEST_SCHEMAS[schema]["properties"][field])))


@cache
def _item_validator(schema: str, field: str) -> Draft4Validator:
    pointer = f"/components/schemas/{schema}/properties/{field}/items"
    return Draft4Validator({"$ref": f"{_ROOT}#{pointer}"}, registry=_REGISTRY)


def _resolve(schema: Mapping[str, Any]) -> Mapping[str, Any]:
    while "$ref" in schema:
        schema = REQUEST_SCHEMAS[schema["$ref"].rsplit("/", 1)[1]]
    return schema


def _shallow(schema: Mapping[str, Any]) -> dict[str, Any]:
    """The schema of the field itself, without its items or properties (checked one by one, or by the core)."""
    return {
        k: v
        for k, v in schema.items()
        if k not in ("properties", "items", "additionalProperties", "uniqueItems")
    }
