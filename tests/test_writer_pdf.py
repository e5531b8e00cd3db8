"""Tests of writers/pdf.py: content, fonts, outline, links, pages, errors and reproducibility.

Documents are built by hand (not through the Markdown reader) and checked through
pypdf: extracted text, embedded fonts, outline, annotations and metadata.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import subprocess
import sys
import warnings

import pytest
from pypdf import PdfReader

from briefgen.errors import BriefgenWarning, RenderError
from briefgen.model import (
    Labels,
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
)
from briefgen.themes import NotePlacement, PageSize, Theme
from briefgen.writers import Rendered
from briefgen.writers.pdf import write_pdf

META = Meta("Belarus and China", subtitle="Overview", author="Desk", date=dt.date(2026, 1, 20), marking="OFFICIAL",
            subject="Bilateral relations", keywords=("Belarus", "China"), labels=Labels(date="20 January 2026"))


def cite(*numbers: int) -> Cite:
    return Cite(tuple(f"fact-{n}" for n in numbers), numbers)


def text(*parts: str | object) -> tuple:
    return tuple(Text(p) if isinstance(p, str) else p for p in parts)


def notes(count: int) -> tuple[Note, ...]:
    return tuple(Note(n, f"fact-{n}", text(f"Source {n}, section {n}")) for n in range(1, count + 1))


def every_type() -> Document:
    return Document(
        META,
        (
            Heading(1, text("Summary")),
            Paragraph(text("Belarus (", Span("be", text("Беларусь")), ") and the ", Strong(text("PRC")), " (",
                           Span("zh", text("中华人民共和国")), ") are ",
                           Emph(text("partners")), ".", cite(1), LineBreak(), "See ",
                           Link("https://example.org/a?b=1&c=2", text("the portal")), ".")),
            Heading(2, text("Points")),
            BulletList((ListItem(text("Bullet one", cite(2))), ListItem(text("Bullet two", cite(1, 3))))),
            OrderedList((ListItem(text("Numbered one", cite(4))),), start=2),
            Heading(3, text("Detail")),
            Table(header=(text("Actor"), text("Position")), rows=((text("Belarus"), text("Supports", cite(5))),),
                  widths=(30, 70), style="compact", caption=text("Stances table")),
            BlockQuote((Paragraph(text("A quoted line", cite(6))),)),
            Timeline((TimelineGroup("1992"), TimelineEntry("20 January 1992", text("Relations established", cite(7))))),
            Box("keyfacts", (Paragraph(text("Key fact inside the box", cite(8))),), title="Key facts"),
            HorizontalRule(),
            PageBreak(),
            Heading(1, text("Sources")),
            SourceList((SourceEntry("src", text("Wikipedia, ", Link("https://en.wikipedia.org", text("en.wikipedia.org")))),)),
        ),
        notes=notes(8),
    )


def pdf_text(rendered: Rendered) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(rendered.data)).pages)


def page_texts(rendered: Rendered) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(rendered.data)).pages]


def embedded_fonts(rendered: Rendered) -> set[str]:
    """Names of the fonts the pages use; fails if any of them is not an embedded TrueType font."""
    names = set()
    for page in PdfReader(io.BytesIO(rendered.data)).pages:
        for font in page["/Resources"]["/Font"].values():
            descendant = font.get_object()
            descriptor = descendant.get("/FontDescriptor")
            assert descriptor is not None and "/FontFile2" in descriptor.get_object(), descendant["/BaseFont"]
            names.add(str(descendant["/BaseFont"]).split("+")[-1])
    return names


@pytest.fixture(scope="module")
def rendered() -> Rendered:
    return write_pdf(every_type(), Theme())


def test_every_piece_of_text_is_extracted(rendered: Rendered) -> None:
    content = pdf_text(rendered)
    for piece in ("Belarus and China", "Overview", "Беларусь", "中华人民共和国", "PRC", "partners", "the portal",
                  "Bullet one", "Numbered one", "Actor", "Supports", "Stances table", "A quoted line",
                  "1992", "Relations established", "Key facts", "Key fact inside the box", "Wikipedia",
                  "Source 8, section 8", "20 January 2026", "OFFICIAL"):
        assert piece in content, piece
    assert "2." in content  # the ordered list starts at 2


def test_every_note_appears_once_at_the_foot_of_its_page(rendered: Rendered) -> None:
    content = pdf_text(rendered)
    for n in range(1, 9):
        assert content.count(f"Source {n}, section {n}") == 1
    assert "Notes" not in content


def test_endnotes_are_listed_under_a_notes_heading() -> None:
    content = pdf_text(write_pdf(every_type(), Theme(notes=NotePlacement.ENDNOTES)))
    assert "Notes" in content
    assert all(content.count(f"Source {n}, section {n}") == 1 for n in range(1, 9))


def test_fonts_are_embedded_and_the_cjk_face_only_for_han(rendered: Rendered) -> None:
    assert {"LiberationSans", "DroidSansFallback"} <= embedded_fonts(rendered)
    latin = Document(META, (Paragraph(text("Only Latin and Кириллица", cite(1))),), notes(1))
    assert "DroidSansFallback" not in embedded_fonts(write_pdf(latin, Theme()))


def test_outline_links_metadata_and_page_numbers(rendered: Rendered) -> None:
    reader = PdfReader(io.BytesIO(rendered.data))
    titles = [item.title for item in reader.outline if not isinstance(item, list)]
    assert titles == ["Summary", "Sources"]
    links = [annotation.get_object() for page in reader.pages for annotation in page.get("/Annots", [])]
    uris = {link["/A"]["/URI"] for link in links if "/A" in link}
    assert {"https://example.org/a?b=1&c=2", "https://en.wikipedia.org"} <= uris
    assert sum("/Dest" in link for link in links) >= 8  # each note number links to its note
    assert reader.metadata.title == "Belarus and China"
    assert reader.metadata.author == "Desk"
    assert reader.metadata.subject == "Bilateral relations"
    assert reader.trailer["/Root"]["/Lang"] == "en"
    assert rendered.pages == len(reader.pages) == 2
    assert "Page 1 of 2" in reader.pages[0].extract_text()
    assert reader.metadata.creation_date.date() == dt.date(2026, 1, 20)


def outline_titles(outline: list) -> list:
    """pypdf's outline as titles, a nested list after each entry with children."""
    return [outline_titles(item) if isinstance(item, list) else item.title for item in outline]


