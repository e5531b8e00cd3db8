"""Brief templates: find them, read their front matter, render them to Markdown in a sandbox.

A brief is ``NAME.md.j2``: YAML front matter (``front_matter.py``) and a
Jinja2 body that renders Markdown with citation marks ``[@fact-id]``.
Templates are searched in the project's folder first, then in the package's
built-in folder, so a project overrides a built-in template by giving its own
of the same name; ``builtin/NAME`` always names the built-in one (a project's
``overview.md.j2`` extends ``builtin/overview.md.j2``). Names starting with
``_`` are partials (macros, layouts), not briefs.

Rendering runs in Jinja2's immutable sandbox with ``StrictUndefined``: no
template reaches Python internals, files (paths, ``..``) or the registry's
insides, only the helpers given to it. Every expression's value is escaped
as Markdown text unless it is trusted ``Markdown`` (what ``cite`` and the
other helpers return, macro and block output, ``|safe``), so a ``*``, ``<``,
``[@x]`` or ``{{`` in a fact stays text. Errors name the template file and
line. This is the only module that imports Jinja2; it must not query the
registry itself (``facts.py`` does) nor read Markdown (``reader.py`` does).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import inspect
import math
import os
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from jinja2 import (
    BaseLoader,
    ChoiceLoader,
    FileSystemLoader,
    PrefixLoader,
    StrictUndefined,
    TemplateNotFound,
    TemplateSyntaxError,
    Undefined,
    UndefinedError,
    nodes,
    pass_context,
)
from jinja2 import TemplateError as JinjaTemplateError
from jinja2 import __version__ as _JINJA_VERSION
from jinja2 import meta
from jinja2.bccache import BytecodeCache, Bucket
from jinja2.compiler import CodeGenerator, Frame
from jinja2.environment import Environment, Template
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.runtime import Context
from jinja2.utils import missing
from markupsafe import Markup

from briefgen.confine import Refused, inside
from briefgen.registry.dates import EDTFDate
from briefgen.errors import BriefgenError, Problem, TemplateError, UsageError, closest_or_list, did_you_mean
from briefgen import cache
from briefgen.templating.origins import Traced, join_unmarked, marked, untrace
from briefgen.templating.front_matter import (
    FrontMatter,
    RawFrontMatter,
    check_front_matter,
    front_matter_lines,
    merge_front_matter,
    read_front_matter,
    resolve_parameters,
)
from briefgen.l10n.dates import GROUPS, date_label, period_label
from briefgen.l10n.labels import LABEL_KEYS, label
from briefgen.l10n.languages import base_language
from briefgen.l10n.numbers import figure_label
from briefgen.markdown.reader import escape_markdown
from briefgen.registry.records import ID_PATTERN, Fact, Origin, Qualifier

if TYPE_CHECKING:
    from briefgen.registry.loader import Registry, StanceGroups

__all__ = [
    "BRIEF_SUFFIX",
    "BUILTIN_TEMPLATES",
    "BUILT_IN",
    "PROJECT",
    "Brief",
    "BriefInfo",
    "Markdown",
    "list_briefs",
    "render_text",
    "load_brief",
    "render",
    "render_traced",
    "template_names",
    "template_files",
]

BUILTIN_TEMPLATES = Path(__file__).parents[1] / "data" / "templates"
BRIEF_SUFFIX = ".md.j2"
_BUILTIN_PREFIX = "builtin"
PROJECT, BUILT_IN = "project", "built-in"

# Globals Jinja2 adds that a brief has no use for: lorem ipsum, and helpers that keep
# state across calls. ``range`` (capped by the sandbox), ``dict`` and ``namespace`` stay.
_DROPPED_GLOBALS = ("lipsum", "cycler", "joiner")
# Filters whose output is trusted HTML or JSON, which would slip past Markdown escaping.
_DROPPED_FILTERS = ("tojson", "urlize", "xmlattr", "forceescape")


class Markdown(Markup):
    """Markdown a helper vouches for: written into a brief as it is, never escaped.

    Like ``markupsafe.Markup`` for HTML: joining or formatting plain text into
    it escapes that text as Markdown.
    """

    __slots__ = ()

    @classmethod
    def escape(cls, s: Any) -> Markdown:
        if hasattr(s, "__html__"):
            return cls(s.__html__())
        text = str(s)
        # escape_markdown trims the ends (it writes a whole paragraph); here the text may sit
        # between other words, as in ``name ~ " " ~ cite(fact)``, so one space at each end stays.
        before = " " if text[:1].isspace() else ""
        after = " " if text[-1:].isspace() and text.strip() else ""
        return cls(before + escape_markdown(text) + after)


# --- finding briefs --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BriefInfo:
    """One brief as ``briefgen list briefs`` shows it."""

    name: str
    title: str
    where: str  # PROJECT or BUILT_IN
    file: Path
    overrides: bool = False  # a project brief with the name of a built-in one (``builtin/NAME`` still reaches that)


@dataclass(frozen=True, slots=True)
class Brief:
    """A brief ready to render: its template and its checked (inherited) front matter."""

    name: str
    file: Path
    where: str  # PROJECT or BUILT_IN
    front_matter: FrontMatter
    templates_dir: Path | None = None
    builtin_dir: Path = BUILTIN_TEMPLATES
    compiled: _CompiledTemplates = field(default_factory=lambda: _CompiledTemplates(), repr=False, compare=False)

    @property
    def template_name(self) -> str:
        return self.name + BRIEF_SUFFIX


def list_briefs(templates_dir: Path | None = None, *, builtin_dir: Path = BUILTIN_TEMPLATES) -> list[BriefInfo]:
    """Every brief, project ones first; a project brief hides the built-in of the same name."""
    briefs = []
    for name in sorted(_brief_files(templates_dir, builtin_dir), key=lambda n: (_where(n, templates_dir) != PROJECT, n)):
        brief = load_brief(name, templates_dir, builtin_dir=builtin_dir)
        overrides = brief.where == PROJECT and (builtin_dir / (name + BRIEF_SUFFIX)).is_file()
        briefs.append(BriefInfo(name, brief.front_matter.title, brief.where, brief.file, overrides))
    return briefs


def load_brief(name: str, templates_dir: Path | None = None, *, builtin_dir: Path = BUILTIN_TEMPLATES) -> Brief:
    """The brief ``name`` (``overview`` for ``overview.md.j2``) with its front matter merged along ``{% extends %}``.

    An unknown name is a ``UsageError`` with a did-you-mean; a broken front
    matter or a syntax error in the brief or a template it extends is a
    ``TemplateError`` naming file and line.
    """
    files = _brief_files(templates_dir, builtin_dir)
    builtin = name.removeprefix(_BUILTIN_PREFIX + "/")
    if name not in files and not (builtin != name and builtin in _brief_files(None, builtin_dir)):
        raise UsageError(f"no brief named '{name}'", hint=closest_or_list(name, files, "available"))
    environment = _environment(templates_dir, builtin_dir)
    raw, file = _inherited_front_matter(environment, name + BRIEF_SUFFIX)
    return Brief(
        name=name,
        file=file,
        where=_where(name, templates_dir),
        front_matter=check_front_matter(raw, file),
        templates_dir=templates_dir,
        builtin_dir=builtin_dir,
    )


def _brief_files(templates_dir: Path | None, builtin_dir: Path) -> set[str]:
    folders = [builtin_dir] if templates_dir is None else [builtin_dir, templates_dir]
    return {
        file.name.removesuffix(BRIEF_SUFFIX)
        for folder in folders
        for file in folder.glob("*" + BRIEF_SUFFIX)
        if not file.name.startswith("_")
    }


def _where(name: str, templates_dir: Path | None) -> str:
    if name.startswith(_BUILTIN_PREFIX + "/"):
        return BUILT_IN
    project = templates_dir is not None and (templates_dir / (name + BRIEF_SUFFIX)).is_file()
    return PROJECT if project else BUILT_IN


def _inherited_front_matter(environment: Environment, template_name: str) -> tuple[RawFrontMatter, Path]:
    """The front matter of ``template_name`` over that of every template it extends, and its file."""
    chain: list[tuple[Path, RawFrontMatter]] = []
    name: str | None = template_name
    extended_at: tuple[Path, int] | None = None  # the {% extends %} that named ``name``
    while name is not None:
        source, file = _template_source(environment, name, extended_at)
        if file in (seen for seen, _ in chain):
            raise TemplateError(
                f"'{name}' extends itself",
                file=chain[-1][0],
                line=extended_at[1] if extended_at else None,
                hint=f'to extend the built-in template of that name, write {{% extends "{_BUILTIN_PREFIX}/{name}" %}}',
            )
        chain.append((file, read_front_matter(file.read_text(encoding="utf-8-sig"), file)))
        name, line = _extended_name(environment, source, name, file)
        extended_at = (file, line)
    merged = RawFrontMatter()
    for _, own in reversed(chain):
        merged = merge_front_matter(merged, own)
    return merged, chain[0][0]


def _template_source(environment: Environment, name: str, extended_at: tuple[Path, int] | None) -> tuple[str, Path]:
    try:
        source, filename, _ = environment.loader.get_source(environment, name)  # type: ignore[union-attr]
    except SecurityError as error:
        file, line = extended_at or (None, None)
        verb = "extend" if extended_at else "read"
        raise TemplateError(f"cannot {verb} '{name}': it lies outside the template folders", file=file, line=line, hint="keep templates inside them") from error
    except TemplateNotFound as error:
        file, line = extended_at or (None, None)
        raise TemplateError(f"cannot extend '{name}': no such template in the template folders", file=file, line=line) from error
    return source, Path(filename or name)


def _extended_name(environment: Environment, source: str, name: str, file: Path) -> tuple[str | None, int]:
    """The template that ``source`` extends, if it names one literally, and the line that says so.

    Parsing is also what checks the template's syntax. A source parsed before by the same
    Jinja2 and this module is not parsed again: its answer is in the cache (the parse was
    39 M instructions of a warm build of the overview, 5% of an HTML one: docs/caches.md).
    """

    def parse() -> tuple[str | None, int]:
        try:
            tree = environment.parse(source, name, str(file))
        except TemplateSyntaxError as error:
            raise _syntax_error(error) from error
        extends = tree.find(nodes.Extends)
        if extends is None or not isinstance(extends.template, nodes.Const):
            return None, 0
        return str(extends.template.value), extends.lineno

    return cache.remembered("template-extends", (_compiler_fingerprint(), name, source), parse)


def template_files(brief: Brief) -> tuple[Path, ...]:
    """Every template file ``brief`` reads: itself and what it extends, includes and imports, recursively.

    A name computed at render time (or one that cannot be read) cannot be
    followed; then every template of both folders counts, so that a change
    to any of them is seen. Batch builds hash these files to skip unchanged jobs.
    """
    environment = _environment(brief.templates_dir, brief.builtin_dir)
    files: dict[str, Path] = {}
    pending: list[str | None] = [brief.template_name]
    while pending:
        name = pending.pop()
        if name in files:
            continue
        try:
            if name is None:
                raise TemplateNotFound("(computed at render time)")
            source, filename, _ = environment.loader.get_source(environment, name)  # type: ignore[union-attr]
            pending.extend(meta.find_referenced_templates(environment.parse(source, name, filename)))
        except (TemplateNotFound, SecurityError, TemplateSyntaxError):
            folders = [folder for folder in (brief.templates_dir, brief.builtin_dir) if folder is not None]
            return tuple(sorted({*files.values(), *(file for folder in folders for file in folder.rglob("*.j2"))}))
        files[name] = Path(filename or name)
    return tuple(sorted(set(files.values())))


# --- rendering -----------------------------------------------------------------


def render(
    brief: Brief,
    registry: Registry,
    *,
    params: Mapping[str, object] | None = None,
    exclude: frozenset[str] = frozenset(),
    untranslated: set[str] | None = None,
) -> str:
    """The brief's Markdown over ``registry`` as of the registry's as-of day.

    ``params`` defaults to the front matter's defaults (see ``resolve_parameters``).
    A fact stated in a brief whose language it has no translation for is
    stated as written (in English) and its id added to ``untranslated``.
    Facts in ``exclude`` are left out of every query (``facts``, ``stances``,
    ``latest_figure``) but not of ``fact(id)``: a page-limited build drops
    low-priority items this way and renders again. Template problems become
    ``TemplateError`` with file and line; a ``BriefgenError`` raised by a
    helper (an unknown fact id, topic or metric) keeps its type and gains
    the template's file and line.
    """
    return render_traced(brief, registry, params=params, exclude=exclude, untranslated=untranslated).text


def render_traced(
    brief: Brief,
    registry: Registry,
    *,
    params: Mapping[str, object] | None = None,
    exclude: frozenset[str] = frozenset(),
    untranslated: set[str] | None = None,
) -> Traced:
    """``render``, with the template file and line behind each line of the Markdown."""
    helpers = _Helpers(registry, brief.front_matter.language, exclude, untranslated)
    chosen = resolve_parameters(brief.front_matter, {}) if params is None else params
    return untrace(_render(brief, _variables(brief, registry, helpers, chosen), helpers.filters()))


def render_text(brief: Brief, registry: Registry, key: str, *, params: Mapping[str, object]) -> str:
    """The front-matter text ``key`` (title, subtitle) with its ``{{ }}`` rendered in the brief's sandbox.

    The result is plain text for the title block, not Markdown, so nothing
    is escaped; it goes through the same helpers as the body, and an error
    names the template file and line where the key is written.
    """
    text = str(getattr(brief.front_matter, key))
    if "{" not in text:
        return text
    helpers = _Helpers(registry, brief.front_matter.language, frozenset())
    try:
        return _render(brief, _variables(brief, registry, helpers, params), helpers.filters(), source=text).strip()
    except BriefgenError as error:
        origin = brief.front_matter.origins.get(key)
        if origin is None:
            raise
        raise type(error).from_problems(_at_origin(problem, origin) for problem in error.problems) from error


def _at_origin(problem: Problem, origin: Origin) -> Problem:
    """``problem`` found in a front-matter string, placed at the line the string is written on."""
    if problem.file not in (None, _PLAIN_TEXT_NAME):
        return problem
    return Problem(problem.message, origin.file, origin.line + (problem.line or 1) - 1, problem.hint, problem.severity)


def _variables(brief: Brief, registry: Registry, helpers: _Helpers, params: Mapping[str, object]) -> dict[str, Any]:
    return {
        **helpers.globals(),
        "params": _Parameters(params),
        "as_of": registry.as_of,
        "brief": brief.front_matter,
        "labels": _checked_call("labels", partial(_label, brief.front_matter.language)),
    }


def template_names(registry: Registry) -> dict[str, tuple[str, ...]]:
    """Every name a template can use, by kind: "globals" (briefgen's queries and variables),
    "filters" (briefgen's), "jinja_globals" and "jinja_filters" (Jinja2's that the sandbox keeps).
    ``docs/templates.md`` documents each; its test compares the two."""
    helpers = _Helpers(registry, "en", frozenset())
    environment = _environment(None, BUILTIN_TEMPLATES)
    variables = _variables(load_brief("overview"), registry, helpers, {})
    own_filters = helpers.filters()
    return {
        "globals": tuple(sorted(variables)),
        "filters": tuple(sorted(own_filters)),
        "jinja_globals": tuple(sorted(set(environment.globals) - set(variables))),
        "jinja_filters": tuple(sorted(set(environment.filters) - set(own_filters))),
    }


class _Parameters(dict[str, object]):
    """``params`` in a template: a dict that names itself in errors ("params has no attribute 'x'")."""


def _label(language: str, key: str, **values: str | int) -> str:
    """``labels(key, **values)``: an unknown key or a missing value is a template error with a hint."""
    keys = LABEL_KEYS
    if key not in keys:
        raise TemplateError(f"unknown label '{key}'", hint=closest_or_list(key, keys, "label keys"))
    try:
        return label(language, key, **values)
    except KeyError as error:
        raise TemplateError(f"label '{key}' needs a value for '{error.args[0]}'", hint=f"labels('{key}', {error.args[0]}=...)") from None


def _render(
    brief: Brief,
    variables: Mapping[str, Any],
    filters: Mapping[str, Callable[..., Any]],
    *,
    source: str | None = None,
) -> str:
    environment = _environment(brief.templates_dir, brief.builtin_dir, brief.compiled)
    environment.globals.update(variables)
    environment.filters.update(filters)
    try:
        if source is not None:  # plain text: neither Markdown- nor HTML-escaped
            environment.finalize, environment.autoescape = None, False
            return str(_plain_text_template(environment, source).render())
        return "".join(environment.get_template(brief.template_name).generate())  # marks kept: see render_traced
    except TemplateSyntaxError as error:
        raise _syntax_error(error, environment) from error
    except (JinjaTemplateError, BriefgenError, RecursionError, ArithmeticError, AttributeError, LookupError, TypeError, ValueError) as error:
        located = _located(error, error.__traceback__)
        if located is error:
            raise
        raise located from error


def _plain_text_template(environment: Environment, source: str) -> Template:
    """``environment.from_string(source)``, with the compiled code cached like a template file's.

    The bucket is named by the text itself: a bucket holds one code, and a title and a
    subtitle sharing one would evict each other, recompiling and rewriting the cache on every render.
    """
    bucket = environment.bytecode_cache.get_bucket(environment, f"{_PLAIN_TEXT_NAME} {source}", None, source)  # type: ignore[union-attr]
    if bucket.code is None:
        bucket.code = environment.compile(source)
        environment.bytecode_cache.set_bucket(bucket)  # type: ignore[union-attr]
    return environment.template_class.from_code(environment, bucket.code, environment.make_globals(None))


_PLAIN_TEXT_NAME = "<template>"  # what Jinja2 calls a template compiled from a string


def _located(error: BaseException, traceback: TracebackType | None) -> BaseException:
    """``error`` as a ``BriefgenError`` naming the template file and line it happened at."""
    frames = list(_template_frames(traceback))
    file, line = frames[-1] if frames else (None, None)
    if isinstance(error, BriefgenError):
        located = [p if p.file else Problem(p.message, file, line, p.hint, p.severity) for p in error.problems]
        return type(error).from_problems(located)
    if isinstance(error, RecursionError):
        return TemplateError(f"'{Path(file or '?').name}' calls or includes itself without end", file=file, line=line)
    if isinstance(error, SecurityError):
        return TemplateError(f"template tried to reach {_reached(error)} (sandboxed)", file=file, line=line)
    if isinstance(error, TemplateNotFound):
        return TemplateError(
            f"no template named '{error.name}'", file=file, line=line,
            hint="names are relative to the project's templates folder; a built-in template is builtin/NAME",
        )
    if isinstance(error, UndefinedError):
        return TemplateError(f"undefined: {error.message}", file=file, line=line)
    if isinstance(error, JinjaTemplateError) or frames:
        # Raised by template code or by what it called (a filter, a helper) with the values it
        # passed: ``{{ 1 / 0 }}``, ``{{ 5|first }}``, ``{{ 5|statement }}``. The line is the template's.
        return TemplateError(
            f"{type(error).__name__}: {error}", file=file, line=line, hint="check the values this line passes to filters and helpers"
        )
    return error


def _template_frames(traceback: TracebackType | None) -> Iterable[tuple[str, int]]:
    """(file, line) of each template frame, outermost first.

    Jinja2 rewrites tracebacks so that template code shows as frames whose
    globals hold ``__jinja_exception__`` and whose file and line are the template's.
    """
    while traceback is not None:
        frame = traceback.tb_frame
        if "__jinja_exception__" in frame.f_globals:
            yield frame.f_code.co_filename, traceback.tb_lineno
        traceback = traceback.tb_next


def _reached(error: SecurityError) -> str:
    return str(error).removeprefix("access to ").removesuffix(" is unsafe.")


def _syntax_error(error: TemplateSyntaxError, environment: Environment | None = None) -> TemplateError:
    """The syntax error at its file and line; a misspelt filter or test gets the closest name as a hint."""
    unknown = _UNKNOWN_NAME.match(error.message or "")
    hint = None
    if unknown and environment is not None:
        hint = did_you_mean(unknown["name"], environment.filters if unknown["kind"] == "filter" else environment.tests)
    return TemplateError(f"template syntax: {error.message}", file=error.filename, line=error.lineno, hint=hint)


_UNKNOWN_NAME = re.compile(r"No (?P<kind>filter|test) named '(?P<name>[^']+)'")


# --- what templates can call ---------------------------------------------------------------

_REGISTRY_LANGUAGE = "en"  # the language a fact's own fields are written in
_TRANSLATED_FIELDS = ("statement", "issue", "unit", "reasoning", "conflict_note")


class _Helpers:
    """The registry queries and formatters one render offers, in the brief's language.

    Thin wrappers: selecting and ordering facts is ``Registry``'s job, words,
    dates and figures are ``briefgen.l10n``'s; here they are only bound to the
    brief's language and the facts a build leaves out.
    """

    def __init__(self, registry: Registry, language: str, exclude: frozenset[str], untranslated: set[str] | None = None) -> None:
        self._registry = registry
        self._language = language
        self._exclude = exclude
        self._untranslated = set() if untranslated is None else untranslated
        self._translating = base_language(language) != _REGISTRY_LANGUAGE

    def globals(self) -> dict[str, Callable[..., Any]]:
        queries = {
            "facts": self.facts,
            "count_facts": self.count_facts,
            "fact": self.fact,
            "stances": self.stances,
            "latest_figure": self.latest_figure,
            "entity": self.entity,
            "topic": self.topic,
            "cite": cite,
        }
        return {name: _checked_call(name, function) for name, function in queries.items()}

    def filters(self) -> dict[str, Callable[..., Any]]:
        filters = {"date": self.date, "period": self.period, "cite": cite, "statement": self.statement, "translated": self.translated, "take": take, "distinct": distinct, "number": self.number}
        return {name: _never_folded(_checked_call(name, function, filter_=True)) for name, function in filters.items()}

    def facts(
        self,
        kind: str | None = None,
        topic: str | None = None,
        actor: str | None = None,
        since: object = None,
        until: object = None,
        min_priority: int | None = None,
        limit: int | None = None,
    ) -> list[Fact]:
        """Matching facts in date order; ``min_priority=2`` keeps priorities 1 and 2; ``limit`` keeps the first."""
        chosen = self._registry.select(kind=kind, topic=topic, actor=actor, start=since, end=until)  # type: ignore[arg-type]
        kept = [f for f in self._registry.chronological(chosen) if f.id not in self._exclude]
        if min_priority is not None:
            kept = [f for f in kept if f.priority <= min_priority]
        return take(kept, limit)

    def count_facts(self, kind: str | None = None, topic: str | None = None) -> int:
        """How many facts of ``kind`` and ``topic`` the registry holds, those a page-limited build leaves
        out included: what a brief that lists a few of them says of the rest ("1,180 more figures")."""
        return len(self._registry.select(kind=kind, topic=topic))

    def fact(self, fact_id: str) -> Fact:
        """The fact with this id (whether or not a page-limited build leaves it out)."""
        return self._registry.fact(_fact_id(fact_id, "fact"))

    def stances(self, topic: str | None = None, actor: str | None = None) -> StanceGroups:
        """Stances as ``[(holder, [(issue, [stance, ...]), ...]), ...]``."""
        chosen = self._registry.select(kind="stance", topic=topic, actor=actor)
        return self._registry.stances_by_holder(f for f in chosen if f.id not in self._exclude)

    def latest_figure(self, metric: str) -> Fact | None:
        """The newest figure for ``metric`` as of the build's day, or ``None``."""
        figure = self._registry.latest_figure(metric)
        return None if figure is None or figure.id in self._exclude else figure

    def entity(self, entity_id: str) -> str:
        return self._registry.entity_label(entity_id, self._language)

    def topic(self, topic_id: str) -> str:
        """A topic's label ("Trade and economy")."""
        return self._registry.topic(topic_id).label

    def date(self, value: EDTFDate | dt.date | str | None) -> str:
        """A registry date or a day (``as_of``) as people read it: "July 2015", "1995–2019"."""
        if value is None:
            raise TemplateError("the date filter was given no date", hint="check with {% if fact.date %} first")
        return date_label(value, self._language)

    def period(self, value: EDTFDate | None, group: str = "decade") -> str:
        """The century, decade or year a date falls in, as a chronology heading: "1990s", "1st century BC"."""
        if value is None:
            raise TemplateError("the period filter was given no date", hint="check with {% if fact.date %} first")
        if group not in GROUPS:
            raise TemplateError(f"the period filter groups by {', '.join(GROUPS)}, not {group!r}")
        return period_label(value, group, self._language)

    def statement(self, fact: Fact) -> Markdown:
        """The fact's statement in the brief's language (else as written, marked as English), followed by its citation."""
        if self._translating and fact.translation(self._language) is None:
            self._untranslated.add(fact.id)
            return Markdown(f"[{Markdown.escape(fact.statement)}]{{lang={_REGISTRY_LANGUAGE}}}") + cite(fact)
        return Markdown.escape(fact.text_in(self._language)) + cite(fact)

    def translated(self, fact: Fact, field: str = "statement") -> str:
        """A fact's own words (``statement``, ``issue``, ``unit``...) in the brief's language where translated."""
        if field not in _TRANSLATED_FIELDS:
            raise TemplateError(f"the translated filter takes one of {', '.join(_TRANSLATED_FIELDS)}, not {field!r}")
        return fact.text_in(self._language, field) or ""

    def number(self, value: Fact | float, unit: str | None = None) -> str:
        """A figure (or a bare value and unit) with its qualifier: "more than US$8 billion", "about 12,000 students"."""
        if not isinstance(value, Fact):
            amount, qualifier = value, Qualifier.EXACT
        elif value.value is None:
            raise TemplateError(f"fact '{value.id}' has no value", hint="the number filter takes a figure")
        else:
            amount, unit, qualifier = value.value, value.text_in(self._language, "unit"), value.qualifier
        return figure_label(amount, unit, qualifier, self._language)


def _checked_call(name: str, function: Callable[..., Any], *, filter_: bool = False) -> Callable[..., Any]:
    """``function`` as a template calls it: arguments it does not take are a template error with a did-you-mean.

    Made for every render (its helpers are bound to the render's registry and language), so it copies
    nothing of ``function`` (``functools.wraps`` cost 5% of a one-page render): only calls reach it.
    """

    def call(*args: Any, **kwargs: Any) -> Any:
        try:
            return function(*args, **kwargs)
        except TypeError:
            problem = _argument_problem(name, function, args, kwargs, filter_)
            if problem is None:
                raise
            raise problem from None

    return call


def _never_folded(function: Callable[..., Any]) -> Callable[..., Any]:
    """``function`` as a filter Jinja2 never runs while compiling.

    Jinja2's optimizer calls a filter on constant arguments at compile time
    (``{{ '2015-07' | date }}``), and compiled code is kept in the cache by
    the template's source alone: a parent template shared by an English and a
    Russian brief would keep the first one's date. A filter that takes the
    render's context is left for the render to call.
    """

    @pass_context
    def filtered(_context: Context, *args: Any, **kwargs: Any) -> Any:
        return function(*args, **kwargs)

    return filtered


def _argument_problem(name: str, function: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any], filter_: bool) -> TemplateError | None:
    """What is wrong with calling ``function`` with these arguments, or ``None`` if they bind."""
    signature = inspect.signature(function)
    try:
        signature.bind(*args, **kwargs)
    except TypeError as error:
        accepted = [p for p in signature.parameters if p not in {"self"}][1 if filter_ else 0 :]
        called = f"the filter '{name}'" if filter_ else f"{name}()"
        unknown = [key for key in kwargs if key not in signature.parameters]
        if unknown:
            hint = closest_or_list(unknown[0], accepted, "it takes")
            return TemplateError(f"{called} has no argument '{unknown[0]}'", hint=hint)
        return TemplateError(f"{called}: {error}", hint=f"it takes {', '.join(accepted) or 'no arguments'}")
    return None


