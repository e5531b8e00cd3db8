"""Tagged PDF (PDF/UA-1): marked content on the pages and a structure tree over it.

The block rules give each flowable that draws text or an image a structure
element (``Element``: H1, P, LBody, TD, Note, Figure...) in a tree that
follows the document model. A ``Tagged`` paragraph marks each text object it
draws as content of its element (``BT /P <</MCID n>> BDC`` ... ``EMC ET``:
the bullet's as its Lbl), and inside the text object the words of each link
as content of a Link element in its place (reportlab's paragraph reports
where a link starts and ends on each line) and those of a span in another
language as a Span with its /Lang (the span's ``onDraw`` marks call the
canvas); a ``Tagged`` image draws inside
one sequence of its element. Everything drawn outside (header, footer,
marking banner, watermark, page numbers, rules, underlines, table and box
backgrounds) lies in ``/Artifact`` sequences. A ``Tagger`` numbers the
sequences of each page, gives each Link the annotation of its words (OBJR), and,
before the file is saved, writes the structure tree, its ParentTree, the
catalog's MarkInfo and DisplayDocTitle, each page's ``/Tabs /S`` and XMP
metadata declaring PDF/UA-1. Everything is numbered in drawing order, so
equal input gives equal bytes. This module knows nothing of the document model.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from reportlab.pdfbase.pdfdoc import (
    PDFArray,
    PDFDictionary,
    PDFName,
    PDFObject,
    PDFObjectReference,
    PDFPage,
    PDFStream,
    PDFString,
    PDFtrue,
)
from reportlab.pdfgen.canvas import Canvas
from reportlab.pdfgen.textobject import PDFTextObject
from reportlab.platypus import Flowable

from briefgen.writers.pdf.markup import LANGUAGE_CALLBACK
from briefgen.xmp import xmp_packet

__all__ = ["Element", "Tagged", "Tagger", "TaggingCanvas", "XmpInfo"]

_PAGE_KEYS = [*PDFPage.__NoDefault__, "Tabs", "StructParents"]


class Element:
    """A structure element: a standard ``role`` (P, H1, LI, TD...), its marked content and children.

    ``content`` holds its marked content, (page index, MCID) pairs in drawing order, and between
    them the inline elements (Link, Span) drawn within its text; ``children`` the elements under it in
    reading order (they follow its content in the file).
    """

    __slots__ = ("role", "children", "content", "annotation", "alt", "element_id", "table", "language")

    def __init__(self, role: str, *, alt: str | None = None, element_id: str | None = None,
                 table: dict[str, str | int] | None = None, language: str | None = None) -> None:
        self.role = role
        self.children: list[Element] = []
        self.content: list[tuple[int, int] | Element] = []
        self.annotation: tuple[int, Any, PDFObjectReference] | None = None  # a Link's (page, annotation, reference)
        self.alt, self.element_id, self.table = alt, element_id, table  # table: Scope, ColSpan (Table attributes)
        self.language = language  # a Span's /Lang

    def add(self, role: str, **attributes: Any) -> Element:
        """A new child element, after the children already there."""
        child = Element(role, **attributes)
        self.children.append(child)
        return child

    def walk(self) -> Iterator[Element]:
        """This element and every one under it, in reading order."""
        yield self
        for item in self.content:
            if isinstance(item, Element):
                yield from item.walk()
        for child in self.children:
            yield from child.walk()

    def kids(self) -> Iterator[Element]:
        """The elements directly under this one: inline ones, then children."""
        yield from (item for item in self.content if isinstance(item, Element))
        yield from self.children


class Tagged:
    """Mixin for a flowable drawn as the marked content of ``element``.

    A paragraph (``marks_text``) marks the text objects it draws; ``label`` (a list item's Lbl)
    receives the first, its bullet or number: reportlab draws a paragraph's bullet as a text
    object of its own before the text. Anything else is marked whole.
    A split keeps the element; only the first part has the label.
    """

    element: Element | None = None
    label: Element | None = None
    marks_text = False

    def drawOn(self, canvas: Canvas, x: float, y: float, _sW: float = 0) -> None:
        tagger: Tagger | None = getattr(canvas, "tagger", None)
        if tagger is None or self.element is None:
            super().drawOn(canvas, x, y, _sW)  # type: ignore[misc]
            return
        if self.marks_text:
            label = self.label if getattr(self, "bulletText", None) else None
            tagger.mark_text([label, self.element] if label else [self.element])
            super().drawOn(canvas, x, y, _sW)  # type: ignore[misc]
            tagger.mark_text([])
            return
        tagger.begin(canvas, self.element)
        super().drawOn(canvas, x, y, _sW)  # type: ignore[misc]
        tagger.end(canvas)

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        parts = super().split(availWidth, availHeight)  # type: ignore[misc]
        for index, part in enumerate(parts):
            if isinstance(part, Tagged):
                part.element, part.label = self.element, self.label if index == 0 else None
        return parts


class XmpInfo:
    """What the XMP metadata says: title, author, language."""

    __slots__ = ("title", "author", "language")

    def __init__(self, title: str, author: str, language: str) -> None:
        self.title, self.author, self.language = title, author, language


class Tagger:
    """The marked content of each page and the structure tree, written into the document at the end."""

    def __init__(self, root: Element, info: XmpInfo) -> None:
        self.root = root
        self.info = info
        self._pages: list[list[Element]] = []  # per page, the element of each MCID
        self._page_names: list[str] = []
        self._open: Element | None = None
        self._owners: list[Element] = []  # whose content the next text objects are
        self._unanswered: list[Element] = []  # Links whose words are drawn and whose annotation is not
        self._links: list[Element] = []

    def start_page(self, canvas: Canvas) -> None:
        """A new page begins: what is drawn is an artifact until a tagged flowable draws."""
        self._pages.append([])
        canvas._code.append("/Artifact BMC")

    def end_page(self, canvas: Canvas) -> None:
        canvas._code.append("EMC")

    def mark(self, element: Element) -> str:
        """A new marked-content sequence of ``element`` on this page: its BDC operator."""
        page = self._pages[-1]
        element.content.append((len(self._pages) - 1, len(page)))
        page.append(element)
        return f"/{element.role} <</MCID {len(page) - 1}>> BDC"

    def unmark(self, element: Element) -> None:
        """Take back the page's last sequence, ``element``'s, begun but left empty."""
        assert self._pages[-1][-1] is element and element.content[-1] == (len(self._pages) - 1, len(self._pages[-1]) - 1)
        self._pages[-1].pop()
        element.content.pop()

    def begin(self, canvas: Canvas, element: Element) -> None:
        """Marked content of ``element`` from here (an image)."""
        canvas._code.append(f"EMC {self.mark(element)}")
        self._open = element

    def end(self, canvas: Canvas) -> None:
        canvas._code.append("EMC /Artifact BMC")
        self._open = None

    def mark_text(self, owners: list[Element]) -> None:
        """The next text objects are content of ``owners`` in turn (the last one for any after)."""
        self._owners = owners
        self._open = owners[-1] if owners else None
        self._unanswered.clear()

    def text_object(self, canvas: Canvas, x: float, y: float, direction: str | None) -> PDFTextObject:
        """A text object for the canvas: marked as its owner's content while a paragraph draws."""
        if not self._owners:
            return PDFTextObject(canvas, x, y, direction=direction)
        owner = self._owners.pop(0) if len(self._owners) > 1 else self._owners[0]
        return _MarkedText(canvas, x, y, direction, self, owner)

    def link_drawn(self, owner: Element) -> Element:
        """A link's words are drawn in ``owner``'s text: a Link element there, waiting for its annotation."""
        link = Element("Link")
        owner.content.append(link)
        self._unanswered.append(link)
        return link

    @staticmethod
    def span_drawn(owner: Element, language: str) -> Element:
        """Words in ``language`` are drawn in ``owner``'s text: a Span element with its /Lang there."""
        span = Element("Span", language=language)
        owner.content.append(span)
        return span

    def annotation(self, annotation: Any, reference: PDFObjectReference) -> None:
        """A link annotation goes to the Link of its words (reportlab adds them in the words' order),
        else (words drawn in one piece with the paragraph's) to a Link element under the open element."""
        if self._unanswered:
            link = self._unanswered.pop(0)
        elif self._open is not None:
            link = self._open.add("Link")
        else:
            return
        link.annotation = (len(self._pages) - 1, annotation, reference)
        self._links.append(link)

    def finish_page(self, page: PDFPage, name: str) -> None:
        """The page dictionary of the page ``len(page_names)``: tab order and ParentTree key."""
        page.__NoDefault__ = _PAGE_KEYS
        page.Tabs = PDFName("S")
        page.StructParents = len(self._page_names)
        self._page_names.append(name)

    def write(self, canvas: Canvas) -> None:
        """Put the structure tree, ParentTree, MarkInfo, viewer preference and XMP into the document."""
        doc = canvas._doc
        elements = list(self.root.walk())
        names = {id(element): f"StructElem{index}" for index, element in enumerate(elements)}
        pages = [PDFObjectReference(name) for name in self._page_names]
        root_name = "StructTreeRoot"
        for key, link in enumerate(self._links, start=len(pages)):
            _describe(link.annotation[1], key)  # type: ignore[index]
        parent_of = {id(child): names[id(e)] for e in elements for child in e.kids()}
        parent_of[id(self.root)] = root_name
        for element in elements:
            doc.Reference(_ElementObject(element, parent_of[id(element)], names, self._page_names), names[id(element)])
        numbers: list[Any] = []
        for index, page in enumerate(self._pages[: len(pages)]):
            numbers += [index, PDFArray([PDFObjectReference(names[id(e)]) for e in page])]
        for index, link in enumerate(self._links, start=len(pages)):
            numbers += [index, PDFObjectReference(names[id(link)])]
        parent_tree = doc.Reference(PDFDictionary({"Nums": PDFArray(numbers)}))
        doc.Reference(PDFDictionary({
            "Type": PDFName("StructTreeRoot"),
            "K": PDFArray([PDFObjectReference(names[id(self.root)])]),
            "ParentTree": parent_tree,
            "ParentTreeNextKey": len(pages) + len(self._links),
        }), root_name)
        catalog = doc.Catalog
        catalog.StructTreeRoot = PDFObjectReference(root_name)
        catalog.MarkInfo = PDFDictionary({"Marked": PDFtrue})
        catalog.ViewerPreferences = PDFDictionary({"DisplayDocTitle": PDFtrue})
        catalog.Metadata = doc.Reference(_xmp(self.info))


def _describe(annotation: Any, key: int) -> None:
    """Give a link annotation its ParentTree key and a Contents text (what it links to)."""
    if isinstance(annotation, PDFDictionary):  # a URL
        annotation["StructParent"] = key
        annotation["Contents"] = PDFString(annotation["A"]["URI"].s if "A" in annotation else "")
    else:  # a link to a note
        annotation.permitted = (*annotation.permitted, "StructParent")
        annotation.otherkw["StructParent"] = key
        name = str(getattr(annotation.Destination, "name", ""))
        annotation.Contents = f"Note {name.removeprefix('note-')}"


class _ElementObject(PDFObject):
    """A structure element's dictionary, written straight to bytes.

    A brief has an element per paragraph, cell and list part: reportlab's generic object
    formatting of them cost a fifth of the writer's time, this a fraction of that.
    """

    def __init__(self, element: Element, parent: str, names: dict[int, str], pages: list[str]) -> None:
        self.element, self.parent, self.names, self.pages = element, parent, names, pages

    def format(self, document: Any) -> bytes:
        numbers = document.idToObjectNumberAndVersion

        def ref(name: str) -> str:
            return f"{numbers[name][0]} 0 R"

        element, pages = self.element, self.pages
        parts = [f"<< /Type /StructElem /S /{element.role} /P {ref(self.parent)}"]
        kids: list[str] = []
        marked = [item for item in element.content if isinstance(item, tuple) and item[0] < len(pages)]
        first = marked[0][0] if marked else 0
        if marked:
            parts.append(f"/Pg {ref(pages[first])}")
        for item in element.content:
            if isinstance(item, Element):
                kids.append(ref(self.names[id(item)]))
            elif item[0] < len(pages):
                page, mcid = item
                kids.append(str(mcid) if page == first else f"<< /Type /MCR /Pg {ref(pages[page])} /MCID {mcid} >>")
        if element.annotation is not None:
            page, _, reference = element.annotation
            on_page = f" /Pg {ref(pages[page])}" if page < len(pages) else ""
            kids.append(f"<< /Type /OBJR /Obj {ref(reference.name)}{on_page} >>")
        kids += [ref(self.names[id(child)]) for child in element.children]
        if len(kids) == 1:  # one item stands alone, as most tools write it (pdfua 0.1.3 reads no array of MCIDs)
            parts.append(f"/K {kids[0]}")
        elif kids:
            parts.append(f"/K [{' '.join(kids)}]")
        if element.table:
            entries = " ".join(f"/{key} {'/' + value if isinstance(value, str) else value}"
                               for key, value in element.table.items())
            parts.append(f"/A << /O /Table {entries} >>")
        head = " ".join(parts).encode("ascii")
        for key, text in (("Alt", element.alt), ("ID", element.element_id), ("Lang", element.language)):
            if text is not None:
                head += f" /{key} ".encode("ascii") + PDFString(text).format(document)
        return head + b" >>"


def _xmp(info: XmpInfo) -> PDFStream:
    """XMP metadata declaring PDF/UA-1 (``pdfuaid:part 1``) with the title, author and language."""
    packet = xmp_packet(info.title, [info.author], [info.language])
    return _PlainStream(PDFDictionary({"Type": PDFName("Metadata"), "Subtype": PDFName("XML")}), packet)


class _PlainStream(PDFStream):
    """A stream written as it is, never compressed: XMP is meant to be readable by any tool."""

    def format(self, document: Any) -> bytes:
        entries = PDFDictionary({**self.dictionary.dict, "Length": len(self.content)})
        return entries.format(document) + b"\nstream\n" + self.content + b"endstream\n"


def _language_changes(canvas: Canvas, kind: str, language: str | None) -> None:
    """The ``onDraw`` callback of a span's marks: tell the text object being drawn."""
    text = canvas._curr_tx_info["tx"]
    if isinstance(text, _MarkedText):
        text.language(language or "")


class _MarkedText(PDFTextObject):
    """A paragraph's text object: its text is ``owner``'s content, each link's words a Link's.

    reportlab's paragraph calls ``_linkRecord(link, "start")`` right after drawing the first
    words of a link on a line, and ``_linkRecord(link, "end")`` before the words after it
    (or at the line's end). The sequences begin and end inside the text object, as marked
    content inside BT ... ET must.
    """

    def __init__(self, canvas: Canvas, x: float, y: float, direction: str | None, tagger: Tagger, owner: Element) -> None:
        super().__init__(canvas, x, y, direction=direction)
        self._tagger, self._owners = tagger, [owner]  # the paragraph's element, then the Spans open in it
        self._code.append(tagger.mark(owner))

    def _linkRecord(self, link: object, kind: str) -> None:
        if kind == "start":
            self._code.insert(len(self._code) - 1, f"EMC {self._tagger.mark(self._tagger.link_drawn(self._owners[-1]))}")
        else:
            self._resume()

    def language(self, language: str) -> None:
        """Words in ``language`` follow (a Span of the current owner), or with "" the span has ended."""
        if language:
            self._owners.append(self._tagger.span_drawn(self._owners[-1], language))
        elif len(self._owners) > 1:
            self._owners.pop()
        self._resume()

    def _resume(self) -> None:
        """The open sequence ends; the current owner's begins (dropped at the end if nothing follows)."""
        self._code += ["EMC", self._tagger.mark(self._owners[-1])]

    def getCode(self) -> str:
        for index in range(len(self._code) - 1, 0, -1):  # back to the last words or the last sequence begun
            entry = self._code[index]
            if "Tj" in entry or "TJ" in entry:
                break
            if entry.endswith(" BDC"):
                if self._code[index - 1] == "EMC":  # begun after the last words (a line's move may follow)
                    del self._code[index]
                    self._tagger.unmark(self._owners[-1])
                    return super().getCode()
                break
        self._code.append("EMC")
        return super().getCode()


class TaggingCanvas(Canvas):
    """A canvas that tells its ``tagger`` about text objects, link annotations, spans and finished pages."""

    tagger: Tagger | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setNamedCB(LANGUAGE_CALLBACK, _language_changes)

    def beginText(self, x: float = 0, y: float = 0, direction: str | None = None) -> PDFTextObject:
        if self.tagger is None:
            return super().beginText(x, y, direction)
        return self.tagger.text_object(self, x, y, direction)

    def drawText(self, aTextObject: Any) -> None:
        if not isinstance(aTextObject, _MarkedText):
            super().drawText(aTextObject)
            return
        self._code.append("EMC")  # the artifact around it ends: its sequences lie inside BT ... ET
        super().drawText(aTextObject)
        self._code.append("/Artifact BMC")

    def _addAnnotation(self, annotation: Any, name: str | None = None, addtopage: int = 1) -> None:
        super()._addAnnotation(annotation, name, addtopage)
        if self.tagger is not None and addtopage:
            self.tagger.annotation(annotation, self._annotationrefs[-1])

    def _setAnnotations(self, page: PDFPage) -> None:
        super()._setAnnotations(page)
        if self.tagger is not None:
            self.tagger.finish_page(page, self._doc.thisPageName())
