"""Tests for build.py: the shipped briefs over the shipped registry, and the fit-to-page loop."""

from __future__ import annotations

import dataclasses
import io
import shutil
import warnings
from zipfile import ZipFile
from collections.abc import Iterator
from pathlib import Path

import lxml.html
import pytest
from pypdf import PdfReader

from briefgen.build import brief_parameters, build, render_document
from briefgen.errors import BriefgenWarning, RenderError
from briefgen.registry.loader import Registry, load_registry
from briefgen.model import (
    BlockQuote,
    Box,
    BulletList,
    Cite,
    Document,
    OrderedList,
    Paragraph,
    SourceList,
    Table,
    Timeline,
    TimelineEntry,
)
from briefgen.project import Project, load_project
from briefgen.templating.briefs import list_briefs, load_brief
from briefgen.transforms.citations import cited_fact_ids

REPO = Path(__file__).resolve().parents[1]
AS_OF = "2026-11-23"


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Project:
    shipped = load_project(REPO)
    return dataclasses.replace(shipped, out_dir=tmp_path_factory.mktemp("output"))


@pytest.fixture(scope="module")
def built(project: Project) -> dict[str, Path]:
    """Every brief of the shipped project, built once for the module (as the README's command does)."""
    with warnings.catch_warnings(record=True):
        warnings.simplefilter("always")
        results = build(project=project, as_of=AS_OF)
    return {path.name: path for result in results for path in result.paths}


@pytest.fixture(scope="module")
def registry() -> Registry:
    return load_registry(REPO / "facts", as_of=AS_OF, cache=False)


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def pages(path: Path) -> int:
    return len(PdfReader(path).pages)


def documents(project: Project, registry: Registry) -> Iterator[tuple[str, Document]]:
    for info in list_briefs(project.templates_dir):
        brief = load_brief(info.name, project.templates_dir)
        yield info.name, render_document(brief, registry, brief_parameters(brief, project.params, {}, [brief]))


# --- what the README's command produces ---------------------------------------------------------


def test_every_brief_of_the_project_is_built_in_both_formats(built: dict[str, Path]) -> None:
    names = ("overview", "chronology", "stance-summary", "handout", "overview-ru", "overview-zh", "chronology-ru", "chronology-zh")
    expected = {f"{name}.{fmt}" for name in names for fmt in ("pdf", "docx")}
    assert set(built) == expected
    assert all(path.stat().st_size > 5_000 for path in built.values())


def test_the_overview_is_one_page_and_the_chronology_several(built: dict[str, Path]) -> None:
    assert pages(built["overview.pdf"]) == 1
    assert pages(built["chronology.pdf"]) >= 2


def test_the_overview_shows_the_trade_figure_with_its_as_of_date(built: dict[str, Path]) -> None:
    text = " ".join(pdf_text(built["overview.pdf"]).split())
    assert "more than US$8 billion a year (as of 2025)" in text  # en-GB: CLDR writes US$
    assert "established 20 January 1992" in text
    assert "last updated 20 January 2026" in text  # the newest fact's date


def test_the_chronology_runs_from_1949_to_2026_at_true_precision(built: dict[str, Path], registry: Registry) -> None:
    text = " ".join(pdf_text(built["chronology.pdf"]).split())
    events = [fact for fact in registry.chronological(registry.select(kind="event")) if fact.when]
    assert events[0].id == "bssr-recognises-prc-1949" and events[-1].id == "anniversary-34th-2026"
    assert text.index("2 October 1949") < text.index("July 2015") < text.index("20 January 2026")
    assert "1995 – 2019" in text and "1990s" in text and "2020s" in text  # CLDR's en-GB year interval


def test_the_stance_summary_covers_every_issue_the_seeds_state(built: dict[str, Path], registry: Registry) -> None:
    text = " ".join(pdf_text(built["stance-summary.pdf"]).split())
    for stance in registry.select(kind="stance"):
        assert stance.issue is not None
        assert stance.issue.split()[0] in text
    for issue in ("Taiwan", "Hong Kong", "Tibet", "Xinjiang", "South China Sea", "Ukraine"):
        assert issue in text


def test_every_statement_block_carries_a_citation(project: Project, registry: Registry) -> None:
    for name, doc in documents(project, registry):
        for where, inlines in _statement_blocks(doc):
            assert any(isinstance(inline, Cite) for inline in inlines), f"{name}: uncited {where}"


def test_the_sources_list_is_exactly_the_cited_sources(project: Project, registry: Registry) -> None:
    for name, doc in documents(project, registry):
        listed = [entry.source_id for block in doc.blocks if isinstance(block, SourceList) for entry in block.entries]
        cited = [source.id for source in registry.sources_cited(note.fact_id for note in doc.notes)]
        assert listed == cited, name
        assert len(doc.notes) == len(cited_fact_ids(doc)), name


