"""The Dashboard's baseline and the change since it: the baseline itself beside the change (as seed
000 shows its "Ofsted Baseline"), a percentage's change in percentage points that say so ("+16
pts", never "+16%", which reads as a relative change), and the template's signed format on the
change column whatever the workbook calls its baseline."""

from __future__ import annotations

import datetime as dt

from builders import evaluate, indicator_rows, months, settings_rows

from kpi_engine.render import dashboard_number_columns, render
from kpi_engine.render_model import HEADER_ROW, ROW
from kpi_engine.workbook_names import DASHBOARD
from workbook_templates.build import build_template

WHEN = dt.datetime(2025, 10, 6, 9, 30)
PCT = {
    "Title": "Assessments in 45 working days",
    "Polarity": "BIB",
    "Unit": "%",
    "Measure": "percentage",
    "Aggregation": "flow",
    "Target": 0.9,
    "Baseline period": "2024-10",
}


def _dashboard(baseline_label: str | None = None) -> dict[str, dict[str, object]]:
    sheets = {
        "Settings": settings_rows("2025-09"),
        "Indicators": indicator_rows(
            {**PCT, "Ref": "A1", "Decimals": 0, "Baseline": 0.7},
            {**PCT, "Ref": "A2", "Decimals": 1, "Baseline": 0.9},
            {**PCT, "Ref": "A3", "Decimals": 0, "Baseline": 0.864},
            {
                "Ref": "D1",
                "Title": "Days to adoption",
                "Polarity": "SIB",
                "Unit": "days",
                "Decimals": 0,
                "Measure": "value",
                "Aggregation": "snapshot",
                "Target": 450,
                "Baseline": 480,
                "Baseline period": "2024-10",
            },
        ),
        "Data": [
            ["Ref", "Period", "Numerator", "Denominator", "Value", "Team"],
            *months("2025-09", [(86, 100)], ref="A1", kind="ratio"),
            *months("2025-09", [(873, 1000)], ref="A2", kind="ratio"),
            *months("2025-09", [(86, 100)], ref="A3", kind="ratio"),
            *months("2025-09", [432], ref="D1"),
        ],
    }
    sheet = render(evaluate(sheets, refreshed=WHEN), 12, None, baseline_label).sheet(DASHBOARD)
    headers = [sheet.cell(HEADER_ROW, c) for c in range(1, sheet.cols + 1)]
    headers[0] = "Row"
    rows = {}
    for r in range(HEADER_ROW + 1, sheet.rows + 1):
        if sheet.cell(r, 1) == ROW:
            rows[sheet.cell(r, 3)] = {h: sheet.cell(r, c) for c, h in enumerate(headers, 1)}
    return rows


def test_the_baseline_stands_beside_the_change_and_a_percentages_change_is_in_points():
    rows = _dashboard()
    headers = list(rows["A1"])
    at = headers.index("Baseline")
    assert headers[at + 1] == "Change since Baseline"
    assert rows["A1"]["Baseline"] == 0.7
    assert rows["A1"]["Change since Baseline"] == "+16 pts"  # 86% against 70%
    assert rows["A2"]["Change since Baseline"] == "-2.7 pts"  # at the indicator's decimals
    assert rows["A3"]["Change since Baseline"] == "0 pts"  # -0.4 points, shown as 0: no sign
    # other units stay numbers, signed by the template's format
    assert rows["D1"]["Baseline"] == 480
    assert rows["D1"]["Change since Baseline"] == -48


def test_the_baseline_takes_the_workbooks_label():
    rows = _dashboard("Ofsted baseline")
    headers = list(rows["A1"])
    assert headers[headers.index("Ofsted baseline") + 1] == "Change since Ofsted baseline"
    groups = dashboard_number_columns(headers)
    assert headers.index("Ofsted baseline") + 1 in groups["plain"]
    assert groups["signed"] == [headers.index("Change since Ofsted baseline") + 1]


def test_the_templates_signed_format_follows_any_baseline_label():
    """The template is built before the workbook names its baseline, so its rule for the change
    column matches the header's start ("Change since "), not the default header."""
    ws = build_template()[DASHBOARD]
    formulas = [r.formula[0] for cf in ws.conditional_formatting for r in cf.rules if r.formula]
    signed = [f for f in formulas if f.startswith('AND($B1="days|0"') and "Change since" in f]
    assert signed == [f'AND($B1="days|0",OR(LEFT(A${HEADER_ROW},13)="Change since "))']
