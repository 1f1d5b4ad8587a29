"""What reaches the board (issue 11).

The target shown beside a colour is the one the colour was judged against (``green_from``); a
milestone on the way to the plan target is shown apart and named as such; indicators left out
for errors are named on the Summary and counted; a percentage typed where a count goes is warned
of at its cell, with what to type instead.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from builders import REFRESHED, save_grids, settings_rows, workbook
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from kpi_engine.commands.cli import main
from kpi_engine.issues import Code, Severity
from kpi_engine.methodology import describe
from kpi_engine.periods import label
from kpi_engine.pipeline import run as run_pipeline
from kpi_engine.render import SUMMARY_HEADERS
from kpi_engine.render_model import HEADER, ROW, ChartSpec, RenderModel, SheetRender
from kpi_engine.results import IndicatorResult, Report
from kpi_engine.results_json import report_json
from kpi_engine.rounding import displayed, format_number, to_decimal
from kpi_engine.workbook_names import CHARTS, DASHBOARD, SUMMARY
from workbook_templates.demo import demo_sheets

# --- Reading the render model ---------------------------------------------------------------------


def sheet(model: RenderModel, name: str) -> SheetRender:
    return next(s for s in model.sheets if s.name == name)


def table_rows(rendered: SheetRender, ref: str) -> list[dict[str, Any]]:
    """The rows of an output sheet's tables that are about ``ref``, each by the header above it."""
    out = []
    header: list[Any] = []
    for row in rendered.blocks[0].values:
        if row[0] == HEADER:
            header = row
        elif row[0] == ROW and "Ref" in header and row[header.index("Ref")] == ref:
            out.append(dict(zip(header, row, strict=False)))
    return out


def charts_by_ref(model: RenderModel) -> dict[str, ChartSpec]:
    return {spec.ref: spec for spec in sheet(model, CHARTS).charts or []}


def green_words(r: IndicatorResult) -> str:
    """Green from, in the words a caption uses, worked out here and not by the engine."""
    assert r.green_from is not None
    figure = format_number(r.green_from, r.decimals, r.unit == "%")
    return f"Green from {figure}" if r.polarity == "BIB" else f"Green at {figure} or below"


def assert_colour_agrees_with_green_from(r: IndicatorResult, model: RenderModel) -> None:
    """Green exactly when the outturn as displayed meets green_from by polarity; the figure printed
    is green_from exactly; the Dashboard, the chart's caption and its alt text name that figure."""
    assert r.rag is not None and r.outturn is not None and r.period is not None, r.ref
    assert r.green_from is not None, r.ref
    percent = r.unit == "%"
    shown = displayed(r.outturn, r.decimals, percent)
    green = displayed(r.green_from, r.decimals, percent)
    # green_from is a value the indicator can display, so the figure printed is not rounded.
    exact = to_decimal(r.green_from) * (100 if percent else 1)
    assert green == exact, (r.ref, r.green_from)
    meets = shown >= green if r.polarity == "BIB" else shown <= green
    assert (r.rag == "Green") == meets, (r.ref, r.outturn, r.green_from, r.rag)
    status = (
        f"{label(r.period)}: {format_number(r.outturn, r.decimals, percent)} "
        f"against {green_words(r)}, {r.rag}."
    )
    spec = charts_by_ref(model)[r.ref]
    assert spec.status == status and status in spec.description
    targets = [s for s in spec.series if s.role == "target"]
    assert [s.name for s in targets] == ["Green from"]
    assert {v for v in targets[0].values if v is not None} == {r.green_from}
    (row,) = table_rows(sheet(model, DASHBOARD), r.ref)
    assert row["Green from"] == r.green_from and row["RAG"] == r.rag


# --- The demo -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo() -> tuple[Report, RenderModel]:
    return run_pipeline(demo_sheets(), None, REFRESHED)


