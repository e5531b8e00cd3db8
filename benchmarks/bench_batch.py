"""Benchmark: a batch of one-page handouts through briefgen against hand-written loops (the yardsticks).

(a) briefgen: ``briefgen.batch.run`` over a matrix of the repository's handout
brief (8 topics x N/8 numbered copies: each copy's subtitle shows its number, so
every handout is a document of its own) with ``--jobs 1`` and ``--jobs 2``:
templates, citations, the page-limit check (a layout, also for a DOCX-only job),
writers, atomic writes and the manifest included. The benchmark uses a cache
folder of its own; before each DOCX first-build side the cache's record of earlier
fits is removed, so every job lays its handout out; a DOCX rebuild side (the same
handouts again, their fits recalled from the cache) is reported beside it.
(b) the yardsticks: the same pages, hand-written. Their content (text, runs
of bold and italic, links, citations, notes) is taken from briefgen's
document models before timing; each yardstick then draws what briefgen's
page shows: a reportlab loop (platypus and canvas callbacks, fonts
registered once) and a python-docx loop (from a template made once from
briefgen's own reference.docx, styled as the theme styles it: the same
package briefgen starts from, not python-docx's 917 KB default),
each with title block, linked citations and footnotes, the key-facts box,
sources, outline or styles, page furniture and "Page N of M", metadata.
The yardsticks check no page limit: they draw the content briefgen chose.
Targets: briefgen ``--jobs 1`` throughput >= 0.7x the yardstick's;
``--jobs 2`` >= 1.6x faster than ``--jobs 1`` on two idle cores. CPU time
per page is printed too: on a busy machine it is the steadier figure. The
three run in turn for each of ``--rounds`` rounds (at least 5); medians and
min-max of the rounds and of the per-round ratios are printed. Peak memory (max RSS) of a batch of 50 and of 200 jobs, each
in a fresh process, shows whether memory grows with the number of jobs.
(c) Dask: the PDF batch on a LocalCluster of 2 single-threaded worker
processes against ``--jobs 2``, paired rounds, and the bytes sent per job
(target: >= 0.9x the throughput of ``--jobs 2``; the issue's size is
``--jobs-count 1000``).
``--quick`` runs a few jobs only (CI keeps it working; no timing is asserted).

    python benchmarks/bench_batch.py [--jobs-count 200] [--rounds 5] [--parts pdf,docx,dask,memory] [--quick]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
from importlib import resources
import pickle
import resource
import statistics
import shutil
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any
from unittest import mock
from xml.sax.saxutils import escape, quoteattr

from paired import MIN_ROUNDS, Spread, ratios

from briefgen import cache
from briefgen.batch.run import batch, load_plan
from briefgen.build import render_document, resolve_theme
from briefgen.errors import BriefgenWarning
from briefgen.registry.loader import load_registry
from briefgen.model import Box, BulletList, Cite, Document, Emph, Heading, Inline, Link, OrderedList, Paragraph, SourceList, Strong, Text
from briefgen.templating.briefs import load_brief
from briefgen.themes import Theme

REPOSITORY = Path(__file__).resolve().parents[1]
TOPICS = ("diplomacy", "trade", "investment", "science-technology", "education", "security", "multilateral", "international-positions")
BENCH_BRIEF = """\
---
subtitle: "{{ params.subject }} · handout {{ params.number }}"
parameters:
  number: {type: int, default: 1, help: "Which copy: each handout a document of its own (its subtitle shows it)"}
