"""Tests for the tagged PDF (writers/pdf/tagging.py): the file read back, as a screen reader reads it.

The structure tree is read with pypdf, the text of each marked-content
sequence with pdfminer.six (its "tag" output names each sequence's MCID),
and the content streams are walked operator by operator to find text or
images outside any marked content. These are the machine-checkable
Matterhorn Protocol conditions listed in docs/accessibility.md.
"""

from __future__ import annotations

import dataclasses
import html
import io
import re
import warnings
from collections.abc import Iterator
from functools import singledispatch
from pathlib import Path

import pytest
from pypdf import PdfReader
from pypdf.generic import ContentStream, DictionaryObject

from briefgen.build import brief_parameters, render_document
from briefgen import model as m
from briefgen.project import load_project
from briefgen.registry.loader import load_registry
from briefgen.templating.briefs import list_briefs, load_brief
from briefgen.themes import NotePlacement, Theme, builtin_theme_names, load_theme
from briefgen.writers import Rendered
from briefgen.writers.pdf import write_pdf
from test_writer_pdf import every_type

REPO = Path(__file__).resolve().parents[1]
AS_OF = "2026-11-23"


# --- reading a tagged PDF back ------------------------------------------------------------------


def structure(reader: PdfReader) -> Iterator[tuple[int, DictionaryObject]]:
    """(depth, element) for every structure element, in reading order."""
    def walk(element: DictionaryObject, depth: int) -> Iterator[tuple[int, DictionaryObject]]:
        yield depth, element
        for kid in kids(element):
            if not isinstance(kid, int) and "/S" in kid:
                yield from walk(kid, depth + 1)

    for top in reader.trailer["/Root"]["/StructTreeRoot"]["/K"]:
        yield from walk(top.get_object(), 0)


def kids(element: DictionaryObject) -> list:
    value = element.get("/K", [])
    items = value if isinstance(value, list) else [value]
    return [item if isinstance(item, int) else item.get_object() for item in items]


def page_numbers(reader: PdfReader) -> dict[int, int]:
    return {page.indirect_reference.idnum: index for index, page in enumerate(reader.pages)}


def own_content(element: DictionaryObject, pages: dict[int, int]) -> list[tuple[int, int]]:
    """(page, MCID) of the element's own marked content, in order."""
    return [kid for kid in content_and_elements(element, pages) if isinstance(kid, tuple)]


def content_and_elements(element: DictionaryObject, pages: dict[int, int]) -> list:
    """The element's kids in reading order: (page, MCID) of its marked content, and the elements under it."""
    result: list = []
    for kid in kids(element):
        if isinstance(kid, int):
            result.append((pages[element.raw_get("/Pg").idnum], kid))
        elif kid.get("/Type") == "/MCR":
            result.append((pages[kid.raw_get("/Pg").idnum], int(kid["/MCID"])))
        elif "/S" in kid:
            result.append(kid)
    return result


def marked_text(data: bytes) -> dict[tuple[int, int], str]:
    """The text of each marked-content sequence, by (page, MCID), as pdfminer decodes it."""
    from pdfminer.high_level import extract_text_to_fp

    out = io.BytesIO()
    extract_text_to_fp(io.BytesIO(data), out, output_type="tag")
    result = {}
    for page, body in enumerate(out.getvalue().decode("utf-8").split("<page ")[1:]):
        for match in re.finditer(r'<(\w+) MCID="(\d+)">(.*?)</\1>', body, re.DOTALL):
            result[(page, int(match[2]))] = html.unescape(match[3])
    return result


def reading_text(reader: PdfReader, data: bytes, *, notes: bool) -> list[str]:
    """The text of the marked content in structure order (a Link's words in their place in its
    paragraph): each note's (``notes``), or the rest, one string per sequence."""
    texts = marked_text(data)
    pages = page_numbers(reader)
    result: list[str] = []

    def visit(element: DictionaryObject, in_note: bool) -> None:
        starts_note = element["/S"] == "/Note" and not in_note
        in_note = in_note or starts_note
        before = len(result)
        for kid in content_and_elements(element, pages):
            if isinstance(kid, tuple):
                if in_note == notes:
                    result.append(texts.get(kid, ""))
            else:
                visit(kid, in_note)
        if starts_note and notes:  # a note's number and text, as one
            result[before:] = ["".join(result[before:])]

    for top in reader.trailer["/Root"]["/StructTreeRoot"]["/K"]:
        visit(top.get_object(), False)
    return result


