"""The input sheets' values, read fast: python-calamine, and the XML where calamine is blind.

calamine (a Rust reader) reads a sheet's values in a fraction of openpyxl's time, but it sees
three things as it should not, and each is put right here from the sheet's own XML:

- a formula Excel never calculated (no stored value) reads as a blank: it is found by its
  ``<f>`` element without a ``<v>``, and handed to the engine as :class:`Uncalculated`, which
  names the cell, instead of silently missing;
- an error value (``#N/A``, ``#DIV/0!``) reads as a blank: it is given its text, as Excel shows it;
- a stray cell far outside the table (an officer's typo at XFD1048576) makes calamine allocate
  the whole grid up to it, and python-calamine 0.9 aborts the process when that fails. Each
  sheet's real extent is worked out from its cell references before calamine sees it; cells far
  beyond the table are left out, each reported at its cell.

The values come out as openpyxl gives them, so every front end reads the same grid: whole
numbers as ``int``, empty cells as ``None``, dates as ``datetime``.
"""

from __future__ import annotations

import datetime as _dt
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from kpi_engine.cells import Uncalculated
from kpi_engine.errors import WorkbookError
from kpi_engine.issues import Code, Issue, Severity, column_letter
from kpi_engine.xlsx.package import Package, write_package
from kpi_engine.xlsx.parts import plain_xml

# A grid needing more cells than this (rows x columns, as calamine allocates it) is checked for
# stray cells far outside its table. A 200-indicator Data sheet is about 130,000 cells.
DENSE_CELL_LIMIT = 2_000_000
# The most cells (rows x columns) a sheet's table may span once stray cells are left out: about
# 350 MB as calamine holds them, and some 40 times the largest real dashboard's Data sheet.
TABLE_CELL_LIMIT = 10_000_000
# Rows (or columns) of nothing between the table and a cell that make that cell stray.
STRAY_GAP_ROWS = 1_000
STRAY_GAP_COLUMNS = 200
MAX_STRAY_REPORTED = 10

CELL_REF = re.compile(rb'<c\b[^>]*?\sr="([A-Z]{1,3})([0-9]{1,7})"')
WIDE_CELL_REF = re.compile(rb' r="([A-Z]{2,3})[0-9]')  # only cells' references have letters
LAST_ROW = re.compile(rb'<row\b[^>]*?\sr="([0-9]{1,7})"')
CELL_START = re.compile(rb"<c\b")
REF_ATTR = re.compile(rb'\sr="([A-Z]{1,3})([0-9]{1,7})"')
TYPE_ATTR = re.compile(rb'\st="([a-zA-Z]+)"')
VALUE = re.compile(rb"<v>([^<]*)</v>")
FORMULA = re.compile(rb"<f\b[^>]*?(?:/>|>([^<]*)</f>)")


@dataclass(frozen=True)
class Cell:
    row: int  # 1-based
    col: int


def column_number(letters: bytes | str) -> int:
    """A1-style column letters as a number: A is 1, XFD is 16384."""
    n = 0
    for ch in letters if isinstance(letters, str) else letters.decode("ascii"):
        n = n * 26 + ord(ch) - 64
    return n


def column_letters(n: int) -> str:
    """A column number as letters: 1 is A."""
    return column_letter(n - 1)


def _last_row(xml: bytes) -> int:
    last = xml.rfind(b"<row ")
    if last >= 0:
        m = LAST_ROW.match(xml, last)
        if m:
            return int(m.group(1))
    # rows without numbers: the cells' own references
    return max((int(m.group(2)) for m in CELL_REF.finditer(xml)), default=0)


def _too_large(xml: bytes, limit: int = DENSE_CELL_LIMIT) -> bool:
    """Whether a reader allocating from A1 would need more than ``limit`` cells: found cheaply,
    from the last row's number and only as much of the columns as that row count needs."""
    rows = _last_row(xml)
    if rows * 16384 <= limit:  # 16384 columns: as wide as a sheet can be
        return False
    wide = max((column_number(m.group(1)) for m in WIDE_CELL_REF.finditer(xml)), default=0)
    if rows * wide > limit:
        return True
    allowed = limit // rows
    return any(_names_column(xml, 64 + n) for n in range(allowed + 1, 27))


