"""Measuring what one input costs: time, peak memory, and how time grows with size.

Shared by the hostile-cost suite (``tests/hostile_cost/``) and ``bench/hostile.py``:

* :func:`measure` runs a callable once untraced (for the time) and once under
  ``tracemalloc`` (for the peak of memory it allocated), so tracing never inflates the time;
  the time is the CPU time of this process (``time.process_time``): the work the request
  costs the server, which a busy machine (CI neighbours, other test runs) doesn't inflate;
  the wall time is kept beside it for reports;
* :func:`growth` times a callable on inputs of growing size (1×, 4×, 16×) and returns the
  time ratios; :func:`assert_linear` turns them into a test.  Ratios, not absolute times, so
  a slow or busy machine doesn't fail it: a linear scan gives ~4 and ~16, a quadratic one
  ~16 and ~256.
"""

from __future__ import annotations

import gc
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

__all__ = ["Cost", "assert_linear", "growth", "measure", "MB", "TIME_BUDGET", "MEMORY_BUDGET"]

T = TypeVar("T")
MB = 1024 * 1024
TIME_BUDGET = 1.0  # seconds per hostile request, in-process
MEMORY_BUDGET = 100 * MB  # peak growth per hostile request


@dataclass(frozen=True)
class Cost:
    seconds: float  # CPU time of this process
    peak_bytes: int
    result: Any
    wall_seconds: float = 0.0

    def __str__(self) -> str:
        return f"{self.seconds * 1000:,.0f} ms CPU ({self.wall_seconds * 1000:,.0f} ms wall), peak {self.peak_bytes / MB:,.1f} MB"

    def within_budget(self) -> bool:
        return self.seconds < TIME_BUDGET and self.peak_bytes < MEMORY_BUDGET


def measure(run: Callable[[], T], *, traced: bool = True) -> Cost:
    """Time ``run()`` untraced, then (``traced``) run it again under tracemalloc for its peak."""
    gc.collect()
    start, wall = time.process_time(), time.perf_counter()
    result = run()
    seconds, wall = time.process_time() - start, time.perf_counter() - wall
    peak = 0
    if traced:
        gc.collect()
        tracemalloc.start()
        try:
            run()
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    return Cost(seconds, peak, result, wall)


def _best_time(run: Callable[[], Any], repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.process_time()
        run()
        best = min(best, time.process_time() - start)
    return best


def growth(
    build: Callable[[int], T],
    run: Callable[[T], Any],
    *,
    base: int,
    factors: tuple[int, ...] = (1, 4, 16),
    repeats: int = 3,
) -> list[float]:
    """Time ratios t(factor × base) / t(base) for each factor after the first (best of ``repeats``)."""
    times = []
    for factor in factors:
        subject = build(base * factor)
        times.append(_best_time(lambda subject=subject: run(subject), repeats))
    first = max(times[0], 1e-6)
    return [t / first for t in times[1:]]


def assert_linear(
    build: Callable[[int], T], run: Callable[[T], Any], *, base: int, slack: float = 2.5, what: str = ""
) -> None:
    """Fail if time grows faster than linearly from base to 4× and 16× (``slack`` allows noise).

    ``base`` must make ``run`` take a few milliseconds at least, or timer noise dominates.
    """
    ratios = growth(build, run, base=base)
    limits = [4 * slack, 16 * slack]
    assert all(r <= limit for r, limit in zip(ratios, limits, strict=False)), (
        f"{what or 'the scan'} grows faster than linearly: 4x input took {ratios[0]:.1f}x the time, "
        f"16x took {ratios[1]:.1f}x (linear: ~4 and ~16)"
    )
