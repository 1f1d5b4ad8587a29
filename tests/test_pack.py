"""The board pack: the demo printed to PDF by LibreOffice, and what happens without LibreOffice."""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

from kpi_engine.charts import FIRST_CHART_ROW, SLOT_ROWS, charted
from kpi_engine.commands import pack
from kpi_engine.commands.fill import fill_workbook
from kpi_engine.commands.pack import INSTALL_HINT, PACK_SHEETS, make_pack, prepare_for_print
from kpi_engine.errors import PackError
from workbook_templates.demo import DEMO_FILE, ORGANISATION

WHEN = dt.datetime(2025, 10, 6, 9, 30)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def need_libreoffice() -> None:
    if pack.find_libreoffice() is None:
        pytest.skip(
            "LibreOffice is not installed, so the board pack cannot be printed here. "
            f"{INSTALL_HINT}"
        )
    if shutil.which("pdftotext") is None:
        pytest.skip(
            "pdftotext is not installed (Debian or Ubuntu: sudo apt-get install poppler-utils)"
        )


def pdf_pages(pdf: Path) -> list[str]:
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = text.split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


@pytest.fixture(scope="module")
def demo_pack(tmp_path_factory):
    need_libreoffice()
    folder = tmp_path_factory.mktemp("pack")
    before = digest(DEMO_FILE)
    out = folder / "board-pack.pdf"
    result = make_pack(DEMO_FILE, out, refreshed=WHEN)
    assert digest(DEMO_FILE) == before  # the source is never touched
    return result, out


def test_the_demo_pack_has_the_pages_in_pack_order(demo_pack):
    result, out = demo_pack
    assert out.read_bytes().startswith(b"%PDF")
    pages = pdf_pages(out)
    assert result.pages == len(pages) and result.sheets == PACK_SHEETS
    text = "\n".join(pages)
    for phrase in (
        ORGANISATION,
        "Performance summary",
        "Improvement board dashboard",
        "Team and area breakdowns",
        "Percentage of re-referrals within 12 months",
        "Page 1 of",
        "Reporting period September 2025",
    ):
        assert phrase in text, phrase
    assert (
        f"Page 1 of {len(pages)}" in pages[0] and f"Page {len(pages)} of {len(pages)}" in pages[-1]
    )
    # Summary first (counts, then good performance), the exceptions from a page of their own, then
    # the Dashboard, Teams and Charts; nothing from Validation or the input sheets
    first = {
        name: next(i for i, p in enumerate(pages) if marker in p)
        for name, marker in (
            ("Summary", "Performance summary"),
            ("Exceptions", "Areas of lower than expected performance"),
            ("Dashboard", "Improvement board dashboard"),
            ("Teams", "Team and area breakdowns"),
            ("Charts", "Key: monthly figure"),
        )
    }
    assert first["Summary"] == 0 < first["Exceptions"]
    assert first["Exceptions"] < first["Dashboard"] < first["Teams"] < first["Charts"]
    assert "Validation: problems found" not in text and "What it means" not in text
    assert (
        "Higher is better." in text
        and "Columns BELOW the target line are good performance." in text
    )
    assert (
        "the teams add up to" in text
    )  # AMT 2's authority row counts the disabled children's team
    # every chart page's header names the organisation and the period
    for page in pages[first["Charts"] :]:
        assert (
            ORGANISATION in page and "Reporting period September 2025" in page and "Charts" in page
        )