def test_every_rated_indicator_of_the_demo_is_green_exactly_when_it_meets_green_from(demo):
    report, model = demo
    rated = [r for r in report.indicators if r.rag is not None]
    assert len(rated) == 32
    for r in rated:
        assert_colour_agrees_with_green_from(r, model)
    # The Summary's lists show green_from beside each colour too.
    for ref in report.good + report.exceptions:
        r = report.indicator(ref)
        (row,) = table_rows(sheet(model, SUMMARY), ref)
        assert row["Green from"] == r.green_from and row["RAG"] == r.rag


def test_fd3_reads_against_green_from_90_and_its_milestone_is_named(demo):
    report, model = demo
    fd3 = report.indicator("FD 3")
    # Amber by its written bands (Green from 90%), while the straight line from its baseline to
    # the plan target puts the milestone for Sep-25 at 83%, which it meets.
    assert (
        fd3.green_from == 0.9
        and fd3.rag == "Amber"
        and fd3.current_target == pytest.approx(0.8329412)
    )
    assert report_json(report)["indicators"][1]["green_from"] == 0.9
    spec = charts_by_ref(model)["FD 3"]
    assert spec.status == "Sep-25: 87% against Green from 90%, Amber."
    assert "Sep-25: 87% against Green from 90%, Amber." in spec.description
    (summary,) = table_rows(sheet(model, SUMMARY), "FD 3")
    assert "FD 3" in report.exceptions
    assert (summary["Green from"], summary["RAG"]) == (0.9, "Amber")
    (dashboard,) = table_rows(sheet(model, DASHBOARD), "FD 3")
    assert (dashboard["Green from"], dashboard["RAG"]) == (0.9, "Amber")
    assert dashboard["On track for plan"] == "Yes"  # kept beside it
    assert dashboard["Notes"] == "Milestone for Sep-25: 83%, met"
    # The milestone appears nowhere else: not as a number in FD 3's rows (its chart data included),
    # and as text only where it is named.
    rows = [
        *table_rows(sheet(model, SUMMARY), "FD 3"),
        *table_rows(sheet(model, DASHBOARD), "FD 3"),
        *table_rows(sheet(model, CHARTS), "FD 3"),
    ]
    values = [v for row in rows for v in row.values()] + [spec.status, spec.description]
    values += [v for s in spec.series for v in s.values]
    assert not [v for v in values if isinstance(v, float) and v == pytest.approx(0.8329412)]
    texts = [v for v in values if isinstance(v, str) and "83%" in v]
    assert texts == ["Milestone for Sep-25: 83%, met"]


def test_the_demo_leaves_nothing_out_and_its_summary_says_nothing_of_it(demo):
    report, model = demo
    assert report.left_out == [] and report_json(report)["left_out"] == []
    summary = [t for row in sheet(model, SUMMARY).blocks[0].values for t in row]
    assert not [t for t in summary if isinstance(t, str) and "left out" in t]
    counts = _summary_counts(sheet(model, SUMMARY).blocks[0].values)
    assert counts["Total measures"] == len(report.indicators) == 36


# --- Generated indicators: bands and tolerance, both polarities, % and numbers, various decimals

REPORTING = "2024-06"


def _fraction(units: Decimal, percent: bool) -> float:
    """A value given in the unit displayed (percentage points for a %) as the engine stores it."""
    return float(units / 100 if percent else units)


