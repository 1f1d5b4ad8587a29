"""Team lifecycle: the whole authority's total is over the teams that existed each month.

A team with no row before its first row did not exist then; a team that stops sending rows may
have closed or be late, so the optional Team list sheet (Team, From, To) says when a team starts
and ends. Checked on small hand-worked workbooks, and on DfE's table C1 loaded with the
authorities as teams (tests/data/README.md): Northamptonshire (to March 2021) and Cumbria (to
March 2023) were replaced by two new authorities each.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Any

import pytest
from builders import REFRESHED, months, workbook

from kpi_engine.issues import Code, Issue
from kpi_engine.periods import month
from kpi_engine.pipeline import run as run_pipeline
from kpi_engine.results import IndicatorResult, Report
from kpi_engine.rounding import round_half_away
from kpi_engine.workbook_names import TEAMS

C1_FILE = Path(__file__).resolve().parent / "data" / "dfe_c1_referrals_by_la_2021_2025.csv"
TEAM_LIST_HEADER = ["Team", "From", "To"]


def pct(ref: str = "K1", **fields: Any) -> dict[str, Any]:
    row = {"Ref": ref, "Title": f"Indicator {ref}", "Polarity": "BIB", "Unit": "%"}
    row |= {"Measure": "percentage", "Decimals": 1, **fields}
    return row


def team_list(*rows: tuple[Any, Any, Any]) -> list[list[Any]]:
    return [list(TEAM_LIST_HEADER), *[list(r) for r in rows]]


def fill(book: dict[str, list[list[Any]]]) -> tuple[Report, Any]:
    return run_pipeline(book, refreshed=REFRESHED)


def report(book: dict[str, list[list[Any]]]) -> Report:
    r = fill(book)[0]
    assert r.errors == [], [i.message for i in r.errors]
    return r


def by_code(r: Report, code: Code) -> list[Issue]:
    return [i for i in r.issues if i.code is code]


def _key(period: int) -> str:
    return f"{period // 12}-{period % 12 + 1:02d}"


def series(r: IndicatorResult) -> dict[str, float | None]:
    """The authority's figures as the dashboard shows them, by YYYY-MM."""
    return {_key(p.period): p.value for p in r.series}


def reasons(r: IndicatorResult) -> dict[str, str | None]:
    return {_key(p.period): p.missing_reason for p in r.series}


def teams_sheet_rows(book: dict[str, list[list[Any]]]) -> list[list[Any]]:
    model = fill(book)[1]
    sheet = next(s for s in model.sheets if s.name == TEAMS)
    return [row for block in sheet.blocks for row in block.values]


# Six months of three teams' counts (numerator, denominator), January to June 2024.
A = [(45, 50), (40, 50), (42, 48), (44, 50), (38, 40), (45, 50)]
B = [(30, 40), (33, 40), (28, 40), (30, 41), (32, 40), (36, 40)]
C = [(5, 10), (6, 10), (7, 12), (8, 10), (9, 10), (7, 11)]
FIRST = ["2024-01", "2024-02", "2024-03", "2024-04", "2024-05", "2024-06"]


def total(*teams: list[tuple[int, int]], i: int) -> float:
    """The hand-worked authority figure: summed numerators over summed denominators."""
    return sum(t[i][0] for t in teams) / sum(t[i][1] for t in teams)


def data(c_from: int = 0, c_to: int = 6) -> list[tuple]:
    """A and B all six months; C from month ``c_from`` to before ``c_to`` (0-based)."""
    return [
        *months("2024-01", A, kind="ratio", team="A"),
        *months("2024-01", B, kind="ratio", team="B"),
        *months(FIRST[c_from], C[c_from:c_to], kind="ratio", team="C"),
    ]


# --- A new team ---------------------------------------------------------------------------------


def test_a_new_team_mid_year_counts_from_its_first_row():
    """Seed 003's sixth team from November: before its first row it did not exist, so those
    months are the other teams' total, not missing."""
    book = workbook("2024-06", [pct()], data(c_from=3))
    r = report(book).indicator("K1")
    got = series(r)
    for i, m in enumerate(FIRST):
        expected = total(A, B, i=i) if i < 3 else total(A, B, C, i=i)
        assert got[m] == pytest.approx(expected), m
    assert r.numerator == 45 + 36 + 7 and r.denominator == 50 + 40 + 11
    assert r.teams_note is not None and "C from Apr-24" in r.teams_note
    assert by_code(report(book), Code.TEAM_STOPPED) == []
    authority = next(row for row in teams_sheet_rows(book) if "Whole authority" in row)
    assert "C from Apr-24" in authority[-1]  # the Teams sheet's Notes


