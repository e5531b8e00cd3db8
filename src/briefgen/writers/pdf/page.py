"""The page of a PDF brief: frame, furniture, page numbers, outline and file metadata.

``build_pdf`` lays out a story once. A counting canvas keeps each finished
page and draws the furniture (marking banners, header and footer text,
"Page N of M", watermark) when the total is known, so the layout is never
redone and keep-with-next decisions stand. Headings marked with an
``outline_level`` become bookmarks. The creation date comes from the
document's date (the build's as-of day, in the model) and the file is written in
reportlab's invariant mode, so equal input gives equal bytes. This module
does not turn model blocks into flowables.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from reportlab.lib.colors import Color, HexColor
from reportlab.lib.fonts import tt2ps
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.units import mm
from reportlab.lib.utils import TimeStamp
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, LayoutError, PageTemplate

from briefgen.errors import RenderError
from briefgen.themes import PageSize, Theme
from briefgen.typography import BANNER, typography
from briefgen.writers.pdf.footnotes import FootnoteArea, FootnoteFrame
from briefgen.writers.pdf.keeping import KeepWithFirst
from briefgen.writers.pdf.styles import RULE_COLOUR
from briefgen.writers.pdf.tagging import Element, Tagger, TaggingCanvas, XmpInfo

__all__ = ["Furniture", "PageEnd", "PdfInfo", "build_pdf", "frame_size"]

_PAGE_SIZES = {PageSize.A4: A4, PageSize.LETTER: LETTER}


@dataclass(frozen=True, slots=True)
class Furniture:
    """What every page shows around the text."""

    theme: Theme
    marking: str | None
    font: str  # the theme family's regular face
    runs: Callable[[str], list[tuple[str | None, str]]]  # text in runs of one font (None: the theme's)
    page_label: Callable[[int, int], str]


@dataclass(frozen=True, slots=True)
class PdfInfo:
    title: str
    author: str
    subject: str
    keywords: tuple[str, ...]
    language: str
    date: dt.date | None


@dataclass(frozen=True, slots=True)
class PageEnd:
    """How the body of a page ended: the layout's own record, for checking its pagination."""

    room: float  # points left in the body, above the page's notes
    ends_with_heading: bool
    next_row: float | None  # a table goes on over the page: the height its next row and that row's notes need
    widow_kept: bool  # a row went over with the table's last one, so that it is not alone


def _page_size(theme: Theme) -> tuple[float, float]:
    """Width and height of the theme's page in points, as reportlab knows the paper."""
    return _PAGE_SIZES[theme.page_size]


def frame_size(theme: Theme) -> tuple[float, float]:
    """Width and height of the text frame in points."""
    width, height = _page_size(theme)
    m = theme.margins
    return width - (m.left + m.right) * mm, height - (m.top + m.bottom) * mm


def build_pdf(
    story: list[Flowable], furniture: Furniture, info: PdfInfo, notes: FootnoteArea | None, max_pages: int | None = None,
    record: list[PageEnd] | None = None, structure: Element | None = None, finish: bool = True,
) -> tuple[bytes, int]:
    """Lay out ``story`` once; return the PDF bytes and the page count.

    With ``max_pages``, the layout stops as soon as it would begin page
    ``max_pages + 1`` and returns no bytes and that page number: all a caller
    fitting a brief to a page limit needs to know about a story that is too long.
    ``record``, if given, receives a ``PageEnd`` for every page. With ``structure`` (the root
    of the elements the story's ``Tagged`` flowables draw), the PDF is tagged (see ``tagging``).
    ``finish=False`` only counts the pages: no furniture is drawn and no file is made (no bytes),
    which is all a brief fitted for another format needs and about half the work.
    """
    theme = furniture.theme
    buffer = io.BytesIO()
    template = _BriefTemplate(
        buffer,
        pagesize=_page_size(theme),
        leftMargin=theme.margins.left * mm,
        rightMargin=theme.margins.right * mm,
        topMargin=theme.margins.top * mm,
        bottomMargin=theme.margins.bottom * mm,
        title=info.title,
        author=info.author,
        subject=info.subject,
        keywords=list(info.keywords),
        creator="briefgen",
        lang=info.language,
        invariant=1,
        keepTogetherClass=KeepWithFirst,
    )
    frame = FootnoteFrame(template.leftMargin, template.bottomMargin, template.width, template.height,
                          leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="body", notes=notes)

    def end_page(canvas: Canvas, doc: BaseDocTemplate) -> None:
        if record is not None:
            last = template.last_drawn
            record.append(PageEnd(frame._y - frame._y1p, hasattr(last, "outline_level"), getattr(last, "next_row", None),
                                  getattr(last, "widow_kept", False)))
        if notes is not None:
            notes.draw(canvas, frame._x1, frame.notes_bottom())

    template.addPageTemplates([PageTemplate("brief", [frame], onPageEnd=end_page, pagesize=_page_size(theme))])
    stamp = _timestamp(info.date)
    pages: list[int] = []
    tagger = None if structure is None else Tagger(structure, XmpInfo(info.title, info.author, info.language))

    def make_canvas(*args: Any, **kwargs: Any) -> _CountingCanvas:
        kwargs["initialFontName"] = furniture.font  # else every page names an unembedded Helvetica
        return _CountingCanvas(*args, furniture=furniture, stamp=stamp, pages=pages, tagger=tagger, finish=finish, **kwargs)

    template.max_pages = max_pages
    try:
        template.build(story, canvasmaker=make_canvas)
    except _PageLimitReached:
        return b"", template.page + 1
    except LayoutError:
        raise RenderError(f"page {template.page}: a block and the notes it cites do not fit on one page",
                          hint="shorten the long table row or paragraph there, or the locators of its citations") from None
    return buffer.getvalue(), pages[0]


