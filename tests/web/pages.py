"""Pages of the app as a browser without JavaScript sees them: parse, read fields and errors, submit.

A plain module (the web tests import it); tests/web/conftest.py holds the fixture.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bs4 import BeautifulSoup, Tag
from flask.testing import FlaskClient
from werkzeug.datastructures import MultiDict
from werkzeug.test import TestResponse

from app import ROOT
from app.web.assets import static_url_path

FORM_ID = "playground-form"
# The app's static URL prefix, /static/<build id> (app/web/assets.py): what url_for('static') gives.
STATIC = static_url_path(ROOT / "static")


def csrf_token_in(html: str | bytes) -> str:
    """The CSRF token of a page, from its <meta name="csrf-token"> (what the page's scripts read)."""
    meta = BeautifulSoup(html, "html.parser").find("meta", attrs={"name": "csrf-token"})
    assert meta is not None, "the page has no <meta name='csrf-token'>"
    return str(meta["content"])


def soup_of(response: TestResponse) -> BeautifulSoup:
    return BeautifulSoup(response.text, "html.parser")


def textarea_value(textarea: Tag) -> str:
    # The HTML parser in a browser drops one newline right after <textarea>; html.parser keeps it.
    text = textarea.string or ""
    for newline in ("\r\n", "\n"):
        if text.startswith(newline):
            return text[len(newline) :]
    return text


def form_fields(soup: BeautifulSoup) -> list[tuple[str, str]]:
    """The successful controls of the playground form, in order, as a browser would send them."""
    form = soup.find("form", id=FORM_ID)
    assert form is not None
    controls = form.find_all(["input", "textarea", "select"])
    fields: list[tuple[str, str]] = []
    for control in controls:
        name = control.get("name")
        if not name or control.has_attr("disabled"):
            continue
        if control.name == "textarea":
            fields.append((name, textarea_value(control)))
        elif control.name == "select":
            selected = control.find("option", selected=True) or control.find("option")
            fields.append((name, selected.get("value", selected.text) if selected else ""))
        else:
            kind = control.get("type", "text")
            if kind in ("checkbox", "radio"):
                if control.has_attr("checked"):
                    fields.append((name, control.get("value", "on")))
            elif kind not in ("submit", "button", "reset", "file", "image"):
                fields.append((name, control.get("value", "")))
    return fields


@dataclass
class Page:
    response: TestResponse
    soup: BeautifulSoup

    @property
    def fields(self) -> dict[str, str]:
        return dict(form_fields(self.soup))

    def value(self, name: str) -> str:
        return self.fields[name]

    def error(self, field: str) -> str:
        container = self.soup.find(attrs={"data-error-for": field})
        assert container is not None, f"no error container for {field}"
        return "" if container.has_attr("hidden") else container.get_text(" ", strip=True)

    def calls_json(self) -> list[str]:
        return [str(row["data-calls-json"]) for row in self.soup.select("tr.log-row")]


class Playground:
    """GET a page, then submit its form with changes and an action, like a user without JavaScript."""

    def __init__(self, client: FlaskClient) -> None:
        self.client = client

    def get(self, path: str = "/") -> Page:
        response = self.client.get(path)
        return Page(response, soup_of(response))

    def submit(
        self, page: Page, action: str = "run", changes: dict[str, Any] | None = None, path: str = "/"
    ) -> Page:
        data = self.form_data(page, changes)
        data.append(("action", action))
        response = self.client.post(path, data=MultiDict(data))
        return Page(response, soup_of(response))

    def form_data(self, page: Page, changes: dict[str, Any] | None = None) -> list[tuple[str, str]]:
        changes = dict(changes or {})
        data: list[tuple[str, str]] = []
        for name, value in form_fields(page.soup):
            if name in changes:
                new = changes.pop(name)
                if new is None or new is False:
                    continue  # an unticked checkbox is not sent
                data.append((name, "y" if new is True else new))
            else:
                data.append((name, value))
        for name, value in changes.items():
            if value is not None and value is not False:
                data.append((name, "y" if value is True else value))
        return data
