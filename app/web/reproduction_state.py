"""Reproductions on the playground page: the current state as a JSON document, and back.

:mod:`app.pintrk.reproduction` owns the format; this module only translates between
it and a :class:`PlaygroundState` (and reads an uploaded file, never more than the
limit plus one byte).
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import IO, Any

from flask import current_app
from werkzeug.datastructures import FileStorage

from app.pintrk import (
    MAX_REPRODUCTION_BYTES,
    SAVE_BUDGET,
    InputError,
    JSONInputError,
    NumberTooLarge,
    OverBudget,
    Reproduction,
    ReproductionError,
    both_paths,
    check_scenario,
    check_text,
    dump_reproduction,
    indent_json,
    load_json,
    load_reproduction,
    load_scenario,
    size_text,
    stringify,
)

from . import limits
from .actions import ActionResult
from .forms import values_from_state
from .pasted_events import read_events
from .scenario_errors import inner_location, settings_words
from .state import Outcome, PlaygroundState

__all__ = [
    "MAX_REPRODUCTION_BYTES",
    "UploadTooLarge",
    "SaveError",
    "open_reproduction",
    "read_upload",
    "reproduction_of",
    "save_text",
    "state_of",
]


class UploadTooLarge(ValueError):
    def __init__(self, limit: int) -> None:
        self.limit = limit
        super().__init__(f"larger than {size_text(limit)}")


class SaveError(ValueError):
    """The state can't be written as a reproduction; ``field`` is the form field to fix."""

    def __init__(self, field: str, message: str) -> None:
        self.field, self.message = field, message
        super().__init__(message)


def read_upload(stream: IO[bytes], limit: int) -> bytes:
    """The uploaded bytes; reads at most ``limit + 1`` bytes and refuses more than ``limit``."""
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise UploadTooLarge(limit)
    return data


# -- save ------------------------------------------------------------------------------------


def reproduction_of(state: PlaygroundState, outcome: Outcome) -> Reproduction:
    """The state as a reproduction (``outcome``: its run); raises SaveError naming the field to fix."""
    traits = _saved_traits(state, outcome)
    if outcome.settings is None:  # the run did not read them (the tag alone), or they have errors
        _saved_settings(state)
    messages = pintrk = None
    if state.pintrk is not None:
        if outcome.result is None or outcome.result.scenario.pintrk is None:
            raise SaveError(
                "pintrk", " ".join(outcome.errors.get("pintrk", ["The pintrk calls can't be read."]))
            )
        pintrk = outcome.result.scenario.pintrk
    elif state.messages is not None:
        messages = _saved_events(state.messages, outcome)
    try:
        check_scenario(messages or (), SAVE_BUDGET)
    except OverBudget as exc:
        where = "initial_traits" if exc.location == "initialTraits" else "messages"
        raise SaveError(where, f"{exc.message[:1].upper()}{exc.message[1:]}.") from None
    try:
        return Reproduction(
            profile=state.profile,
            settings=copy.deepcopy(state.settings),  # Reproduction normalises in place
            initial_traits=traits,
            calls=state.calls if messages is None and pintrk is None else None,
            messages=messages,
            pintrk=pintrk,
            cloud_settings=_saved_cloud_settings(state),
        )
    except ReproductionError as exc:
        raise SaveError(exc.location or "profile", f"{exc.message[:1].upper()}{exc.message[1:]}.") from None


def _saved_events(text: str, outcome: Outcome) -> Sequence[Any]:
    """Every pasted event read (the page replays the first 1,000 only; entries left out are not
    saved): as the run read them, or read here when the run did not get to them."""
    if outcome.pasted is not None:
        return outcome.pasted.messages
    read = read_events(text)
    if isinstance(read, str):
        raise SaveError("messages", read)
    return read.events.messages if read.events is not None else ()


def _saved_traits(state: PlaygroundState, outcome: Outcome) -> Any:
    """The initial traits as the run read them; read here only when the run did not get to them."""
    if outcome.initial_traits is not None:
        return outcome.initial_traits
    try:
        return dict(load_scenario({"initialTraits": state.initial_traits}, budget=SAVE_BUDGET).initial_traits)
    except InputError as exc:
        if exc.code != "invalid-json":
            raise SaveError(
                "initial_traits",
                'The initial traits must be a JSON object, like {"email": "jane@example.com"}.',
            ) from None
        inner = inner_location(exc.location, "initialTraits")
        where = f"{inner}: " if inner else ""
        what = "can't be saved" if isinstance(exc.__cause__, NumberTooLarge) else "are not valid JSON"
        raise SaveError("initial_traits", f"The initial traits {what} ({where}{exc.message}).") from None


