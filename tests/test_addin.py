"""The Refresh button (addin/): every Excel route gives the workbook `kpi-dashboard fill` gives.

No Excel here: a filled template is turned into the JSON payload each remote client would post
("VBA", "Microsoft Office Scripts", "Office.js"), opened with ``xw.Book(json=payload)`` (xlwings'
remote engine, under ``XLWINGS_LICENSE_KEY=noncommercial``), refreshed, and the returned
actions are replayed onto the same workbook with openpyxl by a small replayer that applies each
action as Excel would (a written value is read as if typed; a leading apostrophe keeps text as
text). The result must equal ``fill_workbook``'s output cell for cell.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import inspect
import json
import math
import os
import re
import subprocess
import sys
import warnings
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.hyperlink import Hyperlink

# xlwings registers its remote engine (xlwings.pro, PolyForm Noncommercial 1.0.0) when it is
# first imported, and only with a licence key; a council's use is noncommercial.
os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")

import xlwings as xw
from builders import modules_loaded_by

from addin import excel as addin_excel
from addin import plan as addin_plan
from addin.payloads import client_payload
from kpi_engine import TEMPLATE_VERSION
from kpi_engine.charts import CHART_DATA_NAME, PICTURES_NOTICE
from kpi_engine.commands.fill import fill_workbook
from kpi_engine.workbook_names import CHARTS, OUTPUT_SHEETS

ROOT = Path(__file__).resolve().parents[1]
REFRESHED = dt.datetime(2025, 10, 6, 9, 30)
VBA, OFFICE_SCRIPTS, OFFICE_JS = "VBA", "Microsoft Office Scripts", "Office.js"
CLIENTS = (VBA, OFFICE_SCRIPTS, OFFICE_JS)

# What each client can apply (docs/excel-guide.md; xlwings 0.37.8's Remote.bas, xlwings.ts and
# xlwings-server 1.20.0's custom-scripts/index.js). VBA and Office Scripts have no handler for
# formulas, fonts, widths, borders, charts and the rest: such an action fails inside Excel.
COMMON = {
    "setValues",
    "rangeClearContents",
    "rangeClearFormats",
    "rangeClear",
    "addSheet",
    "setSheetName",
    "setAutofit",
    "setRangeColor",
    "activateSheet",
    "addHyperlink",
    "setNumberFormat",
    "setPictureName",
    "setPictureHeight",
    "setPictureWidth",
    "deletePicture",
    "addPicture",
    "updatePicture",
    "alert",
    "setRangeName",
    "namesAdd",
    "nameDelete",
    "runMacro",
    "rangeDelete",
    "rangeInsert",
    "rangeSelect",
    "addTable",
    "setTableName",
    "resizeTable",
    "showAutofilterTable",
    "showHeadersTable",
    "showTotalsTable",
    "setTableStyle",
    "copyRange",
    "sheetDelete",
    "sheetClear",
    "sheetClearContents",
    "sheetClearFormats",
}
ALLOWED = {
    VBA: COMMON,
    OFFICE_SCRIPTS: COMMON,
    OFFICE_JS: COMMON
    | {
        "setFontProperty",
        "setBorderProperty",
        "setColumnWidth",
        "setFormula",
        "addChart",
        "freezePaneAtRange",
        "setScreenUpdating",
        "setCalculation",
        "setRangeColors",
    },
}
# What this refresh may emit at all: values, clears, links (and a sheet when one is missing), and
# the Charts sheet's pictures (one per page of small multiples).
PICTURE_ACTIONS = {
    "addPicture",
    "setPictureName",
    "setPictureWidth",
    "setPictureHeight",
    "updatePicture",
    "deletePicture",
}
EMITTED = {
    "setValues",
    "rangeClear",
    "sheetClearContents",
    "addSheet",
} | PICTURE_ACTIONS


# ---------------------------------------------------------------------------------------------
# Workbooks


def build_demo_workbook(path: Path) -> Path:
    """The demo workbook: build_demo if the template has it, else the template filled with the
    demo's (or seed 003's) input grids."""
    demo = ROOT / "workbook_templates" / "demo.py"
    if demo.exists():
        from workbook_templates import demo as demo_module

        build = getattr(demo_module, "build_demo", None)
        if build is not None:
            if inspect.signature(build).parameters:
                build(path)  # build_demo(path) writes the file
            else:
                build().save(path)  # build_demo() gives the workbook
            return path
    from workbook_templates.build import build_template, write_inputs

    book = build_template()
    if demo.exists():
        from workbook_templates.demo import demo_sheets

        write_inputs(book, demo_sheets())
    else:  # pragma: no cover - the demo module is part of the repository
        import seed_003

        write_inputs(book, seed_003.SHEETS)
    book.save(path)
    return path


SEED_HEADERS = {
    "Indicator Number": "Ref",
    "Indicator Title": "Title",
    "2017-18 Target": "Target",
    "Target Owner": "Owner",
}


def seed_sheets() -> dict[str, list[list[Any]]]:
    """Seed 003's grids, with the template's own header names (its synonyms are the reader's
    job)."""
    import seed_003

    sheets = {name: [list(row) for row in rows] for name, rows in seed_003.SHEETS.items()}
    sheets["Indicators"][0] = [SEED_HEADERS.get(h, h) for h in sheets["Indicators"][0]]
    return sheets


def build_seed_workbook(path: Path, **changes: list[list[Any]]) -> Path:
    """Seed 003 (with its many validation warnings, each a link) in the template."""
    from workbook_templates.build import build_template, write_inputs

    book = build_template()
    write_inputs(book, {**seed_sheets(), **changes})
    book.save(path)
    return path


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    """The demo workbook, already filled once (so the output sheets hold a previous refresh)."""
    folder = tmp_path_factory.mktemp("demo")
    path = build_demo_workbook(folder / "demo.xlsx")
    fill_workbook(path, path, refreshed=dt.datetime(2025, 9, 1, 8, 0))
    return path


@pytest.fixture(scope="module")
def seed(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("seed")
    return build_seed_workbook(folder / "seed.xlsx")


# ---------------------------------------------------------------------------------------------
# What the clients post


def make_payload(
    path: Path,
    client: str,
    include: tuple[str, ...] | None = addin_excel.INCLUDE_SHEETS,
    version: str | None = None,
) -> dict[str, Any]:
    """The JSON a client posts for the workbook at ``path`` (see addin/payloads.py for each
    client's ways)."""
    return client_payload(path, client, include, version)


def run_refresh(
    payload: dict[str, Any], refreshed: dt.datetime = REFRESHED
) -> list[dict[str, Any]]:
    book = xw.Book(json=payload)
    try:
        addin_excel.refresh(book, refreshed=refreshed)
        return book.json()["actions"]
    finally:
        book.close()


# ---------------------------------------------------------------------------------------------
# Replaying the actions as Excel applies them


_EXCEL_WOULD_CONVERT = re.compile(r"^[=+\-@'#\t\r]|\d|^\s*(true|false)\s*$", re.IGNORECASE)


# The only formula a refresh writes: a link the engine built from a sheet name and a cell address
_ENGINE_LINK = re.compile(r'^=HYPERLINK\("#(?:[^"]|"")*","[A-Z]{1,3}[0-9]{1,7}"\)$')


def _put(cell: Any, value: Any) -> None:
    """A value written into a range, read as Excel reads it (as if typed)."""
    if value is None or value == "":
        cell.value = None
    elif isinstance(value, str):
        if value.startswith("'"):
            cell.value = value[1:]
            cell.data_type = "s"
            cell.quotePrefix = True
        elif _ENGINE_LINK.match(value):
            cell.value = value  # a formula: openpyxl writes it as one, as the fill does
        else:
            assert not _EXCEL_WOULD_CONVERT.search(value), f"Excel would not keep {value!r} as text"
            cell.value = value
    elif isinstance(value, (bool, int, float)):
        cell.value = value
    else:  # pragma: no cover - JSON has nothing else
        raise AssertionError(f"unexpected value {value!r}")


def _cells(ws, action):
    for r in range(action["start_row"] + 1, action["start_row"] + action["row_count"] + 1):
        for c in range(
            action["start_column"] + 1, action["start_column"] + action["column_count"] + 1
        ):
            yield ws.cell(r, c)


def _replay_picture(pictures: list[dict[str, Any]], action: dict[str, Any]) -> None:
    """A picture action as VBA and Office Scripts apply it, on a sheet's pictures in Excel's
    order: a picture is addressed by its position, and replacing one deletes it and adds it again
    at the end."""
    func, args = action["func"], action["args"]
    if func == "addPicture":
        assert isinstance(args[0], str) and args[0]  # the PNG, base64
        pictures.append(
            {
                "name": f"Picture {len(pictures) + 1}",
                "width": None,
                "height": None,
                "image": args[0],
                "anchor": (args[2] + 1, args[1] + 1),
            }
        )
    elif func == "updatePicture":
        old = pictures.pop(args[1])
        assert old["name"] == args[2]
        pictures.append({**old, "image": args[0]})
    elif func == "deletePicture":
        pictures.pop(args[0])
    else:
        key = {"setPictureName": "name", "setPictureWidth": "width", "setPictureHeight": "height"}[
            func
        ]
        pictures[args[0]][key] = args[1]


def replay(
    actions: list[dict[str, Any]],
    path: Path,
    out: Path,
    pictures: dict[str, list[dict[str, Any]]] | None = None,
) -> dict[str, list[dict[str, Any]]]:
    """Apply the actions to the workbook at ``path`` and save it to ``out``; returns each sheet's
    pictures (openpyxl cannot keep them by name), starting from ``pictures``."""
    book = openpyxl.load_workbook(path)
    pictures = {name: [dict(p) for p in items] for name, items in (pictures or {}).items()}
    for action in actions:
        func = action["func"]
        if func == "addSheet":
            book.create_sheet(action["args"][1], index=action["args"][0])
            continue
        ws = book.worksheets[action["sheet_position"]]
        if func in PICTURE_ACTIONS:
            _replay_picture(pictures.setdefault(ws.title, []), action)
            continue
        if func == "setValues":
            assert len(action["values"]) == action["row_count"]
            for i, row in enumerate(action["values"]):
                assert len(row) == action["column_count"]
                for j, value in enumerate(row):
                    _put(
                        ws.cell(action["start_row"] + 1 + i, action["start_column"] + 1 + j), value
                    )
        elif func == "addHyperlink":
            address, text, tip = action["args"]
            assert action["row_count"] == action["column_count"] == 1
            assert isinstance(text, str) and isinstance(
                tip, str
            )  # Office Scripts calls .toString() on both
            cell = ws.cell(action["start_row"] + 1, action["start_column"] + 1)
            cell.value = text
            location, target = (address[1:], None) if address.startswith("#") else (None, address)
            cell.hyperlink = Hyperlink(
                ref=cell.coordinate, location=location, target=target, display=text, tooltip=tip
            )
        elif func == "rangeClear":
            for cell in _cells(ws, action):
                cell.value = None
                cell.hyperlink = None
                cell._style = StyleArray()
        elif func == "sheetClearContents":
            for row in ws.iter_rows():
                for cell in row:
                    cell.value = None  # Excel's ClearContents keeps formats and hyperlinks
        else:
            raise AssertionError(f"the replayer does not know {func}")
    book.save(out)
    _cache_link_values(out)
    return pictures


def _cache_link_values(path: Path) -> None:
    """Give each link formula the value Excel shows once it has calculated it (the text after
    the comma), as openpyxl cannot: what a client then sends for the cell is that text."""
    import zipfile

    link = re.compile(
        rb'<c r="([A-Z]+[0-9]+)"([^>]*)><f>(HYPERLINK\("[^<]*?","([A-Z]+[0-9]+)"\))</f><v></v>'
    )
    with zipfile.ZipFile(path) as z:
        parts = {i.filename: z.read(i.filename) for i in z.infolist()}
    changed = False
    for name, data in parts.items():
        if name.startswith("xl/worksheets/") and b"<f>HYPERLINK(" in data:
            parts[name] = link.sub(
                lambda m: (
                    b'<c r="'
                    + m.group(1)
                    + b'"'
                    + m.group(2)
                    + b' t="str"><f>'
                    + m.group(3)
                    + b"</f><v>"
                    + m.group(4)
                    + b"</v>"
                ),
                data,
            )
            changed = True
    if changed:
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
            for name, data in parts.items():
                z.writestr(name, data)


# ---------------------------------------------------------------------------------------------
# Comparing workbooks


def _link(cell: Any) -> str | None:
    return None if cell.hyperlink is None else (cell.hyperlink.location or cell.hyperlink.target)


def same_value(a: Any, b: Any) -> bool:
    """Equal, or the same float written with 16 significant digits (as openpyxl, which replays
    the Excel routes' actions here, writes them) and with all 17 (as the fill writes them)."""
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-15, abs_tol=0.0)
    return bool(a == b)


