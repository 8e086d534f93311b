"""The JSON API under ``/api/v1``: replay, decode, compare and import, for support and QA.

Bodies are JSON only (anything else is a 415), read with JavaScript number
semantics, and answered with ``JSON.stringify``-style text, so numbers come
back exactly as the integration would write them.  Every error is JSON:
``{"error": {"code", "message", "location"}}``.

The blueprint is exempt from CSRF: it takes no cookies or form posts, and a
browser can't send ``application/json`` cross-site without a CORS preflight,
which this API never grants.

The modules: ``routes`` (the blueprint and its endpoints), ``bodies`` (reading a request),
``schema`` (request bodies as OpenAPI schemas, and the limits), ``fields`` (a body checked
against them, refusals in words), ``scenarios`` (a body → the core's Scenario), ``responses``
(answers as JSON), ``errors`` (the error shape), ``answers`` (the answers' schemas),
``openapi`` (the document) and ``docs`` (the document as a page).
"""

from .routes import bp

__all__ = ["bp"]