---
{% extends "handout.md.j2" %}
"""


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
        "matrix": {"brief": "bench-handout", "topic": list(TOPICS[: min(count, len(TOPICS))]), "number": list(range(1, copies + 1))},
    }


def timed(action: Callable[[], object]) -> tuple[float, float, float]:
    """Wall-clock seconds, and CPU seconds of this process and of the workers it waited for (its children)."""
    def cpu(who: int) -> float:
        usage = resource.getrusage(who)
        return usage.ru_utime + usage.ru_stime

    start, own, children = time.perf_counter(), cpu(resource.RUSAGE_SELF), cpu(resource.RUSAGE_CHILDREN)
    action()
    return time.perf_counter() - start, cpu(resource.RUSAGE_SELF) - own, cpu(resource.RUSAGE_CHILDREN) - children


# --- what a page shows -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Run:
    """A piece of text with one look; ``notes``: a citation mark (the linked note numbers) instead of text."""

    text: str = ""
    bold: bool = False
    italic: bool = False
    url: str | None = None
    notes: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class Block:
    """A heading (``level`` 1-3, ``outline`` its bookmark level), paragraph, list item (``marker``),
    source entry, or the key-facts box (``runs`` its title, ``items`` its list items)."""

    kind: str  # heading, body, item, source, box
    runs: tuple[Run, ...]
    marker: str | None = None
    level: int = 0
    outline: int = 0
    items: tuple[Block, ...] = ()


@dataclass(frozen=True, slots=True)
class Page:
    """One handout: title block, blocks, footnotes, file metadata and page furniture."""

    title: str
    subtitle: str
    byline: str
    keywords: tuple[str, ...]
    blocks: tuple[Block, ...]
    notes: tuple[tuple[int, tuple[Run, ...]], ...]
    marking: str
    footer: str


def handout_page(doc: Document, theme: Theme) -> Page:
    """What briefgen's page of ``doc`` shows, for the yardsticks to draw by hand.

    A block or inline the yardsticks do not draw is an error, so that they never
    time an easier page than briefgen's without saying so.
    """
    depth = -1

    def blocks(block: object) -> list[Block]:
        nonlocal depth
        match block:
            case Heading(level=level, children=children):
                depth = min(level - 1, depth + 1)  # briefgen's outline: a level never jumps
                return [Block("heading", runs(children), level=level, outline=depth)]
            case Paragraph(children=children):
                return [Block("body", runs(children))]
            case BulletList(items=entries):
                return [Block("item", runs(entry.children), marker="\u2022") for entry in entries]
            case OrderedList(items=entries, start=start):
                return [Block("item", runs(entry.children), marker=f"{start + i}.") for i, entry in enumerate(entries)]
            case Box(title=title, children=children):
                items = tuple(item for child in children for item in blocks(child))
                return [Block("box", (Run(title or ""),), items=items)]
            case SourceList(entries=entries):
                return [Block("source", runs(entry.children), marker=f"{i}.") for i, entry in enumerate(entries, start=1)]
        raise ValueError(f"the yardsticks do not draw a {type(block).__name__}")

    assert doc.meta.date is not None and theme.marking and theme.footer_text
    return Page(
        title=doc.meta.title,
        subtitle=doc.meta.subtitle or "",
        byline=f"{doc.meta.date.day} {doc.meta.date:%B %Y}",
        keywords=doc.meta.keywords,
        blocks=tuple(item for block in doc.blocks for item in blocks(block)),
        notes=tuple((note.number, runs(note.children)) for note in doc.notes),
        marking=doc.meta.marking or theme.marking,
        footer=theme.footer_text,
    )


def runs(inlines: Sequence[Inline], bold: bool = False, italic: bool = False, url: str | None = None) -> tuple[Run, ...]:
    """``inlines`` as runs of one look each."""
    found: list[Run] = []
    for inline in inlines:
        match inline:
            case Text(text=text):
                found.append(Run(text, bold, italic, url))
            case Strong(children=children):
                found += runs(children, True, italic, url)
            case Emph(children=children):
                found += runs(children, bold, True, url)
            case Link(url=target, children=children):
                found += runs(children, bold, italic, target)
            case Cite(notes=notes):
                found.append(Run(notes=notes))
            case _:
                raise ValueError(f"the yardsticks do not draw a {type(inline).__name__}")
    return tuple(found)


def same_pages(project: Path, count: int) -> list[Page]:
    """Every handout of the batch, from briefgen's own document models and theme (not timed)."""
    checked = load_plan(plan(count, "pdf", "unused"), root=project)
    registry = load_registry(project / "facts", as_of="2026-11-23")
    briefs = {name: load_brief(name, project / "templates") for name in checked.context.briefs}
    theme = resolve_theme(checked.context.theme or briefs["bench-handout"].front_matter.theme, project / "templates")
    return [handout_page(render_document(briefs[job.brief], registry, job.params), theme) for job in checked.jobs]


# --- the yardsticks ------------------------------------------------------------------------

# The house theme's look at 10.5 pt, as a developer would copy it from briefgen's output.
TEXT, ACCENT, MUTED, BOX, RULE = "#1A1A1A", "#1F3A5F", "#5A6270", "#EEF2F7", "#C8CED8"
MARGIN_MM = 20
BANNER_MM = 5.2


def reportlab_markup(items: Sequence[Run], note_mark: str) -> str:
    """Runs as reportlab paragraph markup, note numbers linked inside ``note_mark`` (a ``<super ...>`` tag)."""
    parts = []
    for run in items:
        if run.notes:
            links = ",".join(f'<a href="#note-{n}">{n}</a>' for n in run.notes)
            parts.append(f"{note_mark}{links}</super>")
            continue
        part = escape(run.text)
        if run.url:
            part = f"<a href={quoteattr(run.url)} color={quoteattr(ACCENT)}><u>{part}</u></a>"
        part = f"<b>{part}</b>" if run.bold else part
        parts.append(f"<i>{part}</i>" if run.italic else part)
    return "".join(parts)


