"""Writers: one module per output format, each turning a ``Document`` into bytes.

Only the writer modules import python-docx and reportlab, and only when a
writer is first called: ``import briefgen.writers`` stays cheap. Writers
never choose content; the PDF writer reports the page count so that
``build.py`` can fit a brief to its page limit.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from briefgen.model import Document
    from briefgen.themes import Theme

__all__ = ["Rendered", "write_docx", "write_pdf"]


@dataclass(frozen=True, slots=True)
class Rendered:
    """A finished file: its bytes, and its page count where the writer knows it (PDF)."""

    data: bytes
    pages: int | None = None


def write_docx(doc: Document, theme: Theme) -> Rendered:
    from briefgen.writers.docx import write_docx as write

    return write(doc, theme)


def write_pdf(doc: Document, theme: Theme, *, max_pages: int | None = None) -> Rendered:
    """The PDF of ``doc``; with ``max_pages``, a longer document stops early with no bytes and ``pages == max_pages + 1``."""
    from briefgen.writers.pdf import write_pdf as write

    return write(doc, theme, max_pages=max_pages)