def assert_same_workbook(
    got: Path, expected: Path, differences: dict[str, Any] | None = None
) -> None:
    """The same sheets, values, number formats, links and conditional formats; ``differences``:
    cells ("Charts!C3") where ``got`` holds this value and ``expected`` none."""
    differences = dict(differences or {})
    a, b = openpyxl.load_workbook(got), openpyxl.load_workbook(expected)
    assert a.sheetnames == b.sheetnames
    for name in b.sheetnames:
        wa, wb = a[name], b[name]
        rows, cols = max(wa.max_row, wb.max_row), max(wa.max_column, wb.max_column)
        for r in range(1, rows + 1):
            for c in range(1, cols + 1):
                ca, cb = wa.cell(r, c), wb.cell(r, c)
                where = f"{name}!{get_column_letter(c)}{r}"
                if where in differences:
                    assert (ca.value, cb.value) == (differences.pop(where), None), where
                    continue
                assert same_value(ca.value, cb.value), f"{where}: {ca.value!r} != {cb.value!r}"
                assert ca.number_format == cb.number_format, (
                    f"{where}: {ca.number_format} != {cb.number_format}"
                )
                assert _link(ca) == _link(cb), f"{where}: link {_link(ca)!r} != {_link(cb)!r}"
        if name in OUTPUT_SHEETS:
            assert (
                wa.conditional_formatting._cf_rules.keys()
                == wb.conditional_formatting._cf_rules.keys()
            )
    assert not differences, f"expected differences not found: {differences}"


