"""A fill killed at any moment leaves the old output or the complete new one, never a partial one.

`kpi-dashboard fill` runs in a subprocess on a benchmark-sized workbook (60 indicators, three
years of monthly team data) and is killed with SIGKILL, which no handler can catch: at delays
spread over a whole fill, and at moments inside the save itself (once its temporary file has
appeared), also when the output is the input itself. After each kill the output must be
byte-identical to what was there before, or open as a complete dashboard. A kill can leave a
``.~kpi-*`` temporary file; the next fill into the folder removes those more than an hour old.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
import pytest

sys.path.insert(0, str(Path(__file__).parents[1] / "benchmarks"))
from make_workbook import build_workbook

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="SIGKILL is POSIX only")

INDICATORS = 60
TIMED_KILLS = 8
KILLS_DURING_SAVE = 3


def start_fill(src: Path, out: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "kpi_engine.commands.cli", "fill", str(src), "-o", str(out)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def is_complete(path: Path) -> bool:
    """A whole filled workbook: it opens, and its Dashboard lists every indicator."""
    try:
        with open(path, "rb") as f:
            book = openpyxl.load_workbook(f, read_only=True)
            try:
                if "Dashboard" not in book.sheetnames:
                    return False
                refs = {
                    row[2] for row in book["Dashboard"].iter_rows(values_only=True) if len(row) > 2
                }
            finally:
                book.close()
    except Exception:  # noqa: BLE001 - any failure to open means not complete
        return False
    return sum(1 for r in refs if isinstance(r, str) and r.startswith("K")) == INDICATORS


def kill_and_check(src: Path, out: Path, trigger) -> str:
    """Start a fill, kill it when ``trigger(started, proc)`` says so; the outcome seen at the
    output."""
    before = out.read_bytes()
    proc = start_fill(src, out)
    started = time.perf_counter()
    while proc.poll() is None and not trigger(started):
        time.sleep(0.002)
    finished = proc.poll() is not None
    if not finished:
        proc.send_signal(signal.SIGKILL)
    proc.wait()
    after = out.read_bytes()
    if finished and proc.returncode == 0:
        # A fill that completed replaced the output; within the same second as the fill before
        # it, its stamp and so its bytes are the same.
        assert is_complete(out)
        return "new (finished first)"
    if after == before:
        return "old (finished unchanged?)" if finished else "old"
    assert is_complete(out), "the output is neither the old file nor a complete new one"
    return "new (finished first)" if finished else "new"


@pytest.fixture(scope="module")
def bench(tmp_path_factory) -> tuple[Path, float]:
    folder = tmp_path_factory.mktemp("kill")
    src = folder / "borough.xlsx"
    build_workbook(src, indicators=INDICATORS)
    out = folder / "first.xlsx"
    started = time.perf_counter()
    assert start_fill(src, out).wait() == 0
    return src, time.perf_counter() - started


def test_sigkill_at_any_moment_leaves_the_old_output_or_a_complete_new_one(bench, tmp_path):
    src, duration = bench
    out = tmp_path / "dashboard.xlsx"
    out.write_bytes((src.parent / "first.xlsx").read_bytes())
    rng = random.Random(20240606)
    outcomes = []
    for i in range(
        TIMED_KILLS
    ):  # one kill in each eighth of a fill (stretched 10%), at a random point of it
        delay = 1.1 * duration * (i + rng.random()) / TIMED_KILLS
        outcomes.append(
            (
                f"{delay:.2f}s",
                kill_and_check(src, out, lambda t0, d=delay: time.perf_counter() - t0 >= d),
            )
        )
    for _ in range(
        KILLS_DURING_SAVE
    ):  # inside the save: once the temporary file exists, plus a little
        extra = rng.uniform(0, 0.3)
        seen: list[float] = []

        def saving(t0, extra=extra, seen=seen):
            if not seen and any(
                p.name.startswith(".~kpi-") and p.stat().st_size > 0 for p in tmp_path.iterdir()
            ):
                seen.append(time.perf_counter())
            return bool(seen) and time.perf_counter() - seen[0] >= extra

        outcomes.append((f"save+{extra:.2f}s", kill_and_check(src, out, saving)))
    print("\nkills:", ", ".join(f"{when} -> {what}" for when, what in outcomes))
    assert all(what in ("old", "new", "new (finished first)") for _, what in outcomes), outcomes
    assert (
        sum(what == "old" for _, what in outcomes) >= 1
    )  # some kills landed before the output was replaced
    assert is_complete(out)


def test_sigkill_of_a_fill_in_place_never_damages_the_input(bench, tmp_path):
    src, duration = bench
    book = tmp_path / "in_place.xlsx"
    book.write_bytes(src.read_bytes())
    rng = random.Random(7)
    outcomes = []
    for _ in range(KILLS_DURING_SAVE):
        delay = duration * rng.uniform(0.6, 1.0)  # late in the fill, around the save
        before = book.read_bytes()
        proc = start_fill(book, book)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        after = book.read_bytes()
        outcomes.append("old" if after == before else "new")
        assert after == before or is_complete(book)
        with open(book, "rb") as f:  # always a readable workbook with its input sheets
            assert "Data" in openpyxl.load_workbook(f).sheetnames
    print("\nin-place kills:", outcomes)


def test_temporary_files_left_by_kills_are_cleaned_by_the_next_fill(bench, tmp_path):
    src, _ = bench
    out = tmp_path / "out.xlsx"
    out.write_bytes((src.parent / "first.xlsx").read_bytes())
    for _ in range(20):  # kill inside the save until one leaves its temporary file behind
        proc = start_fill(src, out)
        while proc.poll() is None and not list(tmp_path.glob(".~kpi-*")):
            time.sleep(0.002)
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
        proc.wait()
        if list(tmp_path.glob(".~kpi-*")):
            break
    leftovers = list(tmp_path.glob(".~kpi-*"))
    assert leftovers, "no kill landed inside the save"
    assert out.read_bytes() == (src.parent / "first.xlsx").read_bytes() or is_complete(out)
    assert start_fill(src, out).wait() == 0
    assert all(
        p.exists() for p in leftovers
    )  # under an hour old: might belong to a fill still running
    hour_ago = time.time() - 3700
    for p in leftovers:
        os.utime(p, (hour_ago, hour_ago))
    assert start_fill(src, out).wait() == 0
    assert not list(tmp_path.glob(".~kpi-*")) and is_complete(out)
