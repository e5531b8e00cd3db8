"""A batch's inputs as one content-addressed archive, for workers that cannot see the client's files.

The client packs everything a batch's jobs read that is not part of
briefgen itself: the registry folder (with its archived sources) and the
templates folder (with the project's themes, and the logos and reference
documents they name, which must lie in the themes' folder), into a zip whose names are relative to the folder that
holds them all, and whose bytes depend only on the files' names and content
(fixed order and timestamps): its SHA-256 is its name. A worker unpacks it
once per process into a private folder and builds from there;
messages that name a file in that folder are given back with the client's
folder instead, so that a failure reads as it would locally. This module
reads the client's files only in ``take_snapshot`` and writes only below
the worker's temporary folder; it runs no job itself.
"""

from __future__ import annotations

import atexit
import dataclasses
import hashlib
import io
import os
import shutil
import tempfile
import threading
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from briefgen.batch.executors import WorkerContext

__all__ = ["Snapshot", "take_snapshot", "unpacked"]

_FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest a zip can hold: the archive depends on content only


@dataclass(frozen=True, slots=True)
class Snapshot:
    """The packed inputs (``data``, named by its ``digest``), and the context with paths inside the archive.

    ``client_root`` is the client's folder that the archive's names start
    from; a worker only uses it to word its messages.
    """

    data: bytes
    digest: str
    context: WorkerContext  # facts_dir and templates_dir relative to the archive's top
    client_root: str


def take_snapshot(context: WorkerContext) -> Snapshot:
    """Pack the files the batch of ``context`` reads; its folders become relative to their common folder."""
    files = sorted(set(_input_files(context)))
    root = Path(os.path.commonpath([path.parent for path in files])) if files else Path.cwd()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in files:
            info = zipfile.ZipInfo(path.relative_to(root).as_posix(), _FIXED_TIME)
            info.external_attr = 0o644 << 16
            archive.writestr(info, path.read_bytes(), zipfile.ZIP_DEFLATED)
    data = buffer.getvalue()
    portable = dataclasses.replace(
        context,
        facts_dir=_relative(context.facts_dir, root),
        templates_dir=_relative(context.templates_dir, root) if context.templates_dir else None,
    )
    return Snapshot(data, hashlib.sha256(data).hexdigest(), portable, str(root))


def _input_files(context: WorkerContext) -> Iterator[Path]:
    yield from _files_below(context.facts_dir)
    if context.templates_dir is not None:
        yield from _files_below(context.templates_dir)


def _files_below(folder: Path) -> Iterable[Path]:
    """Every file in ``folder`` and below, but hidden ones (``.git``, an editor's leftovers)."""
    top = folder.resolve()
    return (path for path in top.rglob("*") if path.is_file() and not any(part.startswith(".") for part in path.relative_to(top).parts))


def _relative(path: Path, root: Path) -> Path:
    return Path(path.resolve().relative_to(root).as_posix())


# --- on a worker ----------------------------------------------------------------------------

_unpacking = threading.Lock()
_current: dict[str, Path] = {}  # digest -> folder: one snapshot per worker process at a time


def unpacked(digest: str, data: bytes, below: Path | None = None) -> Path:
    """The folder holding snapshot ``digest`` in this process, unpacked on first use (the previous one removed).

    ``below``: where to make it (a Dask worker's own folder, which Dask
    removes when the worker goes); default: the system's temporary folder.
    """
    with _unpacking:
        if digest not in _current:
            if hashlib.sha256(data).hexdigest() != digest:
                raise ValueError(f"snapshot {digest[:12]} arrived damaged")
            for folder in _current.values():
                shutil.rmtree(folder, ignore_errors=True)
            _current.clear()
            folder = Path(tempfile.mkdtemp(prefix=f"briefgen-snapshot-{digest[:12]}-", dir=below))
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                for name in archive.namelist():
                    _check_name(name)
                archive.extractall(folder)
            _current[digest] = folder
        return _current[digest]


def _check_name(name: str) -> None:
    """A name that would land outside the folder: not an archive ``take_snapshot`` made."""
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts:
        raise ValueError(f"snapshot entry '{name}' points outside its folder")


@atexit.register
def _remove_unpacked() -> None:
    for folder in _current.values():
        shutil.rmtree(folder, ignore_errors=True)
