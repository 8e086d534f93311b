"""A decoded beacon vs the predicted request: sent and predicted beacons lined up, each
difference explained in one line of plain words."""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..errors import field_path
from ..jsvalue import loads, stringify, to_well_formed
from ..ldp import SDK_V3_BEACON_KEYS
from ..tag import MAX_GET_URL, Request, percent_encode
from .beacon import DecodedBeacon
from .difference import BeaconComparison, BeaconDifference, Change, DifferenceKind
from .value_diff import ABSENT, Leaf, leaf_differences, show

__all__ = ["BeaconComparison", "BeaconDifference", "DifferenceKind", "compare_beacons"]


# How far from the GET limit a prediction must be for its method to count, in URL characters:
# the simulated ad and cb (when the site's are unknown) and encoders that escape more or
# fewer characters move the length.
_METHOD_MARGIN = 400


def compare_beacons(predicted: Sequence[Request], sent: Sequence[DecodedBeacon]) -> BeaconComparison:
    """Line up predicted and sent beacons (``/v3/``) in order and explain each difference.

    ``predicted`` may hold every request of a replay: only its beacons are compared, and
    the differences' ``predicted`` indices count beacons only.  Compared: the event (its
    case too; an absent ``event`` parameter is not an empty one), tid, method, ed, pd
    (absent is not ``{}``) and ov.  Not compared: ``cb``, ``ad``, ``dep`` and ``stc`` (they
    depend on the browser and the clock) and the tag's ``/user/`` requests, which only
    fetch its configuration; those are listed in ``ignored``.
    """
    predicted = [b for b in predicted if b.is_beacon]
    events = [i for i, b in enumerate(sent) if b.endpoint == "v3"]
    ignored = tuple(i for i, b in enumerate(sent) if b.endpoint != "v3")
    # Paired by event name whatever its case: a name sent in another case is one beacon
    # with an event difference, not a missing and an extra one.
    keys_p = [_pairing_key(b.event) for b in predicted]
    keys_s = [_pairing_key(sent[i].event) for i in events]
    # autojunk: in long, repetitive lists (10,000 checkouts) the most frequent events are
    # not used as anchors, which keeps this fast; those stretches are paired in order.
    matcher = difflib.SequenceMatcher(None, keys_p, keys_s, autojunk=True)
    pairs: list[tuple[int | None, int | None]] = []
    for tag, p1, p2, s1, s2 in matcher.get_opcodes():
        common = min(p2 - p1, s2 - s1) if tag == "replace" else (p2 - p1 if tag == "equal" else 0)
        for k in range(common):
            pairs.append((p1 + k, events[s1 + k]))
        pairs.extend((p, None) for p in range(p1 + common, p2))
        pairs.extend((None, events[s]) for s in range(s1 + common, s2))
    context = _Context(predicted, sent, events)
    differences: list[BeaconDifference] = []
    for p, s in pairs:
        if s is None:
            differences.append(context.missing(p))  # type: ignore[arg-type]
        elif p is None:
            differences.append(context.extra(s))
        else:
            differences.extend(context.fields(p, s))
    return BeaconComparison(tuple(pairs), tuple(differences), ignored)


def _pairing_key(event: str | None) -> str | None:
    return None if event is None else to_well_formed(event).lower()


@dataclass(frozen=True)
class _Wire:
    """A predicted beacon as its URL carries it: JSON.stringify drops undefined values,
    the URL encoder turns lone surrogates into U+FFFD, and so on."""

    event: str | None
    tid: str
    method: str
    ed: Any
    pd: dict[str, Any]
    pd_sent: bool
    ov: Any

    @classmethod
    def of(cls, beacon: Request) -> _Wire:
        return cls(
            event=None if beacon.event is None else to_well_formed(beacon.event),
            tid=to_well_formed(beacon.tid),
            method=beacon.method,
            ed=None if beacon.ed_json is None else loads(beacon.ed_json),
            pd=loads(beacon.pd_json) if beacon.pd_json is not None else {},
            pd_sent=beacon.pd_json is not None,
            ov=None if beacon.ov_json is None else loads(beacon.ov_json),
        )


