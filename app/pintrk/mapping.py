"""RudderStack messages + settings + profile → ``pintrk(...)`` commands.

This follows the integration step by step, including the order in which it
reads things (that decides which TypeError a malformed message raises) and the
order in which it writes keys (that decides ``JSON.stringify`` output).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from .jsvalue import (
    _FALSY,
    UNDEFINED,
    JSTypeError,
    _order_keys,
    get_property,
    is_array_index,
    js_keys,
    js_trim,
    quote,
    set_property,
    stringify,
    to_js_string,
    to_property_key,
    truthy,
)
from .memo import cached_property
from .profiles import SUPPORTED_PROPERTIES, Profile
from .settings import EventMapping, Settings

__all__ = [
    "Command",
    "MappingError",
    "Entry",
    "init_commands",
    "map_message",
    "destination_events",
    "flatten",
    "flattened_value",
    "lookup_path",
    "LDP_KEYS",
    "HANDLED_TYPES",
]


@dataclass(frozen=True)
class Command:
    """One ``window.pintrk(method, *args)`` call."""

    method: str  # load | page | set | track (any value when a scenario gives pintrk calls directly)
    args: tuple[Any, ...]
    message_index: int | None  # which message produced it; None for initialisation

    @property
    def event(self) -> str | None:
        """The Pinterest event name of a ``track`` command."""
        if self.method == "track" and self.args and isinstance(self.args[0], str):
            return self.args[0]
        return None

    @property
    def data(self) -> Any:
        """The object argument (event data, set keys or load options), if any."""
        for arg in self.args:
            if isinstance(arg, dict):
                return arg
        return None

    @property
    def is_ldp_set(self) -> bool:
        """sdk-v3's limited-data-processing ``set({opt_out_type, st, country})``."""
        data = self.data
        return self.method == "set" and isinstance(data, dict) and data.keys() == LDP_KEYS

    @cached_property
    def args_json(self) -> tuple[str, ...]:
        """Each argument as ``JSON.stringify`` writes it inside the call's array."""
        return tuple(stringify(arg) or "null" for arg in self.args)

    def to_json(self) -> str:
        """``JSON.stringify([method, ...args])``, the vectors' ``calls_json`` entry."""
        method = quote(self.method) if isinstance(self.method, str) else stringify(self.method) or "null"
        return "[" + ",".join((method, *self.args_json)) + "]"

    def to_list(self) -> list[Any]:
        return [self.method, *self.args]


@dataclass(frozen=True)
class MappingError:
    """A message the integration throws on; ``error`` is the engine's wording."""

    error: str
    message_index: int

    def to_json(self) -> str:
        return stringify({"error": self.error}) or "null"


Entry = Command | MappingError
Emit = Callable[..., None]


# -- initialisation ----------------------------------------------------------


def init_commands(settings: Settings, stored_traits: Any) -> list[Command]:
    """``load`` (with ``{em}`` under enhanced match) then ``page``."""
    tag_id = "" if settings.tag_id is None else settings.tag_id  # recorded: a missing/null tagId loads ""
    email = _trait(stored_traits, "email")
    if settings.enhanced_match and truthy(email):
        load = Command("load", (tag_id, {"em": email}), None)
    else:
        load = Command("load", (tag_id,), None)
    return [load, Command("page", (), None)]


# -- one message -----------------------------------------------------------------


def map_message(
    message: Any, index: int, settings: Settings, profile: Profile, stored_traits: Any
) -> list[Entry]:
    """The commands for one message; a throw becomes a :class:`MappingError` entry."""
    entries: list[Entry] = []

    def emit(method: str, *args: Any) -> None:
        entries.append(Command(method, args, index))

    kind = message.get("type") if isinstance(message, dict) else None
    handler = _HANDLERS.get(kind) if isinstance(kind, str) else None
    if handler is None:
        return entries  # the SDK only hands track/page/identify to the integration
    try:
        handler(message, settings, profile, stored_traits, emit)
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
    if profile.event_id_and_ldp:
        data["event_id"] = _event_id(message, settings)
        ldp = _ldp(_message_traits(message) if profile.traits_from_message else traits, properties)
    for target in targets:
        if profile.event_id_and_ldp:
            emit("set", dict(ldp))
        emit("track", target, data)


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
    if profile.event_id_and_ldp:
        data["event_id"] = _event_id(message, settings)
        if profile.traits_from_message:
            traits = _message_traits(message)
        emit("set", _ldp(traits, get_property(message, "properties")))
    emit("track", "ViewCategory" if truthy(category) else "PageVisit", data)


def _identify(message: dict[str, Any], settings: Settings, profile: Profile, traits: Any, emit: Emit) -> None:
    if profile.traits_from_message:
        traits = _message_traits(message)
    email = _trait(traits, "email")
    if not truthy(email):
        return
    data: dict[str, Any] = {"em": email}
    if profile.event_id_and_ldp:
        # Recorded behaviour: identify's set() always carries the LDP keys empty.
        data.update(_NO_LDP)
        data["event_id"] = _event_id(message, settings)
    emit("set", data)


