"""Benchmark: briefgen's write_pdf against hand-written reportlab for the same one-page brief.

Both sides load their fonts once (a warm-up build), then run in alternation
so that machine noise hits both alike; the ratio of medians is printed.
Target: briefgen within 1.5x of the raw library. A third side, the same
writer with tagging left out (``tagged=False``), runs in the same rounds:
the cost of the tagged PDF (structure tree, marked content, XMP) is the
per-round ratio tagged / untagged, target at most 1.15x. ``--quick`` runs a
few iterations only (CI keeps it working; no timing is asserted anywhere).

    python benchmarks/bench_pdf.py [--iterations N] [--quick]
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import statistics
from collections.abc import Callable

from briefgen.model import (
    Box,
    BulletList,
    Cite,
    Document,
    Heading,
    ListItem,
    Meta,
    Note,
    Paragraph,
    Table,
    Text,
)
from briefgen.themes import Theme
from briefgen.writers.pdf import write_pdf
from briefgen.writers.pdf.writer import write_pdf as write_pdf_untagged
from paired import interleaved, ratios

SUMMARY = ("Belarus and the People's Republic of China established diplomatic relations on 20 January 1992. "
           "Relations became a comprehensive strategic partnership in 2013 and an all-weather one in 2022. "
           "China is Belarus's second-largest trading partner. The Great Stone park near Minsk is the flagship project.")
KEY_FACTS = ("Relations established: 20 January 1992", "Partnership: all-weather (2022)", "Trade 2023: about US$8.4 billion")
BULLETS = tuple(f"Point {i}: a sentence of moderate length about the bilateral relationship." for i in range(5))
STANCES = (("Belarus", "Taiwan", "Supports One-China"), ("China", "Sanctions", "Opposes unilateral sanctions"),
           ("Belarus", "Security Initiative", "Supports"))
NOTES = tuple(f"Belarus–China relations (Wikipedia), section {n}" for n in range(1, 11))


def briefgen_document() -> Document:
    def cite(n: int) -> Cite:
        return Cite((f"fact-{n}",), (n,))

    return Document(
        Meta("Belarus and China: overview", subtitle="Briefing", date=dt.date(2026, 1, 20)),
        (
            Heading(1, (Text("Summary"),)),
            Paragraph((Text(SUMMARY), cite(1))),
            Box("keyfacts", (BulletList(tuple(ListItem((Text(f), cite(2))) for f in KEY_FACTS)),), title="Key facts"),
            Heading(2, (Text("Points to note"),)),
            BulletList(tuple(ListItem((Text(b), cite(i + 3))) for i, b in enumerate(BULLETS))),
            Heading(2, (Text("Stances"),)),
            Table(header=((Text("Actor"),), (Text("Issue"),), (Text("Position"),)),
                  rows=tuple(((Text(a),), (Text(b),), (Text(c), cite(10))) for a, b, c in STANCES), widths=(20, 35, 45)),
        ),
        tuple(Note(n, f"fact-{n}", (Text(t),)) for n, t in enumerate(NOTES, start=1)),
    )


def raw_reportlab() -> Callable[[], bytes]:
    """The same brief written directly with platypus, fonts registered once."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import Paragraph as P
    from reportlab.platypus import HRFlowable, SimpleDocTemplate
    from reportlab.platypus import Table as T

    from briefgen.writers.pdf.fonts import _FONT_DIR

    for face in ("Regular", "Bold"):
        pdfmetrics.registerFont(TTFont(f"Raw-{face}", str(_FONT_DIR / f"LiberationSans-{face}.ttf")))
    body = ParagraphStyle("b", fontName="Raw-Regular", fontSize=10.5, leading=13.6)
    bold = ParagraphStyle("h", parent=body, fontName="Raw-Bold", fontSize=14, leading=17, textColor=colors.navy)
    note = ParagraphStyle("n", parent=body, fontSize=7.5, leading=9.5)

    def footer(canvas: object, doc: object) -> None:
        canvas.setFont("Raw-Regular", 8)
        canvas.drawRightString(190 * mm, 12 * mm, f"Page {canvas.getPageNumber()} of 1")

    def build() -> bytes:
        story = [P("Belarus and China: overview", bold), P("Briefing", body), P("20 January 2026", note),
                 HRFlowable(width="100%", color=colors.navy), P("Summary", bold), P(SUMMARY + "<super>1</super>", body)]
        box = T([[P("Key facts", bold)], *([P(f"• {f}<super>2</super>", body)] for f in KEY_FACTS)], colWidths=[170 * mm])
        box.setStyle([("BACKGROUND", (0, 0), (-1, -1), colors.HexColor("#EEF2F7"))])
        story += [box, P("Points to note", bold), *(P(f"• {b}<super>{i + 3}</super>", body) for i, b in enumerate(BULLETS))]
        table = T([[P(h, body) for h in ("Actor", "Issue", "Position")], *([P(c, body) for c in row] for row in STANCES)],
                  colWidths=[34 * mm, 59.5 * mm, 76.5 * mm], repeatRows=1)
        table.setStyle([("BACKGROUND", (0, 0), (-1, 0), colors.navy), ("ROWBACKGROUNDS", (0, 1), (-1, -1), [None, colors.whitesmoke])])
        story += [P("Stances", bold), table, *(P(f"{n} {t}", note) for n, t in enumerate(NOTES, start=1))]
        out = io.BytesIO()
        SimpleDocTemplate(out, pagesize=A4, invariant=1).build(story, onFirstPage=footer, onLaterPages=footer)
        return out.getvalue()

    return build


def run(iterations: int) -> float:
    doc, theme = briefgen_document(), Theme()
    raw = raw_reportlab()
    ours: Callable[[], object] = lambda: write_pdf(doc, theme)  # noqa: E731
    untagged: Callable[[], object] = lambda: write_pdf_untagged(doc, theme, tagged=False)  # noqa: E731
    pages = write_pdf(doc, theme).pages
    raw()
    untagged()
    times = interleaved({"briefgen": ours, "untagged": untagged, "reportlab": raw}, iterations)
    ours_ms, untagged_ms, raw_ms = (statistics.median(times[k]) * 1000 for k in ("briefgen", "untagged", "reportlab"))
    ratio = ours_ms / raw_ms
    print(f"one-page brief ({pages} page), {iterations} paired iterations")
    print(f"  briefgen write_pdf   {ours_ms:7.1f} ms (median)")
    print(f"  same, untagged       {untagged_ms:7.1f} ms (median)")
    print(f"  raw reportlab        {raw_ms:7.1f} ms (median)")
    print(f"  ratio                {ratio:7.2f}x (target <= 1.5x)")
    cost = ratios(times["briefgen"], times["untagged"])
    print(f"  tagging cost         {cost.show('x', 2)} per round (target <= 1.15x)")
    return ratio


def main(argv: list[str] | None = None) -> float:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=40)
    parser.add_argument("--quick", action="store_true", help="a few iterations, to check the benchmark still runs")
    args = parser.parse_args(argv)
    return run(2 if args.quick else args.iterations)


if __name__ == "__main__":
    main()
