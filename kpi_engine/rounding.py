"""Rounding as Excel displays it, and as DfE publishes.

Excel shows 169/200 (0.845) as 85%: it rounds half away from zero on the number's shortest
decimal form, although the binary float 0.845 is a hair below one half. Python's ``round``
rounds half to even on the binary value and gets both wrong, so every comparison that decides a
colour goes through :func:`displayed`.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Context, Decimal

_HUNDRED = Decimal(100)
# Enough digits for any finite float at any decimals shown (Decimal's default 28 is not).
WIDE = Context(prec=400)
_QUANTUM = {d: Decimal(1).scaleb(-d) for d in range(10)}


def to_decimal(x: float) -> Decimal:
    """The shortest decimal that reads back as ``x`` (``repr``), as Excel would print it."""
    return Decimal(repr(float(x)))


def quantum(decimals: int) -> Decimal:
    """The step of a value shown at ``decimals`` places (``quantum(1) == Decimal('0.1')``)."""
    return _QUANTUM[max(0, min(decimals, 9))]


def displayed(x: float, decimals: int, percent: bool = False) -> Decimal:
    """The value as the cell shows it, in the unit shown (percentage points for a percent).

    ``displayed(0.845, 0, percent=True) == Decimal('85')``.
    """
    d = to_decimal(x)
    if percent:
        d = WIDE.multiply(d, _HUNDRED)
    return d.quantize(_QUANTUM[max(0, min(decimals, 9))], rounding=ROUND_HALF_UP, context=WIDE)


def round_half_away(x: float, decimals: int = 0) -> float:
    """``x`` rounded half away from zero at ``decimals`` places, on its shortest decimal form."""
    return float(
        to_decimal(x).quantize(
            _QUANTUM[max(0, min(decimals, 9))], rounding=ROUND_HALF_UP, context=WIDE
        )
    )


def format_number(x: float, decimals: int, percent: bool = False) -> str:
    """Text of a value as displayed: ``85%``, ``17.8``, ``1,829``."""
    d = displayed(x, decimals, percent)
    text = f"{d:,.{max(0, decimals)}f}"
    return text + "%" if percent else text
