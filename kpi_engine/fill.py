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
from .inputs import input_sheet_names, read_inputs
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
    grids = {}
    with_formulas = []
    for name in input_sheet_names(book.sheetnames):
        ws = book[name]
        if not hasattr(ws, "iter_rows"):
            continue  # a chart sheet with an input sheet's name: as if the sheet were missing
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


TEMP_PREFIX = ".~kpi-"
STALE_TEMP_SECONDS = 3600


def remove_stale_temps(folder: Path, max_age: float = STALE_TEMP_SECONDS) -> None:
    """Delete ``.~kpi-*`` files older than ``max_age`` seconds: left by a fill that was killed.

    Younger ones may belong to a fill still running (a batch writes many into one folder).
    """
    now = _dt.datetime.now().timestamp()
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        if not entry.name.startswith(TEMP_PREFIX):
            continue
        try:
            if entry.is_file(follow_symlinks=False) and now - entry.stat(follow_symlinks=False).st_mtime > max_age:
                os.unlink(entry.path)
        except OSError:
            pass


def _new_file_mode(out: Path) -> int:
    """The permissions the output should get: the previous output's, else what the umask gives."""
    try:
        return os.stat(out).st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def atomic_save(save: Any, out: Path) -> None:
    """Call ``save(temp_path)`` then move the temporary file over ``out``; nothing partial is left.

    The temporary file is flushed to disk before it replaces ``out``, so after a crash or a kill
    ``out`` is either the previous file or the complete new one. A kill (SIGKILL, power cut) can
    leave a ``.~kpi-*`` file behind; the next save into that folder removes it once an hour old.
    An ``OSError`` (disk full, permission denied, folder missing) names ``out`` and leaves it as it was.
    """
    out = Path(out)
    folder = out.parent if str(out.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=out.suffix, dir=folder)
    except OSError as err:
        raise OSError(err.errno, err.strerror, str(out)) from err
    os.close(fd)
    try:
        save(tmp)
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())
        os.chmod(tmp, _new_file_mode(out))
        os.replace(tmp, out)
    except BaseException as err:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(err, OSError) and err.errno is not None:
            raise OSError(err.errno, err.strerror, str(out)) from err
        raise
    remove_stale_temps(folder)


def describe_write_failure(out: Path, err: OSError) -> str:
    """One line for an output that could not be written: which file, why, and what to do."""
    import errno

    where = err.filename or out
    reasons = {
        errno.ENOSPC: "the disk is full. Free some space and fill again",
        errno.EACCES: "permission denied. If it is open in Excel, close it; otherwise check the folder's permissions",
        errno.EPERM: "permission denied. If it is open in Excel, close it; otherwise check the folder's permissions",
        errno.EROFS: "the folder is read-only. Choose another folder",
        errno.EISDIR: "there is a folder of that name. Choose another file name",
        errno.ENOTDIR: "part of the path is a file, not a folder. Check the path",
        errno.ENOENT: "the folder does not exist. Check the path, or create the folder",
        errno.EBUSY: "the file is in use. Close it in Excel and fill again",
    }
    reason = reasons.get(err.errno) or f"{err.strerror or err}. Close it in Excel, or choose another folder"
    return f"cannot write {where}: {reason}; nothing was changed."


def fill_workbook(src: Path, out: Path | None, strict: bool = False, refreshed: _dt.datetime | None = None,
                  json_out: Path | None = None) -> FillResult:
    """Fill ``src`` into ``out``. Raises :class:`WorkbookError` when ``src`` is not a readable workbook."""
    from .safety import check_workbook_file

    src = Path(src)
    check_workbook_file(src)  # zip bombs, entity tricks and files that are not workbooks: before openpyxl
    import openpyxl

    from .render import OUTPUT_SHEETS, render
    from .results_json import dumps
    from .xlsx_writer import place

    try:
        # Opened here, not by openpyxl, so the file is closed even when openpyxl fails part-way.
        with warnings.catch_warnings(record=True) as caught, open(src, "rb") as stream:
            warnings.simplefilter("always")
            book = openpyxl.load_workbook(stream)
    except Exception as err:
        raise WorkbookError(_describe_failure(str(src), err)) from err
    for name in OUTPUT_SHEETS if out is not None else ():
        if name in book.sheetnames and not hasattr(book[name], "iter_rows"):
            raise WorkbookError(f"{src}: its sheet '{name}' is a chart sheet, but the dashboard writes its {name} "
                                "table there. Rename or delete that chart sheet, then fill again.")
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
