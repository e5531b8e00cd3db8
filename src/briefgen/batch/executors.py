"""Where a batch's jobs run: one job on a worker, and the executors that run many.

A worker builds a ``Job`` with what it loaded once for the batch (the
registry and the briefs, kept per process under a key of their content, so a
long-lived Dask worker notices changed facts) and reports an ``Outcome``:
the files written, or why the job failed. A job's failure never escapes as
an exception; only an interruption does. Executors differ only in where
``run_job`` runs: this process, a local process pool, or a Dask cluster the
user names. This module plans nothing and writes no manifest (``batch.py``
does); it must not start a cluster of its own.
"""

from __future__ import annotations

import signal
import threading
import traceback
import warnings
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from briefgen.build import BuildSettings, build_brief
from briefgen.errors import BriefgenError, UsageError
from briefgen.registry.loader import Registry, load_registry
from briefgen.templating.briefs import Brief, load_brief

__all__ = [
    "DaskExecutor",
    "Executor",
    "InProcessExecutor",
    "Job",
    "LocalExecutor",
    "Outcome",
    "WorkerContext",
    "prepare_worker",
    "run_job",
]


@dataclass(frozen=True, slots=True)
class WorkerContext:
    """What every worker loads once: the registry and the briefs of a batch.

    ``inputs`` is a digest of the registry's and templates' content, so that a
    worker that outlives one batch reloads when they change.
    """

    facts_dir: Path
    templates_dir: Path | None
    as_of: str  # ISO day
    briefs: tuple[str, ...]
    theme: str | None
    inputs: str


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
    """What became of a job: its files, or the reason it failed (``details``: a bug's traceback)."""

    job: Job
    paths: tuple[Path, ...] = ()
    error: str | None = None
    details: str | None = None
    warnings: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.error is None


# --- one job on a worker --------------------------------------------------------------------

_loaded: dict[WorkerContext, tuple[Registry, dict[str, Brief]]] = {}
_loading = threading.Lock()  # Dask runs tasks in threads of one worker process


def prepare_worker(context: WorkerContext) -> None:
    """Load the batch's registry and briefs in this process (a pool's initializer)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle: running jobs finish whole
    _worker_state(context)


def _worker_state(context: WorkerContext) -> tuple[Registry, dict[str, Brief]]:
    with _loading:
        if context not in _loaded:
            _loaded.clear()  # one batch's inputs at a time
            registry = load_registry(context.facts_dir, as_of=context.as_of)
            _loaded[context] = registry, {name: load_brief(name, context.templates_dir) for name in context.briefs}
        return _loaded[context]


def run_job(context: WorkerContext, job: Job) -> Outcome:
    """Build ``job``; a failure is reported in the outcome, only an interruption propagates."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            registry, briefs = _worker_state(context)
            paths = _build(job, registry, briefs[job.brief], context.theme)
        except BriefgenError as error:
            return Outcome(job, error=str(error))
        except Exception as error:  # a bug in one job must not stop the others; its traceback is kept
            return Outcome(job, error=f"internal error: {type(error).__name__}: {error}", details=traceback.format_exc())
    return Outcome(job, paths, warnings=tuple(str(warning.message) for warning in caught))


def _build(job: Job, registry: Registry, brief: Brief, theme: str | None) -> tuple[Path, ...]:
    """One ``build_brief`` per output name: usually one for all formats (rendered once)."""
    by_name: dict[Path, list[str]] = {}
    for fmt, path in job.outputs.items():
        by_name.setdefault(path.with_suffix(""), []).append(fmt)
    written: list[Path] = []
    for stem, formats in by_name.items():
        settings = BuildSettings(stem.parent, tuple(formats), theme, job.params, stem.name)
        written += build_brief(brief, registry, settings).paths
    return tuple(written)


# --- executors ------------------------------------------------------------------------------


class Executor(Protocol):
    """Runs jobs somewhere and yields their outcomes as they finish.

    On ``KeyboardInterrupt`` the jobs not yet started are cancelled and the
    interrupt propagates; a running job either finishes (worker processes
    ignore Ctrl-C) or is interrupted, and since files are written atomically
    no half-written file is left either way.
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
        pool = ProcessPoolExecutor(workers, initializer=prepare_worker, initargs=(context,))
        pending: set[Future[Outcome]] = {pool.submit(run_job, context, job) for job in jobs}
        try:
            while pending:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    yield future.result()
        finally:
            pool.shutdown(wait=True, cancel_futures=True)


@dataclass(frozen=True, slots=True)
class DaskExecutor:
    """The jobs as tasks on an existing Dask ``distributed`` cluster; it connects only to ``scheduler``.

    Workers need briefgen installed and the project's folders at the same
    paths (a shared file system): they read the facts and write the outputs.
    reportlab is not thread-safe, so run workers with one thread each.
    """

    scheduler: str
    timeout: str = "10s"

    def run(self, context: WorkerContext, jobs: Sequence[Job]) -> Iterator[Outcome]:
        try:
            from distributed import Client, as_completed
        except ImportError:
            raise UsageError("--executor dask needs Dask's distributed package", hint="pip install 'briefgen[dask]'") from None
        try:
            client = Client(self.scheduler, timeout=self.timeout, set_as_default=False)
        except (OSError, ValueError) as error:
            raise UsageError(
                f"--scheduler {self.scheduler}: cannot connect: {error}", hint="start one with 'dask scheduler' or check the address"
            ) from None
        with client:
            futures = client.map(run_job, [context] * len(jobs), jobs, pure=False)
            try:
                for future in as_completed(futures, loop=client.loop):  # this client's, not a default one
                    yield future.result()
            finally:
                client.cancel(futures)
