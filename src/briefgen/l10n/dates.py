"""Registry dates as people read them, in a brief's language, from CLDR through Babel.

Any EDTF date the registry holds (``registry/dates.py`` parses and sorts
them) at any precision: a day, month or year in the locale's own pattern
("20 January 2026", "20 января 2026 г.", "2026年1月20日"), a decade or
century ("1990s", "XX в.", "公元前1世纪"), approximate and uncertain dates,
ranges in CLDR's interval patterns ("1995–2019"), open ranges ("since
2022"), and years before Christ with the locale's era names ("36 BC",
"36 г. до н. э.", "公元前36年"). Years AD before 1000 carry the era too
("AD 14", "14 г. н. э.", "10s AD", "5th century AD"), as Pandoc's citeproc
writes them (CSL marks AD years of fewer than four digits), so that a small
year beside BC ones is never read as a bare number; a range that crosses
the era, or starts before AD 1000, marks both ends ("202 BC – AD 220").
``period_label`` names the decade, century or year a date falls in, for
chronology groups. Words around dates come from ``labels.py``; Babel is
imported only when a date is formatted.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from briefgen import cache
from briefgen.l10n.labels import label
from briefgen.l10n.languages import FORMATTING_CODE, base_language, locale
from briefgen.l10n.numbers import ordinal
from briefgen.registry.dates import DatePoint, EDTFDate, Precision, parse_date

if TYPE_CHECKING:
    from babel import Locale

__all__ = ["GROUPS", "date_label", "period_label"]

GROUPS = ("century", "decade", "year")
"""How a chronology may group its events (``period_label``)."""

_SKELETONS = {Precision.YEAR: "y", Precision.MONTH: "yMMMM", Precision.DAY: "yMMMMd"}
_GROUP_PRECISION = {"century": Precision.CENTURY, "decade": Precision.DECADE, "year": Precision.YEAR}
_MARKED_BEFORE = 1000  # years AD below this carry the era, as CSL marks years of fewer than four digits
_ROMAN = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
          (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))


@cache.remembered_calls("labels", *FORMATTING_CODE)
def date_label(value: EDTFDate | dt.date | str, language: str) -> str:
    """``value`` as people read it in ``language``: "2 October 1949", "1995–2019", "since 2022"."""
    date = value if isinstance(value, EDTFDate) else parse_date(value)
    if date.start is None:
        assert date.end is not None  # parse_date refuses '../..'
        return _spaces(label(language, "date_until", date=_point(date.end, language)))
    if date.end is None:
        return _spaces(label(language, "date_since", date=_point(date.start, language)))
    if not date.is_range:
        return _spaces(_point(date.start, language))
    return _spaces(_range(date.start, date.end, language))


@cache.remembered_calls("labels", *FORMATTING_CODE)
def period_label(value: EDTFDate | dt.date | str, group: str, language: str) -> str:
    """The century, decade or year (``group``) a date starts in, as a chronology heading.

    A date less precise than the group is headed by its own precision: a
    century-precision date goes under its century even when grouping by decade.
    Open-start dates go under the period of their end.
    """
    date = value if isinstance(value, EDTFDate) else parse_date(value)
    point = date.start or date.end
    assert point is not None
    precision = min(_GROUP_PRECISION[group], point.precision)
    year = point.first_year if point.first_year >= 1 else point.last_year
    whole = DatePoint(year, year, Precision.YEAR)
    if precision is Precision.CENTURY:
        return _spaces(_century(whole, language))
    if precision is Precision.DECADE:
        return _spaces(_decade(whole, language))
    return _spaces(_year(year, language, era=_marked(year)))


def _marked(year: int) -> bool:
    """Does ``year`` carry its era: every year BC, and AD years of fewer than four digits?"""
    return year < _MARKED_BEFORE


def _range(start: DatePoint, end: DatePoint, language: str) -> str:
    loc = locale(language)
    marked = _marked(start.first_year) and end.last_year >= 1  # crosses the era, or AD before 1000: both ends say it
    if not marked and _plain(start) and _plain(end) and start.precision == end.precision and start.first_year >= 1:
        from babel.dates import format_interval

        return format_interval(_day(start, first=True), _day(end, first=False), _SKELETONS[start.precision], locale=loc)
    pattern = loc.interval_formats[None]
    return pattern.replace("{0}", _point(start, language, era=marked)).replace("{1}", _point(end, language, era=marked))


def _plain(point: DatePoint) -> bool:
    """A day, month or year with no qualifier: what CLDR's interval patterns can write."""
    return point.precision >= Precision.YEAR and not (point.approximate or point.uncertain)


