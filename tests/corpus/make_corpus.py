"""Build a corpus of hostile and broken workbooks, each with the outcome the engine must give.

Why: officers and other systems send files that are not workbooks, workbooks built to attack the
reader (zip bombs, XML entity bombs), damaged copies, and real workbooks with every kind of bad
cell. For each, every command must answer with one clear message naming the file or the cell,
the right exit status (2: the file cannot be read as a workbook; 1: errors in the data;
0: none), no traceback, and bounded time and memory.

The files are generated, never committed: tests build them in a temporary folder.

    python tests/corpus/make_corpus.py FOLDER      # writes the files and prints the table

Each :class:`Case` gives the expected exit status of ``validate`` and of ``fill`` (``batch``
exits 0 exactly when ``fill`` does), a phrase the command's output must contain, and, for a bad
cell, the ``Sheet!Cell`` that ``validate`` must name.
"""

from __future__ import annotations

import datetime as dt
import random
import re
import struct
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl

Grids = dict[str, list[list[Any]]]
BOMB_MB = 300  # the zip bomb's sheet inflates to this many megabytes (about 300 KB on disk)
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


@dataclass(frozen=True)
class Case:
    name: str
    path: Path
    validate: int  # expected exit status of `kpi-dashboard validate`
    fill: int  # expected exit status of `kpi-dashboard fill` (batch: 0 when this is 0, else 1)
    phrase: str  # words the output (stdout and stderr) of validate must contain
    cell: str | None = None  # "Sheet!A1" that validate must name, for a bad cell
    about: str = ""  # what the case is, in a few words
    fill_phrase: str | None = (
        None  # words fill's output must contain (default: phrase, for an unreadable file)
    )

    @property
    def unreadable(self) -> bool:
        return self.validate == 2


# --- a small, clean dashboard: the base that each bad-cell case spoils in one way ---------------

INDICATOR_HEADER = [
    "Ref",
    "Title",
    "Section",
    "Polarity",
    "Unit",
    "Decimals",
    "Measure",
    "Target",
    "RAG methodology",
    "Owner",
]
DATA_HEADER = ["Ref", "Period", "Numerator", "Denominator", "Value", "Team"]
MONTHS = [dt.datetime(2024, m, 1) for m in range(1, 7)]


def good_grids() -> Grids:
    """Three indicators, six months of data, targets, benchmarks and commentary: no issues at
    all."""
    data: list[list[Any]] = [list(DATA_HEADER)]
    for i, month in enumerate(MONTHS):
        data.append(["A1", month, 80 + i, 100, None, None])
        data.append(["CL 2", month, 18 + i % 3, 40, None, None])
        data.append(["W 1", month, None, None, 17 + i % 2, None])
    return {
        "Settings": [
            ["Setting", "Value"],
            ["Organisation", "Corpus Council"],
            ["Reporting period", "Jun-24"],
            ["Year start month", "April"],
        ],
        "Indicators": [
            list(INDICATOR_HEADER),
            [
                "A1",
                "Assessments completed within 45 working days",
                "Assessment",
                "BIB",
                "%",
                0,
                "percentage",
                0.9,
                "90% or above Green 85%-89% Amber 84% and below Red",
                "MK",
            ],
            [
                "CL 2",
                "Care leavers in education, employment or training",
                "Care Leavers",
                "BIB",
                "%",
                0,
                "percentage",
                0.5,
                "50% or above Green 45%-49% Amber 44% and below Red",
                "JB",
            ],
            [
                "W 1",
                "Average caseload per social worker",
                "Workforce",
                "SIB",
                "number",
                0,
                "value",
                17,
                "17 or below Green 18-20 Amber 21 and above Red",
                "PS",
            ],
        ],
        "Data": data,
        "Targets": [["Ref", "Period", "Target", "Team"], ["A1", MONTHS[-1], 0.88, None]],
        "Benchmarks": [
            ["Ref", "Comparator", "Year", "Value"],
            ["A1", "England", "2023-24", 0.82],
            ["W 1", "Statistical neighbours", "2023-24", 16.5],
        ],
        "Commentary": [
            ["Ref", "Period", "Comment", "Improvement activity", "Next steps"],
            [
                "A1",
                MONTHS[-1],
                "Below target after a staffing gap.",
                "Agency capacity.",
                "Review in July.",
            ],
            ["CL 2", MONTHS[-1], "Steady.", None, None],
            ["W 1", MONTHS[-1], "Two vacancies filled in July.", None, None],
        ],
    }


