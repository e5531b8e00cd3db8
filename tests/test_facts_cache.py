"""Tests for the registry's use of the cache (``briefgen.cache``): hits, invalidation, corruption, location."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from briefgen.registry import loader as facts
from briefgen.registry.loader import load_registry
from briefgen.cache import cache_dir

SCENARIO = Path(__file__).parent / "projects" / "registry-valid"


@pytest.fixture()
def registry_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("BRIEFGEN_CACHE_DIR", str(tmp_path / "cache"))
    folder = tmp_path / "facts"
    shutil.copytree(SCENARIO, folder)
    return folder


@pytest.fixture()
def validations(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Records each full validation (a cache miss)."""
    calls: list[Path] = []
    validate = facts._validate

    def counting(root: Path, files: dict[Path, bytes]) -> object:
        calls.append(root)
        return validate(root, files)

    monkeypatch.setattr(facts, "_validate", counting)
    return calls


def test_second_load_comes_from_the_cache(registry_dir: Path, validations: list[Path]) -> None:
    first = load_registry(registry_dir, as_of="2026-02-01")
    second = load_registry(registry_dir, as_of="2026-02-01")
    assert len(validations) == 1
    assert second.facts == first.facts and second.content_hash == first.content_hash
    assert len(list((registry_dir.parent / "cache" / "registry").iterdir())) == 1
    assert {path.name for path in registry_dir.rglob("*")} == {path.name for path in SCENARIO.rglob("*")}, "the cache must never be inside the registry"


def test_cache_false_always_validates(registry_dir: Path, validations: list[Path]) -> None:
    load_registry(registry_dir, cache=False)
    load_registry(registry_dir, cache=False)
    assert len(validations) == 2
    assert not (registry_dir.parent / "cache").exists()


def test_a_changed_yaml_file_invalidates(registry_dir: Path, validations: list[Path]) -> None:
    load_registry(registry_dir)
    facts_file = registry_dir / "facts.yaml"
    facts_file.write_text(facts_file.read_text().replace("Bilateral trade reached", "Bilateral trade rose to", 1))
    assert "rose to" in load_registry(registry_dir).fact("trade-2024").statement
    assert len(validations) == 2


def test_a_changed_archive_invalidates(registry_dir: Path, validations: list[Path]) -> None:
    load_registry(registry_dir)
    (registry_dir / "sources" / "news-embassy.txt").write_text("Something else entirely.\n")
    with pytest.raises(facts.FactsError, match="the quote is not in the archived text"):
        load_registry(registry_dir)
    assert len(validations) == 2


def test_an_invalid_registry_is_never_cached(registry_dir: Path, validations: list[Path]) -> None:
    (registry_dir / "bad.yaml").write_text("facts:\n  - id: Bad Id\n")
    for _ in range(2):
        with pytest.raises(facts.FactsError):
            load_registry(registry_dir)
    assert len(validations) == 2


def test_staleness_is_computed_after_the_cache(registry_dir: Path, validations: list[Path]) -> None:
    assert len(load_registry(registry_dir, as_of="2026-02-01").warnings) == 2
    assert load_registry(registry_dir, as_of="2023-01-01").warnings == ()
    assert len(validations) == 1


def test_a_corrupt_cache_file_is_ignored_and_rewritten(registry_dir: Path, validations: list[Path]) -> None:
    load_registry(registry_dir)
    (cached,) = (registry_dir.parent / "cache" / "registry").iterdir()
    cached.write_bytes(cached.read_bytes()[:-10] + b"not a pickle at all")
    assert load_registry(registry_dir).fact("trade-2024")
    assert load_registry(registry_dir).fact("trade-2024")
    assert len(validations) == 2


def test_cache_location(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("BRIEFGEN_CACHE_DIR", str(tmp_path / "explicit"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_dir() == tmp_path / "explicit"
    monkeypatch.delenv("BRIEFGEN_CACHE_DIR")
    assert cache_dir() == tmp_path / "xdg" / "briefgen"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache_dir() == tmp_path / "home" / ".cache" / "briefgen"


def test_an_unwritable_cache_is_skipped(registry_dir: Path, monkeypatch: pytest.MonkeyPatch, validations: list[Path]) -> None:
    blocker = registry_dir.parent / "blocked"
    blocker.write_text("a file where the cache folder should be")
    monkeypatch.setenv("BRIEFGEN_CACHE_DIR", str(blocker / "cache"))
    assert load_registry(registry_dir).fact("trade-2024")
    assert load_registry(registry_dir).fact("trade-2024")
    assert len(validations) == 2


def test_a_cached_load_imports_neither_the_validators_nor_yaml(registry_dir: Path) -> None:
    load_registry(registry_dir, as_of="2026-02-01")  # primes the cache
    code = (
        "import sys; from briefgen.registry.loader import load_registry;"
        f"load_registry({str(registry_dir)!r}, as_of='2026-02-01');"
        "print(sorted(m for m in ('yaml', 'briefgen.registry.schema', 'briefgen.registry.references', 'briefgen.yaml_reader') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=dict(os.environ))
    assert result.stdout.strip() == "[]"
