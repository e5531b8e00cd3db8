"""Which template line produced each line of a brief's rendered Markdown.

An error found after rendering (a heading too deep, an unknown citation) is
found in the Markdown, but the author wrote a template: this module lets such
an error name the template file and line. While a brief renders, its
compiled code writes an invisible mark (private-use characters around the
template's file and line) before each piece of output it yields directly;
``untrace`` removes the marks and says, for each rendered line, the template
line where its first text came from. Output that a template captures and
inspects (``{% set %}`` blocks, macros, ``super()``) is joined by
``join_unmarked``, so no template ever sees a mark. It knows no Markdown and
reads no files.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from jinja2 import nodes

from briefgen.registry.records import Origin

__all__ = ["Traced", "join_unmarked", "marked", "untrace"]

_OPEN, _MIDDLE, _CLOSE = "\ue000", "\ue001", "\ue002"
_MARK = re.compile(f"{_OPEN}([^{_MIDDLE}{_CLOSE}]*){_MIDDLE}([0-9]+){_CLOSE}")


@dataclass(frozen=True, slots=True)
class Traced:
    """Rendered Markdown, and for each of its lines the template line it came from (``None``: unknown)."""

    text: str
    origins: tuple[Origin | None, ...]

    def origin(self, line: int | None) -> Origin | None:
        """The template line behind the 1-based rendered ``line``."""
        return self.origins[line - 1] if line and 0 < line <= len(self.origins) else None


def _mark(file: str, line: int) -> nodes.TemplateData:
    return nodes.TemplateData(f"{_OPEN}{file}{_MIDDLE}{line}{_CLOSE}", lineno=line)


def marked(children: Iterable[nodes.Expr], file: str) -> list[nodes.Expr]:
    """An output statement's ``children``, each (each line of template text) after a mark of its line."""
    result: list[nodes.Expr] = []
    for child in children:
        if isinstance(child, nodes.TemplateData):
            for offset, piece in enumerate(child.data.splitlines(keepends=True)):
                result += [_mark(file, child.lineno + offset), nodes.TemplateData(piece, lineno=child.lineno + offset)]
        else:
            result += [_mark(file, child.lineno), child]
    return result


def join_unmarked(values: Iterable[str]) -> str:
    """``"".join(values)`` without marks: what a template captures must read as it was written."""
    text = "".join(values)
    return _MARK.sub("", text) if _OPEN in text else text


def untrace(text: str) -> Traced:
    """``text`` without its marks, with the origin of each line: the mark before its first visible character."""
    lines: list[Origin | None] = []
    current: Origin | None = None
    line_origin: Origin | None = None
    parts: list[str] = []
    files: dict[str, Path] = {}  # a brief's few template files, each named by many marks
    position = 0
    for match in [*_MARK.finditer(text), None]:
        chunk = text[position : match.start() if match else len(text)]
        pieces = chunk.split("\n")
        for index, piece in enumerate(pieces):
            if index:  # a line ended
                lines.append(line_origin or current)
                line_origin = None
            if piece.strip() and line_origin is None:
                line_origin = current
        parts.append(chunk)
        if match:
            file = files.get(match[1])
            if file is None:
                file = files[match[1]] = Path(match[1])
            current = Origin(file, int(match[2]))
            position = match.end()
    lines.append(line_origin or current)
    return Traced("".join(parts), tuple(lines))
