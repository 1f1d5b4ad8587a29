"""The names a dashboard workbook's sheets go by, in one place.

Input sheets are the officer's (matched ignoring case and spaces); output sheets are the engine's
and are rewritten on every fill; the hidden Template info sheet says which template layout the
workbook follows.
"""

from __future__ import annotations

from typing import Any

NARRATIVE, ACTIONS, TEAM_LIST = "Narrative", "Actions", "Team list"
INPUT_SHEETS = (
    "Settings",
    "Indicators",
    "Data",
    "Targets",
    "Benchmarks",
    "Commentary",
    NARRATIVE,
    ACTIONS,
    TEAM_LIST,  # optional: a workbook without it is filled as before (outturn.team_spans)
)
# The input sheets each template version added, and what they carry to the board: a workbook made
# from an older template is filled without them, with one warning that names what is missing.
ADDED_IN_VERSION: dict[int, tuple[tuple[str, str], ...]] = {
    2: (
        (NARRATIVE, "director's summary or section commentary"),
        (ACTIONS, "action log"),
    ),
}

DASHBOARD, SUMMARY, VALIDATION, TEAMS, CHARTS = (
    "Dashboard",
    "Summary",
    "Validation",
    "Teams",
    "Charts",
)
# In the order a template's tabs run. The board pack prints Summary, Dashboard, Teams and Charts.
OUTPUT_SHEETS = (SUMMARY, DASHBOARD, VALIDATION, TEAMS, CHARTS)

INSTRUCTIONS_SHEET = "Instructions"
TEMPLATE_INFO_SHEET = "Template info"
TEMPLATE_VERSION_CELL = "B1"  # on the Template info sheet
TEMPLATE_VERSION_PROPERTY = "kpi_template_version"  # the custom document property


def version_text(value: Any) -> str | None:
    """The template version as a cell or document property holds it, as text (Excel keeps every
    number as a float: 1.0 is template 1); ``None`` when blank."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()
