"""One explained difference between profiles."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["ProfileDifference"]


@dataclass(frozen=True)
class ProfileDifference:
    code: str  # stable: "ldp-set", "event-id", "standard-event", "mapping-match", …
    text: str  # one line, plain words
    profiles: tuple[str, ...]  # the profiles the sentence is about (its subject)

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "text": self.text, "profiles": list(self.profiles)}
