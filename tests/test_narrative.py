"""The board's narrative: the Narrative sheet (director's summary, section commentary) and the
Actions sheet (the action log), read, checked, carried to the JSON results and printed on the
Summary; and an older workbook without them, filled with one warning and upgraded.

Every expected value here is worked out by hand from the demo's rows (workbook_templates/demo.py)
or from the rows a test writes, not from the engine.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil

import jsonschema
import openpyxl
import pytest
import seed_003
from builders import evaluate
from click.testing import CliRunner

from kpi_engine import TEMPLATE_VERSION
from kpi_engine.commands.cli import main
from kpi_engine.pipeline import run
from kpi_engine.render import NARRATIVE_LINE, SUMMARY_HEADERS
from kpi_engine.render_model import BLANK, HEADER, ROW, SECTION
from kpi_engine.results_json import report_json
from kpi_engine.schema import load
from workbook_templates.build import build_template
from workbook_templates.demo import DEMO_FILE, demo_sheets
from workbook_templates.upgrade import upgrade

REFRESHED = dt.datetime(2025, 10, 7, 9, 0)
SEP_25, AUG_25 = dt.datetime(2025, 9, 1), dt.datetime(2025, 8, 1)


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture(scope="module")
def demo():
    return run(demo_sheets(), str(TEMPLATE_VERSION), REFRESHED)


def summary_rows(model):
    summary = model.sheet("Summary")
    (block,) = summary.blocks
    return block.values


def block_after(rows, heading):
    """The rows of the Summary's block under the section row ``heading``, to the next blank row."""
    start = next(i for i, r in enumerate(rows) if r[0] == SECTION and heading in r)
    out = []
    for row in rows[start + 1 :]:
        if row[0] not in (HEADER, ROW):
            break
        out.append(row)
    return out


def as_dicts(block):
    """A block's header row and its rows, as dicts keyed by header (blank headers dropped)."""
    header, *rows = block
    names = {i: h for i, h in enumerate(header) if i > 1 and h}
    return [{h: row[i] for i, h in names.items()} for row in rows]


def with_rows(sheet, *rows):
    sheets = demo_sheets()
    sheets[sheet] = [*sheets[sheet], *[list(r) for r in rows]]
    return sheets


# --- The action log --------------------------------------------------------------------------


def test_the_demos_overdue_action_is_overdue_and_the_done_ones_are_not(demo):
    report, model = demo
    by_ref = {a.action_ref: a for a in report.actions}
    assert len(by_ref) == 8
    # Reporting period Sep-25 ends 30/09/2025. Jul-02 was due 29/08/2025 and is In progress.
    assert by_ref["Jul-02"].overdue and by_ref["Jul-02"].status == "In progress"
    # Aug-01 was due on the period's last day, 30/09/2025, and is Done; Jul-01 is Done too.
    assert by_ref["Aug-01"].due == "2025-09-30" and by_ref["Aug-01"].status == "Done"
    assert not by_ref["Aug-01"].overdue and not by_ref["Jul-01"].overdue
    # Due later, or to be confirmed (blank Due): not overdue.
    assert not by_ref["Aug-02"].overdue and by_ref["Sep-01"].due is None
    assert [a.action_ref for a in report.actions if a.overdue] == ["Jul-02"]
    log = {r["Action ref"]: r for r in as_dicts(block_after(summary_rows(model), "Action log"))}
    assert list(log) == [
        "Jul-01",
        "Jul-02",
        "Aug-01",
        "Aug-02",
        "Aug-03",
        "Sep-01",
        "Sep-02",
        "Sep-03",
    ]
    assert log["Jul-02"]["Status"] == "Overdue" and log["Jul-02"]["Due"] == "29 Aug 2025"
    assert log["Jul-02"]["Owner"] == "TS"
    assert log["Jul-02"]["Indicator"].startswith("CP 5: Percentage of children for whom ICPC")
    assert log["Aug-01"]["Status"] == "Done" and log["Sep-01"]["Due"] == "TBC"
    assert log["Sep-03"]["Indicator"] is None  # an action about no one indicator


