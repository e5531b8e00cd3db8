"""The DOCX writer (python-docx): Word styles, real footnotes, fields, core properties.

Registered as the ``docx`` writer (entry point ``briefgen.writers``).
Importing this package is cheap: python-docx is imported on the first
write. It reads only the document model and the theme. It must not import
the registry, templating, markdown, l10n, build, batch or another writer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from briefgen.writers import Rendered, Writer

if TYPE_CHECKING:
    from briefgen.model import Document
    from briefgen.themes import Theme

__all__ = ["WRITER", "write_docx"]


def write_docx(doc: Document, theme: Theme) -> Rendered:
    """The DOCX of ``doc``: same input, same bytes."""
    from briefgen.writers.docx.writer import write_docx as write

    return write(doc, theme)


WRITER = Writer("docx", write=write_docx)
