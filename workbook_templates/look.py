"""The look of the output sheets, owned by the template.

Remote Excel clients cannot set fonts, borders, widths or number formats, and the engine clears
and rewrites the output sheets' values on every refresh, so the look lives where neither can
touch it: column widths, print setup, and conditional formats keyed on what the engine writes.

- Column A (hidden) says what each row is: ``title``, ``stamp``, ``header``, ``section``,
  ``indicator`` or blank. Header rows are white on dark blue, section rows bold on grey.
- Cells saying ``Green``, ``Amber`` or ``Red`` get the RAG fill; ``▲ improving`` / ``▼ improving``
  get green text and the ``declining`` ones red text.
- On Summary, Dashboard, Teams and Charts, column B holds each row's format key (``%|1``: unit and
  decimals) and the row's numbers take that number format (``0.0%``), signed where the column is a
  change; on Teams the Numerator and Denominator columns are counts (``#,##0``) whatever the unit.
  The title and stamp are in B1 and B2 and must overflow to the right, so column B is kept narrow
  rather than hidden, and its format keys are blanked by a ``;;;`` number format.
- Charts: the columns the charts sit over are all one width, so the native charts (anchored to
  cells) and the Excel routes' pictures (sized from these widths) cover the same cells.

Everything positional is worked out from :mod:`kpi_engine.render` (header names, widths keyed by
header), so the template follows the render model when columns move.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from openpyxl import Workbook
from openpyxl.formatting import rule as _rule
from openpyxl.formatting.rule import Rule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.styles.differential import DifferentialStyle
from openpyxl.styles.numbers import NumberFormat
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.header_footer import HeaderFooterItem
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from kpi_engine import charts, render_model
from kpi_engine.model import DEFAULT_COLOURS
from kpi_engine.periods import month
from kpi_engine.render import (
    ARROWS,
    SUMMARY_WIDTH,
    TEAMS_COUNT_COLUMNS,
    TEAMS_WIDTH,
    VALIDATION_WIDTH,
    dashboard_number_columns,
    default_dashboard_headers,
    render_summary,
    render_teams,
    render_validation,
)
from kpi_engine.render_model import HEADER, HEADER_ROW, ROW, SECTION, STAMP, TITLE
from kpi_engine.results import Report, Stamp
from kpi_engine.workbook_names import CHARTS, DASHBOARD, OUTPUT_SHEETS, SUMMARY, TEAMS, VALIDATION

# types-openpyxl leaves openpyxl's rule factories unannotated; each returns a Rule.
FormulaRule = cast(Callable[..., Rule], _rule.FormulaRule)
CellIsRule = cast(Callable[..., Rule], _rule.CellIsRule)

STYLED_ROWS = 2000  # conditional formats cover rows 1..STYLED_ROWS
HEADER_FILL, HEADER_TEXT = "1F3864", "FFFFFF"
SECTION_FILL = "D9D9D9"
STAMP_TEXT = "595959"  # 7:1 on white; the usual mid grey (808080) is only 3.9:1
IMPROVING_TEXT, DECLINING_TEXT = "006100", "9C0006"
BLACK, WHITE = "000000", "FFFFFF"
MAX_MONTHS_SHOWN = 36  # the Settings schema's maximum for "Months shown"
EXTRA_COMPARATORS = 5  # room for comparators beyond the usual three
FORMAT_COLUMN = render_model.FORMAT_COLUMN_HEADER  # the header of the format-key column
HIDDEN_TEXT = ";;;"  # a number format that shows nothing, text included
DXF_NUMFMT_FIRST_ID = (
    300  # ids for the conditional formats' number formats, clear of the cells' (164 on)
)
DIRECTION_TEXTS = {
    "improving": (f"{ARROWS['up']} improving", f"{ARROWS['down']} improving"),
    "declining": (f"{ARROWS['up']} declining", f"{ARROWS['down']} declining"),
}

# Column widths (characters) by header. The Dashboard's month columns are MONTH_WIDTH wide.
SUMMARY_WIDTHS = {
    "Ref": 10,
    "Measure": 45,
    "Green from": 14,
    "Current position": 17,
    "RAG": 14,
    "Benchmarking": 40,
    "Comments": 60,
}
VALIDATION_WIDTHS = {
    "Severity": 10,
    "Sheet": 14,
    "Cell": 8,
    "Ref": 10,
    "Reason": 26,
    "What to do": 90,
}
DASHBOARD_WIDTHS = {"Ref": 9, "Indicator": 45, "RAG methodology": 40, "Notes": 30}
TEAMS_WIDTHS = {
    "Ref": 9,
    "Team": 24,
    "Period": 10,
    "Outturn": 12,
    "Numerator": 12,
    "Denominator": 13,
    "Green from": 12,
    "RAG": 12,
    "Notes": 50,
}
CHART_COLUMN_WIDTH = (
    charts.CHART_COLUMN_WIDTH
)  # every column under the charts: each chart as wide as the others
COUNT_FORMATS = (
    "#,##0",
    "#,##0.0#",
)  # Teams' numerators and denominators: whole counts, else FTE and the like
DASHBOARD_OTHER_WIDTH, MONTH_WIDTH, FORMAT_WIDTH, OTHER_WIDTH = 11, 8, 2, 12
HEADER_HEIGHT = 30  # points: two lines of the Dashboard's header row
FONT = "Calibri"  # the workbook's body font, named so every client draws the title in it
WRAPPED = render_model.WRAPPED
WRAPPED_ROWS = 500  # table cells are pre-styled (top-aligned, wrapped where long) down to this row


# ---------------------------------------------------------------------------------------------
# Colours


def relative_luminance(hex_colour: str) -> float:
    """WCAG 2 relative luminance of an ``RRGGBB`` colour."""
    channels = []
    for i in (0, 2, 4):
        c = int(hex_colour[i : i + 2], 16) / 255
        channels.append(c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4)
    r, g, b = channels
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a: str, b: str) -> float:
    """WCAG 2 contrast ratio of two ``RRGGBB`` colours (1 to 21; text needs 4.5)."""
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


# Machado, Oliveira and Fernandes (2009), "A physiologically-based model for simulation of color
# vision deficiency", severity 1.0: each matrix maps linear RGB to what a dichromat sees.
CVD_MATRICES = {
    "protanopia": (
        (0.152286, 1.052583, -0.204868),
        (0.114503, 0.786281, 0.099216),
        (-0.003882, -0.048116, 1.051998),
    ),
    "deuteranopia": (
        (0.367322, 0.860646, -0.227968),
        (0.280085, 0.672501, 0.047413),
        (-0.011820, 0.042940, 0.968881),
    ),
    "tritanopia": (
        (1.255528, -0.076749, -0.178779),
        (-0.078411, 0.930809, 0.147602),
        (0.004733, 0.691367, 0.303900),
    ),
}


def _linear(hex_colour: str) -> tuple[float, float, float]:
    out = []
    for i in (0, 2, 4):
        c = int(hex_colour[i : i + 2], 16) / 255
        out.append(c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4)
    return out[0], out[1], out[2]


def _hex(linear: tuple[float, float, float]) -> str:
    out = ""
    for c in linear:
        c = min(1.0, max(0.0, c))
        s = 12.92 * c if c <= 0.0031308 else 1.055 * c ** (1 / 2.4) - 0.055
        out += f"{round(s * 255):02X}"
    return out


def simulate_colour_vision(hex_colour: str, kind: str) -> str:
    """How an ``RRGGBB`` colour looks to a reader with ``kind`` (protanopia, deuteranopia,
    tritanopia)."""
    m = CVD_MATRICES[kind]
    v = _linear(hex_colour.lstrip("#"))
    return _hex(tuple(sum(m[i][j] * v[j] for j in range(3)) for i in range(3)))  # type: ignore[arg-type]


def cie_lab(hex_colour: str) -> tuple[float, float, float]:
    """CIE L*a*b* (D65) of an ``RRGGBB`` colour."""
    r, g, b = _linear(hex_colour.lstrip("#"))
    x = (0.4124564 * r + 0.3575761 * g + 0.1804375 * b) / 0.95047
    y = 0.2126729 * r + 0.7151522 * g + 0.0721750 * b
    z = (0.0193339 * r + 0.1191920 * g + 0.9503041 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > (6 / 29) ** 3 else t / (3 * (6 / 29) ** 2) + 4 / 29

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def delta_e(a: str, b: str) -> float:
    """CIE76 colour difference of two ``RRGGBB`` colours (2.3 is just noticeable; 20 is plainly
    different)."""
    la, lb = cie_lab(a), cie_lab(b)
    # float ** float is typed Any (a negative base would give a complex); a sum of squares is not.
    distance: float = sum((p - q) ** 2 for p, q in zip(la, lb, strict=True)) ** 0.5
    return distance


def text_colour_on(fill: str) -> str:
    """Black or white, whichever contrasts more with ``fill``."""
    return BLACK if contrast_ratio(fill, BLACK) >= contrast_ratio(fill, WHITE) else WHITE


def rag_styles(colours: dict[str, str] | None = None) -> dict[str, tuple[str, str]]:
    """RAG word -> (fill, text colour); with the defaults, black on Green and Amber, white on
    Red."""
    fills = {**DEFAULT_COLOURS, **(colours or {})}
    return {
        word: (fill.lstrip("#").upper(), text_colour_on(fill.lstrip("#").upper()))
        for word, fill in fills.items()
    }


def _solid(colour: str) -> PatternFill:
    # Conditional formats take a solid fill's colour from bgColor, cells from fgColor: set both.
    return PatternFill(fill_type="solid", start_color=colour, end_color=colour)


# ---------------------------------------------------------------------------------------------
# Where things are, from the render model


def _empty_report() -> Report:
    return Report(Stamp(None, None, None, "", "", None), [], [])


def header_rows(sheet: str) -> list[list[Any]]:
    """The header rows a refresh writes on an output sheet (column A first), for the default
    layout."""
    if sheet == DASHBOARD:
        return [[HEADER, *default_dashboard_headers()[1:]]]
    if sheet == CHARTS:  # the chart data's header (the key row above the charts has no columns)
        return [[HEADER, FORMAT_COLUMN, "Ref", "Series"]]
    renderers = {SUMMARY: render_summary, VALIDATION: render_validation, TEAMS: render_teams}
    rendered = renderers[sheet](_empty_report())
    return [
        list(row) for block in rendered.blocks for row in block.values if row and row[0] == HEADER
    ]


def column_names(sheet: str) -> dict[int, str]:
    """Column (1-based) -> the header naming it; where header rows differ, the last one's (Summary's
    detail table) wins."""
    names: dict[int, str] = {}
    for row in header_rows(sheet):
        for i, value in enumerate(row[1:], start=2):
            if isinstance(value, str):
                names[i] = value
    return names


def format_column(sheet: str) -> int | None:
    """The column (1-based) holding the row's format key, if the sheet has one."""
    if FORMAT_COLUMN is None:
        return None
    for row in header_rows(sheet):
        if FORMAT_COLUMN in row:
            return row.index(FORMAT_COLUMN) + 1
    return None


