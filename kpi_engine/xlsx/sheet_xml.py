"""One output sheet's XML, written from the render model into the template's own sheet.

Everything the template put outside the cells (column widths, conditional formats, print setup,
views, protection, tables) is kept byte for byte. The writer owns, and rewrites: the cells
(``sheetData``), ``dimension`` and ``hyperlinks``, the page setup's paper size (the Settings'
Paper size), and, on a sheet with charts, the reference to its drawing and the page breaks
between rows of charts. A cell the template styled keeps its style with its value cleared, as a
refill must give the same sheet as the first fill; row heights below the header are sized to the
wrapped text, as Excel's autofit would.

Text is written as inline strings, so nothing an officer typed can turn into a formula; text that
Excel would read as a formula when edited (``=``, ``+``, ``-``, ``@``) also gets a style with
``quotePrefix``, as Excel itself marks such cells.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from kpi_engine.render_model import FORMULA_STARTS, HEADER_ROW, SheetRender
from kpi_engine.xlsx.values import column_letters, column_number
from kpi_engine.xlsx.xml_text import cell_text

NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
EMPTY_SHEET = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<worksheet xmlns="{NS_MAIN}" xmlns:r="{NS_REL}"><sheetData/></worksheet>'
).encode()

LINE_HEIGHT = 15.0  # points per line of 11-point text
MAX_ROW_HEIGHT = 409.0  # Excel's limit
DEFAULT_WIDTH = 8.43

# What follows sheetData in a worksheet, in the schema's order: where a new element goes.
AFTER_SHEET_DATA = (
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
)
BEFORE_DIMENSION = ("sheetPr",)

ROW = re.compile(rb"<row\b([^>]*?)(?:/>|>(.*?)</row>)", re.DOTALL)
CELL = re.compile(rb"<c\b([^>]*?)(?:/>|>.*?</c>)", re.DOTALL)
ATTR = re.compile(rb'([\w:]+)="([^"]*)"')
COL = re.compile(rb"<col\b([^>]*?)/?>")


@dataclass
class _Row:
    attrs: list[tuple[bytes, bytes]] = field(default_factory=list)  # as written, r excluded
    styles: dict[int, bytes] = field(default_factory=dict)  # column -> s of a styled cell
    values: dict[int, Any] = field(default_factory=dict)
    height: float | None = None


def _attrs(raw: bytes) -> list[tuple[bytes, bytes]]:
    return ATTR.findall(raw)


def _split(xml: bytes) -> tuple[bytes, bytes, bytes]:
    """(what comes before sheetData, its content, what comes after it)."""
    start = xml.find(b"<sheetData")
    if start < 0:
        raise ValueError("a worksheet without sheetData")
    head_end = xml.index(b">", start)
    if xml[head_end - 1 : head_end] == b"/":
        return xml[:start], b"", xml[head_end + 1 :]
    end = xml.index(b"</sheetData>", head_end)
    return xml[:start], xml[head_end + 1 : end], xml[end + len(b"</sheetData>") :]


STYLED_CELL = re.compile(
    rb'<c\s(?:[^>]*?\s)?r="([A-Z]{1,3})([0-9]+)"[^>]*?\ss="([0-9]+)"'
    rb'|<c\s(?:[^>]*?\s)?s="([0-9]+)"[^>]*?\sr="([A-Z]{1,3})([0-9]+)"'
)
ROW_HEAD = re.compile(rb"<row\b([^>]*?)/?>")


def _row_head(raw_attrs: bytes, previous: int) -> tuple[int, _Row]:
    """A row's number (its own, or the one after ``previous``) and its attributes but that one."""
    attrs = _attrs(raw_attrs)
    found = dict(attrs)
    number = int(found[b"r"]) if b"r" in found else previous + 1
    return number, _Row([(k, v) for k, v in attrs if k != b"r"])


