"""Ready-made scenarios: the documentation's examples and a few common journeys.

Pure data. ``settings`` is a RudderStack destination config (the JSON shape a
customer would paste); ``profile`` None means "keep whatever profile is chosen".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

__all__ = ["Preset", "PRESETS", "get_preset", "TAG_ID"]

TAG_ID = "2612345678901"


@dataclass(frozen=True)
class Preset:
    id: str
    title: str
    description: str
    settings: Mapping[str, Any]
    profile: str | None
    calls: str
    initial_traits: Mapping[str, Any] = field(default_factory=dict)


def _config(
    *,
    enhanced_match: bool = False,
    mappings: tuple[tuple[str, str], ...] = (),
    custom_properties: tuple[str, ...] = (),
    send_as_custom_event: bool = False,
    deduplication_key: str | None = None,
) -> Mapping[str, Any]:
    config: dict[str, Any] = {
        "tagId": TAG_ID,
        "enhancedMatch": enhanced_match,
        "customProperties": [{"properties": path} for path in custom_properties],
        "eventsMapping": [{"from": source, "to": target} for source, target in mappings],
        "sendAsCustomEvent": send_as_custom_event,
    }
    if deduplication_key is not None:
        config["deduplicationKey"] = deduplication_key
    return MappingProxyType(config)


PRESETS: tuple[Preset, ...] = (
    Preset(
        id="identify-then-track",
        title="Identify then track",
        description="An identify with an e-mail sets em (no request); the next event carries it, hashed.",
        settings=_config(),
        profile=None,
        calls=(
            'rudderanalytics.identify("sample_user_id", {name: "Test name", email: "test@emai.com"});\n'
            'rudderanalytics.track("Order Completed", {order_id: "T1230", revenue: 16.98, currency: "USD", order_quantity: 1});\n'
        ),
    ),
    Preset(
        id="track-me",
        title="Docs: a track call",
        description="The documentation's simplest track: an event Pinterest doesn't know goes out under its own name.",
        settings=_config(),
        profile=None,
        calls='rudderanalytics.track("Track me");\n',
    ),
    Preset(
        id="docs-order-completed",
        title="Docs: Order Completed",
        description="The documentation's sample track: Order Completed becomes Checkout; value wins over revenue.",
        settings=_config(),
        profile=None,
        calls=(
            'rudderanalytics.track("Order Completed", {\n'
            '  checkout_id: "C324532",\n'
            '  order_id: "T1230",\n'
            "  value: 15.98,\n"
            "  revenue: 16.98,\n"
            '  currency: "INR"\n'
            "});\n"
        ),
    ),
    Preset(
        id="custom-event",
        title="Docs: a custom event",
        description="An event that isn't mapped goes out as a user-defined event, under its own name.",
        settings=_config(),
        profile=None,
        calls='rudderanalytics.track("custom");\n',
    ),
    Preset(
        id="custom-properties",
        title="Docs: custom properties",
        description="Two configured custom properties, one nested: each is looked up by its dotted path and sent as text.",
        settings=_config(custom_properties=("customProperty.customValue", "someRandomMailId")),
        profile=None,
        calls=(
            "rudderanalytics.track('Event', {customProperty: { customValue: 2 }, "
            "someRandomMailId: 'user@gmail.com'});\n"
        ),
    ),
    Preset(
        id="page-view-category",
        title="Docs: page with a category → ViewCategory",
        description="A page call with a category becomes ViewCategory {name, category}; the docs profile adds custom properties.",
        settings=_config(custom_properties=("testDimension",)),
        profile="docs",
        calls=(
            'rudderanalytics.page("I am new page", "new page category", {path: "path", url: "url", '
            'title: "title", search: "search", referrer: "referrer", testDimension: "true"});\n'
        ),
    ),
    Preset(
        id="page-visit",
        title="Docs: page without a category → PageVisit",
        description="A page call with only a name becomes PageVisit {name}.",
        settings=_config(),
        profile=None,
        calls='rudderanalytics.page("I am new page with no name", {path: "path"});\n',
    ),
    Preset(
        id="ecommerce-funnel",
        title="E-commerce funnel",
        description="Page, search, add to cart and purchase: the standard events Search, AddToCart and Checkout with line items.",
        settings=_config(),
        profile=None,
        calls=(
            'rudderanalytics.page("Shoes", {path: "/shop/shoes"});\n'
            'rudderanalytics.track("Products Searched", {query: "running shoes"});\n'
            'rudderanalytics.track("Product Added", {product_id: "P-123", sku: "SKU-123", name: "Trail runner", '
            'price: 89.5, quantity: 1, category: "Shoes", brand: "Acme", variant: "blue"});\n'
            'rudderanalytics.track("Order Completed", {\n'
            '  order_id: "T1230",\n'
            "  value: 179,\n"
            '  currency: "USD",\n'
            "  order_quantity: 2,\n"
            "  products: [\n"
            '    {product_id: "P-123", name: "Trail runner", price: 89.5, quantity: 2, category: "Shoes"}\n'
            "  ]\n"
            "});\n"
        ),
    ),
    Preset(
        id="anonymous-then-identified",
        title="Anonymous visitor, identified mid-session",
        description="Events before the identify go out without em; after it, every beacon carries the hashed e-mail.",
        settings=_config(),
        profile=None,
        calls=(
            'rudderanalytics.page("Pricing");\n'
            'rudderanalytics.track("Product Added", {product_id: "PLAN-PRO", price: 29, quantity: 1});\n'
            'rudderanalytics.identify("user-42", {email: "Jane.Doe@Example.com", plan: "pro"});\n'
            'rudderanalytics.track("Order Completed", {revenue: 29, currency: "EUR", order_quantity: 1});\n'
        ),
    ),
    Preset(
        id="returning-visitor",
        title="Returning visitor with enhanced match",
        description="The visitor's e-mail is already stored, and enhanced match sends it with load(): even the first beacon has em.",
        settings=_config(enhanced_match=True),
        profile=None,
        calls='rudderanalytics.track("Product Added", {product_id: "P-9", price: 12, quantity: 3});\n',
        initial_traits=MappingProxyType({"email": "jane@example.com", "name": "Jane"}),
    ),
    Preset(
        id="lead",
        title="Lead form",
        description="A site-specific event mapped to Pinterest's Lead under “Map your events”, with lead_type.",
        settings=_config(mappings=(("Newsletter Signed Up", "Lead"),)),
        profile=None,
        calls='rudderanalytics.track("Newsletter Signed Up", {lead_type: "newsletter", source: "footer"});\n',
    ),
    Preset(
        id="video",
        title="Video watched",
        description="A video event mapped to WatchVideo; video_title is one of the properties Pinterest receives.",
        settings=_config(mappings=(("Video Playback Completed", "WatchVideo"),)),
        profile=None,
        calls='rudderanalytics.track("Video Playback Completed", {video_title: "How to lace trail shoes", total_length: 95});\n',
    ),
    Preset(
        id="hybrid-count-twice",
        title="Browser and server (hybrid): will it count twice?",
        description=(
            "The same events from the Pinterest tag and from RudderStack's servers: with SDK v1.1 the "
            "browser's events carry no event_id, so Pinterest counts them twice. Choose SDK v3 to see "
            "them deduplicated."
        ),
        settings=MappingProxyType(
            {
                **_config(),
                "connectionMode": {"web": "hybrid"},
                "advertiserId": "549764492980",
                "sendingUnHashedData": True,
            }
        ),
        profile="sdk-v1",
        calls=(
            'rudderanalytics.identify("u-42", {email: "jane.doe@example.com"});\n'
            'rudderanalytics.page("Shop", "Running shoes");\n'
            'rudderanalytics.track("Product Added", {product_id: "P-100", name: "Trail Runner", price: 89.99, quantity: 1});\n'
            'rudderanalytics.track("Order Completed", {order_id: "ord-5001", revenue: 89.99, currency: "USD"});\n'
        ),
    ),
    Preset(
        id="sdk-v3-deduplication",
        title="SDK v3: deduplication and Custom events",
        description="The current SDK adds event_id (here from properties.order_id) and sends unmapped events as Custom.",
        settings=_config(send_as_custom_event=True, deduplication_key="properties.order_id"),
        profile="sdk-v3",
        calls=(
            'rudderanalytics.track("Order Completed", {order_id: "T1230", value: 42, currency: "USD", order_quantity: 1});\n'
            'rudderanalytics.track("Wishlist Shared");\n'
        ),
    ),
)

_BY_ID = {preset.id: preset for preset in PRESETS}


def get_preset(preset_id: str) -> Preset | None:
    return _BY_ID.get(preset_id)
