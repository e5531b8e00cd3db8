"""Tests for briefgen.writers: formats come from entry points, a writer from outside plugs in (that writers stay
apart is checked with the other import rules in test_package_rules)."""

from __future__ import annotations

import shutil
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefgen import writers
from briefgen.cli import main

REPO = Path(__file__).resolve().parents[1]


def test_formats_are_the_entry_points_of_the_group() -> None:
    from importlib.metadata import entry_points

    assert writers.formats() == tuple(sorted(point.name for point in entry_points(group=writers.ENTRY_POINT_GROUP)))
    assert {"pdf", "docx"} <= set(writers.formats())


TOY_WRITER = '''
"""A toy writer from outside briefgen: the brief's headings and paragraphs as plain text."""
from briefgen.model import Heading, Paragraph, plain_text
from briefgen.transforms.checks import check_document
from briefgen.writers import Rendered, Writer


def write(doc, theme):
    check_document(doc, theme)
    lines = [doc.meta.title] + [plain_text(b.children) for b in doc.blocks if isinstance(b, Heading | Paragraph)]
    return Rendered("\\n".join(lines).encode("utf-8"))


WRITER = Writer("txt", write=write)
'''


@pytest.fixture
def toy_writer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """An installed distribution ``toywriter`` (a dist-info folder on sys.path) offering the ``txt`` format."""
    site = tmp_path / "site"
    info = site / "toywriter-0.1.dist-info"
    info.mkdir(parents=True)
    (site / "toywriter.py").write_text(textwrap.dedent(TOY_WRITER), encoding="utf-8")
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: toywriter\nVersion: 0.1\n", encoding="utf-8")
    (info / "entry_points.txt").write_text("[briefgen.writers]\ntxt = toywriter:WRITER\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(site))
    writers._writers.cache_clear()
    yield
    sys.modules.pop("toywriter", None)
    writers._writers.cache_clear()


def test_a_writer_from_outside_the_package_builds_a_brief(toy_writer: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert "txt" in writers.formats()
    project = tmp_path / "project"
    shutil.copytree(REPO / "facts", project / "facts")
    monkeypatch.chdir(project)
    result = CliRunner().invoke(main, ["build", "overview", "--format", "txt,pdf", "--as-of", "2026-11-23"])
    assert result.exit_code == 0, result.output
    text = (project / "output" / "overview.txt").read_text(encoding="utf-8")
    assert {"Summary", "Sources"} <= set(text.splitlines()) and "established diplomatic relations on 20 January 1992" in text
    assert (project / "output" / "overview.pdf").read_bytes().startswith(b"%PDF")


def test_an_unknown_format_lists_the_installed_ones(toy_writer: None) -> None:
    with pytest.raises(Exception, match="choose from .*txt"):
        writers.writer("rtf")


def test_the_pdf_writers_layout_version_follows_its_modules() -> None:
    layout_version = writers.writer("pdf").layout_version
    assert layout_version is not None
    before = layout_version()
    from briefgen.writers import pdf

    added = Path(pdf.__file__).parent / "_added_for_test.py"  # where the installed writer is
    added.write_text('"""A module the layout might use."""\n', encoding="utf-8")
    try:
        assert layout_version() != before
    finally:
        added.unlink()
    assert layout_version() == before
    assert writers.writer("docx").layout_version is None and writers.writer("html").layout_version is None
