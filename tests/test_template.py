"""The template: built from the schemas, committed as built, and able to take an officer's rows."""

from __future__ import annotations

import datetime as dt
import hashlib
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from builders import REFRESHED, evaluate, workbook
from openpyxl.utils import column_index_from_string, get_column_letter

from kpi_engine import TEMPLATE_VERSION
from kpi_engine.colours import contrast_ratio
from kpi_engine.errors import TemplateError
from kpi_engine.render import NARRATIVE_LINE
from kpi_engine.render_model import format_keys, number_format
from kpi_engine.schema import sheet_schema
from kpi_engine.workbook_names import (
    DASHBOARD,
    INPUT_SHEETS,
    OUTPUT_SHEETS,
    SUMMARY,
    TEMPLATE_INFO_SHEET,
    VALIDATION,
)
from kpi_engine.workbook_names import (
    TEMPLATE_VERSION_PROPERTY as VERSION_PROPERTY,
)
from kpi_engine.xlsx.reader import read_sheets, template_version
from workbook_templates.build import (
    LAST_INPUT_ROW,
    SHEET_ORDER,
    TABLE_SHEETS,
    TEMPLATE_FILE,
    build_template,
    save_template,
    table_name,
    write_inputs,
)
from workbook_templates.look import (
    DECLINING_TEXT,
    HEADER_FILL,
    HEADER_TEXT,
    IMPROVING_TEXT,
    SECTION_FILL,
    STAMP_TEXT,
    STYLED_ROWS,
    WHITE,
    column_names,
    rag_styles,
    styled_width,
)
from workbook_templates.upgrade import upgrade

ENUMS = [
    (sheet, c.name, list(c.enum))
    for sheet in INPUT_SHEETS
    for c in sheet_schema(sheet).columns.values()
    if c.enum and all(isinstance(v, str) for v in c.enum)
]
COLUMNS = [
    (sheet, i, c)
    for sheet in TABLE_SHEETS
    for i, c in enumerate(sheet_schema(sheet).columns.values(), 1)
]


# ---------------------------------------------------------------------------------------------
# A comparable description of a workbook


def snapshot(book: openpyxl.Workbook) -> dict[str, Any]:
    """Everything the template is made of that an officer sees or Excel checks, as plain data."""
    out: dict[str, Any] = {
        "sheets": [(ws.title, ws.sheet_state) for ws in book.worksheets],
        "properties": sorted((p.name, p.value) for p in book.custom_doc_props.props),
    }
    for ws in book.worksheets:
        out[f"{ws.title}: cells"] = {
            c.coordinate: (c.value, c.data_type, c.number_format)
            for row in ws.iter_rows()
            for c in row
            if c.value is not None
        }
        out[f"{ws.title}: validations"] = sorted(
            (
                str(dv.sqref),
                dv.type,
                dv.formula1,
                dv.promptTitle,
                dv.prompt,
                dv.errorStyle,
                dv.error,
            )
            for dv in ws.data_validations.dataValidation
        )
        out[f"{ws.title}: tables"] = sorted(
            (t.displayName, t.ref, t.tableStyleInfo.name) for t in ws.tables.values()
        )
        out[f"{ws.title}: conditional formats"] = sorted(
            (str(cf.sqref), rule.type, rule.operator, tuple(rule.formula))
            for cf in ws.conditional_formatting
            for rule in cf.rules
        )
        out[f"{ws.title}: layout"] = (
            ws.freeze_panes,
            sorted((k, d.width, d.hidden) for k, d in ws.column_dimensions.items()),
        )
    return out


def differences(a: dict[str, Any], b: dict[str, Any]) -> list[str]:
    return [key for key in sorted(set(a) | set(b)) if a.get(key) != b.get(key)]


