"""Pasted RudderStack events on the page: read them, number them, say what was left out."""

from __future__ import annotations

from app.pintrk import (
    MAX_MESSAGES,
    PAGE_BUDGET,
    EventsImportError,
    ImportedEvents,
    ImportProblem,
    OverBudget,
    check_text,
    import_events,
    max_bracket_depth,
)

from . import limits
from .wording import sentence

__all__ = ["MAX_IMPORTED_MESSAGES", "describe_problems", "event_numbers", "read_events"]

# Pasted events read at once (the API's limit; the page replays the first MAX_PAGE_MESSAGES).
MAX_IMPORTED_MESSAGES = MAX_MESSAGES


def read_events(text: str) -> ImportedEvents | str:
    """The pasted events, or why they can't be read at all (a sentence for the field)."""
    if not text.strip():
        return (
            "Paste RudderStack events here: one message ({…}), a list of messages ([…]) or the SDK's "
            '{"batch": […]} request body. Or switch back to the call script.'
        )
    try:
        if max_bracket_depth(text) <= limits.MAX_NESTING:  # else the import says how deep, more to the point
            check_text(text, PAGE_BUDGET, "messages", "the pasted text")
        return import_events(text, max_messages=MAX_IMPORTED_MESSAGES, max_depth=limits.MAX_NESTING)
    except OverBudget as exc:
        return f"{sentence(exc.message)} Nothing was imported; paste fewer events, or use the JSON API (/api/v1/docs)."
    except EventsImportError as exc:
        where = f"{sentence(exc.location)[:-1]}: " if exc.location else ""
        return f"{where}{sentence(exc.message)} Nothing was imported; fix the pasted text and try again."


def event_numbers(found: ImportedEvents) -> list[int]:
    """Each imported message's 1-based position among the pasted entries."""
    skipped = {p.index for p in found.problems if p.skipped}
    numbers: list[int] = []
    position = 0
    while len(numbers) < len(found.messages):
        if position not in skipped:
            numbers.append(position + 1)
        position += 1
    return numbers


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
