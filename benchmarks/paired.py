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

__all__ = ["MIN_ROUNDS", "Spread", "interleaved", "ratios", "timed", "timed_both"]

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
    return timed_both(action, gc_paused=gc_paused)[0]


def timed_both(action: Callable[[], object], *, gc_paused: bool = False) -> tuple[float, float]:
    """Wall-clock and CPU seconds (this process's) ``action`` takes; ``gc_paused`` as for ``timed``."""
    was_enabled = gc.isenabled()
    if gc_paused:
        gc.collect()
        gc.disable()
    try:
        start, start_cpu = time.perf_counter(), time.process_time()
        action()
        return time.perf_counter() - start, time.process_time() - start_cpu
    finally:
        if was_enabled:
            gc.enable()


def interleaved(sides: Mapping[str, Callable[[], object]], rounds: int, *, gc_paused: bool = False,
                cpu: dict[str, list[float]] | None = None, repeats: Mapping[str, int] | None = None) -> dict[str, list[float]]:
    """Seconds per round for each side: every round runs each side once, in the given order.

    ``cpu``, if given, receives each side's CPU seconds per round too: on a busy machine the
    steadier figure, as another process's work takes turns on the cores but is not counted.
    ``repeats`` runs the sides it names that many times in a row in each round, and gives
    the median of those runs as the round's figure (wall-clock and CPU each): for a short
    side, one run that a burst of other work happens to hit then decides no round.
    """
    times: dict[str, list[float]] = {name: [] for name in sides}
    for _ in range(rounds):
        for name, action in sides.items():
            runs = [timed_both(action, gc_paused=gc_paused) for _ in range((repeats or {}).get(name, 1))]
            times[name].append(statistics.median(seconds for seconds, _ in runs))
            if cpu is not None:
                cpu.setdefault(name, []).append(statistics.median(cpu_seconds for _, cpu_seconds in runs))
    return times


def ratios(numerators: Sequence[float], denominators: Sequence[float]) -> Spread:
    """Round by round ``numerator / denominator``, as a spread."""
    return Spread.of([a / b for a, b in zip(numerators, denominators, strict=True)])
