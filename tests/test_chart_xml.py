"""The chart and drawing parts written without openpyxl (kpi_engine.xlsx.chart_xml) against what
openpyxl writes for the same specs today (tests/openpyxl_charts.py): element for element, compared
by namespace URI, attribute and text, over every chart of the demo, a workbook of many indicators
(column and line charts, monthly and quarterly, up to six benchmarks, plan targets, titles with
XML's special characters) and specs edited to reach the branches no workbook does."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import pickle
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import openpyxl_charts as native
import pytest
from builders import INDICATOR_COLUMNS, data_rows, modules_loaded_by, months, settings_rows
from openpyxl import Workbook
from openpyxl.drawing.spreadsheet_drawing import SpreadsheetDrawing
from openpyxl.xml.functions import tostring

from kpi_engine import charts as core
from kpi_engine.charts import ACTUAL, BENCHMARK, MAX_BENCHMARK_SERIES, PLAN, TARGET
from kpi_engine.pipeline import run
from kpi_engine.render_model import ChartSpec
from kpi_engine.workbook_names import CHARTS
from kpi_engine.xlsx.chart_xml import chart_xml, drawing_xml

WHEN = dt.datetime(2025, 10, 6, 9, 30)
DECLARATION = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
NS = {
    "c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "xdr": "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
}
NASTY = 'Q&A <draft> "quoted" it\'s 100% > 50%'


# ---------------------------------------------------------------------------------------------
# Today's XML, as openpyxl writes it when it saves a workbook (openpyxl.writer.excel)


def _sheet(title: str = CHARTS) -> Any:
    ws = Workbook().active
    ws.title = title
    return ws


def openpyxl_chart(spec: ChartSpec, sheet_title: str = CHARTS) -> ET.Element:
    """``xl/charts/chartN.xml``: ExcelWriter._write_charts writes ``tostring(chart._write())``."""
    chart = native.build_chart(_sheet(sheet_title), spec, core.NAME_COLUMN)
    return ET.fromstring(tostring(chart._write()))


def openpyxl_drawing(specs: Sequence[ChartSpec]) -> ET.Element:
    """``xl/drawings/drawingN.xml``: ExcelWriter.write_worksheet gives the sheet a
    SpreadsheetDrawing of its charts, and _write_drawing writes ``tostring(drawing._write())``
    (the i-th chart's relationship is rId<i>)."""
    ws = _sheet()
    native.place_charts(ws, list(specs), core.NAME_COLUMN)
    drawing = SpreadsheetDrawing()
    drawing.charts = ws._charts
    return ET.fromstring(tostring(drawing._write()))


def _short(tag: str) -> str:
    for prefix, uri in NS.items():
        tag = tag.replace(f"{{{uri}}}", f"{prefix}:")
    return tag


def assert_same_tree(got: ET.Element, want: ET.Element, path: str = "") -> None:
    """The same element (tag with its namespace, attributes, text) with the same children in
    the same order, all the way down."""
    here = f"{path}/{_short(want.tag)}"
    assert got.tag == want.tag, f"{path}: {got.tag} where openpyxl has {want.tag}"
    assert got.attrib == want.attrib, f"{here}: attributes {got.attrib} != {want.attrib}"
    # Neither writer indents, so the text is compared exactly (not only stripped).
    assert (got.text or "") == (want.text or ""), f"{here}: text {got.text!r} != {want.text!r}"
    got_children, want_children = list(got), list(want)
    assert [c.tag for c in got_children] == [c.tag for c in want_children], f"{here}: children"
    for k, (g, w) in enumerate(zip(got_children, want_children, strict=True)):
        assert_same_tree(g, w, f"{here}[{k}]")


def assert_chart_matches(spec: ChartSpec, sheet_title: str = CHARTS) -> None:
    ours = chart_xml(sheet_title, spec, core.NAME_COLUMN)
    assert ours.startswith(DECLARATION + b"\n<c:chartSpace ")
    assert_same_tree(ET.fromstring(ours), openpyxl_chart(spec, sheet_title))


def assert_drawing_matches(specs: Sequence[ChartSpec]) -> None:
    ours = drawing_xml(specs, [f"rId{k}" for k in range(1, len(specs) + 1)])
    assert ours.startswith(DECLARATION + b"\n<xdr:wsDr ")
    assert_same_tree(ET.fromstring(ours), openpyxl_drawing(specs))


# ---------------------------------------------------------------------------------------------
# The charts compared


@pytest.fixture(scope="module")
def demo_charts() -> list[ChartSpec]:
    from workbook_templates.demo import demo_sheets

    _, model = run(demo_sheets(), None, WHEN)
    return list(model.sheet(CHARTS).charts or [])


def many_indicators(count: int = 40) -> dict[str, list[list[Any]]]:
    """Indicators that between them reach every kind of chart a workbook can ask for: line and
    column, monthly and quarterly, % and numbers, with and without a target, with up to six
    benchmarks and a plan target, their titles full of XML's special characters."""
    header = [*INDICATOR_COLUMNS, "Chart"]
    indicators, points = [header], []
    benchmarks: list[list[Any]] = [["Ref", "Comparator", "Year", "Value"]]
    for i in range(count):
        ref = f"K{i + 1}"
        percent = i % 2 == 0
        quarterly = i % 4 in (1, 2)
        bare = i == count - 1  # columns with nothing over them: no target, benchmark or plan
        chart = "column" if bare else ("line", "column", None)[i % 3]
        target = None if bare or i % 7 == 4 else (0.75 if percent else 40)
        ind = {
            "Ref": ref,
            "Title": f"Indicator {i + 1}: {NASTY}" if i % 5 == 0 else f"Indicator {i + 1}",
            "Polarity": "SIB" if i % 3 == 2 else "BIB",
            "Unit": "%" if percent else "number",
            "Decimals": i % 2,
            "Measure": "percentage" if percent else "value",
            "Frequency": "quarterly" if quarterly else "monthly",
            "Aggregation": "flow",
            "Target": target,
            "RAG rule": "tolerance",
            "Plan target": (0.8 if percent else 35) if i % 4 == 0 and not bare else None,
            "Chart": chart,
        }
        indicators.append([ind.get(c) for c in header])
        values = [
            None if quarterly and k % 3 != 2 else ((60 + (i + k) % 9, 80) if percent else 30 + k)
            for k in range(18)
        ]
        points += months("2024-04", values, ref=ref, kind="ratio" if percent else "value")
        for b in range(0 if bare else i % 7):  # up to 6 benchmarks: 4 styles, then round again
            value = 0.7 + b / 100 if percent else 38 + b
            benchmarks.append([ref, f"Comparator {b + 1} & co", "2024-25", value])
    return {
        "Settings": settings_rows(
            "2025-09", plan_target_period="2026-03", plan_target_label="Plan <Mar-26>"
        ),
        "Indicators": indicators,
        "Data": data_rows(*points),
        "Benchmarks": benchmarks,
    }


@pytest.fixture(scope="module")
def many_charts() -> list[ChartSpec]:
    _, model = run(many_indicators(), None, WHEN)
    return list(model.sheet(CHARTS).charts or [])


def _roles(spec: ChartSpec) -> list[str]:
    return [s.role for s in spec.series]


def _edge_specs(base: ChartSpec) -> list[ChartSpec]:
    """Specs no workbook above gives, edited from a real one."""
    first = base.series[0]
    one_month = dataclasses.replace(
        base,
        last_col=base.first_col,
        categories=base.categories[:1],
        series=tuple(dataclasses.replace(s, values=s.values[:1]) for s in base.series),
    )

    def months_shown(n: int) -> ChartSpec:
        return dataclasses.replace(
            base, last_col=base.first_col + n - 1, categories=tuple(f"M{k}" for k in range(n))
        )

    many_benchmarks = dataclasses.replace(
        base,
        series=(
            first,
            *(
                dataclasses.replace(first, name=f"B{k}", role=BENCHMARK, row=first.row + k)
                for k in range(1, 10)
            ),
        ),
    )
    return [
        one_month,
        *(months_shown(n) for n in (13, 14, 60)),  # month labels turn past 13
        many_benchmarks,
        dataclasses.replace(many_benchmarks, kind="column"),
        dataclasses.replace(base, kind="column", connect_gaps=True),
        dataclasses.replace(base, kind="column", series=(first,)),
        dataclasses.replace(base, kind="column", series=(first, first)),  # two sets of columns
        dataclasses.replace(base, kind="column", series=base.series[1:]),  # lines, no columns
        dataclasses.replace(base, series=()),
        dataclasses.replace(base, kind="scatter"),  # not a kind: drawn as lines
        dataclasses.replace(base, series=(dataclasses.replace(first, role="forecast"),)),
        dataclasses.replace(base, title=f"  {NASTY}\t"),  # kept as written: xml:space
        dataclasses.replace(base, title="", description=""),
        dataclasses.replace(base, description=f"Two\nlines,\ttabbed: {NASTY}"),
        dataclasses.replace(base, axis_format='#,##0" <k&m>"'),
        dataclasses.replace(base, row=1, col=1, rows=1, cols=1),
    ]


# ---------------------------------------------------------------------------------------------
# Equivalence


def test_every_demo_chart_is_written_as_openpyxl_writes_it(demo_charts):
    assert len(demo_charts) == 33
    # what the demo reaches: both kinds, quarterly and annual lines, every role, rotated labels
    assert {c.kind for c in demo_charts} == {"line", "column"}
    assert any(c.connect_gaps for c in demo_charts)
    assert {r for c in demo_charts for r in _roles(c)} == {ACTUAL, TARGET, BENCHMARK, PLAN}
    assert {len(c.categories) > 13 for c in demo_charts} == {True, False}
    for spec in demo_charts:
        assert_chart_matches(spec)


def test_the_demos_drawing_is_written_as_openpyxl_writes_it(demo_charts):
    assert_drawing_matches(demo_charts)
    ours = ET.fromstring(drawing_xml(demo_charts, [f"rId{k}" for k in range(1, 34)]))
    frames = ours.findall("xdr:twoCellAnchor/xdr:graphicFrame/xdr:nvGraphicFramePr/xdr:cNvPr", NS)
    assert [f.get("descr") for f in frames] == [c.description for c in demo_charts]
    assert any("&" in c.description for c in demo_charts)  # AMT 2's "C&F"


def test_many_indicators_charts_are_written_as_openpyxl_writes_them(many_charts):
    by_kind = {kind: [c for c in many_charts if c.kind == kind] for kind in ("line", "column")}
    # what the workbook reaches, beyond the demo
    assert len(many_charts) == 40
    for kind, specs in by_kind.items():
        assert any(c.connect_gaps for c in specs), kind
        assert any(not c.connect_gaps for c in specs), kind
        assert any(PLAN in _roles(c) for c in specs), kind
        # every benchmark style is used, and no chart draws more benchmarks than its rows hold
        assert any(_roles(c).count(BENCHMARK) == len(native.BENCHMARK_STYLES) for c in specs)
        assert all(_roles(c).count(BENCHMARK) <= MAX_BENCHMARK_SERIES for c in specs)
    assert any(_roles(c) == [ACTUAL] for c in by_kind["column"])  # columns and no line at all
    assert any(NASTY in c.title for c in many_charts)
    assert any("Plan <Mar-26>" in s.name for c in many_charts for s in c.series)
    for spec in many_charts:
        assert_chart_matches(spec)
    assert_drawing_matches(many_charts)


def test_specs_no_workbook_gives_are_written_as_openpyxl_writes_them(demo_charts):
    edges = _edge_specs(demo_charts[1])  # FD 8: target, three benchmarks, plan
    for spec in edges:
        assert_chart_matches(spec)
    assert_drawing_matches(edges)
    assert_drawing_matches(edges[:1])


@pytest.mark.parametrize("title", ["Charts", "KPI charts", "O'Brien's charts", "Q&A <1>"])
def test_series_refer_to_the_sheet_by_its_quoted_name(demo_charts, title):
    assert_chart_matches(demo_charts[4], title)  # AMT 5: a column chart
    refs = ET.fromstring(chart_xml(title, demo_charts[4], core.NAME_COLUMN)).iterfind(".//c:f", NS)
    quoted = "'" + title.replace("'", "''") + "'!"
    assert all(f.text and f.text.startswith(quoted) for f in refs)


def test_an_empty_drawing_is_written_as_openpyxl_writes_it():
    # (openpyxl writes no drawing for a sheet without charts, but would write this one)
    assert_drawing_matches([])


# ---------------------------------------------------------------------------------------------
# Text, relationships, prefixes


def test_special_characters_are_escaped_and_read_back_as_written(demo_charts):
    spec = dataclasses.replace(
        demo_charts[0], title=f"FD 3: {NASTY}", description=f'Alt & "text" <{NASTY}>\nline 2'
    )
    chart = chart_xml(CHARTS, spec, core.NAME_COLUMN)
    assert b"&amp;" in chart and b"&lt;draft&gt;" in chart
    title = "c:chart/c:title/c:tx/c:strRef/c:strCache/c:pt/c:v"
    assert ET.fromstring(chart).findtext(title, None, NS) == spec.title
    drawing = drawing_xml([spec], ["rId1"])
    props = ET.fromstring(drawing).find(".//xdr:cNvPr", NS)
    assert props is not None
    assert (props.get("descr"), props.get("title")) == (spec.description, spec.title)
    assert b"&quot;quoted&quot;" in drawing and b"&#10;" in drawing


def test_characters_xml_cannot_hold_are_left_out(demo_charts):
    # (today openpyxl, through lxml, refuses them and the fill stops with a ValueError)
    spec = dataclasses.replace(demo_charts[0], title="A\x01B\x1f", description="C\x00D\ufffe")
    title = ET.fromstring(chart_xml(CHARTS, spec, core.NAME_COLUMN)).findtext(
        "c:chart/c:title/c:tx/c:strRef/c:strCache/c:pt/c:v", None, NS
    )
    assert title == "AB"
    props = ET.fromstring(drawing_xml([spec], ["rId1"])).find(".//xdr:cNvPr", NS)
    assert props is not None and (props.get("descr"), props.get("title")) == ("CD", "AB")


def test_the_ith_frame_points_at_the_ith_relationship(demo_charts):
    specs = demo_charts[:3]
    root = ET.fromstring(drawing_xml(specs, ["rId7", "rId2", "chart 9"]))
    ids = [c.get(f"{{{NS['r']}}}id") for c in root.iterfind(".//c:chart", NS)]
    assert ids == ["rId7", "rId2", "chart 9"]
    names = [p.get("name") for p in root.iterfind(".//xdr:cNvPr", NS)]
    assert names == ["Chart 1", "Chart 2", "Chart 3"]
    with pytest.raises(ValueError):
        drawing_xml(specs, ["rId1"])


def test_the_parts_use_the_usual_prefixes_declared_on_the_root(demo_charts):
    chart = chart_xml(CHARTS, demo_charts[4], core.NAME_COLUMN).decode()
    root = chart.split("\n", 1)[1].split(">", 1)[0]
    assert root.startswith("<c:chartSpace ")
    assert all(f'xmlns:{p}="{NS[p]}"' in root for p in ("c", "a", "r"))
    assert chart.count("xmlns") == 3
    drawing = drawing_xml(demo_charts[:2], ["rId1", "rId2"]).decode()
    root = drawing.split("\n", 1)[1].split(">", 1)[0]
    assert root.startswith("<xdr:wsDr ")
    assert all(f'xmlns:{p}="{NS[p]}"' in root for p in ("xdr", "a", "c", "r"))
    assert drawing.count("xmlns") == 4


def test_the_module_never_imports_openpyxl(demo_charts, many_charts):
    assert modules_loaded_by("kpi_engine.xlsx.chart_xml", ("openpyxl", "numpy")) == []
    # Nor when it writes: a process where openpyxl cannot be imported writes every chart.
    code = (
        "import pickle, sys; sys.modules['openpyxl'] = None; "
        "from kpi_engine.xlsx.chart_xml import chart_xml, drawing_xml; "
        "specs = pickle.load(sys.stdin.buffer); "
        "[chart_xml('Charts', s, 4) for s in specs]; "
        "drawing_xml(specs, [f'rId{k}' for k in range(len(specs))]); "
        "print(sorted(m for m in sys.modules if m.startswith(('openpyxl', 'numpy'))))"
    )
    root = Path(__file__).resolve().parent.parent
    done = subprocess.run(
        [sys.executable, "-c", code],
        input=pickle.dumps(demo_charts + many_charts + _edge_specs(demo_charts[1])),
        capture_output=True,
        check=False,
        cwd=root,
        env={**os.environ, "PYTHONPATH": str(root)},
    )
    assert done.returncode == 0, done.stderr.decode()
    assert done.stdout.decode().strip() == "['openpyxl']"  # the blocked name, and nothing else
