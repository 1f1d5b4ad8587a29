"""What reaches the board on paper: the pack PDF read back with PyMuPDF (text no smaller than
8 points on the Summary and Dashboard, no hidden helper text, the indicators left out named, every
page stamped and numbered, tagged with its title and language), the Settings' paper size, and the
print setup of the template's input sheets."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest
from test_pack import WHEN, need_libreoffice

from kpi_engine.charts import chart_page_breaks
from kpi_engine.commands.fill import fill_workbook
from kpi_engine.commands.pack import make_pack, prepare_for_print
from kpi_engine.render_model import PRINT_SCALE, units_per_page
from kpi_engine.workbook_names import CHARTS, DASHBOARD, INPUT_SHEETS, OUTPUT_SHEETS, SUMMARY
from workbook_templates.build import build_template
from workbook_templates.demo import DEMO_FILE, ORGANISATION
from workbook_templates.look import FITTED_SHEETS, column_widths
from workbook_templates.upgrade import upgrade

fitz = pytest.importorskip("pymupdf", reason="PyMuPDF reads the pack PDF (pip install pymupdf)")

LEFT_OUT = "FD 8"  # its Measure made unreadable: an error that leaves it out
HELPER_TEXT = re.compile(r"FoRef|Format|[%a-z0-9 ,]+\|[0-3]\b|\bpct[0-3]\b")
SMALLEST = 8.0  # points


def with_setting(path: Path, setting: str, value: str) -> None:
    book = openpyxl.load_workbook(path)
    ws = book["Settings"]
    row = next((r for r in ws.iter_rows(min_row=2) if r[0].value == setting), None)
    if row is None:  # a workbook made before the setting was
        ws.append([setting, value])
    else:
        row[1].value = value
    book.save(path)


@pytest.fixture(scope="module")
def board_pack(tmp_path_factory):
    """The demo's pack, with one indicator left out for an error."""
    need_libreoffice()
    folder = tmp_path_factory.mktemp("print")
    src = folder / "demo-with-error.xlsx"
    shutil.copyfile(DEMO_FILE, src)
    book = openpyxl.load_workbook(src)
    ws = book["Indicators"]
    headers = [c.value for c in ws[1]]
    row = next(r for r in ws.iter_rows(min_row=2) if r[0].value == LEFT_OUT)
    row[headers.index("Measure")].value = "not a measure"
    book.save(src)
    out = folder / "pack.pdf"
    result = make_pack(src, out, refreshed=WHEN)
    assert result.report.left_out == [LEFT_OUT]
    doc = fitz.open(out)
    yield result, doc, out
    doc.close()


def page_texts(doc) -> list[str]:
    return [page.get_text() for page in doc]


def sheet_of(text: str) -> str:
    """The sheet a pack page prints: the centre of its header (the first lines)."""
    for name in OUTPUT_SHEETS:
        if f"\n{name}\n" in "\n" + "\n".join(text.splitlines()[:4]) + "\n":
            return name
    return ""


def smallest_span(page) -> float:
    sizes = [
        span["size"]
        for block in page.get_text("dict")["blocks"]
        for line in block.get("lines", [])
        for span in line["spans"]
        if span["text"].strip()
    ]
    return min(sizes)


def test_summary_and_dashboard_print_no_smaller_than_8_points(board_pack):
    _, doc, _ = board_pack
    texts = page_texts(doc)
    checked = {SUMMARY: 0, DASHBOARD: 0}
    for page, text in zip(doc, texts, strict=True):
        sheet = sheet_of(text)
        if sheet in checked:
            checked[sheet] += 1
            assert smallest_span(page) >= SMALLEST, (sheet, page.number + 1, smallest_span(page))
    assert all(checked.values()), checked  # both sheets were found and measured


def test_no_helper_text_in_the_pdf_and_the_left_out_indicator_is_named(board_pack):
    _, doc, _ = board_pack
    text = "\n".join(page_texts(doc))
    assert not HELPER_TEXT.search(text), HELPER_TEXT.search(text)
    summary = "\n".join(t for t in page_texts(doc) if sheet_of(t) == SUMMARY)
    flat = " ".join(summary.split())
    assert f"1 indicator left out: {LEFT_OUT}" in flat and "Validation" in flat


def test_every_page_is_stamped_and_numbered(board_pack):
    result, doc, _ = board_pack
    texts = page_texts(doc)
    assert result.pages == len(texts)
    for number, text in enumerate(texts, start=1):
        assert f"Page {number} of {len(texts)}" in text, number
        assert ORGANISATION in text and "Reporting period September 2025" in text, number
        assert "Refreshed 2025-10-06 09:30" in text, number


def test_the_pdf_is_tagged_with_its_title_and_language(board_pack):
    _, doc, _ = board_pack
    assert doc.metadata["title"] == f"{ORGANISATION} board pack, September 2025"
    catalog = doc.pdf_catalog()
    assert doc.xref_get_key(catalog, "Lang") == ("string", "en-GB")
    assert "true" in doc.xref_get_key(catalog, "MarkInfo")[1]  # tagged
    assert doc.xref_get_key(catalog, "StructTreeRoot")[0] == "xref"


