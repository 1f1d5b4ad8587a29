"""``kpi-dashboard import``: a hand-made dashboard workbook into the current template.

The workbook is read through the one door (:mod:`kpi_engine.xlsx.reader`, behind the guard), its
layout recognised by the pure :mod:`kpi_engine.layouts`, and the rows it found written into a
fresh template (``write_all``, as ``upgrade`` writes). A workbook that already has the template's
Indicators and Data sheets (an older kpi-dashboard template) is upgraded instead, so one command
starts from either. ``src`` is never changed; ``dst`` is written whole or not at all.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from kpi_engine.errors import TemplateError
from kpi_engine.inputs import find_sheets
from kpi_engine.layouts import Imported, SheetGrid, recognise
from kpi_engine.periods import Month
from kpi_engine.xlsx.reader import read_all_sheets
from workbook_templates.build import build_template, save_atomically, write_all
from workbook_templates.upgrade import upgrade

TEMPLATE_SHEETS = ("Indicators", "Data")  # a workbook with both is one of our own templates


@dataclass
class ImportResult:
    """What the import did: the layout it found (or ``None`` when it upgraded one of our own
    templates), and the rows written per input sheet."""

    imported: Imported | None
    written: dict[str, int] = field(default_factory=dict)

    @property
    def upgraded(self) -> bool:
        return self.imported is None


def _same_file(a: Path, b: Path) -> bool:
    try:
        return b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def import_dashboard(
    src: str | os.PathLike[str], dst: str | os.PathLike[str], period: Month | None = None
) -> ImportResult:
    """Import ``src`` into a fresh template at ``dst``.

    Raises :class:`~kpi_engine.errors.WorkbookError` when ``src`` cannot be read as a workbook
    and :class:`~kpi_engine.errors.TemplateError` when ``dst`` is ``src`` or no indicator table
    is found; nothing is written then.
    """
    source, target = Path(src), Path(dst)
    if _same_file(source, target):
        raise TemplateError(
            f"Choose a different name for the imported workbook: {target.name} is the workbook "
            "being imported, which is left as it is."
        )
    sheets = read_all_sheets(source)
    names = find_sheets({name: [] for name, _, _ in sheets})
    if all(sheet in names for sheet in TEMPLATE_SHEETS):
        return ImportResult(None, upgrade(source, target))
    imported = recognise(
        [SheetGrid(name, values, formats) for name, values, formats in sheets], period
    )
    if "Indicators" not in imported.sheets:
        raise TemplateError(
            f"{source.name}: no indicator table found on any sheet, so nothing was written. "
            "kpi-dashboard looks for a header row with 'Indicator Number' or 'Ref', or "
            "'Indicator Title', 'Success Measure' or 'Measure', beside month columns (Apr-17), "
            "a target, polarity or RAG."
        )
    book = build_template()
    written = write_all(book, imported.sheets, imported.formats)
    save_atomically(book, target)
    return ImportResult(imported, written)
