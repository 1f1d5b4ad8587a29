"""The headless writer: the output sheets spliced into the officer's own workbook package.

Every part that is not an output sheet (nor that sheet's own drawing and charts) is copied raw,
compressed bytes and all (:mod:`kpi_engine.xlsx.package`): logos, the officer's charts and pivot
tables, macros, parts no library models. The output sheets are written from the render model into
the template's own sheet XML (:mod:`kpi_engine.xlsx.sheet_xml`), the Charts sheet's drawing and
charts from its chart specs (:mod:`kpi_engine.xlsx.chart_xml`). The parts that say what the
package holds are edited only as far as that needs: ``[Content_Types].xml``, ``xl/workbook.xml``
and relationship parts (a sheet added, a drawing replaced, ``fullCalcOnLoad`` so an officer's
formulas that point at an output sheet show this month's values), ``xl/styles.xml`` (a style with
``quotePrefix``, when text that looks like a formula needs one; the dxfs of the RAG colour rules,
when the Settings sheet's colours differ from theirs: :mod:`kpi_engine.xlsx.rag_colours`) and
``xl/calcChain.xml`` (entries for cells of output sheets, which hold no formulas, would make
Excel repair the file).
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from typing import IO

from kpi_engine.charts import CHART_DATA_NAME, NAME_COLUMN, REF_COLUMN, chart_data_rows
from kpi_engine.render_model import PAPER_SIZES, RenderModel, SheetRender
from kpi_engine.workbook_names import TEMPLATE_INFO_SHEET
from kpi_engine.xlsx.chart_xml import chart_xml, column_letter, drawing_xml, quote_sheetname
from kpi_engine.xlsx.package import Package, write_package
from kpi_engine.xlsx.parts import (
    BOOK_PART,
    REL,
    TYPES_PART,
    SheetPart,
    plain_xml,
    rels_part,
    resolve,
)
from kpi_engine.xlsx.rag_colours import RagColours
from kpi_engine.xlsx.sheet_xml import sheet_xml
from kpi_engine.xlsx.xml_text import attr

WORKSHEET_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
DRAWING_CT = "application/vnd.openxmlformats-officedocument.drawing+xml"
CHART_CT = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"
DRAWING_REL = REL + "/drawing"
CHART_REL = REL + "/chart"
WORKSHEET_REL = REL + "/worksheet"
CALC_CHAIN_PART = "xl/calcChain.xml"
STYLES_PART = "xl/styles.xml"
Rel = tuple[str, str, str, str | None]  # a relationship: id, type, target, target mode
XML_DECLARATION = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
PKG_RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"


@dataclass
class _Edits:
    """The new bytes for each part that changes (``None``: the part goes)."""

    package: Package
    parts: dict[str, bytes | None] = field(default_factory=dict)
    added_types: dict[str, str] = field(default_factory=dict)  # part -> content type

    def current(self, name: str) -> bytes | None:
        if name in self.parts:
            return self.parts[name]
        return self.package.read(name) if name in self.package else None

    def exists(self, name: str) -> bool:
        if name in self.parts:
            return self.parts[name] is not None
        return name in self.package

    def unused(self, pattern: str) -> str:
        """The first free part name of ``pattern`` (``xl/charts/chart{}.xml``)."""
        n = 1
        while self.exists(pattern.format(n)) or pattern.format(n) in self.added_types:
            n += 1
        return pattern.format(n)

    def add(self, name: str, data: bytes, content_type: str) -> None:
        self.parts[name] = data
        self.added_types[name] = content_type

    def delete(self, name: str) -> None:
        self.parts[name] = None
        self.added_types.pop(name, None)
        if self.exists(rels_part(name)):
            self.parts[rels_part(name)] = None


class _QuoteStyles:
    """Styles with ``quotePrefix`` added, appended to styles.xml's cellXfs only when needed."""

    def __init__(self, edits: _Edits) -> None:
        self.edits = edits
        self.made: dict[bytes, bytes] = {}

    def __call__(self, style: bytes) -> bytes:
        if style in self.made:
            return self.made[style]
        styles = self.edits.current(STYLES_PART)
        if styles is None:
            return style
        styles = plain_xml(styles)
        m = re.search(rb"<cellXfs\b[^>]*>(.*?)</cellXfs>", styles, re.DOTALL)
        if m is None:
            return style
        xfs = re.findall(rb"<xf\b[^>]*?(?:/>|>.*?</xf>)", m.group(1), re.DOTALL)
        base = xfs[int(style)] if int(style) < len(xfs) else xfs[0]
        if b'quotePrefix="1"' in base:
            self.made[style] = style
            return style
        quoted = re.sub(rb'\squotePrefix="[^"]*"', b"", base)
        quoted = re.sub(rb"^<xf\b", b'<xf quotePrefix="1"', quoted)
        index = str(len(xfs)).encode()
        inner = m.group(1) + quoted
        head = re.sub(
            rb'\scount="\d+"',
            b' count="' + str(len(xfs) + 1).encode() + b'"',
            styles[m.start() : m.start(1)],
        )
        self.edits.parts[STYLES_PART] = styles[: m.start()] + head + inner + styles[m.end(1) :]
        self.made[style] = index
        return index


