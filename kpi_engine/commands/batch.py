"""Filling many workbooks at once, in parallel, for servers and month-end runs.

Each workbook is filled in a worker process that fills one workbook at a time, so a corrupt or
hostile file can fail (or crash its worker) without stopping the others. The caller gets one
outcome per workbook, in the order given, and decides how to report them.

Faults and interruptions:

- A worker that dies (the out-of-memory killer's SIGKILL, a crash) fails its own workbook only:
  the batch knows which workbook it had, starts a fresh worker for the rest, and once the others
  are done tries the dead one again, alone. If it dies again its outcome says why.
- The first SIGINT (Ctrl-C) or SIGTERM stops dispatching at once; workbooks being filled get
  :data:`GRACE_SECONDS` to finish, then are cancelled (their temporary files removed), and
  :class:`BatchInterrupted` carries every outcome, the ones not filled included. A second signal
  ends every worker at once. Either way no worker is left running, no temporary file is left in
  the output folder and no output is partial (every output is written whole or not at all).
- Outputs never overwrite inputs, and two inputs never share an output: :func:`check_paths`
  refuses such a batch before anything is written, comparing file names without regard to case
  (``Q1.xlsx`` and ``q1.xlsx`` are one file on Windows and on shared drives).
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
import unicodedata
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from pathlib import Path
from types import FrameType
from typing import Any

from kpi_engine.errors import KpiDashboardError
from kpi_engine.xlsx.files import TEMP_PREFIX, describe_write_failure

GRACE_SECONDS = 3.0  # after the first Ctrl-C: how long workbooks being filled may take to finish
# For tests only: a worker given the workbook of this file name waits this long before filling it,
# so a test can kill it while it is filling, however fast the machine. Read by workers only.
HOLD_ENV = "KPI_DASHBOARD_TEST_HOLD"
HOLD_SECONDS = 60.0
END_WAIT_SECONDS = 2.0  # how long a cancelled worker may take to clean up before it is killed
NOT_FILLED = "not filled"


@dataclass(frozen=True)
class Outcome:
    source: Path
    output: Path | None
    status: str  # "filled", "filled with errors", "failed", "not filled" (interrupted)
    errors: int = 0
    warnings: int = 0
    message: str = ""

    @property
    def ok(self) -> bool:
        return self.status == "filled"


class BatchConflict(ValueError):
    """Inputs and outputs that collide: refused before anything is written."""


class BatchInterrupted(Exception):
    """The batch was stopped by a signal; ``outcomes`` has one per workbook, in order."""

    def __init__(self, signum: int, outcomes: list[Outcome], at_once: bool) -> None:
        super().__init__(f"interrupted by signal {signum}")
        self.signum = signum
        self.outcomes = outcomes
        self.at_once = at_once  # a second signal: running workbooks were not given time


def output_path(source: Path, outdir: Path) -> Path:
    return outdir / source.name


def _name_key(name: str) -> str:
    """A file name as Windows and SMB shares compare them: case and Unicode form ignored."""
    return unicodedata.normalize("NFC", name).casefold()


def _path_key(path: Path) -> str:
    try:
        resolved = path.resolve()
    except OSError:
        resolved = Path(os.path.abspath(path))
    return _name_key(str(resolved))


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return _path_key(a) == _path_key(b)


def unique_sources(sources: Sequence[Path]) -> tuple[list[Path], list[Path]]:
    """The sources with each file once (the first time it is named), and the repeats left out."""
    kept: list[Path] = []
    repeats: list[Path] = []
    for source in sources:
        if any(_same_file(source, k) for k in kept if _name_key(k.name) == _name_key(source.name)):
            repeats.append(source)
        else:
            kept.append(source)
    return kept, repeats


def check_paths(sources: Sequence[Path], outdir: Path) -> None:
    """Refuse (:class:`BatchConflict`) a batch whose outputs would overwrite an input, a file
    named twice, or two inputs whose outputs would be one file (names equal but for case)."""
    by_name: dict[str, Path] = {}
    inputs = {_path_key(s) for s in sources}
    for source in sources:
        out = output_path(source, outdir)
        key = _name_key(source.name)
        if key in by_name:
            first = by_name[key]
            if _same_file(first, source):
                raise BatchConflict(f"{source} is named twice. Name each workbook once.")
            same = (
                "the same file name"
                if first.name == source.name
                else "file names that differ only in case (one file on Windows and shared drives)"
            )
            raise BatchConflict(
                f"{first} and {source} have {same}, so both would be written to {out}. Rename "
                "one, or fill them in two batches."
            )
        by_name[key] = source
        if _path_key(out) in inputs or any(out.exists() and _same_file(out, s) for s in sources):
            raise BatchConflict(
                f"the output {out} would overwrite the input {source}. Choose an output folder "
                "that holds none of the inputs."
            )


def fill_one(source: str, output: str, strict: bool = False) -> Outcome:
    """Fill one workbook; every failure becomes an Outcome, never an exception."""
    from kpi_engine.commands.fill import fill_workbook

    src, out = Path(source), Path(output)
    try:
        result = fill_workbook(src, out, strict=strict)
    except KpiDashboardError as err:
        return Outcome(src, None, "failed", message=str(err))
    except OSError as err:
        return Outcome(src, None, "failed", message=describe_write_failure(out, err))
    except Exception as err:  # noqa: BLE001 - a workbook that breaks the engine must not stop the batch
        return Outcome(
            src,
            None,
            "failed",
            message=f"unexpected problem ({type(err).__name__}: {err}); please report it",
        )
    errors = len(result.report.errors)
    warnings = len(result.report.issues) - errors
    if not result.written:
        return Outcome(
            src, None, "failed", errors, warnings, f"{errors} errors with --strict; nothing written"
        )
    status = "filled with errors" if errors else "filled"
    message = f"{errors} errors (see its Validation sheet)" if errors else ""
    return Outcome(src, out, status, errors, warnings, message)


def default_jobs(count: int) -> int:
    return max(1, min(count, os.cpu_count() or 1))


def _end_worker(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)  # unwinds the fill, so its temporary file is removed


def _work(conn: Connection, strict: bool) -> None:
    """A worker process: fill the workbooks the batch sends, one at a time, until told to stop.

    Ctrl-C reaches the whole process group; the batch decides what it means, so the worker
    ignores SIGINT. SIGTERM (the batch cancelling it) unwinds the fill cleanly.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _end_worker)
    hold = os.environ.get(HOLD_ENV)
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):  # the batch is gone
            return
        if task is None:
            return
        if hold and Path(task[0]).name == hold:
            time.sleep(HOLD_SECONDS)
        conn.send(fill_one(task[0], task[1], strict))


