"""The demo workbook: a fictional authority's monthly improvement board dashboard, as input grids.

``demo_sheets()`` returns the eight input sheets (sheet name -> rows, header row first, headers
exactly the JSON Schemas' property names) of **Northbrook Borough Council**, a fictional
children's services department reporting September 2025 to its improvement board, eleven months
after an Ofsted inspection (October 2024) that set the baseline of its improvement plan, which
must be met by March 2026.

It is the README's first-command demo, so it reads like a real board pack and exercises every
rule of PRODUCT.md:

* 36 indicators from the seeds' sections (Front Door, Assessment, Child Protection, Children in
  Need, Looked After Children, Fostering and Adoption, Care Leavers, Workforce, Quality
  Assurance), with the seeds' refs and wording; every Measure, both Aggregations, both
  polarities and context measures, RAG by bands (thresholds, or only the officers' written
  methodology), by tolerance (relative, default, "5 pts", "2 cases", "30 days") and none;
  monthly, quarterly (CP 11, QA 3) and annual (LAC 20 due June and present; CL 1a due December,
  so "Not due"); Lag 1 (LAC 9, health data a month behind); Decimals 1 where the seeds print
  63.9%.
* 24 months of Data (Oct-23 to Sep-25) in long form; five indicators by area (North, Central,
  South) instead of whole-authority rows, and AMT 2 with an authority row as well that counts
  the disabled children's team, which is in no area (seed 002's "DCSC not included in area").
* The gaps real extracts have: South's ICPC numerator suppressed ('c') in Jun-25, the police
  missing-episode return not available ('x') in Mar-25, no LAC 11 row at all for Feb-25 (the
  case-management system migration), LE 2 resting on 2 of 3 cases in Sep-25, and W 4 (manual
  supervision returns) not yet in for Sep-25, so its outturn is August's and stale.
* Benchmarks: England and region (West Midlands) typed from DfE's published statistics, 2024-25
  (workforce: reporting year 2024), each value named with its publication in ``_benchmarks``.
  Northbrook is fictional, so its Local authority setting is a real one, Walsall (West
  Midlands): ``kpi-dashboard benchmarks`` adds Walsall's statistical neighbours, the earlier
  years, the national rank and the quartile band to the committed demo workbook.
* Commentary in officers' voice for the Red and Amber measures and a few Green ones; MC 6 is Red
  with no commentary, so the engine's "no commentary" warning shows once.
* The board's narrative in the voice of seed 003: a director's summary and commentary for a few
  sections (September, and an August row that is not printed), and an action log of eight
  actions, one overdue (Jul-02), two done, one with its due date to be confirmed.

Deterministic: the month-to-month noise comes from ``random.Random(2025)``, and each
indicator's reporting-month figures are pinned, so the demo's colours never drift.
"""

from __future__ import annotations

import datetime as dt
import random
import sys
from pathlib import Path
from typing import TYPE_CHECKING

ORGANISATION = "Northbrook Borough Council"
REPORTING = dt.datetime(2025, 9, 1)
INSPECTION = dt.datetime(2024, 10, 1)  # the (fictional) Ofsted inspection: the plan's baseline
PLAN_PERIOD = dt.datetime(2026, 3, 1)
FIRST = (2023, 10)  # 24 months: Oct-23 ... Sep-25
N_MONTHS = 24
LAST = N_MONTHS - 1  # index of Sep-25
AUG = LAST - 1
AREAS = ("North", "Central", "South")

INDICATOR_COLUMNS = [
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
    "Chart",
    "DfE measure",
]
# DfE's published benchmarks: Settings' Local authority, and LAIT's code for every indicator DfE
# publishes. Northbrook is fictional, so its benchmarks are a real West Midlands authority's:
# Walsall's statistical neighbours, region and England (kpi-dashboard benchmarks fills them).
LOCAL_AUTHORITY = "Walsall"
DFE_MEASURES = {
    "FD 8": "ReReferral",
    "FD 9": "CPP_Total_Rateper10,000",
    "AMT 2": "Continue_Assess_Comp",
    "CP 5": "CP_conf_15days",
    "CP 7": "RevCP",
    "CP 10": "CPPlans2yrs",
    "CP 11": "PrevRegCPR",
    "CP 12": "CPP_rate",
    "LAC 1": "LAC",
    "LAC 4": "LACStable_2016on",
    "LAC 20": "LAC_LongStable%",
    "CL 1a": "CareLeaverEET",
    "W 1": "Work_Force_AvgNumCase_SW",
    "W 2": "Work_Force_Vac_Rate",
    "W 3": "Work_Force_Agecy_Rate",
}
DATA_COLUMNS = ["Ref", "Period", "Numerator", "Denominator", "Value", "Team"]

FRONT_DOOR = "Front Door"
ASSESSMENT = "Assessment"
CP = "Child Protection"
CIN = "Children in Need"
LAC = "Looked After Children"
FOSTERING = "Fostering and Adoption"
CARE_LEAVERS = "Care Leavers"
WORKFORCE = "Workforce"
QA = "Quality Assurance"
SECTIONS = (FRONT_DOOR, ASSESSMENT, CP, CIN, LAC, FOSTERING, CARE_LEAVERS, WORKFORCE, QA)

# Child population aged 0-17 (the rates' denominator), as ONS mid-year estimates are released
# each summer: (first month it applies, population). Fictional, for a borough of ~52,000 children.
POPULATION = (
    (dt.datetime(2022, 7, 1), 51_640),
    (dt.datetime(2024, 7, 1), 52_180),
    (dt.datetime(2025, 7, 1), 52_410),
)

if TYPE_CHECKING:
    from openpyxl import Workbook


def month_at(index: int) -> dt.datetime:
    """Month ``index`` of the demo (0 = Oct-23, 23 = Sep-25; negative reaches back), as Excel
    stores it."""
    y, m = divmod(FIRST[0] * 12 + FIRST[1] - 1 + index, 12)
    return dt.datetime(y, m + 1, 1)


def population_at(index: int) -> int:
    when = month_at(index)
    return [p for start, p in POPULATION if start <= when][-1]


def _path(anchors: dict[int, float]) -> list[float]:
    """A level for each of the 24 months: straight lines through ``anchors`` (month index ->
    level)."""
    keys = sorted(anchors)
    out = []
    for i in range(N_MONTHS):
        if i <= keys[0]:
            out.append(anchors[keys[0]])
        elif i >= keys[-1]:
            out.append(anchors[keys[-1]])
        else:
            lo = max(k for k in keys if k <= i)
            hi = min(k for k in keys if k > i)
            out.append(anchors[lo] + (anchors[hi] - anchors[lo]) * (i - lo) / (hi - lo))
    return out


