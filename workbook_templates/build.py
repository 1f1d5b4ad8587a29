"""Build the dashboard template from the JSON Schemas, and write input rows into it.

Everything an officer sees on the input sheets comes from ``schemas/*.schema.json``: the header
row (property order is column order), the drop-down lists (``enum``), the input message on every
column (``title`` and ``description``), the Settings rows and their defaults, and the lines of
the Instructions sheet. The output sheets get their look from :mod:`workbook_templates.look`.

:func:`write_inputs` puts rows into a template so that the engine reads back what it would have
read from the rows themselves: headers are matched as the engine matches them (synonyms too),
unknown columns are kept at the right, and a wide Data paste becomes one row per month.

    python -m workbook_templates.build [OUT.xlsx]   # default: the committed copy beside this file
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Union, cast

from openpyxl import Workbook
from openpyxl.cell.cell import Cell, MergedCell
from openpyxl.packaging.custom import CustomPropertyList, IntProperty
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.cell_range import CellRange, MultiCellRange
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.filters import AutoFilter
from openpyxl.worksheet.header_footer import HeaderFooterItem
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.table import Table, TableColumn, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

from kpi_engine import TEMPLATE_VERSION
from kpi_engine.charts import render_charts
from kpi_engine.model import DEFAULT_COLOURS
from kpi_engine.periods import FULL_MONTH_NAMES, label, month
from kpi_engine.render import (
    default_dashboard_headers,
    render_summary,
    render_teams,
    render_validation,
)
from kpi_engine.render_model import HEADER, HEADER_ROW, PRINT_SCALE, STAMP, TITLE, units_per_page
from kpi_engine.results import Report, Stamp
from kpi_engine.schema import Column, sheet_schema
from kpi_engine.sheets import HEADER_SEARCH_ROWS, Grid, find_header, find_wide_header, normalise
from kpi_engine.workbook_names import (
    CHARTS,
    DASHBOARD,
    INPUT_SHEETS,
    INSTRUCTIONS_SHEET,
    OUTPUT_SHEETS,
    SUMMARY,
    TEAMS,
    TEMPLATE_INFO_SHEET,
    TEMPLATE_VERSION_PROPERTY,
    VALIDATION,
)
from kpi_engine.xlsx.files import atomic_save
from kpi_engine.xlsx.sheet_xml import LINE_HEIGHT, wrapped_lines
from workbook_templates.look import FONT, dashboard_month_columns, style_output_sheets

PathLike = Union[str, "os.PathLike[str]"]

TABLE_SHEETS = tuple(s for s in INPUT_SHEETS if sheet_schema(s).layout == "table")
SHEET_ORDER = (INSTRUCTIONS_SHEET, *OUTPUT_SHEETS, *INPUT_SHEETS, TEMPLATE_INFO_SHEET)
TEMPLATE_FILE = Path(__file__).with_name("kpi_dashboard_template.xlsx")
LAST_INPUT_ROW = (
    5000  # drop-downs and input messages cover rows 2..LAST_INPUT_ROW (further when filled)
)
TABLE_STYLE = "TableStyleMedium2"
MONTH_FORMAT, DATE_FORMAT = "mmm-yy", "dd/mm/yyyy"
SETTINGS_HEADERS = ("Setting", "Value", "What it means")
SETTINGS_WIDTHS = (26, 24, 90)
# Instructions' text column: one portrait page wide at 85% or more (9 pt print), beside column A
INSTRUCTIONS_WIDTH = int(units_per_page(scale=85, side=1)) - 3
DEFAULT_COLUMN_WIDTH = 8.43  # characters: a column the sheet gives no width
LISTS_FIRST_COLUMN = 4  # drop-down lists live on the hidden Template info sheet, from column D
PROMPT_TITLE_MAX, PROMPT_MAX, ERROR_MAX = 32, 255, 225  # Excel's limits for validation texts
NOT_REFRESHED = (
    "Not refreshed yet: fill in the input sheets, then click Refresh "
    "(or run kpi-dashboard fill). This sheet is rewritten on every refresh."
)

# Widths (characters) of input columns: by name where it matters, else by the kind of cell.
COLUMN_WIDTHS = {
    "Title": 45,
    "RAG methodology": 45,
    "Comment": 60,
    "Improvement activity": 45,
    "Next steps": 45,
    "Comparator": 24,
    "Section": 20,
    "Owner": 16,
    "Team": 14,
    "Measure": 16,
    "Unit": 16,
    "Commentary": 60,
    "Action ref": 12,
    "Indicator ref": 14,
    "Action": 60,
    "Status": 14,
}
# Columns kept as text when typed: Excel would turn an action ref such as Oct-01 into a date.
TEXT_COLUMNS = ("Action ref",)
TEXT_FORMAT = "@"
KIND_WIDTHS = {
    "text": 14,
    "code": 12,
    "number": 12,
    "integer": 10,
    "month": 11,
    "month-of-year": 12,
    "date": 12,
    "number-or-text": 12,
}
CELL_FORMATS = {"month": MONTH_FORMAT, "date": DATE_FORMAT}


def table_name(sheet: str) -> str:
    """The Excel table's name on an input sheet: ``IndicatorsTable``."""
    return f"{sheet.replace(' ', '')}Table"


