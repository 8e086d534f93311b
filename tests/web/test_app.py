"""The app factory, the configs and the skeleton routes."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient

from app import create_app
from tests.web.pages import STATIC


def test_testing_config(app: Flask) -> None:
    assert app.testing
    assert app.config["SECRET_KEY"]
    assert app.config["MAX_CONTENT_LENGTH"] == 2 * 1024 * 1024


def test_overrides_win(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SECRET_KEY", "from-env")
    assert create_app("testing").config["SECRET_KEY"] == "from-env"
    assert create_app("testing", SECRET_KEY="explicit").config["SECRET_KEY"] == "explicit"


def test_default_config_from_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PINTRK_CONFIG", "testing")
    assert create_app().testing
    monkeypatch.delenv("PINTRK_CONFIG")
    assert create_app().debug


def test_settings_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PINTRK_PAGE_CACHE_BYTES", "0")
    monkeypatch.setenv("PINTRK_MAX_HAR_BYTES", "1048576")
    monkeypatch.setenv("PINTRK_BEACON_HOSTS", "ct.pinterest.com, 127.0.0.1")
    config = create_app("testing").config
    assert (config["PAGE_CACHE_BYTES"], config["MAX_HAR_BYTES"]) == (0, 1048576)
    assert config["BEACON_HOSTS"] == ("ct.pinterest.com", "127.0.0.1")
    monkeypatch.setenv("PINTRK_BEACON_HOSTS", '["ct.pinterest.com"]')
    assert create_app("testing").config["BEACON_HOSTS"] == ("ct.pinterest.com",)
    monkeypatch.delenv("PINTRK_BEACON_HOSTS")
    assert create_app("testing").config["BEACON_HOSTS"] == ("ct.pinterest.com",)  # the default
    # Keyword overrides still win over the environment.
    assert create_app("testing", PAGE_CACHE_BYTES=1024).config["PAGE_CACHE_BYTES"] == 1024


def test_wsgi_entry_point_freezes_the_startup_heap() -> None:
    # In a fresh interpreter: the app and everything imported with it are out of the cycle
    # collector's scans (full collections stalled requests by ~10 ms before).
    import subprocess
    import sys
    from pathlib import Path

    probe = "import gc, wsgi; print(gc.get_freeze_count())"
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=root,
        env={"SECRET_KEY": "test", "PATH": ""},
        capture_output=True,
        text=True,
        check=True,
    )
    assert int(out.stdout) > 10_000  # about 36,000 objects today


def test_unknown_config() -> None:
    with pytest.raises(ValueError, match="unknown config"):
        create_app("staging")


def test_production_needs_secret_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app("production")
    monkeypatch.setenv("SECRET_KEY", "s3cret")
    app = create_app("production")
    assert not app.debug and not app.testing


def test_index(client: FlaskClient) -> None:
    response = client.get("/")
    assert response.status_code == 200
    soup = BeautifulSoup(response.text, "html.parser")
    assert soup.select_one("header").get_text(strip=True).startswith("pintrk playground")
    assert soup.html["lang"] == "en"
    assert soup.find("link", rel="stylesheet")["href"] == f"{STATIC}/css/app.css"


def test_static_css(client: FlaskClient) -> None:
    with client.get(f"{STATIC}/css/app.css") as response:  # closes the file send_file opened
        assert response.status_code == 200
        assert "#E60023" in response.text


def test_healthz(client: FlaskClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    assert response.text == "ok"


def test_csrf_enabled_in_testing(app: Flask, client: FlaskClient, csrf_token) -> None:
    assert app.config["WTF_CSRF_ENABLED"]
    assert "csrf" in app.extensions

    @app.post("/_echo")  # registered before the first request, as Flask requires
    def echo() -> str:
        return "posted"

    assert client.post("/_echo").status_code == 400
    token = csrf_token("/")
    assert client.post("/_echo", data={"csrf_token": token}).text == "posted"
    assert client.post("/_echo", headers={"X-CSRFToken": token}).text == "posted"