def _death(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        signum = -exitcode
        why = ", often for lack of memory" if signum == getattr(signal, "SIGKILL", 9) else ""
        return f"stopped by the system (signal {signum}){why}"
    return f"its worker process ended unexpectedly (exit status {exitcode})"


class _HardStop(BaseException):
    def __init__(self, signum: int) -> None:
        self.signum = signum


class _Signals:
    """The first SIGINT or SIGTERM is noted; the second raises :class:`_HardStop`."""

    def __init__(self) -> None:
        self.signum: int | None = None

    def handle(self, signum: int, frame: FrameType | None) -> None:
        if self.signum is None:
            self.signum = signum
            return
        for s in (signal.SIGINT, signal.SIGTERM):  # the hard stop's clean-up is not interrupted
            signal.signal(s, signal.SIG_IGN)
        raise _HardStop(self.signum)

    @contextmanager
    def installed(self) -> Iterator[None]:
        if threading.current_thread() is not threading.main_thread():
            yield
            return
        previous = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
        for s in previous:
            signal.signal(s, self.handle)
        try:
            yield
        finally:
            for s, handler in previous.items():
                signal.signal(s, handler)


class _Worker:
    def __init__(self, ctx: Any, strict: bool) -> None:
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_work, args=(child, strict), daemon=True)
        self.process.start()
        child.close()
        self.task: int | None = None

    def end(self, at_once: bool) -> None:
        """End the process: asked politely when idle, else SIGTERM, then SIGKILL."""
        if self.process.is_alive() and not at_once:
            if self.task is None:
                try:
                    self.conn.send(None)
                except OSError:
                    pass
            else:
                self.process.terminate()
            self.process.join(END_WAIT_SECONDS)
        if self.process.is_alive():
            self.process.kill()
        self.process.join()
        self.conn.close()