def _existing_rows(content: bytes) -> dict[int, _Row]:
    """The rows of the sheet as it stands, with the cells the template styled (values are
    dropped: the model rewrites them). Cells that name themselves (as every common writer's do)
    are found in one pass; others are counted along their row."""
    if b"<c>" in content or re.search(rb"<c(?![^>]*\sr=)[\s>/]", content):
        return _existing_rows_counted(content)
    rows: dict[int, _Row] = {}
    number = 0
    for m in ROW_HEAD.finditer(content):
        number, row = _row_head(m.group(1), number)
        rows[number] = row
    for m in STYLED_CELL.finditer(content):
        letters, number_text, style = (
            m.group(1, 2, 3) if m.group(1) is not None else m.group(5, 6, 4)
        )
        if style != b"0":
            row = rows.setdefault(int(number_text), _Row())
            row.styles[column_number(letters)] = style
    return rows


def _existing_rows_counted(content: bytes) -> dict[int, _Row]:
    rows: dict[int, _Row] = {}
    number = 0
    for m in ROW.finditer(content):
        number, row = _row_head(m.group(1), number)
        column = 0
        for c in CELL.finditer(m.group(2) or b""):
            cell = dict(_attrs(c.group(1)))
            ref = cell.get(b"r")
            column = column_number(re.sub(rb"[0-9]", b"", ref)) if ref else column + 1
            style = cell.get(b"s")
            if style and style != b"0":
                row.styles[column] = style
        rows[number] = row
    return rows


def _column_widths(head: bytes) -> dict[int, float]:
    widths: dict[int, float] = {}
    for m in COL.finditer(head):
        found = dict(_attrs(m.group(1)))
        if b"width" not in found:
            continue
        for col in range(int(found.get(b"min", b"1")), int(found.get(b"max", b"1")) + 1):
            widths[col] = float(found[b"width"])
    return widths


def wrapped_lines(text: str, width: float) -> int:
    """Lines ``text`` takes wrapped at word boundaries in a column ``width`` characters wide
    (1.1 characters a unit: a little short of Calibri's average, so a wider font's text fits)."""
    per_line = max(1, int(width * 1.1))
    lines = 0
    for paragraph in text.split("\n"):
        lines, length = lines + 1, 0
        for word in paragraph.split():
            if length and length + 1 + len(word) > per_line:
                lines, length = lines + 1, 0
            if len(word) > per_line:  # a word longer than the line breaks across lines
                lines += (len(word) - 1) // per_line
                length = (len(word) - 1) % per_line + 1
            else:
                length += len(word) + (1 if length else 0)
    return lines


def _cell(address: str, value: Any, style: bytes | None, quoted: Callable[[bytes], bytes]) -> str:
    """One cell element (as text: a sheet's cells are encoded together)."""
    s = "" if style is None else f' s="{style.decode()}"'
    kind = value.__class__
    if kind is float:
        if not math.isfinite(value):
            raise ValueError(f"{value} cannot be written to a cell")
        return f'<c r="{address}"{s}><v>{value!r}</v></c>'
    if value is None or value == "":
        return f'<c r="{address}"{s}/>'
    if kind is bool:
        return f'<c r="{address}"{s} t="b"><v>{int(value)}</v></c>'
    if kind is int:
        return f'<c r="{address}"{s}><v>{value}</v></c>'
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        s = f' s="{quoted(style or b"0").decode()}"'
    space = ' xml:space="preserve"' if text != text.strip() or "\n" in text else ""
    body = cell_text(text)
    return f'<c r="{address}"{s} t="inlineStr"><is><t{space}>{body}</t></is></c>'


def _formula_cell(address: str, formula: str, text: Any, style: bytes | None) -> str:
    """A formula cell with its value cached (what Excel shows before it recalculates, and what
    readers that do not calculate see): a link's HYPERLINK and the text it shows."""
    s = "" if style is None else f' s="{style.decode()}"'
    shown = "" if text is None else str(text)
    return f'<c r="{address}"{s} t="str"><f>{cell_text(formula)}</f><v>{cell_text(shown)}</v></c>'


