"""Inlines of the document model as HTML: one small function per inline type.

Every piece of text and every attribute is escaped here and only here, so a
``<script>``, ``&`` or ``[@x]`` in a fact is text on the page. A citation
becomes superscript note numbers linking to the note; each gets an id the
note links back to (``Citations`` counts how often a note was cited).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import singledispatch
from html import escape

from briefgen.model import Cite, Emph, Inline, LineBreak, Link, Span, Strong, Text

__all__ = ["Citations", "backref_id", "inlines", "note_id"]


def note_id(number: int) -> str:
    return f"note-{number}"


def backref_id(number: int, occurrence: int) -> str:
    """The id of the ``occurrence``-th (from 1) citation of note ``number``."""
    return f"cite-{number}-{occurrence}"


@dataclass
class Citations:
    """How many times each note has been cited so far in the page (the page is written in reading order)."""

    counts: defaultdict[int, int] = field(default_factory=lambda: defaultdict(int))

    def next_id(self, number: int) -> str:
        self.counts[number] += 1
        return backref_id(number, self.counts[number])


def inlines(items: tuple[Inline, ...], citations: Citations) -> str:
    return "".join(_inline(item, citations) for item in items)


@singledispatch
def _inline(item: Inline, citations: Citations) -> str:
    raise TypeError(f"no HTML for {type(item).__name__}")


@_inline.register
def _text(item: Text, citations: Citations) -> str:
    return escape(item.text, quote=False)


@_inline.register
def _emph(item: Emph, citations: Citations) -> str:
    return f"<em>{inlines(item.children, citations)}</em>"


@_inline.register
def _strong(item: Strong, citations: Citations) -> str:
    return f"<strong>{inlines(item.children, citations)}</strong>"


@_inline.register
def _link(item: Link, citations: Citations) -> str:
    return f'<a href="{escape(item.url)}">{inlines(item.children, citations)}</a>'


@_inline.register
def _span(item: Span, citations: Citations) -> str:
    return f'<span lang="{escape(item.language)}">{inlines(item.children, citations)}</span>'


@_inline.register
def _line_break(item: LineBreak, citations: Citations) -> str:
    return "<br>"


@_inline.register
def _cite(item: Cite, citations: Citations) -> str:
    marks = ",".join(
        f'<a href="#{note_id(number)}" id="{citations.next_id(number)}" class="noteref" role="doc-noteref">{number}</a>'
        for number in item.notes
    )
    return f"<sup>{marks}</sup>"
