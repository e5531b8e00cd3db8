"""Every brief of a project builds in PDF and DOCX over registries of 150 and 1,500 facts.

The registries come from ``benchmarks/generate_registry.py`` (the shipped
facts plus synthetic copies that cite real passages). Each build goes
through the command line and must exit 0 with no traceback; the files must
hold what the brief promises: every dated event in the chronology, every
stance in the stance summary, one page for the one-page briefs, the handout's
most recent figures and how many more the registry holds. Larger
registries (6,000 and 60,000 facts) are built by hand with
``benchmarks/bench_scale.py``.
"""

from __future__ import annotations

import html
import re
import runpy
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from briefgen.cli import main
from briefgen.registry.loader import load_registry
from briefgen.registry.records import FactKind
from briefgen.templating.briefs import distinct

GENERATOR = Path(__file__).resolve().parents[1] / "benchmarks" / "generate_registry.py"
AS_OF = "2026-11-23"
SIZES = (150, 1_500)
# The project's briefs (its handout, its override of the overview) and the built-in ones;
# "builtin:overview" is the built-in overview, built without the project's templates.
BRIEFS = ("overview", "handout", "builtin:overview", "chronology", "stance-summary")
# A synthetic fact's statement starts "Synthetic copy N of fact ...": N names it in the built text.
_COPY_NUMBER = re.compile(r"copy\s+(\d+)\s+of\b")


@pytest.fixture(scope="module", params=SIZES, ids=lambda size: f"{size}-facts")
def project(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    make_project = runpy.run_path(str(GENERATOR))["make_project"]
    return make_project(tmp_path_factory.mktemp(f"scale-{request.param}") / "project", request.param)  # type: ignore[no-any-return]


def _expected_copies(project: Path, brief: str) -> set[int] | None:
    """The synthetic facts' numbers that ``brief`` must show all of; None for a one-page brief."""
    registry = load_registry(project / "facts", as_of=AS_OF)
    if brief == "chronology":
        chosen = [fact for fact in registry.facts if fact.kind is FactKind.EVENT and fact.when is not None]
    elif brief == "stance-summary":
        chosen = [fact for fact in registry.facts if fact.kind is FactKind.STANCE]
    else:
        return None
    return {int(match) for fact in chosen for match in _COPY_NUMBER.findall(fact.statement)}


def _docx_text(path: Path) -> str:
    with zipfile.ZipFile(path) as package:
        xml = package.read("word/document.xml").decode("utf-8")
    return html.unescape(re.sub(r"<[^>]+>", "", xml.replace("</w:p>", "\n")))


def _pdf_text(path: Path) -> str:
    if shutil.which("pdftotext") is None:
        return "\n".join(page.extract_text() for page in PdfReader(path).pages)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
@pytest.mark.parametrize("brief", BRIEFS)
def test_every_brief_builds_at_scale(project: Path, brief: str, fmt: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project)
    out = project / "output" / f"{brief}-{fmt}"
    name, options = brief, ["--format", fmt, "--as-of", AS_OF, "--out", str(out)]
    if brief.startswith("builtin:"):
        (project / "no-templates").mkdir(exist_ok=True)
        name, options = brief.removeprefix("builtin:"), [*options, "--templates", str(project / "no-templates"), "--theme", "default", "--no-project-theme"]
    result = CliRunner().invoke(main, ["build", name, *options])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    built = out / f"{name}.{fmt}"
    text = _pdf_text(built) if fmt == "pdf" else _docx_text(built)
    expected = _expected_copies(project, brief)
    if expected is None:
        assert "Belarus" in text
        if fmt == "pdf":
            assert len(PdfReader(built).pages) == 1
    else:
        assert {int(number) for number in _COPY_NUMBER.findall(text)} == expected


def test_the_handout_lists_the_most_recent_figures_and_counts_the_rest(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project)
    result = CliRunner().invoke(main, ["build", "handout", "--format", "docx", "--as-of", AS_OF, "--out", "handout-figures"])
    assert result.exit_code == 0, result.output
    text = _docx_text(project / "handout-figures" / "handout.docx")
    box = text.split("Key facts", 1)[1].split("Developments", 1)[0]
    registry = load_registry(project / "facts", as_of=AS_OF)
    figures = registry.chronological(registry.select(kind="figure", topic="education"))
    shown = [fact for fact in figures if fact.statement in box]
    more = re.search(r"The registry holds ([\d,]+) more figures on this topic\.", box)
    assert more is not None, box
    assert 0 < len(shown) <= 4
    assert len(shown) + int(more.group(1).replace(",", "")) == len(figures)
    assert shown == distinct(figures)[-4:]  # the most recent (undated last), in date order
