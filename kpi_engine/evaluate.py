"""One indicator's results, and the whole report: the engine's single computation.

Every front end (the command line, the Excel button, the server) reaches :func:`compute` through
:func:`kpi_engine.pipeline.run` and places what it returns; none computes anything of its own.
"""

from __future__ import annotations

import datetime as _dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from typing import TypeVar

from . import TEMPLATE_VERSION, __version__
from .issues import Code
from .methodology import describe
from .missing import NO_DATA
from .model import Benchmark as BenchmarkInput
from .model import Comment, DataRow, Indicator, Inputs, Milestone, Settings
from .narrative import board_narrative
from .outturn import Series, Span, build_series, lifecycle_note, team_spans
from .periods import Month, label, year_start
from .rag import AMBER, GREEN, NOT_DUE, RED, describe_tolerance, green_from, meets, rate
from .reported import check_reported
from .results import (
    SUMMARY_KEYS,
    BenchmarkResult,
    IndicatorResult,
    Report,
    SeriesPoint,
    Stamp,
    Standing,
    TeamResult,
)
from .rolling import six_months, year_to_date
from .rounding import displayed
from .trajectory import forecast, milestone_for, required_change, target_for, target_in_force
from .workbook_names import ADDED_IN_VERSION

SMALL_DENOMINATOR = 10

_Item = TypeVar("_Item")
_Key = TypeVar("_Key")


def _small(ind: Indicator, denominator: float | None) -> bool:
    """A percentage or average resting on fewer than 10 cases: shown with its n."""
    return (
        denominator is not None
        and denominator < SMALL_DENOMINATOR
        and ind.measure in ("percentage", "average")
    )


def _current(
    ind: Indicator, series: Series, reporting: Month
) -> tuple[Month | None, bool, str | None]:
    """The outturn month (reporting period less lag, else the latest earlier),
    whether stale, why missing."""
    due = reporting - ind.lag
    figure = series.authority.get(due)
    if figure is not None and figure.value is not None:
        return due, False, None
    reason = figure.missing if figure is not None else NO_DATA
    earlier = [m for m, f in series.authority.items() if m < due and f.value is not None]
    if not earlier:
        return None, False, reason
    latest = max(earlier)
    return latest, due - latest >= ind.months_per_period, reason


def _not_due(ind: Indicator, series: Series, reporting: Month, start_month: int) -> bool:
    """An annual measure whose figure for this reporting year is not yet due."""
    if ind.frequency != "annual" or ind.due_month is None:
        return False
    start = year_start(reporting, start_month)
    due = next(m for m in range(start, start + 12) if m % 12 + 1 == ind.due_month)
    has_this_year = any(
        start <= m <= reporting and f.value is not None for m, f in series.authority.items()
    )
    return reporting < due and not has_this_year


def _direction(ind: Indicator, now: float | None, before: float | None) -> str | None:
    if now is None or before is None or ind.polarity is None:
        return None
    a = displayed(now, ind.decimals, ind.percent)
    b = displayed(before, ind.decimals, ind.percent)
    if a == b:
        return "no change"
    return "improving" if (a > b) == (ind.polarity == "BIB") else "declining"


def _better(ind: Indicator, ours: float | None, theirs: float | None) -> bool | None:
    if ours is None or theirs is None or ind.polarity is None:
        return None
    a = displayed(ours, ind.decimals, ind.percent)
    b = displayed(theirs, ind.decimals, ind.percent)
    if a == b:
        return None
    return (a > b) == (ind.polarity == "BIB")


def _later(b: BenchmarkInput, kept: BenchmarkInput | None) -> bool:
    """Whether ``b`` replaces ``kept``: a later year, or the same year typed by an officer over one
    ``kpi-dashboard benchmarks`` wrote."""
    if kept is None:
        return True
    if (b.year or "") != (kept.year or ""):
        return (b.year or "") > (kept.year or "")
    return kept.generated or not b.generated


def _benchmarks(
    ind: Indicator, rows: list[BenchmarkInput], outturn: float | None
) -> list[BenchmarkResult]:
    latest: dict[str, BenchmarkInput] = {}
    for b in rows:
        if _later(b, latest.get(b.comparator)):
            latest[b.comparator] = b
    return [
        BenchmarkResult(
            b.comparator, b.value, b.year, _better(ind, outturn, b.value), b.missing, b.n
        )
        for b in latest.values()
    ]


