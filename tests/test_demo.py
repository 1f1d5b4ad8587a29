"""The demo workbook (workbook_templates/demo.py), run through the real engine.

The demo is the README's first-command example, so it must be clean (no errors) and show every
rule at work: every Measure, aggregation, polarity and RAG rule; Green, Amber and Red; "Not due"
and "Context"; a stale outturn, a lag, a small denominator, suppressed and unavailable figures;
teams; forecasts that will and will not meet the plan target; and one Red measure without
commentary. A few outturns are worked out here by hand from the grid, not from the engine.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from builders import evaluate, save_grids

from kpi_engine.periods import iso
from workbook_templates.demo import demo_sheets

REFRESHED = dt.datetime(2025, 10, 7, 9, 0)
SEP_25 = dt.datetime(2025, 9, 1)
SCHEMAS = Path(__file__).resolve().parents[1] / "schemas"
SECTIONS = {
    "Front Door",
    "Assessment",
    "Child Protection",
    "Children in Need",
    "Looked After Children",
    "Care Leavers",
    "Workforce",
    "Quality Assurance",
}


@pytest.fixture(scope="module")
def sheets():
    return demo_sheets()


@pytest.fixture(scope="module")
def report(sheets):
    return evaluate(sheets, refreshed=REFRESHED)


def records(sheets, name):
    header, *rows = sheets[name]
    return [dict(zip(header, row, strict=True)) for row in rows]


def data_rows(sheets, ref, period=SEP_25):
    return [r for r in records(sheets, "Data") if r["Ref"] == ref and r["Period"] == period]


def shown_percent(numerator, denominator, decimals=0):
    """The percentage as Excel shows it: half away from zero, worked out in decimals, not floats."""
    exact = Decimal(numerator) * 100 / Decimal(denominator)
    return exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


# --- The workbook itself --------------------------------------------------------------------------


def test_headers_are_the_schemas_property_names(sheets):
    for name in ("Indicators", "Data", "Targets", "Benchmarks", "Commentary"):
        schema = json.loads((SCHEMAS / f"{name.lower()}.schema.json").read_text())
        header = sheets[name][0]
        assert set(header) <= set(schema["properties"]), name
        assert set(schema["required"]) <= set(header), name
    settings = json.loads((SCHEMAS / "settings.schema.json").read_text())
    assert sheets["Settings"][0] == ["Setting", "Value"]
    assert {row[0] for row in sheets["Settings"][1:]} <= set(settings["properties"])


def test_settings_as_the_brief_gives_them(sheets):
    s = dict(sheets["Settings"][1:])
    assert s["Organisation"] == "Northbrook Borough Council"
    assert s["Reporting period"] == SEP_25 and s["Data as at"] == dt.datetime(2025, 10, 7)
    assert s["Year start month"] == "April" and s["Plan target label"] == "Mar-26 Target"
    assert (
        s["Plan target period"] == dt.datetime(2026, 3, 1)
        and s["Baseline label"] == "Ofsted baseline"
    )
    assert (s["Default amber tolerance"], s["Months shown"], s["Forecast points"]) == (0.1, 12, 6)


def test_deterministic_and_24_months_ending_september_2025(sheets):
    assert demo_sheets() == sheets
    periods = {r["Period"] for r in records(sheets, "Data")}
    assert all(isinstance(p, dt.datetime) and p.day == 1 for p in periods)
    assert (
        min(periods) == dt.datetime(2023, 10, 1) and max(periods) == SEP_25 and len(periods) == 24
    )


def test_indicator_rows_use_the_seeds_features(sheets):
    ind = records(sheets, "Indicators")
    assert len(ind) >= 32 and len({r["Ref"] for r in ind}) == len(ind)
    assert all(r["Section"] for r in ind)
    assert all(re.fullmatch(r"[A-Z]{2,3}", r["Owner"]) for r in ind)
    bands = [r for r in ind if r["RAG rule"] == "bands"]
    assert any(r["Green threshold"] is not None for r in bands)
    assert any(
        r["Green threshold"] is None and r["RAG methodology"] for r in bands
    )  # read from the words
    tolerances = [r["Tolerance"] for r in ind if r["RAG rule"] == "tolerance"]
    assert None in tolerances and 0.1 in tolerances and "5 pts" in tolerances
    assert {r["Frequency"] for r in ind} == {"monthly", "quarterly", "annual"}
    assert (
        sum(r["Frequency"] == "quarterly" for r in ind) == 2
        and sum(r["Frequency"] == "annual" for r in ind) == 2
    )
    assert all(r["Due month"] for r in ind if r["Frequency"] == "annual")
    assert [r["Ref"] for r in ind if r["Lag"]] == ["LAC 9"]
    assert any(r["Decimals"] == 1 for r in ind)
    planned = [r for r in ind if r["Plan target"] is not None]
    assert 6 <= len(planned) <= 10
    assert all(
        r["Baseline"] is not None and r["Baseline period"] == dt.datetime(2024, 10, 1)
        for r in planned
    )


# --- What the engine makes of it ------------------------------------------------------------------


def test_no_errors(report):
    assert [i for i in report.issues if i.severity.value == "error"] == []


def test_every_measure_aggregation_polarity_and_rule(report):
    inds = report.indicators
    assert len(inds) >= 32
    assert SECTIONS <= {r.section for r in inds}
    assert {"percentage", "value", "rate per 10,000", "average"} <= {r.measure for r in inds}
    assert {"flow", "snapshot"} <= {r.aggregation for r in inds}
    assert {"BIB", "SIB"} <= {r.polarity for r in inds}
    assert None in {r.polarity for r in inds}
    assert {"bands", "tolerance"} <= {r.rag_rule for r in inds}


def test_summary_shows_every_status(report):
    s = report.summary
    assert s["Green"] > 0 and s["Amber"] > 0 and s["Red"] > 0
    assert s["Not due"] >= 1 and s["Context"] >= 1
    assert sum(s.values()) == len(report.indicators)
    assert report.indicator("CL 1a").rag_reason == "Not due"  # annual, due December
    assert {"FD 1", "MC 1"} <= {r.ref for r in report.indicators if r.rag_reason == "Context"}
    assert report.indicator("LAC 20").rag is not None  # annual, due June: this year's figure is in


def test_stale_lagged_and_small_figures(report):
    assert any(r.stale for r in report.indicators)
    w4 = report.indicator("W 4")  # September's supervision returns are not in
    assert w4.stale and iso(w4.period) == "2025-08" and w4.rag is not None
    lac9 = report.indicator("LAC 9")  # lag 1: August is this month's figure, not a stale one
    assert iso(lac9.period) == "2025-08" and not lac9.stale
    assert any(r.small_denominator for r in report.indicators)
    le2 = report.indicator("LE 2")
    assert le2.small_denominator and (le2.numerator, le2.denominator) == (2, 3)


def test_gaps_carry_their_reasons(report):
    def reason(ref, period):
        return next(
            p.missing_reason for p in report.indicator(ref).series if iso(p.period) == period
        )

    # A team's suppressed count leaves the authority's figure missing, with the reason and the team.
    cp5 = reason("CP 5", "2025-06")
    assert "(c)" in cp5 and "South" in cp5
    assert "(x)" in reason("MC 1", "2025-03")
    assert reason("LAC 11", "2025-02") == "No data"  # no row at all that month


def test_teams(report, sheets):
    assert any(len(r.teams) == 3 for r in report.indicators)
    assert sum(1 for r in report.indicators if r.teams) >= 5
    caseload = {t.team: t for t in report.indicator("W 1").teams}
    assert {team: t.target for team, t in caseload.items()} == {
        "North": 25,
        "Central": 17,
        "South": 20,
    }
    assert {team: t.rag for team, t in caseload.items()} == {
        "North": "Green",
        "Central": "Amber",
        "South": "Green",
    }


def test_authority_row_wins_over_the_sum_of_its_areas(report, sheets):
    rows = data_rows(sheets, "AMT 2")
    own = next(r for r in rows if r["Team"] is None)
    areas = [r for r in rows if r["Team"] is not None]
    assert {r["Team"] for r in areas} == {"North", "Central", "South"}
    area_n = sum(r["Numerator"] for r in areas)
    area_d = sum(r["Denominator"] for r in areas)
    assert own["Denominator"] > area_d  # the disabled children's team is in no area
    amt2 = report.indicator("AMT 2")
    assert amt2.outturn == pytest.approx(own["Numerator"] / own["Denominator"])
    assert amt2.outturn != pytest.approx(area_n / area_d)


def test_forecasts_against_the_plan_target(report):
    planned = [r for r in report.indicators if r.plan_target is not None]
    assert any(r.forecast_at_plan is not None for r in planned)
    verdicts = {r.will_meet_plan_target for r in planned}
    assert True in verdicts and False in verdicts


def test_exactly_one_red_or_amber_without_commentary(report):
    missing = [i for i in report.issues if i.code.value == "missing_commentary"]
    assert len(missing) == 1
    assert missing[0].ref == "MC 6" and report.indicator("MC 6").rag == "Red"


def test_benchmarks(report):
    fd8 = {b.comparator: b for b in report.indicator("FD 8").benchmarks}
    assert set(fd8) == {"West Midlands", "England"}  # the neighbours: kpi-dashboard benchmarks
    assert (fd8["England"].value, fd8["England"].year) == (0.226, "2024-25")  # the latest year wins
    assert fd8["England"].better is True and fd8["West Midlands"].better is False


def test_the_committed_demo_has_dfe_benchmarks():
    """The committed demo is demo_sheets() with kpi-dashboard benchmarks run on it (Walsall)."""
    from kpi_engine.evaluate import compute
    from kpi_engine.inputs import read_inputs
    from kpi_engine.xlsx.reader import read_workbook
    from workbook_templates.demo import DEMO_FILE, DFE_MEASURES

    report = compute(read_inputs(read_workbook(DEMO_FILE).grids))
    for ref in DFE_MEASURES:
        r = report.indicator(ref)
        names = {b.comparator for b in r.benchmarks}
        assert {"Statistical neighbours", "Statistical neighbours (median)", "England"} <= names
        assert next(b for b in r.benchmarks if b.comparator == "Statistical neighbours").n
    fd8 = report.indicator("FD 8")
    assert fd8.standing is not None and (fd8.standing.rank, fd8.standing.of) == (69, 153)
    assert fd8.standing.quartile == "B" and fd8.standing.year == "2024-25"


# --- Hand-worked figures --------------------------------------------------------------------------


def test_fd3_by_hand(sheets, report):
    """FD 3: the authority's own row; bands read from '90% or above Green 85%-89% Amber 84% and
    below Red'."""
    (row,) = data_rows(sheets, "FD 3")
    n, d = row["Numerator"], row["Denominator"]
    fd3 = report.indicator("FD 3")
    assert fd3.outturn == pytest.approx(n / d)
    shown = shown_percent(n, d)
    assert shown == 87
    assert 85 <= shown < 90 and fd3.rag == "Amber"


