"""The engine's view of a workbook's inputs, once read and checked.

Plain data classes: what the sheets said, in the engine's units (percentages as fractions, months
as :mod:`~kpi_engine.periods` integers), with each object remembering the row it came from so
later checks can name the cell.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .issues import IssueLog
from .periods import Month

if TYPE_CHECKING:
    from .methodology import Methodology
    from .sheets import Record

DEFAULT_COLOURS = {"Green": "00B050", "Amber": "FFC000", "Red": "C00000"}


@dataclass
class Settings:
    organisation: str | None = None
    local_authority: str | None = None  # as DfE names it, or its LA code: for published benchmarks
    reporting_period: Month | None = None
    data_as_at: str | None = None
    year_start_month: int = 4
    plan_target_label: str | None = None
    plan_target_period: Month | None = None
    baseline_label: str | None = None
    default_tolerance: float = 0.1
    months_shown: int = 12
    forecast_points: int = 6
    paper_size: str = "A4"  # the output sheets' and the pack's paper: A4 or A3
    colours: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_COLOURS))


@dataclass(frozen=True)
class Tolerance:
    """How far short of target still earns Amber:
    a fraction of the target, or an absolute amount."""

    amount: float
    relative: bool
    unit_word: str = ""  # as typed for an absolute tolerance: "2 cases", "5 pts"


@dataclass
class Indicator:
    ref: str
    title: str
    section: str | None = None
    polarity: str | None = None  # BIB, SIB, or None (context)
    unit: str = "number"
    decimals: int = 0
    measure: str = "value"
    frequency: str = "monthly"
    aggregation: str = "flow"
    lag: int = 0
    due_month: int | None = None
    target: float | None = None
    rag_rule: str = "none"
    green: float | None = None
    amber: float | None = None
    band_direction: str | None = None  # the direction the bands are applied in
    methodology_text: str | None = None
    methodology: Methodology | None = None
    tolerance: Tolerance | None = None
    baseline: float | None = None
    baseline_period: Month | None = None
    plan_target: float | None = None
    owner: str | None = None
    reported_rag: str | None = None  # the colour an old dashboard showed, as typed (import)
    reported_rag_period: Month | None = None
    chart: str = "line"
    dfe_measure: str | None = None  # LAIT's code for the same measure, for published benchmarks
    record: Record | None = None

    @property
    def percent(self) -> bool:
        return self.unit == "%"

    @property
    def months_per_period(self) -> int:
        return {"monthly": 1, "quarterly": 3, "annual": 12}[self.frequency]


@dataclass(slots=True)
class DataRow:
    """One Data row: a team's (or the authority's) figures for a month."""

    ref: str
    period: Month
    team: str | None
    numerator: float | None
    denominator: float | None
    value: float | None
    missing: str | None  # why there is no figure, when there is none
    record: Record | None = None


@dataclass(slots=True)
class Milestone:
    ref: str
    period: Month
    target: float
    team: str | None = None


GENERATED_SOURCE = "kpi-dashboard benchmarks"  # the Source of the Benchmarks rows it writes


@dataclass(slots=True)
class Benchmark:
    ref: str
    comparator: str
    year: str | None
    value: float | None
    missing: str | None = None
    source: str | None = None
    n: int | None = None  # how many authorities an average is over
    rank: int | None = None  # the authority's national rank (on the England row)
    of: int | None = None  # ... among this many authorities with a value
    quartile: str | None = None  # A (best quarter) to D
    next_band_at: float | None = None  # the value that reaches the next better band

    @property
    def generated(self) -> bool:
        return (self.source or "").strip().lower() == GENERATED_SOURCE


@dataclass(slots=True)
class Comment:
    ref: str
    period: Month
    comment: str | None
    activity: str | None
    next_steps: str | None


@dataclass(slots=True)
class Narrative:
    """A Narrative row: a section's (or the director's) text for a month."""

    section: str  # as the Indicators sheet spells it, or DIRECTORS_SUMMARY
    period: Month
    commentary: str | None
    activity: str | None
    next_steps: str | None
    record: Record | None = None


@dataclass(slots=True)
class Action:
    """An Actions row: one action of the board's action log."""

    ref: str
    indicator_ref: str | None
    text: str
    owner: str | None
    due: _dt.date | None
    status: str  # Open, In progress, Done or Dropped
    record: Record | None = None


@dataclass(slots=True)
class TeamDates:
    """A Team list row: when a team (or an authority, in a table of authorities) started and
    ended, since a team that stops sending rows cannot be told from one that is late."""

    team: str  # as the Data sheet spells it
    start: Month | None  # the first month it existed; None: from its first Data row
    end: Month | None  # the last month it existed; None: it still exists
    record: Record | None = None


@dataclass
class Inputs:
    settings: Settings
    indicators: dict[str, Indicator]
    points: list[DataRow]
    milestones: list[Milestone]
    benchmarks: list[Benchmark]
    comments: list[Comment]
    log: IssueLog
    sheet_names: dict[str, str] = field(default_factory=dict)  # canonical -> name in the workbook
    narrative: list[Narrative] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    team_list: list[TeamDates] = field(default_factory=list)
