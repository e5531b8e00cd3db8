"""Paragraph and table styles of the PDF writer, derived from a theme.

All sizes are multiples of the theme's base size so that one setting
scales the whole page; colours come from the theme. This module only
describes the look: it builds no flowables and reads no document.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from briefgen.themes import Theme

if TYPE_CHECKING:
    from reportlab.lib.styles import ParagraphStyle

__all__ = ["Styles", "make_styles", "table_commands"]

TABLE_STYLES = ("default", "grid", "compact", "plain")


@dataclass(frozen=True, slots=True)
class Styles:
    body: ParagraphStyle
    title: ParagraphStyle
    subtitle: ParagraphStyle
    byline: ParagraphStyle
    headings: tuple[ParagraphStyle, ParagraphStyle, ParagraphStyle]
    bullet: ParagraphStyle
    cell: ParagraphStyle
    compact_cell: ParagraphStyle
    header_cell: ParagraphStyle
    caption: ParagraphStyle
    box_title: ParagraphStyle
    quote: ParagraphStyle
    note: ParagraphStyle
    source: ParagraphStyle
    date_cell: ParagraphStyle
    group_cell: ParagraphStyle
    furniture_font: str
    furniture_bold_font: str


def make_styles(theme: Theme, regular: str, bold: str) -> Styles:
    """Styles for ``theme`` with the font faces ``regular`` and ``bold`` (reportlab names)."""
    from reportlab.lib.colors import HexColor
    from reportlab.lib.enums import TA_LEFT
    from reportlab.lib.styles import ParagraphStyle

    size = theme.base_size
    text, accent, muted = (HexColor(c) for c in (theme.text_colour, theme.accent_colour, theme.muted_colour))
    body = ParagraphStyle(
        "body", fontName=regular, bulletFontName=regular, fontSize=size, leading=size * 1.3, textColor=text,
        spaceBefore=0, spaceAfter=size * 0.55, alignment=TA_LEFT,
    )

    def derive(name: str, parent: ParagraphStyle = body, **changes: object) -> ParagraphStyle:
        return ParagraphStyle(name, parent=parent, **changes)

    def heading(level: int, scale: float, colour: object) -> ParagraphStyle:
        return derive(
            f"h{level}", fontName=bold, fontSize=size * scale, leading=size * scale * 1.2, textColor=colour,
            spaceBefore=size * (1.1 if level == 1 else 0.8), spaceAfter=size * 0.35, keepWithNext=1,
        )

    cell = derive("cell", fontSize=size * 0.9, leading=size * 1.15, spaceAfter=0)
    return Styles(
        body=body,
        title=derive("title", fontName=bold, fontSize=size * 1.9, leading=size * 2.2, textColor=accent, spaceAfter=size * 0.2),
        subtitle=derive("subtitle", fontSize=size * 1.2, leading=size * 1.5, textColor=muted, spaceAfter=size * 0.2),
        byline=derive("byline", fontSize=size * 0.85, leading=size * 1.1, textColor=muted, spaceAfter=0),
        headings=(heading(1, 1.35, accent), heading(2, 1.15, accent), heading(3, 1.0, text)),
        bullet=derive("bullet", leftIndent=size * 1.4, bulletIndent=size * 0.35, spaceAfter=size * 0.3),
        cell=cell,
        compact_cell=derive("compact", fontSize=size * 0.8, leading=size * 1.0, spaceAfter=0),
        header_cell=derive("header_cell", parent=cell, fontName=bold, textColor=HexColor("#FFFFFF")),
        caption=derive("caption", fontSize=size * 0.85, leading=size * 1.1, textColor=muted, spaceBefore=size * 0.25),
        box_title=derive("box_title", fontName=bold, textColor=accent, spaceAfter=size * 0.25),
        quote=derive("quote", textColor=muted, spaceAfter=size * 0.3),
        note=derive("note", fontSize=size * 0.72, leading=size * 0.9, textColor=muted, spaceAfter=size * 0.1,
                    leftIndent=size * 1.4, bulletIndent=0, bulletFontSize=size * 0.72),
        source=derive("source", fontSize=size * 0.85, leading=size * 1.1, spaceAfter=size * 0.3,
                      leftIndent=size * 1.4, bulletIndent=0, bulletFontSize=size * 0.85),
        date_cell=derive("date_cell", parent=cell, fontName=bold),
        group_cell=derive("group_cell", parent=cell, fontName=bold, textColor=accent),
        furniture_font=regular,
        furniture_bold_font=bold,
    )


def table_commands(theme: Theme, style: str, rows: int, header_rows: int) -> list[tuple]:
    """reportlab TableStyle commands for a table of ``rows`` rows in one of ``TABLE_STYLES``."""
    from reportlab.lib.colors import HexColor

    accent, stripe = HexColor(theme.accent_colour), HexColor(theme.table_stripe_colour)
    rule = HexColor("#C8CED8")
    pad = 2.5 if style == "compact" else 4.0
    commands: list[tuple] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), pad),
        ("BOTTOMPADDING", (0, 0), (-1, -1), pad + 1),
        ("LEFTPADDING", (0, 0), (-1, -1), 5),
        ("RIGHTPADDING", (0, 0), (-1, -1), 5),
    ]
    if header_rows:
        commands.append(("BACKGROUND", (0, 0), (-1, header_rows - 1), HexColor(theme.table_header_colour)))
    if style == "grid":
        commands.append(("GRID", (0, 0), (-1, -1), 0.5, rule))
    elif style != "plain":
        commands.append(("ROWBACKGROUNDS", (0, header_rows), (-1, -1), [None, stripe]))
        commands.append(("LINEBELOW", (0, header_rows), (-1, -1), 0.25, rule))
        commands.append(("LINEBELOW", (0, rows - 1), (-1, rows - 1), 0.8, accent))
    return commands
