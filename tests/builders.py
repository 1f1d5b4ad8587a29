"""Small builders of input grids for tests: a workbook as {sheet name: rows}, header first."""

from __future__ import annotations

import datetime as dt
from typing import Any

from kpi_engine.pipeline import run as run_pipeline
from kpi_engine.results import IndicatorResult, Report

INDICATOR_COLUMNS = [
    "Ref",
    "Title",
    "Section",
    "Polarity",
    "Unit",
    "Decimals",
    "Measure",
    "Frequency",
    "Aggregation",
    "Lag",
    "Due month",
    "Target",
    "RAG rule",
    "Green threshold",
    "Amber threshold",
    "RAG methodology",
    "Tolerance",
    "Baseline",
    "Baseline period",
    "Plan target",
    "Owner",
]
REFRESHED = dt.datetime(2024, 1, 1, 9, 0)


def settings_rows(reporting: str, **extra: Any) -> list[list[Any]]:
    rows: list[list[Any]] = [
        ["Setting", "Value"],
        ["Organisation", "Testshire"],
        ["Reporting period", reporting],
    ]
    for key, value in extra.items():
        rows.append([key.replace("_", " ").capitalize(), value])
    return rows


def indicator_rows(*indicators: dict[str, Any]) -> list[list[Any]]:
    rows: list[list[Any]] = [list(INDICATOR_COLUMNS)]
    for ind in indicators:
        rows.append([ind.get(c) for c in INDICATOR_COLUMNS])
    return rows


def data_rows(*points: tuple) -> list[list[Any]]:
    """Each point: (ref, period, numerator, denominator, value, team)."""
    rows: list[list[Any]] = [["Ref", "Period", "Numerator", "Denominator", "Value", "Team"]]
    for p in points:
        p = tuple(p) + (None,) * (6 - len(p))
        rows.append(list(p))
    return rows


def workbook(
    reporting: str, indicators: list[dict[str, Any]], points: list[tuple], **sheets: list[list[Any]]
) -> dict[str, list[list[Any]]]:
    book = {
        "Settings": sheets.pop("Settings", None) or settings_rows(reporting),
        "Indicators": indicator_rows(*indicators),
        "Data": data_rows(*points),
    }
    book.update(sheets)
    return book


def evaluate(
    sheets: Any, refreshed: dt.datetime | None = None, template_version: str | None = None
) -> Report:
    """The result model of the one pipeline every front end runs."""
    return run_pipeline(sheets, template_version, refreshed)[0]


def run(book: dict[str, list[list[Any]]]) -> Report:
    return evaluate(book, refreshed=REFRESHED)


def one(book: dict[str, list[list[Any]]], ref: str) -> IndicatorResult:
    return run(book).indicator(ref)


def months(
    start: str, values: list[Any], ref: str = "K1", kind: str = "value", team: str | None = None
) -> list[tuple]:
    """Consecutive monthly points from ``start`` (YYYY-MM): values, or (numerator, denominator)
    pairs."""
    y, m = map(int, start.split("-"))
    out = []
    for v in values:
        period = f"{y:04d}-{m:02d}"
        if kind == "ratio" and v is not None:
            out.append((ref, period, v[0], v[1], None, team))
        elif v is not None:
            out.append((ref, period, None, None, v, team))
        m += 1
        if m == 13:
            y, m = y + 1, 1
    return out


def save_grids(path: Any, sheets: dict[str, list[list[Any]]]) -> Any:
    """Write grids (sheet name -> rows) as a plain .xlsx workbook, for tests that need a file."""
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        ws = book.create_sheet(name)
        for row in rows:
            ws.append(row)
    book.save(path)
    return path


def modules_loaded_by(imports: str, candidates: tuple[str, ...]) -> list[str]:
    """Which of ``candidates`` a fresh Python process has loaded after ``import <imports>``."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    code = f"import sys, {imports}; print('|'.join(m for m in {candidates!r} if m in sys.modules))"
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=root,
        env={**os.environ, "PYTHONPATH": str(root)},
    ).stdout.strip()
    return out.split("|") if out else []
