"""The PDF writer: a ``Document`` and a ``Theme`` in, a PDF and its page count out.

It checks every character first (fonts, control characters: one clear error
naming the fact), then builds a story of flowables (title block, the blocks,
notes that have no page of their own) and lays it out once with the page
furniture of the theme. Notes go to the foot of the page that first cites
them (theme ``notes: footnotes``; one taller than most of a page runs on over
the next, as in Word) or to the end (``endnotes``). The PDF is
tagged (PDF/UA-1, see ``tagging``): a structure tree in reading order, the
title an H1, the logo a Figure with alternative text, each note a Note
(under the element that first cites it, or at the end). It never
chooses content: the build stage reads ``Rendered.pages`` to fit a brief.
"""

from __future__ import annotations

import io

from reportlab.lib.colors import HexColor
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.platypus import Flowable, Image, Table

from briefgen.assets import logo_bytes
from briefgen.collector import collector_paused
from briefgen.model import Document, Meta, Note, Text
from briefgen.themes import NotePlacement, Theme, logo_text
from briefgen.typography import typography
from briefgen.writers import Rendered
from briefgen.writers.pdf.blocks import Context, MeasuredParagraph, RuleFlowable, cited_notes, flowables, heading_flowable
from briefgen.writers.pdf.checks import check_pdf_document
from briefgen.writers.pdf.fonts import font_chain
from briefgen.writers.pdf.footnotes import FootnoteArea, NotesRunOn
from briefgen.writers.pdf.markup import InlineMarkup, font_styles, note_anchor
from briefgen.writers.pdf.page import Furniture, PageEnd, PdfInfo, build_pdf, frame_size
from briefgen.writers.pdf.styles import Styles, make_styles
from briefgen.writers.pdf.tagging import Element, Tagged

__all__ = ["write_pdf"]

_LOGO_HEIGHT = 14 * mm


def write_pdf(doc: Document, theme: Theme, *, max_pages: int | None = None,
              record: list[PageEnd] | None = None, tagged: bool = True, finish: bool = True) -> Rendered:
    """Render ``doc`` with ``theme``; raise ``RenderError`` before layout if any text cannot be drawn.

    With ``max_pages``, a document longer than that is not finished: the result
    has no bytes and ``pages == max_pages + 1`` (see ``build_pdf``). ``record``
    receives how each page's body ended (see ``PageEnd``). ``tagged=False`` leaves out the
    structure tree and marked content: the yardstick of the tagging's cost (bench_pdf), no user option.
    ``finish=False`` lays the document out and counts its pages but makes no file (no bytes).
    """
    # A long brief's flowables, notes and pages are millions of objects alive to the end: the collector's
    # passes over them while the story was built made 10x the facts take 14x the time (see briefgen.collector).
    with collector_paused():
        return _written(doc, theme, max_pages, record, tagged, finish)


