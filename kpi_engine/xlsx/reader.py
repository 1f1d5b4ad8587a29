"""The one door through which a user's workbook file is opened.

Every command that reads a workbook (validate, fill, batch, pack, upgrade, and the Excel routes'
test payloads) opens it here, and nowhere else: :func:`open_workbook` always runs the zip and XML
guard (:mod:`kpi_engine.xlsx.guard`) before openpyxl sees a byte, and turns whatever openpyxl
raises for a bad file into one :class:`~kpi_engine.errors.WorkbookError` line that names the file
and says what to do. The engine itself never opens files: it is handed plain rows of cell values.

The template version is read here too, one way for every command: the Template info sheet's
"Template version" row (B1 in every template) wins; where that sheet is gone, the workbook's
custom document property; else ``None`` (a workbook not made from a kpi-dashboard template).
"""

from __future__ import annotations

import io
import re
import warnings
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from kpi_engine.errors import WorkbookError
from kpi_engine.inputs import input_sheet_names
from kpi_engine.issues import Issue
from kpi_engine.sheets import normalise
from kpi_engine.workbook_names import TEMPLATE_INFO_SHEET, TEMPLATE_VERSION_PROPERTY, version_text
from kpi_engine.xlsx.guard import check_workbook_file
from kpi_engine.xlsx.package import Package
from kpi_engine.xlsx.parts import SheetPart
from kpi_engine.xlsx.parts import sheets as sheet_parts
from kpi_engine.xlsx.values import read_grids

if TYPE_CHECKING:
    from openpyxl.workbook.workbook import Workbook

Source = str | Path | IO[bytes]
VERSION_LABEL = "template version"  # column A of the Template info sheet, normalised
VERSION_SEARCH_ROWS = 10
CUSTOM_PROPERTIES = "docProps/custom.xml"


def name_of(source: Source) -> str:
    """How a message names the file: its path, or a stream's name."""
    if isinstance(source, (str, Path)):
        return str(source)
    return str(getattr(source, "name", "workbook"))


def describe_failure(name: str, err: Exception) -> str:
    """One line for a file openpyxl could not read: what is wrong and what to do about it."""
    if isinstance(err, FileNotFoundError):
        return f"{name}: no such file. Check the name and folder."
    if isinstance(err, IsADirectoryError):
        return f"{name} is a folder, not a workbook."
    if isinstance(err, PermissionError):
        return (
            f"{name} cannot be opened: permission denied. Close it in Excel or check the file's "
            "permissions."
        )
    if isinstance(err, zipfile.BadZipFile):
        return (
            f"{name} is not an .xlsx workbook (it may be an old .xls, a .xlsb, a "
            "password-protected or a damaged file). Open it in Excel and save it as 'Excel "
            "Workbook (*.xlsx)'."
        )
    if any(
        type(e).__module__.startswith("defusedxml")
        for e in (err, err.__cause__, err.__context__)
        if e
    ):
        return (
            f"{name} is refused: it declares XML entities or a DOCTYPE, which Excel never writes; "
            "the file may be built to attack the reader. Do not open it; ask for a fresh copy "
            "saved from Excel."
        )
    if isinstance(err, KeyError) and "There is no item named" in str(err):
        part = str(err).split("'")[1] if str(err).count("'") >= 2 else "a part"
        return (
            f"{name} is damaged: its part {part} is missing. Open it in Excel (which offers to "
            "repair it) and save it again."
        )
    if isinstance(err, (zlib.error, EOFError)):
        return (
            f"{name} is damaged ({err}). Copy it again, or open it in Excel (which offers to "
            "repair it) and save it again."
        )
    detail = " ".join(str(err).split())[:200]  # one line, whatever the parser said
    return (
        f"{name} cannot be read as an .xlsx workbook ({type(err).__name__}: {detail}). Open it in "
        "Excel and save it as .xlsx."
    )


