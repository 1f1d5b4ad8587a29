"""The fast reader (python-calamine, and the sheet's XML where calamine is blind) reads every input
sheet exactly as openpyxl does, so the results do not depend on the reader; and what openpyxl read
wrongly or could not survive (formulas never calculated, error values, a stray far cell) is now
read right."""

from __future__ import annotations

import datetime as dt
import json
import sys
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from builders import (
    REFRESHED,
    data_rows,
    indicator_rows,
    modules_loaded_by,
    save_grids,
    settings_rows,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kpi_engine.cells import Uncalculated
from kpi_engine.errors import WorkbookError
from kpi_engine.issues import Code
from kpi_engine.pipeline import run
from kpi_engine.results_json import report_json
from kpi_engine.xlsx.reader import read_sheets, read_workbook

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(Path(__file__).parent / "corpus"))

from make_corpus import build_corpus
from make_workbook import build_workbook

EXCEL_TEXT_LIMIT = 32767  # characters in a cell: calamine cuts longer text there, as Excel does


def trimmed(grid: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """A grid without trailing empty cells and rows (the two readers pad differently), its text
    cut at Excel's limit."""
    rows = [tuple(v[:EXCEL_TEXT_LIMIT] if isinstance(v, str) else v for v in row) for row in grid]
    rows = [
        row[: max((i + 1 for i, v in enumerate(row) if v is not None), default=0)] for row in rows
    ]
    while rows and not rows[-1]:
        rows.pop()
    return rows


def assert_read_alike(path: Path) -> None:
    fast = read_workbook(path)
    slow = read_sheets(path)
    assert sorted(fast.grids) == sorted(slow)
    for name, grid in slow.items():
        assert trimmed(fast.grids[name]) == trimmed(grid), name


def results(grids: dict[str, Any], version: str | None = None) -> dict[str, Any]:
    document = report_json(run(grids, version, REFRESHED)[0])
    return json.loads(json.dumps(document))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return build_corpus(tmp_path_factory.mktemp("corpus"), bomb_mb=5)


def test_the_demo_and_the_template_read_alike():
    for path in (
        ROOT / "workbook_templates" / "demo_dashboard.xlsx",
        ROOT / "workbook_templates" / "kpi_dashboard_template.xlsx",
    ):
        assert_read_alike(path)


def test_the_demo_gives_the_same_results_through_either_reader():
    path = ROOT / "workbook_templates" / "demo_dashboard.xlsx"
    fast = read_workbook(path)
    book = openpyxl.load_workbook(path, read_only=True)
    version = str(book["Template info"]["B1"].value)
    book.close()
    assert fast.template_version == version
    assert results(fast.grids, fast.template_version) == results(read_sheets(path), version)


def test_a_large_workbook_reads_alike_and_gives_the_same_results(tmp_path):
    path = tmp_path / "big.xlsx"
    build_workbook(path, indicators=30, months=24, teams=3)
    assert_read_alike(path)
    assert results(read_workbook(path).grids) == results(read_sheets(path))


def test_every_readable_workbook_of_the_hostile_corpus_reads_alike(corpus):
    compared = 0
    for case in corpus:
        if case.validate == 2:
            continue
        try:
            slow = read_sheets(case.path)
        except WorkbookError:  # openpyxl cannot read it: nothing to compare with
            continue
        fast = read_workbook(case.path)
        for name, grid in slow.items():
            fast_grid = [
                tuple(None if isinstance(v, Uncalculated) else v for v in row)
                for row in fast.grids[name]
            ]
            assert trimmed(fast_grid) == trimmed(grid), (case.name, name)
        if not any(isinstance(v, Uncalculated) for g in fast.grids.values() for r in g for v in r):
            assert results(fast.grids) == results(slow), case.name
        compared += 1
    assert compared >= 20


cell_values = st.one_of(
    st.none(),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=False, allow_infinity=False, width=64),
    st.text(
        alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=12
    ).filter(lambda s: s.strip() == s and not s.startswith("=")),
    st.booleans(),
    st.dates(dt.date(1901, 1, 1), dt.date(2199, 12, 31)).map(
        lambda d: dt.datetime(d.year, d.month, d.day)
    ),
    st.sampled_from(["c", "x", "n/a", "-", "Data - In progress", "63% (6m+)"]),
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(cell_values, min_size=1, max_size=6), min_size=1, max_size=8))
def test_any_cell_values_read_alike(tmp_path_factory, rows):
    path = tmp_path_factory.mktemp("cells") / "cells.xlsx"
    save_grids(path, {"Data": [["Ref", "Period", "Value"], *rows]})
    assert_read_alike(path)


