"""Reading one cell: what an officer typed, turned into the value the schema speaks of.

Each schema property names how its cells are read (``x-cell``): ``19%`` and ``0.19`` are the same
number, ``Apr-17`` and a date in April 2017 are the same month, ``bib`` is ``BIB``, and the
statistical symbols (``c``, ``x`` ...) are missing values. A cell that cannot be read raises
:class:`CellError` with the reason code and the plain-English words for the message.
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from dataclasses import dataclass
from typing import Any

from .issues import Code
from .missing import marker_of
from .periods import iso, parse_month, parse_month_of_year

_NUMBER = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)?(\.\d+)?$")


@dataclass(frozen=True)
class Uncalculated:
    """A formula whose value the file does not hold: the workbook was saved by a program that
    does not calculate, so there is no figure to read, only the formula's text."""

    formula: str

    def __str__(self) -> str:
        return self.formula


class CellError(ValueError):
    def __init__(self, code: Code, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


def show(value: Any) -> str:
    """A cell value as an officer would recognise it in a message."""
    if isinstance(value, _dt.datetime):
        return (
            value.strftime("%d/%m/%Y") if value.time() == _dt.time() else value.isoformat(sep=" ")
        )
    if isinstance(value, _dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, (int, float)) and not isinstance(value, bool) and abs(value) >= 1e15:
        return (
            f"{value:.6g}"
            if isinstance(value, float)
            else f"{str(value)[:6]}... ({len(str(abs(value)))} digits)"
        )
    text = str(value)
    return text if len(text) <= 60 else text[:57] + "..."


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def read_number(value: Any) -> float | str | None:
    """A number, a missing marker (its canonical text), or None for blank."""
    if value is None:
        return None
    t = type(value)
    if t is float:
        real: float = value
        if math.isfinite(real):
            return real
        raise CellError(Code.NOT_A_NUMBER, "is not a finite number")
    if t is int:
        try:
            return float(value)
        except OverflowError:
            raise CellError(Code.NOT_A_NUMBER, "is too large a number") from None
    if t is bool:
        raise CellError(Code.NOT_A_NUMBER, "is TRUE/FALSE, not a number")
    if t is str:
        text = value.strip()
        if not text:
            return None
        marker = marker_of(text)
        if marker is not None:
            return marker
        percent = text.endswith("%")
        body = text[:-1].strip() if percent else text
        body = body.replace("\u2212", "-")
        if body and _NUMBER.match(body) and any(ch.isdigit() for ch in body):
            number = float(body.replace(",", ""))
            if not math.isfinite(number):
                raise CellError(Code.NOT_A_NUMBER, "is too large a number")
            return number / 100 if percent else number
        raise CellError(Code.NOT_A_NUMBER, "is not a number")
    if isinstance(value, (_dt.date, _dt.datetime, _dt.time)):
        raise CellError(Code.NOT_A_NUMBER, "is a date, not a number")
    if isinstance(value, (int, float)):
        return read_number(float(value))
    raise CellError(Code.NOT_A_NUMBER, "is not a number")


def read_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        text = value.strip()
        return text or None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, _dt.datetime):
        return value.date().isoformat() if value.time() == _dt.time() else value.isoformat()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    return str(value)


# Characters a Ref can carry unseen, pasted from a web page, a PDF or an email: the spaces are
# read as a plain space, the rest as nothing. Joiners and direction marks are left alone: some
# scripts need them.
INVISIBLE = {
    "\u00a0": ("no-break space", " "),
    "\u2007": ("figure space", " "),
    "\u202f": ("narrow no-break space", " "),
    "\u2009": ("thin space", " "),
    "\u200a": ("hair space", " "),
    "\u3000": ("ideographic space", " "),
    "\u00ad": ("soft hyphen", ""),
    "\u200b": ("zero-width space", ""),
    "\u2060": ("word joiner", ""),
    "\ufeff": ("zero-width no-break space", ""),
}


def without_invisibles(text: str) -> tuple[str, str] | None:
    """``text`` with its invisible characters made plain, and how it looks with them named
    (``FD<no-break space>3``); None when it has none."""
    if not any(c in INVISIBLE for c in text):
        return None
    plain = " ".join("".join(INVISIBLE[c][1] if c in INVISIBLE else c for c in text).split())
    shown = "".join(f"<{INVISIBLE[c][0]}>" if c in INVISIBLE else c for c in text)
    return plain, shown


def read_code(value: Any, enum: tuple[Any, ...], aliases: dict[str, str]) -> str | None:
    """Case-insensitive match to the canonical spelling; unknown text is returned as typed."""
    text = read_text(value)
    if text is None:
        return None
    key = " ".join(text.lower().split())
    for allowed in enum:
        if isinstance(allowed, str) and allowed.lower() == key:
            return allowed
    return aliases.get(key, text)


def read_month(value: Any) -> str | None:
    if is_blank(value):
        return None
    m = parse_month(value)
    if m is None:
        raise CellError(Code.NOT_A_MONTH, "is not a month")
    return iso(m)


def read_integer(value: Any) -> int | str | None:
    number = read_number(value)
    if number is None:
        return None
    if isinstance(number, str):
        raise CellError(Code.NOT_A_NUMBER, "is not a whole number")
    if not float(number).is_integer():
        raise CellError(Code.NOT_A_NUMBER, "is not a whole number")
    return int(number)


def read_month_of_year(value: Any) -> int | None:
    if is_blank(value):
        return None
    n = parse_month_of_year(value)
    if n is None:
        raise CellError(Code.NOT_A_MONTH, "is not a month of the year")
    return n


def read_date(value: Any) -> str | None:
    if is_blank(value):
        return None
    if isinstance(value, _dt.datetime):
        return value.date().isoformat()
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, str):
        text = value.strip()
        for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d %B %Y", "%d %b %Y"):
            try:
                return _dt.datetime.strptime(text, fmt).date().isoformat()
            except ValueError:
                continue
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 30000 <= value < 100000:
        return (_dt.date(1899, 12, 30) + _dt.timedelta(days=int(value))).isoformat()
    raise CellError(Code.NOT_A_MONTH, "is not a date")


def read_number_or_text(value: Any) -> float | str | None:
    try:
        number = read_number(value)
    except CellError:
        return read_text(value)
    if isinstance(number, float) and number.is_integer() and abs(number) < 1e15:
        return int(number)
    return number


def read_cell(
    kind: str, value: Any, enum: tuple[Any, ...] = (), aliases: dict[str, str] | None = None
) -> Any:
    """Read a cell by its column's kind; raises :class:`CellError` when it cannot be read."""
    if kind == "number":
        return read_number(value)
    if kind == "text":
        return read_text(value)
    if kind == "month":
        return read_month(value)
    if kind == "code":
        return read_code(value, enum, aliases or {})
    if kind == "integer":
        return read_integer(value)
    if kind == "month-of-year":
        return read_month_of_year(value)
    if kind == "date":
        return read_date(value)
    if kind == "number-or-text":
        return read_number_or_text(value)
    raise ValueError(f"unknown cell kind {kind!r}")
