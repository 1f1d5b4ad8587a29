"""The Charts sheet: each rated indicator's monthly series against its targets,
as small multiples.

Part of the render model (:mod:`kpi_engine.render`): this module decides what every chart shows
and where, and writes the figures each chart is drawn from as a data block on the Charts sheet
itself, below the charts, so a chart's series point at real cells. It draws nothing: the headless
writer turns each :class:`ChartSpec` into a native Excel chart (:mod:`kpi_engine.xlsx.chart_xml`),
and the Excel routes, whose clients cannot all add charts, draw the same specs as pictures, one
per page of :data:`CHARTS_PER_PAGE` charts (:mod:`addin.pictures`).

Layout (rows and columns 1-based; column A holds each row's kind, column B its format key)::

    1-4   title, stamp, blank, the key to the charts (a header row, repeated on every printed page)
    6...  the grid: CHARTS_PER_ROW charts a row, each CHART_COLUMNS wide and CHART_ROWS high, with
          a caption row under each (which way is good, and the latest figure against its target)
    then  the chart data: one header row of months, and for each chart its rows: the monthly
          figure, Green from (the value the colour is judged against), each benchmark, the plan
          target at the plan date

Which way is good follows the seeds: "Higher is better" / "Lower is better" under a line chart;
under a column chart seed 003's "Columns BELOW the target line are good performance" (ABOVE for a
bigger-is-better measure).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from .periods import Month, label
from .render_model import (
    BLANK,
    CHARTS_PER_PAGE,
    DEFAULT_PAPER,
    FORMAT_COLUMN_HEADER,
    HEADER,
    HEADER_FOOTER_ALLOWANCE,
    HEADER_ROW,
    MAX_DECIMALS,
    PAPER_SIZES,
    PRINT_MARGIN_SIDES,
    PRINT_MARGIN_TOP_BOTTOM,
    ROW,
    SECTION,
    Block,
    ChartSpec,
    SeriesSpec,
    SheetRender,
    format_key,
    number_format,
    title_rows,
)
from .results import IndicatorResult, Report
from .rounding import format_number
from .workbook_names import CHARTS

CHARTS_PER_ROW = 2
CHART_COLUMNS = 8  # columns each chart spans
CHART_GAP_COLUMNS = 1  # between two charts of a row
CHART_ROWS = 19  # rows each chart spans; its caption is on the two rows below
CAPTION_ROWS = 2  # which way is good; the latest figure against its target
SLOT_ROWS = CHART_ROWS + CAPTION_ROWS + 1  # chart, captions, a blank row
FIRST_CHART_COLUMN = 3  # C
FIRST_CHART_ROW = HEADER_ROW + 2
GRID_COLUMNS = CHARTS_PER_ROW * CHART_COLUMNS + (CHARTS_PER_ROW - 1) * CHART_GAP_COLUMNS
# The data block: Ref in C, the series' name in D (its text runs on over the empty E), months
# from F.
REF_COLUMN, NAME_COLUMN, FIRST_MONTH_COLUMN = 3, 4, 6
FORMAT_COLUMN = 2  # B: each row's format key; on a chart's title row, the chart's shape
# The axis runs on past the reporting period to a plan date at most this far ahead.
MAX_PLAN_EXTENSION = 24
# The widest data block: 36 months shown and the run on to the plan date.
MAX_MONTHS = 36 + MAX_PLAN_EXTENSION
GRID_WIDTH = FIRST_CHART_COLUMN - 1 + GRID_COLUMNS  # columns from A to the grid's right edge
# The widest sheet: what its look covers.
SHEET_WIDTH = max(GRID_WIDTH, FIRST_MONTH_COLUMN - 1 + MAX_MONTHS)
# The template gives every column from C this width and rows their default height, so a picture of
# a page (Excel routes) covers the same cells as the native charts (headless), which are anchored
# to cells.
CHART_COLUMN_WIDTH = 10  # characters
ROW_HEIGHT = 15.0  # points: Excel's default row height for 11-point Calibri


def column_points(width: float = CHART_COLUMN_WIDTH) -> float:
    """A column's width in points, from its width in characters
    (Calibri 11: 7-pixel digits, 96 dpi)."""
    pixels = int(((256 * width + int(128 / 7)) / 256) * 7)
    return pixels * 0.75


# Series roles, which fix how a series is drawn on every route
ACTUAL, TARGET, BENCHMARK, PLAN = "actual", "target", "benchmark", "plan"
KEY_TEXT = (
    "Key: monthly figure (line or columns); Green from (black dashes); each benchmark its own "
    "colour and pattern; plan target (diamond). Every axis starts at 0."
)
GREEN_FROM = "Green from"  # the name of the series drawn at green_from
DATA_HEADING = "Chart data: the figures the charts above are drawn from"
CHART_KINDS = ("line", "column")


@dataclass(frozen=True)
class ChartPage:
    """A page of small multiples: the charts one picture shows on the Excel routes."""

    number: int  # 1-based
    row: int  # top-left cell
    col: int
    rows: int  # the rows and columns it covers: its charts and their captions
    cols: int
    charts: tuple[ChartSpec, ...]

    @property
    def name(self) -> str:
        return f"{PICTURE_PREFIX}{self.number}"

    @property
    def width(self) -> float:
        """Points: the width of the cells the page covers."""
        return self.cols * column_points()

    @property
    def height(self) -> float:
        return self.rows * ROW_HEIGHT


PICTURE_PREFIX = "KPI charts "

# Each chart's rows in the chart data, at the same place whatever it shows, so a chart in the
# workbook keeps reading the right cells when a refresh writes only values: the chart's title,
# the monthly figure, Green from, the plan target, up to MAX_BENCHMARK_SERIES benchmarks. A row
# with nothing to show is left empty (the benchmarks last, so the gaps fall between charts).
MAX_BENCHMARK_SERIES = 4
TITLE_OFFSET, ACTUAL_OFFSET, GREEN_FROM_OFFSET, PLAN_OFFSET, FIRST_BENCHMARK_OFFSET = range(5)
ROWS_PER_CHART = FIRST_BENCHMARK_OFFSET + MAX_BENCHMARK_SERIES
# The defined name the headless fill gives the chart data of the charts it makes: its rows say
# how many charts the workbook has and where they read, so a refresh knows it needs only write
# values (every client sends the workbook's named ranges).
CHART_DATA_NAME = "kpi_chart_data"
PICTURES_NOTICE = (
    "These charts are pictures, drawn again on every refresh, which is slow. Run kpi-dashboard "
    "fill on this workbook once to give it charts that Excel redraws itself."
)
EMPTY_SLOT_CAPTION = "No indicator is charted here now: kpi-dashboard fill removes this chart."


def data_first_row(slots: int) -> int:
    """The first row of the first chart's rows in the chart data, below a grid of ``slots``
    charts: the grid, a blank row, the heading, the header of months."""
    return FIRST_CHART_ROW + grid_rows(slots) + 3


def chart_data_rows(slots: int) -> tuple[int, int]:
    """(first, last) row of the chart data of ``slots`` charts: what CHART_DATA_NAME names."""
    first = data_first_row(slots)
    return first, first + slots * ROWS_PER_CHART - 1


def slots_named(first: int, last: int) -> int | None:
    """How many charts the rows CHART_DATA_NAME names were made for; None when they are not
    rows this version lays out (the name was edited, or an older layout), so the charts cannot
    be trusted to read the right cells."""
    rows = last - first + 1
    if rows <= 0 or rows % ROWS_PER_CHART:
        return None
    slots = rows // ROWS_PER_CHART
    return slots if chart_data_rows(slots) == (first, last) else None


def overflow_notice(refs: list[str], slots: int) -> str:
    """What a refresh says of rated indicators the workbook's charts were not made for: new
    ones, more than it has charts, or ones whose chart would now look different."""
    n = len(refs)
    shown = ", ".join(refs[:10]) + (f" and {n - 10} more" if n > 10 else "")
    return (
        f"{n} rated indicator{'s have' if n != 1 else ' has'} no chart yet ({shown}): this "
        f"workbook's {slots} charts were made for other indicators, or before a chart's type, "
        "unit, months shown or lines changed. Run kpi-dashboard fill on it once to chart them "
        "all; their figures are in the chart data below."
    )


@dataclass(frozen=True)
class Slot:
    """A chart the workbook has, as the chart data's title row says: the indicator it was made
    for and its shape (what the chart itself fixes: type, unit, months, which lines). A refresh
    writes an indicator's figures there only when both still hold."""

    ref: str | None
    shape: str | None


