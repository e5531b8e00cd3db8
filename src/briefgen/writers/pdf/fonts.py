"""Fonts for the PDF writer: the shipped faces, their registration, coverage and fallback.

Each character goes to the first family of a chain (the theme's font, then
Noto Sans, then Droid Sans Fallback for Han) that has a glyph for it in every
face of that family the document draws with. Faces are parsed and registered
with reportlab once per process (kept by file path), and only the faces a
document draws with: the regular and bold faces of each family it uses, the
italic ones only when asked (``font_chain``'s ``styles``). reportlab's parse
is never stored on disk: it is its private state, and a stored copy could
break with any reportlab release (see docs/caches.md for what that costs).
What is stored is the set of characters a family's drawn faces cover, plain
data computed from those faces (``_coverage``), so that checking a text's
characters parses no face, and an empty cache parses no face that the
document does not draw with. The 4 MB CJK face is only loaded when the text
has a character that nothing before it covers. This module decides
fonts only: it does not escape markup nor report which fact an uncovered
character belongs to (``pdf_checks`` does).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from briefgen import cache

if TYPE_CHECKING:
    from reportlab.pdfbase.ttfonts import TTFont

__all__ = ["STYLES", "FontChain", "FontFamily", "font_chain"]

_FONT_DIR = Path(str(resources.files("briefgen") / "data" / "fonts"))
STYLES = ("Regular", "Bold", "Italic", "BoldItalic")
_ALWAYS = STYLES[:2]  # body text, headings and the page furniture
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
    return tuple(f"{stem}-{style}.ttf" for style in STYLES)  # type: ignore[return-value]


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


def _coverage(family: FontFamily, styles: tuple[str, ...]) -> frozenset[int]:
    """The characters every face of ``family`` a document draws with (``styles``) has a glyph for, as reportlab
    reads the faces.

    Only the faces drawn with are read: on an empty cache a document without bold italic parses three faces,
    not four. Kept in the cache, keyed as Python keys its bytecode (each file's size and modification time)
    and by the source of this module and reportlab's ``__init__`` (its version): hashing the faces would cost
    more than parsing one.
    """
    files = tuple(dict.fromkeys(family.files[STYLES.index(style)] for style in styles))
    stamps = [(file, (_FONT_DIR / file).stat()) for file in files]
    key = (cache.code_digest(__name__, "reportlab"), *(f"{file} {stat.st_size} {stat.st_mtime_ns}" for file, stat in stamps))
    return cache.remembered(
        "font-coverage", key, lambda: frozenset.intersection(*(frozenset(_face(file).face.charToGlyph) for file in files))
    )


class _LoadedFamily:
    """A family with the characters its faces of ``styles`` cover; ``register`` makes those faces known to
    reportlab."""

    def __init__(self, family: FontFamily, styles: tuple[str, ...]) -> None:
        self.family = family
        self.styles = styles
        self.covered = _coverage(family, styles)
        self.characters = frozenset(map(chr, self.covered)) | _LAYOUT_CHARACTERS

    def register(self) -> None:
        """Parse and register the faces of ``styles`` (names in ``STYLES``) with reportlab (each once per
        process), and map the family's four styles for ``<b>`` and ``<i>``.

        The mapping comes after the faces: registering a face maps its own name as a family of one
        face, which would draw ``<i>`` in a regular paragraph with the regular face.
        """
        from reportlab.lib.fonts import addMapping

        for style in self.styles:
            _face(self.family.files[STYLES.index(style)])
        regular, bold, italic, bold_italic = self.family.face_names
        # Regular last: a family with one face (Droid) must read back as not bold, not italic.
        for name, is_bold, is_italic in ((bold_italic, 1, 1), (italic, 0, 1), (bold, 1, 0), (regular, 0, 0)):
            addMapping(regular, is_bold, is_italic, name)


_families_loaded: dict[tuple[str, tuple[str, ...]], _LoadedFamily] = {}


def _load_family(name: str, styles: tuple[str, ...]) -> _LoadedFamily:
    loaded = _families_loaded.get((name, styles))
    if loaded is None:
        loaded = _families_loaded[name, styles] = _LoadedFamily(_FAMILIES[name], styles)
    return loaded


class FontChain:
    """The families tried in order for each character; later families load only when needed.

    ``styles`` are the styles whose faces are registered for each family text is drawn with
    (regular and bold always); checking characters registers none.
    """

    def __init__(self, names: tuple[str, ...], styles: Iterable[str] = STYLES) -> None:
        self.names = names
        self.styles = tuple(dict.fromkeys((*_ALWAYS, *styles)))
        self._choice: dict[str, int | None] = {}
        self._drawn: set[int] = set()

    @cached_property
    def primary(self) -> FontFamily:
        return self._drawn_with(0).family

    def _drawn_with(self, index: int) -> _LoadedFamily:
        """Family ``index`` of the chain, its faces of ``styles`` registered."""
        loaded = _load_family(self.names[index], self.styles)
        if index not in self._drawn:
            loaded.register()
            self._drawn.add(index)
        return loaded

    def family_of(self, char: str) -> int | None:
        """Index in the chain of the first family covering ``char``; ``None`` when none does."""
        if char in self._choice:
            return self._choice[char]
        code = ord(char)
        found = next((i for i, name in enumerate(self.names) if code in _load_family(name, self.styles).covered), None)
        self._choice[char] = found
        return found

    def uncovered(self, text: str) -> list[str]:
        """The distinct characters of ``text`` no family covers, in order of appearance."""
        if _load_family(self.names[0], self.styles).characters.issuperset(text):
            return []
        return [c for c in dict.fromkeys(text) if c not in _LAYOUT_CHARACTERS and self.family_of(c) is None]

    def runs(self, text: str) -> list[tuple[str | None, str]]:
        """``text`` cut into runs of one family: (regular face name, or ``None`` for the primary, run).

        Spaces and layout characters stay in the run they follow, so a Latin
        sentence with one Han word becomes three runs, not one per word.
        """
        if self._drawn_with(0).characters.issuperset(text):
            return [(None, text)]
        runs: list[tuple[int, list[str]]] = []
        for char in text:
            index = runs[-1][0] if char.isspace() and runs else (self.family_of(char) or 0)
            if runs and runs[-1][0] == index:
                runs[-1][1].append(char)
            else:
                runs.append((index, [char]))
        return [(None if i == 0 else self._drawn_with(i).family.regular, "".join(chars)) for i, chars in runs]


def font_chain(theme_font: str, styles: Iterable[str] = STYLES) -> FontChain:
    """The chain for a theme's ``pdf_font``: that family, then the shipped fallbacks; ``styles``: see ``FontChain``."""
    if theme_font not in _FAMILIES:
        from briefgen.errors import RenderError

        raise RenderError(
            f"unknown PDF font '{theme_font}'",
            hint=f"set pdf_font in the theme to one of: {', '.join(shipped_families())}",
        )
    return FontChain(tuple(dict.fromkeys((theme_font, *_FALLBACKS))), styles)