def open_workbook(
    source: Source,
    *,
    read_only: bool = False,
    data_only: bool = False,
    keep_warnings: list[str] | None = None,
    name: str | None = None,
) -> Workbook:
    """The workbook at ``source``, opened by openpyxl after the guard has passed it.

    Raises :class:`WorkbookError` (one line, naming the file) for anything that is not a safe,
    readable .xlsx. openpyxl's warnings about parts it will not keep are collected into
    ``keep_warnings`` when given, else dropped. A read-only workbook reads its stream lazily: use
    :func:`opened`, which keeps the file open for its block and closes it after.
    """
    name = name or name_of(source)
    check_workbook_file(source, name=name)  # zip bombs, entity tricks, files that are not workbooks
    import openpyxl  # after the guard: a refused file costs no more than the guard

    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            if isinstance(source, (str, Path)):
                # Opened here, not by openpyxl, so the file is closed even when openpyxl fails.
                with open(source, "rb") as stream:
                    book = openpyxl.load_workbook(stream, read_only=read_only, data_only=data_only)
            else:
                book = openpyxl.load_workbook(source, read_only=read_only, data_only=data_only)
    except Exception as err:  # openpyxl raises many kinds for a bad file; each becomes one line
        raise WorkbookError(describe_failure(name, err)) from err
    if keep_warnings is not None:
        keep_warnings.extend(str(w.message) for w in caught)
    return book


@contextmanager
def opened(source: Source, *, data_only: bool = True) -> Iterator[Workbook]:
    """A read-only workbook for the length of a ``with`` block; any failure while its sheets are
    read becomes a :class:`WorkbookError` naming the file."""
    name = name_of(source)
    with ExitStack() as files:
        if isinstance(source, (str, Path)):
            try:
                stream: IO[bytes] = files.enter_context(open(source, "rb"))
            except OSError as err:
                raise WorkbookError(describe_failure(name, err)) from err
        else:
            stream = source
        book = open_workbook(stream, read_only=True, data_only=data_only, name=name)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter(
                    "ignore"
                )  # reading values: parts openpyxl would drop do not matter
                yield book
        except WorkbookError:
            raise
        except Exception as err:
            raise WorkbookError(describe_failure(name, err)) from err
        finally:
            book.close()


def sheet_rows(ws: Any) -> list[tuple[Any, ...]]:
    """A worksheet's rows of values from A1, whatever size the file declares for it."""
    if hasattr(ws, "reset_dimensions"):
        ws.reset_dimensions()  # some writers record a wrong size; read what is there
    return list(ws.iter_rows(min_row=1, min_col=1, values_only=True))


def is_worksheet(ws: Any) -> bool:
    """False for a chart sheet, which has no cells (a chart sheet with an input sheet's name reads
    as if that sheet were missing)."""
    return hasattr(ws, "iter_rows")


def read_sheets(source: Source, all_sheets: bool = False) -> dict[str, list[tuple[Any, ...]]]:
    """Sheet name -> rows of cell values, for the input sheets (or every sheet). A formula gives
    its last calculated value, as Excel saved it."""
    with opened(source) as book:
        wanted = set(book.sheetnames) if all_sheets else set(input_sheet_names(book.sheetnames))
        return {
            name: sheet_rows(book[name])
            for name in book.sheetnames
            if name in wanted and is_worksheet(book[name])
        }


def read_all_sheets(source: Source) -> list[tuple[str, list[list[Any]], list[list[str | None]]]]:
    """Every worksheet's values (a formula gives its last calculated value) and each cell's
    number format (``None`` for General), in sheet order: what ``kpi-dashboard import`` reads
    to recognise a hand-made dashboard's layout, and the unit its cells show."""
    out = []
    with opened(source) as book:
        for name in book.sheetnames:
            ws = book[name]
            if not is_worksheet(ws):
                continue
            if hasattr(ws, "reset_dimensions"):
                ws.reset_dimensions()
            values: list[list[Any]] = []
            formats: list[list[str | None]] = []
            for row in ws.iter_rows(min_row=1, min_col=1):
                values.append([getattr(cell, "value", None) for cell in row])
                formats.append(
                    [
                        fmt if (fmt := getattr(cell, "number_format", None)) != "General" else None
                        for cell in row
                    ]
                )
            out.append((name, values, formats))
    return out


