"""The playground's input limits, each refused in words that state it (the numbers: the core's table).

Each limit is checked at the layer that can refuse it cheaply, before any expensive work:

* the HTTP request (``config.py``): ``MAX_CONTENT_LENGTH`` per request, ``MAX_FORM_MEMORY_SIZE``
  per field and ``MAX_FORM_PARTS`` fields, multipart or URL-encoded alike (``requests.py`` applies
  them to URL-encoded bodies, which Werkzeug leaves unchecked); ``errors.py`` answers 413 and names them;
* the form (:func:`form_problem`, run before WTForms builds anything): at most
  :data:`MAX_ROWS` event-mapping rows and as many custom-property rows;
* the scenario (:func:`state_errors`, the first thing ``PlaygroundState.run`` does, so a
  link meets the same limits as the form): characters per field, rows (which field meets
  which limit: ``fields.py``);
* JSON typed into the form (pasted config, initial traits, the call builder's data) and a
  link's settings: at most :data:`MAX_NESTING` levels of ``{…}``/``[…]`` (the JSON API's own
  limit);
* the call script (the core's ``parse_call_script``): :data:`MAX_CALLS` calls, :data:`MAX_CALL_NESTING`
  levels, :data:`MAX_TEXT_LENGTH` characters;
* permalinks (``permalink.py``): ``MAX_TOKEN_LENGTH`` characters, ``MAX_DECOMPRESSED`` bytes,
  :data:`MAX_NESTING` levels.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from app.pintrk import MAX_CALL_NESTING, MAX_CALLS, MAX_LINE_LENGTH, MAX_NESTING, MAX_ROWS, MAX_TEXT_LENGTH

from .fields import LINE_SETTINGS, ROW_GROUPS, SETTING_FIELDS, TEXT_FIELDS

__all__ = [
    "FORM_ENDPOINTS",
    "MAX_CALLS",
    "MAX_CALL_NESTING",
    "MAX_LINE_LENGTH",
    "MAX_NESTING",
    "MAX_ROWS",
    "MAX_TEXT_LENGTH",
    "form_problem",
    "settings_problem",
    "state_errors",
    "too_long",
]

# The views that take the playground's whole form (requests.py reads it past its limits).
FORM_ENDPOINTS = frozenset(
    {
        "playground.submit",
        "playground.render",
        "playground.export",
        "playground.download",
        "reproduction.save",
    }
)
_ROW_KEY = re.compile(r"(mappings|custom_properties)-(\d{1,12})-")


def too_long(label: str, text: str, limit: int) -> str | None:
    """The sentence for a text over ``limit`` characters (``None`` when it fits)."""
    if len(text) <= limit:
        return None
    return f"{label} is {len(text):,} characters long; the playground accepts at most {limit:,}."


def form_problem(form: Mapping[str, Any]) -> str | None:
    """Why a posted playground form is refused before it is read (too many rows), or ``None``."""
    indices: dict[str, set[str]] = {group: set() for group in ROW_GROUPS}
    for key in form:
        match = _ROW_KEY.match(key)
        if match:
            indices[match.group(1)].add(match.group(2))
    for group, found in indices.items():
        if len(found) > MAX_ROWS:
            return (
                f"The form has {len(found):,} {ROW_GROUPS[group].rows}; the playground accepts at most "
                f"{MAX_ROWS:,}. Nothing was run. Go back, or start again from a fresh playground."
            )
    return None


def settings_problem(settings: Mapping[str, Any]) -> str | None:
    """A destination config (pasted, or from a link) with more rows than the form holds, or ``None``."""
    for group in ROW_GROUPS.values():
        rows = settings.get(group.setting)
        if isinstance(rows, list) and len(rows) > MAX_ROWS:
            return f"“{group.setting}” has {len(rows):,} {group.rows}; the playground accepts at most {MAX_ROWS:,}"
    return None


def state_errors(settings: Mapping[str, Any], texts: Mapping[str, str]) -> dict[str, list[str]]:
    """Form field → messages for every limit the scenario is over (empty when it fits).

    ``texts`` holds the text boxes by form field name (``calls``, ``initial_traits``).
    """
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str | None) -> None:
        if message:
            errors.setdefault(field, []).append(message)

    for key in LINE_SETTINGS:
        value = settings.get(key)
        if isinstance(value, str):
            add(SETTING_FIELDS[key].field, too_long(SETTING_FIELDS[key].subject, value, MAX_LINE_LENGTH))
    for name, group in ROW_GROUPS.items():
        rows = settings.get(group.setting)
        if not isinstance(rows, list):
            continue
        if len(rows) > MAX_ROWS:
            add(name, f"There are {len(rows):,} {group.rows}; the playground accepts at most {MAX_ROWS:,}.")
            continue
        for index, row in enumerate(rows):
            if not isinstance(row, Mapping):
                continue
            for row_field in group.fields:
                value = row.get(row_field.key)
                if isinstance(value, str):
                    add(
                        f"{name}-{index}-{row_field.field}",
                        too_long(row_field.subject, value, MAX_LINE_LENGTH),
                    )
    for field, text in texts.items():
        if isinstance(text, str):
            add(field, too_long(TEXT_FIELDS.get(field, "This text"), text, MAX_TEXT_LENGTH))
    return errors
