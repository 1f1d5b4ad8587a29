"""The headless fill: one workbook in, the same workbook with its output sheets rewritten out.

Read once through the reader's door (the guard, then the input sheets' values), run the
pipeline, and splice the output sheets into the workbook's own package
(:mod:`kpi_engine.xlsx.splice`): every other part is copied byte for byte. The file is saved
through :func:`~kpi_engine.xlsx.files.atomic_save`: written whole or not at all, and ``-o`` may
name the input itself. Input sheets are never touched.
"""

from __future__ import annotations

import datetime as _dt
import os
from dataclasses import dataclass, field
from pathlib import Path

from kpi_engine.errors import OutputError, WorkbookError
from kpi_engine.pipeline import run
from kpi_engine.render_model import DEFAULT_PAPER
from kpi_engine.results import Report
from kpi_engine.results_json import dumps
from kpi_engine.sheets import normalise
from kpi_engine.workbook_names import OUTPUT_SHEETS, TEMPLATE_INFO_SHEET
from kpi_engine.xlsx.files import atomic_save
from kpi_engine.xlsx.parts import has_macros
from kpi_engine.xlsx.reader import SourceWorkbook, read_workbook
from kpi_engine.xlsx.splice import splice


def _same_path(a: Path, b: Path) -> bool:
    try:
        if a.exists() and b.exists():
            return os.path.samefile(a, b)
    except OSError:
        pass
    return a.resolve() == b.resolve() or str(a.resolve()).casefold() == str(b.resolve()).casefold()


@dataclass
class FillResult:
    report: Report
    written: bool
    notes: list[str] = field(default_factory=list)  # what the officer should know (sheets added)
    paper: str = DEFAULT_PAPER  # the Settings' Paper size, written into the output sheets

    @property
    def errors(self) -> int:
        return len(self.report.errors)


def check_output_sheets(book: SourceWorkbook) -> None:
    """The output sheets are the engine's only where the workbook says so (its Template info
    sheet); a sheet of that name in any other workbook is the officer's, and is never written
    over. A chart sheet cannot take a table either way."""
    names = {normalise(s.name): s for s in book.sheets}
    ours = normalise(TEMPLATE_INFO_SHEET) in names
    outputs = {normalise(n) for n in OUTPUT_SHEETS}
    for key, sheet in names.items():
        if key not in outputs:
            continue
        if sheet.kind != "worksheet":
            raise WorkbookError(
                f"{book.name}: its sheet '{sheet.name}' is a chart sheet, but the dashboard "
                f"writes a table there. Rename or delete that chart sheet, then fill again."
            )
        if not ours:
            raise WorkbookError(
                f"{book.name}: it has a sheet of its own named '{sheet.name}', where the "
                "dashboard would write its output, and it is not a dashboard template (it has "
                f"no {TEMPLATE_INFO_SHEET} sheet), so that sheet is left alone. Rename your "
                "sheet, or move your data into a template with 'kpi-dashboard upgrade' (or "
                "start from 'kpi-dashboard new-template') and fill that."
            )


MACRO_SUFFIXES = (".xlsm",)


def check_extension(book: SourceWorkbook, out: Path) -> None:
    """Excel refuses a file whose extension says the opposite of its content about macros: the
    output keeps the workbook's kind, so its name must say the same."""
    macros = has_macros(book.package)
    if macros and out.suffix.lower() not in MACRO_SUFFIXES:
        raise OutputError(
            f"{book.name} has macros, which the filled workbook keeps, so it must be saved with "
            "the .xlsm extension, or Excel will refuse to open it. Use -o "
            f"{out.with_suffix('.xlsm')}."
        )
    if not macros and out.suffix.lower() in MACRO_SUFFIXES:
        raise OutputError(
            f"{book.name} has no macros, so the filled workbook must be saved with the .xlsx "
            f"extension, or Excel will refuse to open it. Use -o {out.with_suffix('.xlsx')}."
        )


def fill_workbook(
    src: Path,
    out: Path | None,
    strict: bool = False,
    refreshed: _dt.datetime | None = None,
    json_out: Path | None = None,
) -> FillResult:
    """Fill ``src`` into ``out`` (``None``: compute only). Raises :class:`WorkbookError` when
    ``src`` is not a readable workbook, ``OSError`` when an output cannot be written."""
    src = Path(src)
    if json_out is not None:
        for other, what in ((src, "the workbook being filled"), (out, "the filled workbook")):
            if other is not None and _same_path(Path(json_out), Path(other)):
                raise OutputError(
                    f"--json {json_out} is {what}; writing the results there would destroy it. "
                    "Give the results a file of their own, such as results.json."
                )
    book = read_workbook(src)
    if out is not None:
        check_output_sheets(book)
    report, model = run(book.grids, book.template_version, refreshed, book.issues)
    if json_out is not None and not (strict and report.errors):
        atomic_save(
            lambda tmp: Path(tmp).write_text(dumps(report), encoding="utf-8"), Path(json_out)
        )
    if out is None or (strict and report.errors):
        return FillResult(report, False, paper=model.paper)
    check_extension(book, Path(out))
    created: list[str] = []

    def save(tmp: str) -> None:
        with open(tmp, "wb") as stream:
            created.extend(splice(book.package, book.sheets, model, stream, mark=True))

    atomic_save(save, Path(out))
    notes = [
        f"{name} sheet was missing, so it was added without the template's formatting"
        for name in created
    ]
    return FillResult(report, True, notes, model.paper)
