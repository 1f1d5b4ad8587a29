"""Charts and team breakdowns: the Charts sheet's native charts (headless), the same charts as one
picture per page on the Excel routes, the Teams sheet against seed 002's hand-worked figures, and
the colours' accessibility."""

from __future__ import annotations

import datetime as dt
import io
import itertools
import math
import os
import re
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from builders import data_rows, evaluate, indicator_rows, modules_loaded_by, months, settings_rows

from kpi_engine.charts import (
    CHART_COLUMNS,
    CHART_ROWS,
    FIRST_MONTH_COLUMN,
    NAME_COLUMN,
    PICTURE_PREFIX,
    PICTURES_NOTICE,
    REF_COLUMN,
    SLOT_ROWS,
    charted,
    column_points,
    pages,
)
from kpi_engine.colours import contrast_ratio
from kpi_engine.commands.fill import fill_workbook
from kpi_engine.render import render
from kpi_engine.render_model import CHARTS_PER_PAGE
from kpi_engine.rounding import format_number
from kpi_engine.workbook_names import CHARTS, TEAMS
from workbook_templates.build import build_template, write_inputs
from workbook_templates.look import (
    CVD_MATRICES,
    delta_e,
    rag_styles,
    simulate_colour_vision,
)

ROOT = Path(__file__).resolve().parents[1]
WHEN = dt.datetime(2025, 10, 6, 9, 30)
PCT = {
    "Polarity": "BIB",
    "Unit": "%",
    "Decimals": 0,
    "Measure": "percentage",
    "Aggregation": "flow",
}


def template_with(path: Path, sheets: dict[str, list[list[Any]]]) -> Path:
    book = build_template()
    write_inputs(book, sheets)
    book.save(path)
    return path


@pytest.fixture(scope="module")
def demo_filled(tmp_path_factory) -> Path:
    from workbook_templates.demo import DEMO_FILE

    out = tmp_path_factory.mktemp("charts") / "demo-filled.xlsx"
    assert fill_workbook(DEMO_FILE, out, refreshed=WHEN).written
    return out


@pytest.fixture(scope="module")
def demo_report():
    from workbook_templates.demo import demo_sheets

    return evaluate(demo_sheets(), refreshed=WHEN)


def _title(chart: Any) -> str:
    """The title a chart shows: the text cached from the cell it reads."""
    return str(chart.title.tx.strRef.strCache.pt[0].v)


def _title_cell(chart: Any) -> str:
    """The cell a chart's title reads ("C45")."""
    return str(chart.title.tx.strRef.f.split("!")[1].replace("$", ""))


def _rows_by_series(ws) -> dict[tuple[str, str], int]:
    """(ref, series name) -> the data block row holding it."""
    out = {}
    for row in ws.iter_rows(min_col=1, max_col=NAME_COLUMN):
        if row[0].value == "indicator" and row[REF_COLUMN - 1].value and row[NAME_COLUMN - 1].value:
            out[(row[REF_COLUMN - 1].value, row[NAME_COLUMN - 1].value)] = row[0].row
    return out


def _chart_by_ref(ws) -> dict[str, Any]:
    return {_title(c).split(":")[0]: c for c in ws._charts}


# ---------------------------------------------------------------------------------------------
# Native charts (headless fill)


def test_one_chart_per_rated_indicator_of_the_type_its_row_asks(demo_filled, demo_report):
    ws = openpyxl.load_workbook(demo_filled)[CHARTS]
    rated = charted(demo_report)
    assert len(ws._charts) == len(rated) == 33  # 36 indicators, 3 context measures
    assert {r.ref for r in rated} == {
        r.ref for r in demo_report.indicators if r.rag_reason != "Context"
    }
    by_ref = _chart_by_ref(ws)
    for r in rated:
        chart = by_ref[r.ref]
        assert _title(chart) == ws[_title_cell(chart)].value == f"{r.ref}: {r.title}"
        kinds = [type(c).__name__ for c in chart._charts]
        assert kinds == (["BarChart", "LineChart"] if r.chart == "column" else ["LineChart"]), r.ref
    assert {r.chart for r in rated} == {"line", "column"}


