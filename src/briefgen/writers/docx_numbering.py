"""Restart a numbered list: a new ``w:num`` instance of a list style's numbering.

Word continues one numbering across every paragraph that shares a
``numId``, so two ordered lists in a brief would count 1–3 then 4–6. Each
ordered list gets its own ``w:num`` pointing at the style's abstract
numbering with a ``startOverride``. This module only edits numbering.xml;
the caller puts the returned id on its paragraphs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from briefgen.errors import RenderError
from briefgen.writers.docx_order import W

if TYPE_CHECKING:
    from docx.oxml.numbering import CT_Numbering
    from lxml import etree

__all__ = ["restarted_list"]


def restarted_list(numbering: CT_Numbering, style: etree._Element, start: int) -> int:
    """The id of a new list instance of ``style``'s numbering that starts at ``start``."""
    num_id = style.find(f"{{{W}}}pPr/{{{W}}}numPr/{{{W}}}numId")
    if num_id is None:
        raise RenderError(
            f"the reference DOCX's style {style.get(f'{{{W}}}styleId')} has no list numbering",
            hint="give the style a numbered list in Word (Define New Number Format) or use briefgen's reference",
        )
    abstract = numbering.num_having_numId(int(num_id.get(f"{{{W}}}val"))).abstractNumId.val
    num = numbering.add_num(abstract)
    num.add_lvlOverride(ilvl=0).add_startOverride(start)
    return num.numId
