"""The one cache: what briefgen keeps between runs, verified on every read.

The folder is ``$BRIEFGEN_CACHE_DIR``, else ``$XDG_CACHE_HOME/briefgen``,
else ``~/.cache/briefgen``; never inside a project. It is created private
(0700); a folder that another user could write to is refused with a
``UsageError`` naming it, since whoever can write there could change what a
brief says. An entry is one file ``KIND/NAME`` holding a header (a magic
line, ``KIND/NAME`` again, the digest of its key, the digest of its
payload, one line each) and the payload.
The key is the hash of everything the payload was computed from plus
briefgen's version; the name is the key's digest, or a stable ``slot``
(a registry folder) whose entry each change overwrites. A missing, stale,
truncated, altered, foreign or undecodable entry is a miss: the value is
computed again and the entry rewritten (with a note under ``--debug``), never
an error nor a different result. Payloads are plain data: bytes, or a
pickle that only rebuilds containers, dates, paths and briefgen's own frozen
dataclasses and enums (``load_data``), so reading an entry cannot run code.
Writes are atomic; a cache that cannot be written is skipped. The folder is
kept under a size cap (``$BRIEFGEN_CACHE_MAX_MB``, default 256), least
recently used entries removed first. What is cached, and why, is in
``docs/caches.md``; this module does not know what its callers store.
"""

from __future__ import annotations

import contextlib
import dataclasses
import enum
import functools
import hashlib
import io
import os
import pickle
import stat
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from briefgen import __version__
from briefgen.errors import UsageError

__all__ = [
    "CacheStats",
    "cache_dir",
    "clear",
    "code_digest",
    "dump_data",
    "keep",
    "keep_in_memory",
    "load_data",
    "read_entry",
    "recall",
    "remembered",
    "remembered_calls",
    "report_notes",
    "stats",
    "write_entry",
]

T = TypeVar("T")

_MAGIC = b"briefgen-cache 2"
_DEFAULT_MAX_MB = 256.0
_TEMPORARY_PREFIX = "."  # entries being written; never read, removed by clear and by the cap
_checked: set[Path] = set()  # folders found private in this process
_notes: list[Callable[[str], None]] = []
_memory: dict[tuple[str, str | None, str], bytes] | None = None  # set by keep_in_memory()


def cache_dir() -> Path:
    """The cache folder (see the module docstring for the order)."""
    explicit = os.environ.get("BRIEFGEN_CACHE_DIR")
    if explicit:
        return Path(explicit)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "briefgen"


def report_notes(to: Callable[[str], None]) -> None:
    """Send a note for each damaged or unreadable entry to ``to`` (the CLI does under ``--debug``)."""
    _notes.append(to)


# --- entries of bytes ------------------------------------------------------------------------


def keep_in_memory() -> None:
    """From now on this process writes new entries to memory only, never to the cache folder (which it
    still reads): for a long-running process such as the preview server, whose every edit would
    otherwise write an entry and scan the folder for its size cap."""
    global _memory
    if _memory is None:
        _memory = {}


def read_entry(kind: str, key: Iterable[str | bytes], slot: str | None = None) -> bytes | None:
    """The payload stored for ``key``, verified; ``None`` for a miss (absent, stale, damaged, foreign)."""
    key_digest = _digest(kind, key)
    if _memory is not None and (kind, slot, key_digest) in _memory:
        return _memory[(kind, slot, key_digest)]
    path = _entry_path(kind, slot, key_digest)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as error:
        _note(f"cache entry {path} cannot be read ({error.strerror}); computing it again")
        return None
    payload = _verified(data, _identity(path), key_digest, stale_is_damage=slot is None)
    if payload is not None:
        with contextlib.suppress(OSError):
            os.utime(path)  # recently used: the size cap removes it last
    return payload


def write_entry(kind: str, key: Iterable[str | bytes], payload: bytes, slot: str | None = None) -> None:
    """Store ``payload`` for ``key``, atomically; give up quietly if the cache cannot be written."""
    _write(cache_dir(), kind, key, payload, slot)


