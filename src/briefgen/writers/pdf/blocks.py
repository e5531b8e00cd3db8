"""Blocks of the document model as reportlab flowables: one small function per block type.

``Context`` carries what every rule needs (styles, the inline markup, the
frame, the theme) and wraps a block that cites notes so that its notes go
to the foot of its page (``footnotes`` set) or nowhere (endnotes, listed by
the caller). Headings carry an outline level and keep with what follows.
Each rule also adds the block's structure elements under ``Context.element``
(H1-H3, P, L > LI > Lbl + LBody, Table > THead/TBody > TR > TH/TD, Aside,
BlockQuote) and gives each paragraph its element, for the tagged PDF; a
footnote's Note goes under the element that first cites it.
This module does not lay out pages nor check characters.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import singledispatch
from typing import Any

from reportlab.lib.colors import HexColor
from reportlab.platypus import Flowable, Spacer
from reportlab.platypus import Paragraph as PdfParagraph
from reportlab.platypus.paragraph import _handleBulletWidth as handle_bullet_width
from reportlab.platypus import PageBreak as PageBreakFlowable

from briefgen.model import (
    Block,
    BlockQuote,
    Box,
    BulletList,
    Heading,
    HorizontalRule,
    Inline,
    OrderedList,
    PageBreak,
    Paragraph,
    SourceList,
    Table,
    Text,
    Timeline,
    TimelineEntry,
    plain_text,
)
from briefgen.themes import Theme
from briefgen.writers.pdf.east_asian import east_asian_lines
from briefgen.writers.pdf.footnotes import FootnoteArea, Noted
from briefgen.writers.pdf.markup import InlineMarkup, note_numbers
from briefgen.typography import Padding, Rule, Typography, typography
from briefgen.writers.pdf.styles import RULE_COLOUR, TABLE_STYLES, Styles, padding_commands, table_commands
from briefgen.writers.pdf.tables import Cell, brief_table, column_widths
from briefgen.writers.pdf.tagging import Element, Tagged

__all__ = ["Context", "MeasuredParagraph", "RuleFlowable", "cited_notes", "flowables", "heading_flowable"]



class MeasuredParagraph(Tagged, PdfParagraph):
    """A paragraph laid out once per width.

    Platypus measures a paragraph several times at one width: keep-with-next measures a
    heading and what follows it before the frame measures each again, and a table measures
    its cells to size its rows and again to draw them. The lines depend on the width only
    (the height left decides a split, not the lines), so the last layout is reused while
    reportlab keeps it: a split that gives up drops ``blPara``, and the next wrap lays out anew.
    """

    marks_text = True  # its text objects are marked (see tagging.Tagged)
    _last_wrap: tuple[float, tuple[float, float]] | None = None  # (width, what wrap returned)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        if self._last_wrap is not None and self._last_wrap[0] == availWidth and hasattr(self, "blPara"):
            return self._last_wrap[1]
        size = super().wrap(availWidth, availHeight)
        self._last_wrap = (availWidth, size)
        return size

    def draw(self) -> None:
        """Draw the lines laid out; not when the layout only counts pages (``layout_only``): a paragraph's
        drawing changes no measure, split or placement, only the page it draws on, which is not kept."""
        if not getattr(self.canv, "layout_only", False):
            super().draw()

    def breakLinesCJK(self, maxWidths: float | list[float]) -> Any:  # noqa: N802 - reportlab's name
        """Chinese text (a style with ``wordWrap="CJK"``) breaks between characters, never inside a Latin word."""
        if hasattr(self, "blPara") and getattr(self, "_splitpara", 0):
            return self.blPara
        widths = list(maxWidths) if isinstance(maxWidths, list | tuple) else [maxWidths]
        if not self.frags:
            return super().breakLinesCJK(widths)
        handle_bullet_width(self.bulletText, self.style, widths)
        return east_asian_lines(self.frags, widths, getattr(self.style, "autoLeading", "") not in ("", "off"))


@dataclass(slots=True)
class Context:
    theme: Theme
    styles: Styles
    markup: InlineMarkup
    frame_width: float
    frame_height: float
    footnotes: FootnoteArea | None
    open_headings: list[int] = field(default_factory=list)  # levels of the headings the next one may nest under
    element: Element = field(default_factory=lambda: Element("Document"))  # where the next block's elements go
    notes: dict[int, Element] = field(default_factory=dict)  # footnotes' Note elements not yet under a citing element

    @property
    def typography(self) -> Typography:
        return typography(self.theme)

    def paragraph(self, inlines: tuple[Inline, ...], style: object, element: Element, **kwargs: object) -> MeasuredParagraph:
        """A paragraph drawn as ``element``, which takes the Notes of the footnotes it cites first."""
        paragraph = MeasuredParagraph(self.markup(inlines), style, **kwargs)
        paragraph.element = element
        for number in note_numbers(inlines):
            if number in self.notes:
                element.children.append(self.notes.pop(number))
        return paragraph

    def within(self, element: Element, frame_width: float) -> Context:
        """The context of blocks inside ``element`` (a box, a quote), ``frame_width`` wide, without footnote areas."""
        return Context(self.theme, self.styles, self.markup, frame_width, self.frame_height, None, self.open_headings,
                       element, self.notes)

    def noted(self, content: Flowable, row_notes: tuple[tuple[int, ...], ...]) -> Flowable:
        if self.footnotes is None or not any(row_notes):
            return content
        return Noted(content, row_notes, self.footnotes)


def flowables(block: Block, ctx: Context) -> list[Flowable]:
    return _flowables(block, ctx)


def heading_flowable(level: int, inlines: tuple[Inline, ...], ctx: Context) -> MeasuredParagraph:
    """A heading (1-3) that keeps with the next flowable and becomes an outline entry.

    Its bookmark nests under the last heading of a smaller level, never deeper than one step
    below it: a brief that starts at ``##`` has its ``##`` headings side by side at the top.
    """
    heading = ctx.paragraph(inlines, ctx.styles.headings[level - 1], ctx.element.add(f"H{level}"))
    while ctx.open_headings and ctx.open_headings[-1] >= level:
        ctx.open_headings.pop()
    heading.outline_level = len(ctx.open_headings)
    heading.outline_text = plain_text(inlines)
    ctx.open_headings.append(level)
    return heading


class RuleFlowable(Flowable):
    """A full-width line under an empty line ``line`` points tall: a Word paragraph's bottom border."""

    def __init__(self, rule: Rule, colour: str, line: float = 0.0) -> None:
        super().__init__()
        self.rule, self.colour, self.line = rule, HexColor(colour), line
        self.spaceBefore, self.spaceAfter = rule.above, rule.below

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = availWidth
        return availWidth, self.line + self.rule.thickness

    def draw(self) -> None:
        self.canv.saveState()
        self.canv.setLineWidth(self.rule.thickness)
        self.canv.setStrokeColor(self.colour)
        self.canv.line(0, self.rule.thickness / 2, self.width, self.rule.thickness / 2)
        self.canv.restoreState()


