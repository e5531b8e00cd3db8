"""Tests for ``briefgen build``, ``list briefs`` and ``init`` on the command line: output, exit codes, messages."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import lxml.html
import pytest
from click.testing import CliRunner, Result
from pypdf import PdfReader

from briefgen.cli import main
from briefgen.registry.loader import load_registry

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the shipped project's facts in a fresh folder, which is the working directory."""
    shutil.copytree(REPO / "facts", tmp_path / "facts")
    (tmp_path / "templates").mkdir()
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def template(project: Path, name: str, body: str, front: str = "title: Test") -> Path:
    path = project / "templates" / f"{name}.md.j2"
    path.write_text(f"---\n{front}\n---\n{body}", encoding="utf-8")
    return path


def assert_clean_failure(result: Result, code: int, *fragments: str) -> None:
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    for fragment in fragments:
        assert fragment in result.stderr


def test_build_prints_the_paths_it_wrote(project: Path) -> None:
    result = run("build", "chronology", "--format", "pdf", "--as-of", "2026-11-23")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == str(Path("output") / "chronology.pdf")
    assert len(PdfReader(project / "output" / "chronology.pdf").pages) >= 2


def test_set_changes_a_parameter(project: Path) -> None:
    result = run("build", "chronology", "--format", "pdf", "--set", "since=2020", "--set", "group=year", "--as-of", "2026-11-23")
    assert result.exit_code == 0, result.output
    text = PdfReader(project / "output" / "chronology.pdf").pages[0].extract_text()
    assert "2024" in text and "1949" not in text


def test_list_briefs_names_built_in_and_project_briefs(project: Path) -> None:
    template(project, "memo", "{{ fact('bssr-recognises-prc-1949')|statement }}\n", front="title: A memo")
    result = run("list", "briefs")
    assert result.exit_code == 0
    rows = {line.split()[0]: line for line in result.stdout.splitlines()[1:-1]}
    assert {"overview", "chronology", "stance-summary", "memo"} <= set(rows)
    assert "project" in rows["memo"] and "A memo" in rows["memo"] and "built-in" in rows["overview"]
    assert "overrides" not in result.stdout


def test_list_briefs_marks_a_project_brief_that_overrides_a_built_in(project: Path) -> None:
    template(project, "overview", "{{ fact('bssr-recognises-prc-1949')|statement }}\n", front="title: Ours")
    rows = {line.split()[0]: line for line in run("list", "briefs").stdout.splitlines()[1:-1]}
    assert "project (overrides built-in)" in rows["overview"] and "overrides" not in rows["chronology"]


def test_init_creates_a_project_that_builds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert run("init", str(tmp_path / "new")).exit_code == 0
    monkeypatch.chdir(tmp_path / "new")
    result = run("build", "visit", "--format", "pdf", "--as-of", "2026-11-23")
    assert result.exit_code == 0, result.output
    text = PdfReader(tmp_path / "new" / "output" / "visit.pdf").pages[0].extract_text()
    assert "Overview for a visiting delegation" in text and "Key positions" not in text
    assert_clean_failure(run("init", str(tmp_path / "new")), 2, "already holds a briefgen project")


# --- bad input: one clear line, the right exit code, nothing partial ----------------------------------------


def test_unknown_brief_suggests_the_closest(project: Path) -> None:
    assert_clean_failure(run("build", "overveiw"), 2, "no brief named 'overveiw'", "did you mean 'overview'?")


def test_template_syntax_error_names_file_and_line(project: Path) -> None:
    template(project, "broken", "line one\n{% for f in facts() %}\n{{ f.id }\n")
    assert_clean_failure(run("build", "broken"), 1, "templates/broken.md.j2:6: template syntax")


def test_undefined_variable_names_file_line_and_name(project: Path) -> None:
    template(project, "undefined", "\n{{ no_such_thing }}\n")
    assert_clean_failure(run("build", "undefined"), 1, "templates/undefined.md.j2:5:", "'no_such_thing' is undefined")


