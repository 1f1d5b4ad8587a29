"""``kpi-dashboard import``: a hand-made dashboard in, every figure kept, every old colour checked.

The seed-003-style workbook is built with openpyxl from ``seed_003`` in the seed's own layout
(``seed_003_layout``), imported, then read and filled as any workbook is.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import re
from pathlib import Path

import openpyxl
import pytest
import seed_003
import seed_003_layout
from click.testing import CliRunner

from kpi_engine.commands.cli import main
from kpi_engine.issues import Code
from kpi_engine.layouts import SheetGrid, recognise, ref_from_title
from kpi_engine.pipeline import run
from kpi_engine.xlsx.reader import read_workbook

# As tests/test_seeds.py: the seed prints Yellow, a colour its methodology does not have.
ENGINE_DIFFERS = {"W 1": "Amber", "LAC 20": "Amber"}
PERCENT = {row[0] for row in seed_003.SHEETS["Indicators"][1:] if row[4] == "%"}


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    folder = tmp_path_factory.mktemp("import")
    old = seed_003_layout.build(folder / "old.xlsx")
    before = _digest(old)
    result = invoke("import", old, "-o", folder / "new.xlsx")
    assert _digest(old) == before  # the input is never changed
    book = read_workbook(folder / "new.xlsx")
    report, _ = run(book.grids, book.template_version, file_issues=book.issues)
    return result, folder, report


def test_import_says_what_it_found_and_lists_every_cell_it_left(imported):
    result, _, _ = imported
    assert result.exit_code == 1, result.output  # cells left unplaced
    out = result.output
    assert "the action log, 13 actions" in out
    assert "a contents list" in out and "not read as indicators" in out
    assert "an indicator table (Workforce), 7 indicators" in out
    sheet = seed_003_layout.SHEET
    for cell, text in [("A1", "OUR"), ("A2", "FOCUS"), ("A83", "Graph 1"), ("N105", "CIN 5:")]:
        assert f"NOT PLACED {sheet}!{cell}: '{text}'" in out
    assert "Note: Columns BELOW" in out
    # The due dates it could not read, said.
    assert "Oct-05 (TBC), Oct-06 (TBC), Oct-08 (TBC), Oct-10 (TBC), Oct-11 (TBC)." in out


def test_every_indicator_and_figure_is_kept_with_its_unit(imported):
    _, folder, report = imported
    refs = [row[0] for row in seed_003.SHEETS["Indicators"][1:]]
    got = {r.ref for r in report.indicators}
    assert got == set(refs) - {"CP 10"}  # CP 10's "<10% of Cohort" target: the seed's fault
    assert "W 1 e" not in got  # the contents list's ref is not a second indicator
    book = openpyxl.load_workbook(folder / "new.xlsx")
    header, *rows = book["Indicators"].iter_rows(values_only=True)
    units = {row[header.index("Ref")]: row[header.index("Unit")] for row in rows if row[0]}
    assert {ref for ref, unit in units.items() if unit == "%"} == PERCENT
    decimals = {r.ref: r.decimals for r in report.indicators}
    assert decimals["AMT 2"] == 1 and decimals["FD 3"] == 0 and decimals["CL 3a"] == 0
    for ref, *values in seed_003.SHEETS["Data"][1:]:
        if ref == "CP 10":
            continue
        series = {p.period: p.value for p in report.indicator(ref).series}
        for month, value in zip(seed_003.MONTHS, values, strict=True):
            m = next(k for k in series if _label(k) == month)
            if isinstance(value, (int, float)):
                assert series[m] == pytest.approx(value), (ref, month)
            elif isinstance(value, str) and value.endswith("(6m+)"):
                assert series[m] == pytest.approx(float(value.split("%")[0]) / 100), (ref, month)
            else:
                assert series[m] is None, (ref, month)


def _label(m):
    from kpi_engine.periods import label

    return label(m)


def test_every_rated_indicator_gets_its_methodologys_colour(imported):
    _, _, report = imported
    for ref, seed_rag in seed_003.SEED_RAG.items():
        if seed_rag is None or ref == "CP 10":
            continue
        assert report.indicator(ref).rag == ENGINE_DIFFERS.get(ref, seed_rag), ref
    assert report.indicator("AMT 2").rag == "Red"  # 63.9% against 95%, never Green


def test_the_seeds_own_faults_are_reported(imported):
    _, _, report = imported
    band_faults = {
        Code.METHODOLOGY_GAP,
        Code.METHODOLOGY_OVERLAP,
        Code.TARGET_NOT_GREEN,
        Code.POLARITY_CONFLICT,
    }
    flagged = {i.ref for i in report.issues if i.code in band_faults}
    assert flagged == {"W 1", "FD 8", "CP 10", "QA 1", "CIN 4", "W1 d"}
    assert Code.POLARITY_FROM_METHODOLOGY in {i.code for i in report.issues if i.ref == "CL a"}


def test_the_old_colours_are_kept_and_the_differences_listed(imported):
    _, _, report = imported
    w1 = report.indicator("W 1")
    assert (w1.reported_rag, _label(w1.reported_rag_period)) == ("Yellow", "Nov-17")
    differ = [i for i in report.issues if i.code is Code.REPORTED_RAG_DIFFERS]
    assert {i.ref for i in differ} == set(ENGINE_DIFFERS)
    message = next(i.message for i in differ if i.ref == "W 1")
    assert message.startswith("W 1: the old dashboard said Yellow for Nov-17; the rules give Amber")
    assert "the methodology has no Yellow and 18 falls in its gap" in message
    assert all(i.severity.value == "warning" and i.sheet == "Indicators" for i in differ)


def test_the_json_results_carry_the_reported_rag(imported):
    _, folder, _ = imported
    result = invoke("fill", folder / "new.xlsx", "-o", folder / "filled.xlsx", "--json",
                    folder / "r.json")  # fmt: skip
    assert result.exit_code == 1, result.output  # the seed's CP 10 target is an error
    results = json.loads((folder / "r.json").read_text(encoding="utf-8"))
    lac20 = next(i for i in results["indicators"] if i["ref"] == "LAC 20")
    assert (lac20["reported_rag"], lac20["reported_rag_period"]) == ("Yellow", "2017-11")


def test_commentary_narrative_and_actions_are_carried_over(imported):
    _, folder, report = imported
    book = openpyxl.load_workbook(folder / "new.xlsx")
    narrative = {r[0]: r for r in book["Narrative"].iter_rows(min_row=2, values_only=True) if r[0]}
    assert "Workforce: There has been no movement" in narrative["Director's summary"][2]
    cin = narrative["Children in Need of Help and Protection"]
    assert cin[3].startswith("CIN 4: Visits to children on CIN plans")
    assert "\nCIN 5: The increased demand" in cin[3]  # the HTML paragraphs, as lines
    assert "CP13: Visits to children on CP plans" in cin[3]  # a second table, same section
    assert "<p>" not in cin[3] + cin[4]
    assert narrative["Assessment"][4].startswith("An additional team (Unit 6)")
    notes = [r for r in book["Commentary"].iter_rows(min_row=2, values_only=True) if r[0]]
    assert ("LAC 19 (12m)", "As reported: (6m+)") in {(r[0], r[2]) for r in notes}
    settings = dict(book["Settings"].iter_rows(min_row=2, max_col=2, values_only=True))
    assert settings["Organisation"] == seed_003_layout.TITLE
    sections = {r.ref: r.section for r in report.indicators}
    assert sections["CP 13"] == "Children in Need of Help and Protection"


# Seed 003's action log worked out by hand: ref -> (due: the last day of the month typed under
# WHEN?, none for "TBC"; status: "Y" is Done, "Ongoing" In progress).
SEED_003_ACTIONS = {
    "Oct-01": (_dt.date(2017, 12, 31), "In progress"),
    "Oct-02": (_dt.date(2017, 11, 30), "Done"),
    "Oct-03": (_dt.date(2017, 11, 30), "Done"),
    "Oct-04": (_dt.date(2017, 11, 30), "Done"),
    "Oct-05": (None, "In progress"),
    "Oct-06": (None, "In progress"),
    "Oct-07": (_dt.date(2018, 3, 31), "In progress"),
    "Oct-08": (None, "In progress"),
    "Oct-09": (_dt.date(2017, 11, 30), "Done"),
    "Oct-10": (None, "In progress"),
    "Oct-11": (None, "In progress"),
    "Oct-12": (_dt.date(2017, 12, 31), "In progress"),
    "Nov-01": (_dt.date(2017, 2, 28), "In progress"),  # the seed's "Feb-17", as typed
}


def test_every_action_of_the_action_log_arrives_with_its_fields(imported):
    _, folder, report = imported
    book = openpyxl.load_workbook(folder / "new.xlsx")
    header, *rows = book["Actions"].iter_rows(values_only=True)
    assert header[:6] == ("Action ref", "Indicator ref", "Action", "Owner", "Due", "Status")
    rows = [r for r in rows if r[0]]
    assert [r[0] for r in rows] == list(SEED_003_ACTIONS)  # all 13, in the seed's order
    typed = {ref: text for ref, text, _, _ in seed_003_layout.ACTIONS}
    for ref, _indicator, action, owner, due, status in (r[:6] for r in rows):
        want_due, want_status = SEED_003_ACTIONS[ref]
        assert action == typed[ref], ref  # the text as typed, the en dash of Oct-07 too
        assert (owner, status) == (None, want_status), ref
        assert (due.date() if due else None) == want_due, ref
    assert rows[6][2].endswith("between January \u2013 March 2018.")
    # The fill reads them all; only Nov-01 (due Feb-17, the seed's slip) is overdue by Nov-17.
    assert [a.action_ref for a in report.actions] == list(SEED_003_ACTIONS)
    assert [a.action_ref for a in report.actions if a.overdue] == ["Nov-01"]


WORKFORCE_POINTER = (
    "See the Workforce section's Improvement activity for Nov-17 (Narrative sheet): it is about "
    "the whole table."
)


def test_improvement_activity_and_next_steps_are_each_indicators_commentary(imported):
    result, folder, report = imported
    book = openpyxl.load_workbook(folder / "new.xlsx")
    header, *rows = book["Commentary"].iter_rows(values_only=True)
    assert header[:5] == ("Ref", "Period", "Comment", "Improvement activity", "Next steps")
    nov = {r[0]: r[2:5] for r in rows if r[0] and r[1] == "Nov-17"}
    notes = {row[0]: row[3:5] for row in seed_003.SHEETS["Commentary"][1:]}
    # A part headed by its ref ("CIN 4: ... CIN 5: ...") is that indicator's, as the seed
    # prints it; the stray "CIN 5:" of the Next Steps row heads nothing (it is not placed).
    for ref in ("CIN 4", "CIN 5", "CP 13", "LAC 11", "F 3", "FD 3"):
        comment, activity, _ = nov[ref]
        assert comment is None and activity == notes[ref][0], ref
    assert nov["CIN 4"][2] == f"{notes['CIN 4'][1]} {notes['CIN 5'][1]}"
    assert nov["CIN 5"][2] is None and nov["CP 13"][2] == notes["CP 13"][1]
    # Text that names no ref: the table's one rated indicator's (MC 1, LE 3 are not rated).
    for ref in ("AMT 2", "MC 6", "LE 2", "CL a"):
        assert list(nov[ref][1:]) == notes[ref], ref
    assert "MC 1" not in nov and "LE 3" not in nov
    # Workforce's text is about its seven indicators: each points to it, none repeats it.
    for ref in ("P1", "W 1", "W1 a", "W1 b", "W1 c", "W1 d", "W 2"):
        assert nov[ref] == (WORKFORCE_POINTER, None, None), ref
    # The fill asks for commentary only where the old dashboard had none, and the import said
    # which: CP 5 (Red), LAC 10 and LAC 20 (Amber), QA 1 (Red).
    asked = {i.ref for i in report.issues if i.code is Code.MISSING_COMMENTARY}
    assert asked == {"CP 5", "LAC 10", "LAC 20", "QA 1"}
    assert (
        "WARNING The old dashboard rated CP 5, LAC 10, LAC 20, QA 1 Red, Amber or Yellow for "
        "Nov-17 with no commentary about them" in result.output
    )
    cin4 = report.indicator("CIN 4")
    assert cin4.improvement_activity.startswith("CIN 4: Visits to children on CIN plans")


def test_a_file_that_is_not_a_workbook_writes_nothing_and_exits_2(tmp_path):
    bad = tmp_path / "old.xlsx"
    bad.write_text("Ref,Title\n", encoding="utf-8")
    result = invoke("import", bad, "-o", tmp_path / "new.xlsx")
    assert result.exit_code == 2 and "Error:" in result.output
    assert not (tmp_path / "new.xlsx").exists()


def test_an_old_xls_is_refused_with_what_to_do_and_nothing_written(tmp_path):
    old = tmp_path / "old.xls"
    old.write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + bytes(4088))  # an OLE (Excel 97) file
    result = invoke("import", old, "-o", tmp_path / "new.xlsx")
    assert result.exit_code == 2, result.output
    assert "an old .xls (Excel 97-2003) file" in result.output
    assert "save it as 'Excel Workbook (*.xlsx)'" in result.output
    assert not (tmp_path / "new.xlsx").exists()


def test_our_own_template_is_upgraded(tmp_path):
    old = tmp_path / "old.xlsx"
    book = openpyxl.Workbook()
    book.active.title = "Indicators"
    book.active.append(["Ref", "Title"])
    book.active.append(["A1", "A measure"])
    data = book.create_sheet("Data")
    data.append(["Ref", "Period", "Value"])
    data.append(["A1", "Nov-17", 3])
    book.save(old)
    result = invoke("import", old, "-o", tmp_path / "new.xlsx")
    assert result.exit_code == 0, result.output
    assert "upgraded" in result.output and "Indicators 1, Data 1" in result.output


def test_number_format_gives_the_unit_and_decimals():
    grid = SheetGrid(
        "S",
        [
            ["Indicator Number", "Indicator Title", "Polarity", "Oct-17", "Nov-17", "Target"],
            ["X 1", "Assessments in time", "BIB", 0.677, 0.639, 0.95],
        ],
        [[None] * 6, [None, None, None, "0.0%", "0.0%", "0%"]],
    )
    found = recognise([grid])
    header, row = found.sheets["Indicators"]
    values = dict(zip(header, row, strict=True))
    assert (values["Unit"], values["Decimals"], values["Measure"]) == ("%", 1, "percentage")
    assert found.reporting_period is not None and _label(found.reporting_period) == "Nov-17"


# Units from evidence, with no % format on the figures: a hand-made table, worked out by hand.
UNITS_CM = "10% of cohort or below Green 10-15% Amber 16% and above Red"
UNITS = SheetGrid(
    "S",
    [
        ["Ref", "Title", "Polarity", "Oct-17", "Nov-17", "Target", "RAG Methodology"],
        # Figures in 0-1 beside a target written as a percentage (95%): a percentage, 1 decimal.
        ["U 1", "Assessments completed within 45 working days", "BIB", 0.713, 0.639, 0.95, None],
        # "%" in the title: a percentage (80% and 85%, whole).
        ["U 2", "% of reviews on time", "BIB", 0.8, 0.85, 0.9, None],
        # "%" in the methodology: a percentage.
        ["U 3", "Reviews on time", "BIB", 0.5, 0.62, None, "60% or above Green 50%-59% Amber"],
        # Counts beside a % in the target and the methodology (seed 003's CP 10): counts.
        ["U 4", "Plans lasting 2 years or more", "SIB", 14, 9, "<10% of Cohort", UNITS_CM],
        # Whole numbers 0 and 1 beside a "%" in the methodology: counts, not 0% and 100%.
        ["U 5", "Unallocated cases", "SIB", 0, 1, 0, "0 Green 1-2 Amber 3 or more Red (5%)"],
        # A title that says it counts, with a "%" in it: not a percentage, even in 0-1.
        ["U 6", "Average days lost per FTE (5% fewer)", "SIB", 0.4, 0.6, None, "50% Green"],
        # Figures above 1 beside a target written as 90%: numbers, and a warning to check.
        ["U 7", "Contacts actioned in 1 working day", "BIB", 86, 82, 0.9, None],
    ],
    # The targets of U 1 and U 7 are formatted 0%; every other cell is General.
    [[None] * 7, *([None] * 5 + ["0%" if r in (0, 6) else None, None] for r in range(7))],
)


def test_units_come_from_the_evidence_and_a_stray_percent_does_not_make_one():
    found = recognise([UNITS])
    header, *rows = found.sheets["Indicators"]
    got = {
        row[0]: (values["Unit"], values["Decimals"], values["Measure"])
        for row in rows
        for values in [dict(zip(header, row, strict=True))]
    }
    assert got == {
        "U 1": ("%", 1, "percentage"),
        "U 2": ("%", 0, "percentage"),
        "U 3": ("%", 0, "percentage"),
        "U 4": ("number", 0, "value"),
        "U 5": ("number", 0, "value"),
        "U 6": ("number", 1, "value"),
        "U 7": ("number", 0, "value"),
    }
    data = {(r[0], r[1]): r[2] for r in found.sheets["Data"][1:]}
    assert data[("U 1", "Nov-17")] == 0.639 and data[("U 7", "Nov-17")] == 82  # as stored
    assert (
        "Unit % guessed (no % format on the figures' cells) for: U 1 (the target is written as "
        "a percentage, and the figures are all between 0 and 1); U 2 ('%' in the title, and the "
        "figures are all between 0 and 1); U 3 ('%' in the RAG methodology, and the figures are "
        "all between 0 and 1). Check the Unit on the Indicators sheet." in found.guesses
    )
    assert any(
        g.startswith("The target is written as a percentage but the figures have no % format")
        and g.count("U 7") == 1
        and "U 4" not in g
        for g in found.guesses
    )


def test_refs_from_titles_are_short_and_the_same_every_time():
    title = "% assessments completed in 45 working days"
    assert ref_from_title(title) == ref_from_title(title) == "AC45WD"


# --- Seed 000: "Success Measure" tables with a baseline, monthly outturns and benchmarks ---------

SEED_000 = Path(__file__).parent / "data" / "seed_000_success_measures.tsv"


def _seed_000_cell(text):
    """A cell as the seed prints it, stored as Excel stores it: (value, number format)."""
    if text == "":
        return None, None
    if text.endswith("%"):
        body = text[:-1]
        decimals = len(body.split(".")[1]) if "." in body else 0
        return round(float(body) / 100, decimals + 2), "0.0%" if decimals else "0%"
    try:
        return int(text), None
    except ValueError:
        return text, None


def build_seed_000(path):
    header, *rows = [line.split("\t") for line in SEED_000.read_text("utf-8").splitlines()]
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Dashboard"
    ws.append(["Ofsted Improvement Board Dashboard"])
    ws.append(["The number of contacts this month has reduced significantly."])
    for n, row in enumerate(rows):
        if n in (0, 9):  # the seed's two pages, each with its title and header
            if n:
                ws.append([None])
                ws.append(["Ofsted Improvement Board Dashboard"])
            ws.append(header)
        r = ws.max_row + 1
        for c, text in enumerate(row, start=1):
            value, fmt = _seed_000_cell(text)
            cell = ws.cell(r, c, value)
            if fmt:
                cell.number_format = fmt
    ws.append([None])
    ws.append([None])
    ws.append(["Team", "Caseload Target", "SW FTE 13/5/15", "Cases 13/5/15", "Caseload"])
    ws.append(["First Response", 25, 31, 553, 17.8])
    book.save(path)
    return path, header, rows


@pytest.fixture(scope="module")
def seed_000(tmp_path_factory):
    folder = tmp_path_factory.mktemp("seed000")
    old, header, rows = build_seed_000(folder / "old.xlsx")
    first = invoke("import", old, "-o", folder / "new.xlsx")
    again = invoke("import", old, "-o", folder / "again.xlsx")
    book = read_workbook(folder / "new.xlsx")
    report, _ = run(book.grids, book.template_version, file_issues=book.issues)
    return first, again, folder, report, header, rows


def _refs(path):
    ws = openpyxl.load_workbook(path)["Indicators"]
    return [r[0] for r in ws.iter_rows(min_row=2, values_only=True) if r[0]]


def test_seed_000_every_measure_and_figure_with_generated_refs(seed_000):
    first, _again, folder, report, header, rows = seed_000
    assert first.exit_code == 1, first.output  # the caseload table and the text need a person
    assert "No Ref column: refs made from the titles" in first.output
    refs = _refs(folder / "new.xlsx")
    assert refs == _refs(folder / "again.xlsx")  # the same refs on every import
    assert len(refs) == len(set(refs)) == 12 and all(len(ref) <= 12 for ref in refs)
    months = [h.replace(" outturn", "") for h in header if re.fullmatch(r"\w{3}-\d\d outturn", h)]
    by_title = {r.title: r for r in report.indicators}
    data = openpyxl.load_workbook(folder / "new.xlsx")["Data"]
    header_row, *data_rows = data.iter_rows(values_only=True)
    ref_c, period_c, value_c = (header_row.index(h) for h in ("Ref", "Period", "Value"))
    stored = {}
    for d in data_rows:
        if d[ref_c]:
            month = d[period_c]
            month = month if isinstance(month, str) else month.strftime("%b-%y")
            stored[(d[ref_c], month)] = d[value_c]
    for row in rows:
        r = by_title[row[0]]
        for month, text in zip(months, row[2 : 2 + len(months)], strict=True):
            value, _ = _seed_000_cell(text)
            if value is None:
                assert (r.ref, month) not in stored
            elif isinstance(value, (int, float)):
                assert stored[(r.ref, month)] == pytest.approx(value), (r.ref, month)
            else:
                assert stored[(r.ref, month)] == value, (r.ref, month)  # n/a kept as typed
        current, _ = _seed_000_cell(row[header.index("Current outturn")])
        assert r.outturn == pytest.approx(current), r.ref  # the seed's own Current outturn
        assert r.unit == ("%" if row[0].startswith("%") else "number"), r.ref
    assert "NOT PLACED Dashboard!A" in first.output and "'Team'" in first.output


def test_seed_000_benchmarks_baseline_targets_and_old_colours(seed_000):
    _, _, folder, report, _, _ = seed_000
    rr = next(r for r in report.indicators if r.title == "% repeat referrals")
    bench = {b.comparator: (b.value, b.year) for b in rr.benchmarks}
    assert bench == {
        "Statistical neighbours": (pytest.approx(0.234), "2014"),
        "South East": (pytest.approx(0.281), "2014"),
        "England": (pytest.approx(0.234), "2014"),
    }
    assert rr.baseline == pytest.approx(0.30) and rr.target == pytest.approx(0.23)
    assert rr.plan_target == pytest.approx(0.23)
    assert (rr.reported_rag, _label(rr.reported_rag_period)) == ("Green", "Apr-15")
    book = openpyxl.load_workbook(folder / "new.xlsx")
    settings = dict(book["Settings"].iter_rows(min_row=2, max_col=2, values_only=True))
    assert settings["Plan target label"] == "Jan-16 Target"
    assert str(settings["Reporting period"]).startswith(("Apr-15", "2015-04"))


# --- Seed 001: Measure / Target / Current position / RAG / Benchmarking / Comments -------------

SEED_001 = SheetGrid(
    "Portfolio",
    [
        ["Children's Services Portfolio - Cllr. Lin Hazell"],
        ["Measure", "Target", "Current position", "RAG", "Benchmarking", "Comments"],
        [
            "% of Child Protection Plans reviewed in timescales",
            0.95,
            0.97,
            "Green",
            None,
            "Outcome: Vulnerable children are safe and protected from harm",
        ],
        [
            "% assessments completed in 45 working days",
            1,
            0.93,
            "Amber",
            "2014/15 England 82% S East 81 % Bucks 83%",
            "Notes: There was a significant increase",
        ],
    ],
    [[], [], [None, "0%", "0%"], [None, "0%", "0%"]],
)


def test_seed_001_needs_a_period_and_lists_the_positions_without_one():
    found = recognise([SEED_001])
    assert found.period_asked and "Data" not in found.sheets
    assert [u.cell for u in found.unplaced] == ["C3", "C4"]


def test_seed_001_with_a_period_places_positions_colours_and_comments():
    from kpi_engine.periods import parse_month

    found = recognise([SEED_001], parse_month("Oct-16"))
    assert found.unplaced == []
    assert found.sheets["Data"][1:] == [["CPPRT", "Oct-16", 0.97], ["AC45WD", "Oct-16", 0.93]]
    header, first, _ = found.sheets["Indicators"]
    row = dict(zip(header, first, strict=True))
    assert (row["Unit"], row["Target"], row["Reported RAG"]) == ("%", 0.95, "Green")
    assert row["Reported RAG period"] == "Oct-16"
    comments = {r[0]: r[2] for r in found.sheets["Commentary"][1:]}
    assert "2014/15 England 82%" in comments["AC45WD"]


# --- Seed 001 end to end: the portfolio tables, no month anywhere, --period ------------------

SEED_001_TEXT = Path(__file__).parent / "data" / "seed_001_portfolio.txt"
RAGS = ("Red", "Amber", "Green")
# The seed's two list headings, "► Key areas of good performance" above the title and the first
# table, and "► Areas of lower than expected performance (Red or Amber)" above the second.
GOOD = "Key areas of good performance"
LOWER = "Areas of lower than expected performance (Red or Amber)"

# Worked out by hand from the seed's text: measure -> (target, current position, RAG).
# Its month: the comments compare the current position with October's figure ("Performance in
# October was 97%" against 93%; "83% ICPCs were held ... in October" against 80%), so Sep-16.
SEED_001_FIGURES = {
    "% of Child Protection Plans reviewed in timescales": (0.95, 0.97, "Green"),
    "% Children Looked After seen in the last 6 weeks": (1, 0.98, "Amber"),
    "% repeat referrals": (0.25, 0.36, "Red"),
    "% of social work staff supervisions completed": (0.89, 0.57, "Red"),
    "% children seen during assessment": (1, 0.95, "Amber"),
    "% of children in need (not including CP, CLA) seen in the last 4 weeks": (1, 0.73, "Red"),
    "% of children subject to a Child Protection Plan seen in the last 2 weeks": (
        0.98,
        0.83,
        "Red",
    ),
    "% of children in need reviewed in last 3 months (not including Child Protection, Children "
    "Looked After)": (0.85, 0.55, "Red"),
    "% of contacts received actioned within 24 hours (1 working day)": (0.9, 0.62, "Red"),
    "% referrals completed within 3 working days": (1, 0.85, "Red"),
    "% assessments completed in 45 working days": (1, 0.93, "Amber"),
    "% ICPC held within 15 working days of the strategy discussion": (1, 0.8, "Red"),
    "% of CLA placed in county": (0.55, 0.49, "Red"),
    "% of CLA are placed no more than 20 miles away from home": (None, 0.41, "Red"),
}


def _seed_001_rows():
    """The seed's lines as worksheet rows. The text is a copy of a printed page, so two of its
    cells ran together ("25% 36%", "% 41% Red") and an empty Benchmarking cell is sometimes lost:
    split them again, and put the text that starts "Outcome:" under Comments."""
    rows = []
    numbered = False  # the second table has a column of row numbers, headed by nothing
    for line in SEED_001_TEXT.read_text("utf-8").splitlines():
        fields = [f.strip() or None for f in line.split("\t")]
        while fields and not fields[-1]:
            fields.pop()
        if len(fields) < 2 or "Measure" in fields:  # a blank line, a heading or a header
            numbered = numbered or fields[:1] == [None]
            rows.append(fields)
            continue
        number = fields.pop(0) if not fields[0] or fields[0].isdigit() else None
        measure, rest = fields[0], fields[1:]
        figures = []
        while rest and not figures[-1:] in ([r] for r in RAGS):
            figures += rest.pop(0).split()
        *numbers, rag = figures
        target, current = numbers if len(numbers) == 2 else (None, *numbers)
        bench, comment = rest if len(rest) == 2 else ((None, *rest) if rest else (None, None))
        if bench and bench.startswith("Outcome:"):
            bench, comment = None, bench
        rows.append([number, measure, target, current, rag, bench, comment][not numbered :])
    return rows


def _percent_cell(text):
    """A "95%" typed into Excel: the fraction, formatted "0%"; a "%" alone is kept as typed."""
    if isinstance(text, str) and re.fullmatch(r"\d+%", text):
        return int(text[:-1]) / 100, "0%"
    return text, None


def build_seed_001(path):
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Portfolio"
    for row in _seed_001_rows():
        r = ws.max_row + 1 if ws.max_row > 1 or ws["A1"].value is not None else 1
        if not row:
            ws.cell(r, 1, None)
            continue
        for c, text in enumerate(row, start=1):
            if isinstance(text, str) and text.isdigit():
                ws.cell(r, c, int(text))  # the row numbers of the second table
                continue
            value, fmt = _percent_cell(text)
            cell = ws.cell(r, c, value)
            if fmt:
                cell.number_format = fmt
    book.save(path)
    return path


@pytest.fixture(scope="module")
def seed_001(tmp_path_factory):
    folder = tmp_path_factory.mktemp("seed001")
    old = build_seed_001(folder / "old.xlsx")
    asked = invoke("import", old, "-o", folder / "asked.xlsx")
    result = invoke("import", old, "-o", folder / "new.xlsx", "--period", "Sep-16")
    return asked, result, folder


def test_seed_001_without_a_period_asks_for_one(seed_001):
    asked, _, _ = seed_001
    assert asked.exit_code == 1, asked.output
    assert "No month in the tables" in asked.output and "--period" in asked.output
    not_placed = re.findall(r"NOT PLACED Portfolio!(\w+): '([^']*)'", asked.output)
    positions = {text for cell, text in not_placed if cell[0] in "CD"}  # Current position
    assert positions == {str(f[1]) for f in SEED_001_FIGURES.values()}


def test_seed_001_every_measure_with_its_target_position_colour_and_comments(seed_001):
    from kpi_engine.commands.fill import fill_workbook

    _, result, folder = seed_001
    out = result.output
    assert f"Portfolio!A5: an indicator table ({GOOD}), 2 indicators" in out
    assert f"Portfolio!A11: an indicator table ({LOWER}), 12 indicators" in out
    assert "Portfolio!A12:A24: the numbers in the column with no heading" in out
    assert "Portfolio!C26: the target is '%' with no number, so it is left blank" in out
    # The "► ..." headings are the Sections: no cell is left.
    assert "NOT PLACED" not in out and "Every cell placed." in out
    assert result.exit_code == 0, out
    report = fill_workbook(folder / "new.xlsx", folder / "filled.xlsx").report
    by_title = {r.title: r for r in report.indicators}
    assert set(by_title) == set(SEED_001_FIGURES)
    for n, (title, (target, current, rag)) in enumerate(SEED_001_FIGURES.items()):
        r = by_title[title]
        assert r.section == (GOOD if n < 2 else LOWER), title  # the first list has two
        assert r.unit == "%", title
        assert r.outturn == pytest.approx(current), title
        assert r.target == (None if target is None else pytest.approx(target)), title
        assert (r.reported_rag, _label(r.reported_rag_period)) == (rag, "Sep-16"), title
    book = openpyxl.load_workbook(folder / "new.xlsx")
    settings = dict(book["Settings"].iter_rows(min_row=2, max_col=2, values_only=True))
    assert str(settings["Reporting period"]).startswith(("Sep-16", "2016-09"))
    comments = {}
    for ref, period, text in book["Commentary"].iter_rows(min_row=2, max_col=3, values_only=True):
        if ref:
            assert str(period).startswith(("Sep-16", "2016-09")), ref
            comments[ref] = text
    refs = {r.title: r.ref for r in report.indicators}
    assert len(comments) == len(SEED_001_FIGURES)
    for title, ref in refs.items():
        assert comments[ref].startswith("Outcome: Vulnerable children are safe"), title
    assert comments[refs["% repeat referrals"]].endswith(
        "\nStatistical Neighbour Average (2015): 23% National Average (2015): 24%"
    )
    assert "The TVP backlog of DV reports" in comments[refs[
        "% of contacts received actioned within 24 hours (1 working day)"]]  # fmt: skip


# --- Month headers with no year ("Apr"): the year is guessed, and the guess is said ----------

NO_YEAR = SheetGrid(
    "S",
    [
        ["Ref", "Title", "Polarity", "Nov", "Dec", "Jan", "Feb", "Target"],
        ["X 1", "Visits in time", "BIB", 0.8, 0.82, 0.85, 0.9, 0.9],
    ],
    [[None] * 8, [None, None, None, "0%", "0%", "0%", "0%", "0%"]],
)


def test_month_headers_without_a_year_take_it_from_the_period_and_say_so():
    from kpi_engine.periods import parse_month

    found = recognise([NO_YEAR], parse_month("Mar-18"))
    assert [r[1] for r in found.sheets["Data"][1:]] == ["Nov-17", "Dec-17", "Jan-18", "Feb-18"]
    assert found.unplaced == []
    assert (
        "S!D1:G1: month headers with no year (Nov to Feb) read as Nov-17 to Feb-18, the years "
        "guessed from the reporting period Mar-18: check them." in found.guesses
    )


def test_month_headers_without_a_year_and_no_period_are_left_and_a_period_asked(tmp_path):
    found = recognise([NO_YEAR])
    assert found.period_asked and "Data" not in found.sheets
    assert [u.cell for u in found.unplaced] == ["D2", "E2", "F2", "G2"]
    old = tmp_path / "old.xlsx"
    book = openpyxl.Workbook()
    for row in NO_YEAR.values:
        book.active.append(row)
    book.save(old)
    result = invoke("import", old, "-o", tmp_path / "new.xlsx", "--period", "Feb-18")
    assert result.exit_code == 0, result.output
    assert "WARNING Sheet!D1:G1: month headers with no year (Nov to Feb) read as Nov-17 to " in (
        result.output
    )