_FILLED: dict[tuple[str, int], Path] = {}


def filled(source: Path) -> Path:
    """``kpi-dashboard fill``'s output for ``source`` (at REFRESHED), made once per file version."""
    key = (str(source), source.stat().st_mtime_ns)
    if key not in _FILLED:
        out = source.with_name(f"{source.stem}.filled-{len(_FILLED)}.xlsx")
        fill_workbook(source, out, refreshed=REFRESHED)
        _FILLED[key] = out
    return _FILLED[key]


def refreshed_like_fill(
    source: Path, client: str, folder: Path
) -> tuple[list[dict[str, Any]], Path, Path]:
    actions = run_refresh(make_payload(source, client))
    got = folder / f"refreshed-{client[:3]}.xlsx"
    replay(actions, source, got)
    return actions, got, filled(source)


def notice_without_charts(source: Path) -> dict[str, str]:
    """Where a refresh of ``source`` differs from the fill: a workbook that has never been
    filled has no charts of its own, so its refresh draws pictures and says so on the Charts
    sheet (the fill makes the charts, so it has nothing to say)."""
    book = openpyxl.load_workbook(source)
    name = book.defined_names.get(CHART_DATA_NAME)
    if name is not None and any(sheet in book.sheetnames for sheet, _ in name.destinations):
        return {}
    return {f"{CHARTS}!C3": PICTURES_NOTICE}


# ---------------------------------------------------------------------------------------------
# Every client gives the fill's workbook


