"""The fact registry: load and validate a folder of YAML files, then answer the templates' queries.

``load_registry`` reads every file, checks everything (``facts_yaml`` for
syntax, ``facts_schema`` within entries, ``facts_references`` across them),
and either raises one ``FactsError`` listing every problem or returns a
``Registry``. Unchanged registries come from the cache (``briefgen.cache``) without
importing the validators or the YAML parser (they load only when a registry changed or a
lookup fails). Staleness
depends on the as-of day, so its warnings are computed after loading, never
cached. ``Registry`` is immutable; its queries are pure and return tuples.
This module must not format anything for a brief (that is the templates'
job) or print anything (that is the CLI's).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from briefgen.collector import collector_paused
from briefgen.confine import Refused, inside, regular_file
from briefgen.registry.dates import EDTFDate, parse_date, resolve_as_of
from briefgen.errors import FactsError, Problem, Severity, UsageError, did_you_mean
from briefgen.cache import keep, recall
from briefgen.registry.records import Entity, Fact, FactKind, Source, Topic

if TYPE_CHECKING:
    from briefgen.registry.schema import Item

__all__ = ["Registry", "load_registry"]

_Record = TypeVar("_Record", Source, Entity, Topic, Fact)
_DateBound = str | EDTFDate | dt.date | None
StanceGroups = tuple[tuple[str, tuple[tuple[str, tuple[Fact, ...]], ...]], ...]


@dataclass(frozen=True, slots=True, eq=False)
class Registry:
    """A validated registry: its records in file order, the as-of day and its staleness warnings."""

    root: Path
    sources: tuple[Source, ...]
    entities: tuple[Entity, ...]
    topics: tuple[Topic, ...]
    facts: tuple[Fact, ...]
    content_hash: str  # digest of every YAML file and archive (paths and bytes), stable across machines
    as_of: dt.date
    warnings: tuple[Problem, ...] = ()
    _facts: Mapping[str, Fact] = field(init=False, repr=False)
    _sources: Mapping[str, Source] = field(init=False, repr=False)
    _entities: Mapping[str, Entity] = field(init=False, repr=False)
    _topics: Mapping[str, Topic] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        for name, records in (("_facts", self.facts), ("_sources", self.sources), ("_entities", self.entities), ("_topics", self.topics)):
            object.__setattr__(self, name, {record.id: record for record in records})

    @property
    def facts_by_id(self) -> Mapping[str, Fact]:
        return self._facts

    @property
    def sources_by_id(self) -> Mapping[str, Source]:
        return self._sources

    # --- single records --------------------------------------------------------------

    def fact(self, fact_id: str) -> Fact:
        return _lookup(self._facts, fact_id, "fact")

    def source(self, source_id: str) -> Source:
        return _lookup(self._sources, source_id, "source")

    def entity(self, entity_id: str) -> Entity:
        return _lookup(self._entities, entity_id, "entity")

    def topic(self, topic_id: str) -> Topic:
        return _lookup(self._topics, topic_id, "topic")

    def entity_label(self, entity_id: str, language: str = "en") -> str:
        """The entity's name in ``language``, else in English."""
        return self.entity(entity_id).label(language)

    # --- selections ------------------------------------------------------------------

    def select(
        self,
        *,
        kind: FactKind | str | None = None,
        topic: str | None = None,
        actor: str | None = None,
        start: _DateBound = None,
        end: _DateBound = None,
    ) -> tuple[Fact, ...]:
        """Facts matching every given filter, in registry order.

        ``actor`` matches a fact's actors, a stance's holder or a quote's
        speaker. ``start``/``end`` keep dated facts whose date overlaps the
        period (from the first day of ``start`` to the last day of ``end``).
        An unknown kind, topic or actor is an error (a typo would silently
        empty a brief).
        """
        tests = [test for test in (self._kind_test(kind), self._topic_test(topic), self._actor_test(actor), _period_test(start, end)) if test]
        return tuple(fact for fact in self.facts if all(test(fact) for test in tests))

    def facts_by_kind(self, kind: FactKind | str) -> tuple[Fact, ...]:
        return self.select(kind=kind)

    def facts_by_topic(self, topic: str) -> tuple[Fact, ...]:
        return self.select(topic=topic)

    def facts_by_actor(self, actor: str) -> tuple[Fact, ...]:
        return self.select(actor=actor)

    def facts_in_period(self, start: _DateBound = None, end: _DateBound = None) -> tuple[Fact, ...]:
        return self.select(start=start, end=end)

    def chronological(self, facts: Iterable[Fact] | None = None) -> tuple[Fact, ...]:
        """``facts`` (default: all) by ``Fact.when``'s sort key; undated facts last, in their given order."""
        chosen = self.facts if facts is None else tuple(facts)
        dated = sorted((fact for fact in chosen if fact.when is not None), key=lambda fact: fact.when.sort_key)  # type: ignore[union-attr]
        return (*dated, *(fact for fact in chosen if fact.when is None))

    def stances_by_holder(self, facts: Iterable[Fact] | None = None) -> StanceGroups:
        """Stances (of ``facts``, default all) as ``((holder, ((issue, stances), ...)), ...)``.

        Holders and issues keep the order in which they first appear; stances
        within an issue are chronological.
        """
        groups: dict[str, dict[str, list[Fact]]] = {}
        for fact in self.facts if facts is None else facts:
            if fact.kind is FactKind.STANCE and fact.holder and fact.issue:
                groups.setdefault(fact.holder, {}).setdefault(fact.issue, []).append(fact)
        return tuple(
            (holder, tuple((issue, self.chronological(stances)) for issue, stances in issues.items()))
            for holder, issues in groups.items()
        )

    def metrics(self) -> tuple[str, ...]:
        """Every figure metric, sorted."""
        return tuple(sorted({fact.metric for fact in self.facts if fact.metric}))

    def latest_figure(self, metric: str, as_of: dt.date | None = None) -> Fact | None:
        """The figure for ``metric`` with the latest ``as_of`` that has begun by ``as_of`` (default the
        registry's); None if there is none yet. An unknown metric is an error."""
        day = as_of or self.as_of
        if metric not in self.metrics():
            raise FactsError(f"unknown metric '{metric}'", hint=did_you_mean(metric, self.metrics()))
        figures = [f for f in self.facts if f.metric == metric and f.as_of is not None and f.as_of.starts_on_or_before(day)]
        return max(figures, key=lambda fact: fact.as_of.sort_key, default=None)  # type: ignore[union-attr]

    def sources_cited(self, fact_ids: Iterable[str]) -> tuple[Source, ...]:
        """Sources in the order the facts first cite them; a derived fact cites its premises' sources."""
        ordered: dict[str, Source] = {}
        for fact_id in fact_ids:
            for source_id in self._source_ids(self.fact(fact_id)):
                ordered.setdefault(source_id, self._sources[source_id])
        return tuple(ordered.values())

    # --- helpers ------------------------------------------------------------------------

    def _source_ids(self, fact: Fact) -> Iterable[str]:
        yield from (citation.source for citation in fact.sources)
        for premise in fact.derived_from:
            yield from self._source_ids(self._facts[premise])  # validation guarantees no cycle

    def _kind_test(self, kind: FactKind | str | None) -> Callable[[Fact], bool] | None:
        if kind is None:
            return None
        wanted = _fact_kind(kind)
        return lambda fact: fact.kind is wanted

    def _topic_test(self, topic: str | None) -> Callable[[Fact], bool] | None:
        if topic is None:
            return None
        self.topic(topic)
        return lambda fact: topic in fact.topics

    def _actor_test(self, actor: str | None) -> Callable[[Fact], bool] | None:
        if actor is None:
            return None
        self.entity(actor)
        return lambda fact: actor in fact.actors or actor in (fact.holder, fact.speaker)


