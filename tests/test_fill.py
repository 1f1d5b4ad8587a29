"""The headless fill: output sheets written, inputs untouched, written whole or not at all."""

from __future__ import annotations

import datetime as dt
import json

import jsonschema
import openpyxl
import pytest
import seed_003
from click.testing import CliRunner
from test_cli import save

from kpi_engine.commands.batch import run_batch
from kpi_engine.commands.cli import main
from kpi_engine.commands.fill import fill_workbook
from kpi_engine.render import SUMMARY_HEADERS
from kpi_engine.schema import load

WHEN = dt.datetime(2017, 12, 4, 9, 30)
INPUTS = ("Settings", "Indicators", "Data", "Commentary")


@pytest.fixture()
def seed_book(tmp_path):
    return save(tmp_path / "seed.xlsx", seed_003.SHEETS)


def cells(ws):
    return {
        (c.row, c.column): (c.value, c.number_format, c.data_type)
        for row in ws.iter_rows()
        for c in row
        if c.value is not None
    }


def dashboard_row(ws, ref):
    for row in ws.iter_rows(min_row=5):
        if row[2].value == ref:
            return {ws.cell(4, c.column).value: c for c in row}
    raise KeyError(ref)


def test_dashboard_cells_words_and_formats(seed_book, tmp_path):
    out = tmp_path / "out.xlsx"
    result = fill_workbook(seed_book, out, refreshed=WHEN)
    assert result.written and result.errors == 8
    ws = openpyxl.load_workbook(out)["Dashboard"]
    fd3 = dashboard_row(ws, "FD 3")
    assert fd3["Current outturn"].value == pytest.approx(0.82)
    assert (
        fd3["RAG"].value == "Red" and fd3["Previous RAG"].value == "Amber"
    )  # Oct-17 86% against 85%-89% Amber
    assert fd3["Direction"].value == "\u25bc declining"
    assert fd3["RAG methodology"].value == "90% or above Green, 85%-89% Amber, 84% and below Red"
    amt = dashboard_row(ws, "AMT 2")
    assert amt["Nov-17"].value == pytest.approx(0.639)
    w1 = dashboard_row(ws, "W 1")
    assert w1["RAG"].value == "Amber"
    assert (
        ws["A4"].value == "header" and ws["C5"].value == "Workforce" and ws["A5"].value == "section"
    )
    assert (
        fd3["Format"].value == "%|0"
        and amt["Format"].value == "%|1"
        and w1["Format"].value == "number|0"
    )
    assert "Seed 003 council" in ws["B2"].value and "2017-12-04 09:30" in ws["B2"].value


def test_summary_counts_and_exceptions(seed_book, tmp_path):
    out = tmp_path / "out.xlsx"
    fill_workbook(seed_book, out, refreshed=WHEN)
    ws = openpyxl.load_workbook(out)["Summary"]
    at = SUMMARY_HEADERS.index("Measure") + 1  # the status; its count beside it
    counts = {ws.cell(r, at).value: ws.cell(r, at + 1).value for r in range(5, 14)}
    # CP 10 is left out for errors in its row: named, and counted in the total.
    assert (
        counts["Green"] == 8
        and counts["Amber"] == 3
        and counts["Red"] == 15
        and counts["1 indicator left out: CP 10 (see the Validation sheet)"] == 1
        and counts["Total measures"] == 34
    )
    texts = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert "Areas of lower than expected performance (Red or Amber)" in texts
    assert any(
        t.startswith("Improvement activity: Since our inspection in June") for t in texts
    )  # AMT 2's commentary


