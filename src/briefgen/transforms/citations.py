"""Transforms on the document model: citation checks, note numbering, the Sources list.

Plain functions ``Document -> Document`` (or ``-> None`` for a check), run
after the reader and before the writers, in this order: ``check_citations``,
``number_notes``, ``add_source_list``. They take the registry's facts and
sources as plain mappings of id -> record, so they do not depend on how a
registry is loaded. They must not choose content or layout: they only
number, resolve and append what the citations in the document ask for.

A note reads like a footnote in a government brief: for each citation of
the fact, the source's short title and the locator ("Belarus–China relations
(Wikipedia), History, para. 3"), several joined with "; ". A derived fact's
note gives the same references for the facts it is derived from (whether or
not they are cited themselves: a note must stand on its own, and a Word
footnote cannot exist without a mark in the text), then its reasoning. A
fact that conflicts with others adds its conflict note.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping

from briefgen.errors import Problem, RenderError, did_you_mean
from briefgen.l10n.dates import date_label
from briefgen.l10n.labels import label
from briefgen.l10n.languages import base_language
from briefgen.model import (
    Block,
    Cite,
    Document,
    Emph,
    Heading,
    Inline,
    Link,
    Note,
    SourceEntry,
    SourceList,
    Span,
    Text,
    replace,
    walk,
)
from briefgen.registry.records import Citation, Fact, Source

__all__ = ["add_source_list", "check_citations", "cited_fact_ids", "number_notes"]

_SOURCES_HEADING_LEVEL = 1


def check_citations(doc: Document, facts: Mapping[str, Fact], *, source_name: str = "<brief>") -> None:
    """Raise one ``RenderError`` listing every citation of a fact id that ``facts`` lacks."""
    problems = [
        Problem(f"citation of unknown fact {fact_id!r}", source_name, cite.line, _did_you_mean(fact_id, facts))
        for cite in _cites(doc.blocks)
        for fact_id in cite.fact_ids
        if fact_id not in facts
    ]
    if problems:
        raise RenderError.from_problems(problems)


def number_notes(doc: Document, facts: Mapping[str, Fact], sources: Mapping[str, Source]) -> Document:
    """Number notes per fact in order of first citation and write each note's text.

    Every ``Cite`` gets its note numbers (the same fact always has the same
    number); ``Document.notes`` lists the notes in number order.
    """
    numbers: dict[str, int] = {}

    def number(cite: Cite) -> Cite:
        return dataclasses.replace(
            cite, notes=tuple(numbers.setdefault(fact_id, len(numbers) + 1) for fact_id in cite.fact_ids)
        )

    blocks = replace(doc.blocks, Cite, number)
    language = doc.meta.language
    notes = tuple(
        Note(note, fact_id, (Text(_note_text(facts[fact_id], facts, sources, language)),))
        for fact_id, note in numbers.items()
    )
    return dataclasses.replace(doc, blocks=blocks, notes=notes)


def ibid_notes(doc: Document) -> Document:
    """``doc`` with each note that says exactly what the note before it said written "Ibid."
    (in the document's language), as the theme's ``repeated_notes: ibid`` asks."""
    ibid = (Text(label(doc.meta.language, "ibid")),)
    notes = [doc.notes[0]] if doc.notes else []
    for before, note in zip(doc.notes, doc.notes[1:]):
        notes.append(dataclasses.replace(note, children=ibid) if note.children == before.children else note)
    return dataclasses.replace(doc, notes=tuple(notes))


def add_source_list(doc: Document, facts: Mapping[str, Fact], sources: Mapping[str, Source]) -> Document:
    """Append a "Sources" heading and list: each source the citations rest on, once, in order of first use.

    A derived fact contributes the sources of the facts it is derived from. A
    document without citations gets no Sources section.
    """
    source_ids = dict.fromkeys(
        citation.source
        for cite in _cites(doc.blocks)
        for fact_id in cite.fact_ids
        for citation in _grounding((fact_id,), facts)
    )
    if not source_ids:
        return doc
    language = doc.meta.language
    heading = Heading(_SOURCES_HEADING_LEVEL, (Text(label(language, "sources")),))
    entries = tuple(SourceEntry(source_id, _source_entry(sources[source_id], language)) for source_id in source_ids)
    return dataclasses.replace(doc, blocks=(*doc.blocks, heading, SourceList(entries)))


# --- notes -------------------------------------------------------------------------


def _note_text(fact: Fact, facts: Mapping[str, Fact], sources: Mapping[str, Source], language: str) -> str:
    parts = [_references(fact.sources, sources)] if fact.sources else []
    if fact.derived_from:
        bases = _references(_grounding(fact.derived_from, facts), sources)
        parts.append(label(language, "derived_from", facts=bases, reasoning=fact.text_in(language, "reasoning") or ""))
    if fact.conflicts_with:
        parts.append(label(language, "conflict", note=fact.text_in(language, "conflict_note") or ""))
    return ". ".join(parts)


def _references(citations: tuple[Citation, ...], sources: Mapping[str, Source]) -> str:
    """``Short title, locator; Short title, locator`` (the locator is left out when empty)."""
    return "; ".join(
        ", ".join(part for part in (sources[citation.source].note_title, citation.locator) if part)
        for citation in citations
    )


def _grounding(fact_ids: tuple[str, ...], facts: Mapping[str, Fact]) -> tuple[Citation, ...]:
    """The citations these facts rest on: their own, and those of the facts they derive from, once each."""
    found: dict[tuple[str, str], Citation] = {}
    pending = list(reversed(fact_ids))
    seen: set[str] = set()
    while pending:
        fact = facts[pending.pop()]
        if fact.id in seen:
            continue
        seen.add(fact.id)
        for citation in fact.sources:
            found.setdefault((citation.source, citation.locator), citation)
        pending.extend(reversed(fact.derived_from))
    return tuple(found.values())


# --- sources -----------------------------------------------------------------------


def _source_entry(source: Source, language: str) -> tuple[Inline, ...]:
    """Title (emphasised), author, publisher, date, URL, accessed date: the parts the source has."""
    details = (source.author, source.publisher, source.date and date_label(source.date, language))
    before_url = "".join(f", {detail}" for detail in details if detail) + (", " if source.url else "")
    title: Inline = Emph((Text(source.title),))
    if source.language and base_language(source.language) != base_language(language):
        title = Span(source.language, (title,))  # a title in the source's own language
    entry: list[Inline] = [title]
    if before_url:
        entry.append(Text(before_url))
    if source.url:
        entry.append(Link(source.url, (Text(readable_url(source.url)),)))
    if source.accessed:
        entry.append(Text(", " + label(language, "accessed", date=date_label(source.accessed, language))))
    return tuple(entry)


def readable_url(url: str) -> str:
    """``url`` as a reader sees it: percent-escapes of letters decoded (``Belarus–China``, not
    ``Belarus%E2%80%93China``); escapes that stand for spaces, controls or URL syntax stay."""
    from urllib.parse import unquote

    if "%" not in url:
        return url
    try:
        decoded = unquote(url, errors="strict")
    except UnicodeDecodeError:  # escapes of bytes that are not UTF-8
        return url
    readable = "%" not in decoded and all(character.isprintable() and not character.isspace() for character in decoded)
    syntax_changed = any(decoded.count(mark) != url.count(mark) for mark in "/?#&=+")
    return decoded if readable and not syntax_changed else url


def cited_fact_ids(node: Document | Block) -> set[str]:
    """The ids of every fact a document or block cites (as written, before derivations)."""
    return {fact_id for cite in _cites(node.blocks if isinstance(node, Document) else node) for fact_id in cite.fact_ids}


def _cites(node: object) -> Iterator[Cite]:
    """Every ``Cite`` under ``node`` in document order."""
    return (found for found in walk(node) if isinstance(found, Cite))


def _did_you_mean(fact_id: str, facts: Mapping[str, Fact]) -> str | None:
    return did_you_mean(fact_id, facts, "no fact has this id: `briefgen list facts` shows them")