def test_series_reference_the_cells_that_hold_their_figures(demo_filled, demo_report):
    ws = openpyxl.load_workbook(demo_filled)[CHARTS]
    rows = _rows_by_series(ws)
    fd8 = demo_report.indicator("FD 8")
    chart = _chart_by_ref(ws)["FD 8"]
    series = [s for c in chart._charts for s in c.series]
    names = [ws[s.tx.strRef.f.split("!")[1].replace("$", "")].value for s in series]
    assert names == [
        "Monthly figure",
        "Green from",
        "West Midlands (2024-25)",  # typed by the officer, winning over the written row
        "England (2024-25)",
        "Statistical neighbours (2024-25)",  # written by kpi-dashboard benchmarks (Walsall's)
        "Statistical neighbours (median) (2024-25)",
        "Mar-26 Target",
    ]
    actual = series[0]
    row = rows[("FD 8", "Monthly figure")]
    # Oct-24 .. Mar-26: the 12 months shown, run on to the plan date for the plan target's diamond
    assert actual.val.numRef.f == f"'Charts'!$F${row}:$W${row}"
    header = int(re.search(r"\$(\d+)$", actual.cat.strRef.f).group(1))
    assert actual.cat.strRef.f == f"'Charts'!$F${header}:$W${header}"
    labels = [ws.cell(header, c).value for c in range(FIRST_MONTH_COLUMN, FIRST_MONTH_COLUMN + 18)]
    assert labels[0] == "Oct-24" and labels[11] == "Sep-25" and labels[-1] == "Mar-26"
    got = [ws.cell(row, c).value for c in range(FIRST_MONTH_COLUMN, FIRST_MONTH_COLUMN + 12)]
    assert got == pytest.approx([p.value for p in fd8.series])
    # The dashed line is the value the colour is judged against: Green from 22.0% (not FD 8's
    # milestone for the month, 22.6%).
    target_row = rows[("FD 8", "Green from")]
    assert fd8.green_from == 0.22 and fd8.current_target == pytest.approx(0.2264706)
    assert [
        ws.cell(target_row, c).value for c in range(FIRST_MONTH_COLUMN, FIRST_MONTH_COLUMN + 12)
    ] == pytest.approx([0.22] * 12)
    plan_row = rows[("FD 8", "Mar-26 Target")]
    plan = [ws.cell(plan_row, c).value for c in range(FIRST_MONTH_COLUMN, FIRST_MONTH_COLUMN + 18)]
    assert plan[:-1] == [None] * 17 and plan[-1] == pytest.approx(fd8.plan_target)
    england = rows[("FD 8", "England (2024-25)")]
    assert ws.cell(england, FIRST_MONTH_COLUMN).value == pytest.approx(0.226)
    assert ws.cell(row, 2).value == "%|1"  # the row's format key: the template shows 20.8%


def test_charts_sit_in_a_grid_of_two_with_their_captions_under_them(demo_filled, demo_report):
    ws = openpyxl.load_workbook(demo_filled)[CHARTS]
    anchors = [
        (c.anchor._from.row + 1, c.anchor._from.col + 1, c.anchor.to.row + 1, c.anchor.to.col + 1)
        for c in ws._charts
    ]
    assert anchors[0] == (6, 3, 6 + CHART_ROWS, 3 + CHART_COLUMNS)
    assert anchors[1][0] == anchors[0][0] and anchors[1][1] == 3 + CHART_COLUMNS + 1
    assert anchors[2][0] > anchors[0][2]
    assert demo_report.indicator("FD 3").rag == "Amber"
    assert ws.cell(6 + CHART_ROWS, 3).value == "Higher is better."
    assert ws.cell(6 + CHART_ROWS + 1, 3).value == "Sep-25: 87% against Green from 90%, Amber."
    assert ws.cell(6 + CHART_ROWS, 12).value == "Lower is better."  # FD 8, beside it


def test_every_chart_has_alt_text_in_the_drawing(demo_filled, demo_report):
    with zipfile.ZipFile(demo_filled) as z:
        drawings = [n for n in z.namelist() if re.match(r"xl/drawings/drawing\d+\.xml$", n)]
        xml = "".join(z.read(n).decode("utf-8") for n in drawings)
    descr = re.findall(r'<(?:\w+:)?cNvPr [^>]*descr="([^"]*)"', xml)
    titles = re.findall(r'<(?:\w+:)?cNvPr [^>]*title="([^"]*)"', xml)
    assert len(descr) == len(titles) == len(charted(demo_report))
    fd8 = next(d for d in descr if " FD 8 " in d)
    assert fd8.startswith(
        "Line chart of FD 8 Percentage of re-referrals within 12 months, "
        "monthly from Oct-24 to Sep-25."
    )
    assert (
        "England (2024-25) 22.6%" in fd8
        and "Plan target 20.0% by Mar-26" in fd8
        and "Lower is better." in fd8
    )


