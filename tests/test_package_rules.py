"""The layout's rules, read from the code: what each package's docstring says it must not import, it does not,
shared modules import no writer and no writer's library, and no writer imports another."""

from __future__ import annotations

import ast
import re
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SRC = REPO / "src"
PACKAGE = SRC / "briefgen"
WRITERS = PACKAGE / "writers"
WRITER_PACKAGES = sorted(p.name for p in WRITERS.iterdir() if (p / "__init__.py").is_file())
WRITER_LIBRARIES = ("reportlab", "docx")  # python-docx is imported as ``docx``


def imported_modules(path: Path) -> Iterator[str]:
    """Every module ``path`` imports, anywhere in it (a lazy import inside a function too), relative imports resolved."""
    package = ".".join(path.relative_to(SRC).with_suffix("").parts[:-1])
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # a relative import, resolved against the module's package
                parent = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{parent}.{base}" if base else parent
            yield base
            yield from (f"{base}.{alias.name}" for alias in node.names)


def _within(name: str, module: str) -> bool:
    return name == module or name.startswith(f"{module}.")


def _module_name(path: Path) -> str:
    parts = path.relative_to(SRC).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _writer_of(path: Path) -> str | None:
    """The writer package ``path`` belongs to, if it belongs to one."""
    parts = path.relative_to(WRITERS).parts if path.is_relative_to(WRITERS) else ()
    return parts[0] if len(parts) > 1 and parts[0] in WRITER_PACKAGES else None


SHARED_MODULES = sorted(path for path in PACKAGE.rglob("*.py") if _writer_of(path) is None)


# --- what each docstring says it must not import -----------------------------------------------------

_RULE = re.compile(r"must not import (.+?)(?:[:;]|, and |\.(?:\s|$))")  # the list ends a clause or the sentence
_STAGES = ("registry", "model", "templating", "markdown", "transforms", "l10n", "build", "batch", "preview", "cli")


def forbidden_by(rule: str, own_writer: str | None) -> tuple[str, ...]:
    """The modules a docstring's ``must not import`` list names.

    A name the vocabulary does not know fails the test: every rule written must be one the test can check.
    """
    forbidden: list[str] = []
    for item in re.split(r",\s*|\s+or\s+", rule.strip()):
        word = item.strip().removeprefix("the ")
        if word in _STAGES:
            forbidden.append(f"briefgen.{word}")
        elif word == "writers":
            forbidden.append("briefgen.writers")
        elif word in {"any writer", "another writer", "writers (beyond the list of formats)"}:
            forbidden.extend(f"briefgen.writers.{name}" for name in WRITER_PACKAGES if name != own_writer)
        elif word == "reportlab":
            forbidden.append("reportlab")
        elif word == "python-docx":
            forbidden.append("docx")
        elif word == "anything heavy":  # the standard library only
            forbidden.append("<not the standard library>")
        else:
            raise AssertionError(f"the rule names '{word}', which this test cannot check")
    return tuple(forbidden)


def _rules() -> list[tuple[Path, str]]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        docstring = " ".join((ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or "").split())
        found.extend((path, rule) for rule in _RULE.findall(docstring))
    return found


RULES = _rules()


def _breaks(name: str, forbidden: tuple[str, ...]) -> bool:
    if "<not the standard library>" in forbidden and name.split(".")[0] not in (*sys.stdlib_module_names, "__future__"):
        return True
    return any(_within(name, module) for module in forbidden)


def test_every_package_states_what_it_must_not_import() -> None:
    stated = {path for path, _ in RULES}
    top = {PACKAGE, PACKAGE / "batch", PACKAGE / "preview"}  # briefgen itself and the stages beside the command line
    packages = [path for path in PACKAGE.rglob("__init__.py") if path.parent not in top]
    assert not [str(path.relative_to(REPO)) for path in packages if path not in stated]


@pytest.mark.parametrize(("path", "rule"), RULES, ids=[f"{_module_name(path)}: {rule}" for path, rule in RULES])
def test_a_module_imports_nothing_its_docstring_forbids(path: Path, rule: str) -> None:
    forbidden = forbidden_by(rule, _writer_of(path))
    governed = path.parent.rglob("*.py") if path.name == "__init__.py" else [path]
    offending = {
        f"{module.relative_to(REPO)} imports {name}"
        for module in governed
        for name in imported_modules(module)
        if _breaks(name, forbidden) and not _within(name, _module_name(path))
    }
    assert not offending


def test_the_rules_are_read_as_written() -> None:
    writer_packages = tuple(f"briefgen.writers.{name}" for name in WRITER_PACKAGES)
    assert forbidden_by("the registry, templating, writers (beyond the list of formats) or batch", None) == (
        "briefgen.registry", "briefgen.templating", *writer_packages, "briefgen.batch")
    assert forbidden_by("reportlab, python-docx or another writer", "pdf") == (
        "reportlab", "docx", *(name for name in writer_packages if name != "briefgen.writers.pdf"))
    assert _RULE.findall("It must not import reportlab or any writer, and knows") == [
        "reportlab or any writer"]
    with pytest.raises(AssertionError, match="cannot check"):
        forbidden_by("the registry or anything slow", None)
    assert _breaks("yaml", ("<not the standard library>",)) and not _breaks("pathlib", ("<not the standard library>",))
    assert _breaks("briefgen.writers.docx.styles", writer_packages) and not _breaks("briefgen.writers.Writer", writer_packages)


# --- shared modules and writers ------------------------------------------------------------------------


@pytest.mark.parametrize("path", SHARED_MODULES, ids=[_module_name(path) or "briefgen" for path in SHARED_MODULES])
def test_a_shared_module_imports_no_writer_and_no_writers_library(path: Path) -> None:
    """Format-neutral modules (themes, typography, build...) reach a writer only through the registry of formats."""
    offending = {
        name
        for name in imported_modules(path)
        if any(_within(name, library) for library in WRITER_LIBRARIES)
        or any(_within(name, f"briefgen.writers.{writer}") for writer in WRITER_PACKAGES)
    }
    assert not offending


@pytest.mark.parametrize("package", WRITER_PACKAGES)
def test_a_writer_imports_no_other_writer(package: str) -> None:
    others = set(WRITER_PACKAGES) - {package}
    offending = {
        f"{path.relative_to(REPO)} imports {name}"
        for path in (WRITERS / package).rglob("*.py")
        for name in imported_modules(path)
        if any(_within(name, f"briefgen.writers.{other}") for other in others)
    }
    assert not offending


def test_the_import_checks_would_see_a_forbidden_import() -> None:
    spy = WRITERS / "pdf" / "_spy_for_test.py"
    spy.write_text("from briefgen.writers.docx import write_docx\nfrom ..docx import styles\n"
                   "def later():\n    import reportlab.platypus\n", encoding="utf-8")
    try:
        assert set(imported_modules(spy)) >= {"briefgen.writers.docx", "briefgen.writers.docx.styles", "reportlab.platypus"}
    finally:
        spy.unlink()
