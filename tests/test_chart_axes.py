"""Charts a board can read: one axis rule on every chart (from 0; a percentage to 100% once any
figure is over half of it), the same in the native charts (read from the written chart XML) and in
the Excel routes' pictures; Green from and each benchmark in a colour and a dash pattern of its
own, told apart by readers with a colour vision deficiency too."""

from __future__ import annotations

import datetime as dt
import itertools
import re
import zipfile

import pytest

from kpi_engine.charts import BENCHMARK, TARGET, value_axis
from kpi_engine.colours import contrast_ratio
from kpi_engine.commands.fill import fill_workbook
from kpi_engine.render import render
from kpi_engine.workbook_names import CHARTS
from kpi_engine.xlsx import chart_xml as xc
from workbook_templates.look import CVD_MATRICES, delta_e, simulate_colour_vision

WHEN = dt.datetime(2025, 10, 6, 9, 30)


@pytest.fixture(scope="module")
def demo_model():
    from builders import evaluate

    from kpi_engine.xlsx.reader import read_workbook
    from workbook_templates.demo import DEMO_FILE

    # The committed demo: demo_sheets() and the rows kpi-dashboard benchmarks added to it.
    return render(evaluate(read_workbook(DEMO_FILE).grids, refreshed=WHEN), 12, "Mar-26 Target")


@pytest.fixture(scope="module")
def demo_chart_parts(tmp_path_factory) -> list[str]:
    from workbook_templates.demo import DEMO_FILE

    out = tmp_path_factory.mktemp("axes") / "demo.xlsx"
    assert fill_workbook(DEMO_FILE, out, refreshed=WHEN).written
    with zipfile.ZipFile(out) as package:
        names = sorted(
            (n for n in package.namelist() if re.fullmatch(r"xl/charts/chart\d+\.xml", n)),
            key=lambda n: int(re.sub(r"\D", "", n)),
        )
        return [package.read(n).decode() for n in names]


# ---------------------------------------------------------------------------------------------
# The axis rule


@pytest.mark.parametrize(
    ("values", "percent", "axis"),
    [
        ([0.41, 0.63, 0.9], True, (0.0, 1.0, 0.1)),  # most percentages: 0% to 100%
        ([0.915, 0.963, 0.95], True, (0.0, 1.0, 0.1)),  # never from 89%
        ([0.52, 0.51], True, (0.0, 1.0, 0.1)),
        ([0.09, 0.123, 0.1], True, (0.0, 0.15, 0.05)),  # a low percentage is not a flat line
        ([0.45, 0.3], True, (0.0, 0.5, 0.1)),
        ([0.002, 0.004], True, (0.0, 0.01, 0.01)),  # whole percentages on the axis
        ([1.1, 0.9], True, (0.0, 1.2, 0.2)),  # over 100%: shown, not cut
        ([22.5, 18.0, 15.4], False, (0.0, 25.0, 5.0)),
        ([82.6, 67.0, 86.0], False, (0.0, 100.0, 20.0)),
        ([432, 520, 450], False, (0.0, 600.0, 100.0)),
        ([0.3, 0.8], False, (0.0, 0.8, 0.2)),
        ([-3.0, 4.0], False, (-4.0, 4.0, 2.0)),  # below 0 only for a negative figure
        ([0.0, 0.0], False, (0.0, 5.0, 1.0)),
        ([None, None], True, None),
    ],
)
def test_every_axis_starts_at_zero_and_stops_at_a_round_step(values, percent, axis):
    got = value_axis(values, percent)
    if axis is None:
        assert got is None
    else:
        assert got == pytest.approx(axis)


def test_the_demos_chart_specs_follow_the_rule(demo_model):
    specs = demo_model.sheet(CHARTS).charts
    assert specs
    for spec in specs:
        figures = [v for s in spec.series for v in s.values if v is not None]
        assert spec.axis_min == 0, spec.ref
        assert spec.axis_max is not None and spec.axis_step is not None
        assert spec.axis_max >= max(figures), spec.ref
        if spec.percent and max(figures) > 0.5:
            assert (spec.axis_max, spec.axis_step) == (1.0, 0.1), spec.ref
    # LAC 10 (91% to 96%) starts at 0% like CIN 4 (65% to 78%), not at 89%
    by_ref = {s.ref: s for s in specs}
    assert by_ref["LAC 10"].axis_min == by_ref["CIN 4"].axis_min == 0


