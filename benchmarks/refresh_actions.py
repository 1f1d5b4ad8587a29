"""Benchmark: what a Refresh costs in Excel round trips, and in Python time.

Each action a refresh returns is one round trip inside Excel (VBA: one Application.Run; Office.js:
about two context.sync()), so the count of actions is the latency an officer feels. For the demo
workbook and for a big authority's workbook (200 indicators x 36 months x 3 teams, from
make_workbook.py), and for each remote client (VBA, Office Scripts, Office.js), this prints:

- the actions per refresh, by kind, beside the naive count (one write per cell: every value
  written and every old value cleared, plus the links);
- the payload size (with the recommended INCLUDE: input and output sheets, Template info);
- the Python-side time of a refresh (payload JSON in -> actions JSON out, what the server does)
  for 200 indicators, beside ``kpi-dashboard fill``'s time on the same workbook.

The aim: no more than 12 actions on VBA at either size when the inputs have no issues (one link
per validation issue on top), and a count that does not grow with the number of indicators.

    python benchmarks/refresh_actions.py [--indicators 200] [--repeat 3]

Needs XLWINGS_LICENSE_KEY for xlwings' remote engine (set to "noncommercial" here if unset).
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import inspect
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")  # PolyForm Noncommercial 1.0.0
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import xlwings as xw
from engine_benchmark import timed
from make_workbook import build_workbook

from addin.excel import read_book, refresh
from addin.payloads import CLIENTS, VBA, client_payload
from kpi_engine.commands.fill import fill_workbook

REFRESHED = dt.datetime(2025, 10, 6, 9, 30)


def build_demo(path: Path) -> Path:
    from workbook_templates import demo

    build = getattr(demo, "build_demo", None)
    if build is not None and inspect.signature(build).parameters:
        build(path)
    elif build is not None:
        build().save(path)
    else:
        from workbook_templates.build import build_template, write_inputs

        book = build_template()
        write_inputs(book, demo.demo_sheets())
        book.save(path)
    return path


def run(payload_bytes: bytes) -> tuple[bytes, Any]:
    """What the server does: payload JSON in, actions JSON out."""
    book = xw.Book(json=json.loads(payload_bytes))
    try:
        report = refresh(book, refreshed=REFRESHED)
        return json.dumps(book.json()).encode("utf-8"), report
    finally:
        book.close()


def naive_count(payload: dict[str, Any], actions: list[dict[str, Any]]) -> int:
    """One action per cell written with a value, per old value cleared, and per link."""
    book = xw.Book(json=payload)
    try:
        _, old, _ = read_book(book)
    finally:
        book.close()
    by_position = {i: s["name"] for i, s in enumerate(payload["sheets"])}
    count = 0
    for a in actions:
        if a["func"] == "setValues":
            grid = old.get(by_position.get(a["sheet_position"], "")) or []
            for i, row in enumerate(a["values"]):
                for j, value in enumerate(row):
                    was = grid[i][j] if i < len(grid) and j < len(grid[i]) else None
                    if value not in (None, "") or was not in (None, ""):
                        count += 1
        elif a["func"] in ("addHyperlink", "addSheet"):
            count += 1
    return count


def report_workbook(label: str, path: Path, repeat: int) -> dict[str, Any]:
    print(f"\n{label}: {path.name}")
    print(
        f"  {'client':26} {'actions':>7} {'without links':>13} {'naive':>7}  {'payload':>8}  kinds"
    )
    rows = {}
    for client in CLIENTS:
        payload = client_payload(path, client)
        body = json.dumps(payload).encode("utf-8")
        out, result = run(body)
        actions = json.loads(out)["actions"]
        kinds = collections.Counter(a["func"] for a in actions)
        links = kinds.get("addHyperlink", 0)
        naive = naive_count(payload, actions)
        rows[client] = (len(actions), len(actions) - links, naive, len(body))
        print(
            f"  {client:26} {len(actions):7d} {len(actions) - links:13d} {naive:7d}  "
            f"{len(body) / 1e6:6.2f} MB  {dict(kinds)}"
        )
    issues = len(result.issues)
    print(
        f"  {len(result.indicators)} indicators, {issues} validation issue{'s' * (issues != 1)} "
        f"(one link each)"
    )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--indicators", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        demo = build_demo(folder / "demo.xlsx")
        fill_workbook(demo, demo, refreshed=REFRESHED)  # as after its first refresh
        counts = {"demo": report_workbook("Demo workbook (refreshed before)", demo, args.repeat)}

        big = folder / f"indicators-{args.indicators}.xlsx"
        build_workbook(big, indicators=args.indicators)
        report_workbook(
            f"{args.indicators} indicators, first refresh (no output sheets yet)", big, args.repeat
        )
        fill_workbook(big, big, refreshed=REFRESHED)
        counts["big"] = report_workbook(
            f"{args.indicators} indicators (refreshed before)", big, args.repeat
        )

        body = json.dumps(client_payload(big, VBA)).encode("utf-8")
        refresh_time, _ = timed(lambda: run(body), args.repeat)
        out = folder / "filled.xlsx"
        fill_time, _ = timed(lambda: fill_workbook(big, out, refreshed=REFRESHED), args.repeat)
        payload_time, _ = timed(lambda: client_payload(big, VBA), 1)
        print(f"\nPython-side time, {args.indicators} indicators (median of {args.repeat}):")
        print(
            f"  refresh, VBA payload JSON in -> actions JSON out: {refresh_time:6.2f} s "
            f"({len(body) / 1e6:.2f} MB in)"
        )
        print(f"  kpi-dashboard fill (load .xlsx, compute, save):    {fill_time:6.2f} s")
        print(
            f"  ratio refresh / fill:                              {refresh_time / fill_time:6.2f}"
        )
        print(
            "  (building the payload from the .xlsx, which Excel does in the real route: "
            f"{payload_time:.2f} s)"
        )

        vba_demo, vba_big = counts["demo"][VBA], counts["big"][VBA]
        met = max(vba_demo[1], vba_big[1]) <= 12 and vba_demo[1] == vba_big[1]
        print(
            f"\nVBA actions without links: demo {vba_demo[1]}, "
            f"{args.indicators} indicators {vba_big[1]} "
            f"(aim: at most 12, the same at both sizes): {'met' if met else 'NOT met'}"
        )


if __name__ == "__main__":
    main()
