"""The reference the fill's chart XML is checked against: the openpyxl charts the headless
fill drew before it wrote its own XML (kpi_engine.xlsx.chart_xml), kept for tests/test_chart_xml.py.

Native Excel charts for the headless fill, from the render model's chart specs.

Each :class:`~kpi_engine.charts.ChartSpec` becomes an openpyxl line chart, or a column chart with
its targets and benchmarks as lines over the columns, whose series and categories reference the
data block the render model writes on the Charts sheet (so the chart redraws when those cells
change, and Excel's "Select data" shows where each series comes from). Every chart has a title
and alt text: openpyxl has no setting for a chart's alt text, so each chart is anchored with
:class:`DescribedAnchor`, which writes the description into the drawing's ``cNvPr descr`` (and
the title into ``cNvPr title``), where Excel's Alt Text pane and screen readers find it.

Flags LibreOffice reads differently from Excel (smoothing, data labels, blanks, deleted axes) are
all written explicitly, so the board pack's PDF shows what Excel shows.
"""

from __future__ import annotations

from typing import Any

from openpyxl.chart import BarChart, LineChart, Reference, Series
from openpyxl.chart.data_source import AxDataSource, StrData, StrRef, StrVal
from openpyxl.chart.label import DataLabelList
from openpyxl.chart.legend import Legend
from openpyxl.chart.marker import Marker
from openpyxl.chart.series import SeriesLabel
from openpyxl.chart.shapes import GraphicalProperties
from openpyxl.chart.text import RichText, Text
from openpyxl.chart.title import Title
from openpyxl.drawing.line import LineProperties
from openpyxl.drawing.spreadsheet_drawing import AnchorMarker, TwoCellAnchor
from openpyxl.drawing.text import (
    CharacterProperties,
    Paragraph,
    ParagraphProperties,
    RichTextProperties,
)
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.worksheet import Worksheet

from kpi_engine.charts import ACTUAL, BENCHMARK, PLAN, TARGET
from kpi_engine.render_model import ChartSpec
from kpi_engine.xlsx.chart_xml import (
    ACTUAL_COLOUR,
    BENCHMARK_STYLES,
    COLUMN_COLOUR,
    EMU_PER_POINT,
    PLAN_COLOUR,
    TARGET_COLOUR,
    TARGET_DASH,
    TEXT_SIZE,
    TITLE_SIZE,
)


def _text_props(size: int, bold: bool = False, rotation: int | None = None) -> RichText:
    body = RichTextProperties(rot=rotation * 60000, vert="horz") if rotation is not None else None
    return RichText(
        bodyPr=body,
        p=[
            Paragraph(
                pPr=ParagraphProperties(defRPr=CharacterProperties(sz=size, b=bold)),
                endParaRPr=CharacterProperties(sz=size, b=bold),
            )
        ],
    )


def _title(text: str, address: str) -> Title:
    """The title read from a cell (a refresh that writes only values retitles the chart), its
    text cached."""
    cache = StrData(ptCount=1, pt=[StrVal(idx=0, v=text)])
    return Title(
        tx=Text(strRef=StrRef(f=address, strCache=cache)),
        overlay=False,
        txPr=_text_props(TITLE_SIZE, bold=True),
    )


def _no_labels() -> DataLabelList:
    return DataLabelList(
        showLegendKey=False,
        showVal=False,
        showCatName=False,
        showSerName=False,
        showPercent=False,
        showBubbleSize=False,
    )


def _line(colour: str, width_pt: float, dash: Any = None) -> GraphicalProperties:
    line = LineProperties(solidFill=colour, w=int(width_pt * EMU_PER_POINT), prstDash=dash)
    return GraphicalProperties(ln=line)


def _series(ws: Worksheet, spec: ChartSpec, row: int, name_col: int) -> Any:
    values = Reference(ws, min_col=spec.first_col, max_col=spec.last_col, min_row=row, max_row=row)
    series = Series(values)
    address = f"{quote_sheetname(ws.title)}!${get_column_letter(name_col)}${row}"
    series.tx = SeriesLabel(strRef=StrRef(address))
    return series


def _style(series: Any, role: str, benchmark: int, kind: str) -> None:
    series.dLbls = _no_labels()
    if role == ACTUAL and kind == "column":
        series.graphicalProperties = GraphicalProperties(solidFill=COLUMN_COLOUR)
        series.graphicalProperties.line = LineProperties(solidFill=COLUMN_COLOUR)
        return
    series.smooth = False
    if role == ACTUAL:
        series.graphicalProperties = _line(ACTUAL_COLOUR, 2.25)
        series.marker = Marker(symbol="circle", size=5)
        series.marker.graphicalProperties = GraphicalProperties(solidFill=ACTUAL_COLOUR)
        series.marker.graphicalProperties.line = LineProperties(solidFill=ACTUAL_COLOUR)
    elif role == TARGET:
        series.graphicalProperties = _line(TARGET_COLOUR, 1.5, TARGET_DASH)
        series.marker = Marker(symbol="none")
    elif role == BENCHMARK:
        colour, dash = BENCHMARK_STYLES[benchmark % len(BENCHMARK_STYLES)]
        series.graphicalProperties = _line(colour, 1.5, dash)
        series.marker = Marker(symbol="none")
    elif role == PLAN:
        series.graphicalProperties = GraphicalProperties(ln=LineProperties(noFill=True))
        series.marker = Marker(symbol="diamond", size=9)
        series.marker.graphicalProperties = GraphicalProperties(solidFill=PLAN_COLOUR)
        series.marker.graphicalProperties.line = LineProperties(solidFill=PLAN_COLOUR)


