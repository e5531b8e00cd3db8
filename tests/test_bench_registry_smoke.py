"""Keeps benchmarks/bench_registry.py working: runs it at a tiny size and asserts no timing."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).parent.parent / "benchmarks" / "bench_registry.py"


def test_benchmark_runs_at_a_tiny_size(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    spec = importlib.util.spec_from_file_location("bench_registry", BENCH)
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "bench_registry", bench)  # dataclasses look their module up
    spec.loader.exec_module(bench)
    timings = bench.main(["--sizes", "70,140", "--rounds", "1"])
    assert [timing.facts for timing in timings] == [70, 140]
    output = capsys.readouterr().out
    assert "x yardstick" in output and "faster than cold" in output and "2x the facts" in output and "peak memory" in output
