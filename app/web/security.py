"""Security headers on every response (a strict CSP with per-request nonces), and CSRF protection.

No inline script runs without the request's nonce, and the page's own
JavaScript comes from ``static/``.  A view that needs a stricter policy (the
live preview) sets its own header, which is kept.
"""

from __future__ import annotations

import secrets

from flask import Flask, Response, g
from flask_wtf import CSRFProtect

# Every form posted to the site carries this token (the JSON API's blueprint is exempt).
csrf = CSRFProtect()


def csp_nonce() -> str:
    """This request's nonce (templates: ``{{ csp_nonce() }}``)."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    return g.csp_nonce


def content_security_policy(nonce: str) -> str:
    return "; ".join(
        [
            "default-src 'self'",
            # 'report-sample': a blocked inline script's first characters appear in the
            # violation report (the browser tests name an injected payload by them).
            f"script-src 'self' 'nonce-{nonce}' 'report-sample'",
            "style-src 'self'",
            "img-src 'self' data:",
            "connect-src 'self'",
            "frame-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'self'",
        ]
    )


def init_app(app: Flask) -> None:
    app.jinja_env.globals["csp_nonce"] = csp_nonce

    @app.after_request
    def security_headers(response: Response) -> Response:
        headers = response.headers
        if "Content-Security-Policy" not in headers:
            headers["Content-Security-Policy"] = content_security_policy(csp_nonce())
        headers.setdefault("X-Content-Type-Options", "nosniff")
        # same-origin, not no-referrer: Flask-WTF checks the Referer of HTTPS posts
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("X-Frame-Options", "SAMEORIGIN")
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()"
        )
        return response
