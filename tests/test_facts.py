"""Tests for briefgen.registry.loader: loading, every validation problem (with file and line), warnings, queries.

Each error test copies the valid scenario registry (tests/projects/registry-valid)
to a temporary folder and adds one file with a mistake, so the expected
``file:line`` is known exactly.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest

from briefgen.errors import FactsError, Severity, UsageError
from briefgen.registry.loader import Registry, load_registry
from briefgen.registry.records import FactKind

SCENARIO = Path(__file__).parent / "projects" / "registry-valid"
AS_OF = "2026-02-01"

# A valid fact: line 1 'facts:', 2 id, 3 statement, 4 kind, 5 date, 6 topics, 7 actors,
# 8 sources, 9 '- source', 10 locator, 11 quote.
GOOD = """\
facts:
  - id: new-fact
    statement: Belarus and China marked an anniversary.
    kind: event
    date: 2015-07-01
    topics: [diplomacy]
    actors: [belarus, china]
    sources:
      - source: wiki-by-cn
        locator: History
        quote: Diplomatic relations were established on 20 January 1992.
"""


@pytest.fixture()
def registry_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "facts"
    shutil.copytree(SCENARIO, folder)
    return folder


def load(folder: Path, as_of: str = AS_OF) -> Registry:
    return load_registry(folder, as_of=as_of, cache=False)


def problems(folder: Path) -> list[str]:
    with pytest.raises(FactsError) as caught:
        load(folder)
    return [str(problem) for problem in caught.value.problems]


def with_bad_file(folder: Path, text: str | bytes, name: str = "bad.yaml") -> list[str]:
    path = folder / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    return problems(folder)


def test_the_scenario_registry_is_valid() -> None:
    registry = load(SCENARIO)
    assert len(registry.facts) == 9 and len(registry.sources) == 2
    assert registry.as_of == dt.date(2026, 2, 1)
    assert registry.root == SCENARIO


def test_a_valid_added_file_loads(registry_dir: Path) -> None:
    (registry_dir / "more.yaml").write_text(GOOD)
    assert load(registry_dir).fact("new-fact").date.text == "2015-07-01"  # type: ignore[union-attr]


# --- one mistake each: the message names the file and the line ----------------------------

CASES = {
    "tab indentation": ("    kind: event\n", "\tkind: event\n", 4, "YAML syntax error", "indent with spaces, not tabs"),
    "unclosed quote": ("statement: Belarus", 'statement: "Belarus', 3, "unclosed quotation mark", "never closed"),
    "unknown key": ("statement:", "statment:", 3, "unknown key 'statment' in a fact", "did you mean 'statement'?"),
    "missing required field": ("    statement: Belarus and China marked an anniversary.\n", "", 2, "fact has no 'statement'", "add 'statement: ...'"),
    "wrong type": ("topics: [diplomacy]", "topics: diplomacy", 6, "fact topics: must be a list, not a single value", None),
    "unknown fact kind": ("kind: event", "kind: evnt", 4, "fact kind: 'evnt' is not one of event, stance", "did you mean 'event'?"),
    "id with a space": ("id: new-fact", "id: new fact", 2, "fact id: 'new fact' is not a valid id", "write 'new-fact'"),
    "unicode look-alike id": ("id: new-fact", "id: nеw-fact", 2, "is not a valid id", "CYRILLIC SMALL LETTER IE"),
    "upper-case id": ("id: new-fact", "id: New-Fact", 2, "is not a valid id", "lower case"),
    "bad date": ("date: 2015-07-01", "date: 2015-13-40", 5, "fact date: '2015-13-40' has month 13", None),
    "impossible day": ("date: 2015-07-01", "date: 2015-02-30", 5, "that month has 28 days", None),
    "range ending before it starts": ("date: 2015-07-01", "date: 2019/1995", 5, "ends before it starts", None),
    "event without a date": ("    date: 2015-07-01\n", "", 2, "a event fact has no 'date'", None),
    "stance with no holder": ("kind: event", "kind: stance\n    issue: Trade\n    position: supports", 2, "a stance fact has no 'holder'", "add 'holder: ...'"),
    "figure with no unit": ("kind: event", "kind: figure\n    metric: trade\n    value: 5\n    as_of: 2024", 2, "a figure fact has no 'unit'", None),
    "kind-specific key on another kind": ("kind: event", "kind: event\n    unit: USD", 2, "'unit' is only for figure facts, not event", None),
    "figure value not a number": ("kind: event", "kind: figure\n    metric: trade\n    value: lots\n    unit: USD\n    as_of: 2024", 6, "fact value: 'lots' is not a number", None),
    "bad priority": ("    kind: event\n", "    kind: event\n    priority: high\n", 5, "fact priority: 'high' is not a priority", None),
    "no sources": ("    sources:\n      - source: wiki-by-cn\n        locator: History\n        quote: Diplomatic relations were established on 20 January 1992.\n", "", 2, "a fact has no sources", "derived_from"),
    "empty sources": ("    sources:\n      - source: wiki-by-cn\n        locator: History\n        quote: Diplomatic relations were established on 20 January 1992.\n", "    sources: []\n", 2, "a fact has no sources", None),
    "citation without a locator": ("        locator: History\n", "", 9, "citation has no 'locator'", None),
    "control character": ("statement: Belarus and China marked an anniversary.", 'statement: "Belarus\\a and China."', 3, "contains the control character U+0007", None),
    "statement too long": ("statement: Belarus and China marked an anniversary.", "statement: " + "word " * 130, 3, "characters long (at most 600)", "split it into two facts"),
    "duplicate key": ("    kind: event\n", "    kind: event\n    kind: stance\n", 5, "key 'kind' is written twice in one mapping: on line 4 and here", None),
    "derived without reasoning": ("    sources:\n      - source: wiki-by-cn\n        locator: History\n        quote: Diplomatic relations were established on 20 January 1992.\n", "    derived_from: [relations-established]\n", 2, "a fact with 'derived_from' or 'reasoning' needs both", "add 'reasoning: ...'"),
    "conflict without a note": ("    kind: event\n", "    kind: event\n    conflicts_with: [trade-2024]\n", 2, "needs both", "add 'conflict_note: ...'"),
    "dangling source id": ("source: wiki-by-cn", "source: wiki-by-cm", 9, "'source' names an unknown source 'wiki-by-cm'", "did you mean 'wiki-by-cn'?"),
    "dangling entity id": ("actors: [belarus, china]", "actors: [belarus, chima]", 7, "'actors' names an unknown entity 'chima'", "did you mean 'china'?"),
    "dangling topic id": ("topics: [diplomacy]", "topics: [diplomcy]", 6, "'topics' names an unknown topic 'diplomcy'", "did you mean 'diplomacy'?"),
    "reference to the wrong kind of id": ("actors: [belarus, china]", "actors: [belarus, trade-2024]", 7, "'trade-2024', which is a fact, not an entity", None),
    "dangling fact id": ("    kind: event\n", "    kind: event\n    superseded_by: trade-2042\n", 5, "'superseded_by' names an unknown fact 'trade-2042'", "did you mean 'trade-2024'?"),
    "quote absent from the archive": ("quote: Diplomatic relations were established", "quote: Diplomatic relations were broken", 9, "the quote is not in the archived text", "Diplomatic relations were ▶established on"),
    "unknown section": ("facts:", "fact:", 1, "unknown section 'fact'", "did you mean 'facts'?"),
    "entry not a mapping": ("  - id: new-fact\n", "  - new-fact\n  - id: new-fact\n", 2, "each fact must be a mapping of keys, not a single value", None),
}


@pytest.mark.parametrize(("old", "new", "line", "message", "hint"), CASES.values(), ids=CASES.keys())
def test_each_mistake_names_file_and_line(registry_dir: Path, old: str, new: str, line: int, message: str, hint: str | None) -> None:
    assert old in GOOD
    reported = with_bad_file(registry_dir, GOOD.replace(old, new, 1))
    matching = [text for text in reported if message in text]
    assert matching, reported
    assert matching[0].startswith(f"{registry_dir / 'bad.yaml'}:{line}: "), matching[0]
    if hint:
        assert hint in matching[0]


def test_a_byte_order_mark_is_accepted(registry_dir: Path) -> None:
    (registry_dir / "more.yaml").write_bytes(b"\xef\xbb\xbf" + GOOD.encode())
    assert load(registry_dir).fact("new-fact")


def test_a_binary_file_named_yaml(registry_dir: Path) -> None:
    reported = with_bad_file(registry_dir, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert reported == [f"{registry_dir / 'bad.yaml'}: not a text file (it holds binary data) (save it as UTF-8 YAML text)"]


def test_a_file_that_is_not_utf8(registry_dir: Path) -> None:
    reported = with_bad_file(registry_dir, GOOD.replace("anniversary", "anniversaire é").encode("latin-1"))
    assert reported == [f"{registry_dir / 'bad.yaml'}:3: not UTF-8 text (byte 0xe9) (save the file as UTF-8)"]


def test_a_raw_control_character_is_a_syntax_error(registry_dir: Path) -> None:
    reported = with_bad_file(registry_dir, GOOD.replace("marked", "mar\x07ked"))
    assert reported[0].startswith(f"{registry_dir / 'bad.yaml'}:3: YAML syntax error")
    assert "U+0007" in reported[0]


def test_a_duplicate_id_in_two_files_names_both_places(registry_dir: Path) -> None:
    reported = with_bad_file(registry_dir, GOOD.replace("id: new-fact", "id: trade-2024"), name="more.yaml")
    assert reported == [
        f"{registry_dir / 'more.yaml'}:2: duplicate id 'trade-2024': also a fact at {registry_dir / 'facts.yaml'}:59"
        " (ids are unique across the registry; rename one)"
    ]


def test_sources_facts_and_entities_share_one_namespace(registry_dir: Path) -> None:
    reported = with_bad_file(registry_dir, GOOD.replace("id: new-fact", "id: china"), name="zz.yaml")
    assert reported[0].startswith(f"{registry_dir / 'zz.yaml'}:2: duplicate id 'china': also an entity at {registry_dir / 'sources.yaml'}:")


def test_an_archive_outside_the_registry_folder(registry_dir: Path) -> None:
    (registry_dir.parent / "outside.txt").write_text("text")
    text = "sources:\n  - id: leak\n    title: Leak\n    kind: web\n    archive: ../outside.txt\n"
    reported = with_bad_file(registry_dir, text)
    assert reported == [
        f"{registry_dir / 'bad.yaml'}:5: source archive: '../outside.txt' points outside the registry folder"
        " (keep archived texts inside it, e.g. sources/)"
    ]


def test_a_missing_archive(registry_dir: Path) -> None:
    reported = with_bad_file(registry_dir, "sources:\n  - id: gone\n    title: Gone\n    kind: web\n    archive: sources/gone.txt\n")
    assert reported[0].startswith(f"{registry_dir / 'bad.yaml'}:5: source archive: 'sources/gone.txt' does not exist")


def test_quotes_ignore_white_space_case_quote_marks_and_dashes(registry_dir: Path) -> None:
    quote = 'quote: "china \\"FIRMLY   supports\\" belarus\'s sovereignty – officials said"'
    (registry_dir / "more.yaml").write_text(GOOD.replace("quote: Diplomatic relations were established on 20 January 1992.", quote))
    assert load(registry_dir).fact("new-fact")


@pytest.mark.parametrize(
    ("key", "first", "second"),
    [
        ("superseded_by", "superseded_by: fact-b", "superseded_by: new-fact"),
        ("derived_from", "derived_from: [fact-b]\n    reasoning: It follows.", "derived_from: [new-fact]\n    reasoning: It follows."),
    ],
)
def test_cycles_are_reported_once(registry_dir: Path, key: str, first: str, second: str) -> None:
    (registry_dir / "a.yaml").write_text(GOOD.replace("    sources:", f"    {first}\n    sources:"))
    other = GOOD.replace("id: new-fact", "id: fact-b").replace("    sources:", f"    {second}\n    sources:")
    reported = with_bad_file(registry_dir, other)
    assert len(reported) == 1, reported
    assert reported[0] == (
        f"{registry_dir / 'a.yaml'}:8: {key} goes round in a cycle: 'new-fact' → 'fact-b' → 'new-fact' (break the cycle)"
    )


def test_a_fact_superseding_itself_is_a_cycle(registry_dir: Path) -> None:
    reported = with_bad_file(registry_dir, GOOD.replace("    sources:", "    superseded_by: new-fact\n    sources:"))
    assert any("'new-fact' → 'new-fact'" in text for text in reported)


def test_every_problem_is_reported_together(registry_dir: Path) -> None:
    text = GOOD.replace("date: 2015-07-01", "date: 2015-13-40").replace("source: wiki-by-cn", "source: nowhere")
    (registry_dir / "other.yaml").write_text(GOOD.replace("new-fact", "third").replace("kind: event", "kind: evnt"))
    reported = with_bad_file(registry_dir, text)
    assert len(reported) == 3, reported
    assert [line.split(": ")[0] for line in reported] == [
        f"{registry_dir / 'bad.yaml'}:5",
        f"{registry_dir / 'bad.yaml'}:9",
        f"{registry_dir / 'other.yaml'}:4",
    ]


def test_an_empty_registry_folder(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("not yaml")
    with pytest.raises(FactsError, match="has no .yaml files"):
        load(tmp_path)


def test_a_registry_path_that_does_not_exist(tmp_path: Path) -> None:
    with pytest.raises(FactsError, match="does not exist"):
        load(tmp_path / "nowhere")


def test_a_registry_path_that_is_a_file(tmp_path: Path) -> None:
    (tmp_path / "facts.yaml").write_text(GOOD)
    with pytest.raises(FactsError, match="is a file, not a folder"):
        load(tmp_path / "facts.yaml")


def test_a_bad_as_of_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="not a day"):
        load(SCENARIO, as_of="last week")


def test_empty_files_and_yml_files_are_read(registry_dir: Path) -> None:
    (registry_dir / "empty.yaml").write_text("")
    (registry_dir / "more.yml").write_text(GOOD)
    assert load(registry_dir).fact("new-fact")


# --- warnings ------------------------------------------------------------------------------


def test_staleness_warnings_depend_on_the_as_of_day() -> None:
    late = load(SCENARIO, as_of="2026-02-01").warnings
    assert [w.severity for w in late] == [Severity.WARNING, Severity.WARNING]
    assert [str(w).split(": ", 1)[0] for w in late] == [f"{SCENARIO / 'facts.yaml'}:45", f"{SCENARIO / 'facts.yaml'}:73"]
    assert "superseded by 'trade-2024'" in late[0].message
    assert "past its valid_until (2025)" in late[1].message
    assert load(SCENARIO, as_of="2023-06-01").warnings == ()
    assert [w.message.split(" is ")[0] for w in load(SCENARIO, as_of="2024-06-01").warnings] == ["fact 'trade-2020'"]


# --- queries ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def registry() -> Registry:
    return load(SCENARIO)


def ids(facts: tuple[object, ...]) -> list[str]:
    return [fact.id for fact in facts]  # type: ignore[attr-defined]


def test_single_records_and_did_you_mean(registry: Registry) -> None:
    assert registry.fact("trade-2024").value == 5800000000
    assert registry.fact("trade-2020").value == 4.1e9
    assert registry.source("wiki-by-cn").note_title == "Belarus–China relations (Wikipedia)"
    assert registry.topic("trade").label == "Trade and economy"
    assert registry.entity_label("belarus", "zh") == "白俄罗斯"
    assert registry.entity_label("bssr", "ru") == "Byelorussian SSR"
    with pytest.raises(FactsError, match=r"unknown fact 'trade-2042' \(did you mean 'trade-2024'\?\)"):
        registry.fact("trade-2042")
    with pytest.raises(FactsError, match="unknown source 'wiki'"):
        registry.source("wiki")


def test_select_by_kind_topic_actor_and_period(registry: Registry) -> None:
    assert ids(registry.facts_by_kind("figure")) == ["trade-2020", "trade-2024"]
    assert ids(registry.facts_by_kind(FactKind.QUOTE)) == ["ambassador-quote"]
    assert ids(registry.facts_by_topic("trade")) == ["trade-2020", "trade-2024"]
    assert ids(registry.facts_by_actor("song-yanping")) == ["anniversary-reception", "charge-title", "ambassador-quote"]
    assert ids(registry.facts_in_period("1990", "1999")) == ["relations-established", "relations-established-derived"]
    assert ids(registry.facts_in_period(start="2025-06")) == ["anniversary-reception", "china-supports-sovereignty"]
    assert ids(registry.facts_in_period(end=dt.date(1950, 1, 1))) == ["bssr-recognises-prc"]
    assert ids(registry.select(topic="diplomacy", kind="event", actor="china")) == [
        "bssr-recognises-prc",
        "relations-established",
        "relations-established-derived",
    ]


@pytest.mark.parametrize(
    ("filters", "message"),
    [
        ({"kind": "figur"}, "unknown fact kind 'figur' (did you mean 'figure'?)"),
        ({"topic": "trad"}, "unknown topic 'trad' (did you mean 'trade'?)"),
        ({"actor": "belarrus"}, "unknown entity 'belarrus' (did you mean 'belarus'?)"),
        ({"start": "2015-13"}, "bad period bound"),
    ],
)
def test_select_rejects_unknown_filters(registry: Registry, filters: dict[str, str], message: str) -> None:
    with pytest.raises(FactsError) as caught:
        registry.select(**filters)  # type: ignore[arg-type]
    assert message in str(caught.value)


def test_chronological_puts_undated_facts_last(registry: Registry) -> None:
    assert ids(registry.chronological()) == [
        "bssr-recognises-prc",
        "relations-established",
        "relations-established-derived",
        "trade-2020",
        "trade-2024",
        "china-supports-sovereignty",
        "anniversary-reception",
        "charge-title",
        "ambassador-quote",
    ]
    assert ids(registry.chronological(registry.facts_by_kind("figure")[::-1])) == ["trade-2020", "trade-2024"]


def test_stances_grouped_by_holder_then_issue(registry: Registry) -> None:
    groups = registry.stances_by_holder()
    assert [(holder, [(issue, ids(facts)) for issue, facts in issues]) for holder, issues in groups] == [
        ("china", [("Sovereignty of Belarus", ["china-supports-sovereignty"])])
    ]
    assert registry.stances_by_holder(registry.facts_by_kind("event")) == ()


def test_latest_figure_as_of_a_day(registry: Registry) -> None:
    assert registry.metrics() == ("bilateral-trade",)
    assert registry.latest_figure("bilateral-trade").id == "trade-2024"  # type: ignore[union-attr]
    assert registry.latest_figure("bilateral-trade", dt.date(2021, 1, 1)).id == "trade-2020"  # type: ignore[union-attr]
    assert registry.latest_figure("bilateral-trade", dt.date(2019, 1, 1)) is None
    with pytest.raises(FactsError, match="did you mean 'bilateral-trade'"):
        registry.latest_figure("bilateral-trad")


def test_sources_in_order_of_first_citation(registry: Registry) -> None:
    assert [s.id for s in registry.sources_cited(["charge-title", "trade-2024", "bssr-recognises-prc"])] == ["news-embassy", "wiki-by-cn"]
    # a derived fact cites the sources of the facts it follows from
    assert [s.id for s in registry.sources_cited(["relations-established-derived"])] == ["news-embassy"]


def test_records_keep_their_origin_and_dates(registry: Registry) -> None:
    fact = registry.fact("anniversary-reception")
    assert (fact.origin.file, fact.origin.line) == (SCENARIO / "facts.yaml", 35)
    assert fact.sources[0].origin.line == 42
    assert fact.when is not None and fact.when.text == "2026-01-20"
    assert registry.fact("trade-2020").when.text == "2020"  # type: ignore[union-attr]


def test_content_hash_is_stable_and_covers_archives(registry_dir: Path) -> None:
    first = load(registry_dir).content_hash
    assert load(registry_dir).content_hash == first
    archive = registry_dir / "sources" / "wiki-by-cn.txt"
    archive.write_text(archive.read_text() + "\nMore text.\n")
    assert load(registry_dir).content_hash != first


def test_the_shipped_registry_is_valid_if_present() -> None:
    shipped = Path(__file__).parent.parent / "facts"
    if not any(shipped.glob("**/*.yaml")):
        pytest.skip("the shipped facts/ registry is not there yet")
    registry = load(shipped)
    assert registry.facts


# --- every citation, compared after NFC; bidirectional controls; files that are not files ------------

# GOOD with three citations: the second at line 12 (quote 14), the third at line 15 (quote 17).
THREE_CITATIONS = GOOD + """\
      - source: news-embassy
        locator: para. 1
        quote: {second}
      - source: wiki-by-cn
        locator: History
        quote: {third}
