"""Property tests: registries valid by construction always validate and build; broken ones fail cleanly.

A registry is drawn as plain data (sources with archived texts, topics,
entities, facts of every kind quoting those archives, dates of every
precision), written as YAML, validated and built (overview and chronology,
PDF only, to stay fast). Mutations of a valid registry (a key dropped, a
type changed, a date corrupted, an id dangling, control characters, a
truncated or byte-damaged file) must either still build or fail with a
``BriefgenError``: never any other exception.
"""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefgen.build import build
from briefgen.errors import BriefgenError
from briefgen.registry.loader import load_registry
from briefgen.project import load_project

AS_OF = dt.date(2026, 11, 23)
SETTINGS = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

# Words the archives and statements are made of: markup characters, Cyrillic and Han
# included (all covered by the shipped fonts), so that escaping is exercised as well.
WORDS = [
    "Belarus", "China", "trade", "relations", "agreement", "signed", "in", "the", "and", "of",
    "*stars*", "_under_", "[@id]", "{{ x }}", "<b>", "a&b", "#1", "|", "\\", "`code`", "50%",
    "Беларусь", "Китай", "торговля", "白俄罗斯", "中国", "Қазақ", "café", "—", "“quoted”",
]
SLUG = st.from_regex(r"[a-z][a-z0-9-]{1,10}", fullmatch=True)


# --- valid registries ----------------------------------------------------------------------


def _words(minimum: int, maximum: int) -> st.SearchStrategy[str]:
    return st.lists(st.sampled_from(WORDS), min_size=minimum, max_size=maximum).map(" ".join)


@st.composite
def edtf_dates(draw: st.DrawFn) -> str:
    """An EDTF date of any precision the registry accepts."""
    year = draw(st.integers(1, 2026))
    month = draw(st.integers(1, 12))
    day = draw(st.integers(1, 28))
    form = draw(st.sampled_from(["day", "month", "year", "approximate", "uncertain", "both", "range", "open-end", "open-start", "decade", "century", "bc"]))
    return {
        "day": f"{year:04d}-{month:02d}-{day:02d}",
        "month": f"{year:04d}-{month:02d}",
        "year": f"{year:04d}",
        "approximate": f"{year:04d}~",
        "uncertain": f"{year:04d}?",
        "both": f"{year:04d}%",
        "range": f"{year:04d}/{min(year + draw(st.integers(0, 30)), 2026):04d}",
        "open-end": f"{year:04d}/..",
        "open-start": f"../{year:04d}",
        "decade": f"{year // 10:03d}X",
        "century": f"{year // 100:02d}XX",
        "bc": f"-{draw(st.integers(1, 3000)):04d}",
    }[form]