def test_a_column_chart_of_a_smaller_is_better_measure_says_below_the_line_is_good(tmp_path):
    ind = dict(
        Ref="W 1",
        Title="Average caseload",
        Polarity="SIB",
        Unit="number",
        Decimals=1,
        Measure="value",
        Aggregation="snapshot",
        Target=17,
        **{"RAG rule": "tolerance"},
    )
    sheets = {
        "Settings": settings_rows("2025-09"),
        "Indicators": indicator_rows(ind),
        "Data": data_rows(
            *months(
                "2024-10", [19, 18.5, 18, 17.5, 17, 16.5, 17, 17.2, 16.8, 16.9, 16, 15.8], ref="W 1"
            )
        ),
    }
    sheets["Indicators"][0].append("Chart")
    sheets["Indicators"][1].append("column")
    out = tmp_path / "out.xlsx"
    fill_workbook(template_with(tmp_path / "in.xlsx", sheets), out, refreshed=WHEN)
    ws = openpyxl.load_workbook(out)[CHARTS]
    (chart,) = ws._charts
    assert [type(c).__name__ for c in chart._charts] == ["BarChart", "LineChart"]
    assert ws.cell(6 + CHART_ROWS, 3).value == "Columns BELOW the target line are good performance."
    bar, line = chart._charts
    assert len(bar.series) == 1 and len(line.series) == 1  # the target line over the columns
    assert bar.y_axis.scaling.min == 0


def test_a_second_refresh_leaves_one_chart_per_indicator(demo_filled, demo_report, tmp_path):
    again = tmp_path / "again.xlsx"
    fill_workbook(demo_filled, again, refreshed=WHEN)
    third = tmp_path / "third.xlsx"
    fill_workbook(again, third, refreshed=WHEN)
    for path in (again, third):
        assert len(openpyxl.load_workbook(path)[CHARTS]._charts) == len(charted(demo_report))
        with zipfile.ZipFile(path) as z:
            assert sum(1 for n in z.namelist() if re.match(r"xl/charts/chart\d+\.xml$", n)) == len(
                charted(demo_report)
            )


def test_fewer_indicators_after_a_refresh_leaves_fewer_charts(demo_filled, tmp_path):
    from workbook_templates.demo import demo_sheets

    book = openpyxl.load_workbook(demo_filled)
    sheets = demo_sheets()
    write_inputs(book, {"Indicators": sheets["Indicators"][:6]})
    fewer = tmp_path / "fewer.xlsx"
    book.save(fewer)
    result = fill_workbook(fewer, fewer, refreshed=WHEN)
    ws = openpyxl.load_workbook(fewer)[CHARTS]
    rated = [r.ref for r in charted(result.report)]
    assert 0 < len(rated) < 5 and sorted(_chart_by_ref(ws)) == sorted(rated)


def test_a_report_with_nothing_rated_has_an_empty_charts_sheet():
    sheets = {
        "Settings": settings_rows("2025-09"),
        "Indicators": indicator_rows(
            {"Ref": "C1", "Title": "Contacts", "Unit": "number", "Measure": "value"}
        ),
        "Data": data_rows(*months("2025-07", [10, 11, 12], ref="C1")),
    }
    model = render(evaluate(sheets, refreshed=WHEN))
    charts = model.sheet(CHARTS)
    assert charts.charts == [] and "nothing to chart" in str(charts.cell(6, 3))


# ---------------------------------------------------------------------------------------------
# Teams: seed 002, hand-worked


SEED_002_TEAMS = [
    ("EAST", 163, 175, "93%"),
    ("NWC", 257, 367, "70%"),
    ("SOUTH", 240, 250, "96%"),
    ("MASH", 112, 117, "96%"),
]


def seed_002_sheets(
    extra_points: list[tuple] = (), targets: list[list[Any]] | None = None
) -> dict[str, Any]:
    """Seed 002's 'On-going single assessments in timescale': Sep-15, the authority 859 of 1,003 (it
    counts the DCSC, which is in no area) and its four areas."""
    ind = dict(
        Ref="ASM",
        Title="On-going single assessments in timescale (45 working days)",
        Target=0.9,
        **{"RAG rule": "tolerance"},
        **PCT,
    )
    points = [("ASM", "2015-09", 859, 1003, None, None)]
    points += [("ASM", "2015-09", n, d, None, team) for team, n, d, _ in SEED_002_TEAMS]
    points += list(extra_points)
    sheets = {
        "Settings": settings_rows("2015-09", Organisation="Seed 002 council"),
        "Indicators": indicator_rows(ind),
        "Data": data_rows(*points),
    }
    if targets:
        sheets["Targets"] = targets
    return sheets


