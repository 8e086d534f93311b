"""gunicorn settings (read automatically when gunicorn starts in this directory).

Permalinks carry the whole scenario in the URL; the app itself refuses tokens
over its own limit with a friendly page, so gunicorn's 4 KB request-line cap
must not cut in first with a bare 414.
"""

limit_request_line = 0  # unlimited here; app/web/permalink.py enforces the real limit
limit_request_field_size = 16384