def test_the_same_teams_throughout_give_no_note():
    r = report(workbook("2024-06", [pct()], data())).indicator("K1")
    assert r.teams_note is None
    assert series(r)["2024-01"] == pytest.approx(total(A, B, C, i=0))


def test_a_new_team_is_judged_on_the_whole_data_sheet_not_one_indicator():
    """C sends K2 from January, so a missing K1 row in January is missing data, not a team that
    did not exist yet."""
    points = [*data(c_from=3), ("K2", "2024-01", 1, 2, None, "C")]
    r = report(workbook("2024-06", [pct(), pct("K2")], points)).indicator("K1")
    assert series(r)["2024-01"] is None
    assert reasons(r)["2024-01"] == "No data (C)"
    assert series(r)["2024-04"] == pytest.approx(total(A, B, C, i=3))


# --- A team that closed --------------------------------------------------------------------------


def test_a_team_with_a_to_leaves_the_total_after_its_last_month():
    book = workbook(
        "2024-06", [pct()], data(c_to=3), **{"Team list": team_list(("C", None, "Mar-24"))}
    )
    r = report(book).indicator("K1")
    got = series(r)
    for i, m in enumerate(FIRST):
        expected = total(A, B, C, i=i) if i < 3 else total(A, B, i=i)
        assert got[m] == pytest.approx(expected), m
    assert [t.team for t in r.teams] == ["A", "B"]  # C no longer exists in June
    assert r.teams_note is not None and "C until Mar-24" in r.teams_note
    assert by_code(report(book), Code.TEAM_STOPPED) == []


def test_a_team_missing_from_the_latest_month_without_a_to_is_missing_data():
    book = workbook("2024-06", [pct()], data(c_to=3))
    r = report(book)
    k1 = r.indicator("K1")
    assert [(p.value, p.missing_reason) for p in k1.series[-3:]] == [(None, "No data (C)")] * 3
    assert (k1.period, k1.stale) == (month(2024, 3), True)
    assert k1.outturn == pytest.approx(total(A, B, C, i=2))  # March, the latest complete month
    (warning,) = by_code(r, Code.TEAM_STOPPED)
    # On the Data sheet, at C's last row (header, 6 rows of A, 6 of B, then C's three).
    assert (warning.sheet, warning.cell, warning.severity.value) == ("Data", "F16", "warning")
    assert "C has no rows for Jun-24" in warning.message and "Mar-24" in warning.message
    assert "Jun-24 total of K1 is missing" in warning.message
    assert "Team list" in warning.message and "give it a To" in warning.message


def test_listed_without_a_to_the_warning_points_at_its_to_cell():
    book = workbook(
        "2024-06",
        [pct()],
        data(c_to=3),
        **{"Team list": team_list(("A", None, None), ("C", "Jan-24", None))},
    )
    r = fill(book)[0]
    (warning,) = by_code(r, Code.TEAM_STOPPED)
    assert (warning.sheet, warning.cell) == ("Team list", "C3")
    assert "on the Team list sheet" in warning.message
    assert series(r.indicator("K1"))["2024-06"] is None


def test_every_missing_team_is_named():
    points = [*data(c_to=5), ("K1", "2024-06", "c", "c", None, "B")]
    points = [p for p in points if not (p[5] == "B" and p[1] == "2024-06" and p[2] != "c")]
    reason = report(workbook("2024-06", [pct()], points)).indicator("K1").series[-1].missing_reason
    assert reason == "Suppressed (c) (B; also missing: C)"


# --- The Team list sheet -------------------------------------------------------------------------


def test_without_a_team_list_or_with_an_empty_one_the_fill_is_the_same():
    base = workbook("2024-06", [pct()], data())
    plain = fill(base)[0]
    for sheet in (team_list(), [], [[None, None]]):
        other = fill({**base, "Team list": sheet})[0]
        assert other.indicators == plain.indicators
        assert other.issues == plain.issues


