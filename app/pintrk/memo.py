"""``cached_property`` without the lock.

Python 3.11's ``functools.cached_property`` takes one lock, shared by every instance,
on each first access (3.12 dropped it). A replay reads two cached JSON texts per
command and per beacon, so the lock was ~5% of mapping time. Results here are pure
functions of frozen objects: two threads racing would compute the same value twice,
which is harmless.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar, overload

__all__ = ["cached_property"]

T = TypeVar("T")


class cached_property(Generic[T]):  # noqa: N801 (named like the functools one it replaces)
    def __init__(self, func: Callable[[Any], T]) -> None:
        self.func = func
        self.name = func.__name__
        self.__doc__ = func.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, instance: None, owner: type | None = None) -> cached_property[T]: ...
    @overload
    def __get__(self, instance: object, owner: type | None = None) -> T: ...

    def __get__(self, instance: object | None, owner: type | None = None) -> Any:
        if instance is None:
            return self
        # A non-data descriptor: once the value is in __dict__, Python finds it there first.
        value = instance.__dict__[self.name] = self.func(instance)
        return value