def _spacer(ctx: Context) -> Spacer:
    """The empty line Word needs after a table, carrying the table's space after."""
    spacer = Spacer(0, ctx.typography.spacer_line)
    spacer.spaceAfter = ctx.typography.after_table - ctx.typography.spacer_line
    return spacer


@singledispatch
def _flowables(block: Block, ctx: Context) -> list[Flowable]:
    raise TypeError(f"the PDF writer has no rule for {type(block).__name__}")


@_flowables.register
def _heading(block: Heading, ctx: Context) -> list[Flowable]:
    return [heading_flowable(max(1, min(block.level, 3)), block.children, ctx)]


@_flowables.register
def _paragraph(block: Paragraph, ctx: Context) -> list[Flowable]:
    return [ctx.noted(ctx.paragraph(block.children, ctx.styles.body, ctx.element.add("P")), (note_numbers(block.children),))]


def _list_items(items: tuple, bullets: list[str], ctx: Context) -> list[Flowable]:
    listing = ctx.element.add("L")
    return [
        ctx.noted(_list_item(item.children, ctx.styles.bullet, bullet, listing, ctx), (note_numbers(item.children),))
        for item, bullet in zip(items, bullets, strict=True)
    ]


def _list_item(inlines: tuple[Inline, ...], style: object, bullet: str, listing: Element, ctx: Context) -> MeasuredParagraph:
    """An LI of ``listing``: the bullet or number as its Lbl, the text as its LBody."""
    item = listing.add("LI")
    label = item.add("Lbl")
    paragraph = ctx.paragraph(inlines, style, item.add("LBody"), bulletText=bullet)
    paragraph.label = label
    return paragraph


