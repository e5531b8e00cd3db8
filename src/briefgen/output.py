"""Atomic file output: a file is either written whole or not touched at all.

Data goes to a temporary file in the target folder, is flushed to disk, and
is renamed over the target. A failure at any point removes the temporary
file and leaves the previous good file as it was.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from briefgen.errors import WriteError

__all__ = ["write_atomic"]


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically; raise ``WriteError`` with a hint on failure."""
    folder = path.parent
    if folder.exists() and not folder.is_dir():
        raise WriteError("output folder is a file", file=folder, hint="choose another --out folder")
    try:
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
        os.replace(temp, path)
    except BaseException as exc:
        temp.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise WriteError(f"cannot write file: {exc.strerror}", file=path, hint="check free disk space and permissions") from None
        raise


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
