"""Benchmark: a batch of one-page handouts through briefgen against hand-written loops (the yardsticks).

(a) briefgen: ``briefgen.batch`` over a matrix of the repository's handout
brief (8 topics x N/8 copies, copies differ only in a parameter the text
does not use) with ``--jobs 1`` and ``--jobs 2``: templates, citations,
fit-to-page check, writers and atomic writes included.
(b) the yardstick: the same pages (the same text, headings, bullets and
notes, taken from briefgen's document models before timing) written by a
plain reportlab loop with fonts registered once, and by a python-docx loop
(``Document()`` to ``save()``). Targets: briefgen ``--jobs 1`` throughput
>= 0.7x the yardstick's; ``--jobs 2`` >= 1.6x faster than ``--jobs 1`` on
two idle cores. Peak memory (max RSS) of a batch of 50 and of 200 jobs, each
in a fresh process, shows whether memory grows with the number of jobs.
``--quick`` runs a few jobs only (CI keeps it working; no timing is asserted).

    python benchmarks/bench_batch.py [--jobs-count 200] [--quick]
"""

from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from xml.sax.saxutils import escape

from briefgen.batch import batch, load_plan
from briefgen.build import render_document
from briefgen.errors import BriefgenWarning
from briefgen.facts import load_registry
from briefgen.model import Box, BulletList, Cite, Document, Heading, Inline, OrderedList, Paragraph, SourceList, Text, plain_text
from briefgen.templating import load_brief

REPOSITORY = Path(__file__).resolve().parents[1]
TOPICS = ("diplomacy", "trade", "investment", "science-technology", "education", "security", "multilateral", "international-positions")
BENCH_BRIEF = """\
---
parameters:
  copy: {type: int, default: 1, help: "Which copy: lets a plan ask for the same handout many times"}
---
{% extends "handout.md.j2" %}
"""
Line = tuple[str, str]  # (style, text with reportlab markup): one paragraph of a page


def make_project(root: Path) -> Path:
    """The repository's facts and templates, plus a handout brief that can be asked for many times."""
    shutil.copytree(REPOSITORY / "facts", root / "facts")
    shutil.copytree(REPOSITORY / "templates", root / "templates")
    shutil.copy(REPOSITORY / "briefgen.yaml", root / "briefgen.yaml")
    (root / "templates" / "bench-handout.md.j2").write_text(BENCH_BRIEF, encoding="utf-8")
    return root


