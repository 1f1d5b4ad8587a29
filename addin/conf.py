"""The workbook's ``xlwings.conf`` sheet: the settings the VBA and Office Scripts clients read.

Both clients read key/value pairs from A1 down (no header row; keys in column A, values in B):

- ``INCLUDE``: the only sheets whose values are sent (comma-separated, no spaces after the
  commas: VBA splits on "," alone). The input sheets, the output sheets (the refresh needs
  their old extent to clear them in the same write) and Template info (its version).
- ``AUTH``: what the client sends as the ``Authorization`` header. A template never carries the
  token itself: it names ``%KPI_DASHBOARD_TOKEN%``, which the VBA client expands from the
  officer's environment (IT sets the variable, e.g. by group policy). Office Scripts do not
  expand it: give their ``runPython`` call the token in its ``auth`` option instead.
- ``TIMEOUT``: how long the VBA client waits for the server, in milliseconds (its default,
  30 s, is short for a big authority on a slow network).

:func:`add_xlwings_conf` writes the sheet into an openpyxl workbook (hidden, so officers are
not tempted to edit it). It contains no secret.
"""

from __future__ import annotations

from typing import Any

from addin.excel import INCLUDE_SHEETS

SHEET = "xlwings.conf"
TOKEN_VARIABLE = "KPI_DASHBOARD_TOKEN"
DEFAULT_TIMEOUT_MS = 120_000


def xlwings_conf_rows(timeout_ms: int = DEFAULT_TIMEOUT_MS) -> list[tuple[str, str]]:
    """The (key, value) rows of the ``xlwings.conf`` sheet, from A1."""
    return [
        ("INCLUDE", ",".join(INCLUDE_SHEETS)),
        ("AUTH", f"%{TOKEN_VARIABLE}%"),
        ("TIMEOUT", str(timeout_ms)),
    ]


def add_xlwings_conf(book: Any, timeout_ms: int = DEFAULT_TIMEOUT_MS, hidden: bool = True) -> Any:
    """Write (or rewrite) the ``xlwings.conf`` sheet of an openpyxl workbook; returns the sheet."""
    if SHEET in book.sheetnames:
        ws = book[SHEET]
        ws.delete_rows(1, ws.max_row)
    else:
        ws = book.create_sheet(SHEET)
    for r, (key, value) in enumerate(xlwings_conf_rows(timeout_ms), start=1):
        ws.cell(r, 1, key)
        ws.cell(r, 2, value)  # all text: the clients read every value as a string
    if hidden:
        ws.sheet_state = "hidden"
    return ws
