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

import difflib
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

from jinja2 import (
    BaseLoader,
    ChoiceLoader,
    FileSystemLoader,
    PrefixLoader,
    StrictUndefined,
    TemplateNotFound,
    TemplateSyntaxError,
    UndefinedError,
    nodes,
)
from jinja2 import TemplateError as JinjaTemplateError
from jinja2.compiler import CodeGenerator, Frame
from jinja2.environment import Environment
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup

from briefgen.errors import BriefgenError, Problem, TemplateError, UsageError
from briefgen.front_matter import (
    FrontMatter,
    RawFrontMatter,
    check_front_matter,
    front_matter_lines,
    merge_front_matter,
    read_front_matter,
)
from briefgen.reader import escape_markdown

__all__ = [
    "BUILTIN_TEMPLATES",
    "Brief",
    "BriefInfo",
    "Markdown",
    "list_briefs",
    "load_brief",
    "render",
]

BUILTIN_TEMPLATES = Path(__file__).parent / "data" / "templates"
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


@dataclass(frozen=True, slots=True)
class Brief:
    """A brief ready to render: its template and its checked (inherited) front matter."""

    name: str
    file: Path
    where: str  # PROJECT or BUILT_IN
    front_matter: FrontMatter
    templates_dir: Path | None = None
    builtin_dir: Path = BUILTIN_TEMPLATES

    @property
    def template_name(self) -> str:
        return self.name + BRIEF_SUFFIX


def list_briefs(templates_dir: Path | None = None, *, builtin_dir: Path = BUILTIN_TEMPLATES) -> list[BriefInfo]:
    """Every brief, project ones first; a project brief hides the built-in of the same name."""
    briefs = []
    for name in sorted(_brief_files(templates_dir, builtin_dir), key=lambda n: (_where(n, templates_dir) != PROJECT, n)):
        brief = load_brief(name, templates_dir, builtin_dir=builtin_dir)
        briefs.append(BriefInfo(name, brief.front_matter.title, brief.where, brief.file))
    return briefs


def load_brief(name: str, templates_dir: Path | None = None, *, builtin_dir: Path = BUILTIN_TEMPLATES) -> Brief:
    """The brief ``name`` (``overview`` for ``overview.md.j2``) with its front matter merged along ``{% extends %}``.

    An unknown name is a ``UsageError`` with a did-you-mean; a broken front
    matter or a syntax error in the brief or a template it extends is a
    ``TemplateError`` naming file and line.
    """
    files = _brief_files(templates_dir, builtin_dir)
    if name not in files:
        raise UsageError(f"no brief named '{name}'", hint=_did_you_mean(name, files, "available"))
    environment = _environment(templates_dir, builtin_dir)
    raw, file = _inherited_front_matter(environment, name + BRIEF_SUFFIX, seen=())
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
    project = templates_dir is not None and (templates_dir / (name + BRIEF_SUFFIX)).is_file()
    return PROJECT if project else BUILT_IN


def _inherited_front_matter(
    environment: Environment, template_name: str, seen: tuple[str, ...]
) -> tuple[RawFrontMatter, Path]:
    """The front matter of ``template_name`` over that of every template it extends, and its file."""
    source, filename, _ = environment.loader.get_source(environment, template_name)  # type: ignore[union-attr]
    file = Path(filename)
    if filename in seen:
        raise TemplateError(
            f"'{template_name}' extends itself",
            file=seen[-1],
            hint=f'to extend the built-in template of that name, write {{% extends "{_BUILTIN_PREFIX}/{template_name}" %}}',
        )
    own = read_front_matter(file.read_text(encoding="utf-8-sig"), file)
    parent = _extended_name(environment, source, template_name, filename)
    if parent is None:
        return own, file
    inherited, _ = _inherited_front_matter(environment, parent, (*seen, filename))
    return merge_front_matter(inherited, own), file


def _extended_name(environment: Environment, source: str, name: str, filename: str) -> str | None:
    """The template that ``source`` extends, if it names one literally."""
    try:
        tree = environment.parse(source, name, filename)
    except TemplateSyntaxError as error:
        raise _syntax_error(error) from None
    extends = tree.find(nodes.Extends)
    if extends is None or not isinstance(extends.template, nodes.Const):
        return None
    return str(extends.template.value)


# --- rendering -----------------------------------------------------------------


