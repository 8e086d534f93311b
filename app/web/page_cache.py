"""Rendered playground pages, kept for the next request that names the same scenario.

A page opened from a link (``/?s=…``), an example (``/?preset=…``) or the blank form
depends only on what its URL names, so it is rendered once and served again from
memory: a link shared in a support ticket is opened by several people, an example by
everyone, the blank page on every visit. Only two values differ per response, the
CSRF token and the CSP nonce; pages are rendered with random placeholders ("holes")
in their place and :func:`fill_holes` puts this response's values in. Every page of
the playground goes through the holes, cached or not, so both paths send the same bytes.

The cache is per process, bounded by the total size of the pages it holds
(``PAGE_CACHE_BYTES``; 0 turns it off) and emptied on restart, which is when the
code or templates that rendered the pages can change.
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Callable, Hashable
from typing import Any

from cachetools import LRUCache
from flask import Flask, current_app
from flask_wtf.csrf import generate_csrf

from .security import csp_nonce

__all__ = ["PageCache", "hole_values", "fill_holes", "page_cache"]

# Random per process and never sent (every response has them replaced), so nothing a
# user types can contain one by accident. ASCII, so they are replaced in the encoded page.
_CSRF_HOLE = f"csrf-hole-{secrets.token_hex(16)}"
_NONCE_HOLE = f"nonce-hole-{secrets.token_hex(16)}"

# A page bigger than this share of the cache is sent but not kept: one huge scenario
# would otherwise push out every other page.
_LARGEST_SHARE = 8


def hole_values() -> dict[str, Callable[[], str]]:
    """Template globals that render holes instead of this request's values."""
    return {"csrf_token": lambda: _CSRF_HOLE, "csp_nonce": lambda: _NONCE_HOLE}


def fill_holes(page: bytes) -> bytes:
    """The page with this response's CSRF token and CSP nonce in the holes."""
    return page.replace(_CSRF_HOLE.encode(), generate_csrf().encode()).replace(
        _NONCE_HOLE.encode(), csp_nonce().encode()
    )


class PageCache:
    """A thread-safe LRU of encoded pages (with holes), bounded by their total size."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._pages: LRUCache[Hashable, bytes] | None = (
            LRUCache(maxsize=max_bytes, getsizeof=len) if max_bytes > 0 else None
        )
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: Hashable) -> bytes | None:
        if self._pages is None:
            return None
        with self._lock:
            page = self._pages.get(key)
            if page is None:
                self.misses += 1
            else:
                self.hits += 1
            return page

    def put(self, key: Hashable, page: bytes) -> None:
        if self._pages is None or len(page) * _LARGEST_SHARE > self.max_bytes:
            return
        with self._lock:
            self._pages[key] = page

    def __len__(self) -> int:
        return len(self._pages) if self._pages is not None else 0

    def stats(self) -> dict[str, Any]:
        with self._lock:
            return {
                "pages": len(self),
                "bytes": self._pages.currsize if self._pages is not None else 0,
                "max_bytes": self.max_bytes,
                "hits": self.hits,
                "misses": self.misses,
            }


def init_app(app: Flask) -> None:
    app.extensions["pintrk_page_cache"] = PageCache(int(app.config.get("PAGE_CACHE_BYTES", 0)))


def page_cache() -> PageCache:
    return current_app.extensions["pintrk_page_cache"]
