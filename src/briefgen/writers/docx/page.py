"""Page furniture: page size, margins, and the header and footer of every section.

The header carries the marking banner (as in the PDF: a bar in the accent
colour with the marking in white bold capitals), the
logo and header text, and the diagonal watermark; the footer carries the
footer text, "Page N of M" with real PAGE and NUMPAGES fields (the words
from the model's labels, in the brief's language) and the marking again, as a
protective marking appears top and bottom. This module must not touch the
document body.
"""

from __future__ import annotations

import io
import string
from typing import TYPE_CHECKING

from briefgen.typography import BANNER, typography
from briefgen.writers.docx.fields import field_runs
from briefgen.writers.docx.order import set_child, w_element
from briefgen.writers.docx.styles import StyleId, styled
from briefgen.writers.docx.units import twips
from briefgen.writers.docx.watermark import watermark_run

if TYPE_CHECKING:
    from docx.document import Document as WordDocument
    from docx.section import Section, _Footer, _Header
    from docx.text.paragraph import Paragraph

    from briefgen.themes import Theme

__all__ = ["set_up_pages", "text_width"]

_FIELDS = {"page": "PAGE", "pages": "NUMPAGES"}


def text_width(theme: Theme) -> int:
    """The width between the margins, in EMU."""
    from docx.shared import Mm

    return Mm(theme.page_size.millimetres[0]) - Mm(theme.margins.left) - Mm(theme.margins.right)


def set_up_pages(document: WordDocument, theme: Theme, marking: str | None, page_of: str, logo: bytes | None,
                 logo_alt: str = "") -> None:
    """Page size, margins, header and footer on every section of ``document``; ``logo_alt`` is the logo's description."""
    from docx.shared import Mm

    for section in document.sections:
        _page(section, theme)
        if marking:  # the banners sit where the PDF draws them, 7 mm from the page's edges
            section.header_distance = section.footer_distance = Mm(min(7.0, theme.margins.top / 2, theme.margins.bottom / 2))
        _header(section.header, theme, marking, logo, logo_alt)
        _footer(section.footer, theme, marking, page_of)


def _page(section: Section, theme: Theme) -> None:
    from docx.shared import Mm

    width, height = theme.page_size.millimetres
    section.page_width, section.page_height = Mm(width), Mm(height)
    margins = theme.margins
    section.top_margin, section.bottom_margin = Mm(margins.top), Mm(margins.bottom)
    section.left_margin, section.right_margin = Mm(margins.left), Mm(margins.right)
    section.header_distance = Mm(min(10.0, margins.top / 2))
    section.footer_distance = Mm(min(10.0, margins.bottom / 2))


def _header(header: _Header, theme: Theme, marking: str | None, logo: bytes | None, logo_alt: str) -> None:
    from docx.shared import Mm

    first = _emptied(header)
    if marking:
        _banner(first, marking, theme)
    if logo or theme.header_text:
        line = styled(header.add_paragraph() if marking else first, StyleId.HEADER)
        _right_tab(line, theme)
        if logo:
            picture = line.add_run().add_picture(io.BytesIO(logo), height=Mm(10))
            picture._inline.docPr.set("descr", logo_alt)  # the alternative text Word and screen readers show
        line.add_run(f"\t{theme.header_text or ''}")
    if theme.watermark:
        width = text_width(theme) / 12700  # EMU -> points
        first._p.append(watermark_run(theme.watermark, theme.docx_font, theme.muted_colour, width))


def _footer(footer: _Footer, theme: Theme, marking: str | None, page_of: str) -> None:
    line = styled(_emptied(footer), StyleId.FOOTER)
    _right_tab(line, theme)
    line.add_run(f"{theme.footer_text or ''}\t")
    # Split the label around its {page}/{pages} slots so each becomes a live field.
    for literal, name, _, _ in string.Formatter().parse(page_of):
        if literal:
            line.add_run(literal)
        if name:
            line._p.extend(field_runs(_FIELDS[name], "1"))
    if marking:
        _banner(footer.add_paragraph(), marking, theme)


# Bold capitals of the Arial-metric faces average about this many ems: Word has no way to size a
# paragraph's shading to its text, so the banner's width is the PDF's, from an estimate of the text's.
_CAPITALS_EM = 0.72


def _banner(paragraph: Paragraph, marking: str, theme: Theme) -> None:
    """The marking banner: the paragraph shaded in the accent colour between indents that leave
    the PDF banner's width, one line of its height, the marking in white."""
    size = typography(theme).marking.size
    side = max(0.0, (text_width(theme) / 12700 - BANNER.width(len(marking) * size * _CAPITALS_EM)) / 2)  # EMU -> points
    properties = styled(paragraph, StyleId.MARKING)._p.get_or_add_pPr()
    set_child(properties, w_element("shd", val="clear", color="auto", fill=theme.accent_colour.removeprefix("#").upper()))
    set_child(properties, w_element("spacing", before="0", after="0", line=str(twips(BANNER.height)), lineRule="exact"))
    set_child(properties, w_element("ind", left=str(twips(side)), right=str(twips(side))))
    run = paragraph.add_run(marking)
    run_properties = run._r.get_or_add_rPr()
    set_child(run_properties, w_element("color", val="FFFFFF"))
    set_child(run_properties, w_element("spacing", val="0"))


def _emptied(story: _Header | _Footer) -> Paragraph:
    """The story's own part (not the previous section's), emptied down to one fresh paragraph.

    A reference DOCX may come with header text of its own; the theme decides what shows.
    """
    story.is_linked_to_previous = False
    for child in list(story._element):
        story._element.remove(child)
    return story.add_paragraph()


def _right_tab(paragraph: Paragraph, theme: Theme) -> None:
    from docx.enum.text import WD_TAB_ALIGNMENT
    from docx.shared import Emu

    paragraph.paragraph_format.tab_stops.add_tab_stop(Emu(text_width(theme)), WD_TAB_ALIGNMENT.RIGHT)