def _insert(after_data: bytes, element: bytes, name: str) -> bytes:
    """Put ``element`` where the schema wants ``name`` among what follows sheetData."""
    later = AFTER_SHEET_DATA[AFTER_SHEET_DATA.index(name) + 1 :]
    positions = [after_data.find(b"<" + n.encode()) for n in later]
    positions = [p for p in positions if p >= 0 and _is_element(after_data, p)]
    end = after_data.rfind(b"</worksheet>")
    at = min(positions, default=end)
    return after_data[:at] + element + after_data[at:]


def _is_element(xml: bytes, at: int) -> bool:
    nxt = xml[at + 1 :].split(b">", 1)[0]
    name = re.split(rb"[\s/]", nxt, maxsplit=1)[0]
    return name.decode() in AFTER_SHEET_DATA


def _remove(xml: bytes, name: str) -> bytes:
    pattern = re.compile(
        rb"<" + name.encode() + rb"\b[^>]*?(?:/>|>.*?</" + name.encode() + rb">)", re.DOTALL
    )
    return pattern.sub(b"", xml)


def _dimension(head: bytes, ref: str) -> bytes:
    element = f'<dimension ref="{ref}"/>'.encode()
    if re.search(rb"<dimension\b", head):
        return re.sub(rb"<dimension\b[^>]*?/>", element, head, count=1)
    m = re.search(rb"<sheetPr\b[^>]*?(?:/>|>.*?</sheetPr>)", head, re.DOTALL)
    if m:
        return head[: m.end()] + element + head[m.end() :]
    m = re.search(rb"<worksheet\b[^>]*>", head)
    assert m is not None
    return head[: m.end()] + element + head[m.end() :]


def sheet_xml(
    existing: bytes | None,
    sheet: SheetRender,
    quoted: Callable[[bytes], bytes],
    drawing_rel_id: str | None = None,
    paper_code: int | None = None,
) -> bytes:
    """The output sheet's new XML: ``existing`` (the template's sheet, or ``None`` for a sheet
    being added) with its cells, dimension and links rewritten from ``sheet``. ``quoted`` gives
    the style index that adds ``quotePrefix`` to a style index. ``drawing_rel_id`` is the
    relationship of the sheet's new drawing, on a sheet whose charts the writer owns.
    ``paper_code``: the file format's paper size to print on (9 A4, 8 A3); None leaves it."""
    head, content, tail = _split(existing if existing is not None else EMPTY_SHEET)
    rows = _existing_rows(content)
    for number, row in rows.items():
        if number > HEADER_ROW:
            row.attrs = [(k, v) for k, v in row.attrs if k not in (b"ht", b"customHeight")]
    for block in sheet.blocks:
        for i, values in enumerate(block.values):
            row = rows.setdefault(block.row + i, _Row())
            for j, value in enumerate(values):
                if value is not None:
                    row.values[block.col + j] = value
    formulas: dict[tuple[int, int], str] = {}
    for link in sheet.links:
        text = rows.setdefault(link.row, _Row()).values.setdefault(link.col, None)
        formulas[link.row, link.col] = link.formula("" if text is None else str(text))
    widths = _column_widths(head)
    _fit_rows(sheet, rows, widths)
    out = ["<sheetData>"]
    last_row = last_col = 0
    letters: dict[int, str] = {}
    for number in sorted(rows):
        row = rows[number]
        columns = sorted(set(row.styles) | set(row.values))
        # spans (a hint of the row's first and last cell) would be stale: left out, as allowed
        kept = [(k, v) for k, v in row.attrs if k not in (b"ht", b"customHeight", b"spans")]
        attrs = "".join(f' {k.decode()}="{v.decode()}"' for k, v in kept)
        if row.height is not None:
            attrs += f' ht="{row.height:g}" customHeight="1"'
        else:
            height = [(k, v) for k, v in row.attrs if k in (b"ht", b"customHeight")]
            attrs += "".join(f' {k.decode()}="{v.decode()}"' for k, v in height)
        cell_values, styles = row.values, row.styles
        cells = []
        for c in columns:
            letter = letters.get(c) or letters.setdefault(c, column_letters(c))
            address = f"{letter}{number}"
            formula = formulas.get((number, c)) if formulas else None
            if formula is not None:
                cells.append(_formula_cell(address, formula, cell_values.get(c), styles.get(c)))
            else:
                cells.append(_cell(address, cell_values.get(c), styles.get(c), quoted))
        out.append(
            f'<row r="{number}"{attrs}>{"".join(cells)}</row>'
            if cells
            else f'<row r="{number}"{attrs}/>'
        )
        if columns:
            last_row, last_col = number, max(last_col, columns[-1])
    out.append("</sheetData>")
    head = _dimension(head, f"A1:{column_letters(max(last_col, 1))}{max(last_row, 1)}")
    # Links are HYPERLINK formulas in their cells; hyperlinks an earlier version wrote go
    tail = _remove(tail, "hyperlinks")
    if sheet.row_breaks is not None:
        tail = _remove(tail, "rowBreaks")
        if sheet.row_breaks:
            tail = _insert(tail, _row_breaks(sheet.row_breaks), "rowBreaks")
    if paper_code is not None:
        tail = _paper_size(tail, paper_code)
    if sheet.charts is not None:
        tail = _remove(tail, "drawing")
        if drawing_rel_id is not None:
            element = f'<drawing r:id="{drawing_rel_id}"/>'.encode()
            tail = _insert(tail, element, "drawing")
            head = _declare_r(head)
    return head + "".join(out).encode() + tail


