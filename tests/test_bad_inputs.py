"""Every bad input gets one clear error, the documented exit code, and loses nothing.

Each folder under ``tests/bad_inputs/`` (except ``_base``) is one case: a
``case.yaml`` saying what to run and what must happen, plus any files that
differ from ``_base`` (a small valid project). The project is assembled in a
temporary folder: ``_base`` copied, the case's files laid over it, then the
edits ``case.yaml`` lists (``remove``, ``patch``, ``write_bytes``, a named
``generate``). The command runs in-process with click's ``CliRunner``, so
that write failures (``simulate``) can be injected with monkeypatch: tests
run as root, where a read-only folder is still writable. A case with
``cache_damage`` is one test per kind of cache entry it lists: a first run
fills the cache, every entry of that kind is damaged, and the run under test
must build the same bytes; between runs the process forgets what it keeps in
memory and writes back what it would at exit, as when one process ends and
the next starts.

case.yaml keys:
    command          the briefgen arguments, e.g. [build, overview, --format, pdf]
    exit             the expected exit code (0, 1 or 2)
    category         facts | template | usage | render | write (the BriefgenError subclass)
    message          a fragment of the message on stderr
    absent           fragments stderr must not hold (Python's type names, placeholders)
    where            ``file:line`` (or just ``file``) that stderr must name
    max_lines        most error lines allowed on stderr (default 2: the message and "1 error")
    previous_output  files placed in output/ before a failing run, checked byte for byte after
                     (default for a failing build: overview.pdf and overview.docx)
    simulate         eacces | enospc | enospc-second (the second file of a build fails) |
                     interrupt-write (Ctrl-C while writing) | interrupt-second-job (Ctrl-C in a batch)
    may_write        files a failing run may leave in output/ (a batch keeps the jobs that finished)
    pdf_text         {file: [fragments]} the built PDF's extracted text must hold
    docx_text        {file: [fragments]} the built DOCX's document text must hold
    html_text        {file: [fragments]} the built HTML page's text must hold (and the page has no script)
    cache_mode       the cache folder exists beforehand with these permissions, in octal (e.g. 777)
    cache_damage     {damage: changed | truncated | cut-in-header | foreign | unreadable | replace,
                     kinds: [registry, template, ...], replace: [old, new]}: damage every entry of
                     each kind after a first run (changed: one bit flipped; cut-in-header: only
                     40 bytes left; foreign: another kind's entry in its place; unreadable: a
                     folder in its place; replace: ``old`` in the entry made ``new``). Each damaged
                     entry must be a miss noted as computed again, the output the first run's
                     bytes, and the entry rewritten, so that the run after is a hit (a folder
                     in its place cannot be replaced: that run recomputes again, alike)
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from briefgen import cache, errors, themes, writers
from briefgen.cli import main
from briefgen.writers.pdf import fonts

HERE = Path(__file__).parent / "bad_inputs"
BASE = HERE / "_base"
CASES = sorted(path for path in HERE.iterdir() if path.is_dir() and not path.name.startswith("_"))


def _read_case(case_dir: Path) -> dict[str, Any]:
    return yaml.safe_load((case_dir / "case.yaml").read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def _params() -> list[Any]:
    """A test per case; a case that damages cache entries, a test per kind of entry."""
    params = []
    for case_dir in CASES:
        kinds = (_read_case(case_dir).get("cache_damage") or {}).get("kinds") or [None]
        params += [pytest.param(case_dir, kind, id=case_dir.name + (f"[{kind}]" if kind else "")) for kind in kinds]
    return params
CATEGORIES: dict[str, type[errors.BriefgenError]] = {
    "facts": errors.FactsError,
    "template": errors.TemplateError,
    "usage": errors.UsageError,
    "render": errors.RenderError,
    "write": errors.WriteError,
}


def previous_build(name: str) -> bytes:
    """What a good earlier build left in output/ (a stand-in: only its bytes are compared)."""
    return b"%PDF-1.4 the previous good build of " + name.encode() + b"\n"


# --- generated inputs: too big or too odd to commit ----------------------------------------


def _replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def huge_statement(project: Path) -> None:
    """A 10 MB statement on one line."""
    _replace_in(project / "facts/facts.yaml", "statement: Belarus and China established", "statement: " + "word " * 2_000_000 + "Belarus and China established")


def huge_locator(project: Path) -> None:
    """A 1 MB locator on one line: a footnote longer than any page, run on over many."""
    _replace_in(project / "facts/facts.yaml", "locator: History, para. 1", "locator: History, " + "s1 p2 " * 170_000)


def huge_quote(project: Path) -> None:
    """A 10 MB quote: not in the archive, and the message must not echo all of it."""
    _replace_in(project / "facts/facts.yaml", "quote: Diplomatic relations were established on 20 January 1992.", "quote: " + "word " * 2_000_000)


def deep_nesting(project: Path) -> None:
    """Lists nested 100,000 deep: libyaml's C composer would crash the process."""
    (project / "facts/deep.yaml").write_text("topics:\n  - " + "[" * 100_000 + "]" * 100_000 + "\n")