@st.composite
def rated_workbooks(draw: st.DrawFn) -> tuple[dict[str, list[list[Any]]], str]:
    rule = draw(st.sampled_from(["bands", "tolerance"]), label="rule")
    polarity = draw(st.sampled_from(["BIB", "SIB"]), label="polarity")
    percent = draw(st.booleans(), label="percent")
    decimals = draw(st.integers(0, 3), label="decimals")
    fine = decimals + 2  # thresholds and outturns two digits finer than shown
    step = Decimal(1).scaleb(-decimals)

    def units(low: int, high: int, label: str) -> Decimal:
        """A figure in the displayed unit, often between two displayed values."""
        return Decimal(draw(st.integers(low * 10**fine, high * 10**fine), label=label)).scaleb(
            -fine
        )

    top = 100 if percent else 500
    ind: dict[str, Any] = {
        "Ref": "K1",
        "Title": "Generated",
        "Polarity": polarity,
        "Unit": "%" if percent else "number",
        "Decimals": decimals,
        "Measure": "percentage" if percent else "value",
        "RAG rule": rule,
    }
    sheets: dict[str, Any] = {}
    # The target in force: the Target column, a milestone, or the straight line to the plan target
    # (for bands it is not what the colour is judged against, as FD 3's is not).
    target = units(10, top - 10, "target")
    source = draw(st.sampled_from(["target", "milestone", "trajectory"]), label="source")
    if source == "target":
        ind["Target"] = _fraction(target, percent)
    elif source == "milestone":
        sheets["Targets"] = [
            ["Ref", "Period", "Target"],
            ["K1", REPORTING, _fraction(target, percent)],
        ]
    else:
        ind["Baseline"] = _fraction(units(10, top - 10, "baseline"), percent)
        ind["Baseline period"] = "2023-10"
        ind["Plan target"] = _fraction(target, percent)
        sheets["Settings"] = settings_rows(REPORTING, plan_target_period="2025-03")
    if rule == "bands":
        green = units(20, top - 20, "green")
        gap = step * draw(st.integers(2, 8), label="amber steps")
        amber = green - gap if polarity == "BIB" else green + gap
        if draw(st.booleans(), label="written methodology"):
            ind["RAG methodology"] = describe(
                polarity, _fraction(green, percent), _fraction(amber, percent), decimals, percent
            )
        else:
            ind["Green threshold"] = _fraction(green, percent)
            ind["Amber threshold"] = _fraction(amber, percent)
        near = green
    else:
        tolerance = draw(st.sampled_from([None, 0.05, "absolute"]), label="tolerance")
        if tolerance == "absolute":
            ind["Tolerance"] = f"{draw(st.integers(1, 5))} {'pts' if percent else 'cases'}"
        else:
            ind["Tolerance"] = tolerance
        near = target
    # The outturn: near the value that turns Green, a few displayed steps either side of it.
    offset = Decimal(draw(st.integers(-400, 400), label="offset")).scaleb(-fine)
    outturn = min(max(near + offset, Decimal(0)), Decimal(top))
    return workbook(
        REPORTING, [ind], [("K1", REPORTING, None, None, _fraction(outturn, percent))], **sheets
    ), source


@given(rated_workbooks())
def test_a_generated_indicator_is_green_exactly_when_it_meets_green_from(case):
    book, source = case
    report, model = run_pipeline(book, None, REFRESHED)
    assert report.errors == [], [i.message for i in report.errors]
    r = report.indicator("K1")
    assert_colour_agrees_with_green_from(r, model)
    # A bands indicator's target in force is shown apart, named, when it is not Green from.
    (row,) = table_rows(sheet(model, DASHBOARD), "K1")
    percent = r.unit == "%"
    assert r.current_target is not None
    if r.rag_rule == "bands" and displayed(r.current_target, r.decimals, percent) != displayed(
        r.green_from, r.decimals, percent
    ):
        name = "Target" if source == "target" else "Milestone for Jun-24"
        assert row["Notes"].startswith(
            f"{name}: {format_number(r.current_target, r.decimals, percent)}, "
        )
    else:
        assert row["Notes"] is None


# --- Nothing hidden: indicators left out for errors -----------------------------------------------


def _left_out_book() -> dict[str, list[list[Any]]]:
    good = {"Ref": "K1", "Title": "Kept", "Polarity": "BIB", "Unit": "number", "Target": 10}
    # 85 in a percentage's Target: a percentage typed without "%", an error in the row.
    bad = {"Ref": "K2", "Title": "Left out", "Polarity": "BIB", "Unit": "%", "Target": 85}
    worse = {"Ref": "K3", "Title": "Also left out", "Polarity": "SIB", "Unit": "%", "Target": 40}
    points = [("K1", REPORTING, None, None, 12), ("K2", REPORTING, 8, 10), ("K3", REPORTING, 1, 4)]
    return workbook(REPORTING, [good, bad, worse], points)


