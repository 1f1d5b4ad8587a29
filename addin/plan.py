"""What a refresh does to the open workbook, as a handful of Excel operations.

The render model (:mod:`kpi_engine.render`) says what goes in which cell. This module turns it
into the fewest operations that every Excel client can apply, so the round trips an officer
waits for do not grow with the number of indicators:

- per output sheet, ONE 2-D values write from A1 covering the larger of the old content and
  the new, so the old content is cleared in the same write (``None`` for a cleared cell);
- per validation issue, one in-workbook hyperlink;
- only where an old validation link would otherwise be left behind on a row that no longer
  has one, a clear of that one cell (Excel keeps a hyperlink when its cell's value is
  overwritten or cleared, and the remote clients can remove one only with a full clear);
- only where an output sheet's values did not reach Python (it was left out of the workbook's
  ``INCLUDE`` setting, so its old extent is unknown), one clear of the sheet's contents;
- on the Charts sheet, ONE picture per page of small multiples (``kpi_engine.charts.pages``: up
  to 12 charts a page), named ``KPI charts 1``, ``KPI charts 2`` ...: a picture already there at
  the same size is replaced in place (one action), a new one is added and sized (four); pictures
  of pages that no longer exist are deleted. Charts themselves only Office.js could add, so every
  route gets the same pictures; they cover the cells the headless fill's native charts cover.

No fonts, borders, widths, number formats or charts: the template's conditional formats do
the look from what is written (see ``kpi_engine.render``). Nothing here talks to Excel;
:mod:`addin.excel` draws the pictures (:mod:`addin.pictures`) and applies a plan through xlwings.

Text is written so that Excel keeps it as the same text: a value that Excel would read as
something else (a formula, a number, a date, TRUE/FALSE, an error) is sent with a leading
apostrophe, which Excel stores as a "quote prefix" and never shows in the cell.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from kpi_engine.charts import PICTURE_PREFIX, pages
from kpi_engine.render_model import FORMULA_STARTS, HEADER, ROW, ChartSpec, RenderModel, SheetRender
from kpi_engine.sheets import Grid
from kpi_engine.workbook_names import VALIDATION

#: The leading apostrophe (Excel's "quote prefix") sent before text Excel would read as another
#: value, so that Excel keeps the text as it is (and never shows the apostrophe).
QUOTE = "'"
_BOOLEANS = {"TRUE", "FALSE"}
_CELL_ADDRESS = re.compile(r"^\$?[A-Za-z]{1,3}\$?[0-9]{1,7}$")
#: The header of the Validation column whose cells link to the cell an issue is about.
LINKED_COLUMN_HEADER = "Cell"


def needs_quote(text: str) -> bool:
    """Would Excel store ``text``, written as a cell's value, as anything but this same text?

    Writing a value into a range (VBA ``Range.Value``, Office.js ``range.values``) is read as if
    typed: ``=...`` becomes a formula, ``-5 pts``'s cousins ``-5`` and ``5%`` become numbers,
    ``Sep-25`` and ``1/2`` dates, ``12:30`` a time, ``TRUE`` a boolean, ``#N/A`` an error, and a
    leading apostrophe disappears. Every such reading needs a digit, a boolean word or one of
    a few leading characters, so text with none of them is written as it is; the rest is sent
    with a leading apostrophe (over-quoting is harmless: the stored text is the same).
    """
    if not text:
        return False
    if text.startswith((*FORMULA_STARTS, QUOTE, "#")):
        return True
    if any(ch.isdigit() for ch in text):
        return True
    return text.strip().upper() in _BOOLEANS


def excel_value(value: Any) -> Any:
    """The value to send for a cell, so that Excel stores exactly ``value``."""
    if isinstance(value, str) and needs_quote(value):
        return QUOTE + value
    return value


# ---------------------------------------------------------------------------------------------
# Operations


@dataclass(frozen=True)
class AddSheet:
    """An output sheet the workbook lacks: added at the end (the template's look is missing)."""

    sheet: str


@dataclass(frozen=True)
class ClearContents:
    """Clear every value on the sheet, keeping its formats (the sheet's old extent is unknown)."""

    sheet: str


@dataclass(frozen=True)
class ClearCells:
    """Clear a rectangle completely (value, formats, hyperlink): only for stale links."""

    sheet: str
    row: int
    col: int
    rows: int
    cols: int


@dataclass(frozen=True)
class WriteValues:
    """One 2-D values write whose top-left cell is (row, col), 1-based; ``None`` clears a cell."""

    sheet: str
    row: int
    col: int
    values: list[list[Any]]

    @property
    def rows(self) -> int:
        return len(self.values)

    @property
    def cols(self) -> int:
        return len(self.values[0]) if self.values else 0


@dataclass(frozen=True)
class PutPicture:
    """A page of small multiples as one picture, its top-left at (row, col), ``width`` x ``height``
    points. ``replace``: a picture of that name and size is there, so it is replaced in place,
    keeping its position and size; else it is added and sized. ``image`` is the PNG, drawn from
    ``charts`` before the first write (empty in a plan that is not yet drawn)."""

    sheet: str
    name: str
    row: int
    col: int
    width: float
    height: float
    charts: tuple[ChartSpec, ...]
    replace: bool
    image: bytes = field(default=b"", repr=False, compare=False)


@dataclass(frozen=True)
class DeletePicture:
    """A picture of an earlier refresh that this one does not keep."""

    sheet: str
    name: str


Operation = AddSheet | ClearContents | ClearCells | WriteValues | PutPicture | DeletePicture


@dataclass(frozen=True)
class PictureInfo:
    """A picture already on a sheet, as the client reports it (names and sizes in points)."""

    name: str
    width: float | None = None
    height: float | None = None


SIZE_TOLERANCE = 1.0  # points: a picture this close to a page's size is the same size


@dataclass
class Plan:
    operations: list[Operation] = field(default_factory=list)

    def count(self, kind: type | None = None) -> int:
        return sum(1 for op in self.operations if kind is None or isinstance(op, kind))


# ---------------------------------------------------------------------------------------------
# Planning


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value == "")