def dashboard_month_columns() -> list[int]:
    """Zero-based positions of the month columns in the Dashboard's default header row."""
    headers = default_dashboard_headers()
    other = default_dashboard_headers(reporting_period=month(2000, 6))
    return [i for i, (a, b) in enumerate(zip(headers, other, strict=True)) if a != b]


def dashboard_last_column() -> int:
    """The widest Dashboard the engine can write: 36 months and a few extra comparators."""
    return len(default_dashboard_headers(MAX_MONTHS_SHOWN)) + EXTRA_COMPARATORS


def styled_width(sheet: str) -> int:
    """How many columns, from A, the output sheet's conditional formats cover."""
    return {
        SUMMARY: SUMMARY_WIDTH,
        DASHBOARD: dashboard_last_column(),
        VALIDATION: VALIDATION_WIDTH,
        TEAMS: TEAMS_WIDTH,
        CHARTS: charts.SHEET_WIDTH,
    }[sheet]


def chart_column_widths() -> dict[str, float]:
    """Column letter -> width on the Charts sheet: B narrow (format keys), then every column one
    width."""
    widths: dict[str, float] = {"B": FORMAT_WIDTH}
    for col in range(3, styled_width(CHARTS) + 1):
        widths[get_column_letter(col)] = CHART_COLUMN_WIDTH
    return widths


