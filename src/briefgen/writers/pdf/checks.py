"""The PDF writer's own check: every character it will draw is in a font it embeds.

Run after the shared check (``briefgen.transforms.checks``), which refuses
characters no format can hold and citations without their note. Each
problem names the character (U+XXXX and its Unicode name) and where it is
(the block and the fact ids it cites), and all problems are reported at
once. Nothing here draws or escapes text.
"""

from __future__ import annotations

from collections.abc import Iterator

from briefgen.errors import Problem, RenderError
from briefgen.model import Document
from briefgen.themes import Theme
from briefgen.transforms.checks import TextUnit, check_document, describe_character, drawn_text, text_units
from briefgen.writers.pdf.fonts import FontChain

__all__ = ["check_pdf_document"]


def check_pdf_document(doc: Document, theme: Theme, chain: FontChain) -> None:
    """Raise one ``RenderError`` listing every problem of ``doc`` the shared check finds, else every uncovered character."""
    check_document(doc, theme)
    units = list(text_units(doc, theme))
    # The common case costs one pass over the text: only a document with an uncovered character is walked by unit.
    if chain.uncovered("".join(drawn_text(unit.inlines) for unit in units)):
        raise RenderError.from_problems(_coverage_problems(units, chain))


def _coverage_problems(units: list[TextUnit], chain: FontChain) -> Iterator[Problem]:
    fonts = ", ".join(chain.names)
    for unit in units:
        for char in chain.uncovered(drawn_text(unit.inlines)):
            yield Problem(
                f"character {describe_character(char)} is in no font the PDF embeds, {unit.where}",
                line=unit.line,
                hint=f"replace or remove it; the fonts are {fonts}",
            )
