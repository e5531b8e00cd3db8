"""Dates as the registry writes them (a subset of EDTF) and as people read them.

A date may be a day, month, year, decade (``199X``) or century (``19XX``),
approximate (``~``), uncertain (``?``) or both (``%``), a range (``A/B``) or
an open range (``A/..``, ``../B``), and before Christ (``-0035`` is 36 BC:
year 0 is 1 BC). This module parses and validates such dates, sorts them,
and compares them with an as-of day; ``briefgen.l10n.dates`` formats them in a
brief's language. It must not know about facts, YAML or files, nor import
l10n (which sits above it); and it must not use ``datetime.date`` for a
registry date (it cannot hold years before 1 AD).
"""

from __future__ import annotations

import datetime as dt
import enum
import os
import re
from dataclasses import dataclass
from functools import lru_cache

__all__ = ["DatePoint", "DayTuple", "EDTFDate", "Precision", "parse_date", "resolve_as_of"]

DayTuple = tuple[int, int, int]
"""A calendar day as (year, month, day); the year is astronomical (0 = 1 BC, -35 = 36 BC)."""

_OPEN = ".."
_BEFORE_ALL: DayTuple = (-(10**9), 1, 1)
_AFTER_ALL: DayTuple = (10**9, 12, 31)
_POINT = re.compile(
    r"(?P<sign>-)?(?P<year>\d{4}|\d{3}X|\d{2}XX)(?:-(?P<month>\d{2})(?:-(?P<day>\d{2}))?)?(?P<qualifier>[~?%])?"
)
_QUALIFIERS = {"": (False, False), "~": (True, False), "?": (False, True), "%": (True, True)}


class Precision(enum.IntEnum):
    """How much of a date is known; a larger value is more precise."""

    CENTURY = 0
    DECADE = 1
    YEAR = 2
    MONTH = 3
    DAY = 4


@dataclass(frozen=True, slots=True)
class DatePoint:
    """One end of a date: the years it may fall in, an optional month and day, and its qualifiers."""

    first_year: int
    last_year: int
    precision: Precision
    month: int | None = None
    day: int | None = None
    approximate: bool = False
    uncertain: bool = False

    @property
    def earliest(self) -> DayTuple:
        return (self.first_year, self.month or 1, self.day or 1)

    @property
    def latest(self) -> DayTuple:
        month = self.month or 12
        return (self.last_year, month, self.day or _days_in_month(self.last_year, month))



@dataclass(frozen=True, slots=True)
class EDTFDate:
    """A registry date: one point, or a range whose ends may be open (``None``).

    ``text`` is the date as written in the registry (canonical EDTF). For a
    single date ``start is end``.
    """

    text: str
    start: DatePoint | None
    end: DatePoint | None
    is_range: bool = False

    def __str__(self) -> str:
        return self.text

    @property
    def earliest(self) -> DayTuple | None:
        """The first day the date can mean; ``None`` when the range is open at the start."""
        return self.start.earliest if self.start else None

    @property
    def latest(self) -> DayTuple | None:
        """The last day the date can mean; ``None`` when the range is open at the end."""
        return self.end.latest if self.end else None

    @property
    def start_year(self) -> int | None:
        """The (astronomical) year of the first day, for grouping; ``None`` if open at the start."""
        return self.start.first_year if self.start else None

    @property
    def end_year(self) -> int | None:
        """The (astronomical) year of the last day; ``None`` if open at the end."""
        return self.end.last_year if self.end else None

    @property
    def precision(self) -> Precision:
        """The precision of the least precise end (an open range counts as a century)."""
        if self.start is None or self.end is None:
            return Precision.CENTURY
        return min(self.start.precision, self.end.precision)

    @property
    def is_open(self) -> bool:
        return self.start is None or self.end is None

    @property
    def is_approximate(self) -> bool:
        return any(point.approximate for point in self._points())

    @property
    def is_uncertain(self) -> bool:
        return any(point.uncertain for point in self._points())

    @property
    def sort_key(self) -> tuple[DayTuple, int, DayTuple]:
        """Earliest day first; on a tie the less precise date first (it heads what falls in it),
        then the earlier latest day. Open ends sort as before/after all dates."""
        rank = -1 if self.is_open else int(self.precision)
        return (self.earliest or _BEFORE_ALL, rank, self.latest or _AFTER_ALL)

    def ends_before(self, day: dt.date) -> bool:
        """True if every day the date can mean is before ``day`` (never for an open end)."""
        return self.latest is not None and self.latest < _day_tuple(day)

    def starts_on_or_before(self, day: dt.date) -> bool:
        """True if the date can mean ``day`` or an earlier day (always for an open start)."""
        return self.earliest is None or self.earliest <= _day_tuple(day)

    def contains(self, day: dt.date) -> bool:
        """True if ``day`` is one of the days the date can mean."""
        return self.starts_on_or_before(day) and not self.ends_before(day)


    def _points(self) -> tuple[DatePoint, ...]:
        return tuple(point for point in (self.start, self.end) if point is not None)


