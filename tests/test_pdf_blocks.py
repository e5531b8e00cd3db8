"""Tests of writers/pdf_blocks.py: paragraphs laid out once per width.

The flowables of each block type are checked through whole PDFs in
test_writer_pdf.py; here only what a PDF cannot show: how often a
paragraph breaks its lines.
"""

from __future__ import annotations

import pytest
from reportlab.lib.styles import ParagraphStyle

from briefgen.writers.pdf.blocks import MeasuredParagraph


@pytest.fixture
def paragraph(monkeypatch: pytest.MonkeyPatch) -> MeasuredParagraph:
    paragraph = MeasuredParagraph("words of a paragraph that takes several lines " * 8, ParagraphStyle("body"))
    layouts: list[object] = []
    break_lines = paragraph.breakLines
    monkeypatch.setattr(paragraph, "breakLines", lambda widths: layouts.append(widths) or break_lines(widths))
    paragraph.layouts = layouts  # type: ignore[attr-defined]
    return paragraph


def test_a_paragraph_is_laid_out_once_per_width(paragraph: MeasuredParagraph) -> None:
    first = paragraph.wrap(200, 1000)
    assert paragraph.wrap(200, 50) == first
    assert len(paragraph.layouts) == 1  # type: ignore[attr-defined]
    wider = paragraph.wrap(300, 1000)
    assert wider[1] < first[1]
    assert paragraph.wrap(300, 1000) == wider
    assert len(paragraph.layouts) == 2  # type: ignore[attr-defined]
    assert paragraph.wrap(200, 1000) == first
    assert len(paragraph.layouts) == 3  # type: ignore[attr-defined]


def test_a_split_that_drops_the_layout_makes_the_next_wrap_lay_out_again(paragraph: MeasuredParagraph) -> None:
    size = paragraph.wrap(200, 1000)
    assert paragraph.split(200, 5) == []  # not even one line fits: reportlab drops the layout
    assert not hasattr(paragraph, "blPara")
    assert paragraph.wrap(200, 1000) == size
    assert len(paragraph.layouts) == 2  # type: ignore[attr-defined]
    assert paragraph.blPara.lines
