"""Turning an Indicators row into an :class:`~kpi_engine.model.Indicator`, and checking it.

Here live the checks that read a whole definition: the written RAG methodology (read when the
thresholds are blank, compared with them when both are given), its gaps and overlaps, a polarity
that fights its own bands, a target that its own bands would rate Amber or Red, and percentages
typed without "%". A row with an error is left out of the dashboard and said so; warnings keep it.
"""

from __future__ import annotations

import re
from typing import Any, TypeGuard

from .cells import show
from .errors import MethodologyError
from .issues import Code, IssueLog
from .methodology import Methodology, describe, parse_methodology
from .model import Indicator, Settings, Tolerance
from .periods import from_iso, label
from .rag import GREEN, rate_bands
from .rounding import displayed, format_number
from .schema import sheet_schema
from .sheets import REJECTED, Record

_DEFAULT_DECIMALS = {"%": 0, "number": 0, "rate per 10,000": 1, "days": 0, "weeks": 0}
_ABSOLUTE = re.compile(r"^\s*([0-9]+(?:\.[0-9]+)?)\s*([a-z ]*)$", re.IGNORECASE)
# The columns that hold a figure in the indicator's own unit (a fraction for a percentage): the
# Indicators schema's plain number columns.
_PERCENT_FIELDS = tuple(
    name for name, column in sheet_schema("Indicators").columns.items() if column.kind == "number"
)


# A fraction above this is almost always a percentage typed without its % sign (85 for 85%).
PERCENT_LIMIT = 1.5


def typed_without_percent(number: float | None) -> TypeGuard[float]:
    """Whether a number in a percentage field looks like a percentage typed without '%'."""
    return number is not None and abs(number) > PERCENT_LIMIT


def percent_hint(name: str, number: float) -> str:
    """The message for a percentage typed without its % sign."""
    return (
        f"{name} {show(number)} looks like a percentage typed without '%': "
        f"percentages are stored as fractions, so type {show(number)}% "
        f"(or {show(round(number / 100, 6))})."
    )


def _number(value: Any) -> float | None:
    return (
        value
        if isinstance(value, float) or (isinstance(value, int) and not isinstance(value, bool))
        else None
    )


def _tolerance(raw: Any, percent: bool) -> Tolerance | None:
    if raw is None or raw == REJECTED:
        return None
    if isinstance(raw, (int, float)):
        return Tolerance(float(raw), True)
    m = _ABSOLUTE.match(str(raw))
    if not m:
        return None
    amount = float(m.group(1))
    word = " ".join(m.group(2).split()) or ("pts" if percent else "")
    return Tolerance(amount / 100 if percent else amount, False, word)


def _defaults(v: dict[str, Any]) -> tuple[str, str, int]:
    measure, unit = v.get("Measure"), v.get("Unit")
    if measure is None:
        measure = {"%": "percentage", "rate per 10,000": "rate per 10,000"}.get(unit or "", "value")
    if unit is None:
        unit = {"percentage": "%", "rate per 10,000": "rate per 10,000"}.get(measure, "number")
    decimals = v.get("Decimals")
    if decimals is None:
        decimals = 1 if measure == "average" else _DEFAULT_DECIMALS.get(unit, 0)
    return measure, unit, decimals


