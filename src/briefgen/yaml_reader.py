"""Reading registry YAML files into node trees that keep every line number.

The registry's files are composed, not constructed: libyaml (PyYAML's C
parser) builds the node tree, every node carries its line, and no implicit
type resolution happens (every scalar stays the text as written, so
``-0035`` stays a date, not an octal number, and ``no`` stays a language
tag). Turning nodes into records is ``facts_schema``'s job. This module must
not know the registry's schema; it only reads bytes, decodes them and reports
YAML syntax problems as ``Problem`` records with file and line.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import re

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from briefgen.errors import Problem

__all__ = [
    "MappingNode",
    "Node",
    "ParsedFile",
    "ScalarNode",
    "SequenceNode",
    "is_null",
    "line_of",
    "parse_file",
]

try:
    from yaml.cyaml import CParser as _Parser
except ImportError:  # no libyaml: the pure-Python parser gives the same nodes, slower
    from yaml.parser import Parser as _PyParser
    from yaml.reader import Reader as _Reader
    from yaml.scanner import Scanner as _Scanner
    from yaml.composer import Composer as _PyComposer

    class _Parser(_Reader, _Scanner, _PyParser, _PyComposer):  # type: ignore[no-redef, misc]
        def __init__(self, stream: str) -> None:
            _Reader.__init__(self, stream)
            _Scanner.__init__(self)
            _PyParser.__init__(self)
            _PyComposer.__init__(self)

        def dispose(self) -> None:
            pass


# No registry nests more than a handful of levels; libyaml's composer recurses in C and
# crashes the process (no exception) somewhere past 20,000 nested lists or mappings.
_MAX_NESTING = 1000
_FLOW_BRACKET = re.compile(r"[\[\]{}]")
_COMPACT_NESTING = re.compile(r"-(?: +[-?]){%d}" % _MAX_NESTING)  # "- - - x": a list in a list in a list
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_PLAIN = ("", None)  # libyaml reports plain style as '', the Python parser as None
_SYNTAX_HINTS = {
    "found a tab character that violates indentation": "indent with spaces, not tabs",
    "found character '\\t' that cannot start any token": "indent with spaces, not tabs",
    "while scanning a quoted scalar": "a quotation mark opened here is never closed",
}


class _Composer(_Parser):  # type: ignore[misc]
    """The parser with type resolution switched off: every node's tag is just its kind."""

    def resolve(self, kind: type, value: object, implicit: object) -> str:
        return kind.__name__

    def descend_resolver(self, *_: object) -> None:
        pass

    def ascend_resolver(self, *_: object) -> None:
        pass


@dataclass(frozen=True, slots=True)
class ParsedFile:
    """One registry file: its path (as shown in messages), raw bytes and top node (None if unreadable)."""

    path: Path
    data: bytes
    node: Node | None


def parse_file(path: Path, data: bytes, problems: list[Problem]) -> ParsedFile:
    """Decode and compose one file; syntax and encoding problems go to ``problems``."""
    text = _decode(path, data, problems)
    if text is None:
        return ParsedFile(path, data, None)
    too_deep = _too_deep(text)
    if too_deep is not None:
        problems.append(Problem(f"lists or mappings nested more than {_MAX_NESTING} deep", path, too_deep, "is this file generated? flatten it"))
        return ParsedFile(path, data, None)
    parser = _Composer(text)
    try:
        node = parser.get_single_node()
    except yaml.MarkedYAMLError as error:
        problems.append(_syntax_problem(path, error))
        node = None
    except yaml.reader.ReaderError as error:
        line = text.count("\n", 0, error.position) + 1
        problems.append(Problem(f"YAML syntax error: {error.reason}", path, line, _control_hint(error.character)))
        node = None
    finally:
        parser.dispose()
    return ParsedFile(path, data, node)


def is_null(node: Node) -> bool:
    """True for an empty value, ``~`` or ``null`` written plain (not quoted)."""
    return isinstance(node, ScalarNode) and node.style in _PLAIN and node.value in _NULLS


def line_of(node: Node) -> int:
    """The 1-based line where ``node`` starts."""
    return int(node.start_mark.line) + 1


def _too_deep(text: str) -> int | None:
    """The line where nesting passes ``_MAX_NESTING``, or None. Cheap, and errs on the deep side
    (brackets in quoted text count too); only a file with that many brackets is walked at all."""
    compact = _COMPACT_NESTING.search(text)
    if compact is not None:
        return text.count("\n", 0, compact.start()) + 1
    if text.count("[") + text.count("{") <= _MAX_NESTING:
        return None
    depth = 0
    for bracket in _FLOW_BRACKET.finditer(text):
        depth = max(depth + (1 if bracket.group() in "[{" else -1), 0)
        if depth > _MAX_NESTING:
            return text.count("\n", 0, bracket.start()) + 1
    return None


def _decode(path: Path, data: bytes, problems: list[Problem]) -> str | None:
    if b"\x00" in data:
        problems.append(Problem("not a text file (it holds binary data)", path, None, "registry files are UTF-8 YAML"))
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        byte = data[error.start]
        problems.append(Problem(f"not UTF-8 text (byte 0x{byte:02x})", path, line, "save the file as UTF-8"))
        return None


def _syntax_problem(path: Path, error: yaml.MarkedYAMLError) -> Problem:
    hint = _SYNTAX_HINTS.get(error.problem or "") or _SYNTAX_HINTS.get(error.context or "")
    mark = error.problem_mark
    if error.context == "while scanning a quoted scalar" and error.context_mark is not None:
        mark = error.context_mark  # where the quote opened, not the end of the file
        message = "YAML syntax error: unclosed quotation mark"
    else:
        message = f"YAML syntax error: {error.problem}"
    line = mark.line + 1 if mark is not None else None
    return Problem(message, path, line, hint)


def _control_hint(character: object) -> str:
    code = ord(character) if isinstance(character, str) else character
    return f"remove the control character U+{code:04X}" if isinstance(code, int) else "remove the character"
