"""Quotes against archived texts: how they are compared, and what to show when one is not found.

A citation's quote must occur in its source's archived text. Both are
compared after Unicode NFC normalisation (an "é" typed as "e" and a combining
accent is the same letter), with case, runs of white space, quotation marks
and dash kinds folded. When a quote is not found, ``closest_passage`` finds
where the archive comes nearest (the longest opening, else the longest
ending, of the quote that does occur) and shows that passage of the archive
as written, with the first difference marked. This module knows no files,
YAML or records; ``references`` calls it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

__all__ = ["MARK", "closest_passage", "normalise_quote"]

MARK = "▶"  # put before the first character of the archive that differs from the quote
_CONTEXT = 40  # characters of the archive shown on each side of the difference
_WHITE_SPACE = re.compile(r"\s+")
_QUOTE_FOLD = str.maketrans(
    {
        **dict.fromkeys("‘’‚‛′`", "'"),
        **dict.fromkeys("“”„‟″«»", '"'),
        **dict.fromkeys("‐‑‒–—―−", "-"),
    }
)


def normalise_quote(text: str) -> str:
    """Text as quotes are compared: NFC, then case, white space, quotation marks and dash kinds folded."""
    return " ".join(unicodedata.normalize("NFC", text).translate(_QUOTE_FOLD).casefold().split())


def closest_passage(quote: str, archive: str) -> str | None:
    """The passage of ``archive`` nearest to ``quote`` (which it does not hold), as written there, with
    ``MARK`` before its first difference; ``None`` when not even a few characters of either end occur."""
    wanted = normalise_quote(quote)
    original = unicodedata.normalize("NFC", archive)
    folded, positions = _folded_with_positions(original)
    opening = _longest(len(wanted), lambda size: wanted[:size] in folded)
    ending = _longest(len(wanted), lambda size: wanted[len(wanted) - size :] in folded)
    if max(opening, ending) < min(8, len(wanted)):
        return None
    if opening >= ending:  # the quote's start occurs: the difference is right after it
        at = folded.find(wanted[:opening]) + opening
    else:  # only its end occurs: the difference is just before it
        at = folded.find(wanted[len(wanted) - ending :]) - 1
    return _excerpt(original, positions[min(max(at, 0), len(positions) - 1)] if positions else 0, at >= len(positions))


def _folded_with_positions(text: str) -> tuple[str, list[int]]:
    """``normalise_quote(text)`` for NFC ``text``, and for each of its characters the index in ``text`` it comes from."""
    folded: list[str] = []
    positions: list[int] = []
    after_space = True  # no space at the start
    for index, char in enumerate(text):
        if char.isspace():
            if not after_space:
                folded.append(" ")
                positions.append(index)
            after_space = True
            continue
        after_space = False
        for part in char.translate(_QUOTE_FOLD).casefold():
            folded.append(part)
            positions.append(index)
    if folded and folded[-1] == " ":
        folded.pop()
        positions.pop()
    return "".join(folded), positions


def _longest(limit: int, occurs: Callable[[int], bool]) -> int:
    """The largest size up to ``limit`` for which ``occurs`` holds (it holds for every smaller size too)."""
    low, high = 0, limit
    while low < high:
        middle = (low + high + 1) // 2
        if occurs(middle):
            low = middle
        else:
            high = middle - 1
    return low


def _excerpt(text: str, at: int, past_end: bool) -> str:
    """``text`` around index ``at``, on one line, with ``MARK`` at ``at`` (after the end when ``past_end``)."""
    at = len(text) if past_end else at
    before = _WHITE_SPACE.sub(" ", text[max(at - _CONTEXT, 0) : at]).lstrip()
    after = _WHITE_SPACE.sub(" ", text[at : at + _CONTEXT]).rstrip()
    lead = "…" if at > _CONTEXT else ""
    tail = "…" if at + _CONTEXT < len(text) else ""
    return f"{lead}{before}{MARK}{after}{tail}"