@pytest.fixture(scope="module")
def template_path(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.xlsx"
    save_template(path)
    return path


@pytest.fixture(scope="module")
def template(template_path) -> openpyxl.Workbook:
    return openpyxl.load_workbook(template_path)


def test_the_committed_template_is_the_one_the_code_builds(template):
    committed = openpyxl.load_workbook(TEMPLATE_FILE)
    diff = differences(snapshot(committed), snapshot(template))
    assert diff == [], (
        f"{TEMPLATE_FILE.name} is out of date in {diff}: run python -m workbook_templates.build"
    )


def test_the_comparison_sees_a_changed_drop_down_message(template_path):
    before = openpyxl.load_workbook(template_path)
    after = openpyxl.load_workbook(template_path)
    after["Indicators"].data_validations.dataValidation[0].prompt = "Something else"
    assert differences(snapshot(before), snapshot(after)) == ["Indicators: validations"]


# ---------------------------------------------------------------------------------------------
# Sheets, headers, drop-downs, input messages


def test_sheets_in_order_with_template_info_hidden(template):
    assert template.sheetnames == list(SHEET_ORDER)
    assert SHEET_ORDER[:6] == (
        "Instructions",
        "Summary",
        "Dashboard",
        "Validation",
        "Teams",
        "Charts",
    )
    assert SHEET_ORDER[-1] == TEMPLATE_INFO_SHEET
    visible = len(SHEET_ORDER) - 1
    assert [ws.sheet_state for ws in template.worksheets] == ["visible"] * visible + ["hidden"]
    assert template.active.title == "Instructions"


@pytest.mark.parametrize("sheet", TABLE_SHEETS)
def test_each_input_sheet_is_a_table_headed_by_the_schema(template, sheet):
    ws = template[sheet]
    names = list(sheet_schema(sheet).raw["properties"])
    assert [c.value for c in ws[1]] == names
    assert all(c.font.bold for c in ws[1])
    table = ws.tables[table_name(sheet)]
    assert table.ref == f"A1:{get_column_letter(len(names))}2"
    assert [c.name for c in table.tableColumns] == names
    assert table.tableStyleInfo.name.startswith("TableStyleMedium")
    assert ws.freeze_panes == "A2"


def _validations_on(ws, letter: str, first: int = 2, last: int = LAST_INPUT_ROW):
    wanted = f"{letter}{first}:{letter}{last}" if first != last else f"{letter}{first}"
    return [
        dv
        for dv in ws.data_validations.dataValidation
        if wanted in {str(r) for r in dv.sqref.ranges}
    ]


def list_values(book: openpyxl.Workbook, formula: str) -> list[Any]:
    """The values a list validation offers: typed ("a,b") or a range on a sheet."""
    if formula.startswith('"'):
        return formula.strip('"').split(",")
    sheet, ref = formula.rsplit("!", 1)
    ws = book[sheet.strip("'").replace("''", "'")]
    return [c.value for row in ws[ref.replace("$", "")] for c in row]


@pytest.mark.parametrize("sheet, name, enum", ENUMS)
def test_every_enum_has_a_drop_down_of_exactly_its_values(template, sheet, name, enum):
    ws = template[sheet]
    if sheet == "Settings":
        row = next(c.row for c in ws["A"] if c.value == name)
        lists = [dv for dv in _validations_on(ws, "B", row, row) if dv.type == "list"]
    else:
        letter = get_column_letter([c.value for c in ws[1]].index(name) + 1)
        lists = [dv for dv in _validations_on(ws, letter) if dv.type == "list"]
    assert len(lists) == 1
    assert list_values(template, lists[0].formula1) == enum
    assert (
        lists[0].errorStyle == "warning" and lists[0].showErrorMessage
    )  # a synonym can still be pasted
    assert lists[0].showDropDown is False  # (True would hide the arrow in Excel)


def test_the_schemas_have_the_enums_the_brief_names():
    assert {(s, n) for s, n, _ in ENUMS} >= {
        ("Indicators", n)
        for n in ("Polarity", "Unit", "Measure", "Frequency", "Aggregation", "RAG rule", "Chart")
    }


@pytest.mark.parametrize(
    "sheet, index, column", COLUMNS, ids=[f"{s}-{c.name}" for s, _, c in COLUMNS]
)
def test_every_column_documents_itself(template, sheet, index, column):
    messages = _validations_on(template[sheet], get_column_letter(index))
    assert len(messages) == 1
    dv = messages[0]
    assert dv.showInputMessage and dv.promptTitle == column.title[:32]
    assert dv.prompt == column.description[:255]
    assert (dv.type == "list") == bool(column.enum or column.schema.get("x-suggestions"))


def test_month_columns_show_months(template):
    assert template["Data"].column_dimensions["B"].number_format == "mmm-yy"
    indicators = template["Indicators"]
    letter = get_column_letter([c.value for c in indicators[1]].index("Baseline period") + 1)
    assert indicators.column_dimensions[letter].number_format == "mmm-yy"
    assert template["Data"].column_dimensions["C"].number_format == "General"  # Numerator


def test_settings_rows_defaults_and_descriptions(template):
    ws = template["Settings"]
    schema = sheet_schema("Settings")
    assert [c.value for c in ws[1]] == ["Setting", "Value", "What it means"]
    rows = {r[0].value: r for r in ws.iter_rows(min_row=2)}
    assert list(rows) == list(schema.columns)
    assert rows["Year start month"][1].value == "April"
    assert rows["Months shown"][1].value == 12 and rows["Default amber tolerance"][1].value == 0.1
    assert rows["Green colour"][1].value == "#00B050"
    assert rows["Organisation"][1].value is None
    assert rows["Reporting period"][1].number_format == "mmm-yy"
    assert all(rows[name][2].value == column.description for name, column in schema.columns.items())
    for name, column in schema.columns.items():
        row = rows[name][1].row
        assert [dv.prompt for dv in _validations_on(ws, "B", row, row)] == [
            column.description[:255]
        ]


def test_the_engine_reads_the_settings_defaults(template_path):
    report = evaluate(read_sheets(template_path), refreshed=REFRESHED)
    assert [
        i.message for i in report.issues if i.sheet == "Settings" and i.cell
    ] == []  # no default is refused


def test_instructions_cover_what_an_officer_needs(template):
    ws = template["Instructions"]
    text = "\n".join(str(c.value) for c in ws["B"] if c.value)
    assert ws["B1"].font.bold and ws["B1"].font.size == 16
    assert ws.column_dimensions["A"].width < 5 and ws.column_dimensions["B"].width > 80
    for sheet in INPUT_SHEETS:
        assert f"{sheet}: {sheet_schema(sheet).raw['description']}" in text
    for phrase in (
        "Required columns: Ref, Title.",
        "type 19%",
        "c (suppressed)",
        "x (not available)",
        "low",
        "n/a",
        "Refresh button",
        "kpi-dashboard fill dashboard.xlsx -o out.xlsx",
        "No data",
        "No target",
        "Not due",
        "Context",
        "value as shown",
        "Cell column",
        "rewritten on every refresh",
    ):
        assert phrase in text, phrase


# ---------------------------------------------------------------------------------------------
# Version, file format


def test_template_info_holds_the_version(template):
    info = template[TEMPLATE_INFO_SHEET]
    assert (info["A1"].value, info["B1"].value) == ("Template version", TEMPLATE_VERSION)
    assert (info["A2"].value, info["B2"].value) == ("Built by", "kpi-dashboard")
    assert isinstance(TEMPLATE_VERSION, int)
    assert template_version(template) == str(TEMPLATE_VERSION)


def test_version_from_the_document_property_when_the_sheet_is_gone(template_path):
    book = openpyxl.load_workbook(template_path)
    assert [(p.name, p.value) for p in book.custom_doc_props.props] == [
        (VERSION_PROPERTY, TEMPLATE_VERSION)
    ]
    book[TEMPLATE_INFO_SHEET]["B1"] = None
    book.remove(book[TEMPLATE_INFO_SHEET])
    assert template_version(book) == str(TEMPLATE_VERSION)
    book.custom_doc_props.props = []
    assert template_version(book) is None


def test_template_is_a_plain_xlsx_without_macros(template_path):
    with zipfile.ZipFile(template_path) as z:
        names = z.namelist()
        content_types = z.read("[Content_Types].xml").decode()
    assert "xl/workbook.xml" in names
    assert not any("vbaProject" in n for n in names)
    assert "macroEnabled" not in content_types
    assert TEMPLATE_FILE.suffix == ".xlsx"


def test_save_is_whole_or_nothing(tmp_path, monkeypatch):
    path = tmp_path / "template.xlsx"
    path.write_bytes(b"the old file")

    def broken_save(self, filename):
        Path(filename).write_bytes(b"half a file")
        raise OSError("disk full")

    monkeypatch.setattr(openpyxl.Workbook, "save", broken_save)
    with pytest.raises(OSError):
        save_template(path)
    assert path.read_bytes() == b"the old file"
    assert [p.name for p in tmp_path.iterdir()] == ["template.xlsx"]


# ---------------------------------------------------------------------------------------------
# The output sheets' look


def _rules(ws):
    return [(str(cf.sqref), rule) for cf in ws.conditional_formatting for rule in cf.rules]


@pytest.mark.parametrize("sheet", OUTPUT_SHEETS)
def test_output_sheets_rules_cover_the_sheet(template, sheet):
    ws = template[sheet]
    assert ws.column_dimensions["A"].hidden
    area = f"A1:{get_column_letter(styled_width(sheet))}{STYLED_ROWS}"
    rules = {(rule.type, tuple(rule.formula)): rule for sqref, rule in _rules(ws) if sqref == area}
    header = rules[("expression", ('$A1="header"',))]
    assert header.dxf.fill.bgColor.rgb.endswith(HEADER_FILL) and header.dxf.font.color.rgb.endswith(
        HEADER_TEXT
    )
    assert header.dxf.font.b
    section = rules[("expression", ('$A1="section"',))]
    assert section.dxf.fill.bgColor.rgb.endswith(SECTION_FILL) and section.dxf.font.b
    for word, (fill, text) in rag_styles().items():
        rag = rules[("cellIs", (f'"{word}"',))]
        assert rag.operator == "equal"
        assert rag.dxf.fill.bgColor.rgb.endswith(fill) and rag.dxf.font.color.rgb.endswith(text)
    improving = next(r for key, r in rules.items() if "improving" in key[1][0])
    declining = next(r for key, r in rules.items() if "declining" in key[1][0])
    assert improving.dxf.font.color.rgb.endswith(IMPROVING_TEXT)
    assert declining.dxf.font.color.rgb.endswith(DECLINING_TEXT)
    assert ws["B1"].font.b and ws["B1"].font.sz == 14
    assert ws["B2"].font.i and ws["B2"].font.color.rgb.endswith(STAMP_TEXT)


def test_rag_text_is_readable_on_its_fill():
    styles = rag_styles()
    assert styles == {
        "Green": ("00B050", "000000"),
        "Amber": ("FFC000", "000000"),
        "Red": ("C00000", "FFFFFF"),
    }
    for fill, text in styles.values():
        assert contrast_ratio(fill, text) >= 4.5
    for text in (IMPROVING_TEXT, DECLINING_TEXT, STAMP_TEXT):
        assert contrast_ratio(text, WHITE) >= 4.5
    assert contrast_ratio(HEADER_TEXT, HEADER_FILL) >= 4.5
    # Without hue (a colour-blind reader), Green and Red still differ in lightness.
    assert contrast_ratio(styles["Green"][0], styles["Red"][0]) >= 2
    assert contrast_ratio("777777", WHITE) < 4.5  # the check can fail


def test_rag_text_colour_follows_a_changed_fill():
    assert rag_styles({"Green": "#006100"})["Green"] == ("006100", "FFFFFF")


@pytest.mark.parametrize("sheet", [SUMMARY, DASHBOARD])
def test_numbers_take_their_rows_format_key(template, sheet):
    ws = template[sheet]
    by_formula = {rule.formula[0]: rule for _, rule in _rules(ws)}
    for key, unit, decimals in format_keys():
        rule = by_formula[f'$B1="{key}"']
        assert rule.dxf.numFmt.formatCode == number_format(unit, decimals)
    assert by_formula['$B1="%|1"'].dxf.numFmt.formatCode == "0.0%"
    if sheet == DASHBOARD:
        signed = next(
            r
            for f, r in by_formula.items()
            if f.startswith('AND($B1="%|1"') and "Change since" in f
        )
        assert signed.dxf.numFmt.formatCode == "+0.0%;-0.0%;0.0%"
    hide = next(
        r for sqref, r in _rules(ws) if sqref == f"B1:B{STYLED_ROWS}" and r.dxf.numFmt is not None
    )
    assert hide.dxf.numFmt.formatCode == ";;;"


def test_dashboard_layout_and_print_setup(template):
    ws = template[DASHBOARD]
    headers = {c.value: c.column_letter for c in ws[4] if c.value}
    # Narrow, for print at 75% (tests/test_print.py): the long texts wrap, headings on three lines
    assert ws.column_dimensions[headers["Ref"]].width == 8
    assert ws.column_dimensions[headers["Indicator"]].width == 28
    assert ws.column_dimensions[headers["RAG methodology"]].width == 24
    assert ws.column_dimensions[headers["Notes"]].width == 24
    assert ws.column_dimensions[headers["Month 1"]].width == 7
    assert ws.column_dimensions[headers["Current outturn"]].width == 9
    assert ws.column_dimensions[headers["Indicator"]].alignment.wrap_text
    assert ws.row_dimensions[4].height == 45
    # Symbols sit right, with the numbers; RAG words centred in their fill
    assert ws[f"{headers['Month 1']}5"].alignment.horizontal == "right"
    assert ws[f"{headers['RAG']}5"].alignment.horizontal == "center"
    polarity = column_index_from_string(headers["Polarity"])
    assert ws.freeze_panes == f"{get_column_letter(polarity + 1)}5"
    for name in OUTPUT_SHEETS:
        ws = template[name]
        assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9  # A4
        # One page wide, or a fixed scale (Dashboard, Charts): see tests/test_print.py
        assert ws.print_title_rows == ("$1:$2" if name == SUMMARY else "$1:$4")
        assert ws.oddHeader.center.text == "&A" and ws.oddFooter.center.text == "Page &P of &N"


def test_summary_and_validation_widths(template):
    # Summary's tables of measures start lower down, so its columns are found from the render model.
    summary = {
        name: template[SUMMARY].column_dimensions[get_column_letter(col)].width
        for col, name in column_names(SUMMARY).items()
    }
    # One page wide at 75% or more, even in a wide font: the long texts give way
    assert summary == {
        "Format": 2,
        "No.": 4,
        "Ref": 8,
        "Measure": 36,
        "Green from": 8,
        "Current position": 9,
        "Count": 14,
        "RAG": 7,
        "Previous RAG": 9,
        "Comments": 48,
    }
    # The narrative's lines run on from the first column across the table: they fit in it, at
    # a character a unit (Calibri's digits are wider than its average letter).
    assert NARRATIVE_LINE <= sum(w for name, w in summary.items() if name != "Format")
    validation = {
        c.value: c.column_letter for c in template[VALIDATION][4] if c.value and c.column > 1
    }
    widths = {
        name: template[VALIDATION].column_dimensions[letter].width
        for name, letter in validation.items()
    }
    assert widths == {
        "Severity": 9,
        "Sheet": 12,
        "Cell": 8,
        "Ref": 8,
        "Reason": 22,
        "What to do": 85,
    }


# ---------------------------------------------------------------------------------------------
# Writing inputs


INDICATORS = [
    {
        "Ref": "FD 3",
        "Title": "Contacts to decision in 1 day",
        "Polarity": "BIB",
        "Measure": "percentage",
        "Target": 0.9,
        "RAG rule": "bands",
        "Green threshold": 0.9,
        "Amber threshold": 0.85,
        "Owner": "JB",
    },
    {
        "Ref": "W 1",
        "Title": "Average caseload",
        "Polarity": "SIB",
        "Measure": "average",
        "Unit": "number",
        "Decimals": 1,
        "Target": 17,
        "Baseline": 19.5,
        "Baseline period": dt.datetime(2024, 4, 1),
    },
]
POINTS = [("FD 3", dt.datetime(2024, m, 1), 80 + m, 100) for m in range(4, 10)] + [
    ("W 1", "2024-09", 200, 11.5, None, "East"),
    ("W 1", "Sep-24", None, None, "c", "West"),
]


def _book_grids() -> dict[str, list[list[Any]]]:
    grids = workbook("2024-09", INDICATORS, POINTS)
    grids["Commentary"] = [
        ["Ref", "Period", "Comment", "Next steps"],
        ["FD 3", dt.datetime(2024, 9, 1), "=1+1", "Review in October."],
    ]
    return grids


def _by_header(rows) -> list[dict[str, Any]]:
    header = rows[0]
    # strict=False: a row may be shorter than the header (a grid's row stops at its last value)
    return [{h: v for h, v in zip(header, row, strict=False) if v is not None} for row in rows[1:]]


def test_written_rows_read_back_the_same(tmp_path):
    grids = _book_grids()
    book = build_template()
    write_inputs(book, grids)
    path = tmp_path / "filled.xlsx"
    book.save(path)
    back = read_sheets(path)
    for sheet in ("Indicators", "Data", "Commentary"):
        assert _by_header(back[sheet]) == _by_header(grids[sheet]), sheet
    settings = {row[0]: row[1] for row in back["Settings"][1:]}
    assert settings["Organisation"] == "Testshire" and settings["Reporting period"] == "2024-09"
    assert settings["Year start month"] == "April"  # defaults not given stay


def test_the_engine_gives_the_same_report_from_the_filled_template(tmp_path):
    grids = _book_grids()
    book = build_template()
    write_inputs(book, grids)
    path = tmp_path / "filled.xlsx"
    book.save(path)
    direct, via_file = (
        evaluate(grids, refreshed=REFRESHED),
        evaluate(read_sheets(path), refreshed=REFRESHED),
    )
    assert via_file.summary == direct.summary
    assert [(r.ref, r.outturn, r.rag) for r in via_file.indicators] == [
        (r.ref, r.outturn, r.rag) for r in direct.indicators
    ]
    assert [i.message for i in via_file.issues] == [i.message for i in direct.issues]


def test_text_beginning_with_equals_stays_text(tmp_path):
    book = build_template()
    write_inputs(book, {"Commentary": [["Ref", "Period", "Comment"], ["FD 3", "2024-09", "=1+1"]]})
    path = tmp_path / "filled.xlsx"
    book.save(path)
    cell = openpyxl.load_workbook(path)["Commentary"]["C2"]
    assert (cell.value, cell.data_type, cell.quotePrefix) == ("=1+1", "s", True)
    assert read_sheets(path)["Commentary"][1][2] == "=1+1"


def test_columns_go_under_their_headers_and_unknown_ones_at_the_right(tmp_path):
    book = build_template()
    write_inputs(
        book,
        {
            "data": [
                ["team", "  PERIOD ", "Ref", "Source", None, "Value"],
                ["East", "2024-09", "FD 3", "CIN census", None, 0.5],
                *[["West", "2024-08", "FD 3", None, None, 0.4]] * 5999,
            ]
        },
    )
    path = tmp_path / "filled.xlsx"
    book.save(path)
    ws = openpyxl.load_workbook(path)["Data"]
    header = [c.value for c in ws[1]]
    assert header == [*sheet_schema("Data").raw["properties"], "Source"]
    assert [c.value for c in ws[2]] == ["FD 3", "2024-09", None, None, 0.5, "East", "CIN census"]
    table = ws.tables["DataTable"]
    assert table.ref == "A1:G6001" and [c.name for c in table.tableColumns] == header
    assert table.autoFilter.ref == "A1:G6001"
    ranges = {str(r) for dv in ws.data_validations.dataValidation for r in dv.sqref.ranges}
    assert "A2:A6001" in ranges and "A2:A5000" not in ranges  # input messages follow the rows down


def test_settings_values_set_by_name_and_unknown_ones_added(tmp_path):
    book = build_template()
    write_inputs(
        book,
        {
            "Settings": [
                ["Local note"],
                ["VALUE", "setting"],
                [12, "months shown"],
                ["Northshire", "Organisation"],
                ["x", "Colour of the sky"],
            ]
        },
    )
    ws = book["Settings"]
    values = {r[0].value: r[1].value for r in ws.iter_rows(min_row=2)}
    assert values["Months shown"] == 12 and values["Organisation"] == "Northshire"
    assert values["Colour of the sky"] == "x"
    assert values["Year start month"] == "April"


def test_seed_headers_and_a_wide_paste_go_where_the_engine_reads_them(tmp_path):
    """Seed 003 has "Indicator Number", "2017-18 Target", "Target Owner" and a wide Data paste."""
    import seed_003

    book = build_template()
    write_inputs(book, seed_003.SHEETS)
    path = tmp_path / "seed.xlsx"
    book.save(path)
    direct, via_file = (
        evaluate(seed_003.SHEETS, refreshed=REFRESHED),
        evaluate(read_sheets(path), refreshed=REFRESHED),
    )
    assert via_file.summary == direct.summary
    assert [(r.ref, r.title, r.owner, r.target, r.outturn, r.rag) for r in via_file.indicators] == [
        (r.ref, r.title, r.owner, r.target, r.outturn, r.rag) for r in direct.indicators
    ]
    assert sorted((i.code.value, i.ref or "") for i in via_file.issues) == sorted(
        (i.code.value, i.ref or "") for i in direct.issues
    )
    saved = openpyxl.load_workbook(path)
    assert [c.value for c in saved["Indicators"][1]] == list(
        sheet_schema("Indicators").raw["properties"]
    )
    assert saved["Indicators"]["A2"].value == seed_003.SHEETS["Indicators"][1][0]
    data = saved["Data"]
    assert [c.value for c in data[1]] == list(sheet_schema("Data").raw["properties"])
    assert isinstance(data["B2"].value, dt.datetime) and data["B2"].number_format == "mmm-yy"


def test_unknown_sheet_is_refused():
    with pytest.raises(ValueError, match="not an input sheet"):
        write_inputs(build_template(), {"Dashboard": [["Ref"]]})


# ---------------------------------------------------------------------------------------------
# Upgrading


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture()
def old_workbook(tmp_path) -> Path:
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "indicators"
    ws.append(["Our dashboard, 2017"])
    ws.append([])
    ws.append(
        [
            "Polarity",
            "Lead member",
            "Indicator Title",
            "Indicator Number",
            "Jan-16 Target",
            "Target",
        ]
    )
    ws.append(["BIB", "Cllr Smith", "Contacts to decision in 1 day", "FD 3", 0.95, 0.9])
    ws.append(["SIB", None, "Re-referrals", "FD 4", 0.2, 0.22])
    ws["F4"].number_format = "0%"
    data = book.create_sheet("DATA")
    data.append(["Indicator Ref", "Period", "Numerator", "Denominator", "Area"])
    data.append(["FD 3", dt.datetime(2017, 10, 1), 86, 100, None])
    data.append(["FD 3", dt.datetime(2017, 11, 1), "=40+42", 100, None])
    data.append(["FD 4", "Nov-17", 22, 100, "East"])
    settings = book.create_sheet("Settings")
    settings.append(["Setting", "Value", "What it means"])
    settings.append(["reporting period", dt.datetime(2017, 11, 1), "old words"])
    settings.append(["Plan target label", "Jan-16 Target", None])
    book.create_sheet("Action log").append(["Action", "Owner", "=1+1"])
    book.create_sheet("Dashboard").append(["old output"])
    path = tmp_path / "old.xlsx"
    book.save(path)
    return path


def test_upgrade_moves_every_row_under_the_current_headers(old_workbook, tmp_path):
    before = _digest(old_workbook)
    out = tmp_path / "new.xlsx"
    moved = upgrade(old_workbook, out)
    assert moved == {"Settings": 2, "Indicators": 2, "Data": 3, "Action log": 1}
    assert _digest(old_workbook) == before
    book = openpyxl.load_workbook(out)
    assert template_version(book) == str(TEMPLATE_VERSION)
    rows = _by_header([[c.value for c in r] for r in book["Indicators"].iter_rows()])
    assert rows == [
        {
            "Ref": "FD 3",
            "Title": "Contacts to decision in 1 day",
            "Polarity": "BIB",
            "Target": 0.9,
            "Plan target": 0.95,
            "Lead member": "Cllr Smith",
        },
        {
            "Ref": "FD 4",
            "Title": "Re-referrals",
            "Polarity": "SIB",
            "Target": 0.22,
            "Plan target": 0.2,
        },
    ]
    indicators = book["Indicators"]
    assert [c.value for c in indicators[1]][-1] == "Lead member"
    assert (
        indicators.tables["IndicatorsTable"].ref
        == f"A1:{get_column_letter(indicators.max_column)}3"
    )
    target = next(c for c in indicators[1] if c.value == "Target").column
    assert indicators.cell(2, target).number_format == "0%"  # 90% still shows as 90%
    data = _by_header([[c.value for c in r] for r in book["Data"].iter_rows()])
    # A formula Excel never calculated keeps its text, so the Validation sheet points at it.
    assert data == [
        {"Ref": "FD 3", "Period": dt.datetime(2017, 10, 1), "Numerator": 86, "Denominator": 100},
        {
            "Ref": "FD 3",
            "Period": dt.datetime(2017, 11, 1),
            "Numerator": "=40+42",
            "Denominator": 100,
        },
        {"Ref": "FD 4", "Period": "Nov-17", "Numerator": 22, "Denominator": 100, "Team": "East"},
    ]
    assert book["Data"]["C3"].data_type == "s"
    settings = {r[0].value: (r[1].value, r[2].value) for r in book["Settings"].iter_rows(min_row=2)}
    assert settings["Reporting period"][0] == dt.datetime(2017, 11, 1)
    assert (
        settings["Reporting period"][1]
        == sheet_schema("Settings").columns["Reporting period"].description
    )
    assert book["Action log"]["C1"].value == "=1+1" and book["Action log"]["C1"].data_type == "f"
    assert book.sheetnames[-2:] == ["Action log", TEMPLATE_INFO_SHEET]
    assert (
        book["Dashboard"]["B1"].value == "Improvement board dashboard"
    )  # the template's, not the old output


def test_the_engine_reads_the_upgraded_workbook_like_the_old_one(old_workbook, tmp_path):
    out = tmp_path / "new.xlsx"
    upgrade(old_workbook, out)
    old, new = (
        evaluate(read_sheets(old_workbook), refreshed=REFRESHED),
        evaluate(read_sheets(out), refreshed=REFRESHED),
    )
    assert [(r.ref, r.outturn, r.plan_target, r.target) for r in new.indicators] == [
        (r.ref, r.outturn, r.plan_target, r.target) for r in old.indicators
    ]
    assert new.indicator("FD 3").plan_target == 0.95


def test_upgrade_turns_a_wide_paste_into_rows(tmp_path):
    src = tmp_path / "wide.xlsx"
    book = openpyxl.Workbook()
    book.active.title = "Data"
    for row in (
        ["Ref", "Title", "Apr-17", "May-17", "Jun-17"],
        ["FD 3", "Contacts", 0.8, None, "c"],
        ["FD 4", "Re-referrals", 0.2, 0.21, 0.19],
        [None, "Total", 1, 2, 3],
    ):
        book.active.append(row)
    book.save(src)
    out = tmp_path / "long.xlsx"
    assert upgrade(src, out) == {"Data": 5}
    rows = _by_header(
        [[c.value for c in r] for r in openpyxl.load_workbook(out)["Data"].iter_rows()]
    )
    assert rows[0] == {
        "Ref": "FD 3",
        "Period": dt.datetime(2017, 4, 1),
        "Value": 0.8,
        "Title": "Contacts",
    }
    assert rows[1] == {
        "Ref": "FD 3",
        "Period": dt.datetime(2017, 6, 1),
        "Value": "c",
        "Title": "Contacts",
    }
    assert [r["Ref"] for r in rows] == ["FD 3", "FD 3", "FD 4", "FD 4", "FD 4"]


def test_upgrading_a_filled_template_keeps_its_rows(tmp_path):
    book = build_template()
    write_inputs(book, _book_grids())
    first = tmp_path / "first.xlsx"
    book.save(first)
    second = tmp_path / "second.xlsx"
    upgrade(first, second)
    a, b = read_sheets(first), read_sheets(second)
    for sheet in INPUT_SHEETS:
        assert a[sheet] == b[sheet], sheet


def test_upgrade_refuses_a_workbook_without_input_sheets(tmp_path):
    src = tmp_path / "budget.xlsx"
    book = openpyxl.Workbook()
    book.active.title = "Budget"
    book.save(src)
    with pytest.raises(TemplateError, match="none of the input sheets"):
        upgrade(src, tmp_path / "out.xlsx")
    assert not (tmp_path / "out.xlsx").exists()


def test_upgrade_never_overwrites_its_source(old_workbook):
    before = _digest(old_workbook)
    with pytest.raises(TemplateError, match="different name"):
        upgrade(old_workbook, old_workbook)
    assert _digest(old_workbook) == before


def test_the_look_survives_a_refresh(tmp_path):
    from kpi_engine.commands.fill import fill_workbook

    book = build_template()
    write_inputs(book, _book_grids())
    src, out = tmp_path / "filled.xlsx", tmp_path / "refreshed.xlsx"
    book.save(src)
    assert fill_workbook(src, out, refreshed=REFRESHED).written
    before, after = snapshot(openpyxl.load_workbook(src)), snapshot(openpyxl.load_workbook(out))
    for sheet in OUTPUT_SHEETS:
        assert after[f"{sheet}: conditional formats"] == before[f"{sheet}: conditional formats"]
        assert after[f"{sheet}: layout"] == before[f"{sheet}: layout"]
    refreshed = openpyxl.load_workbook(out)
    dashboard = refreshed[DASHBOARD]
    assert dashboard["A4"].value == "header" and dashboard["B1"].font.sz == 14
    formats = {
        r.formula[0]: r.dxf.numFmt.formatCode
        for _, r in _rules(dashboard)
        if r.dxf and r.dxf.numFmt
    }
    assert formats['$B1="%|0"'] == "0%"
    assert template_version(refreshed) == str(TEMPLATE_VERSION)
