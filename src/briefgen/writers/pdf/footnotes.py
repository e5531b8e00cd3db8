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

from bisect import bisect_right
from collections.abc import Iterable, Iterator
from itertools import accumulate
from typing import TYPE_CHECKING, Any

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Frame, FrameBreak, Table

from briefgen.writers.pdf.tables import RowTable

if TYPE_CHECKING:
    from reportlab.pdfgen.canvas import Canvas

__all__ = ["FootnoteArea", "FootnoteFrame", "Noted"]

_MEASURED_CHARACTERS = 20_000  # more text than any page holds: a longer note's lower bound reads no further
_EPSILON = 0.01  # pt: a split budget a hair above the rows' height, so rounding never drops the last row


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

    def too_tall(self, limit: float) -> list[int]:
        """The notes taller than ``limit`` points; a cheap lower bound spares laying out a huge one."""
        return [number for number, note in self._notes.items()
                if _height_at_least(note, self._width) > limit or self._note_height(number) > limit]

    def running(self, rows: Iterable[tuple[int, ...]]) -> Iterator[float]:
        """For each of ``rows``, the height the new notes of it and the rows before it would add to this page."""
        seen: set[int] = set()
        total = 0.0
        for numbers in rows:
            for number in numbers:
                if number not in seen and number not in self.placed and number in self._notes:
                    seen.add(number)
                    total += self._note_height(number)
            yield total + (self._separator if total and not self._page else 0.0)

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
    """``content`` that cites notes: ``row_notes[i]`` are the notes of row ``i`` (one row unless a table).

    For a ``RowTable`` the rows are the whole table's, header rows first; only those of its
    current window count, so a page costs the rows it can hold, not the whole table. The first
    part of a split table records what the next row would have needed (``next_row``) and whether
    a row was moved to keep the table's last row company (``widow_kept``): the page's layout record.
    """

    def __init__(self, content: Flowable, row_notes: tuple[tuple[int, ...], ...], area: FootnoteArea) -> None:
        super().__init__()
        self.content = content
        self.row_notes = row_notes
        self.area = area
        self.reserved = 0.0
        self.next_row: float | None = None
        self.widow_kept = False
        self._notes: tuple[int, ...] = ()
        self._extra = 0.0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        if isinstance(self.content, RowTable):
            self.width, content_height = self.content.wrapOn(self.canv, availWidth, availHeight)
            self._notes = _flat(self._window_notes())
            self._extra = self.area.height(self._notes)
        else:
            self._notes = _flat(self.row_notes)
            self._extra = self.area.height(self._notes)
            self.width, content_height = self.content.wrapOn(self.canv, availWidth, availHeight - self._extra)
        self.height = content_height + self._extra
        return self.width, self.height

    def drawOn(self, canvas: Canvas, x: float, y: float, _sW: float = 0) -> None:
        self.content.drawOn(canvas, x, y + self._extra, _sW)
        self.reserved = self.area.place(self._notes)

    def getSpaceBefore(self) -> float:
        return self.content.getSpaceBefore()

    def getSpaceAfter(self) -> float:
        return self.content.getSpaceAfter()

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        if isinstance(self.content, RowTable):
            return self._split_rows(availWidth, availHeight)
        parts = self.content.splitOn(self.canv, availWidth, availHeight - self.area.height(_flat(self.row_notes)))
        # The notes go with the first part: the page where the block starts.
        return [Noted(part, self.row_notes if i == 0 else (), self.area) for i, part in enumerate(parts)]

    def _window_notes(self) -> list[tuple[int, ...]]:
        """The notes of the rows of the table's current window, header rows first."""
        assert isinstance(self.content, RowTable)
        rows = self.content.window_rows()
        return [*self.row_notes[: self.content.header_rows], *self.row_notes[rows.start:rows.stop]]

    def _split_rows(self, availWidth: float, availHeight: float) -> list[Flowable]:
        """The most rows that fit with their notes, then a page break, then the rest.

        A page never ends where one more row (with its notes) would fit, unless that leaves the
        table's last row alone on the next page: then one row more goes with it.
        """
        table = self.content
        assert isinstance(table, RowTable)
        window = table.window(availWidth, availHeight)
        notes = self._window_notes()
        header, first_row = table.header_rows, table.start
        # needs[i]: the height of the window's rows up to i, with the notes they add to this page
        needs = [rows + extra for rows, extra in zip(accumulate(window._rowHeights), self.area.running(notes), strict=True)]

        def breakable(count: int) -> bool:  # may the page end after ``count`` rows of the window?
            return header < count < len(needs) and first_row + count - header not in table.unbreakable

        count = bisect_right(needs, availHeight)
        if count >= len(needs):
            return [self]
        while count > header and not breakable(count):
            count -= 1
        if count <= header:
            return self._split_in_row(window, notes, availWidth, availHeight) if table.split_in_row else []
        widow = table.remaining - (count - header) == 1 and count - header >= 2 and breakable(count - 1)
        count -= int(widow)
        pieces = table.rest_after(window.split(availWidth, sum(window._rowHeights[:count]) + _EPSILON))
        if len(pieces) != 2:
            return []
        first = Noted(pieces[0], tuple(notes[:count]), self.area)
        following = next((later for later in range(count + 1, len(needs)) if breakable(later)), None)
        first.next_row = needs[following - 1] - needs[count - 1] if following else None
        first.widow_kept = widow
        return [first, FrameBreak(), Noted(pieces[1], self.row_notes, self.area)]

    def _split_in_row(self, window: Table, notes: list[tuple[int, ...]], availWidth: float,
                      availHeight: float) -> list[Flowable]:
        """A first row taller than the page: split inside it, the row's notes on this page."""
        table = self.content
        assert isinstance(table, RowTable)
        upto = table.header_rows + 1
        extra = list(self.area.running(notes[:upto]))[-1]
        pieces = table.rest_after(window.split(availWidth, availHeight - extra))
        if len(pieces) != 2:
            return []
        return [Noted(pieces[0], tuple(notes[:upto]), self.area), FrameBreak(), Noted(pieces[1], self.row_notes, self.area)]


def _height_at_least(note: Flowable, width: float) -> float:
    """What a paragraph needs at least: its first characters on one line, cut into lines of ``width``."""
    left, run = _MEASURED_CHARACTERS, 0.0
    for frag in getattr(note, "frags", ()):
        text = getattr(frag, "text", "")[:left]
        run += stringWidth(text, frag.fontName, frag.fontSize)
        left -= len(text)
        if left <= 0:
            break
    return run // width * note.style.leading if hasattr(note, "style") else 0.0


def _flat(row_notes: Iterable[tuple[int, ...]]) -> tuple[int, ...]:
    return tuple(dict.fromkeys(n for row in row_notes for n in row))


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
