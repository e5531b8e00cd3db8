"""Many briefs from one plan: read and check the plan, skip what is up to date, run the rest, summarise.

A plan (``batch.yaml``) lists jobs and/or a matrix of brief × parameter
values, the formats, an output name pattern and shared options (facts,
templates, out, theme, as-of day); ``docs/batch.md`` describes it. The
whole plan is checked before anything is written and every problem is
reported at once, at its plan line. A job is skipped when the digest of its
inputs (registry content, template files, theme, parameters, formats,
as-of day, briefgen version) matches the one recorded in the output
folder's manifest when its files were last written. Jobs run on an
``Executor`` (``executors.py``); one failing job does not stop the others.
With ``bind`` the PDFs are also bound into one file with a bookmark each.
This module renders nothing itself: building a job is ``build.py``'s.
"""

from __future__ import annotations

import dataclasses
import hashlib
import itertools
import json
import os
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import yaml

from briefgen import __version__
from briefgen import writers
from briefgen.build import brief_parameters, check_project_params, resolve_theme
from briefgen.registry.dates import resolve_as_of
from briefgen.errors import BriefgenError, BriefgenWarning, Problem, TemplateError, UsageError, WriteError, closest_or_list
from briefgen.batch.executors import Executor, Job, LocalExecutor, Outcome, WorkerContext, remember_loaded
from briefgen.registry.loader import Registry, load_registry
from briefgen.output_names import check_name, field_text, output_paths
from briefgen.yaml_reader import MappingNode, Node, ScalarNode, SequenceNode, is_null, line_of, parse_file
from briefgen.templating.front_matter import resolve_parameters
from briefgen.output import remove_stale_temporaries, write_atomic, write_atomic_all
from briefgen.project import Project, load_project
from briefgen.templating.briefs import Brief, load_brief, template_files

__all__ = ["MANIFEST_NAME", "BatchResult", "Plan", "batch", "load_plan"]

MANIFEST_NAME = ".briefgen-batch.json"
_JOURNAL_NAME = ".briefgen-batch.journal"  # records of the run in progress, folded into the manifest at its end
_PLAN_KEYS = ("facts", "templates", "out", "theme", "as_of", "format", "output", "bind", "matrix", "jobs")
_JOB_KEYS = ("brief", "format", "output")  # any other key of a job or the matrix is a parameter
_BOUND_NAME = "bound.pdf"


@dataclass(frozen=True, slots=True)
class Plan:
    """A checked plan: every job with its files and input digest, and where the bound PDF goes."""

    file: Path | None  # None: the plan was a mapping
    out_dir: Path
    context: WorkerContext
    jobs: tuple[Job, ...]
    bound: Path | None
    warnings: tuple[Problem, ...]  # the registry's (stale facts)
    loaded: tuple[Registry, Mapping[str, Brief]] | None = field(default=None, repr=False, compare=False)  # what planning read


@dataclass(frozen=True, slots=True)
class BatchResult:
    """What a batch did: jobs built, skipped as up to date, and failed (each with its reason)."""

    plan: Plan
    built: tuple[Outcome, ...]
    skipped: tuple[Job, ...]
    failed: tuple[Outcome, ...]
    bound: Path | None = None  # the bound PDF, when written or up to date
    unbound: Path | None = None  # the bound PDF removed because a job failed: it would have bound stale files

    @property
    def ok(self) -> bool:
        return not self.failed

    def counts(self) -> str:
        """One line: ``built 6, skipped 2 (unchanged), failed 1``, and the bound file."""
        line = f"built {len(self.built)}, skipped {len(self.skipped)} (unchanged), failed {len(self.failed)}"
        if self.bound is not None:
            return f"{line}; bound set: {self.bound}"
        if self.unbound is not None:
            return f"{line}; bound set removed because a job failed: {self.unbound}"
        if self.plan.bound is not None and self.failed:
            return f"{line}; bound set not written because a job failed"
        return line

    def failures(self) -> list[str]:
        """One entry per failed job: what it is, its output name, why it failed (and a bug's traceback)."""
        return [f"{o.job.described} -> {o.job.label}: {_indented(o.error or '')}" + (f"\n{o.details}" if o.details else "") for o in self.failed]

    def summary(self) -> str:
        return "\n".join([self.counts(), *(f"failed: {failure}" for failure in self.failures())])


