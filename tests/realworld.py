"""Real-world workbooks for the splice tests, built in a temporary folder, never committed.

Each maker writes the engine's input sheets (Settings, Indicators, Data, Commentary) plus what
officers and their tools put in a workbook: XlsxWriter's images, charts, sparklines, notes,
checkboxes, pictures in cells, header logos, sheet backgrounds, tables, autofilters, hidden
sheets and a chart sheet; LibreOffice's own package; a zip streamed with data descriptors; parts
added at the zip level that no Python library writes (an EMF logo, customXml, a calculation
chain, a pivot table, a slicer, a VBA project), compressed as Python's default deflate would not
compress them, so that a part inflated and deflated again cannot pass for one copied raw.

And the checks that prove a fill touched only what it owns, at the zip level:
:func:`assert_copied_raw` (every part the engine does not own is in the output with the same
bytes, compressed bytes included), :func:`assert_sound` (every relationship lands on a part,
every part has a content type, the file reopens in openpyxl and python-calamine) and
:func:`assert_parts_in_schema_order` (what Excel checks and the Python readers do not).
"""

from __future__ import annotations

import datetime as dt
import io
import os
import posixpath
import re
import shutil
import struct
import subprocess
import warnings
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from builders import data_rows, indicator_rows, settings_rows

OUTPUT_SHEETS = ("Summary", "Dashboard", "Validation", "Teams", "Charts")
TEMPLATE_INFO = "Template info"
# The parts the writer may edit besides the output sheets themselves.
EDITABLE = {
    "[Content_Types].xml",
    "xl/workbook.xml",
    "xl/_rels/workbook.xml.rels",
    "xl/styles.xml",
    "xl/calcChain.xml",
    "docProps/app.xml",
}
# Where the writer may add parts: output sheets (and the Template info mark), their drawings,
# the Charts sheet's charts.
ADDED_FOLDERS = ("xl/worksheets/", "xl/drawings/", "xl/charts/")

NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
NS_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
MACRO_BOOK_CT = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
VBA_REL = "http://schemas.microsoft.com/office/2006/relationships/vbaProject"
VBA_CT = "application/vnd.ms-office.vbaProject"

MONTHS = [dt.datetime(2024, m, 1) for m in range(1, 7)]
CASELOADS = [17, 18, 17, 19, 18, 21]  # W 1, a Value column indicator


# --- the input sheets -----------------------------------------------------------------------


def input_grids(formula_like_text: bool = True) -> dict[str, list[list[Any]]]:
    """Three indicators and six months: W 1 (a plain value, in Data!E2:E7) and two
    percentages."""
    points = [("W 1", month, None, None, CASELOADS[i], None) for i, month in enumerate(MONTHS)]
    points += [("A1", month, 80 + i, 100, None, None) for i, month in enumerate(MONTHS)]
    points += [("CL 2", month, 18 + i % 3, 40, None, None) for i, month in enumerate(MONTHS)]
    grids = {
        "Settings": settings_rows("Jun-24", year_start_month="April"),
        "Indicators": indicator_rows(
            {
                "Ref": "A1",
                "Title": "Assessments completed within 45 working days",
                "Section": "Assessment",
                "Polarity": "BIB",
                "Unit": "%",
                "Decimals": 0,
                "Measure": "percentage",
                "Target": 0.9,
                "RAG methodology": "90% or above Green 85%-89% Amber 84% and below Red",
            },
            {
                "Ref": "CL 2",
                "Title": "Care leavers in education, employment or training",
                "Section": "Care Leavers",
                "Polarity": "BIB",
                "Unit": "%",
                "Decimals": 0,
                "Measure": "percentage",
                "Target": 0.5,
                "RAG methodology": "50% or above Green 45%-49% Amber 44% and below Red",
            },
            {
                "Ref": "W 1",
                "Title": "Average caseload per social worker",
                "Section": "Workforce",
                "Polarity": "SIB",
                "Unit": "number",
                "Decimals": 0,
                "Measure": "value",
                "Target": 17,
                "RAG methodology": "17 or below Green 18-20 Amber 21 and above Red",
            },
        ),
        "Data": data_rows(*points),
        # Text an officer typed that Excel would take for a formula if it were typed again: the
        # Summary and Dashboard show it, as text, with a quotePrefix style added to styles.xml.
        "Commentary": [
            ["Ref", "Period", "Comment", "Improvement activity", "Next steps"],
            ["W 1", MONTHS[-1], "- Two vacancies filled in July.", "+2 agency staff", None],
            ["A1", MONTHS[-1], "=Below target after a staffing gap", None, "@Team manager"],
        ],
    }
    if not formula_like_text:  # for openpyxl, which would store "=..." as a formula
        grids["Commentary"][2][2] = "Below target after a staffing gap"
    return grids


def write_inputs(book: Any, grids: Mapping[str, list[list[Any]]], formulas: bool = False) -> dict:
    """The input sheets written with XlsxWriter (dates as dates); ``formulas``: every number in
    Data's Value column as a formula with its cached value, as Excel saves it."""
    date = book.add_format({"num_format": "mmm-yy"})
    sheets = {}
    for name, rows in grids.items():
        ws = book.add_worksheet(name)
        sheets[name] = ws
        value_col = rows[0].index("Value") if name == "Data" else -1
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is None:
                    continue
                if isinstance(value, dt.datetime):
                    ws.write_datetime(r, c, value, date)
                elif formulas and r and c == value_col and isinstance(value, (int, float)):
                    ws.write_formula(r, c, f"={value}*1", None, value)
                elif isinstance(value, str):
                    ws.write_string(r, c, value)  # never a formula, whatever it starts with
                else:
                    ws.write(r, c, value)
    return sheets


def png(path: Path, colour: str = "navy", size: tuple[int, int] = (24, 16)) -> Path:
    from PIL import Image

    Image.new("RGB", size, colour).save(path)
    return path