def team_rows(ws) -> dict[str, dict[str, Any]]:
    header = {c.value: c.column for c in ws[4] if c.value}
    out = {}
    for row in ws.iter_rows(min_row=5):
        if row[0].value == "indicator":
            out[row[header["Team"] - 1].value] = {h: row[c - 1].value for h, c in header.items()}
    return out


def test_teams_sheet_gives_seed_002s_figures(tmp_path):
    out = tmp_path / "out.xlsx"
    fill_workbook(template_with(tmp_path / "in.xlsx", seed_002_sheets()), out, refreshed=WHEN)
    ws = openpyxl.load_workbook(out)[TEAMS]
    rows = team_rows(ws)
    assert list(rows) == ["Whole authority", "EAST", "MASH", "NWC", "SOUTH"]
    whole = rows["Whole authority"]
    assert (whole["Numerator"], whole["Denominator"]) == (859, 1003)
    assert format_number(whole["Outturn"], 0, True) == "86%" and whole["Outturn"] == pytest.approx(
        859 / 1003
    )
    for team, n, d, shown in SEED_002_TEAMS:
        r = rows[team]
        assert (r["Numerator"], r["Denominator"]) == (n, d), team
        assert (
            r["Outturn"] == pytest.approx(n / d) and format_number(r["Outturn"], 0, True) == shown
        ), team
        assert (
            r["Period"] == "Sep-15"
            and r["Format"] == "%|0"
            and r["Green from"] == pytest.approx(0.9)  # the 90% the colour was judged against
        )
    # against the authority's 90% target, within 10% of it is Amber
    assert {t: rows[t]["RAG"] for t in rows} == {
        "Whole authority": "Amber",
        "EAST": "Green",
        "MASH": "Green",
        "NWC": "Red",
        "SOUTH": "Green",
    }
    # seed 002's "DCSC not included in area": the areas add up to 772 of 909
    assert "the teams add up to 772 of 909" in whole["Notes"]
    assert ws["C5"].value.startswith("ASM") and ws["A5"].value == "section"


def test_a_team_is_rated_against_its_own_milestone_and_a_small_one_shows_its_n(tmp_path):
    targets = [["Ref", "Period", "Target", "Team"], ["ASM", dt.datetime(2015, 9, 1), 0.75, "NWC"]]
    sheets = seed_002_sheets([("ASM", "2015-09", 2, 3, None, "DCSC")], targets)
    out = tmp_path / "out.xlsx"
    fill_workbook(template_with(tmp_path / "in.xlsx", sheets), out, refreshed=WHEN)
    rows = team_rows(openpyxl.load_workbook(out)[TEAMS])
    assert (
        rows["NWC"]["Green from"] == pytest.approx(0.75) and rows["NWC"]["RAG"] == "Amber"
    )  # 70% within 10% of its own 75% milestone: Amber, and 75% is where it turns Green
    assert rows["DCSC"]["Notes"] == "small number: 2 of 3"
    assert rows["DCSC"]["Outturn"] == pytest.approx(2 / 3)


def test_the_teams_sheet_is_the_same_on_every_excel_route(tmp_path):
    """One 2-D write, like the other sheets (test_addin proves every sheet equals the fill's)."""
    model = render(evaluate(seed_002_sheets(), refreshed=WHEN))
    teams = model.sheet(TEAMS)
    assert len(teams.blocks) == 1 and teams.charts is None


# ---------------------------------------------------------------------------------------------
# The Excel routes: one picture per page of small multiples


os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")


def many_indicators(count: int) -> dict[str, Any]:
    inds, points = [], []
    for i in range(count):
        ref = f"K{i + 1}"
        inds.append(
            dict(
                Ref=ref, Title=f"Indicator {i + 1}", Target=0.8, **{"RAG rule": "tolerance"}, **PCT
            )
        )
        points += months(
            "2025-01", [(70 + (i + k) % 7, 100) for k in range(9)], ref=ref, kind="ratio"
        )
    return {
        "Settings": settings_rows("2025-09"),
        "Indicators": indicator_rows(*inds),
        "Data": data_rows(*points),
    }


