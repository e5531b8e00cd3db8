"""Typography both writers share: font sizes, leading, spacing, indents, paddings and rules.

The one-page overview is fitted by laying it out as PDF; the DOCX must then
fit too. So every vertical measure a writer uses comes from here, and both
writers apply it as Word (and LibreOffice) do:

- lines are exactly ``leading`` apart (Word: exact line spacing);
- between two paragraphs the larger of the first one's space after and
  the next one's space before applies (reportlab's frame does the same);
- a border adds its thickness to the height of what it surrounds (table
  rules make rows taller);
- after a table or a box Word needs a paragraph: an empty line
  ``spacer_line`` tall that carries the table's ``after_table``; a
  horizontal rule is the border under such a line.

Values derive from the theme's ``base_size`` and are rounded to what every
writer can store exactly (Word's units): font sizes to half points, lengths
to 1/20 pt, a border's distance from its text to whole points. This module
describes measures in points only: what a measure becomes in a format (twips,
reportlab styles, CSS) is that writer's business. It must not import
reportlab, python-docx or any writer, and knows no document.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from briefgen.themes import Theme

__all__ = ["BANNER", "Banner", "Indent", "Padding", "Rule", "TextStyle", "Typography", "rounded_length", "typography"]


def rounded_length(points: float) -> float:
    """``points`` rounded to 1/20 pt, the finest length Word stores: every length here is one."""
    return round(points * 20) / 20


def _font_size(points: float) -> float:
    return round(points * 2) / 2


@dataclass(frozen=True, slots=True)
class TextStyle:
    """A paragraph's font size and vertical measures, in points."""

    size: float
    leading: float  # baseline to baseline
    before: float = 0.0
    after: float = 0.0


@dataclass(frozen=True, slots=True)
class Indent:
    """A hanging paragraph (list item, note, source): where its marker and its text start, in points."""

    marker: float
    text: float

    @property
    def hanging(self) -> float:
        return self.text - self.marker


@dataclass(frozen=True, slots=True)
class Padding:
    """Space between a cell's edges and its content, in points."""

    top: float
    bottom: float
    left: float
    right: float


@dataclass(frozen=True, slots=True)
class Rule:
    """A horizontal line: space above it, its thickness, space below it (points)."""

    above: float
    thickness: float
    below: float


@dataclass(frozen=True, slots=True)
class Banner:
    """The marking banner top and bottom of each page: a bar in the accent colour, centred,
    with the marking in white bold capitals; both writers draw it to these measures (points)."""

    height: float
    min_width: float
    padding: float  # added to the marking's width (and 10 % of it)

    def width(self, text_width: float) -> float:
        return max(self.min_width, text_width * 1.1 + self.padding)


_MM = 72 / 25.4  # points per millimetre
BANNER = Banner(height=5.2 * _MM, min_width=48 * _MM, padding=12 * _MM)


@dataclass(frozen=True, slots=True)
class Typography:
    title: TextStyle
    subtitle: TextStyle
    date_line: TextStyle  # date and author under the title
    title_rule: Rule  # under the title block
    headings: tuple[TextStyle, TextStyle, TextStyle]
    body: TextStyle
    list_item: TextStyle
    list_indent: Indent  # bullets and numbered lists
    quote: TextStyle
    quote_indent: float  # text from the quote's rule
    box_title: TextStyle
    box_padding: Padding
    table_text: TextStyle
    table_padding: Padding
    compact_table_text: TextStyle
    compact_table_padding: Padding
    table_frame: float  # thickness of the rules above and below a table
    table_row_rule: float  # thickness of the rules between its rows
    caption: TextStyle
    after_table: float  # below a table, timeline or box (the spacer line included)
    spacer_line: float  # the empty line after a table, and above a horizontal rule
    rule: Rule  # a horizontal rule between blocks (under a spacer line)
    footnote: TextStyle
    footnote_separator: float  # between the text and a page's first note, rule included
    note_indent: Indent  # footnotes and endnotes: number, then text
    source: TextStyle
    source_indent: Indent  # the numbered Sources list
    furniture: TextStyle  # header and footer text
    marking: TextStyle  # OFFICIAL, DRAFT
    timeline_widths: tuple[float, float]  # date column, event column (relative)


def typography(theme: Theme) -> Typography:
    """The typography of ``theme``: every measure scales with its ``base_size``."""
    return _typography(theme.base_size)


@functools.lru_cache(maxsize=8)
def _typography(size: float) -> Typography:
    def text(scale: float, leading: float, before: float = 0.0, after: float = 0.0) -> TextStyle:
        """A style ``scale`` times the base size, on ``leading`` times it, spaced in multiples of it."""
        return TextStyle(_font_size(size * scale), rounded_length(size * leading), rounded_length(size * before),
                         rounded_length(size * after))

    def heading(scale: float, before: float, after: float) -> TextStyle:
        return text(scale, scale * 1.2, before, after)

    marker = rounded_length(size * 0.35)
    hanging_text = rounded_length(size * 1.4)
    return Typography(
        title=text(1.9, 2.2, after=0.2),
        subtitle=text(1.2, 1.5, after=0.2),
        date_line=text(0.85, 1.1),
        title_rule=Rule(above=round(size * 0.5), thickness=1.5, below=rounded_length(size * 0.9)),
        headings=(heading(1.35, 1.1, 0.35), heading(1.15, 0.8, 0.35), heading(1.0, 0.7, 0.3)),
        body=text(1.0, 1.3, after=0.5),
        list_item=text(1.0, 1.3, after=0.3),
        list_indent=Indent(marker=marker, text=hanging_text),
        quote=text(1.0, 1.3, after=0.3),
        quote_indent=rounded_length(size * 1.1),
        box_title=text(1.0, 1.3, after=0.2),
        box_padding=Padding(top=rounded_length(size * 0.55), bottom=rounded_length(size * 0.25), left=rounded_length(size),
                            right=rounded_length(size)),
        table_text=text(0.9, 1.15),
        table_padding=Padding(top=rounded_length(size * 0.3), bottom=rounded_length(size * 0.3), left=rounded_length(size * 0.5),
                              right=rounded_length(size * 0.5)),
        compact_table_text=text(0.8, 1.0),
        compact_table_padding=Padding(top=rounded_length(size * 0.15), bottom=rounded_length(size * 0.15),
                                      left=rounded_length(size * 0.4), right=rounded_length(size * 0.4)),
        table_frame=1.0,
        table_row_rule=0.5,
        caption=text(0.85, 1.1, before=0.25, after=0.25),
        after_table=rounded_length(size * 0.55),
        spacer_line=1.0,
        rule=Rule(above=rounded_length(size * 0.4), thickness=0.5, below=rounded_length(size * 0.8)),
        footnote=text(0.72, 0.9, after=0.1),
        footnote_separator=rounded_length(size * 0.9),
        note_indent=Indent(marker=0.0, text=hanging_text),
        source=text(0.85, 1.1, after=0.3),
        source_indent=Indent(marker=0.0, text=hanging_text),
        furniture=text(0.78, 1.0),
        marking=text(0.8, 1.0),
        timeline_widths=(22.0, 78.0),
    )
