"""The Dask executor: a batch's jobs as tasks on an existing ``distributed`` cluster that shares no files with us.

The client packs the batch's inputs once (``snapshot.py``) and hands them to
the scheduler as one task keyed by their SHA-256, on which every job
depends: each worker fetches them once and unpacks them once per process,
and the scheduler can send them again to a worker that joins late or
replaces a lost one. Jobs go out a few per task (a task has a cost of its
own). Workers never read or write the client's paths; each job returns the
bytes of its files, or its one-line failure, and the
batch process writes and records them as they arrive, as with local
workers. A task whose worker dies is run again by Dask (up to the cluster's
``allowed-failures``); a job the cluster gives up on is a failed job. This
module connects only to the scheduler the user names: it never starts a
cluster of its own.
"""

from __future__ import annotations

import dataclasses
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from briefgen.batch.executors import Job, Outcome, WorkerContext, run_job
from briefgen.batch.snapshot import take_snapshot, unpacked
from briefgen.collector import heap_frozen
from briefgen.errors import UsageError

__all__ = ["DaskExecutor", "run_remote_jobs"]


@dataclass(frozen=True, slots=True)
class DaskExecutor:
    """The jobs as tasks on the Dask cluster whose scheduler is at ``scheduler``.

    Workers need briefgen (and the fonts it ships) installed, nothing of the
    project. reportlab is not thread-safe, so run workers with one thread each.
    """

    scheduler: str
    timeout: str = "10s"

    def run(self, context: WorkerContext, jobs: Sequence[Job]) -> Iterator[Outcome]:
        client = self._connect()
        snapshot = take_snapshot(context)
        with client:
            inputs = client.submit(_inputs, snapshot.data, key=f"briefgen-snapshot-{snapshot.digest}")
            chunks = _chunks(jobs, sum(client.nthreads().values()))
            futures = client.map(
                run_remote_jobs, chunks, inputs=inputs, digest=snapshot.digest, context=snapshot.context, client_root=snapshot.client_root, pure=False
            )
            chunk_of = {future.key: chunk for future, chunk in zip(futures, chunks, strict=True)}
            unreported = set(futures)
            completed = self._as_completed(client, futures)
            del futures  # a job's files are let go on the cluster once the client has them
            try:
                for future, result in completed:
                    unreported.discard(future)
                    yield from _outcomes(result, chunk_of[future.key])
            except KeyboardInterrupt:
                for future, result in self._running_to_the_end(client, unreported):
                    yield from _outcomes(result, chunk_of[future.key])
                raise
            finally:
                client.cancel([*unreported, inputs])

    def _connect(self) -> Any:
        try:
            from distributed import Client
        except ImportError:
            raise UsageError("--executor dask needs Dask's distributed package", hint="pip install 'briefgen[dask]'") from None
        try:
            return Client(self.scheduler, timeout=self.timeout, set_as_default=False)
        except (OSError, ValueError) as error:
            raise UsageError(
                f"--scheduler {self.scheduler}: cannot connect: {error}", hint="start one with 'dask scheduler' or check the address"
            ) from None

    @staticmethod
    def _as_completed(client: Any, futures: Sequence[Any]) -> Iterator[tuple[Any, Any]]:
        """(future, its result or exception) as each finishes: this client's event loop fetches the
        results while the caller writes the files of those before (this client's loop, not a default one)."""
        from distributed import as_completed

        return iter(as_completed(futures, loop=client.loop, with_results=True, raise_errors=False))

    def _running_to_the_end(self, client: Any, futures: set[Any]) -> Iterator[tuple[Any, Any]]:
        """After Ctrl-C: cancel the jobs no worker has started, and yield those that were running as they finish."""
        processing = {key for keys in client.processing().values() for key in keys}
        running = [future for future in futures if future.key in processing or future.done()]
        client.cancel([future for future in futures if future not in running])
        return self._as_completed(client, running) if running else iter(())


def _inputs(data: bytes) -> bytes:
    """The snapshot as a task's result: held by the workers, and sent again by the scheduler if they are lost."""
    return data


_TASKS_PER_THREAD = 8  # enough that no worker idles long at the end of a batch
_MOST_JOBS_PER_TASK = 8  # few enough that progress, Ctrl-C and a retry after a lost worker stay fine-grained


def _chunks(jobs: Sequence[Job], threads: int) -> list[list[Job]]:
    """The jobs in runs of a few per task: a task costs the cluster a few milliseconds of its own."""
    size = max(1, min(_MOST_JOBS_PER_TASK, len(jobs) // (max(threads, 1) * _TASKS_PER_THREAD)))
    return [list(jobs[start : start + size]) for start in range(0, len(jobs), size)]


def _outcomes(result: list[Outcome] | BaseException, chunk: Sequence[Job]) -> list[Outcome]:
    if isinstance(result, BaseException):  # the cluster gave up (a worker died each time it ran the task), or the task could not run
        return [Outcome(job, error=f"the cluster could not run this job: {type(result).__name__}: {result}") for job in chunk]
    return result


def run_remote_jobs(jobs: Sequence[Job], *, inputs: bytes, digest: str, context: WorkerContext, client_root: str) -> list[Outcome]:
    """Build ``jobs`` on a worker from the unpacked snapshot; messages name the client's files, not the worker's."""
    try:
        root = unpacked(digest, inputs, _worker_folder())
    except (OSError, ValueError, zipfile.BadZipFile) as error:
        return [Outcome(job, error=f"cannot unpack the batch's inputs on this worker: {error}") for job in jobs]
    local = dataclasses.replace(
        context,
        facts_dir=root / context.facts_dir,
        templates_dir=root / context.templates_dir if context.templates_dir is not None else None,
    )
    with heap_frozen():  # see briefgen.collector: a quarter of the worker's CPU at 96 handouts
        return [_worded_for_client(run_job(local, job), {str(root): client_root}) for job in jobs]


def _worker_folder() -> Path | None:
    """The Dask worker's own folder (removed with the worker, even one that was killed), if this runs on one."""
    from distributed import get_worker

    try:
        return Path(get_worker().local_directory)
    except ValueError:  # not in a worker's task
        return None


def _worded_for_client(outcome: Outcome, paths: Mapping[str, str]) -> Outcome:
    def worded(text: str) -> str:
        for worker_path, client_path in paths.items():
            text = text.replace(worker_path, client_path)
        return text

    return dataclasses.replace(
        outcome,
        error=worded(outcome.error) if outcome.error else None,
        details=worded(outcome.details) if outcome.details else None,
        warnings=tuple(map(worded, outcome.warnings)),
    )

