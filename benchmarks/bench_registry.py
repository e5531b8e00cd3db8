"""Benchmark: loading a registry, against PyYAML's C loader loading the same files.

For each size, a registry from ``generate_registry`` (the shipped facts and
synthetic copies citing real passages, 1,000 facts a file) is loaded by:

- the yardstick: ``yaml.load(data, Loader=yaml.CSafeLoader)`` on every
  file, the results kept in a list: plain dicts, lists, strings, numbers
  and dates, with no line numbers and no checks (what a loader that
  trusts its input builds);
- briefgen cold: ``load_registry`` with an empty cache: libyaml's node
  trees (every value keeps its line), every entry and cross-reference
  validated, every quote found in its archived text, frozen records
  built, the cache written;
- briefgen warm: ``load_registry`` again: every file hashed, the records
  read back from the cache.

Both sides run on equal terms: the cyclic garbage collector is paused
during each measurement (briefgen's loader pauses it anyway; a loader
building millions of objects with it on spends most of its time in it),
after a full collection. The three run in turn, round after round, so
machine noise hits all alike; the median and min-max of the rounds are
reported. Peak memory (max RSS) of validating the largest registry is
measured in fresh processes against the yardstick's.
Targets: cold <= 1.5x the yardstick, warm >= 10x faster than cold, 10x the
facts at most 11x the time, validation's peak memory <= 1.5x the
yardstick's. Run by hand (``python benchmarks/bench_registry.py --sizes
6000,60000``); CI runs it at a tiny size and asserts no timing.
"""

from __future__ import annotations

import argparse
import gc
import os
import resource
import runpy
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml
from paired import MIN_ROUNDS, Spread, ratios, timed

_AS_OF = "2026-01-20"
_GENERATOR = Path(__file__).resolve().parent / "generate_registry.py"


@dataclass(frozen=True, slots=True)
class Timing:
    facts: int
    rounds: int
    yardstick: Spread
    cold: Spread
    warm: Spread
    cold_ratio: Spread  # per round: cold / yardstick
    warm_speedup: Spread  # per round: cold / warm

    def lines(self) -> str:
        return (
            f"{self.facts:>8} facts, {self.rounds} rounds, seconds: median (min-max)\n"
            f"  yardstick (CSafeLoader)  {self.yardstick.show()}\n"
            f"  briefgen cold            {self.cold.show()}   {self.cold_ratio.median:4.2f}x yardstick"
            f" ({self.cold_ratio.low:.2f}-{self.cold_ratio.high:.2f}; target <= 1.5x)\n"
            f"  briefgen warm            {self.warm.show()}   {self.warm_speedup.median:5.1f}x faster than cold"
            f" ({self.warm_speedup.low:.1f}-{self.warm_speedup.high:.1f}; target >= 10x)"
        )


def generate_registry(folder: Path, facts: int) -> Path:
    """A registry of ``facts`` facts from ``benchmarks/generate_registry.py`` in ``folder``."""
    return runpy.run_path(str(_GENERATOR))["generate_registry"](folder, facts)  # type: ignore[no-any-return]


def yardstick_load(folder: Path) -> list[object]:
    """What PyYAML's C loader builds from every file of the registry."""
    return [yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader) for path in sorted(folder.rglob("*.yaml"))]


def measure(facts: int, rounds: int = 5) -> Timing:
    """Time the yardstick, a cold load and a warm load of a fresh registry of ``facts`` facts, ``rounds`` times in turn."""
    from briefgen.registry.loader import load_registry

    with tempfile.TemporaryDirectory(prefix="briefgen-bench-") as scratch:
        folder = generate_registry(Path(scratch) / "facts", facts)
        cache = Path(scratch) / "cache"
        previous = os.environ.get("BRIEFGEN_CACHE_DIR")
        os.environ["BRIEFGEN_CACHE_DIR"] = str(cache)
        times: dict[str, list[float]] = {"yardstick": [], "cold": [], "warm": []}
        try:
            for _ in range(rounds):
                times["yardstick"].append(timed(lambda: yardstick_load(folder), gc_paused=True))
                times["cold"].append(timed(lambda: _cold_load(folder, cache), gc_paused=True))
                times["warm"].append(timed(lambda: load_registry(folder, as_of=_AS_OF), gc_paused=True))
        finally:
            if previous is None:
                os.environ.pop("BRIEFGEN_CACHE_DIR", None)
            else:
                os.environ["BRIEFGEN_CACHE_DIR"] = previous
    yard, cold, warm = times["yardstick"], times["cold"], times["warm"]
    return Timing(
        facts,
        rounds,
        Spread.of(yard),
        Spread.of(cold),
        Spread.of(warm),
        ratios(cold, yard),
        ratios(cold, warm),
    )