def save_grids(path: Path, sheets: Grids, setup: Callable[[Any], None] | None = None) -> Path:
    """Write grids with openpyxl; text that begins with '=' stays text, as Excel stores typed
    text."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        ws = book.create_sheet(name)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is None:
                    continue
                cell = ws.cell(r, c, value)
                if isinstance(value, str) and value.startswith("="):
                    cell.data_type = "s"
    if setup:
        setup(book)
    book.save(path)
    return path


def spoil(edit: Callable[[Grids], None]) -> Grids:
    grids = good_grids()
    edit(grids)
    return grids


def _set(sheet: str, row: int, col: str, value: Any) -> Callable[[Grids], None]:
    def edit(g: Grids) -> None:
        index = g[sheet][0].index(col)
        g[sheet][row][index] = value

    return edit


# --- zip-level surgery ---------------------------------------------------------------------------


def rewrite_zip(
    src: Path,
    dst: Path,
    replace: dict[str, bytes | None] | None = None,
    add: dict[str, bytes] | None = None,
    compress: int = zipfile.ZIP_DEFLATED,
) -> Path:
    """Copy a zip, replacing (bytes: added when absent) or dropping (None) members, and adding
    others."""
    replace = replace or {}
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", compress) as zout:
        for info in zin.infolist():
            if info.filename in replace:
                if replace[info.filename] is not None:
                    zout.writestr(info.filename, replace[info.filename])
                continue
            zout.writestr(info.filename, zin.read(info.filename))
        for name, data in {
            **{k: v for k, v in replace.items() if v is not None and k not in zin.namelist()},
            **(add or {}),
        }.items():
            zout.writestr(name, data)
    return dst


def _member(path: Path, name: str) -> bytes:
    with zipfile.ZipFile(path) as z:
        return z.read(name)


def _sheet_part(path: Path, sheet: str) -> str:
    """The zip part that holds a sheet (openpyxl numbers them in order)."""
    with zipfile.ZipFile(path) as z:
        book = z.read("xl/workbook.xml").decode()
    names = re.findall(r'<sheet [^>]*?name="([^"]+)"', book)
    return f"xl/worksheets/sheet{names.index(sheet) + 1}.xml"


def _patch_central_directory(
    path: Path, member: str, file_size: int | None = None, flag_bits: int | None = None
) -> None:
    """Overwrite a member's declared uncompressed size or flags in the zip's central directory."""
    data = bytearray(path.read_bytes())
    i = data.find(b"PK\x01\x02" + b"", 0)
    while i >= 0:
        name_len = struct.unpack_from("<H", data, i + 28)[0]
        name = bytes(data[i + 46 : i + 46 + name_len]).decode()
        if name == member:
            if file_size is not None:
                struct.pack_into("<I", data, i + 24, file_size)
            if flag_bits is not None:
                struct.pack_into("<H", data, i + 8, flag_bits)
            path.write_bytes(bytes(data))
            return
        i = data.find(b"PK\x01\x02", i + 4)
    raise KeyError(member)


def _padded_sheet_bomb(dst: Path, base: Path, megabytes: int) -> None:
    """A valid workbook whose first sheet's XML carries `megabytes` MB of whitespace (deflates
    ~1000:1)."""
    part = _sheet_part(base, "Settings")
    original = _member(base, part)
    head, tail = original.split(b"<sheetData>", 1)
    with zipfile.ZipFile(base) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            if info.filename != part:
                zout.writestr(info.filename, zin.read(info.filename))
                continue
            with zout.open(part, "w", force_zip64=True) as f:
                f.write(head + b"<sheetData>")
                chunk = b" " * (1 << 20)
                for _ in range(megabytes):
                    f.write(chunk)
                f.write(tail)


def _understated_bomb(dst: Path, base: Path) -> None:
    """A sheet whose directory entry declares 2 KB but whose stream inflates to 50 MB."""
    part = _sheet_part(base, "Data")
    _padded_sheet_bomb(dst, base, 0)
    with zipfile.ZipFile(dst) as zin:
        members = {i.filename: zin.read(i.filename) for i in zin.infolist()}
    tmp = dst.with_suffix(".tmp")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zout:
        for name, body in members.items():
            if name == part:
                with zout.open(name, "w", force_zip64=False) as f:
                    f.write(body.split(b"<sheetData>")[0] + b"<sheetData>")
                    for _ in range(50):
                        f.write(b" " * (1 << 20))
                    f.write(b"</sheetData></worksheet>")
            else:
                zout.writestr(name, body)
    tmp.replace(dst)
    _patch_central_directory(dst, part, file_size=2048)


def _ole_file(dst: Path, encrypted: bool) -> None:
    """The start of an OLE compound file (what Excel writes for .xls and for a password-protected
    .xlsx)."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    stream = ("EncryptionInfo" if encrypted else "Workbook").encode("utf-16-le")
    body = stream + bytes(64) + ("EncryptedPackage".encode("utf-16-le") if encrypted else b"")
    dst.write_bytes(header + body + bytes(4096))


