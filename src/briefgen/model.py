"""The document model: the only thing the writers know.

Small frozen dataclasses in the spirit of Pandoc's AST: a ``Document`` is
metadata plus a tuple of blocks; blocks hold inlines. The reader produces it
from Markdown, transforms are plain ``Document -> Document`` functions, and
each writer turns it into one file format. Nothing here knows about YAML,
Markdown, python-docx or reportlab.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import operator
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import Any, TypeVar

__all__ = [
    "Block",
    "BlockQuote",
    "Box",
    "BulletList",
    "Cite",
    "Document",
    "Emph",
    "Heading",
    "HorizontalRule",
    "Inline",
    "Labels",
    "LineBreak",
    "Link",
    "ListItem",
    "Meta",
    "Note",
    "OrderedList",
    "PageBreak",
    "Paragraph",
    "SourceEntry",
    "SourceList",
    "Span",
    "Strong",
    "Table",
    "Text",
    "Timeline",
    "TimelineEntry",
    "TimelineGroup",
    "plain_text",
    "replace",
    "walk",
]

_N = TypeVar("_N")


# --- inlines -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Text:
    text: str


@dataclass(frozen=True, slots=True)
class Emph:
    children: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Strong:
    children: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Link:
    url: str
    children: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Span:
    """Text in another language than the document's: ``language`` is its BCP 47 tag ("en", "zh-CN").

    Writers tell readers so (PDF: a Span element with /Lang; DOCX: ``w:lang``; HTML: ``lang``),
    so that a screen reader speaks it in that language's voice.
    """

    language: str
    children: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Cite:
    """A citation of one or more facts (``[@a; @b]``).

    ``notes`` is empty as read; the numbering transform fills it with one note
    number per fact id, in the same order.
    """

    fact_ids: tuple[str, ...]
    notes: tuple[int, ...] = ()
    line: int | None = None  # line in the rendered Markdown, for error messages


@dataclass(frozen=True, slots=True)
class LineBreak:
    pass


Inline = Text | Emph | Strong | Link | Span | Cite | LineBreak


# --- blocks ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Heading:
    level: int  # 1-3
    children: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Paragraph:
    children: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class ListItem:
    children: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class BulletList:
    items: tuple[ListItem, ...]


@dataclass(frozen=True, slots=True)
class OrderedList:
    items: tuple[ListItem, ...]
    start: int = 1


@dataclass(frozen=True, slots=True)
class Table:
    """A table with one header row. ``widths`` are relative (they need not sum to 100).

    ``style`` names a table style of the theme (``"grid"``, ``"compact"``, ...);
    ``None`` is the theme's default.
    """

    header: tuple[tuple[Inline, ...], ...]
    rows: tuple[tuple[tuple[Inline, ...], ...], ...]
    widths: tuple[float, ...] | None = None
    style: str | None = None
    caption: tuple[Inline, ...] = ()


@dataclass(frozen=True, slots=True)
class BlockQuote:
    children: tuple[Block, ...]


@dataclass(frozen=True, slots=True)
class TimelineGroup:
    """A group label inside a timeline (a year, a decade)."""

    label: str


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    """One dated row of a chronology: the date as people read it, and what happened."""

    when: str
    children: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Timeline:
    """A chronology: rows in order, optionally grouped. Writers lay it out as a two-column table
    whose header row (``header``) repeats on every page."""

    rows: tuple[TimelineGroup | TimelineEntry, ...]
    header: tuple[str, str] = ("Date", "Event")


@dataclass(frozen=True, slots=True)
class Box:
    """A shaded box: ``kind`` is ``"keyfacts"``, ``"callout"`` or ``"note"``."""

    kind: str
    children: tuple[Block, ...]
    title: str | None = None


@dataclass(frozen=True, slots=True)
class HorizontalRule:
    pass


@dataclass(frozen=True, slots=True)
class PageBreak:
    pass


@dataclass(frozen=True, slots=True)
class SourceEntry:
    """One source in the Sources list, already formatted (title, publisher, date, URL as Link)."""

    source_id: str
    children: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class SourceList:
    """The Sources section's list; the transform puts a heading before it."""

    entries: tuple[SourceEntry, ...]