def test_validation_rows_link_to_their_cells(seed_book, tmp_path):
    out = tmp_path / "out.xlsx"
    fill_workbook(seed_book, out, refreshed=WHEN)
    ws = openpyxl.load_workbook(out)["Validation"]
    row = next(
        r for r in ws.iter_rows(min_row=5) if r[2].value == "Data" and "!B23" in str(r[3].value)
    )
    assert row[1].value == "Error" and "79% (6m+)" in row[6].value
    # the link is a formula the engine builds from the sheet and the cell, showing the cell
    assert row[3].value == '=HYPERLINK("#\'Data\'!B23","B23")' and row[3].hyperlink is None
    shown = openpyxl.load_workbook(out, data_only=True)["Validation"].cell(row[3].row, 4)
    assert shown.value == "B23"


def test_input_sheets_come_out_unchanged_cell_by_cell(seed_book, tmp_path):
    out = tmp_path / "out.xlsx"
    fill_workbook(seed_book, out, refreshed=WHEN)
    before, after = openpyxl.load_workbook(seed_book), openpyxl.load_workbook(out)
    for name in INPUTS:
        assert cells(after[name]) == cells(before[name]), name


def test_refreshing_twice_gives_the_same_workbook(seed_book, tmp_path):
    once, twice = tmp_path / "once.xlsx", tmp_path / "twice.xlsx"
    fill_workbook(seed_book, once, refreshed=WHEN)
    fill_workbook(once, twice, refreshed=WHEN)
    a, b = openpyxl.load_workbook(once), openpyxl.load_workbook(twice)
    assert a.sheetnames == b.sheetnames
    for name in a.sheetnames:
        assert cells(a[name]) == cells(b[name]), name


def test_output_may_be_the_input_itself(seed_book):
    before = {n: cells(openpyxl.load_workbook(seed_book)[n]) for n in INPUTS}
    fill_workbook(seed_book, seed_book, refreshed=WHEN)
    book = openpyxl.load_workbook(seed_book)
    assert {n: cells(book[n]) for n in INPUTS} == before
    assert "Dashboard" in book.sheetnames


def test_formula_text_from_inputs_stays_text(tmp_path):
    sheets = {k: [list(r) for r in v] for k, v in seed_003.SHEETS.items()}
    sheets["Indicators"][2][1] = '=HYPERLINK("http://example.invalid","click")'
    src, out = save(tmp_path / "f.xlsx", sheets), tmp_path / "out.xlsx"
    # openpyxl itself stores an "=" string as a formula; make the input a text cell as Excel would.
    book = openpyxl.load_workbook(src)
    book["Indicators"]["B3"].data_type = "s"
    book.save(src)
    fill_workbook(src, out, refreshed=WHEN)
    ws = openpyxl.load_workbook(out)["Dashboard"]
    cell = dashboard_row(ws, "W 1")["Indicator"]
    assert cell.value.startswith("=HYPERLINK") and cell.data_type == "s"


def test_a_crash_while_saving_leaves_no_output_and_no_temporary_file(
    seed_book, tmp_path, monkeypatch
):
    out = tmp_path / "out.xlsx"
    out.write_bytes(b"previous output")

    def broken_save(package, out, replaced, order=()):
        out.write(b"half a workbook")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("kpi_engine.xlsx.splice.write_package", broken_save)
    with pytest.raises(OSError):
        fill_workbook(seed_book, out, refreshed=WHEN)
    assert out.read_bytes() == b"previous output"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.xlsx", "seed.xlsx"]


def test_json_results_are_written_and_match_the_schema(seed_book, tmp_path):
    out, js = tmp_path / "out.xlsx", tmp_path / "results.json"
    fill_workbook(seed_book, out, refreshed=WHEN, json_out=js)
    document = json.loads(js.read_text("utf-8"))
    jsonschema.validate(document, load("results"))
    assert document["stamp"]["refreshed"] == "2017-12-04T09:30:00"


