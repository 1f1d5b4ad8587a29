"""Which part of a workbook package is which: its sheets, their parts and relationships.

Read from ``xl/workbook.xml``, its relationships and ``[Content_Types].xml``, the three parts
that say what the package holds. The guard has already refused any part that declares a DOCTYPE
or entities, so the standard library's parser is safe here.
"""

from __future__ import annotations

import posixpath
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from kpi_engine.xlsx.package import Package

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
CONTENT_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
WORKSHEET_TYPE = REL + "/worksheet"
CHARTSHEET_TYPE = REL + "/chartsheet"
BOOK_PART = "xl/workbook.xml"
BOOK_RELS = "xl/_rels/workbook.xml.rels"
TYPES_PART = "[Content_Types].xml"


@dataclass(frozen=True)
class SheetPart:
    """One sheet as the workbook lists it."""

    name: str
    sheet_id: int
    rel_id: str
    part: str  # e.g. xl/worksheets/sheet3.xml; "" when its relationship is missing
    kind: str  # "worksheet", "chartsheet", or another relationship type's last word
    state: str  # "visible", "hidden" or "veryHidden"


_ROOT = re.compile(rb"<([A-Za-z_][\w.-]*):[A-Za-z_][\w.-]*\b[^>]*>")


def plain_xml(xml: bytes) -> bytes:
    """A SpreadsheetML part with its main namespace as the default one (``<sheetData>``), as
    Excel writes it. Some writers (the Open XML SDK, ClosedXML) give it a prefix instead
    (``<x:sheetData>``); the same XML said the usual way lets one reading of it serve both. A
    part already in the usual form, or one that also declares a default namespace of its own,
    is returned as it is."""
    root = _ROOT.search(xml, 0, 4096)
    if root is None:
        return xml
    prefix = root.group(1)
    declaration = b"xmlns:" + prefix + b'="' + MAIN.encode() + b'"'
    if declaration not in root.group(0) or b' xmlns="' in xml:
        return xml
    body = re.sub(rb"<(/?)" + re.escape(prefix) + rb":", rb"<\1", xml[root.start() :])
    body = body.replace(declaration, b'xmlns="' + MAIN.encode() + b'" ' + declaration, 1)
    return xml[: root.start()] + body


def has_macros(package: Package) -> bool:
    """Whether the workbook part is declared macro-enabled (an .xlsm), as Excel checks against
    the file's extension."""
    if TYPES_PART not in package:
        return False
    return b"sheet.macroEnabled.main+xml" in package.read(TYPES_PART)


def rels_part(part: str) -> str:
    """Where a part's relationships live: xl/worksheets/_rels/sheet1.xml.rels."""
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


def resolve(source_part: str, target: str) -> str:
    """A relationship's target as a part name, from the part whose relationship it is."""
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(source_part), target))


def relationships(package: Package, part: str) -> list[ET.Element]:
    """The relationships of ``part`` (empty when it has none)."""
    name = rels_part(part)
    if name not in package:
        return []
    return list(ET.fromstring(package.read(name)))


def sheets(package: Package) -> list[SheetPart]:
    """The workbook's sheets, in tab order."""
    targets: dict[str, tuple[str, str]] = {}
    for rel in relationships(package, BOOK_PART):
        if rel.get("TargetMode") == "External":
            continue
        kind = (rel.get("Type") or "").rsplit("/", 1)[-1]
        targets[rel.get("Id") or ""] = (resolve(BOOK_PART, rel.get("Target") or ""), kind)
    book = ET.fromstring(package.read(BOOK_PART))
    found = []
    for sheet in book.iter(f"{{{MAIN}}}sheet"):
        rel_id = sheet.get(f"{{{REL}}}id") or ""
        part, kind = targets.get(rel_id, ("", ""))
        found.append(
            SheetPart(
                name=sheet.get("name") or "",
                sheet_id=int(sheet.get("sheetId") or 0),
                rel_id=rel_id,
                part=part if part in package else "",
                kind=kind,
                state=sheet.get("state") or "visible",
            )
        )
    return found