def _rag_colours(edits: _Edits, model: RenderModel) -> RagColours:
    """The Settings' RAG colours into the output sheets' colour rules (and styles.xml's dxfs)."""

    def styles() -> bytes | None:
        data = edits.current(STYLES_PART)
        return plain_xml(data) if data is not None else None

    def save(data: bytes) -> None:
        edits.parts[STYLES_PART] = data

    return RagColours(model.colours, styles, save)


def _rel_list(edits: _Edits, part: str) -> list[Rel]:
    """(id, type, target, target mode) of a part's relationships, as they stand."""
    data = edits.current(rels_part(part))
    if data is None:
        return []
    found = []
    for m in re.finditer(rb"<Relationship\b([^>]*?)/?>", data):
        attrs = dict(re.findall(rb'(\w+)="([^"]*)"', m.group(1)))
        found.append(
            (
                attrs.get(b"Id", b"").decode(),
                attrs.get(b"Type", b"").decode(),
                attrs.get(b"Target", b"").decode(),
                attrs[b"TargetMode"].decode() if b"TargetMode" in attrs else None,
            )
        )
    return found


def _write_rels(edits: _Edits, part: str, rels: list[Rel]) -> None:
    """Give ``part`` these relationships: (id, type, target, target mode) each."""
    body = "".join(
        f'<Relationship Id="{attr(i)}" Type="{attr(t)}" Target="{attr(target)}"'
        + (f' TargetMode="{attr(mode)}"' if mode else "")
        + "/>"
        for i, t, target, mode in rels
    )
    edits.parts[rels_part(part)] = (
        XML_DECLARATION + f'<Relationships xmlns="{PKG_RELS_NS}">{body}</Relationships>'.encode()
    )


def _new_rel_id(rels: list[Rel]) -> str:
    taken = {r[0] for r in rels}
    n = len(rels) + 1
    while f"rId{n}" in taken:
        n += 1
    return f"rId{n}"


def _drop_drawing(edits: _Edits, sheet_part: str) -> str | None:
    """Remove the sheet's drawing and everything only it uses; returns its part name."""
    rels = _rel_list(edits, sheet_part)
    drawing = next((r for r in rels if r[1] == DRAWING_REL), None)
    if drawing is None:
        return None
    name = resolve(sheet_part, drawing[2])
    for _, kind, target, mode in _rel_list(edits, name):
        if mode == "External":
            continue
        used = resolve(name, target)
        if kind == CHART_REL:
            for _, _, chart_target, chart_mode in _rel_list(edits, used):
                if chart_mode != "External":  # the chart's own style, colours, pictures
                    edits.delete(resolve(used, chart_target))
            edits.delete(used)
        elif kind.endswith("/image") and not _image_used_elsewhere(edits, used, name):
            edits.delete(used)
    edits.delete(name)
    _write_rels(edits, sheet_part, [r for r in rels if r[1] != DRAWING_REL])
    return name


def _image_used_elsewhere(edits: _Edits, image: str, drawing: str) -> bool:
    for other in edits.package.names:
        if not other.endswith(".rels") or other == rels_part(drawing):
            continue
        data = edits.current(other)
        if data is not None and posixpath.basename(image).encode() in data:
            return True
    return False


def _place_charts(edits: _Edits, sheet: SheetRender, part: str, title: str) -> str | None:
    """The sheet's charts as a new drawing; returns the relationship id that points at it."""
    old = _drop_drawing(edits, part)
    charts = sheet.charts or []
    if not charts:
        return None
    drawing = old if old is not None else edits.unused("xl/drawings/drawing{}.xml")
    drawing_rels: list[Rel] = []
    for i, spec in enumerate(charts):
        chart = edits.unused("xl/charts/chart{}.xml")
        edits.add(chart, chart_xml(title, spec, NAME_COLUMN), CHART_CT)
        drawing_rels.append((f"rId{i + 1}", CHART_REL, "/" + chart, None))
    edits.add(drawing, drawing_xml(charts, [r[0] for r in drawing_rels]), DRAWING_CT)
    _write_rels(edits, drawing, drawing_rels)
    rels = _rel_list(edits, part)
    rel_id = _new_rel_id(rels)
    _write_rels(edits, part, [*rels, (rel_id, DRAWING_REL, "/" + drawing, None)])
    return rel_id