def many_facts_file(project: Path) -> None:
    """A 2,000-entry file in which one entry, far down, is a list instead of a mapping."""
    entries = "".join(f"  - id: t{i}\n    label: Topic {i}\n" for i in range(2000))
    (project / "facts/many.yaml").write_text("topics:\n" + entries + "  - [oops]\n")


def long_archive_path(project: Path) -> None:
    """An archive path longer than the file system allows a name to be."""
    _replace_in(project / "facts/sources.yaml", "archive: sources/wiki-by-cn.txt", "archive: sources/" + "x" * 700 + ".txt")


def deep_theme(project: Path) -> None:
    """A theme whose value is nested 5,000 deep: PyYAML's composer would exhaust the recursion limit."""
    (project / "templates/themes").mkdir(parents=True)
    (project / "templates/themes/bad.yaml").write_text("marking: " + "[" * 5000 + "]" * 5000 + "\n")


def deep_config(project: Path) -> None:
    (project / "briefgen.yaml").write_text("params: " + "[" * 5000 + "]" * 5000 + "\n")


def deep_front_matter(project: Path) -> None:
    (project / "templates").mkdir()
    (project / "templates/t.md.j2").write_text("---\ntitle: " + "[" * 5000 + "]" * 5000 + "\n---\nBody.\n")


def _outside(project: Path, name: str, text: str) -> Path:
    """A file beside the project folder, i.e. outside it, with something a leak would print."""
    path = project.parent / name
    path.write_text(text, encoding="utf-8")
    return path


def facts_file_linked_outside(project: Path) -> None:
    (project / "facts/leak.yaml").symlink_to(_outside(project, "secret.yaml", "SECRET-ELSEWHERE: [1]\n"))


def facts_dangling_link(project: Path) -> None:
    (project / "facts/x.yaml").symlink_to("nowhere.yaml")


def facts_fifo(project: Path) -> None:
    os.mkfifo(project / "facts/pipe.yaml")


def facts_folder_linked_outside(project: Path) -> None:
    """facts/ itself a link to a folder elsewhere: the project's registry would not be the project's."""
    elsewhere = project.parent / "elsewhere"
    shutil.move(project / "facts", elsewhere)
    (project / "facts").symlink_to(elsewhere, target_is_directory=True)


def theme_extends_link_outside(project: Path) -> None:
    themes = project / "templates/themes"
    themes.mkdir(parents=True)
    (themes / "base.yaml").symlink_to(_outside(project, "secret.yaml", "marking: SECRET-ELSEWHERE\n"))
    (themes / "bad.yaml").write_text("extends: base.yaml\n", encoding="utf-8")


def project_theme_linked_outside(project: Path) -> None:
    themes = project / "templates/themes"
    themes.mkdir(parents=True)
    (themes / "bad.yaml").symlink_to(_outside(project, "secret.yaml", "marking: SECRET-ELSEWHERE\n"))