def xlsxwriter_book(path: Path, tmp: Path) -> Path:
    """An officer's workbook made by XlsxWriter: the input sheets, and on sheets of their own
    and on the input sheets, every feature XlsxWriter writes that openpyxl does not keep."""
    import xlsxwriter

    logo, banner, cell_picture = (
        png(tmp / "logo.png", "navy"),
        png(tmp / "banner.png", "teal", (60, 12)),
        png(tmp / "photo.png", "orange", (10, 10)),
    )
    book = xlsxwriter.Workbook(str(path))
    sheets = write_inputs(book, input_grids())
    data = sheets["Data"]
    data.write_comment("E2", "Figure checked with the team manager.")  # a note
    data.data_validation("F2:F40", {"validate": "list", "source": ["North", "South", "Countywide"]})
    sheets["Settings"].set_header("&L&G&CKPI settings", {"image_left": str(banner)})

    own = book.add_worksheet("Logo")
    own.insert_image("B2", str(logo))

    mine = book.add_worksheet("My charts")
    mine.write_row(0, 0, ["Month", "Caseload"])
    for i, (month, value) in enumerate(zip(MONTHS, CASELOADS, strict=True), start=1):
        mine.write_datetime(i, 0, month, book.add_format({"num_format": "mmm-yy"}))
        mine.write_number(i, 1, value)
    chart = book.add_chart({"type": "line"})
    chart.add_series({"categories": "='My charts'!$A$2:$A$7", "values": "='My charts'!$B$2:$B$7"})
    chart.set_title({"name": "Caseload (my own chart)"})
    mine.insert_chart("D2", chart)
    mine.add_sparkline("C2", {"range": "'My charts'!B2:B7"})
    mine.insert_checkbox("C9", True)
    mine.write_rich_string(
        "A10", "Caseload is ", book.add_format({"bold": True, "color": "red"}), "high", " again."
    )
    mine.embed_image("A12", str(cell_picture))
    mine.set_header("&C&G", {"image_center": str(logo)})
    mine.set_footer("&LPrinted &D")

    backdrop = book.add_worksheet("Backdrop")
    backdrop.set_background(str(banner))
    backdrop.write("A1", "Background picture behind this sheet.")

    data.freeze_panes(1, 0)
    data.autofilter("A1:F19")  # a hidden _xlnm._FilterDatabase name local to Data
    data.conditional_format("E2:E19", {"type": "cell", "criteria": ">", "value": 20})
    sheets["Indicators"].print_area("A1:U4")  # _xlnm.Print_Area, local to Indicators

    table = book.add_worksheet("Contacts")  # an officer's table (a table part of its own)
    table.add_table(
        "A1:B3",
        {
            "data": [["North", "J Smith"], ["South", "A Khan"]],
            "columns": [{"header": "Team"}, {"header": "Lead"}],
        },
    )
    table.merge_range("D1:E1", "Merged heading")
    table.hide()
    secret = book.add_worksheet("Lookups")
    secret.write_column("A1", ["North", "South", "Countywide"])
    secret.very_hidden()
    chart_sheet = book.add_chartsheet("Caseload chart")  # a chart sheet, not a worksheet
    trend = book.add_chart({"type": "column"})
    trend.add_series({"values": "='My charts'!$B$2:$B$7"})
    chart_sheet.set_chart(trend)

    book.define_name("Caseloads", "='My charts'!$B$2:$B$7")
    book.define_name("Data!LocalFigures", "=Data!$E$2:$E$19")
    book.close()
    return path


def xlsxwriter_inputs(path: Path, formulas: bool = False) -> Path:
    """Just the input sheets, made by XlsxWriter (their Value figures as formulas or numbers)."""
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path))
    write_inputs(book, input_grids(), formulas=formulas)
    book.close()
    return path


# --- the zip level ----------------------------------------------------------------------------


# Binary parts written uncompressed (as many tools store pictures), and the rest deflated at
# level 1: compressed bytes that Python's default deflate (level 6, what XlsxWriter, openpyxl and
# LibreOffice use too) would not give again, so a writer that inflated and deflated a part again
# could not pass the raw-copy check by chance.
STORED = (".png", ".jpeg", ".jpg", ".emf", ".bin")
LEVEL = 1


def rewrite_zip(
    src: Path, dst: Path, replace: Mapping[str, bytes] = (), add: Mapping[str, bytes] = ()
) -> Path:
    """A copy of ``src`` with some parts' bytes replaced and parts added; every part written
    again, binaries stored and the rest deflated at ``LEVEL``."""
    replace, add = dict(replace), dict(add)
    with zipfile.ZipFile(src) as old:
        entries = [(i.filename, replace.get(i.filename, old.read(i))) for i in old.infolist()]
    with zipfile.ZipFile(dst, "w") as new:
        for name, data in [*entries, *add.items()]:
            info = zipfile.ZipInfo(name, date_time=(2024, 7, 1, 12, 0, 0))
            if name.lower().endswith(STORED):
                info.compress_type = zipfile.ZIP_STORED
                new.writestr(info, data)
            else:
                info.compress_type = zipfile.ZIP_DEFLATED
                new.writestr(info, data, compresslevel=LEVEL)
    return dst