def unmarked_operators(data: bytes) -> list[str]:
    """Operators that draw text or images outside any marked-content sequence, and unbalanced EMCs."""
    problems = []
    for number, page in enumerate(PdfReader(io.BytesIO(data)).pages, start=1):
        depth = 0
        for _, operator in ContentStream(page.get_contents(), page.pdf).operations:
            if operator in (b"BDC", b"BMC"):
                depth += 1
            elif operator == b"EMC":
                depth -= 1
                if depth < 0:
                    problems.append(f"page {number}: EMC without a sequence")
            elif operator in (b"Tj", b"TJ", b"'", b'"', b"Do") and depth == 0:
                problems.append(f"page {number}: {operator.decode()} outside marked content")
        if depth:
            problems.append(f"page {number}: {depth} sequences left open")
    return problems


def squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


# --- the model's text in reading order ------------------------------------------------------


@singledispatch
def inline_text(inline: m.Inline) -> str:
    raise TypeError(type(inline).__name__)


@inline_text.register
def _(inline: m.Text) -> str:
    return inline.text


@inline_text.register(m.Emph)
@inline_text.register(m.Strong)
@inline_text.register(m.Link)
@inline_text.register(m.Span)
def _(inline: m.Emph | m.Strong | m.Link | m.Span) -> str:
    return inlines_text(inline.children)


@inline_text.register
def _(inline: m.Cite) -> str:
    return ",".join(map(str, inline.notes))


@inline_text.register
def _(inline: m.LineBreak) -> str:
    return ""


def inlines_text(inlines: tuple[m.Inline, ...]) -> str:
    return "".join(map(inline_text, inlines))


def block_texts(block: object) -> list[str]:
    """What a reader hears for ``block``, a piece per structure element, notes aside."""
    match block:
        case m.Heading(children=children) | m.Paragraph(children=children):
            return [inlines_text(children)]
        case m.BulletList(items=items):
            return [piece for item in items for piece in ("\u2022", inlines_text(item.children))]
        case m.OrderedList(items=items, start=start):
            return [piece for i, item in enumerate(items) for piece in (f"{start + i}.", inlines_text(item.children))]
        case m.SourceList(entries=entries):
            return [piece for i, entry in enumerate(entries, 1) for piece in (f"{i}.", inlines_text(entry.children))]
        case m.Table(header=header, rows=rows, caption=caption):
            cells = [*header, *(cell for row in rows for cell in row)] + ([caption] if caption else [])
            return [inlines_text(cell) for cell in cells]
        case m.Timeline(header=header, rows=rows):
            return [*header, *(piece for row in rows for piece in
                               ((row.when, inlines_text(row.children)) if isinstance(row, m.TimelineEntry) else (row.label,)))]
        case m.Box(title=title, children=children):
            return ([title] if title else []) + [piece for child in children for piece in block_texts(child)]
        case m.BlockQuote(children=children):
            return [piece for child in children for piece in block_texts(child)]
        case m.HorizontalRule() | m.PageBreak():
            return []
    raise TypeError(type(block).__name__)


def model_text(doc: m.Document) -> str:
    meta = doc.meta
    byline = " \u00b7 ".join(part for part in (meta.labels.date, meta.author) if part)
    head = [meta.title, meta.subtitle or "", byline]
    return squeezed("".join([*head, *(piece for block in doc.blocks for piece in block_texts(block))]))


def roles(reader: PdfReader, *wanted: str) -> list[str]:
    return [str(element["/S"])[1:] for _, element in structure(reader) if str(element["/S"])[1:] in wanted]


# --- the every-type document -----------------------------------------------------------------


@pytest.fixture(scope="module", params=[NotePlacement.FOOTNOTES, NotePlacement.ENDNOTES], ids=lambda p: p.value)
def tagged(request: pytest.FixtureRequest) -> tuple[m.Document, Rendered, PdfReader]:
    doc = every_type()
    rendered = write_pdf(doc, dataclasses.replace(Theme(), notes=request.param))
    return doc, rendered, PdfReader(io.BytesIO(rendered.data))


def test_the_catalog_declares_a_tagged_document_in_its_language(tagged) -> None:
    _, _, reader = tagged
    catalog = reader.trailer["/Root"]
    assert catalog["/MarkInfo"]["/Marked"] == True  # noqa: E712 (a pypdf BooleanObject)
    assert catalog["/Lang"] == "en"
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"] == True  # noqa: E712
    tree = catalog["/StructTreeRoot"]
    assert tree["/ParentTreeNextKey"] >= len(reader.pages)
    assert all(page["/Tabs"] == "/S" and page["/StructParents"] == index for index, page in enumerate(reader.pages))
    assert reader.metadata.title == "Belarus and China" and reader.metadata.author == "Desk"


def test_xmp_declares_pdf_ua_1_with_title_author_and_language(tagged) -> None:
    _, _, reader = tagged
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode("utf-8")
    assert "<pdfuaid:part>1</pdfuaid:part>" in xmp
    assert '<rdf:li xml:lang="x-default">Belarus and China</rdf:li>' in xmp
    assert "<rdf:li>Desk</rdf:li>" in xmp and "<rdf:li>en</rdf:li>" in xmp


