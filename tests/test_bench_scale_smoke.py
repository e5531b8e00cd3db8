"""Keeps benchmarks/bench_scale.py working: one round at two tiny sizes, no timing asserted."""

from __future__ import annotations

import runpy
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "benchmarks" / "bench_scale.py"


def test_bench_scale_runs_quick(capsys: pytest.CaptureFixture[str]) -> None:
    figures = runpy.run_path(str(BENCH))["main"](["--quick"])
    assert [figure.facts for figure in figures] == [75, 150]
    assert all(figure.pdf_ratio.median > 0 and figure.docx_ratio.median > 0 for figure in figures)
    assert figures[0].growth == {} and set(figures[1].growth) == set(figures[1].times)
    assert all(wall.median > 0 and cpu.median > 0 for wall, cpu in figures[1].growth.values())
    assert figures[1].rows > figures[0].rows  # the larger registry's chronology is longer
    output = capsys.readouterr().out
    assert "reportlab by hand" in output and "python-docx by hand" in output and "target <= 1.5x" in output
    assert "2x the facts" in output and "target <= 2.2x" in output
    assert "sizes under 150 facts: the median of 2 runs per round" in output
