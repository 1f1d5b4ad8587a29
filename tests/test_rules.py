"""The rules the engine computes (PRODUCT.md), each checked against a hand-worked figure or
decision.

Months are written YYYY-MM; percentages are fractions; RAG is decided on the value as displayed.
Every workbook here must read without errors, so a typo in a test cannot pass as a rule.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from builders import months, run, settings_rows, workbook

from kpi_engine.issues import Code
from kpi_engine.periods import month
from kpi_engine.results import IndicatorResult, Report
from kpi_engine.rounding import displayed

_COLUMNS = {
    "rule": "RAG rule",
    "green": "Green threshold",
    "amber": "Amber threshold",
    "due": "Due month",
    "baseline_period": "Baseline period",
    "plan": "Plan target",
}


def ind(ref: str = "K1", **fields: Any) -> dict[str, Any]:
    """An Indicators row: ``ind(polarity="BIB", unit="%", green=0.9)``."""
    row: dict[str, Any] = {"Ref": ref, "Title": f"Indicator {ref}"}
    for key, value in fields.items():
        row[_COLUMNS.get(key, key.capitalize())] = value
    return row


def pct(ref: str = "K1", polarity: str | None = "BIB", **fields: Any) -> dict[str, Any]:
    return ind(ref, polarity=polarity, unit="%", measure="percentage", **fields)


def count(ref: str = "K1", polarity: str | None = "SIB", **fields: Any) -> dict[str, Any]:
    return ind(ref, polarity=polarity, unit="number", measure="value", **fields)


def report(book: dict[str, list[list[Any]]]) -> Report:
    r = run(book)
    assert r.errors == [], [i.message for i in r.errors]
    return r


def result(book: dict[str, list[list[Any]]], ref: str = "K1") -> IndicatorResult:
    return report(book).indicator(ref)


def single(
    indicator: dict[str, Any], value: Any, reporting: str = "2024-06", **sheets: Any
) -> IndicatorResult:
    """One indicator with one figure, for the reporting month."""
    return result(
        workbook(
            reporting, [indicator], [(indicator["Ref"], reporting, None, None, value)], **sheets
        )
    )


def M(text: str) -> int:
    y, m = map(int, text.split("-"))
    return month(y, m)


def targets(*rows: tuple) -> list[list[Any]]:
    return [["Ref", "Period", "Target", "Team"], *[list(r) + [None] * (4 - len(r)) for r in rows]]


# --- Band boundaries, decided at display precision ------------------------------------------------


def test_169_of_200_shows_85_percent_and_is_green_from_85():
    r = result(workbook("2024-06", [pct(green=0.85, amber=0.8)], [("K1", "2024-06", 169, 200)]))
    assert (
        Decimal(169 / 200) < Decimal("0.845") and round(169 / 200, 2) == 0.84
    )  # the binary float is below half ...
    assert r.outturn == 169 / 200 and r.rag == "Green"  # ... but Excel shows 85%


def test_84_49_percent_shows_84_and_is_amber_from_85():
    assert single(pct(green=0.85, amber=0.8), 0.8449).rag == "Amber"


def test_one_decimal_place_rounds_at_the_first_decimal():
    # 0.8449 is 84.49%, which shows as 84.5% at one decimal; 0.84449 shows as 84.4%.
    assert displayed(0.8449, 1, True) == Decimal("84.5") and displayed(0.84449, 1, True) == Decimal(
        "84.4"
    )
    assert single(pct(green=0.845, amber=0.8, decimals=1), 0.8449).rag == "Green"
    assert single(pct(green=0.845, amber=0.8, decimals=1), 0.84449).rag == "Amber"
    # 0.8495 shows as 85.0% (half away from zero, though 0.8495 * 100 is below 84.95 in binary)
    assert single(pct(green=0.85, amber=0.8, decimals=1), 0.8495).rag == "Green"
    assert single(pct(green=0.85, amber=0.8, decimals=1), 0.8494).rag == "Amber"


@pytest.mark.parametrize(
    "value, colour",
    [
        (0.90, "Green"),
        (0.895, "Green"),
        (0.8949, "Amber"),
        (0.89, "Amber"),
        (0.85, "Amber"),
        (0.845, "Amber"),
        (0.8449, "Red"),
        (0.84, "Red"),
    ],
)
def test_bands_bigger_is_better_at_and_one_step_past_each_threshold(value, colour):
    assert single(pct(green=0.9, amber=0.85), value).rag == colour


@pytest.mark.parametrize(
    "value, colour",
    [
        (0.22, "Green"),
        (0.2249, "Green"),
        (0.225, "Amber"),
        (0.23, "Amber"),
        (0.25, "Amber"),
        (0.2549, "Amber"),
        (0.255, "Red"),
        (0.26, "Red"),
    ],
)
def test_bands_smaller_is_better_at_and_one_step_past_each_threshold(value, colour):
    assert single(pct(polarity="SIB", green=0.22, amber=0.25), value).rag == colour


@pytest.mark.parametrize(
    "decimals, value, colour",
    [
        (0, 17.4, "Green"),
        (0, 17.5, "Amber"),
        (0, 20.49, "Amber"),
        (0, 20.5, "Red"),
        (1, 17.04, "Green"),
        (1, 17.05, "Amber"),
        (1, 20.04, "Amber"),
        (1, 20.05, "Red"),
    ],
)
def test_bands_on_a_number_round_at_its_decimals(decimals, value, colour):
    assert single(count(green=17, amber=20, decimals=decimals), value).rag == colour


# --- Tolerance rule -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, colour", [(0.90, "Green"), (0.81, "Amber"), (0.805, "Amber"), (0.80, "Red")]
)
def test_tolerance_defaults_to_10_percent_of_the_target(value, colour):
    # target 90%: within 10% of it is 81% or above
    assert single(pct(rule="tolerance", target=0.9), value).rag == colour


@pytest.mark.parametrize("value, colour", [(0.72, "Amber"), (0.71, "Red")])
def test_tolerance_default_comes_from_settings(value, colour):
    book_settings = settings_rows("2024-06", default_amber_tolerance=0.2)  # 90% less 18 pts = 72%
    assert single(pct(rule="tolerance", target=0.9), value, Settings=book_settings).rag == colour


@pytest.mark.parametrize("tolerance", [0.05, "5%"])
@pytest.mark.parametrize("value, colour", [(0.80, "Green"), (0.76, "Amber"), (0.75, "Red")])
def test_tolerance_column_as_a_fraction_of_the_target(tolerance, value, colour):
    # target 80%, within 5% of it: 76% or above
    assert single(pct(rule="tolerance", target=0.8, tolerance=tolerance), value).rag == colour


@pytest.mark.parametrize("value, colour", [(0.22, "Green"), (0.27, "Amber"), (0.28, "Red")])
def test_tolerance_in_points_on_a_percentage(value, colour):
    assert (
        single(pct(polarity="SIB", rule="tolerance", target=0.22, tolerance="5 pts"), value).rag
        == colour
    )


@pytest.mark.parametrize("value, colour", [(17, "Green"), (19, "Amber"), (20, "Red")])
def test_tolerance_in_the_unit_on_a_number(value, colour):
    assert single(count(rule="tolerance", target=17, tolerance="2 cases"), value).rag == colour


@pytest.mark.parametrize("value, colour", [(20, "Green"), (22, "Amber"), (23, "Red")])
def test_relative_tolerance_smaller_is_better_is_above_the_target(value, colour):
    assert single(count(rule="tolerance", target=20), value).rag == colour


# --- Flow aggregation over six months -------------------------------------------------------------


def test_flow_percentage_sums_counts_not_percentages():
    pairs = [
        (8, 10),
        (9, 10),
        (10, 20),
        (6, 10),
        (9, 10),
        (12, 20),
    ]  # 54 / 80; mean of % would be 0.7167
    r = result(workbook("2024-06", [pct()], months("2024-01", pairs, kind="ratio")))
    assert r.six_month_cumulative == pytest.approx(54 / 80)
    assert r.six_month_average == pytest.approx((54 / 6) / (80 / 6))
    assert (r.six_month_numerator, r.six_month_denominator) == (54, 80)


def test_rate_per_10000_uses_the_latest_population_not_a_summed_one():
    pairs = [(10, 50000), (20, 50000), (30, 50000), (40, 50000), (50, 50000), (60, 40000)]
    book = workbook(
        "2024-06",
        [ind(polarity="SIB", unit="rate per 10,000", measure="rate per 10,000")],
        months("2024-01", pairs, kind="ratio"),
    )
    r = result(book)
    assert r.outturn == pytest.approx(15.0)  # 60 / 40,000 x 10,000
    assert r.six_month_cumulative == pytest.approx(52.5)  # 210 / 40,000 x 10,000
    assert r.six_month_average == pytest.approx(8.75)  # 35 / 40,000 x 10,000


def test_value_flow_sums_for_cumulative_and_means_for_average():
    r = result(workbook("2024-06", [count()], months("2024-01", [5, 7, 9, 11, 13, 15])))
    assert (r.six_month_cumulative, r.six_month_average) == (60, 10)


def test_four_of_six_months_is_enough():
    r = result(workbook("2024-06", [count()], months("2024-01", [5, None, 9, None, 13, 15])))
    assert (r.six_month_cumulative, r.six_month_average) == (42, 10.5)


def test_fewer_than_four_months_gives_no_rolling_figure_and_says_why():
    r = result(workbook("2024-06", [count()], months("2024-04", [5, 7, 9])))
    assert r.six_month_cumulative is None and r.six_month_average is None
    assert "Fewer than 4" in r.six_month_missing_reason


def test_window_ends_at_the_outturn_month_less_lag():
    # Lag 1 at 2024-07: the window is Jan-Jun; July's 1000 is not in it.
    r = result(workbook("2024-07", [count(lag=1)], months("2024-01", [5, 7, 9, 11, 13, 15, 1000])))
    assert r.period == M("2024-06") and r.six_month_cumulative == 60


# --- Snapshot aggregation and year to date --------------------------------------------------------


def test_snapshot_average_is_the_mean_of_monthly_outturns_and_has_no_cumulative():
    pairs = [
        (1, 2),
        (9, 10),
        (3, 4),
        (4, 5),
        (7, 10),
        (45, 50),
    ]  # mean 4.55/6; summed counts would be 69/81
    r = result(
        workbook("2024-06", [pct(aggregation="snapshot")], months("2024-01", pairs, kind="ratio"))
    )
    assert r.six_month_average == pytest.approx(4.55 / 6)
    assert r.six_month_cumulative is None


def test_snapshot_year_to_date_is_the_latest_month():
    r = result(
        workbook(
            "2024-06",
            [count(aggregation="snapshot")],
            months("2024-01", [100, 110, 120, 130, 140, 150]),
        )
    )
    assert r.six_month_average == 125 and r.year_to_date == 150


def test_flow_year_to_date_starts_in_april_by_default():
    r = result(workbook("2024-06", [count()], months("2023-12", [1, 2, 3, 4, 5, 6, 7])))
    assert r.year_to_date == 5 + 6 + 7


@pytest.mark.parametrize("start", ["January", 1])
def test_flow_year_to_date_from_a_january_year_start(start):
    book = workbook(
        "2024-06",
        [count()],
        months("2023-12", [1, 2, 3, 4, 5, 6, 7]),
        Settings=settings_rows("2024-06", year_start_month=start),
    )
    assert result(book).year_to_date == 2 + 3 + 4 + 5 + 6 + 7


def test_flow_percentage_year_to_date_sums_counts_from_the_year_start():
    pairs = [(1, 10), (1, 10), (1, 10), (8, 10), (9, 10), (10, 20)]  # Apr-Jun: 27 / 40
    r = result(workbook("2024-06", [pct()], months("2024-01", pairs, kind="ratio")))
    assert r.year_to_date == pytest.approx(27 / 40)


# --- Lag and staleness ----------------------------------------------------------------------------


def test_lag_one_uses_the_month_before_and_is_not_stale():
    r = result(workbook("2024-06", [count(lag=1)], months("2024-01", [1, 2, 3, 4, 5, 99])))
    assert (r.period, r.outturn, r.stale) == (M("2024-05"), 5, False)


def test_lagged_figure_missing_falls_back_and_is_stale():
    r = result(workbook("2024-06", [count(lag=1)], months("2024-01", [1, 2, 3, 4])))
    assert (r.period, r.outturn, r.stale) == (M("2024-04"), 4, True)


def test_monthly_figure_missing_falls_back_to_last_month_and_is_stale():
    r = result(workbook("2024-06", [count()], months("2024-01", [1, 2, 3, 4, 5])))
    assert (r.period, r.outturn, r.stale) == (M("2024-05"), 5, True)


@pytest.mark.parametrize("reporting, stale", [("2024-05", False), ("2024-06", True)])
def test_quarterly_figure_is_stale_at_three_months_old(reporting, stale):
    points = [("K1", "2023-12", None, None, 10), ("K1", "2024-03", None, None, 12)]
    r = result(workbook(reporting, [count(frequency="quarterly")], points))
    assert (r.period, r.outturn, r.stale) == (M("2024-03"), 12, stale)


@pytest.mark.parametrize("reporting, stale", [("2024-06", False), ("2024-07", True)])
def test_annual_figure_is_stale_at_twelve_months_old(reporting, stale):
    r = result(
        workbook(reporting, [count(frequency="annual")], [("K1", "2023-07", None, None, 40)])
    )
    assert (r.period, r.stale) == (M("2023-07"), stale)


# --- Missing months -------------------------------------------------------------------------------


def test_series_shows_a_gap_as_no_data_and_c_as_suppressed():
    points = months("2024-01", [1, 2, None, None, 5, 6]) + [("K1", "2024-04", None, None, "c")]
    r = result(workbook("2024-06", [count()], points))
    by_month = {p.period: p for p in r.series}
    assert len(r.series) == 12 and r.series[-1].period == M("2024-06")
    assert (by_month[M("2024-03")].value, by_month[M("2024-03")].missing_reason) == (
        None,
        "No data",
    )
    assert (by_month[M("2024-04")].value, by_month[M("2024-04")].missing_reason) == (
        None,
        "Suppressed (c)",
    )
    assert (by_month[M("2024-05")].value, by_month[M("2024-05")].missing_reason) == (5, None)
    assert by_month[M("2023-07")].missing_reason == "No data"


def test_suppressed_current_month_with_nothing_earlier_has_no_data():
    r = result(
        workbook("2024-06", [pct(rule="tolerance", target=0.8)], [("K1", "2024-06", "c", "c")])
    )
    assert r.outturn is None and r.outturn_missing_reason == "Suppressed (c)"
    assert (r.rag, r.rag_reason) == (None, "No data")


# --- Annual measures not yet due ------------------------------------------------------------------


def _annual(reporting: str, points: list[tuple]) -> IndicatorResult:
    return result(
        workbook(
            reporting,
            [pct(frequency="annual", due="September", rule="tolerance", target=0.6)],
            points,
        )
    )


def test_annual_before_its_due_month_with_no_figure_this_year_is_not_due():
    r = _annual("2024-06", [("K1", "2024-03", None, None, 0.65)])
    assert (r.rag, r.rag_reason) == (None, "Not due")
    assert r.outturn == 0.65 and r.period == M("2024-03")


@pytest.mark.parametrize("reporting", ["2024-09", "2024-10"])
def test_annual_from_its_due_month_is_rated_even_without_a_new_figure(reporting):
    r = _annual(reporting, [("K1", "2024-03", None, None, 0.65)])
    assert (r.rag, r.rag_reason, r.stale) == ("Green", None, False)


def test_annual_the_month_before_it_is_due_is_still_not_due():
    assert _annual("2024-08", [("K1", "2024-03", None, None, 0.65)]).rag_reason == "Not due"


def test_annual_figure_arriving_early_is_rated():
    r = _annual(
        "2024-06", [("K1", "2024-03", None, None, 0.65), ("K1", "2024-05", None, None, 0.5)]
    )
    assert (r.rag, r.rag_reason, r.period) == ("Red", None, M("2024-05"))


def test_annual_due_month_is_the_one_in_this_reporting_year():
    # April year Apr-24..Mar-25: at Mar-25, September 2024 has passed; at Dec-24, a January due
    # month has not.
    assert _annual("2025-03", [("K1", "2024-03", None, None, 0.65)]).rag == "Green"
    r = result(
        workbook(
            "2024-12",
            [pct(frequency="annual", due="January", rule="tolerance", target=0.6)],
            [("K1", "2024-01", None, None, 0.65)],
        )
    )
    assert (r.rag, r.rag_reason) == (None, "Not due")


# --- Teams ----------------------------------------------------------------------------------------

TEAMS = [
    ("K1", "2024-06", 45, 50, None, "A"),
    ("K1", "2024-06", 30, 40, None, "B"),
    ("K1", "2024-06", 5, 10, None, "C"),
]


def test_authority_outturn_sums_teams_counts_not_their_percentages():
    r = result(workbook("2024-06", [pct()], TEAMS))
    assert r.outturn == pytest.approx(0.8)  # 80 / 100; the mean of 90%, 75%, 50% would be 71.7%
    assert (r.numerator, r.denominator) == (80, 100)
    assert [(t.team, t.outturn) for t in r.teams] == [("A", 0.9), ("B", 0.75), ("C", 0.5)]


def test_one_team_suppressed_leaves_the_authority_missing_with_the_team_named():
    points = [TEAMS[0], ("K1", "2024-06", "c", "c", None, "B"), TEAMS[2]]
    r = result(workbook("2024-06", [pct(rule="tolerance", target=0.8)], points))
    assert r.outturn is None
    assert "Suppressed (c)" in r.outturn_missing_reason and "(B)" in r.outturn_missing_reason
    assert r.series[-1].missing_reason == "Suppressed (c) (B)"


def test_one_team_suppressed_still_shows_the_other_teams():
    points = [TEAMS[0], ("K1", "2024-06", "c", "c", None, "B"), TEAMS[2]]
    r = result(workbook("2024-06", [pct(rule="tolerance", target=0.8)], points))
    by_team = {t.team: t for t in r.teams}
    assert by_team["A"].outturn == 0.9 and by_team["C"].outturn == 0.5
    assert by_team["B"].outturn is None and by_team["B"].missing_reason == "Suppressed (c)"


def test_a_team_with_no_row_this_month_leaves_the_authority_missing():
    may = [("K1", "2024-05", n, d, None, t) for (_, _, n, d, _, t) in TEAMS]
    r = result(workbook("2024-06", [pct()], may + TEAMS[:2]))
    assert r.series[-1].value is None and r.series[-1].missing_reason == "No data (C)"
    assert (r.period, r.outturn, r.stale) == (M("2024-05"), pytest.approx(0.8), True)


def test_authority_row_wins_over_the_sum_of_its_teams():
    r = result(workbook("2024-06", [pct()], [("K1", "2024-06", 70, 100), *TEAMS]))
    assert (r.outturn, r.numerator, r.denominator) == (0.7, 70, 100)
    assert len(r.teams) == 3


def test_team_rated_against_its_own_milestone():
    book = workbook(
        "2024-06",
        [pct(rule="tolerance", target=0.8)],
        [("K1", "2024-06", 45, 50, None, "A"), ("K1", "2024-06", 41, 50, None, "B")],
        Targets=targets(("K1", "2024-01", 0.95, "A")),
    )
    r = result(book)
    a, b = r.teams
    assert (a.team, a.target, a.rag) == ("A", 0.95, "Amber")  # 90% against 95% less 9.5 pts
    assert (b.team, b.target, b.rag) == ("B", 0.8, "Green")  # 82% against the authority's 80%
    assert r.current_target == 0.8 and r.rag == "Green"  # 86 / 100


def test_team_with_a_small_denominator_is_flagged():
    points = [
        ("K1", "2024-06", 45, 50, None, "A"),
        ("K1", "2024-06", 2, 3, None, "B"),
        ("K1", "2024-06", 9, 10, None, "C"),
    ]
    r = result(workbook("2024-06", [pct()], points))
    assert [(t.team, t.small_denominator) for t in r.teams] == [
        ("A", False),
        ("B", True),
        ("C", False),
    ]


# --- Plan target trajectory -----------------------------------------------------------------------


def _plan(reporting: str, points: list[tuple], **sheets: Any) -> IndicatorResult:
    indicator = pct(
        rule="tolerance", target=0.9, baseline=0.7, baseline_period="2024-01", plan=0.94
    )
    return result(
        workbook(
            reporting,
            [indicator],
            points,
            Settings=settings_rows(reporting, plan_target_period="2025-01"),
            **sheets,
        )
    )


@pytest.mark.parametrize(
    "reporting, expected",
    [
        ("2023-10", 0.70),
        ("2024-01", 0.70),
        ("2024-02", 0.72),
        ("2024-07", 0.82),
        ("2025-01", 0.94),
        ("2025-03", 0.94),
    ],
)
def test_trajectory_is_a_straight_line_in_whole_months_flat_outside(reporting, expected):
    r = _plan(reporting, [("K1", reporting, None, None, 0.8)])
    assert r.current_target == pytest.approx(expected)


def test_trajectory_is_read_at_the_outturn_month():
    indicator = pct(
        rule="tolerance", target=0.9, baseline=0.7, baseline_period="2024-01", plan=0.94, lag=1
    )
    r = result(
        workbook(
            "2024-08",
            [indicator],
            [("K1", "2024-07", None, None, 0.8)],
            Settings=settings_rows("2024-08", plan_target_period="2025-01"),
        )
    )
    assert r.period == M("2024-07") and r.current_target == pytest.approx(0.82)


def test_milestone_in_force_wins_over_the_line():
    r = _plan(
        "2024-07",
        [("K1", "2024-07", None, None, 0.8)],
        Targets=targets(("K1", "2024-06", 0.85), ("K1", "2024-08", 0.99)),
    )
    assert r.current_target == 0.85
    assert r.rag == "Amber"  # 80% against 85% less 8.5 pts


def test_milestone_after_the_period_is_not_yet_in_force():
    r = _plan(
        "2024-07", [("K1", "2024-07", None, None, 0.8)], Targets=targets(("K1", "2024-08", 0.99))
    )
    assert r.current_target == pytest.approx(0.82)


def test_without_milestone_or_trajectory_the_target_column_is_used():
    r = single(pct(rule="tolerance", target=0.9, plan=0.94), 0.8)
    assert r.current_target == 0.9


# --- Forecast and required change -----------------------------------------------------------------


def _forecast(
    indicator: dict[str, Any],
    values: list[Any],
    start: str = "2024-04",
    reporting: str = "2024-07",
    **settings: Any,
) -> IndicatorResult:
    return result(
        workbook(
            reporting,
            [indicator],
            months(start, values),
            Settings=settings_rows(reporting, plan_target_period="2025-01", **settings),
        )
    )


def test_rising_percentage_forecast_is_clamped_at_100_percent():
    r = _forecast(pct(plan=0.94), [0.80, 0.85, 0.90, 0.95])  # trend reaches 125% by Jan-25
    assert r.forecast_at_plan == 1.0 and r.will_meet_plan_target is True


def test_falling_count_forecast_is_clamped_at_zero():
    r = _forecast(count(plan=5), [40, 30, 20, 10])  # trend reaches -50 by Jan-25
    assert r.forecast_at_plan == 0.0 and r.will_meet_plan_target is True


def test_falling_count_forecast_misses_a_bigger_is_better_plan():
    r = _forecast(count(polarity="BIB", plan=5), [40, 30, 20, 10])
    assert r.forecast_at_plan == 0.0 and r.will_meet_plan_target is False


@pytest.mark.parametrize(
    "polarity, plan, meets",
    [("BIB", 0.94, False), ("BIB", 0.86, True), ("SIB", 0.90, True), ("SIB", 0.85, False)],
)
def test_forecast_and_plan_met_by_polarity(polarity, plan, meets):
    r = _forecast(
        pct(polarity=polarity, plan=plan), [0.77, 0.78, 0.79, 0.80]
    )  # +1 pt a month: 86% by Jan-25
    assert r.forecast_at_plan == pytest.approx(0.86)
    assert r.will_meet_plan_target is meets


def test_required_change_per_month_to_reach_the_plan():
    r = _forecast(pct(plan=0.94), [0.77, 0.78, 0.79, 0.80])
    assert r.required_change_per_month == pytest.approx(0.14 / 6)


def test_forecast_counts_months_not_points_across_a_gap():
    r = _forecast(pct(plan=0.94), [0.77, 0.78, None, 0.80])  # still +1 pt a month
    assert r.forecast_at_plan == pytest.approx(0.86)


def test_forecast_uses_only_the_last_six_outturns():
    r = _forecast(pct(plan=0.94), [0.10, 0.10, 0.75, 0.76, 0.77, 0.78, 0.79, 0.80], start="2023-12")
    assert r.forecast_at_plan == pytest.approx(0.86)


def test_forecast_points_setting_limits_the_trend():
    r = _forecast(
        pct(plan=0.94), [0.50, 0.50, 0.50, 0.78, 0.79, 0.80], start="2024-02", forecast_points=3
    )
    assert r.forecast_at_plan == pytest.approx(0.86)


def test_forecast_needs_three_points_but_required_change_does_not():
    r = _forecast(pct(plan=0.94), [0.79, 0.80], start="2024-06")
    assert r.forecast_at_plan is None and r.will_meet_plan_target is None
    assert r.required_change_per_month == pytest.approx(0.14 / 6)


# --- Direction of travel and previous RAG ---------------------------------------------------------


@pytest.mark.parametrize(
    "polarity, before, now, direction",
    [
        ("BIB", 0.80, 0.85, "improving"),
        ("SIB", 0.80, 0.85, "declining"),
        ("BIB", 0.85, 0.80, "declining"),
        ("SIB", 0.85, 0.80, "improving"),
        ("BIB", 0.8401, 0.8449, "no change"),  # both show 84%
        ("SIB", 0.8449, 0.8401, "no change"),
        ("BIB", 0.8449, 0.845, "improving"),  # 84% then 85%
        ("BIB", 0.8449, 0.8451, "improving"),  # 0.8451 shows as 85%, not 84%
    ],
)
def test_direction_of_travel_by_polarity_as_displayed(polarity, before, now, direction):
    r = result(workbook("2024-06", [pct(polarity=polarity)], months("2024-05", [before, now])))
    assert r.direction == direction


def test_no_direction_without_polarity_or_previous_period():
    assert (
        result(workbook("2024-06", [pct(polarity=None)], months("2024-05", [0.8, 0.9]))).direction
        is None
    )
    assert (
        result(workbook("2024-06", [pct()], months("2024-04", [0.8, None, 0.9]))).direction is None
    )


def test_quarterly_direction_compares_with_the_previous_quarter():
    r = result(
        workbook(
            "2024-06",
            [pct(frequency="quarterly")],
            [("K1", "2024-03", None, None, 0.7), ("K1", "2024-06", None, None, 0.8)],
        )
    )
    assert (r.previous_period, r.previous_outturn, r.direction) == (M("2024-03"), 0.7, "improving")


def test_previous_rag_uses_the_previous_months_target():
    # trajectory 70% at Jan-24 to 94% at Jan-25: June's target is 80%, July's 82%
    r = _plan("2024-07", months("2024-06", [0.80, 0.81]))
    assert r.previous_rag == "Green"  # 80% against 80%; against July's 82% it would be Amber
    assert r.rag == "Amber" and r.direction == "improving"


# --- Benchmarks -----------------------------------------------------------------------------------


def _benchmarks(polarity: str, *rows: tuple) -> dict[str, Any]:
    book = workbook(
        "2024-06",
        [pct(polarity=polarity)],
        [("K1", "2024-06", None, None, 0.80)],
        Benchmarks=[["Ref", "Comparator", "Year", "Value"], *[list(r) for r in rows]],
    )
    return {b.comparator: b for b in result(book).benchmarks}


def test_benchmarks_better_by_polarity_and_equal_as_displayed():
    rows = [
        ("K1", "England", "2023-24", 0.75),
        ("K1", "Region", "2023-24", 0.85),
        ("K1", "Neighbours", "2023-24", 0.804),
    ]
    bib = _benchmarks("BIB", *rows)
    assert (bib["England"].better, bib["Region"].better, bib["Neighbours"].better) == (
        True,
        False,
        None,
    )
    sib = _benchmarks("SIB", *rows)
    assert (sib["England"].better, sib["Region"].better, sib["Neighbours"].better) == (
        False,
        True,
        None,
    )


def test_latest_year_per_comparator_wins():
    found = _benchmarks(
        "BIB",
        ("K1", "England", "2023-24", 0.85),
        ("K1", "England", "2022-23", 0.70),
        ("K1", "Region", 2022, 0.70),
        ("K1", "Region", 2023, 0.75),
    )
    assert (found["England"].value, found["England"].year, found["England"].better) == (
        0.85,
        "2023-24",
        False,
    )
    assert (found["Region"].value, found["Region"].year, found["Region"].better) == (
        0.75,
        "2023",
        True,
    )


# --- Small numbers --------------------------------------------------------------------------------


@pytest.mark.parametrize("n, d, small", [(2, 3, True), (9, 9, True), (9, 10, False)])
def test_denominator_under_ten_is_flagged(n, d, small):
    r = result(workbook("2024-06", [pct()], [("K1", "2024-06", n, d)]))
    assert r.outturn == pytest.approx(n / d) and (
        r.numerator,
        r.denominator,
        r.small_denominator,
    ) == (n, d, small)


# --- Summary --------------------------------------------------------------------------------------


def test_summary_counts_a_hand_built_mix():
    tol = {"rule": "tolerance", "target": 0.8}
    indicators = [
        pct("G1", **tol),
        pct("G2", green=0.9, amber=0.85),
        pct("A1", **tol),
        pct("R1", **tol),
        pct("ND", **tol),
        pct("NT", rule="tolerance"),
        pct("NDue", frequency="annual", due=9, **tol),
        pct("CX", polarity=None),
    ]
    points = [
        ("G1", "2024-06", None, None, 0.85),
        ("G2", "2024-06", None, None, 0.9),
        ("A1", "2024-06", None, None, 0.75),
        ("R1", "2024-06", None, None, 0.5),
        ("NT", "2024-06", None, None, 0.5),
        ("NDue", "2024-03", None, None, 0.5),
        ("CX", "2024-06", None, None, 0.5),
    ]
    r = report(workbook("2024-06", indicators, points))
    assert r.summary == {
        "Green": 2,
        "Amber": 1,
        "Red": 1,
        "No data": 1,
        "No target": 1,
        "Not due": 1,
        "Context": 1,
    }
    assert sum(r.summary.values()) == len(r.indicators) == 8
    assert r.good == ["G1", "G2"] and r.exceptions == ["R1", "A1"]
    assert {i.ref for i in r.issues if i.code is Code.MISSING_COMMENTARY} == {"R1", "A1"}


# --- Rolling figures by frequency, team targets, small numbers, tolerance wording ----------------


def test_quarterly_six_month_figure_uses_its_two_quarters():
    points = [("K1", "2024-03", 30, 100), ("K1", "2024-06", 50, 100)]
    r = result(workbook("2024-06", [pct(frequency="quarterly", green=0.5, amber=0.4)], points))
    assert r.six_month_cumulative == pytest.approx(0.4) and r.six_month_missing_reason is None


def test_quarterly_six_month_figure_is_null_with_one_quarter():
    r = result(
        workbook("2024-06", [pct(frequency="quarterly", green=0.5)], [("K1", "2024-06", 50, 100)])
    )
    assert r.six_month_cumulative is None and "quarters" in r.six_month_missing_reason


def test_annual_measure_has_no_six_month_figure():
    r = result(
        workbook("2024-06", [pct(frequency="annual", green=0.5)], [("K1", "2024-03", 50, 100)])
    )
    assert r.six_month_average is None and "annual" in r.six_month_missing_reason


def test_team_target_shown_only_where_it_is_used():
    points = [("K1", "2024-06", 45, 50, None, "A"), ("K1", "2024-06", 40, 50, None, "B")]
    targets = [["Ref", "Period", "Target", "Team"], ["K1", "2024-04", 0.95, "A"]]
    banded = result(workbook("2024-06", [pct(green=0.85, amber=0.8)], points, Targets=targets))
    assert {t.team: t.target for t in banded.teams} == {"A": 0.95, "B": None}
    tolerance = result(workbook("2024-06", [pct(target=0.85)], points, Targets=targets))
    assert {t.team: t.target for t in tolerance.teams} == {"A": 0.95, "B": 0.85}
    assert {t.team: t.rag for t in tolerance.teams} == {
        "A": "Amber",
        "B": "Amber",
    }  # 90% vs 95%; 80% vs 85%


def test_small_denominator_is_flagged_for_an_average_too():
    r = result(
        workbook(
            "2024-06",
            [ind(polarity="SIB", unit="days", measure="average", target=500)],
            [("K1", "2024-06", 1296, 3)],
        )
    )
    assert r.outturn == 432 and r.small_denominator


def test_tolerance_wording_keeps_the_unit_typed():
    r = result(
        workbook(
            "2024-06",
            [
                ind(
                    polarity="SIB",
                    unit="number",
                    measure="average",
                    decimals=1,
                    target=17,
                    tolerance="2 cases",
                )
            ],
            [("K1", "2024-06", 1521, 84)],
        )
    )
    assert r.methodology == "Green when the target is met, Amber within 2 cases of it, else Red"
    assert r.rag == "Amber"  # 18.1 is within 2 of 17