class _Book:
    """Collects the rows of the Data sheet, drawing noise from one seeded generator in a fixed
    order."""

    def __init__(self) -> None:
        self.rng = random.Random(2025)
        self.rows: list[list[object]] = []

    def noise(self, sd: float) -> float:
        return self.rng.gauss(0.0, sd)

    def ratio(
        self,
        ref: str,
        index: int,
        numerator: float | str,
        denominator: float | str,
        team: str | None = None,
    ) -> None:
        self.rows.append([ref, month_at(index), numerator, denominator, None, team])

    def value(self, ref: str, index: int, value: float | str, team: str | None = None) -> None:
        self.rows.append([ref, month_at(index), None, None, value, team])

    def counts(self, level: list[float], sd: float, floor: int = 0) -> list[int]:
        """Whole counts around a level (e.g. denominators), never below ``floor``."""
        return [max(floor, round(x + self.noise(sd))) for x in level]

    def hits(self, rates: list[float], denominators: list[int], sd: float) -> list[int]:
        """Numerators: the rate (with noise, kept within 0%-100%) of each denominator."""
        return [
            min(d, max(0, round(d * min(1.0, max(0.0, r + self.noise(sd))))))
            for r, d in zip(rates, denominators, strict=True)
        ]

    def percentage(
        self,
        ref: str,
        rates: list[float],
        denominators: list[int],
        sd: float,
        pinned: dict[int, tuple[int, int]] | None = None,
        skip: tuple[int, ...] = (),
        months: range | None = None,
        team: str | None = None,
    ) -> list[tuple[int, int]]:
        """Monthly numerator/denominator rows; ``pinned`` fixes chosen months, ``skip`` leaves
        months out."""
        nums = self.hits(rates, denominators, sd)
        out = []
        for i in months if months is not None else range(N_MONTHS):
            n, d = (pinned or {}).get(i, (nums[i], denominators[i]))
            out.append((n, d))
            if i not in skip:
                self.ratio(ref, i, n, d, team)
        return out


