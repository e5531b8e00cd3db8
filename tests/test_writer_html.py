"""Tests for briefgen.writers.html: one self-contained, accessible HTML5 page per document."""

from __future__ import annotations

import dataclasses
import re
import shutil
from pathlib import Path

import lxml.html
import pytest
from click.testing import CliRunner

from briefgen.cli import main
from briefgen.model import (
    BlockQuote,
    Box,
    BulletList,
    Cite,
    Document,
    Emph,
    Heading,
    HorizontalRule,
    LineBreak,
    Link,
    ListItem,
    Meta,
    Note,
    OrderedList,
    PageBreak,
    Paragraph,
    SourceEntry,
    SourceList,
    Span,
    Strong,
    Table,
    Text,
    Timeline,
    TimelineEntry,
    TimelineGroup,
    walk,
)
from briefgen.themes import Theme
from briefgen.writers.html import write_html

REPO = Path(__file__).resolve().parents[1]
WIKI = "https://en.wikipedia.org/wiki/Belarus%E2%80%93China_relations"


def cite(*numbers: int) -> Cite:
    return Cite(tuple(f"fact-{n}" for n in numbers), numbers)


def sample() -> Document:
    """A document using every block and inline type, with headings that skip a level as templates write them."""
    blocks = (
        Heading(2, (Text("Summary"),)),
        Paragraph((Text("Relations began in 1992 "), Emph((Text("all-weather"),)), LineBreak(), cite(1))),
        Box("keyfacts", (BulletList((ListItem((Strong((Text("Trade: "),)), Text("$8 billion"), cite(2))),)),), title="Key facts"),
        Box("callout", (Paragraph((Text("Mind the date."), cite(1))),), title="Note well"),
        Heading(3, (Text("Trade"),)),
        Table(header=((Text("Year"),), (Text("Value"),)), rows=(((Text("2023"),), (Text("8"), cite(2))),),
              widths=(1, 3), style="compact"),
        Table(header=((Text("A"),),), rows=(((Text("b"),),),), caption=(Text("Table 2: letters"), cite(3))),
        OrderedList((ListItem((Text("first"), cite(3))), ListItem((Text("second"),))), start=3),
        BlockQuote((Paragraph((Text("A quote"), cite(1))),)),
        HorizontalRule(),
        PageBreak(),
        Heading(2, (Text("Chronology"),)),
        Timeline((TimelineGroup("1990s"), TimelineEntry("20 January 1992", (Text("Relations"), cite(1))),
                  TimelineGroup("2020s"), TimelineEntry("2026", (Text("Anniversary"),)))),
        Heading(1, (Text("Sources"),)),
        SourceList((SourceEntry("wiki", (Span("ru", (Emph((Text("Белорусско-китайские отношения"),)),)), Text(", "),
                                         Link(WIKI, (Text(WIKI),)))),)),
    )
    notes = tuple(Note(n, f"fact-{n}", (Text(f"Source {n}, para. {n}"),)) for n in (1, 2, 3))
    meta = Meta("Belarus & China", subtitle="Overview", marking="OFFICIAL", language="en", author="Desk")
    return Document(meta, blocks, notes)


@pytest.fixture(scope="module")
def page() -> lxml.html.HtmlElement:
    return lxml.html.fromstring(write_html(sample(), Theme(header_text="Ministry desk", footer_text="Not for publication")).data)


def test_the_sample_uses_every_model_type() -> None:
    from briefgen import model

    wanted = {name for name in model.__all__ if isinstance(getattr(model, name), type)}
    assert wanted <= {type(node).__name__ for node in walk(sample())}


def test_text_in_another_language_says_its_language(page: lxml.html.HtmlElement) -> None:
    [span] = page.xpath("//span[@lang]")
    assert span.get("lang") == "ru" and span.text_content() == "Белорусско-китайские отношения"