def _written(doc: Document, theme: Theme, max_pages: int | None, record: list[PageEnd] | None, tagged: bool,
             finish: bool) -> Rendered:
    chain = font_chain(theme.pdf_font, font_styles(doc))  # a face the document never draws with is not parsed
    check_pdf_document(doc, theme, chain)
    regular, bold = chain.primary.face_names[:2]
    styles = make_styles(theme, regular, bold, doc.meta.labels)
    markup = InlineMarkup(chain, theme.accent_colour)
    width, height = frame_size(theme)
    notes = {note.number: _note(note, styles, markup) for note in doc.notes}
    root = Element("Document")
    footnotes = None
    cited_first: dict[int, Element] = {}
    if theme.notes is NotePlacement.FOOTNOTES:
        at_foot = {n: notes.pop(n) for n in sorted(cited_notes(doc.blocks) & notes.keys())}
        cited_first = {n: note.element for n, note in at_foot.items() if note.element is not None}
        footnotes = FootnoteArea(
            at_foot,
            width,
            separator=typography(theme).footnote_separator,
            rule_colour=HexColor(theme.muted_colour),
            body_height=height,
        )
    ctx = Context(theme, styles, markup, width, height, footnotes, element=root, notes=cited_first)
    story = [
        *_title_block(doc.meta, theme, ctx),
        *(flowable for block in doc.blocks for flowable in flowables(block, ctx)),
    ]
    root.children += ctx.notes.values()  # footnotes no text cites (none: the transforms number only cited facts)
    story += _end_notes(list(notes.values()), doc.meta.labels.notes, ctx)
    if footnotes is not None and footnotes.has_long_notes():
        story.append(NotesRunOn(footnotes))
    page_of = doc.meta.labels.page_of
    furniture = Furniture(
        theme,
        doc.meta.marking or theme.marking,
        regular,
        chain.runs,
        lambda page, pages: page_of.replace("{page}", str(page)).replace("{pages}", str(pages)),
    )
    data, pages = build_pdf(story, furniture, _info(doc.meta), footnotes, max_pages, record,
                            structure=root if tagged else None, finish=finish)
    return Rendered(data, pages)


def _info(meta: Meta) -> PdfInfo:
    return PdfInfo(
        title=meta.title,
        author=meta.author or "",
        subject=meta.subject or meta.subtitle or "",
        keywords=meta.keywords,
        language=meta.language,
        date=meta.date,
    )


def _note(note: Note, styles: Styles, markup: InlineMarkup) -> MeasuredParagraph:
    text = f'<a name="{note_anchor(note.number)}"/>{markup(note.children)}'
    paragraph = MeasuredParagraph(text, styles.note, bulletText=str(note.number))
    paragraph.element = Element("Note", element_id=note_anchor(note.number))
    return paragraph


def _end_notes(notes: list[MeasuredParagraph], heading: str, ctx: Context) -> list[Flowable]:
    if not notes:
        return []
    title = heading_flowable(1, (Text(heading),), ctx)
    ctx.element.children += [note.element for note in notes if note.element is not None]
    return [title, *notes]


def _title_block(meta: Meta, theme: Theme, ctx: Context) -> list[Flowable]:
    styles = ctx.styles
    byline = " \u00b7 ".join(part for part in (meta.labels.date, meta.author) if part)
    stack: list[Flowable] = [
        ctx.paragraph((Text(text),), style, ctx.element.add(role))
        for text, style, role in ((meta.title, styles.title, "H1"), (meta.subtitle, styles.subtitle, "P"),
                                  (byline, styles.byline, "P"))
        if text
    ]
    block: list[Flowable] = stack
    if theme.logo is not None:
        logo = _logo(theme)
        logo.element = ctx.element.add("Figure", alt=logo_text(theme, meta.author))
        table = Table([[stack, logo]], colWidths=[ctx.frame_width - logo.drawWidth, logo.drawWidth], hAlign="LEFT")
        table.setStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("ALIGN", (1, 0), (1, 0), "RIGHT"),
                        ("FONTNAME", (0, 0), (-1, -1), styles.body.fontName),
                        *((side, (0, 0), (-1, -1), 0) for side in ("LEFTPADDING", "RIGHTPADDING", "TOPPADDING", "BOTTOMPADDING"))])
        block = [table]
    return [*block, RuleFlowable(ctx.typography.title_rule, theme.accent_colour)]


class _Logo(Tagged, Image):
    """The theme's logo, drawn as a Figure."""


def _logo(theme: Theme) -> _Logo:
    assert theme.logo is not None
    data = logo_bytes(theme.logo)  # checked: an image, whole, of a bounded number of pixels
    image_width, image_height = ImageReader(io.BytesIO(data)).getSize()
    width = min(_LOGO_HEIGHT * image_width / max(image_height, 1), 60 * mm)
    return _Logo(io.BytesIO(data), width=width, height=width * image_height / max(image_width, 1))