def _standing(rows: list[BenchmarkInput]) -> Standing | None:
    """The latest year's national rank and quartile band, where the Benchmarks sheet has them."""
    kept: BenchmarkInput | None = None
    for b in rows:
        if (b.rank is not None or b.quartile is not None) and _later(b, kept):
            kept = b
    if kept is None:
        return None
    return Standing(kept.year, kept.rank, kept.of, kept.quartile, kept.next_band_at)


def _teams(
    ind: Indicator,
    series: Series,
    period: Month,
    settings: Settings,
    milestones: list[Milestone],
    authority_target: float | None,
    spans: Mapping[str, Span],
) -> list[TeamResult]:
    out = []
    for team in sorted(series.teams):
        f = series.teams[team].get(period)
        span = spans.get(team)
        if f is None and span is not None and not span.holds(period):
            continue  # not started yet, or closed: not a team this month

        own = milestone_for(milestones, period, team)
        # A team is rated against its own milestone, else the authority's target; bands need none.
        target = (
            own if own is not None else (authority_target if ind.rag_rule == "tolerance" else None)
        )
        green, _ = green_from(ind, target)
        if f is None or f.value is None:
            reason = f.missing if f else NO_DATA
            out.append(TeamResult(team, None, None, None, None, target, reason, False, green))
            continue
        colour, _ = rate(ind, f.value, target, settings.default_tolerance)
        small = _small(ind, f.denominator)
        out.append(
            TeamResult(
                team, f.value, f.numerator, f.denominator, colour, target, None, small, green
            )
        )
    return out


def evaluate_indicator(
    ind: Indicator,
    inputs: Inputs,
    points_by_ref: Mapping[str, list[DataRow]],
    milestones_by_ref: Mapping[str, list[Milestone]],
    benchmarks_by_ref: Mapping[str, list[BenchmarkInput]],
    comments: Mapping[tuple[str, Month], Comment],
    spans: dict[str, Span] | None = None,
) -> IndicatorResult:
    """``spans``: when each team existed (:func:`~kpi_engine.outturn.team_spans` over the whole
    Data sheet and the Team list); without it, from this indicator's own rows."""
    settings = inputs.settings
    reporting = settings.reporting_period
    assert reporting is not None
    milestones = milestones_by_ref.get(ind.ref, [])
    points = points_by_ref.get(ind.ref, [])
    if spans is None:
        spans = team_spans(points)
    series = build_series(ind, points, spans)
    period, stale, missing = _current(ind, series, reporting)
    figure = series.authority.get(period) if period is not None else None
    outturn = figure.value if figure is not None else None
    current_target, target_source = target_in_force(
        ind, settings, milestones, period if period is not None else reporting - ind.lag
    )
    green, green_direction = green_from(ind, current_target)
    colour: str | None
    reason: str | None
    if _not_due(ind, series, reporting, settings.year_start_month) and ind.polarity is not None:
        colour, reason = None, NOT_DUE
    else:
        colour, reason = rate(ind, outturn, current_target, settings.default_tolerance)
    previous_period = period - ind.months_per_period if period is not None else None
    previous = series.value(previous_period) if previous_period is not None else None
    previous_rag = None
    if previous is not None and previous_period is not None:
        previous_rag, _ = rate(
            ind,
            previous,
            target_for(ind, settings, milestones, previous_period),
            settings.default_tolerance,
        )
    due = reporting - ind.lag
    rolling = six_months(ind, series, due)
    ytd = year_to_date(ind, series, due, settings.year_start_month)
    fc = will_meet = needed = None
    plan_period = settings.plan_target_period
    if (
        ind.plan_target is not None
        and plan_period is not None
        and period is not None
        and outturn is not None
        and plan_period > period
    ):
        recent = sorted(
            (m, f.value) for m, f in series.authority.items() if m <= period and f.value is not None
        )
        fc = forecast(ind, recent[-settings.forecast_points :], plan_period)
        if fc is not None and ind.polarity is not None:
            will_meet = meets(fc, ind.plan_target, ind.polarity, ind.decimals, ind.percent)
        needed = required_change(outturn, ind.plan_target, period, plan_period)
    first = reporting - settings.months_shown + 1
    shown = []
    for m in range(first, reporting + 1):
        f = series.authority.get(m)
        shown.append(
            SeriesPoint(
                m,
                f.value if f else None,
                (f.missing if f else NO_DATA) if not f or f.value is None else None,
            )
        )
    methodology = None
    if ind.rag_rule == "bands" and ind.green is not None:
        methodology = describe(
            ind.band_direction or ind.polarity or "BIB",
            ind.green,
            ind.amber,
            ind.decimals,
            ind.percent,
        )
    elif ind.rag_rule == "tolerance" and ind.polarity is not None:
        methodology = describe_tolerance(
            ind.tolerance, settings.default_tolerance, ind.decimals, ind.percent
        )
    note = comments.get((ind.ref, reporting))
    small = figure is not None and _small(ind, figure.denominator)
    return IndicatorResult(
        ref=ind.ref,
        title=ind.title,
        section=ind.section,
        polarity=ind.polarity,
        unit=ind.unit,
        decimals=ind.decimals,
        measure=ind.measure,
        frequency=ind.frequency,
        aggregation=ind.aggregation,
        owner=ind.owner,
        period=period,
        outturn=outturn,
        outturn_missing_reason=missing,
        numerator=figure.numerator if figure else None,
        denominator=figure.denominator if figure else None,
        small_denominator=small,
        stale=stale,
        series=shown,
        teams=_teams(
            ind,
            series,
            period if period is not None else due,
            settings,
            milestones,
            current_target,
            spans,
        ),
        teams_note=lifecycle_note(series, first, reporting),
        six_month_cumulative=rolling.cumulative,
        six_month_average=rolling.average,
        six_month_numerator=rolling.numerator,
        six_month_denominator=rolling.denominator,
        six_month_missing_reason=rolling.missing
        if rolling.cumulative is None or rolling.average is None
        else None,
        year_to_date=ytd,
        target=ind.target,
        current_target=current_target,
        current_target_source=target_source,
        green_from=green,
        green_direction=green_direction,
        rag=colour,
        rag_reason=reason,
        previous_period=previous_period,
        previous_outturn=previous,
        previous_rag=previous_rag,
        direction=_direction(ind, outturn, previous),
        plan_target=ind.plan_target,
        forecast_at_plan=fc,
        will_meet_plan_target=will_meet,
        required_change_per_month=needed,
        baseline=ind.baseline,
        change_since_baseline=(outturn - ind.baseline)
        if outturn is not None and ind.baseline is not None
        else None,
        benchmarks=_benchmarks(ind, benchmarks_by_ref.get(ind.ref, []), outturn),
        standing=_standing(benchmarks_by_ref.get(ind.ref, [])),
        methodology=methodology,
        rag_rule=ind.rag_rule,
        chart=ind.chart,
        comment=note.comment if note else None,
        improvement_activity=note.activity if note else None,
        next_steps=note.next_steps if note else None,
    )


