"""briefgen: turn a registry of sourced facts into briefing papers.

The public API is small: load a registry, build a brief, and the document
model the writers share. Names are imported lazily so that ``import
briefgen`` (and the CLI's start-up) does not pay for python-docx, reportlab
or Jinja2 until they are used.
"""

from __future__ import annotations

import sys
from importlib import import_module
from types import ModuleType
from typing import Any

__version__ = "0.1.0"

_EXPORTS = {
    "BatchResult": "briefgen.batch",
    "BriefgenError": "briefgen.errors",
    "Document": "briefgen.model",
    "Registry": "briefgen.registry",
    "batch": "briefgen.batch",
    "build": "briefgen.build",
    "load_registry": "briefgen.registry",
}
# Functions named like the module that defines them: ``briefgen.batch.run`` is the function.
_SHADOWED = frozenset(name for name, module in _EXPORTS.items() if module == f"{__name__}.{name}")

__all__ = ["__version__", *sorted(_EXPORTS)]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'briefgen' has no attribute {name!r}")


class _Package(ModuleType):
    """Importing ``briefgen.batch.run`` binds the module on the package; for a shadowed name, bind its function.

    Without this, ``briefgen.batch.run`` would turn from the function into the
    module as soon as anything imported the module. The module itself stays
    in ``sys.modules``, so ``from briefgen.batch.run import load_plan`` works.
    """

    def __setattr__(self, name: str, value: Any) -> None:
        if name in _SHADOWED and isinstance(value, ModuleType):
            value = getattr(value, name)
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
