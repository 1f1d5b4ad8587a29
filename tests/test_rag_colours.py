"""The Settings sheet's Green, Amber and Red colours: the headless fill writes them into the output
sheets' RAG colour rules (read back from the filled file's XML), with black or white text,
whichever reads better; a value that is not a colour is a warning at its cell and the default is
kept; and no colour can be too light or too dark for its text."""

from __future__ import annotations

import datetime as dt
import itertools
import re
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from builders import months, settings_rows

from kpi_engine.colours import (
    BLACK,
    TEXT_CONTRAST,
    WHITE,
    contrast_ratio,
    read_colour,
    relative_luminance,
    text_colour_on,
)
from kpi_engine.commands.fill import fill_workbook
from kpi_engine.model import DEFAULT_COLOURS
from kpi_engine.workbook_names import OUTPUT_SHEETS
from kpi_engine.xlsx.rag_colours import recoloured
from workbook_templates.build import build_template, write_inputs

WHEN = dt.datetime(2025, 10, 6, 9, 30)
INDICATOR = {
    "Ref": "K1",
    "Title": "Assessments on time",
    "Polarity": "BIB",
    "Unit": "%",
    "Decimals": 0,
    "Measure": "percentage",
    "Aggregation": "flow",
    "RAG rule": "bands",
    "Green threshold": 0.9,
    "Amber threshold": 0.8,
}


def _workbook(path: Path, **colours: Any) -> Path:
    """A template with one rated indicator, and the Settings' colours as given."""
    from builders import INDICATOR_COLUMNS

    book = build_template()
    points = months("2025-04", [(85, 100), (92, 100), (70, 100)], kind="ratio")
    write_inputs(
        book,
        {
            "Settings": settings_rows("2025-06"),
            "Indicators": [INDICATOR_COLUMNS, [INDICATOR.get(c) for c in INDICATOR_COLUMNS]],
            "Data": [["Ref", "Period", "Numerator", "Denominator"], *[p[:4] for p in points]],
        },
    )
    ws = book["Settings"]
    for row in ws.iter_rows():
        word = str(row[0].value or "").removesuffix(" colour")
        if word in colours:
            row[1].value = colours[word]
    book.save(path)
    return path


def _settings_cell(path: Path, word: str) -> str:
    ws = openpyxl.load_workbook(path)["Settings"]
    return next(row[1].coordinate for row in ws.iter_rows() if row[0].value == f"{word} colour")


def _dxfs(package: zipfile.ZipFile) -> list[str]:
    styles = package.read("xl/styles.xml").decode()
    block = re.search(r"<dxfs\b[^>]*>(.*?)</dxfs>", styles, re.DOTALL)
    assert block is not None
    return re.findall(r"<dxf>.*?</dxf>", block.group(1), re.DOTALL)


def rag_looks(path: Path) -> dict[str, dict[str, tuple[str, str]]]:
    """Output sheet -> RAG word -> (fill, text colour) of its colour rule, read from the XML."""
    with zipfile.ZipFile(path) as package:
        dxfs = _dxfs(package)
        book = openpyxl.load_workbook(path, read_only=True)
        names = book.sheetnames
        book.close()
        out = {}
        for number, name in enumerate(names, start=1):
            if name not in OUTPUT_SHEETS:
                continue
            xml = package.read(f"xl/worksheets/sheet{number}.xml").decode()
            rules = re.findall(
                r'<cfRule type="cellIs"[^>]*dxfId="(\d+)"[^>]*><formula>"(Green|Amber|Red)"', xml
            )
            looks = {}
            for dxf_id, word in rules:
                dxf = dxfs[int(dxf_id)]
                fill = re.search(r'<bgColor rgb="[0-9A-F]{2}([0-9A-F]{6})"', dxf)
                text = re.search(r'<font>.*?<color rgb="[0-9A-F]{2}([0-9A-F]{6})"', dxf)
                assert fill and text, dxf
                looks[word] = (fill.group(1), text.group(1))
            out[name] = looks
    return out


@pytest.fixture(scope="module")
def green_1f7a3a(tmp_path_factory) -> tuple[Path, Path, Any]:
    folder = tmp_path_factory.mktemp("colours")
    src = _workbook(folder / "in.xlsx", Green="1F7A3A")
    out = folder / "out.xlsx"
    result = fill_workbook(src, out, refreshed=WHEN)
    assert result.written
    return src, out, result


def test_a_settings_green_fills_the_green_rule_of_every_output_sheet(green_1f7a3a):
    _, out, result = green_1f7a3a
    looks = rag_looks(out)
    assert set(looks) == set(OUTPUT_SHEETS)
    for sheet, words in looks.items():
        # white text on the dark green: 5.4:1 (black would be 3.9:1)
        assert words["Green"] == ("1F7A3A", WHITE), sheet
        assert words["Amber"] == (DEFAULT_COLOURS["Amber"], BLACK), sheet
        assert words["Red"] == (DEFAULT_COLOURS["Red"], WHITE), sheet
    assert not [i for i in result.report.issues if i.sheet == "Settings"]


