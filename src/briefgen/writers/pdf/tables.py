"""reportlab tables for the PDF writer: data tables, timelines, boxes and quotes share this.

Column widths are explicit fractions of the frame (never autofit); header
rows repeat on every page; a cell taller
than a page is split over pages, with a ``BriefgenWarning``, instead of
raising reportlab's LayoutError; other rows split only between rows.

A table is laid out a page at a time (``RowTable``): reportlab's ``Table``
measures all its rows on every wrap and split, so a timeline of n rows over
p pages cost n x p row measurements (6,000 facts: 26.7 s). A ``RowTable``
hands reportlab only the header and the rows the space offered can hold
(a few more, to know where to break), so each row is measured about once.
This module takes flowables, not model blocks, and chooses no content.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

from typing import TYPE_CHECKING

from reportlab.platypus import Flowable, Paragraph, Table, TableStyle

from briefgen.errors import BriefgenWarning, RenderError

if TYPE_CHECKING:
    from reportlab.pdfgen.canvas import Canvas

__all__ = ["Cell", "RowTable", "brief_table", "column_widths"]

Cell = Flowable | list[Flowable] | str  # str: the empty cell under a span
# Average glyph width as a share of the font size: enough to tell a cell that may fill a page.
_GLYPH_WIDTH = 0.5
_FIRST_WINDOW = 24  # rows measured at first; a window doubles until it is taller than the space offered


def column_widths(relative: Sequence[float] | None, columns: int, frame_width: float) -> list[float]:
    """Absolute widths from relative ones (any scale), or equal widths when none are given."""
    if relative is None:
        return [frame_width / columns] * columns
    if len(relative) != columns or any(w <= 0 for w in relative):
        raise RenderError(
            f"a table has {columns} columns but its widths are {', '.join(f'{w:g}' for w in relative)}",
            hint="give one positive width per column, e.g. widths=\"30,70\"",
        )
    total = sum(relative)
    return [frame_width * w / total for w in relative]


def brief_table(
    rows: list[list[Cell]],
    widths: list[float],
    commands: list[tuple],
    *,
    header_rows: int,
    frame_height: float,
    where: str,
    font: str,
) -> RowTable:
    """A table that repeats its ``header_rows`` on each page; only a cell taller than a page splits inside."""
    too_tall = _has_cell_taller_than_page(rows, widths, frame_height)
    if too_tall:
        warnings.warn(f"a table cell {where} is taller than a page; it is split across pages", BriefgenWarning,
                      stacklevel=4)
    # FONTNAME: else cells set Helvetica. In-row splits ignore NOSPLIT: use them only when nothing else fits.
    return RowTable(rows, widths, [("FONTNAME", (0, 0), (-1, -1), font), *commands], header_rows, split_in_row=too_tall)


class RowTable(Flowable):
    """The rows of a table from ``start`` on, under its header rows, measured a window at a time.

    ``window`` is the reportlab ``Table`` of the header and enough of the following rows to
    be taller than the space offered (or all of them); ``split`` splits that window where
    reportlab would and returns the rows that fit as a ``Table`` and the rest as a
    ``RowTable``. ``lead`` is the lower half of a row split over pages, in place of
    ``rows[start]``. Commands are in the whole table's row numbers.
    """

    def __init__(self, rows: list[list[Cell]], widths: list[float], commands: list[tuple], header_rows: int, *,
                 split_in_row: bool = False, start: int | None = None, lead: list[Cell] | None = None,
                 unbreakable: frozenset[int] | None = None) -> None:
        super().__init__()
        self.rows, self.widths, self.commands, self.header_rows = rows, widths, commands, header_rows
        self.split_in_row = split_in_row
        self.start = header_rows if start is None else start
        self.lead = lead
        self.unbreakable = _unbreakable(commands, len(rows)) if unbreakable is None else unbreakable
        self._window: tuple[float, int, Table] | None = None  # (width, stop, table) of the last window

    @property
    def remaining(self) -> int:
        """How many body rows are left."""
        return len(self.rows) - self.start

    def window(self, availWidth: float, availHeight: float) -> Table:
        """The header and the rows from ``start``, enough to be taller than ``availHeight``, wrapped at ``availWidth``."""
        width, stop, table = self._window or (None, 0, None)
        if width != availWidth:
            stop, table = min(len(self.rows), self.start + _FIRST_WINDOW), None
        while table is None or (table._height <= availHeight and stop < len(self.rows)):
            if table is not None:
                stop = min(len(self.rows), self.start + 2 * (stop - self.start))
            table = self._table(stop)
            table.wrapOn(getattr(self, "canv", None), availWidth, availHeight)
        self._window = (availWidth, stop, table)
        return table

    def window_rows(self) -> range:
        """The rows of the whole table that the last window holds after its header."""
        assert self._window is not None
        return range(self.start, self._window[1])

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        table = self.window(availWidth, availHeight)
        self.width, self.height = table._width, table._height
        return self.width, self.height

    def drawOn(self, canvas: Canvas, x: float, y: float, _sW: float = 0) -> None:
        assert self._window is not None and self._window[1] == len(self.rows), "a RowTable is drawn whole or split"
        self._window[2].drawOn(canvas, x, y, _sW)

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        return self.rest_after(self.window(availWidth, availHeight).split(availWidth, availHeight))

    def rest_after(self, pieces: list[Flowable]) -> list[Flowable]:
        """reportlab's split of the window as [the rows that fit (a ``Table``), the rest (a ``RowTable``)]."""
        if len(pieces) < 2:
            return pieces
        first, second = pieces
        taken = len(first._cellvalues) - self.header_rows
        rest = len(second._cellvalues) - self.header_rows
        cut = taken + rest > len(self.window_rows())  # a row split over the two pages
        start = self.start + taken - int(cut)
        lead = second._cellvalues[self.header_rows] if cut else None
        first.drawn = self.rows, range(self.start, start)
        return [first, RowTable(self.rows, self.widths, self.commands, self.header_rows,
                                split_in_row=self.split_in_row, start=start, lead=lead, unbreakable=self.unbreakable)]

    def _table(self, stop: int) -> Table:
        body = self.rows[self.start:stop]
        if self.lead is not None and body:
            body = [self.lead, *body[1:]]
        return _Window(
            [*self.rows[: self.header_rows], *body],
            colWidths=self.widths,
            style=TableStyle(_window_commands(self.commands, len(self.rows), self.header_rows, self.start, stop)),
            repeatRows=self.header_rows,
            splitInRow=int(self.split_in_row),
            hAlign="LEFT",
        )


