"""One scenario under several profiles, side by side, with each difference explained.

The three command lists differ in length (sdk-v3 adds a ``set`` before each
track and page, and may send several tracks for one message), so they are
aligned by the message that produced each command.  Explanations are worked
out from the profiles' switches (:mod:`.profiles`) and from what the
commands really contain, never written per scenario.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .jsvalue import UNDEFINED, get_property, js_keys, js_trim, stringify, to_js_string, truthy
from .mapping import LDP_KEYS, Command, Entry, MappingError
from .profiles import PROFILES, Profile, get_profile
from .replay import Result, Scenario, replay
from .settings import Settings
from .text import shorten

__all__ = [
    "ProfileDifference",
    "ComparisonRow",
    "ProfileComparison",
    "compare_profiles",
]


@dataclass(frozen=True)
class ProfileDifference:
    code: str  # stable: "ldp-set", "event-id", "standard-event", "mapping-match", …
    text: str  # one line, plain words
    profiles: tuple[str, ...]  # the profiles the sentence is about (its subject)

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "text": self.text, "profiles": list(self.profiles)}


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
        differences = _explain(message, index, commands, chosen, scenario.settings)
        rows_out.append(ComparisonRow(index, _summary(message, index), commands, tuple(differences)))
    return ProfileComparison(tuple(results), tuple(rows_out), results)


# -- naming -------------------------------------------------------------------------------


def _summary(message: Any, index: int | None) -> str:
    if index is None:
        return "initialisation (load, page)"
    if not isinstance(message, dict):
        return "not a message"
    kind = message.get("type")
    if kind == "track":
        event = message.get("event", UNDEFINED)
        return f"track {_quoted(event)}" if event is not UNDEFINED else "track (no event)"
    if kind == "page":
        name = message.get("name")
        return f"page {_quoted(name)}" if truthy(name) else "page"
    if kind == "identify":
        return "identify"
    return f"{to_js_string(kind)} (not handled)"


def _quoted(value: Any) -> str:
    return f"'{value}'" if isinstance(value, str) else to_js_string(value)


def _names(profiles: Sequence[Profile], everyone: Sequence[Profile]) -> str:
    names = [p.name for p in profiles]
    sdks = [p.name for p in everyone if p.name.startswith("sdk-")]
    if len(names) > 1 and sorted(names) == sorted(sdks):
        return "the SDKs"
    if len(names) <= 2:
        return " and ".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _verb(profiles: Sequence[Profile], singular: str, plural: str) -> str:
    return singular if len(profiles) == 1 else plural


def _what_they_send(
    others: Sequence[Profile], targets: Mapping[str, list[Any]], profiles: Sequence[Profile]
) -> str:
    """ " (they send 'X')", or " (sdk-v1 sends 'X'; sdk-v3 sends 'Custom')"."""
    groups: dict[str, list[Profile]] = {}
    for p in others:
        groups.setdefault(_events_text(targets[p.name]), []).append(p)
    if len(groups) == 1:
        return f" ({'it sends' if len(others) == 1 else 'they send'} {next(iter(groups))})"
    return (
        " ("
        + "; ".join(
            f"{_names(members, profiles)} {_verb(members, 'sends', 'send')} {text}"
            for text, members in groups.items()
        )
        + ")"
    )


def _negative(profiles: Sequence[Profile]) -> str:
    return "doesn't" if len(profiles) == 1 else "don't"


def _events_text(targets: Sequence[Any]) -> str:
    if not targets:
        return "nothing"
    return ", ".join(_quoted(t) if t is not UNDEFINED else "undefined" for t in targets)


# -- explanations ---------------------------------------------------------------------------


def _explain(
    message: Any,
    index: int | None,
    commands: Mapping[str, tuple[Entry, ...]],
    profiles: Sequence[Profile],
    settings: Settings,
) -> list[ProfileDifference]:
    json = {name: [e.to_json() for e in entries] for name, entries in commands.items()}
    if len({tuple(v) for v in json.values()}) <= 1:
        return []
    out: list[ProfileDifference] = []
    by_name = {p.name: p for p in profiles}
    kind = message.get("type") if isinstance(message, dict) else None

    failed = [p for p in profiles if any(isinstance(e, MappingError) for e in commands[p.name])]
    fine = [p for p in profiles if p not in failed]
    if failed and fine:
        error = next(e for e in commands[failed[0].name] if isinstance(e, MappingError))
        why = _error_cause(message, settings)
        out.append(
            ProfileDifference(
                "error",
                f"{_names(failed, profiles)} {_verb(failed, 'stops', 'stop')} with an error here "
                f"({error.error}{why}); {_names(fine, profiles)} {_negative(fine)}",
                tuple(p.name for p in failed),
            )
        )

    ldp = {name: [e for e in entries if _is_ldp(e)] for name, entries in commands.items()}
    with_ldp = [p for p in fine if ldp[p.name]]
    without_ldp = [p for p in fine if not ldp[p.name]]
    if with_ldp and without_ldp and kind in ("track", "page"):
        out.append(
            ProfileDifference(
                "ldp-set",
                f"{_names(with_ldp, profiles)} {_verb(with_ldp, 'sends', 'send')} a limited-data-processing "
                "set() before each track and page",
                tuple(p.name for p in with_ldp),
            )
        )

    tracks = {
        name: [e for e in entries if isinstance(e, Command) and e.method == "track"]
        for name, entries in commands.items()
    }
    if kind == "track" and isinstance(message, dict):
        out.extend(_event_differences(message, tracks, fine, profiles, settings))

    first_track = {p.name: tracks[p.name][0].data for p in fine if tracks[p.name]}
    if len(first_track) > 1:
        out.extend(
            _data_differences(first_track, [by_name[n] for n in first_track], profiles, kind, settings)
        )

    sets = {
        p.name: [
            e.data
            for e in commands[p.name]
            if isinstance(e, Command) and e.method == "set" and not _is_ldp(e)
        ]
        for p in fine
    }
    set_data = {name: data[0] for name, data in sets.items() if data}
    if len(set_data) > 1:
        out.extend(_data_differences(set_data, [by_name[n] for n in set_data], profiles, "set", settings))
    elif set_data and len(fine) > 1:
        have = [by_name[n] for n in set_data]
        lack = [p for p in fine if p.name not in set_data]
        out.append(
            ProfileDifference(
                "set",
                f"{_names(have, profiles)} {_verb(have, 'sends', 'send')} set({_keys_text(next(iter(set_data.values())))}); "
                f"{_names(lack, profiles)} {_negative(lack)}",
                tuple(p.name for p in have),
            )
        )

    if not out:
        # Nothing above explains it: say plainly what each profile sends.
        groups: dict[tuple[str, ...], list[Profile]] = {}
        for p in profiles:
            groups.setdefault(tuple(json[p.name]), []).append(p)
        parts = [
            f"{_names(members, profiles)} {_verb(members, 'sends', 'send')} {'; '.join(calls) or 'nothing'}"
            for calls, members in groups.items()
        ]
        out.append(ProfileDifference("commands", "; ".join(parts), tuple(p.name for p in profiles)))
    return out


def _is_ldp(entry: Entry) -> bool:
    return isinstance(entry, Command) and entry.is_ldp_set


def _error_cause(message: Any, settings: Settings) -> str:
    """A hint at what in the input the integration trips over, when it's in the settings."""
    rows = [i + 1 for i, m in enumerate(settings.events_mapping) if m.source is None]
    if rows and isinstance(message, dict) and message.get("type") == "track":
        which = ", ".join(str(r) for r in rows)
        return f": event mapping row {which} has no 'from'"
    return ""