@st.composite
def registries(draw: st.DrawFn) -> dict[str, Any]:
    """A registry as data: ``{"sources": [...], ..., "archives": {name: text}}``, valid by construction."""
    ids = draw(st.lists(SLUG, min_size=9, max_size=9, unique=True))
    source_ids, entity_ids, fact_ids = ids[:2], ids[2:4], ids[4:]
    archives = {f"{source}.txt": draw(_words(20, 60)) for source in source_ids}
    sources = [
        {"id": source, "title": draw(_words(1, 5)), "kind": draw(st.sampled_from(["article", "news", "report"])), "archive": f"sources/{source}.txt"}
        | ({"date": draw(edtf_dates())} if draw(st.booleans()) else {})
        for source in source_ids
    ]
    topics = [{"id": "topic-a", "label": draw(_words(1, 3))}, {"id": "topic-b", "label": draw(_words(1, 3))}]
    entities = [{"id": entity, "kind": "country", "name": {"en": draw(_words(1, 2)), "ru": "Беларусь"}} for entity in entity_ids]
    facts = []
    for index, fact_id in enumerate(fact_ids):
        source = draw(st.sampled_from(source_ids))
        archive_words = archives[f"{source}.txt"].split()
        start = draw(st.integers(0, len(archive_words) - 3))
        quote = " ".join(archive_words[start : start + draw(st.integers(3, 8))])
        kind = draw(st.sampled_from(["event", "background", "stance", "figure", "quote"]))
        fact: dict[str, Any] = {
            "id": fact_id,
            "statement": draw(_words(3, 25)),
            "kind": kind,
            "topics": draw(st.lists(st.sampled_from(["topic-a", "topic-b"]), min_size=1, max_size=2, unique=True)),
            "actors": draw(st.lists(st.sampled_from(entity_ids), max_size=2, unique=True)),
            "priority": 1 if index == 0 else draw(st.sampled_from([2, 3])),
            "sources": [{"source": source, "locator": draw(_words(1, 3)), "quote": quote}],
        }
        if kind == "event" or draw(st.booleans()):
            fact["date"] = draw(edtf_dates())
        if kind == "stance":
            fact |= {"holder": draw(st.sampled_from(entity_ids)), "issue": draw(_words(1, 3)), "position": draw(st.sampled_from(["supports", "opposes", "calls-for"]))}
        if kind == "figure":
            fact |= {"metric": "trade", "value": draw(st.integers(0, 10**12)), "unit": draw(st.sampled_from(["USD", "students", "tonnes"])), "as_of": draw(edtf_dates())}
        if kind == "quote":
            fact["speaker"] = draw(st.sampled_from(entity_ids))
        facts.append(fact)
    return {"sources": sources, "topics": topics, "entities": entities, "facts": facts, "archives": archives}


