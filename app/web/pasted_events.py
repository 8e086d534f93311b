"""Pasted RudderStack events on the page: read by the core, numbered, and what was left out."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from app.pintrk import (
    MAX_MESSAGES,
    PAGE_BUDGET,
    ImportProblem,
    InputError,
    Result,
    Scenario,
    load_scenario,
    replay,
    showing_first,
)

from .scenario_errors import Errors, events_problem
from .wording import sentence

__all__ = ["describe_problems", "events_fields", "events_offers", "has_email", "page_cut_note", "read_events"]


def read_events(text: str) -> Scenario | str:
    """The pasted events as a scenario (``events``: every one read; ``messages``: the first ones,
    as the page replays them), or why they can't be read at all (a sentence for the field)."""
    try:
        return load_scenario({"events": text}, budget=PAGE_BUDGET)
    except InputError as exc:
        if exc.scenario is not None:  # read, but more than a page runs (products): still listed
            return exc.scenario
        return events_problem(exc.problems[0])


def events_fields(scenario: Scenario, errors: Errors) -> dict[str, Any]:
    """The run's fields for pasted events: the entries left out go beside the field (they don't
    stop the others), warnings and the page's cut become notes."""
    found = scenario.events
    if found is None:
        return {}
    loaded = len(found.messages)
    skipped = [p for p in found.problems if p.skipped]
    if skipped:
        errors.setdefault("messages", []).append(describe_problems(skipped, loaded))
    warnings = [p for p in found.problems if not p.skipped]
    notes = {"messages": [describe_problems(warnings, loaded)]} if warnings else {}
    if scenario.total is not None:  # the first ones run; the rest are named, not dropped silently
        notes.setdefault("messages", []).insert(
            0, page_cut_note(len(scenario.messages), scenario.total, "events")
        )
    return {
        "messages": list(scenario.messages),
        "event_numbers": list(scenario.event_numbers),
        "notes": notes,
        "suggested_traits": dict(found.initial_traits),
        "pasted": found,
    }


def page_cut_note(shown: int, total: int, things: str) -> str:
    return (
        f"{showing_first(shown, total, things)[:-1]}: the page replays at most {shown:,} at once. "
        f"The JSON API (/api/v1/docs) and the command line replay up to {MAX_MESSAGES:,}."
    )


def describe_problems(problems: list[ImportProblem], loaded: int) -> str:
    """One line per problem ("Entry 3 (batch[2]): …"), under a heading that says what was done."""
    skipped = problems[0].skipped if problems else False
    if skipped:
        count = len({p.index for p in problems})
        head = (
            f"{count} {'entry was' if count == 1 else 'entries were'} left out "
            f"({loaded} event{'s' if loaded != 1 else ''} loaded); fix or remove "
            f"{'it' if count == 1 else 'them'} in the pasted text:"
        )
    else:
        head = "Loaded, but worth knowing:"
    lines = [head]
    for problem in problems:
        text = problem.text
        label, _, reason = text.partition(": ")
        where = f" ({problem.location})" if problem.location not in ("message",) else ""
        lines.append(f"• {sentence(label)[:-1]}{where}: {sentence(reason) if reason else ''}".rstrip(": "))
    return "\n".join(lines)


# -- what the page offers for pasted events (notes with a button beside the events) ----------------

EVENT_TRAITS_NOTE = "event_traits"  # "use the first event's stored traits as initial traits"
ENHANCED_MATCH_NOTE = "enhanced_match_offer"  # "turn on enhanced match", and what it would change


def events_offers(result: Result, initial_traits_text: str) -> dict[str, list[str]]:
    """The offers beside pasted events, as notes (so live updates show and hide them): the first
    event's stored traits as initial traits, and enhanced match when the events carry an e-mail."""
    scenario = result.scenario
    found = scenario.events
    if found is None:
        return {}
    offers: dict[str, list[str]] = {}
    suggested = found.initial_traits
    first = scenario.event_numbers[0] if scenario.event_numbers else 1
    if suggested and not initial_traits_text.strip():
        keys = ", ".join(list(suggested)[:8]) + (", …" if len(suggested) > 8 else "")
        offers[EVENT_TRAITS_NOTE] = [
            f"Event {first} carries stored traits ({keys}): what the SDK knew before it. "
            "Replay a returning visitor with them:"
        ]
    note = enhanced_match_note(result, suggested, first)
    if note:
        offers[ENHANCED_MATCH_NOTE] = [note]
    return offers


def enhanced_match_note(result: Result, suggested: Mapping[str, Any], first: int) -> str | None:
    """Why these events' e-mail is not sent with load(), and what enhanced match would change,
    worked out by replaying them with it on: one extra replay, only when the note shows."""
    scenario = result.scenario
    carrier = _first_email(scenario.messages, scenario.event_numbers)
    if scenario.settings.enhanced_match or carrier is None:
        return None
    borrow = not scenario.initial_traits and has_email(suggested)
    traits = dict(suggested) if borrow else scenario.initial_traits
    before = after = _beacons_with_email(result)
    if has_email(traits):  # else load() has no e-mail to send either way: the same run, not replayed
        on = replace(scenario.settings, enhanced_match=True)
        after = _beacons_with_email(
            replay(replace(scenario, settings=on, initial_traits=traits), result.profile, PAGE_BUDGET)
        )
    total = len(result.beacons)
    words = [
        f"These events carry an e-mail ({carrier}), but Enhanced match is off. Enhanced match sends the "
        "visitor's e-mail, hashed, with the tag's load(), so every event — even the first — can be "
        "matched to a Pinterest user."
    ]
    using = f", using event {first}'s stored traits as initial traits," if borrow else ""
    if after != before:
        words.append(
            f"With it on{using} {after} of {total} beacon{'s' if total != 1 else ''} would carry a hashed "
            f"e-mail instead of {before}."
        )
    else:
        words.append(
            "With it on, nothing would change for these events: load() only knows the traits stored "
            f"before the first event, and {'those have no e-mail' if scenario.initial_traits else 'there are none'}"
            " (initial traits with an e-mail replay a returning visitor)."
        )
    what = f" and puts event {first}'s context.traits in Initial traits" if borrow else ""
    words.append(f"The button ticks Enhanced match in the settings{what}.")
    return " ".join(words)


def has_email(traits: Any) -> bool:
    """Traits with an e-mail that enhanced match would send."""
    email = traits.get("email") if isinstance(traits, Mapping) else None
    return isinstance(email, str) and email != ""  # what the integration's truthiness lets through


def _first_email(messages: Sequence[Any], numbers: Sequence[int]) -> str | None:
    """Where the first e-mail among the events is ("event 2's context.traits.email"), or None."""
    for index, message in enumerate(messages):
        if not isinstance(message, dict):
            continue
        context = message.get("context")
        number = numbers[index] if index < len(numbers) else index + 1
        if isinstance(context, dict) and has_email(context.get("traits")):
            return f"event {number}'s context.traits.email"
        if message.get("type") == "identify" and has_email(message.get("traits")):
            return f"event {number}'s traits.email"
    return None


def _beacons_with_email(result: Result) -> int:
    return sum(1 for beacon in result.beacons if beacon.pd and beacon.pd.get("em"))
