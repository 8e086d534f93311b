"""Pasted RudderStack events on the page: read by the core, numbered, and what was left out."""

from __future__ import annotations

from typing import Any

from app.pintrk import (
    MAX_MESSAGES,
    PAGE_BUDGET,
    ImportProblem,
    InputError,
    Scenario,
    load_scenario,
    showing_first,
)

from .scenario_errors import Errors, events_problem
from .wording import sentence

__all__ = ["describe_problems", "events_fields", "page_cut_note", "read_events"]


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
