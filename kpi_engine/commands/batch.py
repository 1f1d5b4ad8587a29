"""Filling many workbooks at once, in parallel, for servers and month-end runs.

Each workbook is filled in its own worker process, so a corrupt or hostile file can fail (or
crash its worker) without stopping the others. The caller gets one outcome per workbook, in the
order given, and decides how to report them.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path

from kpi_engine.errors import KpiDashboardError
from kpi_engine.xlsx.files import describe_write_failure


@dataclass(frozen=True)
class Outcome:
    source: Path
    output: Path | None
    status: str  # "filled", "filled with errors", "failed"
    errors: int = 0
    warnings: int = 0
    message: str = ""

    @property
    def ok(self) -> bool:
        return self.status == "filled"


def output_path(source: Path, outdir: Path) -> Path:
    return outdir / source.name


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


def run_batch(
    sources: Sequence[Path],
    outdir: Path,
    jobs: int | None = None,
    strict: bool = False,
    on_done: Callable[[Outcome], None] | None = None,
) -> list[Outcome]:
    """Fill every workbook in ``sources`` into ``outdir``; ``on_done`` is called as each one
    finishes."""
    outdir.mkdir(parents=True, exist_ok=True)
    jobs = jobs or default_jobs(len(sources))
    results: dict[int, Outcome] = {}
    seen: dict[str, int] = {}
    for i, s in enumerate(sources):
        name = Path(s).name
        if name in seen:
            results[i] = Outcome(
                Path(s),
                None,
                "failed",
                message=f"has the same file name as {sources[seen[name]]}; both would be written "
                f"to {outdir / name}. Rename one.",
            )
        else:
            seen[name] = i
    todo = [i for i in range(len(sources)) if i not in results]
    for outcome in results.values():
        if on_done:
            on_done(outcome)
    if jobs == 1:
        for i in todo:
            results[i] = fill_one(
                str(sources[i]), str(output_path(Path(sources[i]), outdir)), strict
            )
            if on_done:
                on_done(results[i])
    else:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            futures = {
                pool.submit(
                    fill_one, str(sources[i]), str(output_path(Path(sources[i]), outdir)), strict
                ): i
                for i in todo
            }
            for future in as_completed(futures):
                i = futures[future]
                try:
                    results[i] = future.result()
                except BrokenProcessPool:
                    results[i] = Outcome(
                        Path(sources[i]),
                        None,
                        "failed",
                        message="its worker process stopped (out of memory or killed)",
                    )
                if on_done:
                    on_done(results[i])
    return [results[i] for i in range(len(sources))]
