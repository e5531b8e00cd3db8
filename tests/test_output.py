"""Tests for ``briefgen.output``: files replaced together or not at all, and stale temporary files removed."""

from __future__ import annotations

import fcntl
import os
from pathlib import Path
from typing import Any

import pytest

import briefgen.output
from briefgen.errors import WriteError
from briefgen.output import TEMPORARY_PREFIX, remove_stale_temporaries, write_atomic_all


def names(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir())


def test_all_files_are_replaced(tmp_path: Path) -> None:
    (tmp_path / "a.pdf").write_bytes(b"old")
    write_atomic_all({tmp_path / "a.pdf": b"new pdf", tmp_path / "a.docx": b"new docx"})
    assert (tmp_path / "a.pdf").read_bytes() == b"new pdf" and (tmp_path / "a.docx").read_bytes() == b"new docx"
    assert names(tmp_path) == ["a.docx", "a.pdf"]


@pytest.mark.parametrize("had_pdf", [True, False], ids=["pdf existed", "no pdf before"])
def test_a_second_file_that_cannot_be_renamed_puts_the_first_back(tmp_path: Path, had_pdf: bool) -> None:
    if had_pdf:
        (tmp_path / "a.pdf").write_bytes(b"old pdf")
    (tmp_path / "a.docx").mkdir()  # a folder where the DOCX should go: its rename fails after the PDF's
    with pytest.raises(WriteError, match="Is a directory"):
        write_atomic_all({tmp_path / "a.pdf": b"new pdf", tmp_path / "a.docx": b"new docx"})
    assert names(tmp_path) == (["a.docx", "a.pdf"] if had_pdf else ["a.docx"])  # no temporary file left
    if had_pdf:
        assert (tmp_path / "a.pdf").read_bytes() == b"old pdf"


def test_ctrl_c_between_the_renames_puts_the_first_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "a.pdf").write_bytes(b"old pdf")
    (tmp_path / "a.docx").write_bytes(b"old docx")
    renames: list[Any] = []

    class InterruptedSecondRename:
        def __getattr__(self, name: str) -> Any:
            return getattr(os, name)

        @staticmethod
        def replace(source: Any, target: Any) -> None:
            renames.append(target)
            if len(renames) == 2:
                raise KeyboardInterrupt
            os.replace(source, target)

    monkeypatch.setattr(briefgen.output, "os", InterruptedSecondRename())
    with pytest.raises(KeyboardInterrupt):
        write_atomic_all({tmp_path / "a.pdf": b"new pdf", tmp_path / "a.docx": b"new docx"})
    assert (tmp_path / "a.pdf").read_bytes() == b"old pdf" and (tmp_path / "a.docx").read_bytes() == b"old docx"
    assert names(tmp_path) == ["a.docx", "a.pdf"]


def test_stale_temporary_files_are_removed_but_not_those_in_use(tmp_path: Path) -> None:
    stale = tmp_path / f"{TEMPORARY_PREFIX}abcd1234.tmp"
    stale.write_bytes(b"left by a killed run")
    in_use = tmp_path / f"{TEMPORARY_PREFIX}wxyz9876.tmp"
    in_use.write_bytes(b"being written")
    (tmp_path / "notes.tmp").write_bytes(b"not ours")
    with open(in_use, "rb") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)  # as the process writing it holds it
        assert remove_stale_temporaries(tmp_path) == [stale]
    assert names(tmp_path) == [in_use.name, "notes.tmp"]
    assert remove_stale_temporaries(tmp_path / "missing") == []
