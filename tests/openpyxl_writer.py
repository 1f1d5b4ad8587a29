"""The reference the fill's output sheets are checked against: the openpyxl writer the headless
fill used before it spliced (tests/test_fill_parity.py). It places the same render model into a
workbook openpyxl has loaded whole.

Its own description, as it was:

Placing the render model into an openpyxl workbook: the headless writer.

It decides nothing: it clears each output sheet's values and writes the model's blocks and
links, so the look the template gives the sheet (fonts, widths, conditional formats)
stays, and refreshing twice gives the same workbook. Text is always written as text: a title that
begins with "=" never becomes a formula. A sheet with charts in the model (Charts) has its
charts replaced by native Excel charts drawn from its cells (:mod:`kpi_engine.xlsx.charts`), so
a refresh never piles them up.
"""

from __future__ import annotations

from typing import Any

from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from kpi_engine.render_model import FORMULA_STARTS, HEADER_ROW, RenderModel, SheetRender
from kpi_engine.xlsx.sheet_xml import wrapped_lines


def _clear(ws: Worksheet) -> None:
    for row in ws.iter_rows():
        for cell in row:
            if cell.value is not None:
                cell.value = None
            if cell.hyperlink is not None:
                cell.hyperlink = None
    for r, dim in ws.row_dimensions.items():
        if r > HEADER_ROW and dim.height is not None:
            dim.height = None


def set_text_safe(cell: Any, value: Any) -> None:
    """Assign a value; text that Excel would read as a formula stays text."""
    cell.value = value
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        cell.data_type = "s"
        cell.quotePrefix = True


LINE_HEIGHT = 15.0  # points per line of 11-point text
MAX_ROW_HEIGHT = 409.0  # Excel's limit
DEFAULT_WIDTH = 8.43


def fit_rows(ws: Worksheet, sheet: SheetRender) -> None:
    """Size rows to their wrapped text (what Excel's row autofit does; openpyxl cannot measure)."""
    if not sheet.wrap_columns:
        return
    widths = {}
    for col in sheet.wrap_columns:
        letter = get_column_letter(col)
        dim = ws.column_dimensions.get(letter)
        widths[col] = dim.width if dim is not None and dim.width else DEFAULT_WIDTH
    for block in sheet.blocks:
        for i, row in enumerate(block.values):
            lines = 1
            for col, width in widths.items():
                j = col - block.col
                text = row[j] if 0 <= j < len(row) else None
                if isinstance(text, str) and text:
                    lines = max(lines, wrapped_lines(text, width))
            r = block.row + i
            if lines > 1:
                ws.row_dimensions[r].height = min(MAX_ROW_HEIGHT, lines * LINE_HEIGHT)


def place_sheet(ws: Worksheet, sheet: SheetRender) -> None:
    _clear(ws)
    for block in sheet.blocks:
        for i, row in enumerate(block.values):
            r = block.row + i
            for j, value in enumerate(row):
                if value is None:
                    continue
                cell = ws.cell(row=r, column=block.col + j)
                set_text_safe(cell, value)
    for link in sheet.links:  # a HYPERLINK formula showing the cell's text
        cell = ws.cell(row=link.row, column=link.col)
        cell.value = "=" + link.formula("" if cell.value is None else str(cell.value))
    fit_rows(ws, sheet)
    if sheet.charts is not None:
        place_charts(ws, sheet)


def place_charts(ws: Worksheet, sheet: SheetRender) -> None:
    """Replace the sheet's charts with the model's (a benchmark swaps this out to time the rest)."""
    from openpyxl_charts import place_charts as place_native

    from kpi_engine.charts import NAME_COLUMN

    place_native(ws, sheet.charts or [], NAME_COLUMN)


def place(book: Workbook, model: RenderModel) -> list[str]:
    """Write every output sheet; returns the names of sheets that had to be created."""
    created = []
    for sheet in model.sheets:
        if sheet.name not in book.sheetnames:
            book.create_sheet(sheet.name)
            created.append(sheet.name)
        place_sheet(book[sheet.name], sheet)
    return created