class _PageLimitReached(Exception):
    """Raised to stop a layout that would begin a page beyond ``build_pdf``'s ``max_pages``."""


class _BriefTemplate(BaseDocTemplate):
    """Bookmarks every flowable that carries an ``outline_level`` (0-2) and ``outline_text``;
    stops (``_PageLimitReached``) before beginning a page beyond ``max_pages``."""

    max_pages: int | None = None
    last_drawn: Flowable | None = None

    def handle_pageBegin(self) -> None:
        if self.max_pages is not None and self.page >= self.max_pages:
            raise _PageLimitReached
        super().handle_pageBegin()

    def afterFlowable(self, flowable: Flowable) -> None:
        if not hasattr(flowable, "frameAction"):  # a page or frame break draws nothing
            self.last_drawn = flowable
        level = getattr(flowable, "outline_level", None)
        if level is None:
            return
        self._bookmarks = getattr(self, "_bookmarks", 0) + 1
        key = f"heading-{self._bookmarks}"
        self.canv.bookmarkPage(key)
        self.canv.addOutlineEntry(flowable.outline_text, key, level=level, closed=False)


def _timestamp(date: dt.date | None) -> TimeStamp:
    """reportlab's invariant timestamp (2000-01-01), moved to the document's ``date`` if it has one.

    The build puts its as-of day (``--as-of``, else ``SOURCE_DATE_EPOCH``'s day) in the model;
    the writer reads no clock and no environment.
    """
    stamp = TimeStamp(invariant=1)
    if date is None:
        return stamp
    seconds = dt.datetime(date.year, date.month, date.day, tzinfo=dt.UTC).timestamp()
    moment = dt.datetime.fromtimestamp(seconds, dt.UTC).timetuple()
    stamp.t, stamp.lt, stamp.YMDhms = seconds, moment, tuple(moment)[:6]
    return stamp


