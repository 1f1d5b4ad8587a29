"""A batch under Ctrl-C, SIGTERM and a worker killed as the out-of-memory killer would.

`kpi-dashboard batch` runs in a subprocess, in a process group of its own (as a terminal runs
it), on benchmark-sized workbooks. Ctrl-C is sent as a terminal sends it, to the whole group.
After each signal: the exit status, the summary, no process left in the group, no temporary
file and no partial output. Every wait is bounded.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from kpi_engine.commands.batch import HOLD_ENV
from kpi_engine.commands.cli import main

sys.path.insert(0, str(Path(__file__).parents[1] / "benchmarks"))
from make_workbook import build_workbook

pytestmark = pytest.mark.skipif(
    not hasattr(signal, "SIGKILL") or not Path("/proc/self/stat").exists(),
    reason="signals and /proc (to see the process group) are POSIX and Linux only",
)

WAIT = 30  # seconds: the most any batch here may take to stop


def stat(pid: int) -> list[str] | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text.rsplit(")", 1)[1].split()  # state, ppid, pgrp, ...


def group(pgid: int) -> list[int]:
    """The live processes of a process group (zombies are already gone in all but name)."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            fields = stat(int(entry))
            if fields and int(fields[2]) == pgid and fields[0] != "Z":
                found.append(int(entry))
    return found


def cpu_ticks(pid: int) -> int:
    """The CPU time a process has used (user and system), in clock ticks; 0 once it is gone."""
    fields = stat(pid)
    return int(fields[11]) + int(fields[12]) if fields else 0


def children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            fields = stat(int(entry))
            if fields and int(fields[1]) == pid and fields[0] != "Z":
                found.append(int(entry))
    return sorted(found)


