"""From the sheets' grids to checked :class:`~kpi_engine.model.Inputs`.

Each sheet is read by its schema (:mod:`kpi_engine.sheets`), then turned into model objects with
the checks that need more than one cell: an unknown or duplicate Ref, a percentage typed without
"%", a numerator above its denominator, a percentage or a fraction typed where a count goes.
Indicator definitions are checked in :mod:`kpi_engine.definitions`. Nothing here raises for bad
input: every problem is logged.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from typing import Any

from .cells import read_text, show
from .colours import read_colour
from .definitions import build_indicator, percent_hint, typed_without_percent
from .issues import Code, IssueLog, column_letter
from .missing import INVALID as INVALID_REASON
from .missing import reason_for
from .model import (
    DEFAULT_COLOURS,
    Benchmark,
    Comment,
    DataRow,
    Indicator,
    Inputs,
    Milestone,
    Settings,
    TeamDates,
)
from .narrative import read_actions, read_narrative
from .outturn import Span, team_spans
from .periods import Month, from_iso, label
from .rounding import format_number, round_half_away
from .schema import sheet_schema
from .sheets import REJECTED, Grid, Record, Table, normalise, read_table, read_value
from .workbook_names import ACTIONS, INPUT_SHEETS, NARRATIVE, TEAM_LIST


def find_sheets(sheets: Mapping[str, Grid]) -> dict[str, str]:
    """Canonical sheet name -> the workbook's own name for it (matched ignoring case and spaces;
    where two sheets match, the first)."""
    by_key: dict[str, str] = {}
    for name in sheets:
        by_key.setdefault(normalise(name), name)
    found = {}
    for canonical in INPUT_SHEETS:
        own = by_key.get(canonical.lower())
        if own is not None:
            found[canonical] = own
    return found


def input_sheet_names(names: list[str]) -> list[str]:
    """Every sheet in a workbook whose name is an input sheet's
    (duplicates included, to be reported)."""
    canonical = {normalise(n) for n in INPUT_SHEETS}
    return [n for n in names if normalise(n) in canonical]


def read_settings(grid: Grid, sheet: str, log: IssueLog) -> Settings:
    schema = sheet_schema("Settings")
    settings = Settings()
    by_key = {normalise(name): col for name, col in schema.columns.items()}
    start, key_col, value_col = 0, 0, 1
    for r in range(min(30, len(grid))):
        row = [normalise(v) for v in grid[r]]
        if "setting" in row and "value" in row:
            start, key_col, value_col = r + 1, row.index("setting"), row.index("value")
            break
    values: dict[str, Any] = {}
    given: dict[str, tuple[str, Any]] = {}  # setting -> the value cell and what it holds
    for r in range(start, len(grid)):
        line = grid[r]
        key = normalise(line[key_col]) if key_col < len(line) else ""
        if not key:
            continue
        column = by_key.get(key)
        address = f"{column_letter(value_col)}{r + 1}"
        if column is None:
            log.warning(
                sheet,
                f"{column_letter(key_col)}{r + 1}",
                Code.UNKNOWN_SETTING,
                f"Setting '{show(line[key_col])}' is not one the engine uses; "
                "it is kept but ignored. "
                f"Known settings: {', '.join(schema.columns)}.",
            )
            continue
        raw = line[value_col] if value_col < len(line) else None
        if column.name in given:
            _given_twice(sheet, column.name, given[column.name], (address, raw), log)
        given[column.name] = (address, raw)
        if column.name in COLOUR_SETTINGS:
            value = _read_colour(column.name, raw, sheet, address, log)
        else:
            value = read_value(column, raw, sheet, address, log)
        if value not in (None, REJECTED):
            values[column.name] = value
    settings.organisation = values.get("Organisation")
    settings.local_authority = values.get("Local authority")
    if "Reporting period" in values:
        settings.reporting_period = from_iso(values["Reporting period"])
    settings.data_as_at = values.get("Data as at")
    settings.year_start_month = values.get("Year start month", 4)
    settings.plan_target_label = values.get("Plan target label")
    if "Plan target period" in values:
        settings.plan_target_period = from_iso(values["Plan target period"])
    settings.baseline_label = values.get("Baseline label")
    settings.default_tolerance = values.get("Default amber tolerance", 0.1)
    settings.months_shown = values.get("Months shown", 12)
    settings.forecast_points = values.get("Forecast points", 6)
    settings.paper_size = values.get("Paper size", "A4")
    for name, word in COLOUR_SETTINGS.items():
        if name in values:
            settings.colours[word] = values[name]
    return settings


COLOUR_SETTINGS = {f"{word} colour": word for word in DEFAULT_COLOURS}  # setting -> RAG word


def _given_twice(
    sheet: str,
    what: str,
    first: tuple[str, Any],
    later: tuple[str, Any],
    log: IssueLog,
    ref: str | None = None,
) -> None:
    """A warning at both cells of a value given twice, which the later one wins."""
    message = (
        f"{what} is given twice: {first[0]} ({show(first[1])}) and {later[0]} "
        f"({show(later[1])}). The later one, {later[0]}, is used; delete the other."
    )
    for address, _ in (first, later):
        log.warning(sheet, address, Code.DUPLICATE_ROW, message, ref)


def _read_colour(name: str, raw: Any, sheet: str, address: str, log: IssueLog) -> str | None:
    """A RAG colour setting as ``RRGGBB``; None (the default kept) when blank, or, with a
    warning, when it is not a colour. The text on it is black or white, whichever contrasts more,
    which is always enough (kpi_engine.colours), so no colour is refused for its contrast."""
    text = read_text(raw)
    if text is None:
        return None
    colour = read_colour(text)
    if colour is None:
        default = DEFAULT_COLOURS[COLOUR_SETTINGS[name]]
        log.warning(
            sheet,
            address,
            Code.BAD_TEXT,
            f"{name} '{show(raw)}' is not a colour: the dashboard keeps the default, #{default}. "
            "Type a hex code of six digits and letters A to F, such as #1F7A3A.",
        )
    return colour


def _read_indicators(table: Table, settings: Settings, log: IssueLog) -> dict[str, Indicator]:
    indicators: dict[str, Indicator] = {}
    first_row: dict[str, int] = {}
    for record in table.records:
        ref = record.get("Ref")
        if ref in (None, REJECTED):
            continue
        if ref in indicators or ref in first_row:
            log.error(
                table.sheet,
                record.cell("Ref"),
                Code.DUPLICATE_REF,
                (
                    f"Ref '{ref}' is already used on row {first_row[ref] + 1}. "
                    "Each indicator needs its own Ref: "
                    "rename one, or delete the duplicate row. This row is left out."
                ),
                ref,
            )
            continue
        first_row[ref] = record.row
        indicator = build_indicator(record, table.sheet, settings, log)
        if indicator is not None:
            indicators[ref] = indicator
    return indicators


def _is_unknown(ref: str, known: set[str] | None, sheet: str, cell: str, log: IssueLog) -> bool:
    """True (and an error logged) for a Ref not on the Indicators sheet. ``known`` is None when
    the Indicators sheet could not be read, and then no row is blamed for it."""
    if known is None or ref in known:
        return False
    log.error(
        sheet,
        cell,
        Code.UNKNOWN_REF,
        f"Ref '{ref}' is not on the Indicators sheet. Correct the Ref, or add the indicator there.",
        ref,
    )
    return True


def _number_or_missing(value: Any) -> tuple[float | None, str | None]:
    """A read number cell as (number, None) or (None, reason)."""
    if value is None:
        return None, None
    if value == REJECTED:
        return None, INVALID_REASON
    if isinstance(value, str):
        return None, reason_for(value)
    return value, None


def _read_points(
    table: Table,
    indicators: dict[str, Indicator],
    known_refs: set[str] | None,
    reporting: Month | None,
    log: IssueLog,
) -> list[DataRow]:
    points: list[DataRow] = []
    seen: dict[tuple[str, Month, str | None], int] = {}
    sheet = table.sheet
    counts = _Counts()
    for record in table.records:
        values = record.values
        ref = values.get("Ref")
        period_text = values.get("Period")
        if ref in (None, REJECTED) or period_text in (None, REJECTED):
            continue
        indicator = indicators.get(ref)
        if indicator is None:
            _is_unknown(ref, known_refs, sheet, record.cell("Ref"), log)
            continue
        period = from_iso(period_text)
        team = values.get("Team")
        if team == REJECTED:
            continue
        key = (ref, period, team)
        if key in seen:
            log.error(
                sheet,
                record.cell("Period"),
                Code.DUPLICATE_ROW,
                (
                    f"{ref} already has a row for {label(period, reporting)}"
                    f"{' for ' + team if team else ''} (row {seen[key] + 1}). "
                    "Delete one of them; this row is ignored."
                ),
                ref,
            )
            continue
        seen[key] = record.row
        numerator, n_missing = _number_or_missing(values.get("Numerator"))
        denominator, d_missing = _number_or_missing(values.get("Denominator"))
        value, v_missing = _number_or_missing(values.get("Value"))
        missing = None
        if indicator.percent and typed_without_percent(value):
            log.error(
                sheet,
                record.cell("Value"),
                Code.PERCENT_WITHOUT_SIGN,
                percent_hint("Value", value),
                ref,
            )
            value, v_missing = None, INVALID_REASON
        needs_ratio = indicator.measure != "value"
        if needs_ratio and (
            numerator is not None or denominator is not None or n_missing or d_missing
        ):
            if n_missing or d_missing:
                missing = n_missing or d_missing
                numerator = denominator = None
            elif numerator is None or denominator is None:
                name = "Denominator" if denominator is None else "Numerator"
                log.error(
                    sheet,
                    record.cell(name),
                    Code.MISSING_DENOMINATOR,
                    (
                        f"{ref} {label(period, reporting)} has a "
                        f"{'numerator' if denominator is None else 'denominator'} but no "
                        f"{name.lower()}. Type both, or neither and the Value instead."
                    ),
                    ref,
                )
                numerator = denominator = None
                missing = INVALID_REASON
            elif denominator == 0:
                if numerator:
                    log.error(
                        sheet,
                        record.cell("Denominator"),
                        Code.ZERO_DENOMINATOR,
                        (
                            f"{ref} {label(period, reporting)} has a numerator of "
                            f"{show(numerator)} out of 0. Correct the denominator."
                        ),
                        ref,
                    )
                    missing = INVALID_REASON
                else:
                    log.warning(
                        sheet,
                        record.cell("Denominator"),
                        Code.ZERO_DENOMINATOR,
                        (
                            f"{ref} {label(period, reporting)} is 0 out of 0, "
                            "so it has no outturn this month (shown as 'No cases')."
                        ),
                        ref,
                    )
                    missing = "No cases"
                numerator = denominator = None
            elif indicator.measure == "percentage" and numerator > denominator:
                log.error(
                    sheet,
                    record.cell("Numerator"),
                    Code.NUMERATOR_ABOVE_DENOMINATOR,
                    (
                        f"{ref} {label(period, reporting)}: numerator {show(numerator)} "
                        f"is more than denominator {show(denominator)}, "
                        "so the percentage would be over 100%. "
                        "Check which figure goes in which column."
                    ),
                    ref,
                )
                numerator = denominator = None
                missing = INVALID_REASON
            else:
                counts.check(indicator, record, sheet, period, numerator, denominator, log)
        if numerator is None and value is None and missing is None:
            missing = v_missing or n_missing or d_missing
        if reporting is not None and period > reporting:
            log.warning(
                sheet,
                record.cell("Period"),
                Code.PERIOD_AFTER_REPORTING,
                (
                    f"{ref} has data for {label(period, reporting)}, "
                    f"after the reporting period {label(reporting)}; it is not used."
                ),
                ref,
            )
            continue
        points.append(DataRow(ref, period, team, numerator, denominator, value, missing, record))
    counts.warn_not_whole(sheet, log)
    return points


# A figure that is not whole, in at most this share of an indicator's rows, is taken for a slip;
# in more, for a measure of FTE (a vacancy rate: 25.3 vacant FTE of 112), and left alone.
NOT_WHOLE_SHARE = 0.25


def _whole(x: float) -> bool:
    return abs(x - round(x)) <= 1e-9 * max(1.0, abs(x))


def _looks_like_percent(x: float, other: float) -> bool:
    """A fraction such as 0.83 beside a whole number: a percentage (83%, or "83%" typed as text,
    which reads as 0.83) typed where a count goes."""
    return 0 < x < 1 and _whole(other) and other >= 1


class _Counts:
    """Numerators and denominators checked as counts, with a warning at the cell that says what to
    type instead; the figures are used as typed.

    - A fraction such as 0.83 beside a whole denominator, in Numerator, is a percentage typed where
      a count goes (any Measure but ``value``).
    - A ``rate per 10,000`` counts children: its Numerator is a whole number.
    - A ``percentage`` counts cases, but some count FTE (a vacancy rate), so a Numerator or
      Denominator that is not whole is warned of only where most of the indicator's rows are whole.
    - An ``average`` divides by FTE (31.5 social workers), so its figures need not be whole.
    """

    def __init__(self) -> None:
        self.rows: dict[str, int] = {}  # ref -> rows with both figures
        self.not_whole: dict[tuple[str, str], list[tuple[Record, Month, float]]] = {}

    def check(
        self,
        ind: Indicator,
        record: Record,
        sheet: str,
        period: Month,
        numerator: float,
        denominator: float,
        log: IssueLog,
    ) -> None:
        self.rows[ind.ref] = self.rows.get(ind.ref, 0) + 1
        where = f"{ind.ref} {label(period)}"
        if _looks_like_percent(numerator, denominator):
            log.warning(
                sheet,
                record.cell("Numerator"),
                Code.PERCENT_IN_COUNT,
                _percent_in_count(ind, where, numerator, denominator),
                ind.ref,
            )
        elif ind.measure == "rate per 10,000" and not _whole(numerator):
            log.warning(
                sheet,
                record.cell("Numerator"),
                Code.COUNT_NOT_WHOLE,
                (
                    f"{where}: Numerator {show(numerator)} is not a whole number, but it counts "
                    "children. Type the number of children, a whole number."
                ),
                ind.ref,
            )
        elif ind.measure == "percentage" and not _whole(numerator):
            self.not_whole.setdefault((ind.ref, "Numerator"), []).append(
                (record, period, numerator)
            )
        if ind.measure == "percentage" and not _whole(denominator):
            self.not_whole.setdefault((ind.ref, "Denominator"), []).append(
                (record, period, denominator)
            )

    def warn_not_whole(self, sheet: str, log: IssueLog) -> None:
        """The percentages' counts that are not whole, where most of the indicator's are."""
        for (ref, name), found in self.not_whole.items():
            rows = self.rows[ref]
            if len(found) > NOT_WHOLE_SHARE * rows:
                continue
            for record, period, x in found:
                log.warning(
                    sheet,
                    record.cell(name),
                    Code.COUNT_NOT_WHOLE,
                    (
                        f"{ref} {label(period)}: {name} {show(x)} is not a whole number, but it "
                        f"counts cases, as {ref}'s other {name.lower()}s do. Type the number of "
                        "cases, a whole number. (A figure divided by FTE, such as a caseload, is "
                        "Measure 'average'.)"
                    ),
                    ref,
                )


def _percent_in_count(ind: Indicator, where: str, numerator: float, denominator: float) -> str:
    """The message for a percentage typed into Numerator, with what to type instead."""
    outturn = numerator / denominator * (10_000 if ind.measure == "rate per 10,000" else 1)
    shown = format_number(outturn, ind.decimals, ind.percent)
    pct = f"{show(round(numerator * 100, 6))}%"
    if ind.measure == "percentage":
        cases = numerator * denominator
        about = "" if _whole(cases) else "about "
        instead = (
            f"Type the number of cases ({pct} of {show(denominator)} is "
            f"{about}{show(round_half_away(cases))}), or clear Numerator and Denominator "
            f"and type {pct} in Value."
        )
    elif ind.measure == "average":
        instead = "Type the count: an average divides one count by another (cases by FTE)."
    else:
        instead = "Type the number of children."
    return (
        f"{where}: Numerator {show(numerator)} looks like a percentage ({pct}) typed "
        f"where a count goes, so the outturn comes out as {shown}. {instead}"
    )


def _read_milestones(
    table: Table, indicators: dict[str, Indicator], known: set[str] | None, log: IssueLog
) -> list[Milestone]:
    out = []
    given: dict[tuple[str, str, Any], tuple[str, Any]] = {}
    for record in table.records:
        ref, period, target = record.get("Ref"), record.get("Period"), record.get("Target")
        if REJECTED in (ref, period, target) or None in (ref, period, target):
            continue
        indicator = indicators.get(ref)
        if indicator is None:
            _is_unknown(ref, known, table.sheet, record.cell("Ref"), log)
            continue
        if indicator.percent and typed_without_percent(target):
            log.error(
                table.sheet,
                record.cell("Target"),
                Code.PERCENT_WITHOUT_SIGN,
                percent_hint("Target", target),
                ref,
            )
            continue
        team = record.get("Team")
        team = None if team == REJECTED else team
        key, cell = (ref, period, team), (record.cell("Target"), _as_typed(indicator, target))
        if key in given:
            for_team = f"for {team}" if team else "for the whole authority"
            what = f"{ref}'s target for {label(from_iso(period))} {for_team}"
            _given_twice(table.sheet, what, given[key], cell, log, ref)
        given[key] = cell
        out.append(Milestone(ref, from_iso(period), target, team))
    return out


def _as_typed(indicator: Indicator, value: float) -> str:
    """A target as the officer typed it: 85% for a percentage (stored as 0.85)."""
    return f"{value * 100:g}%" if indicator.percent else show(value)


def _read_benchmarks(
    table: Table, indicators: dict[str, Indicator], known: set[str] | None, log: IssueLog
) -> list[Benchmark]:
    out = []
    for record in table.records:
        ref, comparator = record.get("Ref"), record.get("Comparator")
        if REJECTED in (ref, comparator) or None in (ref, comparator):
            continue
        indicator = indicators.get(ref)
        if indicator is None:
            _is_unknown(ref, known, table.sheet, record.cell("Ref"), log)
            continue
        value, missing = _number_or_missing(record.get("Value"))
        if indicator.percent and typed_without_percent(value):
            log.error(
                table.sheet,
                record.cell("Value"),
                Code.PERCENT_WITHOUT_SIGN,
                percent_hint("Value", value),
                ref,
            )
            value, missing = None, INVALID_REASON
        year = record.get("Year")
        extra = {
            n: None if record.get(n) == REJECTED else record.get(n)
            for n in ("Source", "N", "Rank", "Of", "Quartile", "Next band at")
        }
        for n in ("N", "Rank", "Of"):  # whole numbers, read from a cell as floats
            whole = extra[n]
            if isinstance(whole, float) and whole.is_integer():
                extra[n] = int(whole)
        out.append(
            Benchmark(
                ref,
                comparator,
                None if year in (None, REJECTED) else str(year),
                value,
                missing,
                source=extra["Source"],
                n=extra["N"],
                rank=extra["Rank"],
                of=extra["Of"],
                quartile=extra["Quartile"],
                next_band_at=extra["Next band at"],
            )
        )
    return out


def _read_comments(table: Table, known: set[str] | None, log: IssueLog) -> list[Comment]:
    out = []
    for record in table.records:
        ref, period = record.get("Ref"), record.get("Period")
        if REJECTED in (ref, period) or None in (ref, period):
            continue
        if _is_unknown(ref, known, table.sheet, record.cell("Ref"), log):
            continue
        texts = [record.get(n) for n in ("Comment", "Improvement activity", "Next steps")]
        texts = [None if t == REJECTED else t for t in texts]
        out.append(Comment(ref, from_iso(period), *texts))
    return out


def _month_or_none(value: Any) -> Month | None:
    return None if value in (None, REJECTED) else from_iso(value)


def _read_team_list(
    table: Table, data_teams: dict[str, str] | None, data_sheet: str, log: IssueLog
) -> list[TeamDates]:
    """The Team list's rows, each Team spelt as the Data sheet spells it (case and spaces
    ignored). ``data_teams`` (the Data sheet's teams, by their normalised name) is None when there
    is no Data sheet to read, and then no Team is blamed for it. A bad month is reported where it
    is read (kpi_engine.sheets) and the row keeps its other date."""
    sheet = table.sheet
    first_row: dict[str, int] = {}
    out: list[TeamDates] = []
    for record in table.records:
        team = record.get("Team")
        if team in (None, REJECTED):
            continue
        key = normalise(team)
        if key in first_row:
            log.warning(
                sheet,
                record.cell("Team"),
                Code.DUPLICATE_ROW,
                (
                    f"Team '{team}' is already on row {first_row[key] + 1} of the {sheet} sheet, "
                    "and only that row is used. Put its From and To on one row, and delete the "
                    "other."
                ),
            )
            continue
        first_row[key] = record.row
        if data_teams is not None and key not in data_teams:
            close = difflib.get_close_matches(team, sorted(data_teams.values()), n=1)
            hint = f" Did you mean '{close[0]}'?" if close else ""
            log.warning(
                sheet,
                record.cell("Team"),
                Code.UNKNOWN_TEAM,
                (
                    f"Team '{team}' has no rows on the {data_sheet} sheet, so its dates change "
                    f"nothing.{hint} Type the team as the {data_sheet} sheet's Team column "
                    "spells it."
                ),
            )
        start, end = _month_or_none(record.get("From")), _month_or_none(record.get("To"))
        if start is not None and end is not None and end < start:
            log.error(
                sheet,
                record.cell("To"),
                Code.TO_BEFORE_FROM,
                (
                    f"{team}'s To, {label(end)}, is before its From, {label(start)}. Correct one "
                    "of them: From is the first month the team existed, To the last. This row "
                    "is ignored."
                ),
            )
            continue
        name = data_teams.get(key, team) if data_teams is not None else team
        out.append(TeamDates(name, start, end, record))
    return out


def _check_team_dates(
    points: list[DataRow],
    listed: list[TeamDates],
    spans: Mapping[str, Span],
    sheet_names: Mapping[str, str],
    log: IssueLog,
) -> None:
    """Warnings where the Data sheet and the teams' dates disagree: figures outside a team's Team
    list dates (left out of the total), and a team without a To that has no row for the latest
    month, which may have closed or be late: the data cannot tell which."""
    data_sheet = sheet_names.get("Data", "Data")
    team_sheet = sheet_names.get(TEAM_LIST)
    rows: dict[str, list[DataRow]] = {}
    for p in points:
        if p.team is not None:
            rows.setdefault(p.team, []).append(p)
    if not rows:
        return
    for t in listed:
        if t.record is None:
            continue
        mine = sorted(rows.get(t.team, ()), key=lambda p: p.period)
        before = [p for p in mine if t.start is not None and p.period < t.start]
        after = [p for p in mine if t.end is not None and p.period > t.end]
        for outside, name, side in ((before, "From", "before"), (after, "To", "after")):
            if not outside:
                continue
            p = outside[0]
            where = f"row {p.record.row + 1}, " if p.record is not None else ""
            date = t.start if side == "before" else t.end
            assert date is not None
            if len(outside) == 1:
                rows_text, which, pronoun = "a row", "", "it is"
            else:
                rows_text, which, pronoun = f"{len(outside)} rows", "the first: ", "they are"
            log.warning(
                team_sheet or TEAM_LIST,
                t.record.cell(name),
                Code.OUTSIDE_TEAM_DATES,
                (
                    f"The {data_sheet} sheet has {rows_text} for {t.team} {side} its {name}, "
                    f"{label(date)} ({which}{where}{label(p.period)}): {pronoun} shown for "
                    f"{t.team} but left out of the whole authority's total. Correct the {name}, "
                    "or the Period on the Data sheet."
                ),
            )
    latest = max(p.period for team_rows in rows.values() for p in team_rows)
    summed_at_latest = {
        p.ref for team_rows in rows.values() for p in team_rows if p.period == latest
    }
    listed_by_team = {t.team: t for t in listed}
    for team in sorted(rows):
        span = spans.get(team)
        last = max(rows[team], key=lambda p: p.period)
        if (span is not None and span.end is not None) or last.period >= latest:
            continue
        # The indicators whose total for the latest month it holds back (others have rows then).
        held = sorted({p.ref for p in rows[team]} & summed_at_latest)
        if not held:
            continue
        refs = ", ".join(held[:5]) + (f" and {len(held) - 5} more" if len(held) > 5 else "")
        row = listed_by_team.get(team)
        sheet: str = team_sheet or TEAM_LIST
        cell: str | None
        if row is not None and row.record is not None:
            cell = row.record.cell("To")
        else:
            sheet, cell = data_sheet, last.record.cell("Team") if last.record else None
        where = (
            f"on the {team_sheet} sheet"
            if team_sheet
            else f"on a {TEAM_LIST} sheet (kpi-dashboard upgrade adds one)"
        )
        log.warning(
            sheet,
            cell,
            Code.TEAM_STOPPED,
            (
                f"{team} has no rows for {label(latest)}, the latest month on the {data_sheet} "
                f"sheet (its last are for {label(last.period)}), so the whole authority's "
                f"{label(latest)} total of {refs} is missing. If {team} "
                f"has closed, give it a To month {where}: {label(last.period)}, its last month. "
                f"If its figures are late, add them to the {data_sheet} sheet."
            ),
        )


def read_inputs(sheets: Mapping[str, Grid]) -> Inputs:
    """Read and check every input sheet. Never raises for bad input: see ``inputs.log``."""
    log = IssueLog()
    names = find_sheets(sheets)
    for canonical, chosen in names.items():
        others = [n for n in sheets if n != chosen and normalise(n) == canonical.lower()]
        for other in others:
            log.error(
                other,
                None,
                Code.DUPLICATE_SHEET,
                (
                    f"The workbook has two {canonical} sheets, '{chosen}' and '{other}'; "
                    f"only '{chosen}' is read. Delete or rename '{other}'."
                ),
            )
    for required in ("Indicators", "Data"):
        if required not in names:
            log.error(
                required,
                None,
                Code.MISSING_SHEET,
                (
                    f"The workbook has no '{required}' sheet. "
                    "Add it (a new template has every sheet), "
                    "or rename the sheet that holds this table."
                ),
            )
    settings = (
        read_settings(sheets[names["Settings"]], names["Settings"], log)
        if "Settings" in names
        else Settings()
    )
    extra = {}
    if settings.plan_target_label:
        extra[settings.plan_target_label] = "Plan target"
    if settings.baseline_label:
        extra[settings.baseline_label] = "Baseline"
    indicators: dict[str, Indicator] = {}
    known: set[str] | None = (
        None  # None: the Indicators sheet could not be read, so Refs cannot be checked
    )
    sections: list[str] | None = None  # the Indicators sheet's, in order; None likewise
    if "Indicators" in names:
        table = read_table(
            names["Indicators"], sheets[names["Indicators"]], sheet_schema("Indicators"), log, extra
        )
        if table.records or (
            table.header_row is not None and all(n in table.columns for n in ("Ref", "Title"))
        ):
            known = {r.get("Ref") for r in table.records if r.get("Ref") not in (None, REJECTED)}
            sections = list(
                dict.fromkeys(
                    r.get("Section")
                    for r in table.records
                    if r.get("Section") not in (None, REJECTED)
                )
            )
        indicators = _read_indicators(table, settings, log)
    points: list[DataRow] = []
    data_teams: dict[str, str] | None = None  # the Data sheet's teams, by normalised name
    if "Data" in names:
        table = read_table(
            names["Data"], sheets[names["Data"]], sheet_schema("Data"), log, allow_wide=True
        )
        data_teams = {}
        for r in table.records:
            team = r.values.get("Team")
            if isinstance(team, str):
                data_teams.setdefault(normalise(team), team)
        if settings.reporting_period is None:
            periods = [
                from_iso(r.values["Period"])
                for r in table.records
                if r.values.get("Period") not in (None, REJECTED)
            ]
            if periods:
                settings.reporting_period = max(periods)
                log.warning(
                    names.get("Settings", "Settings"),
                    None,
                    Code.NO_REPORTING_PERIOD,
                    (
                        "No Reporting period is set, so the latest month with data, "
                        f"{label(settings.reporting_period)}, is used. "
                        "Set 'Reporting period' on the Settings sheet to choose it."
                    ),
                )
        points = _read_points(table, indicators, known, settings.reporting_period, log)
        if not table.records and table.header_row is not None:
            log.warning(
                table.sheet, None, Code.NO_DATA_ROWS, "The Data sheet has no rows of figures yet."
            )
    milestones: list[Milestone] = []
    benchmarks: list[Benchmark] = []
    comments: list[Comment] = []
    if "Targets" in names:
        t = read_table(names["Targets"], sheets[names["Targets"]], sheet_schema("Targets"), log)
        milestones = _read_milestones(t, indicators, known, log)
    if "Benchmarks" in names:
        t = read_table(
            names["Benchmarks"], sheets[names["Benchmarks"]], sheet_schema("Benchmarks"), log
        )
        benchmarks = _read_benchmarks(t, indicators, known, log)
    if "Commentary" in names:
        t = read_table(
            names["Commentary"], sheets[names["Commentary"]], sheet_schema("Commentary"), log
        )
        comments = _read_comments(t, known, log)
    inputs = Inputs(settings, indicators, points, milestones, benchmarks, comments, log, names)
    if NARRATIVE in names:
        t = read_table(names[NARRATIVE], sheets[names[NARRATIVE]], sheet_schema(NARRATIVE), log)
        inputs.narrative = read_narrative(t, sections, log)
    if ACTIONS in names:
        t = read_table(names[ACTIONS], sheets[names[ACTIONS]], sheet_schema(ACTIONS), log)
        inputs.actions = read_actions(t, known, log)
    team_grid = sheets[names[TEAM_LIST]] if TEAM_LIST in names else []
    if any(v not in (None, "") for row in team_grid for v in row):  # optional: blank is absent
        t = read_table(names[TEAM_LIST], sheets[names[TEAM_LIST]], sheet_schema(TEAM_LIST), log)
        inputs.team_list = _read_team_list(t, data_teams, names.get("Data", "Data"), log)
    spans = team_spans(points, inputs.team_list)
    _check_team_dates(points, inputs.team_list, spans, names, log)
    return inputs
