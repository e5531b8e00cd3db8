"""List numbering: restart a numbered list, and indent list markers as the shared typography says.

Word continues one numbering across every paragraph that shares a
``numId``, so two ordered lists in a brief would count 1–3 then 4–6. Each
ordered list gets its own ``w:num`` pointing at the style's abstract
numbering with a ``startOverride``. A list whose marker sits elsewhere (the
Sources list: numbers at the margin) gets its own copy of the abstract
numbering with that indent. In Word a list level's indent wins over its
paragraph style's, so the indents are written into the levels. This module
only edits numbering.xml; the caller puts the returned ids on its paragraphs.
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING

from briefgen.errors import RenderError
from briefgen.writers.docx.order import W, set_child
from briefgen.writers.docx.styles import indent_element

if TYPE_CHECKING:
    from docx.oxml.numbering import CT_Numbering
    from lxml import etree

    from briefgen.typography import Indent

__all__ = ["indent_list", "restarted_list"]

_ABSTRACT = f"{{{W}}}abstractNum"
_ABSTRACT_ID = f"{{{W}}}abstractNumId"


def restarted_list(numbering: CT_Numbering, style: etree._Element, start: int, indent: Indent | None = None) -> int:
    """The id of a new list instance of ``style``'s numbering that starts at ``start``.

    With ``indent``, the instance numbers like ``style`` but with its own marker and text indent.
    """
    abstract_id = _abstract(numbering, style).get(_ABSTRACT_ID)
    if indent is not None:
        abstract_id = _indented_copy(numbering, abstract_id, indent)
    num = numbering.add_num(int(abstract_id))
    num.add_lvlOverride(ilvl=0).add_startOverride(start)
    return num.numId


def indent_list(numbering: CT_Numbering, style: etree._Element, indent: Indent) -> None:
    """Put the first level of ``style``'s list marker and text at ``indent`` (a style without a list: nothing)."""
    if style.find(f"{{{W}}}pPr/{{{W}}}numPr/{{{W}}}numId") is not None:
        _set_indent(_abstract(numbering, style), indent)


def _abstract(numbering: CT_Numbering, style: etree._Element) -> etree._Element:
    num_id = style.find(f"{{{W}}}pPr/{{{W}}}numPr/{{{W}}}numId")
    if num_id is None:
        raise RenderError(
            f"the reference DOCX's style {style.get(f'{{{W}}}styleId')} has no list numbering",
            hint="give the style a numbered list in Word (Define New Number Format) or use briefgen's reference",
        )
    abstract_id = numbering.num_having_numId(int(num_id.get(f"{{{W}}}val"))).abstractNumId.val
    return next(a for a in numbering.iterfind(_ABSTRACT) if a.get(_ABSTRACT_ID) == str(abstract_id))


def _indented_copy(numbering: CT_Numbering, abstract_id: str, indent: Indent) -> str:
    """A new abstract numbering like ``abstract_id``'s, tied to no style, with ``indent``; its id."""
    abstracts = list(numbering.iterfind(_ABSTRACT))
    original = next(a for a in abstracts if a.get(_ABSTRACT_ID) == abstract_id)
    twin = copy.deepcopy(original)
    new_id = str(max(int(a.get(_ABSTRACT_ID)) for a in abstracts) + 1)
    twin.set(_ABSTRACT_ID, new_id)
    for tied in twin.findall(f"{{{W}}}nsid") + twin.findall(f"{{{W}}}tmpl") + twin.findall(f"{{{W}}}lvl/{{{W}}}pStyle"):
        tied.getparent().remove(tied)
    _set_indent(twin, indent)
    abstracts[-1].addnext(twin)  # abstract numberings come before every w:num
    return new_id


def _set_indent(abstract: etree._Element, indent: Indent) -> None:
    level = abstract.find(f"{{{W}}}lvl[@{{{W}}}ilvl='0']")
    properties = level.find(f"{{{W}}}pPr")
    if properties is None:  # a level's pPr comes just before its rPr, if any
        properties = level.makeelement(f"{{{W}}}pPr")
        run = level.find(f"{{{W}}}rPr")
        level.append(properties) if run is None else run.addprevious(properties)
    set_child(properties, indent_element(indent))
