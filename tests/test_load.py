"""The refresh endpoint under concurrent refreshes, and a refresh that takes too long."""

from __future__ import annotations

import sys
import time
import warnings
from pathlib import Path

import pytest

pytest.importorskip("uvicorn")
pytest.importorskip("httpx")
pytest.importorskip("fastapi")

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

from endpoint_load import run_load


def slow_refresh(payload):
    """Stands in for a refresh that takes too long (it runs in the refresh's own process)."""
    time.sleep(30)
    return {"actions": ["late"]}


def server_children() -> list[int]:
    """This process's live children other than the fork server (which is the refreshes' parent)."""
    import multiprocessing

    return [p.pid for p in multiprocessing.active_children() if p.is_alive()]


def test_twenty_concurrent_refreshes_all_answer_the_same_actions():
    result = run_load(requests=20, client="VBA")
    assert result["statuses"] == [200] * 20
    assert result["same_answer"] == 20
    assert result["actions"] > 0


def test_a_refresh_slower_than_the_timeout_answers_504_and_changes_nothing(monkeypatch):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient
    from addin import server

    monkeypatch.setattr(server, "check_payload", lambda payload: None)
    monkeypatch.setattr(server, "refresh_payload", slow_refresh)
    client = TestClient(server.create_app(token=None, timeout=0.5), raise_server_exceptions=False)
    started = time.monotonic()
    response = client.post(
        "/refresh", json={"client": "VBA", "version": "x", "book": {"name": "d.xlsx"}, "sheets": []}
    )
    assert time.monotonic() - started < 5
    assert response.status_code == 504
    assert not server_children(), "the refresh's process was not stopped"
    assert "took longer than" in response.json()["detail"]
    assert "Nothing was changed" in response.json()["detail"] and "Traceback" not in response.text


def app_client(monkeypatch, **settings):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient
    from addin import server

    monkeypatch.setattr(server, "refresh_payload", slow_refresh)
    app = server.create_app(token=None, **settings)
    return TestClient(app, raise_server_exceptions=False)


def test_refreshes_beyond_the_limit_wait_then_get_busy(monkeypatch):
    from concurrent.futures import ThreadPoolExecutor

    from addin import server

    monkeypatch.setattr(server, "check_payload", lambda payload: None)
    client = app_client(monkeypatch, timeout=2, max_concurrent=1, queue_wait=0.5)
    body = {"client": "VBA", "version": "x", "book": {"name": "d.xlsx"}, "sheets": []}
    with ThreadPoolExecutor(2) as pool:
        first = pool.submit(client.post, "/refresh", json=body)
        time.sleep(0.3)
        second = pool.submit(client.post, "/refresh", json=body)
        answers = sorted([first.result(timeout=20), second.result(timeout=20)], key=str)
    assert sorted(r.status_code for r in answers) == [503, 504]
    busy = next(r for r in answers if r.status_code == 503)
    assert busy.json()["detail"].startswith("The refresh server is busy, try again in a minute.")
    assert not server_children()


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ("[" * 100_000 + "]" * 100_000, "nested too deep"),
        (
            (
                '{"client": "VBA", "version": "1", "book": {"name": "d.xlsx"}, '
                '"sheets": [{"name": "Data", "values": [["Ref", {"a": 1}]]}]}'
            ),
            "not a workbook sent by xlwings",
        ),
        ('{"sheets": [[[[[[[[[[]]]]]]]]]]}', "not a workbook sent by xlwings"),
    ],
    ids=["deep nesting", "a dict in a cell", "nested lists"],
)
def test_a_bad_payload_is_a_400_with_a_plain_message(monkeypatch, body, words):
    client = app_client(monkeypatch)
    response = client.post("/refresh", content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 400, response.text
    assert words in response.json()["detail"] and "Traceback" not in response.text


def test_sigterm_during_load_stops_the_server_within_5_seconds():
    import json
    import os
    import signal
    from concurrent.futures import ThreadPoolExecutor

    import httpx
    from endpoint_load import TOKEN, demo_payload, free_port, start_server

    body = json.dumps(demo_payload("VBA"))
    port = free_port()
    server = start_server(port, timeout="60", max_concurrent="2", queue_wait="60")
    url = f"http://127.0.0.1:{port}/refresh"

    def post(_):
        try:
            return httpx.post(url, content=body, headers={"Authorization": TOKEN}, timeout=30)
        except httpx.HTTPError as err:  # the server went away: expected
            return err

    try:
        with ThreadPoolExecutor(8) as pool:
            futures = [pool.submit(post, i) for i in range(8)]
            time.sleep(2)  # two refreshes running, six waiting
            started = time.monotonic()
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=10)
            took = time.monotonic() - started
            for f in futures:
                f.result(timeout=30)
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
    print(f"\nstopped by SIGTERM under load in {took:.2f} s")
    assert took < 5
    deadline = time.monotonic() + 5  # the fork server and refresh processes go with it
    while group_alive(server.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not group_alive(server.pid)


def group_alive(pgid: int) -> list[int]:
    import os

    if not os.path.isdir("/proc"):
        return []
    alive = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[2]) == pgid and fields[0] != "Z":
                alive.append(int(entry))
    return alive