@pytest.mark.parametrize(
    "status, due, overdue",
    [
        ("Open", dt.datetime(2025, 9, 30), True),  # due on the period's last day
        ("Open", dt.datetime(2025, 10, 1), False),  # due the day after
        ("In progress", dt.datetime(2024, 1, 31), True),
        ("Done", dt.datetime(2024, 1, 31), False),
        ("Dropped", dt.datetime(2024, 1, 31), False),
        (None, dt.datetime(2025, 9, 1), True),  # a blank Status is Open
        ("Y", dt.datetime(2025, 9, 1), False),  # seed 003's "COMPLETE?" Y is Done
        ("Ongoing", dt.datetime(2025, 9, 1), True),  # and its Ongoing is In progress
        ("Open", None, False),  # to be confirmed
    ],
)
def test_overdue_is_not_done_or_dropped_and_due_by_the_end_of_the_period(status, due, overdue):
    sheets = with_rows("Actions", ["Sep-09", "FD 3", "A test action.", "IL", due, status])
    action = evaluate(sheets, refreshed=REFRESHED).actions[-1]
    assert action.action_ref == "Sep-09" and action.overdue is overdue
    assert action.status in ("Open", "In progress", "Done", "Dropped")


def test_an_indicator_ref_not_on_indicators_is_warned_at_its_cell_and_the_action_kept():
    sheets = with_rows("Actions", ["Sep-09", "FD 99", "Check the front door.", "IL", None, "Open"])
    row = len(sheets["Actions"])  # the header is row 1
    report = evaluate(sheets, refreshed=REFRESHED)
    (issue,) = [i for i in report.issues if i.sheet == "Actions"]
    assert (issue.severity.value, issue.cell, issue.code.value) == (
        "warning",
        f"B{row}",
        "unknown_ref",
    )
    assert "'FD 99' is not a Ref on the Indicators sheet" in issue.message
    assert (
        report.actions[-1].indicator_ref == "FD 99" and report.actions[-1].indicator_title is None
    )
    assert not report.errors


def test_a_bad_due_date_and_an_unknown_status_are_errors_at_their_cells():
    sheets = with_rows("Actions", ["Sep-09", None, "An action.", "IL", "soon", "Maybe"])
    row = len(sheets["Actions"])
    issues = {
        i.cell: i for i in evaluate(sheets, refreshed=REFRESHED).issues if i.sheet == "Actions"
    }
    assert set(issues) == {f"E{row}", f"F{row}"}
    assert "Due 'soon'" in issues[f"E{row}"].message and "date" in issues[f"E{row}"].message
    assert "Open, In progress, Done, Dropped" in issues[f"F{row}"].message


# --- The narrative ---------------------------------------------------------------------------


def block_text(rows, heading):
    """The narrative under the section row ``heading``: its lines joined back into paragraphs
    (a blank row between paragraphs), read from the Summary's first column."""
    at = SUMMARY_HEADERS.index("No.")
    start = next(i for i, r in enumerate(rows) if r[0] == SECTION and r[2] == heading)
    paragraphs: list[list[str]] = [[]]
    for row in rows[start + 1 :]:
        if row[0] not in (ROW, BLANK):
            break
        if row[0] == BLANK:
            paragraphs.append([])
            continue
        assert len(row[at]) <= NARRATIVE_LINE and not any(row[at + 1 :]), row
        paragraphs[-1].append(row[at])
    return [" ".join(lines) for lines in paragraphs if lines]


def test_the_directors_summary_prints_near_the_top_as_lines_across_the_page(demo):
    report, model = demo
    rows = summary_rows(model)
    assert report.directors_summary is not None
    paragraphs = block_text(rows, "Director's summary")
    assert len(paragraphs) == 5  # the demo's summary has five paragraphs, each kept whole
    written = [p.strip() for p in report.directors_summary.commentary.splitlines() if p.strip()]
    assert paragraphs == [" ".join(p.split()) for p in written]
    assert paragraphs[0].startswith("September saw the expected rise in contacts")
    assert paragraphs[-1].startswith("Average caseloads have reduced to 18.1")
    headings = [r[2] for r in rows if r[0] == SECTION]
    assert headings[0] == "Director's summary"
    assert headings[1] == "Section commentary: Front Door"
    assert headings[-1].startswith("Areas of lower than expected performance")  # still last


def test_section_commentary_is_the_reporting_periods_in_the_indicators_order(demo):
    report, model = demo
    assert [c.section for c in report.section_commentary] == [
        "Front Door",
        "Assessment",
        "Child Protection",
        "Looked After Children",
        "Workforce",
    ]
    headings = [r[2] for r in summary_rows(model) if r[0] == SECTION]
    assert [h for h in headings if h.startswith("Section commentary: ")] == [
        f"Section commentary: {c.section}" for c in report.section_commentary
    ]
    # Seed 003's shape under each section: the commentary, then Improvement activity, then Next
    # steps, each its own paragraph.
    front_door = block_text(summary_rows(model), "Section commentary: Front Door")
    assert front_door[0].startswith("Volumes of contacts and referrals increased")
    assert front_door[1].startswith("Improvement activity: Two additional Contact Officers")
    assert front_door[2].startswith("Next steps: Head of Service to review MASH capacity")
    # The August row ("Contacts fell over the summer") is not September's: not printed.
    assert not any("fell over the summer" in str(v) for r in summary_rows(model) for v in r)


