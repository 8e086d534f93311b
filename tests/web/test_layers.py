"""The web layer's seams: it sees the core only through ``app.pintrk``, and its modules form layers.

(The JSON API's modules are switched to the public surface by their own change; they are listed
in ``NOT_YET`` until then.)
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WEB = ROOT / "app" / "web"
NOT_YET = {"api.py", "openapi.py"}


def _imports(path: Path) -> list[tuple[str, list[str], int]]:
    """(module, names, line) for each ``from … import …`` of a file, relative ones made absolute."""
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:
                package = "app.web" if path.parent == WEB else "app"
                module = f"{package}.{module}" if module else package
            found.append((module, [alias.name for alias in node.names], node.lineno))
        elif isinstance(node, ast.Import):
            found.extend((alias.name, [], node.lineno) for alias in node.names)
    return found


def _web_files() -> list[Path]:
    return [*sorted(WEB.glob("*.py")), ROOT / "app" / "__init__.py"]


def test_the_web_imports_the_core_only_through_its_public_surface() -> None:
    import app.pintrk

    public = set(app.pintrk.__all__)
    wrong = []
    for path in _web_files():
        if path.name in NOT_YET:
            continue
        for module, names, line in _imports(path):
            where = f"{path.relative_to(ROOT)}:{line}"
            if module.startswith("app.pintrk.") or (module == "app.pintrk" and not names):
                wrong.append(f"{where} imports the core submodule {module}")
            elif module == "app.pintrk":
                wrong.extend(f"{where} imports {name}, not public" for name in names if name not in public)
                wrong.extend(f"{where} imports the module {name}" for name in names if name == "limits")
    assert wrong == []


def test_the_web_modules_import_no_circle() -> None:
    graph: dict[str, set[str]] = {}
    for path in WEB.glob("*.py"):
        name = f"app.web.{path.stem}" if path.stem != "__init__" else "app.web"
        deps = set()
        for module, names, _ in _imports(path):
            deps.update(f"{module}.{n}" for n in names if (WEB / f"{n}.py").exists() and module == "app.web")
            if module.startswith("app.web.") or module == "app":
                deps.add(module)
        graph[name] = deps
    graph["app"] = {
        module for module, _, _ in _imports(ROOT / "app" / "__init__.py") if module.startswith("app")
    }

    def reaches(start: str, goal: str, seen: set[str]) -> bool:
        for nxt in graph.get(start, ()):
            if nxt == goal or (nxt not in seen and not seen.add(nxt) and reaches(nxt, goal, seen)):
                return True
        return False

    circles = sorted(name for name in graph if reaches(name, name, set()))
    assert circles == []
