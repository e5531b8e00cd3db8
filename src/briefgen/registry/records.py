"""The registry's records: sources, citations, facts, entities, topics.

Frozen dataclasses holding what a validated registry says, with no loading or
validation logic (that is ``facts.py``). Every record keeps the file and line
it came from, so later stages (templates, transforms) can point at it.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from briefgen.registry.dates import EDTFDate

__all__ = [
    "ID_PATTERN",
    "Citation",
    "Confidence",
    "Entity",
    "Fact",
    "FactKind",
    "Origin",
    "Position",
    "Qualifier",
    "Source",
    "Topic",
    "Translation",
]

# Ids of sources, facts, entities and topics: ASCII slugs, so that an id is never markup.
ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9._-]*")


class FactKind(enum.Enum):
    EVENT = "event"
    STANCE = "stance"
    FIGURE = "figure"
    QUOTE = "quote"
    BACKGROUND = "background"


class Confidence(enum.Enum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class Position(enum.Enum):
    SUPPORTS = "supports"
    OPPOSES = "opposes"
    NEUTRAL = "neutral"
    RECOGNISES = "recognises"
    CALLS_FOR = "calls-for"
    REJECTS = "rejects"
    CONCERNED = "concerned"


class Qualifier(enum.Enum):
    EXACT = "exact"
    ABOUT = "about"
    MORE_THAN = "more-than"
    LESS_THAN = "less-than"
    AT_LEAST = "at-least"


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a record was written: registry file and 1-based line."""

    file: Path
    line: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass(frozen=True, slots=True)
class Source:
    id: str
    title: str
    kind: str
    origin: Origin
    publisher: str | None = None
    author: str | None = None
    date: EDTFDate | None = None
    url: str | None = None
    accessed: EDTFDate | None = None
    language: str | None = None
    short_title: str | None = None
    archive: Path | None = None

    @property
    def note_title(self) -> str:
        """What a note shows: the short title, else the title."""
        return self.short_title or self.title


@dataclass(frozen=True, slots=True)
class Citation:
    source: str  # source id
    locator: str
    quote: str
    origin: Origin


@dataclass(frozen=True, slots=True)
class Topic:
    id: str
    label: str
    origin: Origin


@dataclass(frozen=True, slots=True)
class Entity:
    id: str
    kind: str
    name: dict[str, str]  # language tag -> label; "en" always present
    origin: Origin

    def label(self, language: str = "en") -> str:
        """The name in ``language`` (``zh-CN`` also finds ``zh``), else in English."""
        return self.name.get(language) or self.name.get(language.replace("_", "-").split("-")[0]) or self.name["en"]


@dataclass(frozen=True, slots=True)
class Translation:
    """A fact's own words in another language, and who translated them.

    Only what the registry writes in its own words is translated: quotes stay
    in their source's language, as the source has them.
    """

    statement: str
    translated_by: str
    reasoning: str | None = None
    conflict_note: str | None = None
    issue: str | None = None
    unit: str | None = None


@dataclass(frozen=True, slots=True)
class Fact:
    id: str
    statement: str
    kind: FactKind
    origin: Origin
    date: EDTFDate | None = None
    topics: tuple[str, ...] = ()
    actors: tuple[str, ...] = ()
    priority: int = 2
    confidence: Confidence = Confidence.HIGH
    sources: tuple[Citation, ...] = ()
    derived_from: tuple[str, ...] = ()
    reasoning: str | None = None
    conflicts_with: tuple[str, ...] = ()
    conflict_note: str | None = None
    valid_until: EDTFDate | None = None
    superseded_by: str | None = None
    # stance
    holder: str | None = None
    issue: str | None = None
    position: Position | None = None
    # figure
    metric: str | None = None
    value: float | None = None
    unit: str | None = None
    as_of: EDTFDate | None = None
    qualifier: Qualifier = Qualifier.EXACT
    # quote
    speaker: str | None = None
    translations: tuple[tuple[str, Translation], ...] = ()  # (language, translation), as written

    def translation(self, language: str) -> Translation | None:
        """The translation into ``language`` (``zh-CN`` also finds ``zh``), if the fact has one."""
        found = dict(self.translations)
        return found.get(language) or found.get(language.replace("_", "-").split("-")[0])

    def text_in(self, language: str, field: str = "statement") -> str | None:
        """``field`` (statement, reasoning, conflict_note, issue or unit) in ``language`` if translated, else as written."""
        translation = self.translation(language)
        translated = getattr(translation, field) if translation is not None else None
        return translated if translated is not None else getattr(self, field)

    @property
    def is_derived(self) -> bool:
        return bool(self.derived_from)

    @property
    def when(self) -> EDTFDate | None:
        """The date a chronology places the fact at: its ``date``, else a figure's ``as_of``."""
        return self.date or self.as_of
