"""Benchmark: ``briefgen build overview --format pdf`` as a whole process, against the import floor.

The floor is ``python -c "import reportlab.platypus, docx, jinja2"``: what
any process that writes these formats pays before doing anything. Each
round runs the floor and then the build as subprocesses, back to back, so
both see the same machine load; the registry cache (a temporary
``BRIEFGEN_CACHE_DIR``) is primed once before timing, as on a user's second
build. Reports the median of each and the ratio of the medians; the target
is <= 1.5x. Run by hand (``python benchmarks/bench_build.py``); CI runs
``--quick`` and asserts no timing.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

_PROJECT = Path(__file__).resolve().parents[1]
_FLOOR = (sys.executable, "-c", "import reportlab.platypus, docx, jinja2")
_AS_OF = "2026-11-23"
_TARGET = 1.5


@dataclass(frozen=True, slots=True)
class Timing:
    """Medians over the paired rounds, in seconds."""

    rounds: int
    floor: float
    build: float

    @property
    def ratio(self) -> float:
        return self.build / self.floor

    def line(self) -> str:
        verdict = "within" if self.ratio <= _TARGET else "over"
        return (
            f"{self.rounds} rounds  floor {self.floor:6.3f} s  build {self.build:6.3f} s  "
            f"ratio {self.ratio:4.2f}x ({verdict} the {_TARGET}x target)"
        )


def build_command(brief: str, out_dir: Path) -> tuple[str, ...]:
    """The command a user types, through the installed script when there is one (else ``-m briefgen``)."""
    script = shutil.which("briefgen", path=str(Path(sys.executable).parent))
    launcher = (script,) if script else (sys.executable, "-m", "briefgen")
    return (*launcher, "build", brief, "--format", "pdf", "--as-of", _AS_OF, "--out", str(out_dir))


def _elapsed(command: Sequence[str], project: Path, env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=project, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def _child_environment(scratch: Path) -> dict[str, str]:
    """Both commands run as on a user's machine: bytecode is written once and reused.

    A shell with PYTHONDONTWRITEBYTECODE would make every run recompile briefgen's
    editable sources (installed libraries already have theirs); the bytecode goes to
    the scratch folder so the repository is not touched.
    """
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    return {**env, "BRIEFGEN_CACHE_DIR": str(scratch / "cache"), "PYTHONPYCACHEPREFIX": str(scratch / "pycache")}


def measure(rounds: int, project: Path = _PROJECT, brief: str = "overview") -> Timing:
    """Prime the registry cache, then time ``rounds`` pairs of (floor, build)."""
    with tempfile.TemporaryDirectory(prefix="briefgen-bench-build-") as scratch:
        env = _child_environment(Path(scratch))
        command = build_command(brief, Path(scratch) / "out")
        subprocess.run(command, cwd=project, env=env, check=True, capture_output=True)  # primes the caches
        floors, builds = [], []
        for _ in range(rounds):
            floors.append(_elapsed(_FLOOR, project, env))
            builds.append(_elapsed(command, project, env))
    return Timing(rounds, statistics.median(floors), statistics.median(builds))


def main(argv: Sequence[str] | None = None) -> Timing:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15, help="paired rounds (default: 15)")
    parser.add_argument("--quick", action="store_true", help="one round, to check that the benchmark runs")
    parser.add_argument("--project", type=Path, default=_PROJECT, help="the project folder to build in (default: this repository)")
    parser.add_argument("--brief", default="overview", help="the brief to build (default: overview)")
    options = parser.parse_args(argv)
    timing = measure(1 if options.quick else options.rounds, options.project, options.brief)
    print(timing.line(), flush=True)
    return timing


if __name__ == "__main__":
    main()
