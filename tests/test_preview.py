"""Tests for briefgen.preview without a browser: the session rebuilds, keeps errors in the page, serves the files."""

from __future__ import annotations

import io
import shutil
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import lxml.html
import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from briefgen.cli import main
from briefgen.preview import PreviewServer, PreviewSession
from briefgen.project import load_project
from briefgen.registry.dates import resolve_as_of

REPO = Path(__file__).resolve().parents[1]
FACT_FILE = "facts/anniversary-2026.yaml"
STATEMENT = "Belarus and China established diplomatic relations on 20 January 1992,"


def edit_statement(project: Path, words: str) -> None:
    path = project / FACT_FILE
    text = path.read_text(encoding="utf-8")
    old = next(line.strip() for line in text.splitlines() if "diplomatic relations on 20 January 1992," in line)
    path.write_text(text.replace(old, f"Belarus and China {words} on 20 January 1992,"), encoding="utf-8")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    shutil.copytree(REPO / "facts", tmp_path / "facts")
    shutil.copytree(REPO / "templates", tmp_path / "templates")
    return tmp_path


@pytest.fixture
def session(project: Path) -> PreviewSession:
    return PreviewSession(load_project(project), "overview", as_of=resolve_as_of("2026-11-23"))


@pytest.fixture
def server(session: PreviewSession) -> Iterator[PreviewServer]:
    running = PreviewServer(session, port=0)
    running.start()
    yield running
    running.close()


def get(url: str) -> tuple[int, str, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.headers["Content-Type"], response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers["Content-Type"], error.read()


def test_a_rebuild_shows_the_edit_and_a_new_version(session: PreviewSession, project: Path) -> None:
    first = session.rebuild()
    assert first.error is None and STATEMENT.encode() in first.files.data["html"]
    edit_statement(project, "opened relations (edited)")
    second = session.rebuild()
    assert second.version == first.version + 1
    assert b"opened relations (edited)" in second.files.data["html"]
    assert second.files.data["pdf"].startswith(b"%PDF") and second.files.pages == 1


def test_the_registry_is_read_again_only_when_a_fact_file_changed(session: PreviewSession, project: Path) -> None:
    session.rebuild()
    registry = session._registry
    session.rebuild()
    assert session._registry is registry
    (project / FACT_FILE).write_text((project / FACT_FILE).read_text(encoding="utf-8") + "\n", encoding="utf-8")
    session.rebuild()
    assert session._registry is not registry


def test_an_error_keeps_the_last_good_page_and_names_file_and_line(session: PreviewSession, project: Path) -> None:
    good = session.rebuild()
    path = project / FACT_FILE
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("    kind: event", "    kind: evnt", 1), encoding="utf-8")
    failed = session.rebuild()
    assert failed.files is good.files and failed.error is not None
    line = text.splitlines().index("    kind: event") + 1
    assert f"{path}:{line}:" in str(failed.error) and "evnt" in str(failed.error)
    path.write_text(text, encoding="utf-8")
    assert session.rebuild().error is None


def test_the_server_serves_page_files_and_version(server: PreviewServer, session: PreviewSession) -> None:
    status, kind, page = get(server.url)
    assert status == 200 and kind.startswith("text/html")
    assert b'href="/overview.pdf"' in page and b'href="/overview.docx"' in page and b'fetch("/version"' in page
    assert get(server.url + "version")[2] == str(session.snapshot.version).encode()
    status, kind, pdf = get(server.url + "overview.pdf")
    assert (status, kind) == (200, "application/pdf") and pdf.startswith(b"%PDF")
    status, kind, docx = get(server.url + "overview.docx")
    assert status == 200 and "wordprocessingml" in kind and docx.startswith(b"PK")
    assert get(server.url + "other.pdf")[0] == 404 and get(server.url + "../etc/passwd")[0] == 404
    assert server.url.startswith("http://127.0.0.1:")


def test_the_server_rebuilds_when_a_fact_file_changes(server: PreviewServer, session: PreviewSession, project: Path) -> None:
    before = session.snapshot.version
    edit_statement(project, "began relations (watched)")
    deadline = time.monotonic() + 5
    while session.snapshot.version == before and time.monotonic() < deadline:
        time.sleep(0.02)
    assert b"began relations (watched)" in get(server.url)[2]


def test_an_error_is_shown_in_the_page_and_the_server_keeps_running(server: PreviewServer, session: PreviewSession, project: Path) -> None:
    template = project / "templates" / "overview.md.j2"
    text = template.read_text(encoding="utf-8")
    template.write_text(text + "\n{% endif %}\n", encoding="utf-8")
    deadline = time.monotonic() + 5
    while session.snapshot.error is None and time.monotonic() < deadline:
        time.sleep(0.02)
    page = get(server.url)[2].decode()
    line = len(text.splitlines()) + 2
    assert 'class="preview-error"' in page and f"overview.md.j2:{line}:" in page and "endif" in page
    assert STATEMENT in page  # the last good page is still there


def test_the_page_is_the_whole_brief_and_lists_what_the_pdf_leaves_out(project: Path) -> None:
    from briefgen.preview.server import _page
    from briefgen.registry.loader import load_registry

    session = PreviewSession(load_project(project), "overview", as_of=resolve_as_of("2026-11-23"),
                             overrides={"positions": "12", "developments": "12"})
    snapshot = session.rebuild()
    assert snapshot.error is None and snapshot.files is not None and snapshot.files.dropped
    page = lxml.html.fromstring(_page("overview", snapshot))
    (listed,) = page.xpath("//section[@class='preview-warnings']")
    said = " ".join(listed.text_content().split())
    assert f"left out {len(snapshot.files.dropped)} lower-priority fact(s) of the PDF to fit 1 page" in said
    assert "the HTML states them all" in said
    statements = {fact.id: fact.statement for fact in load_registry(project / "facts", as_of=resolve_as_of("2026-11-23")).facts}
    shown = " ".join(page.xpath("//main")[0].text_content().split())
    printed = PdfReader(io.BytesIO(snapshot.files.data["pdf"]))
    pdf = " ".join(" ".join(sheet.extract_text() for sheet in printed.pages).split())
    for fact_id in snapshot.files.dropped:
        assert fact_id in said and statements[fact_id][:40] in shown and statements[fact_id][:40] not in pdf


def test_a_busy_port_is_a_usage_error(server: PreviewServer, session: PreviewSession) -> None:
    port = int(server.url.rsplit(":", 1)[1].strip("/"))
    with pytest.raises(Exception, match=f"cannot serve on 127.0.0.1:{port}"):
        PreviewServer(session, port=port)


def test_preview_of_an_unknown_brief_is_refused_before_serving(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project)
    result = CliRunner().invoke(main, ["preview", "overveiw", "--port", "0"])
    assert result.exit_code != 0 and "overview" in result.output


def test_a_process_that_keeps_its_cache_in_memory_writes_no_entry(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    script = (
        "from briefgen import cache\n"
        "cache.keep('probe', ['a'], (1, 2))\n"
        "cache.keep_in_memory()\n"
        "cache.keep('probe', ['b'], (3, 4))\n"
        "assert cache.recall('probe', ['a']) == (1, 2) and cache.recall('probe', ['b']) == (3, 4)\n"
    )
    folder = tmp_path / "cache"
    subprocess.run([sys.executable, "-c", script], check=True, env={**os.environ, "BRIEFGEN_CACHE_DIR": str(folder)})
    assert len([path for path in (folder / "probe").iterdir() if not path.name.startswith(".")]) == 1
