"""RudderStack messages + settings + profile → ``pintrk(...)`` commands, each with its rule.

This follows the integration step by step, including the order in which it
reads things (that decides which TypeError a malformed message raises) and the
order in which it writes keys (that decides ``JSON.stringify`` output).  Which
event names a track goes out as is :mod:`.event_names`; sdk-v3's event_id and
limited-data-processing set are :mod:`.ldp`; custom property paths :mod:`.paths`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from .commands import Command, Entry, MappingError, Rule
from .event_names import RowWithoutFrom, destination_events
from .jsvalue import (
    UNDEFINED,
    JSTypeError,
    get_property,
    is_array_index,
    order_keys,
    set_property,
    to_js_string,
    truthy,
)
from .ldp import LDP_KEYS, NO_LDP, event_id, ldp_keys
from .messages import message_traits, trait
from .paths import find_flattened_value
from .profiles import SUPPORTED_PROPERTIES, Profile
from .settings import Settings

__all__ = [
    "Command",
    "MappingError",
    "Entry",
    "init_commands",
    "map_message",
    "LDP_KEYS",
    "HANDLED_TYPES",
]

Emit = Callable[..., None]
_INIT_LOAD, _INIT_LOAD_EM, _INIT_PAGE = Rule("init-load"), Rule("init-load-em"), Rule("init-page")
_PAGE, _IDENTIFY_SET, _LDP = Rule("page"), Rule("identify-set"), Rule("ldp")


# -- initialisation ----------------------------------------------------------


def init_commands(settings: Settings, stored_traits: Any) -> list[Command]:
    """``load`` (with ``{em}`` under enhanced match) then ``page``."""
    tag_id = "" if settings.tag_id is None else settings.tag_id  # recorded: a missing/null tagId loads ""
    email = trait(stored_traits, "email")
    if settings.enhanced_match and truthy(email):
        load = Command("load", (tag_id, {"em": email}), None, _INIT_LOAD_EM)
    else:
        load = Command("load", (tag_id,), None, _INIT_LOAD)
    return [load, Command("page", (), None, _INIT_PAGE)]


# -- one message -----------------------------------------------------------------


def map_message(
    message: Any, index: int, settings: Settings, profile: Profile, stored_traits: Any
) -> list[Entry]:
    """The commands for one message; a throw becomes a :class:`MappingError` entry."""
    entries: list[Entry] = []

    def emit(method: str, rule: Rule, *args: Any) -> None:
        entries.append(Command(method, args, index, rule))

    kind = message.get("type") if isinstance(message, dict) else None
    handler = _HANDLERS.get(kind) if isinstance(kind, str) else None
    if handler is None:
        return entries  # the SDK only hands track/page/identify to the integration
    try:
        handler(message, settings, profile, stored_traits, emit)
    except RowWithoutFrom as exc:
        entries.append(MappingError(str(exc), index, "mapping-no-from", exc.row))
    except JSTypeError as exc:
        entries.append(MappingError(str(exc), index))
    return entries


def _track(message: dict[str, Any], settings: Settings, profile: Profile, traits: Any, emit: Emit) -> None:
    event = get_property(message, "event")
    if not truthy(event):
        return
    targets = destination_events(event, settings, profile)
    properties = get_property(message, "properties")
    lowered = event.lower() if isinstance(event, str) else None  # sdk-v3 maps some non-string names
    data = _event_data(properties, lowered, settings, profile)
    id_from = None
    if profile.event_id_and_ldp:
        data["event_id"], id_from = event_id(message, settings)
        ldp = ldp_keys(message_traits(message) if profile.traits_from_message else traits, properties)
    for target, rule in targets:
        if profile.event_id_and_ldp:
            emit("set", _LDP, dict(ldp))
        emit("track", replace(rule, event_id_from=id_from), target, data)


def _page(message: dict[str, Any], settings: Settings, profile: Profile, traits: Any, emit: Emit) -> None:
    name = get_property(message, "name")
    category = get_property(message, "category")
    data: dict[str, Any] = {"name": name if truthy(name) else ""}
    if truthy(category):
        data["category"] = category
    if profile.page_custom_properties:
        properties = get_property(message, "properties")
        if isinstance(properties, dict):
            _add_custom_properties(data, properties, settings)
    rule = _PAGE
    if profile.event_id_and_ldp:
        data["event_id"], id_from = event_id(message, settings)
        rule = replace(_PAGE, event_id_from=id_from)
        if profile.traits_from_message:
            traits = message_traits(message)
        emit("set", _LDP, ldp_keys(traits, get_property(message, "properties")))
    emit("track", rule, "ViewCategory" if truthy(category) else "PageVisit", data)


def _identify(message: dict[str, Any], settings: Settings, profile: Profile, traits: Any, emit: Emit) -> None:
    if profile.traits_from_message:
        traits = message_traits(message)
    email = trait(traits, "email")
    if not truthy(email):
        return
    data: dict[str, Any] = {"em": email}
    if profile.event_id_and_ldp:
        # Recorded behaviour: identify's set() always carries the LDP keys empty.
        data.update(NO_LDP)
        data["event_id"], id_from = event_id(message, settings)
        emit("set", replace(_IDENTIFY_SET, event_id_from=id_from), data)
        return
    emit("set", _IDENTIFY_SET, data)


_HANDLERS = {"track": _track, "page": _page, "identify": _identify}
HANDLED_TYPES = tuple(_HANDLERS)  # the message types the integration acts on


# -- event data ----------------------------------------------------------------

# product field → line item key, in the order the integration writes them
_LINE_ITEM_FIELDS = (
    ("brand", "product_brand"),
    ("quantity", "product_quantity"),
    ("variant", "product_variant"),
    ("category", "product_category"),
    ("price", "product_price"),
    ("name", "product_name"),
)


def _event_data(properties: Any, event: str | None, settings: Settings, profile: Profile) -> dict[str, Any]:
    revenue = get_property(properties, "revenue")  # null properties throw here
    data: dict[str, Any] = {}
    if truthy(revenue):
        data["value"] = revenue  # a "value" property below overwrites it in place
    if isinstance(properties, dict):
        # No supported key is integer-like, so insertion order is JS order here.
        for key in properties:
            if key in SUPPORTED_PROPERTIES:
                data[key] = properties[key]
    query = get_property(properties, "query")
    if query is not UNDEFINED and query is not None:  # `query != null`
        data["search_query"] = query
    products = get_property(properties, "products")
    if truthy(products):
        if not isinstance(products, list):
            raise JSTypeError("products.forEach is not a function")
        data["line_items"] = [_line_item(product) for product in products]
    elif profile.line_items_always or event == "product added":
        data["line_items"] = [_line_item(properties)]
    if isinstance(properties, dict):
        _add_custom_properties(data, properties, settings)
    return data


def _line_item(product: Any) -> dict[str, Any]:
    # dict.get is exact here: no field name is an Object.prototype member.
    get = product.get if isinstance(product, dict) else lambda key: get_property(product, key)
    product_id = get("product_id")  # a null product throws here
    if not truthy(product_id):
        product_id = get("sku")
    item: dict[str, Any] = {}
    for source, target in _LINE_ITEM_FIELDS:
        value = get(source)
        if truthy(value):
            item[target] = value
    if truthy(product_id):
        item["product_id"] = product_id
    return item


def _add_custom_properties(data: dict[str, Any], properties: dict[str, Any], settings: Settings) -> None:
    reorder = False
    for path in settings.custom_properties:
        if path is None:
            continue
        value = find_flattened_value(properties, path)
        if value is not None and value is not UNDEFINED:
            set_property(data, path, to_js_string(value))
            reorder = reorder or is_array_index(path)
    if reorder:  # keep the invariant that our objects are in JS key order
        order_keys(data)
