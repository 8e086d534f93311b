"""One scenario under several profiles, side by side, with each difference explained.

The command lists differ in length (sdk-v3 adds a ``set`` before each track and
page, and may send several tracks for one message), so they are aligned by the
message that produced each command.  Explanations read the rule each command
records (:class:`~app.pintrk.commands.Rule`) and the profiles' data, never
written per scenario.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..commands import Command, Entry, MappingError
from ..jsvalue import UNDEFINED, to_js_string, truthy
from ..profiles import PROFILES, Profile, get_profile
from ..replay import Result, Scenario, replay
from ..settings import Settings
from .data import data_differences
from .difference import ProfileDifference
from .events import event_differences
from .words import keys_text, names, negative, quoted, verb

__all__ = ["ComparisonRow", "ProfileComparison", "compare_profiles"]


@dataclass(frozen=True)
class ComparisonRow:
    message_index: int | None  # None: initialisation (load, page)
    summary: str  # "track 'Order Completed'", "initialisation"
    commands: Mapping[str, tuple[Entry, ...]]  # profile name → its entries for this message
    differences: tuple[ProfileDifference, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "message": self.message_index,
            "summary": self.summary,
            "commands": {
                name: [_entry_dict(entry) for entry in entries] for name, entries in self.commands.items()
            },
            "differences": [d.to_dict() for d in self.differences],
        }


@dataclass(frozen=True)
class ProfileComparison:
    profiles: tuple[str, ...]
    rows: tuple[ComparisonRow, ...]
    results: Mapping[str, Result]

    @property
    def summary(self) -> tuple[tuple[ProfileDifference, int], ...]:
        """Each distinct difference once, in order of first appearance, with its row count."""
        counts: dict[tuple[str, str], int] = {}
        first: dict[tuple[str, str], ProfileDifference] = {}
        for row in self.rows:
            for difference in row.differences:
                key = (difference.code, difference.text)
                counts[key] = counts.get(key, 0) + 1
                first.setdefault(key, difference)
        return tuple((first[key], counts[key]) for key in first)

    def to_dict(self) -> dict[str, Any]:
        return {
            "profiles": list(self.profiles),
            "rows": [row.to_dict() for row in self.rows],
            "summary": [{**d.to_dict(), "rows": n} for d, n in self.summary],
        }


def _entry_dict(entry: Entry) -> dict[str, Any]:
    if isinstance(entry, MappingError):
        return {"error": entry.error, "json": entry.to_json()}
    return {"method": entry.method, "args": list(entry.args), "json": entry.to_json()}


def compare_profiles(
    scenario: Scenario, profiles: Sequence[str | Profile] = tuple(PROFILES)
) -> ProfileComparison:
    """Replay ``scenario`` under each profile and explain, row by row, how they differ."""
    chosen = [p if isinstance(p, Profile) else get_profile(p) for p in profiles]
    if len({p.name for p in chosen}) != len(chosen):
        raise ValueError("each profile can be compared only once")
    results = {p.name: replay(scenario, p) for p in chosen}
    grouped: dict[str, dict[int | None, list[Entry]]] = {}
    for name, result in results.items():
        rows: dict[int | None, list[Entry]] = {}
        for entry in result.entries:
            rows.setdefault(entry.message_index, []).append(entry)
        grouped[name] = rows
    indexes: list[int | None] = [None, *range(len(scenario.messages))]
    rows_out = []
    for index in indexes:
        commands = {name: tuple(grouped[name].get(index, ())) for name in results}
        message = scenario.messages[index] if index is not None else None
        differences = _explain(message, commands, chosen, scenario.settings)
        rows_out.append(ComparisonRow(index, _summary(message, index), commands, tuple(differences)))
    return ProfileComparison(tuple(results), tuple(rows_out), results)


def _summary(message: Any, index: int | None) -> str:
    if index is None:
        return "initialisation (load, page)"
    if not isinstance(message, dict):
        return "not a message"
    kind = message.get("type")
    if kind == "track":
        event = message.get("event", UNDEFINED)
        return f"track {quoted(event)}" if event is not UNDEFINED else "track (no event)"
    if kind == "page":
        name = message.get("name")
        return f"page {quoted(name)}" if truthy(name) else "page"
    if kind == "identify":
        return "identify"
    return f"{to_js_string(kind)} (not handled)"


# -- explanations ---------------------------------------------------------------------------


def _explain(
    message: Any, commands: Mapping[str, tuple[Entry, ...]], profiles: Sequence[Profile], settings: Settings
) -> list[ProfileDifference]:
    json = {name: [e.to_json() for e in entries] for name, entries in commands.items()}
    if len({tuple(v) for v in json.values()}) <= 1:
        return []
    kind = message.get("type") if isinstance(message, dict) else None
    failed = [p for p in profiles if any(isinstance(e, MappingError) for e in commands[p.name])]
    fine = [p for p in profiles if p not in failed]
    out = _error(commands, failed, fine, profiles, settings)
    with_ldp = [p for p in fine if _of_rule(commands[p.name], "ldp")]
    without_ldp = [p for p in fine if not _of_rule(commands[p.name], "ldp")]
    if with_ldp and without_ldp and kind in ("track", "page"):
        out.append(
            ProfileDifference(
                "ldp-set",
                f"{names(with_ldp, profiles)} {verb(with_ldp, 'sends', 'send')} a limited-data-processing "
                "set() before each track and page",
                tuple(p.name for p in with_ldp),
            )
        )
    tracks = {
        name: [e for e in entries if isinstance(e, Command) and e.method == "track"]
        for name, entries in commands.items()
    }
    if kind == "track" and isinstance(message, dict):
        out.extend(event_differences(message, tracks, fine, profiles, settings))
    by_name = {p.name: p for p in profiles}
    first_track = {p.name: tracks[p.name][0].data for p in fine if tracks[p.name]}
    if len(first_track) > 1:
        out.extend(data_differences(first_track, [by_name[n] for n in first_track], profiles, kind, settings))
    out.extend(_identify_set(commands, fine, profiles, settings))
    if not out:
        out.append(_plain_listing(json, profiles))
    return out


def _of_rule(entries: Sequence[Entry], kind: str) -> list[Command]:
    return [e for e in entries if isinstance(e, Command) and e.rule.kind == kind]


def _error(
    commands: Mapping[str, tuple[Entry, ...]],
    failed: Sequence[Profile],
    fine: Sequence[Profile],
    profiles: Sequence[Profile],
    settings: Settings,
) -> list[ProfileDifference]:
    """Some profiles stop with an error where others don't; the cause, when the mapper knows it."""
    if not (failed and fine):
        return []
    error = next(e for e in commands[failed[0].name] if isinstance(e, MappingError))
    why = ""
    if error.reason == "mapping-no-from":  # name every such row: all of them need fixing
        rows = [str(i + 1) for i, m in enumerate(settings.events_mapping) if m.source is None]
        why = f": event mapping row {', '.join(rows)} has no 'from'"
    text = (
        f"{names(failed, profiles)} {verb(failed, 'stops', 'stop')} with an error here "
        f"({error.error}{why}); {names(fine, profiles)} {negative(fine)}"
    )
    return [ProfileDifference("error", text, tuple(p.name for p in failed))]


