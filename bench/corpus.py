"""A deterministic corpus of realistic RudderStack messages for benchmarks.

Mixed track/page/identify (about 70/20/10), products arrays of 1–20 items
(mostly small, about 1 KB per message),
custom properties, an event mapping, enhanced match and a deduplication key:
the kind of traffic a support engineer pastes from a customer's export.
"""

from __future__ import annotations

import random
from typing import Any

from app.pintrk.jsvalue import normalize, stringify

SETTINGS: dict[str, Any] = {
    "tagId": "2612345678901",
    "enhancedMatch": True,
    "customProperties": [
        {"properties": "campaign.source"},
        {"properties": "list_id"},
        {"properties": "products.0.sku"},
    ],
    "eventsMapping": [
        {"from": "Signed Up", "to": "SignUp"},
        {"from": "Newsletter Subscribed", "to": "Lead"},
        {"from": "Video Played", "to": "WatchVideo"},
    ],
    "sendAsCustomEvent": False,
    "deduplicationKey": "properties.order_id",
}
INITIAL_TRAITS: dict[str, Any] = {"email": "returning@example.com", "firstName": "Ret"}

_EVENTS = [
    "Order Completed",
    "Product Added",
    "Products Searched",
    "Product List Viewed",
    "Product Viewed",
    "Signed Up",
    "Newsletter Subscribed",
    "Video Played",
    "Cart Viewed",
]


def _product(rng: random.Random, i: int) -> dict[str, Any]:
    return {
        "product_id": f"P-{rng.randint(100, 999)}",
        "sku": f"SKU-{rng.randint(1000, 9999)}",
        "name": rng.choice(["Trail Runner", "Running Socks", "Water Bottle", "Rain Jacket"]),
        "price": round(rng.uniform(3, 250), 2),
        "quantity": rng.randint(1, 4),
        "category": rng.choice(["Shoes", "Apparel", "Accessories"]),
        "variant": rng.choice(["Blue / 42", "Red / M", "Black"]),
        "brand": "Acme",
        "position": i + 1,
    }


def _cart_size(rng: random.Random) -> int:
    return min(20, 1 + int(rng.expovariate(1 / 1.2)))


def message(rng: random.Random, n: int) -> dict[str, Any]:
    kind = rng.choices(["track", "page", "identify"], weights=[7, 2, 1])[0]
    traits = {"email": f"user{n % 97}@example.com", "firstName": "Sam"}
    body: dict[str, Any]
    if kind == "track":
        event = rng.choice(_EVENTS)
        props: dict[str, Any] = {
            "order_id": f"ord-{n}",
            "revenue": round(rng.uniform(5, 500), 2),
            "currency": "USD",
            "coupon": "SPRING10",
            "campaign": {"source": "pinterest", "medium": "paid"},
            "list_id": f"list-{n % 13}",
            # 1–20 items, most carts small (as in real shops): about 1 KB per message
            "products": [_product(rng, i) for i in range(_cart_size(rng))],
        }
        if event == "Products Searched":
            props["query"] = "trail shoes"
        body = {"type": "track", "event": event, "properties": props}
    elif kind == "page":
        body = {
            "type": "page",
            "name": "Product Detail",
            "category": rng.choice(["Shoes", ""]),
            "properties": {
                "name": "Product Detail",
                "path": "/p/1",
                "url": "https://www.example.com/p/1",
                "title": "Trail Runner",
                "referrer": "$direct",
                "campaign": {"source": "pinterest"},
            },
        }
    else:
        body = {"type": "identify"}
    return {
        **body,
        "messageId": f"msg-{n}",
        "anonymousId": "anon-1",
        "userId": f"user-{n % 97}",
        "channel": "web",
        "context": {
            "traits": traits,
            "library": {"name": "RudderLabs JavaScript SDK", "version": "3.0.0"},
            "locale": "en-US",
            "page": {
                "path": "/p/1",
                "referrer": "$direct",
                "search": "",
                "title": "Trail Runner",
                "url": "https://www.example.com/p/1",
            },
        },
        "originalTimestamp": "2024-05-01T10:00:01.000Z",
        "integrations": {"All": True},
    }


def corpus(count: int, seed: int = 7) -> list[dict[str, Any]]:
    """``count`` messages, normalised as if JSON.parse had read what the SDK sent."""
    rng = random.Random(seed)
    return [normalize(message(rng, n)) for n in range(count)]


def corpus_json(count: int, seed: int = 7) -> list[str]:
    """The same messages as the SDK's ``JSON.stringify`` writes them."""
    return [stringify(m) or "{}" for m in corpus(count, seed)]
