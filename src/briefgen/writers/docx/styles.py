"""The Word styles a brief uses, and the theme laid over them.

The reference DOCX (``data/reference.docx``, made by
``scripts/make_reference_docx.py``, replaceable by the user) decides a
style's shape: borders, shading, keep-with-next, list numbering. The theme
decides its fonts and colours, and ``briefgen.typography`` (shared with the
PDF writer, so that a paragraph is as tall in Word as in the PDF) its size,
exact line spacing, space before and after, hanging indents, table cell
padding and border thickness; ``apply_theme`` writes all of these into the
styles part. The writer refers to styles by their ids, which are the same in
every language version of Word. This module must not add content to the
document body.
"""

from __future__ import annotations

import dataclasses
import enum
import functools
from typing import TYPE_CHECKING

from lxml import etree

from briefgen.errors import RenderError, did_you_mean
from briefgen.typography import Indent, Padding, TextStyle, Typography, typography
from briefgen.writers.docx.order import W, set_child, w_element
from briefgen.writers.docx.units import twips

if TYPE_CHECKING:
    from docx.text.paragraph import Paragraph

    from briefgen.model import Labels
    from briefgen.themes import Theme

__all__ = ["BOX_STYLES", "StyleId", "apply_theme", "cell_margins", "cell_padding", "check_styles", "indent_element", "language_element",
           "run_language", "styled", "table_style_id"]

_NS = {"w": W}
_PPR = f"{{{W}}}pPr"


class StyleId(enum.StrEnum):
    NORMAL = "Normal"
    TITLE = "Title"
    SUBTITLE = "Subtitle"
    META = "BriefMeta"
    HEADING1 = "Heading1"
    HEADING2 = "Heading2"
    HEADING3 = "Heading3"
    LIST_BULLET = "ListBullet"
    LIST_NUMBER = "ListNumber"
    QUOTE = "Quote"
    CAPTION = "Caption"
    FOOTNOTE_TEXT = "FootnoteText"
    FOOTNOTE_REFERENCE = "FootnoteReference"
    ENDNOTE_TEXT = "EndnoteText"
    ENDNOTE_REFERENCE = "EndnoteReference"
    HYPERLINK = "Hyperlink"
    HEADER = "Header"
    FOOTER = "Footer"
    MARKING = "Marking"
    BOX_TITLE = "BoxTitle"
    BOX_TEXT = "BoxText"
    RULE = "HorizontalRule"
    SOURCE_ENTRY = "SourceEntry"
    TIMELINE_GROUP = "TimelineGroup"
    TABLE_GAP = "TableGap"
    TABLE = "BriefTable"
    TABLE_GRID = "BriefTableGrid"
    TABLE_COMPACT = "BriefTableCompact"
    KEY_FACTS_BOX = "KeyFactsBox"
    CALLOUT_BOX = "CalloutBox"
    NOTE_BOX = "NoteBox"


# Table.style (the Markdown class) -> Word table style id.
_TABLE_STYLES = {None: StyleId.TABLE, "grid": StyleId.TABLE_GRID, "compact": StyleId.TABLE_COMPACT}
# Box.kind -> Word table style id of the one-cell table that draws the box.
BOX_STYLES = {"keyfacts": StyleId.KEY_FACTS_BOX, "callout": StyleId.CALLOUT_BOX, "note": StyleId.NOTE_BOX}

# Style id -> the theme colour of its text.
_COLOURS: dict[StyleId, str] = {
    StyleId.TITLE: "accent_colour",
    StyleId.SUBTITLE: "muted_colour",
    StyleId.META: "muted_colour",
    StyleId.HEADING1: "accent_colour",
    StyleId.HEADING2: "accent_colour",
    StyleId.HEADING3: "text_colour",
    StyleId.CAPTION: "muted_colour",
    StyleId.FOOTNOTE_TEXT: "muted_colour",
    StyleId.ENDNOTE_TEXT: "muted_colour",
    StyleId.HEADER: "muted_colour",
    StyleId.FOOTER: "muted_colour",
    StyleId.MARKING: "accent_colour",
    StyleId.BOX_TITLE: "accent_colour",
    StyleId.HYPERLINK: "accent_colour",
    StyleId.TIMELINE_GROUP: "accent_colour",
}
_SPACER_FONT = 1.0  # points: an empty spacer paragraph's font, so that nothing in it can stretch its line


