"""The values a comparison of real and predicted beacons gives: one difference, and all of them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

__all__ = ["BeaconComparison", "BeaconDifference", "Change", "DifferenceKind"]

DifferenceKind = Literal["missing-beacon", "extra-beacon", "event", "tid", "method", "ed", "pd", "ov"]
# What the real beacon did with it: "missing" (predicted, the real beacon doesn't have it),
# "extra" (the real beacon has it, not predicted) or "different" (both have it, another value).
Change = Literal["missing", "extra", "different"]


@dataclass(frozen=True)
class BeaconDifference:
    kind: DifferenceKind
    text: str  # one line, plain words
    predicted: int | None = None  # index into the predicted beacons
    sent: int | None = None  # index into the sent beacons
    field: str | None = None  # "event", "tid", "ed.value", "pd.em", "ed.line_items[0].product_id"
    change: Change = "different"
    ours: str | None = None  # the predicted value as shown (None: not predicted, or not shown)
    theirs: str | None = None  # the sent value as shown (None: not sent, or not shown)
    note: str = ""  # why, in plain words, when the values don't say it all
    # Inside a list's item: the list ("ed.line_items"), the item (0-based) and the path inside it.
    item: tuple[str, int, str] | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "text": self.text,
            "predicted": self.predicted,
            "sent": self.sent,
            "field": self.field,
        }


@dataclass(frozen=True)
class BeaconComparison:
    """Predicted and sent beacons lined up, and the differences in order."""

    pairs: tuple[tuple[int | None, int | None], ...]  # (predicted index, sent index)
    differences: tuple[BeaconDifference, ...]
    ignored: tuple[int, ...] = ()  # sent requests not compared (the tag's /user/ requests)

    @property
    def agrees(self) -> bool:
        return not self.differences

    def to_dict(self) -> dict[str, Any]:
        return {
            "agrees": self.agrees,
            "pairs": [{"predicted": p, "sent": s} for p, s in self.pairs],
            "differences": [d.to_dict() for d in self.differences],
            "ignored": list(self.ignored),
        }