def _write(folder: Path, kind: str, key: Iterable[str | bytes], payload: bytes, slot: str | None) -> None:
    key_digest = _digest(kind, key)
    if _memory is not None:
        _memory[(kind, slot, key_digest)] = payload
        return
    if not _made(folder):
        return
    target = _entry_path(kind, slot, key_digest, folder)
    header = b"\n".join((_MAGIC, _identity(target), key_digest.encode(), hashlib.sha256(payload).hexdigest().encode(), b""))
    import tempfile  # only a miss writes

    with contextlib.suppress(OSError):
        target.parent.mkdir(mode=0o700, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=_TEMPORARY_PREFIX + target.name + "-", dir=target.parent)
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(header)
                stream.write(payload)
            os.replace(temporary, target)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
        _keep_under_cap(folder, len(header) + len(payload))


# --- entries of plain data ----------------------------------------------------------------------


def recall(kind: str, key: Iterable[str | bytes], slot: str | None = None) -> Any | None:
    """The value ``keep`` stored for ``key``; ``None`` for a miss, an undecodable entry included."""
    payload = read_entry(kind, key, slot)
    if payload is None:
        return None
    try:
        return load_data(payload)
    except Exception as error:  # noqa: BLE001 - a sound entry that does not decode (a class renamed since) is a miss
        _note(f"cache entry {kind}/{_entry_path(kind, slot, _digest(kind, key)).name} cannot be decoded ({error}); computing it again")
        return None


def keep(kind: str, key: Iterable[str | bytes], value: object, slot: str | None = None) -> None:
    """Store ``value`` (plain data, see ``dump_data``) for ``key``; give up quietly if the cache cannot be written."""
    write_entry(kind, key, dump_data(value), slot)


def remembered(kind: str, key: Iterable[str | bytes], compute: Callable[[], T]) -> T:
    """``compute()``, or what it returned before for the same ``key``; what it raises is not kept."""
    key = tuple(key)
    value = recall(kind, key)
    if value is None:
        value = compute()
        keep(kind, key, value)
    return value  # type: ignore[no-any-return]


@functools.cache
def code_digest(*modules: str) -> str:
    """A digest of the source of ``modules`` (by name; not imported), read once per process.

    For a key: a value computed by code that changed since (an edited checkout
    keeps its version number) must not be loaded.
    """
    from importlib.util import find_spec

    hasher = hashlib.sha256()
    for name in modules:
        spec = find_spec(name)
        hasher.update(Path(spec.origin).read_bytes() if spec and spec.origin else name.encode())
        hasher.update(b"\0")
    return hasher.hexdigest()


F = TypeVar("F", bound=Callable[..., Any])
_MAX_CALLS = 20_000  # results one entry of ``remembered_calls`` keeps (a few MB at most)


@dataclass(slots=True)
class _Calls:
    """The results of one function kind, as loaded at a process's first call, and whether any was added."""

    folder: Path
    key: tuple[str, ...]
    results: dict[str, Any]
    added: bool = False


_calls: dict[tuple[Path, str], _Calls] = {}


def remembered_calls(kind: str, *code: str) -> Callable[[F], F]:
    """Keep the results of a pure function across runs: one entry for every call of it.

    For a function of a few plain arguments (their ``repr`` names a call)
    that returns plain data and depends on nothing else than them and the
    modules ``code``, which cost more to import than its results cost to
    load: the results are read on the first call in a process and written
    back once when the process ends, if new ones were computed.
    """

    def decorate(function: F) -> F:
        name = function.__qualname__

        @functools.wraps(function)
        def remembered(*args: Any, **kwargs: Any) -> Any:
            calls = _calls_of(kind, code)
            call = f"{name}{args!r}{sorted(kwargs.items())!r}"
            if call in calls.results:
                return calls.results[call]
            value = function(*args, **kwargs)
            if len(calls.results) < _MAX_CALLS:
                calls.results[call], calls.added = value, True
            return value

        return remembered  # type: ignore[return-value]

    return decorate


def _calls_of(kind: str, code: tuple[str, ...]) -> _Calls:
    folder = cache_dir()
    calls = _calls.get((folder, kind))
    if calls is None:
        key = (code_digest(*code),)
        stored = recall(kind, key)
        calls = _calls[folder, kind] = _Calls(folder, key, stored if isinstance(stored, dict) else {})
        if len(_calls) == 1:
            import atexit

            atexit.register(_keep_calls)
    return calls


def _keep_calls() -> None:
    """Write back what ``remembered_calls`` computed in this process, each kind into the folder it came from."""
    for (folder, kind), calls in _calls.items():
        if calls.added:
            with contextlib.suppress(UsageError):  # a folder refused since: nothing is written there
                _write(folder, kind, calls.key, dump_data(calls.results), None)