def _group(items: Iterable[_Item], key: Callable[[_Item], _Key]) -> defaultdict[_Key, list[_Item]]:
    out: defaultdict[_Key, list[_Item]] = defaultdict(list)
    for item in items:
        out[key(item)].append(item)
    return out


def compute(
    inputs: Inputs, refreshed: _dt.datetime | None = None, template_version: str | None = None
) -> Report:
    """Every indicator's results and the summary, from checked inputs."""
    settings = inputs.settings
    refreshed = refreshed or _dt.datetime.now().replace(microsecond=0)
    stamp = Stamp(
        settings.organisation,
        settings.reporting_period,
        settings.data_as_at
        or (
            _month_end(settings.reporting_period) if settings.reporting_period is not None else None
        ),
        refreshed.isoformat(),
        __version__,
        template_version,
    )
    _check_template_version(inputs, template_version)
    report = Report(
        stamp,
        [],
        inputs.log.items,
        plan_period=settings.plan_target_period,
        left_out=left_out(inputs),
    )
    if settings.reporting_period is None:
        if not inputs.log.errors:
            inputs.log.error(
                inputs.sheet_names.get("Settings", "Settings"),
                None,
                Code.NO_REPORTING_PERIOD,
                "No Reporting period is set and the Data sheet has no months, "
                "so nothing can be computed. Set 'Reporting period' on the Settings sheet.",
            )
        report.issues = inputs.log.items
        report.summary = {k: 0 for k in SUMMARY_KEYS}
        return report
    points = _group(inputs.points, lambda p: p.ref)
    milestones = _group(inputs.milestones, lambda m: m.ref)
    benchmarks = _group(inputs.benchmarks, lambda b: b.ref)
    comments: dict[tuple[str, Month], Comment] = {(c.ref, c.period): c for c in inputs.comments}
    spans = team_spans(inputs.points, inputs.team_list)
    for ind in inputs.indicators.values():
        report.indicators.append(
            evaluate_indicator(ind, inputs, points, milestones, benchmarks, comments, spans)
        )
    _summarise(report, inputs)
    check_reported(report, inputs)
    _narrative(report, inputs)
    report.issues = inputs.log.items
    return report


