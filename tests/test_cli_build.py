"""Tests for ``briefgen build``, ``list briefs`` and ``init`` on the command line: output, exit codes, messages."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from pypdf import PdfReader

from briefgen.cli import main

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
