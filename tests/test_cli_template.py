"""new-template and upgrade from the command line, and the warning an older template gets."""

from __future__ import annotations

import openpyxl
import seed_003
from builders import evaluate
from click.testing import CliRunner
from test_cli import save

from kpi_engine import TEMPLATE_VERSION
from kpi_engine.commands.cli import main
from kpi_engine.issues import Code


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_new_template_writes_a_template_that_validates_with_no_data_yet(tmp_path):
    out = tmp_path / "template.xlsx"
    result = invoke("new-template", out)
    assert result.exit_code == 0 and f"version {TEMPLATE_VERSION}" in result.output
    book = openpyxl.load_workbook(out)
    assert {"Instructions", "Summary", "Dashboard", "Validation", "Indicators", "Data"} <= set(
        book.sheetnames
    )
    assert book["Template info"]["B1"].value == TEMPLATE_VERSION


def test_new_template_into_a_missing_folder_is_one_line_and_exit_2(tmp_path):
    result = invoke("new-template", tmp_path / "no" / "such" / "t.xlsx")
    assert (
        result.exit_code == 2
        and result.output.startswith("Error: cannot write")
        and "Traceback" not in result.output
    )


def test_upgrade_keeps_every_row_and_leaves_the_original_alone(tmp_path):
    src = save(tmp_path / "old.xlsx", seed_003.SHEETS)
    before = src.read_bytes()
    out = tmp_path / "new.xlsx"
    result = invoke("upgrade", src, "-o", out)
    assert result.exit_code == 0, result.output
    assert src.read_bytes() == before
    filled = invoke("validate", out)
    assert (
        filled.output.strip().splitlines()[-1] == "new.xlsx: 8 errors, 14 warnings."
    )  # the same issues as before


def test_upgrade_of_an_unreadable_file_exits_2(tmp_path):
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"nope")
    result = invoke("upgrade", bad, "-o", tmp_path / "out.xlsx")
    assert (
        result.exit_code == 2
        and result.output.startswith("Error:")
        and not (tmp_path / "out.xlsx").exists()
    )


def test_an_older_template_is_filled_with_a_warning_saying_how_to_upgrade():
    report = evaluate(
        seed_003.SHEETS, template_version=str(TEMPLATE_VERSION - 1) if TEMPLATE_VERSION > 1 else "0"
    )
    issue = next(i for i in report.issues if i.code == Code.TEMPLATE_VERSION)
    assert issue.severity.value == "warning" and "kpi-dashboard upgrade" in issue.message
    assert not any(
        i.code == Code.TEMPLATE_VERSION
        for i in evaluate(seed_003.SHEETS, template_version=str(TEMPLATE_VERSION)).issues
    )


def test_pack_without_libreoffice_says_how_to_install_it_and_exits_2(tmp_path, monkeypatch):
    import shutil

    monkeypatch.setattr(shutil, "which", lambda name, *a, **k: None)
    src = save(tmp_path / "in.xlsx", seed_003.SHEETS)
    result = invoke("pack", src, "-o", tmp_path / "pack.pdf")
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "libreoffice" in result.output.lower() and not (tmp_path / "pack.pdf").exists()