def batch(
    plan: str | Path | Mapping[str, object],
    *,
    jobs: int | None = None,
    force: bool = False,
    executor: Executor | None = None,
    progress: bool = False,
    root: Path | None = None,
) -> BatchResult:
    """Build every job of ``plan`` (a plan file or the same as a mapping) that is not up to date.

    ``jobs`` is the number of local worker processes (default: one per CPU;
    1 runs in this process); ``executor`` runs the jobs elsewhere instead
    (``briefgen.batch.cluster.DaskExecutor``). ``force`` rebuilds everything.
    ``root`` is the folder a mapping's relative paths start from (default:
    the current one). A problem in the plan raises ``TemplateError`` before
    anything is written; a failed job is in ``BatchResult.failed``. On
    ``KeyboardInterrupt`` the running jobs finish, the others are not
    started, what was built is recorded, and the interrupt propagates.
    """
    runner = executor or LocalExecutor((os.cpu_count() or 1) if jobs is None else jobs)
    checked = load_plan(plan, root=root)
    for problem in checked.warnings:
        warnings.warn(BriefgenWarning(problem.describe(severity=False)), stacklevel=2)
    for folder in _output_folders(checked):
        remove_stale_temporaries(folder)  # left by a batch that was killed
    manifest = _Manifest.read(checked.out_dir)
    todo = [job for job in checked.jobs if force or not manifest.up_to_date(job)]
    to_build = {job.label for job in todo}
    skipped = tuple(job for job in checked.jobs if job.label not in to_build)
    unbound = _remove_stale_bound_set(checked, todo, manifest)
    if checked.loaded is not None:  # workers in this process, or forked from it, need not read them again
        remember_loaded(checked.context, *checked.loaded)
    outcomes: list[Outcome] = []
    try:
        with _progress_bar(len(todo), enabled=progress) as advance, _FileWriter(manifest) as writer:
            for outcome in runner.run(checked.context, todo):
                for written in writer.submit(outcome):
                    outcomes.append(written)
                    advance(written)
            for written in writer.rest():
                outcomes.append(written)
                advance(written)
    finally:
        manifest.write()
    for outcome in outcomes:
        for message in outcome.warnings:
            warnings.warn(BriefgenWarning(f"{outcome.job.label}: {message.removeprefix(outcome.job.brief + ': ')}"), stacklevel=2)
    failed = tuple(o for o in outcomes if not o.ok)
    bound = None if failed else _bound_set(checked, manifest, force)
    return BatchResult(checked, tuple(o for o in outcomes if o.ok), skipped, failed, bound, unbound if failed else None)


class _FileWriter:
    """Writes each built job's files (``_written``) in a thread of its own, in the order the jobs finish,
    while the next jobs are built: a job's files are flushed to disk before they are recorded, and that
    wait then overlaps the building instead of adding to it.

    ``submit`` hands over an outcome and returns, in order, those whose files are written by then;
    more than ``_WRITES_AHEAD`` unwritten jobs make it wait (so that built files never pile up in
    memory); ``rest`` waits for the others. A write failure fails its job. Leaving the ``with`` block
    (an interruption included) waits until every job handed over is written and recorded.
    """

    def __init__(self, manifest: _Manifest) -> None:
        self._manifest = manifest
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="briefgen-write")  # its thread starts at the first job
        self._pending: deque[Future[Outcome]] = deque()

    def __enter__(self) -> _FileWriter:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._pool.shutdown(wait=True)

    def submit(self, outcome: Outcome) -> Iterator[Outcome]:
        self._pending.append(self._pool.submit(_written, outcome, self._manifest))
        while self._pending and (self._pending[0].done() or len(self._pending) > _WRITES_AHEAD):
            yield self._pending.popleft().result()

    def rest(self) -> Iterator[Outcome]:
        while self._pending:
            yield self._pending.popleft().result()