class _Window(Table):
    """The table of a ``RowTable``'s window, or a part of its split.

    A part that is drawn lets go of the rows it drew in the whole table's list (``drawn``): no
    later part needs them, and a long table's laid-out rows are then freed page by page, not
    all at its end (at 6,000 facts the chronology's layout grew by 55 MB before its end).
    """

    drawn: tuple[list[list[Cell]], range] | None = None

    def drawOn(self, canvas: Canvas, x: float, y: float, _sW: float = 0) -> None:
        super().drawOn(canvas, x, y, _sW)
        if self.drawn is not None:
            rows, numbers = self.drawn
            for number in numbers:
                rows[number] = []


def _unbreakable(commands: list[tuple], rows: int) -> frozenset[int]:
    """The rows a page may not begin with: inside a span or a NOSPLIT range, after its first row."""
    return frozenset(
        row
        for name, (_, first), (_, last), *_ in commands
        if name in ("SPAN", "NOSPLIT") and isinstance(first, int) and isinstance(last, int)
        for row in range(first % rows + 1, last % rows + 1)
    )


def _window_commands(commands: list[tuple], rows: int, header_rows: int, start: int, stop: int) -> list[tuple]:
    """``commands`` for the table of the header rows and ``rows[start:stop]``, numbered in that table.

    A command over rows on both sides of the window's edges keeps the part inside; row
    backgrounds start their cycle at the window's first row, as reportlab's split starts it on each page.
    """
    kept = []
    for name, (c0, r0), (c1, r1), *rest in commands:
        if isinstance(r0, str) or isinstance(r1, str):  # reportlab's special rows ('splitlast'...)
            kept.append((name, (c0, r0), (c1, r1), *rest))
            continue
        r0, r1 = r0 % rows, r1 % rows
        for low, high, shift in ((0, header_rows, 0), (start, stop, header_rows - start)):
            first, last = max(r0, low), min(r1, high - 1)
            if first <= last:
                kept.append((name, (c0, first + shift), (c1, last + shift), *rest))
    return kept


def _has_cell_taller_than_page(rows: list[list[Cell]], widths: list[float], frame_height: float) -> bool:
    return any(
        _may_exceed(cell, width, frame_height) and _height(cell, width) > frame_height * 0.95
        for row in rows
        for cell, width in zip(row, widths, strict=False)
    )


def _parts(cell: Cell) -> list[Flowable]:
    """The flowables of a cell (a span's empty string has none)."""
    return [part for part in (cell if isinstance(cell, list) else [cell]) if isinstance(part, Flowable)]


def _may_exceed(cell: Cell, width: float, frame_height: float) -> bool:
    """A cheap upper bound: only cells that might fill half a page are measured."""
    estimate = 0.0
    for part in _parts(cell):
        if not isinstance(part, Paragraph):
            return True
        style = part.style
        chars_per_line = max(1.0, width / (style.fontSize * _GLYPH_WIDTH))
        estimate += (len(part.text) / chars_per_line + 1) * style.leading
    return estimate > frame_height / 2


def _height(cell: Cell, width: float) -> float:
    return sum(part.wrap(width - 10, 1e9)[1] for part in _parts(cell))
