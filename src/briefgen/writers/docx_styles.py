"""The Word styles a brief uses, and the theme's fonts, sizes and colours laid over them.

The reference DOCX (``data/reference.docx``, made by
``scripts/make_reference_docx.py``, replaceable by the user) decides a
style's shape: spacing, indents, borders, numbering. The theme decides its
fonts, sizes (as multiples of ``base_size``) and colours, which
``apply_theme`` writes into the styles part. The writer refers to styles by
their ids, which are the same in every language version of Word. This
module must not add content to the document body.
"""

from __future__ import annotations

import difflib
import enum
import functools
from typing import TYPE_CHECKING

from lxml import etree

from briefgen.errors import RenderError
from briefgen.writers.docx_order import W, set_child, w_element

if TYPE_CHECKING:
    from docx.text.paragraph import Paragraph

    from briefgen.themes import Theme

__all__ = ["BOX_STYLES", "StyleId", "apply_theme", "check_styles", "styled", "table_style_id"]

_NS = {"w": W}


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

# Style id -> (size as a multiple of theme.base_size, theme colour field); None leaves it alone.
_FONT_ROLES: dict[StyleId, tuple[float | None, str | None]] = {
    StyleId.TITLE: (2.1, "accent_colour"),
    StyleId.SUBTITLE: (1.3, "muted_colour"),
    StyleId.META: (0.9, "muted_colour"),
    StyleId.HEADING1: (1.45, "accent_colour"),
    StyleId.HEADING2: (1.2, "accent_colour"),
    StyleId.HEADING3: (1.05, "text_colour"),
    StyleId.CAPTION: (0.9, "muted_colour"),
    StyleId.FOOTNOTE_TEXT: (0.8, None),
    StyleId.ENDNOTE_TEXT: (0.8, None),
    StyleId.HEADER: (0.8, "muted_colour"),
    StyleId.FOOTER: (0.8, "muted_colour"),
    StyleId.MARKING: (0.95, "accent_colour"),
    StyleId.BOX_TITLE: (1.05, "accent_colour"),
    StyleId.SOURCE_ENTRY: (0.9, None),
    StyleId.HYPERLINK: (None, "accent_colour"),
    StyleId.TIMELINE_GROUP: (None, "accent_colour"),
    StyleId.RULE: (0.4, None),
    StyleId.TABLE_GAP: (0.6, None),
    StyleId.TABLE_COMPACT: (0.9, None),
}

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
    close = difflib.get_close_matches(str(name), choices, n=1)
    raise RenderError(
        f"unknown table style '{name}'",
        hint=f"did you mean '{close[0]}'?" if close else f"table styles: {', '.join(choices)}",
    )


def styled(paragraph: Paragraph, style_id: str) -> Paragraph:
    """Give ``paragraph`` the style with id ``style_id`` (ids, unlike names, never vary)."""
    paragraph._p.get_or_add_pPr().style = style_id
    return paragraph


def apply_theme(styles: etree._Element, theme: Theme, language: str) -> None:
    """Write the theme's fonts, sizes and colours, and the text's language, into the styles part."""
    _apply_defaults(styles, theme, language)
    by_id = {style.get(f"{{{W}}}styleId"): style for style in styles.iterfind(f"{{{W}}}style")}
    for style_id, (factor, colour) in _FONT_ROLES.items():
        style = by_id.get(style_id)
        if style is None:
            continue
        properties = _child(style, "rPr")
        if factor is not None:
            _set_size(properties, theme.base_size * factor)
        if colour is not None:
            set_child(properties, w_element("color", val=_hex(getattr(theme, colour))))
    for style_ids, path, attribute, colour in _RECOLOUR:
        for style_id in style_ids:
            style = by_id.get(style_id)
            for element in _xpath(style, path) if style is not None else ():
                element.set(f"{{{W}}}{attribute}", _hex(getattr(theme, colour)))


def _apply_defaults(styles: etree._Element, theme: Theme, language: str) -> None:
    """Body font, East Asian font, size and colour go in docDefaults, below every style.

    Keeping them out of Normal lets a table style's own size and spacing win inside tables.
    """
    defaults = styles
    for tag in ("docDefaults", "rPrDefault", "rPr"):
        defaults = _child(defaults, tag)
    font = theme.docx_font
    set_child(defaults, w_element("rFonts", ascii=font, hAnsi=font, cs=font, eastAsia=theme.docx_east_asian_font))
    set_child(defaults, w_element("color", val=_hex(theme.text_colour)))
    _set_size(defaults, theme.base_size)
    set_child(defaults, w_element("lang", val=language, eastAsia="zh-CN", bidi="ar-SA"))


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