_WRITES_AHEAD = 4  # built jobs whose files may wait to be written


def _written(outcome: Outcome, manifest: _Manifest) -> Outcome:
    """Write a built job's files (all formats or none) and record them at once; a write failure fails the job."""
    if not outcome.ok:
        return outcome
    files = {outcome.job.outputs[fmt]: data for fmt, data in outcome.files.items()}
    try:
        write_atomic_all(files)
    except WriteError as error:
        return dataclasses.replace(outcome, files={}, error=str(error))
    manifest.record(outcome.job, files)
    return dataclasses.replace(outcome, files={})


# --- the plan -------------------------------------------------------------------------------


def load_plan(plan: str | Path | Mapping[str, object], *, root: Path | None = None) -> Plan:
    """Read, check and expand ``plan``; raise one ``TemplateError`` listing every problem in it.

    A missing plan file is a ``UsageError``; a broken registry a ``FactsError``.
    """
    if isinstance(plan, Mapping):
        text = yaml.safe_dump(dict(plan), sort_keys=False, allow_unicode=True)
        return _PlanReader(None, root or Path("."), text.encode()).plan()
    path = Path(plan)
    if not path.is_file():
        raise UsageError(f"plan {path} does not exist" if not path.exists() else f"plan {path} is not a file", hint="give a batch plan such as batch.yaml")
    return _PlanReader(path, root or path.parent, path.read_bytes()).plan()


_Items = Mapping[str, tuple[ScalarNode, Node]]  # a YAML mapping: key -> (key node, value node)


@dataclass(frozen=True, slots=True)
class _Entry:
    """One matrix or one job as written: the value nodes of each key (a job's keys have one each)."""

    node: Node
    briefs: tuple[Node, ...]
    formats: tuple[Node, ...] | None
    output: Node | None
    params: tuple[tuple[ScalarNode, tuple[Node, ...]], ...]


@dataclass(frozen=True, slots=True)
class _Draft:
    """A job before its input digest is known, with the plan node it came from and its theme."""

    job: Job
    node: Node
    theme: str