def _text_styles(typo: Typography) -> dict[StyleId, TextStyle]:
    """The shared text style behind each paragraph and table style (tables: their cells' text)."""
    rule, line = typo.rule, typo.spacer_line
    return {
        StyleId.TITLE: typo.title,
        StyleId.SUBTITLE: typo.subtitle,
        # The title rule is META's bottom border: the space under the rule is META's own.
        StyleId.META: dataclasses.replace(typo.date_line, after=typo.title_rule.below),
        StyleId.HEADING1: typo.headings[0],
        StyleId.HEADING2: typo.headings[1],
        StyleId.HEADING3: typo.headings[2],
        StyleId.LIST_BULLET: typo.list_item,
        StyleId.LIST_NUMBER: typo.list_item,
        StyleId.QUOTE: typo.quote,
        StyleId.CAPTION: typo.caption,
        StyleId.FOOTNOTE_TEXT: typo.footnote,
        StyleId.ENDNOTE_TEXT: typo.footnote,
        StyleId.HEADER: typo.furniture,
        StyleId.FOOTER: typo.furniture,
        StyleId.MARKING: typo.marking,
        StyleId.BOX_TITLE: typo.box_title,
        StyleId.BOX_TEXT: typo.body,
        StyleId.RULE: TextStyle(_SPACER_FONT, line, rule.above, rule.below),  # the rule is its bottom border
        StyleId.SOURCE_ENTRY: typo.source,
        StyleId.TIMELINE_GROUP: typo.table_text,
        StyleId.TABLE_GAP: TextStyle(_SPACER_FONT, line, after=typo.after_table - line),
        StyleId.TABLE: typo.table_text,
        StyleId.TABLE_GRID: typo.table_text,
        StyleId.TABLE_COMPACT: typo.compact_table_text,
    }


def _indents(typo: Typography) -> dict[StyleId, Indent]:
    return {
        StyleId.FOOTNOTE_TEXT: typo.note_indent,
        StyleId.ENDNOTE_TEXT: typo.note_indent,
        StyleId.SOURCE_ENTRY: typo.source_indent,
    }


def cell_padding(typo: Typography, style_id: str) -> Padding:
    """The cell padding of table style ``style_id`` (a user's own table style: a data table's)."""
    return _cell_paddings(typo).get(style_id, typo.table_padding)  # type: ignore[call-overload]


def _cell_paddings(typo: Typography) -> dict[StyleId, Padding]:
    return {
        StyleId.TABLE: typo.table_padding,
        StyleId.TABLE_GRID: typo.table_padding,
        StyleId.TABLE_COMPACT: typo.compact_table_padding,
        StyleId.KEY_FACTS_BOX: typo.box_padding,
        StyleId.CALLOUT_BOX: typo.box_padding,
        StyleId.NOTE_BOX: typo.box_padding,
    }


def _borders(typo: Typography) -> tuple[tuple[tuple[StyleId, ...], str, float, int], ...]:
    """(style ids, XPath of borders in the style, thickness, distance from the text in points)."""
    frame = "w:tblPr/w:tblBorders/w:top | w:tblPr/w:tblBorders/w:bottom"
    inner = "w:tblPr/w:tblBorders/*[not(self::w:top or self::w:bottom)]"
    return (
        ((StyleId.META,), "w:pPr/w:pBdr/w:bottom", typo.title_rule.thickness, round(typo.title_rule.above)),
        ((StyleId.RULE,), "w:pPr/w:pBdr/w:bottom", typo.rule.thickness, 0),
        (_TABLE_IDS, frame, typo.table_frame, 0),
        (_TABLE_IDS, inner, typo.table_row_rule, 0),
    )

