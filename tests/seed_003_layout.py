"""Seed 003 laid out as the council laid it out: one sheet, as an officer's workbook would hold it.

Built with openpyxl from ``seed_003`` (the seed's figures, targets, polarity, owners, RAG column
and methodologies) in the seed's own layout: the logo's words, a title, the month, the
director's summary, the action log, the contents list (its refs differ: "W 1 e" for W 2), then a
section row (WORKFORCE) and a header row "Indicator Number | Indicator Title | Polarity | Apr-17
... Nov-17 | 2017-18 Target | Target Owner | RAG | RAG Methodology" per table, "Improvement
Activity" and "Next Steps" rows under each, "Graph 1" and the seed's notes between tables.
Percentages are stored as Excel stores 86% (0.86) with the seed's number formats: "0.0%" where
the seed prints a decimal (AMT 2, LE 2, CL 3a from April to September), else "0%".
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import seed_003

SHEET = "Nov 17"
TITLE = "Children's Services Ofsted Improvement Board Priority Indicators"

# The seed's action log (seeds/003, "Priority Indicators Action Log"): its header and all 13
# actions, as printed (data/seed_003_action_log.tsv).
_ACTION_LOG = Path(__file__).parent / "data" / "seed_003_action_log.tsv"
ACTION_HEADER, *ACTIONS = [
    line.split("\t") for line in _ACTION_LOG.read_text("utf-8").splitlines() if line.strip()
]

# The director's summary's Assessments paragraph (seeds/003), with its heading.
ASSESSMENTS_SUMMARY = (
    "The assessment service is under considerable pressure as a result of a substantial increase "
    "in assessment volumes since publication of the Ofsted report (xx%)."
)

ONE_DECIMAL = {"AMT 2": range(8), "LE 2": range(8), "CL 3a": range(6)}
# The seed's tables, as it splits them: Children in Need of Help and Protection into five, Looked
# After Children and Care Leavers into two each, each under its own section row.
TABLES = [
    ["P1", "W 1", "W1 a", "W1 b", "W1 c", "W1 d", "W 2"],
    ["FD 3", "FD 8"],
    ["AMT 2"],
    ["CIN 4", "CIN 5"],
    ["CP 5", "CP 13"],
    ["CP 10"],
    ["MC 1", "MC 6"],
    ["LE 2", "LE 3"],
    ["LAC 10", "LAC 11"],
    ["LAC 19 (12m)", "LAC 20"],
    ["F 3", "AD 7"],
    ["CL a"],
    ["CL 1", "CL 1a", "CL 2", "CL 3", "CL 3a"],
    ["QA 1", "QA 2", "QA 3"],
]


def _indicators() -> dict[str, dict[str, object]]:
    header, *rows = seed_003.SHEETS["Indicators"]
    return {row[0]: dict(zip(header, row, strict=True)) for row in rows}


def _data() -> dict[str, list[object]]:
    return {row[0]: row[1:] for row in seed_003.SHEETS["Data"][1:]}


def _commentary() -> dict[str, tuple[str | None, str | None]]:
    return {row[0]: (row[3], row[4]) for row in seed_003.SHEETS["Commentary"][1:]}


def build(path: Path) -> Path:
    """Write the seed-003-style workbook to ``path``."""
    inds, data, notes = _indicators(), _data(), _commentary()
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = SHEET
    ws.append(["OUR"])
    ws.append(["FOCUS"])
    ws.append([TITLE])
    ws.append(["November 2017"])
    ws.append(["Directors Summary"])
    ws.append(["Workforce"])
    ws.append([notes["P1"][0]])
    ws.append(["Assessments"])
    ws.append([ASSESSMENTS_SUMMARY])
    ws.append([])
    ws.append(["Priority Indicators Action Log"])
    ws.append(ACTION_HEADER)
    for action in ACTIONS:
        ws.append(action)
    ws.append([])
    ws.append(["Ref", "Indicator Title", "RAG Last Period", "Current RAG"])
    section = None
    for table in TABLES:
        if inds[table[0]]["Section"] != section:
            section = inds[table[0]]["Section"]
            ws.append([str(section).upper()])
        for ref in table:
            ws.append(["W 1 e" if ref == "W 2" else ref, inds[ref]["Indicator Title"]])
    ws.append([])
    for n, table in enumerate(TABLES):
        ws.append([str(inds[table[0]]["Section"]).upper()])
        ws.append(
            ["Indicator Number", "Indicator Title", "Polarity", *seed_003.MONTHS]
            + ["2017-18 Target", "Target Owner", "RAG", "RAG Methodology"]
        )
        activity: list[str] = []
        steps: list[str] = []
        for ref in table:
            ind = inds[ref]
            percent = ind["Unit"] == "%"
            row = [ref, ind["Indicator Title"], ind["Polarity"], *data[ref]]
            row += [ind["2017-18 Target"], ind["Target Owner"], seed_003.SEED_RAG[ref]]
            row += [ind["RAG Methodology"]]
            ws.append(row)
            r = ws.max_row
            for i in range(8):
                cell = ws.cell(r, 4 + i)
                if percent and isinstance(cell.value, float):
                    cell.number_format = "0.0%" if i in ONE_DECIMAL.get(ref, ()) else "0%"
            target = ws.cell(r, 12)
            if percent and isinstance(target.value, float):
                target.number_format = "0.0%" if ref == "AMT 2" else "0%"
            a, s = notes.get(ref, (None, None))
            if a and a not in activity:
                activity.append(a)
            if s and s not in steps:
                steps.append(s)
        if table == ["CIN 4", "CIN 5"]:  # as the seed prints it: HTML paragraphs, a stray label
            ws.append(["Improvement Activity", None, " ".join(f"<p>{a}</p>" for a in activity)])
            ws.append(["Next Steps", None, f"<p>{' '.join(steps)}</p>"] + [None] * 10 + ["CIN 5:"])
        else:
            ws.append(["Improvement Activity", None, "\n".join(activity) or None])
            ws.append(["Next Steps", None, "\n".join(steps) or None])
        ws.append([])
        if n == 0:
            ws.append(["Graph 1"])
            ws.append([])
        if n == 1:
            ws.append(['Note: Columns BELOW the target line are "good" performance'])
            ws.append([])
    book.save(path)
    return path
