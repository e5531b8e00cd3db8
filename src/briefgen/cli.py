"""The command line: parse arguments, call the API, map errors to exit codes.

This is the only place that turns a ``BriefgenError`` into text on stderr and
an exit code (1 for the project's files, 2 for command-line usage). Any other
exception is a bug and keeps its traceback. Heavy libraries are imported by
the commands that need them, not here.
"""

from __future__ import annotations

import datetime as dt
import gc
import shutil
import sys
import threading
import warnings
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from briefgen import __version__
from briefgen.errors import BriefgenError, BriefgenWarning, FactsError, UsageError, closest_or_list, did_you_mean

if TYPE_CHECKING:
    from briefgen.preview.session import Snapshot
    from briefgen.registry.loader import Registry
    from briefgen.project import Project
    from briefgen.registry.records import Source

F = TypeVar("F", bound=Callable[..., Any])


def _report_errors(command: F) -> F:
    """Run a command, printing warnings as they come and a ``BriefgenError`` as clear lines."""

    @wraps(command)
    def run(*args: Any, **kwargs: Any) -> Any:
        debug = click.get_current_context().find_root().params.get("debug", False)
        with warnings.catch_warnings():
            warnings.simplefilter("always", BriefgenWarning)
            warnings.showwarning = _show_warning
            try:
                return command(*args, **kwargs)
            except BriefgenError as error:
                if debug:
                    raise
                for problem in error.problems:
                    click.echo(f"error: {problem}" if not problem.file else str(problem), err=True)
                if isinstance(error, FactsError) or len(error.problems) > 1:
                    click.echo(_count(len(error.problems), "error"), err=True)
                sys.exit(error.exit_code)
            except KeyboardInterrupt:
                if debug:
                    raise
                click.echo("interrupted: files are written whole or not at all; nothing partial was left", err=True)
                sys.exit(130)

    return run  # type: ignore[return-value]


def _show_warning(message: Warning | str, category: type[Warning], *_: Any, **__: Any) -> None:
    click.echo(f"warning: {message}", err=True)


def usage_error(message: str, hint: str | None = None) -> UsageError:
    """A command-line mistake (exit 2)."""
    return UsageError(message, hint=hint)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="briefgen")
@click.option("--debug", is_flag=True, help="Show tracebacks for errors.")
def main(debug: bool) -> None:
    """Turn a registry of sourced facts into briefing papers (DOCX and PDF)."""
    if debug:
        from briefgen import cache

        cache.report_notes(lambda note: click.echo(f"debug: {note}", err=True))


def process_main() -> None:
    """The ``briefgen`` command as a process of its own (the script and ``python -m briefgen``).

    ``main`` as it is, except that the process ends without CPython's last
    collection of cyclic garbage, which walks every object left (the modules,
    reportlab's layout) and took a warm one-page build 55 ms, about an eighth
    of its time: the objects are frozen out of the collector, and the system
    frees the memory. Every file is written and closed before this; atexit
    handlers still run after it. Only for a process that ends here: ``main``
    itself is what tests and callers in a longer-lived process use.
    """
    try:
        main()
    finally:
        gc.freeze()


# --- registry commands ------------------------------------------------------------------

_DEFAULT_FACTS = Path("facts")
_facts_option = click.option(
    "--facts",
    "facts_dir",
    type=click.Path(path_type=Path),
    default=None,
    help="The registry folder (default: ./facts).",
)
_as_of_option = click.option(
    "--as-of",
    "as_of",
    default=None,
    metavar="DATE",
    help="The day staleness is measured against (default: SOURCE_DATE_EPOCH's day, else today).",
)

_templates_option = click.option(
    "--templates", "templates_dir", type=click.Path(path_type=Path), default=None, help="The project's templates folder (default: ./templates)."
)
_theme_option = click.option("--theme", default=None, metavar="NAME|FILE", help="A built-in theme, a project theme or a theme file.")
_set_option = click.option("--set", "assignments", multiple=True, metavar="KEY=VALUE", help="Set a brief parameter (repeatable).")


