"""External hyperlinks: a ``w:hyperlink`` whose ``r:id`` names an external relationship.

The relationship belongs to the part that holds the paragraph (the main
document, a footnotes part, a header), so the caller passes that part.
Runs go inside the returned element; this module does not style them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from lxml import etree

from briefgen.writers.docx.order import w_element

if TYPE_CHECKING:
    from docx.opc.part import Part

__all__ = ["add_hyperlink"]

_R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def add_hyperlink(paragraph: etree._Element, part: Part, url: str) -> etree._Element:
    """Append an empty hyperlink to ``url`` to the ``w:p`` (or other run container) and return it."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    link = w_element("hyperlink", history="1")
    link.set(_R_ID, part.relate_to(url, RT.HYPERLINK, is_external=True))
    paragraph.append(link)
    return link
