"""The HTML writer: one self-contained HTML5 page per brief (styles inline, no network, fonts from the system).

Registered as the ``html`` writer (entry point ``briefgen.writers``). It
reads only the document model and the theme and formats no date or number
(its labels come from the model's ``Meta.labels``). It must not import the
registry, templating, markdown, l10n, build, batch or another writer.
The page is also what ``briefgen preview`` serves. It is not paged: it states
every fact the brief selects, whatever the brief's ``page_limit``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from briefgen.writers import Rendered, Writer

if TYPE_CHECKING:
    from briefgen.model import Document
    from briefgen.themes import Theme

__all__ = ["WRITER", "write_html"]


def write_html(doc: Document, theme: Theme) -> Rendered:
    """The HTML page of ``doc``: same input, same bytes."""
    from briefgen.writers.html.page import write_html as write

    return write(doc, theme)


WRITER = Writer("html", write=write_html, paged=False)  # one web page: a brief's page_limit does not apply
