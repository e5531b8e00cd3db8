"""The chronology over a registry on another subject, with dates before Christ (TEST DATA:
tests/projects/era-chronology, Han China and Rome): groups follow the era, a century-precision
date goes under its century, a range across the era marks both ends, and AD years before 1000
carry their era as BC ones do, in en, ru and zh."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from briefgen.build import brief_parameters, render_document
from briefgen.model import Timeline, TimelineEntry, TimelineGroup
from briefgen.registry.loader import load_registry
from briefgen.templating.briefs import load_brief

FACTS = Path(__file__).parent / "projects" / "era-chronology" / "facts"

EXPECTED = {
    "en": [
        "220s BC", "221 BC", "200s BC", "202 BC\u2009–\u2009AD 220", "2nd century BC", "2nd century BC",
        "40s BC", "15 March 44 BC", "30s BC", "2 September 31 BC", "10s AD", "19 August AD 14", "5th century AD", "5th century AD",
    ],
    "ru": [
        "220-е гг. до н. э.", "221\u00a0г. до н. э.", "200-е гг. до н. э.", "202\u00a0г. до н. э. — 220\u00a0г. н. э.",
        "II в. до н. э.", "II в. до н. э.", "40-е гг. до н. э.", "15 марта 44\u00a0г. до н. э.", "30-е гг. до н. э.",
        "2 сентября 31\u00a0г. до н. э.", "10-е гг. н. э.", "19 августа 14\u00a0г. н. э.", "V в. н. э.", "V в. н. э.",
    ],
    "zh": [
        "公元前220年代", "公元前221年", "公元前200年代", "公元前202年 – 公元220年", "公元前2世纪", "公元前2世纪",
        "公元前40年代", "公元前44年3月15日", "公元前30年代", "公元前31年9月2日", "公元10年代", "公元14年8月19日", "公元5世纪", "公元5世纪",
    ],
}


def timeline_rows(language: str, group: str) -> list[str]:
    brief = load_brief("chronology")
    brief = dataclasses.replace(brief, front_matter=dataclasses.replace(brief.front_matter, language=language))
    registry = load_registry(FACTS, as_of="2026-01-20", cache=False)
    doc = render_document(brief, registry, brief_parameters(brief, {}, {"group": group}, [brief]))
    timeline = next(block for block in doc.blocks if isinstance(block, Timeline))
    return [row.label if isinstance(row, TimelineGroup) else row.when for row in timeline.rows if isinstance(row, TimelineGroup | TimelineEntry)]


@pytest.mark.parametrize("language", EXPECTED)
def test_decades_and_centuries_follow_the_era(language: str) -> None:
    assert timeline_rows(language, "decade") == EXPECTED[language]


def test_grouped_by_century_and_by_year() -> None:
    assert [row for row in timeline_rows("en", "century") if "century" in row and row.count(" ") <= 2] == [
        "3rd century BC", "2nd century BC", "2nd century BC", "1st century BC", "1st century AD", "5th century AD", "5th century AD"]
    assert timeline_rows("en", "year")[:4] == ["221 BC", "221 BC", "202 BC", "202 BC\u2009–\u2009AD 220"]