def _names_column(xml: bytes, letter: int) -> bool:
    """Whether some cell's reference is in the one-letter column ``letter`` (a literal search:
    fast, where a regular expression would visit every cell)."""
    needle = b' r="' + bytes([letter])
    at = xml.find(needle)
    while at >= 0:
        if 48 <= xml[at + len(needle)] <= 57:  # a digit: the column is this letter alone
            return True
        at = xml.find(needle, at + 1)
    return False


def _exact_extent(xml: bytes) -> tuple[int, int]:
    """(rows, columns) from every cell's own reference: the cost of reading every cell once."""
    rows = cols = 0
    for m in CELL_REF.finditer(xml):
        rows = max(rows, int(m.group(2)))
        cols = max(cols, column_number(m.group(1)))
    return rows, cols


def _main_block(positions: Sequence[int], gap: int) -> int:
    """The last position before the first gap wider than ``gap``: where the table ends."""
    ordered = sorted(set(positions))
    end = ordered[0] if ordered else 0
    for p in ordered[1:]:
        if p - end > gap:
            break
        end = p
    return end


def _cell_spans(xml: bytes) -> list[tuple[int, int, bytes]]:
    """(start, end, reference) of every cell element, in order."""
    spans = []
    for m in CELL_START.finditer(xml):
        start = m.start()
        head_end = xml.find(b">", start)
        if head_end < 0:
            break
        end = head_end + 1 if xml[head_end - 1 : head_end] == b"/" else xml.find(b"</c>", start) + 4
        ref = REF_ATTR.search(xml, start, head_end)
        spans.append((start, end, ref.group(0) if ref else b""))
    return spans


def trim_strays(sheet: str, xml: bytes) -> tuple[bytes, list[Issue]]:
    """The sheet's XML without cells far outside its table, and a warning for each."""
    refs = [(int(m.group(2)), column_number(m.group(1)), m) for m in CELL_REF.finditer(xml)]
    if not refs:
        return xml, []
    last_row = _main_block([r for r, _, _ in refs], STRAY_GAP_ROWS)
    last_col = _main_block([c for _, c, _ in refs], STRAY_GAP_COLUMNS)
    strays = {f"{column_letters(c)}{r}" for r, c, _ in refs if r > last_row or c > last_col}
    if not strays:
        return xml, []
    kept: list[bytes] = []
    position = 0
    for start, end, ref in _cell_spans(xml):
        m = REF_ATTR.search(ref) if ref else None
        address = f"{m.group(1).decode()}{int(m.group(2))}" if m else ""
        if address in strays:
            kept.append(xml[position:start])
            position = end
    kept.append(xml[position:])
    trimmed = b"".join(kept)
    ordered = sorted(strays, key=lambda a: (len(a), a))
    issues = [
        Issue(
            Severity.WARNING,
            sheet,
            address,
            None,
            Code.STRAY_CELL,
            f"{sheet}!{address} holds something far outside the sheet's table (which ends at "
            f"{column_letters(last_col)}{last_row}), so it was left out. Delete it: in Excel, "
            "Ctrl+End shows where the sheet ends.",
        )
        for address in ordered[:MAX_STRAY_REPORTED]
    ]
    if len(ordered) > MAX_STRAY_REPORTED:
        issues.append(
            Issue(
                Severity.WARNING,
                sheet,
                ordered[MAX_STRAY_REPORTED],
                None,
                Code.STRAY_CELL,
                f"{len(ordered) - MAX_STRAY_REPORTED} more cells of {sheet} far outside its "
                "table were left out too.",
            )
        )
    return trimmed, issues


