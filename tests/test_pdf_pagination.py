"""Tests of the PDF writer's pagination: page bodies, table splits, keep-with-next, long notes.

The writer keeps a record of how each page ended (``PageEnd``): the room left
in the body above the page's notes and, where a table goes on over the page,
what its next row with its notes needs. Long chronologies come from
``benchmarks/generate_registry.py`` (the shipped facts plus synthetic copies
citing real passages) or are built here as documents.
"""

from __future__ import annotations

import datetime as dt
import gc
import io
import re
import runpy
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from pypdf import PdfReader

from briefgen.build import brief_parameters, render_document, resolve_theme
from briefgen.errors import RenderError
from briefgen.model import (
    Cite,
    Document,
    Heading,
    Meta,
    Note,
    Paragraph,
    Table,
    Text,
    Timeline,
    TimelineEntry,
    TimelineGroup,
)
from briefgen.project import load_project
from briefgen.registry.loader import load_registry
from briefgen.templating.briefs import load_brief
from briefgen.themes import NotePlacement, PageSize, Theme
from briefgen.writers.pdf.blocks import MeasuredParagraph
from briefgen.writers.pdf.page import PageEnd
from briefgen.writers.pdf.writer import write_pdf

GENERATOR = Path(__file__).resolve().parents[1] / "benchmarks" / "generate_registry.py"
AS_OF = "2026-11-23"


def chronology_of(facts: int, root: Path) -> tuple[Document, Theme]:
    """The chronology of a generated project of ``facts`` facts (``benchmarks/generate_registry.py``), in its theme."""
    project = load_project(runpy.run_path(str(GENERATOR))["make_project"](root, facts))
    brief = load_brief("chronology", project.templates_dir)
    registry = load_registry(project.facts_dir, as_of=AS_OF)
    doc = render_document(brief, registry, brief_parameters(brief, project.params, {}, [brief]))
    return doc, resolve_theme(project.theme or brief.front_matter.theme, project.templates_dir)


def test_every_page_of_a_150_fact_chronology_keeps_its_whole_body(tmp_path: Path) -> None:
    """Before, each page lost the notes' space of all earlier pages: page 10 of this chronology had none left."""
    doc, theme = chronology_of(150, tmp_path / "project")
    pages, record = laid_out(doc, theme)
    assert len(pages) >= 6
    for number, end in enumerate(record[:-1], start=1):
        assert end.next_row is not None, f"page {number} does not end inside the timeline"
        assert end.room < end.next_row or end.widow_kept, f"page {number}: {end.room:.1f} pt left, next row needs {end.next_row:.1f}"


