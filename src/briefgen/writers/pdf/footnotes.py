"""Footnotes at the foot of the page on which a note is first cited.

A block that cites notes not yet placed is wrapped in ``Noted``: when it is
measured it counts the height of those notes as its own (so keep-with-next
and page breaking see the true cost), and when it is drawn it hands them to
the ``FootnoteArea`` of the page. ``FootnoteFrame`` then gives that height
back above the block and takes it from the bottom of the frame, where the
page's notes are drawn when the page ends. A table that splits over pages
places only the notes of the rows on each page. Each note is placed once,
on the page of its first citation; none is lost (unplaced notes are the
caller's to list at the end). This module knows nothing of the document model.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from reportlab.platypus import Flowable, Frame, FrameBreak, Table

if TYPE_CHECKING:
    from reportlab.pdfgen.canvas import Canvas

__all__ = ["FootnoteArea", "FootnoteFrame", "Noted"]

_SPLIT_ATTEMPTS = 5


class FootnoteArea:
    """The notes of the page being laid out, and the notes already placed on earlier pages."""

    def __init__(self, notes: dict[int, Flowable], width: float, separator: float, rule_colour: Any) -> None:
        self._notes = notes
        self._heights: dict[int, float] = {}
        self._width = width
        self._separator = separator
        self._rule_colour = rule_colour
        self.placed: set[int] = set()
        self._page: list[int] = []

    def height(self, numbers: tuple[int, ...]) -> float:
        """Height the notes among ``numbers`` that are not placed yet would add to this page."""
        new = [n for n in numbers if n not in self.placed and n in self._notes]
        if not new:
            return 0.0
        return sum(self._note_height(n) for n in new) + (0.0 if self._page else self._separator)

    def place(self, numbers: tuple[int, ...]) -> float:
        """Put the new notes among ``numbers`` on this page; return the height they take."""
        extra = self.height(numbers)
        for number in numbers:
            if number not in self.placed and number in self._notes:
                self.placed.add(number)
                self._page.append(number)
        return extra

    def draw(self, canvas: Canvas, x: float, bottom: float) -> None:
        """Draw this page's notes upwards from ``bottom``, under a short rule, and start a new page."""
        if not self._page:
            return
        top = bottom + sum(self._note_height(n) for n in self._page)
        canvas.saveState()
        canvas.setStrokeColor(self._rule_colour)
        canvas.setLineWidth(0.5)
        canvas.line(x, top + self._separator * 0.55, x + min(self._width, 160), top + self._separator * 0.55)
        canvas.restoreState()
        for number in self._page:
            note = self._notes[number]
            top -= self._note_height(number)  # measured at this width: the note is laid out already
            note.drawOn(canvas, x, top + note.getSpaceAfter())
        self._page = []

    def _note_height(self, number: int) -> float:
        if number not in self._heights:
            note = self._notes[number]
            self._heights[number] = note.wrap(self._width, 1e6)[1] + note.getSpaceAfter()
        return self._heights[number]


class Noted(Flowable):
    """``content`` that cites notes: ``row_notes[i]`` are the notes of row ``i`` (one row unless a table)."""

    def __init__(self, content: Flowable, row_notes: tuple[tuple[int, ...], ...], area: FootnoteArea,
                 header_rows: int = 0) -> None:
        super().__init__()
        self.content = content
        self.row_notes = row_notes
        self.area = area
        self.header_rows = header_rows
        self.notes = tuple(dict.fromkeys(n for row in row_notes for n in row))
        self.reserved = 0.0
        self._extra = 0.0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self._extra = self.area.height(self.notes)
        self.width, content_height = self.content.wrapOn(self.canv, availWidth, availHeight - self._extra)
        self.height = content_height + self._extra
        return self.width, self.height

    def drawOn(self, canvas: Canvas, x: float, y: float, _sW: float = 0) -> None:
        self.content.drawOn(canvas, x, y + self._extra, _sW)
        self.reserved = self.area.place(self.notes)

    def getSpaceBefore(self) -> float:
        return self.content.getSpaceBefore()

    def getSpaceAfter(self) -> float:
        return self.content.getSpaceAfter()

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        if isinstance(self.content, Table):
            return self._split_table(availWidth, availHeight)
        parts = self.content.splitOn(self.canv, availWidth, availHeight - self.area.height(self.notes))
        # The notes go with the first part: the page where the block starts.
        return [Noted(part, self.row_notes if i == 0 else (), self.area) for i, part in enumerate(parts)]

    def _split_table(self, availWidth: float, availHeight: float) -> list[Flowable]:
        """Split so that the rows on this page and the notes they cite fit together."""
        budget = availHeight
        for _ in range(_SPLIT_ATTEMPTS):
            parts = self.content.splitOn(self.canv, availWidth, budget)
            if not parts:
                return []
            first = self._part(parts[0], first=True)
            needed = first.wrapOn(self.canv, availWidth, availHeight)[1]
            if needed <= availHeight:
                # The rest continues on the next page, even where the shrunk first part left room.
                return [first, FrameBreak(), *(self._part(part, first=False) for part in parts[1:])]
            budget -= needed - availHeight
        parts = self.content.splitOn(self.canv, availWidth, availHeight - self.area.height(self.notes))
        return [self._part(part, first=i == 0) for i, part in enumerate(parts)]

    def _part(self, part: Table, first: bool) -> Noted:
        """A piece of the table with the notes of its rows: the first rows, or the header rows and the last."""
        rows = len(part._cellvalues)
        if first:
            return Noted(part, self.row_notes[:rows], self.area, self.header_rows)
        body = rows - self.header_rows
        notes = self.row_notes[: self.header_rows] + (self.row_notes[-body:] if body > 0 else ())
        return Noted(part, notes, self.area, self.header_rows)


class FootnoteFrame(Frame):
    """A frame that moves the space a ``Noted`` block reserved from below the block to the frame's foot.

    The raised foot holds for one page only: ``_reset`` (each new page) restores it, so that every
    page's body keeps the frame's full height less that page's own notes.
    """

    def _reset(self) -> None:
        super()._reset()
        self._geom()  # reportlab's reset restores the top, not the foot that ``add`` raised

    def add(self, flowable: Flowable, canv: Canvas, trySplit: int = 0) -> int:
        added = Frame._add(self, flowable, canv, trySplit)
        reserved = getattr(flowable, "reserved", 0.0)
        if added and reserved:
            self._y += reserved
            self._y1p += reserved
            flowable.reserved = 0.0
        return added

    def notes_bottom(self) -> float:
        """Where the notes of the page start: the frame's original foot."""
        return self._y1 + self._bottomPadding
