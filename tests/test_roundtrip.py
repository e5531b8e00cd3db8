"""Markdown -> reader -> transforms -> both writers, checked in what the files say.

One document using every block and inline type goes through the whole
pipeline; the DOCX is checked through its XML, the PDF through pypdf's
extracted text, outline and links. A property test feeds arbitrary text the
shipped fonts cover through escape_markdown and both writers.
"""

from __future__ import annotations

import functools
import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from xml.etree import ElementTree

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from briefgen.model import Document, Meta
from briefgen.markdown.reader import escape_markdown, read_document
from briefgen.registry.records import Citation, Fact, FactKind, Origin, Source
from briefgen.themes import Theme, load_theme
from briefgen.transforms.citations import add_source_list, check_citations, number_notes
from briefgen.writers import Rendered
from briefgen.writers.docx import write_docx
from briefgen.writers.pdf import write_pdf

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
ORIGIN = Origin(Path("facts/test.yaml"), 1)
THEME = load_theme("default")
URL = "https://en.wikipedia.org/wiki/Belarus%E2%80%93China_relations"

SOURCES = {
    "wiki": Source("wiki", "Belarus–China relations", "article", ORIGIN, publisher="Wikipedia", url=URL,
                   short_title="Belarus–China relations (Wikipedia)"),
    "report": Source("report", "Anniversary report", "news", ORIGIN),
}
FACTS = {
    "recognition": Fact("recognition", "Recognised.", FactKind.EVENT, ORIGIN,
                        sources=(Citation("wiki", "History, para. 1", "q", ORIGIN),)),
    "anniversary": Fact("anniversary", "Anniversary.", FactKind.EVENT, ORIGIN,
                        sources=(Citation("report", "para. 1", "q", ORIGIN),)),
    "established": Fact("established", "Established.", FactKind.EVENT, ORIGIN,
                        derived_from=("anniversary",), reasoning="2026 − 34 = 1992"),
}

EVERY_CONSTRUCT = f"""\
# Relations overview

Diplomatic *relations* began in **1992** [@established], see [the article]({URL}).\\
A second line with < & and Беларусь 中华人民共和国 [@recognition; @anniversary].

## Key points

::: keyfacts
- Recognition in 1949 [@recognition]
- Relations in 1992 [@established]
:::

### Sequence

1. First step [@recognition]
2. Second step [@anniversary]

{{.compact widths="30,70" caption="Milestones [@anniversary]"}}
| Year | Milestone |
| --- | --- |
| 1949 | Recognition [@recognition] |
| 1992 | Relations [@established] |

> A quoted line [@anniversary]

::: callout
Callout text [@recognition]
:::

::: note
Note box text [@anniversary]
:::

---

::: pagebreak
:::

::: timeline
**1990s**

20 January 1992
: Relations established [@established]
:::
"""

# Text that must appear in both outputs (white space ignored: lines wrap differently).
EXPECTED_TEXT = [
    "Relations overview", "Diplomatic relations began in 1992", "see the article",
    "A second line with < & and Беларусь 中华人民共和国", "Key points", "Key facts", "Recognition in 1949",
    "Sequence", "First step", "Second step", "Milestones", "Year", "Milestone", "Recognition", "A quoted line",
    "Callout text", "Note box text", "1990s", "20 January 1992", "Relations established", "Sources",
    "Belarus–China relations (Wikipedia), History, para. 1", "Derived from Anniversary report, para. 1: 2026 − 34 = 1992",
    "Belarus–China relations, Wikipedia", URL.replace("%E2%80%93", "–"), "Anniversary report",  # shown decoded
]


def pipeline(markdown: str) -> Document:
    doc = read_document(markdown, Meta(title="Belarus and China", author="Desk"))
    check_citations(doc, FACTS)
    return add_source_list(number_notes(doc, FACTS, SOURCES), FACTS, SOURCES)


def squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def pdf_text(rendered: Rendered) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(rendered.data)).pages)


