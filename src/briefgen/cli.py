"""The command line: parse arguments, call the API, map errors to exit codes.

This is the only place that turns a ``BriefgenError`` into text on stderr and
an exit code (1 for the project's files, 2 for command-line usage). Any other
exception is a bug and keeps its traceback. Heavy libraries are imported by
the commands that need them, not here.
"""

from __future__ import annotations

import sys
import warnings
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

import click

from briefgen import __version__
from briefgen.errors import BriefgenError, BriefgenWarning, UsageError

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
                sys.exit(error.exit_code)

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


__all__ = ["main"]
