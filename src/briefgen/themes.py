"""Themes: how a brief looks (page, margins, fonts, colours, marks), never what it says.

A theme is a small YAML mapping. Built-in themes live in ``data/themes/``;
a user's theme is a YAML file whose keys override the theme it ``extends``
(``default`` unless it says otherwise). Paths in a theme (logo, reference
DOCX) are resolved relative to the theme file and must stay inside the
project folder or the package. Every writer reads the same ``Theme``.

A theme holds format-neutral data only: a paper size by name, margins in
millimetres, sizes in points, font family names, colours as hex strings.
What they become in a format (reportlab page sizes and styles, Word's
section properties, CSS) is each writer's business. This module must not
import reportlab, python-docx or any writer.
"""

from __future__ import annotations

import dataclasses
import enum
import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

from briefgen.assets import checked_image, checked_reference_docx
from briefgen.confine import Refused, inside, regular_file
from briefgen import cache
from briefgen.errors import Problem, TemplateError, did_you_mean

__all__ = ["Margins", "NotePlacement", "PageSize", "RepeatedNotes", "Theme", "builtin_theme_names", "is_theme_file", "load_theme",
           "logo_text"]

_BUILTIN = Path(__file__).parent / "data" / "themes"  # a folder of the installed package (importlib.resources costs an HTML build 4 M instructions)
_COLOUR = re.compile(r"^#[0-9A-Fa-f]{6}$")
_MIN_TEXT_AREA = 50  # mm, across and down


class PageSize(enum.Enum):
    """A paper size by its name; each writer turns it into its own (reportlab's page size, Word's section size)."""

    A4 = "A4"
    LETTER = "Letter"

    @property
    def millimetres(self) -> tuple[float, float]:
        """Width and height of the paper, portrait."""
        return (210.0, 297.0) if self is PageSize.A4 else (215.9, 279.4)


class RepeatedNotes(enum.Enum):
    """How a note that says what the note before it said is written."""

    FULL = "full"  # in full again
    IBID = "ibid"  # "Ibid." in the brief's language


class NotePlacement(enum.Enum):
    FOOTNOTES = "footnotes"
    ENDNOTES = "endnotes"


@dataclass(frozen=True, slots=True)
class Margins:
    """Page margins in millimetres."""

    top: float = 20.0
    right: float = 20.0
    bottom: float = 20.0
    left: float = 20.0


@dataclass(frozen=True, slots=True)
class Theme:
    name: str = "default"
    page_size: PageSize = PageSize.A4
    margins: Margins = Margins()
    # Font families by name. The PDF embeds its family (the PDF writer knows which it ships and
    # falls back by script); the DOCX names fonts every Office has. Liberation Sans is Arial's
    # metric twin, so both break lines alike.
    pdf_font: str = "Liberation Sans"
    docx_font: str = "Arial"
    docx_east_asian_font: str = "SimSun"
    base_size: float = 10.5  # points
    text_colour: str = "#1A1A1A"
    accent_colour: str = "#1F3A5F"  # headings, rules, table header
    muted_colour: str = "#5A6270"  # header/footer, notes
    box_colour: str = "#EEF2F7"  # key-facts box shading
    table_header_colour: str = "#1F3A5F"
    table_stripe_colour: str = "#F5F7FA"
    logo: Path | None = None
    logo_alt: str | None = None  # what the logo shows, for screen readers (PDF /Alt, DOCX descr, HTML alt): required with a logo
    header_text: str | None = None
    footer_text: str | None = None
    marking: str | None = None  # banner top and bottom, e.g. "OFFICIAL"
    watermark: str | None = None  # diagonal text, e.g. "DRAFT"
    notes: NotePlacement = NotePlacement.FOOTNOTES
    repeated_notes: RepeatedNotes = RepeatedNotes.IBID
    reference_docx: Path | None = None  # None: the package's data/reference.docx


def logo_text(theme: Theme, author: str | None) -> str:
    """The logo's alternative text: the theme's ``logo_alt`` (a theme file must give one), else whose logo it is."""
    return theme.logo_alt or (f"Logo: {author}" if author else "Logo")