def _indicators() -> list[list[object]]:
    rows: list[list[object]] = [list(INDICATOR_COLUMNS)]

    def add(
        ref: str,
        title: str,
        section: str,
        polarity: str | None,
        unit: str,
        decimals: int | None,
        measure: str,
        aggregation: str,
        owner: str,
        *,
        frequency: str = "monthly",
        lag: int | None = None,
        due: str | None = None,
        target: float | None = None,
        rule: str | None = None,
        green: float | None = None,
        amber: float | None = None,
        methodology: str | None = None,
        tolerance: float | str | None = None,
        baseline: float | None = None,
        plan: float | None = None,
        chart: str | None = None,
    ) -> None:
        row = {
            "Ref": ref,
            "Title": title,
            "Section": section,
            "Polarity": polarity,
            "Unit": unit,
            "Decimals": decimals,
            "Measure": measure,
            "Frequency": frequency,
            "Aggregation": aggregation,
            "Lag": lag,
            "Due month": due,
            "Target": target,
            "RAG rule": rule,
            "Green threshold": green,
            "Amber threshold": amber,
            "RAG methodology": methodology,
            "Tolerance": tolerance,
            "Baseline": baseline,
            "Baseline period": INSPECTION if baseline is not None else None,
            "Plan target": plan,
            "Owner": owner,
            "Chart": chart,
            "DfE measure": DFE_MEASURES.get(ref),
        }
        rows.append([row[c] for c in INDICATOR_COLUMNS])

    # FRONT DOOR
    add(
        "FD 1",
        "Number of contacts received in the month",
        FRONT_DOOR,
        None,
        "number",
        0,
        "value",
        "flow",
        "IL",
        rule="none",
        chart="column",
    )
    add(
        "FD 3",
        "Percentage of completed contacts received in the month which were actioned within "
        "1 working day",
        FRONT_DOOR,
        "BIB",
        "%",
        0,
        "percentage",
        "flow",
        "IL",
        target=0.9,
        rule="bands",
        methodology="90% or above Green 85%-89% Amber 84% and below Red",
        baseline=0.71,
        plan=0.9,
    )
    add(
        "FD 8",
        "Percentage of re-referrals within 12 months",
        FRONT_DOOR,
        "SIB",
        "%",
        1,
        "percentage",
        "flow",
        "IL",
        target=0.22,
        rule="bands",
        green=0.22,
        amber=0.25,
        baseline=0.275,
        plan=0.2,
    )
    add(
        "FD 9",
        "Rate of referrals per 10,000 children (rolling 12 months)",
        FRONT_DOOR,
        None,
        "rate per 10,000",
        1,
        "rate per 10,000",
        "snapshot",
        "IL",
    )
    # ASSESSMENT
    add(
        "AMT 2",
        "Percentage of C&F assessments completed within 45 working days",
        ASSESSMENT,
        "BIB",
        "%",
        1,
        "percentage",
        "flow",
        "MK",
        target=0.9,
        rule="bands",
        methodology="90% or above Green 80%-89% Amber 79% and below Red",
        baseline=0.676,
        plan=0.9,
    )
    add(
        "AMT 4",
        "Percentage of children seen during assessment",
        ASSESSMENT,
        "BIB",
        "%",
        0,
        "percentage",
        "flow",
        "MK",
        target=0.95,
        rule="bands",
        green=0.95,
        amber=0.9,
    )
    add(
        "AMT 5",
        "Number of unallocated family assessments (open more than 7 days)",
        ASSESSMENT,
        "SIB",
        "number",
        0,
        "value",
        "snapshot",
        "MK",
        target=5,
        rule="bands",
        green=5,
        amber=15,
        chart="column",
    )
    # CHILD PROTECTION
    add(
        "CP 5",
        "Percentage of children for whom ICPC was held within 15 working days of the strategy "
        "discussion",
        CP,
        "BIB",
        "%",
        0,
        "percentage",
        "flow",
        "TS",
        target=0.8,
        rule="bands",
        methodology="80% or above Green 70%-79% Amber 69% and below Red",
        baseline=0.6,
        plan=0.85,
    )
    add(
        "CP 7",
        "Percentage of Child Protection Plans reviewed in timescales",
        CP,
        "BIB",
        "%",
        0,
        "percentage",
        "flow",
        "TS",
        target=0.95,
        rule="tolerance",
    )  # blank Tolerance: the Settings' default, within 10%
    add(
        "CP 10",
        "Percentage of current Child Protection Plans lasting 2 years or more",
        CP,
        "SIB",
        "%",
        1,
        "percentage",
        "snapshot",
        "TS",
        target=0.05,
        rule="tolerance",
    )
    add(
        "CP 11",
        "Percentage of children becoming subject to a Child Protection Plan for a second or "
        "subsequent time",
        CP,
        "SIB",
        "%",
        1,
        "percentage",
        "flow",
        "TS",
        frequency="quarterly",
        target=0.22,
        rule="bands",
        green=0.22,
        amber=0.26,
    )
    add(
        "CP 12",
        "Rate of children subject to a Child Protection Plan per 10,000 children",
        CP,
        "SIB",
        "rate per 10,000",
        1,
        "rate per 10,000",
        "snapshot",
        "TS",
        target=45,
        rule="tolerance",
        tolerance=0.1,
    )
    add(
        "CP 13",
        "Percentage of children subject to Child Protection Plan for whom a visit has taken place "
        "within last 4 weeks",
        CP,
        "BIB",
        "%",
        0,
        "percentage",
        "snapshot",
        "MK",
        target=0.95,
        rule="bands",
        green=0.95,
        amber=0.9,
        baseline=0.82,
        plan=0.98,
    )
    add(
        "LE 2",
        "Percentage of care proceedings concluded within 26 weeks of issue",
        CP,
        "BIB",
        "%",
        0,
        "percentage",
        "flow",
        "MK",
        target=0.7,
        rule="bands",
        methodology="70% or above Green 55%-69% Amber 54% and below Red",
    )
    add(
        "MC 1",
        "Number of missing episodes in the month",
        CP,
        None,
        "number",
        0,
        "value",
        "flow",
        "HD",
        chart="column",
    )
    add(
        "MC 6",
        "Percentage of missing episodes that result in a completed return home interview",
        CP,
        "BIB",
        "%",
        0,
        "percentage",
        "flow",
        "HD",
        target=0.6,
        rule="bands",
        methodology="60% or above Green 50%-59% Amber 49% and below Red",
    )
    # CHILDREN IN NEED
    add(
        "CIN 4",
        "Percentage of CIN for whom a visit has taken place within last 4 weeks",
        CIN,
        "BIB",
        "%",
        0,
        "percentage",
        "snapshot",
        "MK",
        target=0.9,
        rule="bands",
        green=0.9,
        amber=0.8,
        methodology="90% or above Green 80%-89% Amber 79% and below Red",
    )
    add(
        "CIN 5",
        "Percentage of CIN who had their review on time",
        CIN,
        "BIB",
        "%",
        0,
        "percentage",
        "flow",
        "MK",
        target=0.9,
        rule="tolerance",
        tolerance="5 pts",
    )
    # LOOKED AFTER CHILDREN
    add(
        "LAC 1",
        "Rate of children looked after per 10,000 children",
        LAC,
        "SIB",
        "rate per 10,000",
        1,
        "rate per 10,000",
        "snapshot",
        "WT",
        target=80,
        rule="bands",
        methodology="80 or below Green 80.1-88 Amber 88.1 and above Red",
        baseline=88.3,
        plan=80,
    )
    add(
        "LAC 4",
        "Percentage of LAC with 3 or more placements in the last 12 months",
        LAC,
        "SIB",
        "%",
        1,
        "percentage",
        "snapshot",
        "WT",
        target=0.1,
        rule="bands",
        green=0.1,
        amber=0.12,
    )
    add(
        "LAC 9",
        "Percentage of initial health assessments completed within 28 days of becoming looked "
        "after",
        LAC,
        "BIB",
        "%",
        0,
        "percentage",
        "flow",
        "WT",
        lag=1,
        target=0.9,
        rule="bands",
        methodology="90% or above Green 75%-89% Amber 74% and below Red",
    )
    add(
        "LAC 10",
        "Percentage of LAC for whom a visit has taken place within statutory timescales",
        LAC,
        "BIB",
        "%",
        0,
        "percentage",
        "snapshot",
        "WT",
        target=0.95,
        rule="bands",
        green=0.95,
        amber=0.9,
    )
    add(
        "LAC 11",
        "Percentage of LAC cases which were reviewed within required timescales",
        LAC,
        "BIB",
        "%",
        0,
        "percentage",
        "flow",
        "WT",
        target=0.95,
        rule="bands",
        methodology="95% or above Green 85%-94% Amber 84% and below Red",
    )
    add(
        "LAC 15",
        "Percentage of CLA placed no more than 20 miles away from home",
        LAC,
        "BIB",
        "%",
        0,
        "percentage",
        "snapshot",
        "WT",
        target=0.7,
        rule="tolerance",
        tolerance=0.1,
    )
    add(
        "LAC 20",
        "Percentage of LAC under 16 in care for more than 2.5 years: in the same placement for 2+ "
        "years",
        LAC,
        "BIB",
        "%",
        0,
        "percentage",
        "snapshot",
        "WT",
        frequency="annual",
        due="June",
        target=0.7,
        rule="bands",
        methodology="70% or above Green 65%-69% Amber 64% and below Red",
    )
    # FOSTERING AND ADOPTION
    add(
        "F 3",
        "Percentage of Annual Reviews of Foster Carers completed on time",
        FOSTERING,
        "BIB",
        "%",
        0,
        "percentage",
        "flow",
        "WT",
        target=0.95,
        rule="tolerance",
        tolerance=0.1,
    )
    add(
        "AD 7",
        "Average time between a child entering care and moving in with the adoptive family (days)",
        FOSTERING,
        "SIB",
        "days",
        0,
        "average",
        "flow",
        "HD",
        target=450,
        rule="tolerance",
        tolerance="30 days",
    )
    # CARE LEAVERS
    add(
        "CL a",
        "Care Leavers with an Up-to-date Pathway plan",
        CARE_LEAVERS,
        "BIB",
        "%",
        0,
        "percentage",
        "snapshot",
        "WT",
        target=0.95,
        rule="tolerance",
        tolerance=0.1,
        baseline=0.59,
        plan=0.95,
    )
    add(
        "CL 1a",
        "Percentage of care leavers aged 17 to 21 in employment, education, or training (EET)",
        CARE_LEAVERS,
        "BIB",
        "%",
        0,
        "percentage",
        "snapshot",
        "WT",
        frequency="annual",
        due="December",
        target=0.55,
        rule="bands",
        methodology="55% or above Green 50%-54% Amber 49% and below Red",
    )
    add(
        "CL 3a",
        "Percentage of care leavers aged 17 to 21 in suitable accommodation",
        CARE_LEAVERS,
        "BIB",
        "%",
        0,
        "percentage",
        "snapshot",
        "WT",
        target=0.85,
        rule="bands",
        methodology="85% or above Green 75%-84% Amber 74% and below Red",
    )
    # WORKFORCE
    add(
        "W 1",
        "Average Caseload per Social Worker",
        WORKFORCE,
        "SIB",
        "number",
        1,
        "average",
        "snapshot",
        "PS",
        target=18,
        rule="tolerance",
        tolerance="2 cases",
    )
    add(
        "W 2",
        "Social worker vacancy rate",
        WORKFORCE,
        "SIB",
        "%",
        0,
        "percentage",
        "snapshot",
        "PS",
        target=0.18,
        rule="bands",
        methodology="18% or below Green 19%-25% Amber 26% and above Red",
        baseline=0.31,
        plan=0.18,
    )
    add(
        "W 3",
        "Percentage of social workers who are agency staff",
        WORKFORCE,
        "SIB",
        "%",
        0,
        "percentage",
        "snapshot",
        "PS",
        target=0.15,
        rule="tolerance",
    )
    add(
        "W 4",
        "Percentage of social workers who have had supervision within timescale",
        WORKFORCE,
        "BIB",
        "%",
        0,
        "percentage",
        "flow",
        "PS",
        target=0.9,
        rule="bands",
        green=0.9,
        amber=0.8,
    )
    # QUALITY ASSURANCE
    add(
        "QA 2",
        "Number of case audits completed",
        QA,
        "BIB",
        "number",
        0,
        "value",
        "flow",
        "RB",
        target=30,
        rule="tolerance",
        tolerance=0.1,
        chart="column",
    )
    add(
        "QA 3",
        "Percentage of Cases Audited that are Good or Outstanding",
        QA,
        "BIB",
        "%",
        0,
        "percentage",
        "flow",
        "RB",
        frequency="quarterly",
        target=0.5,
        rule="bands",
        methodology="50% or above Green 40%-49% Amber 39% and below Red",
        baseline=0.22,
        plan=0.6,
    )
    return rows