def test_the_parent_tree_maps_every_mcid_back_to_its_element(tagged) -> None:
    _, rendered, reader = tagged
    numbers = reader.trailer["/Root"]["/StructTreeRoot"]["/ParentTree"]["/Nums"]
    parents = dict(zip(numbers[::2], (item.get_object() for item in numbers[1::2]), strict=True))
    pages = page_numbers(reader)
    for _, element in structure(reader):
        for page, mcid in own_content(element, pages):
            assert parents[page][mcid].get_object() == element
    assert set(marked_text(rendered.data)) == {(page, mcid) for page in range(len(reader.pages))
                                                for mcid in range(len(parents[page]))}


def test_headings_lists_and_tables_follow_the_model(tagged) -> None:
    doc, _, reader = tagged
    levels = [f"H{block.level}" for block in doc.blocks if isinstance(block, m.Heading)]
    endnotes = ["H1"] if "Notes" in "".join(reading_text(reader, tagged[1].data, notes=False)) else []
    assert roles(reader, "H1", "H2", "H3") == ["H1", *levels, *endnotes]  # the title is the first H1
    lists = [len(block.items if hasattr(block, "items") else block.entries) for block in doc.blocks
             if isinstance(block, m.BulletList | m.OrderedList | m.SourceList)]
    assert lists == [2, 1, 1]
    assert roles(reader, "L", "LI", "Lbl", "LBody") == [role for items in lists
                                                        for role in ["L", *["LI", "Lbl", "LBody"] * items]]
    # the table, then the timeline (two columns, a group row and an entry)
    assert roles(reader, "Table", "THead", "TBody", "TR", "TH", "TD", "Caption") == [
        "Table", "THead", "TR", "TH", "TH", "TBody", "TR", "TD", "TD", "Caption",
        "Table", "THead", "TR", "TH", "TH", "TBody", "TR", "TD", "TR", "TD", "TD"]
    headers = [element for _, element in structure(reader) if element["/S"] == "/TH"]
    assert all(header["/A"]["/Scope"] == "/Column" for header in headers)
    group = next(element for _, element in structure(reader) if element["/S"] == "/TD" and "/A" in element)
    assert group["/A"]["/ColSpan"] == 2  # the timeline's year row spans both columns
    assert roles(reader, "Aside", "BlockQuote") == ["BlockQuote", "Aside"]


def test_the_text_in_structure_order_is_the_models_text_in_order(tagged) -> None:
    doc, rendered, reader = tagged
    body = squeezed("".join(reading_text(reader, rendered.data, notes=False)))
    expected = model_text(doc)
    if doc.notes and "Notes" in body[len(expected):]:
        expected += "Notes"
    assert body == expected


def test_every_note_is_a_note_element_with_an_id_in_order(tagged) -> None:
    doc, rendered, reader = tagged
    notes = [element for _, element in structure(reader) if element["/S"] == "/Note"]
    assert [str(note["/ID"]) for note in notes] == [f"note-{note.number}" for note in doc.notes]
    texts = reading_text(reader, rendered.data, notes=True)
    assert [squeezed(text) for text in texts] == [squeezed(f"{note.number}{inlines_text(note.children)}")
                                                  for note in doc.notes]


def test_text_in_another_language_is_a_span_with_its_lang_in_its_place(tagged) -> None:
    _, rendered, reader = tagged
    texts, pages = marked_text(rendered.data), page_numbers(reader)
    spans = [element for _, element in structure(reader) if element["/S"] == "/Span"]
    assert [(str(span["/Lang"]), "".join(texts[key] for key in own_content(span, pages))) for span in spans] == [
        ("be", "Беларусь"), ("zh", "中华人民共和国")]
    paragraph = spans[0]["/P"].get_object()
    assert spans[1]["/P"].get_object() == paragraph and paragraph["/S"] == "/P"
    order = [texts[kid] if isinstance(kid, tuple) else kid.get("/Lang", kid["/S"]) for kid in content_and_elements(paragraph, pages)]
    assert order[:5] == ["Belarus (", "be", ") and the PRC (", "zh", ") are partners."]


def test_no_text_or_image_lies_outside_marked_content(tagged) -> None:
    assert unmarked_operators(tagged[1].data) == []


