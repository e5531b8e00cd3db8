"""Tests for the Dask executor against a LocalCluster in this process (skipped without dask.distributed)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefgen.batch.run import batch
from briefgen.cli import main
from briefgen.errors import UsageError
from briefgen.batch.executors import DaskExecutor
from test_batch import MATRIX, make_project

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


def test_an_unreachable_scheduler_is_a_usage_error(tmp_path: Path) -> None:
    plan = make_project(tmp_path)
    with pytest.raises(UsageError, match="cannot connect"):
        batch(plan, executor=DaskExecutor("tcp://127.0.0.1:9", timeout="1s"))
    assert not (tmp_path / "out").exists()
