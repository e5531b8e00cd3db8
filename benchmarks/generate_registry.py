"""Registries of any size for scale tests and benchmarks: the shipped facts plus synthetic ones.

``generate_registry(folder, facts)`` copies the repository's registry
(``facts/``: sources, archived texts, entities, topics and its real facts)
and adds synthetic events, stances and figures until the registry holds
``facts`` facts. Each synthetic fact copies a real fact of its kind (its
topics, actors, stance or figure fields and its citations, so every quote
is a real passage of a real archive and validates), says in its statement
that it is a synthetic copy, and gets a date of its own: days, months,
years, ranges and approximate years from 1950 to 2025, so a chronology
has every grouping and precision to lay out. Synthetic facts have priority
2 or 3 (a one-page brief may drop them), and the same size and seed always
give the same files. ``make_project`` adds the repository's templates and
settings, so every brief of the project builds over the result.

    python benchmarks/generate_registry.py 6000 /tmp/registry-6000 [--project] [--seed 0]
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import yaml

REPOSITORY = Path(__file__).resolve().parents[1]
SIZES = (150, 1_500, 6_000, 60_000)
FACTS_PER_FILE = 1_000
# Of every ten synthetic facts: six events, two stances, two figures.
_KINDS = ("event",) * 6 + ("stance",) * 2 + ("figure",) * 2
_COPIED = {
    "event": ("topics", "actors"),
    "stance": ("holder", "issue", "position", "topics", "actors"),
    "figure": ("metric", "unit", "qualifier", "topics", "actors"),
}


def real_facts(folder: Path = REPOSITORY / "facts") -> list[dict[str, Any]]:
    """The registry's facts as plain text fields (no YAML type resolution), in file order."""
    found: list[dict[str, Any]] = []
    for path in sorted(folder.glob("*.yaml")):
        found += (yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader) or {}).get("facts", [])
    return found


def generate_registry(folder: Path, facts: int, seed: int = 0, source: Path = REPOSITORY / "facts") -> Path:
    """Write a valid registry of ``facts`` facts into ``folder`` (created; must not exist) and return it."""
    shutil.copytree(source, folder)
    models = real_facts(source)
    missing = facts - len(models)
    if missing < 0:
        raise ValueError(f"the shipped registry already has {len(models)} facts; ask for at least that many")
    by_kind = {kind: [fact for fact in models if fact["kind"] == kind and fact.get("sources")] for kind in _COPIED}
    chance = random.Random(seed)
    entries = (_synthetic(number, by_kind, chance) for number in range(1, missing + 1))
    for file_number, chunk in enumerate(_chunks(entries, FACTS_PER_FILE), start=1):
        text = "# Synthetic facts for scale tests (benchmarks/generate_registry.py): copies of real facts.\nfacts:\n" + "".join(chunk)
        (folder / f"synthetic-{file_number:03d}.yaml").write_text(text, encoding="utf-8")
    return folder


def make_project(root: Path, facts: int, seed: int = 0) -> Path:
    """A project folder like the repository (templates, themes, settings) over a generated registry of ``facts`` facts."""
    root.mkdir(parents=True, exist_ok=True)
    generate_registry(root / "facts", facts, seed)
    shutil.copytree(REPOSITORY / "templates", root / "templates")
    shutil.copy(REPOSITORY / "briefgen.yaml", root / "briefgen.yaml")
    return root


def _chunks(entries: Iterator[str], size: int) -> Iterator[list[str]]:
    chunk: list[str] = []
    for entry in entries:
        chunk.append(entry)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _synthetic(number: int, by_kind: dict[str, list[dict[str, Any]]], chance: random.Random) -> str:
    kind = _KINDS[number % len(_KINDS)]
    model = chance.choice(by_kind[kind])
    statement = f"Synthetic copy {number} of fact '{model['id']}': {model['statement']}"
    lines = [f"  - id: synthetic-{kind}-{number:06d}", f"    statement: {_quoted(statement)}", f"    kind: {kind}"]
    for key in _COPIED[kind]:
        if key in model:
            value = model[key]
            lines.append(f"    {key}: [{', '.join(value)}]" if isinstance(value, list) else f"    {key}: {_quoted(value)}")
    if kind == "event":
        lines.append(f"    date: {_date(chance)}")
    elif kind == "figure":
        lines += [f"    value: {chance.randrange(1, 10_000) * 1000}", f"    as_of: {chance.randrange(1995, 2026)}"]
    lines.append(f"    priority: {chance.choice((2, 3))}")
    lines.append("    sources:")
    for citation in model["sources"]:
        lines += [
            f"      - source: {citation['source']}",
            f"        locator: {_quoted(citation['locator'])}",
            f"        quote: {_quoted(citation['quote'])}",
        ]
    return "\n".join(lines) + "\n\n"


def _date(chance: random.Random) -> str:
    """A date at any precision EDTF allows a registry: mostly days and months, some years, ranges and approximations."""
    year, month, day = chance.randrange(1950, 2026), chance.randrange(1, 13), chance.randrange(1, 29)
    shape = chance.random()
    if shape < 0.5:
        return f"{year}-{month:02d}-{day:02d}"
    if shape < 0.75:
        return f"{year}-{month:02d}"
    if shape < 0.9:
        return f"{year}"
    if shape < 0.95:
        return f"{year}/{min(year + chance.randrange(1, 10), 2025)}"
    return f"{year}~"


def _quoted(text: str) -> str:
    """``text`` as a YAML double-quoted scalar (a JSON string is one)."""
    return json.dumps(text, ensure_ascii=False)


def main(argv: Sequence[str] | None = None) -> Path:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("facts", type=int, help=f"how many facts in all (e.g. {', '.join(map(str, SIZES))})")
    parser.add_argument("folder", type=Path, help="where to write (must not exist)")
    parser.add_argument("--project", action="store_true", help="a whole project (facts/, templates/, briefgen.yaml), not just a registry")
    parser.add_argument("--seed", type=int, default=0)
    options = parser.parse_args(argv)
    if options.project:
        return make_project(options.folder, options.facts, options.seed)
    return generate_registry(options.folder, options.facts, options.seed)


if __name__ == "__main__":
    print(main())