def test_bookmarks_mirror_the_heading_levels() -> None:
    """Same-level headings are siblings, however deep the brief starts; a skipped level nests one step."""
    blocks = tuple(Heading(level, text(title)) for level, title in
                   ((2, "Summary"), (2, "Recent"), (3, "January"), (3, "February"), (2, "Positions"),
                    (1, "Annex"), (3, "Table A"), (2, "Notes")))
    reader = PdfReader(io.BytesIO(write_pdf(Document(META, blocks, ()), Theme()).data))
    assert outline_titles(reader.outline) == [
        "Summary", "Recent", ["January", "February"], "Positions", "Annex", ["Table A", "Notes"]]


def test_a_long_title_is_kept_whole_on_the_page_and_in_the_metadata() -> None:
    title = "Belarus–China relations: " + " ".join(f"cooperation in trade, science and education, part {i}" for i in range(8))
    doc = dataclasses.replace(every_type(), meta=dataclasses.replace(META, title=title))
    reader = PdfReader(io.BytesIO(write_pdf(doc, Theme()).data))
    assert " ".join(reader.pages[0].extract_text().split()).startswith(f"{title} Overview")
    assert reader.metadata.title == title


def test_two_builds_are_byte_identical(rendered: Rendered) -> None:
    assert write_pdf(every_type(), Theme()).data == rendered.data


