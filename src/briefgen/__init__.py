"""briefgen: turn a registry of sourced facts into briefing papers.

The public API is small: load a registry, build a brief, and the document
model the writers share. Names are imported lazily so that ``import
briefgen`` (and the CLI's start-up) does not pay for python-docx, reportlab
or Jinja2 until they are used.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__version__ = "0.1.0"

_EXPORTS = {
    "BriefgenError": "briefgen.errors",
    "Document": "briefgen.model",
    "Registry": "briefgen.facts",
    "load_registry": "briefgen.facts",
}

__all__ = ["__version__", *sorted(_EXPORTS)]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'briefgen' has no attribute {name!r}")
