"""Benchmark: ``briefgen build BRIEF`` as a whole process, with a warm and an empty cache, against the import floor.

The floor is what any process that writes the chosen formats pays before
doing anything: ``python -c "import reportlab.platypus, jinja2"`` for a PDF
build, plus ``docx`` when the build writes DOCX. Each round runs, back to
back so that all three see the same machine load: the floor, the build with
a warm cache (as on a user's second build), and the build with an empty
cache folder (as on the first build after ``briefgen cache clear``; the run
writes the cache as it goes). Reports the median of each over the rounds,
the fastest and slowest, and the ratio of each build's median to the floor's.
Targets: warm <= 1.6x, empty <= 2.0x. Run by hand
(``python benchmarks/bench_build.py [--format pdf,docx]``); CI runs
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
_AS_OF = "2026-11-23"
TARGETS = {"warm": 1.6, "empty": 2.0}


@dataclass(frozen=True, slots=True)
class Series:
    """One command's times over the rounds, in seconds."""

    times: tuple[float, ...]

    @property
    def median(self) -> float:
        return statistics.median(self.times)

    def spread(self) -> str:
        return f"{self.median:6.3f} s (min {min(self.times):.3f}, max {max(self.times):.3f})"


@dataclass(frozen=True, slots=True)
class Timing:
    """The paired rounds: the floor, the warm-cache build and the empty-cache build."""

    formats: str
    floor: Series
    warm: Series
    empty: Series

    @property
    def rounds(self) -> int:
        return len(self.floor.times)

    def ratio(self, which: str) -> float:
        series: Series = getattr(self, which)
        return series.median / self.floor.median

    def lines(self) -> list[str]:
        lines = [f"{self.rounds} rounds, --format {self.formats}", f"  floor        {self.floor.spread()}"]
        for which, target in TARGETS.items():
            ratio = self.ratio(which)
            verdict = "within" if ratio <= target else "over"
            lines.append(f"  {which + ' cache':<12} {getattr(self, which).spread()}  ratio {ratio:4.2f}x ({verdict} the {target}x target)")
        return lines


def floor_command(formats: str) -> tuple[str, ...]:
    """Import what a build of ``formats`` needs and nothing else."""
    modules = ["reportlab.platypus", "jinja2"] + (["docx"] if "docx" in formats.split(",") else [])
    return (sys.executable, "-c", "import " + ", ".join(modules))


def build_command(brief: str, out_dir: Path, formats: str) -> tuple[str, ...]:
    """The command a user types, through the installed script when there is one (else ``-m briefgen``)."""
    script = shutil.which("briefgen", path=str(Path(sys.executable).parent))
    launcher = (script,) if script else (sys.executable, "-m", "briefgen")
    return (*launcher, "build", brief, "--format", formats, "--as-of", _AS_OF, "--out", str(out_dir))


def _elapsed(command: Sequence[str], project: Path, env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=project, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def _child_environment(scratch: Path, cache: Path) -> dict[str, str]:
    """The commands run as on a user's machine: bytecode is written once and reused.

    A shell with PYTHONDONTWRITEBYTECODE would make every run recompile briefgen's
    editable sources (installed libraries already have theirs); the bytecode goes to
    the scratch folder so the repository is not touched.
    """
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    return {**env, "BRIEFGEN_CACHE_DIR": str(cache), "PYTHONPYCACHEPREFIX": str(scratch / "pycache")}


def measure(rounds: int, project: Path = _PROJECT, brief: str = "overview", formats: str = "pdf") -> Timing:
    """Prime the bytecode and the cache, then time ``rounds`` rounds of (floor, warm build, empty build)."""
    with tempfile.TemporaryDirectory(prefix="briefgen-bench-build-") as folder:
        scratch = Path(folder)
        warm_env = _child_environment(scratch, scratch / "warm-cache")
        empty_env = _child_environment(scratch, scratch / "empty-cache")
        floor, command = floor_command(formats), build_command(brief, scratch / "out", formats)
        subprocess.run(command, cwd=project, env=warm_env, check=True, capture_output=True)  # primes bytecode and cache
        subprocess.run(floor, cwd=project, env=warm_env, check=True, capture_output=True)
        times: dict[str, list[float]] = {"floor": [], "warm": [], "empty": []}
        for _ in range(rounds):
            times["floor"].append(_elapsed(floor, project, warm_env))
            times["warm"].append(_elapsed(command, project, warm_env))
            shutil.rmtree(scratch / "empty-cache", ignore_errors=True)
            times["empty"].append(_elapsed(command, project, empty_env))
    return Timing(formats, *(Series(tuple(times[name])) for name in ("floor", "warm", "empty")))


def main(argv: Sequence[str] | None = None) -> Timing:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=9, help="paired rounds (default: 9; at least 5 for a figure worth quoting)")
    parser.add_argument("--quick", action="store_true", help="one round, to check that the benchmark runs")
    parser.add_argument("--project", type=Path, default=_PROJECT, help="the project folder to build in (default: this repository)")
    parser.add_argument("--brief", default="overview", help="the brief to build (default: overview)")
    parser.add_argument("--format", dest="formats", default="pdf", help="the formats to build, as for briefgen build (default: pdf)")
    options = parser.parse_args(argv)
    timing = measure(1 if options.quick else options.rounds, options.project, options.brief, options.formats)
    print("\n".join(timing.lines()), flush=True)
    return timing


if __name__ == "__main__":
    main()
