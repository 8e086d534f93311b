"""How the page words :func:`~app.pintrk.load_scenario`'s refusals, each beside its form field.

The core says what is wrong and where in the scenario document (``settings.tagId``,
``calls: line 3, column 5``, ``events.batch``); the field map (``fields.py``) says which form
field that is, and the rules below write it as the page always has: a sentence, the line and
column first, the setting's name as the page labels it, and what to do next.
"""

from __future__ import annotations

from collections.abc import Iterable

from app.pintrk import InputError, Location, MessageError, NumberTooLarge

from .fields import DOCUMENT_FIELDS, field_for_location, setting_subject
from .wording import sentence, where_first

__all__ = ["Errors", "by_kind", "events_problem", "field_errors", "inner_location", "settings_words"]

Errors = dict[str, list[str]]  # form field → messages

_NO_EVENTS = (
    "Paste RudderStack events here: one message ({…}), a list of messages ([…]) or the SDK's "
    '{"batch": […]} request body. Or switch back to the call script.'
)


def field_errors(problems: Iterable[InputError], steps_field: str, errors: Errors) -> None:
    """Each problem, worded for the page, added beside its form field (``steps_field``: the
    field holding the scenario's steps, where the whole run's refusals go)."""
    for problem in problems:
        field = field_for_location(problem.location, steps_field)
        errors.setdefault(field, []).append(_words(problem))


def by_kind(
    problems: Iterable[InputError],
) -> tuple[list[InputError], list[InputError], list[InputError]]:
    """The problems with the settings, with the other fields (traits, calls, events), and with
    the run as a whole (its budget: products…), in the order the page lists them."""
    kinds: dict[str, list[InputError]] = {"settings": [], "field": [], "run": []}
    for problem in problems:
        root = _root(problem.location)
        kind = "settings" if root == "settings" else "field" if root in DOCUMENT_FIELDS else "run"
        kinds[kind].append(problem)
    return kinds["settings"], kinds["field"], kinds["run"]


def inner_location(location: Location | None, key: str) -> Location | None:
    """``location`` inside the document's field ``key``, seen from the field (``settings.tagId``
    → ``tagId``, ``events: line 3`` → ``line 3``); None when it is the whole field."""
    if location is None:
        return None
    path = location.path or ""
    inner = path[len(key) :].lstrip(".") if path.startswith(key) else path
    found = Location(inner or None, location.line, location.column)
    return found if str(found) else None


def settings_words(problem: InputError) -> str:
    """A settings problem as the settings' own error reads: ``eventsMapping[2].to must be …``."""
    inner = inner_location(problem.location, "settings")
    return f"{inner} {problem.message}" if inner else problem.message


def events_problem(problem: InputError) -> str:
    """Why the pasted events can't be read at all, as a sentence for their field."""
    if problem.code == "missing-events":
        return _NO_EVENTS
    if problem.code == "over-budget":
        return f"{sentence(problem.message)} Nothing was imported; paste fewer events, or use the JSON API (/api/v1/docs)."
    inner = inner_location(problem.location, "events")
    where = f"{sentence(str(inner))[:-1]}: " if inner else ""
    return f"{where}{sentence(problem.message)} Nothing was imported; fix the pasted text and try again."


def _words(problem: InputError) -> str:
    location = problem.location
    root = _root(location)
    if root == "settings":
        return _settings_sentence(problem)
    if root == "events":
        return events_problem(problem)
    if root == "cloudSettings":
        return _cloud_settings_sentence(problem)
    if root not in ("initialTraits", "calls", "pintrk"):  # the run's budget (products…)
        return f"{sentence(problem.message)} Nothing was run; shorten it and run again."
    at = _line_and_column(location)
    if root == "initialTraits":
        if problem.code != "invalid-json":
            return 'Initial traits must be a JSON object in { }, like {"email": "jane@example.com"}.'
        hint = (
            ""
            if isinstance(problem.__cause__, NumberTooLarge)
            else ' Initial traits must be JSON, like {"email": "jane@example.com"}.'
        )
        return f"{at}{sentence(problem.message)}{hint}"
    if root == "calls":
        if isinstance(problem.__cause__, MessageError):  # the call reads, the SDK would refuse it
            return f"{where_first(Location(line=location.line if location else None))}{sentence(problem.message)}"
        return f"{at}{problem.message}"
    if problem.code == "invalid-json":
        return f"{at}{sentence(problem.message)}"
    # The calls' shape keeps the core's "pintrk: " before its sentence, as the page has shown it;
    # "pintrk" stays lower-case, as the command is written.
    text = str(problem) if problem.__cause__ is not None else problem.message
    return f"{text.rstrip('.')}."


def _settings_sentence(problem: InputError) -> str:
    inner = inner_location(problem.location, "settings")
    path = inner.path if inner else None
    label = setting_subject(path or "")
    if label:
        return f"{label} {problem.message}."
    if path:
        return f"“{path}” {problem.message}."
    return sentence(problem.message)


def _cloud_settings_sentence(problem: InputError) -> str:
    """A problem with the separate cloud destination's config: the key first, as the settings'."""
    inner = inner_location(problem.location, "cloudSettings")
    where = f"“{inner}” " if inner is not None else ""
    return f"{where}{sentence(problem.message) if not where else problem.message.rstrip('.') + '.'}"


def _line_and_column(location: Location | None) -> str:
    """ "Line 3, column 5: " before a sentence about a text box (the field names the rest)."""
    if location is None or not location.line:
        return ""
    return where_first(Location(line=location.line, column=location.column))


def _root(location: Location | None) -> str:
    path = location.path if location is not None else None
    if not path:
        return ""
    cut = min((i for i in (path.find("."), path.find("[")) if i >= 0), default=len(path))
    return path[:cut]
