"""The fields every Conversions API event carries: when, where from, which event ID, which app.

``event_id`` is read from the path the deduplicationKey setting names, else ``messageId``: the
same ID the browser's tag must send for Pinterest to count the two as one.
"""

from __future__ import annotations

from typing import Any

from ..jsvalue import UNDEFINED, truthy
from ..settings import Settings
from .reading import first_present, is_present, read, read_key_path
from .request import CloudError
from .timestamps import to_seconds

__all__ = ["ACTION_SOURCES", "ACTION_SOURCE_PATHS", "common_fields", "event_id", "validate_common_fields"]

# What Pinterest accepts as action_source, and where the workflow looks for it, in order.
ACTION_SOURCES = ("app_android", "app_ios", "web", "offline")
ACTION_SOURCE_PATHS = (
    "traits.action_source",
    "context.traits.action_source",
    "traits.actionSource",
    "context.traits.actionSource",
    "properties.action_source",
    "properties.actionSource",
    "channel",
)
# Fields read as they are (undefined ones left out), in the workflow's order.
_READ = (
    ("app_name", ("properties.appName", "context.app.name")),
    ("app_version", ("properties.appVersion", "context.app.version")),
    ("device_brand", ("properties.manufacturer", "context.device.manufacturer")),
    ("device_model", ("properties.deviceModel", "context.device.model")),
    ("device_type", ("properties.deviceType", "context.device.type")),
)


def event_id(message: dict[str, Any], settings: Settings) -> tuple[Any, str]:
    """The event ID and where it came from (the deduplicationKey path, or ``"messageId"``)."""
    key = settings.deduplication_key or ""
    value = read_key_path(message, key)
    if is_present(value):
        return value, key
    return message.get("messageId", UNDEFINED), "messageId"


def common_fields(message: dict[str, Any], settings: Settings, is_v5: bool) -> tuple[dict[str, Any], str]:
    """The common fields (undefined ones left out) and where ``event_id`` came from."""
    fields: dict[str, Any] = {
        "event_time": to_seconds(first_present(message, ("timestamp", "originalTimestamp"))),
        "event_source_url": first_present(message, ("context.page.url", "properties.url")),
        "action_source": first_present(message, ACTION_SOURCE_PATHS),
    }
    if not truthy(fields["event_source_url"]):
        del fields["event_source_url"]
    for key, paths in _READ:
        fields[key] = first_present(message, paths)
    os_version = read(message, "context.os.version")
    fields["os_version"] = os_version if truthy(os_version) else UNDEFINED
    fields["language"] = first_present(
        message, ("properties.language", "context.traits.language", "context.locale")
    )
    tracking = read(message, "context.device.adTrackingEnabled")
    if tracking is not UNDEFINED:
        fields["opt_out"] = not truthy(tracking)
        if is_v5 and isinstance(tracking, bool):
            fields["advertiser_tracking_enabled"] = tracking
    fields["event_id"], source = event_id(message, settings)
    if settings.app_id is not None:
        fields["app_id"] = settings.app_id
    if settings.advertiser_id is not None and not is_v5:
        fields["advertiser_id"] = settings.advertiser_id
    if truthy(read(message, "properties.partnerName")):
        fields["partner_name"] = read(message, "properties.partnerName")
        fields["device_carrier"] = read(message, "context.network.carrier")
    fields["wifi"] = read(message, "context.network.wifi")
    return {key: value for key, value in fields.items() if value is not UNDEFINED}, source


def validate_common_fields(fields: dict[str, Any]) -> None:
    """A time, and an action_source Pinterest knows."""
    if not truthy(fields.get("event_time")):
        raise CloudError("event_time is required", "validateCommonFields")
    action_source = fields.get("action_source")
    if not truthy(action_source):
        raise CloudError("action_source is required", "validateCommonFields")
    if not isinstance(action_source, str) or action_source not in ACTION_SOURCES:
        raise CloudError("Action source must be one of " + ", ".join(ACTION_SOURCES), "validateCommonFields")
