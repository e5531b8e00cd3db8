"""Benchmark: loading a registry, against PyYAML's C loader merely parsing the same files.

Generates a synthetic valid registry (N facts in 100 files, with archived
sources so quotes are checked) for each size and times, in the same run:

- yardstick: ``yaml.load(text, Loader=yaml.CSafeLoader)`` on every file;
- cold: ``load_registry`` with an empty cache (parse, validate, write the cache);
- warm: ``load_registry`` again (read from the cache).

Targets: cold <= 1.5x the yardstick, warm >= 10x faster than cold, and time
linear in N. Run by hand (``python benchmarks/bench_registry.py --sizes
10000,100000``); CI runs it at a tiny size and asserts no timing.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from briefgen.registry.loader import load_registry

_SENTENCES = (
    "The Byelorussian Soviet Socialist Republic, then part of the Soviet Union, recognized the PRC on 2 October 1949.",
    "Diplomatic relations were established on 20 January 1992.",
    "Bilateral trade reached US$5.8 billion in 2024, up from US$4.1 billion in 2020.",
    "China “firmly supports” Belarus’s sovereignty — officials said.",
)
_KINDS = ("event", "figure", "stance", "background")
_SOURCES = 10
_ENTITIES = 20
_TOPICS = 8


@dataclass(frozen=True, slots=True)
class Timing:
    facts: int
    yardstick: float
    cold: float
    warm: float

    def line(self) -> str:
        return (
            f"{self.facts:>8} facts  yardstick {self.yardstick:7.3f} s  cold {self.cold:7.3f} s"
            f" ({self.cold / self.yardstick:4.2f}x yardstick)  warm {self.warm:7.3f} s"
            f" ({self.cold / self.warm:5.1f}x faster than cold)"
        )


def write_registry(folder: Path, facts: int, files: int = 100) -> None:
    """A valid registry of ``facts`` facts spread over ``files`` files, plus declarations and archives."""
    (folder / "sources").mkdir(parents=True)
    archive = "\n".join(_SENTENCES) + "\n"
    declarations = ["sources:"]
    for number in range(_SOURCES):
        (folder / "sources" / f"source-{number}.txt").write_text(archive, encoding="utf-8")
        declarations += [
            f"  - id: source-{number}",
            f"    title: Synthetic source {number}",
            "    kind: article",
            "    date: 2026-01",
            f"    archive: sources/source-{number}.txt",
        ]
    declarations += ["topics:"] + [f"  - id: topic-{n}\n    label: Topic {n}" for n in range(_TOPICS)]
    declarations += ["entities:"] + [f"  - id: entity-{n}\n    kind: country\n    name: {{en: Entity {n}, ru: Страна {n}}}" for n in range(_ENTITIES)]
    (folder / "declarations.yaml").write_text("\n".join(declarations) + "\n", encoding="utf-8")
    files = max(1, min(files, facts))
    for file_number in range(files):
        numbers = range(file_number, facts, files)
        text = "facts:\n" + "".join(_fact(number) for number in numbers)
        (folder / f"facts-{file_number:03d}.yaml").write_text(text, encoding="utf-8")


def _fact(number: int) -> str:
    kind = _KINDS[number % len(_KINDS)]
    extra = {
        "event": f"    date: {1950 + number % 70}-{1 + number % 12:02d}-{1 + number % 28:02d}\n",
        "figure": f"    metric: metric-{number % 5}\n    value: {number}.5\n    unit: USD\n    as_of: {1990 + number % 30}\n",
        "stance": f"    holder: entity-{number % _ENTITIES}\n    issue: Issue {number % 7}\n    position: supports\n    date: {2000 + number % 20}~\n",
        "background": "",
    }[kind]
    return (
        f"  - id: fact-{number}\n"
        f"    statement: >-\n      Synthetic fact number {number}, a self-contained sentence in our own words\n"
        f"      about relations between the two countries and what followed.\n"
        f"    kind: {kind}\n{extra}"
        f"    topics: [topic-{number % _TOPICS}]\n"
        f"    actors: [entity-{number % _ENTITIES}, entity-{(number + 1) % _ENTITIES}]\n"
        f"    priority: {1 + number % 3}\n"
        f"    sources:\n"
        f"      - source: source-{number % _SOURCES}\n"
        f"        locator: para. {1 + number % 9}\n"
        f"        quote: >-\n          {_SENTENCES[number % len(_SENTENCES)]}\n"
    )


def _best_of(repeat: int, run: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
    return best


def _parse_only(folder: Path) -> None:
    for path in sorted(folder.glob("*.yaml")):
        yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)


def measure(facts: int, repeat: int = 3) -> Timing:
    """Time the yardstick, a cold load and a warm load of a fresh registry of ``facts`` facts."""
    with tempfile.TemporaryDirectory(prefix="briefgen-bench-") as scratch:
        folder = Path(scratch) / "facts"
        write_registry(folder, facts)
        cache = Path(scratch) / "cache"
        previous = os.environ.get("BRIEFGEN_CACHE_DIR")
        os.environ["BRIEFGEN_CACHE_DIR"] = str(cache)
        try:
            yardstick = _best_of(repeat, lambda: _parse_only(folder))
            cold = _best_of(repeat, lambda: _cold_load(folder, cache))
            warm = _best_of(repeat, lambda: load_registry(folder, as_of="2026-01-20"))
        finally:
            if previous is None:
                os.environ.pop("BRIEFGEN_CACHE_DIR", None)
            else:
                os.environ["BRIEFGEN_CACHE_DIR"] = previous
    return Timing(facts, yardstick, cold, warm)


def _cold_load(folder: Path, cache: Path) -> None:
    for stale in cache.glob("*.pickle"):
        stale.unlink()
    load_registry(folder, as_of="2026-01-20")


def main(argv: Sequence[str] | None = None) -> list[Timing]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000", help="comma-separated numbers of facts (default: 10000,100000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement; the best counts (default: 3)")
    options = parser.parse_args(argv)
    timings = []
    for size in (int(part) for part in options.sizes.split(",")):
        timing = measure(size, options.repeat)
        timings.append(timing)
        print(timing.line(), flush=True)
    if len(timings) > 1:
        first, last = timings[0], timings[-1]
        growth = last.facts / first.facts
        print(f"{growth:.0f}x the facts: cold took {last.cold / first.cold:.1f}x as long, warm {last.warm / first.warm:.1f}x")
    return timings


if __name__ == "__main__":
    main()
