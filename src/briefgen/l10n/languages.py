"""The languages briefgen writes, and the CLDR locale and language tag each one stands for.

A brief names its language with a short tag (``en``, ``en-US``, ``ru``,
``zh``); this module maps it to the Babel locale that formats its dates and
numbers (``en`` is British English: briefs write day-month-year dates) and to
the full tag Word and PDF readers want for spelling, hyphenation and
line breaking (``ru-RU``, ``zh-CN``). Babel is imported only when a locale is
asked for.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from babel import Locale

__all__ = ["FORMATTING_CODE", "LANGUAGES", "base_language", "check_language", "east_asian", "hyphenated", "language_tag", "locale"]

FORMATTING_CODE = (
    "briefgen.l10n.dates", "briefgen.l10n.numbers", "briefgen.l10n.labels", "briefgen.l10n.languages",
    "briefgen.registry.dates", "briefgen.registry.records", "babel",
)
"""What a date or figure label depends on besides its arguments: the cache keeps labels keyed by
this code, so that a warm build imports no Babel (its ``__init__`` names its version and CLDR's)."""

# tag -> (Babel locale, full language tag). Chinese is Simplified Chinese as written in the PRC.
_KNOWN: dict[str, tuple[str, str]] = {
    "en": ("en_GB", "en-GB"),
    "en-GB": ("en_GB", "en-GB"),
    "en-US": ("en_US", "en-US"),
    "ru": ("ru_RU", "ru-RU"),
    "ru-RU": ("ru_RU", "ru-RU"),
    "zh": ("zh_Hans_CN", "zh-CN"),
    "zh-CN": ("zh_Hans_CN", "zh-CN"),
    "zh-Hans": ("zh_Hans_CN", "zh-CN"),
}
LANGUAGES: tuple[str, ...] = tuple(_KNOWN)
"""Every language tag a brief may name."""
# Russian is set with hyphens, as Russian print is (its words are long and narrow columns
# common); English briefs never were. Chinese lines break between characters.
_HYPHENATED = {"ru"}
_EAST_ASIAN = {"zh"}


def check_language(language: str) -> str:
    """``language`` if briefgen writes it, else a ``ValueError`` listing those it does."""
    if language not in _KNOWN:
        raise ValueError(f"briefgen does not write language {language!r} (write one of {', '.join(LANGUAGES)})")
    return language


def base_language(language: str) -> str:
    """The language without its region or script: ``en-US`` -> ``en``."""
    return language.replace("_", "-").split("-")[0]


def language_tag(language: str) -> str:
    """The full tag for readers' proofing, hyphenation and line breaking: ``ru`` -> ``ru-RU``."""
    return _KNOWN[check_language(language)][1]


def hyphenated(language: str) -> bool:
    """Whether ``language`` is set with hyphenation."""
    return base_language(check_language(language)) in _HYPHENATED


def east_asian(language: str) -> bool:
    """Whether lines of ``language`` break between characters (Chinese)."""
    return base_language(check_language(language)) in _EAST_ASIAN


@lru_cache(maxsize=16)
def locale(language: str) -> Locale:
    """The Babel locale that formats ``language``'s dates and numbers."""
    from babel import Locale

    return Locale.parse(_KNOWN[check_language(language)][0])