@main.command()
@_facts_option
@_as_of_option
@_report_errors
def validate(facts_dir: Path | None, as_of: str | None) -> None:
    """Check the fact registry and print a summary; every problem is listed, warnings too."""
    registry = _load(facts_dir, as_of)
    for warning in registry.warnings:  # printed as build and batch print them
        warnings.warn(BriefgenWarning(warning.describe(severity=False)), stacklevel=1)
    kinds = Counter(fact.kind.value for fact in registry.facts)
    by_kind = ", ".join(f"{count} {kind}" for kind, count in sorted(kinds.items()))
    click.echo(f"{registry.root}: valid as of {registry.as_of}")
    click.echo(f"  {_count(len(registry.sources), 'source')}, {_count(len(registry.entities), 'entity', 'entities')}, {_count(len(registry.topics), 'topic')}")
    click.echo(f"  {_count(len(registry.facts), 'fact')}" + (f": {by_kind}" if by_kind else ""))
    click.echo(f"  {_count(len(registry.warnings), 'warning')}")


@main.command(name="list")
@click.argument("what", type=click.Choice(["briefs", "facts", "sources"]))
@click.option("--topic", default=None, help="Only facts on this topic (sources: those they cite).")
@click.option("--kind", default=None, help="Only this kind of fact (or of source).")
@click.option("--format", "output_format", type=click.Choice(["table", "json"]), default="table", help="A table (long text wrapped) or JSON.")
@_facts_option
@_as_of_option
@_report_errors
def list_records(what: str, topic: str | None, kind: str | None, output_format: str, facts_dir: Path | None, as_of: str | None) -> None:
    """List the project's briefs, or the registry's facts or sources, as a table or as JSON."""
    if what == "briefs":
        rows = _brief_rows()
    else:
        registry = _load(facts_dir, as_of)
        try:
            rows = _fact_rows(registry, topic, kind) if what == "facts" else _source_rows(registry, topic, kind)
        except FactsError as error:  # an unknown --topic or --kind is a command-line mistake
            raise UsageError.from_problems(error.problems) from None
    if output_format == "json":
        import json

        keys = [str(heading).lower() for heading in rows[0]]
        click.echo(json.dumps([dict(zip(keys, row)) for row in rows[1:]], ensure_ascii=False, indent=2))
    else:
        _echo_table(rows)


def _load(facts_dir: Path | None, as_of: str | None) -> Registry:
    from briefgen.registry.loader import load_registry

    return load_registry(_project(facts=facts_dir).facts_dir, as_of=_as_of_day(as_of))


def _project(*, facts: Path | None = None, templates: Path | None = None, out: Path | None = None) -> Project:
    from briefgen.project import load_project

    return load_project(Path("."), facts=facts, templates=templates, out=out)


def _as_of_day(as_of: str | None) -> dt.date:
    from briefgen.registry.dates import resolve_as_of

    try:
        return resolve_as_of(as_of)
    except ValueError as error:
        raise usage_error(f"--as-of: {error}") from None


def _brief_rows() -> list[tuple[str, ...]]:
    from briefgen.build import brief_title
    from briefgen.registry.loader import load_registry
    from briefgen.templating.briefs import list_briefs, load_brief

    project = _project()
    try:
        registry = load_registry(project.facts_dir)
    except FactsError:
        registry = None  # titles that use the registry are then shown as written
    rows: list[tuple[str, ...]] = [("BRIEF", "FROM", "TITLE")]
    for info in list_briefs(project.templates_dir):
        brief = load_brief(info.name, project.templates_dir)
        where = f"{info.where} (overrides built-in)" if info.overrides else info.where
        rows.append((info.name, where, brief_title(brief, registry, project.params)))
    return rows