def cite(facts: Fact | str | Iterable[Fact | str]) -> Markdown:
    """A citation mark for a fact, an id, or several: ``[@a]``, ``[@a; @b]``. A string must be an id,
    never Markdown: ``cite(params.ref)`` with a crafted parameter is an error, not a link."""
    many = [facts] if isinstance(facts, Fact | str) else list(facts)
    if not many:
        raise TemplateError("cite was given no facts")
    ids = [item.id if isinstance(item, Fact) else _fact_id(item, "cite") for item in many]
    return Markdown("[" + "; ".join("@" + fact_id for fact_id in ids) + "]")


def _fact_id(value: object, helper: str) -> str:
    """``value`` if it is a fact id; anything else (Markdown, spaces, brackets, a number) is a template error."""
    if isinstance(value, str) and ID_PATTERN.fullmatch(value):
        return value
    shown = repr(value) if len(repr(value)) <= 60 else repr(value)[:59] + "…"
    raise TemplateError(f"{helper}() takes fact ids, and {shown} is not one", hint="ids are lower-case ASCII letters, digits, '.', '_' and '-'")


def distinct(facts: Iterable[Fact]) -> list[Fact]:
    """``facts`` without repeats: a fact resting on the same passages, with the same kind, date and
    issue, as an earlier one states the same thing (a joint statement recorded once per holder) and is left out."""
    seen: set[object] = set()
    kept = []
    for fact in facts:
        passages = frozenset((citation.source, citation.quote) for citation in fact.sources)
        key = (fact.kind, str(fact.when), fact.issue, passages) if passages else fact.id
        if key not in seen:
            seen.add(key)
            kept.append(fact)
    return kept


