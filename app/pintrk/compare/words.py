"""How a comparison names profiles and events in a sentence."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..jsvalue import UNDEFINED, js_keys, to_js_string
from ..profiles import Profile

__all__ = ["quoted", "names", "verb", "negative", "events_text", "what_they_send", "keys_text"]


def quoted(value: Any) -> str:
    return f"'{value}'" if isinstance(value, str) else to_js_string(value)


def names(profiles: Sequence[Profile], everyone: Sequence[Profile]) -> str:
    """``"docs"``, ``"docs and sdk-v1"``, ``"the SDKs"`` (every sdk-… profile compared)."""
    chosen = [p.name for p in profiles]
    sdks = [p.name for p in everyone if p.name.startswith("sdk-")]
    if len(chosen) > 1 and sorted(chosen) == sorted(sdks):
        return "the SDKs"
    if len(chosen) <= 2:
        return " and ".join(chosen)
    return ", ".join(chosen[:-1]) + " and " + chosen[-1]


def verb(profiles: Sequence[Profile], singular: str, plural: str) -> str:
    return singular if len(profiles) == 1 else plural


def negative(profiles: Sequence[Profile]) -> str:
    return "doesn't" if len(profiles) == 1 else "don't"


def events_text(targets: Sequence[Any]) -> str:
    if not targets:
        return "nothing"
    return ", ".join(quoted(t) if t is not UNDEFINED else "undefined" for t in targets)


def what_they_send(
    others: Sequence[Profile], targets: Mapping[str, list[Any]], profiles: Sequence[Profile]
) -> str:
    """ " (they send 'X')", or " (sdk-v1 sends 'X'; sdk-v3 sends 'Custom')"."""
    groups: dict[str, list[Profile]] = {}
    for p in others:
        groups.setdefault(events_text(targets[p.name]), []).append(p)
    if len(groups) == 1:
        return f" ({'it sends' if len(others) == 1 else 'they send'} {next(iter(groups))})"
    return (
        " ("
        + "; ".join(
            f"{names(members, profiles)} {verb(members, 'sends', 'send')} {text}"
            for text, members in groups.items()
        )
        + ")"
    )


def keys_text(data: Any) -> str:
    if not isinstance(data, dict):
        return ""
    return "{" + ", ".join(js_keys(data)) + "}"
