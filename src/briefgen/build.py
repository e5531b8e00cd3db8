"""Build one brief: registry + template + parameters -> finished DOCX, PDF and HTML files.

The pipeline of DESIGN.md in one place: render the template to Markdown,
read it into the document model, check and number citations, add the
Sources list, write each format, and only then write the files
(atomically). A brief's page limit binds its printed editions (PDF, DOCX):
they are laid out as PDF, measured, and rendered again without the
lowest-priority fact until they fit: never by shrinking fonts or margins.
The web page (HTML) is never fitted: it states every fact the brief selects.
This module chooses no content itself; it only drops what the template
offered, in priority order.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from briefgen.confine import Refused, inside
from briefgen.errors import BriefgenError, BriefgenWarning, Problem, RenderError, TemplateError, UsageError, did_you_mean
from briefgen.l10n.transform import localise, localised_marking
from briefgen.registry.loader import Registry, load_registry
from briefgen.templating.front_matter import FrontMatter, resolve_parameters
from briefgen.model import Document, Meta
from briefgen.output import remove_stale_temporaries, write_atomic_all
from briefgen.output_names import field_text, output_paths
from briefgen.project import CONFIG_NAME, Project
from briefgen.markdown.reader import read_document
from briefgen.templating.briefs import Brief, list_briefs, load_brief, render, render_text, render_traced
from briefgen.templating.origins import Traced
from briefgen.themes import RepeatedNotes, Theme, is_theme_file, load_theme
from briefgen.transforms.checks import check_markdown
from briefgen.transforms.citations import add_source_list, check_citations, cited_fact_ids, ibid_notes, number_notes
from briefgen import cache, writers
from briefgen.writers import Rendered

__all__ = ["BriefFiles", "BuildResult", "BuildSettings", "brief_parameters", "brief_title", "build", "build_brief", "check_project_params", "parse_formats", "render_document", "render_files", "resolve_theme"]


@dataclass(frozen=True, slots=True)
class BuildSettings:
    """What the command line (or a batch job) chose, over the brief's own front matter."""

    outputs: Mapping[str, Path]  # each format's file (and "md" with keep_markdown)
    formats: tuple[str, ...] | None = None  # None: the brief's formats
    theme: str | Theme | None = None  # a theme's name or a loaded theme file; None: the brief's theme
    overrides: Mapping[str, object] = field(default_factory=dict)  # resolved parameters
    strict_language: bool = False  # a fact stated without a translation into the brief's language is an error
    author: str | None = None  # the documents' author (briefgen.yaml's ``author:``)
    overlay: str | Path | None = None  # a theme laid over ``theme`` (or the brief's): it changes only what it sets
    keep_markdown: bool = False  # also write the rendered Markdown (outputs["md"]; kept too when reading it fails)


@dataclass(frozen=True, slots=True)
class BuildResult:
    brief: str
    paths: tuple[Path, ...]
    pages: int | None  # the PDF's page count, when a PDF was laid out
    dropped: tuple[str, ...]  # fact ids left out to fit the page limit
    error: BriefgenError | None = None  # why the brief was not built (``build`` with no names goes on)


@dataclass(frozen=True, slots=True)
class BriefFiles:
    """A brief's finished files, not yet written: each format's bytes."""

    data: Mapping[str, bytes]  # format -> file content
    pages: int | None  # the PDF's page count, when a PDF was laid out
    dropped: tuple[str, ...]  # fact ids left out to fit the page limit


def build_brief(brief: Brief, registry: Registry, settings: BuildSettings) -> BuildResult:
    """Render ``brief`` over ``registry`` and write its files; nothing is written unless all formats succeed."""
    try:
        files = render_files(
            brief, registry, settings.formats, settings.theme, settings.overrides,
            overlay=settings.overlay, markdown=settings.keep_markdown, strict_language=settings.strict_language, author=settings.author,
        )
    except RenderError:  # the Markdown was rendered but cannot be read: the author wants to see it
        if settings.keep_markdown:
            write_atomic_all({settings.outputs["md"]: render(brief, registry, params=dict(settings.overrides)).encode()})
        raise
    paths = {fmt: settings.outputs[fmt] for fmt in files.data}
    write_atomic_all({paths[fmt]: data for fmt, data in files.data.items()})
    return BuildResult(brief.name, tuple(paths.values()), files.pages, files.dropped)


