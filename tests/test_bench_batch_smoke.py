"""Smoke test of benchmarks/bench_batch.py: it still runs (a few jobs, no timing asserted)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1] / "benchmarks" / "bench_batch.py"


def test_bench_batch_runs_quick(capsys) -> None:
    spec = importlib.util.spec_from_file_location("bench_batch", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    figures = module.main(["--quick"])
    assert figures["pdf_ratio"] > 0 and figures["docx_speedup"] > 0
    assert figures["memory_jobs1_4_mib"] > 0
    assert "speed-up" in capsys.readouterr().out