_TABLE_IDS = (StyleId.TABLE, StyleId.TABLE_GRID, StyleId.TABLE_COMPACT)
# (style ids, XPath inside the style, attribute, theme colour field): borders and shading.
_RECOLOUR: tuple[tuple[tuple[StyleId, ...], str, str, str], ...] = (
    ((StyleId.META, StyleId.RULE), "w:pPr/w:pBdr/w:bottom", "color", "accent_colour"),
    ((StyleId.QUOTE,), "w:pPr/w:pBdr/w:left", "color", "accent_colour"),
    (_TABLE_IDS, "w:tblPr/w:tblBorders/w:top | w:tblPr/w:tblBorders/w:bottom", "color", "accent_colour"),
    (_TABLE_IDS, "w:tblStylePr[@w:type='firstRow']/w:tcPr/w:shd", "fill", "table_header_colour"),
    (_TABLE_IDS, "w:tblStylePr[@w:type='band1Horz']/w:tcPr/w:shd", "fill", "table_stripe_colour"),
    ((StyleId.KEY_FACTS_BOX, StyleId.NOTE_BOX), "w:tcPr/w:shd", "fill", "box_colour"),
    ((StyleId.KEY_FACTS_BOX, StyleId.CALLOUT_BOX), "w:tblPr/w:tblBorders/*", "color", "accent_colour"),
)


def check_styles(styles: etree._Element) -> None:
    """Raise one ``RenderError`` naming every style the writer needs and the reference lacks."""
    present = {style.get(f"{{{W}}}styleId") for style in styles.iterfind(f"{{{W}}}style")}
    missing = [style_id.value for style_id in StyleId if style_id not in present]
    if missing:
        raise RenderError(
            f"the reference DOCX lacks the styles {', '.join(missing)}",
            hint="start a custom reference from briefgen's own data/reference.docx",
        )


def table_style_id(styles: etree._Element, name: str | None) -> str:
    """The Word style id for a table's ``style``: a built-in key or any table style's name."""
    if name in _TABLE_STYLES:
        return _TABLE_STYLES[name]
    by_name = {element.find("w:name", _NS).get(f"{{{W}}}val"): element for element in _table_styles(styles)}
    if name in by_name:
        return by_name[name].get(f"{{{W}}}styleId")
    choices = [key for key in _TABLE_STYLES if key] + sorted(by_name)
    raise RenderError(f"unknown table style '{name}'", hint=did_you_mean(str(name), choices, f"table styles: {', '.join(choices)}"))


def styled(paragraph: Paragraph, style_id: str) -> Paragraph:
    """Give ``paragraph`` the style with id ``style_id`` (ids, unlike names, never vary).

    The ``w:pStyle`` goes first in the ``w:pPr``, which goes first in the ``w:p``, as python-docx's
    ``Paragraph.style`` puts them, without its look-up of each element's place among its siblings.
    """
    element = paragraph._p
    properties = element.find(_PPR)
    if properties is None:
        properties = element.makeelement(_PPR)
        element.insert(0, properties)
    set_child(properties, w_element("pStyle", val=style_id))
    return paragraph


def apply_theme(styles: etree._Element, theme: Theme, labels: Labels) -> None:
    """Write the theme's typography, colours and the text's language into the styles part."""
    typo = typography(theme)
    _apply_defaults(styles, theme, typo, labels)
    by_id = {style.get(f"{{{W}}}styleId"): style for style in styles.iterfind(f"{{{W}}}style")}
    for style_id, measures in _text_styles(typo).items():
        if style_id in by_id:
            _set_size(_child(by_id[style_id], "rPr"), measures.size)
            _set_spacing(_child(by_id[style_id], "pPr"), measures)
    for style_id, indent in _indents(typo).items():
        if style_id in by_id:
            set_child(_child(by_id[style_id], "pPr"), indent_element(indent))
    for style_id, padding in _cell_paddings(typo).items():
        if style_id in by_id:
            set_child(_child(by_id[style_id], "tblPr"), _cell_margins(padding))
    for style_ids, path, thickness, distance in _borders(typo):
        for border in (b for style_id in style_ids if style_id in by_id for b in _xpath(by_id[style_id], path)):
            border.set(f"{{{W}}}sz", str(round(thickness * 8)))  # eighths of a point
            border.set(f"{{{W}}}space", str(distance))
    if StyleId.TITLE in by_id:  # the title is the outline's first level-1 heading, as in the PDF (H1): a tagged export says so
        set_child(_child(by_id[StyleId.TITLE], "pPr"), w_element("outlineLvl", val="0"))
    for style_id, colour in _COLOURS.items():
        if style_id in by_id:
            set_child(_child(by_id[style_id], "rPr"), w_element("color", val=_hex(getattr(theme, colour))))
    for style_ids, path, attribute, colour in _RECOLOUR:
        for style_id in style_ids:
            style = by_id.get(style_id)
            for element in _xpath(style, path) if style is not None else ():
                element.set(f"{{{W}}}{attribute}", _hex(getattr(theme, colour)))


