"""The call builder: form fields → one ``rudderanalytics.…(…);`` line, for people who don't write code.

Every value is written with ``json.dumps``, never pasted in as text, so whatever was
typed comes out as a literal that ``parse_call_script`` reads back unchanged.
"""

from __future__ import annotations

import json
import re
from typing import Any

from app.pintrk import JSONInputError, Location, load_json

from .limits import MAX_CALL_NESTING, MAX_LINE_LENGTH, MAX_TEXT_LENGTH, too_long
from .wording import where_first

__all__ = ["BuilderError", "build_call", "parse_data", "append_call"]


class BuilderError(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field, self.message = field, message


_LINE_FIELDS = (
    ("builder_event", "The event name"),
    ("builder_name", "The page name"),
    ("builder_category", "The page category"),
    ("builder_user_id", "The user ID"),
)


def build_call(
    method: str, *, event: str = "", name: str = "", category: str = "", user_id: str = "", data: str = ""
) -> str:
    for (field, label), text in zip(_LINE_FIELDS, (event, name, category, user_id), strict=False):
        problem = too_long(label, text, MAX_LINE_LENGTH)
        if problem:
            raise BuilderError(field, problem)
    problem = too_long("The properties text", data, MAX_TEXT_LENGTH)
    if problem:
        raise BuilderError("builder_data", problem)
    values = parse_data(data)
    if method == "track":
        if not event.strip():
            raise BuilderError("builder_event", "Give the event a name, for example Order Completed.")
        args: list[Any] = [event] + ([values] if values else [])
    elif method == "page":
        if category and not name:
            raise BuilderError("builder_name", "A page with a category needs a page name too.")
        args = [category, name] if category else ([name] if name else [])
        if values:
            args.append(values)
    elif method == "identify":
        if not user_id and not values:
            raise BuilderError(
                "builder_user_id", "Give a user ID, some traits (such as email=jane@example.com), or both."
            )
        args = ([user_id] if user_id else []) + ([values] if values else [])
    else:
        raise BuilderError("builder_method", "Choose track, page or identify.")
    return f"rudderanalytics.{method}({', '.join(_literal(arg) for arg in args)});"


def parse_data(text: str) -> dict[str, Any]:
    """A JSON object, or ``key=value`` lines (a value that reads as JSON, like 10 or true, is used as such)."""
    if not text.strip():
        return {}
    if text.lstrip().startswith("{"):
        try:
            # The object becomes a call's argument: the call script's nesting limit applies.
            value = load_json(text, max_depth=MAX_CALL_NESTING)
        except JSONInputError as exc:
            where = where_first(exc.location)
            raise BuilderError(
                "builder_data", f"{where}{exc.message}. Write a JSON object, or key=value lines."
            ) from None
        if not isinstance(value, dict):
            raise BuilderError("builder_data", "Write a JSON object in { }, or key=value lines.")
        return value
    values: dict[str, Any] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        key, equals, raw = line.partition("=")
        if not equals or not key.strip():
            raise BuilderError(
                "builder_data",
                f"{where_first(Location(line=number))}write key=value, for example currency=USD (or a JSON object).",
            )
        values[key.strip()] = _value(raw.strip(), number)
    return values


def append_call(script: str, line: str) -> str:
    """The script with ``line`` added at the end, on a line of its own."""
    newline = "\r\n" if "\r\n" in script else "\n"
    if script and not script.endswith(("\n", "\r")):
        script += newline
    return script + line + newline


def _value(raw: str, number: int = 1) -> Any:
    if not raw:
        return ""
    try:
        return load_json(raw, max_depth=MAX_CALL_NESTING - 1)  # inside the properties object
    except JSONInputError as exc:
        if exc.message.startswith("the JSON is nested"):
            raise BuilderError(
                "builder_data",
                f"{where_first(Location(line=number))}the value is nested more than {MAX_CALL_NESTING - 1} levels deep; a call's values "
                f"may be nested at most {MAX_CALL_NESTING} levels of {{…}} and […].",
            ) from None
        return raw  # plain text: currency=USD


_ESCAPED = re.compile("[\u2028\u2029\ud800-\udfff]")


def _literal(value: Any) -> str:
    # JSON is JavaScript once U+2028/2029 (line ends in older engines) and lone surrogates
    # (which can't be written as UTF-8) are escaped.
    text = json.dumps(value, ensure_ascii=False, allow_nan=False)
    return _ESCAPED.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