def _xml_bomb(doctype: str, body: str) -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n{doctype}\n'
        f'<worksheet xmlns="{MAIN_NS}"><sheetData><row r="1">'
        f'<c r="A1" t="inlineStr"><is><t>{body}</t></is>'
        f"</c></row></sheetData></worksheet>"
    ).encode()


BILLION_LAUGHS = (
    '<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
        for i in range(1, 10)
    )
    + "]>"
)


def _rename_sheet_in_workbook_xml(path: Path, old: str, new: str) -> None:
    book = _member(path, "xl/workbook.xml").replace(
        f'name="{old}"'.encode(), f'name="{new}"'.encode()
    )
    tmp = path.with_suffix(".tmp")
    rewrite_zip(path, tmp, replace={"xl/workbook.xml": book})
    tmp.replace(path)


# --- the cases ------------------------------------------------------------------------------------


def build_corpus(folder: str | Path, bomb_mb: int = BOMB_MB) -> list[Case]:
    """Write every case's file into ``folder`` and return the cases, in a stable order."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    cases: list[Case] = []
    rng = random.Random(6)

    def case(
        name: str,
        validate: int,
        fill: int,
        phrase: str,
        cell: str | None = None,
        about: str = "",
        fill_phrase: str | None = None,
    ) -> Path:
        path = folder / f"{name}.xlsx"
        if fill_phrase is None and validate == 2:
            fill_phrase = phrase
        cases.append(Case(name, path, validate, fill, phrase, cell, about, fill_phrase))
        return path

    base = save_grids(folder / "_base.xlsx", good_grids())
    base_bytes = base.read_bytes()

    # Files that are not workbooks, or not safe to open: exit 2 from every command.
    case(
        "not_a_zip", 2, 2, "is not an .xlsx workbook", about="plain text with an .xlsx name"
    ).write_bytes(b"this is not a workbook\n")
    case("empty_file", 2, 2, "is empty (0 bytes)", about="0 bytes").write_bytes(b"")
    case(
        "truncated_zip", 2, 2, "is damaged or incomplete", about="a good workbook cut at half"
    ).write_bytes(base_bytes[: len(base_bytes) // 2])
    case(
        "binary_noise", 2, 2, "is not an .xlsx workbook", about="4 KB of random bytes"
    ).write_bytes(rng.randbytes(4096))
    p = case(
        "zip_of_random_files",
        2,
        2,
        "without the workbook part",
        about="a zip of random binary members",
    )
    with zipfile.ZipFile(p, "w") as z:
        for i in range(5):
            z.writestr(f"random{i}.bin", rng.randbytes(2048))
    _ole_file(
        case(
            "ole_password_protected",
            2,
            2,
            "is password-protected, so it cannot be read",
            about="OLE compound file with EncryptedPackage",
        ),
        encrypted=True,
    )
    _ole_file(
        case(
            "ole_old_xls",
            2,
            2,
            "password-protected or an old .xls",
            about="OLE compound file (Excel 97-2003)",
        ),
        encrypted=False,
    )
    rewrite_zip(
        base,
        case("xlsb_named_xlsx", 2, 2, "Excel Binary Workbook (.xlsb)", about="xl/workbook.bin"),
        replace={"xl/workbook.xml": None},
        add={"xl/workbook.bin": rng.randbytes(1024)},
    )
    p = case("ods_named_xlsx", 2, 2, "OpenDocument spreadsheet", about="an .ods renamed")
    with zipfile.ZipFile(p, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", "<office:document-content/>")
    case("csv_named_xlsx", 2, 2, "a text file (perhaps a CSV)", about="a CSV renamed").write_bytes(
        b"Ref,Period,Value\nA1,2024-06,0.9\n"
    )
    case("html_named_xlsx", 2, 2, "a web page", about="an HTML export renamed").write_bytes(
        b"<!DOCTYPE html><html><body><table><tr><td>A1</td></tr></table></body></html>"
    )
    _padded_sheet_bomb(
        case(
            "zip_bomb",
            2,
            2,
            "looks like a zip bomb",
            about=f"a valid sheet padded with {bomb_mb} MB of blanks, ~1000:1",
        ),
        base,
        bomb_mb,
    )
    p = case(
        "declared_2gb_member",
        2,
        2,
        "would inflate to",
        about="central directory declares a 2 GB part",
    )
    p.write_bytes(base_bytes)
    _patch_central_directory(p, _sheet_part(base, "Data"), file_size=2 * 1024**3)
    _understated_bomb(
        case(
            "understated_member_size",
            2,
            2,
            "Bad CRC-32",
            about="declares 2 KB, its stream inflates to 50 MB: cut at 2 KB by zipfile",
        ),
        base,
    )
    p = case("many_members", 2, 2, "holds 10,001 parts", about="10,001 tiny parts")
    with zipfile.ZipFile(base) as zin, zipfile.ZipFile(p, "w", zipfile.ZIP_STORED) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, zin.read(info.filename))
        for i in range(10_001 - len(zin.infolist())):
            zout.writestr(f"customXml/item{i}.bin", b"x")
    rewrite_zip(
        base,
        case(
            "entity_bomb",
            2,
            2,
            "declares a DOCTYPE or XML entities",
            about="billion laughs in a sheet",
        ),
        replace={_sheet_part(base, "Data"): _xml_bomb(BILLION_LAUGHS, "&lol9;")},
    )
    rewrite_zip(
        base,
        case(
            "external_entity",
            2,
            2,
            "declares a DOCTYPE or XML entities",
            about="SYSTEM entity for /etc/passwd in a sheet",
        ),
        replace={
            _sheet_part(base, "Indicators"): _xml_bomb(
                '<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>', "&xxe;"
            )
        },
    )
    book_xml = _member(base, "xl/workbook.xml")
    rewrite_zip(
        base,
        case(
            "doctype_in_workbook_xml",
            2,
            2,
            "declares a DOCTYPE or XML entities",
            about="internal entities in xl/workbook.xml (parsed by lxml, not defusedxml)",
        ),
        replace={
            "xl/workbook.xml": b'<?xml version="1.0"?>\n<!DOCTYPE workbook [<!ENTITY a "Data">]>'
            + book_xml
        },
    )
    padding = "<!--" + "x" * 100_000 + "-->"
    rewrite_zip(
        base,
        case(
            "doctype_after_long_comment",
            2,
            2,
            "unusually long preamble",
            about="100 KB comment hides the DOCTYPE past the scanned bytes",
        ),
        replace={_sheet_part(base, "Data"): _xml_bomb(padding + BILLION_LAUGHS, "&lol9;")},
    )
    rewrite_zip(
        base,
        case("no_workbook_xml", 2, 2, "without the workbook part", about="xl/workbook.xml removed"),
        replace={"xl/workbook.xml": None},
    )
    rewrite_zip(
        base,
        case(
            "sheet_part_missing",
            2,
            2,
            "is damaged: its sheet 'Data' is listed",
            about="workbook lists a sheet whose part is gone",
        ),
        replace={_sheet_part(base, "Data"): None},
    )
    p = case(
        "corrupt_member_data", 2, 2, "is damaged", about="bytes of a compressed sheet overwritten"
    )
    with zipfile.ZipFile(base) as z:
        info = z.getinfo(_sheet_part(base, "Data"))
        start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    raw = bytearray(base_bytes)
    raw[start + 10 : start + 60] = rng.randbytes(50)
    p.write_bytes(bytes(raw))
    rewrite_zip(
        base,
        case(
            "malformed_sheet_xml",
            2,
            2,
            "cannot be read as an .xlsx workbook",
            about="a sheet's XML cut off mid-element",
        ),
        replace={
            _sheet_part(
                base, "Data"
            ): f'<worksheet xmlns="{MAIN_NS}"><sheetData><row r="1"><c'.encode()
        },
    )
    rewrite_zip(
        base,
        case(
            "bzip2_member",
            2,
            2,
            "uses a compression Excel never writes",
            about="parts compressed with bzip2",
        ),
        compress=zipfile.ZIP_BZIP2,
    )
    p = case(
        "encrypted_member_flag", 2, 2, "is encrypted", about="zip-level encryption flag on a part"
    )
    p.write_bytes(base_bytes)
    _patch_central_directory(p, _sheet_part(base, "Data"), flag_bits=0x1)

    # Workbooks with a sheet or a column missing, or a strange sheet: data errors (exit 1) or fine.
    save_grids(
        case("no_indicators_sheet", 1, 1, "The workbook has no 'Indicators' sheet"),
        spoil(lambda g: g.pop("Indicators")),
    )
    save_grids(
        case("no_data_sheet", 1, 1, "The workbook has no 'Data' sheet"),
        spoil(lambda g: g.pop("Data")),
    )
    save_grids(
        case(
            "missing_required_column",
            1,
            1,
            "has no 'Title' column",
            cell="Indicators!A1",
            about="Indicators without its Title column",
        ),
        spoil(
            lambda g: g.__setitem__("Indicators", [row[:1] + row[2:] for row in g["Indicators"]])
        ),
    )
    save_grids(
        case(
            "every_sheet_empty",
            1,
            1,
            "No header row found in the first 30 rows of Indicators",
            cell="Data!A1",
            about="all six input sheets present, all blank",
        ),
        {name: [] for name in good_grids()},
    )

    def chart_sheet(named: str | None) -> Callable[[Any], None]:
        def setup(book: Any) -> None:
            from openpyxl.chart import LineChart, Reference

            chart = LineChart()
            chart.add_data(
                Reference(book["Data"], min_col=3, min_row=1, max_row=7), titles_from_data=True
            )
            cs = book.create_chartsheet("Chart1", 1)
            cs.add_chart(chart)
            if named:
                book[named].title = named + " (old)"
                cs.title = named

        return setup

    save_grids(
        case(
            "chart_sheet_among_inputs",
            0,
            0,
            "no problems found",
            about="a chart sheet between inputs",
        ),
        good_grids(),
        chart_sheet(None),
    )
    save_grids(
        case(
            "chart_sheet_named_data",
            1,
            1,
            "no 'Data' sheet",
            about="the sheet called Data is a chart",
        ),
        good_grids(),
        chart_sheet("Data"),
    )
    save_grids(
        case(
            "chart_sheet_named_dashboard",
            0,
            2,
            "no problems found",
            about="an output sheet's name taken by a chart sheet",
            fill_phrase="is a chart sheet, but the dashboard writes",
        ),
        good_grids(),
        lambda book: (chart_sheet(None)(book), setattr(book["Chart1"], "title", "Dashboard")),
    )
    save_grids(
        case("hidden_data_sheet", 0, 0, "no problems found", about="Data sheet hidden"),
        good_grids(),
        lambda book: setattr(book["Data"], "sheet_state", "hidden"),
    )
    # Excel cannot make this; the engine reads the last of the two (a header-only DATA) and says
    # it is empty.
    p = save_grids(
        case(
            "sheet_names_differ_by_case",
            2,
            2,
            "has two sheets named 'Data' and 'DATA'",
            about="'Data' and 'DATA' both present",
        ),
        {**good_grids(), "DATAX": good_grids()["Data"][:1]},
    )
    _rename_sheet_in_workbook_xml(p, "DATAX", "DATA")

    def merge_header(book: Any) -> None:
        book["Data"].merge_cells("A1:B1")

    save_grids(
        case(
            "merged_header_cells",
            1,
            1,
            "has no 'Period' column",
            cell="Data!A1",
            about="Data's Ref and Period headers merged",
        ),
        good_grids(),
        merge_header,
    )

    # Bad cells: each names its cell. Text that looks like a formula must stay text in the output.
    save_grids(
        case(
            "dde_formula_text_in_title",
            0,
            0,
            "no problems found",
            about="'=cmd|' /C calc'!A0 as a title",
        ),
        spoil(_set("Indicators", 1, "Title", "=cmd|' /C calc'!A0")),
    )
    save_grids(
        case(
            "formula_prefixes_in_text",
            0,
            0,
            "no problems found",
            about="titles and commentary starting + - @ tab CR =",
        ),
        spoil(
            lambda g: (
                _set("Indicators", 1, "Title", "+SUM(1,2)")(g),
                _set("Indicators", 2, "Title", "-2+3+cmd|' /C calc'!A0")(g),
                _set("Indicators", 3, "Title", "@SUM(1+1)*cmd|' /C calc'!A0")(g),
                _set("Commentary", 1, "Comment", '\t=HYPERLINK("http://evil.invalid","x")')(g),
                _set("Commentary", 1, "Improvement activity", "\r=1+1")(g),
                _set("Commentary", 2, "Comment", '=HYPERLINK("http://evil.invalid","x")')(g),
                _set("Indicators", 1, "Section", "=1+1")(g),
            )
        ),
    )
    # openpyxl cuts text at Excel's 32,767 characters when it saves, so the 40,000 are put in the
    # XML.
    p = save_grids(
        case(
            "huge_strings",
            1,
            1,
            "longer than 300 characters",
            cell="Indicators!B2",
            about="40,000-character title and comment (over Excel's cell limit)",
        ),
        spoil(
            lambda g: (
                _set("Indicators", 1, "Title", "T" * 100)(g),
                _set("Commentary", 1, "Comment", "c" * 100)(g),
            )
        ),
    )
    tmp = p.with_suffix(".tmp")
    rewrite_zip(
        p,
        tmp,
        replace={
            part: _member(p, part)
            .replace(b"T" * 100, b"T" * 40_000)
            .replace(b"c" * 100, b"c " * 20_000)
            for part in (_sheet_part(p, "Indicators"), _sheet_part(p, "Commentary"))
        },
    )
    tmp.replace(p)
    save_grids(
        case(
            "nan_inf_text",
            1,
            1,
            "is not a number",
            cell="Data!E4",
            about="NaN, inf, -inf, 1e309, Infinity typed in numbers",
        ),
        spoil(
            lambda g: (
                g["Data"].__setitem__(3, ["W 1", MONTHS[0], None, None, "NaN", None]),
                g["Data"].__setitem__(6, ["W 1", MONTHS[1], None, None, "inf", None]),
                g["Data"].__setitem__(9, ["W 1", MONTHS[2], None, None, "-Infinity", None]),
                _set("Data", 1, "Numerator", "1e309")(g),
            )
        ),
    )
    save_grids(
        case(
            "dates_in_number_cells",
            1,
            1,
            "is a date",
            cell="Data!C2",
            about="a date as a numerator",
        ),
        spoil(_set("Data", 1, "Numerator", dt.datetime(2024, 1, 5))),
    )
    save_grids(
        case(
            "numbers_in_month_cells",
            1,
            1,
            "Period",
            cell="Data!B2",
            about="1.5 and 99999999 as periods",
        ),
        spoil(
            lambda g: (_set("Data", 1, "Period", 1.5)(g), _set("Data", 2, "Period", 99_999_999)(g))
        ),
    )
    save_grids(
        case("booleans_in_number_cells", 1, 1, "TRUE/FALSE", cell="Data!C2"),
        spoil(_set("Data", 1, "Numerator", True)),
    )
    save_grids(
        case(
            "huge_and_tiny_numbers",
            1,
            1,
            "is more than denominator 100",
            cell="Data!C2",
            about="1e300 and 5e-324 in number cells",
        ),
        spoil(
            lambda g: (_set("Data", 1, "Numerator", 1e300)(g), _set("Data", 3, "Value", 5e-324)(g))
        ),
    )
    save_grids(
        case(
            "wide_row_10000_columns",
            0,
            0,
            "no problems found",
            about="10,000 extra header columns on Data",
        ),
        spoil(lambda g: g["Data"][0].extend(f"Extra {i}" for i in range(10_000))),
    )
    save_grids(
        case(
            "wrong_types_in_settings",
            1,
            1,
            "Settings",
            cell="Settings!B3",
            about="reporting period 'soon', year start 'Smarch', months shown 'twelve'",
        ),
        spoil(
            lambda g: (
                g["Settings"].__setitem__(2, ["Reporting period", "soon"]),
                g["Settings"].__setitem__(3, ["Year start month", "Smarch"]),
                g["Settings"].append(["Months shown", "twelve"]),
                g["Settings"].append(["Default amber tolerance", dt.datetime(2024, 1, 1)]),
            )
        ),
    )
    rtl = "\u0645\u0624\u0634\u0631 \u0661\u200f"  # Arabic text with a right-to-left mark

    def unicode_refs(g: Grids) -> None:
        for sheet in ("Data", "Targets", "Benchmarks", "Commentary"):
            for row in g[sheet][1:]:
                if row[0] == "A1":
                    row[0] = rtl
                elif row[0] == "CL 2":
                    row[0] = "\u05e7 2 \U0001f600\u0301"
        g["Indicators"][1][0], g["Indicators"][2][0] = rtl, "\u05e7 2 \U0001f600\u0301"
        g["Indicators"][3][1] = "\u202eevil\u202c caseload \u200b\ufeff"

    save_grids(
        case(
            "unicode_and_rtl_refs",
            0,
            0,
            "no problems found",
            about="Arabic, Hebrew, emoji, RLO and zero-width characters in refs and titles",
        ),
        spoil(unicode_refs),
    )
    save_grids(
        case("percent_typed_as_92", 1, 1, "%", cell="Data!E2", about="92 typed for 92%"),
        spoil(lambda g: g["Data"].__setitem__(1, ["A1", MONTHS[0], None, None, 92, None])),
    )
    save_grids(
        case("numerator_above_denominator", 1, 1, "is more than denominator", cell="Data!C2"),
        spoil(_set("Data", 1, "Numerator", 150)),
    )
    save_grids(
        case("zero_denominators", 1, 1, "out of 0", cell="Data!D2", about="5/0 and 0/0"),
        spoil(
            lambda g: (
                _set("Data", 1, "Denominator", 0)(g),
                g["Data"].__setitem__(4, ["A1", MONTHS[1], 0, 0, None, None]),
            )
        ),
    )
    save_grids(
        case("duplicate_refs", 1, 1, "is already used", cell="Indicators!A3"),
        spoil(_set("Indicators", 2, "Ref", "A1")),
    )
    save_grids(
        case(
            "excel_error_values",
            1,
            1,
            "#DIV/0!",
            cell="Data!C2",
            about="#DIV/0! and #N/A as cell values",
        ),
        spoil(
            lambda g: (
                _set("Data", 1, "Numerator", "#DIV/0!")(g),
                _set("Data", 2, "Value", "#N/A")(g),
            )
        ),
    )

    def external_link(book: Any) -> None:
        cell = book["Indicators"]["B2"]
        cell.hyperlink = "http://evil.invalid/payload"

    save_grids(
        case(
            "external_hyperlink_in_input",
            0,
            0,
            "no problems found",
            about="an input cell links to a web address",
        ),
        good_grids(),
        external_link,
    )
    rewrite_zip(
        base,
        case(
            "macros_inside_xlsx",
            0,
            0,
            "no problems found",
            about="a vbaProject.bin part (kept as it is by the fill)",
        ),
        add={"xl/vbaProject.bin": rng.randbytes(512)},
    )
    return cases


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 1:
        raise SystemExit("usage: python tests/corpus/make_corpus.py FOLDER")
    for c in build_corpus(argv[0]):
        print(
            f"{c.name:30} validate {c.validate} fill {c.fill}  "
            f"{c.path.stat().st_size:>9,} bytes  {c.about}"
        )


if __name__ == "__main__":
    main()
