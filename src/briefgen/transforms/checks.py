"""The check every writer relies on: text no output format can hold, and citations without their note.

XML text (DOCX, HTML, and the paragraph markup reportlab draws PDF text
from) cannot hold control characters other than tab and newline, lone
surrogates or U+FFFE/U+FFFF. This is the one place that knows that class of
characters. ``check_markdown`` refuses them in a brief's rendered Markdown
with the line they are on (before markdown-it would quietly turn U+0000
into U+FFFD); ``check_document`` refuses them in a finished document
(writers are also given models built by hand) together with citations that
have no note, and reports every problem at once, each naming the character
(U+XXXX and its Unicode name) and the block and facts it is in.
``text_units`` says where each run of drawn text is, so that a writer's own
check (the PDF's font coverage) speaks the same way. Nothing here renders
or escapes text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial, singledispatch
from typing import TYPE_CHECKING

from briefgen.errors import Problem, RenderError
from briefgen.model import (
    Box,
    Cite,
    Document,
    Heading,
    Inline,
    Link,
    ListItem,
    Note,
    Paragraph,
    SourceEntry,
    Table,
    Text,
    Timeline,
    TimelineEntry,
    TimelineGroup,
    plain_text,
    walk,
)

if TYPE_CHECKING:
    from briefgen.themes import Theme

__all__ = ["TextUnit", "check_document", "check_markdown", "describe_character", "drawn_text", "text_units"]

_XML_INVALID = re.compile("[\x00-\x08\x0b-\x1f\ud800-\udfff\ufffe\uffff]")
_THEME_TEXTS = ("header_text", "footer_text", "marking", "watermark")
_HINT = "remove it from the fact or template that produced this text"


@dataclass(frozen=True, slots=True)
class TextUnit:
    """A run of text a writer draws, and where it is in words (``in the paragraph citing fact 'x'``).

    ``described`` words it: only a problem needs the words, so a sound document never spends a pass
    over its text on them.
    """

    inlines: tuple[Inline, ...]
    described: Callable[[], str]

    @property
    def where(self) -> str:
        return self.described()

    @property
    def line(self) -> int | None:
        """The Markdown line of the unit's first citation that knows one."""
        return next((cite.line for cite in _cites(self.inlines) if cite.line is not None), None)


