"""The cloud-mode settings and the connection mode: form values ↔ destination config keys.

A device-mode config has none of these keys, and it must round-trip unchanged: an empty field
means an absent key. A pasted config may hold them set to ``""`` (an empty advertiser ID is a
different refusal on the cloud path than none at all) or ``"apiVersion": "legacyApi"`` (what the
form shows as v3, like an absent one): the hidden field ``kept_settings`` lists those keys so a
round trip gives them back exactly.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from wtforms import SelectChoice

__all__ = [
    "API_VERSION_CHOICES",
    "CLOUD_FLAGS",
    "CONNECTION_MODE_CHOICES",
    "CONNECTION_MODE_SUMMARIES",
    "api_version_choices",
    "blank_cloud_values",
    "cloud_config",
    "cloud_values",
]

# The connection mode, in RudderStack's words and in plain ones (what each changes).
CONNECTION_MODE_CHOICES = [
    SelectChoice("device", "Device mode: the Pinterest tag in the browser"),
    SelectChoice("cloud", "Cloud mode: RudderStack's servers call Pinterest's Conversions API"),
    SelectChoice("hybrid", "Both (hybrid)"),
]
CONNECTION_MODE_SUMMARIES = {
    "device": "The page loads Pinterest's tag, and the tag sends each event from the visitor's browser.",
    "cloud": "No Pinterest tag in the browser: RudderStack sends each event to Pinterest from its servers.",
    "hybrid": "Each event goes both ways. Pinterest counts it once only when both carry the same "
    "event ID and event name.",
}
_V3 = "legacyApi"  # what RudderStack writes for v3; absent means v3 too
API_VERSION_CHOICES = [SelectChoice("", "v3 (legacy API)"), SelectChoice("newApi", "v5 (new API)")]
# One-line settings (config key → form field); empty = absent unless ``kept_settings`` names it.
_TEXTS = {
    "advertiserId": "advertiser_id",
    "adAccountId": "ad_account_id",
    "conversionToken": "conversion_token",
    "appId": "app_id",
}
# Checkboxes (config key → form field): written only when ticked, as RudderStack's own default.
CLOUD_FLAGS = {
    "sendingUnHashedData": "sending_unhashed_data",
    "sendAsTestEvent": "send_as_test_event",
    "sendExternalId": "send_external_id",
}


def blank_cloud_values() -> dict[str, Any]:
    return {
        "connection_mode": "device",
        **dict.fromkeys(_TEXTS.values(), ""),
        "api_version": "",
        **dict.fromkeys(CLOUD_FLAGS.values(), False),
        "kept_settings": "",
    }


def cloud_values(config: Mapping[str, Any]) -> dict[str, Any]:
    """The form's cloud fields for a destination config (validated already: ``to_config()``)."""
    mode = config.get("connectionMode")
    if isinstance(mode, Mapping):
        mode = mode.get("web", "device")
    kept = [key for key in _TEXTS if config.get(key) == ""]
    version = config.get("apiVersion")
    if version == _V3:
        kept.append("apiVersion")
    return {
        "connection_mode": mode if isinstance(mode, str) else "device",
        **{field: _text(config.get(key)) for key, field in _TEXTS.items()},
        "api_version": "" if version == _V3 else _text(version),
        **{field: config.get(key) is True for key, field in CLOUD_FLAGS.items()},
        "kept_settings": " ".join(kept),
    }


def cloud_config(values: Mapping[str, Any]) -> dict[str, Any]:
    """The config keys the form's cloud fields give (absent when empty and not kept)."""
    kept = set(_text(values.get("kept_settings")).split())
    config: dict[str, Any] = {}
    mode = _text(values.get("connection_mode"))
    if mode not in ("", "device"):  # another value is refused beside the field by the core
        config["connectionMode"] = {"web": mode}
    for key, field in _TEXTS.items():
        value = _text(values.get(field))
        if value or key in kept:
            config[key] = value
    version = _text(values.get("api_version"))
    if version or "apiVersion" in kept:
        config["apiVersion"] = version or _V3
    for key, field in CLOUD_FLAGS.items():
        if values.get(field):
            config[key] = True
    return config


def api_version_choices(value: str) -> list[SelectChoice]:
    """The API version's options; a pasted value RudderStack doesn't name is one more, kept."""
    if any(choice.value == value for choice in API_VERSION_CHOICES):
        return API_VERSION_CHOICES
    return [*API_VERSION_CHOICES, SelectChoice(value, f"“{value}” (as pasted)")]


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""