def take(items: Iterable[Any], count: int | None) -> list[Any]:
    """The first ``count`` items (all when ``count`` is None): caps a list to fit a page."""
    listed = list(items)
    return listed if count is None else listed[: max(count, 0)]


# --- the sandboxed environment ---------------------------------------------------------------


class _TemplateFolders(BaseLoader):
    """The project's folder, then the built-in one (also reachable as ``builtin/NAME``).

    Front matter is replaced by a Jinja2 comment of as many lines, so line
    numbers in errors stay those of the file. Absolute names and ``..`` are
    refused as a sandbox breach rather than looked up.
    """

    def __init__(self, templates_dir: Path | None, builtin_dir: Path) -> None:
        builtin = FileSystemLoader(builtin_dir)
        project = [] if templates_dir is None else [FileSystemLoader(templates_dir)]
        self._folders = ChoiceLoader([PrefixLoader({_BUILTIN_PREFIX: builtin}), *project, builtin])
        self._roots = tuple(folder for folder in (templates_dir, builtin_dir) if folder is not None)

    def get_source(self, environment: Environment, template: str) -> tuple[str, str | None, Callable[[], bool] | None]:
        if template.startswith(("/", "\\")) or ".." in template.replace("\\", "/").split("/"):
            raise SecurityError(f"access to '{template}' outside the template folders is unsafe.")
        source, filename, uptodate = self._folders.get_source(environment, template)
        if filename is not None and not any(_within(Path(filename), root) for root in self._roots):
            # A symbolic link in a template folder that leads elsewhere: its target was read, never shown.
            raise SecurityError(f"access to '{template}' outside the template folders (through a symbolic link) is unsafe.")
        return _blank_front_matter(source, Path(filename or template)), filename, uptodate

    def list_templates(self) -> list[str]:
        return self._folders.list_templates()


