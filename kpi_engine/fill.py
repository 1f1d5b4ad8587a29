"""The headless fill: one workbook in, the same workbook with its output sheets rewritten out.

Read once (openpyxl, keeping everything it can), compute with the engine, place the render
model, and save through a temporary file in the output's folder that replaces the output only when
complete: the output is written whole or not at all, and ``-o`` may name the input itself.
Input sheets are never touched.
"""
from __future__ import annotations

import datetime as _dt
import os
import tempfile
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .evaluate import compute
from .inputs import find_sheets, read_inputs
from .results import Report
from .workbook_reader import WorkbookError, _describe_failure

TEMPLATE_INFO_SHEET = "Template info"


@dataclass
class FillResult:
    report: Report
    written: bool
    notes: list[str] = field(default_factory=list)  # things the officer should know (sheets created, losses)

    @property
    def errors(self) -> int:
        return len(self.report.errors)


def template_version(book: Any) -> str | None:
    if TEMPLATE_INFO_SHEET in book.sheetnames:
        value = book[TEMPLATE_INFO_SHEET]["B1"].value
        return None if value is None else str(value)
    return None


def _grids(book: Any, path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Input sheets' values; where a sheet holds formulas, their last calculated values."""
    names = find_sheets({n: [] for n in book.sheetnames})
    grids = {}
    with_formulas = []
    for name in names.values():
        ws = book[name]
        rows = [row for row in ws.iter_rows(values_only=True)]
        if any(isinstance(v, str) and v.startswith("=") for row in rows for v in row):
            with_formulas.append(name)
        grids[name] = rows
    if with_formulas:
        from .workbook_reader import read_sheets

        values = read_sheets(path)
        for name in with_formulas:
            grids[name] = values[name]
    return grids


def atomic_save(save: Any, out: Path) -> None:
    """Call ``save(temp_path)`` then move the temporary file over ``out``; nothing partial is left."""
    out = Path(out)
    fd, tmp = tempfile.mkstemp(prefix=".~kpi-", suffix=out.suffix, dir=out.parent if str(out.parent) else ".")
    os.close(fd)
    try:
        save(tmp)
        os.replace(tmp, out)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def fill_workbook(src: Path, out: Path | None, strict: bool = False, refreshed: _dt.datetime | None = None,
                  json_out: Path | None = None) -> FillResult:
    """Fill ``src`` into ``out``. Raises :class:`WorkbookError` when ``src`` is not a readable workbook."""
    import openpyxl

    from .render import render
    from .results_json import dumps
    from .xlsx_writer import place

    src = Path(src)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            book = openpyxl.load_workbook(src)
    except Exception as err:
        raise WorkbookError(_describe_failure(str(src), err)) from err
    from .losses import unsupported_features

    notes = [f"{src.name}: {w.message}" for w in caught if "extension" in str(w.message).lower()]
    notes += [f"{src.name}: {note}" for note in unsupported_features(src)]
    inputs = read_inputs(_grids(book, src))
    report = compute(inputs, refreshed=refreshed, template_version=template_version(book))
    if json_out is not None and not (strict and report.errors):
        atomic_save(lambda tmp: Path(tmp).write_text(dumps(report), encoding="utf-8"), Path(json_out))
    if out is None or (strict and report.errors):
        return FillResult(report, False, notes)
    s = inputs.settings
    model = render(report, s.months_shown, s.plan_target_label, s.baseline_label, s.colours)
    created = place(book, model)
    notes += [f"{name} sheet was missing, so it was added without the template's formatting" for name in created]
    atomic_save(book.save, Path(out))
    return FillResult(report, True, notes)
