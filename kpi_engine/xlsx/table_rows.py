"""Rows of an input sheet rewritten in place: the one writer of an input sheet.

``kpi-dashboard benchmarks`` is the only command that changes an input sheet, because the officer
asked it to: it replaces the Benchmarks rows it wrote before with new ones and keeps every other
row. Only the sheet's own part and its Excel table (the table's range and, for a column the sheet
lacked, its column list) change; every other part of the package is copied raw
(:mod:`kpi_engine.xlsx.package`), as the fill does.

Rows that stay keep their XML (styles, formulas, comments' anchors) and their row numbers, so a
formula elsewhere that refers to an officer's row still finds it after a rerun: the new rows
take the places of the rows taken out, in order (a rerun with as many rows rewrites each in
place), and any more go after the sheet's last row, each cell styled as the cell it replaces or
as the cells above it in its column.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import IO, Any

from kpi_engine.xlsx.package import Package, write_package
from kpi_engine.xlsx.parts import SheetPart, plain_xml, relationships, resolve
from kpi_engine.xlsx.values import column_letters
from kpi_engine.xlsx.xml_text import attr, cell_text

TABLE_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/table"
_ROW = re.compile(rb"<row\b[^>]*?(?:/>|>.*?</row>)", re.DOTALL)
_ROW_NUMBER = re.compile(rb'<row\b[^>]*?\sr="([0-9]+)"')
_CELL_REF = re.compile(rb'(<c\b[^>]*?\sr=")([A-Z]{1,3})([0-9]+)(")')
_CELL = re.compile(rb"<c\b[^>]*?(?:/>|>.*?</c>)", re.DOTALL)
_STYLE = re.compile(rb'\ss="([0-9]+)"')


@dataclass
class TableEdit:
    """What to do to one table sheet: rows (1-based numbers) to take out, headers to add after
    the last header cell, and rows to append, each a list of values by column (1-based index ->
    value; ``None`` leaves the cell empty)."""

    sheet: str
    header_row: int  # 1-based
    last_column: int  # 1-based: the table's last column before any added
    drop: set[int]
    add_headers: list[str]
    rows: list[dict[int, Any]]


def _cell(col: int, row: int, value: Any, style: bytes | None) -> bytes:
    ref = f"{column_letters(col)}{row}"
    s = f' s="{style.decode()}"' if style else ""
    if value is None:
        return f'<c r="{ref}"{s}/>'.encode()
    if isinstance(value, bool):
        return f'<c r="{ref}"{s} t="b"><v>{int(value)}</v></c>'.encode()
    if isinstance(value, (int, float)):
        return f'<c r="{ref}"{s}><v>{value!r}</v></c>'.encode()
    text = cell_text(str(value))
    space = ' xml:space="preserve"' if text != text.strip() else ""
    return f'<c r="{ref}"{s} t="inlineStr"><is><t{space}>{text}</t></is></c>'.encode()


def _row_number(row: bytes) -> int:
    m = _ROW_NUMBER.match(row)
    if m is None:
        raise ValueError("a row without its number")
    return int(m.group(1))


def _styles(row: bytes) -> dict[int, bytes]:
    out = {}
    for cell in _CELL.finditer(row):
        ref = _CELL_REF.match(cell.group())
        style = _STYLE.search(cell.group().split(b">", 1)[0])
        if ref and style:
            out[_col(ref.group(2))] = style.group(1)
    return out


def _col(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def _add_header_cells(row: bytes, cells: bytes) -> bytes:
    if row.endswith(b"/>"):
        return row[:-2] + b">" + cells + b"</row>"
    return row[: -len(b"</row>")] + cells + b"</row>"


def edit_sheet(xml: bytes, edit: TableEdit) -> tuple[bytes, int]:
    """The sheet's XML with ``edit`` made, and the last row of the table.

    No row that stays moves: the new rows take the places of the rows taken out, in order (so
    a rerun with as many rows rewrites each in place), the rest go after the sheet's last row,
    and places left over are left blank (the reader skips blank rows)."""
    xml = plain_xml(xml)
    start = xml.find(b"<sheetData")
    head_end = xml.index(b">", start)
    if xml[head_end - 1 : head_end] == b"/":
        head, content, tail = (
            xml[:start] + b"<sheetData>",
            b"",
            b"</sheetData>" + xml[head_end + 1 :],
        )
    else:
        end = xml.index(b"</sheetData>", head_end)
        head, content, tail = xml[: head_end + 1], xml[head_end + 1 : end], xml[end:]
    rows = [(_row_number(m.group()), m.group()) for m in _ROW.finditer(content)]
    kept: dict[int, bytes] = {}
    styles: dict[int, bytes] = {}
    slot_styles: dict[int, dict[int, bytes]] = {}
    bottom = edit.header_row
    for n, row in rows:
        bottom = max(bottom, n)
        if n > edit.header_row:
            styles.update(_styles(row))
        if n in edit.drop and n > edit.header_row:
            slot_styles[n] = _styles(row)
            continue
        if n == edit.header_row and edit.add_headers:
            header_style = _styles(row).get(edit.last_column)
            row = _add_header_cells(
                row,
                b"".join(
                    _cell(edit.last_column + i, n, h, header_style)
                    for i, h in enumerate(edit.add_headers, start=1)
                ),
            )
        kept[n] = row
    slots = sorted(slot_styles)
    places = slots[: len(edit.rows)]
    places += range(bottom + 1, bottom + 1 + len(edit.rows) - len(places))
    for n, values in zip(places, edit.rows, strict=True):
        own = slot_styles.get(n, {})
        cells = b"".join(
            _cell(col, n, values[col], own.get(col, styles.get(col))) for col in sorted(values)
        )
        kept[n] = f'<row r="{n}">'.encode() + cells + b"</row>"
    last = max(kept)
    width = edit.last_column + len(edit.add_headers)
    ref = f"A1:{column_letters(width)}{max(last, edit.header_row)}"
    head = re.sub(rb'<dimension ref="[^"]*"', f'<dimension ref="{ref}"'.encode(), head, count=1)
    return head + b"".join(kept[n] for n in sorted(kept)) + tail, last


def _edit_table(xml: bytes, header_row: int, last_row: int, add_headers: Sequence[str]) -> bytes:
    xml = plain_xml(xml)
    m = re.search(rb'<table\b[^>]*?\sref="([A-Z]+)([0-9]+):([A-Z]+)([0-9]+)"', xml)
    if m is None or int(m.group(2)) != header_row:
        return xml
    first, last_col = _col(m.group(1)), _col(m.group(3)) + len(add_headers)
    bottom = max(last_row, header_row + 1)
    new_ref = f"{column_letters(first)}{header_row}:{column_letters(last_col)}{bottom}".encode()
    xml = xml[: m.start(1)] + new_ref + xml[m.end(4) :]
    xml = re.sub(rb'(<autoFilter\b[^>]*?\sref=")[^"]*(")', rb"\g<1>" + new_ref + rb"\g<2>", xml)
    if add_headers:
        ids = [int(i) for i in re.findall(rb'<tableColumn\b[^>]*?\sid="([0-9]+)"', xml)]
        nxt = max(ids, default=0)
        extra = b""
        for h in add_headers:
            nxt += 1
            extra += f'<tableColumn id="{nxt}" name="{attr(h)}"/>'.encode()
        xml = xml.replace(b"</tableColumns>", extra + b"</tableColumns>", 1)
        xml = re.sub(
            rb'(<tableColumns\b[^>]*?\scount=")[0-9]+(")',
            lambda mm: mm.group(1) + str(len(ids) + len(add_headers)).encode() + mm.group(2),
            xml,
        )
    return xml


def rewrite_table(
    package: Package, sheets: list[SheetPart], edit: TableEdit, out: IO[bytes]
) -> None:
    """Write ``package`` to ``out`` with ``edit`` made to its sheet and that sheet's table."""
    found = next(s for s in sheets if s.name == edit.sheet)
    xml, last = edit_sheet(package.read(found.part), edit)
    parts: dict[str, bytes | None] = {found.part: xml}
    for rel in relationships(package, found.part):
        if rel.get("Type") == TABLE_REL and rel.get("TargetMode") != "External":
            table = resolve(found.part, rel.get("Target", ""))
            if table in package:
                parts[table] = _edit_table(
                    package.read(table), edit.header_row, last, edit.add_headers
                )
    write_package(package, out, parts)