@_flowables.register
def _bullets(block: BulletList, ctx: Context) -> list[Flowable]:
    return _list_items(block.items, ["\u2022"] * len(block.items), ctx)


@_flowables.register
def _ordered(block: OrderedList, ctx: Context) -> list[Flowable]:
    return _list_items(block.items, [f"{block.start + i}." for i in range(len(block.items))], ctx)


def _header_row(table: Element, cells: tuple[tuple[Inline, ...], ...], ctx: Context) -> list[Cell]:
    """The header row of ``table``: a THead with one TR of column headers (TH, Scope Column)."""
    row = table.add("THead").add("TR")
    return [ctx.paragraph(cell, ctx.styles.header_cell, row.add("TH", table={"Scope": "Column"})) for cell in cells]


@_flowables.register
def _table(block: Table, ctx: Context) -> list[Flowable]:
    style_name = block.style or "default"
    if style_name not in TABLE_STYLES:
        style_name = "default"
    cell_style = ctx.styles.compact_cell if style_name == "compact" else ctx.styles.cell
    table_element = ctx.element.add("Table")
    header = _header_row(table_element, block.header, ctx)
    body_element = table_element.add("TBody")
    body = []
    for row in block.rows:
        row_element = body_element.add("TR")
        body.append([ctx.paragraph(cell, cell_style, row_element.add("TD")) for cell in row])
    rows: list[list[Cell]] = [header, *body]
    table = brief_table(
        rows,
        column_widths(block.widths, len(block.header), ctx.frame_width),
        table_commands(ctx.theme, style_name, len(rows), 1),
        header_rows=1,
        frame_height=ctx.frame_height, font=ctx.styles.body.fontName,
        where=f"of the table headed '{plain_text(block.header[0])[:30]}'" if block.header else "",
    )
    row_notes = tuple(note_numbers(tuple(i for cell in row for i in cell)) for row in (block.header, *block.rows))
    result = [ctx.noted(table, row_notes), _spacer(ctx)]
    if block.caption:
        caption = ctx.paragraph(block.caption, ctx.styles.caption, table_element.add("Caption"))
        result.append(ctx.noted(caption, (note_numbers(block.caption),)))
    return result


@_flowables.register
def _timeline(block: Timeline, ctx: Context) -> list[Flowable]:
    styles = ctx.styles
    table_element = ctx.element.add("Table")
    rows: list[list[Cell]] = [_header_row(table_element, tuple((Text(text),) for text in block.header), ctx)]
    body_element = table_element.add("TBody")
    row_notes: list[tuple[int, ...]] = [()]
    groups: list[int] = []
    for row in block.rows:
        row_element = body_element.add("TR")
        if isinstance(row, TimelineEntry):
            rows.append([ctx.paragraph((Text(row.when),), styles.date_cell, row_element.add("TD")),
                         ctx.paragraph(row.children, styles.cell, row_element.add("TD"))])
            row_notes.append(note_numbers(row.children))
        else:
            groups.append(len(rows))
            label = row_element.add("TD", table={"ColSpan": 2})
            rows.append([ctx.paragraph((Text(row.label),), styles.group_cell, label), ""])
            row_notes.append(())
    commands = table_commands(ctx.theme, "default", len(rows), 1)
    for index in groups:  # a group label spans both columns and never ends a page
        commands += [("SPAN", (0, index), (1, index)), ("BACKGROUND", (0, index), (1, index), ctx.theme.box_colour),
                     ("NOSPLIT", (0, index), (1, min(index + 1, len(rows) - 1)))]
    table = brief_table(rows, column_widths(ctx.typography.timeline_widths, 2, ctx.frame_width), commands,
                        header_rows=1, frame_height=ctx.frame_height, font=ctx.styles.body.fontName,
                        where="of a timeline")
    return [ctx.noted(table, tuple(row_notes)), _spacer(ctx)]


