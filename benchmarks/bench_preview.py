"""Benchmark: how fast the preview shows an edited fact, and a one-shot HTML build as a whole process.

1. In the preview process (``PreviewSession``, everything in memory): edit
   one fact's statement in its YAML file, then time the rebuild that gives
   the new overview as HTML and PDF (page fitting included). Reports the
   median and range of the rebuilds over ``--edits`` edits (target: median
   <= 100 ms), and the same edits seen through the file watcher (from the
   file's write to the finished rebuild, as a user waits for it).
2. ``briefgen build overview --format html`` as a subprocess against the
   floor ``python -c "import jinja2, markdown_it"``, paired and interleaved
   rounds with a warm and an empty cache (``bench_build.measure``); targets
   <= 1.6x and <= 2.0x.

Run by hand (``python benchmarks/bench_preview.py``); CI runs ``--quick``
and asserts no timing.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import threading
import time
from collections.abc import Sequence
from pathlib import Path

from bench_build import measure
from briefgen import cache
from briefgen.preview import PreviewServer, PreviewSession
from briefgen.project import load_project
from briefgen.registry.dates import resolve_as_of

_PROJECT = Path(__file__).resolve().parents[1]
_AS_OF = "2026-11-23"
_FACT_FILE = Path("facts") / "anniversary-2026.yaml"
_STATEMENT = "Belarus and China established diplomatic relations on 20 January 1992,"
_REBUILD_TARGET_MS = 100.0


def _copy_project(scratch: Path) -> Path:
    project = scratch / "project"
    for folder in ("facts", "templates"):
        shutil.copytree(_PROJECT / folder, project / folder)
    return project


def _edit(project: Path, number: int) -> str:
    """Give the statement new words (so the page changes); return them."""
    words = f"established diplomatic relations (edit {number}) on 20 January 1992,"
    path = project / _FACT_FILE
    text = path.read_text(encoding="utf-8")
    current = next(line.strip() for line in text.splitlines() if "on 20 January 1992," in line and "Belarus and China" in line)
    path.write_text(text.replace(current, f"Belarus and China {words}"), encoding="utf-8")
    return words


def _summary(label: str, milliseconds: list[float], target: float | None = None) -> str:
    median = statistics.median(milliseconds)
    verdict = "" if target is None else f" ({'within' if median <= target else 'over'} the {target:.0f} ms target)"
    return f"{label}: {len(milliseconds)} edits  median {median:6.1f} ms  min {min(milliseconds):6.1f}  max {max(milliseconds):6.1f}{verdict}"


def rebuilds(project: Path, edits: int) -> list[float]:
    """Milliseconds per rebuild after each edit, the session called directly."""
    session = PreviewSession(load_project(project), "overview", as_of=resolve_as_of(_AS_OF))
    for _ in range(2):  # the first rebuilds import the writers and load the fonts
        session.rebuild()
    timings = []
    for number in range(edits):
        words = _edit(project, number)
        start = time.perf_counter()
        snapshot = session.rebuild()
        timings.append((time.perf_counter() - start) * 1000)
        assert snapshot.error is None and snapshot.files is not None, snapshot.error
        assert words.encode() in snapshot.files.data["html"] and snapshot.files.data["pdf"]
    return timings


def watched(project: Path, edits: int) -> list[float]:
    """Milliseconds from each file write to the end of the rebuild it caused, through the watcher."""
    finished = threading.Event()
    server = PreviewServer(PreviewSession(load_project(project), "overview", as_of=resolve_as_of(_AS_OF)), port=0,
                           on_rebuild=lambda snapshot: finished.set())
    server.start()
    timings = []
    try:
        for number in range(edits):
            time.sleep(0.15)  # a person types slower than this: each edit is its own rebuild
            finished.clear()
            start = time.perf_counter()
            _edit(project, 1000 + number)
            if not finished.wait(timeout=10):
                raise RuntimeError("the watcher saw no change within 10 s")
            timings.append((time.perf_counter() - start) * 1000)
    finally:
        server.close()
    return timings


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edits", type=int, default=20, help="edits to time (default: 20)")
    parser.add_argument("--rounds", type=int, default=15, help="paired rounds of the one-shot build (default: 15)")
    parser.add_argument("--quick", action="store_true", help="3 edits and 1 round, to check that the benchmark runs")
    options = parser.parse_args(argv)
    edits, rounds = (3, 1) if options.quick else (options.edits, options.rounds)
    with tempfile.TemporaryDirectory(prefix="briefgen-bench-preview-") as scratch:
        project = _copy_project(Path(scratch))
        one_shot = measure(rounds, project, "overview", "html")  # before this process keeps its cache in memory, as the preview does
        cache.keep_in_memory()
        print(_summary("rebuild (HTML + PDF)", rebuilds(project, edits), _REBUILD_TARGET_MS), flush=True)
        print(_summary("write to rebuilt, through the watcher", watched(project, edits)), flush=True)
    print("one-shot build: " + "\n".join(one_shot.lines()), flush=True)


if __name__ == "__main__":
    main()
