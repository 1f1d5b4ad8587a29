"""Build a realistic, synthetic dashboard input workbook of any size.

Why: the fill must be fast on a big authority's workbook (hundreds of indicators, three years of
monthly team data), and the tests of the fill need inputs that look like the seeds without being
copies of them. Everything here follows PRODUCT.md, "The workbook contract", and is deterministic
for a given seed, so timings and expected results can be compared between runs.

    python benchmarks/make_workbook.py OUT.xlsx [--indicators N] [--months M] [--teams T]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import time
from pathlib import Path

SECTIONS = [
    "Front Door",
    "Assessment",
    "Child Protection",
    "Looked After Children",
    "Care Leavers",
    "Workforce",
]
TEAM_NAMES = ["East", "North", "South", "West", "Central", "Coastal", "Valley", "Mid"]
PLAN_PERIOD = dt.datetime(2026, 3, 1)
OWNERS = ["JB", "SK", "AM", "RP", "LT", "HW", "DC", "NO"]
INDICATOR_HEADER = [
    "Ref",
    "Title",
    "Section",
    "Polarity",
    "Unit",
    "Decimals",
    "Measure",
    "Frequency",
    "Aggregation",
    "Lag",
    "Due month",
    "Target",
    "RAG rule",
    "Green threshold",
    "Amber threshold",
    "RAG methodology",
    "Tolerance",
    "Baseline",
    "Baseline period",
    "Plan target",
    "Owner",
]
# Titles per kind, with the section each belongs to; reused (numbered) when indicators run out.
TITLES = {
    "pct_bib": [
        ("Referrals with a decision within 1 working day", 0),
        ("Assessments completed within 45 working days", 1),
        ("ICPCs held within 15 working days of the strategy discussion", 2),
        ("Children in care visited within timescale", 3),
        ("Care leavers in suitable accommodation", 4),
        ("Supervisions held within timescale", 5),
    ],
    "pct_sib": [
        ("Re-referrals within 12 months", 0),
        ("Assessments ending in no further action", 1),
        ("Children subject to a second or subsequent CP plan", 2),
        ("Children in care with 3 or more placements in the year", 3),
        ("Agency social workers", 5),
    ],
    "rate": [
        ("Referrals per 10,000 children", 0),
        ("Children in need per 10,000 children", 1),
        ("Children subject to a CP plan per 10,000 children", 2),
        ("Children looked after per 10,000 children", 3),
    ],
    "average": [
        ("Average caseload per social worker", 5),
        ("Average caseload - assessment teams", 1),
        ("Average caseload - personal advisers", 4),
    ],
    "value": [
        ("Contacts received", 0),
        ("Section 47 enquiries started", 2),
        ("Children starting to be looked after", 3),
        ("Care leavers aged 19 to 21", 4),
        ("Social worker vacancies", 5),
    ],
}
# The cycle of kinds; the last is a quarterly percentage. Two in every 200 become annual.
KINDS = ["pct_bib", "pct_sib", "rate", "average", "value", "pct_bib"]
COMMENTS = [
    "Performance has held steady despite higher demand at the front door.",
    "The dip reflects a backlog in one team that is now being cleared.",
    "Improvement follows the new tracking meeting introduced this quarter.",
    "Recording delays mean the figure understates actual practice.",
]
ACTIVITIES = [
    "Weekly performance clinic with team managers.",
    "Additional agency capacity in the hub.",
    "Practice audit of a sample of cases.",
    "Refreshed guidance and training for staff.",
]
NEXT_STEPS = [
    "Review at next month's performance board.",
    "Team manager to report on progress.",
    "Recheck the data once late recording is in.",
    "Agree a recovery plan with the service lead.",
]


def _month(index: int) -> dt.datetime:
    """Month number (year * 12 + month - 1) to the first of that month, as Excel stores a month."""
    return dt.datetime(index // 12, index % 12 + 1, 1)


def _indicator(i: int, rng: random.Random, end: int) -> dict:
    """One Indicators row (as a dict keyed by header) plus hidden generation parameters."""
    kind = KINDS[i % len(KINDS)]
    bank = TITLES[kind]  # ordinal among indicators of this kind, so titles only repeat numbered
    nth = i // len(KINDS) * KINDS.count(kind) + KINDS[: i % len(KINDS)].count(kind)
    title, section = bank[nth % len(bank)]
    repeat = nth // len(bank)
    row = dict.fromkeys(INDICATOR_HEADER)
    row.update(
        Ref=f"K{i + 1:03d}",
        Title=title + (f" ({repeat + 1})" if repeat else ""),
        Section=SECTIONS[section],
        Lag=0,
        Owner=rng.choice(OWNERS),
        Frequency="monthly",
    )
    if kind == "pct_bib":
        green = rng.choice([95, 90, 85, 80])
        amber = green - 5
        row.update(
            Polarity="BIB",
            Unit="%",
            Decimals=0,
            Measure="percentage",
            Aggregation="flow",
            Target=green / 100,
            **{
                "RAG rule": "bands",
                "Green threshold": green / 100,
                "Amber threshold": amber / 100,
                "RAG methodology": (
                    f"{green}% or above Green {amber}%-{green - 1}% Amber "
                    f"{amber - 1}% and below Red"
                ),
            },
        )
        level = green / 100 + rng.uniform(-0.08, 0.03)
        if i % len(KINDS) == 5:
            row["Frequency"] = "quarterly"
    elif kind == "pct_sib":
        row.update(
            Polarity="SIB",
            Unit="%",
            Decimals=1,
            Measure="percentage",
            Aggregation="flow",
            Target=0.22,
            Tolerance="5 pts",
            **{"RAG rule": "tolerance"},
        )
        level = rng.uniform(0.18, 0.28)
    elif kind == "rate":
        row.update(
            Unit="rate per 10,000",
            Decimals=1,
            Measure="rate per 10,000",
            Aggregation="snapshot",
            **{"RAG rule": "none"},
        )
        level = rng.uniform(30, 90)
    elif kind == "average":
        row.update(
            Polarity="SIB",
            Unit="number",
            Decimals=1,
            Measure="average",
            Aggregation="snapshot",
            Target=17,
            **{
                "RAG rule": "bands",
                "Green threshold": 17,
                "Amber threshold": 20,
                "RAG methodology": "17 or below Green 17.1-20 Amber 20.1 and above Red",
            },
        )
        level = rng.uniform(14, 22)
    else:
        row.update(
            Unit="number", Decimals=0, Measure="value", Aggregation="flow", **{"RAG rule": "none"}
        )
        level = rng.uniform(20, 300)
    if i % 100 == 6:  # a couple of annual returns, published in September for the year to March
        row.update(Frequency="annual", **{"Due month": "September"})
    if i % 5 == 0 and row["Polarity"]:
        better = 1 if row["Polarity"] == "BIB" else -1
        step = 2 if kind == "average" else 0.05
        baseline = round(level, 1) if kind == "average" else round(level, 3)
        plan = baseline + better * step
        row.update(
            Baseline=baseline,
            **{
                "Baseline period": _month(end - 12),
                "Plan target": round(min(plan, 1.0) if row["Unit"] == "%" else plan, 3),
            },
        )
    # Hidden: the kind, the typical level and a monthly relative trend, so forecasts have a slope.
    row["_kind"], row["_level"], row["_trend"] = kind, level, rng.uniform(-0.004, 0.004)
    return row


def _has_data(ind: dict, month: int, end: int) -> bool:
    """Quarterly figures exist at quarter ends; annual ones at March, once September has passed."""
    calendar_month = month % 12 + 1
    if ind["Frequency"] == "quarterly":
        return calendar_month in (3, 6, 9, 12)
    if ind["Frequency"] == "annual":
        return calendar_month == 3 and month + 6 <= end
    return True


def _figures(ind: dict, team: int, t: int, rng: random.Random, pops: list[int]) -> list[object]:
    """Numerator, Denominator, Value for one team-month, drifting gently around the level."""
    kind, level = ind["_kind"], ind["_level"] * (1 + ind["_trend"] * t)
    if kind in ("pct_bib", "pct_sib"):
        den = rng.randint(30, 400)
        return [max(0, min(den, round(den * (level + rng.gauss(0, 0.03))))), den, None]
    if kind == "rate":
        pop = pops[team] + 40 * t
        return [max(0, round(pop * level / 10000 * rng.uniform(0.95, 1.05))), pop, None]
    if kind == "average":
        fte = round(rng.uniform(8, 25), 1)
        return [round(fte * level * rng.uniform(0.9, 1.1)), fte, None]
    return [None, None, max(0, round(level * rng.uniform(0.8, 1.2)))]


def build_sheets(
    indicators: int = 200,
    months: int = 36,
    teams: int = 3,
    seed: int = 1,
    reporting_period: str = "2025-03",
) -> dict[str, list[list[object]]]:
    """The workbook's content as grids: sheet name -> rows, row 0 the header.

    Kept separate from the writing so tests can compare a fill's output with the inputs directly.
    Data has exactly indicators x months x teams rows, one per indicator, month and team; months
    when a quarterly or annual measure has no figure keep their row with blank numbers.
    """
    rng = random.Random(seed)
    year, month = (int(part) for part in reporting_period.split("-"))
    end = year * 12 + month - 1
    team_names = [TEAM_NAMES[k] if k < len(TEAM_NAMES) else f"Team {k + 1}" for k in range(teams)]
    pops = [rng.randint(20000, 60000) for _ in team_names]
    inds = [_indicator(i, rng, end) for i in range(indicators)]

    settings = [
        ["Setting", "Value"],
        ["Organisation", "Benchmark Borough"],
        ["Reporting period", _month(end)],
        ["Year start month", "April"],
        ["Plan target label", "Mar-26 Target"],
        ["Plan target period", PLAN_PERIOD],
        ["Baseline label", "Ofsted baseline"],
        ["Default amber tolerance", 0.1],
    ]
    indicator_rows = [INDICATOR_HEADER] + [[ind[h] for h in INDICATOR_HEADER] for ind in inds]

    data = [["Ref", "Period", "Team", "Numerator", "Denominator", "Value"]]
    for ind in inds:
        for t, m in enumerate(range(end - months + 1, end + 1)):
            for k, team in enumerate(team_names):
                figures = _figures(ind, k, t, rng, pops)
                if not _has_data(ind, m, end):
                    figures = [None, None, None]
                elif (roll := rng.random()) < 0.005:  # suppressed small numbers, as DfE marks them
                    figures[0 if figures[0] is not None else 2] = "c"
                elif roll < 0.0055:
                    figures[0 if figures[0] is not None else 2] = "x"
                data.append([ind["Ref"], _month(m), team, *figures])

    targets = [["Ref", "Period", "Target", "Team"]]
    plan_months = PLAN_PERIOD.year * 12 + PLAN_PERIOD.month - 1 - (end - 12)  # baseline to plan
    for ind in (ind for ind in inds if ind["Plan target"] is not None):
        for ahead in (0, 3, 6, 9):  # milestones on the straight line, quarterly from now
            share = (12 + ahead) / plan_months
            value = ind["Baseline"] + (ind["Plan target"] - ind["Baseline"]) * share
            teams_for = team_names if ind["_kind"] == "average" else [None]
            targets += [
                [ind["Ref"], _month(end + ahead), round(value, 3), team] for team in teams_for
            ]

    bench_year = f"{year - 1 - (month < 4)}-{str(year - (month < 4))[2:]}"
    benchmarks = [["Ref", "Comparator", "Year", "Value"]]
    for ind in (ind for ind in inds if ind["Polarity"]):
        for comparator in ("Statistical neighbours", "Region", "England"):
            value = ind["_level"] * rng.uniform(0.9, 1.1)
            benchmarks.append(
                [ind["Ref"], comparator, bench_year, round(value, 3 if ind["Unit"] == "%" else 1)]
            )

    commentary = [["Ref", "Period", "Comment", "Improvement activity", "Next steps"]]
    for ind in inds:
        if rng.random() < 1 / 3:
            commentary.append(
                [
                    ind["Ref"],
                    _month(end),
                    rng.choice(COMMENTS),
                    rng.choice(ACTIVITIES),
                    rng.choice(NEXT_STEPS),
                ]
            )

    return {
        "Settings": settings,
        "Indicators": indicator_rows,
        "Data": data,
        "Targets": targets,
        "Benchmarks": benchmarks,
        "Commentary": commentary,
    }


def build_workbook(
    path: str | Path,
    indicators: int = 200,
    months: int = 36,
    teams: int = 3,
    seed: int = 1,
    reporting_period: str = "2025-03",
) -> None:
    """Write build_sheets' grids to an .xlsx at path, for benchmarks and tests of the fill."""
    _write(path, build_sheets(indicators, months, teams, seed, reporting_period))


