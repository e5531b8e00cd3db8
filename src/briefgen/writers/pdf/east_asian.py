"""Line breaking for Chinese text in the PDF: between Han characters, never inside a Latin word.

reportlab's own CJK wrapping (``wordWrap="CJK"``) may break anywhere,
including inside an English word or a number ("nati/onal", "12,00/0")
when the word is longer than half the line. Here a line may end only
before or after a Han character (or kana, or a full-width sign) or at a
space, as UAX #14 has it for ideographs and alphabetic words, and a
closing sign ("，", "。", "）") never starts a line nor an opening one
ends it. A note number (raised text) stays with the character before it,
as in Word: the line ends before that character instead. The lines are made by reportlab's own ``makeCJKParaLine``.
"""

from __future__ import annotations

from typing import Any

from reportlab.platypus.paragraph import ALL_CANNOT_START, ParaLines, cjkU, makeCJKParaLine

__all__ = ["east_asian_lines"]

_FUZZ = 1e-6
_NO_LINE_START = set(ALL_CANNOT_START) | set("，。、；：！？）」』】〕》〉”’…")
_NO_LINE_END = set("（「『【〔《〈“‘")


def east_asian_lines(frags: list[Any], max_widths: list[float], calc_bounds: bool) -> ParaLines:
    """``frags`` broken into lines no wider than ``max_widths`` (one per line, the last repeating)."""
    # A frag without text (a link anchor) is kept as an empty unit of its own, as reportlab does.
    units = [cjkU(char, frag, "utf8") for frag in frags for char in (frag.text or [""])]
    lines = []
    start = 0
    while start < len(units):
        width = max_widths[min(len(lines), len(max_widths) - 1)]
        end, used = _fit(units, start, width)
        if end < len(units):
            end = _break_before(units, start, end)
            used = sum(_width(unit, width) for unit in units[start:end])
        shown = end
        while shown > start + 1 and units[shown - 1].isspace():  # a space at the end of a line is not drawn
            shown -= 1
        lines.append(makeCJKParaLine(units[start:shown], width, used, width - used, False, calc_bounds))
        start = end
        while start < len(units) and units[start].isspace():
            start += 1
    return ParaLines(kind=1, lines=lines)


def _fit(units: list[cjkU], start: int, width: float) -> tuple[int, float]:
    """How far from ``start`` the line can go within ``width`` (at least one unit), and the width used."""
    used = 0.0
    for index in range(start, len(units)):
        step = _width(units[index], width)
        if hasattr(units[index].frag, "lineBreak"):
            return index + 1, used
        if used + step > width + _FUZZ and index > start:
            return index, used
        used += step
    return len(units), used


def _break_before(units: list[cjkU], start: int, end: int) -> int:
    """The last place at or before ``end`` where the line may end; a closing sign hangs rather than start a line."""
    if end < len(units) and units[end] in _NO_LINE_START and not (end + 1 < len(units) and _raised(units[end + 1])):
        return end + 1
    for index in range(end, start, -1):
        if _may_break(units[index - 1], units[index]):
            return index
    return end  # one unbreakable run wider than the line: break it where it overflows


def _may_break(before: cjkU, after: cjkU) -> bool:
    if not before or not after or after in _NO_LINE_START or before in _NO_LINE_END or _raised(after):
        return False
    return before.isspace() or after.isspace() or _east_asian(before) or _east_asian(after)


def _raised(unit: cjkU) -> bool:
    """A superscript unit: a note number, which never starts a line."""
    return getattr(unit.frag, "rise", 0) > 0


def _east_asian(char: str) -> bool:
    return ord(char) >= 0x2E80 and not 0xFE00 <= ord(char) <= 0xFE0F  # Han, kana, CJK signs; not variation selectors


def _width(unit: cjkU, line_width: float) -> float:
    width = unit.width
    if hasattr(width, "normalizedValue"):
        width._normalizer = line_width
        return width.normalizedValue(line_width)
    return width
