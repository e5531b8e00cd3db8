"""The DOCX benchmark still runs (tiny size; timings are reported by hand, never asserted)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1] / "benchmarks" / "bench_docx.py"


def test_bench_docx_quick_runs() -> None:
    result = subprocess.run([sys.executable, str(BENCH), "--quick"], capture_output=True, text=True, timeout=120, check=True)
    assert "ratio" in result.stdout
