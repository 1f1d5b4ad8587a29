"""Rolling figures: the six calendar months ending at the month due (reporting period less lag),
and year to date.

Flow measures accumulate counts: cumulative = sum of numerators over sum of denominators, and the
six-month average = mean monthly numerator over mean monthly denominator (as seed 002 prints
them), so for a percentage the two agree. A rate per 10,000 is the summed numerators over the
latest population, never a summed population. Snapshot measures are positions, so their rolling
figure is the mean of the monthly outturns and year to date is the latest.
"""

from __future__ import annotations

from dataclasses import dataclass

from .model import Indicator
from .outturn import RATE_SCALE, Series
from .periods import Month, year_start

WINDOW = 6
MIN_MONTHS = 4
FEW_MONTHS = f"Fewer than {MIN_MONTHS} of the last {WINDOW} months have data"
FEW_QUARTERS = "Fewer than 2 of the last 2 quarters have data"
ANNUAL = "An annual measure has no six-month figure"
NEEDS_COUNTS = "Needs numerators and denominators"
SNAPSHOT = "A snapshot is not cumulative"


@dataclass(frozen=True)
class Rolling:
    cumulative: float | None
    average: float | None
    numerator: float | None  # summed over the months used
    denominator: float | None
    months: int
    missing: str | None


def _accumulate(indicator: Indicator, series: Series, months: list[Month]) -> Rolling:
    figures = [
        series.authority[m]
        for m in months
        if m in series.authority and series.authority[m].value is not None
    ]
    k = len(figures)
    if indicator.aggregation == "snapshot":
        if not figures:
            return Rolling(None, None, None, None, 0, FEW_MONTHS)
        mean = sum(f.value for f in figures if f.value is not None) / k
        return Rolling(None, mean, None, None, k, SNAPSHOT)
    if indicator.measure == "value":
        if not figures:
            return Rolling(None, None, None, None, 0, FEW_MONTHS)
        total = sum(f.value for f in figures if f.value is not None)
        return Rolling(total, total / k, None, None, k, None)
    if not all(f.has_ratio for f in figures):
        return Rolling(None, None, None, None, k, NEEDS_COUNTS)
    if not figures:
        return Rolling(None, None, None, None, 0, FEW_MONTHS)
    n = sum(f.numerator for f in figures if f.numerator is not None)
    if indicator.measure == "rate per 10,000":
        latest = max(figures, key=lambda f: f.period)
        population = latest.denominator or 0.0
        if population == 0:
            return Rolling(None, None, n, None, k, "No population")
        return Rolling(
            n / population * RATE_SCALE, n / k / population * RATE_SCALE, n, population, k, None
        )
    d = sum(f.denominator for f in figures if f.denominator is not None)
    if d == 0:
        return Rolling(None, None, n, d, k, "No cases")
    return Rolling(n / d, (n / k) / (d / k), n, d, k, None)


def six_months(indicator: Indicator, series: Series, end: Month) -> Rolling:
    """The six calendar months ending at ``end``; null, with the reason, when fewer than four have
    data (for a quarterly measure, when either of its two quarters is missing; annual: always)."""
    months = list(range(end - WINDOW + 1, end + 1))
    have = sum(1 for m in months if m in series.authority and series.authority[m].value is not None)
    if indicator.frequency == "annual":
        return Rolling(None, None, None, None, have, ANNUAL)
    if indicator.frequency == "quarterly" and have < 2:
        return Rolling(None, None, None, None, have, FEW_QUARTERS)
    if indicator.frequency == "monthly" and have < MIN_MONTHS:
        return Rolling(None, None, None, None, have, FEW_MONTHS)
    return _accumulate(indicator, series, months)


def year_to_date(
    indicator: Indicator, series: Series, end: Month, start_month: int
) -> float | None:
    """From the year start month to ``end``: accumulated for a flow, the latest for a snapshot."""
    months = list(range(year_start(end, start_month), end + 1))
    if indicator.aggregation == "snapshot":
        for m in reversed(months):
            f = series.authority.get(m)
            if f is not None and f.value is not None:
                return f.value
        return None
    r = _accumulate(indicator, series, months)
    return r.cumulative
