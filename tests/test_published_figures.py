"""The engine reproduces DfE's published figures from their counts, for every authority and year.

DfE rounds as Excel displays (half away from zero), which the engine matches; Python's ``round``
gets at least one of these wrong.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

from builders import REFRESHED, evaluate, workbook

from kpi_engine.rounding import format_number

DATA = Path(__file__).parent / "data"


def _rows(name):
    with open(DATA / name, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _by_year(rows):
    years = defaultdict(list)
    for r in rows:
        years[r["year"]].append(r)
    return years


def test_re_referral_percentages_match_dfe_for_every_authority_and_year():
    rows = _rows("dfe_rereferrals_by_la.csv")
    assert len(rows) > 1900
    mismatches, python_round_wrong = [], 0
    for year, group in _by_year(rows).items():
        # One indicator per year, each authority a team, the figure for March of the year.
        points = [
            ("RR", f"{year}-03", int(r["rereferrals"]), int(r["referrals"]), None, r["la_name"])
            for r in group
        ]
        report = evaluate(
            workbook(
                f"{year}-03",
                [
                    {
                        "Ref": "RR",
                        "Title": "Re-referrals",
                        "Polarity": "SIB",
                        "Unit": "%",
                        "Measure": "percentage",
                        "Decimals": 1,
                    }
                ],
                points,
            ),
            refreshed=REFRESHED,
        )
        teams = {t.team: t for t in report.indicator("RR").teams}
        for r in group:
            shown = format_number(teams[r["la_name"]].outturn, 1, percent=True)
            if shown != f"{float(r['published_percent']):.1f}%":
                mismatches.append((year, r["la_name"], shown, r["published_percent"]))
            python_round_wrong += round(
                int(r["rereferrals"]) / int(r["referrals"]) * 100, 1
            ) != float(r["published_percent"])
    assert mismatches == []
    assert python_round_wrong >= 1  # why the engine does not use round()


def test_looked_after_rates_per_10000_match_dfe_for_every_authority_and_year():
    rows = _rows("dfe_cla_rate_by_la.csv")
    assert len(rows) > 700
    mismatches = []
    for year, group in _by_year(rows).items():
        points = [
            ("CLA", f"{year}-03", int(r["children"]), float(r["population"]), None, r["la_name"])
            for r in group
        ]
        report = evaluate(
            workbook(
                f"{year}-03",
                [
                    {
                        "Ref": "CLA",
                        "Title": "Children looked after per 10,000",
                        "Unit": "rate per 10,000",
                        "Measure": "rate per 10,000",
                        "Decimals": 0,
                        "Aggregation": "snapshot",
                    }
                ],
                points,
            ),
            refreshed=REFRESHED,
        )
        teams = {t.team: t for t in report.indicator("CLA").teams}
        for r in group:
            shown = format_number(teams[r["la_name"]].outturn, 0)
            if shown != format_number(float(r["published_rate"]), 0):
                mismatches.append((year, r["la_name"], shown, r["published_rate"]))
    assert mismatches == []
