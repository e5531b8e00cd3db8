"""Benchmark: briefgen's chronology of a large registry against hand-written reportlab and python-docx builds.

A registry of N facts from ``generate_registry`` (default 600 and 6,000:
10x the facts) is rendered once into briefgen's document model (the
default theme; not timed, but its time is reported). Then, round after
round and in turn (``paired``):

- briefgen ``write_pdf`` and ``write_docx`` of that model;
- the reportlab yardstick: the same chronology by hand, from the model's
  rows, notes and sources taken before timing: the title block, one
  two-column table (date, event) whose header row repeats on every page,
  group rows (decades) spanning both columns on a shaded background and
  never ending a page, superscript note numbers, each page's notes at its
  foot, the Sources list, "Page N of M", the same Liberation Sans faces
  (registered once) and sizes. It splits the table as a careful author
  would: each row and note measured once, packed into pages, one table per
  page (what reportlab's LongTable does by splitting, without measuring the
  rest again);
- the python-docx yardstick: the same document on briefgen's reference.docx
  (prepared once with a PAGE/NUMPAGES footer): title block, a table with a
  repeated header row, merged and shaded group rows, real footnotes (a
  footnotes part: python-docx has no API for them), the Sources list.

Each side runs at every size before the next side does, so a round pairs
a side's sizes as closely as its yardstick. Every size but the largest runs
``--repeats`` times in a row (default 5) and the round takes the median of
those runs, wall-clock and CPU each: a short run (0.6 s for briefgen's PDF
at 600 facts) that one burst of other work hits would otherwise decide its
round's growth; the largest size runs once per round. What each size builds
is the same either way. Printed: medians and min-max of
the rounds, per-round ratios (targets: briefgen <= 1.5x each yardstick) and,
for each size after the first, how each side's wall-clock and CPU time grew
from the first size's, round by round (target: 10x the facts at most 11x the
time), beside how much the chronology grew (rows, characters). ``--build-all`` builds
every brief of a generated project (PDF and DOCX, through the command line,
in a fresh process each) and prints exit code, time, peak memory and pages:
the by-hand check at 6,000 and 60,000 facts. ``--quick`` runs two tiny sizes
in one round, the smaller twice (CI keeps it working; no timing is asserted).

Measured (2 shared cores; 600 -> 6,000 facts: the chronology grows 10.2x in
rows, 10.5x in notes, 10.6x in characters; 24 -> 252 pages). 7 rounds, 5
runs of 600 facts each, load 1.0-1.7: briefgen's PDF grew 10.21x
(7.95-11.99), its DOCX 9.93x (6.21-13.22; CPU 10.11x); the reportlab
yardstick 10.60x, the python-docx one 13.08x. At 6,000 facts briefgen is
0.68x (0.61-1.02) the reportlab build and 0.32x (0.26-0.54) the python-docx
one. With one run per size per round, three runs of the PDF writer gave
medians of 10.32x, 10.52x and 12.88x. One PDF write executed 2.97 G
instructions at 600 facts and 30.6 G at 6,000 (callgrind, before held pages
kept one string each): 10.32x, within the document's own growth; no
function's calls grow faster than the document (cProfile).

    python benchmarks/bench_scale.py [--sizes 600,6000] [--rounds 5] [--repeats 5] [--quick]
    python benchmarks/bench_scale.py --build-all 6000,60000
"""

from __future__ import annotations

import argparse
import io
import os
import resource
import runpy
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from bench_batch import Run, docx_text_run, reportlab_markup, runs  # the runs of one look that bench_batch's yardsticks draw
from paired import MIN_ROUNDS, Spread, interleaved, ratios

from briefgen.build import render_document
from briefgen.errors import BriefgenWarning
from briefgen.model import Document, SourceList, Timeline, TimelineEntry, TimelineGroup
from briefgen.registry.loader import load_registry
from briefgen.templating.briefs import load_brief
from briefgen.templating.front_matter import resolve_parameters
from briefgen.themes import Theme
from briefgen.writers.docx import write_docx
from briefgen.writers.pdf import write_pdf