def test_team_list_names_are_matched_ignoring_case_and_spaces():
    book = workbook(
        "2024-06", [pct()], data(c_to=3), **{"Team list": team_list((" c ", None, "2024-03"))}
    )
    r = report(book)
    assert by_code(r, Code.UNKNOWN_TEAM) == [] and by_code(r, Code.TEAM_STOPPED) == []
    assert series(r.indicator("K1"))["2024-06"] == pytest.approx(total(A, B, i=5))


def test_team_list_validation_names_sheet_and_cell():
    book = workbook(
        "2024-06",
        [pct()],
        data(),
        **{
            "Team list": team_list(
                ("A", "Marhc-24", None),  # row 2: not a month
                ("B", "Jun-24", "Jan-24"),  # row 3: To before From
                ("Cc", None, "Mar-24"),  # row 4: not a team on the Data sheet
                ("A", None, "Feb-24"),  # row 5: A again
            )
        },
    )
    r = fill(book)[0]
    found = {(i.code, i.cell): i for i in r.issues if i.sheet == "Team list"}
    assert set(found) == {
        (Code.NOT_A_MONTH, "B2"),
        (Code.TO_BEFORE_FROM, "C3"),
        (Code.UNKNOWN_TEAM, "A4"),
        (Code.DUPLICATE_ROW, "A5"),
    }
    assert found[(Code.NOT_A_MONTH, "B2")].severity.value == "error"
    assert "From 'Marhc-24' is not a month" in found[(Code.NOT_A_MONTH, "B2")].message
    to_before = found[(Code.TO_BEFORE_FROM, "C3")]
    assert to_before.severity.value == "error"
    assert "B's To, Jan-24, is before its From, Jun-24" in to_before.message
    unknown = found[(Code.UNKNOWN_TEAM, "A4")]
    assert unknown.severity.value == "warning"
    assert "'Cc' has no rows on the Data sheet" in unknown.message and "'C'" in unknown.message
    twice = found[(Code.DUPLICATE_ROW, "A5")]
    assert twice.severity.value == "warning" and "already on row 2" in twice.message
    # The bad and ignored rows change nothing: every month is the three teams' total.
    got = series(r.indicator("K1"))
    assert [got[m] for m in FIRST] == pytest.approx([total(A, B, C, i=i) for i in range(6)])


def test_rows_outside_a_teams_dates_are_left_out_of_the_total_with_a_warning():
    book = workbook(
        "2024-06", [pct()], data(), **{"Team list": team_list(("C", "Feb-24", "Apr-24"))}
    )
    r = report(book)
    got = series(r.indicator("K1"))
    for i, m in enumerate(FIRST):
        expected = total(A, B, C, i=i) if 1 <= i <= 3 else total(A, B, i=i)
        assert got[m] == pytest.approx(expected), m
    before, after = sorted(by_code(r, Code.OUTSIDE_TEAM_DATES), key=lambda i: i.cell or "")
    assert (before.sheet, before.cell, after.cell) == ("Team list", "B2", "C2")
    assert "a row for C before its From, Feb-24 (row 14, Jan-24): it is" in before.message
    assert "2 rows for C after its To, Apr-24 (the first: row 18, May-24)" in after.message
    assert "left out of the whole authority's total" in after.message


# --- DfE's table C1, the authorities as teams -------------------------------------------------


def c1_rows() -> list[dict[str, str]]:
    with C1_FILE.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def c1_book(reporting_year: int, with_team_list: bool = True) -> dict[str, list[list[Any]]]:
    """The C1 rows up to the reporting year as Data rows, Team = authority, each year as its
    March (the census year ends on 31 March); the counts as published, symbols included."""
    points = [
        ("C1", f"{row['year']}-03", row["rereferrals"], row["referrals"], None, row["la_name"])
        for row in c1_rows()
        if int(row["year"]) <= reporting_year
    ]
    points = [tuple(_number(v) for v in p) for p in points]
    indicator = pct("C1", Title="Re-referrals within 12 months", Polarity="SIB", Frequency="annual")
    sheets: dict[str, list[list[Any]]] = {}
    if with_team_list:
        sheets["Team list"] = team_list(
            ("Cumbria", None, "Mar-23"), ("Northamptonshire", None, "Mar-21")
        )
    return workbook(f"{reporting_year}-03", [indicator], points, **sheets)


