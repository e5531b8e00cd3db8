"""DOCX writer: the document model as a Word file an office can print and edit.

``write_docx(doc, theme)`` starts from the reference DOCX with the theme laid
over its styles (prepared and opened once per process, then copied for each
document), and renders the title block and every block
through ``singledispatch`` functions, one short function per model type.
Word specifics live in the ``docx_*`` helpers: styles, notes, fields,
hyperlinks, numbering, page furniture, the reproducible zip. Sizes and
spacing come from ``briefgen.typography``, as in the PDF writer, so that a
brief takes as many pages in Word as in the PDF. The writer uses real styles
for everything (direct formatting only for a table's column widths and
indent and shading a timeline group row), never chooses content, and cannot
count pages (Word lays out), so ``Rendered.pages`` is ``None``.
"""

from __future__ import annotations

import copy
import dataclasses
import functools
import io
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from briefgen.assets import logo_bytes, reference_docx_bytes
from briefgen.errors import RenderError, did_you_mean
from briefgen import model
from briefgen.themes import NotePlacement, Theme, logo_text
from briefgen.typography import Indent, Typography, typography
from briefgen.writers import Rendered
from briefgen.writers.docx.footnotes import ENDNOTES, FOOTNOTES, NotesPart
from briefgen.writers.docx.hyperlinks import add_hyperlink
from briefgen.writers.docx.numbering import indent_list, restarted_list
from briefgen.writers.docx.order import W, set_child, w_element
from briefgen.writers.docx.page import set_up_pages, text_width
from briefgen.writers.docx.reproducible import SharedParts, document_timestamp, package_bytes
from briefgen.writers.docx.runs import add_run
from briefgen.writers.docx.styles import (
    BOX_STYLES,
    StyleId,
    apply_theme,
    cell_margins,
    cell_padding,
    run_language,
    check_styles,
    styled,
    table_style_id,
)
from briefgen.writers.docx.units import twips
from briefgen.transforms.checks import check_document

if TYPE_CHECKING:
    from docx.document import Document as WordDocument
    from docx.opc.part import Part
    from docx.table import Table as WordTable
    from docx.table import _Row
    from docx.text.paragraph import Paragraph as WordParagraph
    from lxml import etree

__all__ = ["write_docx"]

_HEADINGS = {1: StyleId.HEADING1, 2: StyleId.HEADING2, 3: StyleId.HEADING3}
_LISTS = (StyleId.LIST_BULLET, StyleId.LIST_NUMBER)
_EMU_PER_TWIP = 635
_CORE_TEXT_LIMIT = 255  # characters in a core property (title, subject...): python-docx refuses more

# Blocks go into the body (a python-docx Document) or a table cell (_Cell):
# both offer add_paragraph() and add_table(rows, cols).
Container = Any


@dataclass(frozen=True, slots=True)
class _Context:
    """What rendering one document needs; ``width`` and ``body_style`` change inside boxes and quotes."""

    document: WordDocument
    theme: Theme
    typography: Typography
    notes: dict[int, model.Note]
    notes_part: NotesPart | None
    note_style: StyleId
    reference_style: StyleId
    reference_rpr: etree._Element
    width: int  # EMU available to a table
    body_style: StyleId = StyleId.NORMAL


@dataclass(frozen=True, slots=True)
class _Format:
    bold: bool = False
    italic: bool = False
    char_style: StyleId | None = None
    language: str | None = None  # a span's language, where it is not the document's


@dataclass(frozen=True, slots=True)
class _Target:
    """Where runs go: a paragraph's ``w:p``, or a ``w:hyperlink`` inside it, in ``part`` (the main document, a notes part)."""

    part: Part
    element: etree._Element


def write_docx(doc: model.Document, theme: Theme) -> Rendered:
    """Render ``doc`` as DOCX bytes; same input, same bytes."""
    check_document(doc, theme)
    logo = logo_bytes(theme.logo) if theme.logo else None
    prepared = _prepared(_reference_bytes(theme.reference_docx), theme, doc.meta.labels, doc.meta.marking or theme.marking, logo,
                         logo_text(theme, doc.meta.author) if logo else "")
    pristine, shared = _opened(prepared, theme.reference_docx)
    document = _fresh_copy(pristine, shared)
    ctx = _context(doc, document, theme)
    _title_block(doc.meta, document)
    for block in doc.blocks:
        _block(block, ctx, document)
    _core_properties(document, doc.meta)
    return Rendered(package_bytes(document.part.package, shared))