_GENERATOR = Path(__file__).resolve().parent / "generate_registry.py"
_AS_OF = "2026-11-23"
_BRIEFS = ("overview", "handout", "chronology", "stance-summary")
# The default theme's look, as a developer would copy it from briefgen's output.
ACCENT, TEXT, MUTED, BOX, RULE = "#1F3A5F", "#1A1A1A", "#5A6270", "#EEF2F7", "#C8CED8"
MARGIN_MM = 20
DATE_SHARE = 0.22  # the date column's share of the width
REPEATS = 5  # runs per round of each size but the largest (their median is the round's figure)


# --- what the chronology shows -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Chronology:
    """The chronology as the yardsticks draw it: rows are (date, runs), or (group label, None)."""

    title: str
    subtitle: str
    byline: str
    header: tuple[str, str]
    rows: tuple[tuple[str, tuple[Run, ...] | None], ...]
    notes: tuple[tuple[int, tuple[Run, ...]], ...]
    sources: tuple[tuple[Run, ...], ...]


def chronology_of(doc: Document) -> Chronology:
    """What briefgen's chronology of ``doc`` shows, for the yardsticks (taken before timing)."""
    timeline = next(block for block in doc.blocks if isinstance(block, Timeline))
    sources = next(block for block in doc.blocks if isinstance(block, SourceList))
    rows = tuple((row.when, runs(row.children)) if isinstance(row, TimelineEntry) else (row.label, None)
                 for row in timeline.rows if isinstance(row, TimelineEntry | TimelineGroup))  # fmt: skip
    return Chronology(doc.meta.title, doc.meta.subtitle or "", doc.meta.labels.date, timeline.header, rows,
                      tuple((note.number, runs(note.children)) for note in doc.notes),
                      tuple(runs(entry.children) for entry in sources.entries))  # fmt: skip


# --- the reportlab yardstick -----------------------------------------------------------------