class _PlanReader:
    """Reads one plan, collecting problems; ``plan()`` raises them all or returns the checked plan."""

    def __init__(self, file: Path | None, root: Path, data: bytes) -> None:
        self.file, self.root, self.data = file, root, data
        self.problems: list[Problem] = []
        self.briefs: dict[str, Brief | None] = {}

    def plan(self) -> Plan:
        parsed = parse_file(self.file or Path("plan"), self.data, self.problems)
        self.raise_problems()
        top = self.mapping(parsed.node, "the plan", _PLAN_KEYS)
        project = self.project(top)
        day = self.as_of(top.get("as_of"))
        theme = self.text(top["theme"][1]) if "theme" in top else project.theme
        drafts = [draft for entry in self.entries(top) for draft in self.expand(entry, top, project, theme)]
        bound = self.bound(top.get("bind"), project.out_dir, drafts)
        self.check_distinct(drafts, bound)
        themes = self.themes(drafts, top.get("theme"), project)
        self.raise_problems()
        registry = load_registry(project.facts_dir, as_of=day)
        return self.checked(project, registry, drafts, themes, theme, bound)

    def problem(self, message: str, node: Node | None, hint: str | None = None) -> None:
        line = line_of(node) if node is not None and self.file else None  # a mapping's lines would be made up
        self.problems.append(Problem(message, self.file or "plan", line, hint))

    def raise_problems(self) -> None:
        if self.problems:
            raise TemplateError.from_problems(dict.fromkeys(self.problems))  # a matrix repeats a problem per job

    # --- reading nodes ---

    def mapping(self, node: Node | None, what: str, known: Sequence[str] | None = None) -> dict[str, tuple[ScalarNode, Node]]:
        """The mapping's items by key; an unknown key (when ``known`` is given) is a problem."""
        if node is None or is_null(node):
            return {}
        if not isinstance(node, MappingNode):
            self.problem(f"{what} must be a mapping of keys to values", node)
            return {}
        items: dict[str, tuple[ScalarNode, Node]] = {}
        for key, value in node.value:
            if known is not None and key.value not in known:
                self.problem(f"unknown key '{key.value}' in {what}", key, closest_or_list(str(key.value), known))
            else:
                items[str(key.value)] = (key, value)
        return items

    def text(self, node: Node) -> str | None:
        if isinstance(node, ScalarNode) and not is_null(node):
            return str(node.value)
        self.problem("expected a single value", node)
        return None

    def value_text(self, node: Node) -> str:
        """A parameter value as ``--set`` would give it: a list's items joined with commas."""
        if isinstance(node, SequenceNode):
            return ",".join(text for item in node.value if (text := self.text(item)) is not None)
        return self.text(node) or ""

    # --- shared options ---

    def project(self, top: _Items) -> Project:
        """The project at the plan's folder; the plan's folders (relative to it) win over its config."""
        return load_project(
            self.root,
            facts=self.folder(top, "facts", must_exist=True),
            templates=self.folder(top, "templates", must_exist=True),
            out=self.folder(top, "out", must_exist=False),
        )

    def folder(self, top: _Items, key: str, *, must_exist: bool) -> Path | None:
        text = self.text(top[key][1]) if key in top else None
        if text is None:
            return None
        path = self.root / text
        if must_exist and not path.is_dir():
            self.problem(f"{key}: '{text}' {'is not a folder' if path.exists() else 'does not exist'}", top[key][1], f"relative to {self.root}")
            return None
        return path

    def as_of(self, item: tuple[ScalarNode, Node] | None) -> str:
        try:
            return resolve_as_of(self.text(item[1]) if item else None).isoformat()
        except ValueError as error:
            self.problem(str(error), item[1] if item else None, "write the day as YYYY-MM-DD")
            return ""

    def bound(self, item: tuple[ScalarNode, Node] | None, out_dir: Path, drafts: Sequence[_Draft]) -> Path | None:
        if item is None:
            return None
        text = self.text(item[1]) or "false"
        if text.lower() in ("false", "no", "off"):
            return None
        name = _BOUND_NAME if text.lower() in ("true", "yes", "on") else text
        if not name.endswith(".pdf") or not self.inside(name, item[1]):
            self.problem(f"bind: '{text}' is not true, false or a PDF file name", item[1], "e.g. bind: handouts.pdf")
            return None
        if drafts and not any("pdf" in draft.job.outputs for draft in drafts):
            self.problem("bind: no job writes a PDF to bind", item[1], "add pdf to the formats")
        return out_dir / name

    def inside(self, name: str, node: Node | None) -> bool:
        """True if ``name`` stays inside the output folder; else a problem."""
        try:
            check_name(name)
        except TemplateError as error:
            self.problem(error.problems[0].message, node, error.problems[0].hint)
            return False
        return True

    # --- jobs ---

    def entries(self, top: _Items) -> list[_Entry]:
        entries = [self.entry(top["matrix"][1], "the matrix", dimensions=True)] if "matrix" in top else []
        if "jobs" in top:
            node = top["jobs"][1]
            if isinstance(node, SequenceNode):
                entries += [self.entry(job, "a job", dimensions=False) for job in node.value]
            elif not is_null(node):
                self.problem("'jobs' must be a list of jobs", node, "- {brief: overview}")
        if not entries:
            self.problem("the plan has no jobs", top["jobs"][0] if "jobs" in top else None, "add a 'matrix' or a list of 'jobs'")
        return entries

    def entry(self, node: Node, what: str, *, dimensions: bool) -> _Entry:
        """A matrix (a list of values per key, to combine) or a job (one value per key); ``format`` is a list in both."""
        items = self.mapping(node, what)
        listed = {name: self.values(value) if dimensions or name == "format" else (value,) for name, (_, value) in items.items()}
        for name, values in listed.items():
            if not values:
                self.problem(f"'{name}' lists no values, so {what} makes no jobs", items[name][0], "give at least one value")
        if "brief" not in items:
            self.problem(f"{what} names no 'brief'", node, "add e.g. brief: handout")
        params = tuple((key, listed[name]) for name, (key, _) in items.items() if name not in _JOB_KEYS)
        output = items["output"][1] if "output" in items else None
        return _Entry(node, listed.get("brief", ()), listed.get("format"), output, params)

    @staticmethod
    def values(node: Node) -> tuple[Node, ...]:
        """A list's items, or a single value as a one-item list."""
        return tuple(node.value) if isinstance(node, SequenceNode) else (node,)

    def expand(self, entry: _Entry, top: _Items, project: Project, theme: str | None) -> Iterator[_Draft]:
        """Every job of ``entry``: each brief with each combination of parameter values."""
        formats = entry.formats if entry.formats is not None else (self.values(top["format"][1]) if "format" in top else None)
        pattern_node = entry.output or (top["output"][1] if "output" in top else None)
        pattern = self.text(pattern_node) if pattern_node else _default_pattern([key.value for key, _ in entry.params])
        briefs = {node: self.brief(node, project.templates_dir) for node in entry.briefs}  # checked even if no job uses them
        for brief_node, *values in itertools.product(entry.briefs, *(nodes for _, nodes in entry.params)):
            brief = briefs[brief_node]
            if brief is None:
                continue
            chosen = {key: node for (key, _), node in zip(entry.params, values)}
            params = self.parameters(brief, chosen, project)
            checked_formats = self.formats(formats, brief)
            if params is None or checked_formats is None or pattern is None:
                continue
            texts = {str(key.value): self.value_text(node) for key, node in chosen.items()}
            outputs = self.outputs(pattern, pattern_node or entry.node, brief, {**{k: field_text(v) for k, v in params.items()}, **texts}, checked_formats, project.out_dir)
            if outputs is not None:
                described = f"{brief.name} ({', '.join(f'{k}={v}' for k, v in texts.items())})" if texts else brief.name
                label = next(iter(outputs.values())).relative_to(project.out_dir).with_suffix("").as_posix()
                job = Job(label, brief.name, params, outputs, described, inputs_hash="")
                yield _Draft(job, entry.node, theme or brief.front_matter.theme)

    def brief(self, node: Node, templates_dir: Path | None) -> Brief | None:
        name = self.text(node)
        if name is None:
            return None
        if name not in self.briefs:
            try:
                self.briefs[name] = load_brief(name, templates_dir)
            except UsageError as error:  # an unknown brief: the plan's mistake, at its line
                self.problem(error.problems[0].message, node, error.problems[0].hint)
                self.briefs[name] = None
            except TemplateError as error:  # the template's own problems, at their lines
                self.problems.extend(error.problems)
                self.briefs[name] = None
        return self.briefs[name]

    def parameters(self, brief: Brief, chosen: Mapping[ScalarNode, Node], project: Project) -> dict[str, object] | None:
        """The job's typed parameters (the project config's values, then the plan's), or None after a problem."""
        declared = brief.front_matter.parameters
        texts: dict[str, str] = {}
        for key, node in chosen.items():
            name, text = str(key.value), self.value_text(node)
            if name not in declared:
                self.problem(f"brief '{brief.name}' has no parameter '{name}'", key, closest_or_list(name, [*declared, *_JOB_KEYS]))
                continue
            try:
                resolve_parameters(brief.front_matter, {name: text})
            except UsageError as error:
                message = error.problems[0].message.removeprefix(f"--set {name}={text}: ")
                self.problem(f"{brief.name}: {message}", node, error.problems[0].hint)
                continue
            texts[name] = text
        try:
            check_project_params(brief, project)  # reported once: a matrix repeats the same problem per job
        except TemplateError as error:
            self.problems.extend(error.problems)
            return None
        if len(texts) < len(chosen):
            return None
        return brief_parameters(brief, project.params, texts, [brief])

    def formats(self, nodes: tuple[Node, ...] | None, brief: Brief) -> tuple[str, ...] | None:
        if nodes is None:
            return brief.front_matter.formats
        chosen = [(node, self.text(node)) for node in nodes]
        known = writers.formats()
        for node, fmt in chosen:
            if fmt is not None and fmt not in known:
                self.problem(f"unknown format '{fmt}'", node, f"choose from {', '.join(known)}")
        valid = tuple(dict.fromkeys(fmt for _, fmt in chosen if fmt in known))
        return valid if len(valid) == len(set(fmt for _, fmt in chosen)) and valid else None

    def outputs(
        self, pattern: str, node: Node | None, brief: Brief, fields: Mapping[str, str], formats: tuple[str, ...], out_dir: Path
    ) -> dict[str, Path] | None:
        """Each format's file: the pattern filled in (``output_names.py``), or a problem at the pattern's line."""
        try:
            return output_paths(pattern, brief.name, fields, formats, out_dir)
        except TemplateError as error:
            for problem in error.problems:
                self.problem(problem.message, node, problem.hint)
            return None

    def check_distinct(self, drafts: Sequence[_Draft], bound: Path | None) -> None:
        """No two jobs (nor the bound set) write the same file."""
        owners: dict[Path, _Draft] = {}
        for draft in drafts:
            clashes: dict[int, tuple[_Draft, list[str]]] = {}  # by earlier draft: the file names it shares with this one
            for path in draft.job.outputs.values():
                other = owners.setdefault(path, draft)
                if other is not draft:
                    clashes.setdefault(id(other), (other, []))[1].append(path.name)
            for other, names in clashes.values():
                where = f" at line {line_of(other.node)}" if self.file else ""
                self.problem(
                    f"{draft.job.described} writes {', '.join(map(repr, names))}, as does {other.job.described}{where}",
                    draft.node,
                    "put every parameter that varies into 'output', e.g. {brief}-{topic}.{format}",
                )
        if bound is not None and bound in owners:
            self.problem(f"the bound set '{bound.name}' is also a job's output", None, "name it with bind: NAME.pdf")

    def themes(self, drafts: Sequence[_Draft], item: tuple[ScalarNode, Node] | None, project: Project) -> dict[str, str]:
        """Each theme the jobs use, checked once, and a digest of everything it sets."""
        digests: dict[str, str] = {}
        for name in dict.fromkeys(draft.theme for draft in drafts):
            try:
                theme = resolve_theme(name, project.templates_dir)
            except BriefgenError as error:  # a theme named in the plan is reported at its line
                for problem in error.problems:
                    if problem.file is None:
                        self.problem(problem.message, item[1] if item else None, problem.hint)
                    else:
                        self.problems.append(problem)
                continue
            digests[name] = _digest(repr(theme), *(_file_digest(path) for path in (theme.logo, theme.reference_docx) if path))
        return digests

    def checked(
        self, project: Project, registry: Registry, drafts: Sequence[_Draft], themes: Mapping[str, str], theme: str | None, bound: Path | None
    ) -> Plan:
        """The plan with each job's input digest, now that the registry is loaded."""
        briefs = {name: brief for name, brief in self.briefs.items() if brief is not None}
        templates = {name: _digest(*(_file_digest(file) for file in template_files(brief))) for name, brief in briefs.items()}
        shared = (__version__, registry.content_hash, registry.as_of.isoformat(), project.author)
        jobs = tuple(
            dataclasses.replace(
                draft.job,
                inputs_hash=_digest(*shared, templates[draft.job.brief], themes[draft.theme], dict(draft.job.params), tuple(draft.job.outputs)),
            )
            for draft in drafts
        )
        inputs = _digest(*shared, templates, themes)  # a worker keeps the themes it read while this is unchanged
        context = WorkerContext(project.facts_dir, project.templates_dir, registry.as_of.isoformat(), tuple(briefs), theme, inputs, project.author)
        return Plan(self.file, project.out_dir, context, jobs, bound, registry.warnings, (registry, briefs))


