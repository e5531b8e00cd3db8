"""Line breaking by language: Russian hyphenates in narrow columns, Chinese breaks between characters
and never inside a Latin word, in the PDF (reportlab) and in the DOCX (as LibreOffice lays it out)."""

from __future__ import annotations

import dataclasses
import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from pypdf import PdfReader
from reportlab.lib.styles import ParagraphStyle

from briefgen.l10n.transform import localise
from briefgen.model import Cite, Document, Meta, Note, Paragraph, Table, Text
from briefgen.themes import Theme
from briefgen.writers.docx import write_docx
from briefgen.writers.pdf import write_pdf
from briefgen.writers.pdf.blocks import MeasuredParagraph
from briefgen.writers.pdf.fonts import font_chain
from briefgen.writers.pdf.markup import InlineMarkup

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MIXED = "据中国驻白俄罗斯临时代办Song Yanping介绍，约有12,000名中国学生在白俄罗斯学习national security law和international standard。"
LATIN = re.compile(r"[A-Za-z0-9,.]")


def stance_table(language: str, position: str, statement: str) -> Document:
    cite = Cite(("f",), (1,))
    rows = tuple(((Text(position),), (Text(statement), cite)) for _ in range(3))
    table = Table(header=((Text("—"),), (Text("—"),)), rows=rows, widths=(9, 91))
    doc = Document(Meta("T", language=language), (table,), (Note(1, "f", (Text("Source"),)),))
    return localise(doc)


def pdf_lines(data: bytes) -> list[str]:
    return [line.strip() for page in PdfReader(io.BytesIO(data)).pages for line in page.extract_text().splitlines()]


def test_russian_words_in_a_narrow_pdf_column_break_with_a_hyphen() -> None:
    lines = pdf_lines(write_pdf(stance_table("ru", "Поддерживает", "Беларусь поддерживает политику Китая."), Theme()).data)
    assert lines.count("Под-") == 3, lines  # each of the three cells starts "Под-"
    cyrillic_split = [(a, b) for a, b in zip(lines, lines[1:]) if re.search("[а-яё]$", a) and re.match("[а-яё]", b)]
    assert not cyrillic_split, cyrillic_split


def test_english_is_not_hyphenated() -> None:
    lines = pdf_lines(write_pdf(stance_table("en", "Supports", "Belarus supports China's policies."), Theme()).data)
    assert not [line for line in lines if line.endswith("-")]


@pytest.mark.parametrize("width", [60, 90, 130, 200, 333])
def test_chinese_pdf_lines_break_between_characters_never_inside_a_latin_word(width: int) -> None:
    chain = font_chain("Liberation Sans")
    style = ParagraphStyle("zh", fontName=chain.primary.face_names[0], fontSize=10, leading=14, wordWrap="CJK")
    paragraph = MeasuredParagraph(InlineMarkup(chain, "#000000").text(MIXED), style)
    paragraph.wrap(width, 10_000)
    lines = ["".join(frag.text for frag in line.words) for line in paragraph.blPara.lines]
    assert "".join(lines).replace(" ", "") == MIXED.replace(" ", "")  # nothing lost, nothing added
    position = 0
    for line in lines[:-1]:
        position = MIXED.index(line, position) + len(line)
        before, after = MIXED[position - 1], MIXED[position]
        assert " " in (before, after) or not (LATIN.match(before) and LATIN.match(after)), (line, MIXED[position:])
        assert after not in "，。", line
    assert len(lines) > 1  # it did break


NOTED = "白俄罗斯与中国于1992年1月20日建立外交关系。"


@pytest.mark.parametrize("width", range(150, 260, 4))
def test_a_chinese_note_number_never_starts_a_pdf_line(width: int) -> None:
    chain = font_chain("Liberation Sans")
    style = ParagraphStyle("zh", fontName=chain.primary.face_names[0], fontSize=10, leading=14, wordWrap="CJK")
    inlines = (Text(NOTED), Cite(("f",), (1, 12)), Text(NOTED), Cite(("f",), (3,)))
    paragraph = MeasuredParagraph(InlineMarkup(chain, "#000000")(inlines), style)
    paragraph.wrap(width, 10_000)
    lines = paragraph.blPara.lines
    starts = ["".join(frag.text for frag in line.words)[:3] for line in lines[1:]]
    raised_starts = [start for line, start in zip(lines[1:], starts) if line.words[0].rise > 0]
    assert not raised_starts, starts
    text = "".join(frag.text for line in lines for frag in line.words)
    assert text == f"{NOTED}1,12{NOTED}3"  # nothing lost: the note numbers moved with their sentence


def docx_xml(data: bytes, part: str) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return etree.fromstring(archive.read(part))


@pytest.mark.parametrize(
    ("language", "lang", "east_asia", "hyphenates"),
    [("en", "en-GB", "zh-CN", False), ("ru", "ru-RU", "zh-CN", True), ("zh", "en-US", "zh-CN", False)],
)
def test_docx_names_the_language_for_proofing_hyphenation_and_line_breaking(language: str, lang: str, east_asia: str, hyphenates: bool) -> None:
    data = write_docx(stance_table(language, "x", "y"), Theme()).data
    tag = docx_xml(data, "word/styles.xml").find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}lang")
    assert (tag.get(f"{W}val"), tag.get(f"{W}eastAsia")) == (lang, east_asia)
    assert (docx_xml(data, "word/settings.xml").find(f"{W}autoHyphenation") is not None) == hyphenates


@pytest.fixture(scope="module")
def soffice() -> str:
    found = shutil.which("soffice")
    if found is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    return found


def libreoffice_lines(soffice: str, doc: Document, folder: Path) -> list[str]:
    folder.mkdir()
    source = folder / "brief.docx"
    source.write_bytes(write_docx(doc, Theme()).data)
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{folder / 'profile'}", "--convert-to", "pdf",
                    "--outdir", str(folder), str(source)], check=True, capture_output=True, timeout=120)
    return pdf_lines((folder / "brief.pdf").read_bytes())


def test_libreoffice_hyphenates_russian_and_keeps_latin_words_whole_in_chinese(soffice: str, tmp_path: Path) -> None:
    if not list(Path("/usr/share/hyphen").glob("hyph_ru*")):
        pytest.skip("LibreOffice has no Russian hyphenation dictionary (Debian: hyphen-ru)")
    russian = libreoffice_lines(soffice, stance_table("ru", "Поддерживает", "Беларусь."), tmp_path / "ru")
    assert any(re.fullmatch(r"[А-Яа-яё]+-", line) for line in russian), russian
    chinese_doc = dataclasses.replace(stance_table("zh", "支持", MIXED), blocks=(Paragraph((Text(MIXED * 3),)),))
    chinese = [line for line in libreoffice_lines(soffice, chinese_doc, tmp_path / "zh") if re.search("[\u3000-\u9fff]", line)]
    words = set(re.findall(r"[A-Za-z]+", MIXED))
    ends = [re.search(r"[A-Za-z]+$", line) for line in chinese] + [re.match(r"[A-Za-z]+", line) for line in chinese]
    assert len(chinese) > 3 and all(end.group() in words for end in ends if end), chinese
