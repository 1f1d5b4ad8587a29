"""The render model: what goes in which cell of each output sheet.

The engine decides everything an officer reads; the writers (openpyxl for the headless fill,
xlwings inside Excel) only place it, so every route gives the same sheets. Each sheet is a few
2-D blocks of values (one write per block is cheap on every Excel client) plus in-workbook
links. The look (fonts, fills, borders, RAG colours and number formats) belongs to the template:
its conditional formats key on the RAG words, on hidden column A, which says what each row is
(title, stamp, header, section, indicator), and on column B, which holds each row's format key
(kept narrow, its text hidden by its number format). No route writes number formats cell by
cell: the cheapest Excel clients cannot, and every route must give the same sheets.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence
from typing import Any

from .charts import Slot, render_charts
from .issues import reason_words
from .missing import symbol_for
from .periods import label
from .rag import meets
from .render_model import (
    BLANK,
    FORMAT_COLUMN_HEADER,
    HEADER,
    MAX_DECIMALS,
    ROW,
    SECTION,
    Block,
    Link,
    RenderModel,
    SheetRender,
    format_key,
    title_rows,
    wrapped,
)
from .results import IndicatorResult, Report, SectionCommentary, TeamResult
from .rounding import displayed, format_number
from .trajectory import TARGET_COLUMN
from .workbook_names import CHARTS, DASHBOARD, OUTPUT_SHEETS, SUMMARY, TEAMS, VALIDATION

DEFAULT_COMPARATORS = ("Statistical neighbours", "Region", "England")
ARROWS = {"up": "\u25b2", "down": "\u25bc", "flat": "\u25ba"}


def _short_missing(reason: str | None) -> str | None:
    """What a month cell shows for a missing figure: the statistical symbol, or a word."""
    if reason is None or reason == "No data":
        return None
    return symbol_for(reason) or reason.split(" (")[0].lower()


def _direction(r: IndicatorResult) -> str | None:
    if r.direction is None:
        return None
    if r.direction == "no change":
        return f"{ARROWS['flat']} no change"
    up = (r.direction == "improving") == (r.polarity == "BIB")
    return f"{ARROWS['up' if up else 'down']} {r.direction}"


def small_number_note(r: IndicatorResult, numerator: float, denominator: float) -> str:
    """Why a figure resting on few cases should be read with care: "2 of 3" for a percentage;
    for an average (days over children, cases over FTE), how many it averages over, since
    "1,296 of 3" would read as a share."""
    if r.measure == "average":
        return f"small number: an average over {_count(denominator)}"
    return f"small number: {_count(numerator)} of {_count(denominator)}"


def count_text(r: IndicatorResult) -> str | None:
    """The counts behind a percentage, a rate or an average, beside the figure as a board reads
    them: "208 of 241" (children of children), "1,521 over 84" (cases over FTE). Text, so no cell
    format can turn it into a share; None for a plain value."""
    if r.numerator is None or r.denominator is None or r.measure == "value":
        return None
    joiner = "over" if r.measure == "average" else "of"
    return f"{_count(r.numerator)} {joiner} {_count(r.denominator)}"


def _notes(r: IndicatorResult) -> str | None:
    notes = []
    if r.outturn is None:
        notes.append(r.outturn_missing_reason or "No data")
    if r.stale and r.period is not None:
        notes.append(f"latest is {label(r.period)}")
    if r.small_denominator and r.numerator is not None and r.denominator is not None:
        notes.append(small_number_note(r, r.numerator, r.denominator))
    if r.rag is None and r.rag_reason and r.rag_reason not in notes:
        notes.append(r.rag_reason)
    target = target_note(r)
    if target:
        notes.append(target)
    counted = _neighbour_count_text(r)
    if counted:
        notes.append(counted)
    if r.teams_note:  # a team started or closed within the months shown
        notes.append(r.teams_note)
    return "; ".join(notes) or None


def target_note(r: IndicatorResult) -> str | None:
    """The target in force, named apart from the figure the colour was judged against (Green
    from): a bands indicator's milestone on the way to the plan target ("Milestone for Sep-25: 83%,
    met"), or its Target where that is not its Green threshold; a context measure's target. None
    when the colour was judged against it (the tolerance rule) or it is Green from as displayed."""
    target = r.current_target
    if target is None:
        return None
    rated = r.polarity is not None and r.rag_rule != "none"
    if rated and (r.rag_rule == "tolerance" or r.green_from is None):
        return None
    percent = r.unit == "%"
    if r.green_from is not None and displayed(target, r.decimals, percent) == displayed(
        r.green_from, r.decimals, percent
    ):
        return None
    if r.current_target_source == TARGET_COLUMN:
        name = "Target"
    else:
        name = "Milestone" + (f" for {label(r.period)}" if r.period is not None else "")
    text = f"{name}: {format_number(target, r.decimals, percent)}"
    if r.outturn is not None and r.polarity is not None:
        met = meets(r.outturn, target, r.polarity, r.decimals, percent)
        text += ", met" if met else ", not met"
    return text


def comparators(report: Report) -> list[str]:
    seen: dict[str, None] = {}
    for r in report.indicators:
        for b in r.benchmarks:
            seen.setdefault(b.comparator, None)
    return list(seen) or list(DEFAULT_COMPARATORS)


RANK_HEADER = "National rank"  # the Dashboard's column: blank where the Benchmarks sheet has none


def standing_text(r: IndicatorResult) -> str | None:
    """The national rank and quartile band as a board reads them: "34 of 152, band B (2024-25)"."""
    s = r.standing
    if s is None:
        return None
    parts = []
    if s.rank is not None:
        parts.append(f"{s.rank} of {s.of}" if s.of is not None else f"rank {s.rank}")
    if s.quartile is not None:
        parts.append(f"band {s.quartile}")
    text = ", ".join(parts)
    return f"{text} ({s.year})" if s.year else text


def _next_band_text(r: IndicatorResult) -> str | None:
    s = r.standing
    if s is None or s.quartile is None or s.next_band_at is None or s.quartile == "A":
        return None
    better = chr(ord(s.quartile) - 1)
    value = format_number(s.next_band_at, r.decimals, r.unit == "%")
    return f"band {better} at {value}"


def _neighbour_count_text(r: IndicatorResult) -> str | None:
    counts = [b for b in r.benchmarks if b.n is not None and b.value is not None]
    if not counts:
        return None
    b = counts[0]
    return f"{b.comparator}: {'mean' if 'median' not in b.comparator else 'median'} of {b.n}"


def dashboard_headers(
    report: Report, months: list[int], plan_label: str, baseline_label: str
) -> list[str]:
    """The Dashboard's columns. Year to date and the change needed per month are in the JSON
    results; the printed board page keeps to what a board reads. The baseline (headed with its
    label, as seed 000's "Ofsted Baseline") stands beside the change since it."""
    return [
        "Row",
        FORMAT_COLUMN_HEADER,
        "Ref",
        "Indicator",
        "Polarity",
        *[label(m) for m in months],
        "Current outturn",
        "Count",
        "Green from",
        "RAG",
        "Previous RAG",
        "Direction",
        "6 months",
        plan_label,
        "Forecast at plan date",
        "On track for plan",
        baseline_label,
        f"{CHANGE_SINCE}{baseline_label}",
        RANK_HEADER,
        "Owner",
        "RAG methodology",
        "Notes",
        # Last: their number and names vary by workbook, and every column before them keeps the
        # template's width and look
        *comparators(report),
    ]


CHANGE_SINCE = "Change since "  # the change column's header, before the baseline's label


def change_since_baseline(r: IndicatorResult) -> float | str | None:
    """The change since the baseline as the Dashboard shows it. For a percentage it is in
    percentage points, and says so: "+16 pts" (rounded as the figures are shown), never "+16%",
    which reads as a relative change. A number format cannot say it: Excel's "%" both multiplies
    by 100 and prints the sign, and a cell holding 16 would show +1600% under the signed "%" format
    of a workbook made from an older template. Other units stay numbers, signed by the template."""
    change = r.change_since_baseline
    if change is None or r.unit != "%":
        return change
    points = displayed(change, r.decimals, percent=True)
    if points == 0:
        return f"{abs(points):,.{max(0, r.decimals)}f} pts"
    return f"{points:+,.{max(0, r.decimals)}f} pts"


def render_dashboard(
    report: Report,
    months_shown: int = 12,
    plan_label: str | None = None,
    baseline_label: str | None = None,
) -> SheetRender:
    reporting = report.stamp.reporting_period
    months = (
        list(range(reporting - months_shown + 1, reporting + 1)) if reporting is not None else []
    )
    headers = dashboard_headers(
        report, months, plan_label or "Plan target", baseline_label or "Baseline"
    )
    width = len(headers)
    values = title_rows(
        report, f"{report.stamp.organisation or ''} Improvement board dashboard".strip(), width
    )
    values.append([HEADER, *headers[1:]])
    names = comparators(report)
    section = object()
    for r in report.indicators:
        if r.section != section:
            section = r.section
            values.append([SECTION, None, r.section or "Other indicators", *[None] * (width - 3)])
        values.append(_dashboard_row(r, months, names))
    return SheetRender(DASHBOARD, [Block(1, 1, values)], wrap_columns=wrapped(DASHBOARD, headers))


def _dashboard_row(r: IndicatorResult, months: list[int], names: list[str]) -> list[Any]:
    by_month = {p.period: p for p in r.series}
    series = []
    for m in months:
        p = by_month.get(m)
        series.append(
            None
            if p is None
            else p.value
            if p.value is not None
            else _short_missing(p.missing_reason)
        )
    six = (
        r.six_month_cumulative
        if r.aggregation == "flow" and r.six_month_cumulative is not None
        else r.six_month_average
    )
    bench = {b.comparator: b.value for b in r.benchmarks}
    on_track = (
        None if r.will_meet_plan_target is None else ("Yes" if r.will_meet_plan_target else "No")
    )
    return [
        ROW,
        format_key(r.unit, min(r.decimals, MAX_DECIMALS)),
        r.ref,
        r.title,
        r.polarity,
        *series,
        r.outturn,
        count_text(r),
        r.green_from,
        r.rag,
        r.previous_rag,
        _direction(r),
        six,
        r.plan_target,
        r.forecast_at_plan,
        on_track,
        r.baseline,
        change_since_baseline(r),
        standing_text(r),
        r.owner,
        r.methodology,
        _notes(r),
        *[bench.get(n) for n in names],
    ]


def _position(r: IndicatorResult) -> Any:
    return r.outturn if r.outturn is not None else (r.rag_reason or "No data")


def _benchmark_text(r: IndicatorResult) -> str | None:
    parts = []
    for b in r.benchmarks:
        if b.value is None:
            continue
        about = [b.year] if b.year else []
        if b.n is not None:
            about.append(f"{'median' if 'median' in b.comparator else 'mean'} of {b.n}")
        year = f" ({', '.join(about)})" if about else ""
        parts.append(f"{b.comparator}{year}: {format_number(b.value, r.decimals, r.unit == '%')}")
    standing = standing_text(r)
    if standing:
        next_band = _next_band_text(r)
        parts.append(
            f"national rank {standing}" + (f"; {next_band}" if next_band else "")
            if r.standing is not None and r.standing.rank is not None
            else standing + (f"; {next_band}" if next_band else "")
        )
    return "; ".join(parts) or None


def _comment_text(r: IndicatorResult) -> str | None:
    benchmarks = _benchmark_text(r)
    parts = [
        t
        for t in (
            benchmarks and f"Benchmarks: {benchmarks}",
            r.comment,
            r.improvement_activity and f"Improvement activity: {r.improvement_activity}",
            r.next_steps and f"Next steps: {r.next_steps}",
        )
        if t
    ]
    return "\n".join(parts) or None


SUMMARY_HEADERS = [
    "Row",
    FORMAT_COLUMN_HEADER,
    "No.",  # numbered, as boards refer to an exception by its number ("item 3")
    "Ref",
    "Measure",
    "Green from",
    "Current position",
    "Count",
    "RAG",
    "Previous RAG",
    "Comments",  # benchmarks first, then the officer's commentary
]
SUMMARY_WIDTH = len(SUMMARY_HEADERS)


def left_out_text(refs: list[str]) -> str | None:
    """The Summary's line for indicators left out for errors: "2 indicators left out: FD 3, W 4
    (see the Validation sheet)"; None when none is."""
    if not refs:
        return None
    noun = "indicator" if len(refs) == 1 else "indicators"
    return f"{len(refs)} {noun} left out: {', '.join(refs)} (see the {VALIDATION} sheet)"


def render_summary(report: Report) -> SheetRender:
    values = title_rows(
        report, f"{report.stamp.organisation or ''} Performance summary".strip(), SUMMARY_WIDTH
    )

    def count_row(kind: str, status: str | None, count: Any) -> list[Any]:
        return _placed(kind, COUNT_COLUMNS, [status, count])

    header = count_row(HEADER, "Status", "Number")
    header[1] = FORMAT_COLUMN_HEADER
    values.append(header)
    labels = {
        "Green": "Green",
        "Amber": "Amber",
        "Red": "Red",
        "No data": "Measures where data is currently unavailable",
        "No target": "Measures where no target has been set",
        "Not due": "Annual measures whose data is not yet due",
        "Context": "Context measures (not rated)",
    }
    for key, count in report.summary.items():
        values.append(count_row(ROW, labels[key], count))
    left_out = left_out_text(report.left_out)
    if left_out:
        values.append(count_row(ROW, left_out, len(report.left_out)))
    total = sum(report.summary.values()) + len(report.left_out)
    values.append(count_row(ROW, "Total measures", total))
    values.extend(board_narrative_rows(report))
    by_ref = {r.ref: r for r in report.indicators}
    for heading, refs in (
        ("Key areas of good performance", report.good),
        ("Areas of lower than expected performance (Red or Amber)", report.exceptions),
    ):
        values.append([BLANK, *[None] * (SUMMARY_WIDTH - 1)])
        values.append([SECTION, None, heading, *[None] * (SUMMARY_WIDTH - 3)])
        values.append([HEADER, *SUMMARY_HEADERS[1:]])
        if not refs:
            values.append(count_row(ROW, "None this period", None))
        for number, ref in enumerate(refs, start=1):
            r = by_ref[ref]
            values.append(
                [
                    ROW,
                    format_key(r.unit, min(r.decimals, MAX_DECIMALS)),
                    number,
                    r.ref,
                    r.title,
                    r.green_from,
                    _position(r),
                    count_text(r),
                    r.rag,
                    r.previous_rag,
                    _comment_text(r),
                ]
            )
    return SheetRender(
        SUMMARY, [Block(1, 1, values)], wrap_columns=wrapped(SUMMARY, SUMMARY_HEADERS)
    )


# The counts' columns: under the tables' Measure and Green from, the widest text column and the
# first number column.
COUNT_COLUMNS: tuple[tuple[str, str], ...] = (("Status", "Measure"), ("Number", "Green from"))
# The action log's columns, under the indicator tables' columns of these names, so that long text
# lands in the wide, wrapped ones.
ACTION_LOG_COLUMNS: tuple[tuple[str, str], ...] = (
    ("Action ref", "Ref"),
    ("Action", "Measure"),
    ("Owner", "Green from"),
    ("Due", "Current position"),
    ("Status", "RAG"),
    ("Indicator", "Comments"),
)
# Narrative text is written as lines of at most this many characters, each in the Summary's first
# column and running on across the empty cells to its right: the width of the whole table, where
# a wrapped cell would keep a paragraph to one column. Short enough for the printed page in a
# font wider than Calibri.
NARRATIVE_LINE = 130
OVERDUE = "Overdue"


def _placed(kind: str, columns: tuple[tuple[str, str], ...], texts: list[Any]) -> list[Any]:
    """A Summary row of ``kind`` with ``texts`` under the columns ``columns`` name."""
    row: list[Any] = [kind, *[None] * (SUMMARY_WIDTH - 1)]
    for (_, under), text in zip(columns, texts, strict=True):
        row[SUMMARY_HEADERS.index(under)] = text
    return row


def _due_text(due: str | None) -> str:
    if due is None:
        return "TBC"
    day = _dt.date.fromisoformat(due)
    return f"{day.day} {day:%b %Y}"


SECTION_COMMENTARY = "Section commentary"


def narrative_lines(paragraph: str) -> list[str]:
    """A paragraph as lines of at most NARRATIVE_LINE characters, broken between words."""
    import textwrap

    return textwrap.wrap(paragraph, NARRATIVE_LINE, break_on_hyphens=False) or [""]


def board_narrative_rows(report: Report) -> list[list[Any]]:
    """The Summary's Director's summary, each section's commentary (its paragraphs, Improvement
    activity and Next steps as lines across the page, as seed 003 prints them under each section)
    and the Action log, each under a section row; a block with nothing in it is left out. An
    action not Done or Dropped that was due by the end of the reporting period is "Overdue"."""
    rows: list[list[Any]] = []
    width = SUMMARY_WIDTH
    text_at = SUMMARY_HEADERS.index("No.")

    def heading(title: str) -> None:
        rows.append([BLANK, *[None] * (width - 1)])
        rows.append([SECTION, None, title, *[None] * (width - 3)])

    def paragraphs(text: SectionCommentary) -> None:
        parts = [p.strip() for p in (text.commentary or "").splitlines() if p.strip()]
        for name, part in (
            ("Improvement activity", text.improvement_activity),
            ("Next steps", text.next_steps),
        ):
            if part and part.strip():
                parts.append(f"{name}: {' '.join(part.split())}")
        for k, part in enumerate(parts):
            if k:
                rows.append([BLANK, *[None] * (width - 1)])
            for line in narrative_lines(part):
                row: list[Any] = [ROW, *[None] * (width - 1)]
                row[text_at] = line
                rows.append(row)

    if report.directors_summary is not None:
        heading("Director's summary")
        paragraphs(report.directors_summary)
    for c in report.section_commentary:
        heading(f"{SECTION_COMMENTARY}: {c.section}")
        paragraphs(c)
    if report.actions:
        heading("Action log")
        columns = ACTION_LOG_COLUMNS
        rows.append(_placed(HEADER, columns, [name for name, _ in columns]))
        for a in report.actions:
            indicator = (
                f"{a.indicator_ref}: {a.indicator_title}"
                if a.indicator_ref and a.indicator_title
                else a.indicator_ref
            )
            status = OVERDUE if a.overdue else a.status
            texts = [a.action_ref, a.action, a.owner, _due_text(a.due), status, indicator]
            rows.append(_placed(ROW, columns, texts))
    return rows


VALIDATION_HEADERS = ["Row", "Severity", "Sheet", "Cell", "Ref", "Reason", "What to do"]
VALIDATION_WIDTH = len(VALIDATION_HEADERS)


def _quote(sheet: str) -> str:
    return "'" + sheet.replace("'", "''") + "'"


def render_validation(report: Report) -> SheetRender:
    values = title_rows(report, "Validation: problems found in the input sheets", VALIDATION_WIDTH)
    values.append([HEADER, *VALIDATION_HEADERS[1:]])
    links = []
    order = sorted(report.issues, key=lambda i: (i.severity.value != "error",))
    for issue in order:
        values.append(
            [
                ROW,
                issue.severity.value.capitalize(),
                issue.sheet,
                issue.cell,
                issue.ref,
                reason_words(issue.code),
                issue.message,
            ]
        )
        if issue.cell:
            links.append(Link(len(values), 4, f"{_quote(issue.sheet)}!{issue.cell}"))
    if not order:
        values.append([ROW, None, None, None, None, None, "No problems found."])
    return SheetRender(
        VALIDATION, [Block(1, 1, values)], links, wrapped(VALIDATION, VALIDATION_HEADERS)
    )


TEAMS_HEADERS = [
    "Row",
    FORMAT_COLUMN_HEADER,
    "Ref",
    "Team",
    "Period",
    "Outturn",
    "Numerator",
    "Denominator",
    "Green from",
    "RAG",
    "Notes",
]
TEAMS_WIDTH = len(TEAMS_HEADERS)
TEAMS_COUNT_COLUMNS = ("Numerator", "Denominator")  # counts, not in the indicator's unit
AUTHORITY_ROW = "Whole authority"


def _count(x: float | None) -> str:
    return (
        format_number(x, 0 if x is None or float(x).is_integer() else 1) if x is not None else "?"
    )


def _team_notes(r: IndicatorResult, team: TeamResult) -> str | None:
    notes = []
    if team.outturn is None:
        notes.append(team.missing_reason or "No data")
    if team.small_denominator and team.numerator is not None and team.denominator is not None:
        notes.append(small_number_note(r, team.numerator, team.denominator))
    if team.outturn is not None and team.rag is None:
        target = team.target if team.target is not None else r.current_target
        notes.append(
            "Context"
            if r.polarity is None
            else "No target"
            if target is None and r.rag_rule == "tolerance"
            else "not rated"
        )
    return "; ".join(notes) or None


def _authority_notes(r: IndicatorResult) -> str | None:
    own = _notes(r)
    notes = [own] if own else []
    nums = [t.numerator for t in r.teams if t.numerator is not None]
    dens = [t.denominator for t in r.teams if t.denominator is not None]
    if (
        r.numerator is not None
        and r.denominator is not None
        and nums
        and dens
        and len(nums) == len(r.teams)
        and (abs(sum(nums) - r.numerator) > 1e-9 or abs(sum(dens) - r.denominator) > 1e-9)
    ):
        # Seed 002's "DCSC not included in area": the authority counts cases that are in no team.
        notes.append(
            f"the teams add up to {_count(sum(nums))} of {_count(sum(dens))}: "
            "some cases are in no team"
        )
    return "; ".join(notes) or None


def render_teams(report: Report) -> SheetRender:
    """Team and area breakdowns: for each indicator with teams, the whole authority's figure for the
    outturn period, then each team's outturn, numerator and denominator, target and RAG (a team is
    rated against its own milestone where the Targets sheet gives one, else the authority's)."""
    org = report.stamp.organisation or ""
    values = title_rows(report, f"{org} Team and area breakdowns".strip(), TEAMS_WIDTH)
    values.append([HEADER, *TEAMS_HEADERS[1:]])
    pad = [None] * (TEAMS_WIDTH - 3)
    shown = [r for r in report.indicators if r.teams]
    for r in shown:
        key = format_key(r.unit, min(r.decimals, MAX_DECIMALS))
        period = label(r.period) if r.period is not None else None
        values.append([SECTION, None, f"{r.ref}  {r.title}", *pad])
        values.append(
            [
                ROW,
                key,
                r.ref,
                AUTHORITY_ROW,
                period,
                _position_or_symbol(r.outturn, r.outturn_missing_reason),
                r.numerator,
                r.denominator,
                r.green_from,
                r.rag,
                _authority_notes(r),
            ]
        )
        for t in r.teams:
            values.append(
                [
                    ROW,
                    key,
                    r.ref,
                    t.team,
                    period,
                    _position_or_symbol(t.outturn, t.missing_reason),
                    t.numerator,
                    t.denominator,
                    t.green_from if t.green_from is not None else r.green_from,
                    t.rag,
                    _team_notes(r, t),
                ]
            )
    if not shown:
        values.append(
            [
                ROW,
                None,
                None,
                "No indicator has figures by team or area this period.",
                *[None] * (TEAMS_WIDTH - 4),
            ]
        )
    return SheetRender(TEAMS, [Block(1, 1, values)], wrap_columns=wrapped(TEAMS, TEAMS_HEADERS))


def _position_or_symbol(value: float | None, reason: str | None) -> Any:
    return value if value is not None else _short_missing(reason)


def render(
    report: Report,
    months_shown: int = 12,
    plan_label: str | None = None,
    baseline_label: str | None = None,
    colours: dict[str, str] | None = None,
    chart_slots: Sequence[Slot] | int | None = None,
    chart_pictures: bool = False,
) -> RenderModel:
    """The output sheets for a report, in :data:`OUTPUT_SHEETS` order. ``chart_slots`` and
    ``chart_pictures``: the charts the workbook has, as :func:`kpi_engine.charts.render_charts`
    takes them."""
    sheets = {
        SUMMARY: render_summary(report),
        DASHBOARD: render_dashboard(report, months_shown, plan_label, baseline_label),
        VALIDATION: render_validation(report),
        TEAMS: render_teams(report),
        CHARTS: render_charts(report, months_shown, plan_label, chart_slots, chart_pictures),
    }
    return RenderModel([sheets[name] for name in OUTPUT_SHEETS], dict(colours or {}))


def default_dashboard_headers(
    months_shown: int = 12, reporting_period: int | None = None
) -> list[str]:
    """The Dashboard's header row for a template (no results yet): what the template styles."""
    from .periods import month as make_month
    from .results import Stamp

    reporting = reporting_period if reporting_period is not None else make_month(2025, 3)
    empty = Report(Stamp(None, reporting, None, "", "", None), [], [])
    months = list(range(reporting - months_shown + 1, reporting + 1))
    return dashboard_headers(empty, months, "Plan target", "Baseline")


def dashboard_number_columns(headers: list[str]) -> dict[str, list[int]]:
    """Dashboard columns (1-based) by how their numbers are formatted from the row's format key:
    ``plain`` in the unit, ``signed`` with a sign, ``signed+1`` with a sign and one more decimal."""
    text = {
        "Row",
        FORMAT_COLUMN_HEADER,
        "Ref",
        "Indicator",
        "Polarity",
        "Count",
        "RAG",
        "Previous RAG",
        "Direction",
        "On track for plan",
        RANK_HEADER,
        "Owner",
        "RAG methodology",
        "Notes",
    }
    groups: dict[str, list[int]] = {"plain": [], "signed": [], "signed+1": []}
    for i, h in enumerate(headers, start=1):
        if h.startswith(CHANGE_SINCE):
            groups["signed"].append(i)
        elif h not in text:
            groups["plain"].append(i)
    return groups
