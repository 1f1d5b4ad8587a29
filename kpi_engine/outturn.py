"""Outturns: one figure per indicator, month and team, by the indicator's Measure.

Team rows are aggregated by summing numerators and denominators, never by averaging
percentages. An authority row (blank Team) wins over the sum of its teams, which may leave some
cases out. When a team's figure is missing, the authority total is missing too, with the reason:
summing the rest would understate it.

Team lifecycle: the total is over the teams that existed that month. A team exists from its first
row on the Data sheet (any indicator's: a team with no row before its first row did not exist
then), or from the Team list's From; and until the Team list's To, else for good. A team that
stops sending rows may have closed or be late, which the data cannot tell: without a To, a month
it has no row for while it exists counts as missing ("No data (North)"). Rows outside a team's
Team list dates are shown for the team but left out of the total (kpi_engine.inputs warns).
"""

from __future__ import annotations

import itertools
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from .missing import INVALID, NO_DATA
from .model import DataRow, Indicator, TeamDates
from .periods import Month, label

RATE_SCALE = 10_000.0


@dataclass(frozen=True, slots=True)
class Figure:
    """A month's figure: its outturn and the counts behind it, or why there is none."""

    period: Month
    value: float | None
    numerator: float | None = None
    denominator: float | None = None
    missing: str | None = None
    # The teams the authority's figure is summed over (those that existed that month); None for an
    # authority row or a team's own figure.
    counted: frozenset[str] | None = None

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
    """The authority's figure from its teams' counts. A missing team's figure makes it missing,
    named with the first such team's reason ("Suppressed (c) (B)") and every other missing team,
    so a board sees all that hold the total back."""
    counted = frozenset(teams)
    missing = [team for team, f in sorted(teams.items()) if f.value is None]
    if missing:
        first = missing[0]
        others = f"; also missing: {'; '.join(missing[1:])}" if missing[1:] else ""
        reason = f"{teams[first].missing} ({first}{others})"
        return Figure(period, None, missing=reason, counted=counted)
    if indicator.measure == "value":
        total = sum(f.value for f in teams.values() if f.value is not None)
        return Figure(period, total, counted=counted)
    if not all(f.has_ratio for f in teams.values()):
        return Figure(period, None, missing="Teams give no numerators", counted=counted)
    n = sum(f.numerator for f in teams.values() if f.numerator is not None)
    d = sum(f.denominator for f in teams.values() if f.denominator is not None)
    if d == 0:
        return Figure(period, None, missing="No cases", counted=counted)
    return Figure(period, outturn_of(indicator, n, d), n, d, counted=counted)


@dataclass(frozen=True, slots=True)
class Span:
    """The months a team existed: from ``start`` (None: always) to ``end`` (None: still exists)."""

    start: Month | None
    end: Month | None

    def holds(self, m: Month) -> bool:
        return (self.start is None or self.start <= m) and (self.end is None or m <= self.end)


def first_rows(points: Iterable[DataRow]) -> dict[str, Month]:
    """Each team's first month with a row on the Data sheet (any indicator's, missing or not)."""
    first: dict[str, Month] = {}
    for p in points:
        if p.team is not None and (p.team not in first or p.period < first[p.team]):
            first[p.team] = p.period
    return first


def team_spans(points: Iterable[DataRow], listed: Iterable[TeamDates] = ()) -> dict[str, Span]:
    """When each team existed: the Team list's From and To where given, else from its first Data
    row and open-ended (a new team is unambiguous; a closed one needs its To)."""
    first = first_rows(points)
    spans = {team: Span(m, None) for team, m in first.items()}
    for t in listed:
        spans[t.team] = Span(t.start if t.start is not None else first.get(t.team), t.end)
    return spans


@dataclass
class Series:
    """An indicator's monthly figures for the authority, and by team."""

    authority: dict[Month, Figure]
    teams: dict[str, dict[Month, Figure]]

    def value(self, period: Month) -> float | None:
        f = self.authority.get(period)
        return f.value if f is not None else None


def build_series(
    indicator: Indicator, points: Iterable[DataRow], spans: dict[str, Span] | None = None
) -> Series:
    """The indicator's figures; ``spans`` says when each team existed (:func:`team_spans` over the
    whole Data sheet and the Team list), else it is worked out from this indicator's rows."""
    points = list(points)
    if spans is None:
        spans = team_spans(points)
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
        teams = {}
        for team, months in by_team.items():
            span = spans.get(team)
            if span is None or span.holds(m):
                teams[team] = months.get(m) or Figure(m, None, missing=NO_DATA)
        if teams:  # else the only rows are of teams outside their dates: no total this month
            authority[m] = sum_teams(indicator, m, teams)
    return Series(authority, dict(by_team))


def lifecycle_note(series: Series, first: Month, last: Month) -> str | None:
    """Which teams joined or left the whole authority's total between ``first`` and ``last`` (the
    months shown), so a board reading the trend knows it is not over the same teams throughout;
    None when it is, or when no total there is summed from the teams."""
    summed = sorted(
        (m, f.counted)
        for m, f in series.authority.items()
        if first <= m <= last and f.counted is not None
    )
    changes: list[str] = []
    for (previous, before), (m, now) in itertools.pairwise(summed):
        changes += [f"{team} from {label(m)}" for team in sorted(now - before)]
        changes += [f"{team} until {label(previous)}" for team in sorted(before - now)]
    if not changes:
        return None
    return "total over the teams that existed each month: " + ", ".join(changes)
