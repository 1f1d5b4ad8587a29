"""The command line, run in-process: exact exit statuses and the words an officer sees."""

from __future__ import annotations

import json
import zipfile

import pytest
import seed_003
from builders import data_rows, indicator_rows, save_grids, settings_rows
from click.testing import CliRunner

from kpi_engine.commands.cli import main

save = save_grids  # other test modules import it by this name


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def clean_sheets():
    return {
        "Settings": settings_rows("2024-03"),
        "Indicators": indicator_rows(
            dict(
                Ref="A1",
                Title="Assessments in time",
                Polarity="BIB",
                Unit="%",
                Measure="percentage",
                **{"RAG methodology": "90% or above Green 85%-89% Amber 84% and below Red"},
            )
        ),
        "Data": data_rows(("A1", "2024-03", 90, 100)),
    }


def test_validate_clean_workbook_exits_0(tmp_path):
    result = invoke("validate", save(tmp_path / "ok.xlsx", clean_sheets()))
    assert result.exit_code == 0
    assert result.output.strip() == "ok.xlsx: no problems found."


def test_validate_lists_each_issue_with_sheet_cell_and_ref_and_exits_1(tmp_path):
    result = invoke("validate", save(tmp_path / "seed.xlsx", seed_003.SHEETS))
    assert result.exit_code == 1
    assert "ERROR   Data!B23 (LAC 19 (12m)): Value '79% (6m+)' is not a number." in result.output
    assert "WARNING Indicators!J3 (W 1): W 1's RAG methodology leaves a gap" in result.output
    assert result.output.strip().splitlines()[-1] == "seed.xlsx: 8 errors, 14 warnings."


def test_validate_json_lists_every_issue(tmp_path):
    result = invoke("validate", save(tmp_path / "seed.xlsx", seed_003.SHEETS), "--json")
    assert result.exit_code == 1
    doc = json.loads(result.output)
    assert doc["errors"] == 8 and doc["warnings"] == 14 and len(doc["issues"]) == 22
    first = doc["issues"][0]
    assert set(first) == {"severity", "sheet", "cell", "ref", "code", "message"}
    assert {
        "sheet": "Indicators",
        "cell": "J10",
        "ref": "FD 8",
        "code": "methodology_overlap",
    }.items() <= next(i for i in doc["issues"] if i["ref"] == "FD 8").items()


def test_warnings_alone_exit_0(tmp_path):
    sheets = clean_sheets()
    sheets["Indicators"][1][3] = None  # polarity blank beside a methodology: a warning
    result = invoke("validate", save(tmp_path / "warn.xlsx", sheets))
    assert result.exit_code == 0
    assert "polarity" in result.output.lower() and result.output.strip().endswith(
        "0 errors, 1 warning."
    )


def test_missing_sheet_is_a_data_error(tmp_path):
    sheets = clean_sheets()
    del sheets["Data"]
    result = invoke("validate", save(tmp_path / "nodata.xlsx", sheets))
    assert result.exit_code == 1
    assert "The workbook has no 'Data' sheet" in result.output


@pytest.mark.parametrize(
    "content, words",
    [
        (b"this is not a workbook", "is not an .xlsx workbook"),
        (b"", "is not an .xlsx workbook"),
    ],
)
def test_unreadable_file_exits_2_with_one_line_and_no_traceback(tmp_path, content, words):
    path = tmp_path / "broken.xlsx"
    path.write_bytes(content)
    result = invoke("validate", path)
    assert result.exit_code == 2
    assert words in result.output and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_zip_that_is_not_a_workbook_exits_2(tmp_path):
    path = tmp_path / "other.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("hello.txt", "hi")
    result = invoke("validate", path)
    assert result.exit_code == 2 and "cannot be read as an .xlsx workbook" in result.output


def test_missing_file_exits_2(tmp_path):
    result = invoke("validate", tmp_path / "nope.xlsx")
    assert result.exit_code == 2 and "no such file" in result.output


def test_misuse_exits_2():
    result = invoke("validate")
    assert result.exit_code == 2 and "Missing argument" in result.output


def test_every_command_has_help():
    for command in main.commands.values():
        assert command.help and len(command.help.split()) > 5