def load_registry(path: str | Path, *, as_of: str | dt.date | None = None, cache: bool = True) -> Registry:
    """Load and validate the registry in folder ``path``; raise ``FactsError`` listing every problem.

    ``as_of`` (default: ``SOURCE_DATE_EPOCH``'s day, else today) is what
    staleness warnings (``Registry.warnings``) are measured against.
    """
    root = Path(path)
    try:
        day = resolve_as_of(as_of)
    except ValueError as error:
        raise UsageError(str(error), hint="write the as-of date as YYYY-MM-DD") from None
    with collector_paused():  # millions of objects and no cycles: the collector's passes would double the time
        stored = _load_records(root, cache)
    sources, entities, topics, facts, content_hash, _ = stored
    return Registry(root, sources, entities, topics, facts, content_hash, day, _staleness_warnings(facts, day))


# --- loading -----------------------------------------------------------------------------

# What the cache holds: sources, entities, topics, facts, content hash, archive digests.
_Stored = tuple[tuple[Source, ...], tuple[Entity, ...], tuple[Topic, ...], tuple[Fact, ...], str, tuple[str, ...]]


def _load_records(root: Path, cache: bool) -> _Stored:
    """The validated records, from the cache while no registry file and no archive has changed.

    The entry's key is every file's path and content (the cache module adds
    briefgen's version); the archives a registry quotes are known only once it
    is read, so their digests are stored with the records and compared after.
    One entry per registry folder: a changed registry replaces it.
    """
    files = _read_files(root)
    key = (str(root), *_file_digests(root, files))
    slot = str(root.resolve())
    stored = recall("registry", key, slot) if cache else None
    if stored is None or not _archives_unchanged(root, stored[-1]):
        stored = _validate(root, files)
        if cache:
            keep("registry", key, stored, slot)
    return stored  # type: ignore[no-any-return]