_HANDLERS = {"track": _track, "page": _page, "identify": _identify}
HANDLED_TYPES = tuple(_HANDLERS)  # the message types the integration acts on


# -- event names ---------------------------------------------------------------


def destination_events(event: Any, settings: Settings, profile: Profile) -> list[Any]:
    """The Pinterest event name(s) a RudderStack event goes out as."""
    if profile.all_user_mappings_first:
        table = _events_by_source(settings.events_mapping)
        # an empty table is never consulted, so "toString" is looked up only beside real rows
        targets = get_property(table, to_property_key(event)) if table else UNDEFINED
        if truthy(targets):
            if not isinstance(targets, list):  # a prototype member: "toString", "__proto__"…
                raise JSTypeError("destEventArray.forEach is not a function")
            return list(targets)  # a copy: the table is shared
        if not isinstance(event, str):
            raise JSTypeError("event.toLowerCase is not a function")
        standard = profile.standard_events.get(event.lower())
        if standard:
            return [standard]
        return ["Custom" if settings.send_as_custom_event else event]
    if not isinstance(event, str):
        raise JSTypeError("event.toLowerCase is not a function")
    lowered = event.lower()
    standard = profile.standard_events.get(lowered)
    if standard:
        return [standard]
    for mapping in settings.events_mapping:
        if mapping.source is None:
            read = "null" if mapping.source_is_null else "undefined"
            raise JSTypeError(f"Cannot read properties of {read} (reading 'toLowerCase')")
        if mapping.source.lower() == lowered:
            return [mapping.target if truthy(mapping.target) else event]
    return [event]


@lru_cache(maxsize=64)
def _events_by_source(mappings: tuple[EventMapping, ...]) -> dict[str, list[Any]]:
    """sdk-v3's table: trimmed ``from`` → the distinct ``to`` values, in order.

    Built as a plain JS object, so a ``from`` that names an ``Object.prototype``
    member finds a function there instead of an array, and every track throws.
    Callers must not change the result (it is shared).
    """
    table: dict[str, list[Any]] = {}
    for mapping in mappings:
        if not truthy(mapping.source):
            continue
        key = js_trim(str(mapping.source))  # truthy, so a non-empty string
        target = UNDEFINED if mapping.target is None else mapping.target
        targets = get_property(table, key)
        if not truthy(targets):
            set_property(table, key, [target])
        elif not isinstance(targets, list):
            raise JSTypeError("val.includes is not a function")
        elif target not in targets:
            targets.append(target)
    return table


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
        # truthy(), inlined: this loop runs for every field of every product
        if value not in _FALSY and not (value.__class__ is float and value != value):
            item[target] = value
    if truthy(product_id):
        item["product_id"] = product_id
    return item


def _add_custom_properties(data: dict[str, Any], properties: dict[str, Any], settings: Settings) -> None:
    reorder = False
    for path in settings.custom_properties:
        if path is None:
            continue
        value = flattened_value(properties, path)
        if value is not None and value is not UNDEFINED:
            set_property(data, path, to_js_string(value))
            reorder = reorder or is_array_index(path)
    if reorder:  # keep the invariant that our objects are in JS key order
        _order_keys(data)


def flatten(value: Any) -> dict[str, Any]:
    """Nested objects and arrays → dotted paths; empty ones (below the top) stay as leaves."""
    flat: dict[str, Any] = {}
    stack: list[tuple[str | None, Any]] = [(None, value)]  # None: the root, which has no key
    while stack:
        prefix, node = stack.pop()
        if isinstance(node, dict) and node:
            children: Iterable[tuple[str, Any]] = ((k, node[k]) for k in js_keys(node))
        elif isinstance(node, list) and node:
            children = ((str(i), item) for i, item in enumerate(node))
        else:
            # assigning "__proto__" would change the prototype, not add a key
            if prefix is not None and prefix != "__proto__":
                flat[prefix] = node
            continue
        # reversed so the stack pops children in order and the key order matches JS
        stack.extend(reversed([(k if prefix is None else f"{prefix}.{k}", child) for k, child in children]))
    return flat


def flattened_value(properties: Any, path: str) -> Any:
    """``flatten(properties)[path]`` without flattening everything.

    Walks ``path`` segment by segment.  Only where a literal dotted key (say
    ``"a.b"``) competes with a nested one does it follow every candidate, in
    :func:`flatten`'s order, so the later one wins exactly as there.  A miss
    falls back to ``Object.prototype`` (``"toString"`` finds a function).
    """
    if path == "__proto__":
        return get_property({}, path)
    plan = _path_plan(path)
    node, used = properties, 0
    while used < len(plan):
        if isinstance(node, dict) and node:
            matches = [(key, end) for key, end in plan[used] if key in node]
            if len(matches) != 1:
                if matches:  # competing keys: let the general walk decide
                    return _flattened_value_walk(properties, plan, path)
                break
            key, used = matches[0]
            node = node[key]
        elif isinstance(node, list) and node:
            key = plan[used][0][0]  # array keys never contain a dot
            if not (is_array_index(key) and int(key) < len(node)):
                break
            node, used = node[int(key)], used + 1
        else:
            break
    else:
        if used and not (isinstance(node, (dict, list)) and node):
            return node  # a leaf whose key is exactly `path`
    return get_property({}, path)