def render_files(
    brief: Brief,
    registry: Registry,
    formats: Sequence[str] | None,
    theme: str | Theme | None,
    params: Mapping[str, object],
    *,
    overlay: str | Path | None = None,
    markdown: bool = False,
    strict_language: bool = False,
    author: str | None = None,
) -> BriefFiles:
    """Every format of ``brief`` (None: the brief's own) with ``params`` (resolved), in memory; nothing is written.

    ``overlay`` is a theme laid over ``theme`` (``load_theme``); ``markdown`` adds the rendered Markdown as format "md";
    ``author`` is the documents' author (their properties and the line under the title).
    A fact stated in English for want of a translation is a warning, or with ``strict_language`` an error.
    """
    front = brief.front_matter
    chosen = resolve_theme(theme or front.theme, brief.templates_dir)
    if isinstance(overlay, Path):  # a theme file named on the command line
        chosen = load_theme(overlay, over=chosen)
    elif overlay is not None:
        chosen = resolve_theme(overlay, brief.templates_dir, over=chosen)
    chosen = _localised_theme(chosen, front.language)
    untranslated: set[str] = set()
    chosen_formats = formats or front.formats
    printed = tuple(fmt for fmt in chosen_formats if writers.writer(fmt).paged)
    laid_out_as = writers.paginating_writer().format if printed else None
    fit = _fitted(brief, registry, chosen, dict(params), untranslated, author, printed=bool(printed),
                  recall_fit=laid_out_as not in chosen_formats)
    web = tuple(fmt for fmt in chosen_formats if fmt not in printed)
    _warn_dropped(brief, fit.dropped, registry, printed, web)
    _report_untranslated(brief, untranslated | (fit.full_untranslated if web else set()), strict=strict_language)
    data = {
        fmt: (fit.laid_out if fit.laid_out and fmt == laid_out_as
              else writers.writer(fmt).write(fit.doc if fmt in printed else fit.full, chosen)).data
        for fmt in chosen_formats
    }
    if markdown:  # what the printed editions state (all of it when only web pages are built)
        data["md"] = render(brief, registry, params=dict(params), exclude=fit.excluded).encode()
    return BriefFiles(data, fit.laid_out.pages if fit.laid_out else None, fit.dropped)


def render_document(
    brief: Brief,
    registry: Registry,
    params: Mapping[str, object],
    exclude: frozenset[str] = frozenset(),
    meta: Meta | None = None,
    untranslated: set[str] | None = None,
) -> Document:
    """The brief as a finished document model: read, citations checked and numbered, sources listed.

    ``meta`` (title block) may be given when it was rendered already: it does not depend on ``exclude``.
    ``untranslated`` receives the ids of facts stated in English for want of a translation.
    """
    meta = meta or _meta(brief, registry, params)
    return _finished(_checked(brief, registry, params, exclude, meta, untranslated), registry)


def _checked(
    brief: Brief, registry: Registry, params: Mapping[str, object], exclude: frozenset[str], meta: Meta, untranslated: set[str] | None
) -> Document:
    """The brief read into the model with its citations checked: all it takes to know which facts it cites.

    ``untranslated`` is emptied and then filled for this rendering only. A problem found in the
    Markdown names the template line that wrote it.
    """
    if untranslated is not None:
        untranslated.clear()
    markdown = render_traced(brief, registry, params=params, exclude=exclude, untranslated=untranslated)
    try:
        check_markdown(markdown.text, _RENDERED)
        doc = read_document(markdown.text, meta, source_name=_RENDERED)
        check_citations(doc, registry.facts_by_id, source_name=_RENDERED)
    except RenderError as error:
        raise RenderError.from_problems(_in_template(problem, markdown) for problem in error.problems) from error
    return doc