def _data() -> list[list[object]]:
    book = _Book()
    idx = range(N_MONTHS)
    seasonal = {
        8: 0.86,
        12: 0.9,
        4: 0.97,
        9: 1.06,
        10: 1.05,
    }  # school holidays and term starts, by calendar month

    # --- Front door: contacts, referrals, re-referrals --------------------------------------------
    contacts = []
    for i in idx:
        level = 1230 + 6 * i
        contacts.append(round(level * seasonal.get(month_at(i).month, 1.0) + book.noise(35)))
    contacts[LAST] = 1391
    for i in idx:
        book.value("FD 1", i, contacts[i])
    # Contacts completed (a few are still open at month end), and the share actioned within
    # 1 working day: slipping to 71% around the inspection, recovering since.
    completed = [c - max(5, round(c * 0.02 + book.noise(4))) for c in contacts]
    fd3_rates = _path({0: 0.8, 9: 0.76, 12: 0.71, 17: 0.8, 23: 0.87})
    book.percentage("FD 3", fd3_rates, completed, 0.012, pinned={LAST: (1187, 1362)})
    # Referrals: 35 months (from Nov-22) so the rolling 12-month rate has a full year behind Oct-23.
    referrals = [
        max(150, round(228 * seasonal.get(month_at(i).month, 1.0) + book.noise(12)))
        for i in range(-11, N_MONTHS)
    ]
    referrals[-1] = 231
    monthly_refs = referrals[11:]
    fd8_rates = _path({0: 0.245, 12: 0.27, 17: 0.232, 23: 0.208})
    book.percentage("FD 8", fd8_rates, monthly_refs, 0.01, pinned={LAST: (48, 231)})
    for i in idx:
        book.ratio("FD 9", i, sum(referrals[i : i + 12]), population_at(i))

    # --- Assessment: by area; the authority row also counts the disabled children's team ----------
    assessments = [round(x) for x in _path({0: 232, 12: 262, 23: 240})]
    shares = {
        "North": 0.38,
        "Central": 0.33,
        "South": 0.23,
    }  # the other 6% are the disabled children's team's
    offsets = {"North": -0.03, "Central": 0.015, "South": 0.04, "DCSC": 0.0}
    amt2 = _path({0: 0.78, 6: 0.75, 12: 0.674, 17: 0.78, 23: 0.861})
    amt2_pinned = {"North": (76, 92), "Central": (70, 79), "South": (51, 56), "DCSC": (11, 14)}
    auth_n = [0] * N_MONTHS
    auth_d = [0] * N_MONTHS
    for team in (*AREAS, "DCSC"):
        share = shares.get(team, 0.06)
        dens = [max(5, round(a * share + book.noise(4))) for a in assessments]
        rates = [r + offsets[team] for r in amt2]
        if team == "DCSC":  # in no area: only in the authority's own figure
            nums = book.hits(rates, dens, 0.025)
            got = [amt2_pinned[team] if i == LAST else (nums[i], dens[i]) for i in idx]
        else:
            got = book.percentage(
                "AMT 2", rates, dens, 0.025, pinned={LAST: amt2_pinned[team]}, team=team
            )
        for i, (n, d) in enumerate(got):
            auth_n[i] += n
            auth_d[i] += d
    for i in idx:  # the authority's own figure, as the case management system reports it
        book.ratio("AMT 2", i, auth_n[i], auth_d[i])
    seen_rates = _path({0: 0.95, 12: 0.93, 23: 0.963})
    book.percentage("AMT 4", seen_rates, auth_d, 0.008, pinned={LAST: (232, 241)})
    unallocated = book.counts(_path({0: 22, 12: 38, 18: 20, 23: 12}), 2.5)
    unallocated[LAST] = 12
    for i in idx:
        book.value("AMT 5", i, unallocated[i])

    # --- Child protection -------------------------------------------------------------------------
    cp5 = _path({0: 0.66, 12: 0.52, 18: 0.64, 23: 0.74})
    cp5_dens = {"North": 10, "Central": 8, "South": 6}
    cp5_pinned = {"North": (9, 12), "Central": (7, 9), "South": (4, 6)}
    num: int | str  # a count, or "c" where it was suppressed
    for team in AREAS:
        dens = book.counts([cp5_dens[team]] * N_MONTHS, 2.0, floor=3)
        nums = book.hits(cp5, dens, 0.08)
        for i in idx:
            num, d = cp5_pinned[team] if i == LAST else (nums[i], dens[i])
            if (
                team == "South" and i == 20
            ):  # Jun-25: South held 4 ICPCs; the count in time was suppressed
                num, d = "c", 4
            book.ratio("CP 5", i, num, d, team)
    cp_plans = book.counts(_path({0: 265, 12: 290, 23: 231}), 4)
    cp_plans[LAST] = 231
    reviews = book.counts([72] * N_MONTHS, 7, floor=40)
    book.percentage(
        "CP 7", _path({0: 0.93, 12: 0.9, 23: 0.97}), reviews, 0.015, pinned={LAST: (68, 70)}
    )
    book.percentage(
        "CP 10", _path({0: 0.055, 12: 0.058, 23: 0.048}), cp_plans, 0.004, pinned={LAST: (11, 231)}
    )
    # CP 11 is quarterly: plans starting in the quarter that are a second or subsequent plan.
    quarters = [2, 5, 8, 11, 14, 17, 20, 23]  # Dec-23 ... Sep-25
    q_starts = [round(70 + book.noise(6)) for _ in quarters]
    q_rates = [0.27, 0.26, 0.28, 0.27, 0.29, 0.27, 0.25]
    for k, i in enumerate(quarters):
        n, d = (17, 70) if i == LAST else (round(q_starts[k] * q_rates[k]), q_starts[k])
        book.ratio("CP 11", i, n, d)
    for i in idx:
        book.ratio("CP 12", i, cp_plans[i], population_at(i))
    cp13 = _path({0: 0.86, 12: 0.83, 17: 0.9, 23: 0.955})
    cp13_shares = {"North": 0.4, "Central": 0.35, "South": 0.25}
    cp13_pinned = {"North": (88, 92), "Central": (78, 81), "South": (55, 58)}
    for team in AREAS:
        dens = [round(c * cp13_shares[team]) for c in cp_plans]
        book.percentage("CP 13", cp13, dens, 0.015, pinned={LAST: cp13_pinned[team]}, team=team)
    proceedings = book.counts([6] * N_MONTHS, 1.8, floor=3)
    book.percentage(
        "LE 2", _path({0: 0.55, 12: 0.5, 23: 0.68}), proceedings, 0.1, pinned={LAST: (2, 3)}
    )
    episodes = book.counts(
        [
            190 + 10 * ((month_at(i).month in (5, 6, 7)) - (month_at(i).month in (12, 1)))
            for i in idx
        ],
        14,
    )
    episodes[LAST] = 204
    for i in idx:
        book.value(
            "MC 1", i, "x" if i == 17 else episodes[i]
        )  # Mar-25: the police return was not received
    book.percentage(
        "MC 6",
        _path({0: 0.42, 12: 0.4, 18: 0.52, 23: 0.47}),
        episodes,
        0.03,
        pinned={LAST: (96, 204)},
        skip=(17,),
    )
    book.ratio("MC 6", 17, "x", "x")  # the same missing police return: no episodes to count from

    # --- Children in need, by area ----------------------------------------------------------------
    cin4 = _path({0: 0.74, 12: 0.65, 18: 0.74, 23: 0.78})
    cin4_dens = {"North": 330, "Central": 300, "South": 250}
    cin4_pinned = {"North": (252, 334), "Central": (236, 297), "South": (201, 248)}
    for team in AREAS:
        dens = book.counts([cin4_dens[team]] * N_MONTHS, 10)
        book.percentage("CIN 4", cin4, dens, 0.02, pinned={LAST: cin4_pinned[team]}, team=team)
    cin_reviews = book.counts([140] * N_MONTHS, 10)
    book.percentage(
        "CIN 5", _path({0: 0.82, 12: 0.71, 23: 0.86}), cin_reviews, 0.015, pinned={LAST: (121, 141)}
    )

    # --- Looked after children --------------------------------------------------------------------
    cla = book.counts(_path({0: 452, 12: 461, 17: 450, 23: 433}), 3)
    cla[12], cla[LAST] = 461, 433  # 461 at the inspection: 88.3 per 10,000, the baseline
    for i in idx:
        book.ratio("LAC 1", i, cla[i], population_at(i))
    book.percentage(
        "LAC 4", _path({0: 0.11, 12: 0.118, 23: 0.095}), cla, 0.005, pinned={LAST: (41, 433)}
    )
    iha_dens = book.counts([15] * N_MONTHS, 3, floor=8)
    book.percentage(
        "LAC 9",
        _path({0: 0.55, 12: 0.41, 22: 0.62}),
        iha_dens,
        0.06,
        pinned={AUG: (10, 16)},
        months=range(N_MONTHS - 1),
    )  # lag 1: health's September figures arrive in November
    book.percentage(
        "LAC 10", _path({0: 0.94, 12: 0.92, 23: 0.962}), cla, 0.008, pinned={LAST: (417, 433)}
    )
    lac_reviews = book.counts([78] * N_MONTHS, 7)
    book.percentage(
        "LAC 11",
        _path({0: 0.86, 12: 0.79, 23: 0.91}),
        lac_reviews,
        0.02,
        pinned={LAST: (71, 78)},
        skip=(16,),
    )  # Feb-25: no figure, the month the case management system was migrated
    book.percentage("LAC 15", _path({0: 0.66, 23: 0.61}), cla, 0.008, pinned={LAST: (264, 433)})
    for i, (n, d) in ((8, (80, 118)), (20, (88, 124))):  # annual, at 31 March, available each June
        book.ratio("LAC 20", i, n, d)

    # --- Fostering and adoption -------------------------------------------------------------------
    carers = book.counts([16] * N_MONTHS, 3, floor=10)
    book.percentage(
        "F 3", _path({0: 0.78, 12: 0.74, 23: 0.9}), carers, 0.05, pinned={LAST: (18, 20)}
    )
    for i in idx:
        children = 3 if i == LAST else max(1, round(2.5 + book.noise(1)))
        days = 1296 if i == LAST else round(children * (520 - 3 * i + book.noise(40)))
        book.ratio("AD 7", i, days, children)

    # --- Care leavers -----------------------------------------------------------------------------
    leavers = book.counts(_path({0: 248, 23: 271}), 3)
    book.percentage(
        "CL a",
        _path({0: 0.66, 12: 0.61, 18: 0.69, 23: 0.74}),
        leavers,
        0.012,
        pinned={LAST: (200, 271)},
    )
    book.ratio("CL 1a", 2, 138, 265)  # annual: the DfE figure for 2022-23, published December 2023
    book.ratio(
        "CL 1a", 14, 151, 274
    )  # 2023-24, published December 2024; 2024-25 is due December 2025
    book.percentage("CL 3a", _path({0: 0.86, 23: 0.88}), leavers, 0.012, pinned={LAST: (238, 271)})

    # --- Workforce --------------------------------------------------------------------------------
    caseload_cases = {
        "North": _path({0: 640, 12: 700, 23: 598}),
        "Central": _path({0: 520, 12: 560, 23: 504}),
        "South": _path({0: 430, 12: 470, 23: 419}),
    }
    caseload_fte = {"North": 29.0, "Central": 27.0, "South": 23.5}
    caseload_pinned = {"North": (598, 31.5), "Central": (504, 28.0), "South": (419, 24.5)}
    for team in AREAS:
        for i in idx:
            if i == LAST:
                cases, fte = caseload_pinned[team]
            else:
                cases = round(caseload_cases[team][i] + book.noise(12))
                fte = (
                    caseload_fte[team]
                    + round(book.rng.choice((-1.5, -1.0, -0.5, 0.0, 0.0, 0.5, 1.0, 2.0)) * 2) / 2
                )
            book.ratio("W 1", i, cases, fte, team)
    establishment = 112.0
    vacancy = _path({0: 0.27, 12: 0.31, 18: 0.25, 23: 0.226})
    for i in idx:
        vacant = (
            25.3 if i == LAST else round(establishment * (vacancy[i] + book.noise(0.004)) * 2) / 2
        )
        book.ratio("W 2", i, vacant, establishment)
    agency = _path({0: 0.2, 12: 0.26, 23: 0.21})
    for i in idx:
        staff = round(
            establishment * (1 - vacancy[i]) + 9, 1
        )  # in post, plus agency workers covering vacancies
        on_agency = 20.0 if i == LAST else round(staff * (agency[i] + book.noise(0.006)) * 2) / 2
        book.ratio("W 3", i, on_agency, staff)
    workers = book.counts([104] * N_MONTHS, 3)
    book.percentage(
        "W 4",
        _path({0: 0.84, 12: 0.76, 23: 0.84}),
        workers,
        0.02,
        pinned={AUG: (87, 105)},
        months=range(N_MONTHS - 1),
    )  # the manual returns for September are not all in yet

    # --- Quality assurance ------------------------------------------------------------------------
    audits = book.counts(_path({0: 28, 12: 24, 23: 31}), 3, floor=15)
    audits[LAST] = 31
    for i in idx:
        book.value("QA 2", i, audits[i])
    qa3 = [
        0.31,
        0.29,
        0.3,
        0.26,
        0.22,
        0.27,
        0.34,
        0.42,
    ]  # audits graded in the quarter: good or outstanding
    for k, i in enumerate(quarters):
        graded = sum(audits[i - 2 : i + 1])
        book.ratio("QA 3", i, round(graded * qa3[k]), graded)
    header: list[list[object]] = [list(DATA_COLUMNS)]
    return header + book.rows