def _context(doc: model.Document, document: WordDocument, theme: Theme) -> _Context:
    endnotes = theme.notes is NotePlacement.ENDNOTES
    reference_style = StyleId.ENDNOTE_REFERENCE if endnotes else StyleId.FOOTNOTE_REFERENCE
    reference_rpr = w_element("rPr")
    reference_rpr.append(w_element("rStyle", val=reference_style))
    typo = typography(theme)
    return _Context(
        document=document,
        theme=theme,
        typography=typo,
        notes={note.number: note for note in doc.notes},
        notes_part=(NotesPart(document.part, ENDNOTES if endnotes else FOOTNOTES, typo.footnote_separator)
                    if doc.notes else None),
        note_style=StyleId.ENDNOTE_TEXT if endnotes else StyleId.FOOTNOTE_TEXT,
        reference_style=reference_style,
        reference_rpr=reference_rpr,
        width=text_width(theme),
    )


# --- the reference DOCX --------------------------------------------------------------


@functools.lru_cache(maxsize=16)
def _prepared(reference: bytes, theme: Theme, labels: model.Labels, marking: str | None, logo: bytes | None,
              logo_alt: str) -> bytes:
    """The reference DOCX with an empty body, the theme laid over its styles and lists, and its page furniture.

    Made once per reference, theme, labels (language, footer words), marking and logo (and its alternative text) in a process: every
    document then starts from these bytes (``_opened``), as a hand-written python-docx loop starts
    from a prepared template, instead of styling the reference again each time.
    """
    path = theme.reference_docx
    document = _open_reference(reference, path)
    document.element.body.clear_content()
    styles = document.styles.element
    check_styles(styles)
    apply_theme(styles, theme, labels)
    if labels.hyphenate:  # Word and LibreOffice hyphenate the language w:lang names
        set_child(document.settings.element, w_element("autoHyphenation"))
    set_up_pages(document, theme, marking, labels.page_of, logo, logo_alt)
    numbering = document.part.numbering_part.element
    for style_id in _LISTS:
        indent_list(numbering, styles.get_by_id(style_id), typography(theme).list_indent)
    prepared = io.BytesIO()
    document.save(prepared)
    return prepared.getvalue()


@functools.lru_cache(maxsize=16)
def _opened(prepared: bytes, path: Path | None) -> tuple[WordDocument, SharedParts]:
    """The prepared reference as python-docx opens it, read once per process and never changed, and its
    parts that no document changes (by ``id``): each document starts from a copy of it (``_fresh_copy``)
    that holds those very parts, and its package is written with their entries compressed once (``SharedParts``).

    It must be copied before python-docx makes any proxy of a part's inner element (a copied proxy
    would point at a copy cut off from the copied part): nothing touches it but ``copy.deepcopy``.
    """
    document = _open_reference(prepared, path)
    return document, SharedParts(part for part in document.part.package.iter_parts() if part.content_type in _UNCHANGED)


def _fresh_copy(pristine: WordDocument, shared: SharedParts) -> WordDocument:
    """A deep copy of the prepared reference for one document: the same package (every part, relationship
    and element) at a third of the cost of opening its bytes again. The parts no document changes (styles,
    theme, fonts, header and footer...) are shared with it rather than copied: the writer only reads them."""
    return copy.deepcopy(pristine, shared.memo())


_UNCHANGED = frozenset(f"application/vnd.openxmlformats-officedocument.{kind}+xml" for kind in (
    "wordprocessingml.styles", "theme", "wordprocessingml.fontTable", "wordprocessingml.webSettings",
    "wordprocessingml.header", "wordprocessingml.footer", "extended-properties"))


def _open_reference(data: bytes, path: Path | None) -> WordDocument:
    import docx

    try:
        return docx.Document(io.BytesIO(data))
    except Exception as exc:  # a package that passed the checks but that python-docx cannot read: lxml, KeyError...
        if path is None:
            raise
        raise RenderError(f"the reference DOCX cannot be read ({exc.__class__.__name__})", file=path, hint="save it again from Word or LibreOffice") from None


def _reference_bytes(path: Path | None) -> bytes:
    if path is None:
        return _builtin_reference()
    return reference_docx_bytes(path)


@functools.cache
def _builtin_reference() -> bytes:
    return (resources.files("briefgen") / "data" / "reference.docx").read_bytes()


# --- title block and properties --------------------------------------------------------


def _title_block(meta: model.Meta, document: WordDocument) -> None:
    add_run(styled(document.add_paragraph(), StyleId.TITLE)._p, meta.title)
    if meta.subtitle:
        add_run(styled(document.add_paragraph(), StyleId.SUBTITLE)._p, meta.subtitle)
    details = [meta.labels.date, meta.author]
    # Always written: its bottom border is the rule under the title block.
    add_run(styled(document.add_paragraph(), StyleId.META)._p, "  ·  ".join(d for d in details if d))