def occupied_extent(grid: Grid | None) -> tuple[int, int]:
    """(rows, columns) from A1 to the last row and the last column that hold a value.

    A client's used range also counts cells that are only formatted (a template styles rows it
    never fills), so the extent is taken from the values themselves.
    """
    rows = cols = 0
    for r, row in enumerate(grid or (), start=1):
        for c in range(len(row), 0, -1):
            if not _blank(row[c - 1]):
                rows = r
                cols = max(cols, c)
                break
    return rows, cols


def sheet_matrix(sheet: SheetRender, rows: int, cols: int) -> list[list[Any]]:
    """The sheet's values as one ``rows`` x ``cols`` matrix from A1, text made Excel-safe, and
    each link as its HYPERLINK formula (the one value sent unquoted as a formula: the engine
    built it from a sheet name and a cell address)."""
    matrix: list[list[Any]] = [[None] * cols for _ in range(rows)]
    for block in sheet.blocks:
        for i, values in enumerate(block.values):
            target = matrix[block.row - 1 + i]
            for j, value in enumerate(values):
                if value is not None:
                    target[block.col - 1 + j] = excel_value(value)
    for link in sheet.links:
        text = sheet.cell(link.row, link.col)
        matrix[link.row - 1][link.col - 1] = "=" + link.formula("" if text is None else str(text))
    return matrix


def _old_link_cells(grid: Grid) -> list[tuple[int, int]]:
    """Cells (row, col), 1-based, that the previous refresh made links: on the Validation sheet,
    the issue rows' entries under the "Cell" header."""
    cells: list[tuple[int, int]] = []
    col = None
    for r, row in enumerate(grid, start=1):
        kind = row[0] if row else None
        if kind == HEADER:
            col = next((c for c, v in enumerate(row, start=1) if v == LINKED_COLUMN_HEADER), None)
        elif kind == ROW and col is not None and col <= len(row):
            value = row[col - 1]
            if isinstance(value, str) and _CELL_ADDRESS.match(value.strip()):
                cells.append((r, col))
    return cells


MAX_CLEARS = 3  # stale-link clears a refresh may send before it clears one rectangle instead


