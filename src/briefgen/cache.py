"""The cache folder: where briefgen keeps what is slow to compute and cheap to load again.

``$BRIEFGEN_CACHE_DIR``, else ``$XDG_CACHE_HOME/briefgen``, else
``~/.cache/briefgen``; never inside a project. Files are written atomically
and a cache that cannot be written is skipped; a missing, stale or damaged
file is a miss, never an error. ``remembered`` keeps a value keyed by its
inputs and by the source of the code that computed it. What is cached
(registries, templates, fonts, parsed files) is the callers' business.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import os
import pickle
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO, Any, TypeVar

from briefgen import __version__

__all__ = ["DataclassPickler", "cache_dir", "remembered", "write_cache_file"]

T = TypeVar("T")


def cache_dir() -> Path:
    """The cache folder (see the module docstring for the order)."""
    explicit = os.environ.get("BRIEFGEN_CACHE_DIR")
    if explicit:
        return Path(explicit)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "briefgen"


def remembered(kind: str, code: Sequence[str], key: Sequence[str], compute: Callable[[], T]) -> T:
    """``compute()``, kept in the cache folder and loaded from there while ``key`` and the ``code`` files are unchanged.

    For a value that depends only on ``key`` and the source files ``code``
    (with the briefgen version), such as a YAML file parsed by that code,
    keyed by the file's path and text: loading the pickle is much cheaper
    than importing the parser and parsing. What ``compute`` raises is not kept.
    """
    digest = hashlib.sha256("\0".join((_code_digest(tuple(code)), *key)).encode()).hexdigest()[:40]
    target = cache_dir() / kind / digest
    with contextlib.suppress(Exception):  # a missing or damaged file is a miss
        return pickle.loads(target.read_bytes())  # type: ignore[no-any-return]
    value = compute()
    write_cache_file(target, lambda stream: DataclassPickler(stream, protocol=pickle.HIGHEST_PROTOCOL).dump(value))
    return value


@functools.cache
def _code_digest(code: tuple[str, ...]) -> str:
    """The briefgen version and the source of ``code``, read once per process (it cannot change under it)."""
    parts = (__version__, *(Path(file).read_text(encoding="utf-8") for file in code))
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


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


class DataclassPickler(pickle.Pickler):
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