class _Context:
    """What the explanations need to know about both lists."""

    def __init__(
        self, predicted: Sequence[Request], sent: Sequence[DecodedBeacon], events: Sequence[int]
    ) -> None:
        self.predicted, self.sent = predicted, sent
        # Only the beacons count here: the /user/ request before each carries the same event and pd.
        sent_em = [i for i in events if sent[i].pd.get("em") is not None]
        predicted_em = [i for i, b in enumerate(predicted) if b.pd and b.pd.get("em") is not None]
        # Where e-mails first and last appear is all the em explanations need.
        self.sent_em_first = sent_em[0] if sent_em else None
        self.sent_em_last = sent_em[-1] if sent_em else None
        self.predicted_em_last = predicted_em[-1] if predicted_em else None
        self.predicted_labels = _labels([b.event for b in predicted])
        self.sent_labels = dict(zip(events, _labels([sent[i].event for i in events]), strict=True))

    def label(self, p: int | None, s: int | None) -> str:
        """``Checkout``, or ``Checkout (the 2nd)`` when the event comes more than once."""
        return self.predicted_labels[p] if p is not None else self.sent_labels[s]  # type: ignore[index]

    def missing(self, p: int) -> BeaconDifference:
        why = (
            "the scenario predicts it, but the site didn't send it "
            "(not called there, blocked, or sent before the recording started)"
        )
        label = self.label(p, None)
        return BeaconDifference(
            "missing-beacon", f"missing beacon '{label}': {why}", p, None, "event", "missing", note=why
        )

    def extra(self, s: int) -> BeaconDifference:
        beacon = self.sent[s]
        label = self.label(None, s)
        if beacon.noscript:
            why = "it is the <noscript> pixel, which only fires without JavaScript"
        else:
            why = "the playground's scenario doesn't have it"
        return BeaconDifference(
            "extra-beacon", f"extra beacon '{label}': {why}", None, s, "event", "extra", note=why
        )

    def fields(self, p: int, s: int) -> list[BeaconDifference]:
        ours, theirs = _Wire.of(self.predicted[p]), self.sent[s]
        label = self.label(p, s)
        out: list[BeaconDifference] = []
        if theirs.event != ours.event:
            if (
                theirs.event is not None
                and ours.event is not None
                and theirs.event.lower() == ours.event.lower()
            ):
                why = (
                    "only the case differs: the tag sends the name exactly as the site wrote it, "
                    "so check the spelling in the event mapping or in the site's track call"
                )
            else:
                why = "check the event mapping and the event name the site tracks"
            before, after = _event_text(ours.event), _event_text(theirs.event)
            change = _change(ours.event, theirs.event)
            text = f"event differs: predicted {before}, sent {after} ({why})"
            out.append(BeaconDifference("event", text, p, s, "event", change, before, after, why))
        if theirs.tid != ours.tid:
            if theirs.tid is not None:
                why = "the site uses another Tag ID"
                text = f"tid differs on {label}: predicted {ours.tid}, sent {theirs.tid}: {why}"
                out.append(BeaconDifference("tid", text, p, s, "tid", "different", ours.tid, theirs.tid, why))
            else:
                text = f"tid missing on {label}: predicted {ours.tid}, none sent"
                out.append(BeaconDifference("tid", text, p, s, "tid", "missing", ours.tid))
        if theirs.method != ours.method and not theirs.noscript and self._method_is_certain(p, s):
            why = (
                f"the tag POSTs a beacon whose URL would reach {MAX_GET_URL:,} characters, "
                "so the data sent differs in size"
            )
            text = f"{label} was sent by {theirs.method}, predicted {ours.method}: {why}"
            out.append(
                BeaconDifference("method", text, p, s, "method", "different", ours.method, theirs.method, why)
            )
        out.extend(self._optional("ed", ours.ed, theirs.ed, label, p, s))
        out.extend(self._partner(ours, p, s, label))
        out.extend(self._optional("ov", ours.ov, theirs.ov, label, p, s))
        return out

    def _method_is_certain(self, p: int, s: int) -> bool:
        """GET or POST turns on the full URL's length, which includes ``ad`` and ``cb``.  The
        playground simulates them, so the site's own take their place where it sent them; the
        method then counts only for a prediction well away from the limit."""
        return abs(_url_length(self.predicted[p], self.sent[s]) - MAX_GET_URL) > _METHOD_MARGIN

    def _optional(
        self, part: str, ours: Any, theirs: Any, label: str, p: int, s: int
    ) -> list[BeaconDifference]:
        kind: DifferenceKind = "ed" if part == "ed" else "ov"
        # ov: the options of the site's page() or track() call
        hint = " (options passed to page() or track())" if part == "ov" else ""
        if ours is None and theirs is not None:
            text = f"{part} sent on {label} but not predicted{hint}"
            return [BeaconDifference(kind, text, p, s, part, "extra", None, show(theirs), hint[2:-1])]
        if ours is not None and theirs is None:
            why = "it could not be read" if part in self.sent[s].params_sent else "none was sent"
            text = f"{part} missing on {label}: {why}{hint}"
            return [BeaconDifference(kind, text, p, s, part, "missing", show(ours), None, why + hint)]
        if ours is None:
            return []
        return self._values(part, ours, theirs, label, p, s, part in self.sent[s].bracketed)

    def _partner(self, predicted: _Wire, p: int, s: int, label: str) -> list[BeaconDifference]:
        ours, theirs = dict(predicted.pd), dict(self.sent[s].pd)
        loose = "pd" in self.sent[s].bracketed
        if predicted.pd_sent != self.sent[s].pd_sent and not ours and not theirs:
            # An absent pd is not an empty one; with keys on one side, the keys say it all.
            if predicted.pd_sent:
                why = "on the site, neither load() nor set() received an object before this event"
                text = f"pd missing on {label}: predicted {{}}, none sent ({why})"
                return [BeaconDifference("pd", text, p, s, "pd", "missing", "{}", None, why)]
            why = "the tag sends pd once load() or set() has received an object, even an empty one"
            text = f"pd sent on {label} but not predicted: {{}} ({why})"
            return [BeaconDifference("pd", text, p, s, "pd", "extra", None, "{}", why)]
        out = self._email(ours.pop("em", None), theirs.pop("em", None), p, s, label)
        out.extend(self._values("pd", ours, theirs, label, p, s, loose))
        return out

    def _email(self, ours: Any, theirs: Any, p: int, s: int, label: str) -> list[BeaconDifference]:
        if ours is not None and theirs is None:
            if self.sent_em_last is not None and self.sent_em_last > s:
                why = "the identify came after this event"
            elif self.sent_em_first is not None and self.sent_em_first < s:
                why = "the site had the e-mail earlier but lost it (a new page load?)"
            else:
                why = (
                    "the site never sent an e-mail (no identify with an email, and no enhanced match at load)"
                )
            text = f"em missing on {label}: {why}"
            return [BeaconDifference("pd", text, p, s, "pd.em", "missing", show(ours), None, why)]
        if ours is None and theirs is not None:
            if self.predicted_em_last is not None and self.predicted_em_last > p:
                why = "on the site the identify came before this event; in the scenario it comes later"
            else:
                why = (
                    "the scenario has no e-mail at this point: add an identify with the email, "
                    "or initial traits with an email and enhanced match"
                )
            text = f"em sent on {label} but not predicted: {why}"
            return [BeaconDifference("pd", text, p, s, "pd.em", "extra", None, show(theirs), why)]
        if ours is not None and stringify(theirs) != stringify(ours):
            why = (
                "the site sent the hash of another e-mail, or hashed it differently "
                "(the tag trims and lower-cases it, then SHA-256)"
            )
            text = f"em differs on {label}: {why}"
            return [BeaconDifference("pd", text, p, s, "pd.em", "different", show(ours), show(theirs), why)]
        return []

    def _values(
        self, part: str, ours: Any, theirs: Any, label: str, p: int, s: int, loose: bool
    ) -> list[BeaconDifference]:
        kind: DifferenceKind = part  # type: ignore[assignment]
        return [
            _leaf_difference(kind, part, leaf, label, p, s) for leaf in leaf_differences(ours, theirs, loose)
        ]


