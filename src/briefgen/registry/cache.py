"""An on-disk cache of validated registries, so an unchanged registry loads fast the second time.

One file per registry folder, in the cache folder (``briefgen.cache``,
never inside the registry). A file starts with its key (a digest of the
briefgen version, the folder and every registry file's content) on one
line, then a pickle of what the loader stored. A missing, stale, corrupt or
unreadable file is a miss, never an error. This module must not know what
a registry is: the loader decides what to store and how to key it.
"""

from __future__ import annotations

import hashlib
import pickle
from pathlib import Path
from typing import IO, Any

from briefgen.cache import DataclassPickler, cache_dir, write_cache_file

__all__ = ["read_cache", "write_cache"]


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
        DataclassPickler(stream, protocol=pickle.HIGHEST_PROTOCOL).dump(payload)

    write_cache_file(_cache_file(folder), write)


def _cache_file(folder: Path) -> Path:
    name = hashlib.sha256(str(folder.resolve()).encode()).hexdigest()[:24]
    return cache_dir() / f"registry-{name}.pickle"
