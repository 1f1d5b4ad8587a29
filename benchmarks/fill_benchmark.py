"""Benchmark: whole-process `kpi-dashboard fill` against the floor any template-preserving
writer pays.

The floor is a Python process that only loads and saves the same output workbook with openpyxl.
Prints the median of several runs of each, their ratio (aim: fill at most 1.5 x the floor), how
fill time grows from 50 to 200 indicators (aim: at most 4.4 x), and `batch` on 20 workbooks
with --jobs 2 against --jobs 1 (aim: at least 1.7 x as fast). Run:

    python benchmarks/fill_benchmark.py [--runs 3] [--skip-batch]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from make_workbook import build_workbook

FLOOR = "import openpyxl, sys; openpyxl.load_workbook(sys.argv[1]).save(sys.argv[2])"
CLI = [sys.executable, "-m", "kpi_engine.commands.cli"]


def run(cmd: list[str], runs: int) -> float:
    """Median wall seconds of ``runs`` runs after one warm-up."""
    subprocess.run(cmd, check=False, capture_output=True)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, check=False, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def fill_vs_floor(tmp: Path, indicators: int, runs: int) -> tuple[float, float]:
    src = tmp / f"in_{indicators}.xlsx"
    out = tmp / f"out_{indicators}.xlsx"
    build_workbook(src, indicators=indicators)
    subprocess.run([*CLI, "fill", str(src), "-o", str(out)], check=False, capture_output=True)
    fill = run([*CLI, "fill", str(out), "-o", str(tmp / "again.xlsx")], runs)
    floor = run([sys.executable, "-c", FLOOR, str(out), str(tmp / "floor.xlsx")], runs)
    return fill, floor


def main() -> None:
    # The summary sentence spans two lines; argparse rejoins them when it prints --help.
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--skip-batch", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        fill200, floor200 = fill_vs_floor(tmp, 200, args.runs)
        fill50, floor50 = fill_vs_floor(tmp, 50, args.runs)
        print(
            "200 indicators x 36 months x 3 teams (21,600 Data rows), whole process, median of",
            args.runs,
        )
        print(
            f"  fill {fill200:6.2f} s   floor (load + save) {floor200:6.2f} s   "
            f"ratio {fill200 / floor200:5.2f} (aim <= 1.5)"
        )
        print(
            f"   50 indicators: fill {fill50:6.2f} s   floor {floor50:6.2f} s   "
            f"ratio {fill50 / floor50:5.2f}"
        )
        print(f"  growth 50 -> 200 indicators: {fill200 / fill50:5.2f} x (aim <= 4.4)")
        if args.skip_batch:
            return
        src = tmp / "batch_in"
        src.mkdir()
        build_workbook(src / "w00.xlsx", indicators=50, months=24)
        for i in range(1, 20):
            shutil.copy(src / "w00.xlsx", src / f"w{i:02d}.xlsx")
        files = sorted(str(p) for p in src.iterdir())
        one = run([*CLI, "batch", *files, "-o", str(tmp / "b1"), "--jobs", "1"], 1)
        two = run([*CLI, "batch", *files, "-o", str(tmp / "b2"), "--jobs", "2"], 1)
        print(
            "batch of 20 workbooks (50 indicators x 24 months x 3 teams) "
            f"on {os.cpu_count()} cores:"
        )
        print(
            f"  --jobs 1 {one:6.2f} s   --jobs 2 {two:6.2f} s   "
            f"speed-up {one / two:5.2f} x (aim >= 1.7)"
        )


if __name__ == "__main__":
    main()
