"""The spliced fill writes the same output sheets as the openpyxl writer it replaced, cell for
cell: values, resolved styles, links, row heights, charts; and the same results.

The reference (tests/openpyxl_writer.py, tests/openpyxl_charts.py) is the old writer: it loads the
whole workbook with openpyxl, places the render model and saves. Both are given the same workbook
and the same render model; both outputs are read back with openpyxl and compared.
"""

from __future__ import annotations

import json
import math
import sys
import warnings
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import seed_003
from builders import REFRESHED, save_grids
from openpyxl_writer import place

from kpi_engine.commands.fill import fill_workbook
from kpi_engine.pipeline import run
from kpi_engine.results_json import dumps
from kpi_engine.workbook_names import OUTPUT_SHEETS
from kpi_engine.xlsx.reader import read_workbook

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from make_workbook import build_workbook


def reference_fill(src: Path, out: Path) -> str:
    """The old fill: openpyxl loads the whole workbook, the writer places the model, it saves.
    Returns the results JSON of the same computation."""
    book = read_workbook(src)
    report, model = run(book.grids, book.template_version, REFRESHED, book.issues)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        whole = openpyxl.load_workbook(src)
    place(whole, model)
    whole.save(out)
    return dumps(report)


def style(cell: Any) -> tuple[str, ...]:
    parts = (cell.font, cell.fill, cell.border, cell.alignment, cell.protection)
    return (*(repr(p) for p in parts), cell.number_format, repr(cell.quotePrefix))


def same_value(a: Any, b: Any) -> bool:
    """Equal; a float the old writer wrote with 16 significant digits equals the same float
    written exactly; an empty text cell equals an empty cell."""
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-15, abs_tol=0.0)
    if a in (None, "") and b in (None, ""):
        return True
    return bool(a == b)


def differences(old: Path, new: Path) -> list[str]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        a, b = openpyxl.load_workbook(old), openpyxl.load_workbook(new)
    found = []
    for name in OUTPUT_SHEETS:
        if name not in a.sheetnames:
            found.append(f"{name}: missing in the reference")
            continue
        wa, wb = a[name], b[name]
        cells = {(c.row, c.column) for r in wa.iter_rows() for c in r}
        cells |= {(c.row, c.column) for r in wb.iter_rows() for c in r}
        for row, col in sorted(cells):
            ca, cb = wa.cell(row, col), wb.cell(row, col)
            where = f"{name}!{ca.coordinate}"
            if not same_value(ca.value, cb.value):
                found.append(f"{where}: {ca.value!r} != {cb.value!r}")
            elif style(ca) != style(cb):
                found.append(f"{where}: style {style(ca)} != {style(cb)}")
            link_a = ca.hyperlink.location if ca.hyperlink else None
            link_b = cb.hyperlink.location if cb.hyperlink else None
            if link_a != link_b:
                found.append(f"{where}: link {link_a!r} != {link_b!r}")
        for row in set(wa.row_dimensions) | set(wb.row_dimensions):
            ha, hb = wa.row_dimensions[row].height, wb.row_dimensions[row].height
            if ha != hb:
                found.append(f"{name} row {row}: height {ha} != {hb}")
        charts_a = [(c.anchor._from.row, c.anchor._from.col, len(c.series)) for c in wa._charts]
        charts_b = [(c.anchor._from.row, c.anchor._from.col, len(c.series)) for c in wb._charts]
        if charts_a != charts_b:
            found.append(f"{name}: charts {charts_a} != {charts_b}")
    return found


def assert_same_fill(src: Path, tmp: Path) -> None:
    old, new, results = tmp / "old.xlsx", tmp / "new.xlsx", tmp / "new.json"
    expected_json = reference_fill(src, old)
    fill_workbook(src, new, refreshed=REFRESHED, json_out=results)
    assert differences(old, new) == []
    assert json.loads(results.read_text("utf-8")) == json.loads(expected_json)


@pytest.mark.parametrize("name", ["demo_dashboard.xlsx", "kpi_dashboard_template.xlsx"])
def test_the_bundled_workbooks_fill_as_they_did(name, tmp_path):
    assert_same_fill(ROOT / "workbook_templates" / name, tmp_path)


def test_a_filled_workbook_refills_as_it_did(tmp_path):
    first = tmp_path / "first.xlsx"
    fill_workbook(ROOT / "workbook_templates" / "demo_dashboard.xlsx", first, refreshed=REFRESHED)
    again = tmp_path / "again"
    again.mkdir()
    assert_same_fill(first, again)


def test_seed_003_without_a_template_fills_as_it_did(tmp_path):
    src = save_grids(tmp_path / "seed.xlsx", seed_003.SHEETS)
    assert_same_fill(src, tmp_path)


def test_a_large_authority_fills_as_it_did(tmp_path):
    src = tmp_path / "big.xlsx"
    build_workbook(src, indicators=60, months=24, teams=3)
    assert_same_fill(src, tmp_path)