def _settings() -> list[list[object]]:
    return [
        ["Setting", "Value"],
        ["Organisation", ORGANISATION],
        ["Local authority", LOCAL_AUTHORITY],
        ["Reporting period", REPORTING],
        ["Data as at", dt.datetime(2025, 10, 7)],
        ["Year start month", "April"],
        ["Plan target label", "Mar-26 Target"],
        ["Plan target period", PLAN_PERIOD],
        ["Baseline label", "Ofsted baseline"],
        ["Default amber tolerance", 0.1],
        ["Months shown", 12],
        ["Forecast points", 6],
    ]


def _targets() -> list[list[object]]:
    """Milestones on the way to the Mar-26 plan targets, and each area's own caseload target."""
    d = dt.datetime
    return [
        ["Ref", "Period", "Target", "Team"],
        ["FD 8", d(2025, 12, 1), 0.21, None],
        ["FD 8", d(2026, 3, 1), 0.2, None],
        ["AMT 2", d(2025, 6, 1), 0.85, None],
        ["AMT 2", d(2025, 12, 1), 0.88, None],
        ["AMT 2", d(2026, 3, 1), 0.9, None],
        ["CP 13", d(2025, 12, 1), 0.96, None],
        ["CP 13", d(2026, 3, 1), 0.98, None],
        ["CL a", d(2025, 7, 1), 0.85, None],
        ["CL a", d(2025, 12, 1), 0.9, None],
        ["CL a", d(2026, 3, 1), 0.95, None],
        ["W 2", d(2025, 12, 1), 0.22, None],
        ["W 2", d(2026, 3, 1), 0.18, None],
        # Caseload targets differ by area, as seed 000's do by team: North hosts the assessment
        # service (25), Central the children in need teams (17), South the children in care
        # teams (20).
        ["W 1", d(2025, 4, 1), 25, "North"],
        ["W 1", d(2025, 4, 1), 17, "Central"],
        ["W 1", d(2025, 4, 1), 20, "South"],
    ]


