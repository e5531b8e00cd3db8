"""Tests for the Dask executor against LocalClusters: threads in this process, and worker processes
that cannot see the project (skipped without dask.distributed)."""

from __future__ import annotations

import os
import re
import signal
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from briefgen.batch.run import batch
from briefgen.cli import main
from briefgen.errors import UsageError
from briefgen.batch import cluster, executors
from briefgen.batch.cluster import DaskExecutor
from briefgen.batch.run import MANIFEST_NAME
from briefgen.batch.snapshot import take_snapshot
from test_bad_inputs import _docx_text, _pdf_text
from test_batch import MATRIX, files, make_project

distributed = pytest.importorskip("distributed", reason="the Dask executor needs dask.distributed (pip install 'briefgen[dask]')")

pytestmark = pytest.mark.filterwarnings("ignore::briefgen.errors.BriefgenWarning", "ignore::DeprecationWarning")


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    """One worker thread in this process: fast to start, and reportlab is not thread-safe."""
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None) as cluster:
        yield cluster.scheduler_address


def test_jobs_run_on_the_named_cluster(tmp_path: Path, scheduler: str) -> None:
    plan = make_project(tmp_path, MATRIX.replace("format: [pdf, docx]", "format: docx"))
    result = batch(plan, executor=DaskExecutor(scheduler))
    assert result.ok and sorted(o.job.label for o in result.built) == ["tiny-diplomacy", "tiny-trade"]
    assert (tmp_path / "out" / "tiny-trade.docx").is_file()
    assert len(batch(plan, executor=DaskExecutor(scheduler)).skipped) == 2


def test_a_failing_job_on_the_cluster_is_reported(tmp_path: Path, scheduler: str) -> None:
    plan = make_project(tmp_path, MATRIX.replace("[diplomacy, trade]", "[trad, trade]").replace("format: [pdf, docx]", "format: docx"))
    result = CliRunner().invoke(main, ["batch", str(plan), "--executor", "dask", "--scheduler", scheduler])
    assert result.exit_code == 1
    assert "error: tiny (topic=trad) -> tiny-trad: " in result.stderr
    assert result.stdout == "built 1, skipped 0 (unchanged), failed 1\n"


def progress_states(err: str) -> list[str]:
    """Each state the progress bar drew on a (forced) terminal: "built LABEL 1/3", in order, repeats dropped."""
    text = re.sub(r"\x1b\[[0-9;?]*[a-zA-Z]", "", err)
    states = [" ".join(part for part in line.split() if not set(part) <= set("━╸╺:0123456789") or "/" in part)
              for line in text.replace("\r", "\n").splitlines() if line.strip()]
    return [state for i, state in enumerate(states) if i == 0 or state != states[i - 1]]


def test_progress_on_the_cluster_counts_each_job_as_it_arrives_as_locally(
    tmp_path: Path, scheduler: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FORCE_COLOR", "1")  # rich draws every state, as on a terminal
    monkeypatch.setenv("COLUMNS", "200")
    text = MATRIX.replace("[diplomacy, trade]", "[diplomacy, trad, trade]").replace("format: [pdf, docx]", "format: docx")
    seen: dict[str, list[str]] = {}
    for name, executor in (("local", None), ("dask", DaskExecutor(scheduler))):
        plan = make_project(tmp_path / name, text)
        result = batch(plan, jobs=1, executor=executor, progress=True)
        assert len(result.built) == 2 and len(result.failed) == 1
        seen[name] = progress_states(capsys.readouterr().err)
    for states in seen.values():
        assert states[0] == "building 0/3"
        drawn = states[1:]  # one state per job as its outcome arrives, counted 1, 2, 3
        assert [state.split()[-1] for state in drawn] == ["1/3", "2/3", "3/3"], states
        assert sorted(" ".join(state.split()[:2]) for state in drawn) == ["FAILED tiny-trad", "built tiny-diplomacy", "built tiny-trade"]


def test_an_unreachable_scheduler_is_a_usage_error(tmp_path: Path) -> None:
    plan = make_project(tmp_path)
    with pytest.raises(UsageError, match="cannot connect"):
        batch(plan, executor=DaskExecutor("tcp://127.0.0.1:9", timeout="1s"))
    assert not (tmp_path / "out").exists()


def test_jobs_go_out_a_few_per_task_and_each_worker_gets_several_tasks() -> None:
    jobs = [executors.Job(f"j{number}", "tiny", {}, {}, f"j{number}", "") for number in range(1000)]
    chunks = cluster._chunks(jobs, threads=2)
    assert [job for chunk in chunks for job in chunk] == jobs  # every job once, in order
    assert {len(chunk) for chunk in chunks} == {8} and len(chunks) == 125
    assert [len(chunk) for chunk in cluster._chunks(jobs[:40], threads=2)] == [2] * 20
    assert [len(chunk) for chunk in cluster._chunks(jobs[:8], threads=0)] == [1] * 8


# --- workers that share no file system with the client ---------------------------------------


@pytest.fixture(scope="module")
def separate_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Any]]:
    """Two worker processes with one thread each, working in a folder of their own."""
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        with distributed.Client(cluster, set_as_default=False) as client:
            yield cluster.scheduler_address, client