def _content_types(edits: _Edits) -> None:
    data = edits.current(TYPES_PART)
    assert data is not None
    gone = {name for name, value in edits.parts.items() if value is None}
    for name in gone:
        data = re.sub(
            rb'<Override\b[^>]*PartName="/' + re.escape(name.encode()) + rb'"[^>]*/>', b"", data
        )
    overrides = b"".join(
        f'<Override PartName="{attr("/" + name)}" ContentType="{attr(kind)}"/>'.encode()
        for name, kind in edits.added_types.items()
        if f'PartName="/{name}"'.encode() not in data
    )
    at = data.rindex(b"</Types>")
    edits.parts[TYPES_PART] = data[:at] + overrides + data[at:]


def _calc_chain(edits: _Edits, output_ids: set[int]) -> None:
    """Drop calcChain entries for cells of output sheets (which hold no formulas now)."""
    data = edits.current(CALC_CHAIN_PART)
    if data is None:
        return
    data = plain_xml(data)
    kept, sheet_id = [], 0
    for m in re.finditer(rb"<c\b([^>]*?)/>", data):
        attrs = dict(re.findall(rb'(\w+)="([^"]*)"', m.group(1)))
        if b"i" in attrs:
            sheet_id = int(attrs[b"i"])
        if sheet_id in output_ids:
            continue
        cell = re.sub(rb'\si="\d+"', b"", m.group(0))
        kept.append(cell.replace(b"<c ", f'<c i="{sheet_id}" '.encode(), 1))
    if len(kept) == len(re.findall(rb"<c\b", data)) and not output_ids & _ids_in(data):
        return
    if not kept:
        edits.delete(CALC_CHAIN_PART)
        rels = _rel_list(edits, BOOK_PART)
        _write_rels(edits, BOOK_PART, [r for r in rels if not r[1].endswith("/calcChain")])
        return
    start = data.index(b">", data.index(b"<calcChain")) + 1
    end = data.rindex(b"</calcChain>")
    edits.parts[CALC_CHAIN_PART] = data[:start] + b"".join(kept) + data[end:]


def _ids_in(data: bytes) -> set[int]:
    return {int(x) for x in re.findall(rb'\si="(\d+)"', data)}


def _full_calc_on_load(book: bytes) -> bytes:
    """Ask Excel to recalculate when it opens the file, so formulas that read output sheets
    show this month's values."""
    m = re.search(rb"<calcPr\b[^>]*?/?>", book)
    if m:
        element = re.sub(rb'\sfullCalcOnLoad="[^"]*"', b"", m.group(0))
        element = re.sub(rb"^<calcPr\b", b'<calcPr fullCalcOnLoad="1"', element)
        return book[: m.start()] + element + book[m.end() :]
    later = (*(b"<" + tag for tag in _AFTER_CALC_PR), b"</workbook>")
    at = min(p for p in (book.find(x) for x in later) if p >= 0)
    return book[:at] + b'<calcPr fullCalcOnLoad="1"/>' + book[at:]


def _chart_data_name(book: bytes, sheet_title: str, slots: int) -> bytes:
    """``book`` (workbook.xml) with CHART_DATA_NAME naming the chart data of the ``slots``
    charts just made on ``sheet_title`` (or gone, with no charts): how a refresh, which can only
    write values, knows that the charts are there and which rows they read."""
    own = re.compile(
        rb'<definedName\b[^>]*?\bname="' + re.escape(CHART_DATA_NAME.encode()) + rb'"[^>/]*'
        rb"(?:/>|>[^<]*</definedName>)",
        re.IGNORECASE,
    )
    book = own.sub(b"", book)
    book = re.sub(rb"<definedNames>\s*</definedNames>|<definedNames/>", b"", book)
    if not slots:
        return book
    first, last = chart_data_rows(slots)
    col = column_letter(REF_COLUMN)
    ref = f"{quote_sheetname(sheet_title)}!${col}${first}:${col}${last}"
    element = f'<definedName name="{CHART_DATA_NAME}">{attr(ref)}</definedName>'.encode()
    at = book.find(b"</definedNames>")
    if at >= 0:
        return book[:at] + element + book[at:]
    # before the first element the schema puts after definedNames
    found = [m.start() for m in (re.search(rb"<" + tag + rb"\b", book) for tag in _AFTER) if m]
    at = min(found) if found else book.rindex(b"</workbook>")
    return book[:at] + b"<definedNames>" + element + b"</definedNames>" + book[at:]


