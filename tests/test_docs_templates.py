"""docs/templates.md, the template authors' reference, lists exactly what the code offers, and its examples build.

Each section's tables list names in their first column (`` `name` ``). Every
name briefgen offers a template (globals, filters, fields of its records,
label keys, front-matter keys, parameter fields, theme settings) must be in
its section, and every name in a section must exist. The example briefs
(```jinja blocks) are built as a user would.
"""

from __future__ import annotations

import dataclasses
import re
import shutil
import warnings
from pathlib import Path

import pytest
from pypdf import PdfReader

from briefgen.build import build
from briefgen.errors import BriefgenWarning
from briefgen.l10n.labels import LABEL_KEYS
from briefgen.project import load_project
from briefgen.registry.loader import load_registry
from briefgen.registry.records import Citation, Entity, Fact, Source, Topic
from briefgen.templating.briefs import template_names
from briefgen.templating.front_matter import FrontMatter, Parameter
from briefgen.themes import Theme

REPO = Path(__file__).resolve().parents[1]
DOC = REPO / "docs" / "templates.md"


def documented() -> dict[str, set[str]]:
    """Section heading -> the names in the first column of its tables."""
    sections: dict[str, set[str]] = {}
    current = ""
    for line in DOC.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            current = line[3:].strip()
            sections[current] = set()
        elif match := re.match(r"\| `([^`]+)` \|", line):
            sections[current].add(match.group(1))
    return sections


def public_names(record: type) -> set[str]:
    """A record's fields, properties and methods a template can reach."""
    own = {name for name, value in vars(record).items() if not name.startswith("_") and (isinstance(value, property) or callable(value))}
    return {field.name for field in dataclasses.fields(record)} | own


def offered() -> dict[str, set[str]]:
    names = template_names(load_registry(REPO / "facts", as_of="2026-11-23"))
    return {
        "Queries + Variables": {*names["globals"], *names["jinja_globals"]},
        "Filters": {*names["filters"], *names["jinja_filters"]},
        "Fields of a fact": public_names(Fact),
        "Fields of a source": public_names(Source),
        "Fields of a citation": public_names(Citation),
        "Fields of an entity": public_names(Entity),
        "Fields of a topic": public_names(Topic),
        "Label keys": set(LABEL_KEYS),
        "Front matter": {field.name for field in dataclasses.fields(FrontMatter)} - {"origins"},
        "Parameter fields": {field.name for field in dataclasses.fields(Parameter)} - {"name"},
        "Theme settings": {field.name for field in dataclasses.fields(Theme)} - {"name"} | {"extends"},
    }


@pytest.mark.parametrize("section", list(offered()))
def test_the_reference_lists_exactly_what_the_code_offers(section: str) -> None:
    docs = documented()
    listed = set().union(*(docs.get(part, set()) for part in section.split(" + ")))
    code = offered()[section]
    assert not code - listed, f"not documented in '{section}': {sorted(code - listed)}"
    assert not listed - code, f"documented in '{section}' but not offered: {sorted(listed - code)}"


def examples() -> list[str]:
    return re.findall(r"```jinja\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)


def test_the_example_briefs_build(tmp_path: Path) -> None:
    assert len(examples()) >= 2
    shutil.copytree(REPO / "facts", tmp_path / "facts")
    shutil.copy(REPO / "briefgen.yaml", tmp_path / "briefgen.yaml")
    (tmp_path / "templates" / "themes").mkdir(parents=True)
    shutil.copy(REPO / "templates" / "themes" / "house.yaml", tmp_path / "templates" / "themes")
    names = [f"example-{number}" for number, _ in enumerate(examples(), 1)]
    for name, text in zip(names, examples()):
        (tmp_path / "templates" / f"{name}.md.j2").write_text(text, encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", BriefgenWarning)  # a page-limited example may leave facts out
        results = build(names, project=load_project(tmp_path), formats=("pdf",), as_of="2026-11-23")
    texts = {result.brief: " ".join(" ".join(page.extract_text() or "" for page in PdfReader(result.paths[0]).pages).split()) for result in results}
    assert "Trade in brief" in texts["example-1"] and "US$" in texts["example-1"]
    assert "Note for the visiting delegation" in texts["example-2"] and "Education" in texts["example-2"]
