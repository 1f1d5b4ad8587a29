"""What each Excel client posts for a workbook, built from the .xlsx file without Excel.

For tests and benchmarks, and for IT to see how large a workbook's payload is before choosing a
route (the server's limit is 10 MB by default; Office Scripts cap a request at 5 MB)::

    python -m addin.payloads dashboard.xlsx

The payload follows xlwings 0.37.8's clients: ``client``, ``version``, ``book``, ``names``
and, per sheet, ``values`` from A1. VBA and Office Scripts send each included sheet's used
range (Excel's UsedRange counts cells that are only formatted); Office.js sends the values-only
used range and its address. Dates arrive as ISO text (``2024-04-01T00:00:00.000Z``) for
date-formatted cells only; empty cells are ``null`` from VBA and ``""`` from the Office.js-based
clients. Sheets left out by INCLUDE: VBA and Office.js send ``[[]]``; Office Scripts (xlwings
0.37.8) repeats the previous included sheet's values, a quirk of its client script.
"""

from __future__ import annotations

import datetime as _dt
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from addin.excel import INCLUDE_SHEETS
from kpi_engine.xlsx.reader import open_workbook

VBA, OFFICE_SCRIPTS, OFFICE_JS = "VBA", "Microsoft Office Scripts", "Office.js"
CLIENTS = (VBA, OFFICE_SCRIPTS, OFFICE_JS)
XLWINGS_VERSION = "0.37.8"  # the version the notes and tests were measured with


def iso(value: _dt.datetime | _dt.date) -> str:
    if not isinstance(value, _dt.datetime):
        value = _dt.datetime(value.year, value.month, value.day)
    return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"


def _client_value(cell: Any, client: str) -> Any:
    value = cell.value
    if value is None:
        return None if client == VBA else ""
    if isinstance(value, (_dt.datetime, _dt.date)) and cell.is_date:
        return iso(value)
    if isinstance(value, _dt.time):
        return iso(_dt.datetime.combine(_dt.date(1899, 12, 30), value))
    return value


def _values_extent(ws: Any) -> tuple[int, int]:
    rows = cols = 0
    for row in ws.iter_rows():
        for cell in row:
            if cell.value is not None:
                rows, cols = max(rows, cell.row), max(cols, cell.column)
    return rows, cols


def _column_letter(n: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(n)


def _names(book: Any) -> list[dict[str, Any]]:
    """The workbook's named ranges as every client sends them: book scope, the address without
    "$" (VBA's ``Address(False, False)``); names that are not one range are left out."""
    positions = {ws.title: i for i, ws in enumerate(book.worksheets)}
    names = []
    for name, defined in book.defined_names.items():
        destinations = list(defined.destinations)
        if len(destinations) != 1 or destinations[0][0] not in positions:
            continue
        sheet, address = destinations[0]
        names.append(
            {
                "name": name,
                "sheet_index": positions[sheet],
                "address": address.replace("$", ""),
                "book_scope": True,
                "scope_sheet_name": None,
                "scope_sheet_index": None,
            }
        )
    return names


def client_payload(
    path: str | Path,
    client: str,
    include: Sequence[str] | None = INCLUDE_SHEETS,
    version: str | None = None,
    book: Any = None,
) -> dict[str, Any]:
    """The JSON ``client`` would post for the workbook at ``path`` (after a JSON round trip)."""
    if client not in CLIENTS:
        raise ValueError(f"client must be one of {', '.join(CLIENTS)}")
    if book is None:
        book = open_workbook(path, data_only=True)
    if version is None:
        try:
            import xlwings

            version = xlwings.__version__
        except ImportError:  # pragma: no cover - xlwings is a dependency
            version = XLWINGS_VERSION
    sheets = []
    previous: list[list[Any]] = [[]]
    for ws in book.worksheets:
        included = include is None or ws.title in include
        entry: dict[str, Any] = {"name": ws.title, "pictures": [], "tables": []}
        if client == OFFICE_JS:
            rows, cols = _values_extent(ws)
            entry["used_range_address"] = f"A1:{_column_letter(cols)}{rows}" if rows else None
        else:
            rows, cols = ws.max_row, ws.max_column
            if rows == cols == 1 and ws["A1"].value is None:
                rows = cols = 0  # an empty sheet: VBA's IsEmpty(UsedRange.Value)
        if not included:
            values = previous if client == OFFICE_SCRIPTS else [[]]
        elif rows == 0:
            values = [[]]
        else:
            values = [
                [_client_value(cell, client) for cell in row]
                for row in ws.iter_rows(min_row=1, max_row=rows, min_col=1, max_col=cols)
            ]
            previous = values
        entry["values"] = values
        sheets.append(entry)
    payload = {
        "client": client,
        "version": version,
        "book": {"name": Path(path).name, "active_sheet_index": 0, "selection": "A1"},
        "names": _names(book),
        "sheets": sheets,
    }
    round_trip: dict[str, Any] = json.loads(json.dumps(payload))  # a dict comes back a dict
    return round_trip


def main(argv: Sequence[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args:
        print("usage: python -m addin.payloads WORKBOOK.xlsx", file=sys.stderr)
        sys.exit(2)
    book = open_workbook(args[0], data_only=True)
    for client in CLIENTS:
        for include, label in (
            (INCLUDE_SHEETS, "INCLUDE = input and output sheets"),
            (None, "every sheet"),
        ):
            size = len(
                json.dumps(client_payload(args[0], client, include, book=book)).encode("utf-8")
            )
            print(f"{client:26} {label:36} {size / 1_000_000:8.2f} MB")


if __name__ == "__main__":  # pragma: no cover
    main()
