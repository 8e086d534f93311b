"""The three behaviour profiles, as data: event tables plus a few switches.

``docs`` is what RudderStack's documentation describes, ``sdk-v1`` what the
JavaScript SDK v1.1 device mode does, ``sdk-v3`` what the current SDK does.
The mapper reads these switches; it has no per-profile branches of its own.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

__all__ = ["Profile", "PROFILES", "DEFAULT_PROFILE", "get_profile", "SUPPORTED_PROPERTIES"]

# Top-level properties copied into the event data as they are (all profiles).
SUPPORTED_PROPERTIES = frozenset(
    {
        "value",
        "order_quantity",
        "currency",
        "order_id",
        "promo_code",
        "property",
        "video_title",
        "lead_type",
        "coupon",
        "product_name",
        "product_id",
        "product_category",
        "product_variant",
        "product_variant_id",
        "product_price",
        "product_quantity",
        "product_brand",
    }
)

_SDK_STANDARD_EVENTS = MappingProxyType(
    {
        "order completed": "Checkout",
        "product added": "AddToCart",
        "products searched": "Search",
        "product list filtered": "Search",
    }
)


@dataclass(frozen=True)
class Profile:
    name: str
    label: str
    summary: str  # one line for people choosing a profile
    # lower-cased RudderStack event → Pinterest event
    standard_events: Mapping[str, str]
    # docs: page calls also carry the configured custom properties
    page_custom_properties: bool
    # sdk-v3: every user mapping that matches (trimmed ``from``, exact case) fires,
    # before the standard table; otherwise the standard table wins and the
    # first case-insensitive user mapping is used.
    all_user_mappings_first: bool
    # sdk-v3: unmapped events go out as "Custom" when sendAsCustomEvent is on
    honours_send_as_custom_event: bool
    # sdk-v3: line_items on every track (products, else the properties as one item)
    line_items_always: bool
    # sdk-v3: event_id on track/page/identify and a limited-data-processing set() before track/page
    event_id_and_ldp: bool
    # sdk-v3: identify and the LDP set() read the message's context.traits, not the SDK's stored traits
    traits_from_message: bool

    def standard_event(self, event: str) -> str | None:
        """The Pinterest event this profile's standard table gives ``event`` (any case), if any."""
        return self.standard_events.get(event.lower())


PROFILES: Mapping[str, Profile] = MappingProxyType(
    {
        "docs": Profile(
            name="docs",
            label="Documented behaviour",
            summary="What RudderStack's Pinterest Tag documentation describes (page calls carry custom properties).",
            standard_events=MappingProxyType(
                {
                    "order completed": "Checkout",
                    "product added": "AddToCart",
                    "products searched": "Search",
                    "product list viewed": "Search",
                }
            ),
            page_custom_properties=True,
            all_user_mappings_first=False,
            honours_send_as_custom_event=False,
            line_items_always=False,
            event_id_and_ldp=False,
            traits_from_message=False,
        ),
        "sdk-v1": Profile(
            name="sdk-v1",
            label="JavaScript SDK v1.1",
            summary="The device mode of RudderStack's JavaScript SDK v1.1, as it really runs.",
            standard_events=_SDK_STANDARD_EVENTS,
            page_custom_properties=False,
            all_user_mappings_first=False,
            honours_send_as_custom_event=False,
            line_items_always=False,
            event_id_and_ldp=False,
            traits_from_message=False,
        ),
        "sdk-v3": Profile(
            name="sdk-v3",
            label="JavaScript SDK v3 (current)",
            summary="The current SDK: adds event_id for deduplication, a limited-data-processing set() and 'Custom' events.",
            standard_events=_SDK_STANDARD_EVENTS,
            page_custom_properties=False,
            all_user_mappings_first=True,
            honours_send_as_custom_event=True,
            line_items_always=True,
            event_id_and_ldp=True,
            traits_from_message=True,
        ),
    }
)

DEFAULT_PROFILE = "docs"


def get_profile(name: str | None) -> Profile:
    """The profile called ``name`` (default ``docs``); a clear error otherwise."""
    if name is None or name == "":
        return PROFILES[DEFAULT_PROFILE]
    try:
        return PROFILES[name]
    except KeyError:
        known = ", ".join(PROFILES)
        raise ValueError(f"Unknown profile {name!r}: choose one of {known}") from None
