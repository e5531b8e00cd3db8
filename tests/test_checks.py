"""Tests for briefgen.transforms.checks (the check every writer relies on) and the model's one walk."""

from __future__ import annotations

import pytest

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
    Table,
    Text,
    replace,
    walk,
)
from briefgen.themes import Theme
from briefgen import writers
from briefgen.transforms.checks import check_document, check_markdown

NOTE = (Note(1, "gdp", (Text("Belstat"),)),)


def test_walk_visits_every_node_in_reading_order() -> None:
    doc = Document(Meta("T"), (
        Heading(1, (Text("A"),)),
        Box("keyfacts", (BulletList((ListItem((Text("B"), Cite(("gdp",), (1,)))),)),)),
        Table(header=((Text("C"),),), rows=(((Emph((Text("D"),)),),),), caption=(Text("E"),)),
    ), NOTE)
    texts = [node.text for node in walk(doc) if isinstance(node, Text)]
    assert texts == ["A", "B", "C", "D", "E", "Belstat"]
    assert [type(node).__name__ for node in walk(doc)][:4] == ["Document", "Meta", "Labels", "Heading"]


def test_replace_rebuilds_only_what_it_is_asked_to() -> None:
    doc = Document(Meta("T"), (Paragraph((Text("x"), Link("https://a.org", (Text("a"),)))),))
    shouted = replace(doc, Text, lambda text: Text(text.text.upper()))
    assert [node.text for node in walk(shouted) if isinstance(node, Text)] == ["X", "A"]
    assert [node.url for node in walk(shouted) if isinstance(node, Link)] == ["https://a.org"]
    assert shouted.meta is doc.meta


@pytest.mark.parametrize(
    ("markdown", "line", "words"),
    [("a\n\nb\x07c", 3, "U+0007"), ("a\r\nb\x00", 2, "U+0000"), ("\ud800", 1, "U+D800"), ("a\rb\x1b", 2, "U+001B <Cc>")],
)
def test_markdown_character_names_its_line(markdown: str, line: int, words: str) -> None:
    with pytest.raises(RenderError) as error:
        check_markdown(markdown, "brief.md")
    assert (error.value.problems[0].file, error.value.problems[0].line) == ("brief.md", line)
    assert words in str(error.value)


def test_tab_newline_and_any_printable_text_pass() -> None:
    check_markdown("a\tb\r\nc < & > [@x] \u202e\U0001F600", "brief.md")
    check_document(Document(Meta("T <&>"), (Paragraph((Text("a\tb\nc"), Cite(("gdp",), (1,)))),), NOTE), Theme())


def test_every_problem_is_reported_at_once_with_where_it_is() -> None:
    doc = Document(Meta("T\x01"), (
        Heading(2, (Text("Trade and\x02 more"),)),
        Paragraph((Text("Trade\x07"), Cite(("gdp",), (1,), line=12))),
        BulletList((ListItem((Link("https://x.org/\x0b", (Text("x"),)),)),)),
        Paragraph((Text("y"), Cite(("gdp",), line=14))),
        Paragraph((Text("z"), Cite(("gdp",), (2,)))),
    ), (Note(1, "gdp", (Text("bad\x1b"),)),))
    with pytest.raises(RenderError) as error:
        check_document(doc, Theme(footer_text="foot\x0c"))
    messages = [problem.message for problem in error.value.problems]
    assert messages[0].startswith("control character U+0001 <Cc> in the document's title")
    assert any("U+000C" in m and "theme's footer_text" in m for m in messages)
    assert any("U+0007" in m and "paragraph citing fact 'gdp'" in m for m in messages)
    assert any("U+0002" in m and "in the heading 'Trade and\x02 more'" in m for m in messages)
    assert any("U+000B" in m and "list item without citations" in m for m in messages)
    assert any("U+001B" in m and "note 1 (fact 'gdp')" in m for m in messages)
    assert any("no note number" in m for m in messages) and any("refers to note 2" in m for m in messages)
    lines = {problem.line for problem in error.value.problems if "U+0007" in problem.message}
    assert lines == {12}


@pytest.mark.parametrize("fmt", ["pdf", "docx", "html"])
def test_every_writer_relies_on_the_check(fmt: str) -> None:
    if fmt not in writers.formats():
        pytest.skip(f"no {fmt} writer installed")
    doc = Document(Meta("T"), (Paragraph((Text("bell\x07"), Cite(("gdp",), (1,)))),), NOTE)
    with pytest.raises(RenderError, match=r"U\+0007 <Cc> in the paragraph citing fact 'gdp'"):
        writers.writer(fmt).write(doc, Theme())
