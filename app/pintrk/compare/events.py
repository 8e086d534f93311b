"""Why profiles send a track under different Pinterest event names, read from the rules that fired.

Each track command carries its rule (:class:`~app.pintrk.commands.Rule`): the standard
table, a user mapping (which row), sendAsCustomEvent or the event's own name.  The
sentences compare those records and the profiles' data (tables, switches); the matching
itself is not worked out again here.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..commands import Command, RuleKind
from ..event_names import mapping_key
from ..jsvalue import UNDEFINED, get_property, truthy
from ..profiles import Profile
from ..settings import Settings
from .difference import ProfileDifference
from .words import events_text, names, negative, verb, what_they_send

__all__ = ["event_differences"]


@dataclass(frozen=True)
class _Case:
    """One track message as the compared profiles sent it."""

    event: str
    tracks: Mapping[str, list[Command]]  # profile name → its track commands
    fine: Sequence[Profile]  # the profiles that did not stop with an error
    profiles: Sequence[Profile]  # every compared profile (for naming them)
    settings: Settings

    @property
    def shown(self) -> str:
        return f"'{self.event}'"

    def targets(self, p: Profile) -> list[Any]:
        return [c.args[0] if c.args else UNDEFINED for c in self.tracks[p.name]]

    def used(self, p: Profile, *kinds: RuleKind) -> bool:
        """``p``'s tracks all come from rules of these kinds (and there is one at least)."""
        rules = [c.rule.kind for c in self.tracks[p.name]]
        return bool(rules) and all(kind in kinds for kind in rules)

    def row_source(self, p: Profile) -> Any:
        """The ``from`` of the mapping row behind ``p``'s first track."""
        row = self.tracks[p.name][0].rule.row
        return None if row is None else self.settings.events_mapping[row].source

    def sentence(self, code: str, text: str, subject: Sequence[Profile]) -> ProfileDifference:
        return ProfileDifference(code, text, tuple(p.name for p in subject))

    def says(self, profiles: Sequence[Profile], singular: str, plural: str) -> str:
        """``"docs maps"``, ``"the SDKs map"``."""
        return f"{names(profiles, self.profiles)} {verb(profiles, singular, plural)}"


def event_differences(
    message: dict[str, Any],
    tracks: Mapping[str, list[Command]],
    fine: Sequence[Profile],
    profiles: Sequence[Profile],
    settings: Settings,
) -> list[ProfileDifference]:
    """Sentences for a track that goes out under different names in different profiles."""
    if len({events_text([c.args[0] if c.args else UNDEFINED for c in tracks[p.name]]) for p in fine}) <= 1:
        return []
    event = get_property(message, "event")
    if not isinstance(event, str):
        return []
    case = _Case(event, tracks, fine, profiles, settings)
    out = [
        *_standard_tables(case),
        *_precedence(case),
        *_matching(case),
        *_every_mapping(case),
        *_send_as_custom(case),
        *_empty_to(case),
    ]
    if not out:
        groups: dict[str, list[Profile]] = {}
        for p in fine:
            groups.setdefault(events_text(case.targets(p)), []).append(p)
        text = "; ".join(f"{case.says(members, 'sends', 'send')} {sent}" for sent, members in groups.items())
        out.append(case.sentence("event", text, fine))
    return out


def _standard_tables(case: _Case) -> Iterator[ProfileDifference]:
    """The standard event tables disagree about this event (and decided the outcome)."""
    by_table = [p for p in case.fine if case.used(p, "standard-table")]
    for table_event in dict.fromkeys(case.targets(p)[0] for p in by_table):
        mapping = [p for p in by_table if case.targets(p)[0] == table_event]
        others = [p for p in case.fine if p.standard_event(case.event) != table_event]
        if others:
            tail = what_they_send(others, {p.name: case.targets(p) for p in others}, case.profiles)
            yield case.sentence(
                "standard-event",
                f"{case.says(mapping, 'maps', 'map')} {case.shown} to {table_event}; "
                f"{names(others, case.profiles)} {negative(others)}{tail}",
                mapping,
            )


