"""Tracking against the improvement plan's target (the seeds' "Jan target").

The target in force for a month is the milestone from the Targets sheet; else, where Baseline,
its period and Plan target are all given, the straight line from Baseline to Plan target counted
in whole months; else the indicator's Target. The forecast carries a least-squares trend of the
last few outturns to the plan period, kept within what the unit allows.
"""

from __future__ import annotations

from .model import Indicator, Milestone, Settings
from .periods import Month

MIN_FORECAST_POINTS = 3


def milestone_for(
    milestones: list[Milestone], period: Month, team: str | None = None
) -> float | None:
    """The latest milestone at or before ``period`` (for the team, when it has its own)."""
    best: Milestone | None = None
    for m in milestones:
        if m.team == team and m.period <= period and (best is None or m.period >= best.period):
            best = m
    return best.target if best is not None else None


def straight_line(indicator: Indicator, settings: Settings, period: Month) -> float | None:
    """Baseline at its period to Plan target at the plan period, in whole months; flat outside."""
    b, bp, p, pp = (
        indicator.baseline,
        indicator.baseline_period,
        indicator.plan_target,
        settings.plan_target_period,
    )
    if b is None or bp is None or p is None or pp is None or pp <= bp:
        return None
    if period <= bp:
        return b
    if period >= pp:
        return p
    return b + (p - b) * (period - bp) / (pp - bp)


# Where the target in force comes from: a milestone on the Targets sheet, the straight line from
# Baseline to Plan target (both milestones on the way to the plan target), or the Target column.
MILESTONE, TRAJECTORY, TARGET_COLUMN = "milestone", "trajectory", "target"


def target_in_force(
    indicator: Indicator,
    settings: Settings,
    milestones: list[Milestone],
    period: Month,
    team: str | None = None,
) -> tuple[float | None, str | None]:
    """The target in force for ``period`` and where it comes from (:data:`MILESTONE`,
    :data:`TRAJECTORY` or :data:`TARGET_COLUMN`; None when there is none)."""
    if team is not None:
        own = milestone_for(milestones, period, team)
        if own is not None:
            return own, MILESTONE
    found = milestone_for(milestones, period)
    if found is not None:
        return found, MILESTONE
    line = straight_line(indicator, settings, period)
    if line is not None:
        return line, TRAJECTORY
    if indicator.target is not None:
        return indicator.target, TARGET_COLUMN
    return None, None


def target_for(
    indicator: Indicator,
    settings: Settings,
    milestones: list[Milestone],
    period: Month,
    team: str | None = None,
) -> float | None:
    """The target in force for ``period``: milestone, else trajectory, else Target."""
    return target_in_force(indicator, settings, milestones, period, team)[0]


def least_squares(points: list[tuple[int, float]]) -> tuple[float, float]:
    """(intercept, slope) of the least-squares line through ``(x, y)`` points."""
    n = len(points)
    mx = sum(x for x, _ in points) / n
    my = sum(y for _, y in points) / n
    sxx = sum((x - mx) ** 2 for x, _ in points)
    if sxx == 0:
        return my, 0.0
    slope = sum((x - mx) * (y - my) for x, y in points) / sxx
    return my - slope * mx, slope


def clamp_to_unit(indicator: Indicator, value: float) -> float:
    """Keep a projection within what the unit allows: 0%-100%, no negative counts."""
    if indicator.percent:
        return min(1.0, max(0.0, value))
    return max(0.0, value)


def forecast(
    indicator: Indicator, points: list[tuple[Month, float]], plan_period: Month
) -> float | None:
    """The trend of ``points`` (the last outturns, oldest first) carried to ``plan_period``."""
    if len(points) < MIN_FORECAST_POINTS:
        return None
    intercept, slope = least_squares([(m - points[-1][0], v) for m, v in points])
    return clamp_to_unit(indicator, intercept + slope * (plan_period - points[-1][0]))


def required_change(
    outturn: float, plan_target: float, outturn_period: Month, plan_period: Month
) -> float | None:
    """The change per month from the current outturn that would reach the plan target on time."""
    months = plan_period - outturn_period
    if months <= 0:
        return None
    return (plan_target - outturn) / months
