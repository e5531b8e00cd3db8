"""A footnote taller than its page, laid out one page's worth at a time.

Word runs such a note on from the foot of the page that cites it to the foot
of the next page (and the next). ``RunningNote.take`` gives the part of the
note that fits a height and keeps the rest. reportlab breaks a paragraph's
lines in time that grows with the square of its words (a 1 MB note took
11 s to measure), so the note's text is handed to it in chunks of a few
thousand characters: each part is cut from a paragraph holding the rest of
the last chunk and as many new chunks as the height needs, so the whole
note is broken into lines once, as one paragraph would be. This module
knows nothing of the document model nor of pages.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from reportlab.lib.rl_accel import sameFrag
from reportlab.platypus import Paragraph

__all__ = ["RunningNote"]

_CHUNK = 4_000  # characters handed to reportlab at a time: a few hundred words, less than a page of notes
_EPSILON = 0.01  # pt: a height a hair above a whole number of lines keeps the last of them


class RunningNote:
    """The parts of ``note`` (a paragraph of the note text, with its number as bullet), ``width`` wide."""

    def __init__(self, note: Paragraph, width: float) -> None:
        self._width = width
        self._chunks = _chunks(note.frags)
        self._head: Paragraph | None = self._paragraph(note, next(self._chunks, []), note.bulletText)
        self._line_length = 0.0  # characters per line, once a part is laid out
        self._length = 0  # characters in the head

    def _extended(self, head: Paragraph, characters: float) -> Paragraph:
        """``head`` with chunks added until it holds ``characters`` or the note ends."""
        frags = _with_text(head.frags)
        length = sum(len(getattr(frag, "text", "")) for frag in frags)
        added = False
        while length < characters and (chunk := next(self._chunks, None)) is not None:
            frags += chunk
            length += sum(len(getattr(frag, "text", "")) for frag in chunk)
            added = True
        self._length = length
        return self._paragraph(head, _with_text(frags), head.bulletText) if added else head

    @property
    def done(self) -> bool:
        """Is the whole note given out?"""
        return self._head is None

    def take(self, height: float) -> tuple[Paragraph, float]:
        """The part of the rest of the note that fits ``height`` (at least two lines), and its height."""
        head = self._head
        assert head is not None, "the whole note is given out"
        lines = height / head.style.leading
        # about what the height holds (known after the first part), so that a part is laid out once or twice
        head = self._extended(head, lines * self._line_length * 1.05)
        needed = head.wrap(self._width, height)[1]
        while needed <= height and (longer := self._extended(head, self._length + _CHUNK)) is not head:
            head, needed = longer, longer.wrap(self._width, height)[1]
        self._line_length = self._length / max(needed / head.style.leading, 1.0)
        parts = head.split(self._width, height + _EPSILON) if needed > height else [head]
        if len(parts) < 2:  # it fits, or the height holds fewer than two lines: all of it here
            self._head = None
            return head, needed
        first, self._head = parts
        return first, first.wrap(self._width, height)[1]

    @staticmethod
    def _paragraph(like: Paragraph, frags: Sequence[Any], bullet: str | None) -> Paragraph:
        """A paragraph of ``frags`` in ``like``'s class, style and structure element."""
        paragraph = type(like)(None, like.style, bulletText=bullet, frags=list(frags))
        paragraph.element = getattr(like, "element", None)
        return paragraph


def _with_text(frags: Sequence[Any]) -> list[Any]:
    """``frags`` as fragments of text as the parser gives them, each run of one style made one fragment.

    reportlab leaves the rest of a split paragraph as a list of words (one style) or, once laid
    out, as its own processed words (``[width, (fragment, text), ...]``); neither may be mixed with
    fragments of text. One fragment of one style is laid out much faster than one per word.
    """
    pieces: list[tuple[Any, str]] = []
    for frag in frags:
        if isinstance(frag, list):  # a processed word; words are separated by one space
            pieces += frag[1:]
            pieces.append((frag[-1][0], " "))
        elif not hasattr(frag, "text") and hasattr(frag, "words"):
            pieces.append((frag, " ".join(frag.words)))
        else:
            pieces.append((frag, frag.text))
    merged: list[tuple[Any, list[str]]] = []
    for frag, text in pieces:
        if merged and not hasattr(frag, "cbDefn") and not hasattr(merged[-1][0], "cbDefn") and sameFrag(merged[-1][0], frag):
            merged[-1][1].append(text)
        else:
            merged.append((frag, [text]))
    return [_text_frag(frag, "".join(texts)) for frag, texts in merged]


def _text_frag(frag: Any, text: str) -> Any:
    if getattr(frag, "text", None) == text and not hasattr(frag, "words"):
        return frag
    frag = frag.clone(text=text)
    if hasattr(frag, "words"):
        del frag.words
    return frag


def _chunks(frags: Sequence[Any]) -> Iterator[list[Any]]:
    """``frags`` in runs of about ``_CHUNK`` characters, a long text cut before a space (so words stay whole)."""
    chunk: list[Any] = []
    length = 0
    for frag in frags:
        text = getattr(frag, "text", "")
        while length + len(text) > _CHUNK:
            cut = text.rfind(" ", 1, max(_CHUNK - length, 2))
            if cut <= 0:
                cut = text.find(" ", 1)
            if cut <= 0:
                break
            chunk.append(frag.clone(text=text[:cut]))
            yield chunk
            chunk, length, text = [], 0, text[cut:]
        chunk.append(frag.clone(text=text) if text is not getattr(frag, "text", "") else frag)
        length += len(text)
    if chunk:
        yield chunk
