"""The old dashboard's colours, checked: an imported Reported RAG against the colour the rules give.

``kpi-dashboard import`` keeps the RAG a hand-made dashboard showed, as it was typed ("Yellow"
included), with the month it was for. Where that month is the reporting period and the rules give
another colour, the Validation sheet says so and why: the first thing an officer shows a manager.
"""

from __future__ import annotations

from decimal import Decimal

from .issues import Code
from .methodology import Band, Methodology
from .model import Indicator, Inputs
from .periods import label
from .rag import AMBER, GREEN, RED
from .results import IndicatorResult, Report
from .rounding import displayed, format_number

_COLOURS = {"r": RED, "red": RED, "a": AMBER, "amber": AMBER, "g": GREEN, "green": GREEN}


def colour_of(typed: str) -> str:
    """A typed colour as the engine names it ("G", "green" -> Green); anything else as typed."""
    return _COLOURS.get(typed.strip().lower(), typed.strip())


def _in(band: Band, value: Decimal) -> bool:
    if band.low is not None and (
        value < band.low or (value == band.low and not band.low_inclusive)
    ):
        return False
    return not (
        band.high is not None
        and (value > band.high or (value == band.high and not band.high_inclusive))
    )


def in_a_gap(methodology: Methodology, value: float, decimals: int) -> bool:
    """Whether ``value``, as displayed, falls in none of the written bands."""
    shown = displayed(value, decimals, methodology.percent)  # in percentage points for a %
    return not any(_in(b, shown) for b in methodology.bands)


def _reasons(ind: Indicator, r: IndicatorResult, said: str) -> str:
    reasons = []
    written = ind.methodology
    if said not in (RED, AMBER, GREEN):
        has = "the methodology" if written is not None else "the rules"
        reasons.append(f"{has} has no {said}")
    if r.outturn is not None:
        shown = format_number(r.outturn, r.decimals, r.unit == "%")
        if written is not None and written.gaps and in_a_gap(written, r.outturn, r.decimals):
            reasons.append(f"{shown} falls in its gap")
        elif r.rag is not None and r.methodology:
            reasons.append(f"{shown} is {r.rag} by '{r.methodology}'")
        elif r.rag is not None and r.current_target is not None:
            target = format_number(r.current_target, r.decimals, r.unit == "%")
            reasons.append(f"{shown} is {r.rag} against the target of {target}")
    if r.rag is None and r.rag_reason:
        reasons.append(f"it is not rated ({r.rag_reason})")
    return " and ".join(reasons) if reasons else "the rules decide it on the figures"


def check_reported(report: Report, inputs: Inputs) -> None:
    """Carry each indicator's Reported RAG into its result, and warn where it differs."""
    reporting = inputs.settings.reporting_period
    sheet = inputs.sheet_names.get("Indicators", "Indicators")
    for r in report.indicators:
        ind = inputs.indicators.get(r.ref)
        if ind is None or not ind.reported_rag:
            continue
        r.reported_rag = ind.reported_rag
        r.reported_rag_period = ind.reported_rag_period
        period = ind.reported_rag_period
        if period is None or period != reporting:
            continue
        said = colour_of(ind.reported_rag)
        if said == r.rag:
            continue
        gives = r.rag or "no colour"
        where = ind.record.cell("Reported RAG") if ind.record is not None else None
        inputs.log.warning(
            sheet,
            where,
            Code.REPORTED_RAG_DIFFERS,
            (
                f"{r.ref}: the old dashboard said {ind.reported_rag} for {label(period)}; the "
                f"rules give {gives}: {_reasons(ind, r, said)}. Check the figure and the bands, "
                "then tell the board which colour is right."
            ),
            r.ref,
        )
