"""Every localised string a brief carries is printed, exactly, by the PDF and the DOCX writer.

The built-in briefs are rendered over the shipped registry in each language;
the expected strings are computed here from ``briefgen.l10n`` (dates,
figures, chronology groups, labels) and each must appear in the PDF's text
and in the DOCX's text, and the English words must be gone from the other
languages. A writer that formatted a date, a heading or a number itself, or
printed the English label, fails here.
"""

from __future__ import annotations

import ast
import dataclasses
import io
import re
import zipfile
from functools import cache
from pathlib import Path

import pytest
from lxml import etree
from pypdf import PdfReader

from briefgen import writers
from briefgen.build import brief_parameters, render_document
from briefgen.l10n.dates import date_label, period_label
from briefgen.l10n.labels import label
from briefgen.l10n.numbers import figure_label
from briefgen.model import Document, Heading, Timeline, TimelineEntry, TimelineGroup, plain_text
from briefgen.registry.loader import Registry, load_registry
from briefgen.templating.briefs import load_brief
from briefgen.themes import NotePlacement, load_theme

REPO = Path(__file__).resolve().parents[1]
AS_OF = "2026-11-23"  # a day no fact is dated: the title block alone prints it
LANGUAGES = ("en", "en-US", "ru", "zh")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def registry() -> Registry:
    return load_registry(REPO / "facts", as_of=AS_OF, cache=False)


@cache
def built(brief_name: str, language: str, notes: NotePlacement = NotePlacement.FOOTNOTES) -> tuple[Document, str, str, int]:
    """The brief in ``language``: its model, its PDF text, its DOCX text (whitespace removed), its pages."""
    brief = load_brief(brief_name)
    brief = dataclasses.replace(brief, front_matter=dataclasses.replace(brief.front_matter, language=language))
    params = brief_parameters(brief, {"subject": "Belarus–China"}, {}, [brief])
    doc = render_document(brief, load_registry(REPO / "facts", as_of=AS_OF), params)
    theme = dataclasses.replace(load_theme("default"), notes=notes)
    pdf = writers.writer("pdf").write(doc, theme)
    reader = PdfReader(io.BytesIO(pdf.data))
    pdf_text = "".join(page.extract_text() for page in reader.pages)
    return doc, squash(pdf_text), squash(docx_text(writers.writer("docx").write(doc, theme).data)), len(reader.pages)


def squash(text: str) -> str:
    """Text without whitespace: a PDF line may break a long date, and CLDR puts thin spaces in ranges."""
    return "".join(text.split())