def _saved_cloud_settings(state: PlaygroundState) -> dict[str, Any] | None:
    """The separate cloud destination's config as typed (its token masked), or ``None``."""
    if state.cloud_settings is None:
        return None
    try:
        load_scenario({"cloudSettings": state.cloud_settings}, budget=SAVE_BUDGET)
        config = load_json(state.cloud_settings, max_depth=limits.MAX_NESTING)
    except (InputError, JSONInputError) as exc:
        raise SaveError("cloud_settings", f"The cloud destination's config is not valid: {exc}.") from None
    return config if isinstance(config, dict) else None


def _saved_settings(state: PlaygroundState) -> None:
    try:
        load_scenario({"settings": state.settings}, budget=SAVE_BUDGET)
    except InputError as exc:
        raise SaveError("settings_json", f"The settings are not valid: {settings_words(exc)}.") from None


def save_text(state: PlaygroundState, outcome: Outcome) -> str:
    reproduction = reproduction_of(state, outcome)
    paths = both_paths(outcome.result) if outcome.result is not None else None
    try:
        return dump_reproduction(reproduction, paths[1].to_dict() if paths is not None else None)
    except ReproductionError as exc:  # a value JSON can't hold that no check above caught
        raise SaveError(
            exc.location or "reproduction", f"{exc.message[:1].upper()}{exc.message[1:]}."
        ) from None


# -- open ------------------------------------------------------------------------------------


def state_of(reproduction: Reproduction) -> PlaygroundState:
    """The playground state a reproduction describes (replays to the same log)."""
    traits = dict(reproduction.initial_traits)
    messages = None
    if reproduction.messages is not None:
        messages = indent_json(stringify(list(reproduction.messages)) or "[]")
    return PlaygroundState(
        settings=dict(reproduction.settings),
        profile=reproduction.profile,
        calls=reproduction.calls or "",
        initial_traits=indent_json(stringify(traits) or "{}") if traits else "",
        messages=messages,
        pintrk=indent_json(stringify([list(c) for c in reproduction.pintrk]) or "[]")
        if reproduction.pintrk is not None
        else None,
        cloud_settings=indent_json(stringify(dict(reproduction.cloud_settings)) or "{}")
        if reproduction.cloud_settings is not None
        else None,
    )


def open_reproduction(values: dict[str, Any], upload: FileStorage | None) -> ActionResult:
    """Replace ``values`` with the reproduction uploaded (or pasted); on error change nothing."""
    chosen = _chosen(values, upload)
    if isinstance(chosen, ActionResult):
        return chosen
    data, name = chosen
    reproduction = _read(data, name)
    if isinstance(reproduction, ActionResult):
        return reproduction
    state = state_of(reproduction)
    too_big = _over_form_limits_as_state(state)
    if too_big:
        return _error(f"{name} can't be opened: {too_big} Nothing on the page was changed.")
    values.update(values_from_state(state))
    values["reproduction_text"] = ""
    values["preset"] = ""
    return ActionResult(_opened_notice(reproduction))


def _chosen(values: dict[str, Any], upload: FileStorage | None) -> tuple[bytes | str, str] | ActionResult:
    """The reproduction's text and its name in a sentence: the chosen file's, else the pasted text."""
    if upload is not None and upload.filename:
        try:
            data = read_upload(upload.stream, MAX_REPRODUCTION_BYTES)
        except UploadTooLarge as exc:
            return _error(
                f"“{upload.filename}” is larger than {size_text(exc.limit)}, the most a reproduction file can be. "
                "Choose the .json file the playground saved."
            )
        name = f"“{upload.filename}”"
        if not data.strip():
            return _error(f"{name} is empty. Choose the .json file the playground saved (Save reproduction).")
        return data, name
    if values.get("reproduction_text", "").strip():
        return values["reproduction_text"], "The pasted reproduction"
    return _error("Choose a reproduction file (.json) or paste one, then press Open reproduction.")


def _read(data: bytes | str, name: str) -> Reproduction | ActionResult:
    try:
        check_text(data, SAVE_BUDGET, "document", "it")
    except OverBudget as exc:
        return _error(f"{name} can't be opened: {exc.message}. Nothing on the page was changed.")
    try:
        document: Any = load_json(data, max_depth=limits.MAX_NESTING)
    except JSONInputError as exc:
        where = f" (at {exc.location})" if exc.location else ""
        return _error(
            f"{name} can't be opened{where}: this is not valid JSON: {exc.message}. Nothing on the page was changed."
        )
    if not isinstance(document, dict):
        return _error(
            f"{name} can't be opened: a reproduction must be a JSON object ({{ … }}). Nothing on the page was changed."
        )
    # The form's limits before anything else reads the document: a file the form could not
    # send back (5,000 mapping rows) would open, then be refused on the next submit.
    too_big = _over_form_limits(document)
    if too_big:
        return _error(f"{name} can't be opened: {too_big} Nothing on the page was changed.")
    try:  # the work budget too, before the document is normalised (a few µs per value)
        scenario = document.get("pintrk") if document.get("pintrk") is not None else document.get("messages")
        check_scenario(scenario if isinstance(scenario, list) else (), SAVE_BUDGET)
    except OverBudget as exc:
        return _error(
            f"{name} can't be opened ({exc.location}): {exc.message}. Nothing on the page was changed."
        )
    try:
        return load_reproduction(document)
    except ReproductionError as exc:
        where = f" (at {exc.location})" if exc.location else ""
        return _error(f"{name} can't be opened{where}: {exc.message}. Nothing on the page was changed.")


