"""Tests of briefgen.cache: what an entry may hold, the folder created private, info, clear and the size cap.

Damaged entries (changed, truncated, cut in the header, foreign, unreadable,
a registry statement or a date label edited) and a cache folder that others
can write to are cases in tests/bad_inputs/ (``cache-*``), where every bad
input is: a damaged entry is a miss and the document the same bytes.
"""

from __future__ import annotations

import os
import pickle
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefgen import cache
from briefgen.cli import main

REPO = Path(__file__).resolve().parents[1]
BUILD = ["build", "overview", "--format", "pdf", "--as-of", "2026-11-23"]


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    target = tmp_path / "cache"
    monkeypatch.setenv("BRIEFGEN_CACHE_DIR", str(target))
    monkeypatch.delenv("BRIEFGEN_CACHE_MAX_MB", raising=False)
    return target


def _build(project: Path, out: Path) -> bytes:
    """``briefgen build`` as a new process would run it: nothing kept in memory from an earlier build."""
    from briefgen import themes, writers

    themes._parsed.cache_clear()
    writers._writers.cache_clear()
    result = CliRunner().invoke(main, [*BUILD, "--facts", str(project / "facts"), "--templates", str(project / "templates"), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    return (out / "overview.pdf").read_bytes()


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    copy = tmp_path_factory.mktemp("project")
    for name in ("facts", "templates"):
        shutil.copytree(REPO / name, copy / name)
    shutil.copy(REPO / "briefgen.yaml", copy / "briefgen.yaml")
    return copy


@pytest.fixture(autouse=True)
def fonts_unread(monkeypatch: pytest.MonkeyPatch) -> None:
    """As in a new process, no font family's coverage is known yet (earlier tests of the session loaded it)."""
    from briefgen.writers.pdf import fonts

    monkeypatch.setattr(fonts, "_families_loaded", {})


KINDS = ("registry", "template", "template-extends", "markdown", "front-matter", "theme", "config", "entry-points", "font-coverage")


def test_a_pickle_that_would_run_code_is_refused() -> None:
    class Evil:
        def __reduce__(self) -> tuple[object, tuple[str]]:
            return os.system, ("echo pwned",)

    with pytest.raises(pickle.UnpicklingError, match="may not be loaded"):
        cache.load_data(pickle.dumps(Evil()))
    with pytest.raises(pickle.UnpicklingError, match="may not be loaded"):
        cache.load_data(pickle.dumps(cache.clear))  # a briefgen function, not a frozen dataclass


def test_a_stored_entry_of_code_is_a_miss_even_with_a_sound_checksum(folder: Path) -> None:
    cache.write_entry("things", ["key"], pickle.dumps(os.system))
    assert cache.recall("things", ["key"]) is None
    assert cache.remembered("things", ["key"], lambda: ("fresh", 1)) == ("fresh", 1)
    assert cache.remembered("things", ["key"], lambda: ("not called", 2)) == ("fresh", 1)


def test_plain_data_round_trips(folder: Path) -> None:
    import datetime as dt

    from briefgen.registry.records import Origin

    value = (Origin(Path("facts/a.yaml"), 3), dt.date(2026, 1, 20), frozenset({"a"}), {"k": [1, 2.5, None, True]})
    cache.keep("things", ["k"], value)
    assert cache.recall("things", ["k"]) == value
    assert cache.recall("things", ["other key"]) is None


def test_the_folder_is_created_private(folder: Path) -> None:
    cache.keep("things", ["k"], 1)
    assert folder.stat().st_mode & 0o777 == 0o700
    assert (folder / "things").stat().st_mode & 0o777 == 0o700


def test_cache_info_and_clear(project: Path, folder: Path, tmp_path: Path) -> None:
    _build(project, tmp_path / "out")
    info = CliRunner().invoke(main, ["cache", "info"])
    assert info.exit_code == 0
    assert str(folder) in info.stdout
    for kind in KINDS:
        assert any(line.split()[0] == kind for line in info.stdout.splitlines()[1:]), info.stdout
    stored = sum(1 for path in folder.rglob("*") if path.is_file())
    cleared = CliRunner().invoke(main, ["cache", "clear"])
    assert cleared.exit_code == 0 and f"removed {stored} entries" in cleared.stdout
    assert not [path for path in folder.rglob("*") if path.is_file()]
    assert "0 entries" in CliRunner().invoke(main, ["cache", "info"]).stdout


def test_the_size_cap_removes_the_least_recently_used_first(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIEFGEN_CACHE_MAX_MB", str(3 * 1300 / (1024 * 1024)))  # room for three entries of ~1.1 KB (a full folder is trimmed a sixteenth below the cap)
    for number in range(3):
        cache.write_entry("things", [str(number)], bytes(1000))
    paths = {number: cache._entry_path("things", None, cache._digest("things", [str(number)])) for number in range(4)}
    for age, number in enumerate((1, 0, 2)):  # entry 1 used longest ago, then 0, then 2
        os.utime(paths[number], (1_000_000 + age, 1_000_000 + age))
    assert cache.read_entry("things", ["1"]) == bytes(1000)  # reading makes 1 the most recently used
    cache.write_entry("things", ["3"], bytes(1000))
    assert [number for number in range(4) if paths[number].exists()] == [1, 2, 3]
    assert sum(path.stat().st_size for path in paths.values() if path.exists()) <= 3 * 1300


def test_many_writes_list_the_folder_a_few_times_and_keep_it_under_the_cap(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    listings = []
    listed = cache._entries
    monkeypatch.setattr(cache, "_entries", lambda *args, **kwargs: (listings.append(1), listed(*args, **kwargs))[1])
    for number in range(300):
        cache.write_entry("fits", [str(number)], bytes(1000))
    assert len(listings) == 1  # the first write measures the folder; 300 KB is far below the default cap
    monkeypatch.setenv("BRIEFGEN_CACHE_MAX_MB", str(64_000 / (1024 * 1024)))
    listings.clear()
    for number in range(300, 600):
        cache.write_entry("fits", [str(number)], bytes(1000))
    held = sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())
    assert 64_000 * 14 / 16 < held <= 64_000, held  # under the cap, trimmed a sixteenth below it when full
    assert 300 / 16 < len(listings) < 300 / 2  # measured again every sixteenth of the cap, not on every write


def test_an_unwritable_cache_is_only_slower(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where the cache folder would be")
    monkeypatch.setenv("BRIEFGEN_CACHE_DIR", str(blocker / "cache"))
    assert cache.remembered("things", ["k"], lambda: 41) == 41
    assert cache.remembered("things", ["k"], lambda: 42) == 42


def test_fonts_are_stored_only_as_the_characters_they_cover(project: Path, folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from briefgen.writers.pdf import fonts

    _build(project, tmp_path / "out")
    assert {path.name for path in folder.iterdir()} == set(KINDS)
    monkeypatch.setattr(fonts, "_loaded", {})  # no parsed face at hand: the coverage must come from the entry
    covered = fonts._coverage(fonts._FAMILIES["Liberation Sans"], ("Regular", "Bold", "Italic"))  # the overview has emphasis
    assert not fonts._loaded
    assert isinstance(covered, frozenset) and all(type(code) is int for code in covered)
    assert {ord("A"), ord("Ж"), 0x05D0, 0x1F00, 0x0283} <= covered  # Latin, Cyrillic, Hebrew, polytonic Greek, IPA
    assert ord("中") not in covered


_IMPORTED = (
    "import runpy, sys\n"
    "sys.argv = ['briefgen', *sys.argv[1:]]\n"
    "try:\n    runpy.run_module('briefgen', run_name='__main__')\n"
    "except SystemExit as done:\n    assert not done.code, done.code\n"
    "print(sorted({m.split('.')[0] for m in sys.modules if m.startswith(('babel', 'yaml', 'markdown_it', 'importlib.metadata'))}))\n"
)


def _build_in_a_process(project: Path, out: Path) -> tuple[bytes, str]:
    """The overview built by a new process: its PDF, and which slow libraries that process imported."""
    import subprocess
    import sys

    arguments = [*BUILD, "--facts", str(project / "facts"), "--templates", str(project / "templates"), "--out", str(out)]
    result = subprocess.run([sys.executable, "-c", _IMPORTED, *arguments], capture_output=True, text=True, check=True, env=dict(os.environ))
    return (out / "overview.pdf").read_bytes(), result.stdout.strip().splitlines()[-1]


def test_a_warm_build_imports_no_babel_yaml_markdown_it_nor_metadata(project: Path, folder: Path, tmp_path: Path) -> None:
    first, imported = _build_in_a_process(project, tmp_path / "first")
    assert "babel" in imported and "yaml" in imported
    second, imported = _build_in_a_process(project, tmp_path / "second")
    assert second == first
    assert imported == "[]"