def chart_shape(kind: str, key: str, months: int, offsets: Iterable[int]) -> str:
    """What a native chart fixes when it is made, in the hidden format-key column of its title
    row: ``line|%|0|12|1237`` (type, unit key, months drawn, rows drawn)."""
    return f"{kind}|{key}|{months}|{''.join(str(o) for o in sorted(offsets))}"


def slots_in(grid: Sequence[Sequence[Any]], count: int) -> list[Slot] | None:
    """The ``count`` charts' slots as the Charts sheet's old values record them; None when the
    values were not sent (then the charts are taken to be in the indicators' order)."""
    if not any(len(row) for row in grid):
        return None
    first = data_first_row(count)
    out = []
    for k in range(count):
        r = first + k * ROWS_PER_CHART + TITLE_OFFSET - 1
        row = grid[r] if r < len(grid) else ()
        ref = row[REF_COLUMN - 1] if len(row) >= REF_COLUMN else None
        shape = row[FORMAT_COLUMN - 1] if len(row) >= FORMAT_COLUMN else None
        out.append(
            Slot(
                ref if isinstance(ref, str) and ref else None,
                shape if isinstance(shape, str) and shape else None,
            )
        )
    return out


def charted(report: Report) -> list[IndicatorResult]:
    """The indicators that get a chart: every rated one
    (rated, or unrated for a reason other than Context)."""
    return [
        r
        for r in report.indicators
        if r.rag is not None or (r.rag_reason or "Context") != "Context"
    ]


