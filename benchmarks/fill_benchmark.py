"""Benchmark: whole-process `kpi-dashboard fill` against openpyxl's load and save of the same
workbook, its growth with size, its peak memory, `validate` of a tiny workbook, and batch.

Each figure is the median of several runs of a fresh process; fill and the openpyxl round trip
run in turn (A B A B ...), and the ratio is taken pair by pair, so a machine that slows down
part-way does not bias it. Aims: fill at most 0.2 x the round trip (0.15 x hoped for); time per
indicator about the same from 50 to 800 indicators (linear growth); `validate` of a tiny
workbook under 150 ms; batch with --jobs 2 at least 1.7 x as fast as --jobs 1. Run:

    python benchmarks/fill_benchmark.py [--runs 5] [--skip-growth] [--skip-batch]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from make_workbook import build_workbook

ROUND_TRIP = "import openpyxl, sys; openpyxl.load_workbook(sys.argv[1]).save(sys.argv[2])"
CLI = [sys.executable, "-m", "kpi_engine.commands.cli"]
# Runs a command and prints its wall time and the peak memory of the process (Linux: KB).
MEASURE = (
    "import json, resource, subprocess, sys, time\n"
    "t = time.perf_counter()\n"
    "subprocess.run(sys.argv[1:], capture_output=True)\n"
    "wall = time.perf_counter() - t\n"
    "rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
    "print(json.dumps({'wall': wall, 'rss_mb': rss / 1024}))\n"
)


def measure(cmd: list[str]) -> dict[str, float]:
    """Wall seconds and peak MB of one fresh process running ``cmd``."""
    out = subprocess.run(
        [sys.executable, "-c", MEASURE, *cmd], capture_output=True, text=True, check=True
    )
    result: dict[str, float] = json.loads(out.stdout)
    return result


def paired(a: list[str], b: list[str], runs: int) -> tuple[list[dict[str, float]], ...]:
    """``runs`` measurements of each, taken in turn after one warm-up of each."""
    measure(a), measure(b)
    first, second = [], []
    for _ in range(runs):
        first.append(measure(a))
        second.append(measure(b))
    return first, second


def median(runs: list[dict[str, float]], key: str) -> float:
    return statistics.median(r[key] for r in runs)


def filled_workbook(tmp: Path, indicators: int, months: int = 36) -> Path:
    """A workbook of ``indicators`` that has been filled once (so its output sheets exist)."""
    src = tmp / f"in_{indicators}.xlsx"
    out = tmp / f"filled_{indicators}.xlsx"
    build_workbook(src, indicators=indicators, months=months)
    subprocess.run([*CLI, "fill", str(src), "-o", str(out)], check=False, capture_output=True)
    return out


def fill_against_round_trip(tmp: Path, runs: int) -> None:
    book = filled_workbook(tmp, 200)
    fill = [*CLI, "fill", str(book), "-o", str(tmp / "again.xlsx")]
    trip = [sys.executable, "-c", ROUND_TRIP, str(book), str(tmp / "trip.xlsx")]
    fills, trips = paired(fill, trip, runs)
    ratios = [f["wall"] / t["wall"] for f, t in zip(fills, trips, strict=True)]
    print(f"200 indicators x 36 months x 3 teams (21,600 Data rows), median of {runs} pairs:")
    print(
        f"  fill {median(fills, 'wall'):6.2f} s, peak {median(fills, 'rss_mb'):5.0f} MB   "
        f"openpyxl load + save {median(trips, 'wall'):6.2f} s, "
        f"peak {median(trips, 'rss_mb'):5.0f} MB"
    )
    print(
        f"  ratio fill / round trip {statistics.median(ratios):5.2f} "
        f"(pairs {min(ratios):.2f}-{max(ratios):.2f}; aim <= 0.2)"
    )


def growth(tmp: Path, runs: int) -> None:
    print("growth, whole-process fill (median of", runs, "runs):")
    base = None
    for indicators in (50, 100, 200, 400, 800):
        book = filled_workbook(tmp, indicators)
        cmd = [*CLI, "fill", str(book), "-o", str(tmp / "grow.xlsx")]
        measure(cmd)
        results = [measure(cmd) for _ in range(runs)]
        wall = median(results, "wall")
        base = base or wall / indicators
        print(
            f"  {indicators:4d} indicators: {wall:6.2f} s, {1000 * wall / indicators:5.1f} ms "
            f"per indicator ({wall / indicators / base:4.2f} x the 50's), "
            f"peak {median(results, 'rss_mb'):5.0f} MB"
        )


def tiny_validate(tmp: Path, runs: int) -> None:
    book = tmp / "tiny.xlsx"
    build_workbook(book, indicators=1, months=3, teams=1)
    cmd = [*CLI, "validate", str(book)]
    measure(cmd)
    results = [measure(cmd) for _ in range(runs)]
    print(
        f"validate of a one-indicator workbook: {1000 * median(results, 'wall'):5.0f} ms "
        f"(aim < 150), peak {median(results, 'rss_mb'):4.0f} MB"
    )


def batch(tmp: Path) -> None:
    src = tmp / "batch_in"
    src.mkdir()
    build_workbook(src / "w00.xlsx", indicators=50, months=24)
    for i in range(1, 20):
        shutil.copy(src / "w00.xlsx", src / f"w{i:02d}.xlsx")
    files = sorted(str(p) for p in src.iterdir())
    one = measure([*CLI, "batch", *files, "-o", str(tmp / "b1"), "--jobs", "1"])["wall"]
    two = measure([*CLI, "batch", *files, "-o", str(tmp / "b2"), "--jobs", "2"])["wall"]
    print(f"batch of 20 workbooks (50 indicators x 24 months x 3 teams) on {os.cpu_count()} cores:")
    print(
        f"  --jobs 1 {one:6.2f} s   --jobs 2 {two:6.2f} s   "
        f"speed-up {one / two:5.2f} x (aim >= 1.7)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--skip-growth", action="store_true")
    parser.add_argument("--skip-batch", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        fill_against_round_trip(tmp, args.runs)
        tiny_validate(tmp, args.runs)
        if not args.skip_growth:
            growth(tmp, max(1, args.runs // 2))
        if not args.skip_batch:
            batch(tmp)


if __name__ == "__main__":
    main()
