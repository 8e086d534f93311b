"""How the pages word what they report: core messages as sentences, errors in one line.

The core's messages start in lower case and carry no full stop (they are also read by the
API and the CLI); the pages show them as sentences. Sizes: the core's ``size_text``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from app.pintrk import Location

from .fields import field_label

__all__ = ["errors_in_words", "sentence", "where_first"]


def sentence(text: str) -> str:
    """``text`` as a sentence: capital first letter, closing full stop."""
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."


def where_first(location: Location | None) -> str:
    """A sentence's opening that says where (``"Line 3, column 5: "``; "" for no location): the
    location as the core writes it, capitalised."""
    text = str(location) if location is not None else ""
    return f"{text[:1].upper()}{text[1:]}: " if text else ""


def errors_in_words(errors: Mapping[str, Sequence[str]], limit: int = 3) -> str:
    """The first ``limit`` input errors as one text ("SDK calls: Line 2: …"), for pages without the form."""
    lines = [f"{field_label(name)}: {text}" for name, texts in errors.items() for text in texts]
    more = f" (and {len(lines) - limit:,} more)" if len(lines) > limit else ""
    return " ".join(lines[:limit]) + more
