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
    monkeypatch.setattr(
        server, "refresh_payload", lambda payload: time.sleep(2) or {"actions": ["late"]}
    )
    client = TestClient(server.create_app(token=None, timeout=0.2), raise_server_exceptions=False)
    response = client.post(
        "/refresh", json={"client": "VBA", "version": "x", "book": {"name": "d.xlsx"}, "sheets": []}
    )
    assert response.status_code == 504
    assert "took longer than" in response.json()["detail"]
    assert "Nothing was changed" in response.json()["detail"] and "Traceback" not in response.text
