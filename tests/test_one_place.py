"""Issue 12's "one place each", where reading the code can check it: limits, locations, JavaScript's
key order, the mapping rules' tables (docs/architecture.md says where each lives).

Each check names what it found, file and line, so a new copy is easy to move to its one place.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

import app.pintrk.jsvalue

ROOT = Path(__file__).resolve().parents[1]
LIMITS = "app/pintrk/limits.py"
ERRORS = "app/pintrk/errors.py"
KEYS = "app/pintrk/jsvalue/keys.py"

# Numbers named MAX_ that are facts of the systems the playground models, not its own limits.
FACTS = {
    ("app/pintrk/jsvalue/numbers.py", "MAX_SAFE_INTEGER"),  # JavaScript's Number.MAX_SAFE_INTEGER
    ("app/pintrk/tag/request.py", "MAX_GET_URL"),  # Pinterest's tag POSTs from 2,048 characters
    ("app/pintrk/jsvalue/keys.py", "_MAX_ARRAY_INDEX"),  # JavaScript's largest array index
    ("app/pintrk/cloud/router.py", "MAX_BATCH_SIZE"),  # RudderStack's router: events per request
    ("app/pintrk/cloud/timestamps.py", "MAX_TIME_MS"),  # JavaScript's Date range
}
# The integration's flattening of custom-property paths joins keys with "." (an empty key gives
# ".k"): a mapping rule, not a location.
FLATTEN_RULE = "app/pintrk/paths.py"


def _sources() -> list[str]:
    paths = [*sorted((ROOT / "app").rglob("*.py")), ROOT / "config.py"]
    return [str(path.relative_to(ROOT)) for path in paths]


def _tree(name: str) -> ast.Module:
    return ast.parse((ROOT / name).read_text(encoding="utf-8"))


def _is_number(node: ast.expr | None) -> bool:
    """A number written in the code: ``100``, ``50 * 1024 * 1024``, ``2**53``, ``-1``."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, int | float) and not isinstance(node.value, bool)
    if isinstance(node, ast.BinOp):
        return _is_number(node.left) and _is_number(node.right)
    return isinstance(node, ast.UnaryOp) and _is_number(node.operand)


def limit_numbers(name: str, tree: ast.Module) -> Iterator[str]:
    """Limits given a number outside limits.py: ``MAX_…`` names, ``max_…`` parameters' defaults."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign | ast.AnnAssign) and _is_number(node.value):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                named = isinstance(target, ast.Name) and target.id.lstrip("_").startswith("MAX_")
                if named and (name, target.id) not in FACTS:  # type: ignore[union-attr]
                    yield f"{name}:{node.lineno} {target.id}"  # type: ignore[union-attr]
        elif isinstance(node, ast.arguments):
            positional = [*node.posonlyargs, *node.args]
            params = positional[len(positional) - len(node.defaults) :]
            pairs = [
                *zip(params, node.defaults, strict=False),
                *zip(node.kwonlyargs, node.kw_defaults, strict=True),
            ]
            for param, default in pairs:
                if param.arg.startswith("max_") and _is_number(default):
                    yield f"{name}:{param.lineno} {param.arg}="


def written_locations(name: str, tree: ast.Module) -> Iterator[str]:
    """f-strings that write a location by hand: ``line {n}``, ``, column {c}``, ``{a}.{b}``, ``{a}[{i}]``."""
    for node in ast.walk(tree):
        if not isinstance(node, ast.JoinedStr):
            continue
        parts = node.values
        texts = [p.value if isinstance(p, ast.Constant) and isinstance(p.value, str) else None for p in parts]
        for i, text in enumerate(texts):
            after = i + 1 < len(parts) and isinstance(parts[i + 1], ast.FormattedValue)
            before = i > 0 and isinstance(parts[i - 1], ast.FormattedValue)
            if text is None:
                continue
            if after and text.lower().endswith(("line ", ", column ")):
                yield f"{name}:{node.lineno} {text!r}"
            elif after and before and text == ".":
                yield f"{name}:{node.lineno} a path joined with '.'"
            elif (
                after
                and text.endswith("[")
                and isinstance(parts[i + 1].value, ast.Name)  # type: ignore[attr-defined]
                and ((texts[i + 2] if i + 2 < len(texts) else None) or "").startswith("]")
            ):
                yield f"{name}:{node.lineno} an index path"


# A literal of each mapping rule's table, and the one module that holds the table.
RULE_TABLES = {
    "order completed": "app/pintrk/profiles.py",  # the standard event table (event → Pinterest event)
    "externalmeasurement": "app/pintrk/tag/console.py",  # the tag's own list of standard events
    "opt_out_type": "app/pintrk/ldp.py",  # the limited-data-processing keys
    "sku": "app/pintrk/mapping.py",  # line items: product_id, else sku
}
# Cloud mode is another integration (RudderStack's server-side workflow) with its own tables: its
# event table, its custom_data keys, its product IDs (product_id, sku, id), each in one module.
CLOUD_RULE_TABLES = {
    "order completed": "app/pintrk/cloud/event_names.py",
    "opt_out_type": "app/pintrk/cloud/custom_data.py",
    "sku": "app/pintrk/cloud/custom_data.py",
}


def rule_literals(name: str, tree: ast.Module) -> Iterator[str]:
    """Strings that spell one of :data:`RULE_TABLES` inside a table (a tuple, list, set or dict) or
    a property read (``get("sku")``): a second copy of the rule."""
    for node in ast.walk(tree):
        values: list[ast.expr | None] = []
        if isinstance(node, ast.Tuple | ast.List | ast.Set):
            values = list(node.elts)
        elif isinstance(node, ast.Dict):
            values = list(node.keys)  # a table maps a name (its key) to what it becomes
        elif isinstance(node, ast.Call):
            values = list(node.args)
        for value in values:
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                home = RULE_TABLES.get(value.value.lower())
                if home is not None and name.startswith("app/pintrk/cloud/"):
                    home = CLOUD_RULE_TABLES[value.value.lower()]
                if home is not None and home != name:
                    yield f"{name}:{value.lineno} {value.value!r} (the table is in {home})"


def key_orderings(name: str, tree: ast.Module) -> Iterator[str]:
    """JavaScript's own-key order done by hand: ``sorted(…, key=int)``, ``key[:1].isdigit()``."""
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        if isinstance(node.func, ast.Name) and node.func.id == "sorted":
            if any(
                k.arg == "key" and isinstance(k.value, ast.Name) and k.value.id == "int"
                for k in node.keywords
            ):
                yield f"{name}:{node.lineno} sorted(…, key=int)"
        elif isinstance(node.func, ast.Attribute) and node.func.attr == "isdigit":
            target = node.func.value
            if isinstance(target, ast.Subscript) and isinstance(target.slice, ast.Slice):
                yield f"{name}:{node.lineno} [:1].isdigit()"