def _opened_notice(reproduction: Reproduction) -> str:
    if reproduction.messages is not None:
        count = len(reproduction.messages)
        scenario = f"{count} imported event{'s' if count != 1 else ''}"
    elif reproduction.pintrk is not None:
        count = len(reproduction.pintrk)
        scenario = f"{count} pintrk call{'s' if count != 1 else ''} for the tag alone"
    else:
        scenario = "a call script"
    notice = f"Opened the reproduction: profile {reproduction.profile}, {scenario}."
    if reproduction.sent_beacons:
        count = len(reproduction.sent_beacons)
        notice += (
            f" It also lists {count} beacon URL{'s' if count != 1 else ''} the site sent: paste them on "
            "Decode beacons (link above the results) to compare."
        )
    if reproduction.note:
        notice += f" Note: {reproduction.note}"
    return notice


def _over_form_limits(document: Any) -> str | None:
    """The first limit of the form a parsed reproduction is over (rows, characters), or ``None``.

    Only counts and lengths: cheap whatever the document holds.
    """
    if not isinstance(document, dict):
        return None  # load_reproduction() says what is wrong
    settings = document.get("settings")
    if isinstance(settings, dict):
        problem = limits.settings_problem(settings)
        if problem:
            return f"its settings are more than the playground can hold: {problem}."
    cloud = document.get("cloudSettings")
    if isinstance(cloud, dict):
        problem = limits.settings_problem(cloud)
        if problem:
            return f"its cloud destination's config is more than the playground can hold: {problem}."
    texts = {"calls": document.get("calls")}
    over = _first(limits.state_errors(settings if isinstance(settings, dict) else {}, texts))
    if over:
        return over
    # Lists shown as JSON text in a field: their compact form is the least the field will hold.
    field_limit = current_app.config.get("MAX_FORM_MEMORY_SIZE") or 0
    for key in ("messages", "pintrk"):
        value = document.get(key)
        if field_limit and isinstance(value, list):
            size = len((stringify(value) or "").encode("utf-8", "surrogatepass"))
            if size > field_limit:
                return (
                    f"{_FIELD_WORDS[key]} would be more than {size_text(size, digits=1)} in the form; the playground "
                    f"accepts at most {size_text(field_limit)} in one field."
                )
    return None


def _over_form_limits_as_state(state: PlaygroundState) -> str | None:
    """What the opened state would be refused for on the next submit: the same checks as a run,
    and each text's size as the form sends it (one field, the whole request)."""
    texts = {
        "calls": state.calls,
        "initial_traits": state.initial_traits,
        "pintrk": state.pintrk or "",
        "cloud_settings": state.cloud_settings or "",
    }
    problem = _first(limits.state_errors(state.settings, texts))
    if problem:
        return problem
    field_limit = current_app.config.get("MAX_FORM_MEMORY_SIZE") or 0
    total_limit = current_app.config.get("MAX_CONTENT_LENGTH") or 0
    total = 0
    for field, text in (*texts.items(), ("messages", state.messages or "")):
        size = _form_bytes(text)
        total += size
        if field_limit and size > field_limit:
            return (
                f"{_FIELD_WORDS[field]} would be {size_text(size, digits=1)} in the form; the playground "
                f"accepts at most {size_text(field_limit)} in one field."
            )
    if total_limit and total > total_limit:
        return (
            f"its scenario would be {size_text(total, digits=1)} in the form; the playground accepts at most "
            f"{size_text(total_limit)} per request."
        )
    return None


_FIELD_WORDS = {
    "calls": "its SDK calls",
    "initial_traits": "its initial traits",
    "pintrk": "its pintrk calls",
    "messages": "its events",
    "cloud_settings": "its cloud destination's config",
}


def _form_bytes(text: str) -> int:
    # What a browser sends for a text box: UTF-8, each line break as CR LF.
    return len(text.encode("utf-8", "surrogatepass")) + text.count("\n")


def _first(errors: dict[str, list[str]]) -> str | None:
    for messages in errors.values():
        if messages:
            return messages[0]
    return None


def _error(message: str) -> ActionResult:
    return ActionResult(errors={"reproduction": [message]})
