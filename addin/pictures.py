"""The Charts sheet's charts as pictures, for the Excel routes.

VBA and Office Scripts cannot add charts; every client can add a picture. So on every Excel route
each page of small multiples (:func:`kpi_engine.charts.pages`: up to ``CHARTS_PER_PAGE`` charts)
is drawn by matplotlib as ONE PNG, from the same :class:`~kpi_engine.charts.ChartSpec` objects
the headless fill turns into native charts, with the same series, colours, line styles, titles
and captions, and sized to cover the same cells. The picture count grows by one per page, never
per indicator.

matplotlib is imported only here, and only when a picture is drawn (never by ``import addin``,
nor by the headless fill). Figures are made with matplotlib's object API and the Agg canvas, never
pyplot, so drawing is safe inside a server's worker threads. A page's PNG depends only on its
specs, so it is cached: refreshing again with the same figures draws nothing new.
"""

from __future__ import annotations

import functools
import io
import itertools
import math
import textwrap
from collections.abc import Sequence
from typing import Any

from kpi_engine.charts import (
    ACTUAL,
    BENCHMARK,
    CHART_COLUMNS,
    CHART_GAP_COLUMNS,
    CHART_ROWS,
    CHARTS_PER_ROW,
    PLAN,
    ROW_HEIGHT,
    SLOT_ROWS,
    TARGET,
    column_points,
)
from kpi_engine.render_model import ChartSpec
from kpi_engine.xlsx.chart_xml import (
    ACTUAL_COLOUR,
    BENCHMARK_STYLES,
    COLUMN_COLOUR,
    PLAN_COLOUR,
    TARGET_COLOUR,
    TARGET_DASH,
    TEXT_SIZE,
    TITLE_SIZE,
)

SCALE = 1.5  # pixels per point / (96/72): sharp on a high-density screen, small enough to send
DASHES: dict[str, Any] = {  # DrawingML's preset dashes, in line widths
    "dash": (0, (4, 3)),
    "sysDot": (0, (1, 1)),
    "sysDash": (0, (3, 1)),
    "dashDot": (0, (4, 3, 1, 3)),
    "lgDash": (0, (8, 3)),
    "lgDashDot": (0, (8, 3, 1, 3)),
    "lgDashDotDot": (0, (8, 3, 1, 3, 1, 3)),
}
TITLE_POINTS, TEXT_POINTS = TITLE_SIZE / 100, TEXT_SIZE / 100
CAPTION_POINTS = 9.0
COLOURS = 128  # the PNG's palette
BORDER = "#D9D9D9"


def _nan(values: Sequence[float | None]) -> list[float]:
    return [math.nan if v is None else float(v) for v in values]


def _ticks(spec: ChartSpec) -> list[float] | None:
    """The value axis' labels, from the spec's axis (kpi_engine.charts.value_axis), as the native
    chart has them; None where the spec leaves the axis to the client (nothing charted)."""
    if spec.axis_min is None or spec.axis_max is None or not spec.axis_step:
        return None
    count = round((spec.axis_max - spec.axis_min) / spec.axis_step)
    return [round(spec.axis_min + i * spec.axis_step, 10) for i in range(count + 1)]


def _tick_text(spec: ChartSpec, ticks: Sequence[float]) -> list[str]:
    """Value-axis labels with as many decimals as the tick step needs (5%, 2.5%, 1,200)."""
    scale = 100.0 if spec.percent else 1.0
    steps = [abs(b - a) * scale for a, b in itertools.pairwise(ticks) if b != a]
    step = min(steps) if steps else 1.0
    decimals = max(0, -math.floor(math.log10(step) + 1e-9)) if step < 1 else 0
    if step >= 1 and any(abs(t * scale - round(t * scale)) > 1e-9 for t in ticks):
        decimals = 1
    suffix = "%" if spec.percent else ""
    return [f"{t * scale:,.{decimals}f}{suffix}" for t in ticks]


