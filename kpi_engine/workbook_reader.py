"""Reading a workbook file's input sheets into grids, for the headless front ends.

The engine itself never opens files: this edge module does, with openpyxl in read-only mode
(formulas give their last calculated values), and hands the engine plain rows of cell values.
A file that cannot be read as a workbook raises :class:`WorkbookError` with a one-line reason.
"""
from __future__ import annotations

import zipfile
from pathlib import Path
from typing import IO, Any, Union

from .inputs import find_sheets

Source = Union[str, Path, IO[bytes]]


class WorkbookError(Exception):
    """The file cannot be read as an .xlsx workbook; the message says why and what to do."""


def _describe_failure(name: str, err: Exception) -> str:
    if isinstance(err, FileNotFoundError):
        return f"{name}: no such file. Check the name and folder."
    if isinstance(err, IsADirectoryError):
        return f"{name} is a folder, not a workbook."
    if isinstance(err, PermissionError):
        return f"{name} cannot be opened: permission denied. Close it in Excel or check the file's permissions."
    if isinstance(err, zipfile.BadZipFile):
        return (f"{name} is not an .xlsx workbook (it may be an old .xls, a .xlsb, a password-protected or a damaged "
                "file). Open it in Excel and save it as 'Excel Workbook (*.xlsx)'.")
    return f"{name} cannot be read as an .xlsx workbook ({type(err).__name__}: {err}). Open it in Excel and save it as .xlsx."


def read_sheets(source: Source, all_sheets: bool = False) -> dict[str, list[tuple[Any, ...]]]:
    """Sheet name -> rows of cell values, for the input sheets (or every sheet)."""
    import openpyxl

    name = str(source) if isinstance(source, (str, Path)) else getattr(source, "name", "workbook")
    try:
        book = openpyxl.load_workbook(source, read_only=True, data_only=True)
    except Exception as err:  # openpyxl raises many kinds for a bad file; each becomes one message
        raise WorkbookError(_describe_failure(name, err)) from err
    try:
        wanted = set(book.sheetnames) if all_sheets else set(find_sheets({n: [] for n in book.sheetnames}).values())
        grids: dict[str, list[tuple[Any, ...]]] = {}
        for sheet_name in book.sheetnames:
            if sheet_name not in wanted:
                continue
            ws = book[sheet_name]
            if not hasattr(ws, "iter_rows"):
                continue  # a chart sheet
            ws.reset_dimensions()
            grids[sheet_name] = [row for row in ws.iter_rows(min_row=1, min_col=1, values_only=True)]
        return grids
    except Exception as err:
        raise WorkbookError(_describe_failure(name, err)) from err
    finally:
        book.close()