def _number(value: Any) -> Any:
    return int(value) if isinstance(value, str) and value.isdigit() else value


def published(year: int) -> list[dict[str, str]]:
    return [row for row in c1_rows() if int(row["year"]) == year]


def suppressed(year: int) -> dict[str, str]:
    """Authority -> the symbol the Data row's numerator (re-referrals), else its denominator,
    carries, for the year's rows whose counts are not published."""
    out = {}
    for row in published(year):
        if not (row["rereferrals"].isdigit() and row["referrals"].isdigit()):
            out[row["la_name"]] = (
                row["rereferrals"] if not row["rereferrals"].isdigit() else row["referrals"]
            )
    return out


def test_c1_the_stops_and_starts_are_where_the_team_list_puts_them():
    """The data itself: Northamptonshire's last year is 2021 and its successors' first 2022;
    Cumbria's last is 2023 and its successors' first 2024."""
    names = {y: {row["la_name"] for row in published(y)} for y in range(2021, 2026)}
    assert names[2021] - names[2022] == {"Northamptonshire"}
    assert names[2022] - names[2021] == {"North Northamptonshire", "West Northamptonshire"}
    assert names[2023] - names[2024] == {"Cumbria"}
    assert names[2024] - names[2023] == {"Cumberland", "Westmorland and Furness"}


def test_c1_2025_total_is_the_publishing_authorities_counts_summed():
    rows = published(2025)
    assert suppressed(2025) == {}
    n = sum(int(row["rereferrals"]) for row in rows)
    d = sum(int(row["referrals"]) for row in rows)
    r = report(c1_book(2025))
    c1 = r.indicator("C1")
    assert (c1.numerator, c1.denominator) == (n, d)
    assert c1.outturn == pytest.approx(n / d, rel=1e-12)
    # DfE publishes England for 2025 as 142,900 of 632,830 (counts rounded to 10): 22.6%.
    assert round_half_away(c1.outturn * 100, 1) == 22.6
    assert {t.team for t in c1.teams} == {row["la_name"] for row in rows}
    assert by_code(r, Code.TEAM_STOPPED) == []


def test_c1_without_the_team_list_the_closed_authorities_hold_2025_back():
    r = fill(c1_book(2025, with_team_list=False))[0]
    c1 = r.indicator("C1")
    assert c1.series[-1].value is None
    assert c1.series[-1].missing_reason == "No data (Cumbria; also missing: Northamptonshire)"
    stopped = {i.message.split(" has no rows")[0]: i for i in by_code(r, Code.TEAM_STOPPED)}
    assert set(stopped) == {"Cumbria", "Northamptonshire"}
    assert all("Team list" in i.message and "To" in i.message for i in stopped.values())
    assert "Mar-23, its last month" in stopped["Cumbria"].message


@pytest.mark.parametrize("year", [2021, 2022, 2023, 2024])
def test_c1_a_year_with_a_suppressed_authority_has_no_total_and_names_each(year):
    hidden = suppressed(year)
    assert hidden  # every one of these years has one
    c1 = report(c1_book(year)).indicator("C1")
    point = c1.series[-1]
    assert point.value is None and c1.rag is None
    first = min(hidden)
    match = re.fullmatch(r".* \((\w+)\) \((.*)\)", point.missing_reason or "")
    assert match is not None, point.missing_reason
    assert match.group(1) == hidden[first]
    named = match.group(2).split("; also missing: ")
    assert named[0] == first
    assert set(named[0:1] + (named[1].split("; ") if len(named) > 1 else [])) == set(hidden)


def test_no_warning_for_a_team_whose_indicators_have_no_team_rows_in_the_latest_month():
    """D reports only a quarterly measure, last for March; nothing is summed for June without it."""
    points = [*data(), ("Q1", "2024-03", 3, 4, None, "D")]
    r = report(workbook("2024-06", [pct(), pct("Q1", Frequency="quarterly")], points))
    assert by_code(r, Code.TEAM_STOPPED) == []
