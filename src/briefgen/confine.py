"""Where briefgen may read: what a file names must lie inside the folder it belongs to.

A project's files name other files: the registry folder holds YAML files and
a source names its ``archive``; a template folder holds templates; a theme
names the theme it ``extends``, a ``logo`` and a ``reference_docx``;
``briefgen.yaml`` names the project's folders. Each such path is resolved,
every symbolic link followed, and must land inside its root (the registry
folder, a template folder, the theme file's folder, the project folder), so
that no file, link or ``..`` in a project makes briefgen read, and print,
a file elsewhere on the machine. What must be read must also be a regular
file: a FIFO would block the read, a dangling link has nothing to read.

Paths given on the command line are the user's own choice and are not
checked here. This module reads no file's content and knows no error
type of briefgen: it raises ``Refused`` (a ``ValueError`` whose message
names the path as written), and each caller reports it at its file and line.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

__all__ = ["Refused", "inside", "regular_file"]

_SHOWN = 60  # characters of a path shown in a message


class Refused(ValueError):
    """A path that may not be read; the message says why, naming the path as it was written."""


def inside(path: Path, root: Path, *, written: str | None = None, root_name: str = "the project folder") -> Path:
    """``path`` with every symbolic link resolved, if it lies inside ``root`` (resolved as well).

    ``written`` is the path as the user wrote it, for the message (default ``path``).
    """
    shown = _shown(written if written is not None else str(path))
    try:
        resolved = path.resolve()
        top = root.resolve()
    except (OSError, RuntimeError) as error:  # a loop of links (RuntimeError before Python 3.13)
        raise Refused(f"'{shown}' cannot be resolved: {getattr(error, 'strerror', None) or 'a loop of symbolic links'}") from None
    if not resolved.is_relative_to(top):
        raise Refused(f"'{shown}' points outside {root_name}")
    return resolved


def regular_file(path: Path, *, written: str | None = None) -> Path:
    """``path`` if it is (a link to) a regular file; a folder, FIFO, device or dangling link is refused."""
    shown = _shown(written if written is not None else str(path))
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise Refused(f"'{shown}' is a symbolic link to nothing" if path.is_symlink() else f"'{shown}' does not exist") from None
    except OSError as error:  # a name too long, a loop of links, no permission
        raise Refused(f"'{shown}' cannot be read: {error.strerror or error}") from None
    if not stat.S_ISREG(mode):
        raise Refused(f"'{shown}' is {_kind(mode)}, not a regular file")
    if not os.access(path, os.R_OK):
        raise Refused(f"'{shown}' cannot be read: permission denied")
    return path


def _kind(mode: int) -> str:
    kinds = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISSOCK, "a socket"))
    return next((name for test, name in kinds if test(mode)), "a device")


def _shown(text: str) -> str:
    return text if len(text) <= _SHOWN else text[: _SHOWN - 1] + "…"