def indent_element(indent: Indent) -> etree._Element:
    """A ``w:ind`` for a hanging paragraph: text at ``indent.text``, marker at ``indent.marker``."""
    return w_element("ind", left=str(twips(indent.text)), hanging=str(twips(indent.hanging)))


def _apply_defaults(styles: etree._Element, theme: Theme, typo: Typography, labels: Labels) -> None:
    """Body font, East Asian font, size, spacing and colour go in docDefaults, below every style.

    Keeping them out of Normal lets a table style's own size and spacing win inside tables.
    """
    defaults = _child(styles, "docDefaults")
    run = _child(_child(defaults, "rPrDefault"), "rPr")
    font = theme.docx_font
    set_child(run, w_element("rFonts", ascii=font, hAnsi=font, cs=font, eastAsia=theme.docx_east_asian_font))
    set_child(run, w_element("color", val=_hex(theme.text_colour)))
    _set_size(run, typo.body.size)
    set_child(run, language_element(labels))
    _set_spacing(_child(_child(defaults, "pPrDefault"), "pPr"), typo.body)


def language_element(labels: Labels) -> etree._Element:
    """``w:lang`` for text in ``labels``' language: Word proofs and hyphenates by it, and breaks lines by it.

    A Chinese document tags its Han text ``eastAsia`` and its Latin words English, as Chinese Word
    does: tagged Chinese, LibreOffice breaks an English word anywhere ("nati onal").
    """
    if labels.east_asian:
        return w_element("lang", val="en-US", eastAsia=labels.language_tag, bidi="ar-SA")
    return w_element("lang", val=labels.language_tag, eastAsia="zh-CN", bidi="ar-SA")


def run_language(language: str) -> etree._Element:
    """``w:lang`` for a run in ``language``, in the slot of its script: ``eastAsia`` (Han, kana, hangul),
    ``bidi`` (right-to-left scripts) or the main one (Latin, Cyrillic, Greek...)."""
    base = language.split("-")[0].lower()
    slot = "eastAsia" if base in _EAST_ASIAN_LANGUAGES else "bidi" if base in _RIGHT_TO_LEFT_LANGUAGES else "val"
    return w_element("lang", **{slot: language})


_EAST_ASIAN_LANGUAGES = frozenset({"zh", "ja", "ko"})
_RIGHT_TO_LEFT_LANGUAGES = frozenset({"ar", "he", "fa", "ur", "yi"})


def _set_spacing(properties: etree._Element, measures: TextStyle) -> None:
    """Exact line spacing at the shared leading, and the shared space before and after, in twips."""
    set_child(properties, w_element("spacing", before=str(twips(measures.before)), after=str(twips(measures.after)),
                                    line=str(twips(measures.leading)), lineRule="exact"))


def _cell_margins(padding: Padding) -> etree._Element:
    return cell_margins("tblCellMar", **{side: twips(getattr(padding, side)) for side in ("top", "left", "bottom", "right")})


def cell_margins(tag: str, **sides: int) -> etree._Element:
    """A table's (``tblCellMar``) or a cell's own (``tcMar``) margins in twips, e.g. ``cell_margins("tcMar", top=0)``."""
    margins = w_element(tag)
    for side, width in sides.items():
        margins.append(w_element(side, w=str(width), type="dxa"))
    return margins


def _set_size(properties: etree._Element, points: float) -> None:
    half_points = str(round(points * 2))
    set_child(properties, w_element("sz", val=half_points))
    set_child(properties, w_element("szCs", val=half_points))


def _child(parent: etree._Element, tag: str) -> etree._Element:
    found = parent.find(f"w:{tag}", _NS)
    return found if found is not None else set_child(parent, w_element(tag))


def _table_styles(styles: etree._Element) -> list[etree._Element]:
    return _xpath(styles, "w:style[@w:type='table'][w:name]")


def _xpath(element: etree._Element, path: str) -> list[etree._Element]:
    # python-docx elements override .xpath() with their own signature; go through lxml.
    return _compiled(path)(element)


@functools.lru_cache(maxsize=64)
def _compiled(path: str) -> etree.XPath:
    return etree.XPath(path, namespaces=_NS)


def _hex(colour: str) -> str:
    return colour.removeprefix("#").upper()
