"""Checks that look across registry entries: ids, references, cycles, quotes against archives.

Given every ``Item`` of a registry (valid or not, so that one mistake does not
hide another), this module reports duplicate ids (naming both places),
references to ids that do not exist or name the wrong kind of entry (with a
did-you-mean), cycles in ``superseded_by`` and ``derived_from``, and
citation quotes that do not occur in their source's archived text. It
collects problems and never raises; it must not read files (the loader hands
it the archives' bytes) or check anything within a single entry (that is
``facts_schema``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

from briefgen.errors import Problem, did_you_mean
from briefgen.registry.quotes import MARK, closest_passage, normalise_quote
from briefgen.registry.schema import Item

__all__ = ["check_references"]

# Ids of sources, facts and entities share one namespace; topics have their own.
_NAMESPACE = {"sources": "ids", "facts": "ids", "entities": "ids", "topics": "topics"}
_SINGULAR = {"sources": "source", "facts": "fact", "entities": "entity", "topics": "topic"}
# fact key -> the section its ids must name
_FACT_REFERENCES = (
    ("topics", "topics"),
    ("actors", "entities"),
    ("holder", "entities"),
    ("speaker", "entities"),
    ("derived_from", "facts"),
    ("conflicts_with", "facts"),
    ("superseded_by", "facts"),
)
_CYCLE_KEYS = ("superseded_by", "derived_from")


def check_references(items: list[Item], archives: Mapping[Path, bytes], problems: list[Problem], *, all_ids_known: bool = True) -> None:
    """Report every cross-entry problem of a registry's ``items`` to ``problems``.

    ``all_ids_known=False`` (a file could not be parsed, so its ids are missing)
    leaves out references to unknown ids, which would be reported by the dozen.
    """
    sections = _ids_by_section(items, problems)
    facts = [item for item in items if item.section == "facts"]
    for fact in facts:
        _check_fact_references(fact, sections, problems, all_ids_known)
        _check_citations(fact, sections, problems, all_ids_known)
    for key in _CYCLE_KEYS:
        _check_cycles(facts, key, problems)
    _check_quotes(facts, sections["sources"], archives, problems)


def _ids_by_section(items: list[Item], problems: list[Problem]) -> dict[str, dict[str, Item]]:
    """Each section's ids (first occurrence wins); a second use of an id in a namespace is a problem."""
    first: dict[tuple[str, str], Item] = {}
    by_section: dict[str, dict[str, Item]] = {section: {} for section in _SINGULAR}
    for item in items:
        if item.id is None:
            continue
        namespace = (_NAMESPACE[item.section], item.id)
        earlier = first.setdefault(namespace, item)
        if earlier is not item:
            problems.append(
                Problem(
                    f"duplicate id '{item.id}': also {_a(_SINGULAR[earlier.section])} at {earlier.origin}",
                    item.origin.file,
                    item.line_of("id"),
                    "ids are unique across the registry; rename one",
                )
            )
            continue
        by_section[item.section][item.id] = item
    return by_section


def _check_fact_references(fact: Item, sections: dict[str, dict[str, Item]], problems: list[Problem], all_ids_known: bool) -> None:
    for key, target in _FACT_REFERENCES:
        value = fact.values.get(key)
        if value is None:
            continue
        for index, wanted in enumerate((value,) if isinstance(value, str) else value):
            if wanted not in sections[target] and (all_ids_known or _known_elsewhere(wanted, sections)):
                line = fact.line_of(key, None if isinstance(value, str) else index)
                problems.append(_dangling(wanted, target, sections, fact, line, key))


def _check_citations(fact: Item, sections: Mapping[str, Mapping[str, Item]], problems: list[Problem], all_ids_known: bool) -> None:
    for citation in fact.values.get("sources", ()):
        if citation.source not in sections["sources"] and (all_ids_known or _known_elsewhere(citation.source, sections)):
            problems.append(_dangling(citation.source, "sources", sections, fact, citation.origin.line, "source"))


def _a(noun: str) -> str:
    return f"an {noun}" if noun[0] in "aeiou" else f"a {noun}"


