"""The headless fill: one workbook in, the same workbook with its output sheets rewritten out.

Read once through the reader's door (guarded, openpyxl keeping everything it can), run the
pipeline, place the render model, and save through :func:`~kpi_engine.xlsx.files.atomic_save`:
the output is written whole or not at all, and ``-o`` may name the input itself. Input sheets are
never touched.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from pathlib import Path

from kpi_engine.errors import WorkbookError
from kpi_engine.pipeline import run
from kpi_engine.results import Report
from kpi_engine.results_json import dumps
from kpi_engine.workbook_names import OUTPUT_SHEETS
from kpi_engine.xlsx.files import atomic_save
from kpi_engine.xlsx.losses import unsupported_features
from kpi_engine.xlsx.reader import input_grids, is_worksheet, open_workbook, template_version
from kpi_engine.xlsx.writer import place


@dataclass
class FillResult:
    report: Report
    written: bool
    notes: list[str] = field(
        default_factory=list
    )  # what the officer should know (sheets added, losses)

    @property
    def errors(self) -> int:
        return len(self.report.errors)


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
    caught: list[str] = []
    book = open_workbook(src, keep_warnings=caught)
    for name in OUTPUT_SHEETS if out is not None else ():
        if name in book.sheetnames and not is_worksheet(book[name]):
            raise WorkbookError(
                f"{src}: its sheet '{name}' is a chart sheet, but the dashboard writes "
                f"its {name} table there. Rename or delete that chart sheet, then fill "
                "again."
            )
    notes = [f"{src.name}: {message}" for message in caught if "extension" in message.lower()]
    notes += [f"{src.name}: {note}" for note in unsupported_features(src)]
    report, model = run(input_grids(book, src), template_version(book), refreshed)
    if json_out is not None and not (strict and report.errors):
        atomic_save(
            lambda tmp: Path(tmp).write_text(dumps(report), encoding="utf-8"), Path(json_out)
        )
    if out is None or (strict and report.errors):
        return FillResult(report, False, notes)
    created = place(book, model)
    notes += [
        f"{name} sheet was missing, so it was added without the template's formatting"
        for name in created
    ]
    atomic_save(book.save, Path(out))
    return FillResult(report, True, notes)
