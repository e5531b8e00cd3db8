"""A brief's YAML front matter: read it, merge it along ``{% extends %}``, check it, resolve parameters.

A brief template ``NAME.md.j2`` starts with a YAML block between two ``---``
lines (title, formats, page limit, theme, language, marking, parameters). This
module turns that block into a checked ``FrontMatter`` and turns ``--set
key=value`` strings into the parameters' declared types. Every problem names
the template file and line; all problems of one front matter are reported
together. It must not know about Jinja2: ``templating.py`` finds the parent
template and blanks the block out before Jinja2 parses the rest.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from briefgen import writers
from briefgen.registry.dates import parse_date
from briefgen import cache
from briefgen.errors import Problem, TemplateError, UsageError, closest_or_list
from briefgen.writers import DEFAULT_FORMATS
from briefgen.registry.records import Origin

if TYPE_CHECKING:
    from briefgen.yaml_reader import Node, ScalarNode

__all__ = [
    "FrontMatter",
    "ParamType",
    "Parameter",
    "RawFrontMatter",
    "check_front_matter",
    "front_matter_lines",
    "merge_front_matter",
    "read_front_matter",
    "resolve_parameters",
]

_FENCE = "---"


class ParamType(enum.Enum):
    STR = "str"
    INT = "int"
    BOOL = "bool"
    DATE = "date"
    CHOICE = "choice"
    LIST = "list"


@dataclass(frozen=True, slots=True)
class Parameter:
    """A brief parameter; ``default`` is already of the declared type (``None``: unset)."""

    name: str
    type: ParamType
    default: object = None
    choices: tuple[str, ...] = ()
    help: str = ""


@dataclass(frozen=True, slots=True)
class FrontMatter:
    title: str
    subtitle: str | None = None
    formats: tuple[str, ...] = DEFAULT_FORMATS
    page_limit: int | None = None
    theme: str = "default"
    language: str = "en"
    marking: str | None = None
    parameters: Mapping[str, Parameter] = field(default_factory=dict)
    # Where each key was written (the brief's file or one it extends): errors in a title name its line.
    origins: Mapping[str, Origin] = field(default_factory=dict, compare=False)


@dataclass(frozen=True, slots=True)
class _Entry:
    """One value as written, and where."""

    value: object
    origin: Origin


@dataclass(frozen=True, slots=True)
class RawFrontMatter:
    """Front matter as written in one template (or merged along a chain of them), not yet checked.

    ``parameters`` maps a parameter name to where it is declared and its fields.
    """

    keys: Mapping[str, _Entry] = field(default_factory=dict)
    parameters: Mapping[str, tuple[Origin, Mapping[str, _Entry]]] = field(default_factory=dict)


_KEYS = ("title", "subtitle", "formats", "page_limit", "theme", "language", "marking", "parameters")
_PARAMETER_KEYS = ("type", "default", "choices", "help")


# --- reading ---------------------------------------------------------------------


def front_matter_lines(source: str, file: Path) -> int:
    """How many lines the front matter takes at the top of ``source``, both fences included (0: none)."""
    lines = source.removeprefix("\ufeff").split("\n")
    if lines[0].rstrip() != _FENCE:
        return 0
    closing = next((i for i, line in enumerate(lines[1:], 1) if line.rstrip() == _FENCE), None)
    if closing is None:
        raise TemplateError("front matter is not closed by a '---' line", file=file, line=1)
    return closing + 1


def read_front_matter(source: str, file: Path) -> RawFrontMatter:
    """The front matter at the top of ``source`` (empty if it does not start with ``---``)."""
    count = front_matter_lines(source, file)
    if not count:
        return RawFrontMatter()
    # The opening fence becomes an empty line, so that line numbers are the file's.
    block = "\n".join(["", *source.removeprefix("\ufeff").split("\n")[1 : count - 1]])
    # Parsed once per file and text, then loaded from the cache: PyYAML is slow to import.
    key = (cache.code_digest(__name__, "briefgen.yaml_reader", "briefgen.registry.records"), str(file), block)
    return cache.remembered("front-matter", key, lambda: _parse_front_matter(block, file))


def _parse_front_matter(block: str, file: Path) -> RawFrontMatter:
    """The front matter ``block`` of ``file`` (its lines up to the closing fence), parsed and its keys checked."""
    from briefgen.yaml_reader import parse_file

    problems: list[Problem] = []
    node = parse_file(file, block.encode(), problems).node
    if problems:
        raise TemplateError.from_problems(problems)
    keys: dict[str, _Entry] = {}
    parameters: dict[str, tuple[Origin, Mapping[str, _Entry]]] = {}
    for key, value in _mapping_items(node, file, problems, what="front matter"):
        if _known(key.value, _KEYS, _origin(file, key), problems, "front matter key"):
            if key.value == "parameters":
                parameters = _read_parameters(value, file, problems)
            else:
                keys[key.value] = _Entry(_plain(value), _origin(file, value))
    if problems:
        raise TemplateError.from_problems(problems)
    return RawFrontMatter(keys, parameters)


def _read_parameters(node: Node, file: Path, problems: list[Problem]) -> dict[str, tuple[Origin, Mapping[str, _Entry]]]:
    parameters: dict[str, tuple[Origin, Mapping[str, _Entry]]] = {}
    for name, spec in _mapping_items(node, file, problems, what="parameters"):
        fields: dict[str, _Entry] = {}
        for key, value in _mapping_items(spec, file, problems, what=f"parameter '{name.value}'"):
            if _known(key.value, _PARAMETER_KEYS, _origin(file, key), problems, "parameter field"):
                fields[key.value] = _Entry(_plain(value), _origin(file, value))
        parameters[name.value] = (_origin(file, name), fields)
    return parameters


def _mapping_items(node: Node | None, file: Path, problems: list[Problem], *, what: str) -> list[tuple[ScalarNode, Node]]:
    from briefgen.yaml_reader import MappingNode, ScalarNode, is_null

    if node is None or is_null(node):
        return []
    if not isinstance(node, MappingNode):
        problems.append(Problem(f"{what} must be a mapping of keys to values", file, _origin(file, node).line))
        return []
    return [(key, value) for key, value in node.value if isinstance(key, ScalarNode)]


def _known(key: str, known: tuple[str, ...], origin: Origin, problems: list[Problem], what: str) -> bool:
    if key in known:
        return True
    problems.append(Problem(f"unknown {what} '{key}'", origin.file, origin.line, hint=closest_or_list(key, known)))
    return False


def _origin(file: Path, node: Node) -> Origin:
    from briefgen.yaml_reader import line_of

    return Origin(file, line_of(node))


def _plain(node: Node) -> object:
    from briefgen.yaml_reader import plain_value

    return plain_value(node)


# --- merging and checking ---------------------------------------------------------------------


def merge_front_matter(parent: RawFrontMatter, child: RawFrontMatter) -> RawFrontMatter:
    """The child's front matter over its parent's: keys replace, parameter fields replace field by field."""
    parameters = dict(parent.parameters)
    for name, (origin, fields) in child.parameters.items():
        inherited = parameters.get(name, (origin, {}))[1]
        parameters[name] = (origin, {**inherited, **fields})
    return RawFrontMatter({**parent.keys, **child.keys}, parameters)


def check_front_matter(raw: RawFrontMatter, file: Path) -> FrontMatter:
    """Check every value's type and return the front matter, or raise one ``TemplateError`` listing all problems."""
    problems: list[Problem] = []
    values: dict[str, object] = {}
    if "title" not in raw.keys:
        problems.append(Problem("front matter has no 'title'", file, 1, hint="add 'title: ...' between the '---' lines"))
    for key, entry in raw.keys.items():
        try:
            values[key] = _KEY_CHECKS[key](entry.value)
        except ValueError as error:
            problems.append(Problem(f"'{key}': {error}", entry.origin.file, entry.origin.line))
    parameters = {}
    for name, (origin, fields) in raw.parameters.items():
        try:
            parameters[name] = _check_parameter(name, origin, fields)
        except TemplateError as error:
            problems.extend(error.problems)
    if problems:
        raise TemplateError.from_problems(problems)
    origins = {key: entry.origin for key, entry in raw.keys.items()}
    return FrontMatter(**values, parameters=parameters, origins=origins)  # type: ignore[arg-type]


