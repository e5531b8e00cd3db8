"""The HTML page and the preview in a real browser: Debian's chromium driven by Selenium through chromium-driver.

The tests follow a note link and its back-link, edit a fact and see the open
page change, and run axe-core (from npm, ``.ci/run`` installs it) in the page.
Where chromium, chromium-driver, Selenium or axe-core is missing, every test
here is skipped and says which (never silently); no browser is downloaded.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from briefgen.preview import PreviewServer
from test_preview import REPO, edit_statement, project, server, session  # noqa: F401 (fixtures used here too)

AXE = Path(os.environ.get("BRIEFGEN_AXE_JS", REPO / ".ci" / "axe" / "node_modules" / "axe-core" / "axe.min.js"))


def _missing() -> str | None:
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "Selenium is not installed (pip install selenium)"
    for program, package in (("chromium", "chromium"), ("chromedriver", "chromium-driver")):
        if shutil.which(program) is None:
            return f"{program} is not installed (apt-get install {package})"
    return None


pytestmark = pytest.mark.skipif(_missing() is not None, reason=_missing() or "")


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or ""
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1000,900"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)
    driver.set_script_timeout(30)
    yield driver
    driver.quit()


def main_text(driver: object) -> str:
    """The text of the page's main element, read in one script (the page may reload between two driver calls)."""
    return str(driver.execute_script("const main = document.querySelector('main'); return main ? main.innerText : '';"))  # type: ignore[attr-defined]


def axe_violations(driver: object) -> list[dict[str, object]]:
    if not AXE.is_file():
        pytest.skip(f"axe-core is not installed: no {AXE} (npm install axe-core, as .ci/run does, or set BRIEFGEN_AXE_JS)")
    driver.execute_script(AXE.read_text(encoding="utf-8"))  # type: ignore[attr-defined]
    found = driver.execute_async_script(  # type: ignore[attr-defined]
        "const done = arguments[arguments.length - 1];"
        "axe.run(document).then(r => done(r.violations.map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.html)}))));"
    )
    return list(found)


def test_a_note_link_and_its_back_link(browser: object, server: PreviewServer) -> None:
    from selenium.webdriver.common.by import By

    browser.get(server.url)  # type: ignore[attr-defined]
    assert browser.find_element(By.TAG_NAME, "h1").text  # type: ignore[attr-defined]
    first = browser.find_elements(By.CSS_SELECTOR, "a.noteref")[0]  # type: ignore[attr-defined]
    number = first.text
    first.click()
    assert browser.execute_script("return location.hash") == f"#note-{number}"  # type: ignore[attr-defined]
    note = browser.find_element(By.ID, f"note-{number}")  # type: ignore[attr-defined]
    assert browser.execute_script("return document.querySelector(':target') === arguments[0]", note)  # type: ignore[attr-defined]
    note.find_element(By.CSS_SELECTOR, "a.backref").click()
    assert browser.execute_script("return location.hash") == f"#cite-{number}-1"  # type: ignore[attr-defined]
    assert browser.execute_script("return document.querySelector(':target') === arguments[0]", first)  # type: ignore[attr-defined]


def test_an_edited_fact_shows_in_the_open_page_within_two_seconds(browser: object, server: PreviewServer, project: Path) -> None:
    browser.get(server.url)  # type: ignore[attr-defined]
    assert "established diplomatic relations" in main_text(browser)
    edit_statement(project, "opened relations, as edited in the browser test,")
    started = time.monotonic()
    while time.monotonic() - started < 2:
        if "as edited in the browser test" in main_text(browser):
            break
        time.sleep(0.05)
    else:
        pytest.fail("the open page did not show the edit within 2 s")


def test_axe_finds_no_violation_in_the_preview(browser: object, server: PreviewServer) -> None:
    browser.get(server.url)  # type: ignore[attr-defined]
    violations = axe_violations(browser)
    assert not violations, json.dumps(violations, indent=1)


@pytest.mark.parametrize(("brief", "theme"), [("chronology", "draft"), ("stance-summary", "default"), ("handout", "default")])
def test_axe_finds_no_violation_in_built_pages(browser: object, project: Path, brief: str, theme: str,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from briefgen.cli import main

    monkeypatch.chdir(project)
    result = CliRunner().invoke(main, ["build", brief, "--format", "html", "--theme", theme, "--as-of", "2026-11-23"])
    assert result.exit_code == 0, result.output
    browser.get((project / "output" / f"{brief}.html").as_uri())  # type: ignore[attr-defined]
    violations = axe_violations(browser)
    assert not violations, json.dumps(violations, indent=1)
