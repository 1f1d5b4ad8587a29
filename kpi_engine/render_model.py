"""The render model's shape: blocks of values and links on named output sheets.

What every writer places (the headless one and the Excel routes) and what every sheet's renderer
(:mod:`kpi_engine.render`, :mod:`kpi_engine.charts`) builds: the output sheets' names, the row
kinds in hidden column A that the template's conditional formats key on, the format keys in
column B, and the title rows every output sheet starts with.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .periods import long_label
from .results import Report
from .workbook_names import CHARTS, DASHBOARD, SUMMARY, TEAMS, VALIDATION

HEADER_ROW = 4  # every output sheet: title (1), stamp (2), blank (3), table header (4)

# Row kinds, in the hidden column A; the template's conditional formats key on them.
TITLE, STAMP, HEADER, SECTION, ROW, BLANK = "title", "stamp", "header", "section", "indicator", ""
# On Summary and Dashboard, column B holds the row's format key ("%|1": unit and decimals):
# the template's conditional formats give the row's number cells their number format from it,
# so an Excel client that cannot set number formats cell by cell still shows 63.9%.
FORMAT_COLUMN_HEADER = "Format"
UNITS = ("%", "number", "rate per 10,000", "days", "weeks")
MAX_DECIMALS = 3


# Text a spreadsheet reads as a formula when it is typed (or written) into a cell: every writer
# keeps such text as text, so an officer's "=cmd|..." never runs.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class Block:
    """A rectangle of values whose top-left cell is (row, col), 1-based."""

    row: int
    col: int
    values: list[list[Any]]

    @property
    def height(self) -> int:
        return len(self.values)

    @property
    def width(self) -> int:
        return max((len(r) for r in self.values), default=0)


@dataclass
class Link:
    """A link from a cell to a place in the same workbook (``'Data'!D14``)."""

    row: int
    col: int
    target: str

    def formula(self, text: str) -> str:
        """The cell's formula, without its "=": a HYPERLINK that shows ``text`` and goes to the
        target. Every route writes the link this way, inside its values write, so a link costs
        no Excel action of its own. Only the engine makes these, from a sheet name and a cell
        address; an officer's text that looks like a formula is still written as text."""
        return f"HYPERLINK({_formula_text('#' + self.target)},{_formula_text(text)})"


def _formula_text(text: str) -> str:
    """A text constant in a formula: in double quotes, a double quote doubled."""
    return '"' + text.replace('"', '""') + '"'


# Columns whose text wraps (by header); a writer sizes their rows to fit.
WRAPPED = {
    # Ref and Green from also hold the Summary's section names and action owners.
    # Current position and Previous RAG: narrow, so their headings take two lines.
    SUMMARY: (
        "Ref",
        "Measure",
        "Green from",
        "Current position",
        "Previous RAG",
        "Comments",
    ),
    VALIDATION: ("What to do",),
    DASHBOARD: ("Indicator", "National rank", "RAG methodology", "Notes"),
    TEAMS: ("Notes",),
    CHARTS: (),
}


CHARTS_PER_PAGE = 12  # a page of small multiples: one picture on the Excel routes

# Paper. The output sheets print landscape on the Settings' "Paper size": its long and short sides
# (points) and the file format's paperSize code.
PAPER_SIZES = {"A4": (841.9, 595.3, 9), "A3": (1190.6, 841.9, 8)}
DEFAULT_PAPER = "A4"
PRINT_MARGIN_SIDES, PRINT_MARGIN_TOP_BOTTOM = 28.8, 43.2  # points: 0.4" and 0.6"
HEADER_FOOTER_ALLOWANCE = 24.0  # points LibreOffice takes out of the body for header and footer
# Percent: 11-point text prints at 8.25 points, the smallest a board reads on paper. Sheets
# fitted to one page wide keep their widths within WIDE_UNITS_PER_PAGE, so they print at least
# this large; the Dashboard and Charts print at a fixed scale.
PRINT_SCALE = 75
# A column width unit is one digit of the body font: 7 pixels (5.25 points) in Calibri, about 9 in
# the wide fonts LibreOffice falls back on where Calibri (or Carlito) is missing; measured there,
# with each column's padding, a unit prints 7.1 points wide at 100%.
WIDE_UNIT_POINTS = 7.2


def units_per_page(paper: str = DEFAULT_PAPER, scale: int = PRINT_SCALE, side: int = 0) -> float:
    """Width units (characters) across a page at ``scale`` percent, in a wide font: landscape
    (``side`` 0, the long side across), or portrait (1)."""
    across = PAPER_SIZES[paper][side]
    return (across - 2 * PRINT_MARGIN_SIDES) / (scale / 100) / WIDE_UNIT_POINTS


@dataclass(frozen=True)
class SeriesSpec:
    """One series of a chart: its name (in column D of ``row``) and values (from
    FIRST_MONTH_COLUMN)."""

    name: str
    role: str  # ACTUAL, TARGET, BENCHMARK or PLAN
    row: int
    values: tuple[float | None, ...]  # one per category; None is a gap