def template_linked_outside(project: Path) -> None:
    (project / "templates").mkdir()
    (project / "templates/leak.md.j2").symlink_to(_outside(project, "secret.md.j2", "---\ntitle: Secret\n---\nSECRET-ELSEWHERE\n"))


def _png(width: int, height: int) -> bytes:
    """A 1-bit grey PNG of ``width`` × ``height`` pixels, all black."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = zlib.compress(b"".join(b"\0" + bytes((width + 7) // 8) for _ in range(height)), 9)
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")


def _logo_theme(project: Path, logo: bytes) -> None:
    themes = project / "templates/themes"
    themes.mkdir(parents=True)
    (themes / "logo.png").write_bytes(logo)
    (themes / "bad.yaml").write_text("marking: OFFICIAL\nlogo: logo.png\n", encoding="utf-8")


def truncated_png_logo(project: Path) -> None:
    whole = _png(300, 200)
    _logo_theme(project, whole[: len(whole) // 2])


def huge_png_logo(project: Path) -> None:
    """12000 × 12000 pixels in a 17 KB file: 1.4 GB once decoded."""
    _logo_theme(project, _png(12000, 12000))


GENERATORS: dict[str, Callable[[Path], None]] = {
    function.__name__: function
    for function in (
        huge_statement,
        huge_locator,
        huge_quote,
        deep_nesting,
        many_facts_file,
        long_archive_path,
        deep_theme,
        deep_config,
        deep_front_matter,
        facts_file_linked_outside,
        facts_dangling_link,
        facts_fifo,
        facts_folder_linked_outside,
        theme_extends_link_outside,
        project_theme_linked_outside,
        template_linked_outside,
        truncated_png_logo,
        huge_png_logo,
    )
}


# --- simulated failures of the file system -----------------------------------------------------


class _OsOfOutput:
    """``os`` as ``briefgen.output`` sees it, with some functions replaced: other modules keep the real one."""

    def __init__(self, **replaced: Callable[..., Any]) -> None:
        self._replaced = replaced

    def __getattr__(self, name: str) -> Any:
        return self._replaced.get(name) or getattr(os, name)


def _simulate(kind: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import briefgen.output

    calls = {"fsync": 0}

    def replace_denied(*_: Any) -> None:
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))

    def disk_full(fd: int) -> None:
        calls["fsync"] += 1
        if kind == "enospc" or calls["fsync"] % 2 == 0:  # enospc-second: each build's second file
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        os.fsync(fd)

    def interrupted(*_: Any) -> None:
        raise KeyboardInterrupt

    if kind == "eacces":
        monkeypatch.setattr(briefgen.output, "os", _OsOfOutput(replace=replace_denied))
    elif kind in {"enospc", "enospc-second"}:
        monkeypatch.setattr(briefgen.output, "os", _OsOfOutput(fsync=disk_full))
    elif kind == "interrupt-write":  # Ctrl-C while a file is being written
        monkeypatch.setattr(briefgen.output, "os", _OsOfOutput(fsync=interrupted))
    elif kind == "interrupt-second-job":  # Ctrl-C while a batch builds its second job
        from briefgen.batch import executors

        render_files = executors.render_files
        jobs = {"started": 0}

        def second_interrupted(*args: Any, **kwargs: Any) -> Any:
            jobs["started"] += 1
            if jobs["started"] == 2:
                raise KeyboardInterrupt
            return render_files(*args, **kwargs)

        monkeypatch.setattr(executors, "render_files", second_interrupted)
    else:
        raise AssertionError(f"unknown simulate: {kind}")


# --- damaged cache entries -----------------------------------------------------------------------


def _new_process() -> None:
    """Forget what this process keeps in memory between builds, so that the next run reads the cache folder."""
    cache._calls.clear()
    themes._parsed.cache_clear()
    writers._writers.cache_clear()
    fonts._families_loaded.clear()  # the characters each family covers (its parsed faces stay registered)


def _end_process() -> None:
    cache._keep_calls()  # what the process's exit writes (the labels entry)


def _damage(entry: Path, damage: dict[str, Any], foreign: bytes) -> None:
    data = entry.read_bytes()
    kind = damage["damage"]
    if kind == "unreadable":
        entry.unlink()
        entry.mkdir()
        return
    if kind == "replace":
        old, new = (text.encode() for text in damage["replace"])
        assert old in data, f"{old!r} not in {entry}"
        data = data.replace(old, new)
    elif kind == "changed":
        middle = len(data) // 2
        data = data[:middle] + bytes([data[middle] ^ 0x01]) + data[middle + 1 :]
    elif kind == "truncated":
        data = data[: len(data) * 2 // 3]
    elif kind == "cut-in-header":
        data = data[:40]
    elif kind == "foreign":
        data = foreign
    else:
        raise AssertionError(f"unknown cache damage: {kind}")
    entry.write_bytes(data)


def _outputs(output: Path) -> dict[str, bytes]:
    return {path.relative_to(output).as_posix(): path.read_bytes() for path in output.rglob("*") if path.is_file()}


def _run_with_notes(command: list[str]) -> tuple[Any, list[str]]:
    notes: list[str] = []
    cache.report_notes(notes.append)
    try:
        return CliRunner().invoke(main, command), notes
    finally:
        cache._notes.remove(notes.append)


def _fill_and_damage(command: list[str], folder: Path, kind: str, damage: dict[str, Any], output: Path) -> dict[str, bytes]:
    """Run ``command`` once to fill the cache, then damage every entry of ``kind``; the first run's output."""
    _new_process()
    first = CliRunner().invoke(main, command)
    assert first.exit_code == 0, first.output
    _end_process()
    _new_process()
    built = _outputs(output)
    entries = sorted((folder / kind).iterdir()) if (folder / kind).is_dir() else []
    assert entries, f"the first run stored no {kind} entry"
    others = [path for path in folder.rglob("*") if path.is_file() and path.parent.name != kind]
    for index, entry in enumerate(entries):
        _damage(entry, damage, others[index % len(others)].read_bytes())
    return built


