"""benchmarks/paired.py: what a round's figure is when a side runs more than once per round."""

from __future__ import annotations

import runpy
from pathlib import Path

import pytest

PAIRED = Path(__file__).resolve().parents[1] / "benchmarks" / "paired.py"


def test_a_repeated_side_gives_the_median_of_its_runs_in_each_round(monkeypatch: pytest.MonkeyPatch) -> None:
    paired = runpy.run_path(str(PAIRED))
    interleaved = paired["interleaved"]
    clock = iter([(1.0, 0.5), (9.0, 8.0), (3.0, 2.0),  # round 1: "short" three times, then "long" once
                  (10.0, 10.0),
                  (2.0, 1.0), (2.5, 1.5), (40.0, 30.0),  # round 2
                  (11.0, 11.0)])
    calls: list[str] = []

    def timed_both(action: object, *, gc_paused: bool = False) -> tuple[float, float]:
        action()  # type: ignore[operator]
        return next(clock)

    monkeypatch.setitem(interleaved.__globals__, "timed_both", timed_both)
    cpu: dict[str, list[float]] = {}
    wall = interleaved({"short": lambda: calls.append("short"), "long": lambda: calls.append("long")}, 2,
                       cpu=cpu, repeats={"short": 3})
    assert calls == ["short"] * 3 + ["long"] + ["short"] * 3 + ["long"]
    assert wall == {"short": [3.0, 2.5], "long": [10.0, 11.0]}
    assert cpu == {"short": [2.0, 1.5], "long": [10.0, 11.0]}