@pytest.mark.parametrize("client", CLIENTS)
def test_refresh_of_the_demo_equals_the_fill_cell_for_cell(demo, client, tmp_path):
    actions, got, expected = refreshed_like_fill(demo, client, tmp_path)
    assert_same_workbook(got, expected)
    assert {a["func"] for a in actions} <= EMITTED
    values = [a for a in actions if a["func"] == "setValues"]
    assert len(values) == len(OUTPUT_SHEETS)  # one 2-D write per output sheet


@pytest.mark.parametrize("client", CLIENTS)
def test_refresh_of_a_workbook_with_many_issues_and_links(seed, client, tmp_path):
    """Each validation issue's cell links to the cell it is about, inside the one values write:
    a HYPERLINK formula the engine builds, the same in the refresh and in the fill (which caches
    the text it shows)."""
    actions, got, expected = refreshed_like_fill(seed, client, tmp_path)
    assert_same_workbook(got, expected, notice_without_charts(seed))
    (validation,) = [
        a
        for a in actions
        if a["func"] == "setValues" and a["sheet_position"] == _position(seed, "Validation")
    ]
    sent = {
        (r + 1, c + 1): v
        for r, row in enumerate(validation["values"])
        for c, v in enumerate(row)
        if isinstance(v, str) and v.startswith("=")
    }
    formulas = openpyxl.load_workbook(expected)["Validation"]
    shown = openpyxl.load_workbook(expected, data_only=True)["Validation"]
    linked = 0
    for row in shown.iter_rows(min_row=5):
        sheet, cell = row[2].value, row[3].value  # the Sheet and Cell columns
        if not cell:
            continue
        linked += 1
        target = "'" + sheet.replace("'", "''") + "'!" + cell
        formula = f'=HYPERLINK("#{target}","{cell}")'
        assert sent[row[3].row, 4] == formulas.cell(row[3].row, 4).value == formula
        assert row[3].hyperlink is None  # no hyperlink object: the formula is the link
    assert linked == len(sent) > 5
    assert not any(a["func"] == "addHyperlink" for a in actions)


def _position(path: Path, sheet: str) -> int:
    return openpyxl.load_workbook(path, read_only=True).sheetnames.index(sheet)


@pytest.mark.parametrize("client", CLIENTS)
def test_no_action_outside_what_the_client_can_apply(seed, demo, client):
    for source in (seed, demo):
        actions = run_refresh(make_payload(source, client))
        assert {a["func"] for a in actions} <= ALLOWED[client] & EMITTED


def _handlers(client: str) -> set[str] | None:
    """The action names a client has a handler for, read from the installed client code."""
    if client == VBA:
        text = (Path(xw.__file__).parent / "addin" / "Remote.bas").read_text(
            encoding="utf-8", errors="replace"
        )
        return set(
            re.findall(r"^Sub (\w+)\(wb As Workbook, action As Dictionary\)", text, re.MULTILINE)
        )
    if client == OFFICE_SCRIPTS:
        text = (Path(xw.__file__).parent / "js" / "xlwings.ts").read_text(encoding="utf-8")
        return set(re.findall(r"registerCallback\((\w+)\)", text))
    spec = importlib.util.find_spec("xlwings_server")
    if spec is None:
        return None
    text = (Path(spec.origin).parent / "static" / "js" / "custom-scripts" / "index.js").read_text(
        encoding="utf-8"
    )
    return set(re.findall(r"^  (\w+): ", text, re.MULTILINE))


@pytest.mark.parametrize("client", CLIENTS)
def test_what_the_refresh_emits_has_a_handler_in_each_client(client):
    handlers = _handlers(client)
    if handlers is None:
        pytest.skip("xlwings-server is not installed")
    assert EMITTED <= handlers
    assert ALLOWED[client] <= handlers  # the lists above are the clients' own
    if client != OFFICE_JS:  # what VBA and Office Scripts cannot do
        assert (
            not {
                "setFontProperty",
                "setBorderProperty",
                "setColumnWidth",
                "setFormula",
                "addChart",
                "setScreenUpdating",
                "setCalculation",
            }
            & handlers
        )


def test_refreshing_a_refreshed_workbook_changes_nothing(demo, tmp_path):
    once = tmp_path / "once.xlsx"
    replay(run_refresh(make_payload(demo, VBA)), demo, once)
    twice = tmp_path / "twice.xlsx"
    replay(run_refresh(make_payload(once, OFFICE_JS)), once, twice)
    assert_same_workbook(twice, once)


def test_fewer_issues_than_last_time_clears_the_old_links_and_rows(seed, tmp_path):
    """After a refresh with many validation rows, a refresh with one: no stale row, no stale
    link."""
    many = tmp_path / "many.xlsx"
    replay(run_refresh(make_payload(seed, VBA)), seed, many)
    sheets = seed_sheets()
    fewer_sheets = {
        "Indicators": sheets["Indicators"][:3],
        "Data": sheets["Data"][:3],
        "Commentary": [["Ref", "Period"]],
    }
    book = openpyxl.load_workbook(many)
    from workbook_templates.build import write_inputs

    write_inputs(book, fewer_sheets)
    changed = tmp_path / "changed.xlsx"
    book.save(changed)
    _cache_link_values(changed)  # openpyxl drops them when it saves
    actions = run_refresh(make_payload(changed, VBA))
    clears = [a for a in actions if a["func"] == "rangeClear"]
    assert clears and all(a["column_count"] == 1 for a in clears)
    got = tmp_path / "got.xlsx"
    replay(actions, changed, got)
    expected = filled(changed)
    assert_same_workbook(got, expected, notice_without_charts(changed))