def test_cp13_by_hand(sheets, report):
    """CP 13: no authority row, so the areas' counts are summed (never their percentages
    averaged)."""
    rows = data_rows(sheets, "CP 13")
    assert sorted(r["Team"] for r in rows) == ["Central", "North", "South"]
    n = sum(r["Numerator"] for r in rows)
    d = sum(r["Denominator"] for r in rows)
    cp13 = report.indicator("CP 13")
    assert cp13.outturn == pytest.approx(n / d)
    assert (cp13.numerator, cp13.denominator) == (n, d)
    assert shown_percent(n, d) >= 95 and cp13.rag == "Green"  # Green threshold 95%


def test_caseload_by_hand(sheets, report):
    """W 1: cases over FTE summed across areas; target 18, Amber within '2 cases'."""
    rows = data_rows(sheets, "W 1")
    cases = sum(r["Numerator"] for r in rows)
    fte = sum(r["Denominator"] for r in rows)
    w1 = report.indicator("W 1")
    assert w1.outturn == pytest.approx(cases / fte)
    shown = (Decimal(cases) / Decimal(str(fte))).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    assert 18 < shown <= 20 and w1.rag == "Amber"


def test_same_results_through_an_xlsx_file(sheets, report, tmp_path):
    """Written to a real workbook and read back as the command line reads it, the demo gives the
    same results."""
    pytest.importorskip("openpyxl")
    from kpi_engine.xlsx.reader import read_sheets

    path = save_grids(tmp_path / "demo.xlsx", sheets)
    again = evaluate(read_sheets(str(path)), refreshed=REFRESHED)
    assert again.summary == report.summary

    def key(rep):
        return [(r.ref, r.outturn, r.rag) for r in rep.indicators]

    assert key(again) == key(report)
    assert [(i.code, i.ref) for i in again.issues] == [(i.code, i.ref) for i in report.issues]