def _leaf_difference(
    kind: DifferenceKind, part: str, leaf: Leaf, label: str, p: int, s: int
) -> BeaconDifference:
    a, b, path = leaf.predicted, leaf.sent, leaf.path
    name = path or part
    where = field_path(part, path)
    item = None if leaf.items is None else (field_path(part, leaf.items), leaf.index, leaf.within)
    note = ""
    if b is ABSENT:
        text = f"{name} missing on {label}: predicted {show(a)}, not sent"
        change: Change = "missing"
        ours, theirs = show(a), None
    elif a is ABSENT:
        change, ours, theirs = "extra", None, show(b)
        text = f"{name} sent on {label} but not predicted: {show(b)}"
        if path in SDK_V3_BEACON_KEYS.get(part, ()):
            note = "the current SDK, profile sdk-v3, adds it"
            text += f" ({note})"
    elif isinstance(a, list) and isinstance(b, list):
        change, ours, theirs = "different", _items(len(a)), _items(len(b))
        text = f"{name} differs on {label}: predicted {len(a)} items, sent {len(b)}"
    else:
        change, ours, theirs = "different", show(a), show(b, a)
        text = f"{name} differs on {label}: predicted {ours}, sent {theirs}"
    return BeaconDifference(kind, text, p, s, where, change, ours, theirs, note, item)


def _items(count: int) -> str:
    return f"{count:,} item{'s' if count != 1 else ''}"


def _change(ours: str | None, theirs: str | None) -> Change:
    if theirs is None:
        return "missing"
    return "extra" if ours is None else "different"


def _labels(events: list[str | None]) -> list[str]:
    totals: dict[str | None, int] = {}
    for event in events:
        totals[event] = totals.get(event, 0) + 1
    seen: dict[str | None, int] = {}
    labels = []
    for event in events:
        seen[event] = seen.get(event, 0) + 1
        name = event or "(no event)"
        labels.append(f"{name} (the {_ordinal(seen[event])})" if totals[event] > 1 else name)
    return labels


def _event_text(event: str | None) -> str:
    return "no event parameter" if event is None else f"'{event}'"


def _url_length(beacon: Request, sent: DecodedBeacon) -> int:
    """The predicted beacon's GET URL length with the site's own ``ad`` and ``cb`` in it."""
    length = len(beacon.url)
    if sent.ad is not None and beacon.ad_json is not None:
        length += len(percent_encode(stringify(sent.ad) or "")) - len(percent_encode(beacon.ad_json))
    if sent.cb is not None:
        length += len(percent_encode(sent.cb)) - len(percent_encode(str(beacon.cb)))
    return length


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"