"""
RIGHT = "Chargé d'Affaires Song Yanping spoke."


@pytest.mark.parametrize(("second", "third", "lines"), [
    (RIGHT, "Diplomatic relations were established in 1992.", [15]),
    ("Chargé d'Affaires Song Yanping sang.", "Diplomatic relations were established on 20 January 1992.", [12]),
    ("Chargé d'Affaires Song Yanping sang.", "Diplomatic relations were established in 1992.", [12, 15]),
])
def test_every_citation_of_a_fact_is_checked_not_only_the_first(registry_dir: Path, second: str, third: str, lines: list[int]) -> None:
    reported = with_bad_file(registry_dir, THREE_CITATIONS.format(second=second, third=third))
    assert [int(text.split(":")[1]) for text in reported] == lines
    assert all("the quote is not in the archived text" in text for text in reported)


def test_quotes_and_archives_are_compared_after_nfc(registry_dir: Path) -> None:
    decomposed = RIGHT.replace("é", "e\u0301")
    (registry_dir / "more.yaml").write_text(THREE_CITATIONS.format(second=f'"{decomposed}"', third=RIGHT.replace("Chargé", "CHARGÉ")), encoding="utf-8")
    reported = problems(registry_dir)
    assert len(reported) == 1 and ":15:" in reported[0]  # only the third: its source is the other archive
    archive = registry_dir / "sources/news-embassy.txt"
    archive.write_text(archive.read_text(encoding="utf-8").replace("é", "e\u0301"), encoding="utf-8")  # a decomposed archive
    (registry_dir / "more.yaml").write_text(THREE_CITATIONS.format(second=RIGHT, third="Diplomatic relations were established"), encoding="utf-8")
    assert load(registry_dir).fact("new-fact").sources[1].quote == RIGHT


@pytest.mark.parametrize(("quote", "passage"), [
    ("Chargé d'Affaires Song Yanping sang.", "…y 2026, Chargé d'Affaires Song Yanping s▶poke. The ambassador said China’s positi…"),
    ("Charge\u0301 d'Affaires Song Yanping spoke loudly.", "…26, Chargé d'Affaires Song Yanping spoke▶. The ambassador said China’s position i…"),
    ("the ambassador said China's position is consistent, and more", "…ador said China’s position is consistent▶."),
])
def test_a_failing_quote_shows_the_closest_passage_with_the_first_difference(registry_dir: Path, quote: str, passage: str) -> None:
    reported = with_bad_file(registry_dir, THREE_CITATIONS.format(second=f'"{quote}"', third="Diplomatic relations were established"))
    assert len(reported) == 1 and f'▶ at the first difference: "{passage}"' in reported[0]


def test_a_quote_like_nothing_in_the_archive_asks_for_an_exact_copy(registry_dir: Path) -> None:
    reported = with_bad_file(registry_dir, THREE_CITATIONS.format(second="Completely unrelated words", third="Diplomatic relations"))
    assert "copy the passage exactly" in reported[0] and "▶" not in reported[0]


@pytest.mark.parametrize("char", ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"])
def test_bidirectional_controls_are_errors_naming_the_entry(registry_dir: Path, char: str) -> None:
    text = GOOD.replace("marked an anniversary", f"marked {char}an anniversary") + f'entities:\n  - id: odd\n    kind: person\n    name: {{en: "A{char}B"}}\n'
    reported = with_bad_file(registry_dir, text)
    assert [text.split(": ", 1)[1].split(" contains")[0] for text in reported] == ["fact statement: 'new-fact'", "entity name: 'odd'"]
    assert f"U+{ord(char):04X}" in reported[0] and ":3:" in reported[0]


def test_directional_marks_in_right_to_left_names_stay(registry_dir: Path) -> None:
    (registry_dir / "more.yaml").write_text('entities:\n  - id: name-he\n    kind: person\n    name: {en: "Name", he: "\u05e9\u05dd\u200f (1)"}\n', encoding="utf-8")
    assert load(registry_dir).entity("name-he").label("he") == "\u05e9\u05dd\u200f (1)"


def test_files_in_the_registry_that_cannot_be_read_as_files_are_errors(registry_dir: Path, tmp_path: Path) -> None:
    (tmp_path / "outside.yaml").write_text("facts: []\n", encoding="utf-8")
    (registry_dir / "dangling.yaml").symlink_to("nowhere.yaml")
    (registry_dir / "outside.yml").symlink_to(tmp_path / "outside.yaml")
    os.mkfifo(registry_dir / "pipe.yaml")
    (registry_dir / "folder.yaml").mkdir()  # a folder so named is only searched
    (registry_dir / "inside.yaml").symlink_to(registry_dir / "facts.yaml")  # a link inside the folder is read ...
    reported = problems(registry_dir)
    assert reported == [
        f"{registry_dir / 'dangling.yaml'}: 'dangling.yaml' is a symbolic link to nothing ({FILE_HINT})",
        f"{registry_dir / 'outside.yml'}: 'outside.yml' points outside the registry folder ({FILE_HINT})",
        f"{registry_dir / 'pipe.yaml'}: 'pipe.yaml' is a FIFO (named pipe), not a regular file ({FILE_HINT})",
    ]
    for name in ("dangling.yaml", "outside.yml", "pipe.yaml"):
        (registry_dir / name).unlink()
    assert "duplicate id 'bssr-recognises-prc'" in problems(registry_dir)[0]  # ... and so holds the same ids twice


FILE_HINT = "a registry file is a regular YAML file inside the registry folder; move or remove it"


@pytest.mark.parametrize(("valid_until", "last_day", "first_day_after"), [
    ("2025", "2025-12-31", "2026-01-01"),
    ("2025-06", "2025-06-30", "2025-07-01"),
    ("2024-02", "2024-02-29", "2024-03-01"),
    ("2025-03-15", "2025-03-15", "2025-03-16"),
])
def test_valid_until_includes_its_last_day(registry_dir: Path, valid_until: str, last_day: str, first_day_after: str) -> None:
    (registry_dir / "facts.yaml").write_text(
        (registry_dir / "facts.yaml").read_text(encoding="utf-8").replace("    valid_until: 2025\n", f"    valid_until: {valid_until}\n"), encoding="utf-8"
    )
    def stale(day: str) -> list[str]:
        return [w.message.split(" is ")[0] for w in load(registry_dir, as_of=day).warnings if "valid_until" in w.message]
    assert stale(last_day) == []
    assert stale(first_day_after) == ["fact 'china-supports-sovereignty'"]


def test_a_period_includes_its_first_and_last_days(registry: Registry) -> None:
    assert ids(registry.facts_in_period("1992-01-20", "1992-01-20")) == ["relations-established", "relations-established-derived"]
    assert ids(registry.facts_in_period("1949-10-02", "1949-10-02")) == ["bssr-recognises-prc"]
    assert ids(registry.facts_in_period("1949-10-03", "1992-01-19")) == []
    assert ids(registry.facts_in_period(end="1949-10-01")) == []
    assert ids(registry.facts_in_period(start="2026-01-20")) == ["anniversary-reception"]
    assert ids(registry.facts_in_period(start="2026-01-21")) == []
