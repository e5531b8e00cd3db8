"""Tests for briefgen.yaml_reader: scalars stay text, lines are kept, and the pure-Python fallback agrees."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from briefgen import yaml_reader as facts_yaml
from briefgen.errors import Problem

TEXT = "facts:\n  - id: a\n    date: -0035\n    language: no\n    empty:\n    quoted: ''\n"


@pytest.fixture(params=["libyaml", "python"])
def reader(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[ModuleType]:
    if request.param == "libyaml":
        yield facts_yaml
        return
    monkeypatch.setitem(sys.modules, "yaml.cyaml", None)  # as if PyYAML had no libyaml
    try:
        yield importlib.reload(facts_yaml)
    finally:
        monkeypatch.undo()
        importlib.reload(facts_yaml)


def test_scalars_stay_as_written_and_keep_their_lines(reader: ModuleType) -> None:
    parsed = reader.parse_file(Path("f.yaml"), TEXT.encode(), [])
    entry = parsed.node.value[0][1].value[0]
    values = {key.value: value for key, value in entry.value}
    assert values["date"].value == "-0035" and values["language"].value == "no"
    assert reader.line_of(values["date"]) == 3
    assert reader.is_null(values["empty"]) and not reader.is_null(values["quoted"])


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("facts:\n  - id: a\n\tkind: event\n", 3, "YAML syntax error"),
        ('facts:\n  - id: "a\n    kind: event\n', 2, "YAML syntax error: unclosed quotation mark"),
        ("a: 1\n--- \nb: 2\n", 2, "YAML syntax error"),
    ],
)
def test_syntax_errors_name_the_line(reader: ModuleType, text: str, line: int, message: str) -> None:
    problems: list[Problem] = []
    assert reader.parse_file(Path("f.yaml"), text.encode(), problems).node is None
    assert [(p.line, p.message.startswith(message)) for p in problems] == [(line, True)]
