"""The board pack: the filled dashboard printed to one PDF by LibreOffice.

:func:`make_pack` fills the workbook into a temporary copy (the same
:func:`~kpi_engine.commands.fill.fill_workbook` as ``kpi-dashboard fill``), sets the copy up for
print (the pack's sheets first, in pack order, every other sheet hidden; each sheet the template's
print setup on the Settings' paper, so the Dashboard prints no smaller than 8 points; the
organisation and reporting period in each page's header, the refresh time and "Page X of Y" in its
footer; the Charts sheet's print area kept to its charts, broken between rows of charts), converts
it with LibreOffice headless (a fresh profile in a temporary folder, so it never meets an officer's
open LibreOffice; British English, so the PDF says en-GB) to a tagged PDF titled "<Organisation>
board pack, <Month Year>", and writes the PDF to ``out`` whole or not at all. The source workbook
is never touched.

Pages, in order: Summary (counts, good performance, and the exceptions with their commentary),
Dashboard, Teams, Charts.
"""

from __future__ import annotations

import datetime as _dt
import errno
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kpi_engine.charts import CHART_ROWS_PER_PAGE, chart_page_scale
from kpi_engine.commands.fill import FillResult, fill_workbook
from kpi_engine.errors import PackError
from kpi_engine.periods import long_label
from kpi_engine.render_model import DEFAULT_PAPER, HEADER_ROW
from kpi_engine.results import Report
from kpi_engine.workbook_names import CHARTS, DASHBOARD, SUMMARY, TEAMS
from kpi_engine.xlsx.files import atomic_save
from kpi_engine.xlsx.guard import check_workbook_file
from kpi_engine.xlsx.reader import open_workbook

PACK_SHEETS = (SUMMARY, DASHBOARD, TEAMS, CHARTS)
DEFAULT_TIMEOUT = 180.0  # seconds for LibreOffice: a cold start with a fresh profile takes a few
INSTALL_HINT = (
    "LibreOffice is needed to print the board pack, and it was not found. Install it "
    "(Debian or Ubuntu: sudo apt-get install libreoffice-calc; Windows or macOS: LibreOffice from "
    "libreoffice.org, and make sure soffice is on the PATH), then run the command again."
)
__all__ = ["CHART_ROWS_PER_PAGE", "chart_page_scale", "make_pack", "prepare_for_print"]
LANGUAGE = "en-GB"  # the PDF's language, for screen readers
# calc_pdf_Export's options as JSON (LibreOffice 7.4 on): a tagged PDF (structure for screen
# readers, the language and title in it)
PDF_FILTER = 'pdf:calc_pdf_Export:{"UseTaggedPDF":{"type":"boolean","value":"true"}}'
# The fresh profile's locale: documents (and so the PDF) in British English
PROFILE_SETTINGS = f"""<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry">
<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooSetupSystemLocale" oor:op="fuse">\
<value>{LANGUAGE}</value></prop></item>
<item oor:path="/org.openoffice.Office.Linguistic/General"><prop oor:name="DefaultLocale" \
oor:op="fuse"><value>{LANGUAGE}</value></prop></item>
</oor:items>
"""


@dataclass
class PackResult:
    out: Path
    pages: int | None  # pages in the PDF (None if they could not be counted)
    sheets: tuple[str, ...]  # the sheets printed, in order
    fill: FillResult
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)

    @property
    def report(self) -> Report:
        return self.fill.report

    @property
    def errors(self) -> int:
        return self.fill.errors


def find_libreoffice() -> str | None:
    """The LibreOffice program to convert with, if installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def _header_text(text: str) -> str:
    return text.replace("&", "&&")  # "&" starts a code in headers and footers


def header_texts(report: Report) -> tuple[str, str]:
    """(left, right) page header: the organisation, and the reporting period."""
    s = report.stamp
    period = (
        f"Reporting period {long_label(s.reporting_period)}"
        if s.reporting_period is not None
        else ""
    )
    return _header_text(s.organisation or ""), _header_text(period)


def footer_text(report: Report) -> str:
    """The page footer's left part: when the figures were refreshed."""
    return _header_text(f"Refreshed {report.stamp.refreshed.replace('T', ' ')}")


