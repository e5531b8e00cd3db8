"""Tests of writers/pdf_fonts.py: reportlab's parse of a face, kept in the cache folder.

A face loaded from the cache must be the face a fresh parse gives (same
tables, same PDF bytes); a damaged entry is parsed again and rewritten.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from reportlab.pdfbase.ttfonts import TTFont

from briefgen.writers.pdf.fonts import _FONT_DIR, _parsed

REGULAR = _FONT_DIR / "LiberationSans-Regular.ttf"


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("BRIEFGEN_CACHE_DIR", str(tmp_path))
    return tmp_path / "fonts"


def assert_same_font(loaded: TTFont, parsed: TTFont) -> None:
    font, fresh = vars(loaded), vars(parsed)
    assert font.keys() == fresh.keys()
    assert {k: v for k, v in font.items() if k not in ("face", "state", "encoding")} == \
        {k: v for k, v in fresh.items() if k not in ("face", "state", "encoding")}
    assert vars(loaded.encoding) == vars(parsed.encoding)
    assert not loaded.state
    face, fresh_face = vars(loaded.face), vars(parsed.face)
    assert face.keys() == fresh_face.keys()
    assert {k: v for k, v in face.items() if k != "_pdfScale"} == {k: v for k, v in fresh_face.items() if k != "_pdfScale"}
    assert loaded.face._pdfScale(1234.5) == parsed.face._pdfScale(1234.5)
    assert loaded.face.name.ustr == parsed.face.name.ustr


def test_a_face_from_the_cache_is_the_parsed_face(cache: Path) -> None:
    first = _parsed(REGULAR)
    assert len(list(cache.iterdir())) == 1
    assert_same_font(_parsed(REGULAR), TTFont(REGULAR.stem, str(REGULAR)))
    assert_same_font(first, TTFont(REGULAR.stem, str(REGULAR)))


def test_a_damaged_cache_entry_is_parsed_again_and_rewritten(cache: Path) -> None:
    _parsed(REGULAR)
    (entry,) = cache.iterdir()
    entry.write_bytes(b"not a pickle")
    assert_same_font(_parsed(REGULAR), TTFont(REGULAR.stem, str(REGULAR)))
    assert entry.read_bytes() != b"not a pickle"
    assert_same_font(_parsed(REGULAR), TTFont(REGULAR.stem, str(REGULAR)))


def test_an_unwritable_cache_folder_only_costs_the_parse(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache folder would be")
    monkeypatch.setenv("BRIEFGEN_CACHE_DIR", str(blocker))
    assert_same_font(_parsed(REGULAR), TTFont(REGULAR.stem, str(REGULAR)))


def test_a_pdf_from_cached_faces_is_byte_identical(tmp_path: Path) -> None:
    """Every face of every family (the CJK one too), parsed in one process and loaded from the cache in the next."""
    code = ("import sys; sys.path.insert(0, 'tests'); from test_writer_pdf import every_type;"
            "from briefgen.themes import Theme; from briefgen.writers.pdf import write_pdf;"
            "sys.stdout.buffer.write(write_pdf(every_type(), Theme(pdf_font='Noto Sans')).data)")
    env = {"PYTHONHASHSEED": "7", "BRIEFGEN_CACHE_DIR": str(tmp_path)}
    parsed = subprocess.run([sys.executable, "-c", code], capture_output=True, check=True, env=env).stdout
    assert {entry.name.rsplit("-", 1)[0] for entry in (tmp_path / "fonts").iterdir()} >= {
        "NotoSans-Regular", "NotoSans-BoldItalic", "DroidSansFallbackFull"}
    cached = subprocess.run([sys.executable, "-c", code], capture_output=True, check=True, env=env).stdout
    assert cached == parsed
