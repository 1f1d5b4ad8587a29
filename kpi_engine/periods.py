"""Months as the engine counts them.

A month is held as one integer, ``year * 12 + (month - 1)``, so that "six months back" or "months
between baseline and plan" is plain subtraction. Officers type months in many ways (a date, the
text ``Apr-17``, ``2017-04``, ``April 2017``, an Excel serial number); :func:`parse_month` reads
all of them and returns ``None`` for anything that is not a month.
"""

from __future__ import annotations

import datetime as _dt
import functools
import re

Month = int

MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
FULL_MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_MONTH_LOOKUP = {name.lower(): i + 1 for i, name in enumerate(MONTH_NAMES)}
_MONTH_LOOKUP.update({full.lower(): i + 1 for i, full in enumerate(FULL_MONTH_NAMES)})
_MONTH_LOOKUP["sept"] = 9

_ISO = re.compile(r"^(\d{4})[-/](\d{1,2})(?:[-/](\d{1,2}))?(?:[ T].*)?$")
_NAME_YEAR = re.compile(r"^([A-Za-z]{3,9})[\s\-/.']*(\d{2}|\d{4})$")
_DMY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_EXCEL_EPOCH = _dt.date(1899, 12, 30)


def month(year: int, month_number: int) -> Month:
    """The month index of a calendar year and month (1-12)."""
    return year * 12 + (month_number - 1)


def month_number(m: Month) -> int:
    """1 for January ... 12 for December."""
    return m % 12 + 1


def iso(m: Month) -> str:
    """``YYYY-MM``, the form used in JSON results."""
    return f"{m // 12:04d}-{m % 12 + 1:02d}"


FAR_YEARS = 50  # a month this far from the reporting period is labelled with its whole year


@functools.lru_cache(maxsize=4096)
def label(m: Month, near: Month | None = None) -> str:
    """``Apr-17``, the form officers use in column headers; ``Jan-2199`` for a month whose two
    digits would be read back as another year (outside 1970-2069), or that is more than
    :data:`FAR_YEARS` years from ``near`` (the reporting period)."""
    year = m // 12
    far = near is not None and abs(m - near) > FAR_YEARS * 12
    if far or not _two_digit_year(70) <= year <= _two_digit_year(69):
        return f"{MONTH_NAMES[m % 12]}-{year:04d}"
    return f"{MONTH_NAMES[m % 12]}-{year % 100:02d}"


def long_label(m: Month) -> str:
    """``April 2017``, for sentences."""
    return _dt.date(m // 12, m % 12 + 1, 1).strftime("%B %Y")


def _real_day(year: int, month_number: int, day: int) -> bool:
    try:
        _dt.date(year, month_number, day)
    except ValueError:
        return False
    return True


def _two_digit_year(y: int) -> int:
    return 2000 + y if y < 70 else 1900 + y


FIRST_YEAR, LAST_YEAR = 1900, 2200


def parse_month(value: object) -> Month | None:
    """Read a month from a cell value, or ``None`` when it is not one (or outside 1900-2200).

    A date anywhere in a month means that month (month-end dates are common). Whole numbers in
    Excel's serial range (1982-2173) are dates that lost their format on the way in.
    """
    m = _parse_month(value)
    if m is None or not FIRST_YEAR <= m // 12 <= LAST_YEAR:
        return None
    return m


def _parse_month(value: object) -> Month | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, _dt.datetime):
        return value.year * 12 + value.month - 1
    if isinstance(value, _dt.date):
        return value.year * 12 + value.month - 1
    if isinstance(value, (int, float)):
        if 30000 <= value < 100000 and float(value).is_integer():
            d = _EXCEL_EPOCH + _dt.timedelta(days=int(value))
            return d.year * 12 + d.month - 1
        return None
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text:
        return None
    m = _ISO.match(text)
    if m:
        y, mo = int(m.group(1)), int(m.group(2))
        day = m.group(3)
        if 1 <= mo <= 12 and 1900 <= y <= 2200 and (day is None or _real_day(y, mo, int(day))):
            return y * 12 + mo - 1
        return None
    m = _NAME_YEAR.match(text)
    if m:
        named = _MONTH_LOOKUP.get(m.group(1).lower())
        if named is None:
            return None
        y = int(m.group(2))
        if y < 100:
            y = _two_digit_year(y)
        return y * 12 + named - 1
    m = _DMY.match(text)
    if m:
        dd, mo, y = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if 1 <= mo <= 12 and _real_day(y, mo, dd):
            return y * 12 + mo - 1
    return None


_FROM_ISO: dict[str, Month] = {}


def from_iso(text: str) -> Month:
    """The month of a ``YYYY-MM`` text already checked by the schema
    (cached: Data has many rows)."""
    try:
        return _FROM_ISO[text]
    except KeyError:
        m = int(text[:4]) * 12 + int(text[5:7]) - 1
        _FROM_ISO[text] = m
        return m


def parse_month_of_year(value: object) -> int | None:
    """A month of the year (1-12) from ``April``, ``Apr``, ``4`` or a date; ``None`` otherwise."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        if float(value).is_integer() and 1 <= value <= 12:
            return int(value)
        whole = parse_month(value)
        return None if whole is None else month_number(whole)
    if isinstance(value, str):
        text = value.strip().lower()
        if text.isdigit() and 1 <= int(text) <= 12:
            return int(text)
        if text in _MONTH_LOOKUP:
            return _MONTH_LOOKUP[text]
    whole = parse_month(value)
    return None if whole is None else month_number(whole)


def year_start(m: Month, start_month: int) -> Month:
    """The first month of the reporting year that contains ``m`` (April for an April year)."""
    start = (m // 12) * 12 + start_month - 1
    return start if start <= m else start - 12
