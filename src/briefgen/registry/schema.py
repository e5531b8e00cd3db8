"""The registry's schema: which keys each entry may have, and what their values must be.

This module turns one file's node tree (from ``facts_yaml``) into ``Item``s:
the converted values of each source, fact, entity and topic, with where they
were written. Every problem within one entry (unknown keys,
missing or mistyped values, bad dates, bad ids, kind-specific rules) is
collected, never raised. It must not look across entries or files (duplicate
and dangling ids, cycles, quotes against archives: that is
``facts_references``), and it must not read any file.
"""

from __future__ import annotations

import enum
import os
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from briefgen.confine import Refused, inside, regular_file
from briefgen.registry.dates import EDTFDate, Precision, parse_date
from briefgen.errors import Problem, did_you_mean
from briefgen.yaml_reader import MappingNode, Node, ParsedFile, ScalarNode, SequenceNode, is_null, line_of, parse_file
from briefgen.registry.records import (
    ID_PATTERN,
    Citation,
    Confidence,
    Entity,
    Fact,
    FactKind,
    Origin,
    Position,
    Qualifier,
    Source,
    Topic,
    Translation,
)

__all__ = ["ENTITY_KINDS", "SECTIONS", "SOURCE_KINDS", "Item", "build_record", "read_items"]

SOURCE_KINDS = ("article", "news", "treaty", "statement", "dataset", "book", "report", "interview", "web")
ENTITY_KINDS = ("country", "person", "organisation", "place", "project", "other")
MAX_STATEMENT = 600

_LANGUAGE = re.compile(r"[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*")
_NUMBER = re.compile(r"-?\d+(?P<fraction>\.\d+)?(?P<exponent>[eE][-+]?\d+)?")
_URL = re.compile(r"https?://\S+")
# Characters no document can hold or show: C0 and C1 controls (but tab and line feed), DEL, U+FFFE/U+FFFF.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff]")
# Embeddings, overrides and isolates (Trojan Source): they reorder how a statement displays. The
# marks U+200E, U+200F and U+061C only place neutral characters in right-to-left names, and stay.
_BIDI_CONTROL = re.compile(r"[\u202a-\u202e\u2066-\u2069]")


