"""Tests for briefgen.confine: paths resolved (links followed) must stay inside their root; only regular files are read."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from briefgen.confine import Refused, inside, regular_file


@pytest.fixture()
def root(tmp_path: Path) -> Path:
    (tmp_path / "project/sub").mkdir(parents=True)
    (tmp_path / "project/sub/file.txt").write_text("in")
    (tmp_path / "outside.txt").write_text("out")
    return tmp_path / "project"


def test_paths_inside_are_returned_resolved(root: Path) -> None:
    assert inside(root / "sub/../sub/file.txt", root) == (root / "sub/file.txt").resolve()
    (root / "link.txt").symlink_to(root / "sub/file.txt")
    assert inside(root / "link.txt", root) == (root / "sub/file.txt").resolve()
    assert inside(root / "not-yet.txt", root) == (root / "not-yet.txt").resolve()  # existence is regular_file's question


@pytest.mark.parametrize("written", ["../outside.txt", "/etc/passwd", "sub/../../outside.txt", "out-link.txt", "loop.txt"])
def test_paths_leading_out_are_refused_naming_the_path_as_written(root: Path, written: str) -> None:
    (root / "out-link.txt").symlink_to(root.parent / "outside.txt")
    (root / "loop.txt").symlink_to(root / "loop.txt")
    with pytest.raises(Refused, match=rf"^'{written}' (points outside the registry folder|cannot be resolved)"):
        inside(root / written, root, written=written, root_name="the registry folder")


def test_a_root_that_is_itself_a_link_is_followed(root: Path, tmp_path: Path) -> None:
    (tmp_path / "alias").symlink_to(root, target_is_directory=True)
    assert inside(tmp_path / "alias/sub/file.txt", tmp_path / "alias") == (root / "sub/file.txt").resolve()


def test_only_regular_files_are_readable(root: Path) -> None:
    assert regular_file(root / "sub/file.txt") == root / "sub/file.txt"
    os.mkfifo(root / "pipe")
    (root / "dangling").symlink_to(root / "nowhere")
    for name, message in [("pipe", "is a FIFO"), ("dangling", "is a symbolic link to nothing"), ("sub", "is a folder"), ("gone", "does not exist")]:
        with pytest.raises(Refused, match=message):
            regular_file(root / name, written=name)
    with pytest.raises(Refused, match="cannot be read: File name too long"):
        regular_file(root / ("x" * 700))