@pytest.mark.parametrize(
    "body",
    ["{{ ''.__class__.__mro__ }}", "{{ cite.__globals__ }}", "{% include '/etc/passwd' %}", "{% include '../facts/entities.yaml' %}"],
)
def test_sandbox_escapes_are_refused_without_leaking(project: Path, body: str) -> None:
    template(project, "escape", body + "\n")
    result = run("build", "escape")
    assert_clean_failure(result, 1, "templates/escape.md.j2:4: template tried to reach", "(sandboxed)")
    assert "root:" not in result.output and "object" not in result.stdout


def test_unknown_set_parameter_is_a_usage_error(project: Path) -> None:
    assert_clean_failure(run("build", "chronology", "--set", "grup=year"), 2, "grup", "did you mean 'group'?")


def test_wrongly_typed_parameter_is_a_usage_error(project: Path) -> None:
    assert_clean_failure(run("build", "chronology", "--set", "since=yesterday"), 2, "since", "yesterday")


def test_set_without_equals_is_a_usage_error(project: Path) -> None:
    assert_clean_failure(run("build", "chronology", "--set", "group"), 2, "is not KEY=VALUE")


def test_citing_a_fact_that_does_not_exist(project: Path) -> None:
    template(project, "dangling", "Text [@bssr-recognises-prc-194].\n")
    assert_clean_failure(run("build", "dangling"), 1, "unknown fact 'bssr-recognises-prc-194'", "did you mean 'bssr-recognises-prc-1949'?")
    assert not (project / "output").exists()


def test_output_folder_that_is_a_file(project: Path) -> None:
    (project / "output").write_text("not a folder", encoding="utf-8")
    assert_clean_failure(run("build", "chronology", "--format", "pdf"), 1, "output folder is a file")


