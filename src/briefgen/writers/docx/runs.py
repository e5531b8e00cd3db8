"""Runs of text as lxml elements: the ``w:r`` python-docx's ``Paragraph.add_run`` makes, without its proxies.

python-docx's ``Run.text`` goes through the text a character at a time, and
each ``Run`` property looks its element's place up among its siblings; a
brief writes hundreds of runs, so the DOCX writer makes the same elements
directly: run properties (given in schema order) first, then the text as
``w:t`` pieces, a ``w:tab`` for each tab and a ``w:br`` for each line feed or
carriage return, a piece with outer white space marked ``xml:space="preserve"``.
This module knows nothing of the document model nor where a run goes.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from lxml import etree

from briefgen.writers.docx.order import W

__all__ = ["add_run"]

_R, _RPR, _T, _TAB, _BR = (f"{{{W}}}{name}" for name in ("r", "rPr", "t", "tab", "br"))
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_SPECIAL = re.compile(r"([\t\r\n])")


def add_run(parent: etree._Element, text: str = "", properties: Sequence[etree._Element] = ()) -> etree._Element:
    """A new ``w:r`` at the end of ``parent`` with ``properties`` (its ``w:rPr``'s children) and ``text``."""
    run = etree.SubElement(parent, _R)
    if properties:
        etree.SubElement(run, _RPR).extend(properties)
    for piece in _SPECIAL.split(text) if text else ():
        if piece == "\t":
            etree.SubElement(run, _TAB)
        elif piece in ("\r", "\n"):
            etree.SubElement(run, _BR)
        elif piece:
            element = etree.SubElement(run, _T)
            element.text = piece
            if len(piece.strip()) < len(piece):
                element.set(_XML_SPACE, "preserve")
    return run
