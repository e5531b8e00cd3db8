"""A briefgen project: a folder with facts/, templates/, output/ and an optional briefgen.yaml.

The config file is small and optional: where the folders are, the default
theme, the documents' author, and parameter values for every brief, each of
which must declare them (``params: {subject: Belarus–China relations}``).
Command-line options win over it. This module only finds and checks settings; it builds nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from briefgen.confine import Refused, inside
from briefgen import cache
from briefgen.errors import TemplateError, UsageError, did_you_mean

__all__ = ["CONFIG_NAME", "Project", "load_project"]

CONFIG_NAME = "briefgen.yaml"
_KEYS = ("facts", "templates", "output", "theme", "author", "params")


@dataclass(frozen=True, slots=True)
class Project:
    root: Path
    facts_dir: Path
    templates_dir: Path | None  # None: the project has no templates of its own
    out_dir: Path
    theme: str | None = None
    author: str | None = None  # who the documents say wrote them (PDF Author, DOCX author, the line under the title)
    params: Mapping[str, str] = field(default_factory=dict)  # as if given with --set; every brief built must declare them
    config: Path | None = None  # briefgen.yaml, when the project has one
    # The line of each setting in briefgen.yaml ("theme", "params.subject"), so errors about it can name it.
    lines: Mapping[str, int] = field(default_factory=dict)

    def where(self, setting: str) -> tuple[Path | None, int | None]:
        """The file and line where ``setting`` ("theme", "params.subject") is written."""
        return self.config, self.lines.get(setting)


def load_project(
    root: Path = Path("."),
    *,
    facts: Path | None = None,
    templates: Path | None = None,
    out: Path | None = None,
) -> Project:
    """The project at ``root``; paths given here (from the command line) must exist and win over the config."""
    for option, path in (("--facts", facts), ("--templates", templates)):
        if path is None:
            continue
        try:
            problem = None if path.is_dir() else "does not exist" if not path.exists() else "is not a folder"
        except OSError as error:  # a name too long for the file system
            problem = f"cannot be used: {error.strerror}"
        if problem:
            raise UsageError(f"{option} {path} {problem}", hint="give an existing folder")
    config, lines = _read_config(root / CONFIG_NAME)
    templates_dir = templates or _project_folder(root, config, "templates")
    return Project(
        root=root,
        facts_dir=facts or _project_folder(root, config, "facts"),
        templates_dir=templates_dir if templates_dir.is_dir() else None,
        out_dir=out or _project_folder(root, config, "output"),
        theme=str(config["theme"]) if config.get("theme") else None,
        author=str(config["author"]) if config.get("author") else None,
        params={str(key): _as_text(value) for key, value in dict(config.get("params") or {}).items()},
        config=root / CONFIG_NAME if config or lines else None,
        lines=lines,
    )


def _project_folder(root: Path, config: Mapping[str, Any], key: str) -> Path:
    """The folder the config names for ``key`` (default: the key's own name); it must resolve inside the project."""
    written = str(config.get(key, key))
    path = root / written
    try:
        inside(path, root, written=written)
    except Refused as refused:
        option = "--out" if key == "output" else f"--{key}"
        where = root / CONFIG_NAME if key in config else path
        raise TemplateError(f"{key}: {refused}", file=where, hint=f"to use a folder elsewhere, name it on the command line with {option}") from None
    return path


def _read_config(path: Path) -> tuple[dict[str, Any], dict[str, int]]:
    """The project config at ``path``, parsed and checked ({} if there is none), and the line of
    each setting and parameter (``{"theme": 3, "params.subject": 2}``), so errors about them can name it."""
    if not path.is_file():
        return {}, {}
    data = path.read_bytes()
    # Parsed once per file and content, then loaded from the cache: PyYAML is slow to import.
    key = (cache.code_digest(__name__, "briefgen.yaml_reader"), str(path), data)
    return cache.remembered("config", key, lambda: _parse_config(path, data))  # type: ignore[no-any-return]


def _parse_config(path: Path, data: bytes) -> tuple[dict[str, Any], dict[str, int]]:
    from briefgen.yaml_reader import MappingNode, is_null, line_of, plain_value, settings_mapping

    node = settings_mapping(path, data, "the project config", hint=f"keys: {', '.join(_KEYS)}")
    if node is None:
        return {}, {}
    for key, value in node.value:
        if key.value not in _KEYS:
            hint = did_you_mean(str(key.value), _KEYS, f"keys: {', '.join(_KEYS)}")
            raise TemplateError(f"unknown setting '{key.value}'", file=path, line=line_of(key), hint=hint)
        if key.value == "params" and not is_null(value) and not isinstance(value, MappingNode):
            raise TemplateError("'params' must map parameter names to values", file=path, line=line_of(value))
    lines = {str(key.value): line_of(key) for key, _ in node.value}
    for key, value in node.value:
        if key.value == "params" and isinstance(value, MappingNode):
            lines.update({f"params.{name.value}": line_of(name) for name, _ in value.value})
    return {str(key.value): plain_value(value) for key, value in node.value}, lines


def _as_text(value: object) -> str:
    """Config values go through the same conversion as ``--set`` strings."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ",".join(str(item) for item in value)
    return str(value)