def _panel(children: tuple[Block, ...], title: tuple[Inline, ...] | None, pad: Padding, commands: list[tuple],
           ctx: Context, where: str, role: str) -> list[Flowable]:
    """Blocks inside a one-column table (a box, a quote): one row per block, so it can split.

    As in a Word table cell, the space before the first flowable and after the last one count
    (reportlab's cells drop them), the larger of two meeting spaces applies between rows, and
    ``pad`` surrounds the whole panel. Its blocks' elements go under one of ``role``, the title as a P.
    """
    inner = ctx.within(ctx.element.add(role), ctx.frame_width - pad.left - pad.right)
    rows: list[list[Flowable]] = []
    if title is not None:
        rows.append([inner.paragraph(title, ctx.styles.box_title, inner.element.add("P"))])
    row_notes: list[tuple[int, ...]] = [()] if title is not None else []
    for child in children:
        rows.append(_flowables(child, inner))
        row_notes.append(_block_notes(child))
    rows = [row for row in rows if row]
    if not rows:
        return []
    last = len(rows) - 1
    spacing = [
        command
        for index, row in enumerate(rows)
        for command in padding_commands(
            Padding(top=(pad.top + row[0].getSpaceBefore() if index == 0
                         else max(row[0].getSpaceBefore() - rows[index - 1][-1].getSpaceAfter(), 0.0)),
                    bottom=row[-1].getSpaceAfter() + (pad.bottom if index == last else 0.0),
                    left=pad.left, right=pad.right),
            (0, index), (0, index),
        )
    ]
    table = brief_table([[row] for row in rows], [ctx.frame_width], [*commands, *spacing], header_rows=0,
                        frame_height=ctx.frame_height, font=ctx.styles.body.fontName, where=where)
    return [ctx.noted(table, tuple(row_notes)), _spacer(ctx)]


@_flowables.register
def _box(block: Box, ctx: Context) -> list[Flowable]:
    title = (Text(block.title),) if block.title else None
    commands = [
        ("BACKGROUND", (0, 0), (-1, -1), ctx.theme.box_colour),
        ("LINEBEFORE", (0, 0), (0, -1), 3, ctx.theme.accent_colour),
    ]
    return _panel(block.children, title, ctx.typography.box_padding, commands, ctx, f"in the {block.kind} box", "Aside")


@_flowables.register
def _quote(block: BlockQuote, ctx: Context) -> list[Flowable]:
    commands = [("LINEBEFORE", (0, 0), (0, -1), 2, ctx.theme.muted_colour)]
    pad = Padding(top=0.0, bottom=0.0, left=ctx.typography.quote_indent, right=0.0)
    return _panel(block.children, None, pad, commands, ctx, "in a block quote", "BlockQuote")


@_flowables.register
def _rule(block: HorizontalRule, ctx: Context) -> list[Flowable]:
    return [RuleFlowable(ctx.typography.rule, RULE_COLOUR, line=ctx.typography.spacer_line)]


@_flowables.register
def _page_break(block: PageBreak, ctx: Context) -> list[Flowable]:
    return [PageBreakFlowable()]


@_flowables.register
def _sources(block: SourceList, ctx: Context) -> list[Flowable]:
    listing = ctx.element.add("L")
    return [_list_item(entry.children, ctx.styles.source, f"{i}.", listing, ctx)
            for i, entry in enumerate(block.entries, start=1)]


# --- which notes a block cites ----------------------------------------------------------


@singledispatch
def _block_notes(block: Block) -> tuple[int, ...]:
    return ()


@_block_notes.register(Heading)
@_block_notes.register(Paragraph)
def _inline_block_notes(block: Heading | Paragraph) -> tuple[int, ...]:
    return note_numbers(block.children)


@_block_notes.register(BulletList)
@_block_notes.register(OrderedList)
def _list_notes(block: BulletList | OrderedList) -> tuple[int, ...]:
    return note_numbers(tuple(i for item in block.items for i in item.children))


@_block_notes.register
def _table_notes(block: Table) -> tuple[int, ...]:
    cells = (*block.header, *(cell for row in block.rows for cell in row), block.caption)
    return note_numbers(tuple(i for cell in cells for i in cell))


@_block_notes.register
def _timeline_notes(block: Timeline) -> tuple[int, ...]:
    return note_numbers(tuple(i for row in block.rows if isinstance(row, TimelineEntry) for i in row.children))


@_block_notes.register(Box)
@_block_notes.register(BlockQuote)
def _panel_notes(block: Box | BlockQuote) -> tuple[int, ...]:
    return tuple(dict.fromkeys(n for child in block.children for n in _block_notes(child)))


def cited_notes(blocks: tuple[Block, ...]) -> set[int]:
    """Every note number the blocks cite."""
    return {n for block in blocks for n in _block_notes(block)}
