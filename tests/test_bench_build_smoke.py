"""Keeps benchmarks/bench_build.py working: one quick round, no timing asserted."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1] / "benchmarks" / "bench_build.py"


def test_bench_build_quick_runs() -> None:
    result = subprocess.run([sys.executable, str(BENCH), "--quick"], capture_output=True, text=True, timeout=120, check=True)
    assert "1 rounds" in result.stdout
    assert "warm cache" in result.stdout and "empty cache" in result.stdout and "ratio" in result.stdout


def test_bench_build_each_cache_quick_runs() -> None:
    result = subprocess.run([sys.executable, str(BENCH), "--quick", "--each-cache"], capture_output=True, text=True, timeout=300, check=True)
    assert "every entry" in result.stdout and "no registry" in result.stdout


def test_instruction_counts_grow_with_the_work() -> None:
    """``--instructions`` reads callgrind's count: importing more executes more instructions."""
    import shutil

    import pytest

    if shutil.which("valgrind") is None:
        pytest.skip("valgrind is not installed: bench_build --instructions cannot run here")
    from bench_build import instructions

    env = {"PATH": "/usr/bin:/bin"}
    bare = instructions((sys.executable, "-S", "-c", "pass"), Path.cwd(), env)
    more = instructions((sys.executable, "-S", "-c", "import json"), Path.cwd(), env)
    assert 0 < bare < more