def _summary_counts(values: list[list[Any]]) -> dict[str, Any]:
    """The Summary's counts: status under the Measure column, the count beside it."""
    at = SUMMARY_HEADERS.index("Measure")
    return {row[at]: row[at + 1] for row in values[4:] if row[0] == ROW and row[at] and not row[2]}


def test_indicators_left_out_are_named_on_the_summary_and_counted():
    book = _left_out_book()
    report, model = run_pipeline(book, None, REFRESHED)
    assert report.left_out == ["K2", "K3"] and report_json(report)["left_out"] == ["K2", "K3"]
    assert [r.ref for r in report.indicators] == ["K1"]
    counts = _summary_counts(sheet(model, SUMMARY).blocks[0].values)
    assert counts["2 indicators left out: K2, K3 (see the Validation sheet)"] == 2
    assert counts["Total measures"] == 3 == sum(report.summary.values()) + 2
    # One alone is one indicator.
    book["Indicators"] = book["Indicators"][:3]
    report, model = run_pipeline(book, None, REFRESHED)
    counts = _summary_counts(sheet(model, SUMMARY).blocks[0].values)
    assert report.left_out == ["K2"]
    assert counts["1 indicator left out: K2 (see the Validation sheet)"] == 1
    assert counts["Total measures"] == 2


def test_a_workbook_with_an_indicator_left_out_fills_says_so_and_exits_1(tmp_path):
    src, out, js = tmp_path / "in.xlsx", tmp_path / "out.xlsx", tmp_path / "results.json"
    save_grids(src, _left_out_book())
    result = CliRunner().invoke(main, ["fill", str(src), "-o", str(out), "--json", str(js)])
    assert result.exit_code == 1, result.output
    ws = openpyxl.load_workbook(out)[SUMMARY]
    at = SUMMARY_HEADERS.index("Measure") + 1
    texts = {ws.cell(r, at).value: ws.cell(r, at + 1).value for r in range(5, 15)}
    assert texts["2 indicators left out: K2, K3 (see the Validation sheet)"] == 2
    assert texts["Total measures"] == 3
    assert json.loads(js.read_text("utf-8"))["left_out"] == ["K2", "K3"]
    assert "Left out for errors: K2, K3" in result.output  # the command line says it too


# --- Numerators and denominators: percentages and fractions where a count goes ------------------

SUPERVISION = {
    "Ref": "W 4",
    "Title": "Social workers supervised within timescale",
    "Polarity": "BIB",
    "Unit": "%",
    "Measure": "percentage",
    "RAG rule": "bands",
    "Green threshold": 0.9,
    "Amber threshold": 0.8,
}
CASELOAD = {
    "Ref": "W 1",
    "Title": "Average caseload",
    "Polarity": "SIB",
    "Unit": "number",
    "Decimals": 1,
    "Measure": "average",
    "Aggregation": "snapshot",
    "RAG rule": "tolerance",
    "Target": 18,
}


def _supervision(numerator: Any, denominator: Any = 200, months: int = 6) -> Report:
    """W 4 with whole counts for the months before, and the figures given for the last."""
    points = [("W 4", f"2024-{m:02d}", 170, 200) for m in range(1, months)]
    points.append(("W 4", f"2024-{months:02d}", numerator, denominator))
    return run_pipeline(workbook(f"2024-{months:02d}", [SUPERVISION], points), None, REFRESHED)[0]


def _count_issues(report: Report) -> list[Any]:
    return [i for i in report.issues if i.code in (Code.PERCENT_IN_COUNT, Code.COUNT_NOT_WHOLE)]