def _precedence(case: _Case) -> Iterator[ProfileDifference]:
    """A user mapping fired though the standard table knows the event, beside profiles that used the table."""
    early = [p for p in case.fine if case.used(p, "user-mapping") and p.standard_event(case.event)]
    late = [p for p in case.fine if case.used(p, "standard-table")]
    if early and late:
        yield case.sentence(
            "mapping-precedence",
            f"{case.says(early, 'applies', 'apply')} your event mapping before the standard events "
            f"({events_text(case.targets(early[0]))}); {case.says(late, 'uses', 'use')} the standard event "
            f"{case.targets(late[0])[0]}",
            early,
        )


def _matching(case: _Case) -> Iterator[ProfileDifference]:
    """How a mapping's ``from`` is matched: trimmed and exact (all_user_mappings_first) or ignoring case."""
    exact = [p for p in case.fine if p.all_user_mappings_first]
    exact_mapped = [p for p in exact if case.used(p, "user-mapping")]
    loose_mapped = [p for p in case.fine if not p.all_user_mappings_first and case.used(p, "user-mapping")]
    if exact and loose_mapped and not exact_mapped:
        source = case.row_source(loose_mapped[0])
        key = mapping_key(source)
        tail = f": '{source}' ≠ {case.shown}" if key is not None and key.lower() == case.event.lower() else ""
        yield case.sentence(
            "mapping-match",
            f"{case.says(exact, 'matches', 'match')} event mappings exactly (case and spaces); "
            f"{names(loose_mapped, case.profiles)} ignore{'s' if len(loose_mapped) == 1 else ''} case{tail}",
            exact,
        )
    unmatched = [p for p in case.fine if case.used(p, "event-name", "send-as-custom")]
    if exact_mapped and unmatched:
        yield case.sentence(
            "mapping-match",
            f"{case.says(exact, 'ignores', 'ignore')} spaces around a mapping's 'from' "
            f"('{case.row_source(exact_mapped[0])}'); {case.says(unmatched, 'compares', 'compare')} it as typed, "
            f"so it doesn't match {case.shown}",
            exact,
        )


def _every_mapping(case: _Case) -> Iterator[ProfileDifference]:
    """Several mappings fired in one profile, one in another."""
    many = [p for p in case.fine if len(case.tracks[p.name]) > 1]
    single = [p for p in case.fine if len(case.tracks[p.name]) == 1]
    if many and single:
        yield case.sentence(
            "all-mappings",
            f"{case.says(many, 'fires', 'fire')} every matching mapping "
            f"({len(case.tracks[many[0].name])} tracks: {events_text(case.targets(many[0]))}); "
            f"{case.says(single, 'sends', 'send')} one ({events_text(case.targets(single[0]))})",
            many,
        )


def _send_as_custom(case: _Case) -> Iterator[ProfileDifference]:
    custom = [p for p in case.fine if case.used(p, "send-as-custom")]
    plain = [p for p in case.fine if p not in custom and case.targets(p) == [case.event]]
    if custom and plain:
        yield case.sentence(
            "send-as-custom",
            f"{case.says(custom, 'sends', 'send')} unmapped events as Custom (sendAsCustomEvent); "
            f"{case.says(plain, 'sends', 'send')} {case.shown} under its own name",
            custom,
        )


def _empty_to(case: _Case) -> Iterator[ProfileDifference]:
    """A mapping with an empty ``to``: sent as it is in one profile, the event's own name in another."""
    blank = [
        p
        for p in case.fine
        if any(
            c.rule.kind == "user-mapping" and not truthy(t)
            for c, t in zip(case.tracks[p.name], case.targets(p), strict=True)
        )
    ]
    own = [p for p in case.fine if case.targets(p) == [case.event]]
    if blank and own:
        yield case.sentence(
            "mapping-empty-to",
            f"the event mapping for {case.shown} has an empty 'to': {case.says(blank, 'sends', 'send')} "
            f"{events_text(case.targets(blank[0]))}, {case.says(own, 'falls', 'fall')} back to {case.shown}",
            blank,
        )