class _Batch:
    def __init__(
        self,
        sources: list[Path],
        outdir: Path,
        strict: bool,
        on_done: Callable[[Outcome], None] | None,
    ) -> None:
        self.sources, self.outdir, self.strict, self.on_done = sources, outdir, strict, on_done
        self.ctx = multiprocessing.get_context()
        self.workers: list[_Worker] = []
        self.results: dict[int, Outcome] = {}
        self.signals = _Signals()
        self.deadline: float | None = None

    def record(self, i: int, outcome: Outcome) -> None:
        self.results[i] = outcome
        if self.on_done:
            self.on_done(outcome)

    def drive(self, todo: deque[int], jobs: int, died: list[int] | None) -> None:
        """Fill ``todo`` with up to ``jobs`` workers; a workbook whose worker dies goes to
        ``died`` (to be tried again), or fails when ``died`` is None."""
        while True:
            if self.signals.signum is not None and self.deadline is None:
                self.deadline = time.monotonic() + GRACE_SECONDS
            if self.deadline is not None:
                todo.clear()
            while todo:
                idle = next((w for w in self.workers if w.task is None), None)
                if idle is None and len(self.workers) < jobs:
                    idle = _Worker(self.ctx, self.strict)
                    self.workers.append(idle)
                if idle is None:
                    break
                i = todo.popleft()
                idle.task = i
                idle.conn.send(
                    (str(self.sources[i]), str(output_path(self.sources[i], self.outdir)))
                )
            busy = [w for w in self.workers if w.task is not None]
            if not busy:
                return
            wait([w.conn for w in busy] + [w.process.sentinel for w in busy], timeout=0.2)
            for w in busy:
                if w.task is None:
                    continue
                i = w.task
                try:
                    outcome = w.conn.recv() if w.conn.poll() else None
                except (EOFError, OSError):
                    outcome = None
                if outcome is not None:
                    w.task = None
                    self.record(i, outcome)
                elif not w.process.is_alive():
                    w.process.join()
                    reason = _death(w.process.exitcode)
                    w.task = None
                    w.end(at_once=True)
                    self.workers.remove(w)
                    if self.deadline is not None:
                        continue  # ended by the same signal as the batch: not filled
                    if died is not None:
                        died.append(i)
                    else:
                        self.record(
                            i,
                            Outcome(
                                self.sources[i],
                                None,
                                "failed",
                                message=f"{self.sources[i]}: {reason}; it was tried twice, "
                                "the second time alone",
                            ),
                        )
            if self.deadline is not None and time.monotonic() >= self.deadline:
                for w in [w for w in self.workers if w.task is not None]:
                    w.end(at_once=False)  # cancelled: SIGTERM, so it removes its temporary file
                    self.workers.remove(w)
                return

    def end_workers(self, at_once: bool) -> None:
        for w in self.workers:
            if at_once and w.process.is_alive():
                w.process.kill()
        for w in self.workers:
            w.end(at_once)
        self.workers.clear()


def _temp_files(folder: Path) -> set[str]:
    try:
        return {e.name for e in os.scandir(folder) if e.name.startswith(TEMP_PREFIX)}
    except OSError:
        return set()


def run_batch(
    sources: Sequence[Path],
    outdir: Path,
    jobs: int | None = None,
    strict: bool = False,
    on_done: Callable[[Outcome], None] | None = None,
) -> list[Outcome]:
    """Fill every workbook in ``sources`` into ``outdir``; ``on_done`` is called as each one
    finishes.

    Raises :class:`BatchConflict` (nothing written) when outputs would collide with inputs or
    each other, ``OSError`` when ``outdir`` cannot be made, and :class:`BatchInterrupted` (after
    every worker has ended and every temporary file is removed) on SIGINT or SIGTERM.
    """
    paths = [Path(s) for s in sources]
    check_paths(paths, outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    temps_before = _temp_files(outdir)
    batch = _Batch(paths, outdir, strict, on_done)
    at_once = False
    try:
        with batch.signals.installed():
            try:
                died: list[int] = []
                batch.drive(deque(range(len(paths))), jobs or default_jobs(len(paths)), died)
                batch.end_workers(at_once=False)  # the retries run alone
                for i in died:
                    batch.drive(deque([i]), 1, None)
                    batch.end_workers(at_once=False)
            except _HardStop:
                at_once = True
            finally:
                batch.end_workers(at_once)
    finally:
        for name in _temp_files(outdir) - temps_before:  # left by a worker that was killed
            try:
                os.unlink(outdir / name)
            except OSError:
                pass
    results = batch.results
    if batch.signals.signum is not None:
        outcomes = [
            results.get(i)
            or Outcome(p, None, NOT_FILLED, message="not filled: the batch was stopped")
            for i, p in enumerate(paths)
        ]
        raise BatchInterrupted(batch.signals.signum, outcomes, at_once)
    return [results[i] for i in range(len(paths))]


def not_filled(outcomes: Sequence[Outcome]) -> list[Path]:
    """The workbooks an interrupted batch did not fill: what the next batch should be given."""
    return [o.source for o in outcomes if o.status == NOT_FILLED]