# What the schema puts after calcPr in workbook.xml, and after definedNames.
_AFTER_CALC_PR = (
    b"oleSize",
    b"customWorkbookViews",
    b"pivotCaches",
    b"smartTagPr",
    b"smartTagTypes",
    b"webPublishing",
    b"fileRecoveryPr",
    b"webPublishObjects",
    b"extLst",
)
_AFTER = (b"calcPr", *_AFTER_CALC_PR)


def _add_sheet(
    edits: _Edits, book: bytes, name: str, part: str, xml: bytes, state: str = "visible"
) -> bytes:
    edits.add(part, xml, WORKSHEET_CT)
    rels = _rel_list(edits, BOOK_PART)
    rel_id = _new_rel_id(rels)
    _write_rels(edits, BOOK_PART, [*rels, (rel_id, WORKSHEET_REL, "/" + part, None)])
    ids = [int(x) for x in re.findall(rb'<sheet\b[^>]*?\ssheetId="(\d+)"', book)]
    visibility = "" if state == "visible" else f' state="{state}"'
    element = (
        f'<sheet xmlns:r="{REL}" name="{attr(name)}" sheetId="{max(ids, default=0) + 1}"'
        f'{visibility} r:id="{rel_id}"/>'
    ).encode()
    at = book.index(b"</sheets>")
    return book[:at] + element + book[at:]


def template_info_xml() -> bytes:
    """A minimal Template info sheet: the mark that says the output sheets are the engine's. It
    claims no template version (the workbook was not made from a template)."""
    return XML_DECLARATION + (
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Template version</t></is></c>'
        b'</row><row r="2"><c r="A2" t="inlineStr"><is><t>Output sheets written by</t></is>'
        b'</c><c r="B2" t="inlineStr"><is><t>kpi-dashboard fill</t></is></c></row>'
        b"</sheetData></worksheet>"
    )


def splice(
    package: Package,
    sheets: list[SheetPart],
    model: RenderModel,
    out: IO[bytes],
    mark: bool = False,
) -> list[str]:
    """Write ``package`` to ``out`` with the model's output sheets in it; returns the names of
    output sheets that had to be added. ``sheets`` are the workbook's sheets; an output sheet is
    the one whose name matches (ignoring case). ``mark``: add a hidden Template info sheet
    where there is none, the mark that the output sheets are now the engine's."""
    edits = _Edits(package)
    quoted = _QuoteStyles(edits)
    rag_colours = _rag_colours(edits, model)
    by_name = {s.name.casefold(): s for s in sheets}
    book = plain_xml(package.read(BOOK_PART))
    created = []
    output_ids = set()
    paper = PAPER_SIZES[model.paper][2]
    charts_on: tuple[str, int] | None = None  # the sheet that has charts now, and how many
    for sheet in model.sheets:
        found = by_name.get(sheet.name.casefold())
        if sheet.charts is not None:
            charts_on = (found.name if found is not None else sheet.name, len(sheet.charts))
        if found is not None and found.part:
            output_ids.add(found.sheet_id)
            rel_id = None
            if sheet.charts is not None:
                rel_id = _place_charts(edits, sheet, found.part, found.name)
            existing = plain_xml(package.read(found.part))
            xml = sheet_xml(existing, sheet, quoted, rel_id, paper)
            edits.parts[found.part] = rag_colours(xml)
            continue
        created.append(sheet.name)
        part = edits.unused("xl/worksheets/sheet{}.xml")
        edits.parts[part] = b""  # reserved while its drawing is made
        rel_id = _place_charts(edits, sheet, part, sheet.name) if sheet.charts else None
        xml = sheet_xml(None, sheet, quoted, rel_id, paper)
        book = _add_sheet(edits, book, sheet.name, part, xml)
    if mark and TEMPLATE_INFO_SHEET.casefold() not in by_name:
        part = edits.unused("xl/worksheets/sheet{}.xml")
        info = template_info_xml()
        book = _add_sheet(edits, book, TEMPLATE_INFO_SHEET, part, info, "hidden")
    if charts_on is not None:
        book = _chart_data_name(book, *charts_on)
    edits.parts[BOOK_PART] = _full_calc_on_load(book)
    _calc_chain(edits, output_ids)
    _content_types(edits)
    write_package(package, out, edits.parts, order=list(edits.added_types))
    return created
