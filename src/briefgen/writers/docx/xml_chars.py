"""Refuse text that XML cannot hold, naming where it came from.

A DOCX is XML: control characters (U+0000–U+001F except tab and newline),
lone surrogates and U+FFFE/U+FFFF cannot be written, and lxml would fail
deep inside the writer with a message nobody can act on. ``check_xml_text``
scans the whole document model first and raises one ``RenderError`` naming
the character, the block, and the fact cited nearest to it (with the
Markdown line when the citation knows it). Other text (``<``, ``&``, emoji,
right-to-left scripts) is fine: the XML layer escapes it. This module does
not render anything.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator

from briefgen.errors import RenderError
from briefgen.model import Cite, Document

__all__ = ["check_xml_text"]

_FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\ud800-\udfff\ufffe\uffff]")
_HINT = "remove the character from the fact or template that produced this text"


def check_xml_text(doc: Document) -> None:
    """Raise ``RenderError`` for the first character of ``doc`` a DOCX cannot hold."""
    _check(list(_flatten(doc.meta)), "the document metadata")
    for block in doc.blocks:
        _check(list(_flatten(block)), f"a {type(block).__name__.lower()}")
    for note in doc.notes:
        _check([*_flatten(note.children), Cite((note.fact_id,))], f"note {note.number}")


def _check(items: list[str | Cite], where: str) -> None:
    for index, item in enumerate(items):
        found = _FORBIDDEN.search(item) if isinstance(item, str) else None
        if found is None:
            continue
        message = f"U+{ord(found.group()):04X} cannot be written to a DOCX (XML has no control characters); it is in {where}"
        cite = _nearest_cite(items, index)
        if cite is not None:
            message += f", near the citation of fact '{cite.fact_ids[0]}'"
        raise RenderError(message, line=cite.line if cite else None, hint=_HINT)


def _nearest_cite(items: list[str | Cite], index: int) -> Cite | None:
    """The citation closest to ``items[index]``; on a tie the one after (citations follow claims)."""
    cites = [(abs(position - index), position < index, item) for position, item in enumerate(items) if isinstance(item, Cite)]
    return min(cites, key=lambda entry: entry[:2])[2] if cites else None


def _flatten(value: object) -> Iterator[str | Cite]:
    """Every string and citation in a model value, in document order."""
    if isinstance(value, str | Cite):
        yield value
    elif isinstance(value, tuple):
        for item in value:
            yield from _flatten(item)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            yield from _flatten(getattr(value, field.name))