def start_batch(
    files: list[Path], outdir: Path, jobs: int = 2, hold: str | None = None
) -> subprocess.Popen:
    """The batch command; ``hold`` names a workbook its workers wait on (batch.HOLD_ENV), so a
    test can kill the worker filling it however fast the machine is."""
    args = [sys.executable, "-m", "kpi_engine.commands.cli", "batch", *map(str, files)]
    env = {k: v for k, v in os.environ.items() if k != HOLD_ENV}
    if hold:
        env[HOLD_ENV] = hold
    return subprocess.Popen(
        [*args, "-o", str(outdir), "--jobs", str(jobs)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        start_new_session=True,  # its own process group, as a shell's foreground job
    )


def wait_for(condition, timeout: float = WAIT) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def finish(proc: subprocess.Popen) -> tuple[int, str, str, float]:
    started = time.monotonic()
    try:
        out, err = proc.communicate(timeout=WAIT)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
        pytest.fail(f"the batch did not stop within {WAIT} s:\n{out}\n{err}")
    return proc.returncode, out, err, time.monotonic() - started


def assert_clean(proc: subprocess.Popen, outdir: Path, indicators: dict[str, int]) -> None:
    """No process left in the group, no temporary file, and every output whole."""
    wait_for(lambda: not group(proc.pid), timeout=5)
    assert not list(outdir.glob(".~kpi-*")), "a temporary file was left behind"
    for out in outdir.iterdir():
        with open(out, "rb") as f:
            book = openpyxl.load_workbook(f, read_only=True)
            refs = {r[2] for r in book["Dashboard"].iter_rows(values_only=True) if len(r) > 2}
            book.close()
        assert sum(isinstance(r, str) and r.startswith("K") for r in refs) == indicators[out.name]


@pytest.fixture(scope="module")
def books(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("books")
    made = {}
    for name, indicators in (("small", 10), ("medium", 120), ("big", 500)):
        made[name] = folder / f"{name}.xlsx"
        build_workbook(made[name], indicators=indicators)
    return made


def copies(src: Path, folder: Path, count: int, stem: str) -> list[Path]:
    folder.mkdir(exist_ok=True)
    files = []
    for i in range(count):
        files.append(folder / f"{stem}{i:02}.xlsx")
        files[-1].write_bytes(src.read_bytes())
    return files


@pytest.mark.parametrize("signals", [1, 2], ids=["ctrl-c once", "ctrl-c twice"])
def test_ctrl_c_stops_the_batch_with_a_summary_and_leaves_nothing_behind(books, tmp_path, signals):
    files = copies(books["medium"], tmp_path / "in", 24, "la")
    outdir = tmp_path / "out"
    proc = start_batch(files, outdir)
    wait_for(lambda: outdir.exists() and len(list(outdir.glob("la*.xlsx"))) >= 2)
    os.killpg(proc.pid, signal.SIGINT)  # as the terminal sends it: to the whole group
    if signals == 2:
        time.sleep(0.1)
        os.killpg(proc.pid, signal.SIGINT)
    status, out, err, took = finish(proc)
    print(f"\nstopped in {took:.2f}s after {signals} Ctrl-C\n{out}{err}")
    assert status == 130, err
    assert took < (2 if signals == 2 else 6)
    assert "Traceback" not in err and "Aborted" not in err
    assert ("stopped at once" in err) == (signals == 2)
    written = sorted(outdir.glob("la*.xlsx"))
    assert 2 <= len(written) < len(files)
    assert f"{len(written)} filled (0 with errors), 0 failed, {24 - len(written)} not filled" in out
    assert "Written: " + ", ".join(map(str, written)) in out
    rest = [f for f in files if outdir / f.name not in written]
    assert "To fill the rest: kpi-dashboard batch " + " ".join(map(str, rest)) in out
    assert_clean(proc, outdir, {f.name: 120 for f in files})


def test_sigterm_to_the_batch_alone_ends_its_workers_too(books, tmp_path):
    files = copies(books["medium"], tmp_path / "in", 24, "la")
    outdir = tmp_path / "out"
    proc = start_batch(files, outdir)
    wait_for(lambda: outdir.exists() and len(list(outdir.glob("la*.xlsx"))) >= 1)
    workers = children(proc.pid)
    assert workers
    proc.send_signal(signal.SIGTERM)  # to the main process only, as a service manager may
    status, out, err, took = finish(proc)
    assert status == 143 and "Terminated (SIGTERM)" in err and "To fill the rest" in out
    assert took < 6
    assert_clean(proc, outdir, {f.name: 120 for f in files})
    assert not [pid for pid in workers if stat(pid) and stat(pid)[0] != "Z"]


def test_a_worker_killed_fails_only_its_own_workbook(books, tmp_path):
    big = copies(books["big"], tmp_path / "in", 1, "big")
    small = copies(books["small"], tmp_path / "in", 5, "small")
    outdir = tmp_path / "out"
    proc = start_batch(big + small, outdir)
    # The first worker started takes the first workbook (the big one); once the other worker has
    # written a small one, the big one is still being filled.
    wait_for(lambda: len(children(proc.pid)) == 2 and outdir.exists())
    first = children(proc.pid)[0]
    wait_for(lambda: len(list(outdir.glob("small*.xlsx"))) >= 1)
    os.kill(first, signal.SIGKILL)
    status, out, err, _ = finish(proc)
    print(f"\n{out}{err}")
    assert sorted(p.name for p in outdir.iterdir()) == [f.name for f in big + small]
    assert status == 0 and "6 workbooks: 6 filled (0 with errors), 0 failed." in out, err
    assert_clean(proc, outdir, {f.name: 500 if f in big else 10 for f in big + small})


def test_a_workbook_whose_worker_is_killed_twice_is_named_with_the_reason(books, tmp_path):
    # The held workbook's workers wait 60 s before filling it (batch.HOLD_ENV), so both of its
    # workers, the first and the retry, are surely killed while they have it, on any machine.
    held = copies(books["small"], tmp_path / "in", 1, "held")
    small = copies(books["small"], tmp_path / "in", 5, "small")
    outdir = tmp_path / "out"
    proc = start_batch(held + small, outdir, hold=held[0].name)
    wait_for(lambda: len(list(outdir.glob("small*.xlsx"))) == 5)
    # Two workers: the one holding the held workbook, which has only slept, and the one that
    # filled the others, now idle. (Not told apart by process id: ids wrap around, on a busy
    # machine within minutes.)
    first_round = children(proc.pid)
    assert len(first_round) == 2, first_round
    os.kill(min(first_round, key=cpu_ticks), signal.SIGKILL)
    # Nothing else is left to fill, so the next worker is the retry, alone.
    wait_for(lambda: bool(set(children(proc.pid)) - set(first_round)) or proc.poll() is not None)
    assert proc.poll() is None, "the batch ended without retrying the held workbook"
    [retry] = set(children(proc.pid)) - set(first_round)
    os.kill(retry, signal.SIGKILL)
    status, out, err, _ = finish(proc)
    print(f"\n{out}{err}")
    assert sorted(p.name for p in outdir.iterdir()) == [f.name for f in small]
    assert status == 1 and "6 workbooks: 5 filled (0 with errors), 1 failed." in out, err
    [line] = [ln for ln in err.splitlines() if ln.startswith("FAILED")]
    assert line == (
        f"FAILED: {held[0]}: stopped by the system (signal 9), often for lack of memory; it "
        "was tried twice, the second time alone"
    )
    assert_clean(proc, outdir, {f.name: 10 for f in small})


def test_an_output_that_would_overwrite_an_input_is_refused_before_anything_is_written(
    books, tmp_path
):
    files = copies(books["small"], tmp_path, 2, "la")
    before = [f.read_bytes() for f in files]
    result = CliRunner().invoke(main, ["batch", *map(str, files), "-o", str(tmp_path)])
    assert result.exit_code == 2
    assert f"Error: the output {tmp_path / 'la00.xlsx'} would overwrite the input" in result.output
    assert [f.read_bytes() for f in files] == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["la00.xlsx", "la01.xlsx"]


def test_file_names_that_differ_only_in_case_are_refused_before_anything_is_written(
    books, tmp_path
):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    upper, lower = tmp_path / "a" / "Q1.xlsx", tmp_path / "b" / "q1.xlsx"
    upper.write_bytes(books["small"].read_bytes())
    lower.write_bytes(books["small"].read_bytes())
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["batch", str(upper), str(lower), "-o", str(out)])
    assert result.exit_code == 2 and not out.exists()
    assert result.output == (
        f"Error: {upper} and {lower} have file names that differ only in case (one file on "
        f"Windows and shared drives), so both would be written to {out / 'q1.xlsx'}. Rename one, "
        "or fill them in two batches.\n"
    )


def test_a_workbook_named_twice_is_filled_once(books, tmp_path):
    [src] = copies(books["small"], tmp_path / "in", 1, "la")
    result = CliRunner().invoke(
        main,
        [
            "batch",
            str(src),
            str(tmp_path / "in" / ".." / "in" / src.name),
            "-o",
            str(tmp_path / "o"),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "is named more than once; it is filled once." in result.output
    assert "1 workbooks: 1 filled (0 with errors), 0 failed." in result.output


def test_workbooks_still_filling_when_the_grace_ends_are_cancelled_cleanly(
    books, tmp_path, monkeypatch
):
    from kpi_engine.commands import batch

    monkeypatch.setattr(batch, "GRACE_SECONDS", 0.0)
    files = copies(books["big"], tmp_path / "in", 4, "la")
    outdir = tmp_path / "out"
    # Ctrl-C half a second in, mid-fill: SIGALRM's handler sends it (no thread, so the workers
    # are forked from a single-threaded process).
    previous = signal.signal(signal.SIGALRM, lambda *_: os.kill(os.getpid(), signal.SIGINT))
    signal.setitimer(signal.ITIMER_REAL, 0.5)
    started = time.monotonic()
    try:
        with pytest.raises(batch.BatchInterrupted) as stopped:
            batch.run_batch(files, outdir, jobs=2)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    assert time.monotonic() - started < 5
    assert stopped.value.signum == signal.SIGINT and not stopped.value.at_once
    assert [o.status for o in stopped.value.outcomes] == ["not filled"] * 4
    assert not list(outdir.iterdir()), "a partial or temporary file was left"
    assert not multiprocessing.active_children()
