"""RAG methodology text: read officers' words into thresholds,
and write the canonical text back.

Officers write the Red/Amber/Green rule in words ("90% or above Green 85%-89% Amber 84% and below
Red"), and real reports disagree with their own numbers: bands that skip values, or claim the
same value twice. Reading the text lets the engine compare it with the thresholds it is given and
say, in plain English, where the words leave a value without a colour or give it two.

The reading runs in three steps: a tokenizer finds colours, numbers and comparison words (other
words are filler); a band builder turns each colour's tokens into a :class:`Band`; the checks
order the bands, decide the direction and compare neighbours for gaps and overlaps.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from itertools import pairwise

from .errors import MethodologyError
from .rounding import displayed

COLOURS = ("Green", "Amber", "Red")
_INF = Decimal("Infinity")
_EXAMPLE = "17 or below Green, 18-20 Amber, 21 and above Red"


@dataclass(frozen=True, slots=True)
class Band:
    """One colour's range, in the unit as written, so messages can quote the officer's numbers."""

    colour: str
    low: Decimal | None
    low_inclusive: bool
    high: Decimal | None
    high_inclusive: bool


@dataclass(frozen=True, slots=True)
class Methodology:
    """What the text means: the direction and thresholds the RAG needs,
    and what is wrong with it."""

    direction: str
    green: float
    amber: float | None
    bands: tuple[Band, ...]
    step: Decimal
    percent: bool
    gaps: tuple[str, ...]
    overlaps: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _Token:
    kind: str  # colour | number | op | sep | range
    text: str
    value: str | Decimal | _Op | None = None  # colour name, Decimal, or _Op

    @property
    def number(self) -> Decimal:
        """The value of a ``number`` token."""
        assert isinstance(self.value, Decimal), self
        return self.value

    @property
    def op(self) -> _Op:
        """The comparison of an ``op`` token."""
        assert isinstance(self.value, _Op), self
        return self.value


@dataclass(frozen=True, slots=True)
class _Op:
    side: str  # "low" (a lower bound: above, or more) or "high" (an upper bound: below, or less)
    inclusive: bool
    # Applies to the number after it ("below 85"), else the one before ("85 or below").
    prefix: bool


# Comparison words, longest first so "or above" wins over "above" and "less than or equal to"
# over "less than". A space stands for any run of whitespace.
_OPS: list[tuple[str, _Op]] = [
    (
        r"(?:greater|more|higher) than or equal to|equal to or (?:greater|more|higher) than",
        _Op("low", True, True),
    ),
    (
        r"(?:less|fewer|lower) than or equal to|equal to or (?:less|fewer|lower) than",
        _Op("high", True, True),
    ),
    (r"(?:or|and) (?:above|over|more|greater|higher|upwards?)|plus", _Op("low", True, False)),
    (r"(?:or|and) (?:below|under|less|fewer|lower|downwards?)", _Op("high", True, False)),
    (r"at least|not? (?:less|fewer|lower) than|minimum(?: of)?", _Op("low", True, True)),
    (r"at most|up to|not? (?:more|greater|higher) than|maximum(?: of)?", _Op("high", True, True)),
    (r"(?:greater|more|higher) than|above|over|exceeding", _Op("low", False, True)),
    (r"(?:less|fewer|lower) than|below|under", _Op("high", False, True)),
]
_SYMBOL_OPS: list[tuple[str, _Op]] = [
    (r">=|=>|≥", _Op("low", True, True)),
    (r"<=|=<|≤", _Op("high", True, True)),
    (r"\+", _Op("low", True, False)),
    (r">", _Op("low", False, True)),
    (r"<", _Op("high", False, True)),
]
_ALL_OPS = [(r"\b(?:" + p.replace(" ", r"\s+") + r")\b", op) for p, op in _OPS] + _SYMBOL_OPS
_OP_VALUES = [op for _, op in _ALL_OPS]

_COLOUR_WORD = r"(?:green|amber|red)"
_TOKEN_RE = re.compile(
    "|".join(
        [
            rf"(?P<compound>\b{_COLOUR_WORD}(?:\s*/\s*|-){_COLOUR_WORD}\b)",
            rf"(?P<colour>\b{_COLOUR_WORD}\b)",
            r"(?P<bad>\b(?:yellow|orange|blue|purple|pink|grey|gray|brown)\b)",
        ]
        + [f"(?P<op{i}>{p})" for i, (p, _) in enumerate(_ALL_OPS)]
        + [
            (
                r"(?P<number>[-−]?(?:(?:[0-9]{1,3}(?:,[0-9]{3})+(?![0-9])|[0-9]+)"
                r"(?:\.[0-9]+)?|\.[0-9]+))"
            ),
            r"(?P<range>\bto\b|\buntil\b|[-–—−])",
            r"(?P<sep>[,;|\n]|\.(?![0-9]))",
        ]
    ),
    re.IGNORECASE,
)


# Builds the error for a reason; the helpers raise what it returns.
_Fail = Callable[[str], MethodologyError]


def _fail(text: str, percent: bool, reason: str) -> MethodologyError:
    """A MethodologyError naming the problem, quoting the text and showing a form that works."""
    quoted = text if len(text) <= 200 else text[:197] + "..."
    example = "90% or above Green, 85%-89% Amber, 84% and below Red" if percent else _EXAMPLE
    return MethodologyError(
        f'Cannot read the RAG methodology "{quoted}": {reason}. Write it like "{example}".'
    )


def _tokenize(text: str, percent: bool) -> list[_Token]:
    """Colours, numbers, comparison words and separators; every other word is filler."""
    tokens: list[_Token] = []
    for m in _TOKEN_RE.finditer(text):
        kind = m.lastgroup or ""
        raw = m.group(0)
        if kind in ("compound", "bad"):
            raise _fail(
                text,
                percent,
                f'"{raw}" is not a colour the dashboard uses: only Green, Amber and Red are used',
            )
        if kind == "colour":
            tokens.append(_Token("colour", raw, raw.capitalize()))
        elif kind.startswith("op"):
            tokens.append(_Token("op", raw, _OP_VALUES[int(kind[2:])]))
        elif kind == "number":
            tokens.extend(_number_tokens(raw, tokens))
        else:
            tokens.append(_Token(kind, raw))
    return tokens


def _number_tokens(raw: str, before: list[_Token]) -> list[_Token]:
    """A number; a leading minus right after another number is a dash ("85-89"), not a sign."""
    signed = raw[0] in "-−"
    digits = raw[1:] if signed else raw
    value = Decimal(digits.replace(",", ""))
    if signed and before and before[-1].kind == "number":
        return [_Token("range", raw[0]), _Token("number", digits, value)]
    return [_Token("number", raw, -value if signed else value)]


def _chunks(tokens: list[_Token]) -> list[tuple[str, list[_Token]]]:
    """(colour, its tokens) per band: by separators when each clause names one colour,
    else by colour order."""
    clauses: list[list[_Token]] = [[]]
    for t in tokens:
        if t.kind == "sep":
            clauses.append([])
        elif t.kind != "range":
            clauses[-1].append(t)
    clauses = [c for c in clauses if c]
    if clauses and all(sum(t.kind == "colour" for t in c) == 1 for c in clauses):
        return [
            (
                next(str(t.value) for t in c if t.kind == "colour"),
                [t for t in c if t.kind != "colour"],
            )
            for c in clauses
        ]
    flat = [t for c in clauses for t in c]
    chunks: list[tuple[str, list[_Token]]] = []
    if flat and flat[0].kind == "colour":  # colour first: "Green: 90% or above; Amber: ..."
        for t in flat:
            if t.kind == "colour":
                chunks.append((str(t.value), []))
            else:
                chunks[-1][1].append(t)
        return chunks
    current: list[_Token] = []  # range first: "90% or above Green ..."
    for t in flat:
        if t.kind == "colour":
            chunks.append((str(t.value), current))
            current = []
        else:
            current.append(t)
    if current:
        chunks.append(("", current))  # words after the last colour: reported by the caller
    return chunks


def _attach(colour: str, tokens: list[_Token], fail: _Fail) -> list[tuple[Decimal, _Op | None]]:
    """Each number with the comparison word that applies to it ("below 85", "85 or below")."""
    numbers = [i for i, t in enumerate(tokens) if t.kind == "number"]
    ops: dict[int, _Op | None] = {i: None for i in numbers}
    for i, t in enumerate(tokens):
        if t.kind != "op":
            continue
        after = [n for n in numbers if n > i]
        candidates = after if t.op.prefix else [n for n in reversed(numbers) if n < i] + after
        if not candidates:
            raise fail(f'"{t.text}" in the {colour} band has no number to apply to')
        target = candidates[0]
        if ops[target] not in (None, t.op):
            raise fail(
                f'the {colour} band says both "{tokens[target].text}" and "{t.text}" '
                "of the same number"
            )
        ops[target] = t.op
    return [(tokens[i].number, ops[i]) for i in numbers]


def _build_band(colour: str, tokens: list[_Token], fail: _Fail) -> Band:
    """One band from its numbers:
    one number with a comparison, a range of two, or a single value."""
    numbers = _attach(colour, tokens, fail)
    if not numbers:
        raise fail(f"the {colour} band has no number")
    if len(numbers) > 2:
        raise fail(
            f"the {colour} band has {len(numbers)} numbers; a band has one limit or a range of two"
        )
    if len(numbers) == 1:
        ((v, op),) = numbers
        if op is None:
            return Band(colour, v, True, v, True)
        if op.side == "low":
            return Band(colour, v, op.inclusive, None, False)
        return Band(colour, None, False, v, op.inclusive)
    (a, op_a), (b, op_b) = sorted(numbers, key=lambda n: n[0])
    if (op_a and op_a.side != "low") or (op_b and op_b.side != "high"):
        raise fail(f"the {colour} band's limits {a} and {b} do not make a range")
    band = Band(colour, a, op_a.inclusive if op_a else True, b, op_b.inclusive if op_b else True)
    if a == b and not (band.low_inclusive and band.high_inclusive):
        raise fail(f"the {colour} band contains no values")
    return band


def _num(d: Decimal, percent: bool) -> str:
    return f"{d:,}" + ("%" if percent else "")


def _span(b: Band, percent: bool) -> str:
    """A band's range in words, for messages."""
    low, high = (_num(x, percent) if x is not None else "" for x in (b.low, b.high))
    if b.low is None:
        return f"{high} and below" if b.high_inclusive else f"below {high}"
    if b.high is None:
        return f"{low} or above" if b.low_inclusive else f"above {low}"
    return low if b.low == b.high else f"{low}-{high}"