def test_unwritable_output_leaves_the_previous_file_untouched(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (project / "output").mkdir()
    previous = project / "output" / "chronology.pdf"
    previous.write_bytes(b"previous good build")

    def refuse(source: str | os.PathLike[str], target: str | os.PathLike[str]) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("briefgen.output.os.replace", refuse)
    assert_clean_failure(run("build", "chronology", "--format", "pdf"), 1, "cannot write file")
    assert previous.read_bytes() == b"previous good build"
    assert sorted(p.name for p in (project / "output").iterdir()) == ["chronology.pdf"]


def test_templates_folder_that_does_not_exist(project: Path) -> None:
    assert_clean_failure(run("build", "--templates", "nowhere"), 2, "--templates nowhere does not exist")


def test_unknown_format_is_a_usage_error(project: Path) -> None:
    assert_clean_failure(run("build", "chronology", "--format", "pdf,odt"), 2, "unknown format 'odt'")


def test_misspelt_filter_suggests_the_closest(project: Path) -> None:
    template(project, "typo", "\n{{ fact('bssr-recognises-prc-1949')|statment }}\n")
    assert_clean_failure(run("build", "typo"), 1, "templates/typo.md.j2:5:", "No filter named 'statment'", "did you mean 'statement'?")


@pytest.mark.parametrize(("as_of", "stale"), [("2025-12-31", False), ("2026-01-01", True)])
def test_build_warns_of_stale_facts_exactly_as_validate_does(project: Path, as_of: str, stale: bool) -> None:
    facts = project / "facts" / "history.yaml"
    facts.write_text(facts.read_text(encoding="utf-8") + """
  - id: valid-through-2025
    statement: Diplomatic relations were established on 20 January 1992.
    kind: background
    topics: [diplomacy]
    valid_until: 2025
    derived_from: [diplomatic-relations-established-1992]
    reasoning: The same fact, restated for this test.
""", encoding="utf-8")
    validated = run("validate", "--as-of", as_of)
    built = run("build", "overview", "--format", "pdf", "--as-of", as_of)
    assert validated.exit_code == built.exit_code == 0, validated.output + built.output
    warned = [line for line in validated.stderr.splitlines() if "valid-through-2025" in line]
    assert warned == [line for line in built.stderr.splitlines() if "valid-through-2025" in line]
    assert len(warned) == stale
    if stale:
        assert warned[0].startswith("warning: ") and "past its valid_until (2025) as of 2026-01-01" in warned[0]


# --- what template authors rely on (issue 12) ----------------------------------------------------


def _pdf_text(path: Path) -> str:
    return " ".join(page.extract_text() or "" for page in PdfReader(path).pages)


def test_builtin_name_builds_the_built_in_where_the_project_overrides_it(project: Path) -> None:
    template(project, "overview", "## Ours\n\n{{ fact('bssr-recognises-prc-1949')|statement }}\n", front="title: Our own overview")
    result = run("build", "builtin/overview", "--format", "pdf", "--as-of", "2026-11-23")
    assert result.exit_code == 0, result.output
    assert result.stdout.split() == [str(Path("output") / "builtin-overview.pdf")]
    text = _pdf_text(project / "output" / "builtin-overview.pdf")
    assert "Summary" in text and "Our own overview" not in text


def test_theme_is_laid_over_the_project_theme_unless_told_otherwise(project: Path) -> None:
    (project / "templates" / "themes").mkdir()
    (project / "templates" / "themes" / "house.yaml").write_text("marking: OFFICIAL\nfooter_text: The desk\n", encoding="utf-8")
    (project / "briefgen.yaml").write_text("theme: house\n", encoding="utf-8")
    layered = run("build", "chronology", "--format", "pdf", "--theme", "draft", "--as-of", "2026-11-23")
    assert layered.exit_code == 0, layered.output
    content = b"".join(page.get_contents().get_data() for page in PdfReader(project / "output" / "chronology.pdf").pages[:1])
    text = _pdf_text(project / "output" / "chronology.pdf")
    assert "OFFICIAL" in text and "The desk" in text and b"DRAFT" in content
    replaced = run("build", "chronology", "--format", "pdf", "--theme", "draft", "--no-project-theme", "--as-of", "2026-11-23")
    assert replaced.exit_code == 0, replaced.output
    assert "OFFICIAL" not in _pdf_text(project / "output" / "chronology.pdf")


def test_output_name_names_files_from_parameters(project: Path) -> None:
    for topic in ("trade", "education"):
        result = run("build", "chronology", "--format", "pdf", "--set", f"topic={topic}", "--output-name", "chronology-{topic}", "--as-of", "2026-11-23")
        assert result.exit_code == 0, result.output
        assert result.stdout.split() == [str(Path("output") / f"chronology-{topic}.pdf")]
    assert sorted(path.name for path in (project / "output").iterdir()) == ["chronology-education.pdf", "chronology-trade.pdf"]


def _events(page: Path) -> list[str]:
    """The event cells of an HTML chronology, without their note numbers."""
    rows = lxml.html.fromstring(page.read_bytes()).xpath("//table[@class='timeline']//tr[td]")
    return [" ".join(row.xpath("td")[-1].text_content().split()).rstrip("0123456789") for row in rows]


def test_output_name_fills_in_parameters_and_the_format_for_html_as_batch_does(project: Path) -> None:
    plain = run("build", "chronology", "--format", "html", "--set", "topic=trade", "--as-of", "2026-11-23")
    assert plain.exit_code == 0, plain.output
    unnamed = (project / "output" / "chronology.html").read_bytes()
    named = run("build", "chronology", "--format", "html,pdf", "--set", "topic=trade", "--output-name", "{brief}-{topic}-{format}",
                "--as-of", "2026-11-23")
    assert named.exit_code == 0, named.output
    html, pdf = project / "output" / "chronology-trade-html.html", project / "output" / "chronology-trade-pdf.pdf"
    assert named.stdout.split() == [str(path.relative_to(project)) for path in (html, pdf)]
    assert html.read_bytes() == unnamed  # the name changes nothing in the page
    page = lxml.html.fromstring(html.read_bytes())
    assert page.get("lang") == "en" and len(page.findall(".//h1")) == 1
    trade = [fact.statement for fact in load_registry(project / "facts", as_of="2026-11-23").facts_by_topic("trade")]
    events = _events(html)
    assert events and all(any(event.startswith(statement[:50]) for statement in trade) for event in events)
    assert " ".join(events[0].split()[:6]) in " ".join(_pdf_text(pdf).split())  # the PDF of the same job
    # A name that ends in .html is not given a second one; another topic, other events.
    education = run("build", "chronology", "--format", "html", "--set", "topic=education", "--output-name", "{brief}-{topic}.html",
                    "--as-of", "2026-11-23")
    assert education.stdout.split() == [str(Path("output") / "chronology-education.html")]
    assert _events(project / "output" / "chronology-education.html") and not set(events) & set(_events(project / "output" / "chronology-education.html"))


def test_a_project_brief_named_as_a_built_ins_output_is_refused_not_overwritten(project: Path) -> None:
    template(project, "builtin-overview", "{{ fact('bssr-recognises-prc-1949')|statement }}\n", front="title: Ours")
    result = run("build", "builtin/overview", "builtin-overview", "--format", "html", "--as-of", "2026-11-23")
    assert_clean_failure(result, 2, "'builtin-overview' writes builtin-overview.html, as does 'builtin/overview'")
    assert not (project / "output").exists()


def test_keep_markdown_writes_the_rendered_markdown_beside_the_outputs(project: Path) -> None:
    template(project, "memo", "## Recognition\n\n{{ fact('bssr-recognises-prc-1949')|statement }}\n", front="title: A memo\nformats: [pdf]")
    result = run("build", "memo", "--keep-markdown", "--as-of", "2026-11-23")
    assert result.exit_code == 0, result.output
    assert str(Path("output") / "memo.md") in result.stdout.split()
    markdown = (project / "output" / "memo.md").read_text(encoding="utf-8")
    assert markdown.startswith("## Recognition\n\n") and "[@bssr-recognises-prc-1949]" in markdown
    assert not any(0xE000 <= ord(character) <= 0xE002 for character in markdown)  # no origin marks left


def test_build_without_names_goes_on_and_reports_every_failure(project: Path) -> None:
    template(project, "memo", "{{ fact('bssr-recognises-prc-1949')|statement }}\n", front="title: A memo")
    template(project, "broken", "\n{{ fact('no-such-fact') }}\n", front="title: Broken")
    template(project, "worse", "{{ facts(knd='event') }}\n", front="title: Worse")
    result = run("build", "--format", "pdf", "--as-of", "2026-11-23")
    assert result.exit_code == 1, result.output
    written = result.stdout.split()
    assert {Path(p).name for p in written} == {"overview.pdf", "chronology.pdf", "stance-summary.pdf", "memo.pdf"}
    assert all((project / p).is_file() for p in written)
    assert "templates/broken.md.j2:5" in result.stderr and "templates/worse.md.j2:4" in result.stderr
    assert "4 briefs built, 2 failed: broken, worse" in result.stderr


def test_the_author_comes_from_briefgen_yaml(project: Path) -> None:
    import zipfile

    (project / "briefgen.yaml").write_text("author: Eastern Europe Desk\n", encoding="utf-8")
    result = run("build", "chronology", "--as-of", "2026-11-23")
    assert result.exit_code == 0, result.output
    assert PdfReader(project / "output" / "chronology.pdf").metadata.author == "Eastern Europe Desk"
    with zipfile.ZipFile(project / "output" / "chronology.docx") as package:
        assert "<dc:creator>Eastern Europe Desk</dc:creator>" in package.read("docProps/core.xml").decode()


def test_the_briefgen_process_builds_and_keeps_the_exit_codes(project: Path) -> None:
    """``python -m briefgen`` (as the script) ends through ``process_main``: its files written whole, its exit code kept."""
    import subprocess
    import sys

    def process(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "briefgen", *args], cwd=project, capture_output=True, text=True,
                              env={**os.environ, "BRIEFGEN_CACHE_DIR": str(project / "cache")})

    built = process("build", "overview", "--format", "pdf", "--as-of", "2026-11-23")
    assert built.returncode == 0, built.stderr
    text = " ".join(page.extract_text() for page in PdfReader(project / "output" / "overview.pdf").pages)
    assert "20 January 1992" in text
    unknown = process("build", "no-such-brief")
    assert unknown.returncode == 2 and "no brief named 'no-such-brief'" in unknown.stderr and "Traceback" not in unknown.stderr