def column_widths(sheet: str) -> dict[str, float]:
    """Column letter -> width, for columns B onwards of the default layout."""
    if sheet == CHARTS:
        return chart_column_widths()
    widths: dict[str, float] = {}
    fmt = format_column(sheet)
    months = {i + 1 for i in dashboard_month_columns()} if sheet == DASHBOARD else set()
    table = {
        SUMMARY: SUMMARY_WIDTHS,
        VALIDATION: VALIDATION_WIDTHS,
        DASHBOARD: DASHBOARD_WIDTHS,
        TEAMS: TEAMS_WIDTHS,
    }[sheet]
    other = DASHBOARD_OTHER_WIDTH if sheet == DASHBOARD else OTHER_WIDTH
    for col, name in column_names(sheet).items():
        if col == fmt:
            width: float = FORMAT_WIDTH
        elif col in months:
            width = MONTH_WIDTH
        else:
            width = table.get(name, other)
        widths[get_column_letter(col)] = width
    return widths


# ---------------------------------------------------------------------------------------------
# Conditional formats


def _number_rule(formula: str, code: str, ids: dict[str, int]) -> Rule:
    if code not in ids:
        ids[code] = DXF_NUMFMT_FIRST_ID + len(ids)
    return Rule(
        type="expression",
        formula=[formula],
        dxf=DifferentialStyle(numFmt=NumberFormat(numFmtId=ids[code], formatCode=code)),
    )