def _stale_clears(sheet: str, cells: list[tuple[int, int]]) -> list[ClearCells]:
    """Clears of the cells where an earlier refresh left a hyperlink on a row that has none now
    (Excel keeps a hyperlink when its cell is written over; a clear also takes the cell's
    formats, so only those cells): a clear per run of cells, or, past MAX_CLEARS runs, one of
    the rectangle around them all (what lies between is written again by the values write that
    follows), so the count of actions stays bounded."""
    runs: list[tuple[int, int, int]] = []  # (first row, column, length)
    for r, c in sorted(cells, key=lambda rc: (rc[1], rc[0])):
        if runs and runs[-1][1] == c and runs[-1][0] + runs[-1][2] == r:
            runs[-1] = (runs[-1][0], c, runs[-1][2] + 1)
        else:
            runs.append((r, c, 1))
    if len(runs) <= MAX_CLEARS:
        return [ClearCells(sheet, first, col, n, 1) for first, col, n in runs]
    rows = [r for r, _ in cells]
    cols = [c for _, c in cells]
    return [
        ClearCells(
            sheet, min(rows), min(cols), max(rows) - min(rows) + 1, max(cols) - min(cols) + 1
        )
    ]


def _same_size(info: PictureInfo, width: float, height: float) -> bool:
    return (
        info.width is not None
        and info.height is not None
        and abs(info.width - width) <= SIZE_TOLERANCE
        and abs(info.height - height) <= SIZE_TOLERANCE
    )


def plan_pictures(
    sheet: SheetRender, existing: Sequence[PictureInfo], draw: bool = True
) -> list[Operation]:
    """The picture operations for a sheet with charts: one picture per page, stale ones deleted
    (``draw`` False: the workbook has charts of its own, so every picture of ours goes).

    The remote clients address pictures by their position on the sheet, and replacing one moves
    it to the end; xlwings does not know that. So deletions come first, then replacements from
    the last position to the first (each moves only pictures after it), then additions (each at
    the end, sized there)."""
    if sheet.charts is None:
        return []
    position = {p.name: i for i, p in enumerate(existing)}
    ours = {p.name: p for p in existing if p.name.startswith(PICTURE_PREFIX)}
    wanted = pages(sheet.charts) if draw else []
    names = {page.name for page in wanted}
    deletes: list[Operation] = [
        DeletePicture(sheet.name, name) for name in ours if name not in names
    ]
    replaces: list[PutPicture] = []
    adds: list[Operation] = []
    for page in wanted:
        info = ours.get(page.name)
        replace = info is not None and _same_size(info, page.width, page.height)
        if info is not None and not replace:
            deletes.append(
                DeletePicture(sheet.name, page.name)
            )  # a page whose size changed: added afresh
        op = PutPicture(
            sheet.name, page.name, page.row, page.col, page.width, page.height, page.charts, replace
        )
        (replaces if replace else adds).append(op)
    replaces.sort(key=lambda op: position[op.name], reverse=True)
    return [*deletes, *replaces, *adds]


def plan_refresh(
    model: RenderModel,
    old: Mapping[str, Grid | None],
    pictures: Mapping[str, Sequence[PictureInfo]] | None = None,
    native_charts: bool = False,
) -> Plan:
    """The operations that turn the output sheets' old values (``old[name]``: the sheet's grid
    from A1, ``[]`` when its values were not sent, ``None`` when the workbook has no such sheet)
    into the render model. ``pictures``: the pictures each sheet already has (for the Charts
    sheet's pages); pictures are planned only when it is given. ``native_charts``: the workbook
    has the charts the headless fill makes, which redraw from the values written, so no picture
    is drawn (and pictures of an earlier refresh are deleted)."""
    plan = Plan()
    for sheet in model.sheets:
        grid = old.get(sheet.name)
        if grid is None:
            plan.operations.append(AddSheet(sheet.name))
            grid = []
        elif not any(len(row) for row in grid):
            plan.operations.append(ClearContents(sheet.name))
        old_rows, old_cols = occupied_extent(grid)
        rows, cols = max(old_rows, sheet.rows), max(old_cols, sheet.cols)
        linked = {(link.row, link.col) for link in sheet.links}
        if sheet.name == VALIDATION or sheet.links:
            stale = [cell for cell in _old_link_cells(grid) if cell not in linked]
            if stale:
                plan.operations.extend(_stale_clears(sheet.name, stale))
        if rows and cols:
            plan.operations.append(WriteValues(sheet.name, 1, 1, sheet_matrix(sheet, rows, cols)))
        if pictures is not None:
            existing = pictures.get(sheet.name, ())
            plan.operations.extend(plan_pictures(sheet, existing, draw=not native_charts))
    return plan