def test_language_title_and_one_h1(page: lxml.html.HtmlElement) -> None:
    assert page.get("lang") == "en"
    assert page.findtext(".//title") == "Belarus & China"
    assert [h.text_content() for h in page.iter("h1")] == ["Belarus & China"]


def test_headings_are_in_order_without_jumps(page: lxml.html.HtmlElement) -> None:
    levels = [int(h.tag[1]) for h in page.iter("h1", "h2", "h3", "h4", "h5", "h6")]
    assert levels[0] == 1 and all(b <= a + 1 for a, b in zip(levels, levels[1:]))
    headings = [(h.tag, h.text_content()) for h in page.iter("h2", "h3")]
    assert headings == [("h2", "Summary"), ("h3", "Trade"), ("h2", "Chronology"), ("h2", "Sources"), ("h2", "Notes")]


def test_notes_link_both_ways(page: lxml.html.HtmlElement) -> None:
    ids = {element.get("id") for element in page.iter() if element.get("id")}
    refs = page.find_class("noteref")
    assert [ref.text for ref in refs] == ["1", "2", "1", "2", "3", "3", "1", "1"]
    for ref in refs:
        assert ref.get("href") == f"#note-{ref.text}" and ref.get("id") in ids
    notes = page.xpath("//section[@class='notes']/ol/li")
    assert [note.get("id") for note in notes] == ["note-1", "note-2", "note-3"]
    backs = {note.get("id"): [a.get("href") for a in note.find_class("backref")] for note in notes}
    assert backs["note-1"] == ["#cite-1-1", "#cite-1-2", "#cite-1-3", "#cite-1-4"]
    assert all(href[1:] in ids for hrefs in backs.values() for href in hrefs)
    assert "Source 2, para. 2" in notes[1].text_content()


def test_tables_have_header_scopes_and_captions(page: lxml.html.HtmlElement) -> None:
    tables = page.findall(".//table")
    assert len(tables) == 3
    for table in tables:
        assert table[0].tag == "caption" and table[0].text_content().strip()
        assert all(th.get("scope") in {"col", "row", "rowgroup"} for th in table.iter("th"))
    assert tables[0].find("caption").text_content() == "Trade"  # the section it is in, for screen readers
    assert tables[1].find("caption").text_content() == "Table 2: letters3"
    assert [col.get("style") for col in tables[0].iter("col")] == ["width:25.0%", "width:75.0%"]
    timeline = tables[2]
    assert [th.text_content() for th in timeline.xpath(".//th[@scope='rowgroup']")] == ["1990s", "2020s"]
    assert [th.text_content() for th in timeline.xpath(".//th[@scope='row']")] == ["20 January 1992", "2026"]


def test_key_facts_are_an_aside_and_other_boxes_notes(page: lxml.html.HtmlElement) -> None:
    aside = page.find(".//aside")
    assert aside.get("aria-label") == "Key facts" and "$8 billion" in aside.text_content()
    assert page.xpath("//div[@role='note']")[0].get("aria-label") == "Note well"


def test_marking_is_a_banner_at_top_and_bottom(page: lxml.html.HtmlElement) -> None:
    header, footer = page.find(".//header"), page.find(".//footer")
    assert [p.text for p in header.find_class("marking")] == ["OFFICIAL"] == [p.text for p in footer.find_class("marking")]
    assert "Ministry desk" in header.text_content() and "Not for publication" in footer.text_content()


def test_links_and_sources_as_in_the_pdf(page: lxml.html.HtmlElement) -> None:
    sources = page.find_class("sources")[0]
    assert sources.tag == "ol" and sources[0].get("id") == "source-wiki"
    assert sources.find(".//a").get("href") == WIKI and sources.find(".//em").text == "Белорусско-китайские отношения"


def test_self_contained_with_a_print_stylesheet() -> None:
    data = write_html(sample(), Theme()).data.decode()
    assert not re.search(r"""(src|href)=["']?(https?:)?//|<link|@import|url\((?!data:)""", data.replace(WIKI, ""))
    assert "@media print" in data and "@page { size: A4; margin: 20.0mm" in data
    assert "<script" not in data