def _core_properties(document: WordDocument, meta: model.Meta) -> None:
    properties = document.core_properties
    properties.title = _core_text(meta.title)
    properties.subject = _core_text(meta.subject or meta.subtitle or "")
    properties.author = properties.last_modified_by = _core_text(meta.author or "")
    properties.keywords = _core_text(", ".join(meta.keywords))
    properties.language = meta.labels.language_tag
    properties.created = properties.modified = document_timestamp(meta.date)
    properties.revision = 1


def _core_text(text: str) -> str:
    """``text`` cut to the 255 characters python-docx allows a core property, ending in an ellipsis.

    Only the file's properties are shortened: the page shows the whole title.
    """
    return text if len(text) <= _CORE_TEXT_LIMIT else text[: _CORE_TEXT_LIMIT - 1].rstrip() + "\u2026"


# --- blocks ----------------------------------------------------------------------------


@functools.singledispatch
def _block(block: object, ctx: _Context, container: Container) -> None:
    raise TypeError(f"the DOCX writer has no rendering for {type(block).__name__}")


@_block.register
def _heading(block: model.Heading, ctx: _Context, container: Container) -> None:
    _paragraph(ctx, container, _HEADINGS[min(max(block.level, 1), 3)], block.children)


@_block.register
def _plain(block: model.Paragraph, ctx: _Context, container: Container) -> None:
    _paragraph(ctx, container, ctx.body_style, block.children)


@_block.register
def _bullets(block: model.BulletList, ctx: _Context, container: Container) -> None:
    for item in block.items:
        _paragraph(ctx, container, StyleId.LIST_BULLET, item.children)


@_block.register
def _numbered(block: model.OrderedList, ctx: _Context, container: Container) -> None:
    _numbered_paragraphs(ctx, container, StyleId.LIST_NUMBER, [item.children for item in block.items], block.start)


def _numbered_paragraphs(ctx: _Context, container: Container, style: StyleId, items: list[tuple[model.Inline, ...]],
                         start: int = 1, indent: Indent | None = None) -> None:
    """Paragraphs in ``style`` numbered start, start + 1, ... like List Number, as a list of their own."""
    template = ctx.document.styles.element.get_by_id(StyleId.LIST_NUMBER)
    num_id = restarted_list(ctx.document.part.numbering_part.element, template, start, indent)
    for inlines in items:
        numbering = w_element("numPr")
        numbering.extend((w_element("ilvl", val="0"), w_element("numId", val=str(num_id))))
        set_child(_paragraph(ctx, container, style, inlines)._p.pPr, numbering)


@_block.register
def _table(block: model.Table, ctx: _Context, container: Container) -> None:
    columns = len(block.header)
    if block.widths is not None and len(block.widths) != columns:
        raise RenderError(f"a table has {columns} columns but {len(block.widths)} widths", hint="give one width per column")
    for number, row in enumerate(block.rows, start=1):
        if len(row) != columns:
            raise RenderError(f"row {number} of a table has {len(row)} cells, its header {columns}")
    if block.caption:
        _paragraph(ctx, container, StyleId.CAPTION, block.caption)
    style_id = table_style_id(ctx.document.styles.element, block.style)
    table = _grid(ctx, container, len(block.rows) + 1, block.widths or (1.0,) * columns, style_id)
    for row, cells in zip(table.rows, (block.header, *block.rows), strict=True):
        for cell, inlines in zip(row.cells, cells, strict=True):
            _inlines(ctx, ctx.document.part, cell.paragraphs[0]._p, inlines, _Format())
    _gap_after(table, container)


@_block.register
def _timeline(block: model.Timeline, ctx: _Context, container: Container) -> None:
    table = _grid(ctx, container, len(block.rows) + 1, ctx.typography.timeline_widths, StyleId.TABLE, first_column=True)
    for cell, heading in zip(table.rows[0].cells, block.header, strict=True):
        add_run(cell.paragraphs[0]._p, heading)
    for row, entry in zip(table.rows[1:], block.rows, strict=True):
        _timeline_row(ctx, row, entry)
    _gap_after(table, container)


