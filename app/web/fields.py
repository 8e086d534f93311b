"""The field map: setting paths ↔ form fields ↔ labels ↔ the limit each field meets.

One table per kind of field, read by everything that names a field: the run's errors
(a settings path such as ``eventsMapping[2].to`` becomes the form field ``mappings-2-target``),
the limits (``limits.py`` checks each field against the limit its kind names here), the error
summaries and their links (``field_label``, ``field_anchor``), the findings' links
(``element_for_setting``) and the oversized form's messages (``error_container``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.pintrk import Location

__all__ = [
    "LINE_SETTINGS",
    "DOCUMENT_FIELDS",
    "ROW_GROUPS",
    "SETTING_FIELDS",
    "TEXT_FIELDS",
    "RowField",
    "RowGroup",
    "SettingField",
    "element_for_setting",
    "error_container",
    "field_anchor",
    "field_for_location",
    "field_for_setting",
    "field_label",
    "setting_subject",
]


@dataclass(frozen=True)
class SettingField:
    field: str  # the form field that edits the setting
    label: str  # the field's label on the page
    subject: str  # the setting at the start of a sentence ("The Tag ID must be …")


@dataclass(frozen=True)
class RowField:
    key: str  # the key in the setting's row ("from")
    field: str  # the row's form field ("source": mappings-3-source)
    subject: str  # the value at the start of a sentence
    label: str  # after the row's number in a summary ("Event mapping row 4 (RudderStack event)")


@dataclass(frozen=True)
class RowGroup:
    setting: str  # the settings key holding the rows
    rows: str  # the rows in a sentence ("event mapping rows")
    row_label: str  # one row in a summary, before its number
    fields: tuple[RowField, ...]


# Top-level settings by settings key (the destination config's JSON names).
SETTING_FIELDS = {
    "tagId": SettingField("tag_id", "Tag ID", "The Tag ID"),
    "enhancedMatch": SettingField("enhanced_match", "Enhanced match", "Enhanced match"),
    "sendAsCustomEvent": SettingField(
        "send_as_custom_event", "Send as custom event", "“Send as custom event”"
    ),
    "deduplicationKey": SettingField("deduplication_key", "Deduplication key", "The deduplication key"),
    "eventsMapping": SettingField("mappings", "Event mapping", "The event mapping"),
    "customProperties": SettingField("custom_properties", "Custom properties", "The custom properties"),
    # Cloud mode (RudderStack's servers call Pinterest's Conversions API). RudderStack writes the
    # mode as {"web": "hybrid"}: a problem is at connectionMode or connectionMode.web.
    "connectionMode": SettingField("connection_mode", "Where events are sent", "The connection mode"),
    "connectionMode.web": SettingField("connection_mode", "Where events are sent", "The connection mode"),
    "advertiserId": SettingField("advertiser_id", "Advertiser ID", "The advertiser ID"),
    "adAccountId": SettingField("ad_account_id", "Ad account ID", "The ad account ID"),
    "conversionToken": SettingField("conversion_token", "Conversion token", "The conversion token"),
    "apiVersion": SettingField("api_version", "API version", "The API version"),
    "appId": SettingField("app_id", "App ID", "The app ID"),
    "sendingUnHashedData": SettingField(
        "sending_unhashed_data", "Send unhashed data", "“Send unhashed data”"
    ),
    "sendAsTestEvent": SettingField("send_as_test_event", "Send as test events", "“Send as test events”"),
    "sendExternalId": SettingField("send_external_id", "Send an external ID", "“Send an external ID”"),
}
# Settings typed in a one-line field: limits.MAX_LINE_LENGTH characters.
LINE_SETTINGS = (
    "tagId",
    "deduplicationKey",
    "advertiserId",
    "adAccountId",
    "conversionToken",
    "apiVersion",
    "appId",
)
# Row groups by form field prefix: at most limits.MAX_ROWS rows, each value limits.MAX_LINE_LENGTH.
ROW_GROUPS = {
    "mappings": RowGroup(
        "eventsMapping",
        "event mapping rows",
        "Event mapping row",
        (
            RowField("from", "source", "The RudderStack event", " (RudderStack event)"),
            RowField("to", "target", "The Pinterest event", " (Pinterest event)"),
        ),
    ),
    "custom_properties": RowGroup(
        "customProperties",
        "custom properties",
        "Custom property",
        (RowField("properties", "path", "The property path", ""),),
    ),
}
# Text boxes of the scenario: limits.MAX_TEXT_LENGTH characters. Field → its subject in a sentence.
TEXT_FIELDS = {
    "calls": "The SDK calls",
    "initial_traits": "The initial traits",
    "pintrk": "The pintrk calls",
    "cloud_settings": "The cloud destination's config",
}
# The scenario document's fields (load_scenario's keys) → the form field that holds each.
DOCUMENT_FIELDS = {
    "initialTraits": "initial_traits",
    "calls": "calls",
    "events": "messages",
    "pintrk": "pintrk",
    "cloudSettings": "cloud_settings",
}
# Labels of the fields that edit no setting.
_OTHER_LABELS = {
    "profile": "Behaviour profile",
    "settings_json": "Destination config",
    "cloud_settings": "Cloud destination config",
    "calls": "SDK calls",
    "initial_traits": "Initial traits",
    "messages": "RudderStack events",
    "pintrk": "pintrk calls",
    "reproduction": "Open a reproduction",
    "preset": "Examples",
}
_LABELS = {**{s.field: s.label for s in SETTING_FIELDS.values()}, **_OTHER_LABELS}
# Fields shown with a place for their errors; a posted field not among them is reported at the top.
_BUILDER_FIELDS = ("method", "event", "name", "category", "user_id", "data")
_SHOWN_FIELDS = frozenset({*_LABELS, *(f"builder_{name}" for name in _BUILDER_FIELDS)} - {"reproduction"})

_SETTING_ROW = re.compile(r"(eventsMapping|customProperties)\[(\d+)\](?:\.(\w+))?")
_ROW_FIELD = re.compile(r"(mappings|custom_properties)-(\d+)(?:-(\w+))?")
_POSTED_ROW_FIELD = re.compile(r"(mappings|custom_properties)-\d{1,12}-(source|target|path|missing)")
_GROUP_OF_SETTING = {group.setting: name for name, group in ROW_GROUPS.items()}


def field_for_setting(path: str) -> str:
    """The form field a settings path such as ``eventsMapping[2].to`` is edited in."""
    if path in SETTING_FIELDS:
        return SETTING_FIELDS[path].field
    row = _SETTING_ROW.fullmatch(path)
    if row:
        setting, index, key = row.groups()
        group = _GROUP_OF_SETTING[setting]
        sub = next((f.field for f in ROW_GROUPS[group].fields if f.key == key), None)
        return f"{group}-{index}-{sub}" if sub else group
    return "settings_json"


def field_for_location(location: Location | None, steps_field: str) -> str:
    """The form field a problem at ``location`` in the scenario document belongs to: a setting's
    own field, a text box, or (the run's refusals: ``messages[3].properties.products``, no
    location) ``steps_field``, the box holding the scenario's steps."""
    path = (location.path if location is not None else None) or ""
    if path == "settings" or path.startswith("settings."):
        return field_for_setting(path[len("settings.") :])
    root = re.match(r"\w*", path)
    return DOCUMENT_FIELDS.get(root.group() if root else "", steps_field)