def _lo(b: Band) -> Decimal:
    return b.low if b.low is not None else -_INF


def _hi(b: Band) -> Decimal:
    return b.high if b.high is not None else _INF


def _ordered(bands: list[Band], percent: bool, fail: _Fail) -> list[Band]:
    """Bands from lowest to highest; each must sit wholly above the one below it."""
    ordered = sorted(bands, key=lambda b: (_lo(b), _hi(b)))
    for lower, upper in pairwise(ordered):
        if not (_lo(lower) < _lo(upper) and _hi(lower) < _hi(upper)):
            raise fail(
                f"cannot tell whether {lower.colour} ({_span(lower, percent)}) or {upper.colour} "
                f"({_span(upper, percent)}) is the higher band; "
                "each colour needs its own stretch of values"
            )
    return ordered


def _direction(ordered: list[Band], fail: _Fail) -> str:
    """BIB when Green is the top band, SIB when it is the bottom; Amber must lie between."""
    colours = [b.colour for b in ordered]
    if colours[-1] == "Green":
        direction = "BIB"
    elif colours[0] == "Green":
        direction = "SIB"
    else:
        raise fail(
            "Green is in the middle; "
            "Green must be the top band (bigger is better) or the bottom one"
        )
    if "Amber" in colours and colours[1] != "Amber":
        raise fail("Amber must lie between Green and Red")
    return direction