@lru_cache(maxsize=1024)
def _path_plan(path: str) -> tuple[tuple[tuple[str, int], ...], ...]:
    """For each segment index, the keys that could spell the path from there.

    ``"a.b.c"`` → from 0: ``a``, ``a.b``, ``a.b.c``; from 1: ``b``, ``b.c``; …
    Worked out once per configured path, not once per message.
    """
    parts = path.split(".")
    return tuple(
        tuple((".".join(parts[start:end]), end) for end in range(start + 1, len(parts) + 1))
        for start in range(len(parts))
    )


def _flattened_value_walk(properties: Any, plan: tuple[tuple[tuple[str, int], ...], ...], path: str) -> Any:
    """The general case of :func:`flattened_value`: every candidate, in order."""
    found: Any = UNDEFINED
    stack: list[tuple[Any, int]] = [(properties, 0)]  # (node, path segments consumed)
    while stack:
        node, used = stack.pop()
        is_container = isinstance(node, (dict, list)) and bool(node)
        if not is_container or used == len(plan):
            if used == len(plan) and used and not is_container:
                found = node  # a leaf whose key is exactly `path`
            continue
        if isinstance(node, list):
            key = plan[used][0][0]
            if is_array_index(key) and int(key) < len(node):
                stack.append((node[int(key)], used + 1))
            continue
        matches = [(key, end) for key, end in plan[used] if key in node]
        if len(matches) > 1:
            order = {k: i for i, k in enumerate(js_keys(node))}
            matches.sort(key=lambda match: order[match[0]])
        stack.extend((node[k], end) for k, end in reversed(matches))
    return found if found is not UNDEFINED else get_property({}, path)


# -- sdk-v3 extras ---------------------------------------------------------------


def lookup_path(root: Any, path: str) -> Any:
    """A dotted path into a message; a literal dotted key (``"order.id"``) also matches.

    A segment no own key spells is read as JS reads it, so ``"constructor"``
    finds ``Object`` and ``"__proto__"`` finds ``Object.prototype``; a null or
    undefined on the way gives undefined.
    """
    plan = _path_plan(path)
    node, used = root, 0
    while used < len(plan):
        if node is None or node is UNDEFINED:
            return UNDEFINED
        if isinstance(node, dict):
            for key, end in reversed(plan[used]):  # the longest literal key first
                if key in node:
                    node, used = node[key], end
                    break
            else:
                node, used = get_property(node, plan[used][0][0]), used + 1
        elif isinstance(node, list):
            node, used = get_property(node, plan[used][0][0]), used + 1
        else:
            return UNDEFINED  # recorded: the path does not go into strings ("abc".0)
    return node


def _event_id(message: dict[str, Any], settings: Settings) -> Any:
    key = settings.deduplication_key
    if key:
        value = lookup_path(message, key)
        if value is not None and value is not UNDEFINED:
            return value
    return get_property(message, "messageId")


_NO_LDP = {"opt_out_type": "", "st": "", "country": ""}  # in the order the SDK sends them
LDP_KEYS = frozenset(_NO_LDP)
# CryptoJS.SHA256 of a value that is neither a string nor a WordArray hashes a
# malformed block; the SDK sends that digest for a numeric state, say.
_NON_STRING_DIGEST = "4ea5c508a6566e76240543f8feb06fd457777be39549c4016436afda65d2330e"


def _message_traits(message: dict[str, Any]) -> Any:
    """``message.context.traits`` (sdk-v3 reads the message, not the SDK's stored traits)."""
    return get_property(get_property(message, "context"), "traits")  # no context: a TypeError


def _ldp(traits: Any, properties: Any) -> dict[str, Any]:
    """The limited-data-processing ``set`` sent before every track and page."""
    opt_out_type = _first_truthy(_trait(traits, "optOutType"), _trait(properties, "optOutType"))
    if not truthy(opt_out_type):
        return dict(_NO_LDP)
    address = _trait(traits, "address")
    state = _first_truthy(
        _trait(traits, "state"), _trait(traits, "State"), _trait(address, "state"), _trait(address, "State")
    )
    country = _first_truthy(
        _trait(traits, "country"),
        _trait(traits, "Country"),
        _trait(address, "country"),
        _trait(address, "Country"),
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


def _trait(traits: Any, key: str) -> Any:
    return traits.get(key, UNDEFINED) if isinstance(traits, dict) else UNDEFINED