def test_formula_text_is_sent_quoted_and_stays_text(tmp_path):
    indicators = seed_sheets()["Indicators"]
    title = indicators[0].index("Title")
    indicators[1][title] = '=HYPERLINK("http://example.com")'
    indicators[2][title] = "+44 helpline calls answered"
    indicators[3][title] = "'Outstanding' grades"
    indicators[4][title] = "TRUE"
    path = build_seed_workbook(tmp_path / "formula.xlsx", Indicators=indicators)
    actions = run_refresh(make_payload(path, OFFICE_SCRIPTS))
    sent = {
        v
        for a in actions
        if a["func"] == "setValues"
        for row in a["values"]
        for v in row
        if isinstance(v, str)
    }
    assert '\'=HYPERLINK("http://example.com")' in sent and "'+44 helpline calls answered" in sent
    assert "''Outstanding' grades" in sent and "'TRUE" in sent
    got = tmp_path / "got.xlsx"
    replay(actions, path, got)
    expected = filled(path)
    assert_same_workbook(got, expected, notice_without_charts(path))
    dashboard = openpyxl.load_workbook(got)["Dashboard"]
    titles = [c.value for row in dashboard.iter_rows() for c in row]
    assert '=HYPERLINK("http://example.com")' in titles


def _trimmed(grid) -> list[tuple]:
    rows = [tuple(row) for row in grid]
    while rows and all(v is None for v in rows[-1]):
        rows.pop()
    width = max(
        (max((i + 1 for i, v in enumerate(r) if v is not None), default=0) for r in rows), default=0
    )
    return [tuple(r[:width]) + (None,) * (width - len(r[:width])) for r in rows]


@pytest.mark.parametrize("client", CLIENTS)
def test_input_sheets_read_through_xlwings_as_the_headless_reader_reads_them(demo, client):
    from kpi_engine.xlsx.reader import read_workbook

    payload = make_payload(demo, client)
    data = next(s for s in payload["sheets"] if s["name"] == "Data")["values"]
    assert data[1][1] == "2023-10-01T00:00:00.000Z"  # a date-formatted Period arrives as ISO text
    blank = None if client == VBA else ""
    assert any(v == blank for row in data for v in row)
    book = xw.Book(json=payload)
    try:
        inputs, outputs, version = addin_excel.read_book(book)
    finally:
        book.close()
    headless_book = read_workbook(demo)  # what the headless fill reads
    headless = headless_book.grids
    assert inputs.keys() == headless.keys()
    for name in headless:
        assert _trimmed(inputs[name]) == _trimmed(headless[name]), name
    assert version == str(TEMPLATE_VERSION) == headless_book.template_version
    assert set(outputs) == set(OUTPUT_SHEETS)


@pytest.mark.parametrize(
    "text, quoted",
    [
        ("Green", False),
        ("No data", False),
        ("Improvement board dashboard", False),
        ("\u25b2 improving", False),
        ("=SUM(A1)", True),
        ("+44", True),
        ("-", True),
        ("- 5 pts", True),
        ("@home", True),
        ("'quoted'", True),
        ("#N/A", True),
        ("Sep-25", True),
        ("63.9%", True),
        ("1/2", True),
        ("12:30", True),
        ("D14", True),
        ("TRUE", True),
        (" false ", True),
        ("", False),
    ],
)
def test_text_excel_would_read_as_something_else_is_quoted(text, quoted):
    assert addin_plan.needs_quote(text) is quoted
    assert addin_plan.excel_value(text) == ("'" + text if quoted else text)
    assert addin_plan.excel_value(0.845) == 0.845 and addin_plan.excel_value(None) is None


def test_missing_output_sheets_are_added(demo, tmp_path):
    book = openpyxl.load_workbook(demo)
    for name in OUTPUT_SHEETS:
        del book[name]
    bare = tmp_path / "bare.xlsx"
    book.save(bare)
    actions = run_refresh(make_payload(bare, VBA))
    assert [a["args"][1] for a in actions if a["func"] == "addSheet"] == list(OUTPUT_SHEETS)
    got = tmp_path / "got.xlsx"
    replay(actions, bare, got)
    expected = filled(bare)
    assert_same_workbook(got, expected, notice_without_charts(bare))