def _day(point: DatePoint, *, first: bool) -> dt.date:
    year = point.first_year if first else point.last_year
    return dt.date(year, point.month or 1, point.day or 1)


def _point(point: DatePoint, language: str, *, era: bool = False) -> str:
    """One end of a date, with its qualifiers ("c. 2013 (?)"); ``era`` marks an AD date too."""
    if point.precision is Precision.CENTURY:
        text = _century(point, language)
    elif point.precision is Precision.DECADE:
        text = _decade(point, language)
    elif point.precision is Precision.YEAR:
        text = _year(point.first_year, language, era=era or _marked(point.first_year))
    else:
        text = _dated(point, language, era=era or _marked(point.first_year))
    if point.approximate:
        text = label(language, "date_approximate", date=text)
    if point.uncertain:
        text = label(language, "date_uncertain", date=text)
    return text


def _year(year: int, language: str, *, era: bool) -> str:
    point = DatePoint(year, year, Precision.YEAR)
    return _dated(point, language, era=era)


def _dated(point: DatePoint, language: str, *, era: bool) -> str:
    """A year, month or day in the locale's pattern (skeleton ``y``, ``yMMMM``, ``yMMMMd``, with ``G`` for the era)."""
    skeleton = _SKELETONS[point.precision]
    loc = locale(language)
    if not era:
        from babel.dates import format_skeleton

        return format_skeleton(skeleton, _day(point, first=True), locale=loc)
    return _era_pattern("G" + skeleton, point, loc, english=base_language(language) == "en")


def _era_pattern(skeleton: str, point: DatePoint, loc: Locale, *, english: bool) -> str:
    """CLDR's pattern for ``skeleton`` filled in by hand: ``datetime.date`` holds no year before 1 AD."""
    from babel.dates import DateTimeFormat, get_era_names, match_skeleton, tokenize_pattern

    pattern = loc.datetime_skeletons[match_skeleton(skeleton, loc.datetime_skeletons)].pattern
    if "MMMM" in skeleton and "MMMM" not in pattern and "LLLL" not in pattern:  # the nearest has abbreviated months
        pattern = pattern.replace("MMM", "MMMM").replace("LLL", "LLLL")
    year = point.first_year
    after_christ = year >= 1
    if english and after_christ:  # English writes the era before an AD year ("AD 220") but after a BC one ("202 BC")
        pattern = pattern.replace("y G", "G y")
    era = get_era_names("abbreviated", locale=loc)[int(after_christ)]
    stand_in = DateTimeFormat(dt.date(2000, point.month or 1, point.day or 1), loc)  # 2000: a leap year
    parts = []
    for kind, value in tokenize_pattern(pattern):
        if kind == "chars":
            parts.append(value)
            continue
        field, width = value
        parts.append(era if field == "G" else str(year if after_christ else 1 - year) if field == "y" else stand_in[field * width])
    return "".join(parts)


def _decade(point: DatePoint, language: str) -> str:
    if point.first_year >= 1 or (point.first_year == 0 and point.precision is Precision.DECADE):
        year = max(point.first_year, 0) // 10 * 10
        if _marked(year):
            return label(language, "decade_era", year=year, era=_era_name(language, after_christ=True))
        return label(language, "decade", year=year)
    # BC years count down: 36 BC lies in the 30s BC.
    return label(language, "decade_era", year=(1 - point.last_year) // 10 * 10, era=_era_name(language, after_christ=False))


def _century(point: DatePoint, language: str) -> str:
    if point.first_year >= 0 and not (point.first_year == 0 and point.precision is Precision.YEAR):
        number = point.first_year // 100 + 1
        if not _marked((number - 1) * 100 + 1):
            return label(language, "century", number=number, ordinal=ordinal(number, language), roman=_roman(number))
        era = _era_name(language, after_christ=True)
    else:
        number = (1 - point.last_year - 1) // 100 + 1
        era = _era_name(language, after_christ=False)
    return label(language, "century_era", number=number, ordinal=ordinal(number, language), roman=_roman(number), era=era)


def _era_name(language: str, *, after_christ: bool) -> str:
    from babel.dates import get_era_names

    return get_era_names("abbreviated", locale=locale(language))[int(after_christ)]


def _roman(number: int) -> str:
    digits = []
    for value, numeral in _ROMAN:
        count, number = divmod(number, value)
        digits.append(numeral * count)
    return "".join(digits)


def _spaces(text: str) -> str:
    # CLDR puts a narrow no-break space in some patterns ("1949 г."); not every reader's font has it.
    return text.replace("\u202f", "\u00a0")
