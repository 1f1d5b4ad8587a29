"""Placing the render model into an openpyxl workbook: the headless writer.

It decides nothing: it clears each output sheet's values and writes the model's blocks and
links, so the look the template gives the sheet (fonts, widths, conditional formats)
stays, and refreshing twice gives the same workbook. Text is always written as text: a title that
begins with "=" never becomes a formula.
"""
from __future__ import annotations

from typing import Any

from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.worksheet import Worksheet

from .render import RenderModel, SheetRender

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _clear(ws: Worksheet) -> None:
    for row in ws.iter_rows():
        for cell in row:
            if cell.value is not None:
                cell.value = None
            if cell.hyperlink is not None:
                cell.hyperlink = None
    ws._hyperlinks = []


def set_text_safe(cell: Any, value: Any) -> None:
    """Assign a value; text that Excel would read as a formula stays text."""
    cell.value = value
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        cell.data_type = "s"
        cell.quotePrefix = True


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
    for link in sheet.links:
        cell = ws.cell(row=link.row, column=link.col)
        cell.hyperlink = Hyperlink(ref=cell.coordinate, location=link.target, display=str(cell.value or ""))


def place(book: Workbook, model: RenderModel) -> list[str]:
    """Write every output sheet; returns the names of sheets that had to be created."""
    created = []
    for sheet in model.sheets:
        if sheet.name not in book.sheetnames:
            book.create_sheet(sheet.name)
            created.append(sheet.name)
        place_sheet(book[sheet.name], sheet)
    return created