_RENDERED = "<rendered Markdown>"


def _in_template(problem: Problem, markdown: Traced) -> Problem:
    """``problem`` at a line of the rendered Markdown, placed at the template line that produced it."""
    origin = markdown.origin(problem.line) if problem.file == _RENDERED else None
    if origin is None:
        return problem
    message = f"{problem.message}, in line {problem.line} of the rendered Markdown (--keep-markdown writes it)"
    return Problem(message, origin.file, origin.line, problem.hint, problem.severity)


def _finished(doc: Document, registry: Registry) -> Document:
    """``doc`` with its notes numbered, its Sources list and its labels (none changes which facts it cites)."""
    doc = number_notes(doc, registry.facts_by_id, registry.sources_by_id)
    return localise(add_source_list(doc, registry.facts_by_id, registry.sources_by_id))


def _localised_theme(theme: Theme, language: str) -> Theme:
    """``theme`` with its marking and watermark in ``language`` where they are briefgen's own ("DRAFT")."""
    return dataclasses.replace(
        theme, marking=localised_marking(theme.marking, language), watermark=localised_marking(theme.watermark, language)
    )


def resolve_theme(name: str | Theme, templates_dir: Path | None, *, over: Theme | None = None) -> Theme:
    """A theme by name: a project theme (``templates/themes/NAME.yaml``, inside the templates folder) or a
    built-in one. A front matter, config or plan names a theme; only the command line gives a file
    (``--theme FILE``, loaded by ``build`` and passed here as a ``Theme``). ``over``: see ``load_theme``."""
    if isinstance(name, Theme):
        return name
    if is_theme_file(name):
        raise TemplateError(
            f"theme '{name}' is a file: a brief, plan or briefgen.yaml names a theme",
            hint="put the file in templates/themes/ and give its name, or give the file with --theme",
        )
    project_theme = templates_dir / "themes" / f"{name}.yaml" if templates_dir else None
    if project_theme is not None and project_theme.is_file():
        assert templates_dir is not None
        try:
            inside(project_theme, templates_dir, written=f"themes/{name}.yaml", root_name="the templates folder")
        except Refused as refused:
            raise TemplateError(str(refused), file=project_theme, hint="keep the project's themes inside templates/themes/") from None
        return load_theme(project_theme, over=over)
    return load_theme(name, over=over)


class _Fit(NamedTuple):
    """A brief fitted to its page limit (the printed editions') beside the whole brief (the web page's)."""

    doc: Document  # what the printed editions state
    full: Document  # the whole brief, never trimmed
    full_untranslated: frozenset[str]  # the facts the whole brief states in English for want of a translation
    laid_out: Rendered | None  # the PDF, when one was laid out to measure
    dropped: tuple[str, ...]  # the facts the printed editions leave out to fit
    excluded: frozenset[str]  # every fact left out of ``doc``'s render: those dropped, and those that would have taken their place


