"""How the pages word what they report: sentences, and sizes in bytes.

The core's messages start in lower case and carry no full stop (they are also read by the
API and the CLI); the pages show them as sentences.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from .fields import field_label

__all__ = ["errors_in_words", "sentence", "size_limit_text", "size_text", "size_text_rounded"]


def sentence(text: str) -> str:
    """``text`` as a sentence: capital first letter, closing full stop."""
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."


def size_limit_text(limit: int) -> str:
    """A byte limit in words: "2 MB", "500 KB", "1,500 bytes"."""
    if limit >= 1024 * 1024 and limit % (1024 * 1024) == 0:
        return f"{limit // (1024 * 1024)} MB"
    if limit >= 1024 and limit % 1024 == 0:
        return f"{limit // 1024} KB"
    if limit >= 1000 and limit % 1000 == 0:  # decimal limits such as Flask's 500,000 bytes
        return f"{limit // 1000} KB"
    return f"{limit:,} bytes"


def size_text(size: int) -> str:
    """A measured size: "1.25 MB", "12 KB", "800 bytes"."""
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.2f} MB"
    return f"{size / 1024:,.0f} KB" if size >= 1024 else f"{size:,} bytes"


def size_text_rounded(size: int) -> str:
    """A size to one decimal of a MB, or whole KB: "1.3 MB", "12 KB"."""
    return f"{size / (1024 * 1024):.1f} MB" if size >= 1024 * 1024 else f"{size / 1024:,.0f} KB"


def errors_in_words(errors: Mapping[str, Sequence[str]], limit: int = 3) -> str:
    """The first ``limit`` input errors as one text ("SDK calls: Line 2: …"), for pages without the form."""
    lines = [f"{field_label(name)}: {text}" for name, texts in errors.items() for text in texts]
    more = f" (and {len(lines) - limit:,} more)" if len(lines) > limit else ""
    return " ".join(lines[:limit]) + more
