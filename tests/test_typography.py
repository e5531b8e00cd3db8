"""Tests of typography.py: the shared measures, and that they reach both writers.

The values are checked where each writer puts them (Word's styles and
numbering XML in twips and half points; reportlab's paragraph styles and
table commands in points), and the end result through LibreOffice: the
shipped one-page overview is one page in the DOCX as in the PDF.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import shutil
import subprocess
import warnings
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from briefgen.build import build
from briefgen.errors import BriefgenWarning
from briefgen.model import Cite, Document, Heading, Meta, Note, Paragraph, SourceEntry, SourceList, Table, Text
from briefgen.project import load_project
from briefgen.themes import Theme
from briefgen.typography import TextStyle, typography
from briefgen.writers.docx import write_docx
from briefgen.writers.docx.order import W
from briefgen.writers.docx.units import twips
from briefgen.writers.pdf.fonts import font_chain
from briefgen.writers.pdf.styles import line_allowance, make_styles, table_commands

REPO = Path(__file__).resolve().parents[1]
NS = {"w": W}
THEME = Theme()
TYPO = typography(THEME)


def text(value: str) -> tuple[Text, ...]:
    return (Text(value),)


@pytest.fixture(scope="module")
def parts() -> dict[str, etree._Element]:
    """The XML parts of a small DOCX with a heading, a cited paragraph, a table and sources."""
    document = Document(
        Meta("Typography", date=dt.date(2026, 1, 20)),
        (
            Heading(1, text("Summary")),
            Paragraph((Text("A cited statement."), Cite(("fact-1",), (1,)))),
            Table(header=(text("Actor"), text("Position")), rows=((text("Belarus"), text("Supports")),)),
            SourceList(tuple(SourceEntry(f"s{n}", text(f"Source {n}")) for n in (1, 2))),
        ),
        notes=(Note(1, "fact-1", text("Source 1, section 2")),),
    )
    with zipfile.ZipFile(io.BytesIO(write_docx(document, THEME).data)) as package:
        return {name: etree.fromstring(package.read(f"word/{name}.xml"))
                for name in ("document", "styles", "numbering", "footnotes")}


def _style(styles: etree._Element, style_id: str) -> etree._Element:
    return styles.find(f"w:style[@w:styleId='{style_id}']", NS)


def _val(element: etree._Element, path: str, attribute: str = "val") -> str | None:
    found = element.find(path, NS)
    return None if found is None else found.get(f"{{{W}}}{attribute}")


def _spacing(element: etree._Element) -> tuple[str | None, ...]:
    spacing = element.find("w:pPr/w:spacing", NS)
    return tuple(spacing.get(f"{{{W}}}{name}") for name in ("before", "after", "line", "lineRule"))


def _expected(measures: TextStyle) -> tuple[str, ...]:
    return str(twips(measures.before)), str(twips(measures.after)), str(twips(measures.leading)), "exact"


# --- the measures themselves -----------------------------------------------------------------------


@pytest.mark.parametrize("base_size", [9.0, 10.5, 11.0, 12.0])
def test_measures_are_what_word_can_store(base_size: float) -> None:
    typo = typography(Theme(base_size=base_size))
    for field in dataclasses.fields(typo):
        value = getattr(typo, field.name)
        for measures in value if isinstance(value, tuple) else (value,):
            if isinstance(measures, TextStyle):
                assert measures.size * 2 == int(measures.size * 2), field.name  # half points
                for length in (measures.leading, measures.before, measures.after):
                    assert abs(length * 20 - round(length * 20)) < 1e-9, field.name  # twips
    assert typo.title_rule.above == int(typo.title_rule.above)  # a border's distance: whole points


def test_measures_scale_with_the_base_size() -> None:
    small, large = typography(Theme(base_size=9.0)), typography(Theme(base_size=12.0))
    assert small.body.size == 9.0 and large.body.size == 12.0
    assert small.body.leading < large.body.leading and small.headings[0].before < large.headings[0].before
    assert all(a.size > b.size for a, b in zip(large.headings, large.headings[1:], strict=False))


# --- the DOCX writer -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("style_id", "measures"),
    [
        ("Title", TYPO.title),
        ("Subtitle", TYPO.subtitle),
        ("Heading1", TYPO.headings[0]),
        ("Heading2", TYPO.headings[1]),
        ("Heading3", TYPO.headings[2]),
        ("ListBullet", TYPO.list_item),
        ("ListNumber", TYPO.list_item),
        ("Caption", TYPO.caption),
        ("FootnoteText", TYPO.footnote),
        ("SourceEntry", TYPO.source),
        ("BoxTitle", TYPO.box_title),
        ("BoxText", TYPO.body),
        ("BriefTable", TYPO.table_text),
        ("BriefTableCompact", TYPO.compact_table_text),
    ],
)
def test_docx_styles_use_the_shared_measures(parts: dict[str, etree._Element], style_id: str, measures: TextStyle) -> None:
    style = _style(parts["styles"], style_id)
    assert _spacing(style) == _expected(measures)
    assert _val(style, "w:rPr/w:sz") == str(round(measures.size * 2))


def test_docx_body_measures_are_the_document_defaults(parts: dict[str, etree._Element]) -> None:
    defaults = parts["styles"].find("w:docDefaults", NS)
    assert _spacing(defaults.find("w:pPrDefault", NS)) == _expected(TYPO.body)
    assert _val(defaults, "w:rPrDefault/w:rPr/w:sz") == str(round(TYPO.body.size * 2))


def test_docx_spacers_rules_and_borders_use_the_shared_measures(parts: dict[str, etree._Element]) -> None:
    styles = parts["styles"]
    gap = _spacing(_style(styles, "TableGap"))
    assert gap == ("0", str(twips(TYPO.after_table - TYPO.spacer_line)), str(twips(TYPO.spacer_line)), "exact")
    meta = _style(styles, "BriefMeta")
    assert _spacing(meta)[1] == str(twips(TYPO.title_rule.below))
    assert _val(meta, "w:pPr/w:pBdr/w:bottom", "sz") == str(round(TYPO.title_rule.thickness * 8))
    assert _val(meta, "w:pPr/w:pBdr/w:bottom", "space") == str(round(TYPO.title_rule.above))
    table = _style(styles, "BriefTable")
    assert _val(table, "w:tblPr/w:tblBorders/w:top", "sz") == str(round(TYPO.table_frame * 8))
    assert _val(table, "w:tblPr/w:tblBorders/w:insideH", "sz") == str(round(TYPO.table_row_rule * 8))
    margins = {side: _val(table, f"w:tblPr/w:tblCellMar/w:{side}", "w") for side in ("top", "bottom", "left", "right")}
    assert margins == {side: str(twips(getattr(TYPO.table_padding, side))) for side in margins}
    box = _style(styles, "KeyFactsBox")
    assert _val(box, "w:tblPr/w:tblCellMar/w:left", "w") == str(twips(TYPO.box_padding.left))


def test_docx_indents_use_the_shared_measures(parts: dict[str, etree._Element]) -> None:
    note = _style(parts["styles"], "FootnoteText")
    assert _val(note, "w:pPr/w:ind", "left") == str(twips(TYPO.note_indent.text))
    assert _val(note, "w:pPr/w:ind", "hanging") == str(twips(TYPO.note_indent.hanging))
    numbering = parts["numbering"]
    bullet_num = _val(_style(parts["styles"], "ListBullet"), "w:pPr/w:numPr/w:numId")
    abstract = _val(numbering, f"w:num[@w:numId='{bullet_num}']/w:abstractNumId")
    level = numbering.find(f"w:abstractNum[@w:abstractNumId='{abstract}']/w:lvl[@w:ilvl='0']", NS)
    assert _val(level, "w:pPr/w:ind", "left") == str(twips(TYPO.list_indent.text))
    assert _val(level, "w:pPr/w:ind", "hanging") == str(twips(TYPO.list_indent.hanging))


def test_docx_footnote_separator_is_the_pdf_separator(parts: dict[str, etree._Element]) -> None:
    separator = parts["footnotes"].find("w:footnote[@w:type='separator']/w:p", NS)
    assert _spacing(separator) == ("0", "0", str(twips(TYPO.footnote_separator)), "exact")


def test_docx_sources_are_a_numbered_list_of_their_own(parts: dict[str, etree._Element]) -> None:
    body, numbering = parts["document"].find("w:body", NS), parts["numbering"]
    sources = [p for p in body.findall("w:p", NS) if _val(p, "w:pPr/w:pStyle") == "SourceEntry"]
    assert len(sources) == 2
    num_ids = {_val(p, "w:pPr/w:numPr/w:numId") for p in sources}
    assert len(num_ids) == 1 and None not in num_ids
    num = numbering.find(f"w:num[@w:numId='{num_ids.pop()}']", NS)
    assert _val(num, "w:lvlOverride/w:startOverride") == "1"
    abstract = numbering.find(f"w:abstractNum[@w:abstractNumId='{_val(num, 'w:abstractNumId')}']", NS)
    level = abstract.find("w:lvl[@w:ilvl='0']", NS)
    assert (_val(level, "w:numFmt"), _val(level, "w:lvlText")) == ("decimal", "%1.")
    assert _val(level, "w:pPr/w:ind", "left") == str(twips(TYPO.source_indent.text))
    assert _val(level, "w:pPr/w:ind", "hanging") == str(twips(TYPO.source_indent.hanging))
    assert level.find("w:pStyle", NS) is None  # not tied to List Number: that style keeps its own list


def test_docx_table_edges_align_with_the_margins(parts: dict[str, etree._Element]) -> None:
    table = parts["document"].find("w:body/w:tbl", NS)
    assert _val(table, "w:tblPr/w:tblInd", "w") == str(twips(TYPO.table_padding.left))


# --- the PDF writer --------------------------------------------------------------------------------


def test_pdf_styles_use_the_shared_measures() -> None:
    regular, bold = font_chain(THEME.pdf_font).primary.face_names[:2]
    styles = make_styles(THEME, regular, bold)
    pairs = [
        (styles.body, TYPO.body), (styles.title, TYPO.title), (styles.subtitle, TYPO.subtitle),
        (styles.byline, TYPO.date_line), (styles.bullet, TYPO.list_item), (styles.cell, TYPO.table_text),
        (styles.compact_cell, TYPO.compact_table_text), (styles.caption, TYPO.caption),
        (styles.box_title, TYPO.box_title), (styles.note, TYPO.footnote), (styles.source, TYPO.source),
        *zip(styles.headings, TYPO.headings, strict=True),
    ]
    for style, measures in pairs:
        assert (style.fontSize, style.leading, style.spaceBefore, style.spaceAfter) == (
            measures.size, measures.leading, measures.before, measures.after), style.name
        assert style.rightIndent == line_allowance(THEME) == 2.1  # a fifth of the default 10.5 pt
    assert (styles.bullet.bulletIndent, styles.bullet.leftIndent) == (TYPO.list_indent.marker, TYPO.list_indent.text)
    assert (styles.source.bulletIndent, styles.source.leftIndent) == (TYPO.source_indent.marker, TYPO.source_indent.text)
    assert (styles.note.bulletIndent, styles.note.leftIndent) == (TYPO.note_indent.marker, TYPO.note_indent.text)


def test_pdf_table_padding_counts_its_rules_as_word_does() -> None:
    commands = table_commands(THEME, "default", rows=3, header_rows=1)
    padding = {(name, start, stop): value for name, start, stop, value, *_ in commands if name.endswith("PADDING")}
    pad = TYPO.table_padding
    assert padding["LEFTPADDING", (0, 0), (-1, -1)] == pad.left
    assert padding["TOPPADDING", (0, 0), (-1, 0)] == pad.top + TYPO.table_frame
    assert padding["BOTTOMPADDING", (0, 0), (-1, 1)] == pad.bottom + TYPO.table_row_rule
    assert padding["BOTTOMPADDING", (0, 2), (-1, 2)] == pad.bottom + TYPO.table_frame


# --- the end result through LibreOffice --------------------------------------------------------------


@pytest.mark.parametrize("as_of", ["2026-11-23", "2026-01-25"])
def test_shipped_overview_is_one_page_in_pdf_and_in_libreoffice(as_of: str, tmp_path: Path) -> None:
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed: cannot lay out the DOCX")
    pypdf = pytest.importorskip("pypdf")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", BriefgenWarning)  # facts left out to fit, stale facts
        [result] = build(["overview"], project=load_project(REPO, out=tmp_path / "out"), as_of=as_of)
    assert result.pages == 1
    docx_path = next(path for path in result.paths if path.suffix == ".docx")
    subprocess.run(
        [soffice, "--headless", f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(docx_path)],
        check=True, capture_output=True, timeout=180,
    )
    converted = pypdf.PdfReader(tmp_path / "overview.pdf")
    assert len(converted.pages) == 1
    page = " ".join(converted.pages[0].extract_text().split())
    assert "Sources 1. " in page and " 2. " in page.split("Sources", 1)[1]  # the numbered source list
