"""Smoke test of benchmarks/bench_pdf.py: it still runs (tiny size, no timing asserted)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1] / "benchmarks" / "bench_pdf.py"


def test_bench_pdf_runs_quick(capsys) -> None:
    spec = importlib.util.spec_from_file_location("bench_pdf", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    ratio = module.main(["--quick"])
    assert ratio > 0
    assert "ratio" in capsys.readouterr().out