def _keys_text(data: Any) -> str:
    if not isinstance(data, dict):
        return ""
    return "{" + ", ".join(js_keys(data)) + "}"


def _event_differences(
    message: dict[str, Any],
    tracks: Mapping[str, list[Command]],
    fine: Sequence[Profile],
    profiles: Sequence[Profile],
    settings: Settings,
) -> list[ProfileDifference]:
    targets = {p.name: [c.args[0] if c.args else UNDEFINED for c in tracks[p.name]] for p in fine}
    if len({_events_text(v) for v in targets.values()}) <= 1:
        return []
    event = get_property(message, "event")
    if not isinstance(event, str):
        return []
    lowered = event.lower()
    shown = f"'{event}'"
    exact = [m for m in settings.events_mapping if m.source is not None and js_trim(m.source) == event]
    loose = [m for m in settings.events_mapping if m.source is not None and m.source.lower() == lowered]
    first = [p for p in fine if p.all_user_mappings_first]
    ordered = [p for p in fine if not p.all_user_mappings_first]
    out: list[ProfileDifference] = []

    # 1. The standard event tables disagree about this event (and it decides the outcome).
    decided_by_table = [
        p for p in fine if p.standard_events.get(lowered) and not (p.all_user_mappings_first and exact)
    ]
    for table_event in dict.fromkeys(p.standard_events[lowered] for p in decided_by_table):
        mapping = [p for p in decided_by_table if p.standard_events[lowered] == table_event]
        others = [p for p in fine if p.standard_events.get(lowered) != table_event]
        if others:
            tail = _what_they_send(others, targets, profiles)
            out.append(
                ProfileDifference(
                    "standard-event",
                    f"{_names(mapping, profiles)} {_verb(mapping, 'maps', 'map')} {shown} to {table_event}; "
                    f"{_names(others, profiles)} {_negative(others)}{tail}",
                    tuple(p.name for p in mapping),
                )
            )

    # 2. sdk-v3 applies user mappings before the standard table; the others the reverse.
    early = [p for p in first if exact and p.standard_events.get(lowered)]
    late = [p for p in ordered if p.standard_events.get(lowered)]
    if early and late:
        out.append(
            ProfileDifference(
                "mapping-precedence",
                f"{_names(early, profiles)} {_verb(early, 'applies', 'apply')} your event mapping before the "
                f"standard events ({_events_text(targets[early[0].name])}); {_names(late, profiles)} "
                f"{_verb(late, 'uses', 'use')} the standard event {late[0].standard_events[lowered]}",
                tuple(p.name for p in early),
            )
        )

    # 3. How a mapping's "from" is matched: exact after trimming (sdk-v3) or ignoring case.
    by_mapping_ordered = [p for p in ordered if loose and not p.standard_events.get(lowered)]
    if first and by_mapping_ordered and not exact:
        trimmed = [m for m in loose if js_trim(m.source or "").lower() == lowered]
        out.append(
            ProfileDifference(
                "mapping-match",
                f"{_names(first, profiles)} {_verb(first, 'matches', 'match')} event mappings exactly (case and spaces); "
                f"{_names(by_mapping_ordered, profiles)} ignore{'s' if len(by_mapping_ordered) == 1 else ''} case"
                + (f": '{trimmed[0].source}' ≠ {shown}" if trimmed else ""),
                tuple(p.name for p in first),
            )
        )
    unmatched_ordered = [p for p in ordered if not loose and not p.standard_events.get(lowered)]
    if first and exact and unmatched_ordered:
        out.append(
            ProfileDifference(
                "mapping-match",
                f"{_names(first, profiles)} {_verb(first, 'ignores', 'ignore')} spaces around a mapping's 'from' "
                f"('{exact[0].source}'); {_names(unmatched_ordered, profiles)} "
                f"{_verb(unmatched_ordered, 'compares', 'compare')} it as typed, so it doesn't match {shown}",
                tuple(p.name for p in first),
            )
        )

    # 4. sdk-v3 fires every matching mapping; the others only the first.
    many = [p for p in first if len(tracks[p.name]) > 1]
    single = [p for p in ordered if len(tracks[p.name]) == 1]
    if many and single:
        out.append(
            ProfileDifference(
                "all-mappings",
                f"{_names(many, profiles)} {_verb(many, 'fires', 'fire')} every matching mapping "
                f"({len(tracks[many[0].name])} tracks: {_events_text(targets[many[0].name])}); "
                f"{_names(single, profiles)} {_verb(single, 'sends', 'send')} one "
                f"({_events_text(targets[single[0].name])})",
                tuple(p.name for p in many),
            )
        )

    # 5. sendAsCustomEvent: unmapped events go out as Custom where the profile honours it.
    if settings.send_as_custom_event:
        custom = [
            p
            for p in fine
            if p.honours_send_as_custom_event
            and targets[p.name] == ["Custom"]
            and not exact
            and not p.standard_events.get(lowered)
        ]
        plain = [p for p in fine if not p.honours_send_as_custom_event and targets[p.name] == [event]]
        if custom and plain:
            out.append(
                ProfileDifference(
                    "send-as-custom",
                    f"{_names(custom, profiles)} {_verb(custom, 'sends', 'send')} unmapped events as Custom "
                    f"(sendAsCustomEvent); {_names(plain, profiles)} {_verb(plain, 'sends', 'send')} "
                    f"{shown} under its own name",
                    tuple(p.name for p in custom),
                )
            )

    # 6. A mapping with an empty "to": sdk-v3 sends the empty name, the others the event's own.
    empty = [m for m in (exact or loose) if not truthy(m.target)]
    if empty:
        blank = [p for p in first if exact and any(not truthy(t) for t in targets[p.name])]
        own = [p for p in ordered if targets[p.name] == [event]]
        if blank and own:
            out.append(
                ProfileDifference(
                    "mapping-empty-to",
                    f"the event mapping for {shown} has an empty 'to': {_names(blank, profiles)} "
                    f"{_verb(blank, 'sends', 'send')} {_events_text(targets[blank[0].name])}, "
                    f"{_names(own, profiles)} {_verb(own, 'falls', 'fall')} back to {shown}",
                    tuple(p.name for p in blank),
                )
            )

    if not out:
        groups: dict[str, list[Profile]] = {}
        for p in fine:
            groups.setdefault(_events_text(targets[p.name]), []).append(p)
        out.append(
            ProfileDifference(
                "event",
                "; ".join(
                    f"{_names(members, profiles)} {_verb(members, 'sends', 'send')} {text}"
                    for text, members in groups.items()
                ),
                tuple(p.name for p in fine),
            )
        )
    return out