def build_indicator(
    record: Record, sheet: str, settings: Settings, log: IssueLog
) -> Indicator | None:
    """The indicator a row defines, or ``None`` (with the reason logged) when it has an error."""
    v = record.values
    ref = v["Ref"]
    bad = [name for name, value in v.items() if value == REJECTED]
    measure, unit, decimals = _defaults({k: (None if x == REJECTED else x) for k, x in v.items()})
    percent = unit == "%"
    for name in _PERCENT_FIELDS:
        x = _number(v.get(name))
        if percent and typed_without_percent(x):
            log.error(
                sheet, record.cell(name), Code.PERCENT_WITHOUT_SIGN, percent_hint(name, x), ref
            )
            bad.append(name)
    tolerance = _tolerance(v.get("Tolerance"), percent)
    if isinstance(v.get("Tolerance"), (int, float)) and v["Tolerance"] > PERCENT_LIMIT:
        log.error(
            sheet,
            record.cell("Tolerance"),
            Code.PERCENT_WITHOUT_SIGN,
            (
                f"Tolerance {show(v['Tolerance'])} is a fraction of the target, "
                f"so it should be below {show(PERCENT_LIMIT)}: for within "
                f"{show(v['Tolerance'])}% type {show(v['Tolerance'])}%, "
                f"or type '{show(v['Tolerance'])} pts' for an absolute margin."
            ),
            ref,
        )
        bad.append("Tolerance")
    v = {k: (None if x == REJECTED else x) for k, x in v.items()}
    title = v.get("Title")  # required: None only when rejected, and then the row is left out
    ind = Indicator(
        ref=ref,
        title=title if title is not None else ref,
        section=v.get("Section"),
        polarity=v.get("Polarity"),
        unit=unit,
        decimals=decimals,
        measure=measure,
        frequency=v.get("Frequency") or "monthly",
        aggregation=v.get("Aggregation") or "flow",
        lag=v.get("Lag") or 0,
        due_month=v.get("Due month"),
        target=_number(v.get("Target")),
        methodology_text=v.get("RAG methodology"),
        tolerance=tolerance,
        baseline=_number(v.get("Baseline")),
        owner=v.get("Owner"),
        chart=v.get("Chart") or "line",
        dfe_measure=v.get("DfE measure"),
        record=record,
        green=_number(v.get("Green threshold")),
        amber=_number(v.get("Amber threshold")),
        plan_target=_number(v.get("Plan target")),
    )
    if v.get("Baseline period"):
        ind.baseline_period = from_iso(v["Baseline period"])
    ind.reported_rag = v.get("Reported RAG")
    if v.get("Reported RAG period"):
        ind.reported_rag_period = from_iso(v["Reported RAG period"])
    _read_methodology(ind, record, sheet, log)
    _decide_direction(ind, record, sheet, log)
    _decide_rule(ind, v.get("RAG rule"), record, sheet, log)
    _check_target(ind, record, sheet, log)
    _check_plan(ind, settings, record, sheet, log)
    if bad:
        log.error(
            sheet,
            record.cell("Ref"),
            Code.INDICATOR_LEFT_OUT,
            (
                f"{ref} is left out of the dashboard until the problems on its row "
                f"({', '.join(dict.fromkeys(bad))}) are put right."
            ),
            ref,
        )
        return None
    return ind


def _read_methodology(ind: Indicator, record: Record, sheet: str, log: IssueLog) -> None:
    text = ind.methodology_text
    if not text:
        return
    where = record.cell("RAG methodology")
    if "%" in text and not ind.percent:
        try:
            _report_bands(ind, parse_methodology(text, True), where, sheet, log)
        except MethodologyError:
            pass
        log.warning(
            sheet,
            where,
            Code.METHODOLOGY_UNIT,
            (
                f"{ind.ref}'s RAG methodology is written in percentages ('{text}') "
                f"but the indicator's Unit is {ind.unit}, so it cannot be applied. "
                "Write the bands as plain numbers in the indicator's unit, "
                "or set Unit to % and give percentage figures."
            ),
            ind.ref,
        )
        return
    try:
        parsed = parse_methodology(text, ind.percent)
    except MethodologyError as err:
        log.warning(
            sheet,
            where,
            Code.METHODOLOGY_UNREADABLE,
            f"{ind.ref}'s RAG methodology cannot be read: {err}",
            ind.ref,
        )
        return
    _report_bands(ind, parsed, where, sheet, log)
    if ind.green is None and ind.amber is None:
        ind.methodology = parsed
        ind.green, ind.amber = parsed.green, parsed.amber
        ind.band_direction = parsed.direction
        return
    ind.methodology = parsed
    given_dir = _threshold_direction(ind.green, ind.amber) or parsed.direction
    given_amber = ind.amber if ind.amber is not None else ind.green
    text_amber = parsed.amber if parsed.amber is not None else parsed.green
    same = (
        given_dir == parsed.direction
        and _same_shown(ind, ind.green, parsed.green)
        and _same_shown(ind, given_amber, text_amber)
    )
    if not same:
        green = ind.green if ind.green is not None else parsed.green
        rated = describe(given_dir, green, ind.amber, ind.decimals, ind.percent)
        log.warning(
            sheet,
            where,
            Code.METHODOLOGY_MISMATCH,
            (
                f"{ind.ref}'s RAG methodology ('{text}') does not match "
                f"its Green and Amber thresholds, which rate as '{rated}'. "
                "The thresholds are used: correct whichever is wrong."
            ),
            ind.ref,
        )


def _report_bands(
    ind: Indicator, parsed: Methodology, where: str, sheet: str, log: IssueLog
) -> None:
    for gap in parsed.gaps:
        log.warning(
            sheet,
            where,
            Code.METHODOLOGY_GAP,
            (
                f"{ind.ref}'s RAG methodology leaves a gap: {gap} "
                "Make each band start one step after the last ends."
            ),
            ind.ref,
        )
    for overlap in parsed.overlaps:
        log.warning(
            sheet,
            where,
            Code.METHODOLOGY_OVERLAP,
            (
                f"{ind.ref}'s RAG methodology has overlapping bands: {overlap} "
                "Make each band start one step after the last ends."
            ),
            ind.ref,
        )