def test_the_dashboard_prints_at_a_fixed_scale_across_then_down(board_pack):
    _, doc, _ = board_pack
    dashboard = [t for t in page_texts(doc) if sheet_of(t) == DASHBOARD]
    assert len(dashboard) >= 2
    for text in dashboard:  # Ref and Indicator repeat on the pages across
        assert "Ref" in text and "Indicator" in text
    # Across first: the second page carries the same first rows' later columns
    assert "FD 1" in dashboard[1] and "Number of contacts received" in dashboard[1]


# ---------------------------------------------------------------------------------------------
# Paper size, and the workbook's own print setup (no LibreOffice needed)


def page_setups(path: Path) -> dict[str, str]:
    """Sheet name -> its pageSetup element, from the package itself."""
    with zipfile.ZipFile(path) as z:
        book = z.read("xl/workbook.xml").decode()
        rels = z.read("xl/_rels/workbook.xml.rels").decode()
        targets = dict(re.findall(r'Id="(rId\d+)"[^>]*Target="/?(?:xl/)?([^"]+)"', rels))
        targets |= {
            i: t for t, i in re.findall(r'Target="/?(?:xl/)?([^"]+)"[^>]*Id="(rId\d+)"', rels)
        }
        out = {}
        for name, rid in re.findall(r'<sheet [^>]*name="([^"]+)"[^>]*r:id="(rId\d+)"', book):
            xml = z.read("xl/" + targets[rid]).decode()
            m = re.search(r"<pageSetup\b[^>]*/>", xml)
            out[name] = m.group(0) if m else ""
    return out


def test_a3_is_a_setting_the_fill_and_the_pack_print_on(tmp_path):
    src = tmp_path / "a3.xlsx"
    shutil.copyfile(DEMO_FILE, src)
    with_setting(src, "Paper size", "A3")
    before = page_setups(src)
    out = tmp_path / "filled.xlsx"
    filled = fill_workbook(src, out, refreshed=WHEN)
    assert filled.paper == "A3"
    after = page_setups(out)
    for name in OUTPUT_SHEETS:
        assert 'paperSize="8"' in after[name], name  # A3
        assert after[name].replace('paperSize="8"', 'paperSize="9"') == before[name]
    for name in INPUT_SHEETS:  # input sheets are never changed
        if name in before:
            assert after[name] == before[name], name
    printed = prepare_for_print(out, filled.report, filled.paper)
    book = openpyxl.load_workbook(out)
    for name in printed:
        assert int(book[name].page_setup.paperSize) == 8, name


def test_the_template_prints_readably_and_stamped(tmp_path):
    book = build_template()
    for name in OUTPUT_SHEETS:
        ws = book[name]
        rows = "$1:$2" if name == SUMMARY else "$1:$4"  # title and stamp on every page
        assert ws.print_title_rows == rows and ws.page_setup.orientation == "landscape"
        assert ws.oddFooter.center.text == "Page &P of &N"
        if name in FITTED_SHEETS:  # one page wide, and no smaller than PRINT_SCALE for it
            assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
            assert sum(column_widths(name).values()) <= units_per_page()
        else:
            assert not ws.sheet_properties.pageSetUpPr.fitToPage
    dashboard = book[DASHBOARD]
    assert dashboard.page_setup.scale == PRINT_SCALE >= 73  # 11-point text at 8 points or more
    assert dashboard.page_setup.pageOrder == "overThenDown"
    assert dashboard.print_title_cols == "$A:$D"  # Ref and Indicator on every page across
    assert book[CHARTS].sheet_format.customHeight  # fixed row heights: breaks between charts


def test_the_fill_breaks_the_charts_sheet_between_rows_of_charts(tmp_path):
    out = tmp_path / "filled.xlsx"
    filled = fill_workbook(DEMO_FILE, out, refreshed=WHEN)
    from kpi_engine.charts import charted

    book = openpyxl.load_workbook(out)
    breaks = [b.id for b in book[CHARTS].row_breaks.brk]
    assert breaks == list(chart_page_breaks(len(charted(filled.report))))
    assert breaks and all(b.man for b in book[CHARTS].row_breaks.brk)


def test_input_sheets_print_readably_with_their_header_in_the_template_and_upgrade(tmp_path):
    """One page wide where that prints at 75% or more; else at 75%, pages across with the first
    two columns repeated (Indicators was 3 pt fitted to one page)."""
    upgraded = tmp_path / "upgraded.xlsx"
    upgrade(DEMO_FILE, upgraded)
    for book in (build_template(), openpyxl.load_workbook(upgraded)):
        wide = set()
        for name in INPUT_SHEETS:
            if name not in book.sheetnames:
                continue
            ws = book[name]
            units = sum(d.width or 13 for d in ws.column_dimensions.values() if not d.hidden)
            if ws.sheet_properties.pageSetUpPr.fitToPage:
                assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0, name
                assert units <= units_per_page(), name
            else:
                wide.add(name)
                assert ws.page_setup.scale == PRINT_SCALE and ws.print_title_cols == "$A:$B", name
            assert ws.print_title_rows == "$1:$1" and ws.print_options.gridLines, name
            assert ws.oddFooter.center.text == "Page &P of &N", name
        assert {"Indicators", "Commentary"} <= wide and "Data" not in wide
    assert build_template()["Indicators"].page_setup.orientation == "landscape"
