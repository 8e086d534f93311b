"""WSGI entry point, e.g. `gunicorn wsgi:app` (needs SECRET_KEY in production)."""

import os

from app import create_app

app = create_app(os.environ.get("PINTRK_CONFIG", "production"))
