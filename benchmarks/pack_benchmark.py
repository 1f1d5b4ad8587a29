"""Benchmark: the board pack (fill, then LibreOffice to PDF), and what the charts cost the fill.

For the demo workbook (36 indicators) and a big authority's workbook (200 indicators x 36 months x
3 teams, make_workbook.py's grids written into the template), this prints:

- the pack's wall time (``make_pack``: fill into a temporary copy, set it up for print, LibreOffice
  headless with a fresh profile, PDF written atomically), median of --runs, and its page count;
- the fill's time, and the time its native charts' XML takes (``kpi_engine.xlsx.chart_xml``
  for every chart and the drawing), and so the share of the fill the charts take;
- the Excel routes' extra: drawing the Charts sheet's pages as pictures (matplotlib, one PNG per
  page of 12 charts; a cold draw, the cache cleared first) and the PNGs' total size.

    python benchmarks/pack_benchmark.py [--runs 3] [--indicators 200] [--skip-pack]
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from make_workbook import build_sheets

from kpi_engine.commands.fill import fill_workbook

WHEN = dt.datetime(2025, 10, 6, 9, 30)


def median_time(fn: Callable[[], Any], runs: int) -> tuple[float, Any]:
    """Median wall seconds of ``runs`` calls after one warm-up, and the last call's result."""
    result = fn()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def big_workbook(path: Path, indicators: int) -> Path:
    """make_workbook's grids in the template, so the pack prints with the template's look."""
    from workbook_templates.build import build_template, write_inputs

    book = build_template()
    write_inputs(book, build_sheets(indicators=indicators))
    book.save(path)
    return path


def fill_with_and_without_charts(src: Path, out: Path, runs: int) -> tuple[float, float]:
    """(the fill's seconds, the fill's seconds less what writing its charts' XML takes)."""
    from kpi_engine.charts import NAME_COLUMN
    from kpi_engine.pipeline import run
    from kpi_engine.workbook_names import CHARTS
    from kpi_engine.xlsx.chart_xml import chart_xml, drawing_xml
    from kpi_engine.xlsx.reader import read_workbook

    with_charts, _ = median_time(lambda: fill_workbook(src, out, refreshed=WHEN), runs)
    book = read_workbook(src)
    specs = run(book.grids, book.template_version, WHEN)[1].sheet(CHARTS).charts or []

    def charts() -> None:
        for spec in specs:
            chart_xml(CHARTS, spec, NAME_COLUMN)
        drawing_xml(specs, [f"rId{i + 1}" for i in range(len(specs))])

    charts_s, _ = median_time(charts, runs)
    return with_charts, with_charts - charts_s


def pictures(src: Path) -> tuple[float, int, int]:
    """Seconds to draw every page's picture (cold), the pages, and the PNGs' bytes."""
    from addin.pictures import page_png
    from kpi_engine.charts import pages
    from kpi_engine.pipeline import run
    from kpi_engine.workbook_names import CHARTS
    from kpi_engine.xlsx.reader import read_workbook

    book = read_workbook(src)
    _, model = run(book.grids, book.template_version, refreshed=WHEN)
    all_pages = pages(model.sheet(CHARTS).charts or [])
    page_png.cache_clear()
    start = time.perf_counter()
    size = sum(len(page_png(tuple(p.charts), p.width, p.height)) for p in all_pages)
    return time.perf_counter() - start, len(all_pages), size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--indicators", type=int, default=200)
    parser.add_argument(
        "--skip-pack", action="store_true", help="only the fill and the pictures (no LibreOffice)"
    )
    args = parser.parse_args()
    from kpi_engine.commands.pack import find_libreoffice, make_pack
    from workbook_templates.demo import DEMO_FILE

    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        cases = [
            ("demo (36 indicators)", DEMO_FILE),
            (
                f"{args.indicators} indicators x 36 months x 3 teams",
                big_workbook(tmp / "big.xlsx", args.indicators),
            ),
        ]
        for name, src in cases:
            print(f"{name}:")
            with_charts, without = fill_with_and_without_charts(src, tmp / "filled.xlsx", args.runs)
            share = (with_charts - without) / with_charts
            print(
                f"  fill {with_charts:6.2f} s with charts, {without:6.2f} s without: "
                f"the charts are {share:5.1%} "
                f"of the fill ({(with_charts - without) * 1000:5.0f} ms)"
            )
            seconds, count, size = pictures(src)
            print(
                f"  Excel routes: {count} pictures (one per page of 12 charts) "
                f"drawn in {seconds:5.2f} s, "
                f"{size / 1e6:4.2f} MB of PNG"
            )
            if args.skip_pack:
                continue
            if find_libreoffice() is None:
                print("  pack: LibreOffice is not installed; skipped")
                continue
            seconds, result = median_time(
                lambda src=src: make_pack(src, tmp / "pack.pdf", refreshed=WHEN), args.runs
            )
            print(
                f"  pack {seconds:6.2f} s (median of {args.runs}) -> {result.pages} pages, "
                f"{(tmp / 'pack.pdf').stat().st_size / 1e6:4.2f} MB PDF"
            )


if __name__ == "__main__":
    main()
