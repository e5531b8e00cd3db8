"""Word fields (PAGE, NUMPAGES, NOTEREF) as complex-field runs.

A complex field is five runs: ``fldChar begin``, the instruction, ``fldChar
separate``, the cached result a reader shows before Word updates it, and
``fldChar end``. Each run gets a copy of the caller's run properties so the
result looks like the text around it. This module only builds runs; where
they go is the caller's business.
"""

from __future__ import annotations

import copy

from lxml import etree

from briefgen.writers.docx.order import w_element

__all__ = ["field_runs"]


def field_runs(instruction: str, result: str, rpr: etree._Element | None = None) -> list[etree._Element]:
    """The runs of field ``instruction`` (e.g. ``"PAGE"``) showing ``result`` until updated."""
    instr = w_element("instrText")
    instr.text = f" {instruction} "
    instr.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    text = w_element("t")
    text.text = result
    begin, separate, end = (w_element("fldChar", fldCharType=kind) for kind in ("begin", "separate", "end"))
    return [_run(content, rpr) for content in (begin, instr, separate, text, end)]


def _run(content: etree._Element, rpr: etree._Element | None) -> etree._Element:
    run = w_element("r")
    if rpr is not None:
        run.append(copy.deepcopy(rpr))
    run.append(content)
    return run
