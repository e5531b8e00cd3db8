"""The one YAML reader: every YAML file briefgen reads goes through it, with line numbers.

Registry files, batch plans, themes, brief front matter and ``briefgen.yaml``
are composed, not constructed: libyaml (PyYAML's C parser) builds the node
tree, every node carries its line, and no implicit type resolution happens
(every scalar stays the text as written, so ``-0035`` stays a date, not an
octal number, and ``no`` stays a language tag). ``plain_value`` types the
scalars of small settings files (numbers, booleans, dates) when a caller
wants Python values. Refused, as ``Problem`` records with file and line: a
key written twice in one mapping (YAML would silently keep the last; the
message names both lines), any tag (``!foo``, ``!!python/object``: briefgen
reads plain data only), files that are not UTF-8, nesting deeper than a
person writes, and syntax errors. This module must not know any file's
schema: what the keys mean is each caller's business.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import re

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from briefgen.errors import Problem, TemplateError

__all__ = [
    "settings_mapping",
    "MappingNode",
    "Node",
    "ParsedFile",
    "ScalarNode",
    "SequenceNode",
    "is_null",
    "line_of",
    "parse_file",
    "plain_value",
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


# No file briefgen reads nests more than a handful of levels; libyaml's composer recurses in C
# and crashes the process (no exception) somewhere past 20,000 nested lists or mappings, and
# ``plain_value`` recurses in Python.
_MAX_NESTING = 100
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


# The tags ``_Composer`` gives untagged nodes; any other tag was written in the file.
_UNTAGGED = frozenset({"ScalarNode", "SequenceNode", "MappingNode"})
_STANDARD_TAG = "tag:yaml.org,2002:"


@dataclass(frozen=True, slots=True)
class ParsedFile:
    """One YAML file: its path (as shown in messages), raw bytes and top node (None if unreadable)."""

    path: Path
    data: bytes
    node: Node | None


def parse_file(path: Path, data: bytes, problems: list[Problem]) -> ParsedFile:
    """Decode and compose one file; syntax, encoding, duplicate-key and tag problems go to ``problems``.

    A file with any problem has no node: what a duplicate key or a tag would
    mean is a guess, and guesses are what this reader refuses.
    """
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
    if node is not None and not _plain_and_unique(path, node, problems):
        node = None
    return ParsedFile(path, data, node)


def settings_mapping(path: Path, data: bytes, what: str, hint: str | None = None) -> MappingNode | None:
    """A settings file (theme, project config) as its top mapping, ``None`` when empty; a ``TemplateError`` otherwise."""
    problems: list[Problem] = []
    node = parse_file(path, data, problems).node
    if problems:
        raise TemplateError.from_problems(problems)
    if node is None or is_null(node):
        return None
    if not isinstance(node, MappingNode):
        raise TemplateError(f"{what} must be a mapping", file=path, line=line_of(node), hint=hint)
    return node


def plain_value(node: Node) -> object:
    """The value of ``node`` as Python data, plain scalars typed as YAML's safe loader types them.

    ``1`` is an int, ``1.5`` a float, ``true`` a bool, ``2026-01-20`` a date,
    ``~`` None; a quoted scalar is always a string. Mappings become dicts
    (keys typed the same way) and sequences lists.
    """
    if isinstance(node, SequenceNode):
        return [plain_value(item) for item in node.value]
    if isinstance(node, MappingNode):
        return {plain_value(key): plain_value(value) for key, value in node.value}
    tag = _RESOLVER.resolve(ScalarNode, node.value, (True, False)) if node.style in _PLAIN else _STANDARD_TAG + "str"
    return _CONSTRUCTOR.construct_object(ScalarNode(tag, node.value, node.start_mark, node.end_mark, node.style))


_RESOLVER = yaml.resolver.Resolver()
_CONSTRUCTOR = yaml.constructor.SafeConstructor()


def _plain_and_unique(path: Path, top: Node, problems: list[Problem]) -> bool:
    """Report every tag and every key written twice in one mapping; True if there was none."""
    found: list[Problem] = []
    pending, seen = [top], set()
    while pending:
        node = pending.pop()
        if id(node) in seen:  # an alias: the node it names was checked where it was defined
            continue
        seen.add(id(node))
        if node.tag not in _UNTAGGED:
            tag = node.tag.replace(_STANDARD_TAG, "!!", 1)
            found.append(Problem(f"the YAML tag '{tag}' is not allowed", path, line_of(node),
                                 "briefgen reads plain values only: remove the tag, or quote a value that starts with '!'"))
        if isinstance(node, MappingNode):
            first_lines: dict[str, int] = {}
            for key, value in node.value:
                if isinstance(key, ScalarNode):
                    if key.value in first_lines:
                        message = f"key '{key.value}' is written twice in one mapping: on line {first_lines[key.value]} and here"
                        found.append(Problem(message, path, line_of(key), "YAML would silently keep only the last; keep one"))
                    else:
                        first_lines[key.value] = line_of(key)
                pending.extend((key, value))
        elif isinstance(node, SequenceNode):
            pending.extend(node.value)
    problems.extend(sorted(found, key=lambda problem: problem.line or 0))
    return not found


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
        problems.append(Problem("not a text file (it holds binary data)", path, None, "save it as UTF-8 YAML text"))
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
    elif (error.context or "").startswith("while parsing a flow") and error.context_mark is not None:
        mark = error.context_mark  # where the bracket opened, not where the parser gave up
        message = f"YAML syntax error: {error.problem} in the brackets opened here"
    else:
        message = f"YAML syntax error: {error.problem}"
    line = mark.line + 1 if mark is not None else None
    return Problem(message, path, line, hint)


def _control_hint(character: object) -> str:
    code = ord(character) if isinstance(character, str) else character
    return f"remove the control character U+{code:04X}" if isinstance(code, int) else "remove the character"