def test_every_link_is_a_link_element_with_its_annotation_and_contents(tagged) -> None:
    _, rendered, reader = tagged
    links = [element for _, element in structure(reader) if element["/S"] == "/Link"]
    annotations = [annotation.get_object() for page in reader.pages for annotation in page.get("/Annots", [])]
    assert len(links) == len(annotations) > 2
    tree_parents = reader.trailer["/Root"]["/StructTreeRoot"]["/ParentTree"]["/Nums"]
    parents = dict(zip(tree_parents[::2], tree_parents[1::2], strict=True))
    for link in links:
        objr = next(kid for kid in kids(link) if not isinstance(kid, int) and kid.get("/Type") == "/OBJR")
        annotation = objr["/Obj"].get_object()
        assert annotation["/Contents"]
        assert parents[annotation["/StructParent"]].get_object() == link
    contents = {str(annotation["/Contents"]) for annotation in annotations}
    assert {"https://example.org/a?b=1&c=2", "https://en.wikipedia.org", "Note 1"} <= contents
    # a screen reader reads each link's words as the Link's own content, in its place in the paragraph
    texts, pages = marked_text(rendered.data), page_numbers(reader)
    words = {str(next(kid for kid in kids(link) if not isinstance(kid, int) and kid.get("/Type") == "/OBJR")
                 ["/Obj"]["/Contents"]): "".join(texts[key] for key in own_content(link, pages)) for link in links}
    assert words["https://example.org/a?b=1&c=2"] == "the portal" and words["https://en.wikipedia.org"] == "en.wikipedia.org"
    assert all(words[f"Note {n}"] == str(n) for n in range(1, 4))
    paragraph = next(element for _, element in structure(reader)
                     if any(kid.get("/S") == "/Link" and "portal" in "".join(texts[key] for key in own_content(kid, pages))
                            for kid in content_and_elements(element, pages) if not isinstance(kid, tuple)))
    order = [texts[kid] if isinstance(kid, tuple) else ("Link", "".join(texts[key] for key in own_content(kid, pages)))
             for kid in content_and_elements(paragraph, pages)]
    portal = order.index(("Link", "the portal"))
    assert order[portal - 1].endswith("See ") and order[portal + 1] == "." and ("Link", "1") in order[:portal]


def test_a_logo_is_a_figure_with_alternative_text(tmp_path: Path) -> None:
    from PIL import Image

    logo = tmp_path / "logo.png"
    Image.new("RGB", (200, 80), "navy").save(logo)
    rendered = write_pdf(every_type(), dataclasses.replace(Theme(), logo=logo, watermark="DRAFT"))
    reader = PdfReader(io.BytesIO(rendered.data))
    figures = [element for _, element in structure(reader) if element["/S"] == "/Figure"]
    assert [str(figure["/Alt"]) for figure in figures] == ["Logo: Desk"]
    assert own_content(figures[0], page_numbers(reader)) == [(0, 3)]  # after the title, subtitle and byline
    assert unmarked_operators(rendered.data) == []
    described = write_pdf(every_type(), dataclasses.replace(Theme(), logo=logo, logo_alt="Ministry crest"))
    [figure] = [element for _, element in structure(PdfReader(io.BytesIO(described.data))) if element["/S"] == "/Figure"]
    assert figure["/Alt"] == "Ministry crest"  # the theme's logo_alt, which a theme file must give


def test_furniture_is_an_artifact() -> None:
    rendered = write_pdf(every_type(), dataclasses.replace(Theme(), header_text="Ministry desk", watermark="DRAFT"))
    tagged_text = "".join(marked_text(rendered.data).values())
    assert "Ministry desk" not in tagged_text and "OFFICIAL" not in tagged_text and "Page 1 of" not in tagged_text
    assert "Ministry desk" in PdfReader(io.BytesIO(rendered.data)).pages[0].extract_text()


# --- every shipped brief in every theme ------------------------------------------------------------


def shipped_documents() -> Iterator[tuple[str, m.Document]]:
    project = load_project(REPO)
    registry = load_registry(REPO / "facts", as_of=AS_OF, cache=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for info in list_briefs(project.templates_dir):
            brief = load_brief(info.name, project.templates_dir)
            yield info.name, render_document(brief, registry, brief_parameters(brief, project.params, {}, [brief]))


@pytest.fixture(scope="module")
def shipped() -> list[tuple[str, m.Document]]:
    return list(shipped_documents())


@pytest.mark.parametrize("theme_name", [*builtin_theme_names(), str(REPO / "templates/themes/house.yaml")])
def test_every_shipped_brief_is_tagged_in_every_theme(shipped, theme_name: str) -> None:
    theme = load_theme(theme_name)
    assert len(shipped) >= 6
    for name, doc in shipped:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            data = write_pdf(doc, theme).data
        reader = PdfReader(io.BytesIO(data))
        assert reader.trailer["/Root"]["/Lang"] == doc.meta.language, name
        assert unmarked_operators(data) == [], name
        headings = [f"H{min(block.level, 3)}" for block in doc.blocks if isinstance(block, m.Heading)]
        assert roles(reader, "H1", "H2", "H3")[1:1 + len(headings)] == headings, name
        levels = [int(role[1]) for role in roles(reader, "H1", "H2", "H3")]
        assert levels[0] == 1 and all(b <= a + 1 for a, b in zip(levels, levels[1:])), (name, levels)  # none skipped
