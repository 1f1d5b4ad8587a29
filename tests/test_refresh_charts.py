"""A refresh of a workbook that has its own charts writes values only, and the charts read them.

The headless fill makes one native chart per rated indicator and names the chart data they read
(``kpi_chart_data``). A refresh (every remote client) then sends one values write per output
sheet and no picture: Excel redraws the charts from the cells. These tests take the charts the
fill wrote (their title and series references), replay a refresh with new figures as Excel would,
and read those references in the result: they must hold the new figures of the same indicators.
"""

from __future__ import annotations

import os
import re
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from test_addin import CLIENTS, make_payload, replay, run_refresh
from test_charts import WHEN, many_indicators, template_with

os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")

from kpi_engine.charts import (
    CHART_DATA_NAME,
    EMPTY_SLOT_CAPTION,
    PICTURES_NOTICE,
    ROWS_PER_CHART,
    chart_data_rows,
    overflow_notice,
)
from kpi_engine.commands.fill import fill_workbook
from kpi_engine.workbook_names import CHARTS

NS = {"c": "http://schemas.openxmlformats.org/drawingml/2006/chart"}
_REF = re.compile(r"^'?(.+?)'?!\$([A-Z]+)\$(\d+)(?::\$([A-Z]+)\$(\d+))?$")


def charts_in(path: Path) -> list[dict[str, Any]]:
    """Each native chart's title reference, its cached title, and its series' name and value
    references, read from the chart parts the file holds."""
    import xml.etree.ElementTree as ET

    out = []
    with zipfile.ZipFile(path) as z:
        names = sorted(
            (n for n in z.namelist() if re.match(r"xl/charts/chart\d+\.xml$", n)),
            key=lambda n: int(re.findall(r"\d+", n)[-1]),
        )
        for name in names:
            root = ET.fromstring(z.read(name))
            title = root.find("c:chart/c:title/c:tx/c:strRef", NS)
            assert title is not None, name
            out.append(
                {
                    "title_ref": title.findtext("c:f", None, NS),
                    "title": title.findtext("c:strCache/c:pt/c:v", None, NS),
                    "series": [
                        (
                            ser.findtext("c:tx/c:strRef/c:f", None, NS),
                            ser.findtext("c:val/c:numRef/c:f", None, NS),
                        )
                        for ser in root.iter(f"{{{NS['c']}}}ser")
                    ],
                }
            )
    return out


def read(ws: Any, ref: str) -> list[Any]:
    """The values of a one-row reference ("'Charts'!$F$384:$Q$384") on ``ws``."""
    m = _REF.match(ref)
    assert m is not None and m.group(1) == ws.title, ref
    first_col, row = m.group(2), int(m.group(3))
    last_col = m.group(4) or first_col
    cells = ws[f"{first_col}{row}:{last_col}{row}"][0]
    return [c.value for c in cells]


def with_inputs(source: Path, out: Path, sheets: dict[str, list[list[Any]]]) -> Path:
    """``source`` with its input sheets replaced (as an officer types new figures). openpyxl
    leaves the charts out when it saves, but keeps the defined names: in Excel the charts stay."""
    from workbook_templates.build import write_inputs

    book = openpyxl.load_workbook(source)
    write_inputs(book, sheets)
    book.save(out)
    return out


def new_figures(count: int, shift: int) -> dict[str, Any]:
    """many_indicators' workbook with every monthly figure changed."""
    sheets = many_indicators(count)
    for row in sheets["Data"][1:]:
        row[2] = row[2] + shift  # the numerator
    return sheets