def _check_recovered(command: list[str], folder: Path, kind: str, damage: dict[str, Any], output: Path, built: dict[str, bytes], notes: list[str]) -> None:
    """The damaged entries were misses computed again, the output is the first run's, and the next run is a hit."""
    assert notes and all("computing it again" in note for note in notes), notes
    assert _outputs(output) == built, "the output differs from the first run's"
    _end_process()
    _new_process()
    if damage["damage"] == "replace":
        new = damage["replace"][1].encode()
        assert not [entry for entry in (folder / kind).iterdir() if entry.is_file() and new in entry.read_bytes()], "the damaged entry was kept"
    again, notes = _run_with_notes(command)
    assert again.exit_code == 0 and _outputs(output) == built, again.output
    if damage["damage"] != "unreadable":
        assert not notes, f"the entry was not rewritten: {notes}"
    _new_process()


# --- assembling and running a case -----------------------------------------------------------


def _assemble(case_dir: Path, case: dict[str, Any], project: Path) -> None:
    shutil.copytree(BASE, project)
    for path in case_dir.rglob("*"):
        if path.is_file() and path.name != "case.yaml":
            target = project / path.relative_to(case_dir)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
    for relative in case.get("remove", []):
        target = project / relative
        shutil.rmtree(target) if target.is_dir() else target.unlink()
    for relative, edits in (case.get("patch") or {}).items():
        for old, new in edits:
            _replace_in(project / relative, old, new)
    for relative, text in (case.get("write_bytes") or {}).items():
        target = project / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(text.encode("latin-1"))  # each character one byte: "\xef\xbb\xbf" is a BOM
    if case.get("generate"):
        GENERATORS[case["generate"]](project)


def _error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.strip() and not line.startswith("warning:") and ": warning: " not in line]


def _pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    return " ".join(" ".join(page.extract_text() or "" for page in PdfReader(path).pages).split())


def _html_text(path: Path) -> str:
    import lxml.html

    page = lxml.html.fromstring(path.read_bytes())
    assert not page.xpath("//script | //*[starts-with(local-name(), 'w:')] | //b"), "fact text became markup"
    return " ".join(page.text_content().split())