def reportlab_loop(pages: Sequence[Page], out: Path) -> Callable[[], int]:
    """Each handout hand-written with platypus and canvas callbacks, fonts registered once (before timing).

    The page briefgen draws: title block and rule, headings kept with what follows and
    bookmarked, citation superscripts linked to their footnotes at the foot of the page,
    bold and italic faces, the shaded key-facts box, numbered sources with underlined
    links, banners top and bottom, footer text and "Page N of M" (a canvas that holds its
    pages until it knows their number), the file's metadata, subsets of every face used.
    Returns the page count.
    """
    from reportlab.lib.colors import HexColor, white
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen.canvas import Canvas
    from reportlab.platypus import BaseDocTemplate, Flowable, Frame, HRFlowable, PageTemplate, Table
    from reportlab.platypus import Paragraph as P

    from briefgen.writers.pdf.fonts import _FONT_DIR

    faces = {"Yard": "Regular", "Yard-Bold": "Bold", "Yard-Italic": "Italic", "Yard-BoldItalic": "BoldItalic"}
    for name, face in faces.items():
        pdfmetrics.registerFont(TTFont(name, str(_FONT_DIR / f"LiberationSans-{face}.ttf")))
    pdfmetrics.registerFontFamily("Yard", normal="Yard", bold="Yard-Bold", italic="Yard-Italic", boldItalic="Yard-BoldItalic")
    text, accent, muted, box, rule = map(HexColor, (TEXT, ACCENT, MUTED, BOX, RULE))
    body = ParagraphStyle("body", fontName="Yard", bulletFontName="Yard", fontSize=10.5, leading=13.65, spaceAfter=5.25,
                          textColor=text, rightIndent=2.1)  # fmt: skip

    def style(name: str, **changes: object) -> ParagraphStyle:
        return ParagraphStyle(name, parent=body, **changes)

    styles = {
        "title": style("title", fontName="Yard-Bold", fontSize=20, leading=23.1, spaceAfter=2.1, textColor=accent),
        "subtitle": style("subtitle", fontSize=12.5, leading=15.75, spaceAfter=2.1, textColor=muted),
        "byline": style("byline", fontSize=9, leading=11.55, spaceAfter=0, textColor=muted),
        "heading1": style("h1", fontName="Yard-Bold", fontSize=14, leading=17, spaceBefore=11.55, spaceAfter=3.7, textColor=accent, keepWithNext=1),
        "heading2": style("h2", fontName="Yard-Bold", fontSize=12, leading=14.5, spaceBefore=8.4, spaceAfter=3.7, textColor=accent, keepWithNext=1),
        "heading3": style("h3", fontName="Yard-Bold", spaceBefore=7.35, leading=12.6, spaceAfter=3.15, keepWithNext=1),
        "body": body,
        "item": style("item", spaceAfter=3.15, leftIndent=14.7, bulletIndent=3.7, bulletFontSize=10.5),
        "box": style("box", fontName="Yard-Bold", spaceAfter=2.1, textColor=accent),
        "source": style("source", fontSize=9, leading=11.55, spaceAfter=3.15, leftIndent=14.7, bulletFontSize=9),
        "note": style("note", fontSize=7.5, leading=9.45, spaceAfter=1.05, leftIndent=14.7, bulletFontSize=7.5, textColor=muted),
    }  # fmt: skip
    page_width, page_height = A4
    left, bottom = MARGIN_MM * mm, MARGIN_MM * mm
    width, height = page_width - 2 * left, page_height - 2 * bottom

    markup = partial(reportlab_markup, note_mark='<super size="70%" rise="33%">')

    def flowable(block: Block) -> Flowable:
        if block.kind == "box":
            cell = [P(markup(block.runs), styles["box"]), *map(flowable, block.items)]
            return Table([[cell]], colWidths=[width], spaceAfter=5.8, hAlign="LEFT", style=[
                ("FONTNAME", (0, 0), (-1, -1), "Yard"), ("BACKGROUND", (0, 0), (-1, -1), box),
                ("LINEBEFORE", (0, 0), (0, -1), 3, accent), ("LEFTPADDING", (0, 0), (-1, -1), 10.5),
                ("RIGHTPADDING", (0, 0), (-1, -1), 10.5), ("TOPPADDING", (0, 0), (-1, -1), 5.8),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 5.75)])  # fmt: skip
        paragraph = P(markup(block.runs), styles[f"heading{block.level}" if block.kind == "heading" else block.kind],
                      bulletText=block.marker)  # fmt: skip
        if block.kind == "heading":
            paragraph.outline = (block.outline, "".join(run.text for run in block.runs))
        return paragraph

    def furniture(canvas: Canvas, page: Page, number: int, total: int) -> None:
        canvas.saveState()
        banner_width = max(48 * mm, canvas.stringWidth(page.marking, "Yard", 8.5) * 1.1 + 12 * mm)
        for y in (page_height - 7 * mm - BANNER_MM * mm, 7 * mm):
            canvas.setFillColor(accent)
            canvas.rect((page_width - banner_width) / 2, y, banner_width, BANNER_MM * mm, stroke=0, fill=1)
            canvas.setFillColor(white)
            canvas.setFont("Yard-Bold", 8.5)
            canvas.drawCentredString(page_width / 2, y + (BANNER_MM * mm - 8.5 * 0.7) / 2, page.marking)
        footer_y = bottom - 6.5 * mm
        canvas.setStrokeColor(rule)
        canvas.setLineWidth(0.5)
        canvas.line(left, footer_y + 11.2, left + width, footer_y + 11.2)
        canvas.setFillColor(muted)
        canvas.setFont("Yard", 8)
        canvas.drawString(left, footer_y, page.footer)
        canvas.drawRightString(left + width, footer_y, f"Page {number} of {total}")
        canvas.restoreState()

    class CountingCanvas(Canvas):
        """Holds each finished page until the last, then draws the furniture with the page total."""

        def __init__(self, *args: Any, page: Page, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.page, self.held = page, list[dict[str, Any]]()

        def showPage(self) -> None:
            self.held.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            for number, state in enumerate(self.held, start=1):
                self.__dict__.update(state)
                furniture(self, self.page, number, len(self.held))
                super().showPage()
            super().save()

    class Handout(BaseDocTemplate):
        """Bookmarks each heading once it is placed."""

        def afterFlowable(self, placed: Flowable) -> None:
            if hasattr(placed, "outline"):
                level, title = placed.outline
                self.canv.bookmarkPage(key := f"h{id(placed)}")
                self.canv.addOutlineEntry(title, key, level=level, closed=False)

    def run() -> int:
        total = 0
        for number, page in enumerate(pages):
            notes = [P(f'<a name="note-{n}"/>{markup(note)}', styles["note"], bulletText=str(n)) for n, note in page.notes]
            heights = [note.wrap(width, height)[1] + note.getSpaceAfter() for note in notes]
            notes_height = sum(heights) + 9.45 if notes else 0.0

            def footnotes(canvas: Canvas, doc: BaseDocTemplate) -> None:
                top = bottom + sum(heights)
                canvas.saveState()
                canvas.setStrokeColor(muted)
                canvas.setLineWidth(0.5)
                canvas.line(left, top + 5.2, left + 160, top + 5.2)
                canvas.restoreState()
                for note, note_height in zip(notes, heights, strict=True):
                    top -= note_height
                    note.drawOn(canvas, left, top + note.getSpaceAfter())

            story: list[Flowable] = [P(escape(page.title), styles["title"]), P(escape(page.subtitle), styles["subtitle"]),
                                     P(escape(page.byline), styles["byline"]),
                                     HRFlowable(width="100%", thickness=1.5, color=accent, spaceBefore=5, spaceAfter=9.45),
                                     *map(flowable, page.blocks)]  # fmt: skip
            frame = Frame(left, bottom + notes_height, width, height - notes_height, leftPadding=0, rightPadding=0,
                          topPadding=0, bottomPadding=0)  # fmt: skip
            template = Handout(str(out / f"page-{number}.pdf"), pagesize=A4, title=page.title, author="",
                               subject=page.subtitle, keywords=list(page.keywords), creator="yardstick", lang="en",
                               invariant=1, initialFontName="Yard")  # fmt: skip
            template.addPageTemplates([PageTemplate("page", [frame], onPageEnd=footnotes)])
            template.build(story, canvasmaker=partial(CountingCanvas, page=page))
            total += template.page
        return total

    return run


def python_docx_loop(pages: Sequence[Page], out: Path) -> Callable[[], int]:
    """Each handout through python-docx, from a styled template made once (before timing); returns the file count.

    The template holds the styles, the A4 page and the furniture (marking in the header,
    footer text, "Page N of M" as PAGE and NUMPAGES fields), as a developer would keep it
    in a reference file. Each document then gets the title block, bold and italic runs,
    the shaded key-facts box, numbered sources with hyperlinks, real footnotes (a footnotes
    part: python-docx has no API for them) and its core properties.
    """
    import docx
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
    from docx.opc.constants import CONTENT_TYPE, RELATIONSHIP_TYPE
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    from docx.oxml import OxmlElement, parse_xml
    from docx.oxml.ns import nsdecls, qn
    from docx.shared import Mm, Pt, RGBColor

    def template(marking: str, footer_text: str) -> bytes:
        document = docx.Document(io.BytesIO(reference))  # briefgen's reference.docx, as briefgen starts from it
        document.element.body.clear_content()
        section = document.sections[0]
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin = section.bottom_margin = section.left_margin = section.right_margin = Mm(MARGIN_MM)
        document.styles.add_style("Byline", WD_STYLE_TYPE.PARAGRAPH).base_style = document.styles["Normal"]
        document.styles.add_style("Source", WD_STYLE_TYPE.PARAGRAPH).base_style = document.styles["List Number"]
        document.styles["footnote reference"].font.superscript = True
        looks = {"Normal": (10.5, False, TEXT, 0, 5.25), "Title": (20, True, ACCENT, 0, 2.1), "Subtitle": (12.5, False, MUTED, 0, 2.1),
                 "Byline": (9, False, MUTED, 0, 9.45), "Heading 1": (14, True, ACCENT, 11.55, 3.7),
                 "Heading 2": (12, True, ACCENT, 8.4, 3.7), "Heading 3": (10.5, True, TEXT, 7.35, 3.15),
                 "List Bullet": (10.5, False, TEXT, 0, 3.15), "List Number": (10.5, False, TEXT, 0, 3.15),
                 "Source": (9, False, TEXT, 0, 3.15), "Header": (8.5, True, ACCENT, 0, 0), "Footer": (8, False, MUTED, 0, 0)}  # fmt: skip
        for name, (size, bold, colour, before, after) in looks.items():
            look = document.styles[name]
            look.font.name, look.font.size, look.font.bold, look.font.italic = "Arial", Pt(size), bold, False
            look.font.color.rgb = RGBColor.from_string(colour[1:])
            look.paragraph_format.space_before, look.paragraph_format.space_after = Pt(before), Pt(after)
        banner = section.header.paragraphs[0]
        banner.alignment = WD_ALIGN_PARAGRAPH.CENTER
        banner.add_run(marking)
        footer = section.footer.paragraphs[0]
        document.styles["Footer"].paragraph_format.tab_stops.clear_all()
        footer.paragraph_format.tab_stops.add_tab_stop(Mm(210 - 2 * MARGIN_MM), WD_TAB_ALIGNMENT.RIGHT)
        footer.add_run(f"{footer_text}\tPage ")
        footer._p.append(parse_xml(f'<w:fldSimple {nsdecls("w")} w:instr="PAGE"><w:r><w:t>1</w:t></w:r></w:fldSimple>'))
        footer.add_run(" of ")
        footer._p.append(parse_xml(f'<w:fldSimple {nsdecls("w")} w:instr="NUMPAGES"><w:r><w:t>1</w:t></w:r></w:fldSimple>'))
        section.footer.add_paragraph(marking, "Header").alignment = WD_ALIGN_PARAGRAPH.CENTER
        buffer = io.BytesIO()
        document.save(buffer)
        return buffer.getvalue()

    reference = (resources.files("briefgen") / "data" / "reference.docx").read_bytes()
    templates = {furniture: template(*furniture) for furniture in {(page.marking, page.footer) for page in pages}}
    accent = RGBColor.from_string(ACCENT[1:])

    def add_runs(paragraph: Any, items: Sequence[Run], cited: set[int]) -> None:
        for item in items:
            for index, number in enumerate(item.notes):  # a citation: the first of a note is its footnote's mark
                if index:
                    paragraph.add_run(",", "footnote reference")
                mark = paragraph.add_run(style="footnote reference")
                if number in cited:
                    mark.text = str(number)
                else:
                    cited.add(number)
                    mark._r.append(OxmlElement("w:footnoteReference", {qn("w:id"): str(number)}))
            if not item.notes:
                docx_text_run(paragraph, item, accent)

    def add_block(container: Any, block: Block, cited: set[int]) -> None:
        if block.kind == "box":
            cell = container.add_table(rows=1, cols=1).cell(0, 0)
            cell._tc.get_or_add_tcPr().append(parse_xml(
                f'<w:tcBorders {nsdecls("w")}><w:left w:val="single" w:sz="24" w:color="{ACCENT[1:]}"/></w:tcBorders>'))
            cell._tc.get_or_add_tcPr().append(parse_xml(f'<w:shd {nsdecls("w")} w:val="clear" w:fill="{BOX[1:]}"/>'))
            title = cell.paragraphs[0].add_run("".join(run.text for run in block.runs))
            title.bold, title.font.color.rgb = True, accent
            for item in block.items:
                add_block(cell, item, cited)
            return
        style = {"heading": f"Heading {block.level}", "body": "Normal", "source": "Source"}.get(block.kind)
        add_runs(container.add_paragraph(style=style or ("List Bullet" if block.marker == "\u2022" else "List Number")), block.runs, cited)

    def footnotes(notes: Sequence[tuple[int, tuple[Run, ...]]]) -> bytes:
        look = f'<w:color w:val="{MUTED[1:]}"/><w:sz w:val="15"/>'

        def note_runs(items: Sequence[Run]) -> str:
            return "".join(f'<w:r><w:rPr>{"<w:b/>" * item.bold}{"<w:i/>" * item.italic}{look}</w:rPr>'
                           f'<w:t xml:space="preserve">{escape(item.text)}</w:t></w:r>' for item in items)  # fmt: skip

        separators = ('<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
                      '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>')  # fmt: skip
        body = "".join(
            f'<w:footnote w:id="{number}"><w:p><w:pPr><w:spacing w:after="21" w:line="189" w:lineRule="exact"/>'
            f'<w:ind w:left="294" w:hanging="294"/></w:pPr><w:r><w:rPr><w:rStyle w:val="FootnoteReference"/>{look}</w:rPr>'
            f"<w:footnoteRef/></w:r><w:r><w:tab/></w:r>{note_runs(items)}</w:p></w:footnote>"
            for number, items in notes
        )
        return f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:footnotes {nsdecls("w")}>{separators}{body}</w:footnotes>'.encode()

    def run() -> int:
        for number, page in enumerate(pages):
            document = docx.Document(io.BytesIO(templates[page.marking, page.footer]))
            properties = document.core_properties
            properties.title, properties.subject, properties.keywords = page.title, page.subtitle, ", ".join(page.keywords)
            for text, style in ((page.title, "Title"), (page.subtitle, "Subtitle"), (page.byline, "Byline")):
                document.add_paragraph(text, style)
            cited: set[int] = set()
            for block in page.blocks:
                add_block(document, block, cited)
            part = Part(PackURI("/word/footnotes.xml"), CONTENT_TYPE.WML_FOOTNOTES, footnotes(page.notes), document.part.package)
            document.part.relate_to(part, RELATIONSHIP_TYPE.FOOTNOTES)
            document.save(str(out / f"page-{number}.docx"))
        return len(pages)

    return run


def docx_text_run(paragraph: Any, item: Run, accent: Any) -> None:
    """``item``'s text as a run of a python-docx ``paragraph``, inside a hyperlink when it has a URL
    (python-docx has no API for links)."""
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    run = paragraph.add_run(item.text)
    run.bold, run.italic = item.bold or None, item.italic or None
    if item.url:
        run.font.underline, run.font.color.rgb = True, accent
        link = OxmlElement("w:hyperlink", {qn("r:id"): paragraph.part.relate_to(item.url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)})
        link.append(run._r)
        paragraph._p.append(link)


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


# --- a Dask cluster ------------------------------------------------------------------------


def dask_row(project: Path, count: int, rounds: int) -> dict[str, float]:
    """PDF handouts on a LocalCluster of 2 single-threaded worker processes against ``--jobs 2``.

    Paired and interleaved: each round runs ``--jobs 2`` (which starts its
    pool, as every local batch does) and then the cluster (long-lived, as a
    cluster is; warmed by one small batch first); the throughput ratio is
    taken per round. CPU per job beside it: this process and its pool's workers, or
    this process (client and scheduler) and the cluster's workers. Bytes sent per job:
    the pickled tasks (a few jobs each) shared out over their jobs, and the snapshot,
    sent once per worker, shared out over the jobs; bytes back: the job's files.
    """
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        print("Dask: not installed (pip install 'briefgen[dask]'), no row")
        return {}
    from briefgen.batch.cluster import DaskExecutor, _chunks
    from briefgen.batch.snapshot import take_snapshot

    def own_cpu() -> float:
        return sum(usage.ru_utime + usage.ru_stime for usage in map(resource.getrusage, (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)))

    wall: dict[str, list[float]] = {"jobs2": [], "dask": []}
    cpu: dict[str, list[float]] = {"jobs2": [], "dask": []}
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster, set_as_default=False) as client:  # fmt: skip
        def workers_cpu() -> float:
            return sum(client.run(_process_cpu).values())

        executor = DaskExecutor(cluster.scheduler_address)
        batch(plan(8, "pdf", "warm-dask"), root=project, executor=executor)
        for _ in range(rounds):
            seconds, own, workers = timed(lambda: batch(plan(count, "pdf", "pair-jobs2"), root=project, jobs=2, force=True))
            wall["jobs2"].append(seconds)
            cpu["jobs2"].append(own + workers)
            before = own_cpu() + workers_cpu()
            start = time.perf_counter()
            batch(plan(count, "pdf", "pair-dask"), root=project, executor=executor, force=True)
            wall["dask"].append(time.perf_counter() - start)
            cpu["dask"].append(own_cpu() + workers_cpu() - before)
    checked = load_plan(plan(count, "pdf", "pair-dask"), root=project)
    snapshot = take_snapshot(checked.context)
    chunks = _chunks(checked.jobs, threads=2)
    per_job = sum(len(pickle.dumps((chunk, snapshot.context, snapshot.digest, snapshot.client_root))) for chunk in chunks) / len(checked.jobs)
    back = statistics.median((project / "pair-dask" / f"{job.label}.pdf").stat().st_size for job in checked.jobs)
    throughput = ratios(wall["jobs2"], wall["dask"])
    per_page = 1000 / count
    print(f"PDF on Dask, {count} handouts, {rounds} paired rounds: median (min-max); load average {os.getloadavg()[0]:.2f}")
    print(f"  briefgen --jobs 2          wall {Spread.of(wall['jobs2']).show(' s', 2)}  CPU/page {Spread.of(cpu['jobs2']).scaled(per_page).show(' ms', 1)}")
    print(f"  LocalCluster 2 x 1 thread  wall {Spread.of(wall['dask']).show(' s', 2)}  CPU/page {Spread.of(cpu['dask']).scaled(per_page).show(' ms', 1)}")
    print(f"  cluster throughput / --jobs 2's: wall {throughput.show('x', 2)}, CPU {ratios(cpu['jobs2'], cpu['dask']).show('x', 2)} (target >= 0.9x)")
    print(f"  sent per job: {per_job:.0f} bytes of task ({len(chunks)} tasks), plus the {len(snapshot.data):,}-byte snapshot once per worker "
          f"({2 * len(snapshot.data) / count:.0f} bytes per job at {count} jobs); back: the PDF, median {back:,.0f} bytes")
    return {"dask_throughput_ratio": throughput.median, "dask_bytes_per_job": per_job, "dask_snapshot_bytes": len(snapshot.data)}


