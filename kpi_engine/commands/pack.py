"""The board pack: the filled dashboard printed to one PDF by LibreOffice.

:func:`make_pack` fills the workbook into a temporary copy (the same
:func:`~kpi_engine.commands.fill.fill_workbook` as ``kpi-dashboard fill``), sets the copy up for
print (the pack's sheets first, in pack order, every other sheet hidden; the organisation and
reporting period in each page's header; the Charts sheet's print area kept to its charts, broken
between rows of charts), converts it with LibreOffice headless (a fresh profile in a temporary
folder, so it never meets an officer's open LibreOffice), and writes the PDF to ``out`` whole or
not at all. The source workbook is never touched.

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

from kpi_engine.commands.fill import FillResult, fill_workbook
from kpi_engine.errors import PackError
from kpi_engine.periods import long_label
from kpi_engine.render_model import HEADER_ROW
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
CHART_ROWS_PER_PAGE = 2  # rows of small multiples on one printed page of the Charts sheet
# The template's page: A4 landscape, margins 0.4" left and right, 0.6" top and bottom (points)
A4_LONG_SIDE, A4_SHORT_SIDE = 841.9, 595.3
PRINT_MARGIN_SIDES, PRINT_MARGIN_TOP_BOTTOM = 28.8, 43.2
HEADER_FOOTER_ALLOWANCE = 24.0  # LibreOffice takes the header and footer out of the body
TITLE_ROW_ALLOWANCE = 20.0  # each of rows 1 to 3: the 14-point title, the stamp, a blank row


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


def _page_setup(ws: Any, report: Report) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    left, right = header_texts(report)
    for header in (ws.oddHeader, ws.firstHeader):
        header.left.text, header.center.text, header.right.text = left, "&A", right
    for footer in (ws.oddFooter, ws.firstFooter):
        footer.center.text = "Page &P of &N"


def _chart_print_area(ws: Any, model_charts: list[Any]) -> None:
    """Print the charts and their captions, not the data block below, CHART_ROWS_PER_PAGE rows of
    charts a page. The rows under the charts get their height written down and the page a fixed
    scale, so where the pages break does not depend on the fonts the printing machine has (with
    fit-to-width, a narrower font scales the sheet up and pushes a chart across a page break)."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.pagebreak import Break, RowBreak

    from kpi_engine.charts import (
        CHARTS_PER_ROW,
        FIRST_CHART_COLUMN,
        FIRST_CHART_ROW,
        GRID_COLUMNS,
        ROW_HEIGHT,
        SLOT_ROWS,
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
    rows = -(-len(model_charts) // CHARTS_PER_ROW)
    for k in range(CHART_ROWS_PER_PAGE, rows, CHART_ROWS_PER_PAGE):
        # Above the blank row that ends a slot: a chart never starts right at a page's edge
        breaks.append(Break(id=FIRST_CHART_ROW + k * SLOT_ROWS - 2))
    ws.row_breaks = breaks
    ws.sheet_properties.pageSetUpPr.fitToPage = False
    ws.page_setup.scale = chart_page_scale()


def chart_page_scale() -> int:
    """Percent that fits CHART_ROWS_PER_PAGE rows of charts and the rows above them on an A4
    landscape page, and the grid across it."""
    from kpi_engine.charts import (
        FIRST_CHART_ROW,
        GRID_COLUMNS,
        ROW_HEIGHT,
        SLOT_ROWS,
        column_points,
    )

    body_height = A4_SHORT_SIDE - 2 * PRINT_MARGIN_TOP_BOTTOM - HEADER_FOOTER_ALLOWANCE
    body_width = A4_LONG_SIDE - 2 * PRINT_MARGIN_SIDES
    title_rows = 3 * TITLE_ROW_ALLOWANCE + (FIRST_CHART_ROW - 4) * ROW_HEIGHT
    content_height = title_rows + CHART_ROWS_PER_PAGE * SLOT_ROWS * ROW_HEIGHT
    # The widest the grid prints: columns sized with a wide font's digits (9 pixels, not
    # Calibri's 7)
    content_width = (GRID_COLUMNS + 1) * column_points() * 9 / 7
    return int(100 * min(body_height / content_height, body_width / content_width))


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


def prepare_for_print(path: Path, report: Report) -> tuple[str, ...]:
    """Set up the filled copy at ``path`` for the pack; returns the sheets that will print."""
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
            _page_setup(ws, report)
        else:
            ws.sheet_state = "hidden"
    book.active = 0
    sheets[0].sheet_view.tabSelected = True
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
        "pdf",
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
        printed = prepare_for_print(copy, filled.report)
        pdf = convert_to_pdf(soffice, copy, work, timeout)
        pages = count_pages(pdf)
        atomic_save(lambda temp: shutil.copyfile(pdf, temp), out)
    return PackResult(
        out, pages, printed, filled, time.perf_counter() - started, list(filled.notes)
    )
