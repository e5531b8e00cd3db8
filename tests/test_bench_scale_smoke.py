"""Keeps benchmarks/bench_scale.py working: one round at a tiny size, no timing asserted."""

from __future__ import annotations

import runpy
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "benchmarks" / "bench_scale.py"


def test_bench_scale_runs_quick(capsys: pytest.CaptureFixture[str]) -> None:
    figures = runpy.run_path(str(BENCH))["main"](["--quick"])
    assert [figure.facts for figure in figures] == [150]
    assert figures[0].pdf_ratio.median > 0 and figures[0].docx_ratio.median > 0
    output = capsys.readouterr().out
    assert "reportlab by hand" in output and "python-docx by hand" in output and "target <= 1.5x" in output