def pack_title(report: Report) -> str:
    """The PDF's title: "Northbrook Borough Council board pack, September 2025"."""
    s = report.stamp
    title = f"{s.organisation or ''} board pack".strip()
    title = title[0].upper() + title[1:]
    return f"{title}, {long_label(s.reporting_period)}" if s.reporting_period else title


def _page_setup(ws: Any, report: Report, paper: str) -> None:
    """The template's print setup (whichever template the workbook came from), on ``paper``;
    the stamp in the page's header and footer, so only the table's header row repeats."""
    from workbook_templates.look import print_setup

    print_setup(ws, ws.title, paper)
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    left, right = header_texts(report)
    for header in (ws.oddHeader, ws.firstHeader):
        header.left.text, header.center.text, header.right.text = left, "&A", right
    for footer in (ws.oddFooter, ws.firstFooter):
        footer.left.text = footer_text(report)
        footer.center.text = "Page &P of &N"


def _chart_print_area(ws: Any, model_charts: list[Any]) -> None:
    """Print the charts and their captions, not the data block below, at the breaks between rows
    of charts that the fill wrote (:func:`~kpi_engine.charts.chart_page_breaks`, the one place
    that decides them) and the template's fixed scale. The rows under the charts get their height
    written down, so where the pages break does not depend on the fonts the printing machine has
    (with fit-to-width, a narrower font scales the sheet up and pushes a chart across a break)."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.pagebreak import Break, RowBreak

    from kpi_engine.charts import (
        FIRST_CHART_COLUMN,
        FIRST_CHART_ROW,
        GRID_COLUMNS,
        ROW_HEIGHT,
        chart_page_breaks,
        grid_rows,
    )

    if not model_charts:
        return
    last_row = FIRST_CHART_ROW + grid_rows(len(model_charts)) - 1
    last_col = FIRST_CHART_COLUMN + GRID_COLUMNS - 1
    ws.print_area = f"A1:{get_column_letter(last_col)}{last_row}"
    for r in range(FIRST_CHART_ROW - 1, last_row + 1):
        ws.row_dimensions[r].height = ROW_HEIGHT
    breaks = RowBreak()
    for row in chart_page_breaks(len(model_charts)):
        if row < last_row:  # the one after the grid is the data block's, outside the print area
            breaks.append(Break(id=row))
    ws.row_breaks = breaks


def _summary_breaks(ws: Any) -> None:
    """The exceptions (Red and Amber, with their commentary) start on a page of their own, under
    their table's header, which repeats on the pages after (the counts' header would mislead
    there)."""
    from openpyxl.worksheet.pagebreak import Break, RowBreak

    from kpi_engine.render_model import HEADER, SECTION

    kinds = [(cell.row, cell.value) for cell in ws["A"]]
    sections = [row for row, kind in kinds if kind == SECTION]
    headers = [row for row, kind in kinds if kind == HEADER]
    if len(sections) < 2:
        return
    exceptions = sections[-1]
    header = next((row for row in headers if row > exceptions), None)
    breaks = RowBreak()
    breaks.append(Break(id=exceptions - 1))
    ws.row_breaks = breaks
    if header is not None:
        ws.print_title_rows = f"{header}:{header}"


def prepare_for_print(path: Path, report: Report, paper: str = DEFAULT_PAPER) -> tuple[str, ...]:
    """Set up the filled copy at ``path`` for the pack, on ``paper`` (A4 or A3); returns the sheets
    that will print."""
    from kpi_engine.charts import charted

    book = open_workbook(path)  # the copy the fill just wrote; what it cannot keep, the fill said
    printed = tuple(name for name in PACK_SHEETS if name in book.sheetnames)
    for position, name in enumerate(printed):
        book.move_sheet(name, position - book.sheetnames.index(name))
    sheets: list[Any] = [*book.worksheets, *book.chartsheets]
    for ws in sheets:
        ws.sheet_view.tabSelected = False
        if ws.title in printed:
            ws.sheet_state = "visible"
            _page_setup(ws, report, paper)
        else:
            ws.sheet_state = "hidden"
    book.active = 0
    sheets[0].sheet_view.tabSelected = True
    book.properties.title = pack_title(report)
    book.properties.language = LANGUAGE
    if CHARTS in printed:
        _chart_print_area(book[CHARTS], charted(report))
    if SUMMARY in printed and report.exceptions:
        _summary_breaks(book[SUMMARY])
    book.save(path)
    return printed


def _file_url(folder: Path) -> str:
    return folder.resolve().as_uri()


def convert_to_pdf(
    soffice: str, xlsx: Path, folder: Path, timeout: float = DEFAULT_TIMEOUT
) -> Path:
    """``xlsx`` printed to a PDF in ``folder`` by LibreOffice headless, with a fresh profile."""
    profile = folder / "lo-profile"
    (profile / "user").mkdir(parents=True)
    (profile / "user" / "registrymodifications.xcu").write_text(PROFILE_SETTINGS, "utf-8")
    outdir = folder / "pdf"
    outdir.mkdir()
    cmd = [
        soffice,
        f"-env:UserInstallation={_file_url(profile)}",
        "--headless",
        "--norestore",
        "--nologo",
        "--nodefault",
        "--nolockcheck",
        "--convert-to",
        PDF_FILTER,
        "--outdir",
        str(outdir),
        str(xlsx),
    ]
    env = {
        **os.environ,
        "HOME": str(folder),
    }  # LibreOffice writes to HOME; keep it in the temporary folder
    try:
        run = subprocess.run(
            cmd,
            capture_output=True,
            text=True,
            timeout=timeout,
            env=env,
            stdin=subprocess.DEVNULL,
            check=False,
        )
    except subprocess.TimeoutExpired as err:
        raise PackError(
            f"LibreOffice did not finish printing the pack within {timeout:.0f} seconds; "
            "nothing was written. Close any LibreOffice dialogs and run the command again."
        ) from err
    except OSError as err:
        raise PackError(
            f"LibreOffice ({soffice}) could not be started: {err.strerror or err}. {INSTALL_HINT}"
        ) from err
    pdf = outdir / (xlsx.stem + ".pdf")
    if run.returncode != 0 or not pdf.exists() or pdf.stat().st_size == 0:
        detail = (run.stderr or run.stdout or "").strip().splitlines()
        tail = f": {detail[-1]}" if detail else ""
        raise PackError(
            f"LibreOffice could not print the pack (exit status {run.returncode}){tail}; nothing "
            "was written."
        )
    return pdf


def count_pages(pdf: Path) -> int | None:
    """Pages in a PDF LibreOffice wrote (its page objects are not compressed)."""
    try:
        data = pdf.read_bytes()
    except OSError:
        return None
    pages = len(re.findall(rb"/Type\s*/Page(?!s)", data))
    return pages or None


def make_pack(
    src: Path,
    out: Path,
    refreshed: _dt.datetime | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    soffice: str | None = None,
) -> PackResult:
    """Fill ``src`` and print its board pack to the PDF ``out`` (written whole or not at all).

    Raises :class:`PackError` when LibreOffice is missing (the message says how to install it),
    fails or takes longer than ``timeout`` seconds; :class:`~kpi_engine.errors.WorkbookError`
    when ``src`` is not a readable workbook; ``OSError`` when ``out`` cannot be written. A workbook
    with errors in its data is still printed (as ``fill`` still fills it): see ``result.errors``.
    """
    import time

    started = time.perf_counter()
    src, out = Path(src), Path(out)
    check_workbook_file(src)  # a hostile or broken file is named first, LibreOffice or not
    soffice = soffice or find_libreoffice()
    if soffice is None:
        raise PackError(INSTALL_HINT)
    folder = out.parent if str(out.parent) else Path(".")
    if not folder.is_dir():  # before the minute of work, not after
        raise OSError(errno.ENOENT, os.strerror(errno.ENOENT), str(out))
    with tempfile.TemporaryDirectory(prefix="kpi-pack-") as tmp:
        work = Path(tmp)
        copy = work / "board-pack.xlsx"
        filled = fill_workbook(src, copy, refreshed=refreshed)
        printed = prepare_for_print(copy, filled.report, filled.paper)
        pdf = convert_to_pdf(soffice, copy, work, timeout)
        pages = count_pages(pdf)
        atomic_save(lambda temp: shutil.copyfile(pdf, temp), out)
    return PackResult(
        out, pages, printed, filled, time.perf_counter() - started, list(filled.notes)
    )
