"""Benchmark: what a Refresh costs in Excel actions, and in Python time, cold and warm.

Each action a refresh returns is one round trip inside Excel (VBA: one Application.Run; Office.js:
about two context.sync()), so the count of actions is the latency an officer feels. The aim: at
most 12 actions per refresh on every remote client (VBA, Office Scripts, Office.js), whatever the
number of indicators and of validation issues, and a cold refresh of 200 indicators in under
1.5 s, Python-side.

For the demo workbook and for a big authority's workbook (200 indicators x 36 months x 3 teams,
from make_workbook.py) with 50 and with 200 validation issues (its own 50, Red or Amber without
commentary, and Data rows whose Ref is on no Indicators row: each issue with a link to its
cell), all filled once with ``kpi-dashboard fill`` (so the Charts sheet has its own charts, as a
workbook has after its first fill), this prints:

- the actions per refresh for each client, by kind; and for the 200 indicators, the first remote
  refresh of a workbook that was never filled (its charts are drawn as pictures, once);
- the Python-side time of a refresh, payload JSON in -> actions JSON out (what the server does):
  cold, in a new process forked from one that has imported the code (as the refresh server starts
  each refresh) and given figures it has not seen (every figure of the Data sheet changed), and
  warm, the same payload again in the same process; beside ``kpi-dashboard fill``'s time.

    python benchmarks/refresh_actions.py [--indicators 200] [--repeat 5]

Needs XLWINGS_LICENSE_KEY for xlwings' remote engine (set to "noncommercial" here if unset).
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import json
import multiprocessing
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")  # PolyForm Noncommercial 1.0.0
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import xlwings as xw
from make_workbook import _write, build_sheets

from addin.excel import refresh
from addin.payloads import CLIENTS, VBA, client_payload
from kpi_engine.commands.fill import fill_workbook

REFRESHED = dt.datetime(2025, 10, 6, 9, 30)
BUDGET = 12  # actions per refresh
COLD_BUDGET = 1.5  # seconds, 200 indicators


def run(payload_bytes: bytes) -> bytes:
    """What the server does: payload JSON in, actions JSON out."""
    book = xw.Book(json=json.loads(payload_bytes))
    try:
        refresh(book, refreshed=REFRESHED)
        return json.dumps(book.json()).encode("utf-8")
    finally:
        book.close()


def build_demo(path: Path) -> Path:
    from workbook_templates.demo import build_demo as build

    build().save(path)
    return path


BASE_ISSUES = 50  # make_workbook's 200 indicators: 50 Red or Amber without commentary


def build_big(path: Path, indicators: int, issues: int) -> Path:
    """make_workbook's workbook with ``issues`` validation issues: its own, and Data rows whose
    Ref no indicator has (an error at each Ref) for the rest."""
    sheets = build_sheets(indicators)
    data = sheets["Data"]
    header = data[0]
    for k in range(max(0, issues - BASE_ISSUES)):
        row: list[Any] = [None] * len(header)
        row[header.index("Ref")] = f"NOT AN INDICATOR {k + 1}"
        row[header.index("Period")] = data[1][header.index("Period")]
        data.append(row)
    _write(path, sheets)
    return path


def changed_figures(payload: dict[str, Any], k: int) -> bytes:
    """The payload (changed in place: pass a copy) with every number on the Data sheet changed
    (new figures, as each month brings), so nothing computed for an earlier payload can be
    reused."""
    data = next(s for s in payload["sheets"] if s["name"] == "Data")
    header = data["values"][0]
    numerator, value = header.index("Numerator"), header.index("Value")
    fewer = k % 3 + 1  # cases fewer each time: counts stay whole and within their denominators
    for row in data["values"][1:]:
        n, v = row[numerator], row[value]
        if isinstance(n, (int, float)) and not isinstance(n, bool) and n >= fewer:
            row[numerator] = n - fewer
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            row[value] = round(v * (1 + 0.003 * (k + 1)), 6)
    return json.dumps(payload).encode("utf-8")


def _timed_in_child(payload_bytes: bytes, conn: Any) -> None:
    start = time.perf_counter()
    out = run(payload_bytes)
    conn.send((time.perf_counter() - start, len(out)))
    conn.close()


def cold_times(payload: dict[str, Any], repeat: int) -> list[float]:
    """Python-side seconds of a refresh in a new process (forked from one that has the code
    imported), each given figures no process has seen."""
    ctx = multiprocessing.get_context(
        "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
    )
    if ctx.get_start_method() == "forkserver":
        ctx.set_forkserver_preload(["addin.excel", "xlwings", "refresh_actions"])
    times = []
    for k in range(repeat):
        body = changed_figures(json.loads(json.dumps(payload)), k)
        receive, send = ctx.Pipe(duplex=False)
        proc = ctx.Process(target=_timed_in_child, args=(body, send))
        proc.start()
        send.close()
        seconds, _ = receive.recv()
        proc.join()
        times.append(seconds)
    return times


def warm_times(payload: dict[str, Any], repeat: int) -> list[float]:
    body = json.dumps(payload).encode("utf-8")
    run(body)  # seen once
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run(body)
        times.append(time.perf_counter() - start)
    return times


def server_times(payload: dict[str, Any], repeat: int) -> list[float] | None:
    """Seconds from posting the payload to the refresh server (``POST /refresh``: its checks, a
    refresh process of its own, the answer) to having the actions, each time with new figures;
    None without the server's extra (fastapi)."""
    try:
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from fastapi.testclient import TestClient
    except ImportError:
        return None
    from addin.server import create_app

    headers = {"Content-Type": "application/json"}
    times = []
    with TestClient(create_app(token=None)) as client:
        # the server's first refresh starts its fork server: not what an officer waits for
        first = changed_figures(json.loads(json.dumps(payload)), repeat)
        client.post("/refresh", content=first, headers=headers)
        for k in range(repeat):
            body = changed_figures(json.loads(json.dumps(payload)), k)
            start = time.perf_counter()
            answer = client.post("/refresh", content=body, headers=headers)
            times.append(time.perf_counter() - start)
            answer.raise_for_status()
    return times