def parse_date(text: str | int | dt.date) -> EDTFDate:
    """Parse a registry date; raise ``ValueError`` with a message a person can act on.

    YAML may hand over an ``int`` (an unquoted year) or a ``datetime.date``
    (an unquoted day); both are accepted as the text they were written as.
    Equal texts give the same (immutable) object, which keeps a large
    registry, and its cache, smaller.
    """
    return _parse_text(_as_text(text))


@lru_cache(maxsize=65536)
def _parse_text(raw: str) -> EDTFDate:
    if "/" not in raw:
        point = _parse_point(raw)
        return EDTFDate(raw, point, point)
    if raw.count("/") > 1:
        raise ValueError(f"'{raw}' has more than one '/' (a range is START/END)")
    first, last = raw.split("/")
    if first == last == _OPEN:
        raise ValueError(f"'{raw}' is open at both ends; give at least one date")
    start = None if first == _OPEN else _parse_point(first)
    end = None if last == _OPEN else _parse_point(last)
    if start is not None and end is not None and end.latest < start.earliest:
        raise ValueError(f"'{raw}' ends before it starts")
    return EDTFDate(raw, start, end, is_range=True)


def resolve_as_of(value: str | dt.date | None = None) -> dt.date:
    """The build's as-of day: ``value`` (ISO ``YYYY-MM-DD``), else ``SOURCE_DATE_EPOCH``'s UTC day, else today."""
    if isinstance(value, dt.date):
        return value
    if value is not None:
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            raise ValueError(f"as-of date '{value}' is not a day like 2026-01-20") from None
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc).date()
        except (ValueError, OverflowError, OSError):
            raise ValueError(f"SOURCE_DATE_EPOCH '{epoch}' is not a number of seconds") from None
    return dt.date.today()


# --- parsing -----------------------------------------------------------------------


def _as_text(value: str | int | dt.date) -> str:
    if isinstance(value, bool):
        raise ValueError(f"'{value}' is not a date")
    if isinstance(value, int):
        sign = "-" if value < 0 else ""
        return f"{sign}{abs(value):04d}"
    if isinstance(value, dt.date):
        return value.isoformat()
    if not isinstance(value, str):
        raise ValueError(f"'{value}' is not a date")
    return value.strip()


def _parse_point(text: str) -> DatePoint:
    match = _POINT.fullmatch(text)
    if match is None:
        raise ValueError(
            f"'{text}' is not a date (write 1949-10-02, 2015-07, 2011, 2013~, 1995/2019, 2022/.., 199X or -0035)"
        )
    digits, month, day = match["year"], match["month"], match["day"]
    negative = match["sign"] == "-"
    unknown = digits.count("X")
    if unknown and month is not None:
        raise ValueError(f"'{text}' gives a month in a decade or century (write 199X or 1995-07)")
    precision = (Precision.YEAR, Precision.DECADE, Precision.CENTURY)[unknown]
    low = int(digits.replace("X", "0"))
    high = int(digits.replace("X", "9"))
    first, last = (-high, -low) if negative else (low, high)
    if month is not None:
        precision = Precision.DAY if day is not None else Precision.MONTH
        _check_day(text, last, int(month), int(day) if day else None)
    approximate, uncertain = _QUALIFIERS[match["qualifier"] or ""]
    return DatePoint(
        first_year=first,
        last_year=last,
        precision=precision,
        month=int(month) if month else None,
        day=int(day) if day else None,
        approximate=approximate,
        uncertain=uncertain,
    )


def _check_day(text: str, year: int, month: int, day: int | None) -> None:
    if not 1 <= month <= 12:
        raise ValueError(f"'{text}' has month {month:02d} (months are 01 to 12)")
    if day is not None and not 1 <= day <= _days_in_month(year, month):
        raise ValueError(f"'{text}' has day {day:02d}, but that month has {_days_in_month(year, month)} days")


def _days_in_month(year: int, month: int) -> int:
    if month == 2:
        import calendar  # here, not at the top: importing it costs every warm build 12 M instructions, and only parsing a date needs it

        return 29 if calendar.isleap(year) else 28
    return 30 if month in (4, 6, 9, 11) else 31


def _day_tuple(day: dt.date) -> DayTuple:
    return (day.year, day.month, day.day)
