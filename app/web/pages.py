"""HTML responses that can always be sent."""

from __future__ import annotations

import re

from flask import Response

__all__ = ["html_response"]

# A lone surrogate (from a "\ud800" escape in the user's JSON) can't be encoded as UTF-8;
# shown as U+FFFD it can. The data itself (logs, exports, snippets) keeps the escape.
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def html_response(html: str, status: int = 200) -> Response:
    return Response(_LONE_SURROGATE.sub("\ufffd", html), status=status, mimetype="text/html")
