"""Input the core cannot use: one error type, with where the problem is, in plain words.

Every refusal of user input (settings, call scripts, pasted events, JSON, HAR files, reproduction
files, budgets) is an :class:`InputError`, so the web layer renders it beside the field, the API
serialises it (``code``, ``message``, ``location``) and the CLI prints it, each in one place.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Location", "InputError", "at_line"]


@dataclass(frozen=True)
class Location:
    """Where a problem is: a path in the input document, a line and column in a text, or both.

    ``path`` is dotted and indexed as in JavaScript (``settings.eventsMapping[2].to``,
    ``messages[3].properties``); ``line`` and ``column`` count from 1.
    """

    path: str | None = None
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        """The one way a location is written: ``calls: line 3, column 5``, ``settings.tagId``."""
        position = None
        if self.line is not None:
            position = (
                f"line {self.line}" if self.column is None else f"line {self.line}, column {self.column}"
            )
        if self.path and position:
            return f"{self.path}: {position}"
        return self.path or position or ""

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
            joined = f"{path}.{inner}"
        return Location(joined, self.line, self.column)


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