def test_cli_fill_exit_statuses_and_strict(seed_book, tmp_path):
    runner = CliRunner()
    out = tmp_path / "out.xlsx"
    result = runner.invoke(main, ["fill", str(seed_book), "-o", str(out)])
    assert result.exit_code == 1 and out.exists() and "8 errors, 14 warnings" in result.output
    strict_out = tmp_path / "strict.xlsx"
    result = runner.invoke(main, ["fill", str(seed_book), "-o", str(strict_out), "--strict"])
    assert result.exit_code == 1 and not strict_out.exists() and "Nothing written" in result.output
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"not a zip")
    result = runner.invoke(main, ["fill", str(bad), "-o", str(tmp_path / "x.xlsx")])
    assert (
        result.exit_code == 2
        and "Traceback" not in result.output
        and not (tmp_path / "x.xlsx").exists()
    )


def test_batch_fills_the_good_ones_and_reports_the_bad(seed_book, tmp_path):
    other = tmp_path / "other"
    other.mkdir()
    second = save(other / "second.xlsx", seed_003.SHEETS)
    corrupt = tmp_path / "corrupt.xlsx"
    corrupt.write_bytes(b"PK\x03\x04 truncated")
    outdir = tmp_path / "filled"
    outcomes = run_batch([seed_book, corrupt, second], outdir, jobs=2)
    assert [o.status for o in outcomes] == ["filled with errors", "failed", "filled with errors"]
    assert "corrupt.xlsx" in outcomes[1].message
    assert sorted(p.name for p in outdir.iterdir()) == ["second.xlsx", "seed.xlsx"]
    result = CliRunner().invoke(
        main, ["batch", str(seed_book), str(corrupt), "-o", str(tmp_path / "o2"), "--jobs", "1"]
    )
    assert result.exit_code == 1
    assert "2 workbooks: 1 filled (1 with errors), 1 failed." in result.output


@pytest.mark.parametrize("target", ["input", "output"])
def test_json_over_the_workbook_or_the_output_is_refused_before_anything_is_written(
    seed_book, tmp_path, target
):
    out = tmp_path / "out.xlsx"
    out.write_bytes(b"the previous output")
    before = seed_book.read_bytes()
    json_path = seed_book if target == "input" else out
    result = CliRunner().invoke(
        main, ["fill", str(seed_book), "-o", str(out), "--json", str(json_path)]
    )
    assert result.exit_code == 2
    assert "--json" in result.output and "results.json" in result.output
    assert seed_book.read_bytes() == before and out.read_bytes() == b"the previous output"


def test_filling_in_place_with_json_elsewhere_is_allowed(seed_book, tmp_path):
    result = CliRunner().invoke(
        main, ["fill", str(seed_book), "-o", str(seed_book), "--json", str(tmp_path / "r.json")]
    )
    assert result.exit_code in (0, 1) and (tmp_path / "r.json").exists()


def test_an_xlsx_cannot_be_written_under_an_xlsm_name(seed_book, tmp_path):
    out = tmp_path / "out.xlsm"
    result = CliRunner().invoke(main, ["fill", str(seed_book), "-o", str(out)])
    assert result.exit_code == 2 and "out.xlsx" in result.output and not out.exists()


@pytest.mark.parametrize(
    "calc", [b'<calcPr calcId="191029"/>', b'<calcPr calcId="191029" fullCalcOnLoad="0"/>', b""]
)
def test_excel_is_asked_to_recalculate_formulas_that_read_the_output_sheets(
    seed_book, tmp_path, calc
):
    import re
    import zipfile

    src = tmp_path / "calc.xlsx"
    with zipfile.ZipFile(seed_book) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    book = re.sub(rb"<calcPr\b[^>]*/>", b"", parts["xl/workbook.xml"])
    parts["xl/workbook.xml"] = book.replace(b"</workbook>", calc + b"</workbook>")
    with zipfile.ZipFile(src, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    out = tmp_path / "out.xlsx"
    fill_workbook(src, out, refreshed=WHEN)
    with zipfile.ZipFile(out) as z:
        written = z.read("xl/workbook.xml")
    assert len(re.findall(rb"<calcPr\b", written)) == 1
    assert re.search(rb'<calcPr\b[^>]*\sfullCalcOnLoad="1"', written)
    if calc:
        assert b'calcId="191029"' in written
