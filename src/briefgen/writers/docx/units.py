"""Word's units: the shared typography's lengths in points as the integers OOXML stores."""

from __future__ import annotations

__all__ = ["twips"]


def twips(points: float) -> int:
    """A length in twentieths of a point, Word's unit for spacing and indents."""
    return round(points * 20)