def deflated_again(src: Path, dst: Path) -> Path:
    """``src`` with every part inflated and deflated again by Python's default deflate, entry
    names, order and times kept: what a writer that does not copy raw would make of it."""
    with zipfile.ZipFile(src) as old, zipfile.ZipFile(dst, "w") as new:
        for i in old.infolist():
            info = zipfile.ZipInfo(i.filename, date_time=i.date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            new.writestr(info, old.read(i))
    return dst


class _Unseekable(io.RawIOBase):
    """A stream zipfile cannot seek back in, so it writes each entry's sizes after its data."""

    def __init__(self, out: Any) -> None:
        self.out = out

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        return self.out.write(data)


def streamed(src: Path, dst: Path) -> Path:
    """``src`` as a writer streaming to the web writes it (.NET's ZipArchive, Java's
    ZipOutputStream): each entry's sizes in a data descriptor after its data, folders as entries
    of their own, deflated at ``LEVEL``."""
    with zipfile.ZipFile(src) as old, open(dst, "wb") as f:
        entries = [(i.filename, old.read(i)) for i in old.infolist()]
        with zipfile.ZipFile(_Unseekable(f), "w") as new:
            for folder in sorted({posixpath.dirname(n) + "/" for n, _ in entries} - {"/"}):
                new.writestr(zipfile.ZipInfo(folder, (2024, 7, 1, 12, 0, 0)), b"")
            for name, data in entries:
                info = zipfile.ZipInfo(name, (2024, 7, 1, 12, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                new.writestr(info, data, compresslevel=LEVEL)
    return dst


def add_relationship(rels: bytes, rel_id: str, kind: str, target: str) -> bytes:
    element = f'<Relationship Id="{rel_id}" Type="{kind}" Target="{target}"/>'.encode()
    return rels.replace(b"</Relationships>", element + b"</Relationships>")


def add_override(types: bytes, part: str, content_type: str) -> bytes:
    element = f'<Override PartName="/{part}" ContentType="{content_type}"/>'.encode()
    return types.replace(b"</Types>", element + b"</Types>")


def add_default(types: bytes, extension: str, content_type: str) -> bytes:
    if f'Extension="{extension}"'.encode() in types:
        return types
    element = f'<Default Extension="{extension}" ContentType="{content_type}"/>'.encode()
    return re.sub(rb"(<Types\b[^>]*>)", lambda m: m.group(1) + element, types, count=1)


def make_xlsm(src: Path, dst: Path) -> Path:
    """``src`` as Excel saves a macro-enabled workbook: a VBA project part, its relationship
    from the workbook and the workbook's macro-enabled content type."""
    with zipfile.ZipFile(src) as z:
        rels, types = z.read("xl/_rels/workbook.xml.rels"), z.read("[Content_Types].xml")
    types = types.replace(
        b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        MACRO_BOOK_CT.encode(),
    )
    types = add_default(types, "bin", VBA_CT)
    return rewrite_zip(
        src,
        dst,
        replace={
            "xl/_rels/workbook.xml.rels": add_relationship(
                rels, "rIdVba", VBA_REL, "vbaProject.bin"
            ),
            "[Content_Types].xml": types,
        },
        add={"xl/vbaProject.bin": VBA_BYTES},
    )


# Not a working VBA project (that needs an OLE compound file Excel signs its own way): bytes that
# must come through a fill unchanged, starting as a compound file does.
VBA_BYTES = bytes.fromhex("d0cf11e0a1b11ae1") + bytes(range(256)) * 8


def tiny_emf() -> bytes:
    """A minimal Enhanced Metafile: the header record and the end-of-file record."""
    header = struct.pack(
        "<II4i4i4sIIIHHIIII2i2i",
        1,  # EMR_HEADER
        88,
        0,
        0,
        15,
        15,  # bounds (device units)
        0,
        0,
        400,
        400,  # frame (0.01 mm)
        b" EMF",
        0x10000,
        88 + 20,  # bytes in the file
        2,  # records
        1,  # handles
        0,
        0,
        0,
        0,
        0,  # description, palette
        1024,
        768,  # device, pixels
        320,
        240,  # device, millimetres
    )
    eof = struct.pack("<IIIII", 14, 20, 0, 16, 20)
    return header + eof


def emf_and_custom_xml(src: Path, dst: Path) -> Path:
    """``src`` (a template: its output sheets are the engine's) with an officer's sheet holding
    an EMF logo in a drawing, the same logo on the Dashboard (an output sheet: the writer owns
    its cells, not its pictures), a customXml part (with its properties), and a calculation
    chain with entries on an officer's sheet and on the output sheets, as Excel writes them,
    all added at the zip level."""
    with zipfile.ZipFile(src) as z:
        book, rels, types = (
            z.read("xl/workbook.xml"),
            z.read("xl/_rels/workbook.xml.rels"),
            z.read("[Content_Types].xml"),
        )
        names = set(z.namelist())
        dashboard = sheet_parts(z)["Dashboard"]
        dashboard_xml = z.read(dashboard)
        dashboard_rels = z.read(rels_of(dashboard)) if rels_of(dashboard) in names else None
        ids = [int(x) for x in re.findall(rb'<sheet\b[^>]*?sheetId="(\d+)"', book)]
        outputs = [
            int(m.group(2))
            for m in re.finditer(rb'<sheet\b[^>]*?name="([^"]*)"[^>]*?sheetId="(\d+)"', book)
            if m.group(1).decode() in OUTPUT_SHEETS
        ]
    n = 1
    while f"xl/worksheets/sheet{n}.xml" in names:
        n += 1
    sheet = f"xl/worksheets/sheet{n}.xml"
    sheet_id = max(ids) + 1
    logo_sheet = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<worksheet xmlns="{NS_MAIN}" xmlns:r="{NS_REL}"><dimension ref="A1:A2"/>'
        '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Our logo</t></is></c></row>'
        '<row r="2"><c r="A2"><f>1+1</f><v>2</v></c></row></sheetData>'
        '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
        '<drawing r:id="rId1"/></worksheet>'
    ).encode()
    drawing = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"'
        ' xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
        "<xdr:oneCellAnchor><xdr:from><xdr:col>1</xdr:col><xdr:colOff>0</xdr:colOff>"
        "<xdr:row>2</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:from>"
        '<xdr:ext cx="914400" cy="914400"/><xdr:pic><xdr:nvPicPr><xdr:cNvPr id="2" name="Logo"/>'
        '<xdr:cNvPicAttr><a:picLocks noChangeAspect="1"/></xdr:cNvPicAttr></xdr:nvPicPr>'
        f'<xdr:blipFill><a:blip xmlns:r="{NS_REL}" r:embed="rId1"/><a:stretch><a:fillRect/>'
        '</a:stretch></xdr:blipFill><xdr:spPr><a:xfrm><a:off x="0" y="0"/>'
        '<a:ext cx="914400" cy="914400"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom>'
        "</xdr:spPr></xdr:pic><xdr:clientData/></xdr:oneCellAnchor></xdr:wsDr>"
    ).encode()
    d = 1
    while f"xl/drawings/drawing{d}.xml" in names:
        d += 1
    drawing_part = f"xl/drawings/drawing{d}.xml"
    sheet_rels = _rels(("rId1", f"{NS_REL}/drawing", f"../drawings/drawing{d}.xml"))
    drawing_rels = _rels(("rId1", f"{NS_REL}/image", "../media/officer_logo.emf"))
    on_dashboard = f"xl/drawings/drawing{d + 1}.xml"
    assert on_dashboard not in names and b"<drawing " not in dashboard_xml
    logo_link = ("rIdOfficerLogo", f"{NS_REL}/drawing", f"../drawings/drawing{d + 1}.xml")
    had_rels = dashboard_rels is not None
    dashboard_rels = (
        add_relationship(dashboard_rels, *logo_link) if dashboard_rels else _rels(logo_link)
    )
    tail = re.search(
        rb"<(legacyDrawing|legacyDrawingHF|picture|oleObjects|tableParts|extLst)\b"
        rb"|</worksheet>",
        dashboard_xml,
    )
    assert tail is not None
    dashboard_xml = (
        dashboard_xml[: tail.start()]
        + b'<drawing r:id="rIdOfficerLogo"/>'
        + (dashboard_xml[tail.start() :])
    )
    if b"xmlns:r=" not in dashboard_xml[: dashboard_xml.index(b">")]:
        dashboard_xml = dashboard_xml.replace(
            b"<worksheet ", f'<worksheet xmlns:r="{NS_REL}" '.encode(), 1
        )
    item = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n'
        b'<b:Sources xmlns:b="http://schemas.openxmlformats.org/officeDocument/2006/bibliography"'
        b' SelectedStyle="\\APASixthEditionOfficeOnline.xsl" StyleName="APA" Version="6"/>'
    )
    props = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n'
        b'<ds:datastoreItem ds:itemID="{4E1A8D2C-6C1F-4C4B-9F52-2B8C1E0D5A11}" '
        b'xmlns:ds="http://schemas.openxmlformats.org/officeDocument/2006/customXml">'
        b'<ds:schemaRefs><ds:schemaRef ds:uri="http://schemas.openxmlformats.org/officeDocument/'
        b'2006/bibliography"/></ds:schemaRefs></ds:datastoreItem>'
    )
    item_rels = _rels(("rId1", f"{NS_REL}/customXmlProps", "itemProps1.xml"))
    chain = [f'<c r="A2" i="{sheet_id}"/>'] + [f'<c r="B5" i="{i}"/>' for i in outputs]
    calc_chain = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<calcChain xmlns="{NS_MAIN}">'
        + "".join(chain)
        + "</calcChain>"
    ).encode()
    book = book.replace(
        b"</sheets>",
        f'<sheet xmlns:r="{NS_REL}" name="Our logo" sheetId="{sheet_id}" r:id="rIdLogo"/>'
        "</sheets>".encode(),
    )
    rels = add_relationship(rels, "rIdLogo", f"{NS_REL}/worksheet", f"worksheets/sheet{n}.xml")
    rels = add_relationship(rels, "rIdCustom", f"{NS_REL}/customXml", "../customXml/item1.xml")
    rels = add_relationship(rels, "rIdChain", f"{NS_REL}/calcChain", "calcChain.xml")
    types = add_default(types, "emf", "image/x-emf")
    types = add_default(types, "xml", "application/xml")
    for part, kind in (
        (sheet, "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"),
        (drawing_part, "application/vnd.openxmlformats-officedocument.drawing+xml"),
        (on_dashboard, "application/vnd.openxmlformats-officedocument.drawing+xml"),
        (
            "customXml/itemProps1.xml",
            "application/vnd.openxmlformats-officedocument.customXmlProperties+xml",
        ),
        (
            "xl/calcChain.xml",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.calcChain+xml",
        ),
    ):
        types = add_override(types, part, kind)
    return rewrite_zip(
        src,
        dst,
        replace={
            "xl/workbook.xml": book,
            "xl/_rels/workbook.xml.rels": rels,
            "[Content_Types].xml": types,
            dashboard: dashboard_xml,
            **({rels_of(dashboard): dashboard_rels} if had_rels else {}),
        },
        add={
            **({} if had_rels else {rels_of(dashboard): dashboard_rels}),
            on_dashboard: drawing,
            rels_of(on_dashboard): drawing_rels,
            sheet: logo_sheet,
            posixpath.join("xl/worksheets/_rels", f"sheet{n}.xml.rels"): sheet_rels,
            drawing_part: drawing,
            posixpath.join("xl/drawings/_rels", f"drawing{d}.xml.rels"): drawing_rels,
            "xl/media/officer_logo.emf": tiny_emf(),
            "customXml/item1.xml": item,
            "customXml/itemProps1.xml": props,
            "customXml/_rels/item1.xml.rels": item_rels,
            "xl/calcChain.xml": calc_chain,
        },
    )