def test_a_section_not_on_indicators_is_warned_at_its_cell_with_the_sections_there():
    sheets = with_rows(
        "Narrative",
        ["Early Help", SEP_25, "Early help referrals rose.", None, None],
        ["front  door", dt.datetime(2025, 7, 1), None, None, None],  # case and spaces ignored
        ["Directors Summary", AUG_25, "August's summary.", None, None],  # seed 003's spelling
    )
    row = len(sheets["Narrative"]) - 2
    report = evaluate(sheets, refreshed=REFRESHED)
    (issue,) = [i for i in report.issues if i.sheet == "Narrative"]
    assert (issue.severity.value, issue.cell, issue.code.value) == (
        "warning",
        f"A{row}",
        "unknown_section",
    )
    assert "Section 'Early Help' is not a section on the Indicators sheet" in issue.message
    assert "Front Door, Assessment, Child Protection, Children in Need" in issue.message
    assert "Director's summary" in issue.message
    # Printed all the same, after the Indicators sheet's sections.
    assert report.section_commentary[-1].section == "Early Help"
    assert not report.errors


def test_a_second_row_for_a_section_and_month_is_warned_and_not_printed():
    sheets = with_rows("Narrative", ["Workforce", SEP_25, "A second go.", None, None])
    report = evaluate(sheets, refreshed=REFRESHED)
    (issue,) = [i for i in report.issues if i.sheet == "Narrative"]
    assert issue.code.value == "duplicate_row" and issue.cell == f"A{len(sheets['Narrative'])}"
    workforce = next(c for c in report.section_commentary if c.section == "Workforce")
    assert workforce.commentary.startswith("Caseloads continue to reduce")


def test_blocks_with_nothing_in_them_are_left_out():
    report, model = run(seed_003.SHEETS, None, REFRESHED)
    headings = [r[2] for r in summary_rows(model) if r[0] == SECTION]
    assert not [h for h in headings if h.startswith(("Director's summary", "Section commentary"))]
    assert "Action log" not in headings
    assert report.directors_summary is None and report.actions == []
    document = report_json(report)
    assert (document["directors_summary"], document["section_commentary"], document["actions"]) == (
        None,
        [],
        [],
    )


def test_the_json_results_carry_the_directors_summary_commentary_and_action_log(demo):
    report, _ = demo
    document = json.loads(json.dumps(report_json(report)))
    assert list(jsonschema.Draft202012Validator(load("results")).iter_errors(document)) == []
    summary = document["directors_summary"]
    assert summary["commentary"].startswith("September saw the expected rise in contacts")
    assert summary["commentary"].count("\n") == 4
    assert (summary["improvement_activity"], summary["next_steps"]) == (None, None)
    assert document["section_commentary"][2]["section"] == "Child Protection"
    assert document["actions"][1] == {
        "action_ref": "Jul-02",
        "indicator_ref": "CP 5",
        "action": (
            "Analysis of delayed ICPCs to identify and address the causes of delay, including "
            "agencies' notice periods."
        ),
        "owner": "TS",
        "due": "2025-08-29",
        "status": "In progress",
        "overdue": True,
    }


# --- The template, and an older workbook -----------------------------------------------------


def test_the_template_has_both_sheets_with_tables_drop_downs_and_text_refs():
    book = build_template()
    narrative, actions = book["Narrative"], book["Actions"]
    assert [c.value for c in narrative[1]] == [
        "Section",
        "Period",
        "Commentary",
        "Improvement activity",
        "Next steps",
    ]
    assert [c.value for c in actions[1]] == [
        "Action ref",
        "Indicator ref",
        "Action",
        "Owner",
        "Due",
        "Status",
    ]
    assert list(narrative.tables) == ["NarrativeTable"] and list(actions.tables) == ["ActionsTable"]
    lists = [dv for dv in actions.data_validations.dataValidation if dv.type == "list"]
    (status,) = lists
    assert str(status.sqref).startswith("F2:")
    info = book["Template info"]
    column = status.formula1.split("!")[1].replace("$", "").split(":")[0][0]
    values = [info[f"{column}{r}"].value for r in range(2, 6)]
    assert values == ["Open", "In progress", "Done", "Dropped"]
    assert actions.column_dimensions["A"].number_format == "@"  # Oct-01 stays text
    assert actions.column_dimensions["E"].number_format == "dd/mm/yyyy"
    instructions = " ".join(str(c.value) for c in book["Instructions"]["B"] if c.value)
    assert "Narrative:" in instructions and "Actions:" in instructions and "Overdue" in instructions