def reportlab_build() -> Callable[[Chronology], tuple[bytes, int]]:
    """The hand-written reportlab build (fonts registered now, once); it returns the PDF and its page count."""
    from reportlab.lib.colors import HexColor, white
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen.canvas import Canvas
    from reportlab.platypus import BaseDocTemplate, Flowable, Frame, HRFlowable, PageBreak, PageTemplate, Table, TableStyle
    from reportlab.platypus import Paragraph as P

    from briefgen.writers.pdf.fonts import _FONT_DIR

    faces = {"Scale": "Regular", "Scale-Bold": "Bold", "Scale-Italic": "Italic", "Scale-BoldItalic": "BoldItalic"}
    for name, face in faces.items():
        pdfmetrics.registerFont(TTFont(name, str(_FONT_DIR / f"LiberationSans-{face}.ttf")))
    pdfmetrics.registerFontFamily("Scale", normal="Scale", bold="Scale-Bold", italic="Scale-Italic", boldItalic="Scale-BoldItalic")
    accent, text, muted, box, rule = map(HexColor, (ACCENT, TEXT, MUTED, BOX, RULE))
    body = ParagraphStyle("body", fontName="Scale", fontSize=10.5, leading=13.65, textColor=text)

    def style(name: str, parent: ParagraphStyle = body, **changes: Any) -> ParagraphStyle:
        return ParagraphStyle(name, parent=parent, **changes)

    title = style("title", fontName="Scale-Bold", fontSize=20, leading=23.1, spaceAfter=2.1, textColor=accent)
    subtitle = style("subtitle", fontSize=12.5, leading=15.75, spaceAfter=2.1, textColor=muted)
    byline = style("byline", fontSize=9, leading=11.55, textColor=muted)
    cell = style("cell", fontSize=9.5, leading=12.1)
    date = style("date", parent=cell, fontName="Scale-Bold")
    head = style("head", parent=cell, fontName="Scale-Bold", textColor=white)
    group = style("group", parent=cell, fontName="Scale-Bold", textColor=accent)
    note_style = style("note", fontSize=7.5, leading=9.45, spaceAfter=1.05, leftIndent=14.7, textColor=muted)
    heading = style("heading", fontName="Scale-Bold", fontSize=14, leading=17, spaceBefore=11.55, spaceAfter=3.7, textColor=accent)
    source = style("source", fontSize=9, leading=11.55, spaceAfter=3.15, leftIndent=14.7)
    page_width, page_height = A4
    margin = MARGIN_MM * mm
    width, height = page_width - 2 * margin, page_height - 2 * margin - 8 * mm  # room for the footer
    columns = [width * DATE_SHARE, width * (1 - DATE_SHARE)]
    pad = 3.15, 5.25  # vertical, horizontal cell padding

    def markup(items: Sequence[Run]) -> str:
        return reportlab_markup(items, note_mark='<super rise="3" size="6.5">')

    def row_height(cells: Sequence[P], widths: Sequence[float]) -> float:
        return max(p.wrap(w - 2 * pad[1], height)[1] for p, w in zip(cells, widths, strict=True)) + 2 * pad[0]

    def build(chronology: Chronology) -> tuple[bytes, int]:
        header = [P(escape(label), head) for label in chronology.header]
        header_height = row_height(header, columns)
        notes = {number: P(f'<a name="note-{number}"/>{number}\u2003{markup(items)}', note_style) for number, items in chronology.notes}
        note_height = {number: p.wrap(width, height)[1] + 1.05 for number, p in notes.items()}
        # Each row measured once and packed: rows with their notes while they fit, then a new page.
        pages: list[tuple[list[list[Any]], list[int], list[int]]] = []  # rows, group row indexes, notes
        opening = [P(escape(chronology.title), title), P(escape(chronology.subtitle), subtitle), P(escape(chronology.byline), byline),
                   HRFlowable(width="100%", thickness=1.5, color=accent, spaceBefore=5, spaceAfter=9.45)]  # fmt: skip
        room = height - sum(f.wrap(width, height)[1] + f.getSpaceBefore() + f.getSpaceAfter() for f in opening)
        rows: list[list[Any]] = []
        groups: list[int] = []
        page_notes: list[int] = []
        used, notes_used = header_height, 0.0
        measured = []
        for label, items in chronology.rows:
            if items is None:
                cells: list[Any] = [P(escape(label), group), ""]
                measured.append((cells, row_height(cells[:1], [width]), []))
            else:
                cells = [P(escape(label), date), P(markup(items), cell)]
                measured.append((cells, row_height(cells, columns), [n for item in items for n in item.notes]))
        for index, (cells, tall, cited) in enumerate(measured):
            extra = sum(note_height[n] for n in cited) + (9.45 if cited and not page_notes else 0)
            keep = measured[index + 1][1] if cells[1] == "" and index + 1 < len(measured) else 0.0  # a group never ends a page
            notes_used = sum(note_height[n] for n in page_notes) + (9.45 if page_notes else 0)
            if rows and used + tall + keep + notes_used + extra > room:
                pages.append((rows, groups, page_notes))
                rows, groups, page_notes, used, room = [], [], [], header_height, height
            if cells[1] == "":
                groups.append(len(rows) + 1)
            rows.append(cells)
            page_notes += cited
            used += tall
        pages.append((rows, groups, page_notes))
        sources = [P("Sources", heading)] + [P(f"{n}.\u2003{markup(items)}", source) for n, items in enumerate(chronology.sources, 1)]
        total = len(pages) + (1 if used + sum(p.wrap(width, height)[1] + 15 for p in sources) + notes_used > room else 0)

        base = [("FONTNAME", (0, 0), (-1, -1), "Scale"), ("BACKGROUND", (0, 0), (-1, 0), accent),
                ("VALIGN", (0, 0), (-1, -1), "TOP"), ("TOPPADDING", (0, 0), (-1, -1), pad[0]),
                ("BOTTOMPADDING", (0, 0), (-1, -1), pad[0]), ("LEFTPADDING", (0, 0), (-1, -1), pad[1]),
                ("RIGHTPADDING", (0, 0), (-1, -1), pad[1]), ("LINEBELOW", (0, 1), (-1, -1), 0.5, rule),
                ("BOX", (0, 0), (-1, -1), 1, rule)]  # fmt: skip
        story: list[Flowable] = list(opening)
        for number, (rows_on_page, group_rows, _) in enumerate(pages):
            commands = list(base)
            for at in group_rows:
                commands += [("SPAN", (0, at), (1, at)), ("BACKGROUND", (0, at), (1, at), box)]
            story.append(Table([header, *rows_on_page], colWidths=columns, style=TableStyle(commands)))
            if number + 1 < len(pages):
                story.append(PageBreak())
        story += sources

        def furniture(canvas: Canvas, doc: BaseDocTemplate) -> None:
            page = canvas.getPageNumber()
            canvas.saveState()
            if page <= len(pages) and pages[page - 1][2]:
                cited = [notes[n] for n in pages[page - 1][2]]
                top = margin + 8 * mm + sum(note_height[n] for n in pages[page - 1][2])
                canvas.setStrokeColor(muted)
                canvas.setLineWidth(0.5)
                canvas.line(margin, top + 5, margin + 120, top + 5)
                for n, p in zip(pages[page - 1][2], cited, strict=True):
                    top -= note_height[n]
                    p.drawOn(canvas, margin, top + 1.05)
            canvas.setFillColor(muted)
            canvas.setFont("Scale", 8)
            canvas.drawRightString(margin + width, margin, f"Page {page} of {max(total, page)}")
            canvas.restoreState()

        out = io.BytesIO()
        template = BaseDocTemplate(out, pagesize=A4, title=chronology.title, subject=chronology.subtitle, invariant=1,
                                   initialFontName="Scale")  # fmt: skip
        frame = Frame(margin, margin + 8 * mm, width, height, leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        template.addPageTemplates([PageTemplate("page", [frame], onPage=furniture)])
        template.build(story)
        return out.getvalue(), template.page

    return build


# --- the python-docx yardstick ---------------------------------------------------------------


def python_docx_build() -> Callable[[Chronology], bytes]:
    """The hand-written python-docx build, from a template prepared now (once) from briefgen's reference.docx."""
    import docx
    from docx.enum.text import WD_TAB_ALIGNMENT
    from docx.opc.constants import CONTENT_TYPE, RELATIONSHIP_TYPE
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    from docx.oxml import OxmlElement, parse_xml
    from docx.oxml.ns import nsdecls, qn
    from docx.shared import Mm, RGBColor
    from docx.table import _Cell

    document = docx.Document(io.BytesIO((resources.files("briefgen") / "data" / "reference.docx").read_bytes()))
    document.element.body.clear_content()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = section.bottom_margin = section.left_margin = section.right_margin = Mm(MARGIN_MM)
    for name in ("Normal", "Title", "Subtitle", "Heading 1", "Footer"):
        document.styles[name].font.name = "Arial"
    document.styles["footnote reference"].font.superscript = True
    footer = section.footer.paragraphs[0]
    footer.paragraph_format.tab_stops.add_tab_stop(Mm(210 - 2 * MARGIN_MM), WD_TAB_ALIGNMENT.RIGHT)
    footer.add_run("\tPage ")
    footer._p.append(parse_xml(f'<w:fldSimple {nsdecls("w")} w:instr="PAGE"><w:r><w:t>1</w:t></w:r></w:fldSimple>'))
    footer.add_run(" of ")
    footer._p.append(parse_xml(f'<w:fldSimple {nsdecls("w")} w:instr="NUMPAGES"><w:r><w:t>1</w:t></w:r></w:fldSimple>'))
    template = io.BytesIO()
    document.save(template)
    prepared = template.getvalue()
    accent = RGBColor.from_string(ACCENT[1:])
    widths = (Mm((210 - 2 * MARGIN_MM) * DATE_SHARE), Mm((210 - 2 * MARGIN_MM) * (1 - DATE_SHARE)))
    shading = f'<w:shd {nsdecls("w")} w:val="clear" w:fill="{BOX[1:]}"/>'

    def add_runs(paragraph: Any, items: Sequence[Run]) -> None:
        for item in items:
            for number in item.notes:
                mark = paragraph.add_run(style="footnote reference")
                mark._r.append(OxmlElement("w:footnoteReference", {qn("w:id"): str(number)}))
            if not item.notes:
                docx_text_run(paragraph, item, accent)

    def footnotes(notes: Sequence[tuple[int, tuple[Run, ...]]]) -> bytes:
        look = f'<w:color w:val="{MUTED[1:]}"/><w:sz w:val="15"/>'
        separators = ('<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
                      '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>')  # fmt: skip
        body = "".join(
            f'<w:footnote w:id="{number}"><w:p><w:pPr><w:pStyle w:val="FootnoteText"/></w:pPr><w:r><w:rPr>'
            f'<w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteRef/></w:r><w:r><w:tab/></w:r>'
            + "".join(f'<w:r><w:rPr>{"<w:i/>" * item.italic}{look}</w:rPr><w:t xml:space="preserve">{escape(item.text)}</w:t></w:r>' for item in items)
            + "</w:p></w:footnote>"
            for number, items in notes
        )
        return f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:footnotes {nsdecls("w")}>{separators}{body}</w:footnotes>'.encode()

    def build(chronology: Chronology) -> bytes:
        document = docx.Document(io.BytesIO(prepared))
        properties = document.core_properties
        properties.title, properties.subject = chronology.title, chronology.subtitle
        for text, style in ((chronology.title, "Title"), (chronology.subtitle, "Subtitle"), (chronology.byline, "Brief Meta")):
            document.add_paragraph(text, style)
        table = document.add_table(rows=1, cols=2, style="Brief Table")
        header = table.rows[0]
        header._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
        for tc, label, column in zip(header._tr.tc_lst, chronology.header, widths, strict=True):
            tc.width = column
            _Cell(tc, table).paragraphs[0].add_run(label).bold = True
        for label, items in chronology.rows:
            tr = table.add_row()._tr
            first, second = (_Cell(tc, table) for tc in tr.tc_lst)
            if items is None:
                merged = first.merge(second)
                merged._tc.get_or_add_tcPr().append(parse_xml(shading))
                run = merged.paragraphs[0].add_run(label)
                run.bold, run.font.color.rgb = True, accent
                tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
                merged.paragraphs[0].paragraph_format.keep_with_next = True
                continue
            first.paragraphs[0].add_run(label).bold = True
            add_runs(second.paragraphs[0], items)
        document.add_heading("Sources", 1)
        for items in chronology.sources:
            add_runs(document.add_paragraph(style="List Number"), items)
        part = Part(PackURI("/word/footnotes.xml"), CONTENT_TYPE.WML_FOOTNOTES, footnotes(chronology.notes), document.part.package)
        document.part.relate_to(part, RELATIONSHIP_TYPE.FOOTNOTES)
        out = io.BytesIO()
        document.save(out)
        return out.getvalue()

    return build


# --- the run ---------------------------------------------------------------------------------


def make_project(root: Path, facts: int) -> Path:
    return runpy.run_path(str(_GENERATOR))["make_project"](root, facts)  # type: ignore[no-any-return]


def chronology_model(project: Path) -> tuple[Document, float]:
    """briefgen's chronology of the project as a finished model, and the seconds it took (registry loaded first)."""
    registry = load_registry(project / "facts", as_of=_AS_OF)
    brief = load_brief("chronology", project / "templates")
    params = resolve_parameters(brief.front_matter, {"subject": "Belarus–China relations"})
    start = time.perf_counter()
    doc = render_document(brief, registry, params)
    return doc, time.perf_counter() - start


@dataclass(frozen=True, slots=True)
class Prepared:
    """One size, ready to time: the chronology's size and each side's action."""

    facts: int
    rows: int
    notes: int
    characters: int  # of the rows' and notes' text
    pages: dict[str, int]  # briefgen's and the reportlab yardstick's
    sides: dict[str, Callable[[], object]]


def prepare(facts: int) -> Prepared:
    """The chronology of a registry of ``facts`` facts as briefgen's model and as the yardsticks' rows, each side run once."""
    with tempfile.TemporaryDirectory(prefix="briefgen-bench-scale-") as scratch:
        doc, model_seconds = chronology_model(make_project(Path(scratch) / "project", facts))
    theme = Theme()
    chronology = chronology_of(doc)
    by_hand_pdf, by_hand_docx = reportlab_build(), python_docx_build()
    pages = {"briefgen PDF": write_pdf(doc, theme).pages, "reportlab by hand": by_hand_pdf(chronology)[1]}
    write_docx(doc, theme)
    by_hand_docx(chronology)
    characters = sum(len(run.text) for _, items in chronology.rows for run in items or ()) + \
        sum(len(run.text) for _, items in chronology.notes for run in items)
    print(f"{facts} facts: chronology of {len(chronology.rows)} rows and {len(chronology.notes)} notes, "
          f"{characters:,} characters (template to model {model_seconds:.2f} s, once)", flush=True)  # fmt: skip
    return Prepared(facts, len(chronology.rows), len(chronology.notes), characters, pages, {
        "briefgen PDF": lambda: write_pdf(doc, theme),
        "reportlab by hand": lambda: by_hand_pdf(chronology),
        "briefgen DOCX": lambda: write_docx(doc, theme),
        "python-docx by hand": lambda: by_hand_docx(chronology),
    })  # fmt: skip


@dataclass(frozen=True, slots=True)
class Figures:
    facts: int
    rows: int
    times: dict[str, Spread]  # seconds
    pdf_ratio: Spread
    docx_ratio: Spread
    growth: dict[str, tuple[Spread, Spread]]  # per side, wall and CPU time over the first size's, round by round (empty for the first)


def measure(sizes: Sequence[int], rounds: int, repeats: int = REPEATS) -> list[Figures]:
    """Every side at every size, in turn, each round: a side's sizes run one after the other, so each round's
    growth from the first size pairs runs under the same load, as each size's ratio to a yardstick does.
    Every size but the largest runs ``repeats`` times in a row per round; the round takes their median."""
    prepared = [prepare(facts) for facts in sizes]
    first = prepared[0]
    sides = {(size.facts, name): size.sides[name] for name in first.sides for size in prepared}
    largest = max(sizes)
    cpu: dict[tuple[int, str], list[float]] = {}
    wall = interleaved(sides, rounds, cpu=cpu, repeats={key: repeats for key in sides if key[0] < largest})
    print(f"{rounds} paired rounds, seconds: median (min-max); sizes under {largest} facts: the median of {repeats} runs "
          f"per round; load average {os.getloadavg()[0]:.2f}")  # fmt: skip
    figures = []
    for size in prepared:
        times = {name: wall[size.facts, name] for name in size.sides}
        growth = {} if size is first else {
            name: (ratios(times[name], wall[first.facts, name]), ratios(cpu[size.facts, name], cpu[first.facts, name]))
            for name in size.sides
        }  # fmt: skip
        figure = Figures(size.facts, size.rows, {name: Spread.of(values) for name, values in times.items()},
                         ratios(times["briefgen PDF"], times["reportlab by hand"]),
                         ratios(times["briefgen DOCX"], times["python-docx by hand"]), growth)  # fmt: skip
        figures.append(figure)
        print(f"{size.facts} facts:")
        for name, spread in figure.times.items():
            pages = f"  {size.pages[name]} pages" if name in size.pages else ""
            print(f"  {name:<20} {spread.show(' s', 3)}{pages}")
        print(f"  PDF  briefgen / reportlab    {figure.pdf_ratio.show('x', 2)} (target <= 1.5x)")
        print(f"  DOCX briefgen / python-docx  {figure.docx_ratio.show('x', 2)} (target <= 1.5x)")
        if growth:
            facts = size.facts / first.facts
            print(f"  {facts:.0f}x the facts ({size.rows / first.rows:.1f}x the rows, {size.characters / first.characters:.1f}x "
                  f"the characters) took, round by round (target <= {facts * 1.1:.3g}x):")  # fmt: skip
            for name, (seconds, cpu_seconds) in growth.items():
                print(f"    {name:<20} wall {seconds.show('x', 2)}  CPU {cpu_seconds.show('x', 2)}")
        print(flush=True)
    return figures


def build_all(sizes: Sequence[int]) -> list[tuple[int, str, int, float, float, str]]:
    """Every brief of a generated project, PDF and DOCX, each through the command line in a fresh process."""
    results = []
    for size in sizes:
        with tempfile.TemporaryDirectory(prefix="briefgen-bench-scale-") as scratch:
            project = make_project(Path(scratch) / "project", size)
            for brief in _BRIEFS:
                command = [sys.executable, "-m", "briefgen", "build", brief, "--format", "pdf,docx", "--as-of", _AS_OF, "--out", "out"]
                before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
                start = time.perf_counter()
                environment = {**os.environ, "BRIEFGEN_CACHE_DIR": str(Path(scratch) / "cache")}  # not the user's cache
                done = subprocess.run(command, cwd=project, capture_output=True, text=True, env=environment)
                seconds = time.perf_counter() - start
                peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # the largest child so far
                pages = _pages(project / "out" / f"{brief}.pdf") if done.returncode == 0 else "-"
                traceback = "Traceback" in done.stderr
                results.append((size, brief, done.returncode, seconds, max(peak, before) / 1024, pages))
                problem = f"  {done.stderr.strip().splitlines()[-1][:100]}" if done.returncode else ""
                print(f"{size:>7} facts  {brief:<15} exit {done.returncode}{' TRACEBACK' if traceback else ''}  {seconds:7.1f} s  "
                      f"peak so far {max(peak, before) / 1024:6.0f} MiB  {pages} pages{problem}", flush=True)  # fmt: skip
    return results


def _pages(pdf: Path) -> str:
    from pypdf import PdfReader

    return str(len(PdfReader(pdf).pages))


def main(argv: Sequence[str] | None = None) -> list[Figures]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="600,6000", help="comma-separated numbers of facts (default: 600,6000)")
    parser.add_argument("--rounds", type=int, default=MIN_ROUNDS, help=f"paired rounds (at least {MIN_ROUNDS})")
    parser.add_argument("--repeats", type=int, default=REPEATS,
                        help=f"runs per round of every size but the largest, whose median the round takes (default {REPEATS})")
    parser.add_argument("--build-all", metavar="SIZES", help="build every brief at these sizes through the command line instead")
    parser.add_argument("--quick", action="store_true",
                        help="one round at two tiny sizes (the smaller twice), to check the benchmark still runs")
    options = parser.parse_args(argv)
    warnings.simplefilter("ignore", BriefgenWarning)
    if options.build_all:
        build_all([int(size) for size in options.build_all.split(",")])
        return []
    if options.quick:
        return measure([75, 150], 1, 2)
    return measure([int(size) for size in options.sizes.split(",")], max(options.rounds, MIN_ROUNDS), max(options.repeats, 1))


if __name__ == "__main__":
    main()
