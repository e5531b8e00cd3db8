"""english.py writes English dates and numbers exactly as Babel does, and declines what it does not cover."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from babel.dates import format_date, format_skeleton
from babel.numbers import format_compact_decimal, format_decimal

from briefgen import english


def _numbers() -> list[float]:
    rng = random.Random(7)
    edges = [0, 1, 999, 1000, 12_000, 0.5, 0.0005, 0.0015, 1.0005, 8.125, 999_999, 1e6, 1_050_000, 1_150_000,
             1_250_000, 999_949_999, 999_950_000, 8e9, 8.5e9, 9.99e14, 999_999_999_999_999, 0.1 + 0.2, 1e-7]
    drawn = [rng.randint(0, 10 ** rng.randint(0, 15)) for _ in range(500)]
    floats = [round(rng.random() * 10 ** rng.randint(-3, 14), rng.randint(0, 4)) for _ in range(500)]
    return [*edges, *drawn, *floats]


@pytest.mark.parametrize("year", [1, 5, 999, 1949, 2026])
def test_dates_match_babel_en_gb(year: int) -> None:
    for month in range(1, 13):
        assert english.month_label(year, month) == format_skeleton("yMMMM", dt.date(year, month, 1), locale="en_GB")
        for day in (1, 2, 28):
            assert english.day_label(year, month, day) == format_date(dt.date(year, month, day), "long", locale="en_GB")


def test_numbers_match_babel_en() -> None:
    for value in _numbers():
        assert english.decimal(value) == format_decimal(value, locale="en"), value
        if value >= 1_000_000:
            expected = format_compact_decimal(value, format_type="long", locale="en", fraction_digits=1)
            assert english.compact_decimal(value) == expected, value


def test_declines_what_it_does_not_cover() -> None:
    assert english.day_label(0, 1, 1) is None
    assert english.month_label(-35, 3) is None
    assert english.decimal(-1) is None
    assert english.decimal(-0.0) is None
    assert english.decimal(float("nan")) is None
    assert english.compact_decimal(999_999) is None
    assert english.compact_decimal(10**15) is None
    assert english.currency_symbol("USD") == "$"
    assert english.currency_symbol("BYN") is None
