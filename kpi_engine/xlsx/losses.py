"""What a headless fill cannot carry over, named before anything is lost.

openpyxl keeps most of a workbook (values, formulas, styles, conditional formats, validations,
tables, charts, images) but drops shapes and text boxes, sparklines, data-bar extensions and the
macros of a file saved as .xlsx. Officers must hear about that from us, not find out later, so
this scans the file's parts for them (cheaply: names and a bounded read of the XML).
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

_SCAN_BYTES = 4 * 1024 * 1024
_CHECKS = (
    (re.compile(rb"<(?:\w+:)?sp[ >]"), "drawings", "shapes or text boxes"),
    (re.compile(rb"sparklineGroup"), "worksheets", "sparklines"),
)


def _sheet_names(z: zipfile.ZipFile) -> dict[str, str]:
    """worksheet part name -> sheet name, from the workbook's relationships."""
    try:
        book = z.read("xl/workbook.xml").decode("utf-8", "replace")
        rels = z.read("xl/_rels/workbook.xml.rels").decode("utf-8", "replace")
    except KeyError:
        return {}
    targets = dict(re.findall(r'Id="([^"]+)"[^>]*Target="([^"]+)"', rels))
    targets.update({k: v for v, k in re.findall(r'Target="([^"]+)"[^>]*Id="([^"]+)"', rels)})
    names = {}
    for name, rid in re.findall(r'<sheet [^>]*name="([^"]+)"[^>]*r:id="([^"]+)"', book):
        target = targets.get(rid, "")
        names["xl/" + target.lstrip("/").removeprefix("xl/")] = name
    return names


def unsupported_features(path: str | Path) -> list[str]:
    """Plain-English notes on what saving this workbook with openpyxl would drop."""
    notes: list[str] = []
    try:
        with zipfile.ZipFile(path) as z:
            names = z.namelist()
            sheets = _sheet_names(z)
            if any(n.endswith("vbaProject.bin") for n in names):
                notes.append(
                    "it contains macros, which an .xlsx output cannot keep; keep the macro-enabled "
                    "copy for the buttons and use the filled .xlsx for reading"
                )
            for pattern, folder, what in _CHECKS:
                where = []
                for n in names:
                    if not n.startswith(f"xl/{folder}/") or not n.endswith(".xml"):
                        continue
                    with z.open(n) as f:
                        if pattern.search(f.read(_SCAN_BYTES)):
                            where.append(sheets.get(n, n.rsplit("/", 1)[-1]))
                if where:
                    place = (
                        "sheets " + ", ".join(sorted(set(where)))
                        if folder == "worksheets"
                        else "the workbook"
                    )
                    notes.append(
                        f"{what} in {place} will not be kept in the filled copy (openpyxl cannot "
                        "write them); add them to the filled workbook in Excel, or use the "
                        "Refresh button instead"
                    )
    except (zipfile.BadZipFile, OSError):
        return []
    return notes
