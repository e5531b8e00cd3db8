"""Checks run on a document before the PDF writer lays out anything.

Every character that will be drawn must be valid in XML and covered by a
shipped font; every citation must point at a note the document has. Each
problem names the character (U+XXXX and its Unicode name) and where it is
(the block and the fact ids it cites), and all problems are reported at
once. Nothing here draws or escapes text.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from functools import singledispatch

from briefgen.errors import Problem, RenderError
from briefgen.model import (
    BlockQuote,
    Box,
    BulletList,
    Document,
    Emph,
    Heading,
    HorizontalRule,
    Inline,
    Link,
    OrderedList,
    PageBreak,
    Paragraph,
    SourceList,
    Strong,
    Table,
    Text,
    Timeline,
    TimelineEntry,
    plain_text,
)
from briefgen.themes import Theme
from briefgen.writers.pdf.fonts import FontChain
from briefgen.writers.pdf.markup import cites

__all__ = ["check_document"]

_ALLOWED_CONTROLS = frozenset("\t\n")
Unit = tuple[tuple[Inline, ...], str]  # (inlines that will be drawn, where they are in words)


def check_document(doc: Document, theme: Theme, chain: FontChain) -> None:
    """Raise one ``RenderError`` listing every bad character and dangling citation of ``doc``."""
    units = list(_units(doc, theme))
    everything = "".join(_drawn(inlines) for inlines, _ in units)
    # The common case costs one pass over the text: only a document with a bad character is walked by block.
    bad = any(map(_xml_invalid, set(everything))) or chain.uncovered(everything)
    problems = [*(_character_problems(iter(units), chain) if bad else ()), *_citation_problems(units, doc)]
    if problems:
        raise RenderError.from_problems(problems)


def _character_problems(units: Iterator[Unit], chain: FontChain) -> Iterator[Problem]:
    fonts = ", ".join(chain.names)
    for inlines, where in units:
        text = _drawn(inlines)
        invalid = [c for c in dict.fromkeys(text) if _xml_invalid(c)]
        for char in invalid:
            yield Problem(f"control character {_describe(char)} {where}", hint="remove it from the text")
        for char in chain.uncovered("".join(c for c in text if c not in invalid)):
            yield Problem(
                f"character {_describe(char)} is in no font the PDF embeds, {where}",
                hint=f"replace or remove it; the fonts are {fonts}",
            )


def _drawn(inlines: tuple[Inline, ...]) -> str:
    return "".join((plain_text(inlines), *_urls(inlines)))


def _xml_invalid(char: str) -> bool:
    code = ord(char)
    return (code < 0x20 and char not in _ALLOWED_CONTROLS) or 0xD800 <= code <= 0xDFFF or code in (0xFFFE, 0xFFFF)


def _describe(char: str) -> str:
    name = unicodedata.name(char, "") or f"<{unicodedata.category(char)}>"
    return f"U+{ord(char):04X} {name}"


def _citation_problems(units: list[Unit], doc: Document) -> Iterator[Problem]:
    numbers = {note.number for note in doc.notes}
    for inlines, where in units:
        for cite in cites(inlines):
            facts = ", ".join(cite.fact_ids)
            if not cite.notes:
                yield Problem(f"citation of {facts} has no note number {where}", line=cite.line,
                              hint="number the notes before writing")
            for number in sorted(set(cite.notes) - numbers):
                yield Problem(f"citation of {facts} refers to note {number}, which the document lacks", line=cite.line)


# --- where the text is ----------------------------------------------------------------


def _units(doc: Document, theme: Theme) -> Iterator[Unit]:
    meta = doc.meta
    for name in ("title", "subtitle", "author", "marking"):
        value = getattr(meta, name)
        if value:
            yield (Text(value),), f"in the document's {name}"
    for name in ("header_text", "footer_text", "marking", "watermark"):
        value = getattr(theme, name)
        if value:
            yield (Text(value),), f"in the theme's {name}"
    for block in doc.blocks:
        yield from _block_units(block)
    for note in doc.notes:
        yield note.children, f"in note {note.number} (fact {note.fact_id})"


def _citing(kind: str, inlines: tuple[Inline, ...]) -> str:
    facts = [fact for cite in cites(inlines) for fact in cite.fact_ids]
    if not facts:
        return f"in a {kind} without citations ('{plain_text(inlines)[:40]}')"
    return f"in the {kind} citing fact {', '.join(dict.fromkeys(facts))}"


@singledispatch
def _block_units(block: object) -> Iterator[Unit]:
    yield from ()


@_block_units.register
def _heading(block: Heading) -> Iterator[Unit]:
    yield (block.children, f"in the heading '{plain_text(block.children)[:40]}'")


@_block_units.register
def _paragraph(block: Paragraph) -> Iterator[Unit]:
    yield (block.children, _citing("paragraph", block.children))


@_block_units.register(BulletList)
@_block_units.register(OrderedList)
def _list(block: BulletList | OrderedList) -> Iterator[Unit]:
    for item in block.items:
        yield (item.children, _citing("list item", item.children))


@_block_units.register
def _table(block: Table) -> Iterator[Unit]:
    yield (block.caption, "in a table caption")
    for row in (block.header, *block.rows):
        whole_row = tuple(inline for cell in row for inline in cell)
        yield (whole_row, _citing("table row", whole_row))


@_block_units.register
def _timeline(block: Timeline) -> Iterator[Unit]:
    yield (Text(" ".join(block.header)),), "in a timeline header"
    for row in block.rows:
        if isinstance(row, TimelineEntry):
            yield ((Text(row.when), *row.children), _citing("timeline entry", row.children))
        else:
            yield (Text(row.label),), f"in the timeline group '{row.label[:40]}'"


@_block_units.register(BlockQuote)
@_block_units.register(Box)
def _container(block: BlockQuote | Box) -> Iterator[Unit]:
    if isinstance(block, Box) and block.title:
        yield (Text(block.title),), f"in the title of a {block.kind} box"
    for child in block.children:
        yield from _block_units(child)


@_block_units.register
def _sources(block: SourceList) -> Iterator[Unit]:
    for entry in block.entries:
        yield (entry.children, f"in the source list entry of {entry.source_id}")


@_block_units.register(HorizontalRule)
@_block_units.register(PageBreak)
def _nothing(block: HorizontalRule | PageBreak) -> Iterator[Unit]:
    yield from ()


# --- inline walks -----------------------------------------------------------------------


def _urls(inlines: tuple[Inline, ...]) -> Iterator[str]:
    for inline in inlines:
        if isinstance(inline, Link):
            yield inline.url
        if isinstance(inline, Emph | Strong | Link):
            yield from _urls(inline.children)
