"""Atomic file output: the files of one build are replaced together or not at all.

Data goes to temporary files in the target folders, each flushed to disk;
only when every one of them is written are they renamed over their targets.
A failure while writing removes the temporary files and leaves the previous
good files as they were (a full disk fails before the first rename). A
failure while renaming (a folder where a file should go; on Windows, a file
open in Word) puts back the files already replaced, from hard links made to
them before the first rename. Temporary files are named
``.briefgen-*.tmp`` and locked while in use, so that a later run can remove
those that a killed process left behind without touching another's.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import BinaryIO

from briefgen.errors import WriteError

try:
    import fcntl
except ImportError:  # Windows: an open file cannot be removed there, which protects it just as well
    fcntl = None  # type: ignore[assignment]

__all__ = ["TEMPORARY_PREFIX", "remove_stale_temporaries", "write_atomic", "write_atomic_all"]

TEMPORARY_PREFIX = ".briefgen-"
_TEMPORARY_SUFFIX = ".tmp"


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically; raise ``WriteError`` with a hint on failure."""
    write_atomic_all({path: data})


def write_atomic_all(files: Mapping[Path, bytes]) -> None:
    """Write every file atomically: all of them are replaced, or none is."""
    with ExitStack() as held:
        staged = {path: held.enter_context(_temporary(path, data)) for path, data in files.items()}
        last = next(reversed(staged), None)  # renamed last: nothing after it can fail, so it needs no backup
        backups = {path: held.enter_context(_backup(path, temp)) if path != last else None for path, temp in staged.items()}
        replaced: list[Path] = []
        try:
            for path, temp in staged.items():
                _replace(temp, path)
                replaced.append(path)
        except BaseException:
            for path in reversed(replaced):
                _restore(path, backups[path])
            raise


def remove_stale_temporaries(folder: Path) -> list[Path]:
    """Remove the temporary files of ours in ``folder`` that no running process holds; return them."""
    removed = []
    try:
        candidates = [entry for entry in os.scandir(folder) if entry.name.startswith(TEMPORARY_PREFIX) and entry.name.endswith(_TEMPORARY_SUFFIX)]
    except OSError:  # no folder yet
        return []
    for entry in candidates:
        try:
            with open(entry.path, "rb") as handle:
                if _try_lock(handle):
                    os.unlink(entry.path)
                    removed.append(Path(entry.path))
        except OSError:  # gone meanwhile, or in use (Windows)
            continue
    return removed


@contextmanager
def _temporary(path: Path, data: bytes) -> Iterator[Path]:
    """A locked temporary file beside ``path`` holding ``data``; removed on exit unless renamed."""
    folder = path.parent
    try:
        if folder.exists() and not folder.is_dir():
            raise WriteError("output folder is a file", file=folder, hint="choose another --out folder")
        folder.mkdir(parents=True, exist_ok=True)
        descriptor, temp_name = tempfile.mkstemp(prefix=TEMPORARY_PREFIX, suffix=_TEMPORARY_SUFFIX, dir=folder)
    except OSError as exc:
        raise WriteError(f"cannot write here: {exc.strerror}", file=folder, hint="check the folder's permissions") from None
    temp = Path(temp_name)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            _try_lock(handle)
            try:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
                os.chmod(temp, 0o666 & ~_umask())  # mkstemp makes the file private; outputs are ordinary files
            except OSError as exc:
                raise WriteError(f"cannot write file: {exc.strerror}", file=path, hint="check free disk space and permissions") from None
            yield temp
    finally:
        temp.unlink(missing_ok=True)  # already renamed, or abandoned after a failure


@contextmanager
def _backup(path: Path, temp: Path) -> Iterator[Path | None]:
    """A locked hard link to the file at ``path`` as it is now (None if there is none), removed on exit.

    Its name is the temporary file's with ``-old`` added: unique as that one is.
    """
    if not path.is_file():
        yield None
        return
    link = temp.with_name(temp.name.removesuffix(_TEMPORARY_SUFFIX) + "-old" + _TEMPORARY_SUFFIX)
    try:
        os.link(path, link)
    except OSError:  # no hard links on this file system: a copy does the same
        shutil.copy2(path, link)
    try:
        with open(link, "rb") as handle:
            _try_lock(handle)
            yield link
    finally:
        link.unlink(missing_ok=True)


def _restore(path: Path, backup: Path | None) -> None:
    """Put back what ``path`` was before it was replaced: the backup, or no file at all.

    Best effort: the error that made the write fail is the one reported.
    """
    try:
        if backup is None:
            path.unlink(missing_ok=True)
        else:
            os.replace(backup, path)
    except OSError:
        pass


def _replace(temp: Path, path: Path) -> None:
    try:
        os.replace(temp, path)
    except OSError as exc:
        raise WriteError(f"cannot write file: {exc.strerror}", file=path, hint="check the folder's permissions") from None


def _try_lock(handle: BinaryIO) -> bool:
    """Lock ``handle``'s file for this process unless another holds it; True if locked (always, without fcntl)."""
    if fcntl is None:
        return True
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