def builtin_theme_names() -> list[str]:
    return sorted(p.name.removesuffix(".yaml") for p in _BUILTIN.iterdir() if p.name.endswith(".yaml"))


def load_theme(name_or_path: str | Path = "default", *, over: Theme | None = None) -> Theme:
    """A built-in theme by name, or a theme YAML file (a ``Path``, or a name ending in .yaml), which
    may ``extends:`` another. The file itself may be anywhere: whoever names it chooses it.

    ``over`` lays the theme over another one: where its chain of ``extends``
    would reach the default theme it reaches ``over`` instead, so it changes
    only what it sets itself (``draft`` over a project theme adds a watermark
    and keeps the project's marking and footer).
    """
    if over is not None and str(name_or_path) == "default":
        return over
    if isinstance(name_or_path, Path) or is_theme_file(name_or_path):
        return _load_file(Path(name_or_path), seen=(), over=over)
    names = builtin_theme_names()
    if str(name_or_path) not in names:
        hint = did_you_mean(str(name_or_path), names, f"built-in themes: {', '.join(names)}")
        raise TemplateError(f"unknown theme '{name_or_path}'", hint=hint)
    return _load_file(_BUILTIN / f"{name_or_path}.yaml", seen=(), over=over)


def is_theme_file(name: str) -> bool:
    """Whether a theme is named as a file (``house.yaml``, ``themes/house``) rather than by its name."""
    return name.endswith((".yaml", ".yml")) or "/" in name or "\\" in name


def _load_file(path: Path, seen: tuple[Path, ...], over: Theme | None = None) -> Theme:
    if not path.is_file():
        raise TemplateError("theme file not found", file=path, hint="give a built-in theme name or a .yaml file")
    if path.resolve() in seen:
        raise TemplateError("theme extends itself", file=path, hint="remove the cycle of 'extends'")
    settings, lines = _parsed(path, path.read_bytes())
    data = dict(settings)
    parent_name = data.pop("extends", "default")
    base = Theme()
    if parent_name is not None:
        base = _parent(path, str(parent_name), lines.get("extends"), (*seen, path.resolve()), over)
    return dataclasses.replace(_apply(base, data, path, lines), name=path.stem)


def _parent(path: Path, parent: str, line: int | None, seen: tuple[Path, ...], over: Theme | None = None) -> Theme:
    """The theme ``path`` extends: a built-in by name, or a file beside it (inside its folder, links resolved)."""
    if not is_theme_file(parent):
        return load_theme(parent, over=over)
    try:
        inside(path.parent / parent, path.parent, written=parent, root_name="the theme's folder")
    except Refused as refused:
        raise TemplateError(f"extends: {refused}", file=path, line=line, hint="a theme extends a built-in theme or a theme file in its own folder") from None
    return _load_file(path.parent / parent, seen, over)


@functools.lru_cache(maxsize=32)
def _parsed(path: Path, data: bytes) -> tuple[Mapping[str, Any], Mapping[str, int]]:
    """The settings of a theme file holding ``data``, and the line of each: parsed once per path and content.

    A batch resolves its theme for every job; the file is read each time, so an
    edited theme is parsed again. Parsed settings are kept in the cache too
    (PyYAML is slow to import). Callers must not change what is returned.
    """
    key = (cache.code_digest(__name__, "briefgen.yaml_reader"), str(path), data)
    settings, lines = cache.remembered("theme", key, lambda: _parse(path, data))
    return MappingProxyType(settings), MappingProxyType(lines)


def _parse(path: Path, data: bytes) -> tuple[dict[str, Any], dict[str, int]]:
    from briefgen.yaml_reader import line_of, plain_value, settings_mapping

    node = settings_mapping(path, data, "a theme")
    if node is None:
        return {}, {}
    return {str(key.value): plain_value(value) for key, value in node.value}, {str(key.value): line_of(key) for key, _ in node.value}


