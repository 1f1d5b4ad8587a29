"""Data an officer did not mean: a value given twice, a Ref with a character that cannot be seen,
a month far from the reporting period. Each is a warning at the cell, with words that show it."""

from __future__ import annotations

from builders import run, settings_rows, workbook

from kpi_engine.inputs import read_inputs
from kpi_engine.issues import Code, Severity
from kpi_engine.periods import label, month

PCT = {
    "Ref": "FD 3",
    "Title": "Re-referrals within 12 months",
    "Polarity": "SIB",
    "Unit": "%",
    "Measure": "percentage",
    "Target": 0.22,
}


UNSEEN = (
    " holds a character that cannot be seen (often pasted from a web page, a PDF or an email); "
    "it is read as 'FD 3'. Retype the Ref to clear this warning."
)


def found(book, code):
    return [
        (i.severity, i.sheet, i.cell, i.message)
        for i in read_inputs(book).log.items
        if i.code is code
    ]


def test_a_targets_row_given_twice_is_a_warning_at_both_cells_and_the_later_is_used():
    targets = [
        ["Ref", "Period", "Target", "Team"],
        ["FD 3", "2017-06", 0.25, None],
        ["FD 3", "2017-06", 0.2, "North"],  # another team: not a repeat
        ["FD 3", "2017-06", 0.21, None],
    ]
    book = workbook("2017-06", [PCT], [("FD 3", "2017-06", 2, 10)], Targets=targets)
    message = (
        "FD 3's target for Jun-17 for the whole authority is given twice: C2 (25%) and C4 (21%). "
        "The later one, C4, is used; delete the other."
    )
    assert found(book, Code.DUPLICATE_ROW) == [
        (Severity.WARNING, "Targets", "C2", message),
        (Severity.WARNING, "Targets", "C4", message),
    ]
    assert run(book).indicator("FD 3").current_target == 0.21


def test_a_setting_given_twice_is_a_warning_at_both_cells_and_the_later_is_used():
    settings = settings_rows("2017-05") + [["Reporting period", "Jun-17"]]
    book = workbook("2017-06", [PCT], [("FD 3", "2017-06", 2, 10)], Settings=settings)
    message = (
        "Reporting period is given twice: B3 (2017-05) and B4 (Jun-17). The later one, B4, is "
        "used; delete the other."
    )
    assert found(book, Code.DUPLICATE_ROW) == [
        (Severity.WARNING, "Settings", "B3", message),
        (Severity.WARNING, "Settings", "B4", message),
    ]
    assert read_inputs(book).settings.reporting_period == month(2017, 6)


def test_a_ref_with_a_no_break_or_zero_width_space_is_read_plain_with_a_warning():
    book = workbook(
        "2017-06",
        [PCT],
        [("FD\u00a03", "2017-05", 2, 10), ("FD 3\u200b", "2017-06", 3, 10)],
    )
    assert found(book, Code.INVISIBLE_CHARACTER) == [
        (
            Severity.WARNING,
            "Data",
            "A2",
            f"Ref 'FD<no-break space>3'{UNSEEN}",
        ),
        (
            Severity.WARNING,
            "Data",
            "A3",
            f"Ref 'FD 3<zero-width space>'{UNSEEN}",
        ),
    ]
    assert not found(book, Code.UNKNOWN_REF)
    assert run(book).indicator("FD 3").outturn == 0.3


def test_a_month_far_from_the_reporting_period_shows_its_four_digit_year():
    book = workbook("2017-06", [PCT], [("FD 3", "2017-06", 2, 10), ("FD 3", "2199-01", 3, 10)])
    assert found(book, Code.PERIOD_AFTER_REPORTING) == [
        (
            Severity.WARNING,
            "Data",
            "B3",
            "FD 3 has data for Jan-2199, after the reporting period Jun-17; it is not used.",
        )
    ]
    assert label(month(2017, 4)) == "Apr-17"
    assert label(month(2070, 1)) == "Jan-2070"  # "Jan-70" would be read back as 1970
    assert label(month(1972, 1), near=month(2024, 1)) == "Jan-1972"  # 52 years before
    assert label(month(1980, 1), near=month(2024, 1)) == "Jan-80"
