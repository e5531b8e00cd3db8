"""Markdown with citation marks -> the document model: the entry points, the cache and escaping.

``read_markdown`` reads a brief's Markdown into model blocks through the
cache folder: an unchanged text costs neither markdown-it's import nor a
parse, nor the import of the converter (``markdown.convert``, which holds the
dialect's parser and rules). ``escape_markdown`` is the inverse for plain
text: it makes any text (a fact's statement) read back as exactly that text.
"""

from __future__ import annotations

import re

from briefgen import cache
from briefgen.model import Block, Document, Meta

__all__ = ["escape_markdown", "read_document", "read_markdown"]

# escape_markdown: characters that are markup anywhere, and those that are markup at a line start.
_ALWAYS_ESCAPED = "\\`*_[]<>&#|{}"  # the backslash first, so that no escape is escaped again
_ASCII_WHITESPACE = re.compile(r"[ \t\n\r\f\v]+")
_UNUSUAL_WHITESPACE = re.compile(r"[\t\n\r\f\v]|  ")  # anything but single spaces
_ASCII_PUNCTUATION = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")

# What decides what a text reads as: this reader, the converter, the model, the labels, and markdown-it
# and its plugins (whose ``__init__`` states their version).
_CODE = (
    "briefgen.markdown.reader",
    "briefgen.markdown.convert",
    "briefgen.model",
    "briefgen.l10n.labels",
    "markdown_it",
    "mdit_py_plugins",
)


# --- public API --------------------------------------------------------------------


def read_markdown(text: str, *, language: str = "en", source_name: str = "<brief>") -> tuple[Block, ...]:
    """The blocks of ``text``; every problem found is reported at once as a ``RenderError``.

    ``language`` picks the labels the reader fills in (a timeline's column
    heads, a key-facts box's default title); ``source_name`` is the file
    named in error messages. Blocks read before are loaded from the cache
    folder: an unchanged text costs neither markdown-it's import nor a parse.
    """
    key = (cache.code_digest(*_CODE), language, text)
    return cache.remembered("markdown", key, lambda: _converted(text, language, source_name))


def read_document(text: str, meta: Meta, *, source_name: str = "<brief>") -> Document:
    """A document of ``meta`` whose body is ``text`` read in ``meta.language``."""
    return Document(meta, read_markdown(text, language=meta.language, source_name=source_name))


def escape_markdown(text: str) -> str:
    """Markdown that ``read_markdown`` reads back as one paragraph of exactly ``text``.

    Whitespace is normalised first: every run of ASCII white space (spaces,
    tabs, line breaks) becomes one space and the ends are trimmed, because in
    Markdown a line break would be a soft break (or, after two spaces, a hard
    one) and a blank line a new paragraph. Then every character that has a
    meaning anywhere in the dialect (``\\ ` * _ [ ] < > & # | { }``) is
    backslash-escaped, and so is the first character if it is other ASCII
    punctuation (``-``, ``+``, ``>``, ``:``, ``~``, ``=``, or ``.``/``)``
    after leading digits), because those only mean something at the start
    of a line. Other white space at either end (no-break space, ideographic
    space, ...) would be trimmed by the parser, so it is written as a
    numeric character reference.
    """
    words = (_ASCII_WHITESPACE.sub(" ", text) if _UNUSUAL_WHITESPACE.search(text) else text).strip(" ")
    lead = len(words) - len(words.lstrip("0123456789"))  # digits are never markup
    first = words[lead : lead + 1]
    if first in _ASCII_PUNCTUATION:  # markup at a line start (or anywhere): escape it
        escaped = words[:lead] + "\\" + first + _backslash_markup(words[lead + 1 :])
    else:
        escaped = words[:lead] + _backslash_markup(words[lead:])
    rest = escaped.lstrip()
    core = rest.rstrip()
    start, end = escaped[: len(escaped) - len(rest)], rest[len(core) :]
    return _character_references(start) + core + _character_references(end)



def _backslash_markup(text: str) -> str:
    """``text`` with a backslash before every character of ``_ALWAYS_ESCAPED`` (one C-speed pass each)."""
    for char in _ALWAYS_ESCAPED:
        if char in text:
            text = text.replace(char, "\\" + char)
    return text


def _character_references(spaces: str) -> str:
    return "".join(f"&#x{ord(char):X};" for char in spaces)


def _converted(text: str, language: str, source_name: str) -> tuple[Block, ...]:
    from briefgen.markdown.convert import convert_markdown

    return convert_markdown(text, language=language, source_name=source_name)
