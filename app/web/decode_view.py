"""Decoded beacons arranged for the decode page: a card per beacon, each pair with the prediction.

Cards are made for the first ``MAX_RENDERED_ROWS`` beacons only, so the page stays small
whatever was sent; the counts cover them all.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from app.pintrk import (
    MAX_RENDERED_ROWS,
    BeaconComparison,
    BeaconVerdict,
    DecodedBeacon,
    Request,
    beacon_verdicts,
    compare_beacons,
    configuration_notes,
    indent_json,
    showing_first,
    stringify,
)

from .beacon_view import IDENTIFIER_LABELS, PARAM_LABELS
from .linked import LinkedScenario

__all__ = ["BeaconCard", "DecodeView", "PairView", "Row", "decode_view"]


@dataclass(frozen=True)
class Row:
    label: str  # what the row is called ("hashed email", "tid", a key)
    key: str | None  # the parameter or key, shown in code; None for a label-only row
    value: str  # JSON or text as sent; "" for a field that was not sent
    status: str = "same"  # "same" | "changed" | "added" | "missing" (when compared)
    block: bool = False  # an object or list: show pretty-printed


@dataclass
class BeaconCard:
    number: int  # 1-based
    beacon: DecodedBeacon
    general: list[Row]
    event_data: list[Row]
    partner_data: list[Row]
    ed_pretty: str | None
    predicted_label: str | None = None  # the paired predicted beacon's event
    verdict: BeaconVerdict | None = None  # None: not compared (no scenario, or a /user/ request)
    configuration: str | None = None  # a /user/ request: what it is, in words

    @property
    def anchor(self) -> str:
        return f"beacon-{self.number}"


@dataclass(frozen=True)
class PairView:
    predicted_event: str | None
    sent_event: str | None
    verdict: BeaconVerdict  # its predicted and sent indices, status and differences


@dataclass
class DecodeView:
    cards: list[BeaconCard]
    notes: list[str]
    comparison: BeaconComparison | None = None
    pairs: list[PairView] = field(default_factory=list)
    differences: int = 0  # grouped differences on every paired beacon (a field once per beacon)
    differing: int = 0  # beacons that differ, are missing or are not predicted
    profile: str | None = None
    source: str = "the pasted URLs"  # where the beacons came from, in words
    decoded: int = 0  # beacons decoded (cards are made for the first MAX_RENDERED_ROWS)
    total: int = 0  # beacons found in the input, decoded or not
    showing: str | None = None  # "Showing the first 500 of 7,546 beacons." when cards were left out


def decode_view(
    beacons: list[DecodedBeacon],
    notes: list[str],
    playground: LinkedScenario | None,
    profile: str | None,
    total: int = 0,
) -> DecodeView:
    # Cards for the first MAX_RENDERED_ROWS beacons only: the page stays small whatever was sent.
    shown = min(len(beacons), MAX_RENDERED_ROWS)
    cards = [_card(i, beacon) for i, beacon in enumerate(beacons[:shown])]
    for i, note in configuration_notes(beacons).items():
        if i < shown:
            cards[i].configuration = note
    view = DecodeView(cards, notes, profile=profile, decoded=len(beacons), total=max(total, len(beacons)))
    if len(beacons) > shown:
        view.showing = showing_first(shown, len(beacons), "beacons")
    if playground is None or profile is None:
        return view
    _compare(view, beacons, playground.result_for(profile).beacons, shown)
    return view


def _compare(
    view: DecodeView, beacons: list[DecodedBeacon], predicted: Sequence[Request], shown: int
) -> None:
    """The comparison with the predicted beacons: a verdict per pair, on its card too."""
    comparison = compare_beacons(predicted, beacons)
    view.comparison = comparison
    by_difference: dict[tuple[int | None, int | None], list[Any]] = {}
    for d in comparison.differences:  # grouped once: a scan per pair would grow with the square
        by_difference.setdefault((d.predicted, d.sent), []).append(d)
    for verdict in beacon_verdicts(comparison):
        p, s = verdict.predicted, verdict.sent
        view.differences += verdict.count
        view.differing += verdict.status != "same"
        if len(view.pairs) < MAX_RENDERED_ROWS:
            view.pairs.append(
                PairView(
                    predicted[p].event if p is not None else None,
                    beacons[s].event if s is not None else None,
                    verdict,
                )
            )
        if s is not None and s < shown:
            card = view.cards[s]
            card.verdict = verdict
            card.predicted_label = predicted[p].event if p is not None else None
            _mark(card, by_difference.get((p, s), []), predicted[p] if p is not None else None)


def _card(index: int, beacon: DecodedBeacon) -> BeaconCard:
    general = [
        Row(PARAM_LABELS["event"], "event", beacon.event if beacon.event is not None else ""),
        Row(PARAM_LABELS["tid"], "tid", beacon.tid if beacon.tid is not None else ""),
        Row(PARAM_LABELS["cb"], "cb", beacon.cb if beacon.cb is not None else ""),
        Row("noscript", "noscript", "yes (the <noscript> pixel)" if beacon.noscript else "no"),
    ]
    if beacon.ov is not None:
        general.append(_value_row(PARAM_LABELS["ov"], "ov", beacon.ov))
    if beacon.ad is not None:
        general.append(_value_row(PARAM_LABELS["ad"], "ad", beacon.ad))
    for key, value in beacon.other.items():
        general.append(Row(PARAM_LABELS.get(key, key), key, value))
    ed = beacon.ed if isinstance(beacon.ed, dict) else {}
    event_data = [_value_row(key, key, value) for key, value in ed.items()]
    partner = [_value_row(_partner_label(key), key, value) for key, value in beacon.pd.items()]
    pretty = indent_json(stringify(beacon.ed) or "{}") if isinstance(beacon.ed, dict) else None
    return BeaconCard(index + 1, beacon, general, event_data, partner, pretty)


def _partner_label(key: str) -> str:
    return IDENTIFIER_LABELS.get(key, key)


def _value_row(label: str, key: str, value: Any) -> Row:
    block = isinstance(value, (dict, list)) and bool(value)
    text = indent_json(stringify(value) or "null") if block else (stringify(value) or "undefined")
    return Row(label, key, text, block=block)


def _mark(card: BeaconCard, differences: Sequence[Any], predicted: Request | None) -> None:
    """Flag the rows the comparison found different, and add rows for fields that were not sent."""
    for difference in differences:
        path = difference.field or ""
        if path in ("event", "tid", "ov"):
            _flag(card.general, path, "changed")
            continue
        part, _, rest = path.partition(".")
        if part not in ("ed", "pd") or not rest:
            continue
        key = _top_key(rest)
        rows = card.event_data if part == "ed" else card.partner_data
        sent = card.beacon.ed if part == "ed" else card.beacon.pd
        if isinstance(sent, dict) and key in sent:
            ours = (predicted.ed if part == "ed" else predicted.pd) if predicted is not None else None
            status = "changed" if isinstance(ours, Mapping) and key in ours else "added"
            _flag(rows, key, status)
        elif not any(r.key == key for r in rows):
            ours = (predicted.ed if part == "ed" else predicted.pd) if predicted is not None else None
            value = stringify(ours.get(key)) if isinstance(ours, Mapping) and key in ours else None
            label = _partner_label(key) if part == "pd" else key
            rows.append(Row(label, key, value or "", "missing"))


def _flag(rows: list[Row], key: str, status: str) -> None:
    for i, row in enumerate(rows):
        if row.key == key and row.status == "same":
            rows[i] = Row(row.label, row.key, row.value, status, row.block)


def _top_key(path: str) -> str:
    for i, char in enumerate(path):
        if char in ".[":
            return path[:i]
    return path
