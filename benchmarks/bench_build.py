"""Benchmark: ``briefgen build BRIEF`` as a whole process, with a warm and an empty cache, against the import floor.

The floor is what any process that writes the chosen formats pays before
doing anything, as the issues set it: ``python -c "import reportlab.platypus,
jinja2"`` for a PDF build, plus ``docx`` when the build writes DOCX, and
``python -c "import jinja2, markdown_it"`` for an HTML build (a build of
several formats imports the union). Each round runs, back to
back so that all three see the same machine load: the floor, the build with
a warm cache (as on a user's second build), and the build with an empty
cache folder (as on the first build after ``briefgen cache clear``; the run
writes the cache as it goes). Reports the median of each over the rounds,
the fastest and slowest, and each build's ratio to the floor, taken round by
round (the three ran under the same load) and given as the median with its
minimum and maximum; also the CPU time (user + system) of each process and its
ratio, which a machine shared with other work distorts less than wall-clock
time, and the load average while the rounds ran.
Targets: warm <= 1.6x, empty <= 2.0x. ``--each-cache`` measures instead
what each kind of cache entry saves a warm build (``docs/caches.md``).
``--instructions`` counts instead the instructions each of the three
processes executes, once, under valgrind's callgrind: a figure no other load
on the machine moves, for telling whether a change saves work at all (it
does not weigh memory stalls: the collector's walk over the heap costs more
time than its instructions say). Run by hand (``python
benchmarks/bench_build.py [--format pdf,docx] [--each-cache |
--instructions]``); CI runs ``--quick`` and asserts no timing.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from paired import Spread, ratios

_PROJECT = Path(__file__).resolve().parents[1]
_AS_OF = "2026-11-23"
TARGETS = {"warm": 1.6, "empty": 2.0}
# What a build of each format must import before it does anything (issues 11 and 14).
FLOORS = {
    "pdf": ("reportlab.platypus", "jinja2"),
    "docx": ("reportlab.platypus", "jinja2", "docx"),
    "html": ("jinja2", "markdown_it"),
}


@dataclass(frozen=True, slots=True)
class Series:
    """One command's times over the rounds, in seconds: wall-clock, and CPU (user + system) of the process."""

    times: tuple[float, ...]
    cpu: tuple[float, ...] = ()

    @property
    def median(self) -> float:
        return statistics.median(self.times)

    @property
    def cpu_median(self) -> float:
        return statistics.median(self.cpu) if self.cpu else float("nan")

    def spread(self) -> str:
        return f"{self.median:6.3f} s (min {min(self.times):.3f}, max {max(self.times):.3f}; CPU {self.cpu_median:.3f} s)"


@dataclass(frozen=True, slots=True)
class Timing:
    """The paired rounds: the floor, the warm-cache build and the empty-cache build."""

    formats: str
    floor: Series
    warm: Series
    empty: Series
    load: tuple[float, float] = (float("nan"), float("nan"))  # the 1-minute load average before and after the rounds

    @property
    def rounds(self) -> int:
        return len(self.floor.times)

    def ratio(self, which: str) -> Spread:
        series: Series = getattr(self, which)
        return ratios(series.times, self.floor.times)

    def cpu_ratio(self, which: str) -> Spread:
        series: Series = getattr(self, which)
        return ratios(series.cpu, self.floor.cpu)

    def lines(self) -> list[str]:
        floor = " ".join(floor_command(self.formats)[1:])
        lines = [
            f"{self.rounds} rounds, --format {self.formats}, load average {self.load[0]:.2f} -> {self.load[1]:.2f}",
            f"  floor        {self.floor.spread()}  ({floor})",
        ]
        for which, target in TARGETS.items():
            ratio = self.ratio(which)
            verdict = "within" if ratio.median <= target else "over"
            lines.append(
                f"  {which + ' cache':<12} {getattr(self, which).spread()}  ratio {ratio.show('x', 2)} ({verdict} the {target}x target; "
                f"CPU ratio {self.cpu_ratio(which).show('x', 2)})"
            )
        return lines


def floor_command(formats: str) -> tuple[str, ...]:
    """Import what a build of ``formats`` needs and nothing else."""
    modules = dict.fromkeys(module for name in formats.split(",") for module in FLOORS[name.strip()])
    return (sys.executable, "-c", "import " + ", ".join(modules))


def build_command(brief: str, out_dir: Path, formats: str) -> tuple[str, ...]:
    """The command a user types, through the installed script when there is one (else ``-m briefgen``)."""
    script = shutil.which("briefgen", path=str(Path(sys.executable).parent))
    launcher = (script,) if script else (sys.executable, "-m", "briefgen")
    return (*launcher, "build", brief, "--format", formats, "--as-of", _AS_OF, "--out", str(out_dir))


