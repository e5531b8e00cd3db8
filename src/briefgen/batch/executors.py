"""Where a batch's jobs run: one job on a worker, and the executors that run many.

A worker builds a ``Job`` with what it loaded once for the batch (the
registry, the briefs and the themes they use, kept per process under a key of
their content, so a long-lived Dask worker notices changed facts or themes) and
reports an ``Outcome``:
the bytes of each format, or why the job failed. Workers write no file: the
batch process writes each job's files as its outcome arrives and records
them at once, so whatever is on disk is what the manifest says, whenever the
batch stops. A job's failure never escapes as an exception; only an
interruption does. Executors differ only in where ``run_job`` runs: this
process, or a local process pool (whose workers end when the batch process
dies, even by ``kill -9``); ``cluster.py`` runs them on a Dask cluster.
This module plans nothing and writes nothing (``run.py`` does).
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
import time
import traceback
import warnings
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from briefgen.build import render_files, resolve_theme
from briefgen.collector import heap_frozen
from briefgen.errors import BriefgenError, UsageError
from briefgen.registry.loader import Registry, load_registry
from briefgen.templating.briefs import Brief, load_brief
from briefgen.themes import Theme

__all__ = [
    "Executor",
    "InProcessExecutor",
    "Job",
    "LocalExecutor",
    "Outcome",
    "WorkerContext",
    "prepare_worker",
    "remember_loaded",
    "run_job",
]


@dataclass(frozen=True, slots=True)
class WorkerContext:
    """What every worker loads once: the registry, the briefs and their themes of a batch.

    ``inputs`` is a digest of the registry's, templates' and themes' content, so
    that a worker that outlives one batch reloads when they change.
    """

    facts_dir: Path
    templates_dir: Path | None
    as_of: str  # ISO day
    briefs: tuple[str, ...]
    theme: str | None
    inputs: str
    author: str | None = None  # the project's (briefgen.yaml)


@dataclass(frozen=True, slots=True)
class Job:
    """One brief with its parameters, written in one or more formats."""

    label: str  # the output name without extension, relative to the output folder
    brief: str
    params: Mapping[str, object]  # resolved to the parameters' types
    outputs: Mapping[str, Path]  # format -> file
    described: str  # how the plan states it: "handout (topic=trade)"
    inputs_hash: str


@dataclass(frozen=True, slots=True)
class Outcome:
    """What became of a job: its files' bytes, or the reason it failed (``details``: a bug's traceback).

    ``files`` maps each format to its bytes until the batch has written them
    to the job's ``outputs``; the outcomes a batch returns no longer hold them.
    """

    job: Job
    files: Mapping[str, bytes] = field(default_factory=dict)
    error: str | None = None
    details: str | None = None
    warnings: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def paths(self) -> tuple[Path, ...]:
        """The job's files, when it succeeded."""
        return tuple(self.job.outputs.values()) if self.ok else ()


# --- one job on a worker --------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class _Loaded:
    """What a worker process keeps for the jobs of one batch: its registry and briefs, and each theme
    once it is first used (a theme is read, checked and laid over its parents once, not once per job)."""

    registry: Registry
    briefs: Mapping[str, Brief]
    themes: dict[str, Theme] = field(default_factory=dict)

    def theme(self, name: str, templates_dir: Path | None) -> Theme:
        theme = self.themes.get(name)
        if theme is None:
            theme = self.themes[name] = resolve_theme(name, templates_dir)
        return theme


_loaded: dict[WorkerContext, _Loaded] = {}
_loading = threading.Lock()  # Dask runs tasks in threads of one worker process


