"""Inlines of the document model as reportlab's paragraph mini-markup.

One small function per inline type. Every piece of text is XML-escaped
here and only here, and cut into font runs so that Cyrillic or Han inside
a Latin sentence is drawn by a face that has the glyphs. Cites become
superscript note numbers linked to their note; a span in another language is
framed by two ``onDraw`` marks (``LANGUAGE_CALLBACK``) that the tagged PDF
turns into a Span element with its /Lang. This module does not check
that characters are valid or covered (``transforms.checks`` and ``checks`` do, before layout).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import singledispatch

from briefgen.model import Cite, Document, Emph, Heading, Inline, LineBreak, Link, Span, Strong, Table, Text, walk
from briefgen.writers.pdf.fonts import STYLES, FontChain

__all__ = ["LANGUAGE_CALLBACK", "InlineMarkup", "cites", "font_styles", "note_anchor", "note_numbers"]

LANGUAGE_CALLBACK = "language"  # the canvas callback a span's marks call: its language, then "" at its end


def note_anchor(number: int) -> str:
    """The name of the destination a cite of note ``number`` links to."""
    return f"note-{number}"


def cites(inlines: tuple[Inline, ...]) -> Iterator[Cite]:
    """The citations among ``inlines``, nested ones included, in reading order."""
    return (node for node in walk(inlines) if isinstance(node, Cite))


def font_styles(doc: Document) -> tuple[str, ...]:
    """The font styles (``fonts.STYLES``) ``doc`` may be drawn in: regular and bold always; italic when it has
    emphasis (``<i>``, below); bold italic when emphasis meets bold: strong inside emphasis, or emphasis inside
    strong, a heading or a table (whose header cells are bold)."""
    emphasis = [node for node in walk(doc) if isinstance(node, Emph)]
    if not emphasis:
        return STYLES[:2]
    bold = (node for node in walk(doc) if isinstance(node, (Strong, Heading, Table)))
    meets = any(isinstance(node, Strong) for em in emphasis for node in walk(em.children)) or any(
        isinstance(node, Emph) for outer in bold for node in walk(outer)
    )
    return STYLES if meets else STYLES[:3]


def note_numbers(inlines: tuple[Inline, ...]) -> tuple[int, ...]:
    """The distinct note numbers ``inlines`` cite, in order of first citation."""
    return tuple(dict.fromkeys(n for cite in cites(inlines) for n in cite.notes))


@dataclass(frozen=True, slots=True)
class InlineMarkup:
    """Turns inlines into markup with the fonts of ``chain`` and links in ``link_colour``."""

    chain: FontChain
    link_colour: str

    def __call__(self, inlines: tuple[Inline, ...]) -> str:
        return "".join(_markup(inline, self) for inline in inlines)

    def text(self, text: str) -> str:
        return "".join(
            escape(run) if face is None else f"<font face={quoteattr(face)}>{escape(run)}</font>"
            for face, run in self.chain.runs(text.replace("\t", " "))
        )


def escape(text: str) -> str:
    """``xml.sax.saxutils.escape``: importing that module would pull in urllib.request, http and ssl."""
    return text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")


def quoteattr(text: str) -> str:
    """``xml.sax.saxutils.quoteattr``: ``text`` escaped and quoted as an XML attribute value."""
    value = escape(text).replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;")
    if '"' not in value:
        return f'"{value}"'
    if "'" not in value:
        return f"'{value}'"
    return '"{}"'.format(value.replace('"', "&quot;"))


@singledispatch
def _markup(inline: Inline, render: InlineMarkup) -> str:
    raise TypeError(f"the PDF writer has no rule for {type(inline).__name__}")


@_markup.register
def _text(inline: Text, render: InlineMarkup) -> str:
    return render.text(inline.text)


@_markup.register
def _emph(inline: Emph, render: InlineMarkup) -> str:
    return f"<i>{render(inline.children)}</i>"


@_markup.register
def _strong(inline: Strong, render: InlineMarkup) -> str:
    return f"<b>{render(inline.children)}</b>"


@_markup.register
def _link(inline: Link, render: InlineMarkup) -> str:
    return f"<a href={quoteattr(inline.url)} color={quoteattr(render.link_colour)}><u>{render(inline.children)}</u></a>"


@_markup.register
def _span(inline: Span, render: InlineMarkup) -> str:
    return (f"<onDraw name={LANGUAGE_CALLBACK} label={quoteattr(inline.language)}/>{render(inline.children)}"
            f'<onDraw name={LANGUAGE_CALLBACK} label=""/>')


@_markup.register
def _cite(inline: Cite, render: InlineMarkup) -> str:
    links = ",".join(f'<a href="#{note_anchor(n)}">{n}</a>' for n in inline.notes)
    return f'<super size="70%" rise="33%">{links}</super>' if links else ""


@_markup.register
def _line_break(inline: LineBreak, render: InlineMarkup) -> str:
    return "<br/>"