def render(brief: Brief, variables: Mapping[str, Any]) -> str:
    """The brief's Markdown, rendered with ``variables`` (helpers, ``params``, ``as_of``...) as template globals.

    Template problems become ``TemplateError`` with file and line; a
    ``BriefgenError`` raised by a helper keeps its type and gains the
    template's file and line.
    """
    environment = _environment(brief.templates_dir, brief.builtin_dir)
    environment.globals.update(variables, brief=brief.front_matter)
    try:
        return environment.get_template(brief.template_name).render()
    except TemplateSyntaxError as error:
        raise _syntax_error(error) from None
    except (JinjaTemplateError, BriefgenError, RecursionError, ArithmeticError, TypeError, ValueError) as error:
        raise _located(error, error.__traceback__) from None


def _located(error: BaseException, traceback: TracebackType | None) -> BaseException:
    """``error`` as a ``BriefgenError`` naming the template file and line it happened at."""
    frames = list(_template_frames(traceback))
    file, line = frames[-1] if frames else (None, None)
    if isinstance(error, BriefgenError):
        located = [p if p.file else Problem(p.message, file, line, p.hint, p.severity) for p in error.problems]
        return type(error).from_problems(located)
    if isinstance(error, RecursionError):
        return TemplateError(f"'{Path(file or '?').name}' includes itself without end", file=file, line=line)
    if isinstance(error, SecurityError):
        return TemplateError(f"template tried to reach {_reached(error)} (sandboxed)", file=file, line=line)
    if isinstance(error, TemplateNotFound):
        return TemplateError(f"no template named '{error.name}'", file=file, line=line)
    if isinstance(error, UndefinedError):
        return TemplateError(f"undefined: {error.message}", file=file, line=line)
    if isinstance(error, JinjaTemplateError) or _raised_by_template(traceback):
        return TemplateError(f"{type(error).__name__}: {error}", file=file, line=line)
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


def _raised_by_template(traceback: TracebackType | None) -> bool:
    """True if the innermost frame is template code (``{{ 1 / 0 }}``), not a helper's."""
    while traceback is not None and traceback.tb_next is not None:
        traceback = traceback.tb_next
    return traceback is not None and "__jinja_exception__" in traceback.tb_frame.f_globals


def _reached(error: SecurityError) -> str:
    return str(error).removeprefix("access to ").removesuffix(" is unsafe.")


def _syntax_error(error: TemplateSyntaxError) -> TemplateError:
    return TemplateError(f"template syntax: {error.message}", file=error.filename, line=error.lineno)


def _did_you_mean(word: str, choices: Iterable[str], what: str) -> str:
    known = sorted(choices)
    close = difflib.get_close_matches(word, known, n=1)
    return f"did you mean '{close[0]}'?" if close else f"{what}: {', '.join(known) or 'none'}"


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

    def get_source(self, environment: Environment, template: str) -> tuple[str, str | None, Callable[[], bool] | None]:
        if template.startswith(("/", "\\")) or ".." in template.replace("\\", "/").split("/"):
            raise SecurityError(f"access to '{template}' outside the template folders is unsafe.")
        source, filename, uptodate = self._folders.get_source(environment, template)
        return _blank_front_matter(source, Path(filename or template)), filename, uptodate

    def list_templates(self) -> list[str]:
        return self._folders.list_templates()


def _blank_front_matter(source: str, file: Path) -> str:
    source = source.removeprefix("\ufeff")
    count = front_matter_lines(source, file)
    if not count:
        return source
    body = source.split("\n")[count:]
    return "\n".join(["{#", *[""] * (count - 2), "#}", *body])


class _MarkdownCodeGenerator(CodeGenerator):
    """Compiles ``a ~ b`` to a join that escapes plain text as Markdown (Jinja2's own escapes it as HTML)."""

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        self.write("environment.concat_markdown((")
        for argument in node.nodes:
            self.visit(argument, frame)
            self.write(", ")
        self.write("))")


class _BriefEnvironment(ImmutableSandboxedEnvironment):
    code_generator_class = _MarkdownCodeGenerator

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        # A record's origin or a source's archive is a path: its methods read files.
        return not isinstance(obj, os.PathLike) and super().is_safe_attribute(obj, attr, value)

    @staticmethod
    def concat_markdown(values: Iterable[Any]) -> str:
        texts = [value if hasattr(value, "__html__") else str(value) for value in values]
        if any(hasattr(text, "__html__") for text in texts):
            return Markdown("").join(texts)
        return "".join(texts)


def _join(values: Iterable[Any], separator: str = "") -> Markdown:
    """The ``join`` filter: trusted items stay Markdown, plain ones are escaped; the separator is
    template text, like the text around ``{{ }}``."""
    return Markdown(separator).join(values)


def _environment(templates_dir: Path | None, builtin_dir: Path) -> Environment:
    environment = _BriefEnvironment(
        loader=_TemplateFolders(templates_dir, builtin_dir),
        undefined=StrictUndefined,
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