def test_a_build_in_another_process_is_byte_identical(rendered: Rendered) -> None:
    code = ("import sys; sys.path.insert(0, 'tests'); from test_writer_pdf import every_type;"
            "from briefgen.themes import Theme; from briefgen.writers.pdf import write_pdf;"
            "sys.stdout.buffer.write(write_pdf(every_type(), Theme()).data)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, check=True, env={"PYTHONHASHSEED": "7"})
    assert result.stdout == rendered.data


def long_table(rows: int) -> Table:
    return Table(header=(text("Year"), text("Value")),
                 rows=tuple((text(f"Row {i}"), text(f"value {i}", cite(1 + i % 3))) for i in range(rows)))


def test_a_long_table_repeats_its_header_on_every_page() -> None:
    result = write_pdf(Document(META, (long_table(120),), notes(3)), Theme())
    pages = page_texts(result)
    assert len(pages) >= 3
    assert all("Year" in page and "Value" in page for page in pages)
    assert all(pdf_text(result).count(f"Source {n}, section {n}") == 1 for n in range(1, 4))


def test_a_cell_taller_than_a_page_warns_and_splits() -> None:
    huge = " ".join(f"word{i}" for i in range(2500))
    table = Table(header=(text("Topic"), text("Text")), rows=((text("long"), text(huge, cite(1))),))
    with pytest.warns(BriefgenWarning, match="taller than a page"):
        result = write_pdf(Document(META, (table,), notes(1)), Theme())
    assert result.pages >= 3
    assert "word2499" in pdf_text(result)


def test_no_heading_ends_a_page() -> None:
    blocks = []
    for i in range(40):
        blocks += [Heading(2, text(f"Heading {i}")), Paragraph(text(f"BODY{i} " + "filler text " * 40, cite(1)))]
        if i % 7 == 3:
            blocks += [Heading(3, text(f"Table heading {i}")), long_table(4)]
    result = write_pdf(Document(META, tuple(blocks), notes(3)), Theme())
    pages = page_texts(result)
    assert len(pages) > 4
    for i in range(40):
        page = next(p for p in pages if f"Heading {i}\n" in p)
        assert f"BODY{i}" in page


def test_letter_and_a4_page_sizes() -> None:
    doc = Document(META, (Paragraph(text("Text", cite(1))),), notes(1))
    for size, expected in ((PageSize.A4, (595, 842)), (PageSize.LETTER, (612, 792))):
        box = PdfReader(io.BytesIO(write_pdf(doc, Theme(page_size=size)).data)).pages[0].mediabox
        assert (round(box.width), round(box.height)) == expected


@pytest.mark.parametrize("character", ["\U0001F600", "\U00010000"])
def test_an_uncovered_character_names_the_character_and_fact(character: str) -> None:
    doc = Document(META, (Paragraph(text(f"Smile {character}", cite(1))),), notes(1))
    with pytest.raises(RenderError) as error:
        write_pdf(doc, Theme())
    message = str(error.value)
    assert f"U+{ord(character):04X}" in message and "fact-1" in message and "paragraph" in message


def test_control_characters_are_rejected_with_the_fact() -> None:
    doc = Document(META, (BulletList((ListItem(text("bell\x07 here", cite(1))),)),), notes(1))
    with pytest.raises(RenderError, match=r"U\+0007.*list item citing fact 'fact-1'"):
        write_pdf(doc, Theme())


def test_markup_characters_and_rtl_text_come_out_as_text() -> None:
    tricky = "a < b & c > d * e _ f [@fact] back\\slash \"quoted\" 'single' עברית"
    content = pdf_text(write_pdf(Document(META, (Paragraph(text(tricky, cite(1))),), notes(1)), Theme()))
    for piece in ("a < b & c > d * e _ f [@fact] back\\slash", '"quoted"', "'single'"):
        assert piece in content


def test_a_logo_that_is_not_an_image_is_a_render_error(tmp_path) -> None:
    fake = tmp_path / "logo.png"
    fake.write_text("not an image")
    with pytest.raises(RenderError, match="logo"):
        write_pdf(every_type(), Theme(logo=fake))


def test_a_logo_header_footer_and_watermark_are_drawn(tmp_path) -> None:
    from PIL import Image

    logo = tmp_path / "logo.png"
    Image.new("RGB", (200, 80), "navy").save(logo)
    theme = dataclasses.replace(Theme(), logo=logo, header_text="Ministry desk", footer_text="Not for publication",
                                watermark="DRAFT")
    result = write_pdf(every_type(), theme)
    embedded_fonts(result)
    content = pdf_text(result)
    assert all(word in content for word in ("Ministry desk", "Not for publication", "DRAFT"))


def test_russian_page_label() -> None:
    russian = Labels(date="20 января 2026 г.", page_of="Страница {page} из {pages}", language_tag="ru-RU")
    doc = Document(dataclasses.replace(META, language="ru", labels=russian), (Paragraph(text("Текст", cite(1))),), notes(1))
    assert "Страница 1 из 1" in pdf_text(write_pdf(doc, Theme()))


def test_overview_fits_one_a4_page() -> None:
    bullets = BulletList(tuple(ListItem(text(f"Point {i}: a sentence of moderate length about the relationship.",
                                             cite(i + 3))) for i in range(6)))
    summary = Paragraph(text("A sentence about the relationship between the two states and its history. " * 5, cite(1)))
    box = Box("keyfacts", (BulletList(tuple(ListItem(text(f"Key fact {i}", cite(2))) for i in range(3))),), "Key facts")
    stance = Table(header=(text("Actor"), text("Issue"), text("Position")),
                   rows=tuple((text("Belarus"), text(f"Issue {i}"), text("Supports", cite(10))) for i in range(4)))
    blocks = (Heading(1, text("Summary")), summary, box, Heading(2, text("Points")), bullets,
              Heading(2, text("Stances")), stance)
    long_notes = tuple(Note(n, f"fact-{n}", text(f"Belarus–China relations (Wikipedia), section {n}")) for n in range(1, 11))
    assert write_pdf(Document(META, blocks, long_notes), Theme()).pages == 1


def test_warnings_are_not_raised_for_ordinary_documents(rendered: Rendered) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        write_pdf(every_type(), Theme())


@pytest.mark.parametrize("limit", [1, 2, 50])
def test_counting_pages_agrees_with_the_laid_out_pdf(limit: int) -> None:
    """A DOCX-only fit counts pages without making the PDF (nor drawing its text): the count is the finished
    PDF's, a note running on over pages included, and past the limit the layout stops at limit + 1 as the full one does."""
    from briefgen.writers.pdf import WRITER

    assert WRITER.lay_out is not None and WRITER.count_pages is not None
    footnotes, endnotes = Theme(), Theme(notes=NotePlacement.ENDNOTES, page_size=PageSize.LETTER)
    paragraphs = tuple(Paragraph(text(f"Para {i} " + "filler " * 60, cite(1 + i % 5))) for i in range(30))
    running_on = (*notes(4), Note(5, "fact-5", text(" ".join(f"folio{i}" for i in range(2_000)))))  # a note over pages
    documents = [every_type(), Document(META, (long_table(120),), notes(3)), Document(META, paragraphs, notes(5)),
                 Document(META, paragraphs, running_on)]
    for doc in documents:
        for theme in (footnotes, endnotes):
            full = WRITER.lay_out(doc, theme, limit)
            counted = WRITER.count_pages(doc, theme, limit)
            assert counted == full.pages
            assert counted <= limit + 1
            if full.data:
                assert counted == len(PdfReader(io.BytesIO(full.data)).pages)


def test_font_styles_name_the_faces_a_document_can_draw() -> None:
    from briefgen.writers.pdf.markup import font_styles

    def doc(*blocks: object) -> Document:
        return Document(META, blocks)  # type: ignore[arg-type]

    assert font_styles(doc(Paragraph(text("plain ", Strong(text("bold")))))) == ("Regular", "Bold")
    assert font_styles(doc(Paragraph(text(Emph(text("in italics")), " ", Strong(text("bold")))))) == ("Regular", "Bold", "Italic")
    for meeting in (Paragraph(text(Strong(text("bold ", Emph(text("both")))))),
                    Paragraph(text(Emph(text("italic ", Link("https://example.org", text(Strong(text("both")))))))),
                    Heading(2, text("A ", Emph(text("heading")))),
                    Table(header=(text(Emph(text("Actor"))),), rows=((text("Belarus"),),))):
        assert font_styles(doc(meeting)) == ("Regular", "Bold", "Italic", "BoldItalic"), meeting


_FACES_IN_ONE_PROCESS = """
import io, sys
from pypdf import PdfReader
from briefgen.model import Document, Emph, Heading, Paragraph, Strong, Text
from briefgen.themes import Theme
from briefgen.writers.pdf import write_pdf
from tests.test_writer_pdf import META, embedded_fonts
plain = Document(META, (Paragraph((Text("Plain"),)),))
italic = Document(META, (Paragraph((Text("Some "), Emph((Text("italics"),)))),))
both = Document(META, (Heading(1, (Emph((Text("Heading"),)),)), Paragraph((Strong((Emph((Text("both"),)),)),))))
for doc in (plain, italic, both):
    print(sorted(embedded_fonts(write_pdf(doc, Theme()))))
"""


def test_an_empty_cache_parses_only_the_faces_a_document_draws_with(tmp_path, monkeypatch) -> None:
    """The coverage check of a plain document reads the regular and bold faces, which it draws with, and
    neither italic face: on an empty cache too, where the coverage is computed from the parsed faces."""
    from briefgen.writers.pdf import fonts

    monkeypatch.setenv("BRIEFGEN_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(fonts, "_loaded", {})
    monkeypatch.setattr(fonts, "_families_loaded", {})
    plain = Document(META, (Paragraph((Text("Plain words"), Strong((Text(" and bold"),)))),))
    assert embedded_fonts(write_pdf(plain, Theme())) == {"LiberationSans", "LiberationSans-Bold"}
    assert sorted(path.name for path in fonts._loaded) == ["LiberationSans-Bold.ttf", "LiberationSans-Regular.ttf"]
    assert (tmp_path / "cache" / "font-coverage").is_dir()


def test_each_face_a_document_draws_is_embedded_whatever_the_process_drew_before(tmp_path) -> None:
    """Faces are parsed only when a document draws with them: a later document's emphasis is still drawn in
    the italic face (and not, silently, in the regular one), with the fonts' coverage known from the cache."""
    import os
    from pathlib import Path

    env = {**os.environ, "BRIEFGEN_CACHE_DIR": str(tmp_path / "cache")}
    root = Path(__file__).resolve().parents[1]
    runs = [subprocess.run([sys.executable, "-c", _FACES_IN_ONE_PROCESS], cwd=root, env=env, capture_output=True, text=True, check=True)
            for _ in range(2)]  # an empty cache, then the coverage recalled
    assert (tmp_path / "cache" / "font-coverage").is_dir()
    for run in runs:
        assert run.stdout.splitlines() == [
            "['LiberationSans', 'LiberationSans-Bold']",
            "['LiberationSans', 'LiberationSans-Bold', 'LiberationSans-Italic']",
            "['LiberationSans', 'LiberationSans-Bold', 'LiberationSans-BoldItalic']",
        ], run.stderr
