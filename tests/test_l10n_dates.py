"""Tests for briefgen.l10n.dates: every precision, qualifier, range and era in en-GB, en-US, ru and zh.

Where CLDR has the pattern, the expected text is Babel's own output, so a
hand-written copy of CLDR could not pass; the rest (decades, centuries, BC)
are written out.
"""

from __future__ import annotations

import datetime as dt

import pytest
from babel.dates import format_date, format_interval, format_skeleton, get_era_names

from briefgen.l10n.dates import date_label, period_label

LANGUAGES = {"en": "en_GB", "en-US": "en_US", "ru": "ru_RU", "zh": "zh_Hans_CN"}
"""Each language a brief may name, and the Babel locale that must format it."""


def babel(text: str) -> str:
    """Babel's output as briefgen prints it: CLDR's narrow no-break space as a no-break space."""
    return text.replace("\u202f", "\u00a0")


@pytest.mark.parametrize("language", LANGUAGES)
def test_days_months_years_and_ranges_are_babels(language: str) -> None:
    locale = LANGUAGES[language]
    assert date_label("1949-10-02", language) == babel(format_date(dt.date(1949, 10, 2), "long", locale=locale))
    assert date_label(dt.date(2026, 1, 20), language) == babel(format_date(dt.date(2026, 1, 20), "long", locale=locale))
    assert date_label("2015-07", language) == babel(format_skeleton("yMMMM", dt.date(2015, 7, 1), locale=locale))
    assert date_label("2011", language) == babel(format_skeleton("y", dt.date(2011, 1, 1), locale=locale))
    assert date_label("1995/2019", language) == babel(format_interval(dt.date(1995, 1, 1), dt.date(2019, 1, 1), "y", locale=locale))
    assert date_label("2015-05-03/2015-05-05", language) == babel(
        format_interval(dt.date(2015, 5, 3), dt.date(2015, 5, 5), "yMMMMd", locale=locale)
    )


@pytest.mark.parametrize(
    ("text", "en", "en_us", "ru", "zh"),
    [
        ("2013~", "c. 2013", "c. 2013", "ок. 2013", "约2013年"),
        ("2013?", "2013 (?)", "2013 (?)", "2013 (?)", "2013年（？）"),
        ("2013%", "c. 2013 (?)", "c. 2013 (?)", "ок. 2013 (?)", "约2013年（？）"),
        ("2015-07~", "c. July 2015", "c. July 2015", "ок. июль 2015\u00a0г.", "约2015年7月"),
        ("2022/..", "since 2022", "since 2022", "с 2022", "2022年起"),
        ("../2019", "until 2019", "until 2019", "до 2019", "至2019年"),
        ("199X", "1990s", "1990s", "1990-е", "1990年代"),
        ("19XX", "20th century", "20th century", "XX в.", "20世纪"),
        ("-0035", "36 BC", "36 BC", "36\u00a0г. до н. э.", "公元前36年"),
        ("0000", "1 BC", "1 BC", "1\u00a0г. до н. э.", "公元前1年"),
        ("-00XX", "1st century BC", "1st century BC", "I в. до н. э.", "公元前1世纪"),
        ("-01XX", "2nd century BC", "2nd century BC", "II в. до н. э.", "公元前2世纪"),
        ("-0035-03-15", "15 March 36 BC", "March 15, 36 BC", "15 марта 36\u00a0г. до н. э.", "公元前36年3月15日"),
        ("-0035-03", "March 36 BC", "March 36 BC", "март 36\u00a0г. до н. э.", "公元前36年3月"),
        ("-0201/0220", "202 BC\u2009–\u2009AD 220", "202 BC\u2009–\u2009AD 220", "202\u00a0г. до н. э. — 220\u00a0г. н. э.", "公元前202年 – 公元220年"),
        ("-0206/-0202", "207 BC\u2009–\u2009203 BC", "207 BC\u2009–\u2009203 BC", "207\u00a0г. до н. э. — 203\u00a0г. до н. э.", "公元前207年 – 公元前203年"),
        ("1949-10-02/1950-03", "2 October 1949\u2009–\u2009March 1950", "October 2, 1949\u2009–\u2009March 1950",
         "2 октября 1949\u00a0г. — март 1950\u00a0г.", "1949年10月2日 – 1950年3月"),
    ],
)
def test_every_precision_qualifier_and_era(text: str, en: str, en_us: str, ru: str, zh: str) -> None:
    assert [date_label(text, language) for language in LANGUAGES] == [en, en_us, ru, zh]