def _registry_files(root: Path) -> list[Path]:
    """Every ``*.yaml`` / ``*.yml`` file below ``root``, in sorted path order.

    A folder so named is only searched. Anything else of that name that is not a regular file inside
    the registry folder (a FIFO, a dangling link, a link out of the folder) is an error, never skipped.
    """
    if not root.exists():
        raise FactsError("the registry folder does not exist", file=root, hint="give the folder of YAML files with --facts")
    if not root.is_dir():
        raise FactsError("the registry is a file, not a folder", file=root, hint="give the folder that holds it")
    files, problems = [], []
    for path in sorted(p for pattern in ("*.yaml", "*.yml") for p in root.rglob(pattern) if not p.is_dir()):
        try:
            inside(path, root, written=path.name, root_name="the registry folder")
            files.append(regular_file(path, written=path.name))
        except Refused as refused:
            problems.append(Problem(str(refused), path, None, "a registry file is a regular YAML file inside the registry folder; move or remove it"))
    if problems:
        raise FactsError.from_problems(problems)
    if not files:
        raise FactsError("the registry folder has no .yaml files", file=root, hint="add sources and facts, e.g. with 'briefgen init'")
    return files


def _read_files(root: Path) -> dict[Path, bytes]:
    """The bytes of every registry file; one that cannot be read is an error naming it."""
    files: dict[Path, bytes] = {}
    problems = []
    for path in _registry_files(root):
        try:
            files[path] = path.read_bytes()
        except OSError as error:
            problems.append(Problem(f"cannot be read: {error.strerror or error}", path, None, "check its permissions"))
    if problems:
        raise FactsError.from_problems(problems)
    return files