Block = (
    Heading
    | Paragraph
    | BulletList
    | OrderedList
    | Table
    | BlockQuote
    | Timeline
    | Box
    | HorizontalRule
    | PageBreak
    | SourceList
)


# --- document ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Note:
    """The text of note ``number``: the cited fact's short source reference(s)."""

    number: int
    fact_id: str
    children: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Labels:
    """What a writer prints around the blocks, already in the document's language.

    The l10n transform (``briefgen.l10n.localise``) fills these once per
    build, so every format prints the same strings: writers never format a
    date or pick a word themselves. The defaults are what ``localise`` gives
    an English document with no date (a test keeps them equal).
    """

    date: str | None = None  # the as-of day as people read it: "20 January 2026", "2026年1月20日"
    page_of: str = "Page {page} of {pages}"  # a footer; {page} and {pages} are slots for the numbers
    notes: str = "Notes"  # the heading over notes that are not footnotes
    language_tag: str = "en-GB"  # the full tag for proofing, hyphenation and line breaking ("ru-RU", "zh-CN")
    hyphenate: bool = False  # words break with a hyphen at the end of a line (Russian)
    east_asian: bool = False  # lines break between Han characters, never inside a Latin word (Chinese)


@dataclass(frozen=True, slots=True)
class Meta:
    title: str
    subtitle: str | None = None
    author: str | None = None
    date: dt.date | None = None  # the build's as-of date; drives core properties
    marking: str | None = None  # "OFFICIAL", "DRAFT": shown as a banner
    language: str = "en"
    subject: str | None = None
    keywords: tuple[str, ...] = ()
    labels: Labels = field(default_factory=Labels)


@dataclass(frozen=True, slots=True)
class Document:
    meta: Meta
    blocks: tuple[Block, ...]
    notes: tuple[Note, ...] = field(default=())


def plain_text(inlines: tuple[Inline, ...]) -> str:
    """The text of inlines without formatting or citations (for outlines, alt text, tests)."""
    parts: list[str] = []
    for inline in inlines:
        match inline:
            case Text(text=text):
                parts.append(text)
            case Emph(children=children) | Strong(children=children) | Link(children=children) | Span(children=children):
                parts.append(plain_text(children))
            case LineBreak():
                parts.append("\n")
            case Cite():
                pass
    return "".join(parts)


# --- walking the model ------------------------------------------------------------------


def walk(node: Any) -> Iterator[Any]:
    """``node`` and every model value under it (blocks, inlines, rows, notes), depth first in reading order.

    Tuples are walked through, not yielded; strings and numbers are not
    yielded. The one walk over the model: transforms and writers filter it
    by type instead of writing their own recursion.
    """
    if isinstance(node, tuple):
        for child in node:
            yield from walk(child)
        return
    names = _child_fields(type(node))
    if names is None:
        return
    yield node
    for name in names:
        yield from walk(getattr(node, name))


def replace(node: _N, kind: type[Any], change: Callable[[Any], Any]) -> _N:
    """``node`` rebuilt with every value of type ``kind`` under it passed through ``change``, in reading order.

    What holds nothing changed is kept as it is (the same object).
    """
    if isinstance(node, kind):
        return change(node)
    if isinstance(node, tuple):
        children = tuple(replace(child, kind, change) for child in node)
        return node if all(map(operator.is_, children, node)) else children  # type: ignore[return-value]
    names = _child_fields(type(node))
    if not names:
        return node
    changed = {name: new for name in names if (new := replace(old := getattr(node, name), kind, change)) is not old}
    return dataclasses.replace(node, **changed) if changed else node  # type: ignore[type-var]


@cache
def _child_fields(kind: type) -> tuple[str, ...] | None:
    """The fields of a model dataclass, in reading order (None: not a model value)."""
    if not dataclasses.is_dataclass(kind) or kind.__module__ != __name__:
        return None
    return tuple(item.name for item in dataclasses.fields(kind))
