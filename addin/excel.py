"""Refreshing an open workbook through xlwings: the one function every Excel route calls.

``refresh(book)`` reads the input sheets' values through xlwings, runs the same engine as the
headless ``kpi-dashboard fill`` (:func:`kpi_engine.pipeline.run`), plans the writes
(:mod:`addin.plan`) and only then applies them, so a failure before the first write leaves the
previous output in place. The book may be:

- a desktop workbook (classic xlwings, ``RunPython "import addin; addin.main()"``);
- a remote book, ``xw.Book(json=payload)``, built from what the VBA ``RunRemotePython`` or the
  Office Scripts ``runPython`` client posted (the writes become the response's actions);
- the book xlwings Server hands to a ``@script`` (:mod:`addin.officejs`).

The Charts sheet's charts reach Excel as pictures, one per page of small multiples, drawn by
matplotlib (:mod:`addin.pictures`, imported only when a refresh draws them) before the first
write: only the Office.js client could add native charts, and every route must show the same.

xlwings is imported here, never by ``import addin``; the remote engine (``xlwings.pro``) is
used only when the caller built a remote book, which is PolyForm-licensed (see
docs/excel-guide.md).
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import re
from collections.abc import Iterator
from typing import Any

from addin.plan import (
    AddSheet,
    ClearCells,
    ClearContents,
    DeletePicture,
    PictureInfo,
    Plan,
    PutPicture,
    WriteValues,
    plan_refresh,
)
from kpi_engine.charts import CHART_DATA_NAME, REF_COLUMN, Slot, slots_in, slots_named
from kpi_engine.inputs import find_sheets
from kpi_engine.pipeline import run
from kpi_engine.results import Report
from kpi_engine.sheets import Grid
from kpi_engine.workbook_names import (
    CHARTS,
    INPUT_SHEETS,
    OUTPUT_SHEETS,
    TEMPLATE_INFO_SHEET,
    version_text,
)
from kpi_engine.xlsx.values import column_number

#: The sheets a refresh reads: what the workbook's xlwings.conf INCLUDE (or @script include) should
#: list, so the payload carries nothing else (Instructions, officers' own sheets).
INCLUDE_SHEETS = (*INPUT_SHEETS, *OUTPUT_SHEETS, TEMPLATE_INFO_SHEET)


# The ISO text a remote client sends for a date-formatted cell (xlwings' own pattern)
_ISO_DATETIME = re.compile(
    r"^(-?(?:[1-9][0-9]*)?[0-9]{4})-(1[0-2]|0[1-9])-(3[01]|0[1-9]|[12][0-9])"
    r"T(2[0-3]|[01][0-9]):([0-5][0-9]):([0-5][0-9])(\.[0-9]+)?(Z|[+-](?:2[0-3]|[01][0-9]):[0-5][0-9])?$"
)


def _sent_text(value: str) -> Any:
    """A remote client's text as xlwings reads it: a date-formatted cell's ISO text back to a
    datetime, "" (an empty cell from Office.js) to None."""
    if value == "":
        return None
    if value[:1].isdigit() and _ISO_DATETIME.match(value):
        return _dt.datetime.fromisoformat(value.removesuffix("Z"))
    return value


def _sent_grid(sheet: Any, convert: bool = True) -> Grid | None:
    """A remote sheet's values straight from the client's payload (None for a desktop sheet):
    the same values xlwings' range reading gives, without its per-cell conversion machinery,
    which costs a big workbook's refresh most of a second. ``convert`` False: as sent (enough
    for an output sheet, whose old values only say how far they reached)."""
    api = getattr(sheet, "api", None)
    values = api.get("values") if isinstance(api, dict) else None
    if not isinstance(values, list):
        return None
    grid = [
        tuple([v if v.__class__ is not str else _sent_text(v) for v in row])
        if convert
        else tuple(row)
        for row in values
        if isinstance(row, list)
    ]
    if len(grid) <= 1 and all(v is None for row in grid for v in row):
        return []  # an empty sheet: [[]], or only A1 and it blank
    return grid


def sheet_grid(sheet: Any, convert: bool = True) -> Grid:
    """A sheet's values from A1 to the last cell of its used range, as the headless reader gives
    them: dates as datetimes (the remote clients send ISO text for date-formatted cells, which
    xlwings turns back into datetimes), empty cells as None (Office.js sends ""), and Excel's
    error values as their text (#N/A), as openpyxl reads them. ``convert`` False: a remote
    sheet's values as sent ("" for an empty cell from Office.js, dates as ISO text)."""
    sent = _sent_grid(sheet, convert)
    if sent is not None:
        return sent
    last = sheet.used_range.last_cell
    rows, cols = last.row, last.column
    values = sheet.range((1, 1), (rows, cols)).options(ndim=2, err_to_str=True).value
    grid = [tuple(row) for row in values]
    if rows == 1 and cols == 1 and grid == [(None,)]:
        return []  # an empty sheet (Excel reports A1 as its used range)
    return grid


def _values_not_sent(book: Any) -> set[str]:
    """Sheets whose values a remote client left out of its payload (the workbook's INCLUDE or
    EXCLUDE setting): VBA and Office.js send ``[[]]`` for them; Office Scripts (xlwings 0.37.8)
    repeats the previous sheet's values, so a sheet whose values equal the previous sheet's is
    taken as not sent. Empty for a desktop workbook."""
    payload = getattr(book, "api", None)
    if not isinstance(payload, dict) or not isinstance(payload.get("sheets"), list):
        return set()
    repeats = payload.get("client") == "Microsoft Office Scripts"
    missing, previous = set(), None
    for sheet in payload["sheets"]:
        values = sheet.get("values") or [[]]
        if not any(len(row) for row in values) or (
            repeats and previous is not None and values == previous
        ):
            missing.add(sheet.get("name"))
        previous = values
    return missing


def read_book(book: Any) -> tuple[dict[str, Grid], dict[str, Grid | None], str | None]:
    """(input sheet grids, output sheet grids (None: no such sheet, []: values not sent),
    template version)."""
    sheets = {s.name: s for s in book.sheets}
    names = find_sheets({n: [] for n in sheets})
    inputs = {name: sheet_grid(sheets[name]) for name in names.values()}
    not_sent = _values_not_sent(book)
    outputs: dict[str, Grid | None] = {}
    for name in OUTPUT_SHEETS:
        sheet = sheets.get(name)
        outputs[name] = (
            None if sheet is None else ([] if name in not_sent else sheet_grid(sheet, False))
        )
    version = None
    if TEMPLATE_INFO_SHEET in sheets:
        version = version_text(sheets[TEMPLATE_INFO_SHEET].range("B1").value)
    return inputs, outputs, version


def _number(value: Any) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def read_pictures(book: Any) -> dict[str, list[PictureInfo]]:
    """The pictures on each output sheet (name and size in points), as the client reports them."""
    out: dict[str, list[PictureInfo]] = {}
    sheets = {s.name: s for s in book.sheets}
    for name in OUTPUT_SHEETS:
        sheet = sheets.get(name)
        if sheet is None:
            continue
        infos = []
        for picture in sheet.pictures:
            try:
                infos.append(
                    PictureInfo(str(picture.name), _number(picture.width), _number(picture.height))
                )
            except KeyError:  # pragma: no cover - a client that reports a picture without its size
                infos.append(PictureInfo(str(picture.name)))
        out[name] = infos
    return out


def draw_pictures(plan: Plan) -> Plan:
    """The plan with each picture's PNG drawn (matplotlib, imported here and only when needed)."""
    if not any(isinstance(op, PutPicture) for op in plan.operations):
        return plan
    import dataclasses

    from addin.pictures import page_png

    drawn: list[Any] = []
    for op in plan.operations:
        if isinstance(op, PutPicture):
            op = dataclasses.replace(op, image=page_png(op.charts, op.width, op.height))
        drawn.append(op)
    return Plan(drawn)


def is_remote(book: Any) -> bool:
    """True for a book built from a client's JSON payload (VBA, Office Scripts, Office.js)."""
    try:
        remote: bool = book.app.engine.type == "remote"  # xlwings is untyped: this is Any
        return remote
    except AttributeError:  # pragma: no cover - an engine without a type is a desktop one
        return False


@contextlib.contextmanager
def _desktop_speed(book: Any) -> Iterator[None]:
    """Desktop Excel: no repainting or recalculation while writing. Remote clients cannot apply
    these (VBA and Office Scripts have no handler), so they are never sent to them."""
    if is_remote(book):
        yield
        return
    app = book.app
    saved = None
    try:
        saved = (app.screen_updating, app.calculation)
        app.screen_updating = False
        app.calculation = "manual"
    except Exception:  # noqa: BLE001  # pragma: no cover - desktop only; COM may raise anything
        saved = None
    try:
        yield
    finally:
        if saved is not None:  # pragma: no cover - desktop only
            app.screen_updating, app.calculation = saved


def _put_picture(sheet: Any, op: PutPicture, folder: str) -> None:
    import os

    path = os.path.join(folder, f"{op.name.replace(' ', '-')}.png")
    with open(path, "wb") as f:
        f.write(op.image)
    if op.replace:  # replaced in place: the client keeps the old picture's position and size
        sheet.pictures.add(path, name=op.name, update=True)
        return
    picture = sheet.pictures.add(path, name=op.name, anchor=sheet.range((op.row, op.col)))
    # The remote clients add a picture at its pixel size: set the size the page's cells take.
    picture.width = op.width
    picture.height = op.height


def apply_plan(book: Any, plan: Plan) -> None:
    """Apply the operations through xlwings' public API (one xlwings call per operation)."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix="kpi-pictures-") as folder:
        _apply(book, plan, folder)


def _apply(book: Any, plan: Plan, folder: str) -> None:
    remote = is_remote(book)
    for op in plan.operations:
        if isinstance(op, AddSheet):
            book.sheets.add(op.sheet, after=book.sheets[len(book.sheets) - 1])
            continue
        sheet = book.sheets[op.sheet]
        if isinstance(op, PutPicture):
            if not op.image:
                raise ValueError(f"picture {op.name} was not drawn: call draw_pictures(plan) first")
            _put_picture(sheet, op, folder)
            continue
        if isinstance(op, DeletePicture):
            sheet.pictures[op.name].delete()
            continue
        if isinstance(op, ClearContents):
            sheet.clear_contents()
        elif isinstance(op, ClearCells):
            sheet.range((op.row, op.col), (op.row + op.rows - 1, op.col + op.cols - 1)).clear()
        elif isinstance(op, WriteValues):
            cells = sheet.range((op.row, op.col), (op.row + op.rows - 1, op.col + op.cols - 1))
            if remote:
                # Sent as they are: the plan's values are already what the clients take (text,
                # numbers, booleans), so xlwings' per-cell conversion is skipped; "" clears a
                # cell (a client may read null as "leave it as it is").
                cells.options("raw").value = [
                    ["" if v is None else v for v in row] for row in op.values
                ]
            else:
                cells.value = op.values
        else:  # pragma: no cover - a new operation type must be taught here
            raise TypeError(f"unknown operation {op!r}")


_CELLS = re.compile(r"^\$?([A-Z]{1,3})\$?([0-9]+)(?::\$?([A-Z]{1,3})\$?([0-9]+))?$")


def _named_cells(book: Any, wanted: str) -> list[tuple[str, int, int, int, int]]:
    """Where a workbook-scoped name refers (sheet, first row, first column, last row, last
    column), for each entry of that name: from a remote client's payload as sent, else through
    the desktop workbook's names."""
    found = []
    payload = getattr(book, "api", None)
    if isinstance(payload, dict):
        sheets = payload.get("sheets") or []
        for entry in payload.get("names") or []:
            if str(entry.get("name", "")).casefold() != wanted.casefold():
                continue
            if entry.get("book_scope") is False:
                continue  # a sheet's own name: not the fill's
            m = _CELLS.match(str(entry.get("address", "")).split("!")[-1].upper())
            index = entry.get("sheet_index")
            if m is None or not isinstance(index, int) or not 0 <= index < len(sheets):
                continue
            first_col, first = column_number(m.group(1)), int(m.group(2))
            last_col, last = column_number(m.group(3) or m.group(1)), int(m.group(4) or first)
            found.append((str(sheets[index].get("name")), first, first_col, last, last_col))
        return found
    for name in book.names:
        if str(name.name).casefold() != wanted.casefold():
            continue
        try:
            cells = name.refers_to_range
            last = cells.last_cell
            found.append((str(cells.sheet.name), cells.row, cells.column, last.row, last.column))
        except Exception:  # noqa: BLE001, S112 - a name that no longer refers to cells (#REF!)
            continue
    return found


def chart_slots(book: Any) -> int | None:
    """How many charts of its own the workbook's Charts sheet has (the headless fill made them
    and named their data CHART_DATA_NAME: its rows, in column C), or None: then the refresh
    draws pictures. A name moved by an edit (a column inserted) no longer counts."""
    for sheet, first, first_col, last, last_col in _named_cells(book, CHART_DATA_NAME):
        if sheet.casefold() == CHARTS.casefold() and first_col == last_col == REF_COLUMN:
            count = slots_named(int(first), int(last))
            if count is not None:
                return count
    return None


def prepare(book: Any, refreshed: _dt.datetime | None = None) -> tuple[Report, Plan]:
    """Read and compute everything, write nothing: the report and the writes that would show it.

    A workbook with charts of its own gets values only: its charts read them. One without gets
    the charts as pictures, and the Charts sheet says how to give it charts."""
    inputs_grids, outputs, version = read_book(book)
    old_charts = outputs.get(CHARTS)
    count = chart_slots(book) if old_charts is not None else None
    slots: list[Slot] | int | None = None
    if count is not None:  # each chart keeps the indicator it was made for, as its rows say
        slots = slots_in(old_charts or [], count)
        if slots is None:  # the Charts sheet's values were not sent: in the indicators' order
            slots = count
    report, model = run(
        inputs_grids, version, refreshed, chart_slots=slots, chart_pictures=count is None
    )
    plan = plan_refresh(model, outputs, read_pictures(book), native_charts=count is not None)
    return report, draw_pictures(plan)


def refresh(book: Any, refreshed: _dt.datetime | None = None) -> Report:
    """Rewrite the output sheets (Summary, Dashboard, Validation, Teams, Charts) of ``book`` from
    its input sheets, the charts as pictures.

    Gives the same values, words and formats as ``kpi-dashboard fill``. Everything is computed
    before the first write. Returns the engine's report (issues, summary counts).
    """
    report, plan = prepare(book, refreshed)
    with _desktop_speed(book):
        apply_plan(book, plan)
    return report


def main() -> None:
    """Entry point for classic xlwings: ``RunPython "import addin; addin.main()"``, from the
    workbook's own VBA or from an add-in (.xlam) IT installs with a Refresh button, in which case
    the workbook to refresh is the active one, not the add-in that called."""
    import xlwings as xw

    book = xw.Book.caller()
    if book.name.lower().endswith(".xlam"):
        book = book.app.books.active
    refresh(book)