def _default_pattern(names: Sequence[str]) -> str:
    """``{brief}-{topic}.{format}``: the brief, then each parameter the plan sets, in its order."""
    return "".join(["{brief}", *(f"-{{{name}}}" for name in names), ".{format}"])


def _digest(*parts: object) -> str:
    text = json.dumps(parts, default=repr, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def _file_digest(path: Path) -> str:
    return _digest(path.as_posix(), hashlib.sha256(path.read_bytes()).hexdigest())


def _indented(text: str) -> str:
    return text.replace("\n", "\n    ")


# --- incremental builds ---------------------------------------------------------------------


class _Manifest:
    """The output folder's record of each file written: the digest of its job's inputs and of its bytes.

    A file counts as up to date only if its bytes are still those recorded,
    so a file replaced after the last record (by a run killed before it could
    record, or by hand) is rebuilt rather than trusted. Each record is
    appended to a journal as its job finishes (one line, so a run killed
    mid-line loses only that record); ``write`` folds the journal into the
    manifest, replaced atomically, at the end of a run. A journal found at
    the start (the last run was killed) is read as part of the manifest.
    """

    def __init__(self, out_dir: Path, outputs: dict[str, tuple[str, str]]) -> None:
        self.out_dir, self.outputs = out_dir, outputs
        self.journal: BinaryIO | None = None

    @classmethod
    def read(cls, out_dir: Path) -> _Manifest:
        try:
            data = json.loads((out_dir / MANIFEST_NAME).read_text(encoding="utf-8"))
            outputs = {str(k): (str(v["inputs"]), str(v["sha256"])) for k, v in data["outputs"].items()}
        except (OSError, ValueError, KeyError, TypeError, AttributeError):  # none yet, unreadable or older: start afresh
            outputs = {}
        manifest = cls(out_dir, outputs)
        manifest.replay()
        return manifest

    def replay(self) -> None:
        """Apply the records of a run that was killed before it could fold its journal in."""
        try:
            lines = (self.out_dir / _JOURNAL_NAME).read_bytes().splitlines()
        except OSError:
            return
        for line in lines:
            try:
                key, inputs, content = json.loads(line)
            except (ValueError, TypeError):  # the line being written when the run was killed
                continue
            if inputs is None:
                self.outputs.pop(str(key), None)
            else:
                self.outputs[str(key)] = (str(inputs), str(content))

    def key(self, path: Path) -> str:
        return path.relative_to(self.out_dir).as_posix()

    def up_to_date(self, job: Job) -> bool:
        return all(self.is_current(path, job.inputs_hash) for path in job.outputs.values())

    def is_current(self, path: Path, digest: str) -> bool:
        """True if ``path`` holds the bytes recorded for it and they were built from inputs with ``digest``."""
        recorded = self.outputs.get(self.key(path))
        if recorded is None or recorded[0] != digest:
            return False
        try:
            return hashlib.sha256(path.read_bytes()).hexdigest() == recorded[1]
        except OSError:
            return False

    def record(self, job: Job, files: Mapping[Path, bytes]) -> None:
        for path, data in files.items():
            self.record_file(path, job.inputs_hash, data)

    def record_file(self, path: Path, digest: str, data: bytes) -> None:
        entry = self.outputs[self.key(path)] = (digest, hashlib.sha256(data).hexdigest())
        self.append(self.key(path), *entry)

    def forget(self, path: Path) -> None:
        if self.outputs.pop(self.key(path), None) is not None:
            self.append(self.key(path), None, None)

    def append(self, key: str, inputs: str | None, content: str | None) -> None:
        if self.journal is None:
            self.out_dir.mkdir(parents=True, exist_ok=True)
            self.journal = open(self.out_dir / _JOURNAL_NAME, "ab")  # noqa: SIM115 (closed by write())
        self.journal.write(json.dumps([key, inputs, content], ensure_ascii=False).encode() + b"\n")
        self.journal.flush()

    def write(self) -> None:
        """Replace the manifest atomically with every record, and drop the journal it now holds."""
        if self.journal is None and not (self.out_dir / _JOURNAL_NAME).exists():
            return
        outputs = {key: {"inputs": inputs, "sha256": content} for key, (inputs, content) in sorted(self.outputs.items())}
        data = {"briefgen": __version__, "outputs": outputs}
        write_atomic(self.out_dir / MANIFEST_NAME, (json.dumps(data, indent=1, ensure_ascii=False) + "\n").encode())
        if self.journal is not None:
            self.journal.close()
            self.journal = None
        (self.out_dir / _JOURNAL_NAME).unlink(missing_ok=True)


# --- running --------------------------------------------------------------------------------


@contextmanager
def _progress_bar(total: int, *, enabled: bool) -> Iterator[Callable[[Outcome], None]]:
    """A callback that advances a progress bar on stderr (nothing when disabled).

    The bar is redrawn when a job finishes rather than by rich's refresh
    thread, so that no thread runs while worker processes are forked.
    """
    if not enabled or not total:
        yield lambda outcome: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=Console(stderr=True), auto_refresh=False) as bar:
        task = bar.add_task("building", total=total)

        def advance(outcome: Outcome) -> None:
            bar.update(task, advance=1, description=f"{'built' if outcome.ok else 'FAILED'} {outcome.job.label}")
            bar.refresh()

        bar.refresh()
        yield advance


