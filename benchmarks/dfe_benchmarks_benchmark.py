"""Time of ``kpi-dashboard benchmarks``: the demo, a 200-indicator workbook, and start-up.

    python benchmarks/dfe_benchmarks_benchmark.py [--repeat 3]

Prints the best of ``--repeat`` whole-process runs (a new Python each time, as an officer runs
it) for the demo workbook (15 mapped indicators) and for make_workbook's 200-indicator workbook
with every indicator mapped to one of the shipped DfE measures (the Benchmarks sheet gets 200 x
12 rows); the start-up cost (``kpi-dashboard --help``, and importing pandas and loading the
shipped data); and the same command against the shipped fill for comparison.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

CODES = [
    "ReReferral", "CPP_Total_Rateper10,000", "Continue_Assess_Comp", "CP_conf_15days", "RevCP",
    "CPPlans2yrs", "PrevRegCPR", "CPP_rate", "LAC", "LACStable_2016on", "LAC_LongStable%",
    "CareLeaverEET", "Work_Force_AvgNumCase_SW", "Work_Force_Vac_Rate", "Work_Force_Agecy_Rate",
]  # fmt: skip


def _best(cmd: list[str], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(cmd, check=False, capture_output=True)
        best = min(best, time.perf_counter() - start)
    return best


def _mapped_200(path: Path) -> None:
    import openpyxl
    from make_workbook import build_workbook

    build_workbook(path, indicators=200)
    wb = openpyxl.load_workbook(path)
    ws = wb["Indicators"]
    head = [c.value for c in ws[1]]
    col = len(head) + 1
    ws.cell(1, col, "DfE measure")
    for r in range(2, ws.max_row + 1):
        ws.cell(r, col, CODES[(r - 2) % len(CODES)])
    settings = wb["Settings"]
    settings.append(["Local authority", "Walsall"])
    wb.save(path)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    exe = [sys.executable, "-m", "kpi_engine.commands.cli"]
    with tempfile.TemporaryDirectory() as tmp:
        demo = Path(tmp) / "demo.xlsx"
        demo.write_bytes((ROOT / "workbook_templates" / "demo_dashboard.xlsx").read_bytes())
        big = Path(tmp) / "big.xlsx"
        _mapped_200(big)
        startup = _best([*exe, "--help"], args.repeat)
        load = _best(
            [sys.executable, "-c", "from kpi_engine.commands.benchmarks import load; load()"],
            args.repeat,
        )
        t_demo = _best([*exe, "benchmarks", str(demo)], args.repeat)
        t_big = _best([*exe, "benchmarks", str(big)], args.repeat)
        fill_demo = _best([*exe, "fill", str(demo), "-o", str(Path(tmp) / "f.xlsx")], args.repeat)
    print(f"start-up (kpi-dashboard --help):            {startup:.2f} s")
    print(f"import pandas + load the shipped DfE data:  {load:.2f} s")
    print(f"benchmarks, demo (15 mapped indicators):    {t_demo:.2f} s")
    print(f"benchmarks, 200 mapped indicators:          {t_big:.2f} s")
    print(f"fill of the demo, for comparison:           {fill_demo:.2f} s")


if __name__ == "__main__":
    main()
