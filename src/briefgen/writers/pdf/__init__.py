"""The PDF writer (reportlab): embedded fonts, footnotes, outline, links, page numbers.

Registered as the ``pdf`` writer (entry point ``briefgen.writers``) and the
one that measures pages for briefs with a page limit. Importing this
package is cheap: reportlab is imported on the first write. It reads only
the document model and the theme. It must not import the registry,
templating, markdown, l10n, build, batch or another writer.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from briefgen import cache
from briefgen.writers import Rendered, Writer

if TYPE_CHECKING:
    from briefgen.model import Document
    from briefgen.themes import Theme

__all__ = ["WRITER", "write_pdf"]


def write_pdf(doc: Document, theme: Theme, *, max_pages: int | None = None) -> Rendered:
    """The PDF of ``doc``; with ``max_pages``, a longer document stops early with no bytes and ``pages == max_pages + 1``."""
    from briefgen.writers.pdf.writer import write_pdf as write

    return write(doc, theme, max_pages=max_pages)


def _lay_out(doc: Document, theme: Theme, max_pages: int) -> Rendered:
    return write_pdf(doc, theme, max_pages=max_pages)


def _count_pages(doc: Document, theme: Theme, max_pages: int) -> int:
    """The page count ``_lay_out`` gives, without tagging or making the file: about half its work."""
    from briefgen.writers.pdf.writer import write_pdf as write

    pages = write(doc, theme, max_pages=max_pages, tagged=False, finish=False).pages
    assert pages is not None
    return pages


def _layout_version() -> str:
    """A digest of the sources of this package's modules, of the shared typography and of reportlab's
    ``__init__``, which states its version: read, not imported, so that an HTML build imports no reportlab."""
    modules = sorted(f"{__name__}.{path.stem}" for path in Path(__file__).parent.glob("*.py") if path.stem != "__init__")
    return cache.code_digest(__name__, *modules, "briefgen.typography", "reportlab")


WRITER = Writer("pdf", write=write_pdf, lay_out=_lay_out, count_pages=_count_pages, layout_version=_layout_version)