def _output_folders(plan: Plan) -> set[Path]:
    """Every folder the batch writes to."""
    paths = [path for job in plan.jobs for path in job.outputs.values()] + ([plan.bound] if plan.bound else [])
    return {plan.out_dir, *(path.parent for path in paths)}


def _remove_stale_bound_set(plan: Plan, todo: Sequence[Job], manifest: _Manifest) -> Path | None:
    """Remove the bound PDF before its handouts are rebuilt, so that no run leaves it binding outdated ones.

    Returns the file removed, if there was one; it is bound again once every job has succeeded.
    """
    if plan.bound is None or not any("pdf" in job.outputs for job in todo):
        return None
    manifest.forget(plan.bound)
    if not plan.bound.is_file():
        return None
    plan.bound.unlink()
    return plan.bound


def _bound_set(plan: Plan, manifest: _Manifest, force: bool) -> Path | None:
    """Bind every job's PDF into one, with a bookmark per job, unless it is up to date."""
    if plan.bound is None:
        return None
    members = [job for job in plan.jobs if "pdf" in job.outputs]
    digest = _digest(*(job.inputs_hash for job in members))
    if force or not manifest.is_current(plan.bound, digest):
        data = _bind(members)
        write_atomic(plan.bound, data)
        manifest.record_file(plan.bound, digest, data)
        manifest.write()
    return plan.bound


def _bind(members: Sequence[Job]) -> bytes:
    """The jobs' PDFs in plan order, each under a bookmark with its title (else its output name), tagged as they are."""
    from briefgen.batch.binding import bind  # imports pypdf: only a plan with a bound file pays for it

    return bind([(job.outputs["pdf"], job.label) for job in members])
