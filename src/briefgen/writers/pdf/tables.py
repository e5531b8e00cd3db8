"""reportlab tables for the PDF writer: data tables, timelines, boxes and quotes share this.

Column widths are explicit fractions of the frame (never autofit); header
rows repeat on every page; a cell taller
than a page is split over pages, with a ``BriefgenWarning``, instead of
raising reportlab's LayoutError; other rows split only between rows. This module takes flowables, not model
blocks, and chooses no content.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

from reportlab.platypus import Flowable, Paragraph, Table, TableStyle

from briefgen.errors import BriefgenWarning, RenderError

__all__ = ["Cell", "brief_table", "column_widths"]

Cell = Flowable | list[Flowable] | str  # str: the empty cell under a span
# Average glyph width as a share of the font size: enough to tell a cell that may fill a page.
_GLYPH_WIDTH = 0.5


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
) -> Table:
    """A table that repeats its ``header_rows`` on each page; only a cell taller than a page splits inside."""
    too_tall = _has_cell_taller_than_page(rows, widths, frame_height)
    if too_tall:
        warnings.warn(f"a table cell {where} is taller than a page; it is split across pages", BriefgenWarning,
                      stacklevel=4)
    return Table(
        rows,
        colWidths=widths,
        style=TableStyle([("FONTNAME", (0, 0), (-1, -1), font), *commands]),  # else cells set Helvetica
        repeatRows=header_rows,
        splitInRow=int(too_tall),  # in-row splits ignore NOSPLIT: use them only when nothing else fits
        hAlign="LEFT",
    )


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
