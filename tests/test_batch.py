"""Tests for ``briefgen.batch.run``: plan expansion and checks, running, incremental builds, binding, the CLI."""

from __future__ import annotations

import gc
import hashlib
import io
import json
import os
import sys
import shutil
import textwrap
import threading
import warnings
import zipfile
from pathlib import Path

import lxml.html
import pytest
from click.testing import CliRunner, Result
from lxml import etree

from briefgen.batch import executors, run
from briefgen.batch.run import MANIFEST_NAME, batch, load_plan
from briefgen.cli import main
from briefgen.errors import BriefgenWarning, TemplateError, UsageError
from briefgen.registry.loader import load_registry
from briefgen.templating.briefs import Brief

REGISTRY = Path(__file__).parent / "projects" / "registry-valid"
TINY = """\
---
title: "Tiny on {{ topic(params.topic) }}"
parameters:
  topic: {type: str, default: trade}
  count: {type: int, default: 2}
---
## Points

{% for f in facts(topic=params.topic, limit=params.count) %}
- {{ f|statement }}
{% endfor %}
"""
MATRIX = """\
as_of: 2026-02-01
out: out
matrix:
  brief: tiny
  topic: [diplomacy, trade]
  format: [pdf, docx]
"""

pytestmark = pytest.mark.filterwarnings("ignore::briefgen.errors.BriefgenWarning")  # the test registry's stale facts


def make_project(root: Path, plan: str = MATRIX) -> Path:
    """A tiny project under ``root``: the small test registry, one brief, and ``plan`` as batch.yaml."""
    shutil.copytree(REGISTRY, root / "facts")
    (root / "templates").mkdir()
    (root / "templates" / "tiny.md.j2").write_text(TINY, encoding="utf-8")
    (root / "batch.yaml").write_text(textwrap.dedent(plan), encoding="utf-8")
    return root / "batch.yaml"