def test_the_pack_prints_all_the_charts_and_not_their_data(demo_pack):
    result, out = demo_pack
    pages = pdf_pages(out)
    charts = [p for p in pages if "Key: monthly figure" in p]
    text = "\n".join(charts)
    rated = charted(result.report)
    for r in rated:
        assert f"{r.ref}:" in text, r.ref
    assert "Chart data: the figures" not in text
    assert len(charts) == -(-len(rated) // (2 * pack.CHART_ROWS_PER_PAGE))  # 4 charts a page


def test_prepare_for_print_orders_hides_and_heads_the_pages(tmp_path):
    copy = tmp_path / "copy.xlsx"
    filled = fill_workbook(DEMO_FILE, copy, refreshed=WHEN)
    assert prepare_for_print(copy, filled.report) == PACK_SHEETS
    book = openpyxl.load_workbook(copy)
    assert book.sheetnames[:4] == list(PACK_SHEETS)
    assert [ws.sheet_state for ws in book.worksheets] == ["visible"] * 4 + ["hidden"] * (
        len(book.sheetnames) - 4
    )
    for name in PACK_SHEETS:
        ws = book[name]
        assert (
            ws.oddHeader.left.text == ORGANISATION
            and ws.oddHeader.right.text == "Reporting period September 2025"
        )
        assert ws.oddFooter.center.text == "Page &P of &N"
        assert ws.oddFooter.left.text == "Refreshed 2025-10-06 09:30:00"
        assert ws.page_setup.orientation == "landscape"
    assert book["Summary"].page_setup.fitToWidth == 1
    # the Dashboard at a fixed scale, across then down, Ref and Indicator on every page
    dashboard = book["Dashboard"]
    assert not dashboard.sheet_properties.pageSetUpPr.fitToPage
    assert dashboard.page_setup.scale == 75 and dashboard.print_title_cols == "$A:$D"
    charts = book["Charts"]
    # a fixed scale and row heights, so the page breaks fall between rows of charts whatever the
    # fonts
    assert (
        not charts.sheet_properties.pageSetUpPr.fitToPage
        and charts.page_setup.scale == pack.chart_page_scale()
    )
    assert 50 <= pack.chart_page_scale() <= 80
    assert {
        charts.row_dimensions[r].height
        for r in range(FIRST_CHART_ROW, FIRST_CHART_ROW + 3 * SLOT_ROWS)
    } == {15}
    rows = -(-len(charted(filled.report)) // 2)
    assert charts.print_area == f"'Charts'!$A$1:$S${FIRST_CHART_ROW + rows * SLOT_ROWS - 1}"
    assert [b.id for b in charts.row_breaks.brk] == [
        FIRST_CHART_ROW + k * SLOT_ROWS - 2 for k in range(2, rows, 2)
    ]
    assert len(charts._charts) == len(charted(filled.report))  # the charts survive the reload
    summary = book["Summary"]
    exceptions = next(
        c.row
        for c in summary["C"]
        if c.value == "Areas of lower than expected performance (Red or Amber)"
    )
    assert [b.id for b in summary.row_breaks.brk] == [exceptions - 1]
    assert summary.print_title_rows == f"${exceptions + 1}:${exceptions + 1}"


def test_an_ampersand_in_the_organisation_is_printed_as_one(tmp_path):
    from kpi_engine.results import Report, Stamp

    report = Report(Stamp("Bath & North East Somerset", 24309, None, "", "", None), [], [])
    assert pack.header_texts(report) == (
        "Bath && North East Somerset",
        "Reporting period October 2025",
    )


def test_without_libreoffice_the_error_says_how_to_install_it(tmp_path, monkeypatch):
    monkeypatch.setattr(pack.shutil, "which", lambda name: None)
    out = tmp_path / "pack.pdf"
    with pytest.raises(PackError) as err:
        make_pack(DEMO_FILE, out)
    message = str(err.value)
    assert "sudo apt-get install libreoffice-calc" in message and "libreoffice.org" in message
    assert "run the command again" in message
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_a_libreoffice_that_fails_or_hangs_writes_nothing(tmp_path, monkeypatch):
    failing = tmp_path / "soffice"
    failing.write_text("#!/bin/sh\necho 'Error: source file could not be loaded' >&2\nexit 1\n")
    failing.chmod(0o755)
    out = tmp_path / "pack.pdf"
    with pytest.raises(
        PackError, match="could not print the pack .exit status 1.: Error: source file could not"
    ):
        make_pack(DEMO_FILE, out, soffice=str(failing))
    assert not out.exists()

    def hang(*args, **kwargs):
        raise subprocess.TimeoutExpired(args[0], kwargs.get("timeout"))

    monkeypatch.setattr(pack.subprocess, "run", hang)
    with pytest.raises(PackError, match="did not finish printing the pack within 5 seconds"):
        make_pack(DEMO_FILE, out, soffice=str(failing), timeout=5)
    assert not out.exists() and sorted(p.name for p in tmp_path.iterdir()) == ["soffice"]


def test_a_file_that_is_not_a_workbook_is_a_workbook_error(tmp_path):
    from kpi_engine.errors import WorkbookError

    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"not a workbook")
    with pytest.raises(WorkbookError):
        make_pack(bad, tmp_path / "pack.pdf", soffice="/bin/false")
    assert not (tmp_path / "pack.pdf").exists()


def test_an_output_folder_that_does_not_exist_fails_before_any_work(tmp_path, monkeypatch):
    called = []
    monkeypatch.setattr(pack, "fill_workbook", lambda *a, **k: called.append(a))
    with pytest.raises(OSError) as err:
        make_pack(DEMO_FILE, tmp_path / "no" / "such" / "pack.pdf", soffice="/bin/false")
    assert err.value.filename == str(tmp_path / "no" / "such" / "pack.pdf") and not called
