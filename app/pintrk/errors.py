"""Input the core cannot use: one error type, with where the problem is, in plain words.

Every refusal of user input (settings, call scripts, pasted events, JSON, HAR files, reproduction
files, budgets) is an :class:`InputError`, so the web layer renders it beside the field, the API
serialises it (``code``, ``message``, ``location``) and the CLI prints it, each in one place.
"""

from __future__ import annotations

from typing import Any

__all__ = ["Location", "InputError", "InputErrors", "at_line", "as_location", "field_path", "item_path"]


class Location(str):
    """Where a problem is: a path in the input document, a line and column in a text, or both.

    ``path`` is dotted and indexed as in JavaScript (``settings.eventsMapping[2].to``,
    ``messages[3].properties``); ``line`` and ``column`` count from 1.

    A location *is* its written form (a ``str``: ``"calls: line 3, column 5"``), so callers that
    compared, joined or serialised the text locations of before keep working unchanged; the parts
    stay readable as attributes.  Immutable, like the text it is.
    """

    path: str | None
    line: int | None
    column: int | None

    def __new__(cls, path: str | None = None, line: int | None = None, column: int | None = None) -> Location:
        self = super().__new__(cls, _written(path, line, column))
        for name, value in (("path", path), ("line", line), ("column", column)):
            object.__setattr__(self, name, value)
        return self

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"a Location cannot be changed ({name})")

    def __reduce__(self) -> tuple[type[Location], tuple[str | None, int | None, int | None]]:
        return (Location, (self.path, self.line, self.column))  # (pickle, copy) by its parts

    def __repr__(self) -> str:
        return f"Location(path={self.path!r}, line={self.line!r}, column={self.column!r})"

    def __str__(self) -> str:
        """The one way a location is written: ``calls: line 3, column 5``, ``settings.tagId``."""
        return str.__str__(self)

    def inside(self, path: str) -> Location:
        """This location, inside the field ``path`` (``messages[2]`` inside ``batch`` …)."""
        if not path:
            return self
        inner = self.path
        if not inner:
            joined = path
        elif inner.startswith("["):
            joined = path + inner
        else:
            joined = field_path(path, inner)
        return Location(joined, self.line, self.column)


def field_path(parent: str | None, key: str) -> str:
    """The path of ``key`` in the object at ``parent``: ``settings.tagId`` (``key`` alone at the top)."""
    return f"{parent}.{key}" if parent else key


def item_path(parent: str | None, index: int) -> str:
    """The path of item ``index`` in the list at ``parent``: ``messages[2]`` (``[2]`` at the top)."""
    return f"{parent or ''}[{index}]"


def _written(path: str | None, line: int | None, column: int | None) -> str:
    position = None
    if line is not None:
        position = f"line {line}" if column is None else f"line {line}, column {column}"
    if path and position:
        return f"{path}: {position}"
    return path or position or ""


def as_location(where: str | Location | None) -> Location | None:
    """A location given as a path (``"settings.tagId"``) or already one; None stays None."""
    return where if where is None or isinstance(where, Location) else Location(where)


def at_line(line: int | None, column: int | None = None, path: str | None = None) -> Location:
    """A location in a text (a call script, pasted events, a file)."""
    return Location(path, line, column)


class InputError(ValueError):
    """Input the core cannot use.

    ``message`` says what is wrong and what to do, in words a marketer understands; ``location``
    says where (or is None when the whole input is at fault); ``code`` is stable, for programs
    (the API's error ``code``).
    """

    code = "invalid-input"
    # What :func:`~app.pintrk.scenario.load_scenario` could read despite the problem: a Scenario
    # with the steps (calls, pasted events…) and, where they were not at fault, the settings and
    # traits; None when the steps themselves can't be read.  For a form that shows what it read
    # beside what it refused (the count of pasted events, their notes) without reading it twice.
    scenario: Any = None

    def __init__(self, message: str, location: Location | None = None, *, code: str | None = None) -> None:
        self.message = message
        self.location = location
        if code is not None:
            self.code = code
        super().__init__(f"{location}: {message}" if location and str(location) else message)

    @property
    def where(self) -> str | None:
        """The location as text, or None."""
        return str(self.location) or None if self.location is not None else None

    @property
    def problems(self) -> tuple[InputError, ...]:
        """Every problem this error stands for: itself (:class:`InputErrors`: each one found)."""
        return (self,)


class InputErrors(InputError):
    """Several problems found in one pass over an input (settings *and* calls…), so a form can
    show each beside its field; the first one speaks for all (``message``, ``location``, ``code``,
    ``str()``), so a caller that reports one error needs nothing more."""

    def __init__(self, problems: tuple[InputError, ...]) -> None:
        first = problems[0]
        super().__init__(first.message, first.location, code=first.code)
        self.args = first.args
        self._problems = problems

    @property
    def problems(self) -> tuple[InputError, ...]:
        return self._problems