@pytest.mark.parametrize("language", LANGUAGES)
def test_era_names_are_cldrs(language: str) -> None:
    before, after = get_era_names("abbreviated", locale=LANGUAGES[language]).values()
    assert before in date_label("-0035", language) and before in date_label("-0201/0220", language)
    assert after in date_label("-0201/0220", language).split(before)[-1]
    assert date_label("0220", language).count(after) == 1  # an AD year of fewer than four digits carries its era
    assert after not in date_label("1220", language)  # a four-digit one does not


@pytest.mark.parametrize(
    ("text", "en", "ru", "zh"),
    [
        ("0001", "AD 1", "1\u00a0г. н. э.", "公元1年"),
        ("0014-08-19", "19 August AD 14", "19 августа 14\u00a0г. н. э.", "公元14年8月19日"),
        ("0999-12-31", "31 December AD 999", "31 декабря 999\u00a0г. н. э.", "公元999年12月31日"),
        ("1000-01-01", "1 January 1000", "1 января 1000\u00a0г.", "1000年1月1日"),
        ("0100/0220", "AD 100\u2009–\u2009AD 220", "100\u00a0г. н. э. — 220\u00a0г. н. э.", "公元100年 – 公元220年"),
        ("0900/1100", "AD 900\u2009–\u2009AD 1100", "900\u00a0г. н. э. — 1100\u00a0г. н. э.", "公元900年 – 公元1100年"),
        ("1000/1100", "1000\u2009–\u20091100", "1000—1100", "1000–1100年"),
        ("001X", "10s AD", "10-е гг. н. э.", "公元10年代"),
        ("09XX", "10th century AD", "X в. н. э.", "公元10世纪"),
        ("10XX", "11th century", "XI в.", "11世纪"),
    ],
)
def test_ad_years_before_1000_carry_their_era(text: str, en: str, ru: str, zh: str) -> None:
    """As Pandoc's citeproc writes them (CSL marks AD years of fewer than four digits); from AD 1000 on, none."""
    assert [date_label(text, language) for language in ("en", "ru", "zh")] == [en, ru, zh]


@pytest.mark.parametrize(
    ("text", "group", "en", "ru", "zh"),
    [
        ("1949-10-02", "decade", "1940s", "1940-е", "1940年代"),
        ("1949-10-02", "year", "1949", "1949", "1949年"),
        ("1949-10-02", "century", "20th century", "XX в.", "20世纪"),
        ("19XX", "decade", "20th century", "XX в.", "20世纪"),  # a century date goes under its century
        ("199X", "year", "1990s", "1990-е", "1990年代"),
        ("-0035", "decade", "30s BC", "30-е гг. до н. э.", "公元前30年代"),
        ("-0035", "century", "1st century BC", "I в. до н. э.", "公元前1世纪"),
        ("-0035", "year", "36 BC", "36\u00a0г. до н. э.", "公元前36年"),
        ("-0201/0220", "decade", "200s BC", "200-е гг. до н. э.", "公元前200年代"),
        ("-0210", "decade", "210s BC", "210-е гг. до н. э.", "公元前210年代"),
        ("../2019", "decade", "2010s", "2010-е", "2010年代"),
    ],
)
def test_chronology_groups_follow_the_era(text: str, group: str, en: str, ru: str, zh: str) -> None:
    assert [period_label(text, group, language) for language in ("en", "ru", "zh")] == [en, ru, zh]


def test_an_unknown_language_is_refused() -> None:
    with pytest.raises(ValueError, match="does not write language 'xx-nope'"):
        date_label("2015-07", "xx-nope")
