"""Tests for ``briefgen validate`` and ``briefgen list``: output, exit codes, and no tracebacks."""

from __future__ import annotations

import itertools
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from briefgen.cli import main
from briefgen.errors import FactsError

SCENARIO = Path(__file__).parent / "projects" / "registry-valid"
GOOD = """\
facts:
  - id: new-fact
    statement: Belarus and China marked an anniversary.
    kind: event
    date: 2015-07-01
    topics: [diplomacy]
    actors: [belarus, china]
    sources:
      - source: wiki-by-cn
        locator: History
        quote: Diplomatic relations were established on 20 January 1992.
"""


@pytest.fixture()
def registry_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "facts"
    shutil.copytree(SCENARIO, folder)
    return folder


def run(*args: str | Path) -> Result:
    result = CliRunner().invoke(main, [str(arg) for arg in args])
    assert "Traceback" not in result.output + result.stderr
    return result


def test_validate_prints_a_summary_and_warnings(registry_dir: Path) -> None:
    result = run("validate", "--facts", registry_dir, "--as-of", "2026-02-01")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        f"{registry_dir}: valid as of 2026-02-01",
        "  2 sources, 4 entities, 2 topics",
        "  9 facts: 1 background, 4 event, 2 figure, 1 quote, 1 stance",
        "  2 warnings",
    ]
    assert result.stderr.splitlines() == [
        f"warning: {registry_dir / 'facts.yaml'}:45: fact 'trade-2020' is superseded by 'trade-2024' as of 2026-02-01 (cite 'trade-2024' instead)",
        f"warning: {registry_dir / 'facts.yaml'}:73: fact 'china-supports-sovereignty' is past its valid_until (2025) as of 2026-02-01"
        " (update it, or state it in the past tense)",
    ]