def test_logo_is_inline_and_watermark_hidden_from_screen_readers(tmp_path: Path) -> None:
    logo = tmp_path / "logo.png"
    from PIL import Image

    Image.new("RGB", (4, 2), "navy").save(logo)
    page = lxml.html.fromstring(write_html(sample(), Theme(logo=logo, logo_alt="Ministry crest", watermark="DRAFT")).data)
    assert page.find(".//img").get("src").startswith("data:image/png;base64,")
    assert page.find(".//img").get("alt") == "Ministry crest"
    assert page.find_class("watermark")[0].get("aria-hidden") == "true"
    logo.write_text("not an image")
    with pytest.raises(Exception, match="logo"):
        write_html(sample(), Theme(logo=logo))


def test_same_input_same_bytes() -> None:
    assert write_html(sample(), Theme()).data == write_html(sample(), Theme()).data


def test_letter_and_margins_reach_the_print_stylesheet() -> None:
    from briefgen.themes import Margins, PageSize

    theme = dataclasses.replace(Theme(), page_size=PageSize.LETTER, margins=Margins(10, 11, 12, 13))
    assert "@page { size: Letter; margin: 10mm 11mm 12mm 13mm; }" in write_html(sample(), theme).data.decode()


def test_build_and_batch_write_html(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(REPO / "facts", tmp_path / "facts")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["build", "overview", "--format", "html", "--as-of", "2026-11-23"])
    assert result.exit_code == 0, result.output
    page = lxml.html.fromstring((tmp_path / "output" / "overview.html").read_bytes())
    assert "established diplomatic relations on 20 January 1992" in page.text_content()
    (tmp_path / "plan.yaml").write_text(
        "as_of: 2026-11-23\nout: output\njobs:\n  - {brief: chronology, output: chrono-html, format: [html, pdf]}\n",
        encoding="utf-8")
    result = CliRunner().invoke(main, ["batch", "plan.yaml", "--jobs", "1"])
    assert result.exit_code == 0, result.output
    built = lxml.html.fromstring((tmp_path / "output" / "chrono-html.html").read_bytes())
    assert built.find(".//table[@class='timeline']") is not None


_IMPORTS_OF_A_BUILD = (
    "import runpy, sys\n"
    "sys.argv = ['briefgen', *sys.argv[1:]]\n"
    "try:\n    runpy.run_module('briefgen', run_name='__main__')\n"
    "except SystemExit as done:\n    assert not done.code, done.code\n"
    "print(sorted({m.split('.')[0] for m in sys.modules if m.split('.')[0] in {'reportlab', 'docx', 'PIL', 'lxml'}}))\n"
)


def _html_build_imports(brief: str, project: Path, cache: Path) -> str:
    """The writing libraries a new process of ``briefgen build BRIEF --format html`` imported, as a list."""
    import os
    import subprocess
    import sys

    command = [sys.executable, "-c", _IMPORTS_OF_A_BUILD, "build", brief, "--format", "html", "--as-of", "2026-11-23"]
    result = subprocess.run(command, cwd=project, capture_output=True, text=True, check=True, env={**os.environ, "BRIEFGEN_CACHE_DIR": str(cache)})
    assert (project / "output" / f"{brief}.html").stat().st_size > 0
    return result.stdout.strip().splitlines()[-1]


def test_an_html_build_imports_neither_reportlab_nor_python_docx(tmp_path: Path) -> None:
    """Not even for a page-limited brief with an empty cache: a web page is not fitted to pages, so nothing is laid out."""
    shutil.copytree(REPO / "facts", tmp_path / "facts")
    assert _html_build_imports("chronology", tmp_path, tmp_path / "cache") == "[]"
    assert _html_build_imports("overview", tmp_path, tmp_path / "empty-cache") == "[]"  # page_limit: 1
    assert not (tmp_path / "empty-cache" / "fit").exists()
