"""Wording helpers for messages shown to people."""

from __future__ import annotations

__all__ = ["shorten"]


def shorten(text: str, limit: int = 60) -> str:
    """``text``, cut to ``limit`` characters with "…": a message must not repeat a huge input."""
    return text if len(text) <= limit else text[: limit - 1] + "…"
