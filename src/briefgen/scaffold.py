"""``briefgen init``: create a new project that builds out of the box.

A new project gets the sample registry (the Belarus–China facts that ship
with briefgen), a config file, a template that extends a built-in brief,
an empty output folder and a README. It never overwrites an existing
project: a folder that already holds facts/ or briefgen.yaml is refused.
"""

from __future__ import annotations

import shutil
from importlib import resources
from pathlib import Path

from briefgen.errors import UsageError, WriteError
from briefgen.project import CONFIG_NAME

__all__ = ["create_project", "sample_facts"]

_CONFIG = """\
# briefgen project settings (all optional).
params:
  subject: Belarus–China relations   # the title of every brief that has a 'subject'
theme: default
"""

_HANDOUT = """\
---
title: "{{ params.subject }}"
subtitle: Overview for a visiting delegation
---
{#- Extends the built-in overview and replaces one block: see README.md. -#}
{% extends "builtin/overview.md.j2" %}
{% block stances %}
{% endblock %}
"""

_README = """\
# A briefgen project

- `facts/`: the fact registry (YAML); check it with `briefgen validate`.
- `templates/`: your briefs; `visit.md.j2` extends the built-in overview.
- `output/`: where `briefgen build` writes PDF and DOCX files.

Build every brief: `briefgen build`. List them: `briefgen list briefs`.
"""


def sample_facts() -> Path:
    """The sample registry: in the package (wheel), else the source checkout's facts/."""
    packaged = resources.files("briefgen") / "data" / "sample-facts"
    if packaged.is_dir():
        return Path(str(packaged))
    checkout = Path(__file__).resolve().parents[2] / "facts"  # an editable install runs from src/
    if checkout.is_dir():
        return checkout
    raise WriteError("the sample registry is missing from this installation", hint="reinstall briefgen")


def create_project(directory: Path) -> list[Path]:
    """Create the project and return the paths made, in order."""
    if (directory / "facts").exists() or (directory / CONFIG_NAME).exists():
        raise UsageError(f"{directory} already holds a briefgen project", hint="choose a new folder")
    if directory.exists() and not directory.is_dir():
        raise UsageError(f"{directory} is a file", hint="choose a new folder")
    try:
        directory.mkdir(parents=True, exist_ok=True)
        shutil.copytree(sample_facts(), directory / "facts")
        (directory / "templates").mkdir()
        (directory / "templates" / "visit.md.j2").write_text(_HANDOUT, encoding="utf-8")
        (directory / "output").mkdir()
        (directory / CONFIG_NAME).write_text(_CONFIG, encoding="utf-8")
        (directory / "README.md").write_text(_README, encoding="utf-8")
    except OSError as error:
        raise WriteError(f"cannot create the project: {error.strerror}", file=directory) from None
    return [directory / name for name in ("facts", "templates/visit.md.j2", "output", CONFIG_NAME, "README.md")]