def _number_format_rules(ws: Worksheet, sheet: str, area: str, ids: dict[str, int]) -> None:
    """Each row's numbers take the format its key names; change columns are signed."""
    fmt = format_column(sheet)
    if fmt is None:
        return
    key = f"${get_column_letter(fmt)}1"
    cf = ws.conditional_formatting
    signed: dict[str, list[str]] = {"signed+1": [], "signed": []}
    if sheet == DASHBOARD:
        headers = default_dashboard_headers()
        for group, cols in dashboard_number_columns(headers).items():
            if group in signed:
                signed[group] = [headers[c - 1] for c in cols]
    for code_key, unit, decimals in render_model.format_keys():
        for group, extra in (("signed+1", 1), ("signed", 0)):
            if signed[group]:
                test = ",".join(f'A${HEADER_ROW}="{name}"' for name in signed[group])
                code = render_model.number_format(unit, decimals + extra, signed=True)
                cf.add(area, _number_rule(f'AND({key}="{code_key}",OR({test}))', code, ids))
        cf.add(
            area,
            _number_rule(f'{key}="{code_key}"', render_model.number_format(unit, decimals), ids),
        )


def _hide_format_keys(ws: Worksheet, sheet: str, ids: dict[str, int]) -> None:
    """Blank the format keys (but not the title and stamp, which overflow from B1 and B2): a ``;;;``
    number format for Excel, and text the colour of the row's background for clients that ignore it.
    These come first, so they win over the row rules below."""
    fmt = format_column(sheet)
    if fmt is None:
        return
    letter = get_column_letter(fmt)
    column = f"{letter}1:{letter}{STYLED_ROWS}"
    cf = ws.conditional_formatting
    shown = f'$A1<>"{TITLE}",$A1<>"{STAMP}"'
    # LibreOffice applies only the first rule that matches a cell, so these carry the row's fill
    # too.
    cf.add(
        column,
        FormulaRule(
            formula=[f'$A1="{HEADER}"'], font=Font(color=HEADER_FILL), fill=_solid(HEADER_FILL)
        ),
    )
    cf.add(
        column,
        FormulaRule(
            formula=[f'$A1="{SECTION}"'], font=Font(color=SECTION_FILL), fill=_solid(SECTION_FILL)
        ),
    )
    rule = _number_rule(f"AND({shown})", HIDDEN_TEXT, ids)
    # _number_rule always gives the rule a DifferentialStyle; the stubs allow None.
    cast(DifferentialStyle, rule.dxf).font = Font(color=WHITE)
    cf.add(column, rule)


def _count_rules(ws: Worksheet, sheet: str, ids: dict[str, int]) -> None:
    """Teams: numerators and denominators are counts, whatever the row's unit. These come before
    the row rules, so they win (Excel: by priority; LibreOffice: the first rule that matches)."""
    if sheet != TEAMS:
        return
    names = column_names(sheet)
    cols = sorted(c for c, n in names.items() if n in TEAMS_COUNT_COLUMNS)
    if not cols:
        return
    first = get_column_letter(cols[0])
    area = f"{first}1:{get_column_letter(cols[-1])}{STYLED_ROWS}"
    row = f'$A1="{ROW}",ISNUMBER({first}1)'
    whole, fraction = COUNT_FORMATS
    ws.conditional_formatting.add(
        area, _number_rule(f"AND({row},{first}1=INT({first}1))", whole, ids)
    )
    ws.conditional_formatting.add(area, _number_rule(f"AND({row})", fraction, ids))