def _within(path: Path, root: Path) -> bool:
    try:
        inside(path, root)
    except Refused:
        return False
    return True


def _blank_front_matter(source: str, file: Path) -> str:
    source = source.removeprefix("\ufeff")
    count = front_matter_lines(source, file)
    if not count:
        return source
    body = source.split("\n")[count:]
    return "\n".join(["{#", *[""] * (count - 2), "#}", *body])


class _MarkdownCodeGenerator(CodeGenerator):
    """Compiles ``a ~ b`` to a join that escapes plain text as Markdown (Jinja2's own escapes it as HTML),
    and marks the template line of each piece of output a brief's file yields (``origins.py``)."""

    def visit_Output(self, node: nodes.Output, frame: Frame) -> None:
        if frame.buffer is None and self.filename is not None:  # captured output is never marked
            node = nodes.Output(marked(node.nodes, self.filename), lineno=node.lineno)
        super().visit_Output(node, frame)

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        self.write("environment.concat_markdown((")
        for argument in node.nodes:
            self.visit(argument, frame)
            self.write(", ")
        self.write("))")


class _NamedUndefined(StrictUndefined):
    """``StrictUndefined`` whose message names what a template author sees, not Python's types:
    "fact 'x' has no attribute 'statment' (did you mean 'statement'?)"."""

    __slots__ = ()

    @property
    def _undefined_message(self) -> str:
        owner, name = self._undefined_obj, self._undefined_name
        if self._undefined_hint or owner is missing or not isinstance(name, str):
            return str(super()._undefined_message)
        known = [str(k) for k in owner] if isinstance(owner, dict) else [a for a in dir(owner) if not a.startswith("_")]
        hint = closest_or_list(name, known, "it has")
        if isinstance(owner, _Parameters):
            hint = did_you_mean(name, known) or f"the brief declares no parameter '{name}': add it under 'parameters:' in the front matter"
        return f"{_described(owner)} has no attribute {name!r} ({hint})"