def _fitted(
    brief: Brief, registry: Registry, theme: Theme, params: Mapping[str, object], untranslated: set[str], author: str | None = None,
    *, printed: bool, recall_fit: bool = False,
) -> _Fit:
    """The brief, fitted to its page limit when ``printed`` editions (PDF, DOCX) are built; a web page is never fitted.

    ``untranslated`` receives what the fitted document states in English for want of a translation.
    With ``recall_fit`` (no PDF is asked for: a DOCX build), what a layout of this very
    document with this theme dropped before is recalled from the cache instead of laying it out again,
    and a layout only counts pages (no PDF is made; the PDF returned has no bytes).
    """
    limit = brief.front_matter.page_limit
    meta = dataclasses.replace(_meta(brief, registry, params), author=author)
    doc = _noted(render_document(brief, registry, params, meta=meta, untranslated=untranslated), theme)
    full, full_untranslated = doc, frozenset(untranslated)
    if limit is None or not printed:
        return _Fit(doc, full, full_untranslated, None, (), frozenset())
    offered = cited_fact_ids(doc)  # what the full brief states; trimming never adds to it
    # Facts the full brief did not state stay out of every query while trimming, so a capped list
    # never pulls in a new fact (found one render at a time, that took a render per fact of a topic).
    never_offered = frozenset(registry.facts_by_id) - offered
    paginator = writers.paginating_writer()
    lay_out, count_pages = paginator.lay_out, paginator.count_pages
    assert lay_out is not None and count_pages is not None
    fit_key = _fit_key(doc, theme, limit, paginator.layout_version) if recall_fit and paginator.layout_version else None
    known = cache.recall("fit", fit_key) if fit_key is not None else None
    if known is not None:
        dropped, pages = frozenset(known[0]), known[1]
        excluded = dropped | never_offered if dropped else dropped
        if dropped:
            doc = _noted(_without_substitutes(brief, registry, params, excluded, offered, meta, untranslated)[0], theme)
        # measured before; no PDF was asked for
        return _Fit(doc, full, full_untranslated, Rendered(b"", pages), tuple(sorted(dropped)), excluded)

    def attempt(dropped: frozenset[str]) -> tuple[Document, frozenset[str], Rendered]:
        doc, exclude = (first, dropped) if not dropped else _without_substitutes(
            brief, registry, params, dropped | never_offered, offered, meta, untranslated)
        doc = _noted(doc, theme) if dropped else doc  # the first render was noted already
        # a pass over the limit stops at page limit + 1
        laid_out = Rendered(b"", count_pages(doc, theme, limit)) if recall_fit else lay_out(doc, theme, limit)
        assert laid_out.pages is not None
        return doc, exclude, laid_out

    # Drop in the order _drop_order gives, one fact, then two, four...: a long list that overflows
    # a page by hundreds of items takes a few dozen layouts, not hundreds. Once a step fits, its
    # victims are searched by halves for the fewest that fit, so no more is dropped than one at a time would.
    first = doc
    kept, step = attempt(frozenset()), 1
    while kept[2].pages > limit:  # type: ignore[operator]
        before = kept[1]
        victims = _drop_order(kept[0], cited_fact_ids(kept[0]) & offered - before, registry, step)
        if not victims:
            raise RenderError(
                f"'{brief.name}' needs {kept[2].pages} pages but its limit is {limit}, "
                "and only priority-1 facts are left to drop",
                file=brief.file,
                hint="raise page_limit, mark more facts priority 2 or 3, or shorten the template",
            )
        kept, step = attempt(before | set(victims)), step * 2
        if kept[2].pages <= limit:  # type: ignore[operator]
            low, high = 1, len(victims)  # the first `high` victims fit; fewer than `low` do not
            while low < high:
                middle = (low + high) // 2
                trial = attempt(before | set(victims[:middle]))
                if trial[2].pages <= limit:  # type: ignore[operator]
                    kept, high = trial, middle
                else:
                    low = middle + 1
    doc, exclude, laid_out = kept
    dropped = tuple(sorted(exclude & offered))
    if fit_key is not None:
        cache.keep("fit", fit_key, (dropped, laid_out.pages))
    return _Fit(doc, full, full_untranslated, laid_out, dropped, exclude)


def _fit_key(doc: Document, theme: Theme, limit: int, layout_version: Callable[[], str]) -> tuple[str, ...]:
    """What a layout's page count depends on: the whole document, the theme (with its logo), the page limit,
    and the code that lays it out (the paginating writer's layout version)."""
    logo = hashlib.sha256(theme.logo.read_bytes()).hexdigest() if theme.logo is not None and theme.logo.is_file() else ""
    return (layout_version(), repr(doc), repr(theme), logo, str(limit))


def _noted(doc: Document, theme: Theme) -> Document:
    """``doc`` with its notes written as the theme asks: a repeated note in full, or "Ibid."."""
    return ibid_notes(doc) if theme.repeated_notes is RepeatedNotes.IBID else doc


