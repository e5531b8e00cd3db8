"""Tests for briefgen.markdown.reader: every construct of docs/markdown.md, every rejection, escaping."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefgen.errors import RenderError
from briefgen.model import (
    BlockQuote,
    Box,
    BulletList,
    Cite,
    Document,
    Emph,
    Heading,
    HorizontalRule,
    LineBreak,
    Link,
    ListItem,
    Meta,
    OrderedList,
    PageBreak,
    Paragraph,
    Span,
    Strong,
    Table,
    Text,
    Timeline,
    TimelineEntry,
    TimelineGroup,
    plain_text,
)
from briefgen.markdown.reader import escape_markdown, read_document, read_markdown


def read_one(markdown: str, **options: str):
    (block,) = read_markdown(markdown, **options)
    return block


def problem_of(markdown: str):
    with pytest.raises(RenderError) as caught:
        read_markdown(markdown, source_name="brief.md")
    return caught.value


# --- constructs -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("markdown", "expected"),
    [
        ("# One", Heading(1, (Text("One"),))),
        ("## Two", Heading(2, (Text("Two"),))),
        ("### Three", Heading(3, (Text("Three"),))),
        ("Setext\n===", Heading(1, (Text("Setext"),))),
        ("plain text", Paragraph((Text("plain text"),))),
        ("*em* and _em_", Paragraph((Emph((Text("em"),)), Text(" and "), Emph((Text("em"),))))),
        ("**strong** __too__", Paragraph((Strong((Text("strong"),)), Text(" "), Strong((Text("too"),))))),
        ("***both***", Paragraph((Emph((Strong((Text("both"),)),)),))),
        ("[site](https://example.org)", Paragraph((Link("https://example.org", (Text("site"),)),))),
        ("[mail](mailto:a@example.org)", Paragraph((Link("mailto:a@example.org", (Text("mail"),)),))),
        ("<https://example.org>", Paragraph((Link("https://example.org", (Text("https://example.org"),)),))),
        ("one\\\ntwo", Paragraph((Text("one"), LineBreak(), Text("two")))),
        ("one  \ntwo", Paragraph((Text("one"), LineBreak(), Text("two")))),
        ("one\ntwo", Paragraph((Text("one two"),))),
        ("- a\n- b", BulletList((ListItem((Text("a"),)), ListItem((Text("b"),))))),
        ("* a\n\n* b", BulletList((ListItem((Text("a"),)), ListItem((Text("b"),))))),
        ("-", BulletList((ListItem(()),))),
        ("1. a\n2. b", OrderedList((ListItem((Text("a"),)), ListItem((Text("b"),))))),
        ("3) c", OrderedList((ListItem((Text("c"),)),), start=3)),
        ("> quoted\n>\n> - item", BlockQuote((Paragraph((Text("quoted"),)), BulletList((ListItem((Text("item"),)),))))),
        ("---", HorizontalRule()),
        ("* * *", HorizontalRule()),
        ("::: pagebreak\n:::", PageBreak()),
    ],
)
def test_construct(markdown: str, expected: object) -> None:
    assert read_one(markdown) == expected


def test_citations_anywhere_inline_with_their_lines() -> None:
    paragraph = read_one("First [@a].\nSecond *[@b; @c.d_e-f]*\nthird[@a]")
    assert paragraph == Paragraph(
        (
            Text("First "),
            Cite(("a",), line=1),
            Text(". Second "),
            Emph((Cite(("b", "c.d_e-f"), line=2),)),
            Text(" third"),
            Cite(("a",), line=3),
        )
    )


def test_citation_spacing_is_free_around_semicolons() -> None:
    assert read_one("x [@a;@b ;  @c]").children[1] == Cite(("a", "b", "c"), line=1)


def test_table_with_header_rows_and_empty_cells() -> None:
    table = read_one("| Year | Event |\n|---|:--|\n| 1992 | Relations [@r] |\n| | |")
    assert table == Table(
        header=((Text("Year"),), (Text("Event"),)),
        rows=(((Text("1992"),), (Text("Relations "), Cite(("r",), line=3))), ((), ())),
    )


def test_table_attributes_give_style_widths_and_caption() -> None:
    table = read_one('{.compact widths="25, 75" caption="Trade *in 2024* [@t]"}\n| a | b |\n|---|---|\n| 1 | 2 |')
    assert (table.style, table.widths) == ("compact", (25.0, 75.0))
    assert table.caption == (Text("Trade "), Emph((Text("in 2024"),)), Text(" "), Cite(("t",), line=2))


def test_table_attributes_may_stand_apart_from_the_table() -> None:
    assert read_one("{.grid}\n\n| a |\n|---|").style == "grid"


def test_table_without_body_rows() -> None:
    assert read_one("| a |\n|---|") == Table(header=((Text("a"),),), rows=())


@pytest.mark.parametrize("kind", ["callout", "note"])
def test_boxes_have_no_title_unless_given(kind: str) -> None:
    assert read_one(f"::: {kind}\nSay it [@x].\n:::") == Box(kind, (Paragraph((Text("Say it "), Cite(("x",), line=2), Text("."))),))


def test_box_with_attributes_holds_lists_tables_and_quotes() -> None:
    box = read_one('::: {.keyfacts title="At a glance"}\n- one\n\n| a |\n|---|\n\n> q\n:::')
    assert box.kind == "keyfacts" and box.title == "At a glance"
    assert [type(child) for child in box.children] == [BulletList, Table, BlockQuote]


def test_keyfacts_title_defaults_to_the_label_of_the_language() -> None:
    assert read_one("::: keyfacts\n- a\n:::").title == "Key facts"
    assert read_one("::: keyfacts\n- a\n:::", language="ru").title == "Основные факты"
    assert read_one('::: {.keyfacts title=""}\n- a\n:::').title is None


def test_pandoc_style_closing_colons_on_the_opening_fence() -> None:
    assert read_one("::: note :::\ntext\n:::").kind == "note"


def test_timeline_groups_and_entries() -> None:
    timeline = read_one(
        "::: timeline\n**1990s**\n\n20 January 1992\n: Relations established [@est].\n\n"
        "1995\n: Visit [@visit]\n\n**2000s**\n\nJuly 2015\n: Partnership\n:::"
    )
    assert timeline == Timeline(
        (
            TimelineGroup("1990s"),
            TimelineEntry("20 January 1992", (Text("Relations established "), Cite(("est",), line=5), Text("."))),
            TimelineEntry("1995", (Text("Visit "), Cite(("visit",), line=8))),
            TimelineGroup("2000s"),
            TimelineEntry("July 2015", (Text("Partnership"),)),
        ),
        header=("Date", "Event"),
    )


def test_timeline_header_comes_from_the_language() -> None:
    assert read_one("::: timeline\n2015\n: x\n:::", language="ru").header == ("Дата", "Событие")


def test_text_that_looks_like_markup_but_is_not() -> None:
    text = "a < b & c > d, 5 * 3, \\*literal\\*, back\\\\slash, 🙂, שלום עולם, Беларусь, 中华人民共和国"
    assert read_one(text) == Paragraph(
        (Text("a < b & c > d, 5 * 3, *literal*, back\\slash, 🙂, שלום עולם, Беларусь, 中华人民共和国"),)
    )


def test_read_document_uses_the_meta_language() -> None:
    meta = Meta(title="Brief", language="ru")
    assert read_document("::: keyfacts\n- a\n:::", meta) == Document(
        meta, (Box("keyfacts", (BulletList((ListItem((Text("a"),)),)),), "Основные факты"),)
    )


# --- rejections -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("markdown", "line", "words"),
    [
        ("ok\n\n#### Four", 3, "heading level 4"),
        ("<div>x</div>", 1, "raw HTML"),
        ("text <b>bold</b>", 1, "raw HTML"),
        ("![chart](https://example.org/c.png)", 1, "images"),
        ("```\ncode\n```", 1, "code blocks"),
        ("para\n\n    indented", 3, "indented code"),
        ("see `code`", 1, "inline code"),
        ("x[^1]\n\n[^1]: the note", 1, "footnotes"),
        ("x^[inline note]", 1, "footnotes"),
        ("- a\n  - nested", 2, "bullet lists inside a list item"),
        ("1. a\n\n   second paragraph", 3, "one paragraph"),
        ("[page](page.html)", 1, "not an absolute URL"),
        ("[js](javascript:alert(1))", 1, "not an absolute URL"),
        ("one\ntwo [@Bad]", 2, "malformed citation '[@Bad]'"),
        ("[@a, @b]", 1, "malformed citation"),
        ("[@a", 1, "malformed citation"),
        ("term\n: definition", 1, "definition lists"),
        ("::: keyfact\nx\n:::", 1, "did you mean 'keyfacts'"),
        ("::: note callout\nx\n:::", 1, "one kind"),
        (":::", 1, "needs a kind"),
        ("::: {.note colour=red}\nx\n:::", 1, "unknown attribute 'colour'"),
        ('::: {.note titel="x"}\nx\n:::', 1, "did you mean 'title'"),
        ('::: {.timeline title="x"}\n:::', 1, "unknown attribute 'title'"),
        ("::: {.note\nx\n:::", 1, "cannot read the attributes"),
        ("::: pagebreak\ntext\n:::", 2, "must be empty"),
        ("::: note\n# Heading\n:::", 2, "headings"),
        ("::: note\n::: callout\nx\n:::", 2, "fenced divs"),
        ("> # heading", 1, "not allowed in a block quote: headings"),
        ("::: timeline\nplain words\n:::", 2, "group label"),
        ("::: timeline\n**1990s** and more\n:::", 2, "group label"),
        ("::: timeline\n*1990s*\n:::", 2, "group label"),
        ("::: timeline\n**[@x]**\n:::", 2, "plain text"),
        ("::: timeline\n*1992*\n: x\n:::", 2, "plain text"),
        ("::: timeline\n1992\n: x\n: y\n:::", 4, "exactly one"),
        ("::: timeline\n- a list\n:::", 2, "bullet lists"),
        ("{.note}\nparagraph", 2, "only allowed on tables"),
        ("para\n\n{.grid}", 3, "an attribute line with no table after it"),
        ("::: note\npara\n\n{.grid}\n:::", 4, "an attribute line with no table after it"),
        ('{.a .b}\n| a |\n|---|', 2, "one style"),
        ('{widths="1,2"}\n| a |\n|---|', 2, "widths=\"1,2\" does not fit a table of 1 columns"),
        ('{widths="x"}\n| a |\n|---|', 2, "does not fit"),
        ('{widths="0"}\n| a |\n|---|', 2, "does not fit"),
        ('{width="1"}\n| a |\n|---|', 2, "did you mean 'widths'"),
    ],
)
def test_rejected_construct_names_the_line(markdown: str, line: int, words: str) -> None:
    error = problem_of(markdown)
    assert (error.problems[0].file, error.problems[0].line) == ("brief.md", line)
    assert words in str(error)


def test_rejection_says_what_is_allowed() -> None:
    hint = problem_of("```\ncode\n```").problems[0].hint
    assert hint is not None and "paragraphs" in hint and "pipe tables" in hint


def test_all_problems_are_reported_at_once() -> None:
    error = problem_of("<b>x</b>\n\n#### four\n\n::: note\n![i](https://x.org/i.png)\n\n`c`\n:::")
    assert [problem.line for problem in error.problems] == [1, 3, 6, 8]


# --- escaping ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "*not emphasis* and _not_ either",
        "a <b>tag</b> & an &amp; entity",
        "[@fact-id] and [@a; @b] are not citations",
        "{{ not jinja }} {% nor this %}",
        "back\\slash and trailing \\",
        "# not a heading",
        "- not a list",
        "+ not a list",
        "1. not a list",
        "1) nor this",
        "> not a quote",
        "| not | a | table |",
        "::: note",
        ": not a definition",
        "~ nor this",
        "---",
        "=",
        "{.not attributes}",
        "[text](https://not.a.link)",
        "<https://not.a.link>",
        "`not code`",
        "![not](an image)",
        "x[^1] not a footnote",
        "ends with two spaces  ",
        "\u00a0no-break spaces at both ends\u00a0",
        "emoji 🙂 and RTL שלום and 中文",
    ],
)
def test_escaped_text_reads_back_literally(text: str) -> None:
    assert read_one(escape_markdown(text)) == Paragraph((Text(text.strip(" ")),))


def test_escaping_normalises_ascii_white_space() -> None:
    assert escape_markdown("  one\n\ntwo\t three \r\n") == "one two three"


def test_escaping_leaves_ordinary_text_alone() -> None:
    assert escape_markdown("Minsk, 20 January 1992: relations (at last) established.") == (
        "Minsk, 20 January 1992: relations (at last) established."
    )


def _ascii_space_normalised(text: str) -> str:
    return re.sub(r"[ \t\n\r\f\v]+", " ", text).strip(" ")


_markdown_specials = st.sampled_from(
    [*"\\`*_[]<>&#|{}-+=.:)~!@;\"' ", "[@a]", "[@a; @b]", ":::", "1.", "&amp;", "{{", "<b>", "- ", "# ", "> "]
    + ["\u00a0", "\u3000", "\u2028", "\u200f", "🙂", "שלום", "Беларусь", "中文"]
)
_any_text = st.characters(blacklist_categories=("Cc", "Cs"), blacklist_characters="\ufffe\uffff")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(_any_text, _markdown_specials), max_size=40).map("".join))
def test_escape_markdown_round_trips_any_text(text: str) -> None:
    """Any text without control characters reads back as one paragraph of itself.

    Up to white space: runs of ASCII white space become one space and the
    ends are trimmed (see escape_markdown); other white space is kept.
    """
    expected = _ascii_space_normalised(text)
    blocks = read_markdown(escape_markdown(text))
    if not expected:
        assert blocks == ()
        return
    (paragraph,) = blocks
    assert isinstance(paragraph, Paragraph)
    assert plain_text(paragraph.children) == expected


# --- language spans -----------------------------------------------------------------


def test_a_bracketed_span_with_lang_is_text_in_that_language() -> None:
    paragraph = read_one("Minsk, [**Мінск**]{lang=be} [@minsk] and [白俄罗斯]{lang=zh-CN}, [plain] {lang=x}")
    assert paragraph == Paragraph((
        Text("Minsk, "), Span("be", (Strong((Text("Мінск"),)),)), Text(" "), Cite(("minsk",), line=1),
        Text(" and "), Span("zh-CN", (Text("白俄罗斯"),)), Text(", [plain] {lang=x}"),
    ))


@pytest.mark.parametrize("markdown", ["a [b]{.note} c", "a [b]{lang=en #id}", "a [b]{lang=english}", "x\n[b]{lang=\"\"}"])
def test_a_span_takes_a_language_tag_and_nothing_else(markdown: str) -> None:
    error = problem_of(markdown)
    assert "a span takes one attribute, lang=TAG" in str(error)
    assert error.problems[0].line == markdown.count("\n") + 1 and "[text]{lang=en}" in str(error.problems[0].hint)