def run_cli(*args: str | Path) -> Result:
    result = CliRunner().invoke(main, ["batch", *(str(arg) for arg in args)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception  # no crash
    return result


def files(folder: Path) -> list[str]:
    return sorted(path.relative_to(folder).as_posix() for path in folder.rglob("*") if path.is_file())


# --- plans ---------------------------------------------------------------------------------


def test_a_matrix_expands_to_brief_times_values_with_every_format(tmp_path: Path) -> None:
    plan = load_plan(make_project(tmp_path))
    assert [job.label for job in plan.jobs] == ["tiny-diplomacy", "tiny-trade"]
    assert [job.described for job in plan.jobs] == ["tiny (topic=diplomacy)", "tiny (topic=trade)"]
    assert plan.jobs[0].outputs == {"pdf": tmp_path / "out" / "tiny-diplomacy.pdf", "docx": tmp_path / "out" / "tiny-diplomacy.docx"}
    assert plan.jobs[0].params == {"topic": "diplomacy", "count": 2}
    assert len({job.inputs_hash for job in plan.jobs}) == 2


def test_jobs_and_a_matrix_combine_and_values_are_typed(tmp_path: Path) -> None:
    plan = load_plan(
        make_project(
            tmp_path,
            """\
            out: out
            format: pdf
            output: "{format}/{brief}-{topic}-{count}"
            matrix:
              brief: tiny
              topic: [diplomacy, trade]
              count: [1, 3]
            jobs:
              - {brief: tiny, topic: trade, count: 5, output: "special.{format}", format: [docx, pdf]}
            """,
        )
    )
    assert [job.label for job in plan.jobs] == [
        "pdf/tiny-diplomacy-1", "pdf/tiny-diplomacy-3", "pdf/tiny-trade-1", "pdf/tiny-trade-3", "special",
    ]  # fmt: skip
    assert plan.jobs[1].params["count"] == 3
    assert list(plan.jobs[-1].outputs) == ["docx", "pdf"]


def test_a_mapping_plan_is_the_same_as_its_file(tmp_path: Path) -> None:
    plan_file = make_project(tmp_path)
    mapping = {"as_of": "2026-02-01", "out": "out", "matrix": {"brief": "tiny", "topic": ["diplomacy", "trade"], "format": ["pdf", "docx"]}}
    assert load_plan(mapping, root=tmp_path).jobs == load_plan(plan_file).jobs


BAD_PLANS = {
    "malformed YAML": ("matrix:\n  brief: tiny\n  topic: [trade\n", "batch.yaml:3: YAML syntax error"),
    "zero jobs": ("matrix:\n  brief: tiny\n  topic: []\n", "batch.yaml:3: 'topic' lists no values, so the matrix makes no jobs"),
    "no jobs at all": ("out: out\njobs: []\n", "batch.yaml:2: the plan has no jobs"),
    "same output": (
        "jobs:\n  - {brief: tiny, topic: trade}\n  - {brief: tiny, topic: diplomacy, output: tiny-trade}\n",
        "batch.yaml:3: tiny (topic=diplomacy) writes 'tiny-trade.pdf', 'tiny-trade.docx', as does tiny (topic=trade) at line 2",
    ),
    "same output in a matrix": (
        "output: '{brief}'\nmatrix:\n  brief: tiny\n  topic: [trade, diplomacy]\n",
        "batch.yaml:3: tiny (topic=diplomacy) writes 'tiny.pdf', 'tiny.docx', as does tiny (topic=trade) at line 3",
    ),
    "unknown brief": ("matrix:\n  brief: [tiny, tinny]\n", "batch.yaml:2: no brief named 'tinny' (did you mean 'tiny'?)"),
    "unknown parameter": ("jobs:\n  - brief: tiny\n    topik: trade\n", "batch.yaml:3: brief 'tiny' has no parameter 'topik' (did you mean 'topic'?)"),
    "bad value": ("jobs:\n  - brief: tiny\n    count: many\n", "batch.yaml:3: tiny: parameter 'count' expects a whole number, got 'many'"),
    "output escapes with ..": ("output: '../{brief}'\njobs:\n  - brief: tiny\n", "batch.yaml:1: output '../tiny.pdf' is outside the output folder"),
    "absolute output": ("output: /tmp/x\njobs:\n  - brief: tiny\n", "batch.yaml:1: output '/tmp/x.pdf' is outside the output folder"),
    "unknown placeholder": ("output: '{brief}-{topc}'\njobs:\n  - brief: tiny\n", "batch.yaml:1: output '{brief}-{topc}' names {topc}, which is not a parameter of 'tiny' (did you mean 'topic'?)"),
    "unknown key": ("jbos: []\n", "batch.yaml:1: unknown key 'jbos' in the plan (did you mean 'jobs'?)"),
    "unknown format": ("format: [pdf, odt]\njobs:\n  - brief: tiny\n", "batch.yaml:1: unknown format 'odt' (choose from docx, html, pdf)"),
    "bad as_of": ("as_of: soon\njobs:\n  - brief: tiny\n", "batch.yaml:1: as-of date 'soon' is not a day like 2026-01-20"),
    "unknown theme": ("theme: hous\njobs:\n  - brief: tiny\n", "batch.yaml:1: unknown theme 'hous'"),
    "bind without PDF": ("bind: true\nformat: docx\njobs:\n  - brief: tiny\n", "batch.yaml:1: bind: no job writes a PDF to bind"),
    "missing facts folder": ("facts: nowhere\njobs:\n  - brief: tiny\n", "batch.yaml:1: facts: 'nowhere' does not exist"),
}


@pytest.mark.parametrize("name", BAD_PLANS)
def test_each_bad_plan_is_reported_at_its_line_and_nothing_is_written(tmp_path: Path, name: str) -> None:
    text, expected = BAD_PLANS[name]
    plan = make_project(tmp_path, text)
    result = run_cli(plan)
    assert result.exit_code == 1
    assert f"{plan.parent / expected}" in result.stderr
    assert not (tmp_path / "output").exists() and not (tmp_path / "out").exists()


def test_every_problem_is_reported_together(tmp_path: Path) -> None:
    plan = make_project(tmp_path, "themee: x\nmatrix:\n  brief: [tiny, tinny]\n  topic: []\njobs:\n  - {brief: tiny, count: x}\n")
    with pytest.raises(TemplateError) as caught:
        load_plan(plan)
    assert [problem.line for problem in caught.value.problems] == [1, 4, 3, 6]


# --- running -------------------------------------------------------------------------------


def test_a_batch_builds_every_job_and_records_it(tmp_path: Path) -> None:
    result = batch(make_project(tmp_path), jobs=2)
    assert result.ok and len(result.built) == 2 and not result.skipped
    assert files(tmp_path / "out") == [MANIFEST_NAME, "tiny-diplomacy.docx", "tiny-diplomacy.pdf", "tiny-trade.docx", "tiny-trade.pdf"]
    assert result.counts() == "built 2, skipped 0 (unchanged), failed 0"


def test_a_failing_job_does_not_stop_the_others_and_the_summary_names_it(tmp_path: Path) -> None:
    plan = make_project(tmp_path, MATRIX.replace("[diplomacy, trade]", "[diplomacy, trad, trade]") + "bind: true\n")
    result = run_cli(plan, "--jobs", "1")
    assert result.exit_code == 1
    assert "error: tiny (topic=trad) -> tiny-trad: " in result.stderr and "unknown topic 'trad'" in result.stderr
    assert result.stdout == "built 2, skipped 0 (unchanged), failed 1; bound set not written because a job failed\n"
    assert files(tmp_path / "out") == [MANIFEST_NAME, "tiny-diplomacy.docx", "tiny-diplomacy.pdf", "tiny-trade.docx", "tiny-trade.pdf"]


def test_a_bug_in_one_job_is_a_failure_with_its_traceback(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    render_files = executors.render_files

    def broken_for_trade(brief: Brief, registry: object, formats: object, theme: object, params: dict[str, object], **options: object) -> object:
        if params["topic"] == "trade":
            raise ZeroDivisionError("division by zero")
        return render_files(brief, registry, formats, theme, params, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(executors, "render_files", broken_for_trade)
    result = run_cli(make_project(tmp_path, MATRIX.replace("format: [pdf, docx]", "format: docx")), "--jobs", "1")
    assert result.exit_code == 1
    assert "error: tiny (topic=trade) -> tiny-trade: internal error: ZeroDivisionError: division by zero\nTraceback" in result.stderr
    assert (tmp_path / "out" / "tiny-diplomacy.docx").is_file()


def test_the_registry_and_briefs_are_loaded_once_per_batch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Planning reads them, and the jobs this process runs use what it read (workers it forks inherit it)."""
    loads: dict[str, list[object]] = {"plan": [], "jobs": []}
    for name, module in (("plan", run), ("jobs", executors)):
        monkeypatch.setattr(module, "load_registry", lambda *args, _to=loads[name], _load=module.load_registry, **kwargs: _to.append(args) or _load(*args, **kwargs))
        monkeypatch.setattr(module, "load_brief", lambda *args, _to=loads[name], _load=module.load_brief, **kwargs: _to.append(args) or _load(*args, **kwargs))
    plan = make_project(tmp_path, MATRIX.replace("format: [pdf, docx]", "count: [1, 2]\n  format: docx"))
    assert len(batch(plan, jobs=1).built) == 4
    assert len(loads["plan"]) == 2 and loads["jobs"] == []  # the registry and the one brief, once
    checked = load_plan(plan)
    executors._loaded.clear()  # a worker that did not inherit them (a spawned process) reads them once
    assert all(outcome.ok for outcome in executors.InProcessExecutor().run(checked.context, checked.jobs))
    assert len(loads["jobs"]) == 2


def test_a_worker_reads_each_theme_once_per_batch_and_again_when_it_changes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A long-lived worker (Dask's) keeps the theme it read for the jobs of a batch, and reads it again for a
    batch planned after the theme file changed: every job's document carries the theme of its own batch."""
    plan = make_project(tmp_path, "theme: desk\n" + MATRIX.replace("format: [pdf, docx]", "format: docx"))
    theme_file = tmp_path / "templates" / "themes" / "desk.yaml"
    theme_file.parent.mkdir()
    resolved: list[str] = []
    monkeypatch.setattr(executors, "resolve_theme", lambda name, *args, _resolve=executors.resolve_theme: resolved.append(name) or _resolve(name, *args))

    def footers(footer_text: str) -> list[str]:
        theme_file.write_text(f"footer_text: {footer_text}\n", encoding="utf-8")
        checked = load_plan(plan)  # planned, but its inputs not handed over: the worker reads them itself
        outcomes = [executors.run_job(checked.context, job) for job in checked.jobs]
        assert all(outcome.ok for outcome in outcomes), [outcome.error for outcome in outcomes]
        return ["".join(etree.fromstring(zipfile.ZipFile(io.BytesIO(outcome.files["docx"])).read("word/footer1.xml")).itertext())
                for outcome in outcomes]

    executors._loaded.clear()
    first = footers("First desk")
    assert len(first) == 2 and all(text.startswith("First desk") for text in first)
    assert resolved == ["desk"]  # once for both jobs
    second = footers("Second desk")
    assert all(text.startswith("Second desk") for text in second)
    assert resolved == ["desk", "desk"]


@pytest.mark.skipif(sys.platform != "linux", reason="workers are forked on Linux only")
def test_forked_workers_start_with_the_parents_heap_left_out_of_collections(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Their collector's passes skip what they inherit (no copying of the parent's pages); the parent's resume after."""
    render_files = executors.render_files

    def reporting_frozen(*args: object, **options: object) -> object:
        warnings.warn(BriefgenWarning(f"frozen {gc.get_freeze_count()}"), stacklevel=1)
        return render_files(*args, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(executors, "render_files", reporting_frozen)  # forked workers inherit the patch
    plan = make_project(tmp_path, MATRIX.replace("format: [pdf, docx]", "format: docx"))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert batch(plan, jobs=2).ok
    frozen = [int(str(w.message).split()[-1]) for w in caught if str(w.message).startswith(("tiny-diplomacy: frozen", "tiny-trade: frozen"))]
    assert len(frozen) == 2 and min(frozen) > 10_000  # the registry, the briefs, the modules...
    assert gc.get_freeze_count() == 0


def test_job_warnings_are_passed_on_with_the_job_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    render_files = executors.render_files

    def build_and_warn(brief: Brief, *args: object, **options: object) -> object:
        warnings.warn(BriefgenWarning(f"{brief.name}: left out 1 lower-priority fact(s)"), stacklevel=1)
        return render_files(brief, *args, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(executors, "render_files", build_and_warn)
    plan = make_project(tmp_path, MATRIX.replace("format: [pdf, docx]", "format: docx"))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        batch(plan, jobs=1)
    messages = [str(warning.message) for warning in caught]
    assert "tiny-diplomacy: left out 1 lower-priority fact(s)" in messages
    assert "tiny-trade: left out 1 lower-priority fact(s)" in messages
    assert sum("superseded" in message for message in messages) == 1  # the registry's own warnings: once


def test_the_progress_bar_goes_to_stderr_and_counts_jobs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    batch(make_project(tmp_path, MATRIX.replace("format: [pdf, docx]", "format: docx")), jobs=1, progress=True)
    captured = capsys.readouterr()
    assert "2/2" in captured.err and captured.out == ""


def test_a_jobs_files_go_to_disk_while_the_next_job_is_built(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Flushing a job's file to disk waits on the disk, not on the processor: the next job is built meanwhile,
    and every file is still written whole and recorded."""
    render_files, fsync = executors.render_files, os.fsync
    second_job_started = threading.Event()

    def building(brief: Brief, registry: object, formats: object, theme: object, params: dict[str, object], **options: object) -> object:
        if params["topic"] == "trade":
            second_job_started.set()
        return render_files(brief, registry, formats, theme, params, **options)  # type: ignore[arg-type]

    overlapped = []

    def flushing(descriptor: int) -> None:
        overlapped.append(second_job_started.wait(timeout=5))  # the first job's file: is the second job being built?
        fsync(descriptor)

    monkeypatch.setattr(executors, "render_files", building)
    monkeypatch.setattr("briefgen.output.os.fsync", flushing)
    plan = make_project(tmp_path, MATRIX.replace("format: [pdf, docx]", "format: docx"))
    result = batch(plan, jobs=1)
    assert result.ok and [o.job.label for o in result.built] == ["tiny-diplomacy", "tiny-trade"]
    assert overlapped[0] is True
    recorded = json.loads((tmp_path / "out" / MANIFEST_NAME).read_text(encoding="utf-8"))["outputs"]
    assert {name: entry["sha256"] for name, entry in recorded.items()} == {
        name: hashlib.sha256((tmp_path / "out" / name).read_bytes()).hexdigest() for name in ("tiny-diplomacy.docx", "tiny-trade.docx")}


def headings(path: Path) -> list[str]:
    """The top-level section headings of a built page or document (Sources and Notes among them)."""
    if path.suffix == ".html":
        return [" ".join(h.text_content().split()) for h in lxml.html.fromstring(path.read_bytes()).xpath("//main//h2")]
    with zipfile.ZipFile(path) as package:
        body = etree.fromstring(package.read("word/document.xml"))
    w = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}
    return ["".join(p.itertext()) for p in body.xpath("//w:p[w:pPr/w:pStyle[starts-with(@w:val, 'Heading')]]", namespaces=w)]


# --- incremental builds --------------------------------------------------------------------


def test_a_batch_writes_html_pages_records_them_and_skips_them_while_unchanged(tmp_path: Path) -> None:
    plan = make_project(tmp_path, MATRIX.replace("format: [pdf, docx]", "format: html"))
    assert len(batch(plan, jobs=1).built) == 2
    out = tmp_path / "out"
    assert files(out) == [MANIFEST_NAME, "tiny-diplomacy.html", "tiny-trade.html"]
    registry = load_registry(tmp_path / "facts", as_of="2026-02-01")
    recorded = json.loads((out / MANIFEST_NAME).read_text(encoding="utf-8"))["outputs"]
    for topic in ("diplomacy", "trade"):
        path = out / f"tiny-{topic}.html"
        page = lxml.html.fromstring(path.read_bytes())
        assert page.get("lang") == "en" and [h.text_content() for h in page.iter("h1")] == [f"Tiny on {registry.topic(topic).label}"]
        items = [" ".join(item.text_content().split()) for item in page.xpath("//main//ul/li")]
        statements = [fact.statement for fact in registry.facts_by_topic(topic)]
        assert len(items) == 2 and all(any(item.startswith(statement[:40]) for statement in statements) for item in items)
        assert all(page.xpath(f"//main//ul/li[{n}]//a[starts-with(@href, '#')]") for n in (1, 2))  # each cites its note
        assert recorded[path.name]["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    pages = {path.name: path.read_bytes() for path in out.glob("*.html")}

    again = batch(plan, jobs=1)
    assert (len(again.built), len(again.skipped)) == (0, 2)
    assert {path.name: path.read_bytes() for path in out.glob("*.html")} == pages

    (out / "tiny-trade.html").write_text("<p>edited by hand</p>", encoding="utf-8")  # not what was recorded: rebuilt
    assert [outcome.job.label for outcome in batch(plan, jobs=1).built] == ["tiny-trade"]
    assert (out / "tiny-trade.html").read_bytes() == pages["tiny-trade.html"]

    template = tmp_path / "templates" / "tiny.md.j2"
    template.write_text(TINY.replace("## Points", "## Key points"), encoding="utf-8")
    assert len(batch(plan, jobs=1).built) == 2
    assert headings(out / "tiny-trade.html")[0] == headings(out / "tiny-diplomacy.html")[0] == "Key points"




def test_unchanged_jobs_are_skipped_and_changed_inputs_rebuild(tmp_path: Path) -> None:
    plan = make_project(tmp_path, MATRIX.replace("format: [pdf, docx]", "format: docx"))
    assert len(batch(plan, jobs=1).built) == 2
    again = batch(plan, jobs=1)
    assert (len(again.built), len(again.skipped)) == (0, 2)

    (tmp_path / "out" / "tiny-trade.docx").unlink()  # a missing output is rebuilt
    assert [o.job.label for o in batch(plan, jobs=1).built] == ["tiny-trade"]

    template = tmp_path / "templates" / "tiny.md.j2"  # a template change rebuilds its jobs
    template.write_text(TINY.replace("## Points", "## Key points"), encoding="utf-8")
    assert len(batch(plan, jobs=1).built) == 2

    facts = tmp_path / "facts" / "facts.yaml"  # so does a registry change
    facts.write_text(facts.read_text(encoding="utf-8").replace("Belarus", "Belarus ", 1), encoding="utf-8")
    assert len(batch(plan, jobs=1).built) == 2

    plan.write_text(plan.read_text(encoding="utf-8").replace("2026-02-01", "2026-03-01"), encoding="utf-8")  # and the as-of day
    assert len(batch(plan, jobs=1).built) == 2


def test_force_rebuilds_everything(tmp_path: Path) -> None:
    plan = make_project(tmp_path, MATRIX.replace("format: [pdf, docx]", "format: docx"))
    batch(plan, jobs=1)
    assert run_cli(plan, "--jobs", "1").stdout == "built 0, skipped 2 (unchanged), failed 0\n"
    assert run_cli(plan, "--jobs", "1", "--force").stdout == "built 2, skipped 0 (unchanged), failed 0\n"


@pytest.mark.parametrize("fmt", ["docx", "html"])
def test_an_interrupt_leaves_no_partial_files_and_keeps_what_was_built(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str) -> None:
    plan = make_project(tmp_path, MATRIX.replace("format: [pdf, docx]", f"format: {fmt}"))
    batch(plan, jobs=1)
    before = {name: (tmp_path / "out" / name).read_bytes() for name in files(tmp_path / "out") if name != MANIFEST_NAME}
    template = tmp_path / "templates" / "tiny.md.j2"
    template.write_text(TINY.replace("## Points", "## Key points"), encoding="utf-8")

    synced = []

    def fsync_then_interrupt(descriptor: int) -> None:
        synced.append(descriptor)
        if len(synced) == 2:  # the second job, halfway through writing its file
            raise KeyboardInterrupt

    monkeypatch.setattr("briefgen.output.os.fsync", fsync_then_interrupt)
    result = run_cli(plan, "--jobs", "1")
    assert result.exit_code == 130
    assert "interrupted" in result.stderr
    assert files(tmp_path / "out") == [MANIFEST_NAME, f"tiny-diplomacy.{fmt}", f"tiny-trade.{fmt}"]  # no temporary files
    assert (tmp_path / "out" / f"tiny-trade.{fmt}").read_bytes() == before[f"tiny-trade.{fmt}"]  # the old file, untouched
    assert headings(tmp_path / "out" / f"tiny-trade.{fmt}")[0] == "Points"
    assert headings(tmp_path / "out" / f"tiny-diplomacy.{fmt}")[0] == "Key points"  # the new one, whole

    monkeypatch.undo()
    rerun = batch(plan, jobs=1)
    assert [o.job.label for o in rerun.built] == ["tiny-trade"] and len(rerun.skipped) == 1


# --- binding -------------------------------------------------------------------------------


def test_the_bound_set_has_a_bookmark_per_handout(tmp_path: Path) -> None:
    from pypdf import PdfReader

    plan = make_project(tmp_path, MATRIX.replace("format: [pdf, docx]", "format: pdf") + "bind: set.pdf\n")
    result = batch(plan, jobs=1)
    assert result.bound == tmp_path / "out" / "set.pdf"
    bound = PdfReader(result.bound)
    top = [item for item in bound.outline if not isinstance(item, list)]
    assert [item.title for item in top] == ["Tiny on Diplomacy", "Tiny on Trade and economy"]
    assert [bound.get_destination_page_number(item) for item in top] == [0, 1]
    assert "Tiny on Trade" in bound.pages[1].extract_text()

    digest = (tmp_path / "out" / "set.pdf").stat().st_mtime_ns
    assert batch(plan, jobs=1).bound == result.bound
    assert (tmp_path / "out" / "set.pdf").stat().st_mtime_ns == digest  # up to date: not bound again


def test_the_bound_set_keeps_each_handouts_headings_side_by_side(tmp_path: Path) -> None:
    from pypdf import PdfReader

    plan = make_project(tmp_path, MATRIX.replace("format: [pdf, docx]", "format: pdf") + "bind: set.pdf\n")
    two_sections = TINY.replace("## Points\n", "## In brief\n\nA summary.\n\n## Points\n")
    (tmp_path / "templates" / "tiny.md.j2").write_text(two_sections, encoding="utf-8")
    outline = PdfReader(batch(plan, jobs=1).bound).outline
    titles = [[entry.title for entry in item] if isinstance(item, list) else item.title for item in outline]
    assert titles == ["Tiny on Diplomacy", ["In brief", "Points", "Sources"],
                      "Tiny on Trade and economy", ["In brief", "Points", "Sources"]]


# --- command line and API ------------------------------------------------------------------


@pytest.mark.parametrize("jobs", ["0", "-1"])
def test_jobs_must_be_one_or_more(tmp_path: Path, jobs: str) -> None:
    result = run_cli(make_project(tmp_path), "--jobs", jobs)
    assert result.exit_code == 2
    assert result.stderr == f"error: --jobs {jobs}: need at least 1 worker (e.g. --jobs 2)\n"
    with pytest.raises(UsageError):
        batch(tmp_path / "batch.yaml", jobs=int(jobs))


def test_command_line_mistakes_exit_2(tmp_path: Path) -> None:
    assert run_cli(tmp_path / "missing.yaml").exit_code == 2
    plan = make_project(tmp_path)
    assert run_cli(plan, "--executor", "dask").exit_code == 2
    assert run_cli(plan, "--scheduler", "tcp://127.0.0.1:1").exit_code == 2


def test_paths_in_a_plan_are_relative_to_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    plan = make_project(tmp_path, MATRIX.replace("format: [pdf, docx]", "format: docx"))
    monkeypatch.chdir(tmp_path.parent)
    result = run_cli(plan.relative_to(tmp_path.parent), "-q")
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "out" / "tiny-trade.docx").is_file()


def test_the_api_names_the_functions_even_after_their_modules_are_imported() -> None:
    import briefgen.batch.executors
    import briefgen.build

    assert briefgen.batch is batch and callable(briefgen.build)
    assert briefgen.BatchResult.__name__ == "BatchResult"
    assert {"batch", "build", "BatchResult"} <= set(briefgen.__all__)
    assert os.path.basename(sys.modules["briefgen.batch.executors"].__file__ or "") == "executors.py"