def blind_spots(xml: bytes) -> dict[Cell, Any]:
    """What calamine reads as blank but is not: uncalculated formulas and error values."""
    if b"<f" not in xml and b't="e"' not in xml:
        return {}
    found: dict[Cell, Any] = {}
    for start, end, ref in _cell_spans(xml):
        if not ref:
            continue
        element = xml[start:end].replace(b"<v/>", b"<v></v>")
        if b"<f" not in element and b't="e"' not in element:
            continue
        m = REF_ATTR.search(ref)
        assert m is not None
        where = Cell(int(m.group(2)), column_number(m.group(1)))
        value = VALUE.search(element)
        kind = TYPE_ATTR.search(element[: element.find(b">") + 1])
        text_result = kind is not None and kind.group(1) == b"str"
        if kind and kind.group(1) == b"e" and value:
            found[where] = value.group(1).decode("utf-8")
        elif b"<f" in element and (value is None or (not value.group(1) and not text_result)):
            # No stored value: no <v>, or an empty one (openpyxl writes <v></v> for a formula
            # it saved); only a text result may be empty.
            formula = FORMULA.search(element)
            text = formula.group(1).decode("utf-8") if formula and formula.group(1) else ""
            found[where] = Uncalculated("=" + _unescape(text) if text else "")
    return found


def _unescape(text: str) -> str:
    return (
        text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", '"')
        .replace("&apos;", "'")
        .replace("&amp;", "&")
    )


def normalise(value: Any) -> Any:
    """A calamine value as openpyxl gives it."""
    if isinstance(value, str):
        return None if value == "" else value
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    if isinstance(value, _dt.date) and not isinstance(value, _dt.datetime):
        return _dt.datetime(value.year, value.month, value.day)
    return value


_LARGEST_EXACT = float(2**53)


def _normalised(row: list[Any]) -> tuple[Any, ...]:
    """A row's values as openpyxl gives them (:func:`normalise`, inlined for the common types:
    this runs once for every cell of every input sheet)."""
    out: list[Any] = []
    append = out.append
    for v in row:
        kind = v.__class__
        if kind is str:
            append(v if v else None)
        elif kind is float:
            append(int(v) if v.is_integer() and -_LARGEST_EXACT < v < _LARGEST_EXACT else v)
        elif kind is _dt.date:
            append(_dt.datetime(v.year, v.month, v.day))
        else:
            append(normalise(v))
    return tuple(out)


def read_grids(
    package: Package, data: bytes, parts: dict[str, str], file_name: str = "the workbook"
) -> tuple[dict[str, list[tuple[Any, ...]]], list[Issue]]:
    """The values of the sheets in ``parts`` (sheet name -> its part), from A1, and the
    warnings about cells left out."""
    from python_calamine import CalamineWorkbook

    issues: list[Issue] = []
    xmls = {name: plain_xml(package.read(part)) for name, part in parts.items()}
    trimmed: dict[str, bytes] = {}
    for name, xml in xmls.items():
        if not _too_large(xml):
            continue
        xml, found = trim_strays(name, xml)
        rows, cols = _exact_extent(xml)
        if rows * cols > TABLE_CELL_LIMIT:  # a table that really is that large
            raise WorkbookError(
                f"{file_name}: its sheet '{name}' spans {rows:,} rows and {cols:,} columns, "
                "far more than any dashboard. Delete the rows and columns it does not need, "
                "save it and fill again."
            )
        if found:
            issues += found
            trimmed[parts[name]] = xml
            xmls[name] = xml
    if trimmed:
        rebuilt = io.BytesIO()
        write_package(package, rebuilt, trimmed)
        data = rebuilt.getvalue()
    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    grids: dict[str, list[tuple[Any, ...]]] = {}
    for name in parts:
        rows_read = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
        grid = [_normalised(row) for row in rows_read]
        for cell, value in blind_spots(xmls[name]).items():
            if cell.row <= len(grid):
                row = list(grid[cell.row - 1])
                if cell.col > len(row):
                    row += [None] * (cell.col - len(row))
                row[cell.col - 1] = value
                grid[cell.row - 1] = tuple(row)
            else:  # a trailing row calamine dropped as empty: an uncalculated formula alone
                grid += [()] * (cell.row - 1 - len(grid))
                grid.append((*[None] * (cell.col - 1), value))
        grids[name] = grid
    return grids, issues
