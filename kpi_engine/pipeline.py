"""The one computation every front end runs: grids in, the result model and the render model out.

The headless fill, batch, the board pack, ``validate``, the Excel button and the refresh server
all call :func:`run` and only differ in where the grids come from and where the render model is
placed, so every route gives the same numbers and the same sheets.

>>> from kpi_engine.pipeline import run
>>> report, model = run({"Indicators": [("Ref", "Title")]})
>>> len(report.indicators), [sheet.name for sheet in model.sheets][:2]
(0, ['Summary', 'Dashboard'])
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping, Sequence

from .charts import Slot
from .evaluate import compute
from .inputs import read_inputs
from .issues import Issue
from .render import render
from .render_model import RenderModel
from .results import Report
from .sheets import Grid


def run(
    sheets: Mapping[str, Grid],
    template_version: str | None = None,
    refreshed: _dt.datetime | None = None,
    file_issues: Sequence[Issue] = (),
    chart_slots: Sequence[Slot] | int | None = None,
    chart_pictures: bool = False,
) -> tuple[Report, RenderModel]:
    """Read, check and compute a workbook's input sheets (sheet name -> rows of cell values), and
    lay out the output sheets with the workbook's own settings (months shown, labels, colours).
    ``file_issues`` are what the file's reader found (cells it had to leave out): they head the
    report's issues. ``chart_slots``: the charts a workbook being refreshed already has (None:
    one per rated indicator, as the headless fill makes them); ``chart_pictures``: a refresh
    that must draw them as pictures."""
    inputs = read_inputs(sheets)
    inputs.log.items[:0] = file_issues
    report = compute(inputs, refreshed=refreshed, template_version=template_version)
    s = inputs.settings
    model = render(
        report,
        s.months_shown,
        s.plan_target_label,
        s.baseline_label,
        s.colours,
        chart_slots,
        chart_pictures,
    )
    model.paper = s.paper_size
    return report, model
