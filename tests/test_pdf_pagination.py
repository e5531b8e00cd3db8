"""Tests of the PDF writer's pagination at scale: page bodies, table splits, keep-with-next.

The long registries are the shipped facts plus synthetic events that reuse
the shipped events' statements, sources and quotes (so they validate against
the archives) at other dates: what a desk's registry looks like after weeks.
"""

from __future__ import annotations

import dataclasses
import io
import random
import shutil
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

from briefgen.build import build
from briefgen.project import load_project

REPO = Path(__file__).resolve().parents[1]
AS_OF = "2026-11-23"


def grown_project(root: Path, events: int) -> Path:
    """A copy of the shipped project whose registry has ``events`` more events, reusing real quotes."""
    shutil.copytree(REPO / "facts", root / "facts")
    shutil.copytree(REPO / "templates", root / "templates")
    shutil.copy(REPO / "briefgen.yaml", root / "briefgen.yaml")
    shipped = [
        fact
        for path in sorted((REPO / "facts").glob("*.yaml"))
        for fact in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("facts", [])
        if fact.get("kind") == "event" and "sources" in fact
    ]
    rng = random.Random(10)
    synthetic = []
    for number in range(events):
        fact = {key: value for key, value in rng.choice(shipped).items()
                if key in ("statement", "kind", "topics", "actors", "priority", "sources")}
        fact["id"] = f"synthetic-{number:05d}"
        fact["date"] = f"{rng.randint(1950, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        synthetic.append(fact)
    (root / "facts" / "synthetic.yaml").write_text(yaml.safe_dump({"facts": synthetic}, sort_keys=False),
                                                   encoding="utf-8")
    return root


def test_a_chronology_of_150_facts_builds_and_every_page_keeps_its_body(tmp_path: Path) -> None:
    """Each page loses only its own notes' space: before, page 10 of this chronology had no room left."""
    project = dataclasses.replace(load_project(grown_project(tmp_path, 90)), out_dir=tmp_path / "out")
    [result] = build(["chronology"], project=project, formats=("pdf",), as_of=AS_OF)
    reader = PdfReader(io.BytesIO(result.paths[0].read_bytes()))
    assert len(reader.pages) >= 8
    # Every page but the last is full: its body and its notes reach the foot (the last note
    # line is near the footer rule), so no page's body has shrunk by earlier pages' notes.
    for number, page in enumerate(reader.pages[:-1], start=1):
        lowest = _lowest_text(page)
        assert lowest < 110, f"page {number} ends at y={lowest:.0f}"


def _lowest_text(page: object) -> float:
    """The y of the lowest line of text above the footer (pt from the bottom of the page)."""
    ys: list[float] = []

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: object) -> None:
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        if text.strip() and y > 60:  # the footer and banner sit below 60 pt
            ys.append(y)

    page.extract_text(visitor_text=visit)  # type: ignore[attr-defined]
    return min(ys)


def test_a_new_page_gives_the_frame_back_the_space_of_the_last_pages_notes() -> None:
    from reportlab.pdfgen.canvas import Canvas
    from reportlab.platypus import Spacer

    from briefgen.writers.pdf.footnotes import FootnoteFrame

    frame = FootnoteFrame(50, 50, 400, 700, leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    block = Spacer(10, 100)
    block.reserved = 150.0  # what a ``Noted`` block hands over when it is drawn
    assert frame.add(block, Canvas(io.BytesIO()))
    assert frame._y1p == 200
    frame._reset()
    assert (frame._y1p, frame._y) == (50, 750)
