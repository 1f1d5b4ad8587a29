"""Outturns: one figure per indicator, month and team, by the indicator's Measure.

Team rows are aggregated by summing numerators and denominators, never by averaging
percentages. An authority row (blank Team) wins over the sum of its teams, which may leave some
cases out. When a team's figure is missing, the authority total is missing too, with the reason:
summing the rest would understate it. A team with no row for a month it had rows for in other
months counts as missing ("No data (North)").
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from .missing import INVALID, NO_DATA
from .model import DataRow, Indicator
from .periods import Month

RATE_SCALE = 10_000.0


@dataclass(frozen=True, slots=True)
class Figure:
    """A month's figure: its outturn and the counts behind it, or why there is none."""

    period: Month
    value: float | None
    numerator: float | None = None
    denominator: float | None = None
    missing: str | None = None

    @property
    def has_ratio(self) -> bool:
        return self.numerator is not None and self.denominator is not None


def outturn_of(indicator: Indicator, numerator: float, denominator: float) -> float:
    """Numerator over denominator by Measure (x 10,000 for a rate)."""
    ratio = numerator / denominator
    return ratio * RATE_SCALE if indicator.measure == "rate per 10,000" else ratio


def figure_of(indicator: Indicator, point: DataRow) -> Figure:
    if (
        point.numerator is not None
        and point.denominator is not None
        and indicator.measure != "value"
    ):
        value = outturn_of(indicator, point.numerator, point.denominator)
        if not math.isfinite(value):
            return Figure(point.period, None, missing=INVALID)
        return Figure(point.period, value, point.numerator, point.denominator)
    if point.value is not None:
        return Figure(point.period, point.value)
    return Figure(point.period, None, missing=point.missing or NO_DATA)


def sum_teams(indicator: Indicator, period: Month, teams: dict[str, Figure]) -> Figure:
    """The authority's figure from its teams' counts."""
    for team, f in sorted(teams.items()):
        if f.value is None:
            return Figure(period, None, missing=f"{f.missing} ({team})")
    if indicator.measure == "value":
        return Figure(period, sum(f.value for f in teams.values() if f.value is not None))
    if not all(f.has_ratio for f in teams.values()):
        return Figure(period, None, missing="Teams give no numerators")
    n = sum(f.numerator for f in teams.values() if f.numerator is not None)
    d = sum(f.denominator for f in teams.values() if f.denominator is not None)
    if d == 0:
        return Figure(period, None, missing="No cases")
    return Figure(period, outturn_of(indicator, n, d), n, d)


@dataclass
class Series:
    """An indicator's monthly figures for the authority, and by team."""

    authority: dict[Month, Figure]
    teams: dict[str, dict[Month, Figure]]

    def value(self, period: Month) -> float | None:
        f = self.authority.get(period)
        return f.value if f is not None else None


def build_series(indicator: Indicator, points: Iterable[DataRow]) -> Series:
    own: dict[Month, Figure] = {}
    by_team: dict[str, dict[Month, Figure]] = defaultdict(dict)
    for p in points:
        f = figure_of(indicator, p)
        if p.team is None:
            own[p.period] = f
        else:
            by_team[p.team][p.period] = f
    authority: dict[Month, Figure] = {}
    team_months: dict[Month, dict[str, Figure]] = defaultdict(dict)
    for team, months in by_team.items():
        for m, f in months.items():
            team_months[m][team] = f
    for m in set(own) | set(team_months):
        mine = own.get(m)
        if mine is not None:
            authority[m] = (
                mine  # an authority row wins, even when it is missing (it keeps its reason)
            )
            continue
        teams = team_months[m]
        for team in by_team:
            teams.setdefault(team, Figure(m, None, missing=NO_DATA))
        authority[m] = sum_teams(indicator, m, teams)
    return Series(authority, dict(by_team))
