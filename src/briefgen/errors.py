"""The one error tree of briefgen.

Every problem a user can cause (bad facts, templates, themes, plans, command
lines, unwritable outputs) is a ``BriefgenError`` carrying one or more
``Problem`` records: where (file, line), what is wrong, and a hint. The CLI
catches only ``BriefgenError`` and maps it to an exit code; anything else is
a bug and keeps its traceback. This module must not import anything heavy.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "BriefgenError",
    "BriefgenWarning",
    "FactsError",
    "Problem",
    "RenderError",
    "Severity",
    "TemplateError",
    "UsageError",
    "WriteError",
    "closest_or_list",
    "did_you_mean",
]


class Severity(enum.Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong, printed as ``file:line: message (hint)``."""

    message: str
    file: Path | str | None = None
    line: int | None = None
    hint: str | None = None
    severity: Severity = Severity.ERROR

    def __str__(self) -> str:
        return self.describe()

    def describe(self, *, severity: bool = True) -> str:
        """``file:line: [warning: ]message (hint)``; ``severity=False`` leaves out the "warning: "."""
        where = ""
        if self.file is not None:
            where = f"{self.file}:{self.line}: " if self.line else f"{self.file}: "
        prefix = "warning: " if severity and self.severity is Severity.WARNING else ""
        hint = f" ({self.hint})" if self.hint else ""
        return f"{where}{prefix}{self.message}{hint}"


class BriefgenError(Exception):
    """A problem the user can fix. ``exit_code`` is what the CLI returns."""

    exit_code = 1

    def __init__(
        self,
        message: str,
        *,
        file: Path | str | None = None,
        line: int | None = None,
        hint: str | None = None,
    ) -> None:
        self.problems: tuple[Problem, ...] = (Problem(message, file, line, hint),)
        super().__init__(str(self.problems[0]))

    @classmethod
    def from_problems(cls, problems: Iterable[Problem]) -> BriefgenError:
        """One error reporting several problems at once (at least one)."""
        listed = tuple(problems)
        if not listed:
            raise ValueError("from_problems needs at least one problem")
        error = cls(listed[0].message, file=listed[0].file, line=listed[0].line, hint=listed[0].hint)
        error.problems = listed
        error.args = ("\n".join(str(p) for p in listed),)
        return error

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)


class UsageError(BriefgenError):
    """Bad command line: unknown option, bad ``--set``, a missing path."""

    exit_code = 2


class FactsError(BriefgenError):
    """The fact registry is invalid (YAML, schema, references, quotes)."""


class TemplateError(BriefgenError):
    """A brief template, its front matter, a theme or a batch plan is invalid."""


class RenderError(BriefgenError):
    """Rendered text could not become a document (bad Markdown, unknown citation, uncovered glyph)."""


class WriteError(BriefgenError):
    """An output file could not be written."""


class BriefgenWarning(UserWarning):
    """Something the user should know that does not stop a build (stale fact, trimmed item)."""


def did_you_mean(word: str, choices: Iterable[str], otherwise: str | None = None) -> str | None:
    """A hint naming the closest of ``choices`` ("did you mean 'x'?"), else ``otherwise``."""
    import difflib  # only when there is a mistake to suggest a fix for

    close = difflib.get_close_matches(word, list(choices), n=1)
    return f"did you mean '{close[0]}'?" if close else otherwise


def closest_or_list(word: str, choices: Iterable[str], what: str = "known") -> str:
    """A hint naming the closest of ``choices``, else listing them all ("known: a, b")."""
    known = sorted(choices)
    return did_you_mean(word, known) or f"{what}: {', '.join(known) or 'none'}"