def _data_differences(
    data: Mapping[str, Any],
    having: Sequence[Profile],
    profiles: Sequence[Profile],
    kind: Any,
    settings: Settings,
) -> list[ProfileDifference]:
    """Compare the object argument (event data or set keys) across profiles."""
    out: list[ProfileDifference] = []
    keys: list[str] = []
    for p in having:
        value = data[p.name]
        for key in js_keys(value) if isinstance(value, dict) else []:
            if key not in keys:
                keys.append(key)
    custom = {path for path in settings.custom_properties if path}
    page_keys: list[str] = []
    page_have: list[Profile] = []
    page_lack: list[Profile] = []
    for key in keys:
        have = [p for p in having if isinstance(data[p.name], dict) and key in data[p.name]]
        lack = [p for p in having if p not in have]
        if not have or not lack:
            continue
        if key == "event_id" and all(p.event_id_and_ldp for p in have):
            out.append(
                ProfileDifference(
                    "event-id",
                    f"{_names(have, profiles)} {_verb(have, 'adds', 'add')} event_id",
                    tuple(p.name for p in have),
                )
            )
        elif key == "line_items" and all(p.line_items_always for p in have):
            out.append(
                ProfileDifference(
                    "line-items",
                    f"{_names(have, profiles)} always {_verb(have, 'adds', 'add')} line_items",
                    tuple(p.name for p in have),
                )
            )
        elif key in LDP_KEYS and kind == "set" and all(p.event_id_and_ldp for p in have):
            if key == "opt_out_type":  # one sentence for the three keys
                out.append(
                    ProfileDifference(
                        "identify-ldp",
                        f"{_names(have, profiles)} {_verb(have, 'adds', 'add')} the limited-data-processing keys "
                        "(opt_out_type, st, country) to identify's set()",
                        tuple(p.name for p in have),
                    )
                )
        elif (
            key in custom
            and kind == "page"
            and all(p.page_custom_properties for p in have)
            and not any(p.page_custom_properties for p in lack)
        ):
            page_keys.append(key)
            page_have, page_lack = have, lack
        else:
            out.append(_value_difference(key, data, having, profiles))
    if page_keys:
        out.append(
            ProfileDifference(
                "page-custom-properties",
                f"{_names(page_have, profiles)} {_verb(page_have, 'sends', 'send')} custom properties on page calls "
                f"({', '.join(page_keys)}); {_names(page_lack, profiles)} {_negative(page_lack)}",
                tuple(p.name for p in page_have),
            )
        )
    for key in keys:
        values = {
            p.name: data[p.name][key]
            for p in having
            if isinstance(data[p.name], dict) and key in data[p.name]
        }
        if len(values) < len(having) or len({stringify(v) for v in values.values()}) <= 1:
            continue
        if key == "event_id":
            own = [p for p in having if p.event_id_and_ldp]
            rest = [p for p in having if not p.event_id_and_ldp]
            if own and rest:
                out.append(
                    ProfileDifference(
                        "event-id",
                        f"{_names(own, profiles)} {_verb(own, 'replaces', 'replace')} the event_id property with "
                        f"its own ({shorten(stringify(values[own[0].name]) or '')}, from the deduplication key or "
                        f"messageId); {_names(rest, profiles)} {_verb(rest, 'sends', 'send')} "
                        f"{shorten(stringify(values[rest[0].name]) or '')}",
                        tuple(p.name for p in own),
                    )
                )
                continue
        out.append(_value_difference(key, data, having, profiles))
    return out


def _value_difference(
    key: str, data: Mapping[str, Any], having: Sequence[Profile], profiles: Sequence[Profile]
) -> ProfileDifference:
    groups: dict[str, list[Profile]] = {}
    for p in having:
        value = data[p.name]
        shown = (
            shorten(stringify(value[key]) or "undefined")
            if isinstance(value, dict) and key in value
            else "nothing"
        )
        groups.setdefault(shown, []).append(p)
    text = f"{key}: " + "; ".join(
        f"{_names(members, profiles)} {_verb(members, 'sends', 'send')} {shown}"
        for shown, members in groups.items()
    )
    return ProfileDifference("data", text, tuple(p.name for p in having))
