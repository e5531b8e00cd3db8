"""Batches tell the truth after an interruption: Ctrl-C in a job, ``kill -9`` of the batch process.

The yardstick is a fresh build of the same inputs into another folder:
outputs are reproducible, so after a rerun every file must be byte for byte
what the current inputs give, whatever the interrupted run left behind.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from briefgen.batch import executors
from briefgen.batch.run import MANIFEST_NAME, batch
from briefgen.errors import RenderError
from briefgen.output import TEMPORARY_PREFIX
from test_batch import MATRIX, TINY, files, make_project

pytestmark = pytest.mark.filterwarnings("ignore::briefgen.errors.BriefgenWarning")

COUNTS = "\n  count: [1, 2, 3]\n  format: pdf"
EARLIER, LATER = "2026-02-01", "2026-03-01"


def many_jobs(root: Path, counts: str = COUNTS) -> Path:
    """A plan of PDF-only jobs: two topics times the ``count`` values."""
    return make_project(root, MATRIX.replace("\n  format: [pdf, docx]", counts))


def set_as_of(plan: Path, day: str) -> None:
    text = plan.read_text(encoding="utf-8")
    plan.write_text(text.replace(EARLIER, day).replace(LATER, day), encoding="utf-8")


def outputs(folder: Path) -> dict[str, bytes]:
    return {name: (folder / name).read_bytes() for name in files(folder) if not name.startswith(".")}  # not the records


def fresh_build(plan: Path, scratch: Path) -> dict[str, bytes]:
    """What the plan's current inputs give, built from nothing in a copy of the project."""
    shutil.copytree(plan.parent, scratch, ignore=shutil.ignore_patterns("out"))
    assert batch(scratch / plan.name, jobs=1).ok
    return outputs(scratch / "out")


def recorded(folder: Path) -> dict[str, str]:
    """Each file's content digest as the manifest records it."""
    data = json.loads((folder / MANIFEST_NAME).read_text(encoding="utf-8"))
    return {name: entry["sha256"] for name, entry in data["outputs"].items()}


def interrupt_when(monkeypatch: pytest.MonkeyPatch, topic: str, count: int, *, slow: tuple[str, int] | None = None) -> None:
    """Ctrl-C in the job for (topic, count), in whichever process runs it; ``slow``: a job that takes a second."""
    render_files = executors.render_files

    def patched(brief: Any, registry: Any, formats: Any, theme: Any, params: dict[str, Any], **options: Any) -> Any:
        if (params["topic"], params["count"]) == (topic, count):
            time.sleep(0.2)
            raise KeyboardInterrupt
        if slow and (params["topic"], params["count"]) == slow:
            time.sleep(1.0)
        return render_files(brief, registry, formats, theme, params, **options)

    monkeypatch.setattr(executors, "render_files", patched)


@pytest.mark.parametrize("jobs", [1, 2])
def test_after_ctrl_c_and_undoing_the_change_no_stale_file_is_reported_unchanged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: int
) -> None:
    """The issue's case: run, change the as-of day, Ctrl-C part way, undo the change, run again."""
    plan = many_jobs(tmp_path / "project")
    assert batch(plan, jobs=jobs).ok
    set_as_of(plan, LATER)
    interrupt_when(monkeypatch, "trade", 1)
    with pytest.raises(KeyboardInterrupt):
        batch(plan, jobs=jobs)
    monkeypatch.undo()
    out = tmp_path / "project" / "out"
    later = fresh_build(plan, tmp_path / "later")
    changed = [name for name, data in outputs(out).items() if data == later[name]]
    assert changed, "the interrupted run wrote nothing: the test proves nothing"
    digests = recorded(out)
    assert all(digests[name] == hashlib.sha256(data).hexdigest() for name, data in outputs(out).items())  # all recorded

    set_as_of(plan, EARLIER)
    rerun = batch(plan, jobs=jobs)
    assert sorted(f"{o.job.label}.pdf" for o in rerun.built) == sorted(changed)  # exactly what the interrupted run changed
    assert outputs(out) == fresh_build(plan, tmp_path / "earlier")  # every file from the current inputs


def test_jobs_that_finish_while_the_pool_shuts_down_are_written_and_recorded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    plan = many_jobs(tmp_path, "\n  count: [1]\n  format: pdf")
    interrupt_when(monkeypatch, "trade", 1, slow=("diplomacy", 1))  # diplomacy runs on while trade is interrupted
    with pytest.raises(KeyboardInterrupt):
        batch(plan, jobs=2)
    assert files(tmp_path / "out") == [MANIFEST_NAME, "tiny-diplomacy-1.pdf"]
    assert recorded(tmp_path / "out") == {"tiny-diplomacy-1.pdf": hashlib.sha256((tmp_path / "out" / "tiny-diplomacy-1.pdf").read_bytes()).hexdigest()}
    monkeypatch.undo()
    rerun = batch(plan, jobs=2)
    assert [job.label for job in rerun.skipped] == ["tiny-diplomacy-1"] and [o.job.label for o in rerun.built] == ["tiny-trade-1"]


