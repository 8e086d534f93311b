"""The page scripts as files: the playground's ES modules form one tree from main.js.

A module nobody imports is dead code; an import circle makes the evaluation order depend on
which module is reached first; a module file the browser cannot load as JavaScript stops the
whole tree (tests/browser/test_page_modules.py proves that part in Chromium).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from tests.web.pages import STATIC

ROOT = Path(__file__).resolve().parents[2]
PLAYGROUND = ROOT / "static" / "js" / "playground"
ENTRY = "main.js"
MODULES = sorted(path.name for path in PLAYGROUND.glob("*.js"))
MAX_LINES = 200  # a module is one section of the page
IMPORT = re.compile(r'import \{[\w, ]+\} from "(\./[a-z-]+\.js)";')


def imports_of(name: str) -> list[str]:
    """The modules `name` imports (each a file in the same folder: "./state.js" -> "state.js")."""
    text = (PLAYGROUND / name).read_text(encoding="utf-8")
    assert "import(" not in text, f"{name}: a dynamic import (the tree must be static)"
    found = []
    for line in text.splitlines():
        if line.startswith("import"):
            match = IMPORT.fullmatch(line)
            assert match, f'{name}: {line!r} is not `import {{ names }} from "./name.js";`'
            found.append(match.group(1)[2:])
    return found


def test_every_module_is_reached_from_main() -> None:
    reached: set[str] = set()
    todo = [ENTRY]
    while todo:
        name = todo.pop()
        if name not in reached:
            reached.add(name)
            todo.extend(imports_of(name))
    assert reached == set(MODULES), (
        f"not imported: {set(MODULES) - reached}, missing: {reached - set(MODULES)}"
    )


def test_no_import_circles() -> None:
    def visit(name: str, path: tuple[str, ...]) -> None:
        assert name not in path, "import circle: " + " -> ".join((*path, name))
        for target in imports_of(name):
            visit(target, (*path, name))

    visit(ENTRY, ())


@pytest.mark.parametrize("name", MODULES)
def test_modules_are_small(name: str) -> None:
    lines = (PLAYGROUND / name).read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_LINES, f"{name}: {lines} lines"


@pytest.mark.parametrize("path", [*(f"playground/{name}" for name in MODULES), "decode.js"])
def test_served_as_javascript(client: FlaskClient, path: str) -> None:
    # Browsers refuse a module script with any other type (and the app sends nosniff).
    response = client.get(f"{STATIC}/js/{path}")
    assert response.status_code == 200
    assert response.mimetype in ("text/javascript", "application/javascript")
