"""Moving an older (or home-made) dashboard workbook's inputs into the current template.

``upgrade(src, dst)`` finds the input sheets by name (case and spaces ignored) and each sheet's
header row by the schemas' names and synonyms, as the engine does when it reads a workbook; then
writes every row into a fresh template under the current headers. Columns the schemas do not
know are kept, at the right; so are other sheets an officer added (an action log, xlwings.conf),
with their values and number formats. The output sheets are not carried over: a refresh rewrites
them. ``src`` is only read, and ``dst`` is written whole or not at all.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.worksheet.worksheet import Worksheet

from kpi_engine.errors import TemplateError
from kpi_engine.inputs import find_sheets
from kpi_engine.sheets import normalise
from kpi_engine.workbook_names import (
    INPUT_SHEETS,
    INSTRUCTIONS_SHEET,
    OUTPUT_SHEETS,
    TEMPLATE_INFO_SHEET,
)
from kpi_engine.xlsx.reader import open_workbook, opened
from workbook_templates.build import build_template, put, save_atomically, write_all

XLWINGS_CONF = "xlwings.conf"  # the Excel clients' settings sheet (addin/conf.py)
NOT_CARRIED = {normalise(n) for n in (*OUTPUT_SHEETS, INSTRUCTIONS_SHEET, TEMPLATE_INFO_SHEET)}
Rows = list[list[Any]]


# ---------------------------------------------------------------------------------------------
# Reading the source


class _Formula(str):
    """A formula's text, read from a sheet, until its last calculated value replaces it."""


def _grid(ws: Any) -> tuple[Rows, Rows]:
    """A sheet's values and number formats, as rows (read-only worksheet: several times faster)."""
    ws.reset_dimensions()  # some writers record a wrong size; read what is there
    grid: Rows = []
    formats: Rows = []
    for row in ws.iter_rows():
        out, fmt = [], []
        for cell in row:
            value = cell.value
            if cell.data_type == "f":
                value = _Formula(_formula_text(value))
            out.append(value)
            number_format = cell.number_format
            fmt.append(number_format if number_format and number_format != "General" else None)
        grid.append(out)
        formats.append(fmt)
    while grid and all(_blank(v) for v in grid[-1]):
        grid.pop()
        formats.pop()
    return grid, formats


def _fill_in_calculated_values(
    source: Path, names: dict[str, str], grids: dict[str, tuple[Rows, Rows]]
) -> None:
    """A formula gives its last calculated value, as the engine reads it. A formula never calculated
    (no cached value) keeps its text, so the Validation sheet points at it instead of it vanishing.
    The second read happens only for sheets that hold formulas."""
    with_formulas = [
        c for c, (grid, _) in grids.items() if any(isinstance(v, _Formula) for r in grid for v in r)
    ]
    if not with_formulas:
        return
    with opened(source) as values:
        for canonical in with_formulas:
            ws = values[names[canonical]]
            ws.reset_dimensions()
            grid = grids[canonical][0]
            for r, cached in enumerate(ws.iter_rows(values_only=True, max_row=len(grid))):
                row = grid[r]
                for c, value in enumerate(row):
                    if isinstance(value, _Formula):
                        calculated = cached[c] if c < len(cached) else None
                        row[c] = calculated if calculated is not None else str(value)


def _formula_text(value: Any) -> str:
    text = getattr(value, "text", value)
    return str(text) if text is not None else ""


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _copy_sheet(source: Worksheet, book: Workbook, before: int) -> int:
    """Copy a sheet the template does not have (values, number formats, widths); returns its
    rows."""
    ws = book.create_sheet(source.title, before)
    rows = 0
    for row in source.iter_rows():
        if any(not _blank(c.value) for c in row):
            rows += 1
        for cell in row:
            if cell.value is None:
                continue
            target: Cell = ws.cell(cell.row, cell.column)
            if cell.data_type == "f":
                target.value = cell.value  # a sheet copied as it is keeps its formulas
            else:
                put(target, cell.value)
            if cell.number_format != "General":
                target.number_format = cell.number_format
    for letter, dim in source.column_dimensions.items():
        if dim.width:
            ws.column_dimensions[letter].width = dim.width
        ws.column_dimensions[letter].hidden = dim.hidden
    for merged in source.merged_cells.ranges:
        ws.merge_cells(str(merged))
    ws.sheet_state = source.sheet_state
    ws.freeze_panes = source.freeze_panes
    return rows


# ---------------------------------------------------------------------------------------------


def _same_file(a: Path, b: Path) -> bool:
    try:
        return b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def upgrade(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> dict[str, int]:
    """Move ``src``'s inputs into a fresh template saved at ``dst``; returns the rows moved per
    sheet.

    ``src`` is never modified. Raises :class:`~kpi_engine.errors.TemplateError` when ``src`` has
    no input sheet, or when ``dst`` is ``src`` itself; :class:`~kpi_engine.errors.WorkbookError`
    when ``src`` cannot be read as an .xlsx workbook.
    """
    source, target = Path(src), Path(dst)
    if _same_file(source, target):
        raise TemplateError(
            f"Choose a different name for the upgraded workbook: {target.name} is the workbook "
            "being upgraded, which is left as it is."
        )
    with opened(source, data_only=False) as formulas:
        titles = [ws.title for ws in formulas.worksheets]
        names = find_sheets({title: [] for title in titles})
        grids = {canonical: _grid(formulas[title]) for canonical, title in names.items()}
    _fill_in_calculated_values(source, names, grids)
    carried = set(names.values())
    extras = [t for t in titles if t not in carried and normalise(t) not in NOT_CARRIED]
    whole = open_workbook(source) if extras and names else None
    if not names:
        raise TemplateError(
            f"{source.name} has none of the input sheets ({', '.join(INPUT_SHEETS)}), so there "
            "is nothing to move. Check that this is a dashboard workbook, or rename its sheets "
            "to these names."
        )
    book = build_template()
    moved = write_all(
        book, {c: grid for c, (grid, _) in grids.items()}, {c: f for c, (_, f) in grids.items()}
    )
    for title in extras:
        assert whole is not None
        moved[title] = _copy_sheet(whole[title], book, book.sheetnames.index(TEMPLATE_INFO_SHEET))
        if normalise(title) == XLWINGS_CONF:
            _include_new_sheets(book[title])
    save_atomically(book, target)
    return moved


def _include_new_sheets(ws: Worksheet) -> None:
    """The Excel clients send only the sheets an ``xlwings.conf`` sheet's INCLUDE row lists: a
    carried one lists the older template's, so the input sheets added since join the list."""
    for row in ws.iter_rows(max_col=2):
        key, value = row[0], row[1]
        if normalise(key.value) != "include" or not isinstance(value.value, str):
            continue
        listed = [name for name in value.value.split(",") if name]
        known = {normalise(name) for name in listed}
        missing = [sheet for sheet in INPUT_SHEETS if normalise(sheet) not in known]
        inputs = {normalise(sheet) for sheet in INPUT_SHEETS}
        after = max(
            (j + 1 for j, name in enumerate(listed) if normalise(name) in inputs),
            default=len(listed),
        )
        listed[after:after] = missing
        put(value, ",".join(listed))
