"""The result model: what the engine worked out, before anyone decides how it looks.

Numbers are unrounded and percentages are fractions; the render step and the JSON writer read
these objects and nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .issues import Issue
from .periods import Month


@dataclass(frozen=True)
class SeriesPoint:
    """One month of an indicator's series as the dashboard shows it."""

    period: Month
    value: float | None
    missing_reason: str | None


@dataclass(frozen=True)
class TeamResult:
    team: str
    outturn: float | None
    numerator: float | None
    denominator: float | None
    rag: str | None
    target: float | None
    missing_reason: str | None
    small_denominator: bool
    green_from: float | None = None  # where this team turns Green (see IndicatorResult)


@dataclass(frozen=True)
class BenchmarkResult:
    comparator: str
    value: float | None
    year: str | None
    better: bool | None
    missing_reason: str | None = None
    n: int | None = None  # how many authorities an average is over


@dataclass(frozen=True)
class Standing:
    """The authority's national rank and quartile band for a year, from the Benchmarks sheet."""

    year: str | None
    rank: int | None
    of: int | None
    quartile: str | None  # A (the best quarter) to D
    next_band_at: float | None  # the value that would reach the next better band


@dataclass
class IndicatorResult:
    ref: str
    title: str
    section: str | None
    polarity: str | None
    unit: str
    decimals: int
    measure: str
    frequency: str
    aggregation: str
    owner: str | None
    period: Month | None  # of the outturn
    outturn: float | None
    outturn_missing_reason: str | None
    numerator: float | None
    denominator: float | None
    small_denominator: bool
    stale: bool
    series: list[SeriesPoint]
    teams: list[TeamResult]
    six_month_cumulative: float | None
    six_month_average: float | None
    six_month_numerator: float | None
    six_month_denominator: float | None
    six_month_missing_reason: str | None
    year_to_date: float | None
    target: float | None
    current_target: float | None
    # Where the current target comes from: "milestone" (Targets sheet), "trajectory" (the straight
    # line from Baseline to Plan target) or "target" (the Target column); None when there is none.
    current_target_source: str | None
    # The value at which the indicator turns Green, as displayed (rag.green_from): the figure shown
    # beside the colour. None when the indicator is not rated (no polarity, no rule, no target).
    green_from: float | None
    green_direction: str | None  # BIB: Green at or above green_from; SIB: at or below it
    rag: str | None
    rag_reason: str | None
    previous_period: Month | None
    previous_outturn: float | None
    previous_rag: str | None
    direction: str | None
    plan_target: float | None
    forecast_at_plan: float | None
    will_meet_plan_target: bool | None
    required_change_per_month: float | None
    baseline: float | None
    change_since_baseline: float | None
    benchmarks: list[BenchmarkResult]
    methodology: str | None
    rag_rule: str
    chart: str
    comment: str | None = None
    improvement_activity: str | None = None
    next_steps: str | None = None
    standing: Standing | None = None
    reported_rag: str | None = None  # the colour the old dashboard showed (import), as typed
    reported_rag_period: Month | None = None
    # Which teams joined or left the whole authority's total within the months shown (a team
    # started, or closed on the Team list); None when the total is over the same teams throughout.
    teams_note: str | None = None


@dataclass(frozen=True)
class SectionCommentary:
    """A Narrative row for the reporting period: a section's (or the director's) text."""

    section: str
    commentary: str | None
    improvement_activity: str | None
    next_steps: str | None


@dataclass(frozen=True)
class ActionResult:
    """An action of the action log, as the board sees it."""

    action_ref: str
    indicator_ref: str | None
    indicator_title: str | None  # None when there is no Indicator ref, or it is unknown
    action: str
    owner: str | None
    due: str | None  # YYYY-MM-DD
    status: str  # Open, In progress, Done or Dropped
    overdue: bool  # not Done or Dropped, and due by the end of the reporting period


SUMMARY_KEYS = ("Green", "Amber", "Red", "No data", "No target", "Not due", "Context")


@dataclass
class Stamp:
    organisation: str | None
    reporting_period: Month | None
    data_as_at: str | None
    refreshed: str
    engine_version: str
    template_version: str | None


@dataclass
class Report:
    """Everything one refresh produces."""

    stamp: Stamp
    indicators: list[IndicatorResult]
    issues: list[Issue]
    summary: dict[str, int] = field(default_factory=dict)
    good: list[str] = field(default_factory=list)  # refs rated Green
    exceptions: list[str] = field(default_factory=list)  # refs rated Red or Amber, Red first
    plan_period: Month | None = (
        None  # the Settings' Plan target period: where charts mark the plan target
    )
    left_out: list[str] = field(default_factory=list)  # refs left out for errors in their row
    directors_summary: SectionCommentary | None = None  # the Narrative sheet's, for the period
    section_commentary: list[SectionCommentary] = field(default_factory=list)
    actions: list[ActionResult] = field(default_factory=list)  # the action log

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity.value == "error"]

    def indicator(self, ref: str) -> IndicatorResult:
        for r in self.indicators:
            if r.ref == ref:
                return r
        raise KeyError(ref)
