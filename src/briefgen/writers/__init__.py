"""Writers: the registry of output formats, each turning a ``Document`` into bytes.

A writer is a package under ``briefgen.writers`` (or any installed package)
that offers a ``Writer`` through the entry-point group ``briefgen.writers``;
the list of formats comes from those entry points and from nowhere else.
This module is the only thing other stages import from the writers: it
imports no writer, and no writer imports another. Writers only read the
document model and the theme; they never choose content. A paginated
writer (PDF) can lay a document out up to a page limit so that ``build.py``
can fit a brief to its page limit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib.metadata import entry_points
from typing import TYPE_CHECKING

from briefgen.errors import UsageError

if TYPE_CHECKING:
    from briefgen.model import Document
    from briefgen.themes import Theme

__all__ = ["DEFAULT_FORMATS", "ENTRY_POINT_GROUP", "Rendered", "Writer", "formats", "paginating_writer", "writer"]

ENTRY_POINT_GROUP = "briefgen.writers"
DEFAULT_FORMATS = ("pdf", "docx")
"""What a brief that names no formats is built as."""


@dataclass(frozen=True, slots=True)
class Rendered:
    """A finished file: its bytes, and its page count where the writer knows it (PDF)."""

    data: bytes
    pages: int | None = None


@dataclass(frozen=True, slots=True)
class Writer:
    """One output format: its name (also the file suffix) and how to write it.

    ``lay_out(doc, theme, max_pages)`` is given by a paginated writer: it
    stops once the document runs past ``max_pages`` and then returns no
    bytes and ``pages == max_pages + 1``.
    """

    format: str
    write: Callable[[Document, Theme], Rendered]
    lay_out: Callable[[Document, Theme, int], Rendered] | None = None


@cache
def _writers() -> dict[str, Writer]:
    found: dict[str, Writer] = {}
    for point in entry_points(group=ENTRY_POINT_GROUP):
        loaded = point.load()
        if not isinstance(loaded, Writer) or loaded.format != point.name:
            raise TypeError(f"entry point {point.name} = {point.value} is not a briefgen Writer for '{point.name}'")
        found.setdefault(point.name, loaded)
    return dict(sorted(found.items()))


def formats() -> tuple[str, ...]:
    """Every format an installed writer offers, sorted."""
    return tuple(_writers())


def writer(fmt: str) -> Writer:
    """The writer of ``fmt``; a ``UsageError`` naming the formats there are if none offers it."""
    try:
        return _writers()[fmt]
    except KeyError:
        raise UsageError(f"unknown format '{fmt}'", hint=f"choose from {', '.join(formats())}") from None


def paginating_writer() -> Writer:
    """The writer that measures pages for briefs with a page limit (PDF)."""
    return writer("pdf")