def _described(value: object) -> str:
    """How a template author would name ``value``: "params", "fact 'x'", "text", "a date"."""
    if isinstance(value, _Parameters):
        return "params"
    if value is None:
        return "None"
    record_id = getattr(value, "id", None)
    kind = type(value).__name__
    if isinstance(record_id, str):
        return f"{kind.lower()} '{record_id}'"
    names = {"dict": "a mapping", "list": "a list", "tuple": "a list", "str": "text", "Markdown": "text", "int": "a number",
             "float": "a number", "bool": "true or false", "EDTFDate": "a date", "date": "a date", "FrontMatter": "brief"}
    return names.get(kind, kind)


class _BriefEnvironment(ImmutableSandboxedEnvironment):
    code_generator_class = _MarkdownCodeGenerator
    # ``**`` runs through ``call_binop``, where its size is checked. Left to Jinja2, ``10**5000``
    # is folded while compiling and stops the compiler with a traceback (a number too long to print).
    intercepted_binops = frozenset({"**"})

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and _power_digits(left, right) > _MAX_DIGITS:
            raise OverflowError(f"{left} ** {right} has more than {_MAX_DIGITS} digits")
        return super().call_binop(context, operator, left, right)

    def getattr(self, obj: Any, attribute: str) -> Any:
        # ``params.copy`` is the parameter named 'copy', not the dict's method (Jinja2 tries attributes first).
        if isinstance(obj, _Parameters) and attribute in obj:
            return obj[attribute]
        return super().getattr(obj, attribute)

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        # A record's origin or a source's archive is a path: its methods read files.
        return not isinstance(obj, os.PathLike) and super().is_safe_attribute(obj, attr, value)

    def unsafe_undefined(self, obj: Any, attribute: str) -> Undefined:
        # Refuse at the first unsafe step, so the message names it (``''.__class__``), not a later
        # step on the undefined value it would return (``'__module__' of 'StrictUndefined'``).
        if isinstance(obj, Undefined):
            obj._fail_with_undefined_error()  # ``cycler.__init__``: cycler is undefined; say so
        raise SecurityError(f"access to attribute {attribute!r} of {type(obj).__name__!r} object is unsafe.")

    concat = staticmethod(join_unmarked)  # what templates capture (blocks, macros, super()) reads unmarked

    @staticmethod
    def concat_markdown(values: Iterable[Any]) -> str:
        texts = [value if hasattr(value, "__html__") else str(value) for value in values]
        if any(hasattr(text, "__html__") for text in texts):
            return Markdown("").join(texts)
        return "".join(texts)