def refresh_actions(
    path: Path, pictures: list[dict[str, Any]] | None = None
) -> list[dict[str, Any]]:
    import xlwings as xw

    from addin import excel
    from addin.payloads import client_payload

    payload = client_payload(path, "VBA")
    if pictures is not None:
        for sheet in payload["sheets"]:
            if sheet["name"] == CHARTS:
                sheet["pictures"] = [
                    {"name": p["name"], "width": p["width"], "height": p["height"]}
                    for p in pictures
                ]
    book = xw.Book(json=payload)
    try:
        excel.refresh(book, refreshed=WHEN)
        return book.json()["actions"]
    finally:
        book.close()


@pytest.mark.parametrize("count", [1, 12, 13, 30])
def test_the_excel_routes_add_one_picture_per_page_of_charts(tmp_path, count):
    from test_addin import replay

    path = template_with(tmp_path / "in.xlsx", many_indicators(count))
    actions = refresh_actions(path)
    pages_wanted = math.ceil(count / CHARTS_PER_PAGE)
    assert sum(a["func"] == "addPicture" for a in actions) == pages_wanted
    got = replay(actions, path, tmp_path / "got.xlsx")[CHARTS]
    assert [p["name"] for p in got] == [f"{PICTURE_PREFIX}{k}" for k in range(1, pages_wanted + 1)]
    model = render(evaluate(many_indicators(count), refreshed=WHEN))
    for picture, page in zip(got, pages(model.sheet(CHARTS).charts), strict=True):
        assert (picture["width"], picture["height"]) == (page.width, page.height)
        assert (
            picture["anchor"] == (page.row, page.col) == (6 + (page.number - 1) * 6 * SLOT_ROWS, 3)
        )
        assert page.width == pytest.approx(17 * column_points())
    # the cells are the fill's, cell for cell (as test_addin checks for the demo)
    from test_addin import assert_same_workbook

    expected = tmp_path / "filled.xlsx"
    fill_workbook(path, expected, refreshed=WHEN)
    # but for the notice that these are pictures, and how to get charts
    assert_same_workbook(tmp_path / "got.xlsx", expected, {f"{CHARTS}!C3": PICTURES_NOTICE})


def test_refreshing_again_replaces_the_pictures_in_place_and_removes_stale_pages(tmp_path):
    """Excel moves a replaced picture to the end of the sheet's pictures; every picture must still
    get its own page's image, and none may be left over."""
    import base64

    from test_addin import replay

    from addin.pictures import page_png

    path = template_with(tmp_path / "in.xlsx", many_indicators(30))
    logo = {"name": "Council logo", "width": 50.0, "height": 20.0, "image": "logo"}
    pictures = replay(
        refresh_actions(path, [logo]), path, tmp_path / "once.xlsx", {CHARTS: [logo]}
    )[CHARTS]
    assert [p["name"] for p in pictures] == [
        "Council logo",
        "KPI charts 1",
        "KPI charts 2",
        "KPI charts 3",
    ]
    # the same figures again: each page replaced in place, one action each, nothing added
    actions = refresh_actions(tmp_path / "once.xlsx", pictures)
    funcs = [a["func"] for a in actions if a["func"].endswith("Picture") or "Picture" in a["func"]]
    assert funcs == ["updatePicture"] * 3
    pictures = replay(actions, tmp_path / "once.xlsx", tmp_path / "twice.xlsx", {CHARTS: pictures})[
        CHARTS
    ]
    # now 15 indicators: two pages, the second a different size; the third page's picture goes
    book = openpyxl.load_workbook(tmp_path / "twice.xlsx")
    write_inputs(
        book, {"Indicators": many_indicators(15)["Indicators"], "Data": many_indicators(15)["Data"]}
    )
    book.save(tmp_path / "fewer.xlsx")
    actions = refresh_actions(tmp_path / "fewer.xlsx", pictures)
    final = replay(actions, tmp_path / "fewer.xlsx", tmp_path / "final.xlsx", {CHARTS: pictures})[
        CHARTS
    ]
    assert sorted(p["name"] for p in final) == ["Council logo", "KPI charts 1", "KPI charts 2"]
    model = render(evaluate(many_indicators(15), refreshed=WHEN))
    for page in pages(model.sheet(CHARTS).charts):
        (picture,) = [p for p in final if p["name"] == page.name]
        assert base64.b64decode(picture["image"]) == page_png(
            tuple(page.charts), page.width, page.height
        )
        assert (picture["width"], picture["height"]) == (page.width, page.height)
    assert (
        next(p for p in final if p["name"] == "Council logo")["image"] == "logo"
    )  # an officer's picture is kept


