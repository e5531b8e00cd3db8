"""Atomic file output: files are either written whole or not touched at all.

Data goes to temporary files in the target folders, each flushed to disk;
only when every one of them is written are they renamed over their targets.
A failure while writing removes the temporary files and leaves the previous
good files as they were, so a brief's PDF and DOCX are replaced together or
not at all (a full disk fails before the first rename).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

from briefgen.errors import WriteError

__all__ = ["write_atomic", "write_atomic_all"]


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically; raise ``WriteError`` with a hint on failure."""
    write_atomic_all({path: data})


def write_atomic_all(files: Mapping[Path, bytes]) -> None:
    """Write every file atomically, renaming none of them until all are written."""
    staged: dict[Path, Path] = {}
    try:
        for path, data in files.items():
            staged[path] = _write_temporary(path, data)
        for path, temp in staged.items():
            _replace(temp, path)
    finally:
        for temp in staged.values():
            temp.unlink(missing_ok=True)  # already renamed, or abandoned after a failure


def _write_temporary(path: Path, data: bytes) -> Path:
    folder = path.parent
    try:
        if folder.exists() and not folder.is_dir():
            raise WriteError("output folder is a file", file=folder, hint="choose another --out folder")
        folder.mkdir(parents=True, exist_ok=True)
        descriptor, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise WriteError(f"cannot write here: {exc.strerror}", file=folder, hint="check the folder's permissions") from None
    temp = Path(temp_name)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, 0o666 & ~_umask())  # mkstemp makes the file private; outputs are ordinary files
    except BaseException as exc:
        temp.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise WriteError(f"cannot write file: {exc.strerror}", file=path, hint="check free disk space and permissions") from None
        raise
    return temp


def _replace(temp: Path, path: Path) -> None:
    try:
        os.replace(temp, path)
    except OSError as exc:
        raise WriteError(f"cannot write file: {exc.strerror}", file=path, hint="check the folder's permissions") from None


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
