"""One verdict per real beacon, for people: same as a predicted beacon, or how many differences,
each field once.

:func:`compare_beacons` lists every value that differs, leaf by leaf (the JSON API's shape).  A
support person reads them per beacon and per field: three product fields missing from two line
items are three differences ("product_name missing in real, in items 1 and 2"), not six.  And the
tag's ``/user/`` requests are said for what they are: its configuration request, not a conversion.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from ..limits import MAX_LISTED_ITEMS
from .beacon import DecodedBeacon
from .difference import BeaconComparison, BeaconDifference, Change, DifferenceKind

__all__ = [
    "CHANGE_WORDS",
    "BeaconVerdict",
    "FieldDifference",
    "VerdictStatus",
    "beacon_verdicts",
    "configuration_notes",
]

# How each change is said next to its symbol, on the page and in the text.
CHANGE_WORDS: dict[Change, str] = {
    "missing": "missing in real",
    "extra": "extra in real",
    "different": "different value",
}

VerdictStatus = Literal["same", "differs", "unmatched", "not-sent"]


@dataclass(frozen=True)
class FieldDifference:
    """One field that differs on one beacon, in every list item where it does so the same way."""

    kind: DifferenceKind
    field: str  # "ed.value", "pd.em", "event"; inside list items, the list: "ed.line_items"
    within: str | None  # the field inside each item ("product_name"); None: not in a list item
    change: Change
    items: tuple[int, ...] = ()  # the list items (0-based); () when not in a list item
    predicted: tuple[str | None, ...] = ()  # as shown, one per item (or one)
    sent: tuple[str | None, ...] = ()
    note: str = ""  # why, in plain words ("" when the values say it all)

    @property
    def words(self) -> str:
        """ "missing in real", "extra in real" or "different value"."""
        return CHANGE_WORDS[self.change]

    @property
    def items_text(self) -> str:
        """ "item 1", "items 1 and 2", "items 1, 2, 3 and 7 more" ("" outside list items)."""
        if not self.items:
            return ""
        numbers = [f"{i + 1:,}" for i in self.items[:MAX_LISTED_ITEMS]]
        rest = len(self.items) - len(numbers)
        if rest:
            listed = ", ".join(numbers) + f" and {rest:,} more"
        else:
            listed = " and ".join([", ".join(numbers[:-1]), numbers[-1]]) if len(numbers) > 1 else numbers[0]
        return ("items " if len(self.items) > 1 else "item ") + listed

    @property
    def predicted_values(self) -> tuple[tuple[tuple[str, str], ...], int]:
        """The predicted values to show, each with its item ("item 2", or "" when every item has
        it), and how many more there are."""
        return _shown(self.predicted, self.items)

    @property
    def sent_values(self) -> tuple[tuple[tuple[str, str], ...], int]:
        return _shown(self.sent, self.items)

    @property
    def predicted_text(self) -> str | None:
        return _written(self.predicted_values)

    @property
    def sent_text(self) -> str | None:
        return _written(self.sent_values)

    @property
    def text(self) -> str:
        """One line: what changed, where, both values and why."""
        where = (
            self.field
            if self.within is None
            else f"{self.within or 'the item'} in {self.items_text} of {self.field}"
        )
        values = []
        if self.predicted_text is not None:
            values.append(f"predicted {self.predicted_text}")
        if self.sent_text is not None:
            values.append(f"real {self.sent_text}")
        text = f"{where}: {self.words}"
        if values:
            text += " (" + ", ".join(values) + ")"
        return text + (f": {self.note}" if self.note else "")

    def to_dict(self) -> dict[str, Any]:
        return {
            "field": self.field,
            "within": self.within,
            "change": self.change,
            "items": list(self.items),
            "predicted": self.predicted_text,
            "sent": self.sent_text,
            "note": self.note,
            "text": self.text,
        }


@dataclass(frozen=True)
class BeaconVerdict:
    """What the comparison says about one real beacon (or one predicted beacon nobody sent)."""

    predicted: int | None  # index into the predicted beacons
    sent: int | None  # index into the real ones
    status: VerdictStatus
    differences: tuple[FieldDifference, ...] = ()
    note: str = ""  # unmatched and not-sent: why

    @property
    def count(self) -> int:
        return len(self.differences)

    @property
    def text(self) -> str:
        """The one statement: "Same as predicted beacon 2", "Differs from predicted beacon 2: 3 differences"."""
        if self.status == "unmatched":
            return "No predicted beacon matches"
        number = (self.predicted or 0) + 1
        if self.status == "not-sent":
            return f"Predicted beacon {number} was not sent"
        if self.status == "same":
            return f"Same as predicted beacon {number}"
        return (
            f"Differs from predicted beacon {number}: {self.count} difference{'s' if self.count != 1 else ''}"
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "predicted": self.predicted,
            "sent": self.sent,
            "status": self.status,
            "text": self.text,
            "note": self.note,
            "differences": [d.to_dict() for d in self.differences],
        }


def beacon_verdicts(comparison: BeaconComparison) -> tuple[BeaconVerdict, ...]:
    """A verdict for each pair of the comparison, in its order; the ``/user/`` requests it
    ignored get none (see :func:`configuration_notes`)."""
    by_pair: dict[tuple[int | None, int | None], list[BeaconDifference]] = {}
    for difference in comparison.differences:
        by_pair.setdefault((difference.predicted, difference.sent), []).append(difference)
    verdicts = []
    for p, s in comparison.pairs:
        found = by_pair.get((p, s), [])
        if s is None or p is None:
            status: VerdictStatus = "not-sent" if s is None else "unmatched"
            verdicts.append(BeaconVerdict(p, s, status, note=found[0].note if found else ""))
        else:
            grouped = _grouped(found)
            verdicts.append(BeaconVerdict(p, s, "differs" if grouped else "same", grouped))
    return tuple(verdicts)


def _grouped(differences: Sequence[BeaconDifference]) -> tuple[FieldDifference, ...]:
    """One per field and change: a field that differs the same way in several list items is one."""
    groups: dict[tuple[str | None, str | None, Change, str], list[BeaconDifference]] = {}
    for d in differences:
        key = (
            (d.field, None, d.change, d.note) if d.item is None else (d.item[0], d.item[2], d.change, d.note)
        )
        groups.setdefault(key, []).append(d)
    out = []
    for (field, within, change, note), members in groups.items():
        first = members[0]
        out.append(
            FieldDifference(
                first.kind,
                field or first.kind,
                within,
                change,
                tuple(d.item[1] for d in members if d.item is not None),
                tuple(d.ours for d in members),
                tuple(d.theirs for d in members),
                note,
            )
        )
    return tuple(out)


def _shown(values: tuple[str | None, ...], items: tuple[int, ...]) -> tuple[tuple[tuple[str, str], ...], int]:
    """One value when every item has the same one; else the first few, each with its item."""
    pairs = [(v, i) for v, i in zip(values, items or (None,) * len(values), strict=True) if v is not None]
    if len({v for v, _ in pairs}) <= 1:
        return tuple((v, "") for v, _ in pairs[:1]), 0
    listed = tuple((v, f"item {i + 1:,}" if i is not None else "") for v, i in pairs[:MAX_LISTED_ITEMS])
    return listed, len(pairs) - len(listed)


def _written(shown: tuple[tuple[tuple[str, str], ...], int]) -> str | None:
    listed, more = shown
    if not listed:
        return None
    text = ", ".join(f"{value} in {where}" if where else value for value, where in listed)
    return text + (f" and {more:,} more" if more else "")


def configuration_notes(beacons: Sequence[DecodedBeacon]) -> dict[int, str]:
    """What each ``/user/`` request (the tag's configuration request) is, in words, by its
    index: not a conversion, and which beacon it repeats."""
    notes: dict[int, str] = {}
    following: int | None = None  # the next /v3/ beacon, read from the end
    for i in range(len(beacons) - 1, -1, -1):
        beacon = beacons[i]
        if beacon.endpoint == "v3":
            following = i
            continue
        intro = "Not a conversion: the tag asks Pinterest for its settings"
        if beacon.event is None:
            notes[i] = (
                f"{intro} when it starts (page load), before its first beacon; this request is not compared."
            )
        elif following is not None and beacons[following].event == beacon.event:
            notes[i] = (
                f"{intro} before each event, repeating the event and its data. The conversion itself is "
                f"beacon {following + 1}; this request is not compared."
            )
        else:
            notes[i] = (
                f"{intro} before each event, repeating the event and its data. The conversion beacon "
                "(/v3/) that should follow it is not in what you gave; this request is not compared."
            )
    return notes