@pytest.mark.parametrize("client", CLIENTS)
def test_output_sheets_left_out_of_include_are_still_cleared(seed, client, tmp_path):
    """If IT's INCLUDE leaves the output sheets out, their old extent is unknown: their contents are
    cleared first (one action each), so nothing of the last refresh is left behind."""
    many = tmp_path / "many.xlsx"
    replay(run_refresh(make_payload(seed, VBA)), seed, many)  # a long Validation sheet
    book = openpyxl.load_workbook(many)
    from workbook_templates.build import write_inputs

    sheets = seed_sheets()
    write_inputs(
        book,
        {
            "Indicators": sheets["Indicators"][:3],
            "Data": sheets["Data"][:3],
            "Commentary": [["Ref", "Period"]],
        },
    )
    changed = tmp_path / "changed.xlsx"
    book.save(changed)
    inputs_only = tuple(n for n in addin_excel.INCLUDE_SHEETS if n not in OUTPUT_SHEETS)
    actions = run_refresh(make_payload(changed, client, include=inputs_only))
    assert sum(a["func"] == "sheetClearContents" for a in actions) == len(OUTPUT_SHEETS)
    got = tmp_path / "got.xlsx"
    replay(actions, changed, got)
    expected = filled(changed)
    # The one thing left behind: old links on rows that are now empty (which cells had them was
    # not sent). openpyxl shows a link's target as the value of an empty linked cell; Excel shows
    # nothing.
    a, b = openpyxl.load_workbook(got), openpyxl.load_workbook(expected)
    for name in OUTPUT_SHEETS:
        stale = {
            c.coordinate
            for row in a[name].iter_rows()
            for c in row
            if c.hyperlink is not None and b[name][c.coordinate].hyperlink is None
        }
        assert not stale or name == "Validation"
        cells_a = {
            (c.coordinate, c.value)
            for row in a[name].iter_rows()
            for c in row
            if c.value is not None and c.coordinate not in stale
        }
        cells_b = {
            (c.coordinate, c.value)
            for row in b[name].iter_rows()
            for c in row
            if c.value is not None
        }
        notice = {
            (where.split("!")[1], text)
            for where, text in notice_without_charts(changed).items()
            if where.startswith(name + "!")
        }
        assert cells_a == cells_b | notice, name


def test_the_xlwings_conf_sheet_names_the_token_and_includes_what_refresh_reads(demo, tmp_path):
    from addin.conf import SHEET, add_xlwings_conf

    book = openpyxl.load_workbook(demo)
    add_xlwings_conf(book)
    path = tmp_path / "with-conf.xlsx"
    book.save(path)
    ws = openpyxl.load_workbook(path)[SHEET]
    conf = {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(1, ws.max_row + 1)}
    assert conf["AUTH"] == "%KPI_DASHBOARD_TOKEN%" and ws.sheet_state == "hidden"
    assert ", " not in conf["INCLUDE"]  # VBA splits on "," alone
    include = tuple(conf["INCLUDE"].split(","))
    assert set(include) == set(addin_excel.INCLUDE_SHEETS) and int(conf["TIMEOUT"]) >= 30000
    got = tmp_path / "got.xlsx"
    replay(run_refresh(client_payload(path, VBA, include)), path, got)
    expected = filled(path)
    assert_same_workbook(got, expected, notice_without_charts(path))


def test_main_refreshes_the_calling_workbook_or_the_active_one_from_an_add_in(demo, monkeypatch):
    import addin

    for from_add_in in (False, True):
        book = xw.Book(json=make_payload(demo, VBA))

        class AddIn:  # an IT-installed .xlam whose Refresh button calls RunPython
            name = "KPI dashboard.xlam"

            class app:
                class books:
                    active = book

        caller = AddIn() if from_add_in else book
        monkeypatch.setattr(xw.Book, "caller", staticmethod(lambda caller=caller: caller))
        try:
            addin.main()
            assert sum(a["func"] == "setValues" for a in book.json()["actions"]) == len(
                OUTPUT_SHEETS
            )
        finally:
            book.close()


# ---------------------------------------------------------------------------------------------
# What importing costs


def test_addin_imports_neither_xlwings_nor_the_server_extra():
    loaded = modules_loaded_by(
        "addin, addin.plan, addin.excel",
        ("xlwings", "xlwings.pro", "xlwings_server", "fastapi", "uvicorn", "starlette"),
    )
    assert loaded == []


def test_the_server_module_imports_without_xlwings_pro():
    """The endpoint loads xlwings (and its licensed remote engine) on the first request, not at
    import."""
    pytest.importorskip("fastapi")
    assert modules_loaded_by("addin.server", ("xlwings", "xlwings.pro", "xlwings_server")) == []


# ---------------------------------------------------------------------------------------------
# The endpoint for VBA RunRemotePython and Office Scripts runPython


def _test_client_class():
    """FastAPI's TestClient; recent Starlette warns (at import) when it runs on httpx rather than
    httpx2."""
    pytest.importorskip("fastapi")
    pytest.importorskip("httpx")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # StarletteDeprecationWarning (a UserWarning) about httpx2
        from fastapi.testclient import TestClient
    return TestClient


@pytest.fixture
def client_for():
    TestClient = _test_client_class()
    from addin.server import create_app

    def make(**options: Any) -> TestClient:
        return TestClient(create_app(**{"token": None, **options}), raise_server_exceptions=False)

    return make


def _post(client, payload: Any, **headers: str):
    body = payload if isinstance(payload, (bytes, str)) else json.dumps(payload)
    return client.post(
        "/refresh", content=body, headers={"Content-Type": "application/json", **headers}
    )


def _no_trace(response) -> None:
    assert "Traceback" not in response.text and 'File "' not in response.text
    assert set(response.json()) == {"detail"} and isinstance(response.json()["detail"], str)


@pytest.mark.parametrize("client", [VBA, OFFICE_SCRIPTS])
def test_endpoint_refreshes_a_good_payload(client_for, demo, client, tmp_path):
    response = _post(client_for(), make_payload(demo, client))
    assert response.status_code == 200
    actions = response.json()["actions"]
    assert {a["func"] for a in actions} <= ALLOWED[client] & EMITTED
    assert sum(a["func"] == "setValues" for a in actions) == len(OUTPUT_SHEETS)
    got = tmp_path / "got.xlsx"
    replay(actions, demo, got)
    stamp = openpyxl.load_workbook(got)["Dashboard"]["B2"].value
    assert "Refreshed" in stamp and f"template {TEMPLATE_VERSION}" in stamp


