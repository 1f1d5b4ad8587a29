"""The refresh endpoint under concurrent refreshes, and a refresh that takes too long."""

from __future__ import annotations

import json
import sys
import time
import warnings
from pathlib import Path
from typing import Any

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


def stop_under_load(signum: int, xlwings_server: bool = False) -> float:
    """Start the server (a route of ``kpi-dashboard serve``), post 8 demo refreshes (two run,
    six wait), send ``signum`` to the server once refreshes are running, and check that it and
    its process group (fork server, refresh processes) are gone; the seconds it took to stop."""
    import json
    import os
    import signal
    from concurrent.futures import ThreadPoolExecutor

    import httpx
    from endpoint_load import TOKEN, demo_payload, free_port, start_server

    client, path = ("Office.js", "/xlwings/custom-scripts-call/refresh_dashboard")
    if not xlwings_server:
        client, path = "VBA", "/refresh"
    body = json.dumps(demo_payload(client))
    port = free_port()
    server = start_server(port, xlwings_server, timeout="60", max_concurrent="2", queue_wait="60")
    url = f"http://127.0.0.1:{port}{path}"
    headers = {"Authorization": TOKEN, "Content-Type": "application/json"}

    def post(_):
        try:
            return httpx.post(url, content=body, headers=headers, timeout=30)
        except httpx.HTTPError as err:  # the server went away: expected
            return err

    try:
        with ThreadPoolExecutor(8) as pool:
            futures = [pool.submit(post, i) for i in range(8)]
            # The server, its fork server and resource tracker, and at least one refresh process.
            deadline = time.monotonic() + 30
            while len(group_alive(server.pid)) < 4 and time.monotonic() < deadline:
                time.sleep(0.05)
            assert len(group_alive(server.pid)) >= 4, "no refresh started within 30 s"
            started = time.monotonic()
            server.send_signal(signum)
            server.wait(timeout=15)
            took = time.monotonic() - started
            for f in futures:
                f.result(timeout=30)
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
    deadline = time.monotonic() + 5  # the fork server and refresh processes go with it
    while group_alive(server.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not group_alive(server.pid), "a process of the server was left running"
    return took


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc to see processes")
def test_sigterm_during_load_stops_the_server_within_5_seconds():
    import signal

    took = stop_under_load(signal.SIGTERM)
    print(f"\nstopped by SIGTERM under load in {took:.2f} s")
    assert took < 5


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


def xlwings_server_env(folder: Path, **settings: str) -> dict[str, str]:
    """The environment of a fresh process running xlwings Server's app with ``settings``, able
    to import the project and the test's own modules in ``folder``."""
    import os

    import addin

    root = Path(__file__).resolve().parent.parent
    return {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(root), str(folder)]),
        "XLWINGS_PROJECT_DIR": str(addin.XLWINGS_SERVER_PROJECT),
        "XLWINGS_LICENSE_KEY": "noncommercial",
        **settings,
    }


