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
