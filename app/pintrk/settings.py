"""Destination settings: RudderStack's Pinterest Tag config JSON → :class:`Settings`.

The shape is RudderStack's own, so a customer's config pastes in unchanged.
Unknown keys are kept (and ignored); a wrong type is an error naming the key.
A *missing* ``from``/``to``/``properties`` inside a row is not an error here:
the integration tolerates (or trips over) such rows at run time, and the
playground must show what really happens, so diagnostics warn instead.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .errors import InputError, Location, field_path, item_path
from .jsvalue import JSONInputError, loads

__all__ = [
    "EventMapping",
    "Settings",
    "SettingsError",
    "parse_settings",
    "STANDARD_EVENTS",
    "KNOWN_KEYS",
    "CONNECTION_MODES",
    "API_VERSIONS",
    "MASKED_TOKEN",
    "mask_token",
    "mask_config",
]

# Pinterest's standard events; anything else is a user-defined event.
STANDARD_EVENTS = (
    "Checkout",
    "AddToCart",
    "PageVisit",
    "SignUp",
    "WatchVideo",
    "Lead",
    "Search",
    "ViewCategory",
    "Custom",
)

# RudderStack's connection modes for a web source: the browser's tag, RudderStack's servers
# (Pinterest's Conversions API), or both ("hybrid").
CONNECTION_MODES = ("device", "cloud", "hybrid")
# The cloud destination's "apiVersion": absent or "legacyApi" is v3, "newApi" is v5.
API_VERSIONS = ("legacyApi", "newApi")

# A conversion token is a password for the advertiser's Conversions API. The playground never
# needs its value (only whether there is one), so it never keeps it: any non-empty token is
# replaced by this, the masking RudderStack's own recorded cases use, as soon as it is read.
MASKED_TOKEN = "<token>"


def mask_token(token: str | None) -> str | None:
    """``None`` and ``""`` as they are (they mean different things to the cloud path); any
    other token becomes :data:`MASKED_TOKEN`."""
    return token if not token else MASKED_TOKEN


def mask_config(config: Any) -> Any:
    """``config`` with every ``conversionToken`` text in it (at any depth: a wrapped config, a
    destination object) masked; the same object when there is nothing to mask."""
    if isinstance(config, Mapping):
        masked = {key: mask_config(value) for key, value in config.items()}
        token = masked.get("conversionToken")
        if isinstance(token, str) and token not in ("", MASKED_TOKEN):
            masked["conversionToken"] = MASKED_TOKEN
        same = all(masked[key] is value for key, value in config.items())
        return config if same else masked
    if isinstance(config, list):
        items = [mask_config(item) for item in config]
        return config if all(a is b for a, b in zip(items, config, strict=True)) else items
    return config


class SettingsError(InputError):
    """A config value of the wrong type; ``path`` is like ``eventsMapping[2].to`` (the ``location``
    inside the settings); ``str()`` is the sentence "eventsMapping[2].to must be a string…"."""

    code = "invalid-settings"

    def __init__(self, path: str, message: str) -> None:
        super().__init__(message, Location(path) if path else None)
        self.path = path
        self.args = (f"{path} {message}" if path else message,)


@dataclass(frozen=True)
class EventMapping:
    """One row of "Map Your Events To Pinterest Events" (``from`` → ``to``)."""

    source: str | None
    target: str | None
    # ``"from": null`` rather than no ``from``: the integration's TypeError names which one it read
    source_is_null: bool = False


@dataclass(frozen=True)
class Settings:
    tag_id: str | None = None
    enhanced_match: bool = False
    custom_properties: tuple[str | None, ...] = ()
    events_mapping: tuple[EventMapping, ...] = ()
    send_as_custom_event: bool = False
    deduplication_key: str | None = None
    # Where events go: "device" (the tag), "cloud" (RudderStack's servers) or "hybrid" (both).
    connection_mode: str = "device"
    # Cloud mode (the Conversions API); None = the key is absent from the config.
    advertiser_id: str | None = None
    ad_account_id: str | None = None
    conversion_token: str | None = None  # always masked: see mask_token
    api_version: str | None = None
    app_id: str | None = None
    sending_unhashed_data: bool = False
    send_as_test_event: bool = False
    send_external_id: bool = False
    # Keys we don't use (RudderStack adds many: blacklist, useNativeSDK, …), kept verbatim.
    extra: Mapping[str, Any] = field(default_factory=dict)

    def to_config(self) -> dict[str, Any]:
        """Back to RudderStack's JSON shape (for permalinks, exports, the API)."""
        config: dict[str, Any] = {
            "tagId": self.tag_id,
            "enhancedMatch": self.enhanced_match,
            "customProperties": [
                {} if path is None else {"properties": path} for path in self.custom_properties
            ],
            "eventsMapping": [_mapping_row(m) for m in self.events_mapping],
            "sendAsCustomEvent": self.send_as_custom_event,
        }
        if self.tag_id is None:
            del config["tagId"]
        if self.deduplication_key is not None:
            config["deduplicationKey"] = self.deduplication_key
        config.update(self._cloud_config())
        config.update(self.extra)
        return config

    @property
    def sends_from_browser(self) -> bool:
        return self.connection_mode in ("device", "hybrid")

    @property
    def sends_from_server(self) -> bool:
        return self.connection_mode in ("cloud", "hybrid")

    def _cloud_config(self) -> dict[str, Any]:
        """The cloud keys that are set; an absent key stays absent (absent and false mean the
        same to the cloud path, and device-only configs round-trip unchanged)."""
        config: dict[str, Any] = {}
        if self.connection_mode != "device":
            config["connectionMode"] = {"web": self.connection_mode}
        for key, value in (
            ("advertiserId", self.advertiser_id),
            ("adAccountId", self.ad_account_id),
            ("conversionToken", self.conversion_token),
            ("apiVersion", self.api_version),
            ("appId", self.app_id),
        ):
            if value is not None:
                config[key] = value
        for key, flag in (
            ("sendingUnHashedData", self.sending_unhashed_data),
            ("sendAsTestEvent", self.send_as_test_event),
            ("sendExternalId", self.send_external_id),
        ):
            if flag:
                config[key] = True
        return config


