"""``python -m app.pintrk cloud FILE [--batch]``: what cloud mode sends, one JSON line per case.

FILE is a list of ``{"id", "destination_config", "message"}`` (RudderStack's recorded
``cases.json`` reads as it is) or one such object; with ``--batch``, a list of router cases
``{"id", "events": [{"destination_config", "message", "metadata"}]}`` (``router.json``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, TextIO

from .cloud.cases import cloud_lines, read_cloud_cases, read_router_cases, router_lines
from .errors import InputError, Location
from .jsvalue import JSONInputError, loads, stringify
from .limits import CLI, MAX_NESTING, check_text

__all__ = ["cloud_lines_of", "write_cloud_lines"]


def cloud_lines_of(text: str | bytes, source: str, batch: bool) -> Iterator[dict[str, Any]]:
    """The lines for the JSON ``text`` (read from ``source``); an :class:`InputError` names what and where.

    The whole file is read and checked before the first line is made.
    """
    try:
        check_text(text, CLI, Location(), "the file")
        data = loads(text, max_depth=MAX_NESTING)
        if batch:
            return router_lines(read_router_cases(data, CLI))
        return cloud_lines(read_cloud_cases(data, CLI))
    except JSONInputError as exc:
        raise InputError(f"{source}: {exc}") from None
    except InputError as exc:
        raise InputError(f"{source}: {exc}", code=exc.code) from None


def write_cloud_lines(lines: Iterator[dict[str, Any]], out: TextIO) -> None:
    for line in lines:
        out.write((stringify(line) or "{}") + "\n")
    out.flush()