def _benchmarks() -> list[list[object]]:
    """England and region (West Midlands) from DfE publications, typed as an officer types them
    (Source blank): they win over the rows ``kpi-dashboard benchmarks`` writes for the same
    comparator and year. The statistical neighbours (Walsall's), earlier years, ranks and bands
    are the command's (the committed demo workbook has them).

    Sources (Open Government Licence v3.0), as held in the DfE dashboard repositories that
    shared/data/PROVENANCE.md names:
    - Characteristics of children in need, 2024-25 (year to 31 March 2025): table C1
      re-referrals within 12 months (England 22.6%, West Midlands 19.5%); table C4 ICPCs within 15
      working days = (0-10 + 11-15 days) / ICPCs: England (6,240 + 52,430) / 72,100 = 81.4%,
      West Midlands (590 + 5,920) / 7,740 = 84.1%; table D3 second or subsequent CP plans
      (England 24.5%, West Midlands 26.7%). 2023-24: C1 re-referrals England 22.4%, WM 20.7%.
    - LAIT (local authority interactive tool), 2024-25: referrals per 10,000 (England 519.4, WM
      464.2); assessments completed within 45 working days (85.7%, 82.4%); CP cases reviewed
      within timescales (90.6%, 84.3%); CP plans per 10,000 at 31 March (40.6, 40.3); CP plans
      ceasing in the year that lasted 2 years or more (4.4%, 4.2%).
    - Children looked after in England including adoptions, 2024-25: CLA per 10,000 at 31 March
      (England 67, WM 86; 2023-24: 69, 89); placement stability: 3 or more placements in the year
      (10%, 10%), under 16s looked after 2.5+ years with the same carer for 2+ years (69%, 69%);
      care leavers aged 17 to 21 in education, employment or training = 17-18 plus 19-21 EET over
      all care leavers of those ages: England (9,430 + 20,760) / (14,800 + 38,440) = 56.7%,
      WM (1,120 + 2,340) / (1,720 + 4,340) = 57.1%.
    - Children's social work workforce, reporting year 2024 (at 30 September 2024, published
      February 2025): caseload per case-holding FTE (England 15.4, WM 16.2), vacancy rate
      (17.3%, 18.2%), agency worker rate (16.2%, 13.9%).
    """
    region, england = "West Midlands", "England"
    y = "2024-25"
    rows: list[list[object]] = [["Ref", "Comparator", "Year", "Value", "Source"]]
    for ref, comparator, year, value in [
        ("FD 8", region, "2023-24", 0.207),
        ("FD 8", england, "2023-24", 0.224),
        ("FD 8", region, y, 0.195),
        ("FD 8", england, y, 0.226),
        ("FD 9", region, y, 464.2),
        ("FD 9", england, y, 519.4),
        ("AMT 2", region, y, 0.824),
        ("AMT 2", england, y, 0.857),
        ("CP 5", region, y, 0.841),
        ("CP 5", england, y, 0.814),
        ("CP 7", region, y, 0.843),
        ("CP 7", england, y, 0.906),
        ("CP 10", region, y, 0.042),
        ("CP 10", england, y, 0.044),
        ("CP 11", region, y, 0.267),
        ("CP 11", england, y, 0.245),
        ("CP 12", region, y, 40.3),
        ("CP 12", england, y, 40.6),
        ("LAC 1", region, "2023-24", 89),
        ("LAC 1", england, "2023-24", 69),
        ("LAC 1", region, y, 86),
        ("LAC 1", england, y, 67),
        ("LAC 4", region, y, 0.1),
        ("LAC 4", england, y, 0.1),
        ("LAC 20", region, y, 0.69),
        ("LAC 20", england, y, 0.69),
        ("CL 1a", region, y, 0.571),
        ("CL 1a", england, y, 0.567),
        ("W 1", region, "2024", 16.2),
        ("W 1", england, "2024", 15.4),
        ("W 2", region, "2024", 0.182),
        ("W 2", england, "2024", 0.173),
        ("W 3", region, "2024", 0.139),
        ("W 3", england, "2024", 0.162),
    ]:
        rows.append([ref, comparator, year, value, None])
    return rows


_SEP, _AUG = dt.datetime(2025, 9, 1), dt.datetime(2025, 8, 1)

