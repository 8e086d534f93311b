"""``custom_data`` (track events only): the order and its products.

``value`` is the first of ``properties.value`` / ``total`` / ``revenue`` that is defined, and it
and ``order_id`` are sent as texts (a list or an object as its JSON text).  With a ``products``
list, each product is a ``contents`` entry and ``num_items`` sums their quantities; without one,
the properties themselves are the one entry (quantity 1 unless given).
"""

from __future__ import annotations

import math
from typing import Any

from ..jsvalue import UNDEFINED, stringify, to_number, truthy
from .reading import first_present, is_present, read

__all__ = ["custom_data", "as_text", "as_number"]

# custom_data key ← the property it is read from (sent when defined).
_COPIED = (
    ("currency", "currency"),
    ("search_string", "query"),
    ("opt_out_type", "optOutType"),
    ("content_name", "contentName"),
    ("content_category", "contentCategory"),
    ("content_brand", "contentBrand"),
    ("np", "np"),
)
# A contents entry's key ← the product's property (sent when present).
_ITEM_FIELDS = (("item_name", "name"), ("item_category", "category"), ("item_brand", "brand"))
_ID_PATHS = ("product_id", "sku", "id")


def as_text(value: Any) -> str:
    """A text as it is; anything else as its JSON text (``27.5`` → ``"27.5"``, ``[1]`` → ``"[1]"``)."""
    return value if isinstance(value, str) else stringify(value) or ""


def as_number(value: Any) -> int | float | None:
    """``Number(value)`` as JSON sends it: NaN and the infinities become null."""
    number = to_number(value)
    return number if math.isfinite(number) else None


def custom_data(message: dict[str, Any]) -> dict[str, Any]:
    """The ``custom_data`` object: the product fields, then the order's fields over them."""
    properties = read(message, "properties")
    products = read(properties, "products")
    fields = (
        _products_fields(products, properties) if truthy(products) else _single_product_fields(properties)
    )
    fields.update(_order_fields(properties))
    return fields


def _order_fields(properties: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    for key, name in _COPIED[:1]:
        _set_defined(fields, key, read(properties, name))
    value = next(
        (v for v in (read(properties, k) for k in ("value", "total", "revenue")) if v is not UNDEFINED),
        UNDEFINED,
    )
    if value is not UNDEFINED:
        fields["value"] = as_text(value)
    count = read(properties, "numOfItems")
    if count is not UNDEFINED:  # `numOfItems && Number(numOfItems)`: a falsy count is sent as it is
        fields["num_items"] = as_number(count) if truthy(count) else count
    order_id = read(properties, "order_id")
    if order_id is not UNDEFINED:
        fields["order_id"] = as_text(order_id)
    for key, name in _COPIED[1:]:
        _set_defined(fields, key, read(properties, name))
    return fields


def _set_defined(fields: dict[str, Any], key: str, value: Any) -> None:
    if value is not UNDEFINED:
        fields[key] = value


def _products_fields(products: Any, properties: Any) -> dict[str, Any]:
    items = products if isinstance(products, list) else [products]
    quantities = [read(item, "quantity") for item in items]
    total = sum((as_number(q) or 0) if q is not UNDEFINED else 0 for q in quantities)
    if any(q is not UNDEFINED and as_number(q) is None for q in quantities):
        total = 0  # a NaN in the sum: `sum || 0`
    ids = [first_present(item, _ID_PATHS) for item in items]
    contents = []
    for item in items:
        quantity = first_present(item, ("quantity",))
        if not is_present(quantity):
            quantity = first_present(properties, ("quantity",))
        contents.append(
            _item(
                item,
                as_number(quantity if is_present(quantity) else 1),
                first_present(item, ("price",)),
                properties,
            )
        )
    return {
        "num_items": total,
        "content_ids": [as_text(i) for i in ids if is_present(i)],
        "contents": contents,
    }


def _single_product_fields(properties: Any) -> dict[str, Any]:
    quantity = as_number(read(properties, "quantity"))
    product_id = first_present(properties, _ID_PATHS)
    fields: dict[str, Any] = {"num_items": quantity or 0}
    if is_present(product_id):
        fields["content_ids"] = [as_text(product_id)]
    fields["contents"] = [_item(properties, quantity or 1, read(properties, "price"), None)]
    return fields


def _item(source: Any, quantity: int | float | None, price: Any, properties: Any) -> dict[str, Any]:
    """One ``contents`` entry; a product without a price takes the properties' price."""
    if not is_present(price) and properties is not None:
        price = first_present(properties, ("price",))
    item: dict[str, Any] = {"quantity": quantity}
    if is_present(price):
        item["item_price"] = as_text(price)
    for key, name in _ITEM_FIELDS:
        value = read(source, name)
        if is_present(value):
            item[key] = as_text(value)
    product_id = first_present(source, _ID_PATHS)
    if is_present(product_id):
        item["id"] = as_text(product_id)
    return item
