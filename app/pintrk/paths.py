"""Dotted paths into messages: custom properties (``flatten``) and the deduplication key.

:func:`flattened_value` is the rule, as the integration states it; :func:`find_flattened_value`
gives the same answer without flattening everything (tests/pintrk/test_properties.py proves
they agree), and is what the mapper calls once per configured path and message.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from .jsvalue import UNDEFINED, get_property, is_array_index, js_keys

__all__ = ["flatten", "flattened_value", "find_flattened_value", "lookup_path"]

_Plan = tuple[tuple[tuple[str, int], ...], ...]


def flatten(value: Any) -> dict[str, Any]:
    """Nested objects and arrays → dotted paths; empty ones (below the top) stay as leaves."""
    flat: dict[str, Any] = {}
    stack: list[tuple[str | None, Any]] = [(None, value)]  # None: the root, which has no key
    while stack:
        prefix, node = stack.pop()
        if isinstance(node, dict) and node:
            children: Iterable[tuple[str, Any]] = ((k, node[k]) for k in js_keys(node))
        elif isinstance(node, list) and node:
            children = ((str(i), item) for i, item in enumerate(node))
        else:
            # assigning "__proto__" would change the prototype, not add a key
            if prefix is not None and prefix != "__proto__":
                flat[prefix] = node
            continue
        # reversed so the stack pops children in order and the key order matches JS
        stack.extend(reversed([(k if prefix is None else f"{prefix}.{k}", child) for k, child in children]))
    return flat


def flattened_value(properties: Any, path: str) -> Any:
    """The rule: ``flatten(properties)[path]``, read as JS reads a plain object (a miss finds
    ``Object.prototype``: ``"toString"`` is a function)."""
    return get_property(flatten(properties), path)


def find_flattened_value(properties: Any, path: str) -> Any:
    """:func:`flattened_value` without flattening everything.

    Walks ``path`` segment by segment.  Only where a literal dotted key (say
    ``"a.b"``) competes with a nested one does it follow every candidate, in
    :func:`flatten`'s order, so the later one wins exactly as there.
    """
    if path == "__proto__":
        return get_property({}, path)
    plan = _path_plan(path)
    node, used = properties, 0
    while used < len(plan):
        if isinstance(node, dict) and node:
            matches = [(key, end) for key, end in plan[used] if key in node]
            if len(matches) != 1:
                if matches:  # competing keys: let the general walk decide
                    return _every_candidate(properties, plan, path)
                break
            key, used = matches[0]
            node = node[key]
        elif isinstance(node, list) and node:
            key = plan[used][0][0]  # array keys never contain a dot
            if not (is_array_index(key) and int(key) < len(node)):
                break
            node, used = node[int(key)], used + 1
        else:
            break
    else:
        if used and not (isinstance(node, (dict, list)) and node):
            return node  # a leaf whose key is exactly `path`
    return get_property({}, path)


@lru_cache(maxsize=1024)
def _path_plan(path: str) -> _Plan:
    """For each segment index, the keys that could spell the path from there.

    ``"a.b.c"`` → from 0: ``a``, ``a.b``, ``a.b.c``; from 1: ``b``, ``b.c``; …
    Worked out once per configured path, not once per message.
    """
    parts = path.split(".")
    return tuple(
        tuple((".".join(parts[start:end]), end) for end in range(start + 1, len(parts) + 1))
        for start in range(len(parts))
    )


def _every_candidate(properties: Any, plan: _Plan, path: str) -> Any:
    """The general case of :func:`find_flattened_value`: every candidate, in order."""
    found: Any = UNDEFINED
    stack: list[tuple[Any, int]] = [(properties, 0)]  # (node, path segments consumed)
    while stack:
        node, used = stack.pop()
        is_container = isinstance(node, (dict, list)) and bool(node)
        if not is_container or used == len(plan):
            if used == len(plan) and used and not is_container:
                found = node  # a leaf whose key is exactly `path`
            continue
        if isinstance(node, list):
            key = plan[used][0][0]
            if is_array_index(key) and int(key) < len(node):
                stack.append((node[int(key)], used + 1))
            continue
        matches = [(key, end) for key, end in plan[used] if key in node]
        if len(matches) > 1:
            order = {k: i for i, k in enumerate(js_keys(node))}
            matches.sort(key=lambda match: order[match[0]])
        stack.extend((node[k], end) for k, end in reversed(matches))
    return found if found is not UNDEFINED else get_property({}, path)


def lookup_path(root: Any, path: str) -> Any:
    """A dotted path into a message; a literal dotted key (``"order.id"``) also matches.

    A segment no own key spells is read as JS reads it, so ``"constructor"``
    finds ``Object`` and ``"__proto__"`` finds ``Object.prototype``; a null or
    undefined on the way gives undefined.
    """
    plan = _path_plan(path)
    node, used = root, 0
    while used < len(plan):
        if node is None or node is UNDEFINED:
            return UNDEFINED
        if isinstance(node, dict):
            for key, end in reversed(plan[used]):  # the longest literal key first
                if key in node:
                    node, used = node[key], end
                    break
            else:
                node, used = get_property(node, plan[used][0][0]), used + 1
        elif isinstance(node, list):
            node, used = get_property(node, plan[used][0][0]), used + 1
        else:
            return UNDEFINED  # recorded: the path does not go into strings ("abc".0)
    return node