def docx_text(rendered: Rendered) -> str:
    """The text of every run in the body, footnotes and endnotes."""
    with zipfile.ZipFile(io.BytesIO(rendered.data)) as package:
        parts = [name for name in package.namelist() if re.fullmatch(r"word/(document|footnotes|endnotes)\.xml", name)]
        roots = [ElementTree.fromstring(package.read(name)) for name in parts]
    return "\n".join(
        "".join(text.text or "" for text in paragraph.iter(f"{W}t")) for root in roots for paragraph in root.iter(f"{W}p")
    )


WRITERS: dict[str, tuple[Callable[[Document, Theme], Rendered], Callable[[Rendered], str]]] = {
    "docx": (write_docx, docx_text),
    "pdf": (write_pdf, pdf_text),
}


@functools.cache
def rendered(fmt: str) -> Rendered:
    """The every-construct document in ``fmt``, rendered once per test session."""
    return WRITERS[fmt][0](pipeline(EVERY_CONSTRUCT), THEME)


@pytest.mark.parametrize("fmt", sorted(WRITERS))
def test_every_construct_comes_through(fmt: str) -> None:
    text = squeezed(WRITERS[fmt][1](rendered(fmt)))
    missing = [expected for expected in EXPECTED_TEXT if squeezed(expected) not in text]
    assert not missing


def test_pdf_has_outline_links_and_the_page_break() -> None:
    reader = PdfReader(io.BytesIO(rendered("pdf").data))
    assert rendered("pdf").pages == len(reader.pages) >= 2
    assert "1990s" in reader.pages[-1].extract_text() or "1990s" in reader.pages[-2].extract_text()
    assert [item.title for item in reader.outline if not isinstance(item, list)][:1] == ["Relations overview"]
    uris = {
        annotation.get_object()["/A"].get("/URI")
        for page in reader.pages
        for annotation in page.get("/Annots", [])
        if annotation.get_object().get("/A")
    }
    assert URL in uris


def test_docx_has_footnotes_hyperlinks_tables_and_page_break() -> None:
    with zipfile.ZipFile(io.BytesIO(rendered("docx").data)) as package:
        body = package.read("word/document.xml").decode()
        relations = package.read("word/_rels/document.xml.rels").decode()
        notes = "".join(
            package.read(name).decode() for name in package.namelist() if name in {"word/footnotes.xml", "word/endnotes.xml"}
        )
    assert re.search(r'<w:(footnote|endnote)Reference w:id="\d+"', body)
    assert "Belarus–China relations (Wikipedia), History, para. 1" in notes
    assert "<w:hyperlink" in body and URL in relations
    assert 'w:type="page"' in body or "w:pageBreakBefore" in body
    assert body.count("<w:tbl>") >= 2  # the table and the timeline (boxes may be tables too)


# --- arbitrary text -----------------------------------------------------------------

# Characters the shipped fonts cover: printable ASCII, Latin-1 letters, Russian, Belarusian and
# Kazakh Cyrillic, and some Han (Droid Sans Fallback).
_COVERED = st.one_of(
    st.characters(min_codepoint=0x20, max_codepoint=0x7E),
    st.characters(min_codepoint=0xC0, max_codepoint=0xFF),
    st.characters(min_codepoint=0x410, max_codepoint=0x44F),
    st.sampled_from("ЁёЎўІіҚқҒғҢңӘәҮүҰұҺһӨө"),
    st.sampled_from("中华人民共和国白俄罗斯外交关系"),
)


@pytest.mark.parametrize("fmt", sorted(WRITERS))
@settings(max_examples=25, deadline=None)
@given(text=st.lists(_COVERED, min_size=1, max_size=40).map("".join))
def test_any_covered_text_round_trips(fmt: str, text: str) -> None:
    assume(text.strip())
    write, extract = WRITERS[fmt]
    doc = pipeline(f"{escape_markdown(text)}\n\n- {escape_markdown(text)}\n")
    assert squeezed(extract(write(doc, THEME))).count(squeezed(text)) >= 2
