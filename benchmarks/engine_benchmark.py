"""Benchmark: validate and compute 200 indicators x 36 months x 3 teams (21,600 Data rows).

Prints the engine's time (reading the grids by schema, every check, every rule), rows per
second, and the ratio of engine time to the time openpyxl takes just to read the same workbook.
The aim is an engine time under half the read time. Run:

    python benchmarks/engine_benchmark.py [--indicators 200] [--months 36] [--teams 3] [--repeat 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from make_workbook import build_workbook

from kpi_engine.evaluate import compute
from kpi_engine.inputs import read_inputs
from kpi_engine.xlsx.reader import read_sheets


def timed(fn, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--indicators", type=int, default=200)
    parser.add_argument("--months", type=int, default=36)
    parser.add_argument("--teams", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.xlsx"
        build_workbook(path, indicators=args.indicators, months=args.months, teams=args.teams)
        read_s, sheets = timed(lambda: read_sheets(path), args.repeat)
    rows = len(sheets["Data"]) - 1
    validate_s, _ = timed(lambda: read_inputs(sheets), args.repeat)
    engine_s, report = timed(lambda: compute(read_inputs(sheets)), args.repeat)
    print(
        f"workbook: {args.indicators} indicators x {args.months} months x {args.teams} teams "
        f"= {rows:,} Data rows"
    )
    print(f"openpyxl read (read-only, values): {read_s * 1000:8.1f} ms")
    print(f"engine, validate only:             {validate_s * 1000:8.1f} ms")
    print(
        f"engine, validate + compute:        {engine_s * 1000:8.1f} ms  "
        f"({rows / engine_s:,.0f} rows/s)"
    )
    print(f"ratio engine / read:               {engine_s / read_s:8.2f}   (aim: under 0.5)")
    print(f"issues: {len(report.issues)}, indicators computed: {len(report.indicators)}")


if __name__ == "__main__":
    main()