def test_two_builds_give_identical_bytes(project: Project, tmp_path: Path) -> None:
    first, second = (dataclasses.replace(project, out_dir=tmp_path / name) for name in ("a", "b"))
    for target in (first, second):
        with warnings.catch_warnings(record=True):
            build(["overview"], project=target, as_of=AS_OF)
    for fmt in ("pdf", "docx"):
        assert (tmp_path / "a" / f"overview.{fmt}").read_bytes() == (tmp_path / "b" / f"overview.{fmt}").read_bytes()


# --- fitting to the page ---------------------------------------------------------------------------


def test_trimming_drops_lower_priority_facts_and_says_so(project: Project, tmp_path: Path, registry: Registry) -> None:
    target = dataclasses.replace(project, out_dir=tmp_path)
    with pytest.warns(BriefgenWarning, match="left out") as caught:
        (result,) = build(["overview"], project=target, as_of=AS_OF, overrides={"positions": "12", "developments": "12"})
    assert result.pages == 1 and pages(tmp_path / "overview.pdf") == 1
    assert result.dropped and all(registry.fact(fact_id).priority > 1 for fact_id in result.dropped)
    assert all(fact_id in str(caught[0].message) for fact_id in result.dropped)
    text = pdf_text(tmp_path / "overview.pdf")
    assert "Key positions" in text  # trimming shortens lists, it does not replace them


