"""The form's no-JavaScript actions: each edits the form values and says what happened."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from app.pintrk import (
    JSONInputError,
    SettingsError,
    get_preset,
    indent_json,
    load_json,
    parse_settings,
    stringify,
)

from . import limits
from .builder import BuilderError, append_call, build_call
from .forms import values_from_preset, values_from_settings
from .pasted_events import has_email, read_events
from .server_view import DEDUP_FIX_ACTION
from .wording import where_first

__all__ = ["ActionResult", "apply_action"]

_REMOVE = re.compile(r"remove-(mapping|property)-(\d+)")
_ROWS = {"add-mapping": "mappings", "add-property": "custom_properties"}
_SOURCES = {"use-calls": "calls", "use-events": "events", "use-pintrk": "pintrk"}
_FAILED = {
    "add-call": "The call was not added (see the call builder below)",
    "fill-from-config": "The form was not filled (see the pasted config below)",
    "load-preset": "No example was loaded",
    "use-event-traits": "The initial traits were not changed",
}
_FAILED_FIX = "The deduplication key was not changed"


@dataclass
class ActionResult:
    notice: str | None = None
    errors: dict[str, list[str]] = field(default_factory=dict)

    def summary(self, action: str) -> str | None:
        """The line shown at the top of the page: what was done, or why it wasn't."""
        if not self.errors:
            return self.notice
        messages = " ".join(" ".join(found) for found in self.errors.values())
        failed = _FAILED_FIX if action.startswith(DEDUP_FIX_ACTION) else _FAILED.get(action)
        return f"{failed or 'That did not work'}: {messages}"


def apply_action(action: str, values: dict[str, Any]) -> ActionResult:
    """Apply ``action`` (the pressed button's value) to ``values`` in place. "run" changes nothing."""
    removal = _REMOVE.fullmatch(action)
    if action in ("add-mapping", "add-property") and len(values[_ROWS[action]]) >= limits.MAX_ROWS:
        words = "event mapping rows" if action == "add-mapping" else "custom properties"
        return _error(
            _ROWS[action], f"The playground holds at most {limits.MAX_ROWS:,} {words}; no row was added."
        )
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
    elif action in _SOURCES:  # the source switch's tabs, without JavaScript
        return _use_source(_SOURCES[action], values)
    elif action == "use-event-traits":
        return _use_event_traits(values)
    elif action == "turn-on-enhanced-match":
        return _turn_on_enhanced_match(values)
    elif action.startswith(DEDUP_FIX_ACTION):
        return _apply_dedup_fix(action.removeprefix(DEDUP_FIX_ACTION), values)
    return ActionResult()


def _fill_from_config(values: dict[str, Any]) -> ActionResult:
    text = values["settings_json"]
    if not text.strip():
        return _error(
            "settings_json",
            "Paste a destination config first: the JSON from RudderStack, such as "
            '{"tagId": "2612345678901", "enhancedMatch": true, "eventsMapping": [ … ]}.',
        )
    too_long = limits.too_long("The pasted config", text, limits.MAX_TEXT_LENGTH)
    if too_long:
        return _error("settings_json", f"{too_long} The form was not changed.")
    try:
        config = parse_settings(load_json(text, max_depth=limits.MAX_NESTING)).to_config()
        too_big = (
            limits.settings_problem(config) or next(iter(limits.state_errors(config, {}).values()), [None])[0]
        )
        if too_big:
            return _error(
                "settings_json",
                f"{too_big.rstrip('.')}. Fix it in the pasted config; the form was not changed.",
            )
    except JSONInputError as exc:
        where = where_first(exc.location)
        return _error(
            "settings_json",
            f"{where}{exc.message}. The config must be JSON, exactly as RudderStack shows it.",
        )
    except SettingsError as exc:
        where = f"“{exc.path}” " if exc.path else ""
        return _error(
            "settings_json", f"{where}{exc.message}. Fix it in the pasted config; the form was not changed."
        )
    values.update(values_from_settings(config))
    return ActionResult(
        "The settings were filled from the pasted config. The behaviour profile and the scenario were not changed."
    )


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
    if values.get("scenario_source") == "events":
        return ActionResult(
            f"Added to the call script: {line} The imported events are still the scenario; "
            "switch back to the call script to run it."
        )
    return ActionResult(f"Added to the scenario: {line}")


