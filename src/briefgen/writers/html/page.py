"""The whole HTML page of a document: head, theme styles, marking banner, title block, body, notes, footer.

One self-contained file: the stylesheet is inline, the logo a ``data:``
URI, and fonts are the reader's own (the theme's families, then the
system's sans-serif), so the page needs no network. The page's language is
the brief's; its one ``h1`` is the brief's title. Notes are a list after
the body: each note links back to every place that cites it. The
marking (``OFFICIAL``, ``DRAFT``) is a banner at the top and the bottom, as
on every page of the PDF.
"""

from __future__ import annotations

import base64
from functools import cache
from html import escape
from pathlib import Path

from briefgen.assets import image_media_type, logo_bytes
from briefgen.model import Document, Meta, Note
from briefgen.themes import Theme, logo_text
from briefgen.transforms.checks import check_document
from briefgen.writers import Rendered
from briefgen.writers.html.blocks import Context, blocks
from briefgen.writers.html.inlines import backref_id, inlines, note_id

__all__ = ["write_html"]


def write_html(doc: Document, theme: Theme) -> Rendered:
    """The page of ``doc`` with ``theme``: same input, same bytes."""
    check_document(doc, theme)
    ctx = Context()
    body = blocks(doc.blocks, ctx)
    notes = _notes(doc, ctx)
    marking = doc.meta.marking or theme.marking
    language = escape(doc.meta.language)
    page = "\n".join(
        part
        for part in (
            "<!DOCTYPE html>",
            f'<html lang="{language}">',
            "<head>",
            '<meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{escape(doc.meta.title, quote=False)}</title>",
            *_meta_tags(doc.meta),
            f"<style>\n{_theme_css(theme)}{_stylesheet()}</style>",
            "</head>",
            "<body>",
            f'<div class="watermark" aria-hidden="true" data-text="{escape(theme.watermark)}"></div>' if theme.watermark else "",
            _header(theme, marking),
            "<main>",
            _title_block(doc.meta, theme),
            body,
            notes,
            "</main>",
            _footer(theme, marking),
            "</body>",
            "</html>",
            "",
        )
        if part
    )
    return Rendered(page.encode("utf-8"))


def _meta_tags(meta: Meta) -> list[str]:
    tags = [("author", meta.author), ("description", meta.subject or meta.subtitle), ("keywords", ", ".join(meta.keywords))]
    return [f'<meta name="{name}" content="{escape(value)}">' for name, value in tags if value]


def _header(theme: Theme, marking: str | None) -> str:
    parts = [f'<p class="marking">{escape(marking, quote=False)}</p>' if marking else "",
             f'<p class="running-header">{escape(theme.header_text, quote=False)}</p>' if theme.header_text else ""]
    return f'<header class="page-header">{"".join(parts)}</header>'


def _footer(theme: Theme, marking: str | None) -> str:
    parts = [f"<p>{escape(theme.footer_text, quote=False)}</p>" if theme.footer_text else "",
             f'<p class="marking">{escape(marking, quote=False)}</p>' if marking else ""]
    return f'<footer class="page-footer">{"".join(parts)}</footer>' if any(parts) else ""


def _title_block(meta: Meta, theme: Theme) -> str:
    lines = [f"<h1>{escape(meta.title, quote=False)}</h1>"]
    if meta.subtitle:
        lines.append(f'<p class="subtitle">{escape(meta.subtitle, quote=False)}</p>')
    shown = escape(meta.labels.date or (meta.date.isoformat() if meta.date else ""), quote=False)
    byline = [f'<time datetime="{meta.date.isoformat()}">{shown}</time>' if meta.date else "",
              escape(meta.author, quote=False) if meta.author else ""]
    if any(byline):
        lines.append(f'<p class="byline">{" · ".join(part for part in byline if part)}</p>')
    logo = (f'<img src="{_logo_uri(theme)}" alt="{escape(logo_text(theme, meta.author))}">'
            if theme.logo is not None else "")
    return f'<div class="title-block"><div>{"".join(lines)}</div>{logo}</div>'


def _notes(doc: Document, ctx: Context) -> str:
    if not doc.notes:
        return ""
    heading = escape(doc.meta.labels.notes, quote=False)
    items = "".join(_note(note, ctx) for note in doc.notes)
    return f'<section class="notes" aria-labelledby="notes-heading"><h2 id="notes-heading">{heading}</h2><ol>{items}</ol></section>'


def _note(note: Note, ctx: Context) -> str:
    cited = ctx.citations.counts.get(note.number, 0)
    backs = "".join(
        f'<a href="#{backref_id(note.number, k)}" class="backref" role="doc-backlink">↩{"" if cited == 1 else f"<sup>{k}</sup>"}</a>'
        for k in range(1, cited + 1)
    )
    return f'<li id="{note_id(note.number)}" value="{note.number}">{inlines(note.children, ctx.citations)}{backs}</li>'


def _theme_css(theme: Theme) -> str:
    fonts = ", ".join(f'"{family}"' for family in dict.fromkeys((theme.pdf_font, theme.docx_font)))
    margins = theme.margins
    return (
        ":root {"
        f" --text: {theme.text_colour}; --accent: {theme.accent_colour}; --muted: {theme.muted_colour};"
        f" --box: {theme.box_colour}; --table-header: {theme.table_header_colour}; --stripe: {theme.table_stripe_colour};"
        f" --scale: {theme.base_size / 10.5:.4f}; --font: {fonts}, sans-serif; }}\n"
        f"@page {{ size: {theme.page_size.value}; margin: {margins.top}mm {margins.right}mm {margins.bottom}mm {margins.left}mm; }}\n"
    )


@cache
def _stylesheet() -> str:
    return Path(__file__).with_name("style.css").read_text(encoding="utf-8")


def _logo_uri(theme: Theme) -> str:
    assert theme.logo is not None
    data = logo_bytes(theme.logo)  # checked: an image, whole, of a bounded number of pixels
    return f"data:{image_media_type(data)};base64,{base64.b64encode(data).decode('ascii')}"