def _timeline_row(ctx: _Context, row: _Row, entry: model.TimelineGroup | model.TimelineEntry) -> None:
    match entry:
        case model.TimelineGroup(label=label):
            cell = row.cells[0].merge(row.cells[1])
            add_run(styled(cell.paragraphs[0], StyleId.TIMELINE_GROUP)._p, label)
            fill = ctx.theme.box_colour.removeprefix("#")
            set_child(cell._tc.get_or_add_tcPr(), w_element("shd", val="clear", color="auto", fill=fill))
        case model.TimelineEntry(when=when, children=children):
            add_run(row.cells[0].paragraphs[0]._p, when)
            _inlines(ctx, ctx.document.part, row.cells[1].paragraphs[0]._p, children, _Format())


@_block.register
def _quote(block: model.BlockQuote, ctx: _Context, container: Container) -> None:
    inner = dataclasses.replace(ctx, body_style=StyleId.QUOTE)
    for child in block.children:
        _block(child, inner, container)


@_block.register
def _box(block: model.Box, ctx: _Context, container: Container) -> None:
    if block.kind not in BOX_STYLES:
        raise RenderError(f"unknown box kind '{block.kind}'", hint=did_you_mean(block.kind, BOX_STYLES, f"boxes: {', '.join(BOX_STYLES)}"))
    # A titled box is a table whose header row is its title: a tagged export (LibreOffice's PDF/UA) then
    # has a TH to say what the box holds, where a one-cell table would be a table without headers.
    # The padding between the two rows is left out, so that it looks as one cell.
    titled = bool(block.title)
    table = _grid(ctx, container, 2 if titled else 1, (1.0,), BOX_STYLES[block.kind], first_row=titled, keep_rows=False)
    if titled:
        title = table.cell(0, 0)
        add_run(styled(title.paragraphs[0], StyleId.BOX_TITLE)._p, block.title)
        set_child(title._tc.get_or_add_tcPr(), cell_margins("tcMar", bottom=0))
        set_child(table.cell(1, 0)._tc.get_or_add_tcPr(), cell_margins("tcMar", top=0))
    cell = table.cell(1 if titled else 0, 0)
    cell._tc.remove(cell.paragraphs[0]._p)
    padding = ctx.typography.box_padding
    inner = dataclasses.replace(ctx, width=ctx.width - twips(padding.left + padding.right) * _EMU_PER_TWIP,
                                body_style=StyleId.BOX_TEXT)
    for child in block.children:
        _block(child, inner, cell)
    if not cell.paragraphs:
        cell.add_paragraph()  # a cell must end with a paragraph
    _gap_after(table, container)


@_block.register
def _rule(block: model.HorizontalRule, ctx: _Context, container: Container) -> None:
    styled(container.add_paragraph(), StyleId.RULE)


@_block.register
def _page_break(block: model.PageBreak, ctx: _Context, container: Container) -> None:
    from docx.enum.text import WD_BREAK

    container.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


@_block.register
def _sources(block: model.SourceList, ctx: _Context, container: Container) -> None:
    if block.entries:
        _numbered_paragraphs(ctx, container, StyleId.SOURCE_ENTRY, [entry.children for entry in block.entries],
                             indent=ctx.typography.source_indent)


def _paragraph(ctx: _Context, container: Container, style: StyleId, inlines: tuple[model.Inline, ...]) -> WordParagraph:
    paragraph = styled(container.add_paragraph(), style)
    _inlines(ctx, ctx.document.part, paragraph._p, inlines, _Format())
    return paragraph


# --- tables ----------------------------------------------------------------------------