def _text(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"expected text, got {value!r}")
    return value


def _optional_text(value: object) -> str | None:
    return None if value is None else _text(value)


def _formats(value: object) -> tuple[str, ...]:
    listed = [value] if isinstance(value, str) else value
    known = writers.formats()
    if not isinstance(listed, list) or not listed or any(item not in known for item in listed):
        raise ValueError(f"expected a list of formats from {', '.join(known)}, got {value!r}")
    return tuple(listed)


def _page_limit(value: object) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"expected a number of pages (1 or more) or null, got {value!r}")
    return value


def _language(value: object) -> str:
    from briefgen.l10n.languages import check_language

    return check_language(_text(value))


_KEY_CHECKS: dict[str, Callable[[object], object]] = {
    "title": _text,
    "subtitle": _optional_text,
    "formats": _formats,
    "page_limit": _page_limit,
    "theme": _text,
    "language": _language,
    "marking": _optional_text,
}


def _check_parameter(name: str, origin: Origin, fields: Mapping[str, _Entry]) -> Parameter:
    def fail(message: str, where: Origin = origin, hint: str | None = None) -> TemplateError:
        return TemplateError(f"parameter '{name}': {message}", file=where.file, line=where.line, hint=hint)

    kind = fields.get("type")
    if kind is None:
        raise fail("has no 'type'", hint=f"one of {', '.join(t.value for t in ParamType)}")
    try:
        param_type = ParamType(kind.value)
    except ValueError:
        raise fail(f"unknown type {kind.value!r}", kind.origin, closest_or_list(str(kind.value), [t.value for t in ParamType])) from None
    choices = fields["choices"].value if "choices" in fields else []
    if not isinstance(choices, list) or (param_type is ParamType.CHOICE and not choices):
        raise fail("'choices' must be a non-empty list", hint="a choice parameter needs them")
    help_text = fields["help"].value if "help" in fields else ""
    parameter = Parameter(name, param_type, None, tuple(str(c) for c in choices), str(help_text or ""))
    default = fields.get("default")
    if default is None or default.value is None:
        return parameter
    try:
        converted = _convert(parameter, default.value)
    except ValueError as error:
        raise fail(f"default: {error}", default.origin) from None
    return Parameter(name, param_type, converted, parameter.choices, parameter.help)