def _cut(text: str, limit: int) -> str:
    """``text`` within ``limit`` characters, cut at a word with an ellipsis when too long."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[: limit - 3].rsplit(" ", 1)[0].rstrip(",;:") + "..."


def put(cell: Cell | MergedCell, value: Any) -> None:
    """Write ``value`` as it is, except that text beginning with '=' stays text (never a
    formula). A merged cell's value is read-only: writing one raises, as openpyxl does."""
    cell.value = value
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"
        cell.quotePrefix = True
    elif cell.quotePrefix:
        cell.quotePrefix = False


def column_width(column: Column) -> int:
    width = COLUMN_WIDTHS.get(column.name, KIND_WIDTHS.get(column.kind, 12))
    return max(width, len(column.title) + 4)


def _string_enum(column: Column) -> list[str]:
    """The column's allowed values when they are all text (what a drop-down can offer), else []."""
    if column.enum and all(isinstance(v, str) for v in column.enum):
        return list(column.enum)
    return list(column.schema.get("x-suggestions", {}))  # usual values, others allowed


# ---------------------------------------------------------------------------------------------
# Drop-down lists and input messages


class _Lists:
    """Writes each drop-down's values to a column of the hidden sheet and hands back its range.

    Lists are kept on a sheet, not typed into the validation, because Excel splits a typed list
    at commas and two of the schemas' values ("rate per 10,000") contain one.
    """

    def __init__(self, ws: Worksheet) -> None:
        self.ws = ws
        self.next_column = LISTS_FIRST_COLUMN

    def add(self, heading: str, values: Sequence[str]) -> str:
        col = self.next_column
        self.next_column += 1
        letter = get_column_letter(col)
        put(self.ws.cell(1, col), heading)
        self.ws.cell(1, col).font = Font(name=FONT, bold=True)
        for i, value in enumerate(values, start=2):
            put(self.ws.cell(i, col), value)
        self.ws.column_dimensions[letter].width = max(14, len(heading) + 2)
        return f"{quote_sheetname(self.ws.title)}!${letter}$2:${letter}${len(values) + 1}"


def _input_message(column: Column, dv: DataValidation) -> DataValidation:
    dv.showInputMessage = True
    dv.promptTitle = _cut(column.title, PROMPT_TITLE_MAX)
    dv.prompt = _cut(column.description, PROMPT_MAX)
    return dv


def _validation(column: Column, lists: _Lists, sheet: str) -> DataValidation:
    """A drop-down (warning only, so a synonym can be pasted) for an enum, else an input message."""
    values = _string_enum(column)
    if not values:
        return _input_message(column, DataValidation(allow_blank=True))
    dv = DataValidation(
        type="list",
        formula1=lists.add(f"{sheet}: {column.name}", values),
        allow_blank=True,
        showErrorMessage=True,
        errorStyle="warning",
    )
    also = ""
    if column.aliases:
        also = (
            " Also understood: " + ", ".join(f"{k} ({v})" for k, v in column.aliases.items()) + "."
        )
    dv.errorTitle = _cut(f"{column.title}: not in the list", PROMPT_TITLE_MAX)
    dv.error = _cut(
        f"The usual values are: {', '.join(values)}. Click Yes to keep what you typed.{also}",
        ERROR_MAX,
    )
    return _input_message(column, dv)


# ---------------------------------------------------------------------------------------------
# The sheets


def _table_sheet(ws: Worksheet, sheet: str, lists: _Lists) -> None:
    schema = sheet_schema(sheet)
    columns = list(schema.columns.values())
    bold = Font(name=FONT, bold=True)
    for i, column in enumerate(columns, start=1):
        letter = get_column_letter(i)
        cell = ws.cell(1, i)
        put(cell, column.name)
        cell.font = bold
        ws.column_dimensions[letter].width = column_width(column)
        if column.kind in CELL_FORMATS:
            ws.column_dimensions[letter].number_format = CELL_FORMATS[column.kind]
        elif column.name in TEXT_COLUMNS:
            ws.column_dimensions[letter].number_format = TEXT_FORMAT
        dv = _validation(column, lists, sheet)
        dv.add(f"{letter}2:{letter}{LAST_INPUT_ROW}")
        ws.add_data_validation(dv)
    ws.freeze_panes = "A2"
    input_print_setup(ws)
    table = Table(displayName=table_name(sheet), ref=f"A1:{get_column_letter(len(columns))}2")
    table.tableStyleInfo = TableStyleInfo(
        name=TABLE_STYLE,
        showRowStripes=True,
        showColumnStripes=False,
        showFirstColumn=False,
        showLastColumn=False,
    )
    _set_table_columns(table, [c.name for c in columns])
    ws.add_table(table)