def _process_cpu() -> float:
    """CPU seconds of the process it runs in (on a Dask worker, through ``client.run``)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


# --- the run -------------------------------------------------------------------------------


def forget_fits() -> None:
    """Remove the cache's record of earlier fits: the next DOCX run lays every handout out, as a first build does."""
    shutil.rmtree(cache.cache_dir() / "fit", ignore_errors=True)


@dataclass(frozen=True, slots=True)
class Side:
    """One side of a paired round: ``action`` is timed, ``prepare`` (untimed) runs just before it."""

    label: str
    action: Callable[[], object]
    prepare: Callable[[], object] = lambda: None


def format_row(project: Path, pages: Sequence[Page], count: int, fmt: str, rounds: int) -> dict[str, float]:
    """The yardstick, ``--jobs 1`` and ``--jobs 2`` in turn, ``rounds`` times; for DOCX also a rebuild.

    A DOCX-only job lays its handout out to check the page limit (as PDF: the one
    paginating writer) and keeps which facts that layout dropped in the cache, so that
    building the same document again recalls it. Every handout of the batch is a
    document of its own, and the record of earlier fits is removed before each first-build side,
    so ``--jobs 1`` and ``--jobs 2`` lay out every handout; the rebuild side runs after
    them and recalls the fits they kept (what rebuilding unchanged handouts costs).
    """
    yard_out = project / f"yardstick-{fmt}"
    yard_out.mkdir()
    yardstick = (reportlab_loop if fmt == "pdf" else python_docx_loop)(pages, yard_out)
    batch(plan(1, fmt, f"warm-{fmt}"), root=project, jobs=1)  # fonts and reference DOCX loaded, as the yardstick's are
    if yardstick() != len(pages):
        raise RuntimeError(f"the {fmt} yardstick did not write one page per handout")
    fresh = forget_fits if fmt == "docx" else (lambda: None)
    sides = {
        "yardstick": Side("reportlab loop" if fmt == "pdf" else "python-docx loop", yardstick),
        "jobs1": Side("briefgen --jobs 1", lambda: batch(plan(count, fmt, f"jobs1-{fmt}"), root=project, jobs=1, force=True), fresh),
        "jobs2": Side("briefgen --jobs 2", lambda: batch(plan(count, fmt, f"jobs2-{fmt}"), root=project, jobs=2, force=True), fresh),
    }
    if fmt == "docx":
        sides["rebuild"] = Side("  rebuilt, fits kept", lambda: batch(plan(count, fmt, f"jobs1-{fmt}"), root=project, jobs=1, force=True))
    wall: dict[str, list[float]] = {name: [] for name in sides}
    cpu: dict[str, list[float]] = {name: [] for name in sides}
    parent: list[float] = []  # --jobs 2: this process's CPU (planning, receiving, writing), beside its workers'
    for _ in range(rounds):  # paired, interleaved: each round runs the sides in turn
        for name, side in sides.items():
            side.prepare()
            seconds, own, workers = timed(side.action)
            wall[name].append(seconds)
            cpu[name].append(own + workers)
            if name == "jobs2":
                parent.append(own)
    planning = Spread.of([timed(lambda: load_plan(plan(count, fmt, f"jobs2-{fmt}"), root=project))[1] for _ in range(rounds)])
    ratio, cpu_ratio = ratios(wall["yardstick"], wall["jobs1"]), ratios(cpu["yardstick"], cpu["jobs1"])
    speedup = ratios(wall["jobs1"], wall["jobs2"])
    figures = {f"{fmt}_yardstick_per_s": len(pages) / Spread.of(wall["yardstick"]).median,
               f"{fmt}_jobs1_per_s": len(pages) / Spread.of(wall["jobs1"]).median,
               f"{fmt}_ratio": ratio.median, f"{fmt}_speedup": speedup.median}  # fmt: skip
    per_page = 1000 / len(pages)
    first = " (first build: every handout laid out)" if fmt == "docx" else ""
    print(f"{fmt.upper()}, {len(pages)} handouts, {rounds} paired rounds: median (min-max){first}")
    for name, side in sides.items():
        print(f"  {side.label:<20} wall {Spread.of(wall[name]).show(' s', 2)}  CPU/page {Spread.of(cpu[name]).scaled(per_page).show(' ms', 1)}")
    print(f"  --jobs 1 throughput / the yardstick's: wall {ratio.show('x', 2)}, CPU {cpu_ratio.show('x', 2)} (target >= 0.7x)")
    if "rebuild" in sides:
        rebuilt = ratios(wall["yardstick"], wall["rebuild"])
        figures[f"{fmt}_rebuild_ratio"] = rebuilt.median
        print(f"  rebuilt --jobs 1 / the yardstick's:    wall {rebuilt.show('x', 2)}, CPU {ratios(cpu['yardstick'], cpu['rebuild']).show('x', 2)}")
    print(f"  --jobs 2 speed-up over --jobs 1:       {speedup.show('x', 2)} (expected >= 1.6x on two idle cores); "
          f"CPU per page of --jobs 2 / --jobs 1's: {ratios(cpu['jobs2'], cpu['jobs1']).show('x', 2)}")
    # Two idle cores at best: planning alone, then the rest of both sides' CPU shared by the two cores.
    bound = [one / (planning.median + (total - planning.median) / 2) for one, total in zip(cpu["jobs1"], cpu["jobs2"], strict=True)]
    workers = [total - own for total, own in zip(cpu["jobs2"], parent, strict=True)]
    print(f"  --jobs 2 CPU/page: the batch process {Spread.of(parent).scaled(per_page).show(' ms', 1)} (planning, before any job: "
          f"{planning.scaled(per_page).show(' ms', 1)}), its workers {Spread.of(workers).scaled(per_page).show(' ms', 1)}; "
          f"from these CPU times two idle cores give at most {Spread.of(bound).show('x', 2)}")
    figures[f"{fmt}_speedup_cpu_bound"] = Spread.of(bound).median
    return figures