def _seam(lower: Band, upper: Band, step: Decimal, percent: bool) -> tuple[str, str] | None:
    """("gap" | "overlap", sentence) where two neighbouring bands meet badly,
    or None when whole."""
    hi, lo = lower.high, upper.low
    assert hi is not None and lo is not None  # guaranteed by _ordered
    first, second = sorted((lower.colour, upper.colour), key=COLOURS.index)
    end = (
        f"{lower.colour} {'goes up to' if lower.high_inclusive else 'stops below'} "
        f"{_num(hi, percent)}"
    )
    start = (
        f"{upper.colour} {'starts at' if upper.low_inclusive else 'starts above'} "
        f"{_num(lo, percent)}"
    )
    both_inclusive = lower.high_inclusive and upper.low_inclusive
    if lo < hi or (lo == hi and both_inclusive):
        where = (
            f"{_num(lo, percent)} is"
            if lo == hi
            else f"Values from {_num(lo, percent)} to {_num(hi, percent)} are"
        )
        return "overlap", f"{where} both {first} and {second}: {end} but {start}."
    if lo == hi and not lower.high_inclusive and not upper.low_inclusive:
        return "gap", f"{_num(lo, percent)} is in no band: {end} and {start}."
    if lo > hi and not (both_inclusive and lo - hi <= step):
        return (
            "gap",
            (
                f"Values between {_num(hi, percent)} and {_num(lo, percent)} are in no band: "
                f"{end} and {start}."
            ),
        )
    return None


