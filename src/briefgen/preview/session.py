"""One brief kept built in memory: rebuilt on demand, with the last good files and the last error.

``rebuild()`` reads the brief and its theme again and the registry only
when a file under the facts folder changed (by content), renders the page
and the PDF, and keeps them with a version number that goes up on every
rebuild. The page is the HTML edition: the whole brief, never fitted to the
brief's page limit; the PDF (and the DOCX) are fitted, and the warning that
names the facts they leave out is among the snapshot's warnings. A ``BriefgenError`` does not end the session: it is kept as the
snapshot's error (shown in the page) beside the last good files. The DOCX
is written only when asked for, from what the last good files were built from.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
import time
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from briefgen.build import BriefFiles, brief_parameters, render_files
from briefgen.errors import BriefgenError, BriefgenWarning
from briefgen.project import Project
from briefgen.registry.loader import Registry, load_registry
from briefgen.templating.briefs import Brief, load_brief
from briefgen.themes import Theme, is_theme_file, load_theme

__all__ = ["PreviewSession", "Snapshot"]

PAGE_FORMATS = ("html", "pdf")  # rebuilt on every change; the others when asked for


@dataclass(frozen=True, slots=True)
class Snapshot:
    """What the preview shows: the last good files, the error of the last rebuild if it failed, and warnings."""

    version: int
    files: BriefFiles | None
    error: BriefgenError | None = None
    warnings: tuple[str, ...] = ()
    seconds: float = 0.0  # how long the rebuild took


@dataclass
class PreviewSession:
    """The brief ``name`` of ``project``, with the theme, as-of day and parameters the command line chose."""

    project: Project
    name: str
    theme: str | Path | None = None  # a name, or a theme file (read again on every rebuild)
    as_of: dt.date | None = None
    overrides: Mapping[str, str] = field(default_factory=dict)
    snapshot: Snapshot = field(default_factory=lambda: Snapshot(0, None))
    _registry: tuple[str, Registry] | None = None
    _last_good: tuple[Brief, Registry, dict[str, object]] | None = None  # what the last good files were built from
    _others: dict[tuple[int, str], bytes] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def watched(self) -> tuple[Path, ...]:
        """The folders and files whose change calls for a rebuild: facts, templates and a theme file."""
        paths = [self.project.facts_dir, self.project.templates_dir]
        theme = self.theme or self.project.theme
        if theme is not None and is_theme_file(str(theme)):
            paths.append(Path(theme))
        return tuple(path.resolve() for path in paths if path is not None and path.exists())

    def rebuild(self) -> Snapshot:
        """Build the brief again; on a ``BriefgenError`` keep the last good files and the error."""
        with self._lock:
            started = time.perf_counter()
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always", BriefgenWarning)
                try:
                    files, error = self._render(), None
                except BriefgenError as failure:
                    files, error = self.snapshot.files, failure
            said = tuple(str(warning.message) for warning in caught if issubclass(warning.category, BriefgenWarning))
            self.snapshot = Snapshot(self.snapshot.version + 1, files, error, said, time.perf_counter() - started)
            return self.snapshot

    def file(self, fmt: str) -> bytes | None:
        """The last good build as ``fmt`` (``None`` before any good build); formats other than the page's are written on demand."""
        with self._lock:
            snapshot = self.snapshot
            if snapshot.files is None or self._last_good is None:
                return None
            if fmt in snapshot.files.data:
                return snapshot.files.data[fmt]
            key = (snapshot.version, fmt)
            if key not in self._others:
                brief, registry, params = self._last_good
                self._others = {key: render_files(brief, registry, (fmt,), self._theme(), params).data[fmt]}
            return self._others[key]

    def _render(self) -> BriefFiles:
        brief = load_brief(self.name, self.project.templates_dir)
        params = brief_parameters(brief, self.project.params, self.overrides, [brief])
        registry = self._current_registry()
        for problem in registry.warnings:
            warnings.warn(BriefgenWarning(problem.describe(severity=False)), stacklevel=2)
        files = render_files(brief, registry, PAGE_FORMATS, self._theme(), params)
        self._last_good = (brief, registry, params)
        return files

    def _theme(self) -> str | Theme | None:
        """The theme as the command line named it; a theme file is read again on every rebuild (it is watched)."""
        chosen = self.theme or self.project.theme
        if chosen is not None and is_theme_file(str(chosen)):
            return load_theme(Path(chosen))
        return chosen

    def _current_registry(self) -> Registry:
        """The registry, loaded again only when a file under the facts folder changed (kept in memory, not in the cache)."""
        root = self.project.facts_dir
        digest = hashlib.sha256()
        for path in sorted(root.rglob("*")) if root.is_dir() else ():
            if path.is_file():
                digest.update(str(path).encode() + b"\0" + path.read_bytes() + b"\0")
        key = digest.hexdigest()
        if self._registry is None or self._registry[0] != key:
            self._registry = (key, load_registry(root, as_of=self.as_of, cache=False))
        return self._registry[1]
