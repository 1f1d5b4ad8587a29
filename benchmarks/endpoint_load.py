"""Load test of the refresh endpoint: concurrent refreshes on 127.0.0.1.

Starts `kpi-dashboard serve` on a free loopback port (token set), posts N refreshes at once
(bounded in count and time; the server is stopped at the end), checks every answer, and prints
latency percentiles. Needs `pip install "kpi-dashboard[server]"`. Run:

    python benchmarks/endpoint_load.py [--requests 20] [--client VBA]
    python benchmarks/endpoint_load.py --mixed [--requests 50] [--time-limit 20] [--big-every 10]

With --mixed, the refreshes are of mixed sizes: the demo, and every ``--big-every``-th one
(default: one in ten) a 400-indicator workbook. The defaults make the mix mean something on an
ordinary two-core machine: a demo refresh takes about 3 s alone and up to 10 s on a loaded
machine, a 400-indicator one well over 20 s, so under the 20 s time limit the big ones are
stopped (504) and the demo ones, most of the requests, are answered; the queue wait (150 s) lets
most requests wait their turn, so the server holds 50 requests at once. Every answer must be the
right actions or a clean 503 (busy) or 504 (too slow) with its plain message. Printed: the
statuses, p50, p95 and max latency, and the memory of the server's main process and of its whole
process group (refresh processes included) before the load and after it.
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


def start_server(port: int, xlwings_server: bool = False, **settings: str) -> subprocess.Popen:
    """`kpi-dashboard serve` (with ``--xlwings-server``: xlwings Server's route) in a process
    group of its own; ``settings`` are KPI_DASHBOARD_* variables (``queue_wait="120"``)."""
    env = {**os.environ, "XLWINGS_LICENSE_KEY": "noncommercial", "KPI_DASHBOARD_TOKEN": TOKEN}
    env.update({f"KPI_DASHBOARD_{k.upper()}": v for k, v in settings.items()})
    route = ["--xlwings-server"] if xlwings_server else []
    proc = subprocess.Popen(
        [sys.executable, "-m", "kpi_engine.commands.cli", "serve", "--port", str(port), *route],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    import httpx

    health = f"http://127.0.0.1:{port}/" + ("" if xlwings_server else "health")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(health, timeout=1).status_code == 200:
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


def _rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def group_rss_mb(pgid: int) -> float:
    """Resident memory of every process in a process group (the server and its refreshes), in MB;
    Linux only (0 elsewhere)."""
    total = 0
    for entry in os.listdir("/proc") if os.path.isdir("/proc") else []:
        if not entry.isdigit():
            continue
        try:
            fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            if int(fields[2]) == pgid:
                total += _rss_kb(int(entry))
        except (OSError, IndexError, ValueError):
            continue
    return total / 1024


def process_rss_mb(pid: int) -> float:
    """Resident memory of one process (the server's main process, which holds the requests), in
    MB; Linux only (0 elsewhere)."""
    try:
        return _rss_kb(pid) / 1024
    except (OSError, ValueError):
        return 0.0


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


# A demo refresh passes the time limit on a loaded machine; a 400-indicator one does not.
TIME_LIMIT = 20.0
BIG_INDICATORS = 400
BIG_EVERY = 10  # one request in ten is the big workbook
QUEUE_WAIT = 150.0  # long enough for most requests to have their turn on two cores


def run_mixed(
    requests: int = 50,
    client: str = "VBA",
    time_limit: float = TIME_LIMIT,
    concurrent: int | None = None,
    queue_wait: float = QUEUE_WAIT,
    big_every: int = BIG_EVERY,
    big_indicators: int = BIG_INDICATORS,
) -> dict:
    """``requests`` refreshes at once, every ``big_every``-th of a big workbook and the rest of
    the demo, against a server with a time limit and a concurrency limit (default: the cores, as
    the server's own default). Every answer is checked: the right actions, or a clean 503 or 504
    (JSON whose ``detail`` is the server's plain message)."""
    import httpx

    from addin.server import BUSY

    concurrent = concurrent or os.cpu_count() or 1
    bodies = [json.dumps(demo_payload(client)), json.dumps(big_payload(client, big_indicators))]
    kinds = [1 if big_every and i % big_every == big_every - 1 else 0 for i in range(requests)]
    port = free_port()
    server = start_server(
        port, timeout=str(time_limit), max_concurrent=str(concurrent), queue_wait=str(queue_wait)
    )
    url = f"http://127.0.0.1:{port}/refresh"
    headers = {"Authorization": TOKEN, "Content-Type": "application/json"}
    try:
        expected, alone = [], []
        for body in bodies:  # one at a time first: the right answer for each, and how long
            start = time.perf_counter()
            r = httpx.post(url, content=body, headers=headers, timeout=time_limit + 30)
            alone.append((r.status_code, time.perf_counter() - start))
            expected.append(normalised(r.json()) if r.status_code == 200 else None)
        rss_before = group_rss_mb(server.pid), process_rss_mb(server.pid)

        def one(i: int) -> tuple[int, float, str]:
            kind = kinds[i]
            start = time.perf_counter()
            limit = time_limit + queue_wait + 30
            r = httpx.post(url, content=bodies[kind], headers=headers, timeout=limit)
            took = time.perf_counter() - start
            detail = ""
            if r.status_code in (503, 504) and "Traceback" not in r.text:
                detail = r.json().get("detail", "")
            clean = {503: BUSY, 504: f"The refresh took longer than {time_limit:.0f} seconds"}
            if r.status_code == 200 and expected[kind] is not None:
                verdict = "right" if normalised(r.json()) == expected[kind] else "WRONG"
            elif r.status_code == 200:  # no reference answer (it passed the limit alone)
                verdict = "right" if r.json().get("actions") else "WRONG"
            elif r.status_code in clean and detail.startswith(clean[r.status_code]):
                verdict = "clean"
            else:
                verdict = "WRONG"
            return r.status_code, took, verdict

        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=requests) as pool:
            results = list(pool.map(one, range(requests)))
        wall = time.perf_counter() - started
        time.sleep(1)
        rss_after = group_rss_mb(server.pid), process_rss_mb(server.pid)
    finally:
        stop_seconds = stop_server(server)
    return {
        "statuses": [s for s, _, _ in results],
        "by_kind": {
            name: Counter(results[i][0] for i in range(requests) if kinds[i] == k)
            for k, name in enumerate(("demo", "big"))
        },
        "verdicts": [v for *_, v in results],
        "latencies": sorted(t for _, t, _ in results),
        "wall": wall,
        "alone": alone,
        "concurrent": concurrent,
        "rss_before": rss_before[0],
        "rss_after": rss_after[0],
        "main_before": rss_before[1],
        "main_after": rss_after[1],
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
    parser.add_argument("--requests", type=int, default=None, help="default 20, or 50 with --mixed")
    parser.add_argument("--client", default="VBA")
    parser.add_argument("--mixed", action="store_true")
    parser.add_argument("--time-limit", type=float, default=TIME_LIMIT)
    parser.add_argument("--concurrent", type=int, default=None, help="default: the cores")
    parser.add_argument("--queue-wait", type=float, default=QUEUE_WAIT)
    parser.add_argument("--big-every", type=int, default=BIG_EVERY)
    parser.add_argument("--big-indicators", type=int, default=BIG_INDICATORS)
    args = parser.parse_args()
    if args.mixed:
        requests = args.requests or 50
        m = run_mixed(
            requests,
            args.client,
            args.time_limit,
            args.concurrent,
            args.queue_wait,
            args.big_every,
            args.big_indicators,
        )
        lat = m["latencies"]
        counts = {s: m["statuses"].count(s) for s in sorted(set(m["statuses"]))}
        print(
            f"{requests} concurrent refreshes ({args.client}): the demo, and every "
            f"{args.big_every}th a {args.big_indicators}-indicator workbook; time limit "
            f"{args.time_limit:g} s, {m['concurrent']} at once, queue wait {args.queue_wait:g} s"
        )
        (demo_status, demo_s), (big_status, big_s) = m["alone"]
        print(
            f"  alone, before the load: demo {demo_s:.2f} s ({demo_status}), "
            f"{args.big_indicators} indicators {big_s:.2f} s ({big_status})"
        )
        by_kind = "; ".join(
            f"{name} {dict(sorted(c.items()))}" for name, c in m["by_kind"].items() if c
        )
        print(f"  statuses: {counts} ({by_kind})")
        verdicts = Counter(m["verdicts"])
        every = (
            "every answer right or a clean 503/504"
            if set(verdicts) <= {"right", "clean"}
            else "NOT every answer was right or a clean 503/504"
        )
        print(f"  verdicts: {dict(verdicts)}: {every}")
        print(
            f"  latency p50 {percentile(lat, 50):.2f} s  p95 {percentile(lat, 95):.2f} s  "
            f"max {lat[-1]:.2f} s; all answered in {m['wall']:.2f} s"
        )
        print(
            f"  memory: server process {m['main_before']:.0f} MB before the load, "
            f"{m['main_after']:.0f} MB after; with its refresh processes {m['rss_before']:.0f} MB "
            f"before, {m['rss_after']:.0f} MB after; stopped by SIGTERM in "
            f"{m['stop_seconds']:.2f} s"
        )
        return
    args.requests = args.requests or 20
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