@pytest.mark.parametrize("typed", ["83%", 0.83])
def test_a_percentage_typed_into_a_numerator_is_warned_at_its_cell(typed):
    report = _supervision(typed)
    (issue,) = _count_issues(report)
    assert (issue.severity, issue.code, issue.sheet, issue.cell, issue.ref) == (
        Severity.WARNING,
        Code.PERCENT_IN_COUNT,
        "Data",
        "C7",
        "W 4",
    )
    assert issue.message == (
        "W 4 Jun-24: Numerator 0.83 looks like a percentage (83%) typed where a count goes, "
        "so the outturn comes out as 0%. Type the number of cases (83% of 200 is 166), "
        "or clear Numerator and Denominator and type 83% in Value."
    )
    # A warning: the figures are used as typed.
    w4 = report.indicator("W 4")
    assert w4.outturn == pytest.approx(0.83 / 200) and w4.rag == "Red"


def test_31_5_fte_for_an_average_is_not_warned():
    points = [("W 1", "2024-06", 567, 31.5), ("W 1", "2024-05", 560.0, 30.5)]
    report = run_pipeline(workbook("2024-06", [CASELOAD], points), None, REFRESHED)[0]
    assert report.issues == [] and report.indicator("W 1").outturn == 18.0


def test_a_count_that_is_not_whole_is_warned_where_the_indicators_others_are_whole():
    (issue,) = _count_issues(_supervision(166.5))
    assert (issue.code, issue.cell) == (Code.COUNT_NOT_WHOLE, "C7")
    assert issue.message.startswith("W 4 Jun-24: Numerator 166.5 is not a whole number")
    assert "Type the number of cases, a whole number." in issue.message
    (issue,) = _count_issues(_supervision(166, 200.5))
    assert (issue.code, issue.cell) == (Code.COUNT_NOT_WHOLE, "D7")
    assert _count_issues(_supervision(166)) == []


def test_a_percentage_of_fte_is_not_warned():
    """A vacancy rate divides FTE by FTE (the demo's W 2: 25.3 vacant of 112): most of its rows
    are fractions, so none is taken for a slip."""
    vacancy = dict(SUPERVISION, Ref="W 2", Polarity="SIB", **{"Green threshold": 0.18})
    vacancy.pop("Amber threshold")
    vacant = [30.5, 31.5, 29.0, 27.5, 26.0, 25.3]
    points = [("W 2", f"2024-{m:02d}", v, 112.0) for m, v in enumerate(vacant, start=1)]
    report = run_pipeline(workbook("2024-06", [vacancy], points), None, REFRESHED)[0]
    assert _count_issues(report) == []


def test_a_rate_per_10000_counts_children_in_whole_numbers():
    rate = {
        "Ref": "LAC 1",
        "Title": "Children looked after per 10,000",
        "Polarity": "SIB",
        "Unit": "rate per 10,000",
        "Measure": "rate per 10,000",
        "Target": 80,
    }
    report = run_pipeline(
        workbook("2024-06", [rate], [("LAC 1", "2024-06", 412.5, 49_800)]), None, REFRESHED
    )[0]
    (issue,) = _count_issues(report)
    assert (issue.code, issue.cell) == (Code.COUNT_NOT_WHOLE, "C2")
    assert "Type the number of children, a whole number." in issue.message


def test_the_demo_has_no_count_warnings(demo):
    assert _count_issues(demo[0]) == []


def test_a_stale_outturn_names_the_milestone_for_its_own_month():
    """W 4's September returns are not in: its outturn is August's, judged against August's
    milestone, and the note names that month."""
    ind = dict(SUPERVISION, Baseline=0.7, **{"Baseline period": "2024-01", "Plan target": 0.9})
    points = [("W 4", f"2024-{m:02d}", 150 + m, 200) for m in range(1, 9)]
    book = workbook(
        "2024-09", [ind], points, Settings=settings_rows("2024-09", plan_target_period="2025-01")
    )
    report, model = run_pipeline(book, None, dt.datetime(2024, 10, 1))
    r = report.indicator("W 4")
    # The straight line from 70% in Jan-24 to 90% in Jan-25, 7 months of 12 along: 81.7%.
    assert r.stale and label(r.period) == "Aug-24" and r.current_target == pytest.approx(0.8166667)
    assert r.outturn == 0.79 and (r.green_from, r.rag) == (0.9, "Red")
    (row,) = table_rows(sheet(model, DASHBOARD), "W 4")
    assert row["Notes"] == "latest is Aug-24; Milestone for Aug-24: 82%, not met"