def _mapping_row(mapping: EventMapping) -> dict[str, str | None]:
    row: dict[str, str | None] = {}
    if mapping.source is not None or mapping.source_is_null:
        row["from"] = mapping.source
    if mapping.target is not None:
        row["to"] = mapping.target
    return row


# The keys the integration reads; anything else in a config is kept as `extra`.
KNOWN_KEYS = frozenset(
    {
        "tagId",
        "enhancedMatch",
        "customProperties",
        "eventsMapping",
        "sendAsCustomEvent",
        "deduplicationKey",
        "connectionMode",
        "advertiserId",
        "adAccountId",
        "conversionToken",
        "apiVersion",
        "appId",
        "sendingUnHashedData",
        "sendAsTestEvent",
        "sendExternalId",
    }
)


def parse_settings(config: Mapping[str, Any] | str | bytes | None) -> Settings:
    """Validate a destination config (a dict, or its JSON text)."""
    if config is None:
        return Settings()
    if isinstance(config, (str, bytes)):
        try:
            config = loads(config)
        except JSONInputError as exc:
            raise SettingsError("", f"The destination config is not valid JSON: {exc}") from None
    if not isinstance(config, Mapping):
        raise SettingsError("", "The destination config must be a JSON object ({ … })")
    # RudderStack's API wraps it: {"config": {...}} or a whole destination object.
    if "config" in config and isinstance(config["config"], Mapping) and not (KNOWN_KEYS & set(config)):
        config = config["config"]

    return Settings(
        tag_id=_optional_string(config, "tagId"),
        enhanced_match=_boolean(config, "enhancedMatch"),
        custom_properties=tuple(
            _optional_string(row, "properties", item_path("customProperties", i))
            for i, row in enumerate(_rows(config, "customProperties"))
        ),
        events_mapping=tuple(
            EventMapping(
                _optional_string(row, "from", item_path("eventsMapping", i)),
                _optional_string(row, "to", item_path("eventsMapping", i)),
                source_is_null="from" in row and row["from"] is None,
            )
            for i, row in enumerate(_rows(config, "eventsMapping"))
        ),
        send_as_custom_event=_boolean(config, "sendAsCustomEvent"),
        deduplication_key=_optional_string(config, "deduplicationKey"),
        connection_mode=_connection_mode(config),
        advertiser_id=_optional_string(config, "advertiserId"),
        ad_account_id=_optional_string(config, "adAccountId"),
        conversion_token=mask_token(_optional_string(config, "conversionToken")),
        api_version=_optional_string(config, "apiVersion"),
        app_id=_optional_string(config, "appId"),
        sending_unhashed_data=_boolean(config, "sendingUnHashedData"),
        send_as_test_event=_boolean(config, "sendAsTestEvent"),
        send_external_id=_boolean(config, "sendExternalId"),
        extra={k: v for k, v in config.items() if k not in KNOWN_KEYS},
    )


def _connection_mode(config: Mapping[str, Any]) -> str:
    """RudderStack writes ``"connectionMode": {"web": "hybrid"}``; a bare string is read too.
    Without it, the playground's subject: device mode."""
    value = config.get("connectionMode")
    if value is None:
        return "device"
    where = "connectionMode"
    if isinstance(value, Mapping):
        value, where = value.get("web", "device"), "connectionMode.web"
    if value in CONNECTION_MODES:
        return str(value)
    raise SettingsError(where, 'must be "device", "cloud" or "hybrid"')


def _optional_string(obj: Mapping[str, Any], key: str, where: str = "") -> str | None:
    value = obj.get(key)
    if value is None or isinstance(value, str):
        return value
    raise SettingsError(_path(where, key), f"must be a string (text in quotes), not {_kind(value)}")


def _boolean(obj: Mapping[str, Any], key: str) -> bool:
    value = obj.get(key, False)
    if value is None:
        return False
    if isinstance(value, bool):
        return value
    raise SettingsError(key, f"must be true or false, not {_kind(value)}")


def _rows(obj: Mapping[str, Any], key: str) -> list[Mapping[str, Any]]:
    rows = obj.get(key)
    if rows is None:
        return []
    if not isinstance(rows, list):
        raise SettingsError(key, f"must be a list ([ … ]), not {_kind(rows)}")
    for i, row in enumerate(rows):
        if not isinstance(row, Mapping):
            raise SettingsError(item_path(key, i), f"must be an object ({{ … }}), not {_kind(row)}")
    return rows


def _path(where: str, key: str) -> str:
    return field_path(where, key)


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, Mapping):
        return "an object"
    return "null"
