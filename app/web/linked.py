"""A scenario opened from a permalink (``?s=``), for the views that take one.

Support staff go from the playground to a comparison, a decode or a download and back
without retyping anything: each of those pages opens the playground's link here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import Response, url_for

from app.pintrk import Result, replay

from . import errors
from .sources import Source, scenario_sources
from .state import Outcome, PermalinkError, PlaygroundState, open_link
from .wording import errors_in_words

__all__ = ["LinkedScenario", "open_linked", "outcome_from_link", "state_from_link"]


def state_from_link(token: str) -> PlaygroundState | Response:
    """The state a link holds, or a friendly 400 saying why it can't be opened."""
    try:
        return PlaygroundState.from_token(token)
    except PermalinkError as exc:
        return _refused(exc)


def outcome_from_link(token: str) -> tuple[PlaygroundState, Outcome] | Response:
    """The state a link holds and its run (its settings read once), or a friendly 400."""
    try:
        return open_link(token)
    except PermalinkError as exc:
        return _refused(exc)


def _refused(exc: PermalinkError) -> Response:
    return errors.error_page(400, str(exc), title="This playground link can't be opened")


@dataclass(frozen=True)
class LinkedScenario:
    """A scenario opened from a permalink, and what the page needs to say about it."""

    token: str
    state: PlaygroundState
    outcome: Outcome
    result: Result
    sources: list[Source]
    # Results under other profiles (/decode compares with any of them), each replayed once.
    _other_results: dict[str, Result] = field(default_factory=dict, compare=False, repr=False)

    @property
    def back_url(self) -> str:
        return url_for("playground.index", s=self.token)

    def result_for(self, profile: str) -> Result:
        """The scenario's result under ``profile``."""
        if profile == self.state.profile:
            return self.result
        if profile not in self._other_results:
            self._other_results[profile] = replay(self.result.scenario, profile)
        return self._other_results[profile]

    def message_label(self, index: int | None) -> tuple[str, str]:
        """Where message ``index`` came from, and what it is ("line 4", "rudderanalytics.track(…)")."""
        if index is None:
            return "Initialisation", "when the tag loads"
        if index < len(self.sources):
            source = self.sources[index]
            return source.where, source.what
        return f"message {index + 1}", ""


def open_linked(token: str | None, *, purpose: str) -> LinkedScenario | Response | None:
    """The scenario in ``token`` (None when there is no token); a friendly 400 when it can't be used."""
    if token is None or token == "":
        return None
    opened = outcome_from_link(token)
    if isinstance(opened, Response):
        return opened
    state, outcome = opened
    if outcome.result is None:
        return errors.error_page(
            400,
            f"This scenario has input errors, so there is nothing to {purpose}: {errors_in_words(outcome.errors)} "
            "Open it in the playground, fix the marked fields, then try again.",
            title="This scenario can't be run yet",
        )
    # The link the page hands on is the state's own: a crafted link's conversion token, masked.
    return LinkedScenario(state.to_token(), state, outcome, outcome.result, scenario_sources(outcome))