def test_every_rated_team_is_green_exactly_when_it_meets_the_figure_the_teams_sheet_shows(demo):
    report, model = demo
    teams_sheet = sheet(model, "Teams")
    checked = 0
    for r in report.indicators:
        rows = {row["Team"]: row for row in table_rows(teams_sheet, r.ref)}
        for t in r.teams:
            if t.rag is None:
                continue
            assert t.green_from is not None, (r.ref, t.team)
            assert rows[t.team]["Green from"] == t.green_from, (r.ref, t.team)
            percent = r.unit == "%"
            shown = displayed(t.outturn, r.decimals, percent)
            green = displayed(t.green_from, r.decimals, percent)
            meets = shown >= green if r.green_direction == "BIB" else shown <= green
            assert (t.rag == "Green") == meets, (r.ref, t.team, t.outturn, t.green_from, t.rag)
            checked += 1
        if r.teams and r.rag is not None:
            assert rows["Whole authority"]["Green from"] == r.green_from, r.ref
    assert checked >= 10  # 15 rated team figures in the demo


def test_the_validation_sheet_gives_every_reason_in_words(demo):
    from kpi_engine.issues import REASON_WORDS, Code

    assert set(REASON_WORDS) == set(Code)  # a new code cannot reach the sheet as a code
    assert len(set(REASON_WORDS.values())) == len(Code)
    report, model = demo
    rows = [r for r in sheet(model, "Validation").blocks[0].values if r[0] == ROW]
    assert [r[5] for r in rows] == [REASON_WORDS[i.code] for i in report.issues]
    assert "No commentary" in [r[5] for r in rows]
    assert all("_" not in r[5] for r in rows)


def test_a_small_average_says_how_many_it_averages_over(demo):
    report, model = demo
    averages = [r for r in report.indicators if r.small_denominator and r.measure == "average"]
    assert averages  # AD 7: days to placement, averaged over 3 children
    for r in averages:
        (row,) = table_rows(sheet(model, DASHBOARD), r.ref)
        assert f"small number: an average over {r.denominator:g}" in row["Notes"]
        assert " of " not in row["Notes"].split("small number:")[1].split(";")[0]


# --- The Summary a board reads: numbered items, the rating before, the counts behind a figure -----


def test_summary_numbers_its_items_and_shows_previous_rag_and_counts(demo):
    report, model = demo
    values = sheet(model, SUMMARY).blocks[0].values
    exceptions = [ref for ref in report.exceptions]
    numbered = [
        (row[SUMMARY_HEADERS.index("No.")], row[SUMMARY_HEADERS.index("Ref")])
        for row in values
        if row[0] == ROW and row[SUMMARY_HEADERS.index("Ref")] in exceptions
    ]
    assert numbered == list(enumerate(exceptions, start=1))
    # AMT 2: 208 of the 241 assessments in time (86.3%), Amber now and Amber last month.
    (amt2,) = table_rows(sheet(model, SUMMARY), "AMT 2")
    assert amt2["Count"] == "208 of 241" and round(208 / 241, 3) == round(
        amt2["Current position"], 3
    )
    assert (amt2["RAG"], amt2["Previous RAG"]) == ("Amber", report.indicator("AMT 2").previous_rag)
    # W 1, average caseload: cases over social workers' FTE, not a share.
    (w1,) = table_rows(sheet(model, DASHBOARD), "W 1")
    assert w1["Count"] == "1,521 over 84" and round(1521 / 84, 1) == round(w1["Current outturn"], 1)
