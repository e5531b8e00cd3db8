"""Tagged PDF (PDF/UA-1): marked content on the pages and a structure tree over it.

The block rules give each flowable that draws text or an image a structure
element (``Element``: H1, P, LBody, TD, Note, Figure...) in a tree that
follows the document model. A ``Tagged`` flowable draws inside a
marked-content sequence of its element (``/P <</MCID n>> BDC`` ... ``EMC``);
everything drawn outside one (header, footer, marking banner, watermark,
page numbers, rules, table and box backgrounds) lies in ``/Artifact``
sequences. A ``Tagger`` numbers the sequences of each page, turns each link
annotation into a Link element (OBJR) under the element being drawn, and,
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
from reportlab.platypus import Flowable

from briefgen.writers.pdf.xmp import xmp_packet

__all__ = ["Element", "Tagged", "Tagger", "TaggingCanvas", "XmpInfo"]

_PAGE_KEYS = [*PDFPage.__NoDefault__, "Tabs", "StructParents"]


class Element:
    """A structure element: a standard ``role`` (P, H1, LI, TD...), its marked content and children.

    ``marked`` holds (page index, MCID) pairs in drawing order; ``children`` the elements under
    it in reading order (they follow its own marked content in the file).
    """

    __slots__ = ("role", "children", "marked", "annotation", "alt", "element_id", "table")

    def __init__(self, role: str, *, alt: str | None = None, element_id: str | None = None,
                 table: dict[str, str | int] | None = None) -> None:
        self.role = role
        self.children: list[Element] = []
        self.marked: list[tuple[int, int]] = []
        self.annotation: tuple[int, Any, PDFObjectReference] | None = None  # a Link's (page, annotation, reference)
        self.alt, self.element_id, self.table = alt, element_id, table  # table: Scope, ColSpan (Table attributes)

    def add(self, role: str, **attributes: Any) -> Element:
        """A new child element, after the children already there."""
        child = Element(role, **attributes)
        self.children.append(child)
        return child

    def walk(self) -> Iterator[Element]:
        """This element and every one under it, in reading order."""
        yield self
        for child in self.children:
            yield from child.walk()


class Tagged:
    """Mixin for a flowable drawn as the marked content of ``element``.

    ``label`` (a list item's Lbl) receives what the flowable draws first, its bullet or number:
    reportlab draws a paragraph's bullet as a text object of its own before the text.
    A split keeps the element; only the first part has the label.
    """

    element: Element | None = None
    label: Element | None = None

    def drawOn(self, canvas: Canvas, x: float, y: float, _sW: float = 0) -> None:
        tagger: Tagger | None = getattr(canvas, "tagger", None)
        if tagger is None or self.element is None:
            super().drawOn(canvas, x, y, _sW)  # type: ignore[misc]
            return
        label = self.label if getattr(self, "bulletText", None) else None
        tagger.begin(canvas, label or self.element, then=self.element if label else None)
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
        self._then: Element | None = None
        self._links: list[Element] = []

    def start_page(self, canvas: Canvas) -> None:
        """A new page begins: what is drawn is an artifact until a tagged flowable draws."""
        self._pages.append([])
        canvas._code.append("/Artifact BMC")

    def end_page(self, canvas: Canvas) -> None:
        canvas._code.append("EMC")

    def begin(self, canvas: Canvas, element: Element, then: Element | None = None) -> None:
        """Marked content of ``element`` from here; with ``then``, from the next text object on, ``then``'s."""
        page = self._pages[-1]
        element.marked.append((len(self._pages) - 1, len(page)))
        canvas._code.append(f"EMC /{element.role} <</MCID {len(page)}>> BDC")
        page.append(element)
        self._open, self._then = element, then

    def end(self, canvas: Canvas) -> None:
        canvas._code.append("EMC /Artifact BMC")
        self._open = self._then = None

    def text_drawn(self, canvas: Canvas) -> None:
        """A text object was drawn: a label's sequence ends after its first one."""
        if self._then is not None:
            following = self._then
            self.end(canvas)
            self.begin(canvas, following)

    def annotation(self, annotation: Any, reference: PDFObjectReference) -> None:
        """A link annotation drawn inside an element becomes a Link element under it."""
        if self._open is None:
            return
        link = self._open.add("Link")
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
        parent_of = {id(child): names[id(e)] for e in elements for child in e.children}
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
        marked = [(page, mcid) for page, mcid in element.marked if page < len(pages)]
        if marked:
            first = marked[0][0]
            parts.append(f"/Pg {ref(pages[first])}")
            kids += [str(mcid) if page == first else f"<< /Type /MCR /Pg {ref(pages[page])} /MCID {mcid} >>"
                     for page, mcid in marked]
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
        for key, text in (("Alt", element.alt), ("ID", element.element_id)):
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


class TaggingCanvas(Canvas):
    """A canvas that tells its ``tagger`` about text objects, link annotations and finished pages."""

    tagger: Tagger | None = None

    def drawText(self, aTextObject: Any) -> None:
        super().drawText(aTextObject)
        if self.tagger is not None:
            self.tagger.text_drawn(self)

    def _addAnnotation(self, annotation: Any, name: str | None = None, addtopage: int = 1) -> None:
        super()._addAnnotation(annotation, name, addtopage)
        if self.tagger is not None and addtopage:
            self.tagger.annotation(annotation, self._annotationrefs[-1])

    def _setAnnotations(self, page: PDFPage) -> None:
        super()._setAnnotations(page)
        if self.tagger is not None:
            self.tagger.finish_page(page, self._doc.thisPageName())
