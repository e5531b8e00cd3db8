"""English dates and numbers without Babel, byte for byte as Babel writes them.

Most briefs are in English, and loading Babel's locale data costs more than
the rest of formatting a brief's dates and numbers. This module covers the
common English cases from small tables: day and month dates (``en_GB``,
as ``dates.py`` asks for) from year 1 on, and non-negative numbers below a
quadrillion in the ``en`` locale (plain, or compact such as "8.5 billion").
Each function returns ``None`` for what it does not cover, and the caller
then asks Babel; ``tests/test_english.py`` checks both agree.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_EVEN, Decimal

__all__ = ["compact_decimal", "currency_symbol", "day_label", "decimal", "month_label"]

_MONTHS = ("", "January", "February", "March", "April", "May", "June",
           "July", "August", "September", "October", "November", "December")
# CLDR ``en`` long compact names, by power of a thousand.
_COMPACT_NAMES = {6: "million", 9: "billion", 12: "trillion"}
_COMPACT_BELOW = Decimal(10) ** 15  # past "999 trillion" CLDR has no name; Babel does it
_DECIMAL_STEP = Decimal("0.001")  # the ``en`` pattern #,##0.### keeps three fraction digits
# Symbols ``en`` gives the currencies briefs usually quote; other codes go to Babel.
_CURRENCY_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "CNY": "CN¥"}


def day_label(year: int, month: int, day: int) -> str | None:
    """A day as ``en_GB`` writes it in long form ("2 October 1949"); ``None`` before year 1."""
    return f"{day} {_MONTHS[month]} {year}" if year >= 1 else None


def month_label(year: int, month: int) -> str | None:
    """A month as ``en_GB`` writes it ("October 2015"); ``None`` before year 1."""
    return f"{_MONTHS[month]} {year}" if year >= 1 else None


def decimal(value: float) -> str | None:
    """``value`` as Babel's ``format_decimal`` writes it in ``en`` ("12,000", "8.125"); ``None`` if negative or not finite."""
    number = _non_negative(value)
    if number is None:
        return None
    return _plain(number.quantize(_DECIMAL_STEP, rounding=ROUND_HALF_EVEN), grouped=True)


def compact_decimal(value: float) -> str | None:
    """``value`` of a million or more as Babel's long compact format with one fraction digit
    writes it in ``en`` ("8 billion", "12.5 million"); ``None`` outside a million to a quadrillion."""
    number = _non_negative(value)
    if number is None or not Decimal(10) ** 6 <= number < _COMPACT_BELOW:
        return None
    power = 3 * ((len(str(int(number))) - 1) // 3)
    scaled = round(number / Decimal(10) ** power, 1)
    return f"{_plain(scaled, grouped=False)} {_COMPACT_NAMES[power]}"


def currency_symbol(code: str) -> str | None:
    """The ``en`` symbol of a currency briefs often quote ("$"); ``None`` for the rest."""
    return _CURRENCY_SYMBOLS.get(code)


def _non_negative(value: float) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return None
    if math.copysign(1, value) < 0:  # negative numbers (and -0.0) are left to Babel
        return None
    return Decimal(str(value))


def _plain(number: Decimal, grouped: bool) -> str:
    """``number`` without trailing fraction zeros, with thousands separators if ``grouped``."""
    text = f"{number:,f}" if grouped else f"{number:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
