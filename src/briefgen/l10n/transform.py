"""The l10n transform: the labels a document's writers print, computed once per build.

``localise(doc)`` fills ``Meta.labels`` (the as-of date, "Page N of M", the
notes heading, the language tag and how lines break) in the document's language, so the PDF,
the DOCX and any other writer print the same strings without formatting
anything themselves. ``localised_marking`` puts a theme's default marking
("DRAFT") into the brief's language.
"""

from __future__ import annotations

import dataclasses

from briefgen.l10n.dates import date_label
from briefgen.l10n.labels import LABEL_KEYS, label
from briefgen.l10n.languages import east_asian, hyphenated, language_tag
from briefgen.model import Document, Labels

__all__ = ["localise", "localised_marking"]

_MARKINGS = [key for key in LABEL_KEYS if key.startswith("marking_")]


def localise(doc: Document) -> Document:
    """``doc`` with ``meta.labels`` in its language."""
    language = doc.meta.language
    labels = Labels(
        date=date_label(doc.meta.date, language) if doc.meta.date else None,
        page_of=label(language, "page_of", page="{page}", pages="{pages}"),
        notes=label(language, "notes"),
        language_tag=language_tag(language),
        hyphenate=hyphenated(language),
        east_asian=east_asian(language),
    )
    return dataclasses.replace(doc, meta=dataclasses.replace(doc.meta, labels=labels))


def localised_marking(marking: str | None, language: str) -> str | None:
    """A theme's marking in ``language`` when it is one of briefgen's own ("DRAFT"); any other text as it is."""
    for key in _MARKINGS:
        if marking is not None and marking.strip().casefold() == label("en", key).casefold():
            return label(language, key)
    return marking