def test_endpoint_refuses_a_payload_over_the_limit(client_for, demo):
    payload = json.dumps(make_payload(demo, VBA)).encode()
    client = client_for(max_bytes=len(payload) - 1)
    response = _post(client, payload)  # refused on its Content-Length
    assert response.status_code == 413 and "too large" in response.json()["detail"]
    _no_trace(response)

    def chunks():  # no Content-Length: refused on the body actually received
        for i in range(0, len(payload), 65536):
            yield payload[i : i + 65536]

    response = client.post(
        "/refresh", content=chunks(), headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 413
    assert _post(client_for(max_bytes=len(payload)), payload).status_code == 200


def test_endpoint_limit_and_token_come_from_the_environment(demo, monkeypatch):
    TestClient = _test_client_class()
    from addin.server import DEFAULT_MAX_BYTES, create_app

    monkeypatch.setenv("KPI_DASHBOARD_MAX_BYTES", "100")
    monkeypatch.setenv("KPI_DASHBOARD_TOKEN", "s3cret-token")
    client = TestClient(create_app())
    payload = make_payload(demo, VBA)
    assert _post(client, payload, Authorization="s3cret-token").status_code == 413
    monkeypatch.delenv("KPI_DASHBOARD_MAX_BYTES")
    client = TestClient(create_app())
    assert _post(client, payload).status_code == 401
    assert _post(client, payload, Authorization="s3cret-token").status_code == 200
    assert DEFAULT_MAX_BYTES == 10 * 1024 * 1024


def test_endpoint_checks_the_token(client_for, demo):
    client = client_for(token="correct horse battery staple")
    payload = make_payload(demo, VBA)
    for headers in (
        {},
        {"Authorization": ""},
        {"Authorization": "wrong"},
        {"Authorization": "correct horse battery stapl"},
    ):
        response = _post(client, payload, **headers)
        assert response.status_code == 401, headers
        assert "AUTH" in response.json()["detail"]
        _no_trace(response)
    assert _post(client, payload, Authorization="correct horse battery staple").status_code == 200
    assert (
        _post(client, payload, Authorization="Bearer correct horse battery staple").status_code
        == 200
    )


def test_the_token_is_compared_in_constant_time(monkeypatch):
    from addin import server

    calls = []
    real = server.hmac.compare_digest
    monkeypatch.setattr(
        server.hmac, "compare_digest", lambda a, b: calls.append((a, b)) or real(a, b)
    )
    assert server.token_matches("Bearer abc", "abc") and not server.token_matches("abd", "abc")
    assert calls == [(b"abc", b"abc"), (b"abd", b"abc")]
    assert not server.token_matches(None, "abc")


def test_endpoint_refuses_a_mismatched_xlwings_version_with_what_to_do(client_for, demo):
    client = client_for()
    response = _post(client, make_payload(demo, VBA, version="0.30.0"))
    assert response.status_code == 400
    detail = response.json()["detail"]
    assert (
        "0.30.0" in detail
        and xw.__version__ in detail
        and "xlwings VBA module" in detail
        and "IT" in detail
    )
    _no_trace(response)
    response = _post(client, make_payload(demo, OFFICE_SCRIPTS, version="0.30.0"))
    assert response.status_code == 400 and "Office Script" in response.json()["detail"]
    # Office.js (xlwings Server's add-in) is not tied to the server's xlwings version
    assert _post(client, make_payload(demo, OFFICE_JS, version="0.30.0")).status_code == 200


def broken_refresh(payload):
    raise RuntimeError("secret internal detail")


def test_endpoint_errors_are_plain_json_messages(client_for, demo, monkeypatch):
    client = client_for()
    broken_sheets = make_payload(demo, VBA)
    broken_sheets["sheets"][0]["values"] = "not rows"
    for body in (
        b"not json",
        b"\xff\xfe",
        b"[1, 2]",
        json.dumps({"client": VBA}).encode(),
        json.dumps(broken_sheets).encode(),
    ):
        response = _post(client, body)
        assert response.status_code == 400
        _no_trace(response)
    from addin import server

    # A refresh runs in a process of its own, which loads this stand-in by name.
    monkeypatch.setattr(server, "refresh_payload", broken_refresh)
    response = _post(client, make_payload(demo, VBA))
    assert response.status_code == 500
    assert "secret internal detail" not in response.text
    _no_trace(response)


# ---------------------------------------------------------------------------------------------
# kpi-dashboard serve


STOP = {"timeout_graceful_shutdown": 2}  # SIGINT or SIGTERM: refreshes stopped within seconds


def test_serve_binds_to_localhost_by_default(monkeypatch):
    pytest.importorskip("uvicorn")
    import uvicorn
    from click.testing import CliRunner

    from kpi_engine.commands.cli import main

    calls = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.append((app, kw)))
    monkeypatch.delenv("KPI_DASHBOARD_TOKEN", raising=False)
    result = CliRunner().invoke(main, ["serve"])
    assert result.exit_code == 0, result.output
    assert calls[0][1] == {"host": "127.0.0.1", "port": 8000, **STOP}
    assert "KPI_DASHBOARD_TOKEN" in result.output  # warned: no token
    result = CliRunner().invoke(main, ["serve", "--host", "0.0.0.0", "--port", "8443"])
    assert calls[1][1] == {"host": "0.0.0.0", "port": 8443, **STOP} and "HTTPS" in result.output
    import addin

    monkeypatch.delenv("XLWINGS_PROJECT_DIR", raising=False)
    result = CliRunner().invoke(main, ["serve", "--xlwings-server"])
    assert result.exit_code == 0, result.output
    assert calls[2] == (
        "addin.server:xlwings_server_app",
        {"factory": True, "host": "127.0.0.1", "port": 8000, **STOP},
    )
    assert os.environ["XLWINGS_PROJECT_DIR"] == str(addin.XLWINGS_SERVER_PROJECT)
    monkeypatch.delenv("XLWINGS_PROJECT_DIR")
    monkeypatch.delenv("XLWINGS_LICENSE_KEY")
    result = CliRunner().invoke(main, ["serve"])
    assert result.exit_code == 2 and "XLWINGS_LICENSE_KEY" in result.output and len(calls) == 3