def plan(count: int, fmt: str, out: str) -> dict[str, object]:
    copies = max(1, count // len(TOPICS))
    return {
        "as_of": "2026-11-23",
        "out": out,
        "format": fmt,
        "matrix": {"brief": "bench-handout", "topic": list(TOPICS[: min(count, len(TOPICS))]), "copy": list(range(1, copies + 1))},
    }


def timed(action: Callable[[], object]) -> tuple[float, float]:
    """Wall-clock seconds, and CPU seconds of this process and the workers it waited for."""
    def cpu() -> float:
        return sum(usage.ru_utime + usage.ru_stime for usage in map(resource.getrusage, (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)))

    start, start_cpu = time.perf_counter(), cpu()
    action()
    return time.perf_counter() - start, cpu() - start_cpu


# --- the yardsticks ------------------------------------------------------------------------


def page_lines(doc: Document) -> list[Line]:
    """What a page shows, paragraph by paragraph, as reportlab markup with note numbers as superscripts."""
    lines: list[Line] = [("title", escape(doc.meta.title)), ("body", escape(doc.meta.subtitle or ""))]

    def blocks(items: Sequence[object]) -> None:
        for block in items:
            match block:
                case Heading(children=children):
                    lines.append(("heading", marked(children)))
                case Paragraph(children=children):
                    lines.append(("body", marked(children)))
                case BulletList(items=entries) | OrderedList(items=entries):
                    lines.extend(("bullet", marked(item.children)) for item in entries)
                case Box(children=children):
                    blocks(children)
                case SourceList(entries=entries):
                    lines.append(("heading", "Sources"))
                    lines.extend(("note", marked(entry.children)) for entry in entries)

    blocks(doc.blocks)
    lines.extend(("note", f"{note.number} {marked(note.children)}") for note in doc.notes)
    return lines


def marked(inlines: Sequence[Inline]) -> str:
    return "".join(
        "".join(f"<super>{n}</super>" for n in inline.notes) if isinstance(inline, Cite) else escape(plain_text((inline,)))
        for inline in inlines
    )


def reportlab_loop(pages: Sequence[list[Line]], out: Path) -> Callable[[], int]:
    """Each page written with platypus, fonts registered once (before timing); returns the page count."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import Paragraph as P
    from reportlab.platypus import SimpleDocTemplate

    from briefgen.writers.pdf_fonts import _FONT_DIR

    for face in ("Regular", "Bold"):
        pdfmetrics.registerFont(TTFont(f"Yard-{face}", str(_FONT_DIR / f"LiberationSans-{face}.ttf")))
    body = ParagraphStyle("body", fontName="Yard-Regular", fontSize=10.5, leading=13.6, spaceAfter=4)
    styles = {
        "title": ParagraphStyle("title", parent=body, fontName="Yard-Bold", fontSize=18, leading=22),
        "heading": ParagraphStyle("heading", parent=body, fontName="Yard-Bold", fontSize=13, leading=16, spaceBefore=6),
        "body": body,
        "bullet": ParagraphStyle("bullet", parent=body, leftIndent=12, bulletIndent=2),
        "note": ParagraphStyle("note", parent=body, fontSize=7.5, leading=9.5, spaceAfter=1),
    }

    def footer(canvas: object, doc: object) -> None:
        canvas.setFont("Yard-Regular", 8)  # type: ignore[attr-defined]
        canvas.drawRightString(190 * mm, 12 * mm, f"Page {canvas.getPageNumber()} of 1")  # type: ignore[attr-defined]

    def run() -> int:
        total = 0
        for number, lines in enumerate(pages):
            story = [P(text, styles[style], bulletText="•" if style == "bullet" else None) for style, text in lines]
            template = SimpleDocTemplate(str(out / f"page-{number}.pdf"), pagesize=A4, invariant=1, topMargin=20 * mm, bottomMargin=20 * mm)
            template.build(story, onFirstPage=footer, onLaterPages=footer)
            total += template.page
        return total

    return run


def python_docx_loop(pages: Sequence[list[Line]], out: Path) -> Callable[[], int]:
    """Each page through python-docx's own ``Document()`` ... ``save()``; returns the number of files."""
    import docx

    def plain(text: str) -> str:
        return text.replace("<super>", "").replace("</super>", "").replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")

    def run() -> int:
        for number, lines in enumerate(pages):
            document = docx.Document()
            for style, text in lines:
                if style == "title":
                    document.add_heading(plain(text), level=0)
                elif style == "heading":
                    document.add_heading(plain(text), level=2)
                else:
                    document.add_paragraph(plain(text), style="List Bullet" if style == "bullet" else None)
            document.save(str(out / f"page-{number}.docx"))
        return len(pages)

    return run


def same_pages(project: Path, count: int) -> list[list[Line]]:
    """The text of every handout of the batch, from briefgen's own document models (not timed)."""
    checked = load_plan(plan(count, "pdf", "unused"), root=project)
    registry = load_registry(project / "facts", as_of="2026-11-23")
    briefs = {name: load_brief(name, project / "templates") for name in checked.context.briefs}
    return [page_lines(render_document(briefs[job.brief], registry, job.params)) for job in checked.jobs]


# --- peak memory ---------------------------------------------------------------------------


def peak_memory(project: Path, count: int, jobs: int) -> float:
    """Max RSS in MiB of a fresh process building ``count`` PDF handouts (``jobs`` > 1: of its largest worker)."""
    result = subprocess.run(
        [sys.executable, __file__, "--memory-child", str(count), "--jobs", str(jobs), "--project", str(project)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return float(result.stdout.split()[-1]) / 1024


def memory_child(project: Path, count: int, jobs: int) -> None:
    """Print the peak RSS in KiB: this process's (``--jobs 1``), else the largest worker's.

    A process's own ``ru_maxrss`` keeps its parent's peak across fork and exec
    (Linux), so this process reads its high-water mark from /proc instead. The
    workers are forked from this small process and waited for at pool shutdown,
    so ``RUSAGE_CHILDREN`` is the largest worker's own peak.
    """
    batch(plan(count, "pdf", f"memory-{count}-{jobs}"), root=project, jobs=jobs, force=True)
    if jobs > 1:
        print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
        return
    status = Path("/proc/self/status")
    peak = next((line.split()[1] for line in status.read_text().splitlines() if line.startswith("VmHWM:")), None) if status.exists() else None
    print(peak or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


# --- the run -------------------------------------------------------------------------------


def run(count: int, memory_counts: tuple[int, int]) -> dict[str, float]:
    warnings.simplefilter("ignore", BriefgenWarning)
    figures: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="bench-batch-") as folder:
        project = make_project(Path(folder))
        pages = same_pages(project, count)
        print(f"{len(pages)} one-page handouts (the repository's handout brief, 8 topics)")
        for fmt, loop in (("pdf", reportlab_loop), ("docx", python_docx_loop)):
            yard_out = project / f"yardstick-{fmt}"
            yard_out.mkdir()
            yardstick = loop(pages, yard_out)
            batch(plan(1, fmt, f"warm-{fmt}"), root=project, jobs=1)  # fonts and reference DOCX loaded, as the yardstick's are
            yardstick()
            yard_s, yard_cpu = timed(yardstick)
            one_s, one_cpu = timed(lambda: batch(plan(count, fmt, f"jobs1-{fmt}"), root=project, jobs=1, force=True))
            two_s, two_cpu = timed(lambda: batch(plan(count, fmt, f"jobs2-{fmt}"), root=project, jobs=2, force=True))
            yard_name = "reportlab loop" if fmt == "pdf" else "python-docx loop"
            figures |= {f"{fmt}_yardstick_per_s": len(pages) / yard_s, f"{fmt}_jobs1_per_s": len(pages) / one_s,
                        f"{fmt}_ratio": yard_s / one_s, f"{fmt}_speedup": one_s / two_s}  # fmt: skip
            print(f"{fmt.upper()}:                   wall      CPU   pages/s (wall)")
            print(f"  {yard_name:<20} {yard_s:6.2f} s {yard_cpu:6.2f} s  {len(pages) / yard_s:6.1f}  (yardstick)")
            print(f"  briefgen --jobs 1    {one_s:6.2f} s {one_cpu:6.2f} s  {len(pages) / one_s:6.1f}  ratio {yard_s / one_s:.2f}x (target >= 0.7x)")
            print(f"  briefgen --jobs 2    {two_s:6.2f} s {two_cpu:6.2f} s  {len(pages) / two_s:6.1f}  speed-up {one_s / two_s:.2f}x (expected >= 1.6x)")
        small, large = memory_counts
        for jobs in (1, 2):
            low, high = peak_memory(project, small, jobs), peak_memory(project, large, jobs)
            figures |= {f"memory_jobs{jobs}_{small}_mib": low, f"memory_jobs{jobs}_{large}_mib": high}
            who = "the process" if jobs == 1 else "the largest worker"
            print(f"peak memory, --jobs {jobs} ({who}): {small} jobs {low:6.1f} MiB, {large} jobs {high:6.1f} MiB")
    return figures


def main(argv: list[str] | None = None) -> dict[str, float]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs-count", type=int, default=200, help="handouts per run (a multiple of 8)")
    parser.add_argument("--quick", action="store_true", help="a few jobs only, to check the benchmark still runs")
    parser.add_argument("--memory-child", type=int, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--jobs", type=int, default=1, help=argparse.SUPPRESS)
    parser.add_argument("--project", type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.memory_child is not None:
        memory_child(args.project, args.memory_child, args.jobs)
        return {}
    if args.quick:
        return run(4, (2, 4))
    return run(args.jobs_count, (50, args.jobs_count))


if __name__ == "__main__":
    main()