def test_the_templates_own_dxfs_are_kept_and_filling_again_adds_nothing(green_1f7a3a, tmp_path):
    src, out, _ = green_1f7a3a
    with zipfile.ZipFile(src) as before, zipfile.ZipFile(out) as after:
        old, new = _dxfs(before), _dxfs(after)
    # the rule points at a new dxf; the old one (which other rules may use) is as it was
    assert new[: len(old)] == old and len(new) == len(old) + 1
    again = tmp_path / "again.xlsx"
    assert fill_workbook(out, again, refreshed=WHEN).written
    with zipfile.ZipFile(out) as first, zipfile.ZipFile(again) as second:
        assert first.read("xl/styles.xml") == second.read("xl/styles.xml")
    assert rag_looks(again) == rag_looks(out)


def test_the_default_colours_leave_the_styles_byte_for_byte(tmp_path):
    src = _workbook(tmp_path / "in.xlsx")
    out = tmp_path / "out.xlsx"
    assert fill_workbook(src, out, refreshed=WHEN).written
    with zipfile.ZipFile(src) as before, zipfile.ZipFile(out) as after:
        assert before.read("xl/styles.xml") == after.read("xl/styles.xml")


def test_a_value_that_is_not_a_colour_warns_at_its_cell_and_keeps_the_default(tmp_path):
    src = _workbook(tmp_path / "in.xlsx", Red="light red", Amber="#ffbf00")
    out = tmp_path / "out.xlsx"
    result = fill_workbook(src, out, refreshed=WHEN)
    assert result.written and result.errors == 0
    (warning,) = [i for i in result.report.issues if i.sheet == "Settings"]
    assert warning.severity.value == "warning"
    assert warning.cell == _settings_cell(src, "Red")
    assert "Red colour 'light red' is not a colour" in warning.message
    assert f"keeps the default, #{DEFAULT_COLOURS['Red']}" in warning.message
    looks = rag_looks(out)["Dashboard"]
    assert looks["Red"] == (DEFAULT_COLOURS["Red"], WHITE)
    assert looks["Amber"] == ("FFBF00", BLACK)  # lower case and a '#' are fine


def test_no_colour_is_too_light_or_too_dark_for_its_text():
    """The text on a fill is black or white, whichever contrasts more; the worse of the two best
    cases is at luminance 0.179, where both give 4.58:1. So a contrast warning could never fire:
    the check is this proof, over the luminance range and a grid of colours."""
    luminances = (i / 100_000 for i in range(100_001))
    worst = min(max((lum + 0.05) / 0.05, 1.05 / (lum + 0.05)) for lum in luminances)
    assert worst == pytest.approx(4.58, abs=0.005)
    for r, g, b in itertools.product(range(0, 256, 17), repeat=3):
        fill = f"{r:02X}{g:02X}{b:02X}"
        assert contrast_ratio(fill, text_colour_on(fill)) >= TEXT_CONTRAST, fill
    # the colours nearest the crossing, and the too-light red the brief asked about: black on both
    for fill in ("767676", "777777", "FFFF99"):
        assert contrast_ratio(fill, text_colour_on(fill)) >= TEXT_CONTRAST
    assert text_colour_on("FFFF99") == BLACK and relative_luminance("FFFF99") > 0.9


def test_reading_a_colour():
    assert read_colour("1f7a3a") == read_colour(" #1F7A3A ") == "1F7A3A"
    for bad in ("1F7A3", "#1F7A3AZ", "green", "", None, 1234):
        assert read_colour(bad) is None


def test_a_recoloured_dxf_keeps_the_rest_of_its_look():
    dxf = (
        b'<dxf><font><b val="1"/><color theme="1"/><name val="Arial"/></font>'
        b'<numFmt numFmtId="300" formatCode="0%"/>'
        b'<fill><patternFill><bgColor rgb="FF00B050"/></patternFill></fill>'
        b'<border><top style="thin"><color rgb="FFFFFFFF"/></top></border></dxf>'
    )
    assert recoloured(dxf, "1F7A3A", WHITE) == (
        b'<dxf><font><b val="1"/><color rgb="FFFFFFFF"/><name val="Arial"/></font>'
        b'<numFmt numFmtId="300" formatCode="0%"/>'
        b'<fill><patternFill patternType="solid"><fgColor rgb="FF1F7A3A"/>'
        b'<bgColor rgb="FF1F7A3A"/></patternFill></fill>'
        b'<border><top style="thin"><color rgb="FFFFFFFF"/></top></border></dxf>'
    )
    assert recoloured(b"<dxf/>", "C00000", WHITE) == (
        b'<dxf><font><color rgb="FFFFFFFF"/></font><fill><patternFill patternType="solid">'
        b'<fgColor rgb="FFC00000"/><bgColor rgb="FFC00000"/></patternFill></fill></dxf>'
    )


def test_a_new_template_has_the_default_colours_in_its_settings_and_its_rules(tmp_path):
    """new-template takes no colours (it has no Settings to read): its Settings sheet offers the
    defaults, and its rules are in them, so a fill of it changes nothing."""
    path = tmp_path / "template.xlsx"
    build_template().save(path)
    ws = openpyxl.load_workbook(path)["Settings"]
    offered = {
        str(row[0].value).removesuffix(" colour"): read_colour(str(row[1].value))
        for row in ws.iter_rows()
        if str(row[0].value).endswith(" colour")
    }
    assert offered == DEFAULT_COLOURS
    for sheet, looks in rag_looks(path).items():
        assert looks == {w: (c, text_colour_on(c)) for w, c in DEFAULT_COLOURS.items()}, sheet
