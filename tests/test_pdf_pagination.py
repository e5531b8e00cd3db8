"""Tests of the PDF writer's pagination at scale: page bodies, table splits, keep-with-next.

The long registries are the shipped facts plus synthetic events that reuse
the shipped events' statements, sources and quotes (so they validate against
the archives) at other dates: what a desk's registry looks like after weeks.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import random
import re
import shutil
import time
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

from briefgen.build import build
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
from briefgen.themes import NotePlacement, PageSize, Theme
from briefgen.writers.pdf.page import PageEnd
from briefgen.writers.pdf.writer import write_pdf

REPO = Path(__file__).resolve().parents[1]
AS_OF = "2026-11-23"


def grown_project(root: Path, events: int) -> Path:
    """A copy of the shipped project whose registry has ``events`` more events, reusing real quotes."""
    shutil.copytree(REPO / "facts", root / "facts")
    shutil.copytree(REPO / "templates", root / "templates")
    shutil.copy(REPO / "briefgen.yaml", root / "briefgen.yaml")
    shipped = [
        fact
        for path in sorted((REPO / "facts").glob("*.yaml"))
        for fact in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("facts", [])
        if fact.get("kind") == "event" and "sources" in fact
    ]
    rng = random.Random(10)
    synthetic = []
    for number in range(events):
        fact = {key: value for key, value in rng.choice(shipped).items()
                if key in ("statement", "kind", "topics", "actors", "priority", "sources")}
        fact["id"] = f"synthetic-{number:05d}"
        fact["date"] = f"{rng.randint(1950, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        synthetic.append(fact)
    (root / "facts" / "synthetic.yaml").write_text(yaml.safe_dump({"facts": synthetic}, sort_keys=False),
                                                   encoding="utf-8")
    return root


def test_a_chronology_of_150_facts_builds_and_every_page_keeps_its_body(tmp_path: Path) -> None:
    """Each page loses only its own notes' space: before, page 10 of this chronology had no room left."""
    project = dataclasses.replace(load_project(grown_project(tmp_path, 90)), out_dir=tmp_path / "out")
    [result] = build(["chronology"], project=project, formats=("pdf",), as_of=AS_OF)
    reader = PdfReader(io.BytesIO(result.paths[0].read_bytes()))
    assert len(reader.pages) >= 6
    # Every page but the last is full: its body and its notes reach the foot (the last note
    # line is near the footer rule), so no page's body has shrunk by earlier pages' notes.
    for number, page in enumerate(reader.pages[:-1], start=1):
        lowest = _lowest_text(page)
        assert lowest < 110, f"page {number} ends at y={lowest:.0f}"


def _lowest_text(page: object) -> float:
    """The y of the lowest line of text above the footer (pt from the bottom of the page)."""
    ys: list[float] = []

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: object) -> None:
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        if text.strip() and y > 60:  # the footer and banner sit below 60 pt
            ys.append(y)

    page.extract_text(visitor_text=visit)  # type: ignore[attr-defined]
    return min(ys)


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


def test_a_note_too_long_for_the_foot_of_a_page_is_refused_naming_its_fact() -> None:
    locator = " ".join(f"section {i}, paragraph {i}" for i in range(400))  # about 10,000 characters
    doc = Document(META, (timeline(3),), (*notes(1), Note(2, "relations-1992", (Text(locator),)), *notes(3)[2:]))
    with pytest.raises(RenderError) as raised:
        write_pdf(doc, Theme())
    assert str(raised.value).splitlines() == [
        "the note of fact relations-1992 is too long for the foot of a page (more than 75% of the page's body) "
        "(shorten the citation's locator, or use a theme with notes: endnotes)"]
    assert write_pdf(doc, Theme(notes=NotePlacement.ENDNOTES)).pages >= 2  # as an endnote it simply runs on


def test_a_megabyte_locator_is_refused_without_laying_it_out() -> None:
    locator = "History, " + "s1 p2 " * 170_000
    doc = Document(META, (timeline(1),), (Note(1, "relations-1992", (Text(locator),)),))
    started = time.process_time()
    with pytest.raises(RenderError, match="relations-1992"):
        write_pdf(doc, Theme())
    assert time.process_time() - started < 3  # laying the note out took 18 s


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