def test_the_written_charts_carry_the_axis(demo_model, demo_chart_parts):
    specs = demo_model.sheet(CHARTS).charts
    assert len(demo_chart_parts) == len(specs)
    for spec, xml in zip(specs, demo_chart_parts, strict=True):
        scaling = re.search(r"<c:valAx>.*?<c:scaling>(.*?)</c:scaling>", xml, re.DOTALL)
        assert scaling is not None
        assert '<c:min val="0"/>' in scaling.group(1), spec.ref
        top = re.search(r'<c:max val="([^"]+)"/>', scaling.group(1))
        step = re.search(r'<c:majorUnit val="([^"]+)"/>', xml)
        if spec.percent and (spec.axis_min, spec.axis_max) == (0, 1):
            # a percentage's full scale is fixed: 0 to 100% in steps of 10%
            assert top and step, spec.ref
            assert (float(top.group(1)), float(step.group(1))) == (1.0, 0.1)
        else:
            # elsewhere the top is the application's, so a refresh that writes only values
            # never cuts off a higher figure
            assert top is None and step is None, spec.ref
    fixed = [s for s in specs if s.percent and (s.axis_min, s.axis_max) == (0, 1)]
    assert 0 < len(fixed) < len(specs)


def test_the_pictures_draw_the_same_axis(demo_model):
    """The pictures of the Excel routes label the axis at the spec's steps, from 0 to its top."""
    pytest.importorskip("matplotlib")
    from addin.pictures import _ticks

    for spec in demo_model.sheet(CHARTS).charts:
        ticks = _ticks(spec)
        assert ticks is not None
        assert ticks[0] == 0 and ticks[-1] == pytest.approx(spec.axis_max)
        assert all(b - a == pytest.approx(spec.axis_step) for a, b in itertools.pairwise(ticks))


# ---------------------------------------------------------------------------------------------
# Lines told apart


def _lines(xml: str) -> dict[str, tuple[str, str]]:
    """Series name cell -> (colour, dash) of each line series without markers (the target and
    benchmark lines)."""
    out = {}
    for ser in re.findall(r"<c:ser>(.*?)</c:ser>", xml, re.DOTALL):
        name = re.search(r"<c:tx><c:strRef><c:f>([^<]+)</c:f>", ser)
        line = re.search(
            r'<c:spPr><a:ln w="\d+"><a:solidFill><a:srgbClr val="([0-9A-F]{6})"/></a:solidFill>'
            r'<a:prstDash val="(\w+)"/>',
            ser,
        )
        if name and line and '<c:symbol val="none"/>' in ser:
            out[name.group(1)] = (line.group(1), line.group(2))
    return out


def test_green_from_and_each_benchmark_have_their_own_colour_and_dash(demo_model, demo_chart_parts):
    checked = 0
    for spec, xml in zip(demo_model.sheet(CHARTS).charts, demo_chart_parts, strict=True):
        lines = _lines(xml)
        expected = [s for s in spec.series if s.role in (TARGET, BENCHMARK)]
        assert len(lines) == len(expected), spec.ref
        colours = [c for c, _ in lines.values()]
        dashes = [d for _, d in lines.values()]
        assert len(set(colours)) == len(colours), (spec.ref, lines)
        assert len(set(dashes)) == len(dashes), (spec.ref, lines)
        checked += len(lines) >= 4  # Green from and three benchmarks
    assert checked >= 5  # the demo has charts with all three comparators


def test_the_line_colours_stay_apart_for_colour_blind_readers():
    """Green from, the first three benchmarks (statistical neighbours, region, England) and the
    monthly figure: plainly different (CIE76 20 or more) with full colour vision and as readers
    with protanopia, deuteranopia and tritanopia see them; every line 3:1 on the white chart."""
    lines = [xc.ACTUAL_COLOUR, xc.TARGET_COLOUR, *[c for c, _ in xc.BENCHMARK_STYLES[:3]]]
    for kind in (None, *CVD_MATRICES):
        seen = [c if kind is None else simulate_colour_vision(c, kind) for c in lines]
        for (a, sa), (b, sb) in itertools.combinations(zip(lines, seen, strict=True), 2):
            assert delta_e(sa, sb) >= 20, (kind, a, b)
    for colour in (*lines, *[c for c, _ in xc.BENCHMARK_STYLES]):
        assert contrast_ratio(colour, "FFFFFF") >= 3
    dashes = [xc.TARGET_DASH, *[d for _, d in xc.BENCHMARK_STYLES]]
    assert len(set(dashes)) == len(dashes)
    assert len({c for c, _ in xc.BENCHMARK_STYLES} | {xc.TARGET_COLOUR}) == len(dashes)


def test_the_pictures_know_every_dash_the_charts_use():
    pytest.importorskip("matplotlib")
    from addin.pictures import DASHES

    assert {xc.TARGET_DASH, *[d for _, d in xc.BENCHMARK_STYLES]} <= set(DASHES)


def test_the_demos_legend_names_each_line(demo_chart_parts, demo_model):
    """Every series has its name cell, so the legend says which line is which."""
    for spec, xml in zip(demo_model.sheet(CHARTS).charts, demo_chart_parts, strict=True):
        names = re.findall(r"<c:ser>.*?<c:tx><c:strRef><c:f>([^<]+)</c:f>", xml)
        assert len(names) == len(spec.series) == len(set(names)), spec.ref
        assert "<c:legend>" in xml
