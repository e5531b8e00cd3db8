"""Paragraph and table styles of the PDF writer, derived from a theme.

Sizes, leading, spacing, indents and paddings come from
``briefgen.typography`` (shared with the DOCX writer, so that both lay out
alike); colours come from the theme; the one measure only the PDF has is
its ``line_allowance``. This module only describes the look: it builds no
flowables and reads no document.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from briefgen.model import Labels
from briefgen.themes import Theme
from briefgen.typography import Indent, Padding, TextStyle, rounded_length, typography

if TYPE_CHECKING:
    from reportlab.lib.styles import ParagraphStyle

__all__ = ["RULE_COLOUR", "TABLE_STYLES", "Styles", "line_allowance", "make_styles", "padding_commands", "table_commands"]

TABLE_STYLES = ("default", "grid", "compact", "plain")
RULE_COLOUR = "#C8CED8"  # light rules: table rows, the footer line, horizontal rules


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


def line_allowance(theme: Theme) -> float:
    """How much shorter the PDF sets every line than the DOCX, in points (a fifth of the base size).

    Word and LibreOffice measure superscripts a little differently and may
    break after a dash, so a line that only just fits in one may not fit in
    the other; the PDF, which the fit loop measures, errs long.
    """
    return rounded_length(theme.base_size * 0.2)


def make_styles(theme: Theme, regular: str, bold: str, labels: Labels | None = None) -> Styles:
    """Styles for ``theme`` with the font faces ``regular`` and ``bold`` (reportlab names), for text in ``labels``' language."""
    from reportlab.lib.colors import HexColor
    from reportlab.lib.enums import TA_LEFT
    from reportlab.lib.styles import ParagraphStyle

    typo = typography(theme)
    text, accent, muted = (HexColor(c) for c in (theme.text_colour, theme.accent_colour, theme.muted_colour))
    body = ParagraphStyle("body", fontName=regular, bulletFontName=regular, textColor=text, alignment=TA_LEFT,
                          rightIndent=line_allowance(theme), **_measures(typo.body), **_line_breaking(labels or Labels()))

    def derive(name: str, measures: TextStyle, parent: ParagraphStyle = body, **changes: object) -> ParagraphStyle:
        return ParagraphStyle(name, parent=parent, **_measures(measures), **changes)

    def hanging(name: str, measures: TextStyle, indent: Indent, **changes: object) -> ParagraphStyle:
        return derive(name, measures, leftIndent=indent.text, bulletIndent=indent.marker,
                      bulletFontSize=measures.size, **changes)

    cell = derive("cell", typo.table_text)
    return Styles(
        body=body,
        title=derive("title", typo.title, fontName=bold, textColor=accent),
        subtitle=derive("subtitle", typo.subtitle, textColor=muted),
        byline=derive("byline", typo.date_line, textColor=muted),
        headings=tuple(  # type: ignore[arg-type]
            derive(f"h{level}", measures, fontName=bold, textColor=text if level == 3 else accent, keepWithNext=1)
            for level, measures in enumerate(typo.headings, start=1)
        ),
        bullet=hanging("bullet", typo.list_item, typo.list_indent),
        cell=cell,
        compact_cell=derive("compact", typo.compact_table_text),
        header_cell=derive("header_cell", typo.table_text, parent=cell, fontName=bold, textColor=HexColor("#FFFFFF")),
        caption=derive("caption", typo.caption, textColor=muted),
        box_title=derive("box_title", typo.box_title, fontName=bold, textColor=accent),
        quote=derive("quote", typo.quote, textColor=muted),
        note=hanging("note", typo.footnote, typo.note_indent, textColor=muted),
        source=hanging("source", typo.source, typo.source_indent),
        date_cell=derive("date_cell", typo.table_text, parent=cell, fontName=bold),
        group_cell=derive("group_cell", typo.table_text, parent=cell, fontName=bold, textColor=accent),
        furniture_font=regular,
        furniture_bold_font=bold,
    )


def _line_breaking(labels: Labels) -> dict[str, object]:
    """Chinese breaks between characters (``east_asian.py``); a hyphenated language's words break with
    a hyphen from Pyphen's dictionary, so a narrow column never splits a word without one."""
    if labels.east_asian:
        return {"wordWrap": "CJK"}
    if labels.hyphenate:
        return {"hyphenationLang": labels.language_tag.replace("-", "_"), "embeddedHyphenation": 1, "uriWasteReduce": 0.3}
    return {}


def padding_commands(pad: Padding, start: tuple[int, int] = (0, 0), stop: tuple[int, int] = (-1, -1)) -> list[tuple]:
    """TableStyle commands giving the cells from ``start`` to ``stop`` the padding ``pad``."""
    return [("TOPPADDING", start, stop, pad.top), ("BOTTOMPADDING", start, stop, pad.bottom),
            ("LEFTPADDING", start, stop, pad.left), ("RIGHTPADDING", start, stop, pad.right)]


def _measures(measures: TextStyle) -> dict[str, float]:
    """reportlab's names for a shared text style's size and spacing."""
    return {"fontSize": measures.size, "leading": measures.leading, "spaceBefore": measures.before,
            "spaceAfter": measures.after}


def table_commands(theme: Theme, style: str, rows: int, header_rows: int) -> list[tuple]:
    """reportlab TableStyle commands for a table of ``rows`` rows in one of ``TABLE_STYLES``.

    The rules are Word's table borders: an accent frame above and below, light rules between
    rows (and columns, ``grid``). As in Word, each rule adds its thickness to its row's height.
    """
    from reportlab.lib.colors import HexColor

    accent, stripe = HexColor(theme.accent_colour), HexColor(theme.table_stripe_colour)
    rule = HexColor(RULE_COLOUR)
    typo = typography(theme)
    pad = typo.compact_table_padding if style == "compact" else typo.table_padding
    commands: list[tuple] = [("VALIGN", (0, 0), (-1, -1), "TOP"), *padding_commands(pad)]
    if header_rows:
        commands.append(("BACKGROUND", (0, 0), (-1, header_rows - 1), HexColor(theme.table_header_colour)))
    if style == "plain":
        return commands
    frame, row_rule = typo.table_frame, typo.table_row_rule
    last = (-1, rows - 1)
    if rows > 1:
        commands += [("LINEBELOW", (0, 0), (-1, rows - 2), row_rule, rule),
                     ("BOTTOMPADDING", (0, 0), (-1, rows - 2), pad.bottom + row_rule)]
    commands += [
        ("LINEABOVE", (0, 0), (-1, 0), frame, accent),
        ("TOPPADDING", (0, 0), (-1, 0), pad.top + frame),
        ("LINEBELOW", (0, rows - 1), last, frame, accent),
        ("BOTTOMPADDING", (0, rows - 1), last, pad.bottom + frame),
    ]
    if style == "grid":
        commands.append(("LINEBEFORE", (0, 0), (-1, -1), row_rule, rule))
        commands.append(("LINEAFTER", (-1, 0), (-1, -1), row_rule, rule))
    else:
        commands.append(("ROWBACKGROUNDS", (0, header_rows), (-1, -1), [None, stripe]))
    return commands
