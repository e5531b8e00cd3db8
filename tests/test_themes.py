"""Theme files are parsed once per path and content: an edited theme is read anew."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefgen.errors import TemplateError
from briefgen.themes import _parsed, load_theme


def test_theme_parsed_once_per_content_and_again_when_edited(tmp_path: Path) -> None:
    theme_file = tmp_path / "desk.yaml"
    theme_file.write_text("marking: OFFICIAL\n", encoding="utf-8")
    first = load_theme(theme_file)
    misses = _parsed.cache_info().misses
    assert load_theme(theme_file) == first
    assert _parsed.cache_info().misses == misses  # neither the file nor the default it extends parsed again
    theme_file.write_text("marking: SECRET\nextends: null\n", encoding="utf-8")
    edited = load_theme(theme_file)
    assert (edited.marking, first.marking) == ("SECRET", "OFFICIAL")
    assert load_theme(theme_file) == edited  # the cached settings were not changed by applying them


def test_repeated_notes_is_ibid_unless_a_theme_says_full(tmp_path: Path) -> None:
    from briefgen.themes import RepeatedNotes

    assert load_theme("default").repeated_notes is RepeatedNotes.IBID
    (tmp_path / "full.yaml").write_text("repeated_notes: full\n", encoding="utf-8")
    assert load_theme(tmp_path / "full.yaml").repeated_notes is RepeatedNotes.FULL
    (tmp_path / "bad.yaml").write_text("repeated_notes: merged\n", encoding="utf-8")
    with pytest.raises(TemplateError, match="'merged' is not one of full, ibid"):
        load_theme(tmp_path / "bad.yaml")