@dataclass
class SourceWorkbook:
    """A user's workbook as the fill and ``validate`` read it: its package (for the splice
    writer), its sheets, the input sheets' values and template version, and what the reader had
    to say about cells it could not take as they were."""

    name: str
    package: Package
    sheets: list[SheetPart]
    grids: dict[str, list[tuple[Any, ...]]]
    template_version: str | None
    issues: list[Issue] = field(default_factory=list)


def read_workbook(source: Source) -> SourceWorkbook:
    """Read ``source`` through the guard: the package's parts as bytes, the input sheets' values
    through python-calamine (:mod:`kpi_engine.xlsx.values`); openpyxl is not involved. Raises
    :class:`WorkbookError`, one line naming the file, for anything that is not a safe, readable
    .xlsx."""
    name = name_of(source)
    check_workbook_file(source, name=name)
    try:
        if isinstance(source, (str, Path)):
            with open(source, "rb") as stream:
                data = stream.read()
        else:
            source.seek(0)
            data = source.read()
        package = Package(io.BytesIO(data))
        sheets = sheet_parts(package)
        by_name = {s.name: s for s in sheets if s.part and s.kind == "worksheet"}
        wanted = [n for n in input_sheet_names([s.name for s in sheets]) if n in by_name]
        info = next(
            (s for s in by_name.values() if normalise(s.name) == normalise(TEMPLATE_INFO_SHEET)),
            None,
        )
        to_read = {n: by_name[n].part for n in wanted}
        if info is not None:
            to_read[info.name] = info.part
        grids, issues = read_grids(package, data, to_read, name)
    except WorkbookError:
        raise
    except Exception as err:  # calamine and the zip reader raise many kinds for a bad file
        raise WorkbookError(describe_failure(name, err)) from err
    version = _version_in_rows(grids.pop(info.name)) if info is not None else None
    if version is None:
        version = _version_in_properties(package)
    return SourceWorkbook(name, package, sheets, grids, version, issues)


def _version_in_properties(package: Package) -> str | None:
    if CUSTOM_PROPERTIES not in package:
        return None
    xml = package.read(CUSTOM_PROPERTIES)
    pattern = rb'<property\b[^>]*name="' + re.escape(TEMPLATE_VERSION_PROPERTY.encode())
    m = re.search(pattern + rb'"[^>]*>\s*<vt:\w+>([^<]*)<', xml)
    return version_text(m.group(1).decode("utf-8")) if m else None


def _version_in_rows(rows: list[tuple[Any, ...]]) -> str | None:
    for row in rows[:VERSION_SEARCH_ROWS]:
        if len(row) >= 2 and isinstance(row[0], str) and normalise(row[0]) == VERSION_LABEL:
            version = version_text(row[1])
            if version is not None:
                return version
    return None


def template_version(book: Workbook) -> str | None:
    """The template version a workbook says it follows: the Template info sheet's "Template
    version" row wins, then the custom document property, else ``None``."""
    for name in book.sheetnames:
        ws = book[name]
        if normalise(name) != normalise(TEMPLATE_INFO_SHEET) or not is_worksheet(ws):
            continue
        rows = ws.iter_rows(min_row=1, max_row=VERSION_SEARCH_ROWS, max_col=2, values_only=True)
        version = _version_in_rows(list(rows))
        if version is not None:
            return version
    props = getattr(book, "custom_doc_props", None)
    for prop in getattr(props, "props", None) or []:
        if prop.name == TEMPLATE_VERSION_PROPERTY:
            return version_text(prop.value)
    return None
