"""What the mapper produces: ``pintrk(...)`` commands and error entries, each with the rule behind it.

The rule record is how comparison and diagnostics explain an outcome without working
the mapping rules out a second time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from .jsvalue import quote, stringify

__all__ = ["Command", "MappingError", "Entry", "Rule", "RuleKind", "ErrorReason", "RULE_KINDS"]

RuleKind = Literal[
    "init-load",  # load(tagId) as the tag loads
    "init-load-em",  # load(tagId, {em}): enhanced match, with an e-mail stored
    "init-page",  # the page() right after load
    "standard-table",  # track: the profile's standard event table names the event
    "user-mapping",  # track: an eventsMapping row (``row``) names the event
    "send-as-custom",  # track: no mapping, sent as "Custom" (sendAsCustomEvent)
    "event-name",  # track: no mapping, sent under its own name
    "page",  # track PageVisit / ViewCategory for a page message
    "identify-set",  # set({em, …}) for an identify with an e-mail
    "ldp",  # sdk-v3's limited-data-processing set() before a track or page
    "pintrk",  # a call the scenario gave as it is (no mapping)
]
RULE_KINDS: tuple[RuleKind, ...] = RuleKind.__args__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Rule:
    """The mapping rule that produced a command."""

    kind: RuleKind
    row: int | None = None  # user-mapping: the eventsMapping row (0-based) that fired
    # sdk-v3's event_id came from this deduplication key path, or "messageId" (None: no event_id)
    event_id_from: str | None = None


_PINTRK = Rule("pintrk")


@dataclass(frozen=True)
class Command:
    """One ``window.pintrk(method, *args)`` call."""

    method: str  # load | page | set | track (any value when a scenario gives pintrk calls directly)
    args: tuple[Any, ...]
    message_index: int | None  # which message produced it; None for initialisation
    rule: Rule = _PINTRK
    # Each argument as ``JSON.stringify`` writes it inside the call's array (worked out once, here).
    args_json: tuple[str, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "args_json", tuple(stringify(arg) or "null" for arg in self.args))

    @property
    def event(self) -> str | None:
        """The Pinterest event name of a ``track`` command."""
        if self.method == "track" and self.args and isinstance(self.args[0], str):
            return self.args[0]
        return None

    @property
    def data(self) -> Any:
        """The object argument (event data, set keys or load options), if any."""
        for arg in self.args:
            if isinstance(arg, dict):
                return arg
        return None

    @property
    def is_ldp_set(self) -> bool:
        """sdk-v3's limited-data-processing ``set({opt_out_type, st, country})``."""
        return self.rule.kind == "ldp"

    def to_json(self) -> str:
        """``JSON.stringify([method, ...args])``, the vectors' ``calls_json`` entry."""
        method = quote(self.method) if isinstance(self.method, str) else stringify(self.method) or "null"
        return "[" + ",".join((method, *self.args_json)) + "]"

    def to_list(self) -> list[Any]:
        return [self.method, *self.args]


ErrorReason = Literal["mapping-no-from"]  # the causes explanations name; others are left unnamed


@dataclass(frozen=True)
class MappingError:
    """A message the integration throws on; ``error`` is the engine's wording."""

    error: str
    message_index: int
    reason: ErrorReason | None = None  # what in the input made it throw, when the mapper knows
    row: int | None = None  # mapping-no-from: the eventsMapping row (0-based) without a 'from'

    def to_json(self) -> str:
        return stringify({"error": self.error}) or "null"


Entry = Command | MappingError
