"""Fonts for the PDF writer: the shipped faces, their registration, coverage and fallback.

Each character goes to the first family of a chain (the theme's font, then
Noto Sans, then Droid Sans Fallback for Han) that has a glyph for it in all
of its faces. Faces are parsed and registered with reportlab once per
process (kept by file path), never stored on disk: reportlab's parse is its
private state, and a stored copy could break with any reportlab release (see
docs/caches.md for what that costs). The 4 MB CJK face is only loaded when
the text has a character that nothing before it covers. This module decides
fonts only: it does not escape markup nor report which fact an uncovered
character belongs to (``pdf_checks`` does).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reportlab.pdfbase.ttfonts import TTFont

__all__ = ["FontChain", "FontFamily", "font_chain"]

_FONT_DIR = Path(str(resources.files("briefgen") / "data" / "fonts"))
_STYLES = ("Regular", "Bold", "Italic", "BoldItalic")
# Characters that never need a glyph of their own: the paragraph layout turns them into spacing.
_LAYOUT_CHARACTERS = frozenset("\t\n\r")

_loaded: dict[Path, TTFont] = {}


@dataclass(frozen=True, slots=True)
class FontFamily:
    """A family of shipped faces: ``files`` maps Regular/Bold/Italic/BoldItalic to a file name."""

    name: str  # as themes spell it: "Liberation Sans"
    files: tuple[str, str, str, str]

    @property
    def face_names(self) -> tuple[str, str, str, str]:
        """reportlab font names of the four styles (one name per distinct file)."""
        return tuple(Path(file).stem for file in self.files)  # type: ignore[return-value]

    @property
    def regular(self) -> str:
        return self.face_names[0]


def _four(stem: str) -> tuple[str, str, str, str]:
    return tuple(f"{stem}-{style}.ttf" for style in _STYLES)  # type: ignore[return-value]


_FAMILIES = {
    family.name: family
    for family in (
        FontFamily("Liberation Sans", _four("LiberationSans")),
        FontFamily("Noto Sans", _four("NotoSans")),
        FontFamily("Droid Sans Fallback", ("DroidSansFallbackFull.ttf",) * 4),
    )
}
_FALLBACKS = ("Noto Sans", "Droid Sans Fallback")


def shipped_families() -> list[str]:
    return sorted(_FAMILIES)


def _face(file: str) -> TTFont:
    """The parsed and registered face of a shipped file (parsed once per process)."""
    path = _FONT_DIR / file
    face = _loaded.get(path)
    if face is None:
        from reportlab.pdfbase import pdfmetrics

        from reportlab.pdfbase.ttfonts import TTFont

        face = TTFont(path.stem, str(path))
        pdfmetrics.registerFont(face)
        _loaded[path] = face
    return face


class _LoadedFamily:
    """A family whose faces are registered with reportlab, with the characters all of them cover."""

    def __init__(self, family: FontFamily) -> None:
        from reportlab.lib.fonts import addMapping

        faces = [_face(file) for file in dict.fromkeys(family.files)]
        self.family = family
        self.covered: frozenset[int] = frozenset.intersection(*(frozenset(f.face.charToGlyph) for f in faces))
        self.characters = frozenset(map(chr, self.covered)) | _LAYOUT_CHARACTERS
        regular, bold, italic, bold_italic = family.face_names
        # Regular last: a family with one face (Droid) must read back as not bold, not italic.
        for name, is_bold, is_italic in ((bold_italic, 1, 1), (italic, 0, 1), (bold, 1, 0), (regular, 0, 0)):
            addMapping(regular, is_bold, is_italic, name)


_families_loaded: dict[str, _LoadedFamily] = {}


def _load_family(name: str) -> _LoadedFamily:
    loaded = _families_loaded.get(name)
    if loaded is None:
        loaded = _families_loaded[name] = _LoadedFamily(_FAMILIES[name])
    return loaded


class FontChain:
    """The families tried in order for each character; later families load only when needed."""

    def __init__(self, names: tuple[str, ...]) -> None:
        self.names = names
        self._choice: dict[str, int | None] = {}

    @cached_property
    def primary(self) -> FontFamily:
        return _load_family(self.names[0]).family

    def family_of(self, char: str) -> int | None:
        """Index in the chain of the first family covering ``char``; ``None`` when none does."""
        if char in self._choice:
            return self._choice[char]
        code = ord(char)
        found = next((i for i, name in enumerate(self.names) if code in _load_family(name).covered), None)
        self._choice[char] = found
        return found

    def uncovered(self, text: str) -> list[str]:
        """The distinct characters of ``text`` no family covers, in order of appearance."""
        if _load_family(self.names[0]).characters.issuperset(text):
            return []
        return [c for c in dict.fromkeys(text) if c not in _LAYOUT_CHARACTERS and self.family_of(c) is None]

    def runs(self, text: str) -> list[tuple[str | None, str]]:
        """``text`` cut into runs of one family: (regular face name, or ``None`` for the primary, run).

        Spaces and layout characters stay in the run they follow, so a Latin
        sentence with one Han word becomes three runs, not one per word.
        """
        if _load_family(self.names[0]).characters.issuperset(text):
            return [(None, text)]
        runs: list[tuple[int, list[str]]] = []
        for char in text:
            index = runs[-1][0] if char.isspace() and runs else (self.family_of(char) or 0)
            if runs and runs[-1][0] == index:
                runs[-1][1].append(char)
            else:
                runs.append((index, [char]))
        return [(None if i == 0 else _FAMILIES[self.names[i]].regular, "".join(chars)) for i, chars in runs]


def font_chain(theme_font: str) -> FontChain:
    """The chain for a theme's ``pdf_font``: that family, then the shipped fallbacks."""
    if theme_font not in _FAMILIES:
        from briefgen.errors import RenderError

        raise RenderError(
            f"unknown PDF font '{theme_font}'",
            hint=f"set pdf_font in the theme to one of: {', '.join(shipped_families())}",
        )
    return FontChain(tuple(dict.fromkeys((theme_font, *_FALLBACKS))))