def test_a_new_page_gives_the_frame_back_the_space_of_the_last_pages_notes() -> None:
    from reportlab.pdfgen.canvas import Canvas
    from reportlab.platypus import Spacer

    from briefgen.writers.pdf.footnotes import FootnoteFrame

    frame = FootnoteFrame(50, 50, 400, 700, leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    block = Spacer(10, 100)
    block.reserved = 150.0  # what a ``Noted`` block hands over when it is drawn
    assert frame.add(block, Canvas(io.BytesIO()))
    assert frame._y1p == 200
    frame._reset()
    assert (frame._y1p, frame._y) == (50, 750)


# --- the layout's record of each page ------------------------------------------------------

META = Meta("Belarus and China", subtitle="Chronology", date=dt.date(2026, 1, 20))
EVENT = "Belarus and China signed an agreement on cooperation in trade, science and education"


def cite(number: int) -> Cite:
    return Cite((f"fact-{number}",), (number,))


def notes(count: int, locator: str = "History, para. {n}") -> tuple[Note, ...]:
    return tuple(Note(n, f"fact-{n}", (Text(f"Belarus–China relations (Wikipedia), {locator.format(n=n)}"),))
                 for n in range(1, count + 1))


def timeline(events: int, first_note: int = 1) -> Timeline:
    """Events grouped by year, each citing its own note; every fifth event runs to three lines."""
    rows: list[TimelineGroup | TimelineEntry] = []
    for i in range(events):
        if i % 9 == 0:
            rows.append(TimelineGroup(str(1990 + i // 9)))
        words = f"{EVENT} ({i})." + (f" {EVENT}, renewed for five years." if i % 5 == 0 else "")
        rows.append(TimelineEntry(f"{1 + i % 28} March {1990 + i // 9}", (Text(words), cite(first_note + i))))
    return Timeline(tuple(rows))


def laid_out(doc: Document, theme: Theme) -> tuple[list[str], list[PageEnd]]:
    record: list[PageEnd] = []
    rendered = write_pdf(doc, theme, record=record)
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(rendered.data)).pages]
    assert len(record) == len(pages) == rendered.pages
    return pages, record


@pytest.mark.parametrize("size", [PageSize.A4, PageSize.LETTER])
def test_no_page_ends_with_room_for_the_next_row_of_a_long_timeline(size: PageSize) -> None:
    doc = Document(META, (Heading(2, (Text("Chronology"),)), timeline(300)), notes(300))
    pages, record = laid_out(doc, Theme(page_size=size))
    assert len(pages) >= 10
    breaks = [end for end in record[:-1] if end.next_row is not None]
    assert len(breaks) == len(record) - 1  # the timeline goes over every page
    for number, end in enumerate(record[:-1], start=1):
        assert end.room < end.next_row or end.widow_kept, f"page {number}: {end.room:.1f} pt left, next row needs {end.next_row:.1f}"
        assert not end.ends_with_heading
    # each page's notes are the notes of its rows: every event and its note on the same page
    for page in pages:
        for event in re.findall(r"\((\d+)\)\.", page):
            assert f"para. {int(event) + 1}\n" in page + "\n", f"note of event {event} is not on its page"


class _Alive(list[PageEnd]):
    """A page record that also counts, as each page ends, the paragraphs still alive."""

    def __init__(self) -> None:
        super().__init__()
        self.paragraphs: list[int] = []

    def append(self, end: PageEnd) -> None:
        super().append(end)
        self.paragraphs.append(sum(isinstance(thing, MeasuredParagraph) for thing in gc.get_objects()))


def test_a_long_timeline_lets_go_of_its_drawn_rows_and_notes_page_by_page() -> None:
    """The collector is paused while a PDF is written: drawn rows and notes must be freed as the pages go, not at the end."""
    gc.collect()
    record = _Alive()
    write_pdf(Document(META, (timeline(300),), notes(300)), Theme(), record=record)
    assert len(record) >= 10
    alive = record.paragraphs
    assert alive == sorted(alive, reverse=True)  # fewer on every page
    assert alive[-1] < alive[0] / 10, alive  # 300 events, 34 year rows, 300 notes: nearly all gone by the last page


def test_a_heading_keeps_with_the_first_row_of_a_timeline_not_the_whole_timeline() -> None:
    """A '##' heading and a 14-event timeline that fits on no page remainder start on page 1."""
    opening = tuple(Paragraph((Text(f"{EVENT}, paragraph {i}. " * 4), cite(i + 1))) for i in range(6))
    doc = Document(META, (*opening, Heading(2, (Text("Recent developments"),)), timeline(14, first_note=7)), notes(20))
    pages, record = laid_out(doc, Theme())
    assert len(pages) == 2
    assert "Recent developments" in pages[0] and "(0)." in pages[0]  # the heading and at least the first event
    assert record[0].room < record[0].next_row


def test_no_heading_ends_a_page() -> None:
    """Sections of varied length put headings at every height of the page; none is left at the foot."""
    blocks: list = []
    for i in range(60):
        blocks += [Heading(2 + i % 2, (Text(f"Section {i}"),)),
                   Paragraph((Text(f"{EVENT}. " * (1 + i % 7)), cite(i + 1)))]
    pages, record = laid_out(Document(META, tuple(blocks), notes(60)), Theme())
    assert len(pages) >= 4
    assert not any(end.ends_with_heading for end in record)
    for i in range(60):  # and the heading is on the page where its section starts
        page = next(p for p in pages if f"Section {i}\n" in p)
        assert f"{EVENT}." in page.split(f"Section {i}\n", 1)[1]


def test_the_last_row_of_a_table_is_not_left_alone_on_a_page() -> None:
    def table(rows: int) -> Table:
        return Table(header=((Text("Actor"),), (Text("Position"),)),
                     rows=tuple(((Text(f"Actor {i}"),), (Text(f"{EVENT}, row {i}."), cite(i + 1))) for i in range(rows)))

    rows = next(n for n in range(2, 80) if write_pdf(Document(META, (table(n),), notes(n)), Theme()).pages == 2)
    pages, record = laid_out(Document(META, (table(rows),), notes(rows)), Theme())
    # one row more than fits on page 1: without widow control page 2 would hold only the last row
    assert "Actor 0\n" in pages[0] and f"Actor {rows - 3}\n" in pages[0]
    assert f"Actor {rows - 2}\n" in pages[1] and f"Actor {rows - 1}\n" in pages[1]
    assert record[0].widow_kept


# --- notes too long for a page -------------------------------------------------------------


def long_locator(characters: int) -> tuple[str, list[str]]:
    """A locator of about ``characters`` characters whose words ("folio0", "folio1"...) the body never holds."""
    words: list[str] = []
    length = 0
    while length < characters:
        words.append(f"folio{len(words)}")
        length += len(words[-1]) + 1
    return "History, " + " ".join(words), words


def pdf_words(data: bytes) -> list[str]:
    """The words of a PDF in reading order, page after page (pdftotext where installed)."""
    if shutil.which("pdftotext") is None:
        return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).split()
    return subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True).stdout.decode().split()


