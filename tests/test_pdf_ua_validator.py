"""Every shipped brief in every theme, and a bound file of handouts, pass the ``pdfua`` validator.

``pdfua`` (PyPI, on pikepdf) runs 12 checks covering 16 of the 106 machine-checkable
rules of PDF/UA-1: structure tree, MarkInfo, untagged content, language, Figure
alternative text, table structure, link and annotation descriptions, empty headings,
title, DisplayDocTitle and the PDF/UA identifier in XMP. It is a second reader of the
files besides tests/test_pdf_tagging.py, written by someone else; veraPDF, the full
validator, is Java from Maven, which this project's machines cannot reach.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest
from pdfua import validate

from briefgen.batch.binding import bind
from briefgen.themes import builtin_theme_names, load_theme
from briefgen.writers.pdf import write_pdf
from test_pdf_tagging import REPO, shipped  # noqa: F401 (a fixture)
from test_writer_pdf import every_type


def problems(path: Path) -> list[str]:
    """Every finding and every rule the validator could not run, one line each."""
    report = validate(str(path))
    return ([f"{finding.rule_id} {finding.message} ({finding.location.describe()})" for finding in report.findings]
            + [f"{outcome.rule_id} not run: {outcome.skipped_reason}" for outcome in report.skipped])


def test_the_validator_fails_an_untagged_pdf(tmp_path: Path) -> None:
    from briefgen.themes import Theme
    from briefgen.writers.pdf.writer import write_pdf as write

    path = tmp_path / "untagged.pdf"
    path.write_bytes(write(every_type(), Theme(), tagged=False).data)
    assert {"UA-01-005", "UA-01-002", "UA-18-005", "UA-28-004"} <= {line.split()[0] for line in problems(path)}


@pytest.mark.parametrize("theme_name", [*builtin_theme_names(), str(REPO / "templates/themes/house.yaml")])
def test_every_shipped_brief_passes_in_every_theme(shipped, theme_name: str, tmp_path: Path) -> None:  # noqa: F811
    theme = load_theme(theme_name)
    paths = []
    for name, doc in shipped:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            paths.append((tmp_path / f"{name}.pdf", name))
            paths[-1][0].write_bytes(write_pdf(doc, theme).data)
        assert problems(paths[-1][0]) == [], name
    languages = {doc.meta.language for _, doc in shipped}
    assert {"en", "ru", "zh"} <= languages
    bound = tmp_path / "bound.pdf"
    bound.write_bytes(bind(paths))
    assert problems(bound) == []
