"""Writers: the registry of output formats, each turning a ``Document`` into bytes.

A writer is a package under ``briefgen.writers`` (or any installed package)
that offers a ``Writer`` through the entry-point group ``briefgen.writers``;
the list of formats comes from those entry points and from nowhere else
(kept in the cache while no installed package changes).
This module is the only thing other stages import from the writers. It
must not import any writer, and no writer imports another. Writers only read the
document model and the theme; they never choose content. A paginated
writer (PDF) can lay a document out up to a page limit so that ``build.py``
can fit a brief's printed editions (the paged formats, PDF and DOCX) to its
page limit; a web page (HTML) is never fitted.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
import functools
from importlib import import_module
from typing import TYPE_CHECKING

from briefgen import cache
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
    bytes and ``pages == max_pages + 1``. ``count_pages(doc, theme, max_pages)``
    gives the same page count without making the file, for a brief fitted to
    its page limit but not written in this format. ``layout_version()`` names
    the code that lays documents out (a digest of its sources and its library's
    version): a page count kept from an earlier layout holds while it is equal.
    ``paged`` says the format is a printed edition, on pages, so a brief's
    ``page_limit`` applies to it; a web page (HTML) is not paged and
    states every fact the brief selects.
    """

    format: str
    write: Callable[[Document, Theme], Rendered]
    lay_out: Callable[[Document, Theme, int], Rendered] | None = None
    count_pages: Callable[[Document, Theme, int], int] | None = None
    layout_version: Callable[[], str] | None = None
    paged: bool = True


@functools.cache
def _writers() -> dict[str, Writer]:
    found: dict[str, Writer] = {}
    for name, value in _entry_points():
        module, _, attribute = value.partition(":")
        loaded: object = import_module(module.strip())
        for part in attribute.strip().split(".") if attribute.strip() else ():
            loaded = getattr(loaded, part)
        if not isinstance(loaded, Writer) or loaded.format != name:
            raise TypeError(f"entry point {name} = {value} is not a briefgen Writer for '{name}'")
        found.setdefault(name, loaded)
    return dict(sorted(found.items()))


def _entry_points() -> list[tuple[str, str]]:
    """(name, ``module:attribute``) of each entry point of the group, as ``importlib.metadata`` lists them.

    Listing them imports ``importlib.metadata`` and reads every installed
    distribution's metadata, which costs more than a warm build's work on the
    brief itself. The list is kept in the cache, keyed by where distributions
    live: ``sys.path``, the distributions in each of its folders and the
    modification time of each one's ``entry_points.txt``, so installing,
    removing or reinstalling a package lists them again.
    """

    def listed() -> list[tuple[str, str]]:
        from importlib.metadata import entry_points

        return [(point.name, point.value) for point in entry_points(group=ENTRY_POINT_GROUP)]

    return cache.remembered("entry-points", _installed_state(), listed)


def _installed_state() -> list[str]:
    state = []
    for folder in sys.path:
        state.append(folder)
        try:
            with os.scandir(folder or ".") as listing:
                for entry in listing:
                    if entry.name.endswith((".dist-info", ".egg-info")):
                        state.append(f"{entry.name}\0{_modified(os.path.join(entry.path, 'entry_points.txt'))}")
        except NotADirectoryError:  # a zip file of distributions
            state.append(f"\0{_modified(folder)}")
        except OSError:  # absent
            continue
    return state


def _modified(path: str) -> int:
    try:
        return os.stat(path).st_mtime_ns
    except OSError:
        return 0


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