def _elapsed(command: Sequence[str], project: Path, env: dict[str, str]) -> tuple[float, float]:
    """Wall-clock and CPU seconds of one run (CPU time is what a loaded machine distorts least)."""
    before, start = resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter()
    subprocess.run(command, cwd=project, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall, after = time.perf_counter() - start, resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


def _series(runs: list[tuple[float, float]]) -> Series:
    return Series(tuple(wall for wall, _ in runs), tuple(cpu for _, cpu in runs))


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
        times: dict[str, list[tuple[float, float]]] = {"floor": [], "warm": [], "empty": []}
        load_before = os.getloadavg()[0]
        for _ in range(rounds):
            times["floor"].append(_elapsed(floor, project, warm_env))
            times["warm"].append(_elapsed(command, project, warm_env))
            shutil.rmtree(scratch / "empty-cache", ignore_errors=True)
            times["empty"].append(_elapsed(command, project, empty_env))
    series = (_series(times[name]) for name in ("floor", "warm", "empty"))
    return Timing(formats, *series, load=(load_before, os.getloadavg()[0]))


def measure_each_cache(rounds: int, project: Path = _PROJECT, brief: str = "overview", formats: str = "pdf") -> list[str]:
    """What each kind of cache entry saves: the warm build, then with that kind's entries removed before each run.

    Each round runs every variant back to back (the full warm cache first); the
    folder is copied afresh for every run, so that no run profits from the one before.
    """
    with tempfile.TemporaryDirectory(prefix="briefgen-bench-caches-") as folder:
        scratch = Path(folder)
        primed, run = scratch / "primed", scratch / "run"
        env = _child_environment(scratch, run)
        command = build_command(brief, scratch / "out", formats)
        subprocess.run(command, cwd=project, env={**env, "BRIEFGEN_CACHE_DIR": str(primed)}, check=True, capture_output=True)
        kinds = sorted(path.name for path in primed.iterdir() if path.is_dir())
        times: dict[str, list[tuple[float, float]]] = {name: [] for name in ("every entry", *kinds)}
        for _ in range(rounds):
            for name in times:
                shutil.rmtree(run, ignore_errors=True)
                shutil.copytree(primed, run)
                shutil.rmtree(run / name, ignore_errors=True)
                times[name].append(_elapsed(command, project, env))
    warm = _series(times["every entry"])
    lines = [f"{rounds} rounds, --format {formats}: the warm build without one kind of entry", f"  {'every entry':<18} {warm.spread()}"]
    for kind in kinds:
        series = _series(times[kind])
        more, more_cpu = (series.median - warm.median) * 1000, (series.cpu_median - warm.cpu_median) * 1000
        lines.append(f"  {'no ' + kind:<18} {series.spread()}  {more:+6.1f} ms (CPU {more_cpu:+6.1f} ms)")
    return lines


def instructions(command: Sequence[str], project: Path, env: dict[str, str]) -> int:
    """The instructions one run of ``command`` executes (valgrind's callgrind; string hashing made fixed)."""
    counted = (shutil.which("valgrind") or "valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *command)
    result = subprocess.run(counted, cwd=project, env={**env, "PYTHONHASHSEED": "0"}, check=True, capture_output=True, text=True)
    found = re.search(r"Collected\s*:\s*(\d+)", result.stderr)
    if found is None:
        raise RuntimeError(f"callgrind reported no count: {result.stderr[-500:]}")
    return int(found.group(1))


def measure_instructions(project: Path = _PROJECT, brief: str = "overview", formats: str = "pdf") -> list[str]:
    """Instructions of the floor, the warm build and the empty-cache build, and each build's ratio to the floor."""
    with tempfile.TemporaryDirectory(prefix="briefgen-bench-instructions-") as folder:
        scratch = Path(folder)
        warm_env = _child_environment(scratch, scratch / "warm-cache")
        floor, command = floor_command(formats), build_command(brief, scratch / "out", formats)
        subprocess.run(command, cwd=project, env=warm_env, check=True, capture_output=True)  # primes bytecode and cache
        counts = {
            "floor": instructions(floor, project, warm_env),
            "warm cache": instructions(command, project, warm_env),
            "empty cache": instructions(command, project, _child_environment(scratch, scratch / "empty-cache")),
        }
    lines = [f"instructions, --format {formats} ({' '.join(floor[1:])} for the floor)"]
    for name, count in counts.items():
        lines.append(f"  {name:<12} {count / 1e6:8.1f} M  ratio {count / counts['floor']:4.2f}x")
    return lines


def main(argv: Sequence[str] | None = None) -> Timing | None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=9, help="paired rounds (default: 9; at least 5 for a figure worth quoting)")
    parser.add_argument("--quick", action="store_true", help="one round, to check that the benchmark runs")
    parser.add_argument("--project", type=Path, default=_PROJECT, help="the project folder to build in (default: this repository)")
    parser.add_argument("--brief", default="overview", help="the brief to build (default: overview)")
    parser.add_argument("--format", dest="formats", default="pdf", help="the formats to build, as for briefgen build (default: pdf)")
    parser.add_argument("--each-cache", action="store_true", help="what each kind of cache entry saves a warm build (for docs/caches.md)")
    parser.add_argument("--instructions", action="store_true", help="instructions executed instead of time (valgrind; not moved by load)")
    options = parser.parse_args(argv)
    rounds = 1 if options.quick else options.rounds
    if options.instructions:
        print("\n".join(measure_instructions(options.project, options.brief, options.formats)), flush=True)
        return None
    if options.each_cache:
        print("\n".join(measure_each_cache(rounds, options.project, options.brief, options.formats)), flush=True)
        return None
    timing = measure(rounds, options.project, options.brief, options.formats)
    print("\n".join(timing.lines()), flush=True)
    return timing


if __name__ == "__main__":
    main()
