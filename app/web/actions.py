"""The form's no-JavaScript actions: each edits the form values and says what happened."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from app.pintrk import SettingsError, parse_settings
from app.pintrk.jsvalue import JSONInputError, loads
from app.pintrk.presets import get_preset

from .builder import BuilderError, append_call, build_call
from .forms import values_from_preset, values_from_settings

__all__ = ["ActionResult", "apply_action"]

_REMOVE = re.compile(r"remove-(mapping|property)-(\d+)")
_FAILED = {
    "add-call": "The call was not added (see the call builder below)",
    "fill-from-config": "The form was not filled (see the pasted config below)",
    "load-preset": "No example was loaded",
}


@dataclass
class ActionResult:
    notice: str | None = None
    errors: dict[str, list[str]] = field(default_factory=dict)

    def summary(self, action: str) -> str | None:
        """The line shown at the top of the page: what was done, or why it wasn't."""
        if not self.errors:
            return self.notice
        messages = " ".join(" ".join(found) for found in self.errors.values())
        return f"{_FAILED.get(action, 'That did not work')}: {messages}"


def apply_action(action: str, values: dict[str, Any]) -> ActionResult:
    """Apply ``action`` (the pressed button's value) to ``values`` in place. "run" changes nothing."""
    removal = _REMOVE.fullmatch(action)
    if action == "add-mapping":
        values["mappings"].append({"source": "", "target": "", "missing": ""})
    elif action == "add-property":
        values["custom_properties"].append({"path": "", "missing": ""})
    elif removal:
        rows = values["mappings" if removal.group(1) == "mapping" else "custom_properties"]
        index = int(removal.group(2))
        if index < len(rows):
            del rows[index]
    elif action == "fill-from-config":
        return _fill_from_config(values)
    elif action == "load-preset":
        return _load_preset(values)
    elif action == "add-call":
        return _add_call(values)
    return ActionResult()


def _fill_from_config(values: dict[str, Any]) -> ActionResult:
    text = values["settings_json"]
    if not text.strip():
        return _error(
            "settings_json",
            "Paste a destination config first: the JSON from RudderStack, such as "
            '{"tagId": "2612345678901", "enhancedMatch": true, "eventsMapping": [ … ]}.',
        )
    try:
        config = parse_settings(loads(text)).to_config()
    except JSONInputError as exc:
        where = f"Line {exc.line}, column {exc.column}: " if exc.line else ""
        return _error("settings_json", f"{where}{exc.message}. The config must be JSON, exactly as RudderStack shows it.")
    except SettingsError as exc:
        where = f"“{exc.path}” " if exc.path else ""
        return _error("settings_json", f"{where}{exc.message}. Fix it in the pasted config; the form was not changed.")
    values.update(values_from_settings(config))
    return ActionResult("The settings were filled from the pasted config. The behaviour profile and the scenario were not changed.")


def _load_preset(values: dict[str, Any]) -> ActionResult:
    preset = get_preset(values["preset"])
    if preset is None:
        return _error("preset", "Choose an example from the list first.")
    values.update(values_from_preset(preset, values["profile"]))
    return ActionResult(f"Loaded the example “{preset.title}”: {preset.description}")


def _add_call(values: dict[str, Any]) -> ActionResult:
    try:
        line = build_call(
            values["builder_method"],
            event=values["builder_event"],
            name=values["builder_name"],
            category=values["builder_category"],
            user_id=values["builder_user_id"],
            data=values["builder_data"],
        )
    except BuilderError as exc:
        return _error(exc.field, exc.message)
    values["calls"] = append_call(values["calls"], line)
    return ActionResult(f"Added to the scenario: {line}")


def _error(field_name: str, message: str) -> ActionResult:
    return ActionResult(errors={field_name: [message]})
