"""Paired, interleaved runs for the benchmarks, and how their figures are reported.

Each round runs every side once, in turn, so that machine noise (two cores
shared by many) hits all sides alike; a benchmark reports the median of the
rounds with their minimum and maximum, and each ratio is taken per round
(the sides of one round ran under the same load) before its median is taken.
"""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

__all__ = ["MIN_ROUNDS", "Spread", "interleaved", "ratios", "timed"]

MIN_ROUNDS = 5


@dataclass(frozen=True, slots=True)
class Spread:
    """The median, minimum and maximum of a figure over the rounds."""

    median: float
    low: float
    high: float

    @classmethod
    def of(cls, values: Sequence[float]) -> Spread:
        return cls(statistics.median(values), min(values), max(values))

    def scaled(self, factor: float) -> Spread:
        return Spread(self.median * factor, self.low * factor, self.high * factor)

    def show(self, unit: str = "", digits: int = 3) -> str:
        """``1.234 s (1.100-1.500)``."""
        return f"{self.median:.{digits}f}{unit} ({self.low:.{digits}f}-{self.high:.{digits}f})"


def timed(action: Callable[[], object], *, gc_paused: bool = False) -> float:
    """Seconds ``action`` takes; ``gc_paused``: after a full collection, with the cyclic collector paused."""
    if not gc_paused:
        start = time.perf_counter()
        action()
        return time.perf_counter() - start
    gc.collect()
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        start = time.perf_counter()
        action()
        return time.perf_counter() - start
    finally:
        if was_enabled:
            gc.enable()


def interleaved(sides: Mapping[str, Callable[[], object]], rounds: int, *, gc_paused: bool = False) -> dict[str, list[float]]:
    """Seconds per round for each side: every round runs each side once, in the given order."""
    times: dict[str, list[float]] = {name: [] for name in sides}
    for _ in range(rounds):
        for name, action in sides.items():
            times[name].append(timed(action, gc_paused=gc_paused))
    return times


def ratios(numerators: Sequence[float], denominators: Sequence[float]) -> Spread:
    """Round by round ``numerator / denominator``, as a spread."""
    return Spread.of([a / b for a, b in zip(numerators, denominators, strict=True)])