def _narrative(report: Report, inputs: Inputs) -> None:
    """The director's summary, the sections' commentary and the action log, for the period."""
    sections = list(dict.fromkeys(r.section for r in report.indicators if r.section))
    titles = {ind.ref: ind.title for ind in inputs.indicators.values()}
    report.directors_summary, report.section_commentary, report.actions = board_narrative(
        inputs.narrative, inputs.actions, sections, titles, inputs.settings.reporting_period
    )


def left_out(inputs: Inputs) -> list[str]:
    """The refs of indicators left out for errors in their definition, in the order found."""
    refs = (i.ref for i in inputs.log.items if i.code is Code.INDICATOR_LEFT_OUT and i.ref)
    return list(dict.fromkeys(refs))


def _check_template_version(inputs: Inputs, version: str | None) -> None:
    """An older template is filled as it is,
    with a warning that says how to bring it up to date."""
    try:
        number = int(float(version)) if version is not None else None
    except ValueError:
        return
    if number is None or number == TEMPLATE_VERSION:
        return
    missing = [
        (sheet, carries)
        for added in range(number + 1, TEMPLATE_VERSION + 1)
        for sheet, carries in ADDED_IN_VERSION.get(added, ())
        if sheet not in inputs.sheet_names
    ]
    if number < TEMPLATE_VERSION and missing:
        sheets = " or ".join(sheet for sheet, _ in missing)
        plural = len(missing) > 1
        message = (
            f"This workbook has no {sheets} sheet{'s' if plural else ''} (it was made from "
            f"template {number}), so the Summary shows no "
            f"{', and no '.join(carries for _, carries in missing)}. Run 'kpi-dashboard upgrade "
            f"OLD.xlsx -o NEW.xlsx' to add {'them' if plural else 'it'}: every row of your data "
            "is moved into the current template."
        )
    elif number < TEMPLATE_VERSION:
        message = (
            f"This workbook is from template version {number}; "
            f"the current version is {TEMPLATE_VERSION}. "
            "Run 'kpi-dashboard upgrade this.xlsx -o upgraded.xlsx' "
            "to move its data into the current layout."
        )
    else:
        message = (
            f"This workbook is from template version {number}, newer than this kpi-dashboard knows "
            f"({TEMPLATE_VERSION}). Update kpi-dashboard."
        )
    # IssueLog.warning, not logging's: its first argument is a sheet name, not a format string.
    inputs.log.warning("Template info", "B1", Code.TEMPLATE_VERSION, message)  # noqa: PLE1205


def _month_end(m: Month) -> str:
    nxt = _dt.date((m + 1) // 12, (m + 1) % 12 + 1, 1)
    return (nxt - _dt.timedelta(days=1)).isoformat()


def _summarise(report: Report, inputs: Inputs) -> None:
    counts = {k: 0 for k in SUMMARY_KEYS}
    for r in report.indicators:
        counts[r.rag or r.rag_reason or "Context"] += 1
    report.summary = counts
    report.good = [r.ref for r in report.indicators if r.rag == GREEN]
    order = {RED: 0, AMBER: 1}
    report.exceptions = [
        r.ref
        for r in sorted(
            (r for r in report.indicators if r.rag in order), key=lambda r: order[r.rag or ""]
        )
    ]
    reporting = inputs.settings.reporting_period
    sheet = inputs.sheet_names.get("Commentary", "Commentary")
    for r in report.indicators:
        if r.rag in order and not (r.comment or r.improvement_activity or r.next_steps):
            ind = inputs.indicators[r.ref]
            where = ind.record.cell("Ref") if ind.record is not None else None
            inputs.log.warning(
                inputs.sheet_names.get("Indicators", "Indicators"),
                where,
                Code.MISSING_COMMENTARY,
                (
                    f"{r.ref} is {r.rag} for "
                    f"{label(reporting) if reporting is not None else 'the period'} "
                    "but has no commentary. "
                    f"Add a row on the {sheet} sheet saying why, and what is being done."
                ),
                r.ref,
            )