# --- plain data --------------------------------------------------------------------------------

# What a stored value may be rebuilt from, besides briefgen's own frozen dataclasses and enums.
_ALLOWED_GLOBALS = {
    ("datetime", "date"),
    ("pathlib", "Path"),
    ("pathlib", "PosixPath"),
    ("pathlib", "WindowsPath"),
    ("pathlib", "PurePosixPath"),
    ("pathlib", "PureWindowsPath"),
    ("builtins", "frozenset"),
    ("builtins", "set"),
    ("types", "MappingProxyType"),
}


def dump_data(value: object) -> bytes:
    """``value`` (containers, scalars, dates, paths, briefgen's frozen dataclasses and enums) as bytes."""
    stream = io.BytesIO()
    _DataPickler(stream, protocol=pickle.HIGHEST_PROTOCOL).dump(value)
    return stream.getvalue()


def load_data(payload: bytes) -> Any:
    """What ``dump_data`` stored; anything else (a function, a class of another library) is refused."""
    return _DataUnpickler(io.BytesIO(payload)).load()


class _DataPickler(pickle.Pickler):
    """Pickles a dataclass as a call of its constructor.

    The ``__setstate__`` that ``dataclass(slots=True)`` generates looks up the
    fields on every call; a constructor call loads several times faster.
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


class _DataUnpickler(pickle.Unpickler):
    """Rebuilds only the types of ``_ALLOWED_GLOBALS`` and briefgen's frozen dataclasses and enums."""

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in _ALLOWED_GLOBALS:
            return super().find_class(module, name)
        if module == "briefgen" or module.startswith("briefgen."):
            found = super().find_class(module, name)
            if isinstance(found, type) and (_is_frozen_dataclass(found) or issubclass(found, enum.Enum)):
                return found
        raise pickle.UnpicklingError(f"{module}.{name} may not be loaded from the cache")


def _is_frozen_dataclass(kind: type) -> bool:
    parameters = getattr(kind, "__dataclass_params__", None)
    return parameters is not None and bool(parameters.frozen)


# --- the folder ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CacheStats:
    """What ``briefgen cache info`` shows."""

    folder: Path
    entries: dict[str, tuple[int, int]]  # kind -> (count, bytes)
    cap: int  # bytes

    @property
    def size(self) -> int:
        return sum(size for _, size in self.entries.values())


def stats() -> CacheStats:
    """The entries of the cache folder by kind (the folder is checked, not created)."""
    folder = cache_dir()
    _check_private(folder)
    entries: dict[str, tuple[int, int]] = {}
    for path, size, _ in _entries(folder):
        count, total = entries.get(path.parent.name, (0, 0))
        entries[path.parent.name] = (count + 1, total + size)
    return CacheStats(folder, dict(sorted(entries.items())), _cap())


def clear() -> tuple[int, int]:
    """Remove every entry (and every leftover temporary file); return how many and how many bytes."""
    folder = cache_dir()
    _check_private(folder)
    count = size = 0
    for path, length, _ in _entries(folder, temporary=True):
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
            count, size = count + 1, size + length
    for kind in _subfolders(folder):
        with contextlib.suppress(OSError):
            kind.rmdir()
    return count, size


def _made(folder: Path) -> bool:
    """Whether the cache folder exists (created private if absent) and is private; False if it cannot be created."""
    if folder in _checked:
        return True
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError:
        return False
    _check_private(folder)
    return True


def _check_private(folder: Path) -> None:
    """Refuse a cache folder that anyone but its owner, the user running briefgen, could write to."""
    if folder in _checked:
        return
    try:
        info = folder.stat()
    except OSError:
        return  # absent or unreadable: nothing is read from it
    others_write = info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
    foreign = hasattr(os, "getuid") and info.st_uid != os.getuid()
    if stat.S_ISDIR(info.st_mode) and (others_write or foreign):
        who = "another user owns it" if foreign else "others can write to it"
        raise UsageError(
            f"the cache folder {folder} is not private: {who}",
            hint=f"run 'chmod 700 {folder}' if it is yours, or set BRIEFGEN_CACHE_DIR to a private folder",
        )
    _checked.add(folder)


def _entry_path(kind: str, slot: str | None, key_digest: str, folder: Path | None = None) -> Path:
    name = key_digest[:40] if slot is None else hashlib.sha256(slot.encode()).hexdigest()[:40]
    folder = folder or cache_dir()
    _check_private(folder)
    return folder / kind / name