# --- parameter values --------------------------------------------------------------------


def resolve_parameters(front_matter: FrontMatter, overrides: Mapping[str, str], *, brief: str | None = None) -> dict[str, object]:
    """Every declared parameter's value: its default, or the ``--set`` string converted to its type.

    ``brief`` names the brief in messages (its title may be a template, such as ``{{ params.subject }}``).

    An unknown name or a value that does not convert is a ``UsageError`` (exit 2).
    Dates are registry dates (``briefgen.registry.dates.parse_date``), so ``since=2015``
    and ``since=2015-07`` work as well as a full day.
    """
    declared = front_matter.parameters
    values = {name: parameter.default for name, parameter in declared.items()}
    for name, text in overrides.items():
        parameter = declared.get(name)
        if parameter is None:
            hint = closest_or_list(name, declared) if declared else "this brief declares no parameters"
            raise UsageError(f"--set {name}={text}: {f'brief {brief!r}' if brief else 'the brief'} has no parameter '{name}'", hint=hint)
        try:
            values[name] = _convert(parameter, text)
        except ValueError as error:
            raise UsageError(
                f"--set {name}={text}: parameter '{name}' expects {_EXPECTED[parameter.type]}, got '{text}'",
                hint=str(error),
            ) from None
    return values


def _convert(parameter: Parameter, value: object) -> object:
    if parameter.type is ParamType.LIST:
        items = value if isinstance(value, list) else str(value).split(",")
        return [str(item).strip() for item in items if str(item).strip()]
    text = value.isoformat() if isinstance(value, dt.date) else str(value).strip()
    if parameter.type is ParamType.CHOICE:
        if text not in parameter.choices:
            raise ValueError(f"choose from {', '.join(parameter.choices)}")
        return text
    return _CONVERTERS[parameter.type](text)


def _to_bool(text: str) -> bool:
    lowered = text.lower()
    if lowered not in _BOOLEANS:
        raise ValueError("write true or false")
    return _BOOLEANS[lowered]


def _to_int(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise ValueError("write a whole number") from None


_BOOLEANS = {"true": True, "yes": True, "on": True, "1": True, "false": False, "no": False, "off": False, "0": False}
_CONVERTERS: dict[ParamType, Callable[[str], object]] = {
    ParamType.STR: str,
    ParamType.INT: _to_int,
    ParamType.BOOL: _to_bool,
    ParamType.DATE: parse_date,
}
_EXPECTED = {
    ParamType.STR: "text",
    ParamType.INT: "a whole number",
    ParamType.BOOL: "true or false",
    ParamType.DATE: "a date (2015, 2015-07 or 2015-07-16)",
    ParamType.CHOICE: "one of its choices",
    ParamType.LIST: "a comma-separated list",
}
