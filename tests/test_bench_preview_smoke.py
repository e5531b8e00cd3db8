"""Keeps benchmarks/bench_preview.py working: three edits and one round, no timing asserted."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1] / "benchmarks" / "bench_preview.py"


def test_bench_preview_quick_runs() -> None:
    result = subprocess.run([sys.executable, str(BENCH), "--quick"], capture_output=True, text=True, timeout=180, check=True)
    assert "rebuild (HTML + PDF): 3 edits" in result.stdout and "through the watcher: 3 edits" in result.stdout
    assert "one-shot build: 1 rounds, --format html" in result.stdout and "import jinja2, markdown_it" in result.stdout
    assert "warm cache" in result.stdout and "empty cache" in result.stdout and "ratio" in result.stdout