def test_a_page_picture_is_one_png_of_the_pages_size(demo_report):
    from PIL import Image

    from addin.pictures import SCALE, page_png

    model = render(demo_report, 12, "Mar-26 Target")
    all_pages = pages(model.sheet(CHARTS).charts)
    assert [len(p.charts) for p in all_pages] == [12, 12, 9]
    page = all_pages[-1]
    png = page_png(tuple(page.charts), page.width, page.height)
    with Image.open(io.BytesIO(png)) as image:
        assert image.format == "PNG"
        assert image.size == (
            round(page.width * SCALE * 96 / 72),
            round(page.height * SCALE * 96 / 72),
        )
        colours = {c for _, c in image.convert("RGB").getcolors(1 << 16)}
    assert (0x1F, 0x38, 0x64) in colours or any(
        abs(c[0] - 0x1F) + abs(c[1] - 0x38) + abs(c[2] - 0x64) < 24 for c in colours
    )  # the monthly figure's navy line
    assert len(png) < 400_000  # sent inside the refresh's response


def test_neither_the_engine_nor_addin_imports_matplotlib_until_a_picture_is_drawn():
    imports = (
        "addin, addin.plan, addin.excel, kpi_engine.commands.fill, kpi_engine.render, "
        "kpi_engine.charts, kpi_engine.xlsx.splice, kpi_engine.commands.pack"
    )
    assert modules_loaded_by(imports, ("matplotlib",)) == []


# ---------------------------------------------------------------------------------------------
# Accessibility: not colour alone, enough contrast, distinguishable to colour-blind readers


def test_rag_fills_stay_distinguishable_under_colour_vision_deficiency():
    fills = {word: fill for word, (fill, _text) in rag_styles().items()}
    for kind in CVD_MATRICES:
        seen = {word: simulate_colour_vision(fill, kind) for word, fill in fills.items()}
        for a, b in itertools.combinations(seen, 2):
            # CIE76: 2.3 is just noticeable; 20 is plainly a different colour
            assert delta_e(seen[a], seen[b]) >= 20, (kind, a, b, seen)
    # the check can fail: red and green of equal lightness merge for a deuteranope
    assert (
        delta_e(
            simulate_colour_vision("CC3333", "deuteranopia"),
            simulate_colour_vision("339933", "deuteranopia"),
        )
        < 20
    )


def test_the_simulation_follows_machado_2009():
    assert simulate_colour_vision("FFFFFF", "deuteranopia") == "FFFFFF"
    assert simulate_colour_vision("000000", "protanopia") == "000000"
    red = simulate_colour_vision("FF0000", "protanopia")
    assert (
        int(red[0:2], 16) < 0x80 and abs(int(red[0:2], 16) - int(red[2:4], 16)) < 0x30
    )  # dark olive


def test_rag_text_and_chart_lines_have_enough_contrast():
    from kpi_engine.xlsx import chart_xml as xc

    for fill, text in rag_styles().values():
        assert contrast_ratio(fill, text) >= 4.5
    for colour in (
        xc.ACTUAL_COLOUR,
        xc.COLUMN_COLOUR,
        xc.TARGET_COLOUR,
        xc.PLAN_COLOUR,
        *[c for c, _ in xc.BENCHMARK_STYLES],
    ):
        assert (
            contrast_ratio(colour, "FFFFFF") >= 3
        )  # WCAG 1.4.11: graphics against the white chart
    # benchmarks differ by dash pattern as well as colour
    assert len({dash for _, dash in xc.BENCHMARK_STYLES}) == len(xc.BENCHMARK_STYLES)


def test_rag_words_and_arrows_are_in_the_cells(demo_filled):
    ws = openpyxl.load_workbook(demo_filled)["Dashboard"]
    values = {c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
    assert {"Green", "Amber", "Red"} <= values
    assert {"\u25b2 improving", "\u25bc declining"} & values and all(
        v.split(" ", 1)[1] in ("improving", "declining", "no change")
        for v in values
        if v[:1] in "\u25b2\u25bc\u25ba"
    )