def _axes(chart: Any, spec: ChartSpec) -> None:
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.y_axis.number_format = spec.axis_format
    chart.y_axis.majorGridlines.spPr = GraphicalProperties(ln=LineProperties(solidFill="D9D9D9"))
    chart.x_axis.txPr = _text_props(TEXT_SIZE, rotation=-45 if len(spec.categories) > 13 else None)
    chart.y_axis.txPr = _text_props(TEXT_SIZE)
    chart.x_axis.tickLblPos = "low"
    chart.y_axis.tickLblPos = "nextTo"
    chart.y_axis.crosses = "autoZero"
    # A fixed top only for a percentage's full scale: elsewhere a refresh's higher figure must
    # not be cut off, so the application picks the top
    if spec.percent and (spec.axis_min, spec.axis_max) == (0, 1):
        chart.y_axis.scaling.max = 1
        chart.y_axis.majorUnit = spec.axis_step
    chart.y_axis.scaling.min = spec.axis_min if spec.axis_min is not None else 0


def build_chart(ws: Worksheet, spec: ChartSpec, name_col: int) -> Any:
    """The openpyxl chart for ``spec``, its series referencing ``ws``'s cells (their names in
    ``name_col``)."""
    categories = Reference(
        ws,
        min_col=spec.first_col,
        max_col=spec.last_col,
        min_row=spec.categories_row,
        max_row=spec.categories_row,
    )
    line = LineChart()
    line.dLbls = _no_labels()
    main: Any = line
    if spec.kind == "column":
        main = BarChart()
        main.type = "col"
        main.grouping = "clustered"
        main.gapWidth = 60
        main.dLbls = _no_labels()
        main.y_axis.scaling.min = 0  # columns stand on zero
    benchmark = 0
    for s in spec.series:
        series = _series(ws, spec, s.row, name_col)
        _style(series, s.role, benchmark, spec.kind)
        if s.role == BENCHMARK:
            benchmark += 1
        (main if s.role == ACTUAL else line).series.append(series)
    for chart in {id(main): main, id(line): line}.values():
        for (
            series
        ) in chart.series:  # month labels are text: a string reference, not openpyxl's numRef
            series.cat = AxDataSource(strRef=StrRef(f=str(categories)))
    if main is not line and line.series:
        main += line  # the lines share the columns' axes (the same axis ids)
    main.display_blanks = "span" if spec.connect_gaps else "gap"
    title_cell = f"{quote_sheetname(ws.title)}!${get_column_letter(name_col)}${spec.title_row}"
    main.title = _title(spec.title, title_cell)
    main.legend = Legend(legendPos="b", overlay=False, txPr=_text_props(TEXT_SIZE))
    main.roundedCorners = False
    _axes(main, spec)
    main.anchor = DescribedAnchor(spec, description=spec.description, title=spec.title)
    return main


class DescribedAnchor(TwoCellAnchor):
    """A chart's anchor over its cells that also writes the chart's alt text (``cNvPr descr``)
    and title (``cNvPr title``), which openpyxl's drawing writer leaves out."""

    tagname = "twoCellAnchor"
    # openpyxl's metaclass rebuilds these from the class body: keep TwoCellAnchor's.
    __attrs__ = TwoCellAnchor.__attrs__
    __elements__ = TwoCellAnchor.__elements__
    __nested__ = TwoCellAnchor.__nested__

    def __init__(
        self, spec: ChartSpec | None = None, description: str = "", title: str = "", **kw: Any
    ) -> None:
        if spec is not None:
            kw.setdefault("_from", AnchorMarker(col=spec.col - 1, row=spec.row - 1))
            kw.setdefault(
                "to", AnchorMarker(col=spec.col - 1 + spec.cols, row=spec.row - 1 + spec.rows)
            )
            kw.setdefault("editAs", "oneCell")
        super().__init__(**kw)
        self.description = description
        self.chart_title = title

    def to_tree(
        self, tagname: str | None = None, idx: Any = None, namespace: str | None = None
    ) -> Any:
        frame: Any = self.graphicFrame
        if frame is not None:
            frame.nvGraphicFramePr.cNvPr.descr = self.description or None
            frame.nvGraphicFramePr.cNvPr.title = self.chart_title or None
        return super().to_tree(tagname, idx, namespace)


def place_charts(ws: Worksheet, charts: list[ChartSpec], name_col: int) -> None:
    """Replace the sheet's charts (and pictures left by an Excel route) with ``charts``."""
    # openpyxl has no public way to remove a sheet's charts and pictures.
    ws._charts = []  # type: ignore[attr-defined]
    ws._images = []  # type: ignore[attr-defined]
    for spec in charts:
        ws.add_chart(build_chart(ws, spec, name_col))
