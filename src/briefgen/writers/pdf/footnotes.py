"""Footnotes at the foot of the page on which a note is first cited.

A block that cites notes not yet placed is wrapped in ``Noted``: when it is
measured it counts the height of those notes as its own (so keep-with-next
and page breaking see the true cost), and when it is drawn it hands them to
the ``FootnoteArea`` of the page. ``FootnoteFrame`` then gives that height
back above the block and takes it from the bottom of the frame, where the
page's notes are drawn when the page ends. A table that splits over pages
places only the notes of the rows on each page. Each note is placed once,
on the page of its first citation; none is lost (unplaced notes are the
caller's to list at the end).

A note taller than three quarters of the body runs on as in Word: the block
that cites it needs room for its first two lines, the body of the page ends
there (a table breaks after the citing row) and the note fills the rest of
the page, then continues at the top of the next page's notes, under a
full-width rule (Word's continuation separator), taking at most three
quarters of each page while the body goes on and whole pages after it
(``NotesRunOn``). This module knows nothing of the document model.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Iterator
from itertools import accumulate
from typing import TYPE_CHECKING, Any

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Frame, FrameBreak, PageBreak, Table

from briefgen.writers.pdf.long_notes import RunningNote
from briefgen.writers.pdf.tables import RowTable

if TYPE_CHECKING:
    from reportlab.pdfgen.canvas import Canvas

__all__ = ["FootnoteArea", "FootnoteFrame", "Noted", "NotesRunOn"]

_MEASURED_CHARACTERS = 20_000  # more text than any page holds: a longer note's lower bound reads no further
NOTE_SHARE = 0.75  # the most of a page's body a note may take while the body goes on; a taller note runs on
_FIRST_LINES = 2  # a note that runs on starts with at least this many lines on the page that cites it
_SHORT_RULE = 160  # pt: the separator above a page's notes (Word's is two inches); a continuation's spans the page
_EPSILON = 0.01  # pt: a split budget a hair above the rows' height, so rounding never drops the last row


class FootnoteArea:
    """The notes of the page being laid out, and the notes already placed on earlier pages.

    A note taller than ``NOTE_SHARE`` of the body (``body_height``) is *long*: it counts only its
    first lines where it is cited, ``fill`` gives it the room the body leaves on that page, and
    what remains runs on (``start_page``) until it is all drawn.
    """

    def __init__(self, notes: dict[int, Flowable], width: float, separator: float, rule_colour: Any,
                 body_height: float) -> None:
        self._notes = notes
        self._heights: dict[int, float] = {}
        self._long: dict[int, bool] = {}
        self._width = width
        self._separator = separator
        self._rule_colour = rule_colour
        self._body_height = body_height
        self.placed: set[int] = set()
        self._page: list[int] = []
        self._opening: list[int] = []  # long notes placed on this page that ``fill`` has not cut yet
        self._pieces: dict[int, tuple[Flowable, float]] = {}  # this page's part of each long note placed on it
        self._continued: tuple[Flowable, float] | None = None  # the part of a running note at the top of this page's notes
        self._running: list[RunningNote] = []  # notes that go on over the next page, in order
        self.to_the_end = False  # the body is over: a running note may take whole pages
        self._notes_space_after = max((note.getSpaceAfter() for note in notes.values()), default=0.0)

    def __deepcopy__(self, memo: dict[int, Any]) -> FootnoteArea:
        return self  # reportlab copies the frame to measure a list of flowables (_listWrapOn): the notes stay one

    @property
    def running_on(self) -> bool:
        """Does a note go on over the next page?"""
        return bool(self._running)

    def has_long_notes(self) -> bool:
        return any(self._is_long(number) for number in self._notes)

    def height(self, numbers: tuple[int, ...]) -> float:
        """Height the notes among ``numbers`` that are not placed yet would add to this page."""
        return list(self.running((numbers,)))[-1]

    def running(self, rows: Iterable[tuple[int, ...]]) -> Iterator[float]:
        """For each of ``rows``, the height the new notes of it and the rows before it would add to this page.

        A long note counts its first lines in the row that cites it; no later row fits on its page.
        """
        seen: set[int] = set()
        total, runs_on = 0.0, False
        for numbers in rows:
            if runs_on:
                yield float("inf")
                continue
            for number in numbers:
                if number not in seen and number not in self.placed and number in self._notes:
                    seen.add(number)
                    total += self._note_height(number)
                    runs_on = runs_on or self._is_long(number)
            yield total + (self._separator if total and not self._area_started else 0.0)

    def place(self, numbers: tuple[int, ...]) -> float:
        """Put the new notes among ``numbers`` on this page; return the height they take."""
        extra = self.height(numbers)
        for number in numbers:
            if number not in self.placed and number in self._notes:
                self.placed.add(number)
                self._page.append(number)
                if self._is_long(number):
                    self._opening.append(number)
        return extra

    def fill(self, room: float) -> float:
        """Give the long notes just placed the ``room`` the body leaves; return the height they take beyond their first lines."""
        taken = 0.0
        for number in self._opening:
            note = RunningNote(self._notes[number], self._width)
            reserved = self._note_height(number)
            piece, height = note.take(reserved + max(room - taken, 0.0) - self._notes[number].getSpaceAfter())
            self._pieces[number] = piece, height + piece.getSpaceAfter()
            taken += max(self._pieces[number][1] - reserved, 0.0)
            if not note.done:
                self._running.append(note)
        self._opening = []
        return taken

    def start_page(self) -> float:
        """A new page begins: the height at its foot that the part of a running note takes (0 when none runs on)."""
        if not self._running:
            return 0.0
        room = self._body_height * (1.0 if self.to_the_end else NOTE_SHARE) - self._separator
        note = self._running[0]
        piece, height = note.take(room - self._notes_space_after)
        if note.done:
            self._running.pop(0)
        self._continued = piece, height + piece.getSpaceAfter()
        return self._continued[1] + self._separator

    def draw(self, canvas: Canvas, x: float, bottom: float) -> None:
        """Draw this page's notes upwards from ``bottom``, under a rule, and start a new page."""
        parts = [*((self._continued,) if self._continued else ()),
                 *(self._pieces.get(number) or (self._notes[number], self._note_height(number)) for number in self._page)]
        if parts and not getattr(canvas, "layout_only", False):  # a count of pages draws nothing (see page.py)
            self._draw(canvas, x, bottom, parts)
        for number in self._page:  # placed and drawn (a long note's rest runs on by itself): freed now, not at the end
            del self._notes[number]
        self._page, self._pieces, self._continued = [], {}, None

    def _draw(self, canvas: Canvas, x: float, bottom: float, parts: list[tuple[Flowable, float]]) -> None:
        top = bottom + sum(height for _, height in parts)
        rule = self._width if self._continued else min(self._width, _SHORT_RULE)
        canvas.saveState()
        canvas.setStrokeColor(self._rule_colour)
        canvas.setLineWidth(0.5)
        canvas.line(x, top + self._separator * 0.55, x + rule, top + self._separator * 0.55)
        canvas.restoreState()
        for note, height in parts:
            top -= height  # measured at this width: the note is laid out already
            note.drawOn(canvas, x, top + note.getSpaceAfter())

    @property
    def _area_started(self) -> bool:
        return bool(self._page) or self._continued is not None

    def _is_long(self, number: int) -> bool:
        """Is the note taller than a page may give it? A cheap lower bound spares laying out a huge one."""
        if number not in self._long:
            limit = self._body_height * NOTE_SHARE
            self._long[number] = _height_at_least(self._notes[number], self._width) > limit or self._full_height(number) > limit
        return self._long[number]

    def _note_height(self, number: int) -> float:
        """What the note takes on the page that cites it: all of it, or a long note's first lines."""
        if self._is_long(number):
            note = self._notes[number]
            return _FIRST_LINES * note.style.leading + note.getSpaceAfter()
        return self._full_height(number)

    def _full_height(self, number: int) -> float:
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
            window = self._window_notes()
            self._notes = _flat(window)
            self._extra = list(self.area.running(window))[-1] if window else 0.0
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
    page's body keeps the frame's full height less that page's own notes (and the part of a note
    running on from the page before).
    """

    def __init__(self, *args: Any, notes: FootnoteArea | None = None, **kwargs: Any) -> None:
        self.notes = notes
        super().__init__(*args, **kwargs)

    def _reset(self) -> None:
        super()._reset()
        self._geom()  # reportlab's reset restores the top, not the foot that ``add`` raised
        if self.notes is not None:
            self._y1p += self.notes.start_page()

    def add(self, flowable: Flowable, canv: Canvas, trySplit: int = 0) -> int:
        added = Frame._add(self, flowable, canv, trySplit)
        reserved = getattr(flowable, "reserved", 0.0)
        if added and reserved:
            self._y += reserved
            self._y1p += reserved
            flowable.reserved = 0.0
            if self.notes is not None:
                self._y1p += self.notes.fill(self._y - self._y1p)
        return added

    def notes_bottom(self) -> float:
        """Where the notes of the page start: the frame's original foot."""
        return self._y1 + self._bottomPadding


class NotesRunOn(Flowable):
    """The end of the story: pages for the rest of a note that runs on past the last block."""

    _ZEROSIZE = True  # measured even when a note fills the page: reportlab's frame skips a flowable it has no room for

    def __init__(self, area: FootnoteArea) -> None:
        super().__init__()
        self.area = area

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.area.to_the_end = True
        return availWidth, availHeight + 1 if self.area.running_on else 0.0

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        return [_Nothing(), PageBreak(), self] if self.area.running_on else []

    def draw(self) -> None:
        pass


class _Nothing(Flowable):
    """What a page of notes alone holds in its body: reportlab ends a layout that makes pages without content."""

    _ZEROSIZE = True

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return 0.0, 0.0

    def draw(self) -> None:
        pass