def _fact_rows(registry: Registry, topic: str | None, kind: str | None) -> list[tuple[object, ...]]:
    from briefgen.l10n.dates import date_label

    facts = registry.chronological(registry.select(topic=topic, kind=kind))
    rows: list[tuple[object, ...]] = [("ID", "KIND", "DATE", "PRIORITY", "TOPICS", "STATEMENT")]
    rows += [
        (fact.id, fact.kind.value, date_label(fact.when, "en") if fact.when else "", fact.priority, list(fact.topics), fact.statement)
        for fact in facts
    ]
    return rows


def _source_rows(registry: Registry, topic: str | None, kind: str | None) -> list[tuple[str, ...]]:
    from briefgen.l10n.dates import date_label

    sources: Iterable[Source] = registry.sources
    if topic is not None:
        sources = registry.sources_cited(fact.id for fact in registry.select(topic=topic))
    if kind is not None:
        from briefgen.registry.schema import SOURCE_KINDS

        if kind not in SOURCE_KINDS:
            raise FactsError(f"unknown source kind '{kind}'", hint=did_you_mean(kind, SOURCE_KINDS))
    rows: list[tuple[str, ...]] = [("ID", "DATE", "KIND", "TITLE")]
    rows += [(s.id, date_label(s.date, "en") if s.date else "", s.kind, s.title) for s in sources if kind in (None, s.kind)]
    return rows


def _echo_table(values: Sequence[tuple[object, ...]]) -> None:
    """Columns padded to their widest cell; the last one wrapped, whole, to fit the terminal."""
    import textwrap

    rows = [tuple(", ".join(map(str, value)) if isinstance(value, list) else str(value) for value in row) for row in values]
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]) - 1)]
    room = max(shutil.get_terminal_size((120, 24)).columns - sum(widths) - 2 * len(widths), 30)
    indent = " " * (sum(widths) + 2 * len(widths))
    for row in rows:
        cells = [cell.ljust(width) for cell, width in zip(row, widths)]
        first, *rest = textwrap.wrap(row[-1], room, break_on_hyphens=False) or [""]
        click.echo("  ".join([*cells, first]).rstrip())
        for line in rest:
            click.echo(indent + line)
    click.echo(_count(len(rows) - 1, "row"))


def _count(number: int, singular: str, plural: str | None = None) -> str:
    return f"{number} {singular if number == 1 else plural or singular + 's'}"


# --- building ------------------------------------------------------------------------------


@main.command()
@click.argument("briefs", nargs=-1)
@click.option("--format", "formats", default=None, metavar="pdf,docx", help="Formats to write (default: the brief's own).")
@_facts_option
@_templates_option
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=None, help="Where files go (default: ./output).")
@click.option("--theme", default=None, metavar="NAME|FILE", help="A theme laid over the project's: built-in, project or a file.")
@click.option("--no-project-theme", "no_project_theme", is_flag=True, help="--theme replaces the project's theme instead of being laid over it.")
@_as_of_option
@_set_option
@click.option("--strict-language", is_flag=True, help="Fail if a brief states a fact that has no translation into its language.")
@click.option("--output-name", "output_name", default=None, metavar="PATTERN", help="Name the files from parameters, e.g. 'handout-{topic}'.")
@click.option("--keep-markdown", is_flag=True, help="Also write the rendered Markdown beside the outputs (NAME.md).")
@_report_errors
def build(
    briefs: tuple[str, ...],
    formats: str | None,
    facts_dir: Path | None,
    templates_dir: Path | None,
    out_dir: Path | None,
    theme: str | None,
    no_project_theme: bool,
    as_of: str | None,
    assignments: tuple[str, ...],
    strict_language: bool,
    output_name: str | None,
    keep_markdown: bool,
) -> None:
    """Build BRIEFS (default: every brief of the project, going on past one that fails) and print the files written."""
    from briefgen.build import build as build_briefs
    from briefgen.build import parse_formats

    project = _project(facts=facts_dir, templates=templates_dir, out=out_dir)
    _check_theme_option(theme, project)
    if no_project_theme and theme is None:
        raise usage_error("--no-project-theme needs --theme NAME", hint="e.g. --theme draft --no-project-theme")
    results = build_briefs(
        briefs,
        project=project,
        formats=parse_formats(formats),
        theme=theme,
        as_of=_as_of_day(as_of),
        overrides=_assignments(assignments),
        strict_language=strict_language,
        project_theme=not no_project_theme,
        output_name=output_name,
        keep_markdown=keep_markdown,
    )
    for result in results:
        for path in result.paths:
            click.echo(str(path))
    failed = [result for result in results if result.error is not None]
    for result in failed:
        for problem in result.error.problems:  # type: ignore[union-attr]
            click.echo(f"{result.brief}: {problem}", err=True)
    if failed:
        built = len(results) - len(failed)
        click.echo(f"{_count(built, 'brief')} built, {len(failed)} failed: {', '.join(r.brief for r in failed)}", err=True)
        sys.exit(1)