def _digest(kind: str, key: Iterable[str | bytes]) -> str:
    hasher = hashlib.sha256(f"{__version__}\0{kind}".encode())
    for part in key:
        data = part.encode() if isinstance(part, str) else part
        hasher.update(b"\0" + str(len(data)).encode() + b"\0" + data)
    return hasher.hexdigest()


def _identity(path: Path) -> bytes:
    """What an entry's header says it is: its kind and name (an entry copied over another is foreign)."""
    return f"{path.parent.name}/{path.name}".encode()


def _verified(data: bytes, identity: bytes, key_digest: str, *, stale_is_damage: bool) -> bytes | None:
    """The payload of entry ``data`` if its header is sound, names the entry and ``key_digest``, and matches the payload."""
    fields = data.split(b"\n", 4)
    if len(fields) < 5 or fields[0] != _MAGIC:
        problem = "is not a briefgen cache entry of this version"
    elif fields[1] != identity:
        problem = f"is a copy of another entry ({fields[1].decode(errors='replace')[:80]})"
    elif fields[2] != key_digest.encode():
        if not stale_is_damage:
            return None  # a slot's entry from before its inputs changed: an ordinary miss
        problem = "belongs to other inputs"
    elif hashlib.sha256(fields[4]).hexdigest().encode() != fields[3]:
        problem = "does not match its checksum (changed or truncated)"
    else:
        return fields[4]
    _note(f"cache entry {identity.decode()} {problem}; computing it again")
    return None


def _note(message: str) -> None:
    for to in _notes:
        to(message)


def _subfolders(folder: Path) -> list[Path]:
    try:
        return [entry for entry in folder.iterdir() if entry.is_dir() and not entry.is_symlink()]
    except OSError:
        return []


def _entries(folder: Path, *, temporary: bool = False) -> Iterator[tuple[Path, int, float]]:
    """(path, size, last use) of each entry; with ``temporary``, of files being written too."""
    for kind in _subfolders(folder):
        with contextlib.suppress(OSError), os.scandir(kind) as listing:
            for entry in listing:
                if entry.name.startswith(_TEMPORARY_PREFIX) and not temporary:
                    continue
                with contextlib.suppress(OSError):
                    info = entry.stat(follow_symlinks=False)
                    if stat.S_ISREG(info.st_mode):
                        yield Path(entry.path), info.st_size, info.st_mtime


def _cap() -> int:
    try:
        megabytes = float(os.environ.get("BRIEFGEN_CACHE_MAX_MB", _DEFAULT_MAX_MB))
    except ValueError:
        megabytes = _DEFAULT_MAX_MB
    return max(int(megabytes * 1024 * 1024), 0)


_measured: dict[Path, tuple[int, int]] = {}  # folder -> (bytes it held when last measured, bytes this process wrote since)


def _keep_under_cap(folder: Path, written: int) -> None:
    """Measure the folder again, and trim it, once this process's writes may have taken it over the cap.

    Measuring lists every entry, so it is done on a process's first write and
    then only when what it wrote since would pass the cap or a sixteenth of it
    (what other processes wrote meanwhile may overshoot by as much). A full
    folder is trimmed a sixteenth below the cap, so that a batch writing
    thousands of entries measures it every sixteenth of the cap, not on every write.
    """
    cap = _cap()
    found, since = _measured.get(folder, (None, 0))
    since += written
    if found is not None and found + since <= cap and since <= cap // 16:
        _measured[folder] = (found, since)
        return
    _measured[folder] = (_trim(folder, cap, cap - cap // 16), 0)


def _trim(folder: Path, cap: int, down_to: int) -> int:
    """Over ``cap``, remove the least recently used entries until the folder holds ``down_to`` bytes; what it holds then.

    Temporary files an hour old are removed too: a process killed while writing
    left them (younger ones may still be being written).
    """
    hour_ago = time.time() - 3600
    found = []
    for path, size, used in _entries(folder, temporary=True):
        if not path.name.startswith(_TEMPORARY_PREFIX):
            found.append((path, size, used))
        elif used < hour_ago:
            with contextlib.suppress(OSError):
                path.unlink()
    total = sum(size for _, size, _ in found)
    if total <= cap:
        return total
    for path, size, _ in sorted(found, key=lambda item: item[2]):
        if total <= down_to:
            break
        with contextlib.suppress(OSError):
            path.unlink()
            total -= size
    return total
