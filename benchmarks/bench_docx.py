"""Benchmark: briefgen's write_docx against hand-written python-docx for the same one-page brief.

(a) briefgen: the document model through ``write_docx`` (reference DOCX,
theme styles, real footnotes, header and footer fields, reproducible zip).
(b) the yardstick, python-docx: ``Document(reference.docx)`` ... ``save()``
to memory, on briefgen's own reference template (src/briefgen/data/
reference.docx, so both sides open, style and zip the same package, not
python-docx's 917 KB default with its 100 table styles), with the same
title, paragraphs, table and list, note numbers as superscript digits.
Both run once to warm up, then in turn for every round (``paired``); the
median and min-max of the rounds and of the per-round ratio are printed.
Target: briefgen within 1.5x. ``--quick`` runs a few rounds only (CI keeps
it working; no timing is asserted anywhere).

    python benchmarks/bench_docx.py [--rounds N] [--quick]
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
from collections.abc import Callable

from paired import MIN_ROUNDS, Spread, interleaved, ratios

from briefgen.model import BulletList, Cite, Document, Heading, ListItem, Meta, Note, Paragraph, Table, Text
from briefgen.themes import Theme
from briefgen.writers.docx import write_docx

TITLE, SUBTITLE = "Belarus and China: overview", "Briefing for the Minister"
PARAGRAPHS = (
    "Belarus and the People's Republic of China established diplomatic relations on 20 January 1992.",
    "Relations became a comprehensive strategic partnership in 2013 and an all-weather one in 2022.",
    "China is Belarus's second-largest trading partner; the Great Stone park near Minsk is the flagship project.",
)
ROWS = (("Belarus", "Taiwan", "Supports One-China"), ("China", "Sanctions", "Opposes unilateral sanctions"),
        ("Belarus", "Global Security Initiative", "Supports"))
BULLETS = tuple(f"Point {i}: a sentence of moderate length about the bilateral relationship." for i in range(1, 6))
NOTES = tuple(f"Belarus–China relations (Wikipedia), section {n}" for n in range(1, 4))


def briefgen_document() -> Document:
    def cite(n: int) -> Cite:
        return Cite((f"fact-{n}",), (n,))

    return Document(
        Meta(TITLE, subtitle=SUBTITLE, date=dt.date(2026, 1, 20)),
        (
            Heading(1, (Text("Summary"),)),
            *(Paragraph((Text(text), cite(n))) for n, text in enumerate(PARAGRAPHS, start=1)),
            Heading(2, (Text("Stances"),)),
            Table(header=((Text("Actor"),), (Text("Issue"),), (Text("Position"),)),
                  rows=tuple(tuple((Text(cell),) for cell in row) for row in ROWS), widths=(20, 35, 45)),
            Heading(2, (Text("Points to note"),)),
            BulletList(tuple(ListItem((Text(b),)) for b in BULLETS)),
        ),
        tuple(Note(n, f"fact-{n}", (Text(t),)) for n, t in enumerate(NOTES, start=1)),
    )


def raw_python_docx(template: bytes, table_style: str = "Brief Table") -> bytes:
    """The same brief written directly with python-docx's API, on ``template``."""
    import docx

    document = docx.Document(io.BytesIO(template))
    document.add_heading(TITLE, 0)
    document.add_paragraph(SUBTITLE, style="Subtitle")
    document.add_heading("Summary", 1)
    for n, text in enumerate(PARAGRAPHS, start=1):
        paragraph = document.add_paragraph(text)
        paragraph.add_run(str(n)).font.superscript = True
    document.add_heading("Stances", 2)
    table = document.add_table(rows=1, cols=3, style=table_style)
    for cell, heading in zip(table.rows[0].cells, ("Actor", "Issue", "Position"), strict=True):
        cell.text = heading
    for row in ROWS:
        for cell, text in zip(table.add_row().cells, row, strict=True):
            cell.text = text
    document.add_heading("Points to note", 2)
    for bullet in BULLETS:
        document.add_paragraph(bullet, style="List Bullet")
    for n, text in enumerate(NOTES, start=1):
        document.add_paragraph(f"{n} {text}")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def run(rounds: int) -> float:
    from importlib import resources

    doc, theme = briefgen_document(), Theme()
    reference = (resources.files("briefgen") / "data" / "reference.docx").read_bytes()
    sides: dict[str, Callable[[], object]] = {
        "briefgen": lambda: write_docx(doc, theme),
        "python-docx": lambda: raw_python_docx(reference),
    }
    for build in sides.values():
        build()  # warm-up: imports, the prepared reference DOCX
    times = interleaved(sides, rounds)
    ours, raw = (Spread.of(times[name]).scaled(1000) for name in sides)
    ratio = ratios(times["briefgen"], times["python-docx"])
    print(f"one-page brief, {rounds} paired rounds: median (min-max)")
    print(f"  briefgen write_docx                       {ours.show(' ms', 1)}")
    print(f"  python-docx on briefgen's reference.docx  {raw.show(' ms', 1)}")
    print(f"  ratio                                     {ratio.show('x', 2)} (target <= 1.5x)")
    return ratio.median


def main(argv: list[str] | None = None) -> float:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=50)
    parser.add_argument("--quick", action="store_true", help="a few rounds, to check the benchmark still runs")
    args = parser.parse_args(argv)
    return run(2 if args.quick else max(args.rounds, MIN_ROUNDS))


if __name__ == "__main__":
    main()