def _grid(
    ctx: _Context,
    container: Container,
    rows: int,
    widths: tuple[float, ...],
    style_id: str,
    *,
    first_row: bool = True,
    first_column: bool = False,
    keep_rows: bool = True,
) -> WordTable:
    """An empty table in style ``style_id`` with fixed column widths filling ``ctx.width``.

    Word's autofit re-flows columns on every edit; a fixed layout keeps a brief's columns
    where the template put them. Row 0 repeats on each page when ``first_row``.
    """
    table = container.add_table(rows=rows, cols=len(widths))
    properties = table._tbl.tblPr
    properties.style = style_id
    table.autofit = False
    total = sum(widths)
    emus = [int(ctx.width * width / total) // _EMU_PER_TWIP * _EMU_PER_TWIP for width in widths]
    set_child(properties, w_element("tblW", w=str(sum(emus) // _EMU_PER_TWIP), type="dxa"))
    # Word (before 2013) and LibreOffice hang a table's edge out into the margin by its cell padding.
    indent = twips(cell_padding(ctx.typography, style_id).left)
    set_child(properties, w_element("tblInd", w=str(indent), type="dxa"))
    set_child(properties, _table_look(first_row, first_column))
    for column, width in zip(table.columns, emus, strict=True):
        column.width = width
    for index, row in enumerate(table.rows):
        row_properties = row._tr.get_or_add_trPr()
        if keep_rows:
            set_child(row_properties, w_element("cantSplit"))
        if first_row and index == 0:
            set_child(row_properties, w_element("tblHeader"))
        for cell, width in zip(row.cells, emus, strict=True):
            cell.width = width
    return table


def _table_look(first_row: bool, first_column: bool) -> etree._Element:
    """Which conditional formats of the table style apply (header row, date column, banding)."""
    legacy = 0x0400 | (0x0020 if first_row else 0) | (0x0080 if first_column else 0)
    flag = {True: "1", False: "0"}
    return w_element(
        "tblLook", val=f"{legacy:04X}", firstRow=flag[first_row], lastRow="0",
        firstColumn=flag[first_column], lastColumn="0", noHBand="0", noVBand="1",
    )


def _gap_after(table: WordTable, container: Container) -> None:
    """A small styled paragraph after a table: spacing, and what a cell needs to end with.

    Inside a cell python-docx has already added an empty paragraph after the table; reuse it.
    """
    from docx.text.paragraph import Paragraph as WordParagraph

    following = table._tbl.getnext()
    is_paragraph = following is not None and following.tag == f"{{{W}}}p"
    styled(WordParagraph(following, container) if is_paragraph else container.add_paragraph(), StyleId.TABLE_GAP)


# --- inlines ---------------------------------------------------------------------------


def _inlines(ctx: _Context, part: Part, element: etree._Element, inlines: tuple[model.Inline, ...], fmt: _Format) -> None:
    target = _Target(part, element)
    for inline in inlines:
        _inline(inline, ctx, target, fmt)


@functools.singledispatch
def _inline(inline: object, ctx: _Context, target: _Target, fmt: _Format) -> None:
    raise TypeError(f"the DOCX writer has no rendering for {type(inline).__name__}")


@_inline.register
def _text(inline: model.Text, ctx: _Context, target: _Target, fmt: _Format) -> None:
    _run(target, fmt, inline.text)


@_inline.register
def _emph(inline: model.Emph, ctx: _Context, target: _Target, fmt: _Format) -> None:
    _inlines(ctx, target.part, target.element, inline.children, dataclasses.replace(fmt, italic=True))


@_inline.register
def _strong(inline: model.Strong, ctx: _Context, target: _Target, fmt: _Format) -> None:
    _inlines(ctx, target.part, target.element, inline.children, dataclasses.replace(fmt, bold=True))


@_inline.register
def _link(inline: model.Link, ctx: _Context, target: _Target, fmt: _Format) -> None:
    link = add_hyperlink(target.element, target.part, inline.url)
    _inlines(ctx, target.part, link, inline.children, dataclasses.replace(fmt, char_style=StyleId.HYPERLINK))


@_inline.register
def _span(inline: model.Span, ctx: _Context, target: _Target, fmt: _Format) -> None:
    _inlines(ctx, target.part, target.element, inline.children, dataclasses.replace(fmt, language=inline.language))


@_inline.register
def _line_break(inline: model.LineBreak, ctx: _Context, target: _Target, fmt: _Format) -> None:
    _run(target, fmt, "\n")  # a w:br


@_inline.register
def _cite(inline: model.Cite, ctx: _Context, target: _Target, fmt: _Format) -> None:
    # check_document has made sure every citation has its notes
    for index, number in enumerate(inline.notes):
        if index:  # several notes at one place: 1,2 rather than an ambiguous 12
            _run(target, _Format(char_style=ctx.reference_style), ",")
        target.element.extend(_note_reference(ctx, number, inline))


def _note_reference(ctx: _Context, number: int, cite: model.Cite) -> list[etree._Element]:
    if ctx.notes_part is None or number not in ctx.notes:
        raise RenderError(f"note {number} (fact '{cite.fact_ids[0]}') is cited but missing from the document's notes", line=cite.line)
    if not ctx.notes_part.is_placed(number):
        element = ctx.notes_part.add_note(number, ctx.note_style, ctx.reference_rpr)
        _inlines(ctx, ctx.notes_part.part, element, ctx.notes[number].children, _Format())
    return ctx.notes_part.reference(number, ctx.reference_rpr)


def _run(target: _Target, fmt: _Format, text: str) -> etree._Element:
    """A new run of ``text`` at the end of ``target`` with ``fmt``."""
    properties = [w_element("rStyle", val=fmt.char_style)] if fmt.char_style else []
    properties += [w_element(tag) for tag, wanted in (("b", fmt.bold), ("i", fmt.italic)) if wanted]
    if fmt.language:
        properties.append(run_language(fmt.language))
    return add_run(target.element, text, properties)