def test_validate_uses_source_date_epoch_and_the_default_folder(registry_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(registry_dir.parent)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1672531200")  # 2023-01-01
    result = run("validate")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == "facts: valid as of 2023-01-01"
    assert result.stdout.splitlines()[-1] == "  0 warnings"


def test_all_errors_are_listed_with_a_count(registry_dir: Path) -> None:
    bad = GOOD.replace("date: 2015-07-01", "date: 2015-13-40").replace("source: wiki-by-cn", "source: nowhere")
    (registry_dir / "bad.yaml").write_text(bad.replace("kind: event", "kind: evnt"))
    result = run("validate", "--facts", registry_dir)
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 4 and lines[-1] == "3 errors"
    assert [line.split(": ")[0] for line in lines[:3]] == [f"{registry_dir / 'bad.yaml'}:{n}" for n in (4, 5, 9)]
    assert result.stdout == ""


BAD_INPUTS = {
    "tab indentation": ("bad.yaml", GOOD.replace("    kind:", "\tkind:"), "bad.yaml:4: YAML syntax error"),
    "unclosed quote": ("bad.yaml", GOOD.replace("statement: Belarus", 'statement: "Belarus'), "bad.yaml:3: YAML syntax error: unclosed quotation mark"),
    "id with a space": ("bad.yaml", GOOD.replace("id: new-fact", "id: new fact"), "bad.yaml:2: fact id: 'new fact' is not a valid id"),
    "no sources": ("bad.yaml", GOOD.split("    sources:")[0], "bad.yaml:2: a fact has no sources"),
    "dangling source id": ("bad.yaml", GOOD.replace("source: wiki-by-cn", "source: wiki"), "bad.yaml:9: 'source' names an unknown source 'wiki'"),
    "duplicate id in two files": ("more.yaml", GOOD.replace("id: new-fact", "id: trade-2024"), "more.yaml:2: duplicate id 'trade-2024': also a fact at"),
    "impossible date": ("bad.yaml", GOOD.replace("2015-07-01", "2015-13-40"), "bad.yaml:5: fact date: '2015-13-40' has month 13"),
    "unknown fact kind": ("bad.yaml", GOOD.replace("kind: event", "kind: happening"), "bad.yaml:4: fact kind: 'happening' is not one of"),
    "stance with no holder": ("bad.yaml", GOOD.replace("kind: event", "kind: stance\n    issue: Trade\n    position: supports"), "bad.yaml:2: a stance fact has no 'holder'"),
    "figure with no unit": ("bad.yaml", GOOD.replace("kind: event", "kind: figure\n    metric: m\n    value: 1\n    as_of: 2024"), "bad.yaml:2: a figure fact has no 'unit'"),
    "quote absent from the archive": ("bad.yaml", GOOD.replace("were established", "were frozen"), "bad.yaml:9: the quote is not in the archived text"),
    "binary file named .yaml": ("bad.yaml", b"\x00\x01\x02binary\xff", "bad.yaml: not a text file"),
}


@pytest.mark.parametrize(("name", "content", "expected"), BAD_INPUTS.values(), ids=BAD_INPUTS.keys())
def test_bad_input_gets_one_clear_line(registry_dir: Path, name: str, content: str | bytes, expected: str) -> None:
    (registry_dir / name).write_bytes(content if isinstance(content, bytes) else content.encode())
    result = run("validate", "--facts", registry_dir)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [result.stderr.splitlines()[0], "1 error"]
    assert result.stderr.startswith(f"{registry_dir}/{expected}")


def test_an_empty_facts_folder(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    result = run("validate", "--facts", tmp_path / "empty")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == f"{tmp_path / 'empty'}: the registry folder has no .yaml files (add sources and facts, e.g. with 'briefgen init')"


@pytest.mark.parametrize("command", [["validate"], ["list", "facts"]])
def test_a_facts_path_that_does_not_exist_is_a_usage_error(tmp_path: Path, command: list[str]) -> None:
    result = run(*command, "--facts", tmp_path / "nowhere")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: --facts {tmp_path / 'nowhere'} does not exist")


def test_a_facts_path_that_is_a_file_is_a_usage_error(registry_dir: Path) -> None:
    result = run("validate", "--facts", registry_dir / "facts.yaml")
    assert result.exit_code == 2
    assert "is not a folder" in result.stderr


def test_a_missing_default_facts_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("validate")
    assert result.exit_code == 1
    assert result.stderr.startswith("facts: the registry folder does not exist")


def test_a_bad_as_of_is_a_usage_error(registry_dir: Path) -> None:
    result = run("validate", "--facts", registry_dir, "--as-of", "20 January 2026")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: --as-of: as-of date '20 January 2026' is not a day")


def test_debug_shows_the_exception(registry_dir: Path) -> None:
    (registry_dir / "bad.yaml").write_text(GOOD.replace("kind: event", "kind: evnt"))
    result = CliRunner().invoke(main, ["--debug", "validate", "--facts", str(registry_dir)])
    assert isinstance(result.exception, FactsError)


def test_list_facts_is_a_chronological_table(registry_dir: Path) -> None:
    result = run("list", "facts", "--facts", registry_dir, "--topic", "trade", "--as-of", "2026-02-01")
    assert result.exit_code == 0
    rows = [line.split() for line in result.stdout.splitlines()]
    assert rows[0] == ["ID", "KIND", "DATE", "PRIORITY", "TOPICS", "STATEMENT"]
    assert [row[:4] for row in rows[1:3]] == [["trade-2020", "figure", "2020", "2"], ["trade-2024", "figure", "2024", "2"]]
    assert rows[-1] == ["2", "rows"]


def test_list_facts_wraps_long_statements_whole(registry_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "130")
    long = " ".join(f"word{i}" for i in range(60))
    (registry_dir / "more.yaml").write_text(GOOD.replace("Belarus and China marked an anniversary.", long))
    result = run("list", "facts", "--facts", registry_dir, "--kind", "event")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("new-fact"))
    assert "1 July 2015" in lines[start] and "…" not in result.stdout
    column = lines[0].index("STATEMENT")
    continued = itertools.takewhile(lambda line: line[:column].isspace(), lines[start + 1 :])
    wrapped = [lines[start][column:], *(line[column:] for line in continued)]
    assert " ".join(wrapped).split() == long.split()
    assert all(len(line) <= 130 for line in lines), result.stdout


def test_list_facts_as_json_has_every_field(registry_dir: Path) -> None:
    import json

    result = run("list", "facts", "--facts", registry_dir, "--topic", "trade", "--format", "json", "--as-of", "2026-02-01")
    assert result.exit_code == 0
    facts = json.loads(result.stdout)
    assert [fact["id"] for fact in facts] == ["trade-2020", "trade-2024"]
    assert set(facts[0]) == {"id", "kind", "date", "priority", "topics", "statement"}
    assert facts[0]["priority"] == 2 and "trade" in facts[0]["topics"] and facts[0]["statement"].endswith(".")


def test_list_sources_by_topic_and_kind(registry_dir: Path) -> None:
    assert run("list", "sources", "--facts", registry_dir, "--topic", "trade").stdout.splitlines()[1].startswith("wiki-by-cn")
    result = run("list", "sources", "--facts", registry_dir, "--kind", "news")
    assert [line.split()[0] for line in result.stdout.splitlines()] == ["ID", "news-embassy", "1"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["facts", "--topic", "trad"], "error: unknown topic 'trad' (did you mean 'trade'?)"),
        (["facts", "--kind", "evnt"], "error: unknown fact kind 'evnt' (did you mean 'event'?)"),
        (["sources", "--kind", "newz"], "error: unknown source kind 'newz' (did you mean 'news'?)"),
    ],
)
def test_list_with_an_unknown_filter_is_a_usage_error(registry_dir: Path, args: list[str], message: str) -> None:
    result = run("list", *args, "--facts", registry_dir)
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == message