def _stored(value: Decimal, percent: bool) -> float:
    return float(value / 100 if percent else value)


def _threshold(band: Band, direction: str, step: Decimal, percent: bool) -> float:
    """The worst value still in the band: its low end for BIB, its high end for SIB."""
    if direction == "BIB":
        assert band.low is not None
        return _stored(band.low if band.low_inclusive else band.low + step, percent)
    assert band.high is not None
    return _stored(band.high if band.high_inclusive else band.high - step, percent)


def parse_methodology(text: str, percent: bool) -> Methodology:
    """Read an officer's RAG methodology,
    so thresholds and the words can be checked against each other."""

    def fail(reason: str) -> MethodologyError:
        return _fail(text, percent, reason)

    if not text or not text.strip():
        raise fail("it is empty")
    if not percent and "%" in text:
        raise MethodologyError(
            f'The RAG methodology "{text}" is written in percentages '
            "but the indicator is not a percentage: "
            "give the thresholds in the indicator's unit, or set its Unit to %."
        )
    tokens = _tokenize(text, percent)
    chunks = _chunks(tokens)
    if not any(colour for colour, _ in chunks):
        raise fail("it names no colour; each band needs Green, Amber or Red")
    if not chunks[-1][0]:
        raise fail("the words after the last colour belong to no colour")
    bands = [_build_band(colour, toks, fail) for colour, toks in chunks]
    colours = [b.colour for b in bands]
    for colour in COLOURS:
        if colours.count(colour) > 1:
            raise fail(f"{colour} appears more than once")
    if "Green" not in colours:
        raise fail("there is no Green band")
    if "Red" not in colours:
        raise fail("there is no Red band")
    decimals = [max(0, -int(t.number.as_tuple().exponent)) for t in tokens if t.kind == "number"]
    step = Decimal(1).scaleb(-max(decimals))
    ordered = _ordered(bands, percent, fail)
    direction = _direction(ordered, fail)
    seams = [s for s in (_seam(lo, up, step, percent) for lo, up in pairwise(ordered)) if s]
    by_colour = {b.colour: b for b in bands}
    amber = by_colour.get("Amber")
    return Methodology(
        direction=direction,
        green=_threshold(by_colour["Green"], direction, step, percent),
        amber=_threshold(amber, direction, step, percent) if amber else None,
        bands=tuple(bands),
        step=step,
        percent=percent,
        gaps=tuple(s for kind, s in seams if kind == "gap"),
        overlaps=tuple(s for kind, s in seams if kind == "overlap"),
    )


def describe(
    direction: str, green: float, amber: float | None, decimals: int, percent: bool
) -> str:
    """The canonical methodology for thresholds, at display precision,
    so the words match the colours shown."""
    if direction not in ("BIB", "SIB"):
        raise ValueError(f'direction must be "BIB" or "SIB", not {direction!r}')
    places = max(0, min(decimals, 9))
    step = Decimal(1).scaleb(-places)
    sign = 1 if direction == "BIB" else -1  # BIB: worse means lower

    def fmt(d: Decimal) -> str:
        return f"{d:,.{places}f}" + ("%" if percent else "")

    g = displayed(green, places, percent)
    better, worse = ("or above", "and below") if direction == "BIB" else ("or below", "and above")
    if amber is None or displayed(amber, places, percent) == g:
        return f"{fmt(g)} {better} Green, {fmt(g - sign * step)} {worse} Red"
    a = displayed(amber, places, percent)
    if (g - a) * sign < 0:
        raise ValueError(f"amber {amber} is on the better side of green {green} for {direction}")
    edge = g - sign * step  # the Amber end next to Green
    lo, hi = (a, edge) if direction == "BIB" else (edge, a)
    amber_text = fmt(a) if lo == hi else f"{fmt(lo)}-{fmt(hi)}"
    return f"{fmt(g)} {better} Green, {amber_text} Amber, {fmt(a - sign * step)} {worse} Red"
