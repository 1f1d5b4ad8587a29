"""Load test of the refresh endpoint: concurrent refreshes of the demo payload on 127.0.0.1.

Starts `uvicorn addin.server:app` on a free loopback port (token set), posts N refreshes at once
(bounded in count and time; the server is stopped at the end), checks every answer is the same
set of actions, and prints latency percentiles. Needs `pip install "kpi-dashboard[server]"`. Run:

    python benchmarks/endpoint_load.py [--requests 20] [--client VBA]
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
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

TOKEN = "load-test-token"
STAMP = re.compile(r"Refreshed \d{4}-\d\d-\d\d \d\d:\d\d:\d\d")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port: int) -> subprocess.Popen:
    env = {**os.environ, "XLWINGS_LICENSE_KEY": "noncommercial", "KPI_DASHBOARD_TOKEN": TOKEN}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "addin.server:app",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
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


def normalised(answer: dict) -> str:
    """The actions with the refresh time taken out, to compare answers."""
    return STAMP.sub("Refreshed <time>", json.dumps(answer, sort_keys=True))


def run_load(requests: int = 20, client: str = "VBA", timeout: float = 180.0) -> dict:
    """Post ``requests`` refreshes at once; returns statuses, latencies and how many
    answers differ."""
    import httpx

    body = json.dumps(demo_payload(client))
    port = free_port()
    server = start_server(port)
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
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
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
    args = parser.parse_args()
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
