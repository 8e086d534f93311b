"""Fixtures shared by all tests (flaskr style: app, client, runner)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from hypothesis import HealthCheck, settings

from app import create_app
from tests.conformance import missing_message, vector_file
from tests.web.pages import csrf_token_in

# Property tests: at least 2,000 examples per property in CI, derandomised (a fixed seed)
# so CI is deterministic; fewer, random ones locally. HYPOTHESIS_PROFILE overrides.
settings.register_profile(
    "ci", max_examples=2000, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("dev", max_examples=200, deadline=None)
settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") == "true" else "dev")
)


@pytest.fixture
def app() -> Flask:
    return create_app("testing")


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


@pytest.fixture
def csrf_token(client: FlaskClient) -> Callable[[str], str]:
    """get(path="/") -> the CSRF token from that page's <meta name="csrf-token">.

    The token is tied to `client`'s session cookie, so post with the same client, as the
    form field `csrf_token` or the header `X-CSRFToken`.
    """

    def get(path: str = "/") -> str:
        response = client.get(path)
        assert response.status_code == 200, f"GET {path} returned {response.status_code}"
        return csrf_token_in(response.text)

    return get


@pytest.fixture(scope="session")
def conformance_path() -> Path:
    """scenarios.json from $PINTRK_CONFORMANCE_DIR, else ../shared/conformance beside the repo."""
    path = vector_file("scenarios.json")
    if not path.is_file():
        message = missing_message(path)
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return path