def _set_table_columns(table: Table, headers: Sequence[str]) -> None:
    table.tableColumns = [TableColumn(id=i, name=h) for i, h in enumerate(headers, start=1)]
    table.autoFilter = AutoFilter(ref=table.ref)


def _default_value(column: Column) -> Any:
    if "default" in column.schema:
        default = column.schema["default"]
        if column.kind == "month-of-year" and isinstance(default, int):
            return FULL_MONTH_NAMES[default - 1]
        return default
    colour = column.name.removesuffix(" colour")
    if colour in DEFAULT_COLOURS:
        return "#" + DEFAULT_COLOURS[colour]
    return None


def _settings_sheet(ws: Worksheet, lists: _Lists) -> None:
    schema = sheet_schema("Settings")
    bold = Font(name=FONT, bold=True)
    for i, heading in enumerate(SETTINGS_HEADERS, start=1):
        put(ws.cell(1, i), heading)
        ws.cell(1, i).font = bold
    wrap = Alignment(wrap_text=True, vertical="top")
    for r, column in enumerate(schema.columns.values(), start=2):
        put(ws.cell(r, 1), column.name)
        value = ws.cell(r, 2)
        put(value, _default_value(column))
        if column.kind in CELL_FORMATS:
            value.number_format = CELL_FORMATS[column.kind]
        value.alignment = Alignment(horizontal="left")
        put(ws.cell(r, 3), column.description)
        ws.cell(r, 3).alignment = wrap
        ws.row_dimensions[r].height = wrapped_height(column.description, SETTINGS_WIDTHS[2])
        dv = _validation(column, lists, "Settings")
        dv.add(f"B{r}")
        ws.add_data_validation(dv)
    for letter, width in zip("ABC", SETTINGS_WIDTHS, strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A2"
    input_print_setup(ws)


def input_print_setup(ws: Worksheet) -> None:
    """An input sheet's print setup (the template's; ``upgrade`` builds on the template, and no
    refresh ever changes an input sheet): A4 one page wide, landscape unless the columns fit
    across a portrait page as they are (Data, Targets, Benchmarks: more rows a page), the header
    row on every page, gridlines, the sheet's name and "Page X of Y"; a sheet too wide for that
    at PRINT_SCALE prints at it, pages across."""
    widths = [
        d.width or DEFAULT_COLUMN_WIDTH for d in ws.column_dimensions.values() if not d.hidden
    ]
    portrait = sum(widths) <= units_per_page(scale=100, side=1)
    ws.page_setup.orientation = "portrait" if portrait else "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    # openpyxl always gives a sheet its page setup properties; the stubs allow None.
    properties = cast(PageSetupProperties, ws.sheet_properties.pageSetUpPr)
    if sum(widths) <= units_per_page():
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0  # as many pages down as needed
        properties.fitToPage = True
    else:
        # Too wide for one page at PRINT_SCALE (Indicators, Commentary, Narrative): printed at
        # it, as the Dashboard is, with the first two columns (Ref and Title, Ref and Period,
        # Section and Period) on every page across, rather than fitted down to 3 to 5 points
        properties.fitToPage = False
        ws.page_setup.scale = PRINT_SCALE
        ws.page_setup.pageOrder = "overThenDown"
        ws.print_title_cols = "A:B"
    ws.print_title_rows = "1:1"
    ws.print_options.gridLines = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.page_margins.header = ws.page_margins.footer = 0.3
    cast(HeaderFooterItem, ws.oddHeader).center.text = "&A"
    cast(HeaderFooterItem, ws.oddFooter).center.text = "Page &P of &N"


def _required_text(sheet: str) -> str:
    schema = sheet_schema(sheet)
    if schema.layout == "settings":
        return (
            "Nothing here is required: a blank value uses the default that 'What it means' gives."
        )
    optional = [c for c in schema.columns if c not in schema.required]
    return f"Required columns: {', '.join(schema.required)}. Optional: {', '.join(optional)}."


def instructions_lines() -> list[tuple[str, str]]:
    """The Instructions sheet as (style, text) lines; style is "title", "heading", "text" or ""."""
    lines: list[tuple[str, str]] = [
        ("title", "KPI dashboard: how to use this workbook"),
        ("", ""),
        ("heading", "What this workbook is"),
        (
            "text",
            (
                "This workbook makes the monthly improvement board dashboard. You type or paste "
                "the figures into the input sheets. The kpi-dashboard engine checks them, works "
                "out each indicator's outturn, RAG rating, direction of travel, forecast and "
                "benchmarks, and writes the results on the Summary, Dashboard, Validation, Teams "
                "and Charts sheets."
            ),
        ),
        ("", ""),
        ("heading", "The input sheets: what goes in each"),
        (
            "text",
            (
                "Columns are found by their heading, so you can put them in any order, and you can "
                "add your own columns at the right: they are kept and left alone. Click any cell "
                "to see what goes in it. Where a column has a drop-down list, pick from it; other "
                "spellings the engine understands (such as 'bigger is better' for BIB) are allowed "
                "after a warning."
            ),
        ),
    ]
    for sheet in INPUT_SHEETS:
        lines.append(
            ("text", f"{sheet}: {sheet_schema(sheet).raw['description']} {_required_text(sheet)}")
        )
    lines += [
        ("", ""),
        ("heading", "Typing figures"),
        (
            "text",
            (
                "Type percentages with the % sign: for 19%, type 19%. Excel keeps it as 0.19, "
                "which is what the engine expects. A figure above 150% in a percentage column "
                "almost always means the % was forgotten, and the Validation sheet will say so."
            ),
        ),
        ("text", "Type a month as Apr-17, or as any date in that month (01/04/2017)."),
        (
            "text",
            (
                "When a number is missing, type why instead, with the government statistical "
                "symbols: c (suppressed), x (not available), z (not applicable), k (rounds to "
                "zero), u (low reliability) or low; n/a, - and 'Data - In progress' are understood "
                "too. These mean 'missing, for this reason': they are never an error, and the "
                "reason is shown on the dashboard."
            ),
        ),
        ("", ""),
        ("heading", "Refreshing the dashboard"),
        (
            "text",
            (
                "In Excel: click the Refresh button. Without Excel, run: "
                "kpi-dashboard fill dashboard.xlsx -o out.xlsx "
                "(this writes a filled copy to out.xlsx)."
            ),
        ),
        (
            "text",
            (
                "Summary, Dashboard, Validation, Teams and Charts are cleared and rewritten on "
                "every refresh, so anything typed on them is lost. Put your notes on the input "
                "sheets: commentary on each indicator goes on the Commentary sheet; the director's "
                "summary and each section's commentary, improvement activity and next steps go on "
                "the Narrative sheet (a row per section and month, Section 'Director's summary' "
                "for the director's); the board's actions go on the Actions sheet."
            ),
        ),
        (
            "text",
            (
                "The Summary prints the reporting period's director's summary, the sections' "
                "commentary and the action log above the lists of good performance and "
                "exceptions. An action that is not Done or Dropped and was due by the end of the "
                "reporting period shows the Status Overdue; a blank Due is shown as TBC."
            ),
        ),
        (
            "text",
            (
                "Teams shows each team's or area's figure, numerator and denominator beside the "
                "whole authority's, rated against the team's own target where the Targets sheet "
                "gives one. The whole authority's figure is over the teams that existed that "
                "month: a new team counts from its first row on the Data sheet; a team that has "
                "closed or merged needs its To month on the Team list, or its missing rows leave "
                "the total missing. Charts shows each rated indicator's months against its target, "
                "benchmarks and plan target, with a line saying which way is good; the figures "
                "they are drawn from are below them. In Excel the charts are pictures, one per "
                "page of charts, redrawn on every refresh."
            ),
        ),
        ("", ""),
        ("heading", "What the colours mean"),
        (
            "text",
            (
                "Green, Amber and Red are the RAG ratings. The word is always in the cell, so a "
                "rating reads the same when printed in black and white."
            ),
        ),
        (
            "text",
            (
                "A blank rating comes with its reason: No data (no figure for the period), No "
                "target (nothing to rate it against), Not due (an annual figure not yet published) "
                "or Context (a measure with no polarity, shown for information and never rated)."
            ),
        ),
        (
            "text",
            (
                "RAG is decided on the value as shown, rounded to the indicator's Decimals: a "
                "figure shown as 90% is Green when Green starts at 90%. The dashboard's RAG "
                "methodology text is written from the thresholds, so the words and the colour "
                "always agree."
            ),
        ),
        (
            "text",
            (
                "Green from is the figure the colour was judged against: the Green threshold of "
                "the written bands, or the target in force for a tolerance rating. The milestone "
                "is where the straight line (the trajectory) from the baseline to the plan target "
                "puts the figure this month; the Notes show it apart (Milestone for Sep-25: 83%, "
                "met), and On track for plan says whether the forecast reaches the plan target."
            ),
        ),
        (
            "text",
            (
                "Direction of travel compares the figure with the previous period: improving "
                "(green text), declining (red text) or no change. It is judged by polarity, so a "
                "figure that falls can be improving."
            ),
        ),
        ("", ""),
        ("heading", "When the Validation sheet lists a problem"),
        (
            "text",
            (
                "Each row names the sheet and the cell, says what is wrong and what to type "
                "instead. Click the link in the Cell column to go straight to the cell, correct "
                "it, then refresh."
            ),
        ),
        (
            "text",
            (
                "An error means the value was not used: a bad figure counts as missing, and a bad "
                "indicator definition leaves that indicator off the dashboard. A warning is worth "
                "checking, but the figures were used."
            ),
        ),
        ("", ""),
        ("heading", "Sharing this workbook"),
        (
            "text",
            (
                "The workbook has no macros, so it can be sent by email. When a newer template "
                "comes out, kpi-dashboard upgrade old.xlsx -o new.xlsx moves your inputs into it."
            ),
        ),
    ]
    return lines


def wrapped_height(text: str, width: float) -> float:
    """Row height (points) for ``text`` wrapped in a column ``width`` characters wide. Set ahead of
    time because not every client grows a row to fit wrapped text when it opens the file."""
    return LINE_HEIGHT * wrapped_lines(text, width) + 3


def _instructions_sheet(ws: Worksheet) -> None:
    fonts = {
        "title": Font(name=FONT, bold=True, size=16),
        "heading": Font(name=FONT, bold=True, size=12),
    }
    wrap = Alignment(wrap_text=True, vertical="top")
    for r, (style, text) in enumerate(instructions_lines(), start=1):
        if not text:
            continue
        cell = ws.cell(r, 2)
        put(cell, text)
        if style in fonts:
            cell.font = fonts[style]
            ws.row_dimensions[r].height = 21 if style == "title" else 18
        else:
            cell.alignment = wrap
            ws.row_dimensions[r].height = wrapped_height(text, INSTRUCTIONS_WIDTH)
    ws.column_dimensions["A"].width = 3
    ws.column_dimensions["B"].width = INSTRUCTIONS_WIDTH
    ws.sheet_view.showGridLines = False
    ws.page_setup.orientation = "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    # openpyxl always gives a sheet its page setup properties; the stubs allow None.
    cast(PageSetupProperties, ws.sheet_properties.pageSetUpPr).fitToPage = True


def _output_placeholders(book: Workbook) -> None:
    """Title, stamp and header rows as a refresh writes them, so a fresh template shows its
    layout."""
    empty = Report(Stamp(None, None, None, "", "", None), [], [])
    dashboard = default_dashboard_headers()
    months = dashboard_month_columns()
    dashboard = [
        f"Month {months.index(i) + 1}" if i in months else h for i, h in enumerate(dashboard)
    ]
    summary, validation = render_summary(empty), render_validation(empty)
    rows = {
        SUMMARY: (
            summary.cell(1, 2),
            [summary.cell(HEADER_ROW, c) for c in range(2, summary.cols + 1)],
        ),
        DASHBOARD: ("Improvement board dashboard", dashboard[1:]),
        VALIDATION: (
            validation.cell(1, 2),
            [validation.cell(HEADER_ROW, c) for c in range(2, validation.cols + 1)],
        ),
    }
    teams, charts = render_teams(empty), render_charts(empty)
    rows[TEAMS] = (teams.cell(1, 2), [teams.cell(HEADER_ROW, c) for c in range(2, teams.cols + 1)])
    rows[CHARTS] = (
        charts.cell(1, 2),
        [charts.cell(HEADER_ROW, c) for c in range(2, charts.cols + 1)],
    )
    for name, (title, headers) in rows.items():
        ws = book[name]
        for r, kind, text in ((1, TITLE, title), (2, STAMP, NOT_REFRESHED)):
            put(ws.cell(r, 1), kind)
            put(ws.cell(r, 2), text)
        put(ws.cell(HEADER_ROW, 1), HEADER)
        for c, text in enumerate(headers, start=2):
            if text is not None:
                put(ws.cell(HEADER_ROW, c), text)


def _template_info_sheet(ws: Worksheet) -> None:
    put(ws["A1"], "Template version")
    ws["B1"] = TEMPLATE_VERSION
    put(ws["A2"], "Built by")
    put(ws["B2"], "kpi-dashboard")
    put(
        ws["A4"],
        "The input sheets' drop-down lists read the columns from D on. Do not edit this sheet.",
    )
    ws.column_dimensions["A"].width = 18
    ws.column_dimensions["B"].width = 14
    ws.sheet_state = "hidden"


def build_template() -> Workbook:
    """A fresh template: instructions, styled output sheets, input sheets and the Template info
    sheet."""
    book = Workbook()
    # A new Workbook's active sheet is its one worksheet; the stubs allow None.
    cast(Worksheet, book.active).title = SHEET_ORDER[0]
    for name in SHEET_ORDER[1:]:
        book.create_sheet(name)
    lists = _Lists(book[TEMPLATE_INFO_SHEET])
    _instructions_sheet(book[INSTRUCTIONS_SHEET])
    _output_placeholders(book)
    style_output_sheets(book)
    _settings_sheet(book["Settings"], lists)
    for sheet in TABLE_SHEETS:
        _table_sheet(book[sheet], sheet, lists)
    _template_info_sheet(book[TEMPLATE_INFO_SHEET])
    # types-openpyxl's Workbook lacks custom_doc_props (a CustomPropertyList since openpyxl 3.1).
    props: CustomPropertyList[Any] = cast(Any, book).custom_doc_props
    props.append(IntProperty(name=TEMPLATE_VERSION_PROPERTY, value=TEMPLATE_VERSION))
    book.properties.creator = "kpi-dashboard"
    book.properties.title = "KPI dashboard"
    book.active = 0
    return book


def save_atomically(book: Workbook, path: PathLike) -> None:
    """Save through a temporary file in the same folder, so ``path`` is written whole or not at
    all."""
    atomic_save(book.save, Path(path))


def save_template(path: PathLike) -> None:
    """Write a fresh template to ``path`` (atomically)."""
    save_atomically(build_template(), path)


# ---------------------------------------------------------------------------------------------
# Writing input rows into a template


def _sheet_for(book: Workbook, name: str) -> tuple[str, Worksheet]:
    """The canonical input sheet name and the book's sheet for a given name (case and spaces
    ignored)."""
    canonical = {normalise(s): s for s in INPUT_SHEETS}.get(normalise(name))
    if canonical is None:
        raise ValueError(
            f"'{name}' is not an input sheet; the input sheets are {', '.join(INPUT_SHEETS)}."
        )
    for title in book.sheetnames:
        if normalise(title) == normalise(canonical):
            return canonical, book[title]
    raise ValueError(f"The workbook has no '{canonical}' sheet to write into.")


def header_text(value: Any) -> str:
    """A grid header as the text of a table heading (Excel's table headings must be text)."""
    if isinstance(value, dt.datetime) and value.day == 1 and value.time() == dt.time():
        return label(month(value.year, value.month))
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return label(month(value.year, value.month)) if value.day == 1 else value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return " ".join(str(value).split()) if value is not None else ""


def _unique(name: str, taken: set[str]) -> str:
    candidate, k = name, 2
    while candidate.casefold() in taken:
        candidate, k = f"{name} ({k})", k + 1
    taken.add(candidate.casefold())
    return candidate


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _map_columns(
    ws: Worksheet, header: Sequence[Any], rows: Grid, first_new: int
) -> dict[int, int]:
    """Grid column -> sheet column (1-based): by normalised header, unknown ones appended at the
    right."""
    existing: dict[str, int] = {}
    taken: set[str] = set()
    last = 0
    for cell in ws[1]:
        # A MergedCell's value is always None, so only a Cell gets past the blank test.
        if isinstance(cell, Cell) and not _blank(cell.value):
            existing.setdefault(normalise(cell.value), cell.column)
            taken.add(str(cell.value).casefold())
            last = max(last, cell.column)
    width = max([len(header), *(len(r) for r in rows)], default=0)
    mapping: dict[int, int] = {}
    used: set[int] = set()
    next_col = max(last + 1, first_new)
    for j in range(width):
        raw = header[j] if j < len(header) else None
        key = normalise(header_text(raw)) if not _blank(raw) else ""
        col = existing.get(key) if key else None
        if col is not None and col not in used:
            mapping[j] = col
            used.add(col)
            continue
        if not key and all(_blank(r[j]) for r in rows if j < len(r)):
            continue  # a blank column: nothing to keep
        name = _unique(header_text(raw) if key else f"Column {get_column_letter(j + 1)}", taken)
        put(ws.cell(1, next_col), name)
        ws.cell(1, next_col).font = Font(name=FONT, bold=True)
        ws.column_dimensions[get_column_letter(next_col)].width = max(12, min(40, len(name) + 4))
        mapping[j] = col = next_col
        used.add(col)
        next_col += 1
    return mapping


def _trim(rows: Grid) -> list[Sequence[Any]]:
    rows = list(rows)
    while rows and all(_blank(v) for v in rows[-1]):
        rows.pop()
    return rows


def _formats_by_column(ws: Worksheet, sheet: str) -> dict[int, str]:
    schema = sheet_schema(sheet)
    out: dict[int, str] = {}
    for cell in ws[1]:
        if not isinstance(cell, Cell):
            continue  # a MergedCell, whose value is always None
        column = schema.columns.get(str(cell.value)) if cell.value is not None else None
        if column is not None and column.kind in CELL_FORMATS:
            out[cell.column] = CELL_FORMATS[column.kind]
    return out


def _write_cells(
    ws: Worksheet,
    r: int,
    row: Sequence[Any],
    fmt_row: Sequence[Any] | None,
    mapping: dict[int, int],
    column_formats: dict[int, str],
    write_blanks: bool,
) -> None:
    for j, value in enumerate(row):
        col = mapping.get(j)
        if col is None or (value is None and not write_blanks):
            continue
        cell = ws.cell(r, col)
        put(cell, value)
        fmt = fmt_row[j] if fmt_row is not None and j < len(fmt_row) else None
        if fmt and fmt != "General":
            cell.number_format = fmt
        elif (
            col in column_formats
            and isinstance(value, (dt.date, int, float))
            and not isinstance(value, bool)
        ):
            cell.number_format = column_formats[col]


def _extend_validations(ws: Worksheet, last_row: int) -> None:
    if last_row <= LAST_INPUT_ROW:
        return
    for dv in ws.data_validations.dataValidation:
        ranges = []
        for rng in dv.sqref.ranges:
            if rng.min_row == 2 and LAST_INPUT_ROW <= rng.max_row < last_row:
                rng = CellRange(
                    min_col=rng.min_col, min_row=2, max_col=rng.max_col, max_row=last_row
                )
            ranges.append(rng)
        dv.sqref = MultiCellRange(ranges)


def _clear_rows(ws: Worksheet, first: int) -> None:
    for row in ws.iter_rows(min_row=first, max_row=ws.max_row):
        for cell in row:
            if cell.value is not None:
                put(cell, None)


def _write_table(ws: Worksheet, sheet: str, rows: Grid, formats: Grid | None) -> int:
    """Write a conformed table grid (header first) over the sheet's rows; returns the rows
    written."""
    header, body = rows[0], rows[1:]
    fmt_body = list(formats[1:]) if formats is not None else None
    _clear_rows(ws, 2)
    mapping = _map_columns(ws, header, body, 1)
    column_formats = _formats_by_column(ws, sheet)
    for i, row in enumerate(body):
        # The rows were cleared, so a blank needs no cell: creating none keeps the file small.
        _write_cells(
            ws,
            i + 2,
            row,
            fmt_body[i] if fmt_body is not None and i < len(fmt_body) else None,
            mapping,
            column_formats,
            write_blanks=False,
        )
    # A MergedCell's value is always None, so only Cells are counted.
    last_col = max(c.column for c in ws[1] if isinstance(c, Cell) and not _blank(c.value))
    last_row = max(2, len(body) + 1)
    # types-openpyxl leaves TableList.get unannotated (by name: the Table, or None).
    tables: Any = ws.tables
    table: Table | None = tables.get(table_name(sheet)) or next(iter(tables.values()), None)
    if table is not None:
        table.ref = f"A1:{get_column_letter(last_col)}{last_row}"
        _set_table_columns(
            table, [header_text(ws.cell(1, c).value) for c in range(1, last_col + 1)]
        )
    _extend_validations(ws, last_row)
    return sum(1 for row in body if not all(_blank(v) for v in row))


def _settings_header(rows: Grid) -> tuple[int, int, int]:
    """(first settings row, key column, value column) of a Settings grid, as the engine reads it."""
    for r in range(min(HEADER_SEARCH_ROWS, len(rows))):
        row = [normalise(v) for v in rows[r]]
        if "setting" in row and "value" in row:
            return r + 1, row.index("setting"), row.index("value")
    return 0, 0, 1


def _write_settings(ws: Worksheet, rows: Grid, formats: Grid | None) -> int:
    """Write a conformed Settings grid (header first): each setting's row, found by name or
    added."""
    header, body = rows[0], rows[1:]
    key_col = list(header).index(SETTINGS_HEADERS[0])
    mapping = _map_columns(ws, header, body, len(SETTINGS_HEADERS) + 1)
    mapping.pop(key_col, None)
    where = {
        normalise(ws.cell(r, 1).value): r
        for r in range(2, ws.max_row + 1)
        if not _blank(ws.cell(r, 1).value)
    }
    next_row = ws.max_row + 1
    written = 0
    for i, row in enumerate(body, start=1):
        key = row[key_col] if key_col < len(row) else None
        if _blank(key):
            continue
        r = where.get(normalise(key))
        if r is None:
            r = where[normalise(key)] = next_row
            next_row += 1
            put(ws.cell(r, 1), key)
        fmt_row = formats[i] if formats is not None and i < len(formats) else None
        _write_cells(ws, r, row, fmt_row, mapping, {}, write_blanks=True)
        written += 1
    return written


# ---------------------------------------------------------------------------------------------
# Conforming a grid to the template: headers as the engine reads them


def _conform_settings(rows: Grid, formats: Grid | None) -> tuple[Grid, Grid | None]:
    """Header row first with Setting and Value, setting names spelt as the schema spells them, and
    no 'What it means' column (the template's own descriptions stay)."""
    start, key_col, value_col = _settings_header(rows)
    width = max(len(r) for r in rows)
    header: list[Any] = list(rows[start - 1]) if start else [None] * width
    header += [None] * (width - len(header))
    header[key_col], header[value_col] = SETTINGS_HEADERS[0], SETTINGS_HEADERS[1]
    dropped = {i for i, h in enumerate(header) if normalise(h) == normalise(SETTINGS_HEADERS[2])}
    names = {normalise(n): n for n in sheet_schema("Settings").columns}
    body = []
    for row in rows[start:]:
        row = [None if i in dropped else v for i, v in enumerate(row)]
        if key_col < len(row) and not _blank(row[key_col]):
            row[key_col] = names.get(normalise(row[key_col]), row[key_col])
        body.append(row)
    header = [None if i in dropped else h for i, h in enumerate(header)]
    fmts = None if formats is None else [[None] * width, *formats[start:]]
    return [header, *body], fmts


def _conform_table(
    sheet: str, rows: Grid, formats: Grid | None, extra: dict[str, str] | None
) -> tuple[Grid, Grid | None]:
    """The grid from its header row down, the headers the engine knows (names, synonyms, the
    Settings' labels) renamed to the schema's names; a wide Data paste as one row per month."""
    schema = sheet_schema(sheet)
    header_row, found = find_header(rows, schema, extra)
    complete = header_row is not None and all(n in found for n in schema.required)
    if sheet == "Data" and not complete:
        wide = find_wide_header(rows, schema)
        if wide is not None:
            return _unpivot(rows, formats, *wide)
    if header_row is None:  # no header the schema knows: the first row is the header all the same
        header_row = 0
    header = list(rows[header_row])
    for name, col in found.items():
        header[col] = name
    fmts = None if formats is None else [[None] * len(header), *formats[header_row + 1 :]]
    return [header, *rows[header_row + 1 :]], fmts


def _unpivot(
    rows: Grid, formats: Grid | None, header_row: int, found: dict[str, int], months: dict[int, str]
) -> tuple[Grid, Grid | None]:
    """A wide paste (Ref, then one column per month) as one row per Ref and month, as the engine
    reads it: blank cells and rows without a Ref are left out; other columns repeat on each row."""
    header = rows[header_row]
    others = [
        i
        for i in range(len(header))
        if i not in months and i not in found.values() and not _blank(header[i])
    ]
    out: list[list[Any]] = [["Ref", "Period", "Value", "Team", *[header[i] for i in others]]]
    out_formats: list[list[Any]] = [[None] * len(out[0])]
    team = found.get("Team")

    def at(row: Sequence[Any], i: int | None) -> Any:
        return row[i] if i is not None and i < len(row) else None

    for r in range(header_row + 1, len(rows)):
        row = rows[r]
        fmt = formats[r] if formats is not None and r < len(formats) else ()
        if _blank(at(row, found["Ref"])):
            continue
        for c, period in months.items():
            if _blank(at(row, c)):
                continue
            year, month_number = (int(p) for p in period.split("-"))
            out.append(
                [
                    at(row, found["Ref"]),
                    dt.datetime(year, month_number, 1),
                    at(row, c),
                    at(row, team),
                    *[at(row, i) for i in others],
                ]
            )
            out_formats.append([None, None, at(fmt, c), None, *[at(fmt, i) for i in others]])
    return out, (out_formats if formats is not None else None)


def _label_headers(book: Workbook, sheets: Mapping[str, Grid]) -> dict[str, str]:
    """Headers the engine reads as Plan target and Baseline: the Settings' label values."""
    grid = next((rows for name, rows in sheets.items() if normalise(name) == "settings"), None)
    if grid:
        rows, _ = _conform_settings(_trim(grid), None)
        k, v = list(rows[0]).index(SETTINGS_HEADERS[0]), list(rows[0]).index(SETTINGS_HEADERS[1])
        pairs = [
            (row[k] if k < len(row) else None, row[v] if v < len(row) else None) for row in rows[1:]
        ]
    else:
        _, ws = _sheet_for(book, "Settings")
        pairs = [
            (r[0], r[1] if len(r) > 1 else None)
            for r in ws.iter_rows(min_row=2, max_col=2, values_only=True)
        ]
    extra = {}
    for key, value in pairs:
        column = {"plan target label": "Plan target", "baseline label": "Baseline"}.get(
            normalise(key)
        )
        if column is not None and isinstance(value, str) and value.strip():
            extra[value] = column
    return extra


def write_all(
    book: Workbook, sheets: Mapping[str, Grid], number_formats: Mapping[str, Grid] | None = None
) -> dict[str, int]:
    """:func:`write_inputs`, returning the rows written per input sheet."""
    extra = _label_headers(book, sheets)
    written: dict[str, int] = {}
    for name, grid in sheets.items():
        canonical, ws = _sheet_for(book, name)
        formats = (number_formats or {}).get(name)
        rows: Grid = _trim(grid)
        if not rows:
            continue
        if canonical == "Settings":
            rows, formats = _conform_settings(rows, formats)
            written[canonical] = _write_settings(ws, rows, formats)
        else:
            rows, formats = _conform_table(
                canonical, rows, formats, extra if canonical == "Indicators" else None
            )
            written[canonical] = _write_table(ws, canonical, rows, formats)
    return written


def write_inputs(
    book: Workbook, sheets: Mapping[str, Grid], number_formats: Mapping[str, Grid] | None = None
) -> None:
    """Put grids (header row first) into the template's input sheets, each column under its header.

    Headers are matched as the engine matches them: by name (case and spaces ignored), by the
    schemas' synonyms ("Indicator Number" goes under Ref) and by the Settings' Plan target and
    Baseline labels. Columns the schemas do not know are added at the right with their own header,
    and each sheet's Excel table is resized to cover its rows; a wide Data paste (Ref, then one
    column per month) becomes one row per month. Rows already on a sheet are replaced. Settings:
    each named setting's Value is set (a row is added for a setting the template lacks). Values
    are written as they are, except that text beginning with '=' stays text. ``number_formats``,
    if given, holds grids of the same shape with a number format per cell (None for none).
    """
    write_all(book, sheets, number_formats)


def main(argv: Sequence[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    out = Path(args[0]) if args else TEMPLATE_FILE
    save_template(out)
    print(f"{out}: template version {TEMPLATE_VERSION}")


if __name__ == "__main__":  # pragma: no cover
    main()