def _template_1_workbook(path):
    """The demo as template 1 made it: no Narrative, Actions or Team list sheet, version 1."""
    book = openpyxl.load_workbook(DEMO_FILE)
    del book["Narrative"]
    del book["Actions"]
    if "Team list" in book.sheetnames:
        del book["Team list"]
    book["Template info"]["B1"] = 1
    for prop in book.custom_doc_props:
        if prop.name == "kpi_template_version":
            prop.value = 1
    book.save(path)
    return path


def test_a_template_1_workbook_fills_with_exit_0_and_says_once_what_is_missing(tmp_path):
    old = _template_1_workbook(tmp_path / "old.xlsx")
    result = invoke("fill", old, "-o", tmp_path / "out.xlsx", "--json", tmp_path / "out.json")
    assert result.exit_code == 0, result.output
    words = (
        "This workbook has no Narrative or Actions sheets (it was made from template 1), so the "
        "Summary shows no director's summary or section commentary, and no action log. Run "
        "'kpi-dashboard upgrade OLD.xlsx -o NEW.xlsx' to add them"
    )
    assert result.output.count(words) == 1
    issues = json.loads((tmp_path / "out.json").read_text())["issues"]
    (warning,) = [i for i in issues if i["code"] == "template_version"]
    assert warning["severity"] == "warning" and warning["message"].startswith(words)
    validation = openpyxl.load_workbook(tmp_path / "out.xlsx")["Validation"]
    texts = [c.value for c in validation["G"] if isinstance(c.value, str)]
    assert sum(t.startswith(words) for t in texts) == 1
    validate = invoke("validate", old)
    assert validate.exit_code == 0 and validate.output.count(words) == 1


def test_a_template_1_workbook_with_only_the_actions_sheet_missing_names_that_one():
    sheets = demo_sheets()
    del sheets["Actions"]
    report = evaluate(sheets, refreshed=REFRESHED, template_version="1")
    (warning,) = [i for i in report.issues if i.code.value == "template_version"]
    assert warning.message.startswith(
        "This workbook has no Actions sheet (it was made from template 1), so the Summary shows "
        "no action log. Run 'kpi-dashboard upgrade OLD.xlsx -o NEW.xlsx' to add it"
    )


def test_upgrade_adds_the_sheets_and_keeps_every_row(tmp_path):
    old = _template_1_workbook(tmp_path / "old.xlsx")
    source = openpyxl.load_workbook(old)
    conf = source.create_sheet("xlwings.conf")  # as an older template's Excel clients had it
    conf.append(["INCLUDE", "Settings,Indicators,Data,Targets,Benchmarks,Commentary,Summary"])
    source.save(old)
    moved = upgrade(old, tmp_path / "new.xlsx")
    new = openpyxl.load_workbook(tmp_path / "new.xlsx")
    for name in ("Settings", "Indicators", "Data", "Targets", "Benchmarks", "Commentary"):
        rows = [
            r for r in source[name].iter_rows(values_only=True) if any(v is not None for v in r)
        ]
        assert moved[name] == len(rows) - 1, name
        assert list(new[name].iter_rows(max_col=len(rows[0]), values_only=True)) == rows, name
    for name in ("Narrative", "Actions", "Team list"):
        assert name in new.sheetnames and name not in moved
        assert new[name].max_row == 1 and new[name]["A1"].value is not None  # headers only
    assert new["Template info"]["B1"].value == TEMPLATE_VERSION
    assert new["xlwings.conf"]["B1"].value == (
        "Settings,Indicators,Data,Targets,Benchmarks,Commentary,Narrative,Actions,Team list,Summary"
    )
    result = invoke("fill", tmp_path / "new.xlsx", "-o", tmp_path / "filled.xlsx")
    assert result.exit_code == 0 and "no Narrative" not in result.output


def test_upgrade_carries_the_narrative_and_the_action_log(tmp_path):
    src = tmp_path / "demo.xlsx"
    shutil.copy(DEMO_FILE, src)
    moved = upgrade(src, tmp_path / "new.xlsx")
    assert moved["Narrative"] == len(demo_sheets()["Narrative"]) - 1 == 7
    assert moved["Actions"] == 8
    book = openpyxl.load_workbook(tmp_path / "new.xlsx")
    assert book["Actions"]["A3"].value == "Jul-02"
    assert book["Actions"]["E3"].value == dt.datetime(2025, 8, 29)