def prepare_worker(context: WorkerContext) -> None:
    """Set up a worker process of a local pool (its initializer): load the batch's inputs, end with the parent."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle: running jobs finish whole
    _end_with_parent()
    _worker_state(context)


_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def _end_with_parent() -> None:
    """End this process when its parent dies, however it dies (``kill -9`` included).

    Linux: the kernel sends SIGKILL (``prctl(PR_SET_PDEATHSIG)``). Elsewhere
    a thread checks every half second whether the process was orphaned.
    """
    parent = os.getppid()
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        except (OSError, AttributeError):
            pass
        else:
            if os.getppid() != parent:  # the parent died before prctl took effect
                os._exit(1)
            return
    threading.Thread(target=_watch_parent, args=(parent,), name="briefgen-parent-watch", daemon=True).start()


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)  # orphaned: nobody will read this worker's results


def remember_loaded(context: WorkerContext, registry: Registry, briefs: Mapping[str, Brief]) -> None:
    """Keep what planning read of ``context`` for the jobs this process runs, and the workers it forks, to use."""
    with _loading:
        _loaded.clear()  # one batch's inputs at a time
        _loaded[context] = _Loaded(registry, {name: briefs[name] for name in context.briefs})


def _worker_state(context: WorkerContext) -> _Loaded:
    with _loading:
        if context not in _loaded:
            _loaded.clear()  # one batch's inputs at a time
            registry = load_registry(context.facts_dir, as_of=context.as_of)
            _loaded[context] = _Loaded(registry, {name: load_brief(name, context.templates_dir) for name in context.briefs})
        return _loaded[context]


def run_job(context: WorkerContext, job: Job) -> Outcome:
    """Build ``job`` in memory; a failure is reported in the outcome, only an interruption propagates."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            loaded = _worker_state(context)
            brief = loaded.briefs[job.brief]
            theme = loaded.theme(context.theme or brief.front_matter.theme, brief.templates_dir)
            files = render_files(brief, loaded.registry, tuple(job.outputs), theme, job.params, author=context.author)
        except BriefgenError as error:
            return Outcome(job, error=str(error))
        except Exception as error:  # a bug in one job must not stop the others; its traceback is kept
            return Outcome(job, error=f"internal error: {type(error).__name__}: {error}", details=traceback.format_exc())
    return Outcome(job, files.data, warnings=tuple(str(warning.message) for warning in caught))


# --- executors ------------------------------------------------------------------------------


class Executor(Protocol):
    """Runs jobs somewhere and yields their outcomes as they finish.

    On ``KeyboardInterrupt`` the jobs not yet started are cancelled, the
    outcomes of those already running are still yielded as they finish
    (worker processes ignore Ctrl-C), and then the interrupt propagates.
    """

    def run(self, context: WorkerContext, jobs: Sequence[Job]) -> Iterator[Outcome]: ...


class InProcessExecutor:
    """Jobs one after another in this process: no start-up cost, and easy to debug."""

    def run(self, context: WorkerContext, jobs: Sequence[Job]) -> Iterator[Outcome]:
        for job in jobs:
            yield run_job(context, job)


@dataclass(frozen=True, slots=True)
class LocalExecutor:
    """A pool of worker processes on this machine (``workers=1``: this process)."""

    workers: int

    def __post_init__(self) -> None:
        if self.workers < 1:
            raise UsageError(f"--jobs {self.workers}: need at least 1 worker", hint="e.g. --jobs 2")

    def run(self, context: WorkerContext, jobs: Sequence[Job]) -> Iterator[Outcome]:
        workers = min(self.workers, len(jobs))
        if workers <= 1:
            yield from InProcessExecutor().run(context, jobs)
            return
        with heap_frozen():  # see briefgen.collector: about 12% of --jobs 2's CPU at 48 handouts
            pool = ProcessPoolExecutor(workers, initializer=prepare_worker, initargs=(context,))
            unreported: set[Future[Outcome]] = {pool.submit(run_job, context, job) for job in jobs}
            try:
                # as_completed waits on every future once; wait() in a loop went over all those not yet
                # reported each time a job finished: quadratic work in the batch process, beside the workers.
                for future in as_completed(unreported):
                    unreported.discard(future)
                    yield future.result()
            except KeyboardInterrupt:
                yield from _running_to_the_end(unreported)
                raise
            finally:
                pool.shutdown(wait=True, cancel_futures=True)


def _running_to_the_end(futures: set[Future[Outcome]]) -> Iterator[Outcome]:
    """After Ctrl-C: cancel the jobs not started, and yield the outcomes of those that were running as they finish."""
    running = [future for future in futures if not future.cancel()]
    for future in as_completed(running):
        if future.exception() is None:  # not the job that was interrupted
            yield future.result()
