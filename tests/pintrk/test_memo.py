"""The lock-free cached property computes once per instance and then stays out of the way."""

from __future__ import annotations

from dataclasses import dataclass

from app.pintrk.mapping import Command
from app.pintrk.memo import cached_property


@dataclass(frozen=True)
class Square:
    side: int
    calls: list[int]

    @cached_property
    def area(self) -> int:
        """The area."""
        self.calls.append(self.side)
        return self.side * self.side


def test_computed_once_per_instance_even_on_frozen_dataclasses() -> None:
    calls: list[int] = []
    small, big = Square(2, calls), Square(5, calls)
    assert (small.area, small.area, big.area, big.area) == (4, 4, 25, 25)
    assert calls == [2, 5]
    assert "area" in vars(small)  # stored on the instance: later reads skip the descriptor


def test_class_access_gives_the_descriptor_with_its_docs() -> None:
    assert isinstance(Square.area, cached_property)
    assert Square.area.__doc__ == "The area."


def test_commands_cache_their_json() -> None:
    command = Command("track", ("checkout", {"value": 1.5}), 0)
    assert command.to_json() == '["track","checkout",{"value":1.5}]'
    assert vars(command)["args_json"] == ('"checkout"', '{"value":1.5}')
