"""An on-disk cache of validated registries, so an unchanged registry loads fast the second time.

One file per registry folder, in the user's cache folder (never inside the
registry): ``$BRIEFGEN_CACHE_DIR``, else ``$XDG_CACHE_HOME/briefgen``, else
``~/.cache/briefgen``. A file starts with its key (a digest of the briefgen
version, the folder and every registry file's content) on one line, then a
pickle of what the loader stored. A missing, stale, corrupt or unreadable
cache file is a miss, never an error; a cache that cannot be written is
skipped. This module must not know what a registry is: the loader decides
what to store and how to key it. ``remembered`` keeps other values the same
way, one file per key (parsed front matter, themes, the project config).
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import os
import pickle
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO, Any, TypeVar

from briefgen import __version__

__all__ = ["cache_dir", "read_cache", "remembered", "write_cache", "write_cache_file"]

T = TypeVar("T")


def cache_dir() -> Path:
    """Where cached registries live (see the module docstring for the order)."""
    explicit = os.environ.get("BRIEFGEN_CACHE_DIR")
    if explicit:
        return Path(explicit)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "briefgen"


def read_cache(folder: Path, key: str) -> Any | None:
    """What was stored for ``folder`` under ``key``; None if absent, stale or unreadable."""
    try:
        with _cache_file(folder).open("rb") as stream:
            if stream.readline().rstrip(b"\n") != key.encode():
                return None
            return pickle.load(stream)
    except Exception:  # noqa: BLE001 - any damage to a cache file is a miss, and it gets rewritten
        return None


def write_cache(folder: Path, key: str, payload: Any) -> None:
    """Store ``payload`` for ``folder`` under ``key``, atomically; give up quietly if the cache is unwritable."""

    def write(stream: IO[bytes]) -> None:
        stream.write(key.encode() + b"\n")
        _DataclassPickler(stream, protocol=pickle.HIGHEST_PROTOCOL).dump(payload)

    write_cache_file(_cache_file(folder), write)


def remembered(kind: str, code: Sequence[str], key: Sequence[str], compute: Callable[[], T]) -> T:
    """``compute()``, kept in the cache folder and loaded from there while ``key`` and the ``code`` files are unchanged.

    For a value that depends only on ``key`` and the source files ``code``
    (with the briefgen version), such as a YAML file parsed by that code,
    keyed by the file's path and text: loading the pickle is much cheaper
    than importing the parser and parsing. What ``compute`` raises is not kept.
    """
    parts = (__version__, *(Path(file).read_text(encoding="utf-8") for file in code), *key)
    digest = hashlib.sha256("\0".join(parts).encode()).hexdigest()[:40]
    target = cache_dir() / kind / digest
    with contextlib.suppress(Exception):  # a missing or damaged file is a miss
        return pickle.loads(target.read_bytes())  # type: ignore[no-any-return]
    value = compute()
    write_cache_file(target, lambda stream: _DataclassPickler(stream, protocol=pickle.HIGHEST_PROTOCOL).dump(value))
    return value


def write_cache_file(target: Path, write: Callable[[IO[bytes]], object]) -> None:
    """Write the cache file ``target`` with ``write(stream)``, atomically; give up quietly if it cannot be written."""
    with contextlib.suppress(OSError):
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}-", dir=target.parent)
        try:
            with os.fdopen(handle, "wb") as stream:
                write(stream)
            os.replace(temporary, target)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)


class _DataclassPickler(pickle.Pickler):
    """Pickles dataclass instances as calls of their constructor.

    The ``__setstate__`` that ``dataclass(slots=True)`` generates looks up the
    fields on every call; a constructor call loads several times faster, and
    loading fast is the cache's whole point.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._names: dict[type, tuple[str, ...] | None] = {}

    def reducer_override(self, obj: Any) -> Any:
        kind = type(obj)
        names = self._names.get(kind, ())
        if names == ():
            names = self._names[kind] = _constructor_fields(kind)
        if names is None:
            return NotImplemented
        return kind, tuple(getattr(obj, name) for name in names)


def _constructor_fields(kind: type) -> tuple[str, ...] | None:
    """The names of a dataclass's fields if its constructor takes them all, else None."""
    if not dataclasses.is_dataclass(kind):
        return None
    fields = dataclasses.fields(kind)
    return tuple(field.name for field in fields) if all(field.init for field in fields) else None


def _cache_file(folder: Path) -> Path:
    name = hashlib.sha256(str(folder.resolve()).encode()).hexdigest()[:24]
    return cache_dir() / f"registry-{name}.pickle"