X14 = "http://schemas.microsoft.com/office/spreadsheetml/2009/9/main"
SLICER_REL = "http://schemas.microsoft.com/office/2007/relationships/slicer"
SLICER_CACHE_REL = "http://schemas.microsoft.com/office/2007/relationships/slicerCache"
CT = "application/vnd.openxmlformats-officedocument.spreadsheetml."


def _rels(*rels: tuple[str, str, str]) -> bytes:
    body = "".join(f'<Relationship Id="{i}" Type="{t}" Target="{x}"/>' for i, t, x in rels)
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<Relationships xmlns="{NS_PKG_REL}">{body}</Relationships>'
    ).encode()


def pivot_and_slicer(src: Path, dst: Path) -> Path:
    """``src`` with an officer's "Pivot" sheet holding a pivot table of the Data sheet (its
    cache definition and records) and a slicer (its slicer cache, the x14 extension lists on the
    sheet and the workbook that name them), written at the zip level as Excel lays them out.
    The workbook's calcPr is taken out (it is optional), so the writer has to put one in before
    pivotCaches."""
    with zipfile.ZipFile(src) as z:
        book, rels, types = (
            z.read("xl/workbook.xml"),
            z.read("xl/_rels/workbook.xml.rels"),
            z.read("[Content_Types].xml"),
        )
        names = set(z.namelist())
        ids = [int(x) for x in re.findall(rb'<sheet\b[^>]*?sheetId="(\d+)"', book)]
    n = 1
    while f"xl/worksheets/sheet{n}.xml" in names:
        n += 1
    sheet = f"xl/worksheets/sheet{n}.xml"
    pivot_sheet = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<worksheet xmlns="{NS_MAIN}" xmlns:r="{NS_REL}" '
        'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
        f'xmlns:x14ac="http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac" '
        'mc:Ignorable="x14ac"><dimension ref="A3:B7"/><sheetViews><sheetView workbookViewId="0"/>'
        '</sheetViews><sheetFormatPr defaultRowHeight="15" x14ac:dyDescent="0.25"/><sheetData>'
        '<row r="3"><c r="A3" t="inlineStr"><is><t>Ref</t></is></c>'
        '<c r="B3" t="inlineStr"><is><t>Sum of Value</t></is></c></row>'
        '<row r="4"><c r="A4" t="inlineStr"><is><t>W 1</t></is></c><c r="B4"><v>110</v></c></row>'
        '<row r="7"><c r="A7" t="inlineStr"><is><t>Grand Total</t></is></c><c r="B7"><v>110</v>'
        "</c></row></sheetData>"
        '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
        f'<extLst><ext uri="{{A8765BA9-456A-4dab-B4F3-ACF838C121DE}}" xmlns:x14="{X14}">'
        '<x14:slicerList><x14:slicer r:id="rId2"/></x14:slicerList></ext>'
        f'<ext uri="{{78C0D931-6437-407d-A8EE-F0AAD7539E65}}" xmlns:x14="{X14}">'
        "<x14:conditionalFormattings/></ext></extLst></worksheet>"
    ).encode()
    pivot_table = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<pivotTableDefinition xmlns="{NS_MAIN}" name="PivotTable1" cacheId="7" '
        'applyNumberFormats="0" applyBorderFormats="0" applyFontFormats="0" '
        'applyPatternFormats="0" applyAlignmentFormats="0" applyWidthHeightFormats="1" '
        'dataCaption="Values" updatedVersion="6" minRefreshableVersion="3" '
        'createdVersion="6" indent="0" outline="1" outlineData="1">'
        '<location ref="A3:B7" firstHeaderRow="1" firstDataRow="1" firstDataCol="1"/>'
        '<pivotFields count="2"><pivotField axis="axisRow" showAll="0"><items count="2">'
        '<item x="0"/><item t="default"/></items></pivotField>'
        '<pivotField dataField="1" showAll="0"/></pivotFields>'
        '<rowFields count="1"><field x="0"/></rowFields>'
        '<rowItems count="2"><i><x/></i><i t="grand"><x/></i></rowItems>'
        '<colItems count="1"><i/></colItems>'
        '<dataFields count="1"><dataField name="Sum of Value" fld="1" baseField="0" '
        'baseItem="0"/></dataFields>'
        '<pivotTableStyleInfo name="PivotStyleLight16" showRowHeaders="1" showColHeaders="1" '
        'showRowStripes="0" showColStripes="0" showLastColumn="1"/></pivotTableDefinition>'
    ).encode()
    cache = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<pivotCacheDefinition xmlns="{NS_MAIN}" xmlns:r="{NS_REL}" r:id="rId1" '
        'refreshOnLoad="1" refreshedBy="Officer" refreshedDate="45474.5" createdVersion="6" '
        'refreshedVersion="6" minRefreshableVersion="3" recordCount="1">'
        '<cacheSource type="worksheet"><worksheetSource ref="A1:F19" sheet="Data"/></cacheSource>'
        '<cacheFields count="2"><cacheField name="Ref" numFmtId="0"><sharedItems count="1">'
        '<s v="W 1"/></sharedItems></cacheField><cacheField name="Value" numFmtId="0">'
        '<sharedItems containsSemiMixedTypes="0" containsString="0" containsNumber="1" '
        'containsInteger="1" minValue="17" maxValue="21"/></cacheField></cacheFields>'
        "</pivotCacheDefinition>"
    ).encode()
    records = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<pivotCacheRecords xmlns="{NS_MAIN}" count="1"><r><x v="0"/><n v="110"/></r>'
        "</pivotCacheRecords>"
    ).encode()
    slicer = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<slicers xmlns="{X14}" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/'
        '2006" mc:Ignorable="x"><slicer name="Ref" cache="Slicer_Ref" caption="Ref" '
        'rowHeight="241300"/></slicers>'
    ).encode()
    slicer_cache = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<slicerCacheDefinition xmlns="{X14}" name="Slicer_Ref" sourceName="Ref">'
        '<pivotTables><pivotTable tabId="{tab}" name="PivotTable1"/></pivotTables>'
        '<data><tabular pivotCacheId="7"><items count="1"><i x="0" s="1"/></items></tabular>'
        "</data></slicerCacheDefinition>"
    ).encode()
    sheet_id = max(ids) + 1
    slicer_cache = slicer_cache.replace(b"{tab}", str(sheet_id).encode())
    book = re.sub(rb"<calcPr\b[^>]*?(?:/>|>.*?</calcPr>)", b"", book, flags=re.DOTALL)
    book = book.replace(
        b"</sheets>",
        f'<sheet xmlns:r="{NS_REL}" name="Pivot" sheetId="{sheet_id}" r:id="rIdPivotSheet"/>'
        "</sheets>".encode(),
    )
    extras = (
        f'<pivotCaches><pivotCache xmlns:r="{NS_REL}" cacheId="7" r:id="rIdPivotCache"/>'
        f'</pivotCaches><extLst><ext uri="{{BBE1A952-AA13-448e-AADC-164F8A28A991}}" '
        f'xmlns:x14="{X14}"><x14:slicerCaches><x14:slicerCache xmlns:r="{NS_REL}" '
        'r:id="rIdSlicerCache"/></x14:slicerCaches></ext></extLst>'
    ).encode()
    if b"<extLst" in book:
        raise ValueError("the base workbook already has an extension list")
    book = book.replace(b"</workbook>", extras + b"</workbook>")
    if b"<definedNames>" in book:
        book = book.replace(
            b"</definedNames>", b'<definedName name="Slicer_Ref">#N/A</definedName></definedNames>'
        )
    else:
        book = book.replace(
            b"</sheets>",
            b'</sheets><definedNames><definedName name="Slicer_Ref">#N/A</definedName>'
            b"</definedNames>",
        )
    rels = add_relationship(
        rels, "rIdPivotSheet", f"{NS_REL}/worksheet", f"worksheets/sheet{n}.xml"
    )
    rels = add_relationship(
        rels,
        "rIdPivotCache",
        f"{NS_REL}/pivotCacheDefinition",
        "pivotCache/pivotCacheDefinition1.xml",
    )
    rels = add_relationship(
        rels, "rIdSlicerCache", SLICER_CACHE_REL, "slicerCaches/slicerCache1.xml"
    )
    for part, kind in (
        (sheet, CT + "worksheet+xml"),
        ("xl/pivotTables/pivotTable1.xml", CT + "pivotTable+xml"),
        ("xl/pivotCache/pivotCacheDefinition1.xml", CT + "pivotCacheDefinition+xml"),
        ("xl/pivotCache/pivotCacheRecords1.xml", CT + "pivotCacheRecords+xml"),
        ("xl/slicers/slicer1.xml", "application/vnd.ms-excel.slicer+xml"),
        ("xl/slicerCaches/slicerCache1.xml", "application/vnd.ms-excel.slicerCache+xml"),
    ):
        types = add_override(types, part, kind)
    return rewrite_zip(
        src,
        dst,
        replace={
            "xl/workbook.xml": book,
            "xl/_rels/workbook.xml.rels": rels,
            "[Content_Types].xml": types,
        },
        add={
            sheet: pivot_sheet,
            f"xl/worksheets/_rels/sheet{n}.xml.rels": _rels(
                ("rId1", f"{NS_REL}/pivotTable", "../pivotTables/pivotTable1.xml"),
                ("rId2", SLICER_REL, "../slicers/slicer1.xml"),
            ),
            "xl/pivotTables/pivotTable1.xml": pivot_table,
            "xl/pivotTables/_rels/pivotTable1.xml.rels": _rels(
                (
                    "rId1",
                    f"{NS_REL}/pivotCacheDefinition",
                    "../pivotCache/pivotCacheDefinition1.xml",
                )
            ),
            "xl/pivotCache/pivotCacheDefinition1.xml": cache,
            "xl/pivotCache/_rels/pivotCacheDefinition1.xml.rels": _rels(
                ("rId1", f"{NS_REL}/pivotCacheRecords", "pivotCacheRecords1.xml")
            ),
            "xl/pivotCache/pivotCacheRecords1.xml": records,
            "xl/slicers/slicer1.xml": slicer,
            "xl/slicerCaches/slicerCache1.xml": slicer_cache,
        },
    )