def _check_theme_option(theme: str | None, project: Project) -> None:
    """``--theme`` must name a theme file that exists, a project theme or a built-in one (else exit 2)."""
    if theme is None:
        return
    from briefgen.themes import builtin_theme_names

    if theme.endswith((".yaml", ".yml")) or "/" in theme:
        try:
            found = Path(theme).is_file()
        except OSError:  # a name too long for the file system
            found = False
        if not found:
            raise usage_error(f"--theme {theme} does not exist", hint="give a theme file, or the name of a project or built-in theme")
        return
    project_themes = sorted(p.stem for p in (project.templates_dir / "themes").glob("*.yaml")) if project.templates_dir else []
    if theme not in project_themes and theme not in builtin_theme_names():

        raise usage_error(f"--theme: no theme named '{theme}'", hint=closest_or_list(theme, {*project_themes, *builtin_theme_names()}, "themes"))


def _assignments(assignments: tuple[str, ...]) -> dict[str, str]:
    """``--set key=value`` pairs as a mapping; a pair without ``=`` is a usage error."""
    pairs: dict[str, str] = {}
    for assignment in assignments:
        key, equals, value = assignment.partition("=")
        if not equals or not key.strip():
            raise usage_error(f"--set {assignment!r} is not KEY=VALUE", hint="e.g. --set topic=trade")
        pairs[key.strip()] = value.strip()
    return pairs


@main.command()
@click.argument("brief", required=False)
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="The port to serve on (0: any free one).")
@click.option("--host", default="127.0.0.1", show_default=True, help="The address to serve on; another than this machine's only when asked.")
@_facts_option
@_templates_option
@_theme_option
@_as_of_option
@_set_option
@_report_errors
def preview(
    brief: str | None,
    port: int,
    host: str,
    facts_dir: Path | None,
    templates_dir: Path | None,
    theme: str | None,
    as_of: str | None,
    assignments: tuple[str, ...],
) -> None:
    """Serve BRIEF (default: the overview) as a web page that rebuilds and reloads whenever facts, templates or the theme change."""
    from briefgen import cache
    from briefgen.preview import PreviewServer, PreviewSession
    from briefgen.templating.briefs import list_briefs, load_brief

    project = _project(facts=facts_dir, templates=templates_dir)
    _check_theme_option(theme, project)
    names = [info.name for info in list_briefs(project.templates_dir)]
    name = brief or ("overview" if "overview" in names else names[0])
    load_brief(name, project.templates_dir)  # an unknown brief is a mistake on the command line, not in the page
    session = PreviewSession(project, name, theme, _as_of_day(as_of), _assignments(assignments))
    cache.keep_in_memory()  # every edit would otherwise write cache entries: the preview keeps them itself
    server = PreviewServer(session, host, port, on_rebuild=_report_rebuild)
    server.start()
    click.echo(f"serving {name} on {server.url} (Ctrl-C stops)")
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        click.echo("stopped")
    finally:
        server.close()