def check_markdown(text: str, source_name: str) -> None:
    """Raise one ``RenderError`` naming the line of every character of ``text`` no document may hold."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n")
    problems = [
        Problem(
            f"character {describe_character(match.group())} is not allowed in a document",
            source_name,
            lines.count("\n", 0, match.start()) + 1,
            _HINT,
        )
        for match in _XML_INVALID.finditer(lines)
    ]
    if problems:
        raise RenderError.from_problems(problems)


def check_document(doc: Document, theme: Theme | None = None) -> None:
    """Raise one ``RenderError`` listing every character no writer can hold and every citation without its note.

    The theme's texts (header, footer, marking, watermark) are checked too when it is given.
    """
    units = list(text_units(doc, theme))
    # The common case costs one pass over the text: only a document with a bad character is searched unit by unit.
    bad = _XML_INVALID.search("".join(drawn_text(unit.inlines) for unit in units)) is not None
    problems = [*(_character_problems(units) if bad else ()), *_citation_problems(units, doc)]
    if problems:
        raise RenderError.from_problems(problems)


def drawn_text(inlines: tuple[Inline, ...]) -> str:
    """Everything of ``inlines`` a reader sees: their text and the addresses of their links."""
    return "".join((plain_text(inlines), *(node.url for node in walk(inlines) if isinstance(node, Link))))


def describe_character(char: str) -> str:
    """``U+0007 BELL``: the code point and its Unicode name (or category)."""
    name = unicodedata.name(char, "") or f"<{unicodedata.category(char)}>"
    return f"U+{ord(char):04X} {name}"


def text_units(doc: Document, theme: Theme | None = None) -> Iterator[TextUnit]:
    """Every run of text of ``doc`` (and the theme's texts) with where it is, in reading order."""
    meta = doc.meta
    for name in ("title", "subtitle", "author", "marking"):
        value = getattr(meta, name)
        if value:
            yield TextUnit((Text(value),), _said(f"in the document's {name}"))
    for name in _THEME_TEXTS if theme is not None else ():
        value = getattr(theme, name)
        if value:
            yield TextUnit((Text(value),), _said(f"in the theme's {name}"))
    holders = _units.registry.keys()  # the types that hold text: most nodes (Text, Cite...) are inside a unit
    for node in walk((doc.blocks, doc.notes)):
        if type(node) in holders:
            yield from _units(node)


def _character_problems(units: list[TextUnit]) -> Iterator[Problem]:
    for unit in units:
        for char in dict.fromkeys(_XML_INVALID.findall(drawn_text(unit.inlines))):
            yield Problem(f"control character {describe_character(char)} {unit.where}", line=unit.line, hint=_HINT)


def _citation_problems(units: list[TextUnit], doc: Document) -> Iterator[Problem]:
    numbers = {note.number for note in doc.notes}
    for unit in units:
        for cite in _cites(unit.inlines):
            facts = ", ".join(cite.fact_ids)
            if not cite.notes:
                yield Problem(f"citation of {facts} has no note number {unit.where}", line=cite.line,
                              hint="number the notes before writing")
            for number in sorted(set(cite.notes) - numbers):
                yield Problem(f"citation of {facts} refers to note {number}, which the document lacks", line=cite.line)


def _cites(inlines: tuple[Inline, ...]) -> Iterator[Cite]:
    return (node for node in walk(inlines) if isinstance(node, Cite))


def _said(where: str) -> Callable[[], str]:
    return lambda: where


def _citing(kind: str, inlines: tuple[Inline, ...]) -> str:
    facts = dict.fromkeys(fact for cite in _cites(inlines) for fact in cite.fact_ids)
    if not facts:
        return f"in a {kind} without citations ('{plain_text(inlines)[:40]}')"
    return f"in the {kind} citing fact {', '.join(repr(fact) for fact in facts)}"


# --- where the text is: one short function per model type that holds text ---------------


@singledispatch
def _units(node: object) -> Iterator[TextUnit]:
    yield from ()


@_units.register
def _heading(node: Heading) -> Iterator[TextUnit]:
    yield TextUnit(node.children, lambda: f"in the heading '{plain_text(node.children)[:40]}'")


@_units.register
def _paragraph(node: Paragraph) -> Iterator[TextUnit]:
    yield TextUnit(node.children, partial(_citing, "paragraph", node.children))


@_units.register
def _list_item(node: ListItem) -> Iterator[TextUnit]:
    yield TextUnit(node.children, partial(_citing, "list item", node.children))


@_units.register
def _table(node: Table) -> Iterator[TextUnit]:
    yield TextUnit(node.caption, _said("in a table caption"))
    for row in (node.header, *node.rows):
        whole_row = tuple(inline for cell in row for inline in cell)
        yield TextUnit(whole_row, partial(_citing, "table row", whole_row))


@_units.register
def _timeline(node: Timeline) -> Iterator[TextUnit]:
    yield TextUnit((Text(" ".join(node.header)),), _said("in a timeline header"))


@_units.register
def _timeline_entry(node: TimelineEntry) -> Iterator[TextUnit]:
    yield TextUnit((Text(node.when), *node.children), partial(_citing, "timeline entry", node.children))


@_units.register
def _timeline_group(node: TimelineGroup) -> Iterator[TextUnit]:
    yield TextUnit((Text(node.label),), _said(f"in the timeline group '{node.label[:40]}'"))


@_units.register
def _box(node: Box) -> Iterator[TextUnit]:
    if node.title:
        yield TextUnit((Text(node.title),), _said(f"in the title of a {node.kind} box"))


@_units.register
def _source_entry(node: SourceEntry) -> Iterator[TextUnit]:
    yield TextUnit(node.children, _said(f"in the source list entry of {node.source_id}"))


@_units.register
def _note(node: Note) -> Iterator[TextUnit]:
    yield TextUnit(node.children, _said(f"in note {node.number} (fact '{node.fact_id}')"))
