"""Load test of the refresh endpoint: concurrent refreshes on 127.0.0.1.

Starts `kpi-dashboard serve` on a free loopback port (token set), posts N refreshes at once
(bounded in count and time; the server is stopped at the end), checks every answer, and prints
latency percentiles. With --mixed, the refreshes are of mixed sizes (the demo and a 200-indicator
workbook) under a time limit that the big ones may pass and a concurrency limit: every answer must
be the right actions or a clean 503 (busy) or 504 (too slow); the server's memory (its own and its
refresh processes') is printed before and after. Needs `pip install "kpi-dashboard[server]"`. Run:

    python benchmarks/endpoint_load.py [--requests 20] [--client VBA]
    python benchmarks/endpoint_load.py --mixed [--requests 50] [--time-limit 6] [--concurrent 2]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # make_workbook, beside this file

TOKEN = "load-test-token"
STAMP = re.compile(r"Refreshed \d{4}-\d\d-\d\d \d\d:\d\d:\d\d")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port: int, **settings: str) -> subprocess.Popen:
    """`kpi-dashboard serve` in a process group of its own; ``settings`` are KPI_DASHBOARD_*
    variables (``queue_wait="120"``)."""
    env = {**os.environ, "XLWINGS_LICENSE_KEY": "noncommercial", "KPI_DASHBOARD_TOKEN": TOKEN}
    env.update({f"KPI_DASHBOARD_{k.upper()}": v for k, v in settings.items()})
    proc = subprocess.Popen(
        [sys.executable, "-m", "kpi_engine.commands.cli", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    import httpx

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("the refresh server did not start within 30 s")


def demo_payload(client: str) -> dict:
    from addin.payloads import client_payload
    from workbook_templates.demo import save_demo

    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "demo.xlsx"
        save_demo(path)
        return client_payload(path, client)


def big_payload(client: str, indicators: int = 200) -> dict:
    """A big authority's workbook (filled once, for its output sheets) as the client sends it."""
    from make_workbook import build_workbook

    from addin.payloads import client_payload
    from kpi_engine.commands.fill import fill_workbook

    with tempfile.TemporaryDirectory() as d:
        raw, path = Path(d) / "raw.xlsx", Path(d) / "big.xlsx"
        build_workbook(raw, indicators=indicators)
        fill_workbook(raw, path)
        return client_payload(path, client)


def group_rss_mb(pgid: int) -> float:
    """Resident memory of every process in a process group (the server and its refreshes), in MB;
    Linux only (0 elsewhere)."""
    total = 0
    for entry in os.listdir("/proc") if os.path.isdir("/proc") else []:
        if not entry.isdigit():
            continue
        try:
            fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            if int(fields[2]) != pgid:
                continue
            for line in Path(f"/proc/{entry}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except (OSError, IndexError, ValueError):
            continue
    return total / 1024


def stop_server(server: subprocess.Popen) -> float:
    """SIGTERM, as a service manager stops it; the seconds it took to be gone."""
    started = time.monotonic()
    server.terminate()
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, 9)
        server.wait()
    return time.monotonic() - started


def run_mixed(
    requests: int = 50,
    client: str = "VBA",
    time_limit: float = 6.0,
    concurrent: int = 2,
    queue_wait: float = 20.0,
) -> dict:
    """``requests`` refreshes at once, alternately the demo and a big workbook, against a server
    with a time limit and a concurrency limit. Every answer is checked: the right actions, or a
    clean 503 or 504 (JSON with a plain ``detail``)."""
    import httpx

    bodies = [json.dumps(demo_payload(client)), json.dumps(big_payload(client))]
    port = free_port()
    server = start_server(
        port, timeout=str(time_limit), max_concurrent=str(concurrent), queue_wait=str(queue_wait)
    )
    url = f"http://127.0.0.1:{port}/refresh"
    headers = {"Authorization": TOKEN, "Content-Type": "application/json"}
    try:
        expected = []
        for body in bodies:  # one at a time first: the right answer for each
            r = httpx.post(url, content=body, headers=headers, timeout=time_limit + 30)
            expected.append(normalised(r.json()) if r.status_code == 200 else None)
        rss_before = group_rss_mb(server.pid)

        def one(i: int) -> tuple[int, float, str]:
            start = time.perf_counter()
            limit = time_limit + queue_wait + 30
            r = httpx.post(url, content=bodies[i % 2], headers=headers, timeout=limit)
            took = time.perf_counter() - start
            if r.status_code == 200:
                verdict = "right" if normalised(r.json()) == expected[i % 2] else "WRONG"
            elif r.status_code in (503, 504) and "Traceback" not in r.text:
                verdict = "clean" if r.json().get("detail") else "WRONG"
            else:
                verdict = "WRONG"
            return r.status_code, took, verdict

        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=requests) as pool:
            results = list(pool.map(one, range(requests)))
        wall = time.perf_counter() - started
        time.sleep(1)
        rss_after = group_rss_mb(server.pid)
    finally:
        stop_seconds = stop_server(server)
    return {
        "statuses": [s for s, _, _ in results],
        "verdicts": [v for *_, v in results],
        "latencies": sorted(t for _, t, _ in results),
        "wall": wall,
        "rss_before": rss_before,
        "rss_after": rss_after,
        "stop_seconds": stop_seconds,
        "expected": [e is not None for e in expected],
    }