def _found(check: object, skip: set[str]) -> list[str]:
    return [hit for name in _sources() if name not in skip for hit in check(name, _tree(name))]  # type: ignore[operator]


def test_each_limit_is_a_number_in_the_limits_table_only() -> None:
    assert _found(limit_numbers, {LIMITS}) == []


def test_locations_are_written_by_errors_py_only() -> None:
    assert _found(written_locations, {ERRORS, FLATTEN_RULE}) == []


def test_javascript_key_order_is_in_jsvalue_keys_only() -> None:
    assert _found(key_orderings, {KEYS}) == []


def test_jsvalue_has_no_private_shims() -> None:
    """Callers use the rules by their public names (truthy, order_keys), not private copies."""
    private = [
        name for name in vars(app.pintrk.jsvalue) if name.startswith("_") and not name.startswith("__")
    ]
    assert private == []


def test_each_mapping_rule_table_is_written_once() -> None:
    assert _found(rule_literals, set()) == []
    for literal, home in [*RULE_TABLES.items(), *CLOUD_RULE_TABLES.items()]:
        assert list(rule_literals("elsewhere.py", _tree(home))), f"{literal!r} is no longer in {home}"


# Each check fails on a deliberate violation (and lets the allowed form through).
VIOLATIONS = [
    (limit_numbers, "MAX_ROWS = 100", 1),
    (limit_numbers, "_MAX_NOTES: int = 20", 1),
    (limit_numbers, "def f(text, *, max_depth=200): pass", 1),
    (limit_numbers, "def f(text, max_calls=1000, limit=60): pass", 1),
    (limit_numbers, "MAX_ROWS = limits.MAX_ROWS\ndef f(max_depth=limits.MAX_NESTING): pass", 0),
    (written_locations, 'where = f"Line {exc.line}, column {exc.column}: "', 2),
    (written_locations, 'where = f"line {n}"', 1),
    (written_locations, 'sub = f"{path}.{key}" if path else key', 1),
    (written_locations, 'location = f"{prefix}[{index}]"', 1),
    (written_locations, 'where = f"messages[{index}].properties"', 1),
    (written_locations, 'text = f"{count} lines, {shown}"', 0),
    (written_locations, "key = f\"{name}[{']['.join(keys)}]\"", 0),
    (key_orderings, "partner = sorted(keys, key=int)", 1),
    (key_orderings, "if any(k[:1].isdigit() for k in obj): pass", 1),
    (rule_literals, 'TABLE = {"Order Completed": "Checkout"}', 1),
    (rule_literals, 'KEYS = ("opt_out_type", "st", "country")', 1),
    (rule_literals, 'product_id = get("sku")', 1),
    (rule_literals, 'text = "order completed"', 0),
    (rule_literals, 'TABLE = {"order completed": "checkout", "sku": 1}', 2),
    (rule_literals, 'message = {"event": "Order Completed"}', 0),
]


@pytest.mark.parametrize(("check", "source", "hits"), VIOLATIONS, ids=[v[1][:40] for v in VIOLATIONS])
def test_each_check_catches_a_violation(check: object, source: str, hits: int) -> None:
    assert len(list(check("app/example.py", ast.parse(source)))) == hits  # type: ignore[operator]


def test_cloud_tables_have_their_own_one_place() -> None:
    table = ast.parse('IDS = ("product_id", "sku", "id")')
    assert list(rule_literals("app/pintrk/cloud/custom_data.py", table)) == []
    assert len(list(rule_literals("app/pintrk/cloud/router.py", table))) == 1
    assert (
        len(list(rule_literals("app/pintrk/mapping_copy.py", ast.parse('T = {"Order Completed": 1}')))) == 1
    )
