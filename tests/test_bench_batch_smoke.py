"""Smoke test of benchmarks/bench_batch.py: it still runs (a few jobs, no timing asserted)."""

from __future__ import annotations

import runpy
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "benchmarks" / "bench_batch.py"


def test_bench_batch_runs_quick(capsys: pytest.CaptureFixture[str]) -> None:
    figures = runpy.run_path(str(BENCH))["main"](["--quick"])
    assert figures["pdf_ratio"] > 0 and figures["docx_speedup"] > 0
    assert figures["memory_jobs1_4_mib"] > 0
    assert "dask_throughput_ratio" not in figures or figures["dask_bytes_per_job"] > 0
    assert "speed-up" in capsys.readouterr().out
