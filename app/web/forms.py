"""The playground form, and the translation between it and a :class:`PlaygroundState`.

The form works on plain "values" (``form.data`` without the CSRF token): actions such
as adding a mapping row edit the values, and a fresh form is built from them. Nothing
is validated by WTForms; every value is kept exactly as typed and the core reports
problems (see ``state.run``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    PasswordField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms import widgets as wtforms_widgets

from app.pintrk import (
    DEFAULT_PROFILE,
    KNOWN_SETTINGS_KEYS,
    PRESETS,
    PROFILES,
    STANDARD_EVENTS,
    JSONInputError,
    Preset,
    Settings,
    SettingsError,
    load_json,
    parse_settings,
)

from . import widgets
from .cloud_fields import (
    API_VERSION_CHOICES,
    CLOUD_FLAGS,
    CONNECTION_MODE_CHOICES,
    api_version_choices,
    blank_cloud_values,
    cloud_config,
    cloud_values,
)
from .conversion_token import masked_values
from .limits import MAX_NESTING
from .state import PlaygroundState

__all__ = [
    "PlaygroundForm",
    "STANDARD_EVENTS",
    "blank_values",
    "values_from_form",
    "values_from_state",
    "values_from_settings",
    "values_from_preset",
    "state_from_values",
    "form_for",
    "extra_settings",
]

_BUILDER_METHODS = [
    SelectChoice("track", "track: an action"),
    SelectChoice("page", "page: a page view"),
    SelectChoice("identify", "identify: who the visitor is"),
]


# The fields with the faster widgets (app/web/widgets.py); same HTML as WTForms' own.
def _text_field(label: str = "") -> StringField:
    return StringField(label, widget=widgets.TextInput())


def _hidden(**kwargs: Any) -> HiddenField:
    return HiddenField(widget=widgets.HiddenInput(), **kwargs)


def _checkbox(label: str) -> BooleanField:
    return BooleanField(label, widget=widgets.CheckboxInput())


def _radio(label: str, **kwargs: Any) -> RadioField:
    return RadioField(label, option_widget=widgets.RadioInput(), **kwargs)


class MaskedTokenField(PasswordField):
    """The conversion token's box: a password box that shows its value, which is only ever the
    masked token (``<token>``) or empty (the form's values are masked: conversion_token.py)."""

    widget = wtforms_widgets.PasswordInput(hide_value=False)


class MappingRow(Form):
    source = _text_field("RudderStack event")
    target = _text_field("Pinterest event")
    # Which keys the pasted config did not have at all ("from", "to"): an absent "from" is
    # not the same as an empty one to the SDK v1.1 integration, so a round trip keeps it.
    missing = _hidden()


class CustomPropertyRow(Form):
    path = _text_field("Property path")
    missing = _hidden()


class PlaygroundForm(FlaskForm):
    tag_id = _text_field("Tag ID")
    profile = _radio(
        "Behaviour profile",
        choices=[SelectChoice(name, profile.label) for name, profile in PROFILES.items()],
        default=DEFAULT_PROFILE,
    )
    enhanced_match = _checkbox("Enhanced match")
    send_as_custom_event = _checkbox("Send as custom event")
    deduplication_key = _text_field("Deduplication key")
    mappings = FieldList(FormField(MappingRow))
    custom_properties = FieldList(FormField(CustomPropertyRow))
    missing = _hidden()  # top-level keys absent from the pasted config ("tagId deduplicationKey")
    extra_settings = _hidden()  # the config's other keys (JSON), kept for links and exports

    # Where events are sent, and cloud mode's settings (Pinterest's Conversions API): cloud_fields.py.
    connection_mode = _radio("Where events are sent", choices=CONNECTION_MODE_CHOICES, default="device")
    advertiser_id = _text_field("Advertiser ID")
    ad_account_id = _text_field("Ad account ID")
    conversion_token = MaskedTokenField("Conversion token", widget=widgets.PasswordInput())
    api_version = SelectField("API version", choices=API_VERSION_CHOICES, default="", widget=widgets.Select())
    app_id = _text_field("App ID")
    sending_unhashed_data = _checkbox("Send unhashed data (RudderStack hashes it)")
    send_as_test_event = _checkbox("Send as test events")
    send_external_id = _checkbox("Send an external ID")
    kept_settings = _hidden()  # cloud keys the config has empty ("appId": ""): see cloud_fields.py
    # A separate cloud-mode destination's config (JSON), when the customer has two destinations.
    cloud_settings = TextAreaField("Paste that destination's config (JSON)")

    settings_json = TextAreaField("Paste a RudderStack destination config (JSON)")
    calls = TextAreaField("SDK calls")
    initial_traits = TextAreaField("Initial traits (JSON)")
    # "calls", "events" or "pintrk": which one is the scenario (see PlaygroundState)
    scenario_source = _hidden(default="calls")
    messages = TextAreaField("RudderStack events (JSON)")
    pintrk = TextAreaField("pintrk calls (JSON)")
    reproduction_text = TextAreaField("Or paste a reproduction (JSON)")
    preset = SelectField(
        "Examples",
        choices=[SelectChoice("", "Choose an example…")] + [SelectChoice(p.id, p.title) for p in PRESETS],
        default="",
        widget=widgets.Select(),
    )

    builder_method = _radio("Call", choices=_BUILDER_METHODS, default="track")
    builder_event = _text_field("Event name")
    builder_name = _text_field("Page name")
    builder_category = _text_field("Page category")
    builder_user_id = _text_field("User ID")
    builder_data = TextAreaField("Properties (track, page) or traits (identify)")


def blank_values() -> dict[str, Any]:
    return {
        "tag_id": "",
        "profile": DEFAULT_PROFILE,
        "enhanced_match": False,
        "send_as_custom_event": False,
        "deduplication_key": "",
        "mappings": [],
        "custom_properties": [],
        "missing": "",
        "extra_settings": "",
        **blank_cloud_values(),
        "cloud_settings": "",
        "settings_json": "",
        "calls": "",
        "initial_traits": "",
        "scenario_source": "calls",
        "messages": "",
        "pintrk": "",
        "reproduction_text": "",
        "preset": "",
        "builder_method": "track",
        "builder_event": "",
        "builder_name": "",
        "builder_category": "",
        "builder_user_id": "",
        "builder_data": "",
    }


_CHECKBOXES = frozenset({"enhanced_match", "send_as_custom_event", *CLOUD_FLAGS.values()})


def values_from_form(form: PlaygroundForm) -> dict[str, Any]:
    """The posted values, the conversion token masked (nothing after this ever sees it in clear)."""
    values = blank_values()
    for name in values:
        data = form[name].data
        if name in ("mappings", "custom_properties"):
            values[name] = [{key: row.get(key) or "" for key in row} for row in data]
        elif name in _CHECKBOXES:
            values[name] = bool(data)
        else:
            values[name] = data if isinstance(data, str) else ""
    return masked_values(values)


def form_for(values: Mapping[str, Any]) -> PlaygroundForm:
    # formdata=None: render these values, not whatever the request posted.
    form = PlaygroundForm(formdata=None, data=masked_values(values))
    form.api_version.choices = api_version_choices(form.api_version.data or "")
    return form


def values_from_settings(config: Mapping[str, Any]) -> dict[str, Any]:
    """The settings fields for a destination config (already validated by parse_settings)."""
    missing = [key for key in ("tagId", "deduplicationKey") if not isinstance(config.get(key), str)]
    extra = {key: value for key, value in config.items() if key not in KNOWN_SETTINGS_KEYS}
    return {
        "tag_id": _text(config.get("tagId")),
        "enhanced_match": config.get("enhancedMatch") is True,
        "send_as_custom_event": config.get("sendAsCustomEvent") is True,
        "deduplication_key": _text(config.get("deduplicationKey")),
        "mappings": [
            {
                "source": _text(row.get("from")),
                "target": _text(row.get("to")),
                "missing": _absent(row, ("from", "to")),
            }
            for row in config.get("eventsMapping") or []
        ],
        "custom_properties": [
            {"path": _text(row.get("properties")), "missing": _absent(row, ("properties",))}
            for row in config.get("customProperties") or []
        ],
        "missing": " ".join(missing),
        "extra_settings": json.dumps(extra, ensure_ascii=False) if extra else "",
        **cloud_values(config),
    }


def values_from_state(state: PlaygroundState, settings: Settings | None = None) -> dict[str, Any]:
    """The form's values for a state; ``settings``: its settings, when they were parsed already."""
    if settings is None:
        try:
            settings = parse_settings(state.settings)
        except SettingsError:
            settings = None  # a link with such settings is refused; nothing sensible to show
    config = settings.to_config() if settings is not None else {}
    return {
        **blank_values(),
        **values_from_settings(config),
        "profile": state.profile,
        "calls": state.calls,
        "initial_traits": state.initial_traits,
        "scenario_source": state.source,
        "messages": state.messages or "",
        "pintrk": state.pintrk or "",
        "cloud_settings": state.cloud_settings or "",
    }


def values_from_preset(preset: Preset, current_profile: str) -> dict[str, Any]:
    """The fields a preset sets: settings, profile (if it has one), calls and initial traits."""
    return {
        **values_from_settings(_plain(preset.settings)),
        "profile": preset.profile or current_profile,
        "calls": preset.calls,
        "initial_traits": json.dumps(_plain(preset.initial_traits), indent=2)
        if preset.initial_traits
        else "",
        "scenario_source": "calls",  # an example is a call script (pasted events stay in their field)
        "cloud_settings": "",  # the example's settings are the whole destination
        "preset": preset.id,
    }


def state_from_values(values: Mapping[str, Any]) -> PlaygroundState:
    missing = set(values.get("missing", "").split())
    settings: dict[str, Any] = {}
    if values["tag_id"] or "tagId" not in missing:
        settings["tagId"] = values["tag_id"]
    settings["enhancedMatch"] = bool(values["enhanced_match"])
    settings["customProperties"] = [
        _row({"properties": row["path"]}, row.get("missing", "")) for row in values["custom_properties"]
    ]
    settings["eventsMapping"] = [
        _row({"from": row["source"], "to": row["target"]}, row.get("missing", ""))
        for row in values["mappings"]
    ]
    settings["sendAsCustomEvent"] = bool(values["send_as_custom_event"])
    if values["deduplication_key"] or "deduplicationKey" not in missing:
        settings["deduplicationKey"] = values["deduplication_key"]
    settings.update(cloud_config(values))
    settings.update(extra_settings(values.get("extra_settings", "")))
    cloud_text = values.get("cloud_settings") or ""
    return PlaygroundState(
        settings=settings,
        profile=values["profile"],
        calls=values["calls"],
        initial_traits=values["initial_traits"],
        messages=values.get("messages", "") if values.get("scenario_source") == "events" else None,
        pintrk=values.get("pintrk", "") if values.get("scenario_source") == "pintrk" else None,
        cloud_settings=cloud_text if cloud_text.strip() else None,
    )


def _row(row: dict[str, str], missing: str) -> dict[str, str]:
    absent = set(missing.split())
    return {key: value for key, value in row.items() if value or key not in absent}


def _absent(row: Mapping[str, Any], keys: tuple[str, ...]) -> str:
    return " ".join(key for key in keys if not isinstance(row.get(key), str))


def extra_settings(text: str) -> dict[str, Any]:
    """The hidden field's other config keys (JSON) as an object; {} when unreadable."""
    if not text:
        return {}
    try:
        extra = load_json(text, max_depth=MAX_NESTING)
    except JSONInputError:
        return {}  # a hidden field nobody can fix by hand: drop it rather than fail
    if not isinstance(extra, dict):
        return {}
    return {key: value for key, value in extra.items() if key not in KNOWN_SETTINGS_KEYS}


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _plain(value: Any) -> Any:
    """A deep, mutable copy of preset data (which uses read-only mappings)."""
    if isinstance(value, Mapping):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    return value