def _known_elsewhere(wanted: str, sections: Mapping[str, Mapping[str, Item]]) -> bool:
    return any(wanted in ids for ids in sections.values())


def _dangling(wanted: str, target: str, sections: Mapping[str, Mapping[str, Item]], fact: Item, line: int, key: str) -> Problem:
    other = next((section for section, ids in sections.items() if wanted in ids), None)
    if other is not None:
        message = f"'{key}' names '{wanted}', which is {_a(_SINGULAR[other])}, not {_a(_SINGULAR[target])}"
    else:
        message = f"'{key}' names an unknown {_SINGULAR[target]} '{wanted}'"
    hint = did_you_mean(wanted, sections[target], f"declare it under '{target}'")
    return Problem(message, fact.origin.file, line, hint)


def _check_cycles(facts: list[Item], key: str, problems: list[Problem]) -> None:
    """Report each cycle of ``key`` links between facts once, at its first fact."""
    links = {fact.id: _as_tuple(fact.values.get(key)) for fact in facts if fact.id and key in fact.values}
    by_id = {fact.id: fact for fact in facts}
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    for start in links:
        for cycle in _cycles_from(start, links, state):
            fact = by_id[cycle[0]]
            path = " → ".join(f"'{fact_id}'" for fact_id in (*cycle, cycle[0]))
            problems.append(Problem(f"{key} goes round in a cycle: {path}", fact.origin.file, fact.line_of(key), "break the cycle"))


def _cycles_from(start: str, links: Mapping[str, tuple[str, ...]], state: dict[str, int]) -> Iterable[tuple[str, ...]]:
    """Depth-first, without recursion (a chain may be long): every cycle first reached from ``start``."""
    if state.get(start):
        return
    path = [start]
    pending = [iter(links.get(start, ()))]
    state[start] = 1
    while pending:
        following = next(pending[-1], None)
        if following is None:
            state[path.pop()] = 2
            pending.pop()
        elif state.get(following) == 1:
            yield tuple(path[path.index(following) :])
        elif not state.get(following):
            state[following] = 1
            path.append(following)
            pending.append(iter(links.get(following, ())))


def _check_quotes(facts: list[Item], sources: Mapping[str, Item], archives: Mapping[Path, bytes], problems: list[Problem]) -> None:
    """Every citation's quote against its source's archive (all of a fact's citations, not only the first)."""
    texts: dict[Path, tuple[str, str] | None] = {}  # archive -> (its text, the text as compared)
    for path, data in archives.items():
        text = _archive_text(path, data, sources, problems)
        texts[path] = None if text is None else (text, normalise_quote(text))
    for fact in facts:
        for citation in fact.values.get("sources", ()):
            source = sources.get(citation.source)
            archive = source.values.get("archive") if source else None
            text = texts.get(archive) if archive else None
            if text is not None and normalise_quote(citation.quote) not in text[1]:
                problems.append(
                    Problem(
                        f"the quote is not in the archived text {archive} of source '{citation.source}'",
                        citation.origin.file,
                        citation.origin.line,
                        _quote_hint(citation.quote, text[0]),
                    )
                )


def _quote_hint(quote: str, archive: str) -> str:
    passage = closest_passage(quote, archive)
    if passage is None:
        return f"copy the passage exactly (white space, case, quote marks and dashes may differ): '{_opening(quote)}'"
    return f"the closest passage of the archive, {MARK} at the first difference: \"{passage}\""


def _archive_text(path: Path, data: bytes, sources: Mapping[str, Item], problems: list[Problem]) -> str | None:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        for source in sources.values():
            if source.values.get("archive") == path:
                problems.append(Problem(f"archive {path} is not UTF-8 text", source.origin.file, source.line_of("archive"), "save it as UTF-8"))
        return None


def _opening(quote: str, words: int = 8) -> str:
    split = quote.split()
    return " ".join(split[:words]) + (" …" if len(split) > words else "")


def _as_tuple(value: str | tuple[str, ...] | None) -> tuple[str, ...]:
    if value is None:
        return ()
    return (value,) if isinstance(value, str) else value