# (ref, period, comment, improvement activity, next steps), in the officers' own voice.
_COMMENTARY: list[tuple[str, dt.datetime, str | None, str | None, str | None]] = [
    (
        "FD 3",
        _AUG,
        "August is traditionally quieter, and 85% of contacts were actioned within 1 working day.",
        "Daily MASH huddle to review contacts awaiting a decision.",
        None,
    ),
    (
        "FD 3",
        _SEP,
        (
            "Volumes of contacts rose sharply in September (1,391, from 1,121 in August) with the "
            "return to school, resulting in a slight reduction in 1 working day completion. The "
            "change of percentage reflects contacts where additional information was needed from "
            "partners before a decision could be taken."
        ),
        (
            "Two additional Contact Officers joined the MASH in August. Education contacts are now "
            "screened by the Education Safeguarding Lead before they reach the MASH."
        ),
        (
            "Head of Service to review MASH capacity at the October performance clinic; "
            "trajectory to 90% by March."
        ),
    ),
    (
        "FD 8",
        _SEP,
        (
            "Re-referrals within 12 months are stable and now below our statistical neighbours and "
            "England."
        ),
        (
            "Re-referrals have been added to the audit programme and step-down to Early Help is "
            "checked at closure."
        ),
        None,
    ),
    (
        "AMT 2",
        _SEP,
        (
            "Timeliness of assessments continues to improve (86.3%, from 67.6% at the inspection) "
            "and is on course for the March target. North remains the area of greatest delay."
        ),
        (
            "Assessment teams in North have had a fifth team manager since June; overdue "
            "assessments are tracked weekly at the performance clinic."
        ),
        "Disabled children's team assessments to be brought into the weekly tracker from October.",
    ),
    (
        "AMT 5",
        _SEP,
        (
            "12 family assessments were unallocated for more than 7 days at the end of September, "
            "down from 35 at the inspection. All unallocated cases have been screened and are "
            "child in need, not child protection, cases."
        ),
        "Unallocated work is reviewed daily by the Service Manager.",
        "Aim to have no unallocated cases open more than 7 days by December.",
    ),
    (
        "CP 5",
        _SEP,
        (
            "There has been a further increase in ICPCs held within 15 working days (74%), but the "
            "figure remains below target. South's June figure was suppressed in the area breakdown "
            "because fewer than five conferences were held."
        ),
        (
            "A third CP Chair started in July. Analysis of delayed ICPCs points to notice periods "
            "requested by some agencies."
        ),
        (
            "Conference chair manager to agree shorter notice arrangements with health and police "
            "by November."
        ),
    ),
    (
        "CP 11",
        _SEP,
        (
            "24.3% of plans starting in the quarter were second or subsequent plans, in line with "
            "England (24.5%)."
        ),
        "All repeat plans within two years are reviewed by the conference chair manager.",
        "Thematic audit of repeat plans scheduled for the November audit cycle.",
    ),
    (
        "LE 2",
        _SEP,
        (
            "Only three sets of care proceedings concluded in September, two of them within 26 "
            "weeks; the third ran to 31 weeks because a kinship carer was put forward late in "
            "proceedings. The six-month figure is a more reliable measure."
        ),
        None,
        "Performance continues to be monitored in monthly Legal Proceedings meetings.",
    ),
    ("CIN 4", _AUG, "CIN visits within 4 weeks improved to 77% in August.", None, None),
    (
        "CIN 4",
        _SEP,
        (
            "Visits to children on CIN plans remain below target (78%). Central and South are "
            "close to 80%; North is lowest, reflecting the rising numbers of cases subject to "
            "child protection plans and court work that staff are prioritising."
        ),
        (
            "CIN visits are an area of priority focus in weekly performance clinics, with a named "
            "manager for each child not seen."
        ),
        (
            "Reports are monitored by the Service Director twice a week, with an expectation of a "
            "narrative as to why a child has not been seen."
        ),
    ),
    (
        "CIN 5",
        _SEP,
        "CIN reviews on time improved to 86% but remain below the 90% target.",
        "CIN reviews are now included in the weekly performance clinics held with the service.",
        "Additional independent reviewing capacity to be in place from November.",
    ),
    (
        "LAC 1",
        _SEP,
        (
            "The number of children in care is gradually reducing as intended in our improvement "
            "plan (433, 82.6 per 10,000, from 461 at the inspection). This is a combination of "
            "more children returning home safely, more special guardianship orders and more "
            "challenge at resource panel."
        ),
        "Edge of care team fully staffed since May.",
        "On trajectory to reach 80 per 10,000 by March.",
    ),
    (
        "LAC 4",
        _SEP,
        (
            "Placement stability remains strong: 9.5% of children in care have had 3 or more "
            "placements in the last 12 months, in line with England."
        ),
        None,
        None,
    ),
    (
        "LAC 9",
        _SEP,
        (
            "August: 10 of 16 initial health assessments were completed within 28 days. Delays are "
            "mainly in consent forms reaching health within 5 working days of the child becoming "
            "looked after."
        ),
        (
            "Additional business support capacity is in place for initial health assessment "
            "notifications and this is monitored weekly with the designated nurse."
        ),
        "Joint review with the ICB of every late assessment from September.",
    ),
    (
        "LAC 11",
        _SEP,
        (
            "91% of reviews were held in timescale. Noting that the figures refer to reviews "
            "recorded as complete: no figure is available for February, when the case management "
            "system was migrated."
        ),
        "Authorisation levels for re-scheduling reviews have been re-set with the Head of Service.",
        None,
    ),
    (
        "LAC 15",
        _SEP,
        (
            "61% of children in care are placed within 20 miles of home. Sufficiency of local "
            "foster placements remains the main pressure, particularly for adolescents."
        ),
        (
            "The fostering recruitment campaign has approved six new households this year; two "
            "more residential beds open in the borough in January."
        ),
        "Sufficiency strategy refresh to Corporate Parenting Panel in November.",
    ),
    (
        "F 3",
        _SEP,
        "18 of 20 foster carer annual reviews were completed on time in September.",
        "A new review form was devised with staff consultation and is proving popular with carers.",
        None,
    ),
    (
        "AD 7",
        _SEP,
        (
            "Family finding and matching remain a strength: the three children placed in September "
            "moved in with their adoptive families an average of 432 days after entering care."
        ),
        None,
        None,
    ),
    (
        "CL a",
        _SEP,
        "74% of care leavers have an up-to-date pathway plan, short of the 85% milestone.",
        (
            "The Leaving Care Team have a plan of action with individual staff members and "
            "individual young people's cases, so that more pathway plans are reviewed inside 6 "
            "months. The Service Leader reports progress weekly to the Head of Service."
        ),
        (
            "Two additional personal advisers start in October; plans overdue by more than 3 "
            "months to be cleared by December."
        ),
    ),
    (
        "W 1",
        _SEP,
        (
            "Average caseloads have reduced to 18.1 from 22.5 at the inspection. Central (18.0) "
            "remains above its target of 17, with the increase in children in need work."
        ),
        "Twelve recruits ready to start between September and November (8 permanent, 4 agency).",
        "Caseloads are reviewed team by team at the monthly workforce board.",
    ),
    (
        "W 2",
        _SEP,
        (
            "The vacancy rate has fallen to 23% (25.3 FTE of 112), but is not yet reducing quickly "
            "enough to reach 18% by March."
        ),
        (
            "Recruitment campaign with the regional memorandum of understanding on agency rates; "
            "ASYE cohort of 9 joined in September."
        ),
        None,
    ),
    (
        "W 3",
        _SEP,
        (
            "21% of social workers are agency staff, well above the 15% target. Agency workers are "
            "covering vacant posts while permanent recruits complete induction."
        ),
        (
            "Agency workers are released in a planned way as permanent staff start, based on a "
            "risk review of each caseload."
        ),
        "Progress reported monthly to the workforce board.",
    ),
    (
        "W 4",
        _SEP,
        (
            "September's supervision returns are not all in yet, so August's figure (83%) is "
            "shown. Supervision requires manual recording."
        ),
        "Practice Improvement Manager monitors supervision weekly.",
        "Supervision recording moves to the case management system in November.",
    ),
    (
        "QA 3",
        _SEP,
        (
            "42% of cases audited in the quarter were graded good or outstanding, up from 22% at "
            "the inspection, but the majority remain at requires improvement."
        ),
        (
            "Management footprint on cases is a priority, with moderation of every audit by a "
            "second manager."
        ),
        "Audit grading outcomes to be reported to the board each quarter.",
    ),
]


def _commentary() -> list[list[object]]:
    rows: list[list[object]] = [["Ref", "Period", "Comment", "Improvement activity", "Next steps"]]
    rows.extend(list(entry) for entry in _COMMENTARY)
    return rows