def _without_substitutes(
    brief: Brief,
    registry: Registry,
    params: Mapping[str, object],
    exclude: frozenset[str],
    offered: set[str],
    meta: Meta,
    untranslated: set[str],
) -> tuple[Document, frozenset[str]]:
    """Render without ``exclude``; a capped list would pull in its next fact instead, so leave those out too."""
    while True:
        doc = _checked(brief, registry, params, exclude, meta, untranslated)
        substitutes = cited_fact_ids(doc) - offered - exclude
        if not substitutes:
            return _finished(doc, registry), exclude
        exclude |= substitutes


def _drop_order(doc: Document, candidates: set[str], registry: Registry, count: int) -> list[str]:
    """The next ``count`` facts to drop, in order: each the least important left (priority 3 before 2;
    1 never); among equals, the last item of the longest list, so that lists shorten evenly and no
    section vanishes first. Fewer when fewer can be dropped."""
    position = {note.fact_id: note.number for note in doc.notes}
    sizes = [len(cited_fact_ids(block)) for block in doc.blocks]
    list_of = {fact_id: index for index, block in enumerate(doc.blocks) for fact_id in cited_fact_ids(block)}
    droppable = {fact_id for fact_id in candidates if registry.fact(fact_id).priority > 1}
    order: list[str] = []
    while droppable and len(order) < count:
        victim = max(droppable, key=lambda f: (registry.fact(f).priority, sizes[list_of[f]] if f in list_of else 0, position.get(f, 0)))
        droppable.remove(victim)
        if victim in list_of:
            sizes[list_of[victim]] -= 1
        order.append(victim)
    return order


def _report_untranslated(brief: Brief, untranslated: set[str], *, strict: bool) -> None:
    """Facts the brief states in English for want of a translation: a warning naming them, or with
    ``--strict-language`` an error (before any file is written)."""
    if not untranslated:
        return
    language = brief.front_matter.language
    listed = ", ".join(sorted(untranslated))
    message = f"{brief.name}: {len(untranslated)} fact(s) have no '{language}' statement and are stated in English: {listed}"
    if strict:
        raise RenderError(message, file=brief.file, hint=f"add translations: {{{language}: {{statement: ..., translated_by: ...}}}} to each (docs/registry.md)")
    warnings.warn(BriefgenWarning(message), stacklevel=3)


def _warn_dropped(brief: Brief, dropped: Sequence[str], registry: Registry, printed: Sequence[str], web: Sequence[str]) -> None:
    """The facts the printed editions leave out to fit the page limit, naming those editions, and the web pages that state them."""
    if dropped:
        limit = brief.front_matter.page_limit
        listed = ", ".join(f"{fact_id} (priority {registry.fact(fact_id).priority})" for fact_id in dropped)
        pages = "page" if limit == 1 else "pages"
        kept = f"; the {_editions(web)} states them all (a web page is not fitted to pages)" if web else ""
        message = f"{brief.name}: left out {len(dropped)} lower-priority fact(s) of the {_editions(printed)} to fit {limit} {pages}: {listed}{kept}"
        warnings.warn(BriefgenWarning(message), stacklevel=3)


def _editions(formats: Sequence[str]) -> str:
    """``("pdf", "docx")`` as "PDF and DOCX"."""
    names = [fmt.upper() for fmt in formats]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _meta(brief: Brief, registry: Registry, params: Mapping[str, object]) -> Meta:
    front = brief.front_matter
    title = render_text(brief, registry, "title", params=params)
    subtitle = render_text(brief, registry, "subtitle", params=params) if front.subtitle else None
    topic = params.get("topic")
    return Meta(
        title=title,
        subtitle=subtitle,
        date=registry.as_of,
        marking=front.marking,
        language=front.language,
        subject=subtitle or title,
        keywords=(str(topic),) if topic else (),
    )


def brief_title(brief: Brief, registry: Registry | None, project_params: Mapping[str, str]) -> str:
    """The brief's title and subtitle with its default parameters, as ``briefgen list briefs`` shows it."""
    shown: Meta | FrontMatter = brief.front_matter
    if registry is not None:
        shown = _meta(brief, registry, brief_parameters(brief, project_params, {}, [brief]))
    return " · ".join(part for part in (shown.title, shown.subtitle) if part)


