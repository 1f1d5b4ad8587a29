"""Reading a workbook file's input sheets into grids, for the headless front ends.

The engine itself never opens files: this edge module does, with openpyxl in read-only mode
(formulas give their last calculated values), and hands the engine plain rows of cell values.
A file that cannot be read as a workbook raises :class:`WorkbookError` with a one-line reason.
"""
from __future__ import annotations

import warnings
import zipfile
import zlib
from pathlib import Path
from typing import IO, Any, Union

from .inputs import input_sheet_names

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
    if any(type(e).__module__.startswith("defusedxml") for e in (err, err.__cause__, err.__context__) if e):
        return (f"{name} is refused: it declares XML entities or a DOCTYPE, which Excel never writes; the file may be "
                "built to attack the reader. Do not open it; ask for a fresh copy saved from Excel.")
    if isinstance(err, KeyError) and "There is no item named" in str(err):
        part = str(err).split("'")[1] if str(err).count("'") >= 2 else "a part"
        return (f"{name} is damaged: its part {part} is missing. Open it in Excel (which offers to repair it) and "
                "save it again.")
    if isinstance(err, (zlib.error, EOFError)):
        return (f"{name} is damaged ({err}). Copy it again, or open it in Excel (which offers to repair it) and save "
                "it again.")
    detail = " ".join(str(err).split())[:200]  # one line, whatever the parser said
    return f"{name} cannot be read as an .xlsx workbook ({type(err).__name__}: {detail}). Open it in Excel and save it as .xlsx."


def read_sheets(source: Source, all_sheets: bool = False) -> dict[str, list[tuple[Any, ...]]]:
    """Sheet name -> rows of cell values, for the input sheets (or every sheet)."""
    from .safety import check_workbook_file

    name = str(source) if isinstance(source, (str, Path)) else getattr(source, "name", "workbook")
    check_workbook_file(source)  # zip bombs, entity tricks and files that are not workbooks: before openpyxl
    with warnings.catch_warnings():
        # Reading values only: openpyxl's warnings about parts it would not keep do not matter here.
        warnings.simplefilter("ignore")
        return _read(source, name, all_sheets)


def _read(source: Source, name: str, all_sheets: bool) -> dict[str, list[tuple[Any, ...]]]:
    if not isinstance(source, (str, Path)):
        return _read_open(source, name, all_sheets)
    # Opened here, not by openpyxl, so the file is closed even when openpyxl fails part-way.
    try:
        stream = open(source, "rb")  # noqa: SIM115 - closed by the with below; opening is what may fail here
    except OSError as err:
        raise WorkbookError(_describe_failure(name, err)) from err
    with stream:
        return _read_open(stream, name, all_sheets)


def _read_open(source: IO[bytes], name: str, all_sheets: bool) -> dict[str, list[tuple[Any, ...]]]:
    import openpyxl

    try:
        book = openpyxl.load_workbook(source, read_only=True, data_only=True)
    except Exception as err:  # openpyxl raises many kinds for a bad file; each becomes one message
        raise WorkbookError(_describe_failure(name, err)) from err
    try:
        wanted = set(book.sheetnames) if all_sheets else set(input_sheet_names(book.sheetnames))
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