def _write(path: str | Path, sheets: dict[str, list[list[object]]]) -> None:
    """Save grids to path with bold headers; openpyxl's write-only mode keeps big workbooks fast."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    wb = Workbook(write_only=True)
    bold = Font(bold=True)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        header = []
        for text in rows[0]:
            cell = WriteOnlyCell(ws, value=text)
            cell.font = bold
            header.append(cell)
        ws.append(header)
        for row in rows[1:]:
            ws.append(row)
    wb.save(str(path))


def main(argv: list[str] | None = None) -> None:
    """CLI: build the workbook, then print its path and how many rows each sheet holds."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", help="the .xlsx file to write")
    parser.add_argument("--indicators", type=int, default=200)
    parser.add_argument("--months", type=int, default=36)
    parser.add_argument("--teams", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--reporting-period", default="2025-03", help="YYYY-MM, the last month")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    sheets = build_sheets(
        args.indicators, args.months, args.teams, args.seed, args.reporting_period
    )
    _write(args.out, sheets)  # build_workbook, without building the grids a second time
    counts = {name: len(rows) - 1 for name, rows in sheets.items()}
    print(
        f"{args.out}: {sum(counts.values())} rows "
        f"({', '.join(f'{k} {v}' for k, v in counts.items())}) "
        f"in {time.perf_counter() - started:.2f}s"
    )


if __name__ == "__main__":
    main()