def element_for_setting(path: str) -> str:
    """The form element a finding's settings path points at (a mapping row, not its group)."""
    row = re.fullmatch(r"eventsMapping\[(\d+)\]", path)
    return f"mappings-{row.group(1)}" if row else field_for_setting(path)


def setting_subject(path: str) -> str | None:
    """A top-level setting at the start of a sentence ("The Tag ID"); ``None`` for other paths."""
    setting = SETTING_FIELDS.get(path)
    return setting.subject if setting else None


def field_label(name: str) -> str:
    """A field's name as the page shows it, for error summaries."""
    row = _ROW_FIELD.fullmatch(name)
    if row:
        group, index, sub = row.groups()
        found = next((f for f in ROW_GROUPS[group].fields if f.field == sub), None)
        return f"{ROW_GROUPS[group].row_label} {int(index) + 1}{found.label if found else ''}"
    if name.startswith("builder_"):
        return "Call builder"
    return _LABELS.get(name, name)


def field_anchor(name: str) -> str:
    """The id of the element that holds a field (a whole row for row fields)."""
    row = _ROW_FIELD.fullmatch(name)
    if row:
        return f"field-{row.group(1)}-{row.group(2)}"
    if name.startswith("builder_"):
        return "field-builder"
    return f"field-{name}"


def error_container(name: str) -> str:
    """The error container a posted field's problem is shown in ("__all__": the top of the page)."""
    if name in ("reproduction_text", "reproduction_file"):
        return "reproduction"
    row = _POSTED_ROW_FIELD.fullmatch(name)
    if row:
        return row.group(1) if row.group(2) == "missing" else name
    return name if name in _SHOWN_FIELDS else "__all__"
