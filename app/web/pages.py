"""HTML responses that can always be sent."""

from __future__ import annotations

import re

from flask import Response

from .page_cache import fill_holes

__all__ = ["encode_page", "html_response", "page_response"]

# A lone surrogate (from a "\ud800" escape in the user's JSON) can't be encoded as UTF-8;
# shown as U+FFFD it can. The data itself (logs, exports, snippets) keeps the escape.
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def encode_page(html: str) -> bytes:
    try:
        return html.encode()  # a lone surrogate is rare: look for them only when encoding fails
    except UnicodeEncodeError:
        return _LONE_SURROGATE.sub("\ufffd", html).encode()


def html_response(html: str, status: int = 200) -> Response:
    return Response(encode_page(html), status=status, mimetype="text/html")


def page_response(page: bytes, status: int = 200) -> Response:
    """A page rendered with holes (see page_cache), filled for this response."""
    return Response(fill_holes(page), status=status, mimetype="text/html")