def _docx_text(path: Path) -> str:
    from xml.etree import ElementTree

    namespace = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    with zipfile.ZipFile(path) as package:
        root = ElementTree.fromstring(package.read("word/document.xml"))
    paragraphs = ("".join(node.text or "" for node in paragraph.iter(f"{namespace}t")) for paragraph in root.iter(f"{namespace}p"))
    return " ".join(" ".join(paragraphs).split())


@pytest.mark.parametrize(("case_dir", "damaged_kind"), _params())
def test_bad_input(case_dir: Path, damaged_kind: str | None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    case = _read_case(case_dir)
    project = tmp_path / "project"
    _assemble(case_dir, case, project)
    monkeypatch.chdir(project)
    monkeypatch.setenv("BRIEFGEN_CACHE_DIR", str(tmp_path / "cache"))
    if case.get("cache_mode"):
        (tmp_path / "cache").mkdir()
        (tmp_path / "cache").chmod(int(str(case["cache_mode"]), 8))
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    if case.get("simulate"):
        _simulate(case["simulate"], monkeypatch)
    command = [str(arg) for arg in case["command"]]
    failing_build = command[0] == "build" and case["exit"] != 0
    previous = case.get("previous_output", ["overview.pdf", "overview.docx"] if failing_build else [])
    output = project / "output"
    for name in previous:
        (output / name).parent.mkdir(parents=True, exist_ok=True)
        (output / name).write_bytes(previous_build(name))
    damage = case.get("cache_damage")
    if damaged_kind is not None:
        built = _fill_and_damage(command, tmp_path / "cache", damaged_kind, damage, output)

    result, notes = _run_with_notes(command)

    everything = result.stdout + result.stderr
    assert "Traceback" not in everything, everything
    assert "SECRET-ELSEWHERE" not in everything, everything  # what files outside the project hold (see _outside)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code == case["exit"], everything
    if case.get("message"):
        assert case["message"] in result.stderr, result.stderr
    for fragment in case.get("absent", []):
        assert fragment not in result.stderr, result.stderr
    if case.get("where"):
        assert re.search(rf"(^|\s|/){re.escape(case['where'])}(:|\s)", result.stderr, re.M), result.stderr
    if case["exit"] != 0:
        lines = _error_lines(result.stderr)
        assert 1 <= len(lines) <= case.get("max_lines", 2), result.stderr
    leftovers = [path for path in project.rglob("*.tmp")]
    assert not leftovers, leftovers
    for name in previous:
        assert (output / name).read_bytes() == previous_build(name), f"{name} was touched"
    if case["exit"] != 0 and output.exists():
        written = {path.relative_to(output).as_posix() for path in output.rglob("*") if path.is_file()}
        assert written <= set(previous) | set(case.get("may_write", [])), f"a failed run wrote {written - set(previous)}"
    for name, fragments in (case.get("pdf_text") or {}).items():
        text = _pdf_text(output / name)
        for fragment in fragments:
            assert fragment in text, f"{fragment!r} not in the text of {name}: {text[:2000]}"
    for name, fragments in (case.get("docx_text") or {}).items():
        text = _docx_text(output / name)
        for fragment in fragments:
            assert fragment in text, f"{fragment!r} not in the text of {name}: {text[:2000]}"
    for name, fragments in (case.get("html_text") or {}).items():
        text = _html_text(output / name)
        for fragment in fragments:
            assert fragment in text, f"{fragment!r} not in the text of {name}: {text[:2000]}"
    if damaged_kind is not None:
        _check_recovered(command, tmp_path / "cache", damaged_kind, damage, output, built, notes)

    if case.get("category"):  # the same run with --debug raises the error itself: check its class
        result = CliRunner().invoke(main, ["--debug", *command])
        wanted = CATEGORIES[case["category"]]
        click_usage = case["category"] == "usage" and isinstance(result.exception, SystemExit) and result.exit_code == 2
        assert click_usage or isinstance(result.exception, wanted), repr(result.exception)