def test_a_docx_only_build_is_fitted_by_counting_pages_as_the_pdf_build_is(
    project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No PDF is made for a DOCX-only build (its layout only counts pages), and it leaves out the same facts."""
    monkeypatch.setenv("BRIEFGEN_CACHE_DIR", str(tmp_path / "cache"))  # no fit recalled: laid out afresh
    overrides = {"positions": "12", "developments": "12"}
    results = {}
    for fmt in ("pdf", "docx"):
        with pytest.warns(BriefgenWarning, match="left out"):
            (results[fmt],) = build(["overview"], project=dataclasses.replace(project, out_dir=tmp_path / fmt),
                                    formats=(fmt,), as_of=AS_OF, overrides=overrides)
    assert results["docx"].dropped == results["pdf"].dropped != ()
    assert results["docx"].pages == results["pdf"].pages == 1
    assert [path.name for path in results["docx"].paths] == ["overview.docx"]
    body = ZipFile(tmp_path / "docx" / "overview.docx").read("word/document.xml").decode()
    pdf = pdf_text(tmp_path / "pdf" / "overview.pdf")
    statements = {fact.id: fact.statement for fact in load_registry(REPO / "facts", as_of=AS_OF).facts}
    for fact_id in results["pdf"].dropped:
        assert statements[fact_id][:40] not in body and statements[fact_id][:40] not in pdf


def test_the_web_page_states_every_fact_the_printed_editions_leave_out(project: Project, tmp_path: Path) -> None:
    """The page limit binds the PDF and DOCX; the HTML built in the same run is the whole brief, and the warning says so."""
    target = dataclasses.replace(project, out_dir=tmp_path)
    with pytest.warns(BriefgenWarning, match="left out") as caught:
        (result,) = build(["overview"], project=target, formats=("pdf", "docx", "html"), as_of=AS_OF,
                          overrides={"positions": "12", "developments": "12"})
    assert result.dropped and result.pages == 1
    (message,) = [str(warning.message) for warning in caught if "left out" in str(warning.message)]
    assert f"left out {len(result.dropped)} lower-priority fact(s) of the PDF and DOCX to fit 1 page" in message
    assert message.endswith("; the HTML states them all (a web page is not fitted to pages)")
    page = " ".join(lxml.html.fromstring((tmp_path / "overview.html").read_bytes()).text_content().split())
    pdf = " ".join(pdf_text(tmp_path / "overview.pdf").split())
    body = ZipFile(tmp_path / "overview.docx").read("word/document.xml").decode()
    statements = {fact.id: fact.statement for fact in load_registry(REPO / "facts", as_of=AS_OF).facts}
    for fact_id in result.dropped:
        opening = statements[fact_id][:40]
        assert opening in page and opening not in pdf and opening not in body, fact_id
    html_only = dataclasses.replace(project, out_dir=tmp_path / "html")
    with warnings.catch_warnings(record=True) as quiet:
        warnings.simplefilter("always", BriefgenWarning)
        (alone,) = build(["overview"], project=html_only, formats=("html",), as_of=AS_OF,
                         overrides={"positions": "12", "developments": "12"})
    assert alone.dropped == () and not [w for w in quiet if "left out" in str(w.message)]
    assert (tmp_path / "html" / "overview.html").read_bytes() == (tmp_path / "overview.html").read_bytes()


def test_a_docx_build_recalls_the_fit_instead_of_laying_out_again(
    project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from briefgen import writers

    monkeypatch.setenv("BRIEFGEN_CACHE_DIR", str(tmp_path / "cache"))
    target = dataclasses.replace(project, out_dir=tmp_path / "out")

    def built() -> bytes:
        with warnings.catch_warnings(record=True):
            build(["overview"], project=target, formats=("docx",), as_of=AS_OF, overrides={"positions": "12", "developments": "12"})
        return (tmp_path / "out" / "overview.docx").read_bytes()

    first = built()
    pdf = writers.paginating_writer()
    assert pdf.count_pages is not None and pdf.layout_version is not None
    layouts: list[int] = []

    def counted(doc: object, theme: object, max_pages: int) -> int:
        layouts.append(max_pages)
        return pdf.count_pages(doc, theme, max_pages)  # type: ignore[arg-type, misc]

    def no_layout(*args: object) -> None:
        raise AssertionError("a DOCX build made a PDF")

    recalled = dataclasses.replace(pdf, lay_out=no_layout, count_pages=counted)
    monkeypatch.setattr(writers, "paginating_writer", lambda: recalled)
    assert built() == first and layouts == []
    # The PDF writer's code changed (its layout version): what was remembered no longer holds.
    edited = dataclasses.replace(recalled, layout_version=lambda: f"{pdf.layout_version()} edited")  # type: ignore[misc]
    monkeypatch.setattr(writers, "paginating_writer", lambda: edited)
    assert built() == first and layouts and set(layouts) == {1}


def test_a_brief_that_cannot_fit_fails_clearly(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "long.md.j2").write_text(
        "---\ntitle: Long\npage_limit: 1\n---\n"
        "{% for i in range(60) %}\n{{ fact('bssr-recognises-prc-1949')|statement }}\n\n{% endfor %}\n",
        encoding="utf-8",
    )
    target = Project(root=tmp_path, facts_dir=REPO / "facts", templates_dir=templates, out_dir=tmp_path / "out")
    with pytest.raises(RenderError, match="only priority-1 facts are left") as error:
        build(["long"], project=target, as_of=AS_OF)
    assert error.value.problems[0].file == templates / "long.md.j2"
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


# --- languages ----------------------------------------------------------------------------------------


def test_a_russian_brief_has_russian_labels_and_dates(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "chronology-ru.md.j2").write_text(
        '---\ntitle: Хронология\nlanguage: ru\n---\n{% extends "builtin/chronology.md.j2" %}\n', encoding="utf-8"
    )
    target = Project(root=tmp_path, facts_dir=REPO / "facts", templates_dir=templates, out_dir=tmp_path / "out")
    build(["chronology-ru"], project=target, formats=("pdf",), as_of=AS_OF)
    text = " ".join(pdf_text(tmp_path / "out" / "chronology-ru.pdf").split())
    for word in ("Дата", "Событие", "2 октября 1949 г.", "июль 2015 г.", "Источники", "Страница 1 из"):
        assert word in text


# --- helpers ---------------------------------------------------------------------------------------------


def _statement_blocks(doc: Document) -> Iterator[tuple[str, tuple[object, ...]]]:
    """Every block that states something about the world, with its inlines."""
    stack = list(doc.blocks)
    while stack:
        block = stack.pop(0)
        match block:
            case Paragraph(children=children):
                yield "paragraph", children
            case BulletList(items=items) | OrderedList(items=items):
                yield from (("list item", item.children) for item in items)
            case Table(rows=rows):
                yield from (("table row", tuple(i for cell in row for i in cell)) for row in rows)
            case Timeline(rows=rows):
                yield from (("timeline row", row.children) for row in rows if isinstance(row, TimelineEntry))
            case Box(children=children) | BlockQuote(children=children):
                stack[0:0] = list(children)


def test_statement_blocks_finds_an_uncited_paragraph() -> None:
    from briefgen.model import Meta, Text

    doc = Document(Meta(title="t"), (Paragraph((Text("Uncited."),)),))
    assert [where for where, inlines in _statement_blocks(doc) if not any(isinstance(i, Cite) for i in inlines)] == ["paragraph"]


def test_a_copied_project_builds_from_its_own_folder(tmp_path: Path) -> None:
    shutil.copytree(REPO / "facts", tmp_path / "facts")
    target = load_project(tmp_path)
    (result,) = build(["chronology"], project=target, formats=("docx",), as_of=AS_OF)
    assert result.paths == (tmp_path / "output" / "chronology.docx",)
    assert io.BytesIO(result.paths[0].read_bytes()).getvalue()[:2] == b"PK"


def test_the_overview_states_one_position_per_issue(project: Project, registry: Registry) -> None:
    overview = dict(documents(project, registry))["overview"]
    heading = next(i for i, block in enumerate(overview.blocks) if "positions" in str(block).lower() and not isinstance(block, BulletList))
    positions = overview.blocks[heading + 1]
    assert isinstance(positions, BulletList) and len(positions.items) >= 2
    issues = [registry.fact(fact_id).issue for item in positions.items for fact_id in cited_fact_ids(Paragraph(item.children))]
    assert len(issues) == len(set(issues))