def _use_source(source: str, values: dict[str, Any]) -> ActionResult:
    """Make ``source`` the scenario (every field's text is kept) and say what Run will run."""
    values["scenario_source"] = source
    if source == "calls":
        return ActionResult(
            "Scenario source: SDK calls. Run runs the call script; the pasted events and pintrk calls are kept in their tabs."
        )
    if source == "pintrk":
        if not values.get("pintrk", "").strip():
            return ActionResult(
                'Scenario source: pintrk calls. Write them below as a JSON list, e.g. [["load", "2612345678901"], ["page"]], then Run.'
            )
        return ActionResult(
            "Scenario source: pintrk calls, given to Pinterest's tag as they are: the settings and the SDK calls are not used (they are kept)."
        )
    return _use_events(values)


def _use_events(values: dict[str, Any]) -> ActionResult:
    if not values["messages"].strip():
        return ActionResult(
            "Scenario source: pasted RudderStack events. Paste what the customer sent below "
            '(one message from Live Events, a list, or the SDK\'s {"batch": […]} body), then Run.'
        )
    read = read_events(values["messages"])
    if isinstance(read, str):  # the run says what is wrong, beside the events
        return ActionResult(
            "Scenario source: pasted RudderStack events. They can't be read yet: see the message beside them (everything pasted is kept)."
        )
    found = read.events
    assert found is not None  # pasted events always come back as read
    loaded = len(found.messages)
    shapes = {
        "message": "one message",
        "list": "a list",
        "batch": "a batch body",
        "lines": "one message per line",
    }
    notice = (
        f"Scenario: {loaded} imported event{'s' if loaded != 1 else ''} (pasted as {shapes.get(found.shape, 'JSON')}), "
        "replayed with their messageIds and traits. The call script is kept, unused."
    )
    skipped = len({p.index for p in found.problems if p.skipped})
    if skipped:
        notice += f" {skipped} entr{'y was' if skipped == 1 else 'ies were'} left out: see the list under the events."
    if found.initial_traits and not values["initial_traits"].strip():
        notice += " The first event carries stored traits: you can use them as initial traits (button under the events)."
    return ActionResult(notice)


def _use_event_traits(values: dict[str, Any]) -> ActionResult:
    read = read_events(values["messages"])
    found = read.events if not isinstance(read, str) else None
    if found is None or not found.initial_traits:
        return _error(
            "initial_traits",
            "The pasted events carry no stored traits (context.traits of the first event) to use.",
        )
    values["initial_traits"] = indent_json(stringify(dict(found.initial_traits)) or "{}")
    number = read.event_numbers[0] if not isinstance(read, str) and read.event_numbers else 1
    return ActionResult(
        f"The initial traits are now event {number}'s context.traits (the traits stored before it)."
    )


def _turn_on_enhanced_match(values: dict[str, Any]) -> ActionResult:
    """Tick Enhanced match; with no initial traits, the first event's stored traits become them, so
    load() has an e-mail to send (enhanced match changes nothing without one)."""
    values["enhanced_match"] = True
    if values["initial_traits"].strip():
        return ActionResult("Enhanced match is on: load() sends the initial traits' e-mail, hashed.")
    read = read_events(values["messages"])
    if isinstance(read, str) or read.events is None or not has_email(read.events.initial_traits):
        return ActionResult(
            "Enhanced match is on. The first event's stored traits have no e-mail, so load() has none to send."
        )
    return ActionResult(f"Enhanced match is on. {_use_event_traits(values).notice}")


def _error(field_name: str, message: str) -> ActionResult:
    return ActionResult(errors={field_name: [message]})


def _apply_dedup_fix(argument: str, values: dict[str, Any]) -> ActionResult:
    """Set the deduplication key the check suggests, in this destination's field or in the
    separate server destination's config (whose other keys are kept as typed)."""
    destination, _, path = argument.partition(":")
    if destination == "settings" and path:
        values["deduplication_key"] = path
        return ActionResult(f"This destination's deduplication key is now {path}.")
    text = values.get("cloud_settings") or ""
    if destination != "cloudSettings" or not path or not text.strip():
        return _error("cloud_settings", "There is no such deduplication key to set.")
    try:
        config = load_json(text, max_depth=limits.MAX_NESTING)
    except JSONInputError as exc:
        return _error("cloud_settings", f"The server destination's config is not valid JSON: {exc}")
    if not isinstance(config, dict):
        return _error("cloud_settings", "The server destination's config must be a JSON object ({ … }).")
    config["deduplicationKey"] = path
    values["cloud_settings"] = indent_json(stringify(config) or "{}")
    return ActionResult(f"The server destination's deduplication key is now {path}.")