def _workers_elsewhere(client: Any, folder: Path) -> None:
    folder.mkdir(exist_ok=True)
    client.run(os.chdir, str(folder))
    assert set(client.run(os.getcwd).values()) == {str(folder)}


def _desk_theme_with_a_logo(folder: Path) -> None:
    from PIL import Image

    folder.mkdir(parents=True)
    Image.new("RGB", (60, 20), (20, 60, 120)).save(folder / "logo.png")
    (folder / "desk.yaml").write_text("extends: default\nmarking: DESK ONLY\nlogo: logo.png\nlogo_alt: Desk crest\n",
                                      encoding="utf-8")


def _pdf_images(path: Path) -> int:
    from pypdf import PdfReader

    return sum(len(page.images) for page in PdfReader(path).pages)


def _moving_away_once_sent(monkeypatch: pytest.MonkeyPatch, project: Path, away: Path) -> None:
    """The project folder disappears from its path as soon as its snapshot is taken."""

    def snapshot_then_move(context: executors.WorkerContext) -> Any:
        taken = take_snapshot(context)
        project.rename(away)
        return taken

    monkeypatch.setattr(cluster, "take_snapshot", snapshot_then_move)


SEPARATE = MATRIX.replace("[diplomacy, trade]", "[diplomacy, trad, trade]") + "bind: set.pdf\ntheme: desk\njobs:\n  - {brief: broken, format: pdf}\n"
BROKEN = "---\ntitle: Broken\n---\n## Points\n\n{{ 10 // 0 }}\n"  # fails at render time, at its line 6


