"""Months and rounding: the two small things every rule stands on."""

from __future__ import annotations

import datetime as dt

import pytest
from builders import modules_loaded_by

from kpi_engine.periods import iso, label, parse_month, year_start
from kpi_engine.rounding import displayed, format_number, round_half_away


@pytest.mark.parametrize(
    "value, expected",
    [
        (dt.datetime(2017, 4, 1), "2017-04"),
        (dt.date(2017, 4, 30), "2017-04"),
        ("Apr-17", "2017-04"),
        ("2017-04", "2017-04"),
        ("April 2017", "2017-04"),
        ("01/04/2017", "2017-04"),
        ("Sept 2017", "2017-09"),
        (42826, "2017-04"),
        ("2017-04-01T00:00:00.000Z", "2017-04"),
        ("jan 16", "2016-01"),
    ],
)
def test_months_in_the_forms_officers_type(value, expected):
    assert iso(parse_month(value)) == expected


@pytest.mark.parametrize(
    "value", ["Q3 2014-2015", "soon", "2017-13", "", None, 17, True, "Smarch-17"]
)
def test_things_that_are_not_months(value):
    assert parse_month(value) is None


def test_labels_and_year_start():
    m = parse_month("2017-11")
    assert label(m) == "Nov-17"
    assert iso(year_start(m, 4)) == "2017-04"
    assert iso(year_start(parse_month("2018-02"), 4)) == "2017-04"
    assert iso(year_start(parse_month("2018-02"), 1)) == "2018-01"


def test_rounding_is_half_away_from_zero_on_the_shortest_decimal():
    assert displayed(169 / 200, 0, percent=True) == 85  # Python's round(84.5) is 84
    assert round(0.845 * 100) == 84
    assert displayed(440 / 527, 0, percent=True) == 83
    assert round_half_away(2.675, 2) == 2.68  # the binary float is 2.67499...
    assert round_half_away(-2.5) == -3
    assert format_number(1829, 0) == "1,829" and format_number(0.639, 1, True) == "63.9%"


def test_engine_imports_no_excel_library():
    loaded = modules_loaded_by(
        "kpi_engine.evaluate, kpi_engine.results_json, kpi_engine.commands.cli",
        ("openpyxl", "xlwings", "pandas"),
    )
    assert loaded == []