def last_json_line(script: str, folder: Path, env: dict[str, str], stdin: str | None = None) -> Any:
    """Run ``script`` in a fresh Python process (at most two minutes) and read the JSON it
    prints last."""
    import subprocess

    run = subprocess.run(
        [sys.executable, "-c", script],
        input=stdin,
        check=False,
        capture_output=True,
        text=True,
        cwd=folder,
        env=env,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    return json.loads(run.stdout.strip().splitlines()[-1])


SLOW_MODULE = '''
import time


def slow_refresh(payload):
    """Stands in for a refresh that takes too long (it runs in the refresh's own process)."""
    time.sleep(30)
    return {"actions": ["late"]}
'''


def test_the_xlwings_server_route_answers_504_past_the_limit_and_503_when_busy(tmp_path):
    import importlib.util

    if importlib.util.find_spec("xlwings_server") is None:
        pytest.skip("xlwings-server is not installed (pip install 'kpi-dashboard[server]')")

    (tmp_path / "slow.py").write_text(SLOW_MODULE)
    # A fresh process: xlwings Server reads its settings and project folder when first imported.
    env = xlwings_server_env(
        tmp_path,
        KPI_DASHBOARD_TIMEOUT="2",
        KPI_DASHBOARD_MAX_CONCURRENT="1",
        KPI_DASHBOARD_QUEUE_WAIT="0.5",
    )
    result = last_json_line(XLWINGS_SERVER_LOAD, tmp_path, env)
    assert result["statuses"] == [504, 503], result
    late, busy = result["details"]
    assert late.startswith("The refresh took longer than 2 seconds, so it was stopped.")
    assert "Nothing was changed" in late
    assert busy.startswith("The refresh server is busy, try again in a minute.")
    assert result["took"] < 10  # the 30 s refresh was stopped at its 2 s limit
    assert result["children"] == [], "the refresh's process was not stopped"


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc to see processes")
@pytest.mark.parametrize("signame", ["SIGTERM", "SIGINT"])
def test_the_xlwings_server_route_stops_within_5_seconds_under_load(signame):
    import importlib.util
    import signal

    if importlib.util.find_spec("xlwings_server") is None:
        pytest.skip("xlwings-server is not installed (pip install 'kpi-dashboard[server]')")
    took = stop_under_load(getattr(signal, signame), xlwings_server=True)
    print(f"\n--xlwings-server stopped by {signame} under load in {took:.2f} s")
    assert took < 5


XLWINGS_SERVER_BAD_PAYLOADS = r"""
import json, sys, warnings
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient
import stub
from addin import server

server.refresh_payload = stub.quick_refresh
client = TestClient(server.xlwings_server_app(), raise_server_exceptions=False)
url = "/xlwings/custom-scripts-call/refresh_dashboard"
answers = {}
for name, body in json.loads(sys.stdin.read()).items():
    content = body.encode("utf-8", "surrogateescape")  # "\udcff" is the byte 0xff, not UTF-8
    r = client.post(url, content=content, headers={"Content-Type": "application/json"})
    answers[name] = {"status": r.status_code, "type": r.headers.get("content-type", ""),
                     "text": r.text}
print(json.dumps(answers))
"""

STUB_MODULE = '''
def quick_refresh(payload):
    """Stands in for the refresh (it runs in the refresh's own process)."""
    return {"actions": [{"func": "stub", "args": [payload["book"]["name"]]}]}
'''


def office_js_body(**changes) -> dict:
    body = {
        "client": "Office.js",
        "version": "0.37.8",
        "book": {"name": "d.xlsx", "active_sheet_index": 0, "selection": "A1"},
        "names": [],
        "sheets": [{"name": "Data", "values": [["Ref"]], "pictures": [], "tables": []}],
    }
    body.update(changes)
    return body


def test_the_xlwings_server_route_answers_every_bad_payload_with_a_4xx_and_a_plain_message(
    tmp_path,
):
    import importlib.util
    import json

    if importlib.util.find_spec("xlwings_server") is None:
        pytest.skip("xlwings-server is not installed (pip install 'kpi-dashboard[server]')")

    dict_in_cell = office_js_body(
        sheets=[{"name": "Data", "values": [["Ref", {"a": 1}]], "pictures": [], "tables": []}]
    )
    cases = {
        "good": (json.dumps(office_js_body()), 200, ""),
        "not JSON": ("this is not JSON", 400, "it is not JSON"),
        "empty": ("", 400, "it is not JSON"),
        "not UTF-8": ("\udcff", 400, "it is not JSON"),
        "deep nesting": ("[" * 40_000 + "]" * 40_000, 400, "nested too deep"),
        "a list": ("[1, 2]", 400, "not a workbook sent by xlwings"),
        "no sheets": (json.dumps(office_js_body(sheets=None)), 400, "not a workbook"),
        "a dict in a cell": (json.dumps(dict_in_cell), 400, "not a workbook sent by xlwings"),
        "nested lists": ('{"sheets": [[[[[[[[[[]]]]]]]]]]}', 400, "not a workbook"),
        "VBA of another xlwings": (
            json.dumps(office_js_body(client="VBA", version="0.0.1")),
            400,
            "and they must be the same",
        ),
        "too large": (json.dumps(office_js_body(book={"name": "x" * 200_000})), 413, "too large"),
    }
    (tmp_path / "stub.py").write_text(STUB_MODULE)
    env = xlwings_server_env(
        tmp_path,
        KPI_DASHBOARD_MAX_BYTES="100000",
        # One at a time: the Refresh script must run in the turn its request took, not wait for
        # a second one (which would be a 503 after the queue wait).
        KPI_DASHBOARD_MAX_CONCURRENT="1",
        KPI_DASHBOARD_QUEUE_WAIT="5",
        KPI_DASHBOARD_TIMEOUT="60",
    )
    bodies = {name: body for name, (body, _, _) in cases.items()}
    answers = last_json_line(XLWINGS_SERVER_BAD_PAYLOADS, tmp_path, env, json.dumps(bodies))
    good = answers.pop("good")
    assert good["status"] == 200, good
    assert json.loads(good["text"])["actions"][-1] == {"func": "stub", "args": ["d.xlsx"]}
    for name, answer in answers.items():
        _, status, words = cases[name]
        assert answer["status"] == status, (name, answer)
        assert answer["type"] == "application/json", (name, answer)
        detail = json.loads(answer["text"])["detail"]
        assert words in detail, (name, detail)
        assert "Traceback" not in answer["text"] and "Error(" not in answer["text"], name