def parse_formats(text: str | None) -> tuple[str, ...] | None:
    """``--format pdf,docx`` as a tuple, checked; ``None`` keeps the brief's own formats."""
    if text is None:
        return None
    chosen = tuple(dict.fromkeys(part.strip().lower() for part in text.split(",") if part.strip()))
    known = writers.formats()
    unknown = [fmt for fmt in chosen if fmt not in known]
    if unknown or not chosen:
        raise UsageError(f"unknown format '{', '.join(unknown) or text}'", hint=f"choose from {', '.join(known)}")
    return chosen


def build(
    briefs: Sequence[str] = (),
    *,
    project: Project,
    formats: tuple[str, ...] | None = None,
    theme: str | Path | None = None,
    as_of: str | dt.date | None = None,
    overrides: Mapping[str, str] | None = None,
    strict_language: bool = False,
    project_theme: bool = True,
    output_name: str | None = None,
    keep_markdown: bool = False,
) -> list[BuildResult]:
    """Build ``briefs`` and return what was written; none named: every brief of the project, as many as can be.

    ``theme`` is laid over the project's theme (briefgen.yaml's, else each
    brief's own), or replaces it with ``project_theme=False``. ``output_name``
    is a pattern such as ``handout-{topic}`` (``output_names.py``).

    Named briefs are all checked before any is written (the registry, their
    templates and front matter, every ``--set`` value), and the first problem
    is raised. With no names, a brief that fails does not stop the others:
    its ``BuildResult`` carries the error and no paths. Registry warnings
    (stale facts) are issued as ``BriefgenWarning``.
    """
    chosen_theme = _command_line_theme(theme)
    registry = load_registry(project.facts_dir, as_of=as_of)
    remove_stale_temporaries(project.out_dir)  # left by a build that was killed while writing
    for problem in registry.warnings:
        warnings.warn(BriefgenWarning(problem.describe(severity=False)), stacklevel=2)
    base_theme = _project_theme(project) if project_theme or theme is None else None  # replaced: not read
    every = not briefs
    names = list(dict.fromkeys(briefs)) or [info.name for info in list_briefs(project.templates_dir)]
    loaded: dict[str, Brief | BriefgenError] = {}
    for name in names:
        try:
            loaded[name] = load_brief(name, project.templates_dir)
        except BriefgenError as error:
            if not every:
                raise
            loaded[name] = error
    usable = [brief for brief in loaded.values() if isinstance(brief, Brief)]
    planned: dict[str, tuple[Brief, BuildSettings] | BriefgenError] = {}
    for name, brief in loaded.items():
        try:
            if isinstance(brief, BriefgenError):
                raise brief
            params = brief_parameters(brief, project.params, overrides or {}, usable)
            check_project_params(brief, project)
            written = (*(formats or brief.front_matter.formats), *(("md",) if keep_markdown else ()))
            settings = BuildSettings(
                _outputs(output_name, brief, params, overrides or {}, written, project.out_dir),
                formats,
                theme=base_theme if project_theme else chosen_theme,
                overrides=params,
                keep_markdown=keep_markdown,
                overlay=_overlay(theme) if project_theme else None,
                strict_language=strict_language,
                author=project.author,
            )
            planned[name] = (brief, settings)
        except UsageError:
            raise  # a command-line mistake (an unknown --set name) is one for every brief
        except BriefgenError as error:
            if not every:
                raise
            planned[name] = error
    _check_distinct(output_name, planned)
    results = []
    for name, plan in planned.items():
        try:
            if isinstance(plan, BriefgenError):
                raise plan
            results.append(build_brief(plan[0], registry, plan[1]))
        except BriefgenError as error:
            if not every:
                raise
            results.append(BuildResult(name, (), None, (), error))
    return results


