"""Where RAG is decided.

Every decision is made on the value as displayed (rounded half away from zero to the
indicator's decimals), so a cell never shows 90% in Amber when Green starts at 90%.
"""

from __future__ import annotations

from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from .model import Indicator, Tolerance
from .rounding import WIDE, displayed, format_number, quantum, to_decimal

GREEN, AMBER, RED = "Green", "Amber", "Red"
# Why there is no colour.
NO_DATA, NO_TARGET, NOT_DUE, CONTEXT = "No data", "No target", "Not due", "Context"
REASONS = (NO_DATA, NO_TARGET, NOT_DUE, CONTEXT)
_HUNDRED = Decimal(100)


def _threshold(x: float, percent: bool) -> Decimal:
    d = to_decimal(x)
    return WIDE.multiply(d, _HUNDRED) if percent else d


def rate_bands(
    value: float, green: float, amber: float | None, direction: str, decimals: int, percent: bool
) -> str:
    """``bands``: BIB Green at or above Green, Amber at or above Amber, else Red; SIB mirrored."""
    shown = displayed(value, decimals, percent)
    g = _threshold(green, percent)
    a = _threshold(amber, percent) if amber is not None else g
    if direction == "BIB":
        return GREEN if shown >= g else AMBER if shown >= a else RED
    return GREEN if shown <= g else AMBER if shown <= a else RED


def tolerance_amount(target: float, tolerance: Tolerance, percent: bool) -> Decimal:
    """The Amber margin in the unit displayed (percentage points for a %)."""
    if tolerance.relative:
        return WIDE.multiply(abs(_threshold(target, percent)), to_decimal(tolerance.amount))
    return _threshold(tolerance.amount, percent)


def rate_tolerance(
    value: float, target: float, tolerance: Tolerance, polarity: str, decimals: int, percent: bool
) -> str:
    """``tolerance``: Green when the target is met, Amber within the tolerance of it, else Red."""
    shown = displayed(value, decimals, percent)
    t = _threshold(target, percent)
    margin = tolerance_amount(target, tolerance, percent)
    if polarity == "BIB":
        return GREEN if shown >= t else AMBER if shown >= WIDE.subtract(t, margin) else RED
    return GREEN if shown <= t else AMBER if shown <= WIDE.add(t, margin) else RED


def meets(value: float, target: float, polarity: str, decimals: int, percent: bool) -> bool:
    """Whether a value meets a target, as displayed."""
    shown = displayed(value, decimals, percent)
    t = displayed(target, decimals, percent)
    return shown >= t if polarity == "BIB" else shown <= t


def rate(
    indicator: Indicator, value: float | None, target: float | None, default_tolerance: float
) -> tuple[str | None, str | None]:
    """(colour, None) or (None, reason) for a value against the target in force."""
    if indicator.polarity is None or indicator.rag_rule == "none":
        return None, CONTEXT
    if value is None:
        return None, NO_DATA
    if indicator.rag_rule == "bands":
        if indicator.green is None:
            return None, NO_TARGET
        direction = indicator.band_direction or indicator.polarity
        return rate_bands(
            value,
            indicator.green,
            indicator.amber,
            direction,
            indicator.decimals,
            indicator.percent,
        ), None
    if target is None:
        return None, NO_TARGET
    tolerance = indicator.tolerance or Tolerance(default_tolerance, True)
    return rate_tolerance(
        value, target, tolerance, indicator.polarity, indicator.decimals, indicator.percent
    ), None


def green_from(indicator: Indicator, target: float | None) -> tuple[float | None, str | None]:
    """The value at which the indicator turns Green, and which side of it is Green (``BIB``: at
    or above it; ``SIB``: at or below it); ``(None, None)`` when it is not rated.

    The value is the Green threshold for ``bands`` and the target in force for ``tolerance``,
    as displayed: moved onto the indicator's decimals, to the first displayed value that is Green.
    A target of 83.3% on a whole-percent indicator turns Green from 84%, since 83% falls short of
    it; a threshold already at the decimals shown (90%) is itself. So the figure printed beside a
    colour is exactly the one the colour was judged against.
    """
    if indicator.polarity is None or indicator.rag_rule == "none":
        return None, None
    if indicator.rag_rule == "bands":
        threshold = indicator.green
        direction = indicator.band_direction or indicator.polarity
    else:
        threshold, direction = target, indicator.polarity
    if threshold is None:
        return None, None
    exact = _threshold(threshold, indicator.percent)
    step = quantum(indicator.decimals)
    shown = exact.quantize(
        step, rounding=ROUND_CEILING if direction == "BIB" else ROUND_FLOOR, context=WIDE
    )
    value = WIDE.divide(shown, _HUNDRED) if indicator.percent else shown
    return float(value), direction


def describe_tolerance(
    tolerance: Tolerance | None, default: float, decimals: int, percent: bool
) -> str:
    """The tolerance rule in words, as the dashboard prints it beside the colour."""
    if tolerance is None or tolerance.relative:
        share = tolerance.amount if tolerance is not None else default
        within = f"within {format_number(share, 0, True)} of it"
    else:
        amount = format_number(
            tolerance.amount * 100 if percent else tolerance.amount, max(decimals, 0), False
        )
        amount = amount.rstrip("0").rstrip(".") if "." in amount else amount
        within = f"within {amount} {tolerance.unit_word} of it".replace("  ", " ")
    return f"Green when the target is met, Amber {within}, else Red"