def _workbook_with_data_xml(tmp_path: Path, edit) -> Path:
    """A valid one-indicator workbook whose Data sheet's XML is edited by ``edit``."""
    path = tmp_path / "book.xlsx"
    save_grids(
        path,
        {
            "Settings": settings_rows("2024-03"),
            "Indicators": indicator_rows(
                {"Ref": "A1", "Title": "t", "Polarity": "BIB", "Unit": "number"}
                | {"Measure": "value", "Target": 5}
            ),
            "Data": data_rows(("A1", "2024-01", None, None, 4), ("A1", "2024-02", None, None, 6)),
        },
    )
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    parts["xl/worksheets/sheet3.xml"] = edit(parts["xl/worksheets/sheet3.xml"])
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return path


def test_a_formula_never_calculated_is_an_error_at_its_cell(tmp_path):
    path = _workbook_with_data_xml(
        tmp_path,
        lambda xml: xml.replace(b'<c r="E3" t="n"><v>6</v></c>', b'<c r="E3"><f>2*3</f></c>'),
    )
    assert read_sheets(path)["Data"][2][4] is None  # openpyxl: a silent blank
    book = read_workbook(path)
    assert book.grids["Data"][2][4] == Uncalculated("=2*3")
    report = run(book.grids, book.template_version, REFRESHED)[0]
    found = [i for i in report.issues if i.code == Code.UNCALCULATED_FORMULA]
    assert [(i.sheet, i.cell, i.ref) for i in found] == [("Data", "E3", "A1")]
    assert "=2*3" in found[0].message and "Open it in Excel and save it" in found[0].message


def test_a_formula_with_its_value_stored_reads_as_its_value(tmp_path):
    path = _workbook_with_data_xml(
        tmp_path,
        lambda xml: xml.replace(
            b'<c r="E3" t="n"><v>6</v></c>', b'<c r="E3"><f>2*3</f><v>6</v></c>'
        ),
    )
    assert read_workbook(path).grids["Data"][2][4] == 6


def test_an_error_value_reads_as_its_text_as_openpyxl_reads_it(tmp_path):
    path = _workbook_with_data_xml(
        tmp_path,
        lambda xml: xml.replace(
            b'<c r="E3" t="n"><v>6</v></c>', b'<c r="E3" t="e"><f>NA()</f><v>#N/A</v></c>'
        ),
    )
    assert read_workbook(path).grids["Data"][2][4] == "#N/A" == read_sheets(path)["Data"][2][4]


def test_a_stray_cell_at_the_sheets_far_corner_is_left_out_and_named(tmp_path):
    stray = b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>oops</t></is></c></row>'
    path = _workbook_with_data_xml(
        tmp_path, lambda xml: xml.replace(b"</sheetData>", stray + b"</sheetData>")
    )
    assert path.stat().st_size < 10_000
    book = read_workbook(path)
    assert len(book.grids["Data"]) == 3  # the header and two rows: nothing out at the corner
    assert [(i.sheet, i.cell, i.code) for i in book.issues] == [
        ("Data", "XFD1048576", Code.STRAY_CELL)
    ]
    report = run(book.grids, book.template_version, REFRESHED, book.issues)[0]
    assert report.indicator("A1").outturn == 6
    assert any(i.code == Code.STRAY_CELL for i in report.issues)


def test_validate_and_fill_load_neither_openpyxl_nor_numpy():
    loaded = modules_loaded_by(
        "kpi_engine.commands.cli, kpi_engine.commands.fill, kpi_engine.xlsx.reader",
        ("openpyxl", "numpy", "pandas", "lxml", "xml.sax"),
    )
    assert loaded == []