PARTS = ("pdf", "docx", "dask", "memory")


def run(count: int, memory_counts: tuple[int, int], rounds: int = MIN_ROUNDS, parts: Sequence[str] = PARTS) -> dict[str, float]:
    warnings.simplefilter("ignore", BriefgenWarning)
    figures: dict[str, float] = {}
    with contextlib.ExitStack() as stack:
        folder = stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-batch-"))
        stack.enter_context(mock.patch.dict(os.environ, {"BRIEFGEN_CACHE_DIR": str(Path(folder) / "cache")}))  # no entry of earlier runs
        project = make_project(Path(folder) / "project")
        pages = same_pages(project, count)
        print(f"{len(pages)} one-page handouts (the repository's handout brief, 8 topics; each a document of its own); "
              f"load average {os.getloadavg()[0]:.2f}")
        for fmt in ("pdf", "docx"):
            if fmt in parts:
                figures |= format_row(project, pages, count, fmt, rounds)
        if "dask" in parts:
            figures |= dask_row(project, count, rounds)
        small, large = memory_counts
        for jobs in (1, 2) if "memory" in parts else ():
            low, high = peak_memory(project, small, jobs), peak_memory(project, large, jobs)
            figures |= {f"memory_jobs{jobs}_{small}_mib": low, f"memory_jobs{jobs}_{large}_mib": high}
            who = "the process" if jobs == 1 else "the largest worker"
            print(f"peak memory, --jobs {jobs} ({who}): {small} jobs {low:6.1f} MiB, {large} jobs {high:6.1f} MiB")
        print(f"load average at the end {os.getloadavg()[0]:.2f}")
    return figures


def main(argv: list[str] | None = None) -> dict[str, float]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs-count", type=int, default=200, help="handouts per run (a multiple of 8)")
    parser.add_argument("--rounds", type=int, default=MIN_ROUNDS, help=f"paired rounds (at least {MIN_ROUNDS})")
    parser.add_argument("--parts", default=",".join(PARTS), help=f"which rows, of {','.join(PARTS)}")
    parser.add_argument("--quick", action="store_true", help="a few jobs only, to check the benchmark still runs")
    parser.add_argument("--memory-child", type=int, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--jobs", type=int, default=1, help=argparse.SUPPRESS)
    parser.add_argument("--project", type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.memory_child is not None:
        memory_child(args.project, args.memory_child, args.jobs)
        return {}
    if args.quick:
        return run(4, (2, 4), rounds=1)
    parts = [part for part in args.parts.split(",") if part]
    if unknown := set(parts) - set(PARTS):
        parser.error(f"--parts: unknown {', '.join(sorted(unknown))} (choose from {', '.join(PARTS)})")
    return run(args.jobs_count, (50, args.jobs_count), max(args.rounds, MIN_ROUNDS), parts)


if __name__ == "__main__":
    main()