def normalised(answer: dict) -> str:
    """The actions with the refresh time taken out, to compare answers."""
    return STAMP.sub("Refreshed <time>", json.dumps(answer, sort_keys=True))


def run_load(requests: int = 20, client: str = "VBA", timeout: float = 180.0) -> dict:
    """Post ``requests`` refreshes at once; returns statuses, latencies and how many
    answers differ."""
    import httpx

    body = json.dumps(demo_payload(client))
    port = free_port()
    server = start_server(port, queue_wait=str(timeout))
    try:
        url = f"http://127.0.0.1:{port}/refresh"
        headers = {"Authorization": TOKEN, "Content-Type": "application/json"}
        reference = httpx.post(url, content=body, headers=headers, timeout=timeout)
        expected = normalised(reference.json())

        def one(_: int) -> tuple[int, float, bool]:
            start = time.perf_counter()
            r = httpx.post(url, content=body, headers=headers, timeout=timeout)
            took = time.perf_counter() - start
            return r.status_code, took, r.status_code == 200 and normalised(r.json()) == expected

        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=requests) as pool:
            results = list(pool.map(one, range(requests)))
        wall = time.perf_counter() - started
    finally:
        stop_server(server)
    latencies = sorted(t for _, t, _ in results)
    return {
        "statuses": [s for s, _, _ in results],
        "same_answer": sum(1 for *_, same in results if same),
        "latencies": latencies,
        "wall": wall,
        "single": reference.elapsed.total_seconds(),
        "actions": len(reference.json().get("actions", [])),
    }


def percentile(values: list[float], p: float) -> float:
    k = max(0, min(len(values) - 1, round(p / 100 * (len(values) - 1))))
    return sorted(values)[k]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--client", default="VBA")
    parser.add_argument("--mixed", action="store_true")
    parser.add_argument("--time-limit", type=float, default=6.0)
    parser.add_argument("--concurrent", type=int, default=2)
    args = parser.parse_args()
    if args.mixed:
        m = run_mixed(args.requests, args.client, args.time_limit, args.concurrent)
        lat = m["latencies"]
        counts = {s: m["statuses"].count(s) for s in sorted(set(m["statuses"]))}
        print(
            f"{args.requests} concurrent refreshes, demo and 200-indicator workbooks alternately "
            f"({args.client}); time limit {args.time_limit:g} s, {args.concurrent} at once"
        )
        print(f"  statuses: {counts}; verdicts: {dict(Counter(m['verdicts']))}")
        print(
            f"  latency p50 {percentile(lat, 50):.2f} s  p95 {percentile(lat, 95):.2f} s  "
            f"max {lat[-1]:.2f} s; all answered in {m['wall']:.2f} s"
        )
        print(
            f"  server memory (with its refresh processes): {m['rss_before']:.0f} MB before the "
            f"load, {m['rss_after']:.0f} MB after; stopped by SIGTERM in {m['stop_seconds']:.2f} s"
        )
        return
    r = run_load(args.requests, args.client)
    lat = r["latencies"]
    print(
        f"{args.requests} concurrent refreshes of the demo payload ({args.client}), "
        f"{r['actions']} actions each"
    )
    print(
        f"  statuses: {sorted(set(r['statuses']))}; "
        f"identical answers: {r['same_answer']}/{args.requests}"
    )
    print(f"  one refresh alone: {r['single']:.2f} s")
    print(
        f"  latency p50 {percentile(lat, 50):.2f} s  p90 {percentile(lat, 90):.2f} s  "
        f"p95 {percentile(lat, 95):.2f} s  "
        f"max {lat[-1]:.2f} s; all {len(lat)} answered in {r['wall']:.2f} s "
        f"({statistics.mean(lat):.2f} s mean)"
    )


if __name__ == "__main__":
    main()