def _project_theme(project: Project) -> str | None:
    """briefgen.yaml's theme, checked: an unknown one names the file and line that set it."""
    if project.theme is None:
        return None
    try:
        resolve_theme(project.theme, project.templates_dir)
    except TemplateError as error:
        file, line = project.where("theme")
        raise TemplateError.from_problems(
            p if p.file else Problem(f"{p.message}, set by 'theme:' in {CONFIG_NAME}", file, line, p.hint) for p in error.problems
        ) from None
    return project.theme


def check_project_params(brief: Brief, project: Project) -> None:
    """Every parameter briefgen.yaml sets must be one the brief declares: a value no brief reads is a mistake
    (in a build and in a batch alike)."""
    declared = brief.front_matter.parameters
    for name in project.params:
        if name not in declared:
            file, line = project.where(f"params.{name}")
            hint = did_you_mean(name, declared) or f"declare it in {brief.file.name}'s front matter (parameters: {{{name}: {{type: str}}}}) or remove it here"
            raise TemplateError(f"params.{name}: brief '{brief.name}' ({brief.file}) declares no parameter '{name}'", file=file, line=line, hint=hint)


def _outputs(
    pattern: str | None, brief: Brief, params: Mapping[str, object], texts: Mapping[str, str], formats: Sequence[str], out_dir: Path
) -> dict[str, Path]:
    """Each format's file: ``pattern`` filled in as a batch plan's ``output`` is, else the brief's name."""
    if pattern is None:
        stem = brief.name.replace("/", "-")  # builtin/overview -> builtin-overview, beside the project's overview
        return {fmt: out_dir / f"{stem}.{fmt}" for fmt in formats}
    fields = {**{name: field_text(value) for name, value in params.items()}, **{k: v for k, v in texts.items() if k in params}}
    try:
        return output_paths(pattern, brief.name, fields, formats, out_dir)
    except TemplateError as error:
        raise UsageError.from_problems(Problem(f"--output-name: {p.message}", hint=p.hint) for p in error.problems) from None


def _check_distinct(pattern: str | None, planned: Mapping[str, tuple[Brief, BuildSettings] | BriefgenError]) -> None:
    """No two briefs write the same file (``--output-name`` without ``{brief}``), checked before any is written."""
    owners: dict[Path, str] = {}
    for name, plan in planned.items():
        if isinstance(plan, BriefgenError):
            continue
        for path in plan[1].outputs.values():
            other = owners.setdefault(path, name)
            if other != name:
                raise UsageError(
                    f"{f'--output-name {pattern!r}: ' if pattern else ''}'{name}' writes {path.name}, as does '{other}'",
                    hint="put {brief} into the name, e.g. '{brief}-{topic}'" if pattern else f"build '{name}' on its own",
                )


def _overlay(theme: str | Path | None) -> str | Path | None:
    """``--theme`` laid over the project's: a file stays a path (loaded over each brief's theme), a name a name."""
    return Path(theme) if isinstance(theme, Path) or (theme is not None and is_theme_file(theme)) else theme


def _command_line_theme(theme: str | Path | None) -> str | Theme | None:
    """``--theme``: a theme file is loaded here, from wherever the user keeps it; a name is looked up per brief."""
    if isinstance(theme, Path) or (theme is not None and is_theme_file(theme)):
        return load_theme(Path(theme))
    return theme


def brief_parameters(brief: Brief, defaults: Mapping[str, str], overrides: Mapping[str, str], briefs: Sequence[Brief]) -> dict[str, object]:
    """The brief's parameters: front matter defaults, then the project's config, then ``--set``.

    The config and ``--set`` apply to the briefs that declare a name; a
    ``--set`` name no brief being built declares is a usage error.
    """
    declared = brief.front_matter.parameters
    for name in overrides:
        if not any(name in other.front_matter.parameters for other in briefs):
            resolve_parameters(brief.front_matter, {name: overrides[name]}, brief=brief.name)  # raises the did-you-mean error
    chosen = {name: value for name, value in {**defaults, **overrides}.items() if name in declared}
    return resolve_parameters(brief.front_matter, chosen)