def _draw(fig: Any, spec: ChartSpec, box: tuple[float, float, float, float]) -> None:
    """One chart in ``box`` (left, bottom, width, height; figure fractions) with its captions
    below."""
    from matplotlib.patches import Rectangle

    left, bottom, width, height = box
    fig_w, fig_h = fig.get_size_inches() * 72  # points
    pt_x, pt_y = 1 / fig_w, 1 / fig_h
    fig.add_artist(
        Rectangle(
            (left, bottom),
            width,
            height,
            transform=fig.transFigure,
            fill=False,
            edgecolor=BORDER,
            linewidth=0.75,
        )
    )
    title = textwrap.fill(spec.title, width=max(20, int(width / pt_x / (TITLE_POINTS * 0.68))))
    fig.text(
        left + width / 2,
        bottom + height - 6 * pt_y,
        title,
        ha="center",
        va="top",
        fontsize=TITLE_POINTS,
        fontweight="bold",
    )
    lines = title.count("\n") + 1
    legend_rows = -(-len(spec.series) // 2)
    rotated = len(spec.categories) > 13
    legend_height = legend_rows * TEXT_POINTS * 1.45 + 6
    top_pad = (12 + lines * TITLE_POINTS * 1.2) * pt_y
    bottom_pad = ((30 if rotated else 16) + legend_height) * pt_y
    ax = fig.add_axes(
        (left + 40 * pt_x, bottom + bottom_pad, width - 50 * pt_x, height - top_pad - bottom_pad)
    )
    x = list(range(len(spec.categories)))
    handles = []
    benchmark = 0
    for s in spec.series:
        ys = _nan(s.values)
        if s.role == ACTUAL and spec.kind == "column":
            handles.append(
                ax.bar(
                    x,
                    [0 if math.isnan(v) else v for v in ys],
                    width=0.62,
                    color=f"#{COLUMN_COLOUR}",
                    label=s.name,
                    zorder=2,
                )
            )
            continue
        xs = x
        if spec.connect_gaps and s.role == ACTUAL:
            pts = [(i, v) for i, v in zip(x, ys, strict=True) if not math.isnan(v)]
            xs, ys = [p[0] for p in pts], [p[1] for p in pts]
        if s.role == ACTUAL:
            (h,) = ax.plot(
                xs,
                ys,
                color=f"#{ACTUAL_COLOUR}",
                linewidth=2.25,
                marker="o",
                markersize=4,
                label=s.name,
                zorder=4,
            )
        elif s.role == TARGET:
            (h,) = ax.plot(
                xs,
                ys,
                color=f"#{TARGET_COLOUR}",
                linewidth=1.5,
                linestyle=DASHES[TARGET_DASH],
                label=s.name,
                zorder=3,
            )
        elif s.role == BENCHMARK:
            colour, dash = BENCHMARK_STYLES[benchmark % len(BENCHMARK_STYLES)]
            benchmark += 1
            (h,) = ax.plot(
                xs,
                ys,
                color=f"#{colour}",
                linewidth=1.5,
                linestyle=DASHES[dash],
                label=s.name,
                zorder=3,
            )
        elif s.role == PLAN:
            (h,) = ax.plot(
                xs,
                ys,
                color=f"#{PLAN_COLOUR}",
                linestyle="none",
                marker="D",
                markersize=7,
                label=s.name,
                zorder=5,
                clip_on=False,
            )
        else:  # pragma: no cover - a new role must be taught here
            raise ValueError(s.role)
        handles.append(h)
    axis_ticks = _ticks(spec)
    if axis_ticks is not None:
        ax.set_ylim(axis_ticks[0], axis_ticks[-1])
        ax.set_yticks(axis_ticks)
    else:
        ax.set_ylim(bottom=0)
    ax.set_xlim(-0.5, len(x) - 0.5)
    ax.set_xticks(x)
    ax.set_xticklabels(
        spec.categories,
        fontsize=TEXT_POINTS,
        rotation=45 if rotated else 0,
        ha="right" if rotated else "center",
        rotation_mode="anchor" if rotated else "default",
    )
    ticks = [
        t for t in ax.get_yticks() if ax.get_ylim()[0] - 1e-12 <= t <= ax.get_ylim()[1] + 1e-12
    ]
    ax.set_yticks(ticks)
    ax.set_yticklabels(_tick_text(spec, ticks), fontsize=TEXT_POINTS)
    ax.tick_params(axis="y", length=0)
    ax.tick_params(axis="x", length=2)
    ax.grid(axis="y", color=BORDER, linewidth=0.75, zorder=0)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    fig.legend(
        handles=handles,
        loc="lower center",
        bbox_to_anchor=(left + width / 2, bottom + 3 * pt_y),
        bbox_transform=fig.transFigure,
        ncol=2,
        fontsize=TEXT_POINTS,
        frameon=False,
        handlelength=4,  # long enough to show each line's dash pattern
        columnspacing=1.5,
        borderaxespad=0,
        borderpad=0,
    )
    row_h = ROW_HEIGHT * pt_y
    for offset, text in enumerate((spec.caption, spec.status)):
        if text:
            fig.text(
                left + 2 * pt_x,
                bottom - (offset + 0.75) * row_h,
                text,
                ha="left",
                va="baseline",
                fontsize=CAPTION_POINTS,
            )


def draw_page(
    charts: Sequence[ChartSpec], width: float, height: float, scale: float = SCALE
) -> bytes:
    """One PNG of the page's charts, ``width`` x ``height`` points, laid out as on the Charts
    sheet."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width / 72, height / 72), dpi=96 * scale)
    # matplotlib leaves the Agg canvas's draw and buffer_rgba unannotated.
    canvas: Any = FigureCanvasAgg(fig)
    fig.patch.set_facecolor("white")
    col_w, row_h = column_points() / width, ROW_HEIGHT / height
    first = charts[0].index if charts else 0
    for spec in charts:
        grid_row, grid_col = divmod(spec.index - first, CHARTS_PER_ROW)
        left = grid_col * (CHART_COLUMNS + CHART_GAP_COLUMNS) * col_w
        top = grid_row * SLOT_ROWS * row_h
        box = (left, 1 - top - CHART_ROWS * row_h, CHART_COLUMNS * col_w, CHART_ROWS * row_h)
        _draw(fig, spec, box)
    canvas.draw()
    return encode_png(canvas.buffer_rgba(), canvas.get_width_height(), 96 * scale)


def encode_png(rgba: Any, size: tuple[int, int], dpi: float) -> bytes:
    """A palette PNG of an RGBA buffer. A page of line charts has few colours, and the picture is
    sent to Excel inside the refresh's response: quantised, it is a third of the size."""
    from PIL import Image

    image = Image.frombuffer("RGBA", size, rgba, "raw", "RGBA", 0, 1).convert("RGB")
    small = image.quantize(
        colors=COLOURS, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE
    )
    out = io.BytesIO()
    small.save(out, format="PNG", compress_level=6, dpi=(dpi, dpi))
    return out.getvalue()


@functools.lru_cache(maxsize=16)
def page_png(charts: tuple[ChartSpec, ...], width: float, height: float) -> bytes:
    """The PNG of a page of small multiples (cached by its content: the same figures draw nothing
    new)."""
    return draw_page(charts, width, height)


__all__ = ["draw_page", "page_png"]