def _write(project: Path, registry: dict[str, Any]) -> None:
    facts_dir = project / "facts"
    (facts_dir / "sources").mkdir(parents=True, exist_ok=True)
    for name, text in registry["archives"].items():
        (facts_dir / "sources" / name).write_text(text + "\n", encoding="utf-8")
    records = {key: registry[key] for key in ("sources", "topics", "entities")}
    (facts_dir / "records.yaml").write_text(yaml.safe_dump(records, allow_unicode=True, sort_keys=False), encoding="utf-8")
    (facts_dir / "facts.yaml").write_text(yaml.safe_dump({"facts": registry["facts"]}, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _build(project: Path) -> None:
    """Validate, then build overview and chronology as PDF into project/output."""
    load_registry(project / "facts", as_of=AS_OF, cache=False)
    build(["overview", "chronology"], project=load_project(project), formats=("pdf",), as_of=AS_OF)


@pytest.fixture()
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("BRIEFGEN_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    return tmp_path


_counter = iter(range(10**9))


def _fresh(workdir: Path) -> Path:
    project = workdir / f"p{next(_counter)}"
    project.mkdir()
    return project


@SETTINGS
@given(registry=registries())
def test_valid_registries_validate_and_build(workdir: Path, registry: dict[str, Any]) -> None:
    project = _fresh(workdir)
    _write(project, registry)
    with _no_warning_check():
        _build(project)
    assert (project / "output" / "overview.pdf").stat().st_size > 0
    assert (project / "output" / "chronology.pdf").stat().st_size > 0


class _no_warning_check:
    """Warnings (facts left out to fit the page) are fine; they must not be errors."""

    def __enter__(self) -> None:
        import warnings

        self._catch = warnings.catch_warnings()
        self._catch.__enter__()
        warnings.simplefilter("ignore")

    def __exit__(self, *exc: object) -> None:
        self._catch.__exit__(*exc)


# --- mutations -----------------------------------------------------------------------------


REQUIRED = {"sources": ["id", "title", "kind"], "topics": ["id", "label"], "entities": ["id", "kind", "name"], "facts": ["id", "statement", "kind", "topics"]}
ODD_VALUES = [None, [], {}, ["a", "b"], {"a": 1}, 7, -1.5, True, "", "  ", "x" * 700, "\x07bell", "tab\there", "\ufffe", "../../etc/passwd", "2026-13-45", "…/..", "[@nope]"]
CORRUPT_DATES = ["2026-02-30", "2019/1995", "99999", "../..", "20XX-01", "-", "1992-1-1", "tomorrow", "0000-00-00", "1992-01-20T10:00"]


@st.composite
def mutations(draw: st.DrawFn) -> tuple[dict[str, Any], str, Any]:
    """A valid registry, a mutation's name and its argument, applied by ``_mutate``."""
    registry = draw(registries())
    kind = draw(st.sampled_from(["drop-key", "change-type", "corrupt-date", "dangle-id", "control-characters", "truncate", "damage-bytes", "duplicate-id", "cycle"]))
    section = draw(st.sampled_from(["sources", "topics", "entities", "facts"]))
    index = draw(st.integers(0, len(registry[section]) - 1))
    argument: Any = {
        "drop-key": (section, index, draw(st.sampled_from(REQUIRED[section]))),
        "change-type": (section, index, draw(st.sampled_from(sorted(registry[section][index]))), draw(st.sampled_from(ODD_VALUES))),
        "corrupt-date": (index % len(registry["facts"]), draw(st.sampled_from(CORRUPT_DATES))),
        "dangle-id": (index % len(registry["facts"]), draw(st.sampled_from(["topics", "actors", "sources"])), draw(SLUG)),
        "control-characters": (section, index, draw(st.sampled_from(["\x00", "\x01", "\x1b", "\x7f", "\x85", "\u2028", "\ud7ff", "\u202e"]))),
        "truncate": draw(st.floats(0.0, 1.0)),
        "damage-bytes": (draw(st.floats(0.0, 1.0)), draw(st.binary(min_size=1, max_size=8))),
        "duplicate-id": (section, index),
        "cycle": None,
    }[kind]
    return registry, kind, argument


def _mutate(project: Path, registry: dict[str, Any], kind: str, argument: Any) -> None:
    registry = copy.deepcopy(registry)
    if kind == "drop-key":
        section, index, key = argument
        registry[section][index].pop(key, None)
    elif kind == "change-type":
        section, index, key, value = argument
        registry[section][index][key] = value
    elif kind == "corrupt-date":
        index, value = argument
        registry["facts"][index]["date"] = value
    elif kind == "dangle-id":
        index, key, wanted = argument
        if key == "sources":
            registry["facts"][index]["sources"][0]["source"] = wanted
        else:
            registry["facts"][index][key] = [wanted]
    elif kind == "control-characters":
        section, index, character = argument
        entry = registry[section][index]
        text_key = {"sources": "title", "topics": "label", "entities": "kind", "facts": "statement"}[section]
        entry[text_key] = str(entry[text_key])[:5] + character + str(entry[text_key])[5:]
    elif kind == "duplicate-id":
        section, index = argument
        registry[section].append(copy.deepcopy(registry[section][index]))
    elif kind == "cycle":
        first, second = registry["facts"][0], registry["facts"][-1]
        first["superseded_by"], second["superseded_by"] = second["id"], first["id"]
    _write(project, registry)
    facts_file = project / "facts" / "facts.yaml"
    data = facts_file.read_bytes()
    if kind == "truncate":
        facts_file.write_bytes(data[: int(len(data) * argument)])
    elif kind == "damage-bytes":
        where, damage = argument
        cut = int(len(data) * where)
        facts_file.write_bytes(data[:cut] + damage + data[cut:])


@settings(SETTINGS, max_examples=40)  # most mutations fail validation quickly
@given(mutation=mutations())
def test_mutated_registries_build_or_fail_cleanly(workdir: Path, mutation: tuple[dict[str, Any], str, Any]) -> None:
    registry, kind, argument = mutation
    project = _fresh(workdir)
    try:
        _mutate(project, registry, kind, argument)
    except UnicodeEncodeError:  # a lone surrogate cannot even be written as UTF-8
        return
    try:
        with _no_warning_check():
            _build(project)
    except BriefgenError as error:
        assert error.problems and all(str(problem) for problem in error.problems)
    assert not list(project.rglob("*.tmp"))