def count_actions(path: Path) -> tuple[dict[str, collections.Counter[str]], int]:
    """Actions by kind for each client, and the validation issues that link to their cell (a
    link each: an addHyperlink action, or a HYPERLINK formula inside the values write)."""
    counts, links = {}, 0
    for client in CLIENTS:
        actions = json.loads(run(json.dumps(client_payload(path, client)).encode()))["actions"]
        counts[client] = collections.Counter(a["func"] for a in actions)
        formulas = sum(
            1
            for a in actions
            if a["func"] == "setValues"
            for row in a["values"]
            for v in row
            if isinstance(v, str) and v.startswith("=HYPERLINK(")
        )
        links = max(links, formulas + counts[client]["addHyperlink"])
    return counts, links


def report_counts(label: str, path: Path) -> int:
    counts, links = count_actions(path)
    print(f"\n{label}: {links} validation issues with a link to their cell")
    print(f"  {'client':26} {'actions':>7}  kinds")
    for client, kinds in counts.items():
        print(f"  {client:26} {sum(kinds.values()):7d}  {dict(kinds)}")
    return max(sum(kinds.values()) for kinds in counts.values())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--indicators", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    worst = 0
    with tempfile.TemporaryDirectory() as folder_name:
        folder = Path(folder_name)
        demo = build_demo(folder / "demo.xlsx")
        fill_workbook(demo, demo, refreshed=REFRESHED)
        worst = max(worst, report_counts("Demo workbook (filled once)", demo))
        bigs = {}
        for issues in (50, 200):
            big = build_big(folder / f"big-{issues}.xlsx", args.indicators, issues)
            if issues == 50:
                report_counts(
                    f"{args.indicators} indicators, {issues} validation issues, never filled "
                    "(first refresh: charts as pictures, once)",
                    big,
                )
            fill_workbook(big, big, refreshed=REFRESHED)
            label = f"{args.indicators} indicators, {issues} validation issues (filled once)"
            worst = max(worst, report_counts(label, big))
            bigs[issues] = big

        print(f"\nPython-side seconds per refresh, VBA payload (median of {args.repeat}):")
        print(f"  {'workbook':44} {'cold':>6} {'warm':>6} {'fill':>6}")
        cold_big = 0.0
        for label, path in (
            ("demo", demo),
            (f"{args.indicators} indicators, 50 issues", bigs[50]),
            (f"{args.indicators} indicators, 200 issues", bigs[200]),
        ):
            payload = client_payload(path, VBA)
            cold = statistics.median(cold_times(payload, args.repeat))
            warm = statistics.median(warm_times(payload, args.repeat))
            out = folder / "filled.xlsx"
            fills = []
            for _ in range(args.repeat):
                start = time.perf_counter()
                fill_workbook(path, out, refreshed=REFRESHED)
                fills.append(time.perf_counter() - start)
            fill = statistics.median(fills)
            print(f"  {label:44} {cold:6.2f} {warm:6.2f} {fill:6.2f}")
            if path != demo:
                cold_big = max(cold_big, cold)
        served = server_times(client_payload(bigs[50], VBA), args.repeat)
        if served is not None:
            print(
                f"  through the refresh server (POST /refresh, {args.indicators} indicators, new "
                f"figures each time): {statistics.median(served):.2f} s"
            )
    print(
        f"\nMost actions on any client, workbooks filled once: {worst} "
        f"(aim: at most {BUDGET}): {'met' if worst <= BUDGET else 'NOT met'}"
    )
    print(
        f"Slowest cold refresh of {args.indicators} indicators: {cold_big:.2f} s "
        f"(aim: under {COLD_BUDGET} s): {'met' if cold_big < COLD_BUDGET else 'NOT met'}"
    )


if __name__ == "__main__":
    main()
