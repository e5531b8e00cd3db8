"""Tests for batch/binding.py: the bound file keeps each PDF's structure tree, language and links."""

from __future__ import annotations

import dataclasses
import io
from pathlib import Path

from pypdf import PdfReader

from briefgen import model as m
from briefgen.batch.binding import bind
from briefgen.themes import Theme
from briefgen.writers.pdf import write_pdf
from test_pdf_tagging import kids, marked_text, own_content, page_numbers, structure, unmarked_operators
from test_writer_pdf import META, cite, every_type, notes, text


def russian() -> m.Document:
    meta = dataclasses.replace(META, title="Беларусь и Китай", language="ru")
    return m.Document(meta, (m.Heading(1, text("Обзор")), m.Paragraph(text("Текст", cite(1)))), notes(1))


def bound(tmp_path: Path) -> tuple[bytes, list[bytes]]:
    parts = [write_pdf(every_type(), Theme()).data, write_pdf(russian(), Theme()).data]
    paths = []
    for index, data in enumerate(parts):
        paths.append((tmp_path / f"{index}.pdf", f"part {index}"))
        paths[-1][0].write_bytes(data)
    return bind(paths), parts


def texts_in_structure_order(data: bytes) -> list[str]:
    reader = PdfReader(io.BytesIO(data))
    pages, texts = page_numbers(reader), marked_text(data)
    return [texts[key] for _, element in structure(reader) for key in own_content(element, pages)]


def test_the_bound_file_reads_as_its_parts_one_after_the_other(tmp_path: Path) -> None:
    data, parts = bound(tmp_path)
    assert texts_in_structure_order(data) == [text for part in parts for text in texts_in_structure_order(part)]
    assert unmarked_operators(data) == []


def test_each_part_is_a_document_element_in_its_language(tmp_path: Path) -> None:
    reader = PdfReader(io.BytesIO(bound(tmp_path)[0]))
    catalog = reader.trailer["/Root"]
    assert catalog["/MarkInfo"]["/Marked"] == True  # noqa: E712 (a pypdf BooleanObject)
    tops = [element for depth, element in structure(reader) if depth == 0]
    assert [(str(top["/S"]), str(top["/Lang"])) for top in tops] == [("/Document", "en"), ("/Document", "ru")]
    assert all(top["/P"] == catalog["/StructTreeRoot"] for top in tops)


def test_parent_tree_keys_are_moved_past_the_earlier_parts(tmp_path: Path) -> None:
    reader = PdfReader(io.BytesIO(bound(tmp_path)[0]))
    tree = reader.trailer["/Root"]["/StructTreeRoot"]
    nums = tree["/ParentTree"]["/Nums"]
    parents = dict(zip(nums[::2], nums[1::2], strict=True))
    assert len(parents) == len(nums) // 2 and tree["/ParentTreeNextKey"] == max(parents) + 1
    pages = page_numbers(reader)
    for index, page in enumerate(reader.pages):
        for element_ref in parents[page["/StructParents"]]:
            assert index in {page_index for page_index, _ in own_content(element_ref.get_object(), pages)}
    links = [element for _, element in structure(reader) if element["/S"] == "/Link"]
    annotations = [annotation.get_object() for page in reader.pages for annotation in page.get("/Annots", [])]
    assert len(links) == len(annotations)
    for link in links:
        annotation = next(kid for kid in kids(link) if not isinstance(kid, int))["/Obj"].get_object()
        assert parents[annotation["/StructParent"]].get_object() == link
        assert annotation.indirect_reference.idnum in {a.indirect_reference.idnum for a in annotations}


def test_the_bound_file_has_a_title_shown_by_readers_a_language_and_pdf_ua_metadata(tmp_path: Path) -> None:
    reader = PdfReader(io.BytesIO(bound(tmp_path)[0]))
    catalog = reader.trailer["/Root"]
    titles = [PdfReader(io.BytesIO(part)).metadata.title for part in bound(tmp_path)[1]]
    assert reader.metadata.title == f"{titles[0]}; {titles[1]}" and titles[1] == "Беларусь и Китай"
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"] == True  # noqa: E712 (a pypdf BooleanObject)
    assert catalog["/Lang"] == "en"  # the first part's; each part's Document element has its own
    xmp = reader.xmp_metadata
    assert xmp is not None and xmp.dc_title == {"x-default": f"{titles[0]}; {titles[1]}"}
    assert xmp.dc_language == ["en", "ru"]
    [part] = [node.firstChild.data for node in xmp.get_nodes_in_namespace("", "http://www.aiim.org/pdfua/ns/id/")]
    assert part == "1"
