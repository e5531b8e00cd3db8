"""The README's walkthrough must work as written: its example template builds and says what it promises."""

from __future__ import annotations

import re
import shutil
import textwrap
import warnings
from pathlib import Path

from pypdf import PdfReader

from briefgen.build import build
from briefgen.errors import BriefgenWarning
from briefgen.project import load_project

REPO = Path(__file__).resolve().parents[1]


def readme_template() -> str:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```jinja\n(.*?)```", readme, re.S)
    assert block, "the README shows no template"
    return textwrap.dedent(block.group(1))


def test_the_readme_template_builds(tmp_path: Path) -> None:
    shutil.copytree(REPO / "facts", tmp_path / "facts")
    shutil.copytree(REPO / "templates", tmp_path / "templates")
    shutil.copy(REPO / "briefgen.yaml", tmp_path / "briefgen.yaml")
    (tmp_path / "templates" / "visit.md.j2").write_text(readme_template(), encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", BriefgenWarning)  # the page may be trimmed to fit: that is tested elsewhere
        (result,) = build(["visit"], project=load_project(tmp_path), formats=("pdf",), as_of="2026-11-23")
    text = " ".join(PdfReader(result.paths[0]).pages[0].extract_text().split())
    assert "Note for the visiting delegation" in text
    assert "Education" in text and text.count("12,000 students") == 1, text  # the key-facts box states it; Education does not again
    assert "Key positions" not in text