_MAX_DIGITS = 1000  # of a whole number a template computes; a brief prints none longer


def _power_digits(base: Any, exponent: Any) -> float:
    """About how many digits ``base ** exponent`` has, for whole numbers (0 for anything else)."""
    whole = all(isinstance(value, int) and not isinstance(value, bool) for value in (base, exponent))
    if not whole or exponent <= 0 or abs(base) <= 1:
        return 0
    return exponent * math.log10(abs(base))


def _join(values: Iterable[Any], separator: str = "") -> Markdown:
    """The ``join`` filter: trusted items stay Markdown, plain ones are escaped; the separator is
    template text, like the text around ``{{ }}``."""
    return Markdown(separator).join(values)


class _CompiledTemplates(BytecodeCache):
    """Compiled templates kept in memory and in the cache, so that rendering a brief again (a
    page-limited build renders until it fits) or in the next process skips parsing and
    compiling. Jinja2 writes and reads the code; the cache verifies the bytes before Jinja2
    sees them, and a changed source, Jinja2 or briefgen is another key."""

    def __init__(self) -> None:
        self._code: dict[str, tuple[str, Any]] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        checksum, code = self._code.get(bucket.key, ("", None))
        if checksum == bucket.checksum:
            bucket.code = code
            return
        stored = cache.read_entry("template", self._key(bucket), slot=bucket.key)
        if stored is not None:
            bucket.bytecode_from_string(stored)
        if bucket.code is not None:
            self._code[bucket.key] = (bucket.checksum, bucket.code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._code[bucket.key] = (bucket.checksum, bucket.code)
        cache.write_entry("template", self._key(bucket), bucket.bytecode_to_string(), slot=bucket.key)

    @staticmethod
    def _key(bucket: Bucket) -> tuple[str, ...]:
        return (_compiler_fingerprint(), bucket.key, bucket.checksum)


@functools.cache
def _compiler_fingerprint() -> str:
    """What shapes compiled code besides a template's source: Jinja2, and this module (the
    code generator and the environment's options), so that cached code never outlives them."""
    return hashlib.sha256(f"{_JINJA_VERSION}\0".encode() + Path(__file__).read_bytes()).hexdigest()


def _environment(templates_dir: Path | None, builtin_dir: Path, compiled: BytecodeCache | None = None) -> Environment:
    # A new environment per render: helpers are bound to one registry and language, and
    # imported macro files see only globals, so the helpers must be globals of their own.
    environment = _BriefEnvironment(
        loader=_TemplateFolders(templates_dir, builtin_dir),
        bytecode_cache=compiled,
        undefined=_NamedUndefined,
        autoescape=True,  # so macros, blocks and caller() return trusted Markup; finalize does the escaping
        finalize=Markdown.escape,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    for name in _DROPPED_GLOBALS:
        del environment.globals[name]
    for name in _DROPPED_FILTERS:
        del environment.filters[name]
    environment.filters.update(join=_join, escape=Markdown.escape, e=Markdown.escape)
    return environment
