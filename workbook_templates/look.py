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
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.styles.differential import DifferentialStyle
from openpyxl.styles.numbers import NumberFormat
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.header_footer import HeaderFooterItem
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from kpi_engine import charts, render_model
from kpi_engine.colours import text_colour_on
from kpi_engine.model import DEFAULT_COLOURS
from kpi_engine.periods import month
from kpi_engine.render import (
    ARROWS,
    CHANGE_SINCE,
    OVERDUE,
    SUMMARY_HEADERS,
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
# Summary, Validation and Teams print one page wide: their widths add up to no more than
# render_model.units_per_page() (the long-text columns give way, see fit_to_page), so they print at
# PRINT_SCALE or larger. Short headings wrap onto the header row's second line.
SUMMARY_WIDTHS = {
    "No.": 4,
    "Ref": 8,
    "Measure": 45,
    "Green from": 8,
    "Current position": 9,
    "Count": 14,  # "1,187 of 1,362", "433 of 52,410"
    "RAG": 7,
    "Previous RAG": 9,
    "Comments": 60,
}
VALIDATION_WIDTHS = {
    "Severity": 9,
    "Sheet": 12,
    "Cell": 8,
    "Ref": 8,
    "Reason": 24,
    "What to do": 90,
}
# The Dashboard prints at PRINT_SCALE, as many pages across as it needs, Ref and Indicator
# repeated on each: narrow columns under headings that wrap onto three lines.
DASHBOARD_WIDTHS = {
    "Ref": 8,
    "Indicator": 28,
    "Polarity": 9,
    "Current outturn": 9,
    "Count": 14,
    "Green from": 9,
    "RAG": 7,
    "Previous RAG": 9,
    "Direction": 12,
    "6 months": 9,
    "On track for plan": 9,
    "Change since Baseline": 13,
    "National rank": 12,  # "69 of 153, band B (2024-25)", wrapped
    "Owner": 8,
    "RAG methodology": 24,
    "Notes": 24,
}
TEAMS_WIDTHS = {
    "Ref": 8,
    "Team": 20,
    "Period": 8,
    "Outturn": 9,
    "Numerator": 11,
    "Denominator": 12,
    "Green from": 11,
    "RAG": 7,
    "Notes": 50,
}
LONG_TEXT_WIDTH = 20  # columns at least this wide give way when a sheet must fit a page's width
# Numbers (and the symbols that stand in for them) sit right, RAG words centred in their fill, so
# a symbol never runs into the figure beside it ("63% c") nor a figure into a RAG ("47%Red").
NUMBER_COLUMNS = {  # right-aligned: numbers, and the counts' text ("208 of 241") beside them
    SUMMARY: ("Current position", "Count"),
    DASHBOARD: ("Count",),  # beyond the Dashboard's number columns
    TEAMS: ("Outturn", "Numerator", "Denominator", "Green from"),
    VALIDATION: (),
}
# The Summary's item numbers sit apart from the Ref beside them; its narrative lines, written in
# the same column, must run on to the right, as only left-aligned text does.
LEFT_COLUMNS = ("No.",)
CENTRED_COLUMNS = ("RAG", "Previous RAG", "Polarity", "On track for plan", "Owner")
CHART_COLUMN_WIDTH = (
    charts.CHART_COLUMN_WIDTH
)  # every column under the charts: each chart as wide as the others
COUNT_FORMATS = (
    "#,##0",
    "#,##0.0#",
)  # Teams' numerators and denominators: whole counts, else FTE and the like
DASHBOARD_OTHER_WIDTH, MONTH_WIDTH, FORMAT_WIDTH, OTHER_WIDTH = 11, 7, 2, 12
OVERDUE_FONT = Font(color=DECLINING_TEXT, bold=True)
RAG_BORDER = Border(
    top=Side(style="thin", color="FFFFFF"), bottom=Side(style="thin", color="FFFFFF")
)
# Points: three lines of the Dashboard's header row ("Change since" / "Ofsted" / "baseline")
HEADER_HEIGHT = 45
FONT = "Calibri"  # the workbook's body font, named so every client draws the title in it
WRAPPED = render_model.WRAPPED
WRAPPED_ROWS = 500  # table cells are pre-styled (top-aligned, wrapped where long) down to this row


# ---------------------------------------------------------------------------------------------
# Colours


# The contrast maths (relative_luminance, contrast_ratio, text_colour_on) lives in the core,
# kpi_engine.colours: the headless fill colours the RAG rules from the Settings sheet with it.


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
    if sheet == DASHBOARD:  # room for comparators beyond the usual three, as wide as those
        for col in range(len(default_dashboard_headers()) + 1, dashboard_last_column() + 1):
            widths[get_column_letter(col)] = other
    if sheet in FITTED_SHEETS:
        widths = fit_to_page(widths)
    return widths


FITTED_SHEETS = (SUMMARY, VALIDATION, TEAMS)  # one page wide; the Dashboard and Charts are not


def fit_to_page(widths: dict[str, float], budget: float | None = None) -> dict[str, float]:
    """``widths`` with the long-text columns (LONG_TEXT_WIDTH or wider, which wrap) narrowed in
    proportion, so that the whole is at most ``budget`` units (a page's width at PRINT_SCALE in
    a wide font): fitted to one page wide, the sheet then prints no smaller than PRINT_SCALE."""
    budget = render_model.units_per_page() if budget is None else budget
    long = {k: w for k, w in widths.items() if w >= LONG_TEXT_WIDTH}
    rest = sum(widths.values()) - sum(long.values())
    if not long or sum(widths.values()) <= budget:
        return widths
    share = max(0.0, budget - rest) / sum(long.values())
    return {k: (int(w * share) if k in long else w) for k, w in widths.items()}


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


def _header_test(name: str) -> str:
    """A formula true in the column headed ``name``. The change column's header ends with the
    workbook's own baseline label ("Change since Ofsted baseline"): it is matched by its start."""
    if name.startswith(CHANGE_SINCE):
        return f'LEFT(A${HEADER_ROW},{len(CHANGE_SINCE)})="{CHANGE_SINCE}"'
    return f'A${HEADER_ROW}="{name}"'


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
                test = ",".join(_header_test(name) for name in signed[group])
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
    # too, and each its ``;;;``: text merely coloured like its background would still be printed,
    # into a PDF's text layer ("FoRef").
    for test, colour in ((f'$A1="{HEADER}"', HEADER_FILL), (f'$A1="{SECTION}"', SECTION_FILL)):
        rule = _number_rule(test, HIDDEN_TEXT, ids)
        # _number_rule always gives the rule a DifferentialStyle; the stubs allow None.
        dxf = cast(DifferentialStyle, rule.dxf)
        dxf.font, dxf.fill = Font(color=colour), _solid(colour)
        cf.add(column, rule)
    rule = _number_rule(f"AND({shown})", HIDDEN_TEXT, ids)
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


def _item_number_rule(ws: Worksheet, sheet: str, ids: dict[str, int]) -> None:
    """Summary: the tables' item numbers stay 1, 2, 3 in a percentage's row. Like the count rules,
    this comes before the row rules so that it wins."""
    if sheet != SUMMARY:
        return
    number = get_column_letter(SUMMARY_HEADERS.index("No.") + 1)
    area = f"{number}1:{number}{STYLED_ROWS}"
    ws.conditional_formatting.add(area, _number_rule(f"ISNUMBER({number}1)", "0", ids))


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
    _item_number_rule(ws, sheet, ids)
    for word, (fill, text) in rag_styles(colours).items():
        cf.add(
            area,
            CellIsRule(
                operator="equal",
                formula=[f'"{word}"'],
                font=Font(color=text),
                fill=_solid(fill),
                border=RAG_BORDER,  # a white rule between cells: a run of Reds stays countable
            ),
        )
    # An overdue action in the action log reads as a warning, as "declining" does
    cf.add(area, CellIsRule(operator="equal", formula=[f'"{OVERDUE}"'], font=OVERDUE_FONT))
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


def print_titles(sheet: str) -> tuple[str, str | None]:
    """(rows, columns) repeated on every printed page of an output sheet. The title and stamp rows
    carry the organisation, reporting period and refresh time onto every page, and the table's
    header under them; not on the Summary, whose tables have headers of their own. The Dashboard
    repeats Ref and Indicator on each page across."""
    if sheet == SUMMARY:
        return "1:2", None
    if sheet == DASHBOARD:
        names = column_names(sheet)
        last = max((c for c, n in names.items() if n in ("Ref", "Indicator")), default=1)
        return f"1:{HEADER_ROW}", f"A:{get_column_letter(last)}"
    return f"1:{HEADER_ROW}", None


def print_setup(ws: Worksheet, sheet: str, paper: str = render_model.DEFAULT_PAPER) -> None:
    """An output sheet's print setup, for the template and the board pack: landscape on
    ``paper``; Summary, Validation and Teams one page wide (their widths keep that at
    PRINT_SCALE or larger); the Dashboard at PRINT_SCALE, across then down, Ref and Indicator
    repeated; Charts at the scale that fits two rows of charts a page (the fill writes the breaks
    between them); the title and stamp rows on every page, and "Page X of Y"."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = render_model.PAPER_SIZES[paper][2]
    # openpyxl always gives a sheet its page setup properties; the stubs allow None.
    properties = cast(PageSetupProperties, ws.sheet_properties.pageSetUpPr)
    if sheet in FITTED_SHEETS:
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0  # as many pages down as needed
        properties.fitToPage = True
    else:
        properties.fitToPage = False
        ws.page_setup.scale = (
            charts.chart_page_scale(paper) if sheet == CHARTS else render_model.PRINT_SCALE
        )
        ws.page_setup.pageOrder = "overThenDown"
    if sheet == CHARTS:
        # Rows of a fixed height, so the page breaks fall between rows of charts whatever the
        # fonts of the printing machine
        ws.sheet_format.defaultRowHeight = charts.ROW_HEIGHT
        ws.sheet_format.customHeight = True
    rows, columns = print_titles(sheet)
    ws.print_title_rows = rows
    ws.print_title_cols = columns
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.page_margins.header = ws.page_margins.footer = 0.3
    # "&A" is the file format's code for the sheet's name (Excel's dialog shows it as &[Tab]).
    # openpyxl always makes a sheet's odd-page header and footer; the stubs allow None.
    cast(HeaderFooterItem, ws.oddHeader).center.text = "&A"
    cast(HeaderFooterItem, ws.oddFooter).center.text = "Page &P of &N"


def _alignment(sheet: str, col: int, header: str) -> Alignment:
    """How a table column's cells sit: top-aligned, wrapped where the text is long, numbers (and
    their symbols) right, RAG words centred."""
    if sheet == DASHBOARD:
        headers = default_dashboard_headers()
        groups = dashboard_number_columns(headers)
        numbers = {c for cols in groups.values() for c in cols}
        # Beyond the default headers: the room for more comparators, numbers too
        right = col in numbers or header in NUMBER_COLUMNS[DASHBOARD] or col > len(headers)
    else:
        right = header in NUMBER_COLUMNS.get(sheet, ())
    horizontal = (
        "right"
        if right
        else "center"
        if header in CENTRED_COLUMNS
        else "left"
        if header in LEFT_COLUMNS
        else None
    )
    return Alignment(
        wrap_text=header in WRAPPED[sheet] or None, vertical="top", horizontal=horizontal
    )


def _align_cells(ws: Worksheet, sheet: str) -> None:
    """Top-align the table's cells and wrap the long-text columns. Cells typed in Excel take a
    column's style, but cells a program writes keep their own, so the cells below the header are
    pre-styled (every route only writes values into them, so the style stays)."""
    if sheet == CHARTS:
        return  # nothing wraps, and the captions run on to the right
    names = column_names(sheet)
    if sheet == DASHBOARD:  # the room for more comparators sits as the usual three do
        last = names[max(names)]
        names.update(dict.fromkeys(range(max(names) + 1, dashboard_last_column() + 1), last))
    for col, header in names.items():
        if col == 1 or col == format_column(sheet):  # the row kinds and format keys
            continue
        letter = get_column_letter(col)
        style = _alignment(sheet, col, header)
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
        print_setup(ws, name)
        add_row_rules(ws, name, colours, ids)
        for letter, width in column_widths(name).items():
            ws.column_dimensions[letter].width = width
        _align_cells(ws, name)
        ws.freeze_panes = _freeze(name)
        _header_row(ws, name)