def test_a_note_taller_than_a_page_runs_on_over_the_next_page_as_in_word() -> None:
    locator, words = long_locator(10_000)  # 80 lines of notes: more than three quarters of the body
    doc = Document(META, (timeline(40),), (*notes(9), Note(10, "relations-1992", (Text(locator),)), *notes(40)[10:]))
    record: list[PageEnd] = []
    rendered = write_pdf(doc, Theme(), record=record)
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(rendered.data)).pages]
    assert [word for word in pdf_words(rendered.data) if word.startswith("folio")] == words  # all of it, in order
    cited = next(number for number, page in enumerate(pages) if "(9)." in page)
    assert "folio0 " in pages[cited] and words[-1] not in pages[cited]  # it starts under the row that cites it
    assert words[-1] in pages[cited + 1]  # and ends on the next page, above that page's own notes
    assert "para. 11" in pages[cited + 1].split(words[-1], 1)[1]
    assert all(end.room >= 0 for end in record)  # no page's body runs into its notes
    assert write_pdf(doc, Theme(notes=NotePlacement.ENDNOTES)).pages >= 2  # as an endnote it simply runs on


def test_a_megabyte_locator_runs_on_over_a_hundred_pages_in_linear_time() -> None:
    locator, words = long_locator(1_000_000)
    doc = Document(META, (timeline(40),), (*notes(9), Note(10, "relations-1992", (Text(locator),)), *notes(40)[10:]))
    started = time.process_time()
    rendered = write_pdf(doc, Theme())
    assert time.process_time() - started < 2  # measuring the note whole took 18 s; 1.1 s on a loaded machine
    assert rendered.pages > 90  # the body's 40 rows take 3 pages; the note the rest, whole pages after the body
    assert [word for word in pdf_words(rendered.data) if word.startswith("folio")] == words


def test_a_long_note_that_fits_goes_to_the_foot_of_its_page() -> None:
    locator = " ".join(f"section {i}, paragraph {i}" for i in range(150))  # half a page of note
    doc = Document(META, (timeline(40),), (*notes(19), Note(20, "long-one", (Text(locator),)), *notes(40)[20:]))
    pages, record = laid_out(doc, Theme())
    page = next(p for p in pages if "(19)." in p)
    assert "section 149, paragraph 149" in page
    assert all(end.room < end.next_row for end in record[:-1])


def test_a_row_and_its_notes_taller_than_a_page_is_one_clear_error() -> None:
    row = " ".join(["Belarus and China signed an agreement."] * 40)  # half a page, not a cell taller than a page
    locator = " ".join(f"section {i}, paragraph {i}" for i in range(200))
    table = Table(header=((Text("Actor"),), (Text("Position"),)), rows=(((Text("Belarus"),), (Text(row), cite(1))),))
    with pytest.raises(RenderError, match=r"^page 2: a block and the notes it cites do not fit on one page"):
        write_pdf(Document(META, (table,), (Note(1, "long-one", (Text(locator),)),)), Theme())