def _report_rebuild(snapshot: Snapshot) -> None:
    """What a rebuild did, on stderr: its problems and warnings as ``build`` prints them, or that it built."""
    for said in snapshot.warnings:
        click.echo(f"warning: {said}", err=True)
    if snapshot.error is not None:
        for problem in snapshot.error.problems:
            click.echo(f"error: {problem}" if not problem.file else str(problem), err=True)
    else:
        click.echo(f"rebuilt in {snapshot.seconds * 1000:.0f} ms", err=True)


@main.command(name="batch")
@click.argument("plan", metavar="PLAN.yaml", type=click.Path(path_type=Path))
@click.option("--jobs", "-j", "workers", type=int, default=None, metavar="N", help="Worker processes (default: one per CPU; 1 builds in this process).")
@click.option("--force", is_flag=True, help="Rebuild every job, even those whose inputs are unchanged.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar (there is none when stderr is not a terminal).")
@click.option("--executor", type=click.Choice(["local", "dask"]), default="local", help="Where jobs run: local processes, or a Dask cluster.")
@click.option("--scheduler", default=None, metavar="ADDR", help="The Dask scheduler to connect to (with --executor dask), e.g. tcp://host:8786.")
@_report_errors
def batch_command(plan: Path, workers: int | None, force: bool, quiet: bool, executor: str, scheduler: str | None) -> None:
    """Build every job of a batch plan (e.g. one handout per topic), skipping those that are up to date."""
    from briefgen.batch.run import batch
    from briefgen.batch.cluster import DaskExecutor
    from briefgen.batch.executors import LocalExecutor

    if (executor == "dask") != (scheduler is not None):
        raise usage_error("--executor dask and --scheduler ADDR go together", hint="e.g. --executor dask --scheduler tcp://127.0.0.1:8786")
    if executor == "dask" and workers is not None:
        raise usage_error("--jobs sets local worker processes; a Dask cluster has its own workers")
    runner = DaskExecutor(scheduler) if scheduler else LocalExecutor(workers) if workers is not None else None
    try:
        result = batch(plan, force=force, executor=runner, progress=not quiet and sys.stderr.isatty())
    except KeyboardInterrupt:
        click.echo("interrupted: finished jobs are kept and recorded; run the plan again to build the rest", err=True)
        sys.exit(130)
    for failure in result.failures():
        click.echo(f"error: {failure}", err=True)
    click.echo(result.counts())
    if not result.ok:
        sys.exit(1)


@main.group(name="cache")
def cache_group() -> None:
    """The cache folder: what briefgen keeps between runs (see docs/caches.md)."""


@cache_group.command(name="info")
@_report_errors
def cache_info() -> None:
    """Where the cache is, what it holds by kind, and its size cap."""
    from briefgen import cache

    stats = cache.stats()
    click.echo(f"{stats.folder}: {_count(sum(count for count, _ in stats.entries.values()), 'entry', 'entries')}, "
               f"{_megabytes(stats.size)} of at most {_megabytes(stats.cap)} (BRIEFGEN_CACHE_MAX_MB)")
    for kind, (count, size) in stats.entries.items():
        click.echo(f"  {kind:<18} {_count(count, 'entry', 'entries'):>12}  {_megabytes(size):>9}")


@cache_group.command(name="clear")
@_report_errors
def cache_clear() -> None:
    """Remove every entry; the next build computes what it needs again."""
    from briefgen import cache

    count, size = cache.clear()
    click.echo(f"{cache.cache_dir()}: removed {_count(count, 'entry', 'entries')}, {_megabytes(size)}")


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


@main.command()
@click.argument("directory", type=click.Path(path_type=Path))
@_report_errors
def init(directory: Path) -> None:
    """Create a new project in DIRECTORY: sample facts, a template that extends a built-in, a README."""
    from briefgen.scaffold import create_project

    for path in create_project(directory):
        click.echo(str(path))
    click.echo(f"next: cd {directory} && briefgen build")


__all__ = ["main"]