def _row_breaks(rows: tuple[int, ...]) -> bytes:
    """Manual page breaks after each of ``rows``."""
    n = len(rows)
    breaks = "".join(f'<brk id="{r}" max="16383" man="1"/>' for r in rows)
    return f'<rowBreaks count="{n}" manualBreakCount="{n}">{breaks}</rowBreaks>'.encode()


PAGE_SETUP = re.compile(rb"<pageSetup\b[^>]*?/>|<pageSetup\b[^>]*?>")


def _paper_size(tail: bytes, code: int) -> bytes:
    """The page setup's paperSize set to ``code``, every other attribute kept; a page setup of
    just that (and landscape) where the sheet has none."""
    m = PAGE_SETUP.search(tail)
    if m is None or not _is_element(tail, m.start()):
        element = f'<pageSetup paperSize="{code}" orientation="landscape"/>'.encode()
        return _insert(tail, element, "pageSetup")
    value = f' paperSize="{code}"'.encode()
    element, found = re.subn(rb'\spaperSize="[^"]*"', value, m.group(0))
    if not found:
        element = b"<pageSetup" + value + element[len(b"<pageSetup") :]
    return tail[: m.start()] + element + tail[m.end() :]


def _declare_r(head: bytes) -> bytes:
    m = re.search(rb"<worksheet\b[^>]*>", head)
    assert m is not None
    root = m.group(0)
    if b'xmlns:r="' in root:
        return head
    fixed = root[:-1] + f' xmlns:r="{NS_REL}">'.encode()
    return head[: m.start()] + fixed + head[m.end() :]


def _fit_rows(sheet: SheetRender, rows: dict[int, _Row], widths: dict[int, float]) -> None:
    """Size rows to their wrapped text (what Excel's row autofit does; nothing here can measure
    text, so it counts characters against the column's width)."""
    if not sheet.wrap_columns:
        return
    for block in sheet.blocks:
        for i, values in enumerate(block.values):
            lines = 1
            for col in sheet.wrap_columns:
                j = col - block.col
                text = values[j] if 0 <= j < len(values) else None
                if isinstance(text, str) and text:
                    lines = max(lines, wrapped_lines(text, widths.get(col, DEFAULT_WIDTH)))
            if lines > 1:
                rows[block.row + i].height = min(MAX_ROW_HEIGHT, lines * LINE_HEIGHT)