def docx_text(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = [n for n in archive.namelist() if re.fullmatch(r"word/(document|footnotes|endnotes|header\d*|footer\d*)\.xml", n)]
        return "\n".join("".join(etree.fromstring(archive.read(n)).itertext(f"{W}t")) for n in sorted(names))


def localised_strings(doc: Document, registry: Registry, language: str) -> list[str]:
    """What l10n says this brief prints: its date, headings, the timeline's header, groups and dates, figures."""
    expected = [label(language, "sources")]
    for block in doc.blocks:
        if isinstance(block, Heading):
            expected.append(plain_text(block.children))
        if isinstance(block, Timeline):
            expected += [label(language, "date"), label(language, "event")]
            expected += [row.when if isinstance(row, TimelineEntry) else row.label for row in block.rows]
    return expected


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_chronology_prints_every_date_and_group_as_l10n_writes_it(language: str, registry: Registry) -> None:
    doc, pdf, docx, _ = built("chronology", language)
    events = [f for f in registry.chronological(registry.select(kind="event")) if f.when]
    timeline = next(block for block in doc.blocks if isinstance(block, Timeline))
    assert [row.when for row in timeline.rows if isinstance(row, TimelineEntry)] == [date_label(f.when, language) for f in events]
    groups = [row.label for row in timeline.rows if isinstance(row, TimelineGroup)]
    assert groups == list(dict.fromkeys(period_label(f.when, "decade", language) for f in events))
    assert doc.meta.subtitle == label(language, "chronology")
    for text in localised_strings(doc, registry, language):
        assert squash(text) in pdf, f"PDF lacks {text!r}"
        assert squash(text) in docx, f"DOCX lacks {text!r}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_overview_prints_its_headings_figures_date_and_page_label(language: str, registry: Registry) -> None:
    doc, pdf, docx, pages = built("overview", language)
    assert doc.meta.labels.date == date_label(registry.as_of, language)
    headings = [plain_text(block.children) for block in doc.blocks if isinstance(block, Heading)]
    assert headings[0] == label(language, "summary") and headings[-1] == label(language, "sources")
    figures = [f for f in registry.select(kind="figure") if f.priority == 1 and f.value is not None]
    assert figures
    expected = [*localised_strings(doc, registry, language), doc.meta.subtitle or "", label(language, "key_facts")]
    expected += [figure_label(f.value, f.text_in(language, "unit"), f.qualifier, language) for f in figures]  # type: ignore[arg-type]
    for text in expected:
        assert squash(text) in pdf, f"PDF lacks {text!r}"
        assert squash(text) in docx, f"DOCX lacks {text!r}"
    assert squash(label(language, "page_of", page=1, pages=pages)) in pdf
    before, _, after = label(language, "page_of", page="{page}", pages="{pages}").partition("{page}")
    assert squash(before + "1" + after.replace("{pages}", "1")) in docx  # PAGE and NUMPAGES fields show 1 until updated


def test_writers_import_no_dates_labels_or_babel_and_read_no_clock() -> None:
    for module in (REPO / "src" / "briefgen" / "writers").rglob("*.py"):
        source = module.read_text(encoding="utf-8")
        imported = [
            node.module if isinstance(node, ast.ImportFrom) else alias.name
            for node in ast.walk(ast.parse(source))
            if isinstance(node, ast.Import | ast.ImportFrom)
            for alias in node.names
        ]
        assert not [name for name in imported if name and name.startswith(("briefgen.l10n", "briefgen.registry", "babel"))], module
        assert "SOURCE_DATE_EPOCH" not in source.replace("``SOURCE_DATE_EPOCH``", ""), module


def html_text(doc: Document) -> str:
    return squash("".join(etree.fromstring(writers.writer("html").write(doc, load_theme("default")).data, etree.HTMLParser()).itertext()))


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_html_page_prints_the_same_labels(language: str, registry: Registry) -> None:
    doc, _, _, _ = built("chronology", language)
    page = html_text(doc)
    for text in [*localised_strings(doc, registry, language), date_label(registry.as_of, language), doc.meta.labels.notes]:
        assert squash(text) in page, f"HTML lacks {text!r}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_title_block_prints_the_as_of_date(language: str, registry: Registry) -> None:
    for name in ("overview", "chronology"):
        doc, pdf, docx, _ = built(name, language)
        title_block = squash(f"{doc.meta.title}{doc.meta.subtitle}{date_label(registry.as_of, language)}")
        assert pdf.startswith(title_block) and docx.startswith(title_block)
        assert pdf.count(squash(date_label(registry.as_of, language))) == 1


@pytest.mark.parametrize("language", LANGUAGES)
def test_end_notes_have_the_notes_heading(language: str) -> None:
    _, pdf, _, _ = built("overview", language, NotePlacement.ENDNOTES)
    assert squash(label(language, "notes") + "1") in pdf


@pytest.mark.parametrize("language", ["ru", "zh"])
def test_no_english_words_of_briefgens_own_are_left(language: str) -> None:
    for name in ("overview", "chronology", "stance-summary"):
        _, pdf, docx, _ = built(name, language)
        for key in ("sources", "summary", "chronology", "overview", "positions", "date", "event", "actor", "evidence"):
            word = label("en", key)
            assert word not in pdf and word not in docx, (name, word)
        for english in ("Page", "century", "Notes"):  # (fact text stays English where a fact has no translation)
            assert english not in pdf and english not in docx, (name, english)