def test_a_file_changed_after_it_was_recorded_is_rebuilt(tmp_path: Path) -> None:
    plan = many_jobs(tmp_path, "\n  count: [1]\n  format: pdf")
    batch(plan, jobs=1)
    good = (tmp_path / "out" / "tiny-trade-1.pdf").read_bytes()
    (tmp_path / "out" / "tiny-trade-1.pdf").write_bytes(b"%PDF- written by a run killed before it recorded")
    rerun = batch(plan, jobs=1)
    assert [o.job.label for o in rerun.built] == ["tiny-trade-1"]
    assert (tmp_path / "out" / "tiny-trade-1.pdf").read_bytes() == good


def test_a_bound_set_whose_handout_failed_is_removed_and_the_summary_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    plan = many_jobs(tmp_path, "\n  count: [1]\n  format: pdf")
    plan.write_text(plan.read_text(encoding="utf-8") + "bind: set.pdf\n", encoding="utf-8")
    bound = tmp_path / "out" / "set.pdf"
    assert batch(plan, jobs=1).bound == bound
    (tmp_path / "templates" / "tiny.md.j2").write_text(TINY.replace("## Points", "## Key points"), encoding="utf-8")
    render_files = executors.render_files

    def trade_fails(brief: Any, registry: Any, formats: Any, theme: Any, params: dict[str, Any], **options: Any) -> Any:
        if params["topic"] == "trade":
            raise RenderError("trade cannot be rendered today")
        return render_files(brief, registry, formats, theme, params, **options)

    monkeypatch.setattr(executors, "render_files", trade_fails)
    result = batch(plan, jobs=1)
    assert not bound.exists() and result.unbound == bound and result.bound is None
    assert result.counts() == f"built 1, skipped 0 (unchanged), failed 1; bound set removed because a job failed: {bound}"
    monkeypatch.undo()
    again = batch(plan, jobs=1)
    assert again.bound == bound and "Key points" in _pdf_text(bound)


def _pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    return " ".join(page.extract_text() for page in PdfReader(path).pages)


# --- kill -9 of the batch process ----------------------------------------------------------


def _children(pid: int) -> set[int]:
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        found |= {int(child) for child in (task / "children").read_text().split()}
    return found


def _alive(pid: int) -> bool:
    """True while ``pid`` runs (a zombie nobody has reaped yet counts as gone)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc to find the worker processes")
def test_after_kill_9_of_the_batch_its_workers_end_and_a_rerun_rebuilds_what_it_left(tmp_path: Path) -> None:
    plan = many_jobs(tmp_path / "project", "\n  count: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20]\n  format: pdf")
    out = tmp_path / "project" / "out"
    assert batch(plan, jobs=2).ok
    before = outputs(out)
    set_as_of(plan, LATER)
    journal = out / ".briefgen-batch.journal"
    environment = {**os.environ, "BRIEFGEN_CACHE_DIR": str(tmp_path / "cache")}
    process = subprocess.Popen([sys.executable, "-m", "briefgen", "batch", str(plan), "--jobs", "2", "-q"], env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while not (journal.exists() and journal.stat().st_size) and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.005)  # until the first job of the new run is recorded
        workers = _children(process.pid)
        os.kill(process.pid, signal.SIGKILL)
    finally:
        process.wait()
    assert workers, "the batch had no worker processes"
    deadline = time.monotonic() + 10
    while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(_alive(pid) for pid in workers), "workers outlived the batch process"
    assert process.returncode == -signal.SIGKILL and journal.exists()
    changed = sorted(name for name, data in outputs(out).items() if data != before[name])
    assert changed, "the killed run wrote nothing: the test proves nothing"
    (out / f"{TEMPORARY_PREFIX}left0ver.tmp").write_bytes(b"as a kill during a write leaves it")

    set_as_of(plan, EARLIER)
    rerun = batch(plan, jobs=2)
    assert sorted(f"{o.job.label}.pdf" for o in rerun.built) == changed  # recorded or not, each is rebuilt; no other is
    assert not list(out.glob("*.tmp")) and not journal.exists()
    assert outputs(out) == fresh_build(plan, tmp_path / "fresh") == before
