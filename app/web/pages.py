"""Responses that can always be sent: HTML pages (lone surrogates and all) and downloads."""

from __future__ import annotations

import re

from flask import Response

from .page_cache import fill_holes
from .security import content_security_policy, csp_nonce

__all__ = ["attachment", "encode_page", "html_response", "page_response"]

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


def attachment(body: str, mimetype: str, filename: str) -> Response:
    """A download (export, tag page, reproduction), never a page of this site."""
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    # Should a browser render it anyway (the tag page holds an inline script), the sandbox
    # gives it an opaque origin and no script runs.
    response.headers["Content-Security-Policy"] = content_security_policy(csp_nonce()) + "; sandbox"
    return response
