"""Tests for briefgen.registry.dates: every EDTF form the registry accepts, its span, order and checks (labels: test_l10n_dates)."""

from __future__ import annotations

import datetime as dt

import pytest

from briefgen.l10n.dates import date_label, period_label
from briefgen.registry.dates import Precision, parse_date, resolve_as_of


@pytest.mark.parametrize(
    ("text", "earliest", "latest", "precision"),
    [
        ("1949-10-02", (1949, 10, 2), (1949, 10, 2), Precision.DAY),
        ("2016-02", (2016, 2, 1), (2016, 2, 29), Precision.MONTH),
        ("2015-02", (2015, 2, 1), (2015, 2, 28), Precision.MONTH),
        ("2011", (2011, 1, 1), (2011, 12, 31), Precision.YEAR),
        ("199X", (1990, 1, 1), (1999, 12, 31), Precision.DECADE),
        ("19XX", (1900, 1, 1), (1999, 12, 31), Precision.CENTURY),
        ("-0035", (-35, 1, 1), (-35, 12, 31), Precision.YEAR),
        ("-01XX", (-199, 1, 1), (-100, 12, 31), Precision.CENTURY),
        ("1995/2019-06", (1995, 1, 1), (2019, 6, 30), Precision.YEAR),
        ("2022/..", (2022, 1, 1), None, Precision.CENTURY),
        ("../2019", None, (2019, 12, 31), Precision.CENTURY),
    ],
)
def test_span_and_precision(text: str, earliest: tuple[int, int, int] | None, latest: tuple[int, int, int] | None, precision: Precision) -> None:
    date = parse_date(text)
    assert (date.earliest, date.latest, date.precision) == (earliest, latest, precision)


def test_qualifiers_and_kinds() -> None:
    assert parse_date("2013~").is_approximate and not parse_date("2013~").is_uncertain
    assert parse_date("2013?").is_uncertain and not parse_date("2013?").is_approximate
    assert parse_date("2013%").is_approximate and parse_date("2013%").is_uncertain
    assert parse_date("1995/2019").is_range and not parse_date("1995").is_range
    assert parse_date("2022/..").is_open and not parse_date("1995/2019").is_open
    assert (parse_date("1995/2019").start_year, parse_date("1995/2019").end_year) == (1995, 2019)
    assert parse_date("../2019").start_year is None


def test_yaml_scalars_are_accepted() -> None:
    assert parse_date(dt.date(1949, 10, 2)).text == "1949-10-02"
    assert parse_date(2011).text == "2011"
    assert parse_date(-35).text == "-0035" and parse_date(-35).start_year == -35


def test_sort_order_follows_the_registry_contract() -> None:
    texts = ["2015-07-02", "2016", "2015-07", "2015", "-0035", "../2019", "201X", "2015/2016", "2015-07-01", "2022/.."]
    ordered = sorted(texts, key=lambda text: parse_date(text).sort_key)
    assert ordered == [
        "../2019",
        "-0035",
        "201X",  # a decade heads the years in it
        "2015",  # a year heads the ranges starting with it that end later
        "2015/2016",
        "2015-07",
        "2015-07-01",
        "2015-07-02",
        "2016",
        "2022/..",
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2015-13-40", "month 13"),
        ("2015-02-30", "day 30, but that month has 28 days"),
        ("2015-02-29", "28 days"),
        ("2015-04-31", "30 days"),
        ("2019/1995", "ends before it starts"),
        ("../..", "open at both ends"),
        ("1995/2000/2005", "more than one '/'"),
        ("2015-7", "is not a date"),
        ("15 July 2015", "is not a date"),
        ("199X-07", "month in a decade"),
        ("", "is not a date"),
        ("2015~~", "is not a date"),
    ],
)
def test_bad_dates_raise_a_human_message(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace("?", r"\?")):
        parse_date(text)


def test_leap_day_in_a_leap_year_and_in_a_bc_leap_year() -> None:
    assert parse_date("2016-02-29").latest == (2016, 2, 29)
    assert parse_date("-0004-02-29").latest == (-4, 2, 29)


def test_comparisons_with_an_as_of_day() -> None:
    as_of = dt.date(2015, 7, 15)
    assert parse_date("2015-06").ends_before(as_of)
    assert not parse_date("2015-07").ends_before(as_of)
    assert parse_date("2015-07").contains(as_of)
    assert parse_date("2015").starts_on_or_before(as_of)
    assert not parse_date("2015-07-16").starts_on_or_before(as_of)
    assert not parse_date("2010/..").ends_before(as_of)
    assert parse_date("../2020").starts_on_or_before(as_of)
    assert parse_date("-0035").ends_before(as_of)


def test_resolve_as_of(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    assert resolve_as_of("2026-01-20") == dt.date(2026, 1, 20)
    assert resolve_as_of(None) == dt.date.today()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert resolve_as_of(None) == dt.date(2023, 11, 14)
    assert resolve_as_of("2020-02-02") == dt.date(2020, 2, 2)
    with pytest.raises(ValueError, match="not a day"):
        resolve_as_of("2026-13-01")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "soon")
    with pytest.raises(ValueError, match="SOURCE_DATE_EPOCH"):
        resolve_as_of(None)


def test_bc_years_sort_before_small_ad_years() -> None:
    texts = ["0100", "0010", "-0035", "0035", "0001", "-0100", "0000", "-0001"]
    ordered = sorted(texts, key=lambda text: parse_date(text).sort_key)
    assert ordered == ["-0100", "-0035", "-0001", "0000", "0001", "0010", "0035", "0100"]
    assert [date_label(text, "en") for text in ordered] == ["101 BC", "36 BC", "2 BC", "1 BC", "AD 1", "AD 10", "AD 35", "AD 100"]
    decades = ["100s BC", "30s BC", "0s BC", "0s BC", "0s AD", "10s AD", "30s AD", "100s AD"]
    assert [period_label(text, "decade", "en") for text in ordered] == decades


@pytest.mark.parametrize(
    ("text", "last_day", "first_day_after"),
    [
        ("2025", dt.date(2025, 12, 31), dt.date(2026, 1, 1)),
        ("2024-02", dt.date(2024, 2, 29), dt.date(2024, 3, 1)),
        ("2025-06-30", dt.date(2025, 6, 30), dt.date(2025, 7, 1)),
        ("2020/2025-03", dt.date(2025, 3, 31), dt.date(2025, 4, 1)),
        ("202X", dt.date(2029, 12, 31), dt.date(2030, 1, 1)),
    ],
)
def test_a_date_lasts_to_the_end_of_its_last_day(text: str, last_day: dt.date, first_day_after: dt.date) -> None:
    date = parse_date(text)
    assert date.contains(last_day) and not date.ends_before(last_day)
    assert date.ends_before(first_day_after) and not date.contains(first_day_after)