def _identify_set(
    commands: Mapping[str, tuple[Entry, ...]],
    fine: Sequence[Profile],
    profiles: Sequence[Profile],
    settings: Settings,
) -> list[ProfileDifference]:
    """identify's set(): its keys where several profiles send it, or who sends it at all."""
    by_name = {p.name: p for p in profiles}
    set_data = {p.name: sets[0].data for p in fine if (sets := _of_rule(commands[p.name], "identify-set"))}
    if len(set_data) > 1:
        return data_differences(set_data, [by_name[n] for n in set_data], profiles, "set", settings)
    if not (set_data and len(fine) > 1):
        return []
    have = [by_name[n] for n in set_data]
    lack = [p for p in fine if p.name not in set_data]
    text = (
        f"{names(have, profiles)} {verb(have, 'sends', 'send')} set({keys_text(next(iter(set_data.values())))}); "
        f"{names(lack, profiles)} {negative(lack)}"
    )
    return [ProfileDifference("set", text, tuple(p.name for p in have))]


def _plain_listing(json: Mapping[str, list[str]], profiles: Sequence[Profile]) -> ProfileDifference:
    """Nothing above explains it: say plainly what each profile sends."""
    groups: dict[tuple[str, ...], list[Profile]] = {}
    for p in profiles:
        groups.setdefault(tuple(json[p.name]), []).append(p)
    parts = [
        f"{names(members, profiles)} {verb(members, 'sends', 'send')} {'; '.join(calls) or 'nothing'}"
        for calls, members in groups.items()
    ]
    return ProfileDifference("commands", "; ".join(parts), tuple(p.name for p in profiles))
