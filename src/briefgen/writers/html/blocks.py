"""Blocks of the document model as HTML: one small function per block type.

The brief's title is the page's one ``h1``, so a heading of level N is an
``h(N+1)`` when the levels above it are there too, else the level its place
in the outline gives it: headings are in order whatever the template wrote
(``## Summary`` straight under the title is an ``h2``). Tables have ``th`` cells with a ``scope`` and a ``caption``
(the table's own, else the heading of the section it is in, shown to
screen readers only); a timeline is such a table with the dates as row
headers and each group as a row group. The key-facts box is an ``aside``,
other boxes a ``div`` with the ARIA role ``note``. Nothing here escapes text
itself: ``inlines`` does.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import singledispatch
from html import escape

from briefgen.model import (
    Block,
    BlockQuote,
    Box,
    BulletList,
    Heading,
    HorizontalRule,
    Inline,
    ListItem,
    OrderedList,
    PageBreak,
    Paragraph,
    SourceList,
    Table,
    Timeline,
    TimelineEntry,
    TimelineGroup,
    plain_text,
)
from briefgen.writers.html.inlines import Citations, inlines

__all__ = ["Context", "blocks"]


@dataclass
class Context:
    """What the page written so far tells the next block: citations counted, the section it is in."""

    citations: Citations = field(default_factory=Citations)
    section: str = ""
    open_levels: list[int] = field(default_factory=list)  # model levels of the sections the next block is in

    def inlines(self, items: tuple[Inline, ...]) -> str:
        return inlines(items, self.citations)


def blocks(items: tuple[Block, ...], ctx: Context) -> str:
    return "\n".join(_block(item, ctx) for item in items)


@singledispatch
def _block(block: Block, ctx: Context) -> str:
    raise TypeError(f"no HTML for {type(block).__name__}")


@_block.register
def _heading(block: Heading, ctx: Context) -> str:
    ctx.section = plain_text(block.children)
    while ctx.open_levels and ctx.open_levels[-1] >= block.level:
        ctx.open_levels.pop()
    ctx.open_levels.append(block.level)
    level = min(len(ctx.open_levels) + 1, 6)  # under the title's h1, so "## Summary" is an h2 and never a jump
    return f"<h{level}>{ctx.inlines(block.children)}</h{level}>"


@_block.register
def _paragraph(block: Paragraph, ctx: Context) -> str:
    return f"<p>{ctx.inlines(block.children)}</p>"


def _items(items: tuple[ListItem, ...], ctx: Context) -> str:
    return "".join(f"<li>{ctx.inlines(item.children)}</li>" for item in items)


@_block.register
def _bullets(block: BulletList, ctx: Context) -> str:
    return f"<ul>{_items(block.items, ctx)}</ul>"


@_block.register
def _ordered(block: OrderedList, ctx: Context) -> str:
    start = f' start="{block.start}"' if block.start != 1 else ""
    return f"<ol{start}>{_items(block.items, ctx)}</ol>"


def _caption(own: tuple[Inline, ...], ctx: Context) -> str:
    if own:
        return f"<caption>{ctx.inlines(own)}</caption>"
    return f'<caption class="visually-hidden">{escape(ctx.section, quote=False)}</caption>' if ctx.section else ""


@_block.register
def _table(block: Table, ctx: Context) -> str:
    columns = ""
    if block.widths:
        total = sum(block.widths)
        columns = "<colgroup>" + "".join(f'<col style="width:{100 * w / total:.1f}%">' for w in block.widths) + "</colgroup>"
    head = "".join(f'<th scope="col">{ctx.inlines(cell)}</th>' for cell in block.header)
    body = "".join("<tr>" + "".join(f"<td>{ctx.inlines(cell)}</td>" for cell in row) + "</tr>" for row in block.rows)
    style = escape(block.style or "default")
    rows = f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody>"
    caption = _caption(block.caption, ctx)  # after the rows: its citations follow theirs, as in the PDF
    return f'<table class="table-{style}">{caption}{columns}{rows}</table>'


@_block.register
def _timeline(block: Timeline, ctx: Context) -> str:
    head = "".join(f'<th scope="col">{escape(text, quote=False)}</th>' for text in block.header)
    groups: list[str] = []
    rows: list[str] = []
    for row in block.rows:
        if isinstance(row, TimelineGroup):
            if rows or groups:
                groups.append("<tbody>" + "".join(rows) + "</tbody>")
            rows = [f'<tr class="group"><th scope="rowgroup" colspan="2">{escape(row.label, quote=False)}</th></tr>']
        else:
            rows.append(_timeline_entry(row, ctx))
    groups.append("<tbody>" + "".join(rows) + "</tbody>")
    return (f'<table class="timeline">{_caption((), ctx)}<colgroup><col class="when"><col></colgroup>'
            f"<thead><tr>{head}</tr></thead>{''.join(groups)}</table>")


def _timeline_entry(row: TimelineEntry, ctx: Context) -> str:
    return f'<tr><th scope="row">{escape(row.when, quote=False)}</th><td>{ctx.inlines(row.children)}</td></tr>'


@_block.register
def _box(block: Box, ctx: Context) -> str:
    kind = escape(block.kind)
    title = f'<p class="box-title">{escape(block.title, quote=False)}</p>' if block.title else ""
    label = f' aria-label="{escape(block.title)}"' if block.title else ""
    if block.kind == "keyfacts":
        return f'<aside class="box {kind}"{label}>{title}{blocks(block.children, ctx)}</aside>'
    return f'<div class="box {kind}" role="note"{label}>{title}{blocks(block.children, ctx)}</div>'


@_block.register
def _quote(block: BlockQuote, ctx: Context) -> str:
    return f"<blockquote>{blocks(block.children, ctx)}</blockquote>"


@_block.register
def _rule(block: HorizontalRule, ctx: Context) -> str:
    return "<hr>"


@_block.register
def _page_break(block: PageBreak, ctx: Context) -> str:
    return '<div class="page-break"></div>'


@_block.register
def _sources(block: SourceList, ctx: Context) -> str:
    entries = "".join(f'<li id="source-{escape(entry.source_id)}">{ctx.inlines(entry.children)}</li>' for entry in block.entries)
    return f'<ol class="sources">{entries}</ol>'