def _cold_load(folder: Path, cache: Path) -> None:
    from briefgen.registry.loader import load_registry

    for stale in cache.rglob("*"):
        if stale.is_file():
            stale.unlink()
    load_registry(folder, as_of=_AS_OF)


def peak_memory(facts: int) -> tuple[float, float]:
    """Max RSS in MiB of a fresh process loading a registry of ``facts`` facts: the yardstick's, then briefgen's validation."""
    with tempfile.TemporaryDirectory(prefix="briefgen-bench-") as scratch:
        folder = generate_registry(Path(scratch) / "facts", facts)
        peaks = []
        for side in ("yardstick", "briefgen"):
            command = [sys.executable, __file__, "--memory-child", side, str(folder)]
            result = subprocess.run(command, capture_output=True, text=True, check=True, env={**os.environ, "BRIEFGEN_CACHE_DIR": str(Path(scratch) / "cache")})
            peaks.append(float(result.stdout.split()[-1]) / 1024)
    return peaks[0], peaks[1]


def memory_child(side: str, folder: Path) -> None:
    """Load ``folder`` one way, keeping the result, and print this process's peak RSS in KiB.

    The peak is read from /proc (VmHWM): ``ru_maxrss`` keeps the parent's peak across
    fork and exec on Linux, and the parent has loaded large registries already.
    """
    gc.disable()  # on equal terms, as in the timing
    if side == "yardstick":
        kept: object = yardstick_load(folder)
    else:  # imported only here: the yardstick's process holds no briefgen modules
        from briefgen.registry.loader import load_registry

        kept = load_registry(folder, as_of=_AS_OF, cache=False)
    assert kept
    status = Path("/proc/self/status")
    peak = next((line.split()[1] for line in status.read_text().splitlines() if line.startswith("VmHWM:")), None) if status.exists() else None
    print(peak or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


def main(argv: Sequence[str] | None = None) -> list[Timing]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="6000,60000", help="comma-separated numbers of facts, at least 61 (default: 6000,60000)")
    parser.add_argument("--rounds", type=int, default=MIN_ROUNDS, help=f"rounds of yardstick, cold and warm, in turn (default: {MIN_ROUNDS})")
    parser.add_argument("--memory-child", nargs=2, metavar=("SIDE", "FOLDER"), help=argparse.SUPPRESS)
    options = parser.parse_args(argv)
    if options.memory_child:
        memory_child(options.memory_child[0], Path(options.memory_child[1]))
        return []
    timings = []
    for size in (int(part) for part in options.sizes.split(",")):
        timing = measure(size, options.rounds)
        timings.append(timing)
        print(timing.lines(), flush=True)
    if len(timings) > 1:
        first, last = timings[0], timings[-1]
        growth = last.facts / first.facts
        print(f"{growth:.0f}x the facts: cold took {last.cold.median / first.cold.median:.1f}x as long, "
              f"warm {last.warm.median / first.warm.median:.1f}x, the yardstick {last.yardstick.median / first.yardstick.median:.1f}x")  # fmt: skip
    yard_mib, ours_mib = peak_memory(timings[-1].facts)
    print(f"peak memory at {timings[-1].facts} facts (max RSS of a fresh process): yardstick {yard_mib:.0f} MiB, "
          f"briefgen validation {ours_mib:.0f} MiB, {ours_mib / yard_mib:.2f}x (target <= 1.5x)")  # fmt: skip
    return timings


if __name__ == "__main__":
    main()