# --- LibreOffice ------------------------------------------------------------------------------


def soffice(args: list[str], profile: Path, timeout: float = 120) -> subprocess.CompletedProcess:
    """LibreOffice headless with a profile of its own (so it never meets a running instance)."""
    exe = shutil.which("soffice") or shutil.which("libreoffice") or "soffice"
    return subprocess.run(
        [exe, f"-env:UserInstallation={profile.resolve().as_uri()}", "--headless", *args],
        capture_output=True,
        check=False,
        text=True,
        timeout=timeout,
        env={**os.environ, "HOME": str(profile)},
    )


def convert(src: Path, to: str, outdir: Path, profile: Path) -> Path:
    """``src`` converted by LibreOffice (``to``: "xlsx", "pdf"); raises when it fails."""
    outdir.mkdir(parents=True, exist_ok=True)
    done = soffice(["--convert-to", to, "--outdir", str(outdir), str(src)], profile)
    out = outdir / (src.stem + "." + to)
    if done.returncode != 0 or not out.exists():
        raise RuntimeError(f"soffice failed ({done.returncode}): {done.stdout} {done.stderr}")
    return out


# --- the checks -------------------------------------------------------------------------------


def raw_entry(path: Path, info: zipfile.ZipInfo) -> bytes:
    """An entry's compressed bytes exactly as they sit in the file (read here, not through the
    product's own package reader, so the check does not trust what it checks)."""
    with open(path, "rb") as f:
        f.seek(info.header_offset)
        header = f.read(30)
        assert header[:4] == b"PK\x03\x04", info.filename
        name_length, extra_length = struct.unpack("<HH", header[26:30])
        f.seek(info.header_offset + 30 + name_length + extra_length)
        return f.read(info.compress_size)