# ---------------------------------------------------------------------------------------------
# xlwings Server's Office.js add-in


XLWINGS_SERVER_CALL = r"""
import json, os, sys, warnings
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient
from xlwings_server.main import app
import xlwings_server.routers.xlwings as router

print(json.dumps({"module": getattr(router.custom_scripts, "__file__", ""), "meta": None}))
client = TestClient(app)
meta = client.get("/xlwings/custom-scripts-meta").json()
payload = open(sys.argv[1], "rb").read()
response = client.post("/xlwings/custom-scripts-call/refresh_dashboard", content=payload,
                       headers={"Content-Type": "application/json"})
taskpane = client.get("/taskpane").text
print(json.dumps({"meta": meta, "status": response.status_code, "body": response.json(),
                  "taskpane_button": 'xw-click="refresh_dashboard"' in taskpane}))
"""


def test_xlwings_server_runs_the_registered_refresh_script(demo, tmp_path):
    pytest.importorskip("fastapi")
    pytest.importorskip("httpx")
    if importlib.util.find_spec("xlwings_server") is None:
        pytest.skip("xlwings-server is not installed (pip install 'kpi-dashboard[server]')")
    import addin

    payload_file = tmp_path / "payload.json"
    payload_file.write_text(json.dumps(make_payload(demo, OFFICE_JS)))
    # A fresh process: xlwings Server reads its settings and project folder when first imported.
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "XLWINGS_PROJECT_DIR": str(addin.XLWINGS_SERVER_PROJECT),
        "XLWINGS_LICENSE_KEY": "noncommercial",
    }
    run = subprocess.run(
        [sys.executable, "-c", XLWINGS_SERVER_CALL, str(payload_file)],
        check=False,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=300,
    )
    if (
        run.returncode != 0
        and "ModuleNotFoundError" in run.stderr
        and "xlwings_server" in run.stderr
    ):
        pytest.skip(
            f"xlwings-server cannot be imported here: {run.stderr.strip().splitlines()[-1]}"
        )
    assert run.returncode == 0, run.stderr[-3000:]
    first, result = (json.loads(line) for line in run.stdout.strip().splitlines()[-2:])
    assert (
        Path(first["module"]).resolve().parent
        == (addin.XLWINGS_SERVER_PROJECT / "custom_scripts").resolve()
    )
    (script,) = [m for m in result["meta"] if m["function_name"] == "refresh_dashboard"]
    assert set(script["include"].split(",")) == set(addin_excel.INCLUDE_SHEETS)
    assert result["taskpane_button"]  # the project's task pane has the Refresh button
    assert result["status"] == 200, result["body"]
    actions = result["body"]["actions"]
    assert {a["func"] for a in actions} <= ALLOWED[OFFICE_JS] & EMITTED
    got = tmp_path / "got.xlsx"
    replay(actions, demo, got)
    expected = filled(demo)
    book, reference = openpyxl.load_workbook(got), openpyxl.load_workbook(expected)
    stamp = book["Dashboard"]["B2"].value
    # Everything but the time of the refresh (in the stamp, B2) is the fill's
    for name in OUTPUT_SHEETS:
        assert re.sub(r"Refreshed [^|]*", "", book[name]["B2"].value) == re.sub(
            r"Refreshed [^|]*", "", reference[name]["B2"].value
        )
        book[name]["B2"].value = reference[name]["B2"].value
    book.save(got)
    assert_same_workbook(got, expected)
    assert "Refreshed" in stamp


def test_stale_links_are_cleared_cell_run_by_run_and_never_in_more_than_a_few_actions():
    """A clear takes a cell's formats too, so only the stale cells are cleared, a run at a time;
    past a few runs one rectangle does (the values write that follows rewrites what lies
    between), so the actions stay within the budget."""
    runs = addin_plan._stale_clears("Validation", [(5, 4), (6, 4), (9, 4)])
    assert [(c.row, c.col, c.rows, c.cols) for c in runs] == [(5, 4, 2, 1), (9, 4, 1, 1)]
    scattered = [(r, 4) for r in range(5, 40, 3)]  # twelve runs of one cell
    (one,) = addin_plan._stale_clears("Validation", scattered)
    assert (one.row, one.col, one.rows, one.cols) == (5, 4, 34, 1)
    assert len(addin_plan._stale_clears("Validation", scattered[: addin_plan.MAX_CLEARS])) == 3