class _CountingCanvas(TaggingCanvas):
    """Holds finished pages until the end, then draws each page's furniture (artifacts) knowing the total
    (``finish=False``: only counts them, and ``layout_only`` tells the paragraphs and notes that their
    lines need not be drawn: nothing drawn is kept, and what is placed where was decided before drawing)."""

    def __init__(self, *args: Any, furniture: Furniture, stamp: TimeStamp, pages: list[int], tagger: Tagger | None,
                 finish: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._doc._timeStamp = stamp
        self._furniture = furniture
        self._page_count = pages
        self._held: list[dict[str, Any]] = []
        self.tagger = tagger
        self._finish = finish
        self.layout_only = not finish
        if tagger is not None:
            tagger.start_page(self)

    def showPage(self) -> None:
        held = dict(self.__dict__)
        # A page's content stream is its operators joined by newlines (``PDFPage.setStream``), the furniture
        # after them: held as one string, not as its hundreds of operators (at 6,000 facts, 118,000 strings).
        held["_code"] = ["\n".join(self._code)] if self._code else []
        self._held.append(held)
        self._startPage()
        if self.tagger is not None:
            self.tagger.start_page(self)

    def drawText(self, aTextObject: Any) -> None:
        super().drawText(aTextObject)
        # reportlab's paragraph gives each of its text objects a line method bound to the object
        # itself (``_do_line``): a cycle, which the collector, paused while the PDF is written
        # (write_pdf), would free only at the end. Drawn, the text object is done with; without the
        # cycle it goes as soon as its paragraph lets go of it, and the pages' memory is used again.
        aTextObject.__dict__.pop("_do_line", None)

    def save(self) -> None:
        total = len(self._held)
        self._page_count.append(total)
        if not self._finish:
            return
        for number, state in enumerate(self._held, start=1):
            self.__dict__.update(state)
            _draw_furniture(self, self._furniture, number, total)
            if self.tagger is not None:
                self.tagger.end_page(self)
            super().showPage()
        if self.tagger is not None:
            self.tagger.write(self)
        super().save()


def _draw_furniture(canvas: Canvas, furniture: Furniture, page: int, pages: int) -> None:
    theme = furniture.theme
    width, height = _page_size(theme)
    left, right = theme.margins.left * mm, width - theme.margins.right * mm
    muted = HexColor(theme.muted_colour)
    size = typography(theme).furniture.size
    canvas.saveState()
    if theme.watermark:
        _watermark(canvas, furniture, theme.watermark, width, height)
    if furniture.marking:
        for y in (height - 7 * mm - BANNER.height, 7 * mm):
            _banner(canvas, furniture, y, width)
    header_y = height - theme.margins.top * mm + 3.5 * mm
    footer_y = theme.margins.bottom * mm - 6.5 * mm
    canvas.setFillColor(muted)
    if theme.header_text:
        _draw_text(canvas, furniture, theme.header_text, (left, header_y), size)
    canvas.setStrokeColor(HexColor(RULE_COLOUR))
    canvas.setLineWidth(0.5)
    canvas.line(left, footer_y + size * 1.4, right, footer_y + size * 1.4)
    if theme.footer_text:
        _draw_text(canvas, furniture, theme.footer_text, (left, footer_y), size)
    _draw_text(canvas, furniture, furniture.page_label(page, pages), (right, footer_y), size, align=-1)
    canvas.restoreState()


def _draw_text(canvas: Canvas, furniture: Furniture, text: str, at: tuple[float, float], size: float,
               bold: bool = False, align: int = 1) -> None:
    """One line of ``text`` in the fonts that cover it; ``align`` 1 starts, 0 centres, -1 ends at ``at``."""
    pieces = [(tt2ps(face or furniture.font, int(bold), 0), run) for face, run in furniture.runs(text)]
    width = sum(canvas.stringWidth(run, face, size) for face, run in pieces)
    x = at[0] - width * (1 - align) / 2
    for face, run in pieces:
        canvas.setFont(face, size)
        canvas.drawString(x, at[1], run)
        x += canvas.stringWidth(run, face, size)


def _banner(canvas: Canvas, furniture: Furniture, y: float, width: float) -> None:
    text = furniture.marking or ""
    size = typography(furniture.theme).marking.size
    banner_width = BANNER.width(canvas.stringWidth(text, furniture.font, size))
    canvas.setFillColor(HexColor(furniture.theme.accent_colour))
    canvas.rect((width - banner_width) / 2, y, banner_width, BANNER.height, stroke=0, fill=1)
    canvas.setFillColor(HexColor("#FFFFFF"))
    capitals = size * 0.7  # cap height of the Arial-metric faces: centres the marking's capitals
    _draw_text(canvas, furniture, text, (width / 2, y + (BANNER.height - capitals) / 2), size, bold=True, align=0)


def _watermark(canvas: Canvas, furniture: Furniture, text: str, width: float, height: float) -> None:
    canvas.saveState()
    canvas.setFillColor(Color(0.55, 0.58, 0.63, alpha=0.13))
    canvas.translate(width / 2, height / 2)
    canvas.rotate(45)
    size = min(120.0, 0.8 * (width**2 + height**2) ** 0.5 / max(1, len(text)) / 0.62)
    _draw_text(canvas, furniture, text, (0, -size / 3), size, bold=True, align=0)
    canvas.restoreState()
