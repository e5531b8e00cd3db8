"""The bound file of a batch: the jobs' PDFs in one, tagged as each of them is.

pypdf's ``PdfWriter.append`` copies pages, their marked content and their
links, but not the structure tree that says what the marked content is,
and it drops each page's ``/StructParents``. ``bind`` appends each PDF and
then grafts its structure tree under one Document element of the bound
file (keeping its language as the part's ``/Lang``), moving its ParentTree
keys past those of the PDFs before it, so the bound file is as tagged as
its parts. The bound file has a title of its own (its parts' titles), shown
by readers instead of the file name, the first part's language as the
catalog's ``/Lang``, and XMP metadata declaring PDF/UA-1 like its parts.
This module reads and writes PDFs only; it builds nothing.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

from briefgen.xmp import xmp_packet

__all__ = ["bind"]


def bind(parts: Sequence[tuple[Path, str]]) -> bytes:
    """The PDFs ``parts`` (path, bookmark label) in order, each under a bookmark with its title (else its label)."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import ArrayObject, BooleanObject, DictionaryObject, NameObject, NumberObject

    writer = PdfWriter()
    documents = ArrayObject()
    numbers = ArrayObject()
    root = DictionaryObject({NameObject("/Type"): NameObject("/StructTreeRoot")})
    root_ref = writer._add_object(root)
    languages: list[str] = []
    titles: list[str] = []
    authors: list[str] = []
    next_key = 0
    for path, label in parts:
        reader = PdfReader(path)
        title = reader.metadata.title if reader.metadata else None
        titles.append(str(title or label))
        authors.append(str(reader.metadata.author or "") if reader.metadata else "")
        first_page = len(writer.pages)
        writer.append(reader, outline_item=str(title or label))
        catalog = reader.trailer["/Root"]
        tree = catalog.get("/StructTreeRoot")
        if tree is None:
            continue
        language = str(catalog.get("/Lang", ""))
        languages.append(language)
        offset = next_key
        for index, page in enumerate(reader.pages):
            if "/StructParents" in page:
                writer.pages[first_page + index][NameObject("/StructParents")] = NumberObject(offset + page["/StructParents"])
        for page in writer.pages[first_page:]:
            for annotation in page.get("/Annots", []):
                annotation = annotation.get_object()
                if "/StructParent" in annotation:
                    annotation[NameObject("/StructParent")] = NumberObject(offset + annotation["/StructParent"])
        for top in tree["/K"] if isinstance(tree["/K"], list) else [tree["/K"]]:
            element = top.get_object().clone(writer, ignore_fields=["/P"])
            _set_parents(element, root_ref)
            if language:
                element.get_object()[NameObject("/Lang")] = _text(language)
            documents.append(element.indirect_reference)
        nums = tree["/ParentTree"]["/Nums"]
        for key, value in zip(nums[::2], nums[1::2], strict=True):
            numbers += [NumberObject(offset + key), value.clone(writer, ignore_fields=["/P"])]
        next_key = offset + int(tree.get("/ParentTreeNextKey", 0))
    if documents:
        root[NameObject("/K")] = documents
        root[NameObject("/ParentTree")] = writer._add_object(DictionaryObject({NameObject("/Nums"): numbers}))
        root[NameObject("/ParentTreeNextKey")] = NumberObject(next_key)
        writer._root_object[NameObject("/StructTreeRoot")] = root_ref
        writer._root_object[NameObject("/MarkInfo")] = DictionaryObject({NameObject("/Marked"): BooleanObject(True)})
        if languages[0]:  # each part's Document element says its own
            writer._root_object[NameObject("/Lang")] = _text(languages[0])
    _describe(writer, titles, authors, languages)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _describe(writer: object, titles: list[str], authors: list[str], languages: list[str]) -> None:
    """Title (the parts' distinct titles), authors and languages in the information dictionary and XMP."""
    from pypdf.generic import BooleanObject, DictionaryObject, NameObject, StreamObject

    title = "; ".join(dict.fromkeys(titles))
    distinct_authors = [author for author in dict.fromkeys(authors) if author]
    info = {"/Title": title, **({"/Author": ", ".join(distinct_authors)} if distinct_authors else {})}
    writer.add_metadata(info)  # type: ignore[attr-defined]
    metadata = StreamObject()
    metadata.set_data(xmp_packet(title, distinct_authors, list(dict.fromkeys(filter(None, languages)))))
    metadata.update({NameObject("/Type"): NameObject("/Metadata"), NameObject("/Subtype"): NameObject("/XML")})
    root = writer._root_object  # type: ignore[attr-defined]
    root[NameObject("/Metadata")] = writer._add_object(metadata)  # type: ignore[attr-defined]
    root[NameObject("/ViewerPreferences")] = DictionaryObject({NameObject("/DisplayDocTitle"): BooleanObject(True)})


def _set_parents(element: object, parent: object) -> None:
    """Point each structure element under ``element`` (a reference) at its parent, ``element`` at ``parent``."""
    from pypdf.generic import NameObject

    node = element.get_object()  # type: ignore[attr-defined]
    node[NameObject("/P")] = parent
    kids = node.get("/K", [])
    for kid in kids if isinstance(kids, list) else [kids]:
        target = kid.get_object()
        if isinstance(target, dict) and "/S" in target:
            _set_parents(kid, node.indirect_reference)


def _text(value: str) -> object:
    from pypdf.generic import TextStringObject

    return TextStringObject(value)