def test_workers_that_cannot_see_the_project_build_it_from_the_snapshot(
    tmp_path: Path, separate_cluster: tuple[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    address, client = separate_cluster
    project, away, out = tmp_path / "project", tmp_path / "moved", tmp_path / "out"
    plan = make_project(project, SEPARATE.replace("out: out", f"out: {out}"))  # outside the project
    (project / "templates" / "broken.md.j2").write_text(BROKEN, encoding="utf-8")
    _desk_theme_with_a_logo(project / "templates" / "themes")
    _workers_elsewhere(client, tmp_path / "workers")
    _moving_away_once_sent(monkeypatch, project, away)

    result = CliRunner().invoke(main, ["batch", str(plan), "--executor", "dask", "--scheduler", address])

    assert not project.exists()  # the workers could not have read it
    assert result.exit_code == 1, result.output
    assert result.stdout == "built 2, skipped 0 (unchanged), failed 2; bound set not written because a job failed\n"
    failure = sorted(line for line in result.stderr.splitlines() if line.startswith("error:"))
    assert len(failure) == 2 and "tiny (topic=trad) -> tiny-trad: " in failure[1] and "unknown topic 'trad'" in failure[1]
    assert f"broken -> broken: {project}/templates/broken.md.j2:6: " in failure[0]  # the client's path, not the worker's
    assert "briefgen-snapshot" not in result.stderr
    assert files(out) == [MANIFEST_NAME, "tiny-diplomacy.docx", "tiny-diplomacy.pdf", "tiny-trade.docx", "tiny-trade.pdf"]
    assert "Tiny on Trade" in _pdf_text(out / "tiny-trade.pdf") and "Tiny on Trade" in _docx_text(out / "tiny-trade.docx")
    assert "DESK ONLY" in _pdf_text(out / "tiny-trade.pdf") and _pdf_images(out / "tiny-trade.pdf")  # the project's theme and logo
    assert not list((tmp_path / "workers").iterdir())  # nor wrote anything where they run

    monkeypatch.undo()
    away.rename(project)
    on_the_cluster = {name: (out / name).read_bytes() for name in files(out) if name != MANIFEST_NAME}
    local = CliRunner().invoke(main, ["batch", str(plan), "--jobs", "1", "--force"])
    assert sorted(line for line in local.stderr.splitlines() if line.startswith("error:")) == failure  # the same messages
    assert {name: (out / name).read_bytes() for name in on_the_cluster} == on_the_cluster  # and the same bytes
    again = batch(plan, executor=DaskExecutor(address))  # and the cluster's files count as up to date
    assert sorted(job.label for job in again.skipped) == ["tiny-diplomacy", "tiny-trade"] and len(again.failed) == 2


def test_ctrl_c_on_the_cluster_keeps_what_finished_and_a_rerun_builds_the_rest(
    tmp_path: Path, separate_cluster: tuple[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    address, client = separate_cluster
    plan = make_project(tmp_path, MATRIX.replace("format: [pdf, docx]", "count: [1, 2, 3, 4]\n  format: pdf"))
    _workers_elsewhere(client, tmp_path / "workers")
    as_completed = DaskExecutor._as_completed
    calls = []

    def interrupted_after_two(client: Any, futures: Sequence[Any]) -> Iterator[Any]:
        calls.append(futures)
        for number, future in enumerate(as_completed(client, futures)):
            if len(calls) == 1 and number == 2:
                raise KeyboardInterrupt  # Ctrl-C while the client waits for the third job
            yield future

    monkeypatch.setattr(DaskExecutor, "_as_completed", staticmethod(interrupted_after_two))
    with pytest.raises(KeyboardInterrupt):
        batch(plan, executor=DaskExecutor(address))
    written = [name for name in files(tmp_path / "out") if name.endswith(".pdf")]
    assert len(written) >= 2
    monkeypatch.undo()
    rerun = batch(plan, executor=DaskExecutor(address))
    assert len(rerun.skipped) == len(written) and len(rerun.built) == 8 - len(written)


def test_a_worker_lost_mid_batch_is_replaced_and_the_batch_completes(tmp_path: Path, separate_cluster: tuple[str, Any]) -> None:
    address, client = separate_cluster
    plan = make_project(tmp_path, MATRIX.replace("format: [pdf, docx]", "count: [1, 2, 3, 4, 5, 6, 7, 8]\n  format: pdf"))
    victim = next(iter(client.run(os.getpid).values()))
    out = tmp_path / "out"

    def kill_a_worker_once_jobs_are_done() -> None:
        deadline = time.monotonic() + 60
        while not (out.exists() and any(out.glob("*.pdf"))) and time.monotonic() < deadline:
            time.sleep(0.01)
        os.kill(victim, signal.SIGKILL)

    killer = threading.Thread(target=kill_a_worker_once_jobs_are_done)
    killer.start()
    result = batch(plan, executor=DaskExecutor(address))
    killer.join()
    assert victim not in client.run(os.getpid).values()  # the worker was lost (and replaced)
    assert result.ok and len(result.built) == 16
    assert len([name for name in files(out) if name.endswith(".pdf")]) == 16