def _apply(base: Theme, data: dict[str, Any], path: Path, lines: Mapping[str, int]) -> Theme:
    """``base`` with the settings of ``data``; every unknown setting and bad value of the file is reported at once."""
    fields = {f.name: f for f in dataclasses.fields(Theme)}
    changes: dict[str, Any] = {}
    problems: list[Problem] = []
    for key, value in data.items():
        if key not in fields:
            hint = did_you_mean(str(key), fields, "see the default theme for the settings")
            problems.append(Problem(f"unknown theme setting '{key}'", path, lines.get(str(key)), hint))
            continue
        try:
            changes[key] = _convert(key, value, path, lines.get(key))
        except TemplateError as error:
            problems.extend(error.problems)
    if problems:
        raise TemplateError.from_problems(problems)
    theme = dataclasses.replace(base, **changes)
    _check_text_area(theme, path, lines.get("margins") or lines.get("page_size"))
    if theme.logo is not None and not (theme.logo_alt or "").strip():
        raise TemplateError("the theme has a logo but no logo_alt", file=path, line=lines.get("logo"),
                            hint="add logo_alt: the words a screen reader reads for it, e.g. 'Ministry of Foreign Affairs crest'")
    return theme


def _check_text_area(theme: Theme, path: Path, line: int | None) -> None:
    """The margins must leave room to write: a page narrower than a table column cannot be laid out."""
    width, height = theme.page_size.millimetres
    across = width - theme.margins.left - theme.margins.right
    down = height - theme.margins.top - theme.margins.bottom
    if across < _MIN_TEXT_AREA or down < _MIN_TEXT_AREA:
        raise TemplateError(
            f"the margins leave a text area of {across:.0f} × {down:.0f} mm on the {theme.page_size.value} page",
            file=path,
            line=line,
            hint=f"leave at least {_MIN_TEXT_AREA} mm each way",
        )


def _convert(key: str, value: Any, path: Path, line: int | None = None) -> Any:
    try:
        if key == "page_size":
            if value not in {size.value for size in PageSize}:
                raise ValueError(f"'{value}' is not one of {', '.join(size.value for size in PageSize)}")
            return PageSize(value)
        if key == "notes":
            return NotePlacement(value)
        if key == "repeated_notes":
            if value not in {style.value for style in RepeatedNotes}:
                raise ValueError(f"'{value}' is not one of {', '.join(style.value for style in RepeatedNotes)}")
            return RepeatedNotes(value)
        if key == "margins":
            if not isinstance(value, dict):
                raise ValueError("write margins in mm as {top: 20, right: 20, bottom: 20, left: 20}")
            margins = Margins(**{k: float(v) for k, v in value.items()})
            if min(dataclasses.astuple(margins)) < 0:
                raise ValueError("margins are 0 mm or more")
            return margins
        if key in {"logo", "reference_docx"}:
            return _project_path(path, value, image=key == "logo")
        if key == "base_size":
            size = float(value)
            if not 6 <= size <= 20:
                raise ValueError("base_size must be between 6 and 20 points")
            return size
        if key.endswith("_colour"):
            if not _COLOUR.match(str(value)):
                raise ValueError(f"'{value}' is not a colour like #1F3A5F")
            return str(value)
        return None if value is None else str(value)
    except (TypeError, ValueError) as exc:
        raise TemplateError(f"bad value for theme setting '{key}': {exc}", file=path, line=line) from None


def _project_path(theme_file: Path, value: Any, *, image: bool = False) -> Path | None:
    """A file the theme names, relative to the theme file: inside the theme's folder, and checked whole."""
    if value is None:
        return None
    path = theme_file.parent / str(value)
    try:
        target = inside(path, theme_file.parent, written=str(value), root_name="the theme's folder")
        regular_file(path, written=str(value))
    except Refused as refused:
        raise ValueError(str(refused)) from None
    try:
        (checked_image if image else checked_reference_docx)(target)
    except ValueError as error:
        raise ValueError(f"'{str(value)[:60]}' {error}") from None
    return target