def _same_shown(ind: Indicator, a: float | None, b: float | None) -> bool:
    """Equal as displayed
    (two more digits than shown, so 0.9 and 0.90 agree but 0.9 and 0.85 do not)."""
    if a is None or b is None:
        return a is None and b is None
    return displayed(a, ind.decimals + 2, ind.percent) == displayed(
        b, ind.decimals + 2, ind.percent
    )


def _threshold_direction(green: float | None, amber: float | None) -> str | None:
    if green is None or amber is None or green == amber:
        return None
    return "BIB" if green > amber else "SIB"


def _decide_direction(ind: Indicator, record: Record, sheet: str, log: IssueLog) -> None:
    implied = ind.band_direction or _threshold_direction(ind.green, ind.amber)
    ind.band_direction = implied
    if implied is None:
        return
    source = (
        "RAG methodology" if ind.methodology is not None and ind.band_direction else "thresholds"
    )
    words = {"BIB": "bigger is better", "SIB": "smaller is better"}
    if ind.polarity is None:
        ind.polarity = implied
        log.warning(
            sheet,
            record.cell("Polarity"),
            Code.POLARITY_FROM_METHODOLOGY,
            (
                f"{ind.ref} has no Polarity but its {source} "
                f"rate{'s' if source.endswith('y') else ''} higher values "
                f"{'better' if implied == 'BIB' else 'worse'}, "
                f"so it is treated as {implied} ({words[implied]}). "
                f"Type {implied} in Polarity to confirm, "
                f"or clear the {source} to make it a context measure."
            ),
            ind.ref,
        )
    elif ind.polarity != implied:
        log.warning(
            sheet,
            record.cell("Polarity"),
            Code.POLARITY_CONFLICT,
            (
                f"{ind.ref} is marked {ind.polarity} ({words[ind.polarity]}) but its {source} rate"
                f"{'s' if source.endswith('y') else ''} "
                f"{'higher' if implied == 'BIB' else 'lower'} values Green. "
                "RAG follows the bands as written; "
                "direction of travel and benchmarks follow Polarity. "
                "Correct whichever is wrong."
            ),
            ind.ref,
        )


def _decide_rule(
    ind: Indicator, rule: str | None, record: Record, sheet: str, log: IssueLog
) -> None:
    if rule is None:
        # With nothing to rate against, a rated polarity still reads "No target", not "Context".
        rule = "bands" if ind.green is not None else "tolerance"
    if rule == "bands" and ind.green is None:
        log.warning(
            sheet,
            record.cell("RAG rule"),
            Code.THRESHOLDS_INCOMPLETE,
            (
                f"{ind.ref} is rated by bands but has no Green threshold "
                "or readable RAG methodology, so it gets no colour. "
                "Give the Green and Amber thresholds, or a methodology such as "
                "'90% or above Green 85%-89% Amber 84% and below Red'."
            ),
            ind.ref,
        )
    ind.rag_rule = rule


def _check_target(ind: Indicator, record: Record, sheet: str, log: IssueLog) -> None:
    if ind.rag_rule != "bands" or ind.green is None or ind.target is None:
        return
    direction = ind.band_direction or ind.polarity or "BIB"
    colour = rate_bands(ind.target, ind.green, ind.amber, direction, ind.decimals, ind.percent)
    if colour != GREEN:
        bands = describe(direction, ind.green, ind.amber, ind.decimals, ind.percent)
        log.warning(
            sheet,
            record.cell("Target"),
            Code.TARGET_NOT_GREEN,
            (
                f"{ind.ref}'s target, {_show(ind, ind.target)}, "
                f"would itself be rated {colour} by its bands ({bands}). "
                "Meeting the target should earn Green: correct the target or the bands."
            ),
            ind.ref,
        )


def _check_plan(
    ind: Indicator, settings: Settings, record: Record, sheet: str, log: IssueLog
) -> None:
    if ind.plan_target is None or ind.baseline is None:
        return
    start, end = ind.baseline_period, settings.plan_target_period
    if start is None or end is None:
        missing = []
        if start is None:
            missing.append("its Baseline period")
        if end is None:
            missing.append("the Settings' Plan target period")
        log.warning(
            sheet,
            record.cell("Baseline period"),
            Code.BASELINE_INCOMPLETE,
            (
                f"{ind.ref} has a Baseline and a Plan target but not {' or '.join(missing)}, "
                "so the straight-line trajectory between them cannot be drawn "
                "and the Target is used instead."
            ),
            ind.ref,
        )
    elif start >= end:
        log.warning(
            sheet,
            record.cell("Baseline period"),
            Code.BASELINE_INCOMPLETE,
            (
                f"{ind.ref}'s Baseline period {label(start)} is not before "
                f"the plan target period {label(end)}, so no trajectory is drawn."
            ),
            ind.ref,
        )
        ind.baseline_period = None


def _show(ind: Indicator, x: float) -> str:
    return format_number(x, ind.decimals, ind.percent)