class _Invalid(Exception):
    """A value is wrong: ``message`` says how (the reader adds where)."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class _Reported(Exception):
    """A nested value was wrong and its problems are already recorded."""


@dataclass(slots=True)
class _FileScope:
    """What converters need to know about the file they read: its path, folder, the registry root."""

    path: Path
    root: Path
    problems: list[Problem]
    entry: str | None = None  # the id of the entry being read, as written, for messages that must name it

    def add(self, message: str, node: Node | None, hint: str | None = None) -> None:
        self.problems.append(Problem(message, self.path, line_of(node) if node is not None else None, hint))


_Convert = Callable[[Node, _FileScope], Any]


@dataclass(frozen=True, slots=True)
class _Field:
    convert: _Convert
    required: bool = False


@dataclass(slots=True, eq=False)
class _Entries:
    """One file's entries, found again by where they start when a problem needs a key's line.

    Items keep no node trees (a registry's trees take several times the memory
    of its records): the file is parsed a second time, once, only to report.
    """

    path: Path
    data: bytes
    _by_offset: dict[int, MappingNode] | None = None

    def entry(self, offset: int) -> MappingNode:
        if self._by_offset is None:
            top = parse_file(self.path, self.data, []).node
            sections = top.value if isinstance(top, MappingNode) else ()
            self._by_offset = {
                entry.start_mark.index: entry
                for _, section in sections
                if isinstance(section, SequenceNode)
                for entry in section.value
                if isinstance(entry, MappingNode)
            }
        return self._by_offset[offset]


@dataclass(frozen=True, slots=True)
class Item:
    """One registry entry as read: converted ``values`` (only those that were valid) and where it is."""

    section: str
    values: dict[str, Any]
    origin: Origin
    valid: bool
    file: _Entries
    offset: int  # where the entry starts in its file (characters)

    @property
    def id(self) -> str | None:
        return self.values.get("id")

    def line_of(self, key: str, index: int | None = None) -> int:
        """The line of ``key``'s value (or of its ``index``-th element); the entry's line if absent."""
        for key_node, value_node in self.file.entry(self.offset).value:
            if key_node.value == key:
                if index is not None and isinstance(value_node, SequenceNode) and index < len(value_node.value):
                    return line_of(value_node.value[index])
                return line_of(value_node)
        return self.origin.line


# --- scalar converters -----------------------------------------------------------


def _scalar(node: Node) -> str:
    if not isinstance(node, ScalarNode):
        raise _Invalid(f"must be a single value, not a {_shape(node)}")
    return str(node.value)


def _text(node: Node, scope: _FileScope) -> str:
    text = _scalar(node).strip()
    if not text:
        raise _Invalid("is empty")
    bad = _CONTROL.search(text)
    if bad:
        what = "control character" if unicodedata.category(bad.group()) == "Cc" else "non-character"
        raise _Invalid(f"contains the {what} U+{ord(bad.group()):04X}", "remove it")
    bidi = _BIDI_CONTROL.search(text)
    if bidi:
        char = bidi.group()
        owner = f"'{scope.entry}' " if scope.entry else ""
        raise _Invalid(
            f"{owner}contains the bidirectional control character U+{ord(char):04X} ({unicodedata.name(char)})",
            "remove it: it makes text display in another order than it is stored and read",
        )
    return text


def _statement(node: Node, scope: _FileScope) -> str:
    text = " ".join(_text(node, scope).split())
    if len(text) > MAX_STATEMENT:
        raise _Invalid(f"is {len(text)} characters long (at most {MAX_STATEMENT})", "split it into two facts")
    return text


def _slug(node: Node, _: _FileScope) -> str:
    text = _scalar(node).strip()
    if ID_PATTERN.fullmatch(text):
        return text
    raise _Invalid(f"'{text}' is not a valid id", _slug_hint(text))


def _slug_hint(text: str) -> str:
    foreign = next((c for c in text if not c.isascii()), None)
    if foreign is not None:
        name = unicodedata.name(foreign, "a non-ASCII character")
        return f"'{foreign}' is {name} (U+{ord(foreign):04X}); ids are ASCII"
    if any(c.isspace() for c in text):
        return f"ids have no spaces: write '{'-'.join(text.split())}'"
    if text.lower() != text:
        return f"ids are lower case: write '{text.lower()}'"
    return "ids are lower-case ASCII letters, digits, '.', '_' and '-', starting with a letter or digit"


def _language(node: Node, _: _FileScope) -> str:
    text = _scalar(node).strip()
    if not _LANGUAGE.fullmatch(text):
        raise _Invalid(f"'{text}' is not a language tag", "write a BCP 47 tag such as en, ru or zh-Hans")
    return text


def _date(node: Node, _: _FileScope) -> EDTFDate:
    try:
        return parse_date(_scalar(node))
    except ValueError as error:
        raise _Invalid(str(error)) from None


def _day(node: Node, scope: _FileScope) -> EDTFDate:
    date = _date(node, scope)
    if date.is_range or date.precision is not Precision.DAY:
        raise _Invalid(f"'{date}' is not a single day", "write a full date such as 2026-01-20")
    return date


def _number(node: Node, _: _FileScope) -> int | float:
    text = _scalar(node).strip()
    match = _NUMBER.fullmatch(text)
    if match is None:
        raise _Invalid(f"'{text}' is not a number", "write digits only, e.g. 5800000000 or 4.5, without units")
    return float(text) if match["fraction"] or match["exponent"] else int(text)


def _priority(node: Node, _: _FileScope) -> int:
    text = _scalar(node).strip()
    if text not in {"1", "2", "3"}:
        raise _Invalid(f"'{text}' is not a priority", "1 (must appear), 2 (default) or 3 (detail)")
    return int(text)


def _url(node: Node, scope: _FileScope) -> str:
    text = _text(node, scope)
    if not _URL.fullmatch(text):
        raise _Invalid(f"'{text}' is not a web address", "write it in full, starting with https://")
    return text


def _choice(values: tuple[str, ...]) -> _Convert:
    def convert(node: Node, _: _FileScope) -> str:
        text = _scalar(node).strip()
        if text not in values:
            raise _Invalid(f"'{text}' is not one of {', '.join(values)}", did_you_mean(text, values))
        return text

    return convert


def _enum(kind: type[enum.Enum]) -> _Convert:
    choose = _choice(tuple(member.value for member in kind))
    return lambda node, scope: kind(choose(node, scope))


def _archive(node: Node, scope: _FileScope) -> Path:
    text = _text(node, scope)
    path = scope.path.parent / text
    try:
        inside(path, scope.root, written=text, root_name="the registry folder")
    except Refused as refused:
        raise _Invalid(str(refused), "keep archived texts inside it, e.g. sources/") from None
    try:
        regular_file(path, written=text)
    except Refused as refused:
        raise _Invalid(str(refused), f"the path is relative to {scope.path.name}'s folder") from None
    return Path(os.path.normpath(path))


# --- composite converters --------------------------------------------------------


def _sequence(node: Node) -> list[Node]:
    if not isinstance(node, SequenceNode):
        raise _Invalid(f"must be a list, not a {_shape(node)}", "write [a, b] or one '- item' per line")
    return list(node.value)


def _slugs(node: Node, scope: _FileScope) -> tuple[str, ...]:
    return tuple(_slug(element, scope) for element in _sequence(node))


def _some_slugs(node: Node, scope: _FileScope) -> tuple[str, ...]:
    slugs = _slugs(node, scope)
    if not slugs:
        raise _Invalid("is an empty list", "name at least one")
    return slugs


def _names(node: Node, scope: _FileScope) -> dict[str, str]:
    if not isinstance(node, MappingNode):
        raise _Invalid(f"must be a mapping of language to label, not a {_shape(node)}", "write {en: Belarus, ru: Беларусь}")
    names = {_language(key, scope): _text(value, scope) for key, value in node.value}
    if "en" not in names:
        raise _Invalid("has no English label", "add en: ...")
    return names


def _citations(node: Node, scope: _FileScope) -> tuple[Citation, ...]:
    citations = []
    failed = False
    for element in _sequence(node):
        read = _read_fields(element, _CITATION_FIELDS, "citation", scope)
        if read is None or not read.valid:
            failed = True
            continue
        citations.append(Citation(origin=Origin(scope.path, line_of(element)), **read.values))
    if failed:
        raise _Reported
    return tuple(citations)


def _translations(node: Node, scope: _FileScope) -> tuple[tuple[str, Translation], ...]:
    if not isinstance(node, MappingNode):
        raise _Invalid(f"must be a mapping of language to translation, not a {_shape(node)}", _TRANSLATION_HINT)
    translations = []
    failed = False
    for key, value in node.value:
        language = _language(key, scope)
        if language.split("-")[0] == "en":
            raise _Invalid("has an English translation, but the fact's own words are English", "write only other languages here")
        read = _read_fields(value, _TRANSLATION_FIELDS, "translation", scope)
        if read is None or not read.valid:
            failed = True
            continue
        translations.append((language, Translation(**read.values)))
    if failed:
        raise _Reported
    return tuple(translations)


_TRANSLATION_HINT = "write {ru: {statement: ..., translated_by: ...}}"


def _shape(node: Node) -> str:
    return {MappingNode: "mapping", SequenceNode: "list"}.get(type(node), "single value")


# --- the schema ----------------------------------------------------------------------

_CITATION_FIELDS: Mapping[str, _Field] = {
    "source": _Field(_slug, required=True),
    "locator": _Field(_text, required=True),
    "quote": _Field(_text, required=True),
}

# A translation holds only the registry's own words: a quote stays as its source has it.
_TRANSLATION_FIELDS: Mapping[str, _Field] = {
    "statement": _Field(_statement, required=True),
    "translated_by": _Field(_text, required=True),
    "reasoning": _Field(_text),
    "conflict_note": _Field(_text),
    "issue": _Field(_text),
    "unit": _Field(_text),
}

_FIELDS: Mapping[str, Mapping[str, _Field]] = {
    "sources": {
        "id": _Field(_slug, required=True),
        "title": _Field(_text, required=True),
        "kind": _Field(_choice(SOURCE_KINDS), required=True),
        "publisher": _Field(_text),
        "author": _Field(_text),
        "date": _Field(_date),
        "url": _Field(_url),
        "accessed": _Field(_day),
        "language": _Field(_language),
        "short_title": _Field(_text),
        "archive": _Field(_archive),
    },
    "topics": {
        "id": _Field(_slug, required=True),
        "label": _Field(_text, required=True),
    },
    "entities": {
        "id": _Field(_slug, required=True),
        "kind": _Field(_choice(ENTITY_KINDS), required=True),
        "name": _Field(_names, required=True),
    },
    "facts": {
        "id": _Field(_slug, required=True),
        "statement": _Field(_statement, required=True),
        "kind": _Field(_enum(FactKind), required=True),
        "date": _Field(_date),
        "topics": _Field(_some_slugs, required=True),
        "actors": _Field(_slugs),
        "priority": _Field(_priority),
        "confidence": _Field(_enum(Confidence)),
        "sources": _Field(_citations),
        "derived_from": _Field(_some_slugs),
        "reasoning": _Field(_text),
        "conflicts_with": _Field(_some_slugs),
        "conflict_note": _Field(_text),
        "valid_until": _Field(_date),
        "superseded_by": _Field(_slug),
        "holder": _Field(_slug),
        "issue": _Field(_text),
        "position": _Field(_enum(Position)),
        "metric": _Field(_slug),
        "value": _Field(_number),
        "unit": _Field(_text),
        "as_of": _Field(_date),
        "qualifier": _Field(_enum(Qualifier)),
        "speaker": _Field(_slug),
        "translations": _Field(_translations),
    },
}
SECTIONS = tuple(_FIELDS)
_SINGULAR = {"sources": "source", "topics": "topic", "entities": "entity", "facts": "fact"}
_RECORDS: Mapping[str, type[Source | Topic | Entity | Fact]] = {
    "sources": Source,
    "topics": Topic,
    "entities": Entity,
    "facts": Fact,
}

_REQUIRED_BY_KIND: Mapping[FactKind, tuple[str, ...]] = {
    FactKind.EVENT: ("date",),
    FactKind.STANCE: ("holder", "issue", "position"),
    FactKind.FIGURE: ("metric", "value", "unit", "as_of"),
    FactKind.QUOTE: ("speaker",),
    FactKind.BACKGROUND: (),
}
_ONLY_FOR_KIND: Mapping[str, FactKind] = {
    key: kind for kind in (FactKind.STANCE, FactKind.FIGURE, FactKind.QUOTE) for key in _REQUIRED_BY_KIND[kind]
} | {"qualifier": FactKind.FIGURE}
_GO_TOGETHER = (("derived_from", "reasoning"), ("conflicts_with", "conflict_note"))


# --- reading -------------------------------------------------------------------------


def read_items(parsed: ParsedFile, root: Path, problems: list[Problem]) -> list[Item]:
    """Every entry of one parsed file; problems within entries go to ``problems``."""
    scope = _FileScope(parsed.path, root, problems)
    entries = _Entries(parsed.path, parsed.data)
    top = parsed.node
    if top is None or is_null(top):
        return []
    if not isinstance(top, MappingNode):
        scope.add(f"a registry file must be a mapping of sections, not a {_shape(top)}", top, _SECTIONS_HINT)
        return []
    items: list[Item] = []
    for key_node, value_node in top.value:  # the YAML reader refused keys written twice
        section = str(key_node.value) if isinstance(key_node, ScalarNode) else ""
        if section not in _FIELDS:
            scope.add(f"unknown section '{key_node.value}'", key_node, did_you_mean(str(key_node.value), SECTIONS, _SECTIONS_HINT))
        elif not is_null(value_node):
            items.extend(_read_section(section, value_node, scope, entries))
    return items


_SECTIONS_HINT = "a registry file has the lists sources, facts, entities and topics"


def build_record(item: Item) -> Source | Topic | Entity | Fact:
    """The record of a valid item."""
    return _RECORDS[item.section](origin=item.origin, **item.values)


def _read_section(section: str, node: Node, scope: _FileScope, entries: _Entries) -> list[Item]:
    if not isinstance(node, SequenceNode):
        scope.add(f"'{section}' must be a list of entries, not a {_shape(node)}", node, "start each entry with '- id: ...'")
        return []
    items = []
    for entry in node.value:
        scope.entry = _written_id(entry)
        read = _read_fields(entry, _FIELDS[section], _SINGULAR[section], scope)
        if read is None:
            continue
        valid = read.valid and (section != "facts" or _check_fact(read, entry, scope))
        items.append(Item(section, read.values, Origin(scope.path, line_of(entry)), valid, entries, entry.start_mark.index))
    return items


def _written_id(entry: Node) -> str | None:
    """The ``id`` of an entry as written, before it is checked."""
    if isinstance(entry, MappingNode):
        for key, value in entry.value:
            if key.value == "id" and isinstance(value, ScalarNode):
                return str(value.value)[:60]
    return None


@dataclass(frozen=True, slots=True)
class _Read:
    """One mapping as read: the valid values, the keys written with invalid values, and whether all was valid."""

    values: dict[str, Any]
    failed: set[str]
    valid: bool

    def written(self, key: str) -> bool:
        return key in self.values or key in self.failed


def _read_fields(node: Node, fields: Mapping[str, _Field], what: str, scope: _FileScope) -> _Read | None:
    """The converted values of one mapping (None if it is not a mapping); problems go to ``scope``."""
    if not isinstance(node, MappingNode):
        scope.add(f"each {what} must be a mapping of keys, not a {_shape(node)}", node)
        return None
    values: dict[str, Any] = {}
    failed: set[str] = set()
    problems_before = len(scope.problems)
    for key_node, value_node in node.value:
        key = key_node.value
        spec = fields.get(key) if isinstance(key_node, ScalarNode) else None
        if spec is None:
            scope.add(f"unknown key '{key}' in a {what}", key_node, did_you_mean(str(key), fields))
        elif not is_null(value_node):
            try:
                values[key] = spec.convert(value_node, scope)
            except _Invalid as bad:
                scope.add(f"{what} {key}: {bad.message}", value_node, bad.hint)
                failed.add(key)
            except _Reported:
                failed.add(key)
    for key, spec in fields.items():
        if spec.required and key not in values and key not in failed:
            scope.add(f"{what} has no '{key}'", node, f"add '{key}: ...'")
    return _Read(values, failed, len(scope.problems) == problems_before)


def _check_fact(read: _Read, node: MappingNode, scope: _FileScope) -> bool:
    """Rules that tie one fact's keys together: by kind, sources or derivation, pairs."""
    problems_before = len(scope.problems)
    kind = read.values.get("kind")
    if kind is not None:
        for key in _REQUIRED_BY_KIND[kind]:
            if not read.written(key):
                scope.add(f"a {kind.value} fact has no '{key}'", node, f"add '{key}: ...'")
        for key, owner in _ONLY_FOR_KIND.items():
            if owner is not kind and read.written(key):
                scope.add(f"'{key}' is only for {owner.value} facts, not {kind.value}", node, f"remove '{key}' or change the kind")
    for first, second in _GO_TOGETHER:
        if read.written(first) != read.written(second):
            missing = second if read.written(first) else first
            scope.add(f"a fact with '{first}' or '{second}' needs both", node, f"add '{missing}: ...'")
    if not read.values.get("sources") and not read.written("derived_from") and "sources" not in read.failed:
        scope.add("a fact has no sources", node, "cite at least one source (source, locator, quote), or give derived_from and reasoning")
    return len(scope.problems) == problems_before