@pytest.fixture(scope="module")
def filled(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("native")
    path = template_with(folder / "in.xlsx", many_indicators(14))
    out = folder / "filled.xlsx"
    fill_workbook(path, out, refreshed=WHEN)
    return out


def test_the_fill_names_the_rows_its_charts_read(filled):
    book = openpyxl.load_workbook(filled)
    ((sheet, address),) = book.defined_names[CHART_DATA_NAME].destinations
    first, last = (int(x) for x in re.findall(r"\d+", address))
    charts = charts_in(filled)
    assert sheet == CHARTS and len(charts) == 14
    assert (first, last) == chart_data_rows(14) and last - first + 1 == 14 * ROWS_PER_CHART
    rows = {int(re.findall(r"\$(\d+)", ref)[-1]) for c in charts for _, ref in c["series"]}
    rows |= {int(re.findall(r"\$(\d+)", c["title_ref"])[-1]) for c in charts}
    assert first == min(rows) and max(rows) <= last


@pytest.mark.parametrize("client", CLIENTS)
def test_new_figures_reach_the_charts_through_the_values_alone(filled, client, tmp_path):
    changed = with_inputs(filled, tmp_path / "changed.xlsx", new_figures(14, 9))
    actions = run_refresh(make_payload(changed, client))
    assert [a["func"] for a in actions] == ["setValues"] * 5  # no picture, no link, no clear
    got = replay(actions, changed, tmp_path / "got.xlsx")
    assert not got.get(CHARTS)  # no picture was added
    # What the fill makes of the new figures: the same charts, reading the same cells
    expected = tmp_path / "expected.xlsx"
    fill_workbook(changed, expected, refreshed=WHEN)
    before, after = charts_in(filled), charts_in(expected)
    assert [(c["title_ref"], c["series"]) for c in before] == [
        (c["title_ref"], c["series"]) for c in after
    ]
    refreshed = openpyxl.load_workbook(tmp_path / "got.xlsx")[CHARTS]
    fill = openpyxl.load_workbook(expected)[CHARTS]
    old = openpyxl.load_workbook(filled)[CHARTS]
    changed_cells = 0
    for chart, now in zip(before, after, strict=True):
        # the chart Excel already has shows this month's title and figures
        assert read(refreshed, chart["title_ref"]) == [now["title"]]
        for name_ref, values_ref in chart["series"]:
            assert read(refreshed, name_ref) == read(fill, name_ref)
            assert read(refreshed, values_ref) == read(fill, values_ref)
            changed_cells += read(refreshed, values_ref) != read(old, values_ref)
    assert changed_cells >= 14  # every monthly figure changed


def test_more_rated_indicators_than_charts_are_said_and_keep_their_figures(filled, tmp_path):
    changed = with_inputs(filled, tmp_path / "more.xlsx", many_indicators(17))
    actions = run_refresh(make_payload(changed, "VBA"))
    assert [a["func"] for a in actions] == ["setValues"] * 5
    replay(actions, changed, tmp_path / "got.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "got.xlsx")[CHARTS]
    assert ws["C3"].value == overflow_notice(["K15", "K16", "K17"], 14)
    titles = [read(ws, c["title_ref"])[0] for c in charts_in(filled)]
    assert titles == [f"K{i}: Indicator {i}" for i in range(1, 15)]
    data = [row[2].value for row in ws.iter_rows() if row[3].value == "Monthly figure"]
    assert data[-3:] == ["K15", "K16", "K17"]  # their figures are in the chart data


def test_fewer_rated_indicators_leave_charts_that_say_they_are_empty(filled, tmp_path):
    changed = with_inputs(filled, tmp_path / "fewer.xlsx", many_indicators(11))
    replay(run_refresh(make_payload(changed, "VBA")), changed, tmp_path / "got.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "got.xlsx")[CHARTS]
    charts = charts_in(filled)
    for chart in charts[11:]:
        assert read(ws, chart["title_ref"]) == [None]
        assert all(read(ws, ref) == [None] * len(read(ws, ref)) for _, ref in chart["series"])
    captions = [c.value for row in ws.iter_rows() for c in row if c.value == EMPTY_SLOT_CAPTION]
    assert len(captions) == 3
    assert ws["C3"].value is None


def test_a_workbook_never_filled_gets_pictures_once_and_is_told_how_to_get_charts(tmp_path):
    path = template_with(tmp_path / "in.xlsx", many_indicators(14))
    actions = run_refresh(make_payload(path, "VBA"))
    assert sum(a["func"] == "addPicture" for a in actions) == 2  # 12 charts a page
    replay(actions, path, tmp_path / "got.xlsx")
    assert openpyxl.load_workbook(tmp_path / "got.xlsx")[CHARTS]["C3"].value == PICTURES_NOTICE
    fill_workbook(path, path, refreshed=WHEN)  # what the notice asks for
    actions = run_refresh(make_payload(path, "VBA"))
    assert [a["func"] for a in actions] == ["setValues"] * 5


@pytest.mark.parametrize("client", CLIENTS)
def test_at_most_twelve_actions_whatever_the_size_and_the_issues(tmp_path, client):
    sheets = many_indicators(60)
    for k in range(150):  # 150 validation issues, each with a link to its cell
        sheets["Data"].append([f"NOT AN INDICATOR {k}", "2025-09", None, None, 1, None])
    path = template_with(tmp_path / "big.xlsx", sheets)
    fill_workbook(path, path, refreshed=WHEN)
    actions = run_refresh(make_payload(path, client))
    assert len(actions) <= 12
    links = [
        v
        for a in actions
        for row in a["values"] or []
        for v in row
        if isinstance(v, str) and v.startswith("=HYPERLINK(")
    ]
    assert len(links) >= 150


def titles_read(ws: Any, charts: list[dict[str, Any]]) -> list[Any]:
    return [read(ws, c["title_ref"])[0] for c in charts]


def test_an_indicator_gone_from_the_middle_moves_no_other_chart(filled, tmp_path):
    """Each chart keeps the indicator it was made for: K3 no longer rated leaves its chart empty,
    and K4's chart still shows K4 (not shifted into K3's chart, with K3's look)."""
    sheets = many_indicators(14)
    sheets["Indicators"] = [row for row in sheets["Indicators"] if row[0] != "K3"]
    changed = with_inputs(filled, tmp_path / "gone.xlsx", sheets)
    actions = run_refresh(make_payload(changed, "VBA"))
    assert [a["func"] for a in actions] == ["setValues"] * 5
    replay(actions, changed, tmp_path / "got.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "got.xlsx")[CHARTS]
    expected = [f"K{i}: Indicator {i}" for i in range(1, 15)]
    expected[2] = None
    assert titles_read(ws, charts_in(filled)) == expected
    assert ws["C3"].value is None  # nothing to say: every rated indicator has its chart
    # and the next refresh, from what this one wrote, keeps them where they are
    again = run_refresh(make_payload(tmp_path / "got.xlsx", "VBA"))
    replay(again, tmp_path / "got.xlsx", tmp_path / "again.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "again.xlsx")[CHARTS]
    assert titles_read(ws, charts_in(filled)) == expected


def test_a_chart_whose_shape_changed_is_not_reused_and_is_said(filled, tmp_path):
    """More months shown: every chart was made for 12 months, so none can show the new ones.
    The figures go to the chart data, the charts stay empty, and the sheet says what to do."""
    sheets = many_indicators(14)
    settings = [row for row in sheets["Settings"] if row[0] != "Months shown"]
    sheets["Settings"] = [*settings, ["Months shown", 9]]
    changed = with_inputs(filled, tmp_path / "months.xlsx", sheets)
    replay(run_refresh(make_payload(changed, "VBA")), changed, tmp_path / "got.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "got.xlsx")[CHARTS]
    refs = [f"K{i}" for i in range(1, 15)]
    assert ws["C3"].value == overflow_notice(refs, 14)
    assert titles_read(ws, charts_in(filled)) == [None] * 14


def test_a_name_moved_by_an_edit_is_not_trusted(filled, tmp_path):
    """A column inserted before C moves the name to D: the charts read other cells now, so the
    refresh draws pictures and says so rather than writing where the charts do not look."""
    book = openpyxl.load_workbook(filled)
    name = book.defined_names[CHART_DATA_NAME]
    name.attr_text = name.attr_text.replace("$C$", "$D$")
    moved = tmp_path / "moved.xlsx"
    book.save(moved)
    actions = run_refresh(make_payload(moved, "VBA"))
    assert any(a["func"] == "addPicture" for a in actions)
    replay(actions, moved, tmp_path / "got.xlsx")
    assert openpyxl.load_workbook(tmp_path / "got.xlsx")[CHARTS]["C3"].value == PICTURES_NOTICE
