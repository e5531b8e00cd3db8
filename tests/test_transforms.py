"""Tests for briefgen.transforms.citations: citation checks, note numbers and texts, the Sources list."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefgen.registry.dates import parse_date
from briefgen.errors import RenderError
from briefgen.model import (
    Box,
    BulletList,
    Cite,
    Document,
    Emph,
    Heading,
    Link,
    ListItem,
    Meta,
    Note,
    Paragraph,
    SourceEntry,
    SourceList,
    Table,
    Text,
    Timeline,
    TimelineEntry,
)
from briefgen.markdown.reader import read_document
from briefgen.registry.records import Citation, Fact, FactKind, Origin, Source
from briefgen.transforms.citations import add_source_list, check_citations, ibid_notes, number_notes, readable_url

ORIGIN = Origin(Path("facts/test.yaml"), 1)


def source(id: str, title: str, **fields: object) -> Source:
    return Source(id=id, title=title, kind="article", origin=ORIGIN, **fields)


def fact(id: str, *citations: tuple[str, str], **fields: object) -> Fact:
    cited = tuple(Citation(source, locator, "quote", ORIGIN) for source, locator in citations)
    return Fact(id=id, statement=f"Statement {id}.", kind=FactKind.EVENT, origin=ORIGIN, sources=cited, **fields)


SOURCES = {
    item.id: item
    for item in (
        source("wiki", "Belarus–China relations", short_title="Belarus–China relations (Wikipedia)"),
        source("xinhua", "Xi meets Lukashenko", publisher="Xinhua"),
        source("mfa", "Bilateral relations"),
    )
}
FACTS = {
    item.id: item
    for item in (
        fact("recognition", ("wiki", "History, para. 1")),
        fact("visit", ("xinhua", "para. 2"), ("wiki", "History, para. 3")),
        fact("trade", ("mfa", "")),
        fact("established", ("wiki", "Diplomatic relations, para. 1")),
        fact(
            "anniversary-1992",
            derived_from=("anniversary", "visit"),
            reasoning="the 34th anniversary in January 2026 puts the start in January 1992",
        ),
        fact("anniversary", ("xinhua", "para. 5")),
        fact("chain", derived_from=("anniversary-1992",), reasoning="follows from the derived date"),
        fact(
            "ambassador",
            ("xinhua", "para. 7"),
            conflicts_with=("charge",),
            conflict_note="'the ambassador' here, 'Chargé d'Affaires' in the same report",
        ),
    )
}


def document(markdown: str, language: str = "en") -> Document:
    return read_document(markdown, Meta(title="Brief", language=language))


def notes_of(markdown: str, language: str = "en") -> dict[int, str]:
    doc = number_notes(document(markdown, language), FACTS, SOURCES)
    return {note.number: note.children[0].text for note in doc.notes}


def cites_of(doc: Document) -> list[Cite]:
    return [inline for block in doc.blocks for inline in block.children if isinstance(inline, Cite)]


# --- check_citations --------------------------------------------------------------


def test_known_citations_pass() -> None:
    check_citations(document("A [@visit; @trade].\n\n- b [@recognition]"), FACTS)


def test_unknown_citation_names_line_and_suggests() -> None:
    with pytest.raises(RenderError) as caught:
        check_citations(document("Fine [@visit].\n\nTypo [@vist]."), FACTS, source_name="brief.md")
    (problem,) = caught.value.problems
    assert (problem.file, problem.line) == ("brief.md", 3)
    assert "'vist'" in problem.message and problem.hint == "did you mean 'visit'?"


def test_every_unknown_citation_is_reported_even_deep_inside() -> None:
    markdown = "::: keyfacts\n- [@nothing-like-it]\n:::\n\n| a |\n|---|\n| [@tarde] |\n\n::: timeline\n1992\n: [@zzz]\n:::"
    with pytest.raises(RenderError) as caught:
        check_citations(document(markdown), FACTS)
    assert [(p.line, p.hint) for p in caught.value.problems] == [
        (2, "no fact has this id: `briefgen list facts` shows them"),
        (7, "did you mean 'trade'?"),
        (11, "no fact has this id: `briefgen list facts` shows them"),
    ]


# --- number_notes -----------------------------------------------------------------


def test_notes_are_numbered_in_order_of_first_use_and_reused() -> None:
    doc = number_notes(document("A [@visit].\n\nB [@trade; @visit].\n\nC [@recognition] [@trade]."), FACTS, SOURCES)
    assert [cite.notes for cite in cites_of(doc)] == [(1,), (2, 1), (3,), (2,)]
    assert [(note.number, note.fact_id) for note in doc.notes] == [(1, "visit"), (2, "trade"), (3, "recognition")]


def test_numbering_follows_reading_order_through_every_block() -> None:
    markdown = (
        "# Heading [@trade]\n\n::: keyfacts\n- [@visit]\n:::\n\n"
        "| a | b |\n|---|---|\n| [@recognition] | [@trade] |\n\n::: timeline\n1992\n: [@established]\n:::"
    )
    doc = number_notes(document(markdown), FACTS, SOURCES)
    assert [note.fact_id for note in doc.notes] == ["trade", "visit", "recognition", "established"]
    box, table, timeline = doc.blocks[1], doc.blocks[2], doc.blocks[3]
    assert isinstance(box, Box) and isinstance(table, Table) and isinstance(timeline, Timeline)
    assert box.children[0] == BulletList((ListItem((Cite(("visit",), (2,), line=4),)),))
    assert table.rows[0][1] == (Cite(("trade",), (1,), line=9),)
    assert timeline.rows[0] == TimelineEntry("1992", (Cite(("established",), (4,), line=13),))


def test_note_gives_short_title_and_locator_for_each_citation() -> None:
    assert notes_of("[@visit] [@recognition] [@trade]") == {
        1: "Xi meets Lukashenko, para. 2; Belarus–China relations (Wikipedia), History, para. 3",
        2: "Belarus–China relations (Wikipedia), History, para. 1",
        3: "Bilateral relations",
    }


def test_derived_note_shows_its_derivation_from_the_base_facts_sources() -> None:
    assert notes_of("[@anniversary-1992]") == {
        1: "Derived from Xi meets Lukashenko, para. 5; Xi meets Lukashenko, para. 2; "
        "Belarus–China relations (Wikipedia), History, para. 3: "
        "the 34th anniversary in January 2026 puts the start in January 1992"
    }


def test_derivation_chains_reach_the_sources_at_the_bottom() -> None:
    assert notes_of("[@chain]")[1].startswith("Derived from Xi meets Lukashenko, para. 5; Xi meets Lukashenko, para. 2;")


def test_conflicting_fact_adds_the_conflict_note() -> None:
    assert notes_of("[@ambassador]") == {
        1: "Xi meets Lukashenko, para. 7. Sources disagree: 'the ambassador' here, 'Chargé d'Affaires' in the same report"
    }


def test_note_labels_follow_the_document_language() -> None:
    assert notes_of("[@ambassador]", language="ru")[1].startswith("Xi meets Lukashenko, para. 7. Источники расходятся: ")
    assert notes_of("[@anniversary-1992]", language="ru")[1].startswith("Выведено из ")


def test_document_without_citations_has_no_notes() -> None:
    doc = document("Nothing cited.")
    assert number_notes(doc, FACTS, SOURCES) == doc


# --- add_source_list ----------------------------------------------------------------


def test_sources_listed_once_in_order_of_first_citation() -> None:
    doc = add_source_list(document("[@trade]\n\n[@visit]\n\n[@recognition] [@trade]"), FACTS, SOURCES)
    heading, source_list = doc.blocks[-2:]
    assert heading == Heading(1, (Text("Sources"),))
    assert isinstance(source_list, SourceList)
    assert [entry.source_id for entry in source_list.entries] == ["mfa", "xinhua", "wiki"]


def test_derived_facts_contribute_their_base_facts_sources() -> None:
    doc = add_source_list(document("[@chain]"), FACTS, SOURCES)
    assert [entry.source_id for entry in doc.blocks[-1].entries] == ["xinhua", "wiki"]


def test_source_entry_has_only_the_parts_the_source_has() -> None:
    doc = add_source_list(document("[@visit]"), FACTS, SOURCES)
    assert doc.blocks[-1].entries == (
        SourceEntry("xinhua", (Emph((Text("Xi meets Lukashenko"),)), Text(", Xinhua"))),
        SourceEntry("wiki", (Emph((Text("Belarus–China relations"),)),)),
    )


def test_full_source_entry_with_dates_and_link() -> None:
    full = source(
        "full",
        "Belarus–China relations",
        author="Wikipedia contributors",
        publisher="Wikipedia",
        date=parse_date("2026-01"),
        url="https://en.wikipedia.org/wiki/Belarus%E2%80%93China_relations",
        accessed=parse_date("2026-11-23"),
    )
    facts = {"f": fact("f", ("full", "History"))}
    doc = add_source_list(document("[@f]"), facts, {"full": full})
    assert doc.blocks[-1] == SourceList(
        (
            SourceEntry(
                "full",
                (
                    Emph((Text("Belarus–China relations"),)),
                    Text(", Wikipedia contributors, Wikipedia, January 2026, "),
                    Link(full.url, (Text("https://en.wikipedia.org/wiki/Belarus–China_relations"),)),  # shown decoded, linked as written
                    Text(", accessed 23 November 2026"),
                ),
            ),
        )
    )
    ru = add_source_list(document("[@f]", language="ru"), facts, {"full": full})
    assert ru.blocks[-2] == Heading(1, (Text("Источники"),))
    assert ru.blocks[-1].entries[0].children[-1] == Text(", дата обращения: 23 ноября 2026\u00a0г.")


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("https://en.wikipedia.org/wiki/Belarus%E2%80%93China_relations", "https://en.wikipedia.org/wiki/Belarus–China_relations"),
        ("https://example.org/%D0%91%D0%B5%D0%BB", "https://example.org/Бел"),
        ("https://example.org/a%20b", "https://example.org/a%20b"),  # a space would break the URL in two
        ("https://example.org/a%2Fb", "https://example.org/a%2Fb"),  # an escaped / is not a path separator
        ("https://example.org/100%25", "https://example.org/100%25"),
        ("https://example.org/%FF", "https://example.org/%FF"),  # not UTF-8
        ("https://example.org/plain", "https://example.org/plain"),
    ],
)
def test_urls_are_shown_decoded_where_that_keeps_them_the_same_url(url: str, shown: str) -> None:
    assert readable_url(url) == shown


def test_source_list_without_url_ends_with_the_accessed_date() -> None:
    dated = source("d", "Report", accessed=parse_date("2025-02-03"))
    doc = add_source_list(document("[@f]"), {"f": fact("f", ("d", "p. 4"))}, {"d": dated})
    assert doc.blocks[-1].entries[0].children == (Emph((Text("Report"),)), Text(", accessed 3 February 2025"))


def test_no_citations_no_sources_section() -> None:
    doc = document("Nothing cited.")
    assert add_source_list(doc, FACTS, SOURCES) == doc


def test_transforms_compose_and_keep_notes() -> None:
    doc = add_source_list(number_notes(document("A [@visit]."), FACTS, SOURCES), FACTS, SOURCES)
    assert doc.notes == (
        Note(1, "visit", (Text("Xi meets Lukashenko, para. 2; Belarus–China relations (Wikipedia), History, para. 3"),)),
    )
    assert doc.blocks[0] == Paragraph((Text("A "), Cite(("visit",), (1,), line=1), Text(".")))


@pytest.mark.parametrize(("language", "ibid"), [("en", "Ibid."), ("ru", "Там же."), ("zh", "同上。")])
def test_a_note_that_repeats_the_one_before_it_is_ibid(language: str, ibid: str) -> None:
    facts = {**FACTS, "same": fact("same", ("wiki", "History, para. 1")), "again": fact("again", ("wiki", "History, para. 1"))}
    doc = number_notes(document("A.[@recognition] B.[@same] C.[@trade] D.[@again]", language), facts, SOURCES)
    texts = [note.children[0].text for note in ibid_notes(doc).notes]
    # only a note right after its twin is shortened: the fourth follows a different note
    assert texts[1] == ibid and texts[0] == texts[3] != ibid and texts[2] != ibid