def _validate(root: Path, files: Mapping[Path, bytes]) -> _Stored:
    from briefgen.registry.references import check_references
    from briefgen.registry.schema import build_record, read_items
    from briefgen.yaml_reader import parse_file

    problems: list[Problem] = []
    items: list[Item] = []
    unparsed = False  # a file that is not YAML hides its ids: unknown-id problems would mislead
    for file, data in files.items():
        before = len(problems)
        parsed = parse_file(file, data, problems)
        unparsed |= len(problems) > before
        items.extend(read_items(parsed, root, problems))
    archives = {archive: archive.read_bytes() for archive in _archive_paths(items)}
    check_references(items, archives, problems, all_ids_known=not unparsed)
    if problems:
        raise FactsError.from_problems(sorted(problems, key=lambda p: (str(p.file), p.line or 0)))
    records = {section: tuple(build_record(item) for item in items if item.section == section) for section in ("sources", "entities", "topics", "facts")}
    archive_digests = tuple(_file_digests(root, archives))
    content_hash = _digest([*_file_digests(root, files), *archive_digests])
    return (records["sources"], records["entities"], records["topics"], records["facts"], content_hash, archive_digests)  # type: ignore[return-value]


def _archive_paths(items: Iterable[Item]) -> list[Path]:
    return sorted({item.values["archive"] for item in items if item.section == "sources" and "archive" in item.values})


def _archives_unchanged(root: Path, digests: tuple[str, ...]) -> bool:
    paths = [root / line.split("\0")[0] for line in digests]
    try:
        return tuple(_file_digests(root, {path: path.read_bytes() for path in paths})) == digests
    except OSError:
        return False


def _file_digests(root: Path, files: Mapping[Path, bytes]) -> Iterable[str]:
    for path, data in sorted(files.items()):
        yield f"{path.relative_to(root).as_posix()}\0{hashlib.sha256(data).hexdigest()}"


def _digest(parts: Iterable[str]) -> str:
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _staleness_warnings(facts: tuple[Fact, ...], day: dt.date) -> tuple[Problem, ...]:
    """Facts past their valid_until, or superseded by a fact dated on or before ``day``."""
    by_id = {fact.id: fact for fact in facts}
    warnings = []
    for fact in facts:
        if fact.valid_until is not None and fact.valid_until.ends_before(day):
            message = f"fact '{fact.id}' is past its valid_until ({fact.valid_until}) as of {day}"
            warnings.append(_warning(message, fact, "update it, or state it in the past tense"))
        successor = by_id[fact.superseded_by] if fact.superseded_by else None
        if successor is not None and (successor.when is None or successor.when.starts_on_or_before(day)):
            message = f"fact '{fact.id}' is superseded by '{successor.id}' as of {day}"
            warnings.append(_warning(message, fact, f"cite '{successor.id}' instead"))
    return tuple(warnings)


def _warning(message: str, fact: Fact, hint: str) -> Problem:
    return Problem(message, fact.origin.file, fact.origin.line, hint, Severity.WARNING)


# --- queries' small helpers ------------------------------------------------------------


def _lookup(records: Mapping[str, _Record], record_id: str, what: str) -> _Record:
    try:
        return records[record_id]
    except KeyError:
        raise FactsError(f"unknown {what} '{record_id}'", hint=did_you_mean(record_id, records)) from None


def _fact_kind(kind: FactKind | str) -> FactKind:
    try:
        return FactKind(kind)
    except ValueError:
        names = [member.value for member in FactKind]
        raise FactsError(f"unknown fact kind '{kind}'", hint=did_you_mean(str(kind), names, f"kinds: {', '.join(names)}")) from None


def _period_test(start: _DateBound, end: _DateBound) -> Callable[[Fact], bool] | None:
    if start is None and end is None:
        return None
    first = _bound(start).earliest if start is not None else None
    last = _bound(end).latest if end is not None else None

    def overlaps(fact: Fact) -> bool:
        when = fact.when
        if when is None:
            return False
        return (last is None or when.earliest is None or when.earliest <= last) and (
            first is None or when.latest is None or when.latest >= first
        )

    return overlaps


def _bound(value: str | EDTFDate | dt.date) -> EDTFDate:
    if isinstance(value, EDTFDate):
        return value
    try:
        return parse_date(value)
    except ValueError as error:
        raise FactsError(f"bad period bound: {error}") from None