def rels_of(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


def source_of(rels: str) -> str:
    """The part whose relationships ``rels`` holds ("" for the package's own)."""
    folder, name = posixpath.split(rels)
    return posixpath.join(posixpath.dirname(folder), name[: -len(".rels")])


def target_part(source: str, target: str) -> str:
    target = unquote(target.split("#", 1)[0])
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(source), target))


def relationships(z: zipfile.ZipFile, part: str) -> list[dict[str, str]]:
    name = rels_of(part)
    if name not in z.namelist():
        return []
    return [dict(r.attrib) for r in ET.fromstring(z.read(name))]


def sheet_parts(z: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> its part."""
    targets = {
        r["Id"]: target_part("xl/workbook.xml", r["Target"])
        for r in relationships(z, "xl/workbook.xml")
        if r.get("TargetMode") != "External"
    }
    book = ET.fromstring(z.read("xl/workbook.xml"))
    return {
        s.get("name"): targets.get(s.get(f"{{{NS_REL}}}id"), "")
        for s in book.iter(f"{{{NS_MAIN}}}sheet")
    }


def owned_parts(path: Path) -> set[str]:
    """The parts of ``path`` a fill may rewrite or drop: the output sheets (where the workbook
    has a Template info sheet), their relationships, and the Charts sheet's drawing, its charts
    and what they use; plus the few parts that say what the package holds."""
    owned = set(EDITABLE)
    with zipfile.ZipFile(path) as z:
        parts = sheet_parts(z)
        if TEMPLATE_INFO.casefold() not in {n.casefold() for n in parts}:
            return owned
        outputs = {n.casefold() for n in OUTPUT_SHEETS}
        for name, part in parts.items():
            if name.casefold() not in outputs:
                continue
            owned |= {part, rels_of(part)}
            if name.casefold() != "charts":
                continue
            for rel in relationships(z, part):
                if rel["Type"].endswith("/drawing"):
                    drawing = target_part(part, rel["Target"])
                    owned |= {drawing, rels_of(drawing)}
                    for used in relationships(z, drawing):
                        if used["Type"].endswith("/chart"):
                            chart = target_part(drawing, used["Target"])
                            owned |= {chart, rels_of(chart)}
                            owned |= {
                                target_part(chart, r["Target"])
                                for r in relationships(z, chart)
                                if r.get("TargetMode") != "External"
                            }
    return owned


def assert_copied_raw(src: Path, out: Path) -> int:
    """Every part of ``src`` that the fill does not own is in ``out`` with the same bytes, and
    the same compressed bytes (copied raw, not inflated and deflated again); parts the fill
    added are output sheets, their drawings and charts. Returns how many parts were compared."""
    owned = owned_parts(src)
    with zipfile.ZipFile(src) as before, zipfile.ZipFile(out) as after:
        kept = {i.filename: i for i in after.infolist()}
        compared = 0
        for info in before.infolist():
            if info.filename in owned:
                continue
            name = info.filename
            assert name in kept, f"{name} is gone"
            new = kept[name]
            assert after.read(new) == before.read(info), f"{name} changed"
            assert (new.CRC, new.compress_size, new.compress_type, new.file_size) == (
                info.CRC,
                info.compress_size,
                info.compress_type,
                info.file_size,
            ), f"{name} was recompressed"
            assert new.date_time == info.date_time, f"{name}: its time changed"
            assert raw_entry(out, new) == raw_entry(src, info), f"{name}: raw bytes differ"
            compared += 1
        added = set(kept) - {i.filename for i in before.infolist()}
        strays = [n for n in added if not n.startswith(ADDED_FOLDERS)]
        assert not strays, f"parts the fill should not add: {strays}"
    return compared


def content_types(z: zipfile.ZipFile) -> tuple[dict[str, str], dict[str, str]]:
    """(extension -> content type, part -> content type)."""
    root = ET.fromstring(z.read("[Content_Types].xml"))
    defaults = {
        d.get("Extension", "").lower(): d.get("ContentType", "")
        for d in root.iter(f"{{{NS_TYPES}}}Default")
    }
    overrides: dict[str, str] = {}
    for o in root.iter(f"{{{NS_TYPES}}}Override"):
        part = o.get("PartName", "").lstrip("/")
        assert part not in overrides, f"two content types for {part}"
        overrides[part] = o.get("ContentType", "")
    return defaults, overrides


def content_type(z: zipfile.ZipFile, part: str) -> str | None:
    defaults, overrides = content_types(z)
    if part in overrides:
        return overrides[part]
    return defaults.get(extension(part))


def extension(part: str) -> str:
    """What a Default content type matches: "rels" for _rels/.rels too."""
    base = posixpath.basename(part)
    return base.rpartition(".")[2].lower() if "." in base else ""


def assert_sound(path: Path, reopen: bool = True) -> None:
    """The package holds together: unique part names, every part with a content type, every
    content type's part present, every internal relationship landing on a part, every
    relationships part belonging to a part, every XML part well formed, the workbook's sheets
    unique and each with its part; and (``reopen``) it opens in openpyxl and python-calamine."""
    with zipfile.ZipFile(path) as z:
        names = [i.filename for i in z.infolist()]
        # Part names are compared ignoring case (OPC): Sheet1.xml and sheet1.xml are one name.
        assert len({n.casefold() for n in names}) == len(names), "duplicate part names"
        present = set(names)
        defaults, overrides = content_types(z)
        for name in names:
            if name.endswith("/") or name == "[Content_Types].xml":
                continue
            assert name in overrides or extension(name) in defaults, f"{name} has no content type"
            if name.endswith((".xml", ".rels", ".vml")):
                ET.fromstring(z.read(name))  # well formed
        missing = [p for p in overrides if p not in present]
        assert not missing, f"content types for parts that are not there: {missing}"
        for name in names:
            if not name.endswith(".rels"):
                continue
            source = source_of(name)
            assert name == "_rels/.rels" or source in present, f"{name} belongs to no part"
            rels = [dict(r.attrib) for r in ET.fromstring(z.read(name))]
            ids = [r["Id"] for r in rels]
            assert len(ids) == len(set(ids)), f"{name}: duplicate relationship ids"
            for rel in rels:
                if rel.get("TargetMode") == "External":
                    continue
                target = target_part(source, rel["Target"])
                assert target in present, f"{name}: {rel['Id']} points at missing {target}"
        sheets = ET.fromstring(z.read("xl/workbook.xml")).iter(f"{{{NS_MAIN}}}sheet")
        listed = [(s.get("name"), s.get("sheetId")) for s in sheets]
        assert len({n.casefold() for n, _ in listed}) == len(listed), "duplicate sheet names"
        assert len({i for _, i in listed}) == len(listed), "duplicate sheetIds"
        assert all(sheet_parts(z).values()), "a sheet without its part"
    if reopen:
        open_in_openpyxl(path)
        read_values(path)


def open_in_openpyxl(path: Path) -> list[str]:
    import openpyxl

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "extension is not supported and will be removed"
        book = openpyxl.load_workbook(path, keep_vba=path.suffix == ".xlsm")
    names = book.sheetnames
    book.close()
    return names


def read_values(path: Path, names: tuple[str, ...] | None = None) -> dict[str, list[list[Any]]]:
    """Every sheet's values (or the named ones'), as python-calamine reads them."""
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(path))
    wanted = names or tuple(book.sheet_names)
    return {n: book.get_sheet_by_name(n).to_python() for n in wanted if n in book.sheet_names}


def chart_parts(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as z:
        return sorted(n for n in z.namelist() if re.fullmatch(r"xl/charts/chart\d+\.xml", n))


# The schema's order of a worksheet's and a workbook's children (SpreadsheetML, ECMA-376 part 1);
# Excel refuses a part whose elements are out of this order, openpyxl and calamine do not care.
WORKSHEET_ORDER = [
    "sheetPr",
    "dimension",
    "sheetViews",
    "sheetFormatPr",
    "cols",
    "sheetData",
    "sheetCalcPr",
    "sheetProtection",
    "protectedRanges",
    "scenarios",
    "autoFilter",
    "sortState",
    "dataConsolidate",
    "customSheetViews",
    "mergeCells",
    "phoneticPr",
    "conditionalFormatting",
    "dataValidations",
    "hyperlinks",
    "printOptions",
    "pageMargins",
    "pageSetup",
    "headerFooter",
    "rowBreaks",
    "colBreaks",
    "customProperties",
    "cellWatches",
    "ignoredErrors",
    "smartTags",
    "drawing",
    "legacyDrawing",
    "legacyDrawingHF",
    "drawingHF",
    "picture",
    "oleObjects",
    "controls",
    "webPublishItems",
    "tableParts",
    "extLst",
]
WORKBOOK_ORDER = [
    "fileVersion",
    "fileSharing",
    "workbookPr",
    "workbookProtection",
    "bookViews",
    "sheets",
    "functionGroups",
    "externalReferences",
    "definedNames",
    "calcPr",
    "oleSize",
    "customWorkbookViews",
    "pivotCaches",
    "smartTagPr",
    "smartTagTypes",
    "webPublishing",
    "fileRecoveryPr",
    "webPublishObjects",
    "extLst",
]


def assert_in_schema_order(name: str, xml: bytes, order: list[str]) -> None:
    rank = {tag: i for i, tag in enumerate(order)}
    seen = [
        child.tag.split("}", 1)[1]
        for child in ET.fromstring(xml)
        if child.tag.startswith(f"{{{NS_MAIN}}}")
    ]
    unknown = [t for t in seen if t not in rank]
    assert not unknown, f"{name}: elements the schema does not allow here: {unknown}"
    ranks = [rank[t] for t in seen]
    assert ranks == sorted(ranks), f"{name}: elements out of the schema's order: {seen}"
    repeatable = {"conditionalFormatting"}
    twice = {t for t in seen if seen.count(t) > 1} - repeatable
    assert not twice, f"{name}: elements twice: {twice}"


def assert_parts_in_schema_order(path: Path) -> None:
    with zipfile.ZipFile(path) as z:
        assert_in_schema_order("xl/workbook.xml", z.read("xl/workbook.xml"), WORKBOOK_ORDER)
        for name, part in sheet_parts(z).items():
            if content_type(z, part) == CT + "worksheet+xml":
                assert_in_schema_order(f"{name} ({part})", z.read(part), WORKSHEET_ORDER)


def workbook_sheets(path: Path) -> list[tuple[str, str, str, str]]:
    """(name, sheetId, state, part) of each sheet, in tab order."""
    with zipfile.ZipFile(path) as z:
        parts = sheet_parts(z)
        book = ET.fromstring(z.read("xl/workbook.xml"))
        return [
            (s.get("name"), s.get("sheetId"), s.get("state", "visible"), parts[s.get("name")])
            for s in book.iter(f"{{{NS_MAIN}}}sheet")
        ]


def defined_names(path: Path) -> list[tuple[str, str | None, str]]:
    """(name, the sheet it is local to, its formula) of each defined name."""
    with zipfile.ZipFile(path) as z:
        book = ET.fromstring(z.read("xl/workbook.xml"))
    sheets = [s.get("name") for s in book.iter(f"{{{NS_MAIN}}}sheet")]
    return [
        (
            d.get("name", ""),
            sheets[int(d.get("localSheetId"))] if d.get("localSheetId") is not None else None,
            d.text or "",
        )
        for d in book.iter(f"{{{NS_MAIN}}}definedName")
    ]


def prefixed(src: Path, dst: Path) -> Path:
    """``src`` with its SpreadsheetML written with a namespace prefix (``<x:sheets>``), as the
    Open XML SDK writes it: the workbook, the sheets and the shared strings."""

    def rewrite(xml: bytes) -> bytes:
        xml = xml.replace(f'xmlns="{NS_MAIN}"'.encode(), f'xmlns:x="{NS_MAIN}"'.encode(), 1)
        return re.sub(rb"<(/?)([A-Za-z]\w*)(?=[\s/>])", rb"<\1x:\2", xml)

    with zipfile.ZipFile(src) as z:
        changed = {
            n: rewrite(z.read(n))
            for n in z.namelist()
            if n in ("xl/workbook.xml", "xl/sharedStrings.xml")
            or re.fullmatch(r"xl/worksheets/sheet\d+\.xml", n)
        }
    return rewrite_zip(src, dst, replace=changed)


def unreachable_parts(path: Path) -> set[str]:
    """Parts no relationship leads to from the package's own (left behind, not deleted)."""
    with zipfile.ZipFile(path) as z:
        present = {n for n in z.namelist() if not n.endswith("/")}
        reached, todo = set(), [""]
        while todo:
            part = todo.pop()
            rels = "_rels/.rels" if part == "" else rels_of(part)
            if rels not in present:
                continue
            for rel in ET.fromstring(z.read(rels)):
                if rel.get("TargetMode") == "External":
                    continue
                target = target_part(part, rel.get("Target", ""))
                if target in present and target not in reached:
                    reached.add(target)
                    todo.append(target)
    bookkeeping = {"[Content_Types].xml"} | {n for n in present if n.endswith(".rels")}
    return present - reached - bookkeeping


def part_or_none(path: Path, name: str) -> bytes | None:
    with zipfile.ZipFile(path) as z:
        return z.read(name) if name in z.namelist() else None
