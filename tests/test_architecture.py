"""The house rules that can be checked by reading the code (docs/architecture.md says why).

The imports are read from the source (every ``import``, function-level ones included), so a late
import cannot hide a circle.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

import app.pintrk

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "app"

MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60
# Data tables, not logic, may be longer (one entry a line); none is, today.
DATA_TABLES: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Import:
    module: str  # the importing module
    target: str  # the module imported from
    names: tuple[str, ...]  # the names taken from it ("*" or () for `import x`)
    line: int


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(path): path for path in APP.rglob("*.py")}


def _imports(name: str, path: Path) -> Iterator[Import]:
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Import(name, alias.name, (), node.lineno)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            yield Import(name, target, tuple(alias.name for alias in node.names), node.lineno)


IMPORTS = [found for name, path in MODULES.items() for found in _imports(name, path)]


def _edges() -> dict[str, set[str]]:
    """Module → the app modules it imports (``from pkg import mod`` counts as importing ``pkg.mod``)."""
    edges: dict[str, set[str]] = {name: set() for name in MODULES}
    for found in IMPORTS:
        targets = {f"{found.target}.{n}" for n in found.names if f"{found.target}.{n}" in MODULES}
        if found.target in MODULES and (not found.names or len(targets) < len(found.names)):
            targets.add(found.target)
        edges[found.module] |= targets - {found.module}
    return edges


def _circles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan's, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    circles: list[list[str]] = []
    for start in edges:
        if start in index:
            continue
        work = [(start, iter(sorted(edges[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    circles.append(sorted(component))
    return circles


def test_the_circle_finder_finds_a_circle() -> None:
    assert _circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _circles({"a": {"b"}, "b": set()}) == []


def test_no_import_circles() -> None:
    assert _circles(_edges()) == []


def test_the_core_is_pure_python() -> None:
    """The core imports neither Flask nor the web layer: the CLI and the API use it as it is."""
    web = {"flask", "flask_wtf", "flask_limiter", "werkzeug", "jinja2", "wtforms", "config"}
    offending = [
        f"{found.module}:{found.line} imports {found.target}"
        for found in IMPORTS
        if found.module.startswith("app.pintrk")
        and (
            found.target.split(".")[0] in web
            or found.target == "app"
            or (found.target.startswith("app.") and not found.target.startswith("app.pintrk"))
        )
    ]
    assert offending == []


def test_the_web_layer_sees_only_the_core_public_surface() -> None:
    public = set(app.pintrk.__all__)
    offending = []
    for found in IMPORTS:
        if found.module.startswith("app.pintrk"):  # the core itself; everything else is its user
            continue
        if found.target.startswith("app.pintrk."):
            offending.append(f"{found.module}:{found.line} imports the core submodule {found.target}")
        elif found.target == "app.pintrk":
            hidden = [name for name in found.names if name not in public]
            if hidden or not found.names:
                offending.append(
                    f"{found.module}:{found.line} imports {hidden or 'app.pintrk'} (not in __all__)"
                )
    assert offending == []


def test_the_core_public_names_exist() -> None:
    missing = [name for name in app.pintrk.__all__ if not hasattr(app.pintrk, name)]
    assert missing == []


def _python_files() -> list[Path]:
    return sorted(path for path in APP.rglob("*.py") if str(path.relative_to(ROOT)) not in DATA_TABLES)


@pytest.mark.parametrize("path", _python_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_modules_stay_small(path: Path) -> None:
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_MODULE_LINES, f"{lines} lines: split it by concept (docs/architecture.md)"


@pytest.mark.parametrize("path", _python_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_functions_stay_short(path: Path) -> None:
    long = [
        f"{node.name} ({node.end_lineno - node.lineno + 1} lines)"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and (node.end_lineno or node.lineno) - node.lineno + 1 > MAX_FUNCTION_LINES
    ]
    assert long == []