# ---------------------------------------------------------------------------------------------
# xlwings Server's route (the Office.js add-in): the same refresh processes, 504 and 503

XLWINGS_SERVER_LOAD = r"""
import json, multiprocessing, sys, time, warnings
from concurrent.futures import ThreadPoolExecutor
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient
from xlwings_server.main import app
import slow
from addin import server

server.refresh_payload = slow.slow_refresh
client = TestClient(app, raise_server_exceptions=False)
url = "/xlwings/custom-scripts-call/refresh_dashboard"
body = {"client": "Office.js", "version": "x", "book": {"name": "d.xlsx", "active_sheet_index": 0,
        "selection": "A1"}, "names": [], "sheets": [{"name": "Data", "values": [[""]],
        "pictures": [], "tables": []}]}
with ThreadPoolExecutor(2) as pool:
    started = time.monotonic()
    first = pool.submit(client.post, url, json=body)
    time.sleep(0.3)
    second = pool.submit(client.post, url, json=body)
    answers = [first.result(timeout=20), second.result(timeout=20)]
    took = time.monotonic() - started
print(json.dumps({
    "statuses": [r.status_code for r in answers],
    "details": [r.json().get("detail") if r.headers.get("content-type", "").startswith(
        "application/json") else r.text for r in answers],
    "took": took,
    "children": [p.pid for p in multiprocessing.active_children() if p.is_alive()],
}))
"""

SLOW_MODULE = '''
import time


def slow_refresh(payload):
    """Stands in for a refresh that takes too long (it runs in the refresh's own process)."""
    time.sleep(30)
    return {"actions": ["late"]}
'''


def test_the_xlwings_server_route_answers_504_past_the_limit_and_503_when_busy(tmp_path):
    import importlib.util
    import json
    import os
    import subprocess

    if importlib.util.find_spec("xlwings_server") is None:
        pytest.skip("xlwings-server is not installed (pip install 'kpi-dashboard[server]')")
    import addin

    root = Path(__file__).resolve().parent.parent
    (tmp_path / "slow.py").write_text(SLOW_MODULE)
    # A fresh process: xlwings Server reads its settings and project folder when first imported.
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(root), str(tmp_path)]),
        "XLWINGS_PROJECT_DIR": str(addin.XLWINGS_SERVER_PROJECT),
        "XLWINGS_LICENSE_KEY": "noncommercial",
        "KPI_DASHBOARD_TIMEOUT": "2",
        "KPI_DASHBOARD_MAX_CONCURRENT": "1",
        "KPI_DASHBOARD_QUEUE_WAIT": "0.5",
    }
    run = subprocess.run(
        [sys.executable, "-c", XLWINGS_SERVER_LOAD],
        check=False,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    result = json.loads(run.stdout.strip().splitlines()[-1])
    assert result["statuses"] == [504, 503], result
    late, busy = result["details"]
    assert late.startswith("The refresh took longer than 2 seconds, so it was stopped.")
    assert "Nothing was changed" in late
    assert busy.startswith("The refresh server is busy, try again in a minute.")
    assert result["took"] < 10  # the 30 s refresh was stopped at its 2 s limit
    assert result["children"] == [], "the refresh's process was not stopped"