@dataclass(frozen=True)
class ChartSpec:
    """One chart: what it shows, where it sits, and the cells it is drawn from."""

    index: int  # 0-based position in the grid
    ref: str
    title: str  # the chart's title: ref and indicator title
    title_row: int  # the chart data's row whose Series cell holds the title (the chart reads it)
    kind: str  # "line" or "column" (the Indicators sheet's Chart column)
    polarity: str | None
    caption: str  # which way is good
    status: str  # the latest figure against its target, and its RAG
    description: str  # the chart's text alternative (alt text)
    row: int  # top-left cell of the chart
    col: int
    rows: int
    cols: int
    categories_row: int  # the data block's header row: month labels
    first_col: int  # the chart's categories and values: columns first_col..last_col
    last_col: int
    categories: tuple[str, ...]
    series: tuple[SeriesSpec, ...]
    axis_format: str  # the value axis' number format (0%, #,##0)
    percent: bool
    decimals: int
    # Quarterly and annual figures: a line joins them across the empty months.
    connect_gaps: bool = False
    # The value axis, the same on every route (kpi_engine.charts.value_axis): its floor, its top
    # and the step between its labels; None where nothing is charted (the client picks).
    axis_min: float | None = None
    axis_max: float | None = None
    axis_step: float | None = None

    @property
    def caption_row(self) -> int:
        return self.row + self.rows

    @property
    def page(self) -> int:
        return self.index // CHARTS_PER_PAGE


@dataclass
class SheetRender:
    name: str
    blocks: list[Block]
    links: list[Link] = field(default_factory=list)
    wrap_columns: tuple[int, ...] = ()  # 1-based columns whose text wraps: rows are sized to fit
    # The sheet's charts, drawn from its own cells (see kpi_engine.charts). None: the sheet has no
    # chart layer, and a writer leaves its drawings alone; a list (even empty): they replace all.
    charts: list[ChartSpec] | None = None
    # Rows after which a printed page breaks (the Charts sheet: between rows of charts). None: the
    # writer leaves the sheet's page breaks as the template has them.
    row_breaks: tuple[int, ...] | None = None

    @property
    def rows(self) -> int:
        return max((b.row + b.height - 1 for b in self.blocks), default=0)

    @property
    def cols(self) -> int:
        return max((b.col + b.width - 1 for b in self.blocks), default=0)

    def cell(self, row: int, col: int) -> Any:
        """The value the model puts at (row, col), 1-based; for tests and writers. (A block's
        width is not worked out here: a writer asks for every linked cell, and that would make
        a sheet of thousands of issues take quadratic time.)"""
        for b in self.blocks:
            i, j = row - b.row, col - b.col
            if 0 <= i < len(b.values) and 0 <= j < len(b.values[i]):
                return b.values[i][j]
        return None


@dataclass
class RenderModel:
    sheets: list[SheetRender]
    colours: dict[str, str] = field(default_factory=dict)
    paper: str = DEFAULT_PAPER  # the Settings' Paper size: the output sheets' page setup

    def sheet(self, name: str) -> SheetRender:
        return next(s for s in self.sheets if s.name == name)


def number_format(unit: str, decimals: int, signed: bool = False) -> str:
    """Excel number format for a unit at ``decimals`` places (``0.0%``, ``#,##0``)."""
    digits = "0" + ("." + "0" * decimals if decimals > 0 else "")
    if unit == "%":
        body = digits + "%"
    elif unit == "rate per 10,000":
        body = digits
    else:
        body = "#,##" + digits
    return f"+{body};-{body};{body}" if signed else body


def wrapped(sheet: str, headers: list[str]) -> tuple[int, ...]:
    return tuple(i for i, h in enumerate(headers, start=1) if h in WRAPPED[sheet])


def format_key(unit: str, decimals: int) -> str:
    return f"{unit}|{decimals}"


def format_keys() -> list[tuple[str, str, int]]:
    """Every (key, unit, decimals) the template must style."""
    return [(format_key(u, d), u, d) for u in UNITS for d in range(MAX_DECIMALS + 1)]


def stamp_text(report: Report) -> str:
    s = report.stamp
    parts = [s.organisation or "Organisation not set"]
    if s.reporting_period is not None:
        parts.append(f"Reporting period {long_label(s.reporting_period)}")
    # Refreshed before the rest: where the stamp is cut short (the Dashboard's pages across
    # repeat it within Ref and Indicator), what a reader needs comes first
    parts.append(f"Refreshed {s.refreshed.replace('T', ' ')}")
    if s.data_as_at:
        parts.append(f"Data as at {s.data_as_at}")
    parts.append(f"kpi-dashboard {s.engine_version}")
    parts.append(f"template {s.template_version or 'unknown'}")
    return " | ".join(parts)


def title_rows(report: Report, title: str, width: int) -> list[list[Any]]:
    pad = [None] * (width - 2)
    return [
        [TITLE, title, *pad],
        [STAMP, stamp_text(report), *pad],
        [BLANK, None, *pad],
    ]  # B1 and B2