# Paragraphs on lines of their own, as an officer types them in one cell (Alt+Enter).
_DIRECTORS_SUMMARY = (
    "September saw the expected rise in contacts with the return to school (1,391, from 1,121 in "
    "August), resulting in a slight reduction in 1 working day completion. Re-referral rates are "
    "stable and below our statistical neighbours and England.\n"
    "Timeliness of assessments continues to improve (86%, from 68% at the inspection) and is on "
    "course for the March target. Unallocated family assessments have fallen to 12, from 35 at "
    "the inspection.\n"
    "There has been a further increase in ICPCs held within 15 working days (74%), which has moved "
    "this indicator from red to amber, but it remains a cause for concern. Completion of return "
    "home interviews (47%) is our weakest area and the new missing team's processes are being "
    "strengthened.\n"
    "Visits to children in need remain below target (78%) as staff prioritise child protection "
    "and court work. The number of children in care continues to reduce as planned (82.6 per "
    "10,000), and placement stability remains strong; initial health assessments and placements "
    "close to home need to improve.\n"
    "Average caseloads have reduced to 18.1, from 22.5 at the inspection, but the vacancy rate "
    "(23%) and agency rate (21%) are not yet reducing quickly enough to meet our March targets."
)

# (section, period, commentary, improvement activity, next steps), for the board's pages.
_NARRATIVE: list[tuple[str, dt.datetime, str | None, str | None, str | None]] = [
    ("Director's summary", _SEP, _DIRECTORS_SUMMARY, None, None),
    (
        FRONT_DOOR,
        _AUG,
        "Contacts fell over the summer, as they do every year.",
        None,
        None,
    ),
    (
        FRONT_DOOR,
        _SEP,
        (
            "Volumes of contacts and referrals increased in September with the return to school. "
            "All contacts are actioned; the change of percentage reflects those where additional "
            "information was needed from partners before a decision could be taken."
        ),
        (
            "Two additional Contact Officers joined the MASH in August, and education contacts "
            "are now screened by the Education Safeguarding Lead."
        ),
        "Head of Service to review MASH capacity at the October performance clinic.",
    ),
    (
        ASSESSMENT,
        _SEP,
        (
            "Demand on the Assessment Service remains high, but completion within 45 working days "
            "has improved for six months running. North remains the area of greatest delay."
        ),
        (
            "A fifth team manager has been in post in North since June; overdue assessments are "
            "tracked weekly at the performance clinic."
        ),
        (
            "Disabled children's team assessments to be brought into the weekly tracker from "
            "October."
        ),
    ),
    (
        CP,
        _SEP,
        (
            "ICPC timeliness continues to improve but remains below target. Return home interview "
            "completion is low: the missing team is now fully staffed, but we are yet to see the "
            "full benefit in completion rates."
        ),
        (
            "A third CP Chair started in July. The missing hub chases every outstanding interview "
            "with the allocated social worker and is cleaning the data to address recording "
            "issues."
        ),
        (
            "Conference chair manager to agree shorter notice arrangements with health and police "
            "by November; two further return interviewers to be recruited."
        ),
    ),
    (
        LAC,
        _SEP,
        (
            "Visiting patterns for looked after children remain healthy and the number in care is "
            "reducing as planned. Initial health assessments and placements within 20 miles of "
            "home continue to require improvement."
        ),
        (
            "Additional business support is in place for initial health assessment "
            "notifications; the fostering recruitment campaign has approved six new households "
            "this year."
        ),
        "Sufficiency strategy refresh to Corporate Parenting Panel in November.",
    ),
    (
        WORKFORCE,
        _SEP,
        (
            "Caseloads continue to reduce with the additional staffing, but recruitment to "
            "permanent posts is slower than planned and agency staff cover the gap."
        ),
        "Twelve recruits start between September and November (8 permanent, 4 agency).",
        "Agency workers to be released in a planned way as permanent staff complete induction.",
    ),
]


def _narrative() -> list[list[object]]:
    rows: list[list[object]] = [
        ["Section", "Period", "Commentary", "Improvement activity", "Next steps"]
    ]
    rows.extend(list(entry) for entry in _NARRATIVE)
    return rows


# (action ref, indicator ref, action, owner, due, status): the board's action log. Jul-02 (due
# August, still in progress) is overdue for September; Aug-01 is done.
_ACTIONS: list[tuple[str, str | None, str, str, dt.datetime | None, str]] = [
    (
        "Jul-01",
        "FD 3",
        "Two additional Contact Officers to join the MASH to absorb the return-to-school rise.",
        "IL",
        dt.datetime(2025, 8, 31),
        "Done",
    ),
    (
        "Jul-02",
        "CP 5",
        (
            "Analysis of delayed ICPCs to identify and address the causes of delay, including "
            "agencies' notice periods."
        ),
        "TS",
        dt.datetime(2025, 8, 29),
        "In progress",
    ),
    (
        "Aug-01",
        "AMT 2",
        "Late assessments in North to be tracked weekly at the performance clinic.",
        "MK",
        dt.datetime(2025, 9, 30),
        "Done",
    ),
    (
        "Aug-02",
        "MC 6",
        "Recruit two return home interviewers for the missing team.",
        "HD",
        dt.datetime(2025, 11, 30),
        "In progress",
    ),
    (
        "Aug-03",
        "W 2",
        "Business case for a recruitment and retention payment to Cabinet.",
        "PS",
        dt.datetime(2025, 10, 31),
        "Open",
    ),
    (
        "Sep-01",
        "CIN 4",
        (
            "Management scrutiny of CIN visiting: the Service Director to review reports twice a "
            "week, with a narrative for every child not seen."
        ),
        "MK",
        None,
        "In progress",
    ),
    (
        "Sep-02",
        "LAC 9",
        "Joint review with the ICB of every late initial health assessment.",
        "WT",
        dt.datetime(2025, 12, 31),
        "Open",
    ),
    (
        "Sep-03",
        None,
        (
            "Practice week for the board: senior leaders to observe front-line practice across "
            "all services."
        ),
        "RB",
        dt.datetime(2025, 11, 14),
        "Open",
    ),
]


def _actions() -> list[list[object]]:
    rows: list[list[object]] = [["Action ref", "Indicator ref", "Action", "Owner", "Due", "Status"]]
    rows.extend(list(entry) for entry in _ACTIONS)
    return rows


def demo_sheets() -> dict[str, list[list[object]]]:
    """The demo workbook's input sheets (sheet name -> rows, header row first), always the same."""
    return {
        "Settings": _settings(),
        "Indicators": _indicators(),
        "Data": _data(),
        "Targets": _targets(),
        "Benchmarks": _benchmarks(),
        "Commentary": _commentary(),
        "Narrative": _narrative(),
        "Actions": _actions(),
    }


DEMO_FILE = Path(__file__).with_name("demo_dashboard.xlsx")


def build_demo() -> Workbook:
    """The template with the demo authority's input sheets filled in, output sheets not yet
    refreshed."""
    from workbook_templates.build import build_template, write_inputs

    book = build_template()
    write_inputs(book, demo_sheets())
    return book


def save_demo(path: str | Path = DEMO_FILE) -> None:
    """Write the demo workbook (atomically); ``python -m workbook_templates.demo`` regenerates the
    committed copy."""
    from workbook_templates.build import save_atomically

    save_atomically(build_demo(), path)


if __name__ == "__main__":
    save_demo(sys.argv[1] if len(sys.argv) > 1 else DEMO_FILE)