def add_row_rules(
    ws: Worksheet,
    sheet: str,
    colours: dict[str, str] | None = None,
    ids: dict[str, int] | None = None,
) -> str:
    """The conditional formats of an output sheet; returns the range they cover."""
    ids = {} if ids is None else ids
    area = f"A1:{get_column_letter(styled_width(sheet))}{STYLED_ROWS}"
    cf = ws.conditional_formatting
    _hide_format_keys(ws, sheet, ids)
    _count_rules(ws, sheet, ids)
    for word, (fill, text) in rag_styles(colours).items():
        cf.add(
            area,
            CellIsRule(
                operator="equal", formula=[f'"{word}"'], font=Font(color=text), fill=_solid(fill)
            ),
        )
    for word, colour in (("improving", IMPROVING_TEXT), ("declining", DECLINING_TEXT)):
        test = ",".join(f'A1="{text}"' for text in DIRECTION_TEXTS[word])
        cf.add(area, FormulaRule(formula=[f"OR({test})"], font=Font(color=colour, bold=True)))
    cf.add(
        area,
        FormulaRule(
            formula=[f'$A1="{HEADER}"'],
            font=Font(bold=True, color=HEADER_TEXT),
            fill=_solid(HEADER_FILL),
        ),
    )
    cf.add(
        area,
        FormulaRule(
            formula=[f'$A1="{SECTION}"'],
            font=Font(bold=True, color=BLACK),
            fill=_solid(SECTION_FILL),
        ),
    )
    cf.add(area, FormulaRule(formula=[f'$A1="{TITLE}"'], font=Font(bold=True)))
    cf.add(area, FormulaRule(formula=[f'$A1="{STAMP}"'], font=Font(italic=True, color=STAMP_TEXT)))
    _number_format_rules(ws, sheet, area, ids)
    return area


# ---------------------------------------------------------------------------------------------
# The sheets


def _print_setup(ws: Worksheet) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages down as needed
    # openpyxl always gives a sheet its page setup properties; the stubs allow None.
    cast(PageSetupProperties, ws.sheet_properties.pageSetUpPr).fitToPage = True
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.page_margins.header = ws.page_margins.footer = 0.3
    # "&A" is the file format's code for the sheet's name (Excel's dialog shows it as &[Tab]).
    # openpyxl always makes a sheet's odd-page header and footer; the stubs allow None.
    cast(HeaderFooterItem, ws.oddHeader).center.text = "&A"
    cast(HeaderFooterItem, ws.oddFooter).center.text = "Page &P of &N"


WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")


def _align_cells(ws: Worksheet, sheet: str) -> None:
    """Top-align the table's cells and wrap the long-text columns. Cells typed in Excel take a
    column's style, but cells a program writes keep their own, so the cells below the header are
    pre-styled (every route only writes values into them, so the style stays)."""
    if sheet == CHARTS:
        return  # nothing wraps, and the captions run on to the right
    names = column_names(sheet)
    for col, header in names.items():
        if col < 3:
            continue
        letter = get_column_letter(col)
        style = WRAP if header in WRAPPED[sheet] else TOP
        ws.column_dimensions[letter].alignment = style
        for row in range(HEADER_ROW + 1, WRAPPED_ROWS + 1):
            ws[f"{letter}{row}"].alignment = style


def _freeze(sheet: str) -> str | None:
    if (
        sheet == DASHBOARD
    ):  # rows to the header, columns to Polarity: Ref and Indicator stay in view
        names = column_names(sheet)
        last = max(
            (c for c, n in names.items() if n in ("Ref", "Indicator", "Polarity")), default=1
        )
        return f"{get_column_letter(last + 1)}{HEADER_ROW + 1}"
    if sheet in (VALIDATION, TEAMS):
        return f"A{HEADER_ROW + 1}"
    return None


def _header_row(ws: Worksheet, sheet: str) -> None:
    """Row 4 is every output sheet's (first) header row: its cells wrap, so long headings show
    whole. Cells styled ahead of time keep their style when a refresh writes their values."""
    if sheet != DASHBOARD:
        return
    wrap = Alignment(wrap_text=True, vertical="center")
    for col in range(2, styled_width(sheet) + 1):
        ws.cell(HEADER_ROW, col).alignment = wrap
    ws.row_dimensions[HEADER_ROW].height = HEADER_HEIGHT


def style_output_sheets(book: Workbook, colours: dict[str, str] | None = None) -> None:
    """Give the output sheets (Summary, Dashboard, Validation, Teams, Charts) their look
    (creating any that are missing)."""
    ids: dict[str, int] = {}
    for name in OUTPUT_SHEETS:
        ws = book[name] if name in book.sheetnames else book.create_sheet(name)
        ws.column_dimensions["A"].hidden = True
        ws.column_dimensions["A"].width = 2
        ws["B1"].font = Font(name=FONT, bold=True, size=14)
        ws["B2"].font = Font(name=FONT, italic=True, color=STAMP_TEXT)
        ws.sheet_properties.tabColor = HEADER_FILL
        ws.sheet_view.showGridLines = False
        _print_setup(ws)
        add_row_rules(ws, name, colours, ids)
        for letter, width in column_widths(name).items():
            ws.column_dimensions[letter].width = width
        _align_cells(ws, name)
        ws.freeze_panes = _freeze(name)
        _header_row(ws, name)
