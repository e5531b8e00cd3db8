"""Real Word footnotes or endnotes: the notes part and the references to it.

python-docx has no notes API. ``NotesPart`` finds or creates
``word/footnotes.xml`` (or ``endnotes.xml``) with the separator notes Word
expects, registers it in the relationships, content types (through the
part's content type) and ``settings.xml``, and hands out references.

Briefs number notes per fact: citing a fact again shows the same number.
Word has one footnote per reference mark, so the first citation of note N
gets the real footnote and every later one is a ``NOTEREF`` field to a
bookmark around that first mark, formatted as a note reference. Repeating
the footnote instead would print the same text twice and let Word give it
a new number; a plain typed "3" would go stale as soon as an editor inserts
a footnote above it, while Word updates the field with the footnote it
points at. This module does not render note text: the caller fills the
paragraph ``add_note`` returns.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import TYPE_CHECKING

from lxml import etree

from briefgen.writers.docx.fields import field_runs
from briefgen.writers.docx.order import W, set_child, w_element
from briefgen.writers.docx.units import twips

if TYPE_CHECKING:
    from docx.parts.document import DocumentPart
    from docx.parts.story import StoryPart

__all__ = ["ENDNOTES", "FOOTNOTES", "NoteKind", "NotesPart"]

_W_ID = f"{{{W}}}id"
_W_TYPE = f"{{{W}}}type"


@dataclass(frozen=True, slots=True)
class NoteKind:
    """The names that differ between footnotes and endnotes."""

    name: str  # "footnote" / "endnote": element names derive from it
    content_type: str
    reltype: str

    @property
    def partname(self) -> str:
        return f"/word/{self.name}s.xml"

    def tag(self, suffix: str = "") -> str:
        return f"{{{W}}}{self.name}{suffix}"


_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_WML = "application/vnd.openxmlformats-officedocument.wordprocessingml"
FOOTNOTES = NoteKind("footnote", f"{_WML}.footnotes+xml", f"{_RELS}/footnotes")
ENDNOTES = NoteKind("endnote", f"{_WML}.endnotes+xml", f"{_RELS}/endnotes")


class NotesPart:
    """The notes part of one document being written; remembers which notes are placed."""

    def __init__(self, document_part: DocumentPart, kind: NoteKind, separator: float) -> None:
        self.kind = kind
        self.part = _notes_part(document_part, kind, separator)
        special = [int(note.get(_W_ID)) for note in self.part.element.findall(kind.tag())]
        # Ids of our notes start after the separators a reference DOCX already has.
        self._id_base = max(special, default=0)
        self._placed: set[int] = set()
        _declare_notes(document_part, kind, sorted(special))

    def is_placed(self, number: int) -> bool:
        return number in self._placed

    def add_note(self, number: int, text_style_id: str, mark_rpr: etree._Element) -> etree._Element:
        """Create note ``number`` and return its paragraph, which already holds the note mark."""
        note = w_element(self.kind.name, id=str(self._id_base + number))
        paragraph = etree.SubElement(note, f"{{{W}}}p")
        properties = etree.SubElement(paragraph, f"{{{W}}}pPr")
        properties.append(w_element("pStyle", val=text_style_id))
        paragraph.append(_run(mark_rpr, w_element(f"{self.kind.name}Ref")))
        # The note text style hangs its text at a tab stop, so that a note's lines align.
        paragraph.append(_run(None, w_element("tab")))
        self.part.element.append(note)
        return paragraph

    def reference(self, number: int, rpr: etree._Element) -> list[etree._Element]:
        """The elements citing note ``number``: the footnote mark the first time, a NOTEREF after."""
        bookmark = f"_BriefNote{number}"
        if number in self._placed:
            return field_runs(f"NOTEREF {bookmark} \\f \\h", str(number), rpr)
        self._placed.add(number)
        mark = w_element(f"{self.kind.name}Reference", id=str(self._id_base + number))
        return [
            w_element("bookmarkStart", id=str(number), name=bookmark),
            _run(rpr, mark),
            w_element("bookmarkEnd", id=str(number)),
        ]


def _run(rpr: etree._Element | None, content: etree._Element) -> etree._Element:
    run = w_element("r")
    if rpr is not None:
        run.append(copy.deepcopy(rpr))
    run.append(content)
    return run


def _notes_part(document_part: DocumentPart, kind: NoteKind, separator: float) -> StoryPart:
    """A fresh notes part holding only the separators (a reference DOCX's, or new ones).

    Each separator is one line exactly ``separator`` points tall: the space the PDF writer
    leaves between the text and a page's notes.
    """
    from docx.opc.packuri import PackURI
    from docx.oxml import parse_xml
    from docx.parts.story import StoryPart

    element = None
    for rel_id, rel in list(document_part.rels.items()):
        if rel.reltype == kind.reltype and not rel.is_external:
            element = parse_xml(rel.target_part.blob)
            document_part.drop_rel(rel_id)
    if element is None:
        element = parse_xml(_empty_notes(kind))
    for note in element.findall(kind.tag()):
        if note.get(_W_TYPE) in (None, "normal"):
            element.remove(note)
            continue
        for paragraph in note.iterfind(f"{{{W}}}p"):
            properties = paragraph.find(f"{{{W}}}pPr")
            if properties is None:
                properties = w_element("pPr")
                paragraph.insert(0, properties)
            set_child(properties, w_element("spacing", before="0", after="0", line=str(twips(separator)), lineRule="exact"))
    part = StoryPart(PackURI(kind.partname), kind.content_type, element, document_part.package)
    document_part.relate_to(part, kind.reltype)
    return part


def _empty_notes(kind: NoteKind) -> bytes:
    separators = "".join(
        f'<w:{kind.name} w:type="{mark}" w:id="{note_id}"><w:p>'
        f"<w:r><w:{mark}/></w:r></w:p></w:{kind.name}>"
        for note_id, mark in ((-1, "separator"), (0, "continuationSeparator"))
    )
    return f'<w:{kind.name}s xmlns:w="{W}" xmlns:r="{_RELS}">{separators}</w:{kind.name}s>'.encode()


def _declare_notes(document_part: DocumentPart, kind: NoteKind, special_ids: list[int]) -> None:
    """List the separator notes in settings.xml, as Word does, with decimal numbering.

    Each section says "decimal" too: LibreOffice reads only the section's setting and
    numbers endnotes i, ii, iii otherwise, which the cached NOTEREF results would contradict.
    A reference DOCX that already declares the notes keeps its own settings.
    """
    for section in document_part.element.body.iter(f"{{{W}}}sectPr"):
        if section.find(kind.tag("Pr")) is None:
            numbering = set_child(section, w_element(f"{kind.name}Pr"))
            numbering.append(w_element("numFmt", val="decimal"))
    settings = document_part.settings.element
    if settings.find(kind.tag("Pr")) is not None:
        return
    properties = w_element(f"{kind.name}Pr")
    properties.append(w_element("numFmt", val="decimal"))
    for note_id in special_ids:
        properties.append(w_element(kind.name, id=str(note_id)))
    set_child(settings, properties)
