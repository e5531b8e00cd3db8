"""Markdown with citation marks -> the document model: the dialect's parser and rules.

The dialect (documented, with examples, in ``docs/markdown.md``) is
CommonMark with GFM pipe tables, parsed by markdown-it-py and its plugins:
block attributes put a style and column widths on tables, fenced divs
(``::: keyfacts`` … ``:::``) make boxes, timelines and page breaks, and an
inline rule reads Pandoc-style citations ``[@fact-id]`` / ``[@a; @b]``.
markdown-it-py turns the text into a syntax tree; this module maps each node
type to a model type through small tables of short functions.

The reader must not guess: any construct the model cannot hold (raw HTML,
images, code, footnotes, nested lists, headings below level 3, ...) is a
``RenderError`` naming the line and saying what is allowed there. It knows
nothing about facts: whether a cited fact exists is ``transforms``' job,
and so is refusing characters no document may hold (``transforms.checks``).
It is imported only when a text is not in the cache (``markdown.reader``).
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeVar

from briefgen.errors import Problem, RenderError, did_you_mean
from briefgen.l10n.labels import label
from briefgen.model import (
    Block,
    BlockQuote,
    Box,
    BulletList,
    Cite,
    Emph,
    Heading,
    HorizontalRule,
    Inline,
    LineBreak,
    Link,
    ListItem,
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
)

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.rules_core import StateCore
    from markdown_it.rules_inline import StateInline
    from markdown_it.tree import SyntaxTreeNode

__all__ = ["convert_markdown"]

_DOCS_HINT = "see docs/markdown.md"
_FACT_ID = r"[a-z0-9][a-z0-9._-]*"
_CITATION = re.compile(rf"\[@({_FACT_ID}(?:[ \t]*;[ \t]*@{_FACT_ID})*)\]")
_LINK_SCHEMES = ("http://", "https://", "mailto:")
_T = TypeVar("_T")


def convert_markdown(text: str, *, language: str, source_name: str) -> tuple[Block, ...]:
    """The blocks of ``text`` (see ``read_markdown``, which keeps them in the cache); every problem at once."""
    from markdown_it.tree import SyntaxTreeNode

    context = _Context(source_name, language)
    tree = SyntaxTreeNode(_parser().parse(text))
    blocks = _convert(tree.children, _TOP_RULES, "in the document body", context)
    if context.problems:
        raise RenderError.from_problems(context.problems)
    return tuple(blocks)


# --- parser ------------------------------------------------------------------------


@functools.cache
def _parser() -> MarkdownIt:
    """CommonMark + pipe tables + our plugins; footnotes are parsed only to be rejected."""
    from markdown_it import MarkdownIt
    from mdit_py_plugins.attrs import attrs_block_plugin, attrs_plugin
    from mdit_py_plugins.container import container_plugin
    from mdit_py_plugins.deflist import deflist_plugin
    from mdit_py_plugins.footnote import footnote_plugin

    md = MarkdownIt("commonmark")
    # markdown-it leaves a link to a URL it distrusts (javascript:, data:) as literal text;
    # accept every URL here so that ``_link`` rejects all but http(s)/mailto with a clear error.
    md.validateLink = lambda url: True
    return (
        md
        .enable("table")
        .use(attrs_block_plugin)
        .use(attrs_plugin, after=(), spans=True)  # Pandoc's bracketed spans, [text]{lang=en}; nothing else
        .use(container_plugin, "div", validate=lambda params, markup: True)
        .use(deflist_plugin)
        .use(footnote_plugin)
        .use(_citation_plugin)
        .use(_stray_attributes_plugin)
    )


def _citation_plugin(md: MarkdownIt) -> None:
    md.inline.ruler.before("link", "citation", _citation_rule)


def _stray_attributes_plugin(md: MarkdownIt) -> None:
    md.core.ruler.after("block", "attrs_stray", _mark_stray_attributes)


def _mark_stray_attributes(state: StateCore) -> None:
    """The attrs plugin silently drops an attribute line that no block follows; keep it, to reject it."""
    tokens = state.tokens
    for index, token in enumerate(tokens):
        if token.type == "attrs_block" and (index + 1 == len(tokens) or tokens[index + 1].nesting < 0):
            token.type = "attrs_stray"


def _citation_rule(state: StateInline, silent: bool) -> bool:
    """``[@id]`` / ``[@a; @b]`` -> a ``citation`` token; a malformed ``[@…`` -> ``citation_invalid``."""
    if not state.src.startswith("[@", state.pos):
        return False
    match = _CITATION.match(state.src, state.pos)
    if silent:
        return match is not None
    if match:
        token = state.push("citation", "", 0)
        token.meta["ids"] = tuple(part.strip().removeprefix("@") for part in match.group(1).split(";"))
        state.pos = match.end()
    else:
        close = state.src.find("]", state.pos)
        end = state.posMax if close < 0 else close + 1
        state.push("citation_invalid", "", 0).content = state.src[state.pos : end]
        state.pos = end
    return True


# --- conversion machinery ------------------------------------------------------------


@dataclass
class _Context:
    source_name: str
    language: str
    problems: list[Problem] = field(default_factory=list)

    def error(self, message: str, line: int | None, hint: str = _DOCS_HINT) -> RenderError:
        return RenderError(message, file=self.source_name, line=line, hint=hint)


_Rule = Callable[["SyntaxTreeNode", _Context], _T]

# What a node type is called in messages ("not allowed here: ...").
_NAMES = {
    "heading": "headings",
    "paragraph": "paragraphs",
    "bullet_list": "bullet lists",
    "ordered_list": "numbered lists",
    "table": "pipe tables",
    "blockquote": "block quotes",
    "hr": "horizontal rules",
    "container_div": "fenced divs (::: kind)",
    "dl": "definition lists (only inside ::: timeline)",
    "attrs_stray": "an attribute line with no table after it",
    "fence": "code blocks",
    "code_block": "indented code blocks (lines indented by 4 spaces)",
    "html_block": "raw HTML",
    "html_inline": "raw HTML (write < as \\<)",
    "image": "images",
    "code_inline": "inline code (`…`)",
    "footnote_block": "footnotes (cite facts with [@fact-id] instead)",
    "footnote_ref": "footnotes (cite facts with [@fact-id] instead)",
    "text": "text",
    "em": "emphasis",
    "strong": "strong emphasis",
    "link": "links",
    "span": "language spans",
    "citation": "citations",
}


def _name(node_type: str) -> str:
    return _NAMES.get(node_type, node_type.replace("_", " "))


def _line(node: SyntaxTreeNode) -> int | None:
    """1-based line where ``node`` starts (the first child that knows, for nodes without a map)."""
    if node.map is not None:
        return node.map[0] + 1
    return next((line for child in node.children if (line := _line(child)) is not None), None)


def _convert(
    nodes: Iterable[SyntaxTreeNode], rules: Mapping[str, _Rule[_T]], where: str, context: _Context
) -> list[_T]:
    """Each node through the rule for its type; problems are collected so that all are reported."""
    converted: list[_T] = []
    for node in nodes:
        try:
            converted.append(_convert_one(node, rules, where, context))
        except RenderError as error:
            context.problems.extend(error.problems)
    return converted


def _convert_one(node: SyntaxTreeNode, rules: Mapping[str, _Rule[_T]], where: str, context: _Context) -> _T:
    rule = rules.get(node.type)
    if rule is None:
        allowed = ", ".join(_name(node_type) for node_type in rules)
        raise context.error(f"not allowed {where}: {_name(node.type)}", _line(node), f"allowed: {allowed}")
    stray = sorted(set(node.attrs) - {"start"}) if node.type != "table" else []
    if stray:
        raise context.error(f"attributes ({', '.join(stray)}) are only allowed on tables", _line(node))
    return rule(node, context)


# --- inlines -------------------------------------------------------------------------


@dataclass
class _InlineCursor:
    """Where inline conversion is: the line grows at each line break."""

    context: _Context
    line: int | None


_InlineRule = Callable[["SyntaxTreeNode", _InlineCursor], tuple[Inline, ...]]


def _inlines(inline_node: SyntaxTreeNode, context: _Context) -> tuple[Inline, ...]:
    return _inline_children(inline_node, _InlineCursor(context, _line(inline_node)))


def _inline_children(node: SyntaxTreeNode, cursor: _InlineCursor) -> tuple[Inline, ...]:
    converted = itertools.chain.from_iterable(_inline(child, cursor) for child in node.children)
    return _merge_text(converted)


def _inline(node: SyntaxTreeNode, cursor: _InlineCursor) -> tuple[Inline, ...]:
    rule = _INLINE_RULES.get(node.type)
    if rule is None:
        raise cursor.context.error(
            f"not allowed in text: {_name(node.type)}",
            cursor.line,
            "text may hold *emphasis*, **strong**, [links](https://…), [@citations] and line breaks",
        )
    return rule(node, cursor)


def _merge_text(inlines: Iterable[Inline]) -> tuple[Inline, ...]:
    merged: list[Inline] = []
    for inline in inlines:
        if isinstance(inline, Text) and merged and isinstance(merged[-1], Text):
            merged[-1] = Text(merged[-1].text + inline.text)
        else:
            merged.append(inline)
    return tuple(merged)


def _text(node: SyntaxTreeNode, cursor: _InlineCursor) -> tuple[Inline, ...]:
    return (Text(node.content),) if node.content else ()


def _softbreak(node: SyntaxTreeNode, cursor: _InlineCursor) -> tuple[Inline, ...]:
    cursor.line = cursor.line and cursor.line + 1
    return (Text(" "),)


def _hardbreak(node: SyntaxTreeNode, cursor: _InlineCursor) -> tuple[Inline, ...]:
    cursor.line = cursor.line and cursor.line + 1
    return (LineBreak(),)


def _emph(node: SyntaxTreeNode, cursor: _InlineCursor) -> tuple[Inline, ...]:
    return (Emph(_inline_children(node, cursor)),)


def _strong(node: SyntaxTreeNode, cursor: _InlineCursor) -> tuple[Inline, ...]:
    return (Strong(_inline_children(node, cursor)),)


def _link(node: SyntaxTreeNode, cursor: _InlineCursor) -> tuple[Inline, ...]:
    url = str(node.attrs["href"])
    if not url.lower().startswith(_LINK_SCHEMES):
        raise cursor.context.error(
            f"link target {url!r} is not an absolute URL", cursor.line, "links must start with http://, https:// or mailto:"
        )
    return (Link(url, _inline_children(node, cursor)),)


_LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*")


def _span(node: SyntaxTreeNode, cursor: _InlineCursor) -> tuple[Inline, ...]:
    """``[text]{lang=xx}``: text in another language. A span says its language and nothing else."""
    language = str(node.attrs.get("lang", ""))
    others = sorted(str(key) for key in node.attrs if key != "lang")
    if others or not _LANGUAGE_TAG.fullmatch(language):
        raise cursor.context.error(
            f"a span takes one attribute, lang=TAG (found {' '.join(others) or 'lang=' + repr(language)})",
            cursor.line,
            "mark text in another language as [text]{lang=en}, with a language tag such as en, ru, zh-CN",
        )
    return (Span(language, _inline_children(node, cursor)),)


def _citation(node: SyntaxTreeNode, cursor: _InlineCursor) -> tuple[Inline, ...]:
    return (Cite(node.meta["ids"], line=cursor.line),)


def _invalid_citation(node: SyntaxTreeNode, cursor: _InlineCursor) -> tuple[Inline, ...]:
    raise cursor.context.error(
        f"malformed citation {node.content!r}",
        cursor.line,
        "write [@fact-id] or [@a; @b]; fact ids are lowercase letters, digits, '.', '_' and '-'",
    )


_INLINE_RULES: dict[str, _InlineRule] = {
    "text": _text,
    "softbreak": _softbreak,
    "hardbreak": _hardbreak,
    "em": _emph,
    "strong": _strong,
    "link": _link,
    "span": _span,
    "citation": _citation,
    "citation_invalid": _invalid_citation,
}


def _only_text(inlines: tuple[Inline, ...], what: str, line: int | None, context: _Context) -> str:
    """The text of ``inlines``, which must be plain (a date, a label, an attribute)."""
    if not all(isinstance(inline, Text) for inline in inlines):
        raise context.error(f"{what} must be plain text, without markup or citations", line)
    return "".join(inline.text for inline in inlines if isinstance(inline, Text))


def _one_paragraph(node: SyntaxTreeNode, what: str, context: _Context) -> tuple[Inline, ...]:
    """The inlines of a node that may hold at most one paragraph (a list item, a timeline event)."""
    for child in node.children:
        if child.type != "paragraph":
            raise context.error(f"{_name(child.type)} inside {what} are not supported", _line(child), f"{what} holds one paragraph")
    if len(node.children) > 1:
        raise context.error(f"{what} holds one paragraph, not {len(node.children)}", _line(node.children[1]))
    return _inlines(node.children[0].children[0], context) if node.children else ()


# --- blocks --------------------------------------------------------------------------


def _heading(node: SyntaxTreeNode, context: _Context) -> Block:
    level = int(node.tag[1:])
    if level > 3:
        raise context.error(f"heading level {level} is not supported", _line(node), "use #, ## or ###")
    return Heading(level, _inlines(node.children[0], context))


def _paragraph(node: SyntaxTreeNode, context: _Context) -> Block:
    return Paragraph(_inlines(node.children[0], context))


def _list_items(node: SyntaxTreeNode, context: _Context) -> tuple[ListItem, ...]:
    return tuple(ListItem(_one_paragraph(item, "a list item", context)) for item in node.children)


def _bullet_list(node: SyntaxTreeNode, context: _Context) -> Block:
    return BulletList(_list_items(node, context))


def _ordered_list(node: SyntaxTreeNode, context: _Context) -> Block:
    return OrderedList(_list_items(node, context), start=int(node.attrs.get("start", 1)))


def _blockquote(node: SyntaxTreeNode, context: _Context) -> Block:
    return BlockQuote(tuple(_convert(node.children, _QUOTE_RULES, "in a block quote", context)))


def _horizontal_rule(node: SyntaxTreeNode, context: _Context) -> Block:
    return HorizontalRule()


def _table(node: SyntaxTreeNode, context: _Context) -> Block:
    head, *body = node.children
    header = _table_row(head.children[0], context)
    rows = tuple(_table_row(row, context) for section in body for row in section.children)
    return Table(header, rows, **_table_attributes(node, len(header), context))


def _table_row(row: SyntaxTreeNode, context: _Context) -> tuple[tuple[Inline, ...], ...]:
    return tuple(_inlines(cell.children[0], context) if cell.children else () for cell in row.children)


def _table_attributes(node: SyntaxTreeNode, columns: int, context: _Context) -> dict[str, object]:
    """``{.style widths="30,70" caption="…"}`` on the line before a table -> Table keywords."""
    attributes = dict(node.attrs)
    line = _line(node)
    styles = str(attributes.pop("class", "")).split()
    if len(styles) > 1:
        raise context.error(f"a table takes one style, not {len(styles)} ({', '.join(styles)})", line)
    _reject_unknown_attributes(attributes, {"widths", "caption"}, "a table", line, context)
    options: dict[str, object] = {"style": styles[0] if styles else None}
    if "widths" in attributes:
        options["widths"] = _widths(str(attributes["widths"]), columns, line, context)
    if "caption" in attributes:
        from markdown_it.tree import SyntaxTreeNode

        caption = _parser().parseInline(str(attributes["caption"]))[0]
        options["caption"] = _inline_children(SyntaxTreeNode([caption]).children[0], _InlineCursor(context, line))
    return options


def _widths(text: str, columns: int, line: int | None, context: _Context) -> tuple[float, ...]:
    try:
        widths = tuple(float(part) for part in text.split(","))
    except ValueError:
        widths = ()
    if len(widths) != columns or not all(0 < width < float("inf") for width in widths):
        raise context.error(
            f'widths="{text}" does not fit a table of {columns} columns',
            line,
            f"give {columns} positive numbers separated by commas, e.g. widths=\"{','.join(['1'] * columns)}\"",
        )
    return widths


def _reject_unknown_attributes(
    attributes: Mapping[str, object], allowed: Sequence[str], what: str, line: int | None, context: _Context
) -> None:
    for key in attributes:
        if key not in allowed:
            hint = did_you_mean(key, allowed, f"{what} takes: {', '.join(allowed) or 'no attributes'}")
            raise context.error(f"unknown attribute {key!r} on {what}", line, hint)


# --- fenced divs ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Div:
    """What a fenced div opened: its kind and attributes, where."""

    kind: str
    attributes: dict[str, str]
    node: SyntaxTreeNode
    line: int | None


def _fenced_div(node: SyntaxTreeNode, context: _Context) -> Block:
    div = _parse_div(node, context)
    build, allowed = _DIV_KINDS[div.kind]
    _reject_unknown_attributes(div.attributes, allowed, f"::: {div.kind}", div.line, context)
    return build(div, context)


def _parse_div(node: SyntaxTreeNode, context: _Context) -> _Div:
    """``::: kind`` or ``::: {.kind key="value"}`` (a trailing run of colons is allowed, as in Pandoc)."""
    info = node.info.strip().rstrip(":").strip()
    line = _line(node)
    attributes: dict[str, str] = {}
    if info.startswith("{"):
        from mdit_py_plugins.attrs.parse import ParseError
        from mdit_py_plugins.attrs.parse import parse as parse_attributes

        try:
            _, parsed = parse_attributes(info)
        except ParseError as error:
            raise context.error(f"cannot read the attributes {info!r}: {error}", line) from None
        attributes = {key: str(value) for key, value in parsed.items()}
        kinds = attributes.pop("class", "").split()
    else:
        kinds = info.split()
    if len(kinds) != 1 or kinds[0] not in _DIV_KINDS:
        raise context.error(_div_kind_problem(kinds), line, _div_hint(kinds))
    return _Div(kinds[0], attributes, node, line)


def _div_kind_problem(kinds: list[str]) -> str:
    if not kinds:
        return "a fenced div needs a kind (or this ::: closes no div)"
    if len(kinds) > 1:
        return f"a fenced div takes one kind, not {len(kinds)} ({', '.join(kinds)})"
    return f"unknown fenced div kind {kinds[0]!r}"


def _div_hint(kinds: list[str]) -> str:
    listing = f"kinds: {', '.join(_DIV_KINDS)}"
    return (did_you_mean(kinds[0], _DIV_KINDS, listing) if len(kinds) == 1 else None) or listing


def _box(div: _Div, context: _Context) -> Block:
    title = div.attributes.get("title", label(context.language, "key_facts") if div.kind == "keyfacts" else "")
    children = tuple(_convert(div.node.children, _BOX_RULES, f"in ::: {div.kind}", context))
    return Box(div.kind, children, title or None)


def _page_break(div: _Div, context: _Context) -> Block:
    if div.node.children:
        raise context.error("::: pagebreak must be empty", _line(div.node.children[0]), "close it on the next line: :::")
    return PageBreak()


def _timeline(div: _Div, context: _Context) -> Block:
    rows = _convert(div.node.children, _TIMELINE_RULES, "in ::: timeline", context)
    return Timeline(tuple(itertools.chain.from_iterable(rows)), (label(context.language, "date"), label(context.language, "event")))


_TimelineRow = TimelineGroup | TimelineEntry


def _timeline_group(node: SyntaxTreeNode, context: _Context) -> tuple[_TimelineRow, ...]:
    """A paragraph that is only ``**label**``."""
    match _inlines(node.children[0], context):
        case (Strong(children=children),):
            return (TimelineGroup(_only_text(children, "a timeline group label", _line(node), context)),)
    raise context.error(
        "inside ::: timeline a paragraph must be a group label written **like this**",
        _line(node),
        "write events as a date line followed by ': what happened [@fact]'",
    )


def _timeline_entries(node: SyntaxTreeNode, context: _Context) -> tuple[_TimelineRow, ...]:
    """A definition list: each term a date, each with exactly one definition (the event)."""
    terms, definitions = node.children[::2], node.children[1::2]
    for index, child in enumerate(node.children):
        if child.type != ("dt", "dd")[index % 2]:
            raise context.error("each timeline date takes exactly one ': event' line", _line(child))
    if len(terms) != len(definitions):
        raise context.error("a timeline date has no ': event' line", _line(terms[-1]))
    return tuple(
        TimelineEntry(
            _only_text(_inlines(term.children[0], context), "a timeline date", _line(term), context),
            _one_paragraph(definition, "a timeline event", context),
        )
        for term, definition in zip(terms, definitions)
    )


_DivBuilder = Callable[[_Div, _Context], Block]

_DIV_KINDS: dict[str, tuple[_DivBuilder, tuple[str, ...]]] = {
    "keyfacts": (_box, ("title",)),
    "callout": (_box, ("title",)),
    "note": (_box, ("title",)),
    "timeline": (_timeline, ()),
    "pagebreak": (_page_break, ()),
}

# Which blocks may appear where: a box holds no divs (so no nested boxes, page breaks or
# timelines), a quote holds running text only.
_QUOTE_RULES: dict[str, _Rule[Block]] = {
    "paragraph": _paragraph,
    "bullet_list": _bullet_list,
    "ordered_list": _ordered_list,
}
_BOX_RULES: dict[str, _Rule[Block]] = {**_QUOTE_RULES, "table": _table, "blockquote": _blockquote}
_TOP_RULES: dict[str, _Rule[Block]] = {
    "heading": _heading,
    **_BOX_RULES,
    "hr": _horizontal_rule,
    "container_div": _fenced_div,
}
_TIMELINE_RULES: dict[str, _Rule[tuple[_TimelineRow, ...]]] = {
    "paragraph": _timeline_group,
    "dl": _timeline_entries,
}
