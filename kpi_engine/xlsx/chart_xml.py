"""The Charts sheet's native Excel charts as package parts, written without openpyxl.

:func:`chart_xml` gives one chart's part (``xl/charts/chartN.xml``, a ``c:chartSpace``) and
:func:`drawing_xml` the sheet's drawing (``xl/drawings/drawingN.xml``), one anchored graphic frame
per chart with its alt text and title. They write, element for element, what the fill's former
openpyxl charts wrote for the same :class:`~kpi_engine.render_model.ChartSpec` (kept as the
reference in tests/openpyxl_charts.py; tests/test_chart_xml.py compares the two), so the
zip-level writer makes the charts without importing openpyxl (and numpy with it). That includes
openpyxl's defaults that Excel does not need (``axPos="l"`` on both axes, an empty ``a:r`` in
every text body, a line under a marker of ``symbol="none"``), so the charts look as they did.

Only the standard library is used. Text goes through :mod:`kpi_engine.xlsx.xml_text`, which
escapes XML's special characters and drops the control characters XML 1.0 cannot hold.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from kpi_engine.charts import ACTUAL, BENCHMARK, PLAN, TARGET
from kpi_engine.render_model import ChartSpec, SeriesSpec
from kpi_engine.xlsx.xml_text import attr, text

NS_C = "http://schemas.openxmlformats.org/drawingml/2006/chart"
NS_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
NS_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS_XDR = "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"
DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

# How each role is drawn, here and in the pictures of the Excel routes (addin.pictures).
# Green from and the benchmarks often sit within a point or two of each other, so each line has its
# own colour AND its own dash pattern (none shared with Green from's dashes): told apart by either,
# in the legend too. The colours keep at least 3:1 against the white chart, and stay plainly apart
# (CIE76 difference of 20 or more) from each other and from the monthly figure for readers with
# protanopia, deuteranopia or tritanopia (tests/test_chart_axes.py checks both).
ACTUAL_COLOUR = "1F3864"
COLUMN_COLOUR = "2F5597"
TARGET_COLOUR = "000000"
TARGET_DASH = "dash"
PLAN_COLOUR = "C55A11"
BENCHMARK_STYLES = (  # statistical neighbours, region, England (the usual order), then others
    ("0072B2", "sysDot"),  # blue, round dots
    ("9C00EB", "dashDot"),  # violet, dash and dot
    ("931A2E", "lgDashDotDot"),  # wine, long dash and two dots
    ("B35900", "sysDash"),  # brown, short dashes
)
GRIDLINE_COLOUR = "D9D9D9"
TITLE_SIZE = 1000  # hundredths of a point
TEXT_SIZE = 800
EMU_PER_POINT = 12700
ACTUAL_WIDTH, TARGET_WIDTH = 2.25, 1.5  # points
CATEGORY_AXIS_ID, VALUE_AXIS_ID = 10, 100  # openpyxl's ids, shared by the columns and lines
ROTATE_LABELS_OVER = 13  # categories: more than this and the month labels are at -45 degrees
COLUMN_GAP_WIDTH = 60


def _el(tag: str, attrs: dict[str, object] | None = None, children: Iterable[str] = ()) -> str:
    """An element: attributes with a value of None are left out, no children makes it empty."""
    head = tag + "".join(
        f' {name}="{attr(value)}"' for name, value in (attrs or {}).items() if value is not None
    )
    body = "".join(children)
    return f"<{head}>{body}</{tag}>" if body else f"<{head}/>"


def _text_el(tag: str, value: str) -> str:
    """An element holding text; as openpyxl does, ``xml:space="preserve"`` when the text has
    leading or trailing white space around something else."""
    stripped = value.strip()
    space = ' xml:space="preserve"' if stripped and stripped != value else ""
    return f"<{tag}{space}>{text(value)}</{tag}>" if value else f"<{tag}/>"


def _val(tag: str, value: object) -> str:
    return _el(tag, {"val": value})


def _flag(tag: str, on: bool) -> str:
    return _val(tag, "1" if on else "0")


def column_letter(col: int) -> str:
    """Excel's letters for 1-based column ``col`` (1 -> A, 27 -> AA)."""
    if not 1 <= col <= 18278:
        raise ValueError(f"no column {col}")
    letters = ""
    while col:
        col, rest = divmod(col - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def quote_sheetname(title: str) -> str:
    """A sheet's name as a formula refers to it: always quoted, as openpyxl writes it."""
    return "'" + title.replace("'", "''") + "'"


def _range(sheet: str, first_col: int, last_col: int, row: int) -> str:
    first = f"{sheet}!${column_letter(first_col)}${row}"
    return first if first_col == last_col else f"{first}:${column_letter(last_col)}${row}"


# ---------------------------------------------------------------------------------------------
# DrawingML pieces


def _solid_fill(colour: str) -> str:
    return _el("a:solidFill", children=[_val("a:srgbClr", colour)])


def _ln(colour: str | None = None, width: int | None = None, dash: str = "solid") -> str:
    """A line: ``colour`` None is no line at all (``a:noFill``)."""
    fill = _solid_fill(colour) if colour is not None else "<a:noFill/>"
    return _el("a:ln", {"w": width}, [fill, _val("a:prstDash", dash)])


def _default_ln() -> str:
    """The line openpyxl gives a shape whose line is not set."""
    return _el("a:ln", children=[_val("a:prstDash", "solid")])


def _sp_pr(*children: str) -> str:
    return _el("c:spPr", children=children)


def _run_props(tag: str, size: int, bold: bool) -> str:
    return _el(tag, {"sz": size, "b": "1" if bold else "0"})


def _text_props(size: int, rotation: int | None = None, bold: bool = False) -> str:
    """A ``c:txPr``: the size of an axis', the legend's or the title's text, its angle in
    degrees."""
    body = {"rot": rotation * 60000, "vert": "horz"} if rotation is not None else None
    paragraph = _el(
        "a:p",
        children=[
            _el("a:pPr", children=[_run_props("a:defRPr", size, bold)]),
            _el("a:r", children=[_text_el("a:t", "")]),
            _run_props("a:endParaRPr", size, bold),
        ],
    )
    return _el("c:txPr", children=[_el("a:bodyPr", body), paragraph])


def _title(text: str, cell: str) -> str:
    """The chart's title, read from ``cell`` (so a refresh that writes only values retitles the
    chart), with ``text`` cached for readers that do not follow the reference."""
    cache = _el(
        "c:strCache",
        children=[_val("c:ptCount", 1), _el("c:pt", {"idx": 0}, [_text_el("c:v", text)])],
    )
    ref = _el("c:strRef", children=[_text_el("c:f", cell), cache])
    return _el(
        "c:title",
        children=[
            _el("c:tx", children=[ref]),
            _flag("c:overlay", False),
            _text_props(TITLE_SIZE, bold=True),
        ],
    )


def _no_labels() -> str:
    return _el(
        "c:dLbls",
        children=[
            _flag(tag, False)
            for tag in (
                "c:showLegendKey",
                "c:showVal",
                "c:showCatName",
                "c:showSerName",
                "c:showPercent",
                "c:showBubbleSize",
            )
        ],
    )


# ---------------------------------------------------------------------------------------------
# The chart part


def _marker(symbol: str, size: int | None = None, colour: str | None = None) -> str:
    if colour is not None:
        props = _sp_pr(_solid_fill(colour), _ln(colour))
    else:
        props = _sp_pr(_default_ln())
    size_el = [_val("c:size", size)] if size is not None else []
    return _el("c:marker", children=[_val("c:symbol", symbol), *size_el, props])


def _look(role: str, benchmark: int) -> tuple[str, str]:
    """A line series' ``c:spPr`` and ``c:marker`` for its role."""
    if role == ACTUAL:
        width = int(ACTUAL_WIDTH * EMU_PER_POINT)
        return _sp_pr(_ln(ACTUAL_COLOUR, width)), _marker("circle", 5, ACTUAL_COLOUR)
    if role == TARGET:
        width = int(TARGET_WIDTH * EMU_PER_POINT)
        return _sp_pr(_ln(TARGET_COLOUR, width, TARGET_DASH)), _marker("none")
    if role == BENCHMARK:
        colour, dash = BENCHMARK_STYLES[benchmark % len(BENCHMARK_STYLES)]
        width = int(TARGET_WIDTH * EMU_PER_POINT)
        return _sp_pr(_ln(colour, width, dash)), _marker("none")
    if role == PLAN:
        return _sp_pr(_ln(None)), _marker("diamond", 9, PLAN_COLOUR)
    return _sp_pr(_default_ln()), _marker("none")  # a role with no look: openpyxl's defaults


def _series(
    index: int, name: str, values: str, categories: str, look: tuple[str, str] | None
) -> str:
    """One ``c:ser``: a column series when ``look`` is None, else a line with that look."""
    head = [
        _val("c:idx", index),
        _val("c:order", index),
        _el("c:tx", children=[_el("c:strRef", children=[_text_el("c:f", name)])]),
    ]
    refs = [
        _el("c:cat", children=[_el("c:strRef", children=[_text_el("c:f", categories)])]),
        _el("c:val", children=[_el("c:numRef", children=[_text_el("c:f", values)])]),
    ]
    if look is None:
        columns = _sp_pr(_solid_fill(COLUMN_COLOUR), _ln(COLUMN_COLOUR))
        return _el("c:ser", children=[*head, columns, _no_labels(), *refs])
    sp_pr, marker = look
    return _el(
        "c:ser", children=[*head, sp_pr, marker, _no_labels(), *refs, _flag("c:smooth", False)]
    )


def _axis_ids() -> list[str]:
    return [_val("c:axId", CATEGORY_AXIS_ID), _val("c:axId", VALUE_AXIS_ID)]


def _axes(spec: ChartSpec) -> list[str]:
    rotation = -45 if len(spec.categories) > ROTATE_LABELS_OVER else None
    category = _el(
        "c:catAx",
        children=[
            _val("c:axId", CATEGORY_AXIS_ID),
            _el("c:scaling", children=[_val("c:orientation", "minMax")]),
            _flag("c:delete", False),
            _val("c:axPos", "l"),
            _val("c:majorTickMark", "none"),
            _val("c:minorTickMark", "none"),
            _val("c:tickLblPos", "low"),
            _text_props(TEXT_SIZE, rotation),
            _val("c:crossAx", VALUE_AXIS_ID),
            _val("c:lblOffset", 100),
        ],
    )
    # The axis' floor as kpi_engine.charts.value_axis decided it (0, below it only for negative
    # figures). Its top only where that is a percentage's full scale (0 to 100%): a refresh that
    # writes only values leaves the chart as it is, so a fixed top could cut off next month's
    # higher figure; elsewhere the application picks a round top above the highest figure.
    scaling = [_val("c:orientation", "minMax")]
    full_scale = spec.percent and spec.axis_max == 1 and spec.axis_min == 0
    if full_scale:
        scaling.append(_val("c:max", 1))
    if spec.axis_min is not None:
        scaling.append(_val("c:min", _number(spec.axis_min)))
    else:
        scaling.append(_val("c:min", 0))
    step = (
        [_val("c:majorUnit", _number(spec.axis_step))]
        if full_scale and spec.axis_step is not None
        else []
    )
    value = _el(
        "c:valAx",
        children=[
            _val("c:axId", VALUE_AXIS_ID),
            _el("c:scaling", children=scaling),
            _flag("c:delete", False),
            _val("c:axPos", "l"),
            _el("c:majorGridlines", children=[_sp_pr(_ln(GRIDLINE_COLOUR))]),
            _el("c:numFmt", {"formatCode": spec.axis_format, "sourceLinked": "0"}),
            _val("c:majorTickMark", "none"),
            _val("c:minorTickMark", "none"),
            _val("c:tickLblPos", "nextTo"),
            _text_props(TEXT_SIZE),
            _val("c:crossAx", CATEGORY_AXIS_ID),
            _val("c:crosses", "autoZero"),
            *step,
        ],
    )
    return [category, value]


def _number(x: float) -> str:
    """A number as the chart part writes it: no float noise (0.30000000000000004), no ".0"."""
    text = repr(round(float(x), 10))
    return text.removesuffix(".0")


def chart_xml(sheet_title: str, spec: ChartSpec, name_col: int) -> bytes:
    """The chart part (c:chartSpace) for one chart, its series reading the sheet's cells."""
    sheet = quote_sheetname(sheet_title)
    categories = _range(sheet, spec.first_col, spec.last_col, spec.categories_row)
    columns = spec.kind == "column"
    # A column chart draws its monthly figures as columns and every other series as a line over
    # them; a line chart draws them all as lines. The columns' series are numbered first.
    bars: list[SeriesSpec] = []
    lines: list[tuple[SeriesSpec, tuple[str, str]]] = []
    benchmark = 0
    for s in spec.series:
        if columns and s.role == ACTUAL:
            bars.append(s)
        else:
            lines.append((s, _look(s.role, benchmark)))
        if s.role == BENCHMARK:
            benchmark += 1

    def ser(index: int, s: SeriesSpec, look: tuple[str, str] | None) -> str:
        values = _range(sheet, spec.first_col, spec.last_col, s.row)
        name = f"{sheet}!${column_letter(name_col)}${s.row}"
        return _series(index, name, values, categories, look)

    plot: list[str] = []
    if columns:
        plot.append(
            _el(
                "c:barChart",
                children=[
                    _val("c:barDir", "col"),
                    _val("c:grouping", "clustered"),
                    *(ser(i, s, None) for i, s in enumerate(bars)),
                    _no_labels(),
                    _val("c:gapWidth", COLUMN_GAP_WIDTH),
                    *_axis_ids(),
                ],
            )
        )
    if not columns or lines:
        plot.append(
            _el(
                "c:lineChart",
                children=[
                    _val("c:grouping", "standard"),
                    *(ser(len(bars) + i, s, look) for i, (s, look) in enumerate(lines)),
                    _no_labels(),
                    *_axis_ids(),
                ],
            )
        )
    legend = _el(
        "c:legend",
        children=[_val("c:legendPos", "b"), _flag("c:overlay", False), _text_props(TEXT_SIZE)],
    )
    chart = _el(
        "c:chart",
        children=[
            _title(spec.title, f"{sheet}!${column_letter(name_col)}${spec.title_row}"),
            _el("c:plotArea", children=[*plot, *_axes(spec)]),
            legend,
            _flag("c:plotVisOnly", True),
            _val("c:dispBlanksAs", "span" if spec.connect_gaps else "gap"),
        ],
    )
    root = _el(
        "c:chartSpace",
        {"xmlns:c": NS_C, "xmlns:a": NS_A, "xmlns:r": NS_R},
        [_flag("c:roundedCorners", False), chart],
    )
    return (DECLARATION + root).encode("utf-8")


# ---------------------------------------------------------------------------------------------
# The drawing part


def _marker_cell(tag: str, col: int, row: int) -> str:
    """An anchor's corner: 0-based column and row, no offset."""
    return _el(
        tag,
        children=[
            _el("xdr:col", children=[str(col)]),
            "<xdr:colOff>0</xdr:colOff>",
            _el("xdr:row", children=[str(row)]),
            "<xdr:rowOff>0</xdr:rowOff>",
        ],
    )


def _anchor(spec: ChartSpec, number: int, rel_id: str) -> str:
    """Chart ``number`` (1-based) over its cells, moving with them but not resizing."""
    frame = _el(
        "xdr:graphicFrame",
        children=[
            _el(
                "xdr:nvGraphicFramePr",
                children=[
                    _el(
                        "xdr:cNvPr",
                        {
                            "id": number,
                            "name": f"Chart {number}",
                            "descr": spec.description or None,
                            "title": spec.title or None,
                        },
                    ),
                    "<xdr:cNvGraphicFramePr/>",
                ],
            ),
            "<xdr:xfrm/>",
            _el(
                "a:graphic",
                children=[
                    _el(
                        "a:graphicData",
                        {"uri": NS_C},
                        [_el("c:chart", {"r:id": rel_id})],
                    )
                ],
            ),
        ],
    )
    return _el(
        "xdr:twoCellAnchor",
        {"editAs": "oneCell"},
        [
            _marker_cell("xdr:from", spec.col - 1, spec.row - 1),
            _marker_cell("xdr:to", spec.col - 1 + spec.cols, spec.row - 1 + spec.rows),
            frame,
            "<xdr:clientData/>",
        ],
    )


def drawing_xml(charts: Sequence[ChartSpec], rel_ids: Sequence[str]) -> bytes:
    """The sheet's drawing part: one anchored graphic frame per chart (alt text and title as
    today), the i-th pointing at relationship rel_ids[i]."""
    if len(charts) != len(rel_ids):
        raise ValueError(f"{len(charts)} charts but {len(rel_ids)} relationship ids")
    anchors = [
        _anchor(spec, number, rel_id)
        for number, (spec, rel_id) in enumerate(zip(charts, rel_ids, strict=True), 1)
    ]
    root = _el(
        "xdr:wsDr",
        {"xmlns:xdr": NS_XDR, "xmlns:a": NS_A, "xmlns:c": NS_C, "xmlns:r": NS_R},
        anchors,
    )
    return (DECLARATION + root).encode("utf-8")