def slot(index: int) -> tuple[int, int]:
    """Top-left cell (row, col) of chart ``index``'s slot in the grid."""
    grid_row, grid_col = divmod(index, CHARTS_PER_ROW)
    return (
        FIRST_CHART_ROW + grid_row * SLOT_ROWS,
        FIRST_CHART_COLUMN + grid_col * (CHART_COLUMNS + CHART_GAP_COLUMNS),
    )


def grid_rows(count: int) -> int:
    """Rows the grid of ``count`` charts takes, from FIRST_CHART_ROW (captions included)."""
    return -(-count // CHARTS_PER_ROW) * SLOT_ROWS


def pages(charts: list[ChartSpec]) -> list[ChartPage]:
    """The charts in pages of CHARTS_PER_PAGE, each page a block of whole grid rows."""
    out = []
    for start in range(0, len(charts), CHARTS_PER_PAGE):
        page = tuple(charts[start : start + CHARTS_PER_PAGE])
        row, col = slot(start)
        out.append(
            ChartPage(
                start // CHARTS_PER_PAGE + 1, row, col, grid_rows(len(page)) - 1, GRID_COLUMNS, page
            )
        )
    return out


CHART_ROWS_PER_PAGE = 2  # rows of small multiples on one printed page
TITLE_ROW_ALLOWANCE = 20.0  # points for each of rows 1 to 3: the 14-point title, the stamp, blank


def chart_page_scale(paper: str = DEFAULT_PAPER) -> int:
    """Percent that fits CHART_ROWS_PER_PAGE rows of charts and the rows above them (repeated on
    every page) on a landscape page, and the grid across it. Columns are taken at their widest
    (a wide font's 9-pixel digits, not Calibri's 7), so no font pushes a chart across a break."""
    long_side, short_side, _ = PAPER_SIZES[paper]
    body_height = short_side - 2 * PRINT_MARGIN_TOP_BOTTOM - HEADER_FOOTER_ALLOWANCE
    body_width = long_side - 2 * PRINT_MARGIN_SIDES
    title_rows = 3 * TITLE_ROW_ALLOWANCE + (FIRST_CHART_ROW - 4) * ROW_HEIGHT
    content_height = title_rows + CHART_ROWS_PER_PAGE * SLOT_ROWS * ROW_HEIGHT
    content_width = (GRID_COLUMNS + 1) * column_points() * 9 / 7
    return int(100 * min(body_height / content_height, body_width / content_width))


def chart_page_breaks(count: int) -> tuple[int, ...]:
    """Rows after which the printed Charts sheet breaks: every CHART_ROWS_PER_PAGE rows of charts
    (above the blank row that ends a slot, so a chart never starts right at a page's edge), and
    after the grid, so the chart data starts a page of its own. The one place that decides it:
    the fill writes these into the sheet, and the pack keeps them."""
    if not count:
        return ()
    rows = -(-count // CHARTS_PER_ROW)
    breaks = [
        FIRST_CHART_ROW + k * SLOT_ROWS - 2
        for k in range(CHART_ROWS_PER_PAGE, rows, CHART_ROWS_PER_PAGE)
    ]
    breaks.append(FIRST_CHART_ROW + grid_rows(count) - 1)
    return tuple(breaks)


def direction_caption(kind: str, polarity: str | None) -> str:
    """Which way is good, in the seeds' words."""
    if polarity not in ("BIB", "SIB"):
        return ""
    if kind == "column":
        return (
            f"Columns {'ABOVE' if polarity == 'BIB' else 'BELOW'} "
            "the target line are good performance."
        )
    return "Higher is better." if polarity == "BIB" else "Lower is better."


def _shown(x: float | None, r: IndicatorResult) -> str:
    return "no figure" if x is None else format_number(x, r.decimals, r.unit == "%")


def green_from_text(r: IndicatorResult) -> str | None:
    """The figure a colour is judged against, in words: "Green from 90%" (bigger is better),
    "Green at 18% or below" (smaller is better); None when the indicator is not rated."""
    if r.green_from is None:
        return None
    if r.green_direction == "SIB":
        return f"Green at {_shown(r.green_from, r)} or below"
    return f"Green from {_shown(r.green_from, r)}"


def _status(r: IndicatorResult) -> str:
    if r.outturn is None or r.period is None:
        return (
            f"No figure for the period ({r.rag_reason or r.outturn_missing_reason or 'No data'})."
        )
    text = f"{label(r.period)}: {_shown(r.outturn, r)}"
    green = green_from_text(r)
    if green is not None:
        text += f" against {green}"
    return text + (f", {r.rag}." if r.rag else f" ({r.rag_reason or 'not rated'}).")


def _description(
    r: IndicatorResult,
    kind: str,
    first: Month,
    last: Month,
    series: list[SeriesSpec],
    plan: Month | None,
) -> str:
    parts = [
        (
            f"{'Column' if kind == 'column' else 'Line'} chart of {r.ref} {r.title}, "
            f"monthly from {label(first)} to {label(last)}."
        )
    ]
    parts.append(_status(r))
    bench = [s for s in series if s.role == BENCHMARK]
    if bench:
        parts.append(
            "Benchmarks: "
            + "; ".join(
                f"{s.name} {_shown(next(v for v in s.values if v is not None), r)}" for s in bench
            )
            + "."
        )
    if any(s.role == PLAN for s in series) and plan is not None and r.plan_target is not None:
        parts.append(f"Plan target {_shown(r.plan_target, r)} by {label(plan)} (diamond).")
    caption = direction_caption(kind, r.polarity)
    if caption:
        parts.append(caption)
    return " ".join(parts)


# The value axis, the same rule on every chart and every route. It starts at 0: the charts sit
# side by side in a grid, and a floor that moves from chart to chart (0% on one, 89% on the next)
# makes a 5-point change on one look like a collapse beside a 30-point change on another. A
# percentage axis runs to 100% once any figure is over half of it, so most percentage charts share
# one scale; below that it stops at the next round step above the highest figure (a 10% measure is
# not drawn as a flat line along the floor). Other units stop at the next round step too.
PERCENT_FULL_SCALE_FROM = 0.5
AXIS_INTERVALS = 6  # about this many steps between 0 and the highest figure
NICE_STEPS = (1, 2, 5, 10)
MIN_PERCENT_STEP = 0.01  # the axis shows whole percentages


def _nice_step(span: float, percent: bool) -> float:
    raw = span / AXIS_INTERVALS
    magnitude = 10.0 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in NICE_STEPS if m * magnitude >= raw * (1 - 1e-9))
    return max(step, MIN_PERCENT_STEP) if percent else step


def value_axis(values: Iterable[float | None], percent: bool) -> tuple[float, float, float] | None:
    """(floor, top, step) of a chart's value axis for the figures it draws; None when it draws
    none. The floor is 0 (below it only for negative figures)."""
    figures = [v for v in values if v is not None and math.isfinite(v)]
    if not figures:
        return None
    low, high = min(0.0, *figures), max(0.0, *figures)
    if percent and low == 0 and PERCENT_FULL_SCALE_FROM < high <= 1:
        return 0.0, 1.0, 0.1
    if high == low:  # every figure 0
        high = 0.1 if percent else 5.0
    step = _nice_step(high - low, percent)
    top = step * math.ceil(high / step - 1e-9)
    bottom = -step * math.ceil(-low / step - 1e-9) if low < 0 else 0.0
    if percent and high <= 1:
        top = min(top, 1.0)
    return round(bottom, 10), round(top, 10), step


def _axis_format(r: IndicatorResult, step: float | None) -> str:
    """The value axis' number format: the unit, with the decimals the step needs (0.5 days)."""
    shown = (step or 1) * (100 if r.unit == "%" else 1)
    decimals = 0 if shown >= 1 else min(MAX_DECIMALS, -math.floor(math.log10(shown) + 1e-9))
    return number_format(r.unit, decimals)


def render_charts(
    report: Report,
    months_shown: int = 12,
    plan_label: str | None = None,
    slots: Sequence[Slot] | int | None = None,
    pictures: bool = False,
) -> SheetRender:
    """The Charts sheet: the grid's captions and the chart data as cells,
    and the charts as specs.

    ``slots``: the charts the workbook already has (a refresh, which cannot add charts, writes
    values for those): each keeps the indicator it was made for, while its shape holds; a count
    alone takes them in the indicators' order. None lays out one per rated indicator (the
    headless fill, which makes them). ``pictures``: the charts will be pictures, and the sheet
    says how to get real ones."""
    indicators = charted(report)
    notice = PICTURES_NOTICE if pictures else None
    reporting, plan = report.stamp.reporting_period, report.plan_period
    first = last = 0
    if reporting is not None:
        first = reporting - months_shown + 1
        # The axis runs on to a plan date that is ahead (not too far), for the plan target's diamond
        last = (
            plan
            if plan is not None and reporting < plan <= reporting + MAX_PLAN_EXTENSION
            else reporting
        )
    months = list(range(first, last + 1)) if reporting is not None else []
    width = max(GRID_WIDTH, FIRST_MONTH_COLUMN - 1 + len(months))
    org = report.stamp.organisation or ""
    values: list[list[Any]] = title_rows(report, f"{org} Charts".strip(), width)
    values.append([HEADER, None, KEY_TEXT, *[None] * (width - 3)])
    if reporting is None or not indicators:
        values.append([BLANK, *[None] * (width - 1)])
        values.append(
            [
                ROW,
                None,
                "No indicator is rated, so there is nothing to chart.",
                *[None] * (width - 3),
            ]
        )
        return SheetRender(CHARTS, [Block(1, 1, values)], charts=[], row_breaks=())
    # Grid: blank rows, with each chart's caption on the row under it
    count = len(indicators) if slots is None else slots if isinstance(slots, int) else len(slots)
    grid_end = FIRST_CHART_ROW + grid_rows(count) - 1
    while len(values) < grid_end:
        values.append([BLANK, *[None] * (width - 1)])
    # Chart data, below the grid
    values.append([BLANK, *[None] * (width - 1)])
    values.append([SECTION, None, DATA_HEADING, *[None] * (width - 3)])
    header = [HEADER, FORMAT_COLUMN_HEADER, "Ref", "Series", None, *[label(m) for m in months]]
    values.append(header + [None] * (width - len(header)))
    categories_row = len(values)
    drawn: list[tuple[IndicatorResult, str, str, int, list[tuple[int, str, str, list[Any]]]]] = []
    for r in indicators:
        kind = r.chart if r.chart in CHART_KINDS else "line"
        key = format_key(r.unit, min(r.decimals, MAX_DECIMALS))
        by_month = {p.period: p.value for p in r.series}
        # (offset in the chart's rows, name, role, monthly values)
        rows: list[tuple[int, str, str, list[float | None]]] = []
        rows.append(
            (
                ACTUAL_OFFSET,
                "Monthly figure",
                ACTUAL,
                [by_month.get(m) if m <= reporting else None for m in months],
            )
        )
        if r.green_from is not None:
            rows.append(
                (
                    GREEN_FROM_OFFSET,
                    GREEN_FROM,
                    TARGET,
                    [r.green_from if m <= reporting else None for m in months],
                )
            )
        shown = [b for b in r.benchmarks if b.value is not None][:MAX_BENCHMARK_SERIES]
        for k, b in enumerate(shown):
            name = f"{b.comparator} ({b.year})" if b.year else b.comparator
            rows.append((FIRST_BENCHMARK_OFFSET + k, name, BENCHMARK, [b.value] * len(months)))
        if r.plan_target is not None and plan is not None and first <= plan <= last:
            name = plan_label or "Plan target"
            if label(plan) not in name:
                name = f"{name} ({label(plan)})"
            rows.append(
                (PLAN_OFFSET, name, PLAN, [r.plan_target if m == plan else None for m in months])
            )
        chart_last = reporting
        if any(role == PLAN for _, _, role, _ in rows) and plan is not None:
            chart_last = max(reporting, plan)
        drawn.append((r, kind, key, chart_last - first + 1, rows))
    shapes = [chart_shape(k, key, n, (o for o, *_ in rows)) for _, k, key, n, rows in drawn]
    # Which chart each indicator goes to: in order where the charts are made now (or only
    # counted); else the chart made for it, while its shape holds. The rest have no chart.
    place: dict[int, int] = {}  # indicator index -> chart index
    if slots is None or isinstance(slots, int):
        place = {i: i for i in range(min(count, len(indicators)))}
        kept: list[Slot] = [Slot(None, None)] * count
    else:
        kept = list(slots)
        index_of = {r.ref: i for i, r in enumerate(indicators)}
        for k, held in enumerate(slots):
            i = index_of.get(held.ref or "")
            if i is not None and i not in place and shapes[i] == held.shape:
                place[i] = k
    unplaced = [i for i in range(len(indicators)) if i not in place]
    if unplaced and slots is not None:
        notice = overflow_notice([indicators[i].ref for i in unplaced], count)
    if notice:
        values[2][2] = notice
    # The chart data: each chart's rows at its own place; an indicator without a chart after them
    data_start = len(values) + 1
    blocks: list[list[list[Any]]] = []
    for k in range(count):  # a chart with nothing to show keeps what it was made for
        block: list[list[Any]] = [[BLANK, *[None] * (width - 1)] for _ in range(ROWS_PER_CHART)]
        block[TITLE_OFFSET] = [BLANK, kept[k].shape, kept[k].ref, *[None] * (width - 3)]
        blocks.append(block)
    blocks += [[[BLANK, *[None] * (width - 1)] for _ in range(ROWS_PER_CHART)] for _ in unplaced]
    specs: list[ChartSpec] = []
    position = {i: count + j for j, i in enumerate(unplaced)}
    for i, (r, kind, key, n, rows) in enumerate(drawn):
        index = place.get(i, position.get(i, 0))
        title = f"{r.ref}: {r.title}"
        block = blocks[index]
        block[TITLE_OFFSET] = [ROW, shapes[i], r.ref, title, *[None] * (width - 4)]
        start = data_start + index * ROWS_PER_CHART
        series = []
        for offset, name, role, row_values in rows:
            pad = [None] * (width - FIRST_MONTH_COLUMN + 1 - len(row_values))
            block[offset] = [ROW, key, r.ref, name, None, *row_values, *pad]
            series.append(SeriesSpec(name, role, start + offset, tuple(row_values[:n])))
        if i not in place:
            continue  # no chart for it: the notice says so
        top, left = slot(index)
        spec_plan = plan if any(s.role == PLAN for s in series) else None
        axis = value_axis((v for s in series for v in s.values), r.unit == "%")
        specs.append(
            ChartSpec(
                index=index,
                ref=r.ref,
                title=title,
                title_row=start + TITLE_OFFSET,
                kind=kind,
                polarity=r.polarity,
                caption=direction_caption(kind, r.polarity),
                status=_status(r),
                description=_description(r, kind, first, reporting, series, spec_plan),
                row=top,
                col=left,
                rows=CHART_ROWS,
                cols=CHART_COLUMNS,
                categories_row=categories_row,
                first_col=FIRST_MONTH_COLUMN,
                last_col=FIRST_MONTH_COLUMN + n - 1,
                categories=tuple(label(m) for m in months[:n]),
                series=tuple(series),
                axis_format=_axis_format(r, axis[2] if axis else None),
                percent=r.unit == "%",
                decimals=r.decimals,
                connect_gaps=r.frequency != "monthly",
                axis_min=axis[0] if axis else None,
                axis_max=axis[1] if axis else None,
                axis_step=axis[2] if axis else None,
            )
        )
    for block in blocks:
        values.extend(block)
    specs.sort(key=lambda spec: spec.index)
    for spec in specs:  # captions, in the grid
        for offset, text in enumerate((spec.caption, spec.status)):
            row = values[spec.caption_row - 1 + offset]
            row[0] = ROW
            row[spec.col - 1] = text or None
    for index in sorted(set(range(count)) - set(place.values())):  # a chart with nothing now
        top, left = slot(index)
        row = values[top + CHART_ROWS - 1]
        row[0], row[left - 1] = ROW, EMPTY_SLOT_CAPTION
    return SheetRender(
        CHARTS, [Block(1, 1, values)], charts=specs, row_breaks=chart_page_breaks(count)
    )
