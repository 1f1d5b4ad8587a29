"""RAG methodology text: reading officers' words, gap and overlap checks, and the canonical text."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kpi_engine.methodology import Band, Methodology, MethodologyError, describe, parse_methodology
from kpi_engine.rounding import displayed

# text, percent, direction, green, amber, step, gaps, overlaps -- forms seen in real reports
REAL_FORMS = [
    ("90% or above Green 85%-89% Amber 84% and below Red", True, "BIB", 0.9, 0.85, "1", 0, 0),
    ("95% or above Green 85%-94% Amber 84% and below Red", True, "BIB", 0.95, 0.85, "1", 0, 0),
    ("17 or below Green 18.1-20 Amber 20.1 and above Red", False, "SIB", 17.0, 20.0, "0.1", 1, 0),
    ("20 or below Green 20.1-22 Amber 22.1 and above Red", False, "SIB", 20.0, 22.0, "0.1", 0, 0),
    (
        "558 or below Green 559 to 608 Amber 609 and above Red",
        False,
        "SIB",
        558.0,
        608.0,
        "1",
        0,
        0,
    ),
    ("22% or below Green 21% - 25% Amber 26% and above Red", True, "SIB", 0.22, 0.25, "1", 0, 1),
    (
        "10% of cohort or below Green 10-15% Amber 16% and above Red",
        True,
        "SIB",
        0.10,
        0.15,
        "1",
        0,
        1,
    ),
    ("24% or below Green 25%-34% Amber 35% and above Red", True, "SIB", 0.24, 0.34, "1", 0, 0),
    ("60% or above Green 50%-59% Amber 49% and below Red", True, "BIB", 0.6, 0.5, "1", 0, 0),
]


@pytest.mark.parametrize("text, percent, direction, green, amber, step, gaps, overlaps", REAL_FORMS)
def test_real_report_forms(text, percent, direction, green, amber, step, gaps, overlaps):
    m = parse_methodology(text, percent)
    assert isinstance(m, Methodology)
    assert (m.direction, m.green, m.amber) == (direction, green, amber)
    assert m.step == Decimal(step)
    assert m.percent is percent
    assert (len(m.gaps), len(m.overlaps)) == (gaps, overlaps)


def test_stored_percent_is_the_float_of_the_decimal_fraction():
    m = parse_methodology("90% or above Green 85%-89% Amber 84% and below Red", True)
    assert m.green == float(Decimal("0.9")) and m.amber == float(Decimal("0.85"))


def test_bands_keep_the_written_order_and_unit():
    m = parse_methodology("22% or below Green 21% - 25% Amber 26% and above Red", True)
    assert m.bands == (
        Band("Green", None, False, Decimal(22), True),
        Band("Amber", Decimal(21), True, Decimal(25), True),
        Band("Red", Decimal(26), True, None, False),
    )


def test_gap_sentence_names_the_numbers_and_bands():
    (gap,) = parse_methodology("17 or below Green 18.1-20 Amber 20.1 and above Red", False).gaps
    assert "17" in gap and "18.1" in gap and "Green" in gap and "Amber" in gap
    assert "no band" in gap


def test_overlap_sentences_name_the_numbers():
    (overlap,) = parse_methodology(
        "22% or below Green 21% - 25% Amber 26% and above Red", True
    ).overlaps
    assert "21%" in overlap and "22%" in overlap and "both Green and Amber" in overlap
    (overlap,) = parse_methodology(
        "10% of cohort or below Green 10-15% Amber 16% and above Red", True
    ).overlaps
    assert overlap.startswith("10% is both Green and Amber")


def test_gap_between_amber_and_red_is_found_too():
    m = parse_methodology("90% or above Green, 85%-89% Amber, 80% and below Red", True)
    assert m.overlaps == ()
    (gap,) = m.gaps
    assert "80%" in gap and "85%" in gap and "Amber" in gap and "Red" in gap


def test_green_and_red_only():
    m = parse_methodology("90% or above Green, 89% and below Red", True)
    assert (m.direction, m.green, m.amber, m.gaps, m.overlaps) == ("BIB", 0.9, None, (), ())
    m = parse_methodology("5 or below Green, 5 and above Red", False)
    assert m.amber is None and len(m.overlaps) == 1 and "5 is both Green and Red" in m.overlaps[0]


@pytest.mark.parametrize(
    "text",
    [
        "Green: 90% or above; Amber: 85-89%; Red: below 85%",
        "GREEN 90% or more, amber 85% to 89%, red less than 85%",
        "≥90% Green, 85–89% Amber, <85% Red",
        "Green >= 90%\nAmber 85% to 89%\nRed < 85%",
        "90%+ Green 85%—89% Amber under 85% Red",
        "Green: at least 90%. Amber: between 85% and 89%. Red: 84% or less",
        "90 or above Green, 85-89 Amber, 84 and below Red",  # % unit, no sign written
        "Green 90% and over; Amber 85%-89%; Red 84% and under",
        "Green more than 89%, Amber 85% to 89%, Red ≤84%",
    ],
)
def test_variants_read_the_same(text):
    m = parse_methodology(text, True)
    assert (m.direction, m.green, m.amber, m.gaps, m.overlaps) == ("BIB", 0.9, 0.85, (), ())


def test_colour_first_without_separators():
    m = parse_methodology("Green 17 or below Amber 18-20 Red 21 and above", False)
    assert (m.direction, m.green, m.amber) == ("SIB", 17.0, 20.0)
    assert [b.colour for b in m.bands] == ["Green", "Amber", "Red"]


def test_less_than_and_more_than_are_strict():
    m = parse_methodology("less than 15 Green, 15 to 20 Amber, more than 20 Red", False)
    assert (m.direction, m.green, m.amber, m.gaps, m.overlaps) == ("SIB", 14.0, 20.0, (), ())
    assert m.bands[0] == Band("Green", None, False, Decimal(15), False)


def test_exclusive_bound_meeting_inclusive_bound_is_whole():
    m = parse_methodology("85% or above Green, below 85% Red", True)
    assert (m.green, m.gaps, m.overlaps) == (0.85, (), ())
    m = parse_methodology("above 89% Green, 85%-89% Amber, below 85% Red", True)
    assert (m.green, m.amber, m.gaps, m.overlaps) == (0.9, 0.85, (), ())


def test_both_exclusive_at_the_same_value_is_a_gap():
    m = parse_methodology("above 85% Green, below 85% Red", True)
    assert m.overlaps == ()
    (gap,) = m.gaps
    assert gap.startswith("85% is in no band")


def test_exclusive_bounds_crossing_overlap_and_leaving_space_gap():
    assert len(parse_methodology("above 84 Green, below 85 Red", False).overlaps) == 1
    assert len(parse_methodology("above 85 Green, 84 and below Red", False).gaps) == 1


def test_thousands_separators():
    m = parse_methodology("Green 2,000 or over; Amber 1,500 - 1,999; Red under 1,500", False)
    assert (m.direction, m.green, m.amber, m.step, m.gaps) == (
        "BIB",
        2000.0,
        1500.0,
        Decimal(1),
        (),
    )


def test_negative_numbers_and_dashes_between_them():
    m = parse_methodology("-5 or below Green, -4--1 Amber, 0 and above Red", False)
    assert (m.direction, m.green, m.amber, m.gaps, m.overlaps) == ("SIB", -5.0, -1.0, (), ())


def test_single_value_band():
    m = parse_methodology("100% Green, 90%-99% Amber, below 90% Red", True)
    assert (m.direction, m.green, m.amber, m.gaps) == ("BIB", 1.0, 0.9, ())


# --- errors ------------------------------------------------------------------------------------


def _error(text: str, percent: bool = True) -> str:
    with pytest.raises(MethodologyError) as info:
        parse_methodology(text, percent)
    return str(info.value)


@pytest.mark.parametrize(
    "text", ["90% or above Green, 85-89% Yellow, below 85% Red", "Blue 90%", "Amber/Green 90%"]
)
def test_unknown_colour(text):
    message = _error(text)
    assert "only Green, Amber and Red are used" in message
    assert f'"{text}"' in message and "Write it like" in message


def test_no_green():
    message = _error("85% or above Amber, below 85% Red")
    assert "no Green band" in message and "85% or above Amber" in message


@pytest.mark.parametrize("text", ["", "   \n "])
def test_empty(text):
    assert "empty" in _error(text)


def test_percent_text_for_a_non_percent_indicator():
    message = _error("90% or above Green 85%-89% Amber 84% and below Red", percent=False)
    assert "written in percentages" in message and "not a percentage" in message
    assert "Unit to %" in message and "90% or above Green" in message


@pytest.mark.parametrize(
    "text, says",
    [
        ("90% or above Green, Amber, 84% and below Red", "Amber band has no number"),
        ("90% or above Green, 85% or above Green, below 85% Red", "Green appears more than once"),
        ("below 80% Red, 80%-90% Green, above 90% Amber", "Green is in the middle"),
        (
            "90% or above Green, 85%-89% Red, below 85% Amber",
            "Amber must lie between Green and Red",
        ),
        ("below 90% Green, below 80% Red", "cannot tell whether"),
        ("80%-95% Green, 85%-90% Amber, below 80% Red", "cannot tell whether"),
        ("90% or above Green, 84% and below", "after the last colour"),
        ("90% or above Green", "no Red band"),
        ("90, 91, 92 Green, below 90 Red", "3 numbers"),
        ("no numbers at all", "names no colour"),
    ],
)
def test_unreadable_texts_say_why(text, says):
    message = _error(text)
    assert says in message and "Write it like" in message


def test_example_in_the_message_uses_the_indicator_unit():
    assert '"17 or below Green, 18-20 Amber, 21 and above Red"' in _error("Green", percent=False)
    assert '"90% or above Green, 85%-89% Amber, 84% and below Red"' in _error("Green", percent=True)


_WORDS = st.sampled_from(
    list("0123456789.,;:-–—%<>=≤≥+/ \n")
    + [
        "Green",
        "Amber",
        "Red",
        "green",
        "or above",
        "and below",
        "below",
        "above",
        "to",
        "at least",
        "up to",
        "of",
    ]
)


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        st.text(),
        st.lists(_WORDS, max_size=16).map(" ".join),
        st.lists(_WORDS, max_size=16).map("".join),
    ),
    st.booleans(),
)
def test_any_text_either_reads_or_raises_methodology_error(text, percent):
    try:
        m = parse_methodology(text, percent)
    except MethodologyError as e:
        assert str(e)
    else:
        assert m.direction in ("BIB", "SIB") and "Green" in [b.colour for b in m.bands]


# --- describe ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args, text",
    [
        (("BIB", 0.9, 0.85, 0, True), "90% or above Green, 85%-89% Amber, 84% and below Red"),
        (("SIB", 17, 20, 0, False), "17 or below Green, 18-20 Amber, 21 and above Red"),
        (("SIB", 17, 20, 1, False), "17.0 or below Green, 17.1-20.0 Amber, 20.1 and above Red"),
        (("BIB", 0.9, None, 0, True), "90% or above Green, 89% and below Red"),
        (("BIB", 0.9, 0.9, 0, True), "90% or above Green, 89% and below Red"),
        (("SIB", 0.22, 0.25, 0, True), "22% or below Green, 23%-25% Amber, 26% and above Red"),
        (("SIB", 0.22, None, 0, True), "22% or below Green, 23% and above Red"),
        (("BIB", 1000, 900, 0, False), "1,000 or above Green, 900-999 Amber, 899 and below Red"),
        (("BIB", 0.9, 0.89, 0, True), "90% or above Green, 89% Amber, 88% and below Red"),
    ],
)
def test_describe_formats(args, text):
    assert describe(*args) == text


def test_describe_rounds_as_excel_displays():
    # 0.845 as a float is a hair below 0.845; Excel still shows 85%, and so must the text.
    assert describe("BIB", 0.845, None, 0, True) == "85% or above Green, 84% and below Red"
    assert describe("SIB", 2.675, None, 2, False) == "2.68 or below Green, 2.69 and above Red"


def test_describe_rejects_nonsense():
    with pytest.raises(ValueError):
        describe("up", 0.9, 0.85, 0, True)
    with pytest.raises(ValueError):
        describe("BIB", 0.85, 0.9, 0, True)


def _assert_round_trip(direction, green, amber, decimals, percent):
    m = parse_methodology(describe(direction, green, amber, decimals, percent), percent)
    assert m.direction == direction
    assert m.step == Decimal(1).scaleb(-decimals)
    assert (m.gaps, m.overlaps) == ((), ())
    assert displayed(m.green, decimals, percent) == displayed(green, decimals, percent)
    if amber is None or displayed(amber, decimals, percent) == displayed(green, decimals, percent):
        assert m.amber is None
    else:
        assert displayed(m.amber, decimals, percent) == displayed(amber, decimals, percent)


@pytest.mark.parametrize(
    "direction, green, amber, decimals, percent",
    [
        ("BIB", 0.9, 0.85, 0, True),
        ("BIB", 0.8449, 0.7951, 0, True),
        ("SIB", 0.22, 0.25, 1, True),
        ("SIB", 17, 20, 1, False),
        ("SIB", 558, 608, 0, False),
        ("BIB", 1234.5, 999.25, 2, False),
        ("BIB", 0.0, -3.0, 0, False),
        ("SIB", -5, -1, 0, False),
        ("BIB", 0.9, None, 0, True),
        ("BIB", 0.9, 0.89, 0, True),
        ("SIB", 0.001, 0.002, 1, True),
    ],
)
def test_round_trip(direction, green, amber, decimals, percent):
    _assert_round_trip(direction, green, amber, decimals, percent)


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(["BIB", "SIB"]),
    st.integers(-10_000, 2_000_000),
    st.integers(0, 50_000),
    st.integers(0, 3),
    st.booleans(),
)
def test_round_trip_any_thresholds(direction, green_units, amber_steps, decimals, percent):
    def stored(units: int) -> float:
        value = Decimal(units).scaleb(-decimals)
        return float(value / 100 if percent else value)

    worse = -1 if direction == "BIB" else 1
    amber = stored(green_units + worse * amber_steps) if amber_steps else None
    _assert_round_trip(direction, stored(green_units), amber, decimals, percent)
