"""The ``kpi-dashboard`` command line: thin front ends over the engine.

Each command reads the workbook, makes one engine call and reports. Exit statuses are the same
for every command: 0 no errors (warnings allowed), 1 errors in the data, 2 a file that cannot be
read as a workbook or a command misused, 130 interrupted (Ctrl-C), 143 terminated (SIGTERM). A
user's mistake never shows a traceback.
"""

from __future__ import annotations

import json
import os
import shlex
import signal
import subprocess
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import click

from kpi_engine import TEMPLATE_VERSION, __version__
from kpi_engine.errors import KpiDashboardError
from kpi_engine.issues import Code, Issue
from kpi_engine.workbook_names import INPUT_SHEETS
from kpi_engine.xlsx.files import describe_write_failure

if TYPE_CHECKING:
    from kpi_engine.commands.batch import Outcome

EXIT_OK, EXIT_DATA_ERRORS, EXIT_UNREADABLE = 0, 1, 2


def fail(message: object) -> NoReturn:
    """One line on stderr and exit status 2: a file that cannot be read or written, or misuse."""
    click.echo(f"Error: {message}", err=True)
    sys.exit(EXIT_UNREADABLE)


def _issue_line(issue: Issue) -> str:
    ref = f" ({issue.ref})" if issue.ref else ""
    return f"{issue.severity.value.upper():7} {issue.where()}{ref}: {issue.message}"


EXIT_INTERRUPTED, EXIT_TERMINATED = 128 + signal.SIGINT, 128 + signal.SIGTERM  # 130, 143


class _Terminated(BaseException):
    """SIGTERM, raised where the command is, so what it was writing is left as it was."""


def _on_sigterm(signum: int, frame: object) -> None:
    raise _Terminated


class _Commands(click.Group):
    """Every command: Ctrl-C exits 130 and SIGTERM 143, as shells expect, without a traceback.

    An output being written when the signal came is left as it was (files.atomic_save removes
    its temporary file). The batch handles both signals itself, to stop its workers cleanly.
    """

    def invoke(self, ctx: click.Context) -> object:
        in_main = threading.current_thread() is threading.main_thread()
        previous = signal.signal(signal.SIGTERM, _on_sigterm) if in_main else None
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            click.echo(
                "\nInterrupted (Ctrl-C); any file being written was left as it was.", err=True
            )
            sys.exit(EXIT_INTERRUPTED)
        except _Terminated:
            click.echo("Terminated (SIGTERM); a file being written was left as it was.", err=True)
            sys.exit(EXIT_TERMINATED)
        finally:
            if previous is not None:
                signal.signal(signal.SIGTERM, previous)


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kpi-dashboard")
def main() -> None:
    """Fill and check the monthly KPI dashboard workbook of a children's services department."""


@main.command()
@click.argument("workbook", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--json", "as_json", is_flag=True, help="Print the issues as JSON instead of lines of text."
)
def validate(workbook: Path, as_json: bool) -> None:
    """Check WORKBOOK's input sheets and list every problem, with its sheet and cell.

    Exit status 0 when there are no errors (warnings allowed), 1 when there are errors, 2 when the
    file cannot be read as a workbook.
    """
    from kpi_engine.pipeline import run
    from kpi_engine.xlsx.reader import read_workbook

    try:
        book = read_workbook(workbook)
    except KpiDashboardError as err:
        fail(err)
    report, _ = run(book.grids, book.template_version, file_issues=book.issues)
    issues = report.issues
    errors = sum(1 for i in issues if i.severity.value == "error")
    warnings = len(issues) - errors
    if as_json:
        click.echo(
            json.dumps(
                {
                    "file": str(workbook),
                    "errors": errors,
                    "warnings": warnings,
                    "issues": [i.as_dict() for i in issues],
                },
                indent=2,
                ensure_ascii=False,
            )
        )
    else:
        for issue in issues:
            click.echo(_issue_line(issue))
        verdict = (
            "no problems found"
            if not issues
            else f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"
        )
        click.echo(f"{workbook.name}: {verdict}.")
    sys.exit(EXIT_DATA_ERRORS if errors else EXIT_OK)


@main.command()
@click.argument("workbook", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    required=True,
    help="Where to write the filled workbook (may be WORKBOOK itself).",
)
@click.option(
    "--json",
    "json_path",
    type=click.Path(path_type=Path),
    help="Also write the results as JSON to this file.",
)
@click.option("--strict", is_flag=True, help="Write nothing when there is any error.")
def fill(workbook: Path, output: Path, json_path: Path | None, strict: bool) -> None:
    """Compute WORKBOOK's dashboard and write its output sheets (Summary, Dashboard, Validation,
    Teams, Charts).

    Input sheets are copied unchanged. A bad data cell becomes a missing value and a bad indicator
    is left out; both are listed on the Validation sheet. Exit status 0 when there are no errors,
    1 when there are (the output is still written unless --strict), 2 when WORKBOOK cannot be read.
    """
    from kpi_engine.commands.fill import fill_workbook

    try:
        result = fill_workbook(workbook, output, strict=strict, json_out=json_path)
    except KpiDashboardError as err:
        fail(err)
    except OSError as err:
        fail(describe_write_failure(output, err))
    report = result.report
    errors = len(report.errors)
    warnings = len(report.issues) - errors
    for note in result.notes:
        click.echo(f"Note: {note}", err=True)
    for issue in report.issues:
        if issue.code is Code.TEMPLATE_VERSION:  # an older template: which part it lacks, and how
            click.echo(f"Note: {issue.message}", err=True)
    counts = ", ".join(f"{n} {k}" for k, n in report.summary.items() if n)
    counts = f" ({counts})" if counts else ""
    if result.written:
        click.echo(
            f"{output}: {len(report.indicators)} indicators{counts}; {errors} "
            f"error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)} (see the "
            "Validation sheet)."
        )
        if report.left_out:
            click.echo(
                f"Left out for errors: {', '.join(report.left_out)} (named on the Summary and "
                "the Validation sheet)."
            )
    else:
        click.echo(
            f"Nothing written: {errors} error{'s' * (errors != 1)} with --strict. "
            f"Run 'kpi-dashboard validate {workbook}' to list them."
        )
    sys.exit(EXIT_DATA_ERRORS if errors else EXIT_OK)


@main.command()
@click.argument(
    "workbooks", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path)
)
@click.option(
    "-o",
    "--outdir",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Folder for the filled workbooks (same file names as the inputs).",
)
@click.option(
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    help="Workbooks filled at once (default: one per core).",
)
@click.option("--strict", is_flag=True, help="Write nothing for a workbook that has any error.")
def batch(workbooks: tuple[Path, ...], outdir: Path, jobs: int | None, strict: bool) -> None:
    """Fill many WORKBOOKS (one per authority or per month) into OUTDIR, in parallel.

    Shows a progress bar, one line per workbook that failed or has errors, and a summary. A
    workbook that cannot be read, or whose worker process dies, never stops the others. An output
    never overwrites an input: such a batch, or two inputs with one file name (case ignored, as on
    Windows), is refused before anything is written. Ctrl-C (or SIGTERM) stops it within a few
    seconds, with a summary and the command that fills the rest; a second Ctrl-C stops it at
    once. Exit status 1 when any workbook has errors or was not filled, 130 after Ctrl-C, 143
    after SIGTERM.
    """
    from tqdm import tqdm

    from kpi_engine.commands.batch import (
        NOT_FILLED,
        BatchConflict,
        BatchInterrupted,
        run_batch,
        unique_sources,
    )

    sources, repeats = unique_sources(list(workbooks))
    for repeat in repeats:
        click.echo(f"Note: {repeat} is named more than once; it is filled once.", err=True)
    problems = []
    stopped: BatchInterrupted | None = None
    with tqdm(
        total=len(sources), unit="workbook", file=sys.stderr, disable=None, leave=False
    ) as bar:

        def done(outcome: Outcome) -> None:
            bar.update(1)
            if not outcome.ok:
                where = (
                    "" if outcome.message.startswith(str(outcome.source)) else f"{outcome.source}: "
                )
                line = f"{outcome.status.upper()}: {where}{outcome.message}"
                problems.append(line)
                bar.write(line, file=sys.stderr)

        try:
            outcomes = run_batch(sources, outdir, jobs=jobs, strict=strict, on_done=done)
        except BatchConflict as err:
            bar.close()
            fail(err)
        except BatchInterrupted as err:
            stopped, outcomes = err, err.outcomes
        except OSError as err:  # the output folder cannot be created
            bar.close()
            fail(describe_write_failure(outdir, err))
    filled = sum(1 for o in outcomes if o.output is not None)
    with_errors = sum(1 for o in outcomes if o.status == "filled with errors")
    failed = sum(1 for o in outcomes if o.status == "failed")
    rest = [o.source for o in outcomes if o.status == NOT_FILLED]
    if stopped is None:
        click.echo(
            f"{len(outcomes)} workbooks: {filled} filled ({with_errors} with errors), {failed} "
            f"failed. Output in {outdir}."
        )
        sys.exit(EXIT_DATA_ERRORS if with_errors or failed else EXIT_OK)
    how = "Interrupted (Ctrl-C)" if stopped.signum == signal.SIGINT else "Terminated (SIGTERM)"
    when = "at once" if stopped.at_once else "after the workbooks being filled"
    click.echo(f"{how}: stopped {when}; no partial or temporary file was left.", err=True)
    click.echo(
        f"{len(outcomes)} workbooks: {filled} filled ({with_errors} with errors), {failed} failed, "
        f"{len(rest)} not filled. Output in {outdir}."
    )
    written = [str(o.output) for o in outcomes if o.output is not None]
    click.echo(f"Written: {', '.join(written) or 'none'}.")
    click.echo(f"Not written: {', '.join(str(o.source) for o in outcomes if o.output is None)}.")
    if rest:
        again = ["kpi-dashboard", "batch", *map(str, rest), "-o", str(outdir)]
        again += ["--jobs", str(jobs)] if jobs else []
        again += ["--strict"] if strict else []
        join = subprocess.list2cmdline if os.name == "nt" else shlex.join
        click.echo(f"To fill the rest: {join(again)}")
    sys.exit(128 + stopped.signum)


LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")
SHUTDOWN_SECONDS = 2  # after SIGINT or SIGTERM, refreshes still running are stopped after this


@main.command()
@click.argument("workbook", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "-o", "--output", type=click.Path(path_type=Path), required=True, help="Where to write the PDF."
)
def pack(workbook: Path, output: Path) -> None:
    """Make the board pack: a PDF of the Summary (with the exceptions and their commentary), the
    Dashboard, the team breakdowns and the charts, through LibreOffice.

    WORKBOOK itself is not changed. Exit status 0 when there are no errors in the data, 1 when
    there are (the pack is still made), 2 when WORKBOOK cannot be read, LibreOffice is missing or
    the PDF cannot be written.
    """
    from kpi_engine.commands.pack import make_pack

    try:
        result = make_pack(workbook, output)
    except KpiDashboardError as err:
        fail(err)
    except OSError as err:
        fail(describe_write_failure(output, err))
    for note in result.notes:
        click.echo(f"Note: {note}", err=True)
    errors = result.errors
    warnings = len(result.report.issues) - errors
    click.echo(
        f"{output}: board pack, {result.pages} pages ({', '.join(result.sheets)}); {errors} error"
        f"{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}."
    )
    sys.exit(EXIT_DATA_ERRORS if errors else EXIT_OK)


@main.command()
@click.argument("workbook", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    help="Where to write the workbook with its Benchmarks rows (default: WORKBOOK itself).",
)
@click.option(
    "--data",
    type=click.Path(dir_okay=False, path_type=Path),
    help=(
        "A newer DfE download: LAIT's bds_long_0.parquet (or the same columns as CSV), or an "
        "Explore Education Statistics CSV of a table the command knows; its figures replace the "
        "shipped ones for the measures and years it holds."
    ),
)
def benchmarks(workbook: Path, output: Path | None, data: Path | None) -> None:
    """Fill WORKBOOK's Benchmarks sheet from DfE's published data (LAIT): for every indicator
    with a DfE measure, statistical neighbours (mean and median, with how many counted), the
    region and England for the latest three years, and the national rank and quartile band.

    Rows it wrote before are replaced; rows an officer typed are kept. Without -o, WORKBOOK is
    updated in place, whole or not at all. Exit status 0 when every mapped indicator was filled,
    1 when there were errors in the data (an unknown authority writes nothing; an unknown
    measure code leaves that indicator out), 2 when a file cannot be read or written.
    """
    from kpi_engine.commands.benchmarks import BenchmarksError, load, plan, write
    from kpi_engine.inputs import read_inputs
    from kpi_engine.xlsx.files import atomic_save
    from kpi_engine.xlsx.reader import read_workbook

    try:
        book = read_workbook(workbook)
    except KpiDashboardError as err:
        fail(err)
    try:
        dataset = load(data)
        outcome, edit = plan(book, read_inputs(book.grids), dataset)
    except BenchmarksError as err:
        click.echo(f"{'ERROR  ' if err.status == 1 else 'Error:'} {err}", err=True)
        sys.exit(err.status)
    for line in outcome.errors:
        click.echo(f"ERROR   {line}")
    for ind in outcome.written:
        years = sorted({r.year for r in ind.rows})
        england = next((r for r in ind.rows if r.rank is not None), None)
        sn = next((r for r in reversed(ind.rows) if r.n is not None), None)
        parts = [f"{ind.ref} ({ind.measure.code}): {len(ind.rows)} rows"]
        if years:
            parts.append(f"{years[0]} to {years[-1]}")
        if sn is not None:
            parts.append(f"{sn.n} neighbours counted")
        if england is not None:
            parts.append(f"rank {england.rank} of {england.of}, band {england.quartile}")
        click.echo(", ".join(parts) + "".join(f"; {n}" for n in ind.notes))
    out = output or workbook

    def save(tmp: str) -> None:
        with open(tmp, "wb") as f:
            write(book, edit, f)

    try:
        atomic_save(save, out)
    except OSError as err:
        fail(describe_write_failure(out, err))
    rows = len(edit.rows)
    click.echo(
        f"{out.name}: {rows} Benchmarks rows for {len(outcome.written)} indicators "
        f"({outcome.authority}, DfE data: {dataset.source}); {len(edit.drop)} earlier rows "
        f"replaced, {len(outcome.errors)} error{'s' * (len(outcome.errors) != 1)}."
    )
    sys.exit(EXIT_DATA_ERRORS if outcome.errors else EXIT_OK)


@main.command("new-template")
@click.argument("output", type=click.Path(path_type=Path))
def new_template(output: Path) -> None:
    """Write a clean dashboard template to OUTPUT: every input sheet with its headers, drop-down
    lists and input messages, an Instructions sheet, and the output sheets' layout (no macros,
    safe to email)."""
    from workbook_templates.build import save_template

    try:
        save_template(output)
    except OSError as err:
        fail(describe_write_failure(output, err))
    click.echo(
        f"{output}: a new template (version {TEMPLATE_VERSION}). Fill in its input sheets, then "
        f"run 'kpi-dashboard fill {output.name} -o dashboard.xlsx' or click Refresh in Excel."
    )


@main.command()
@click.argument("workbook", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    required=True,
    help="Where to write the upgraded workbook (not WORKBOOK itself: it is left as it is).",
)
def upgrade(workbook: Path, output: Path) -> None:
    """Move an older (or home-made) dashboard workbook's data into the current template layout.

    Every row of every input sheet is kept, extra columns included; the output sheets are rebuilt.
    WORKBOOK is never changed.
    """
    from workbook_templates.upgrade import upgrade as run_upgrade

    try:
        moved = run_upgrade(workbook, output)
    except KpiDashboardError as err:
        fail(err)
    except OSError as err:
        fail(describe_write_failure(output, err))
    rows = ", ".join(f"{sheet} {count}" for sheet, count in moved.items())
    empty = [sheet for sheet in INPUT_SHEETS if sheet not in moved]
    also = f" Empty, to fill in: {', '.join(empty)}." if empty else ""
    click.echo(f"{output}: template version {TEMPLATE_VERSION}, rows moved: {rows}.{also}")


def _month_option(ctx: click.Context, param: click.Parameter, value: str | None) -> int | None:
    from kpi_engine.periods import parse_month

    if value is None:
        return None
    month = parse_month(value)
    if month is None:
        raise click.BadParameter(f"'{value}' is not a month: type it as Nov-17 or 2017-11.")
    return month


@main.command("import")
@click.argument("workbook", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    required=True,
    help="Where to write the new workbook (not WORKBOOK itself: it is left as it is).",
)
@click.option(
    "--period",
    callback=_month_option,
    help="The reporting period (e.g. Nov-17), for a dashboard whose tables show no month.",
)
def import_(workbook: Path, output: Path, period: int | None) -> None:
    """Start from an existing dashboard: read a hand-made dashboard workbook (or an older
    kpi-dashboard template) and write its figures, targets, colours, commentary and action log
    into the current template.

    Says what it found, what it guessed and every cell it could not place. WORKBOOK is never
    changed. Exit status 0 when everything was placed, 1 when anything was left unplaced, 2 when
    WORKBOOK cannot be read as a workbook (nothing is written).
    """
    from workbook_templates.import_dashboard import import_dashboard

    try:
        result = import_dashboard(workbook, output, period)
    except KpiDashboardError as err:
        fail(err)
    except OSError as err:
        fail(describe_write_failure(output, err))
    rows = ", ".join(f"{sheet} {count}" for sheet, count in result.written.items())
    found = result.imported
    if found is None:
        click.echo(
            f"{workbook.name} is a kpi-dashboard template: upgraded, as 'kpi-dashboard upgrade' "
            "does."
        )
        click.echo(f"{output}: template version {TEMPLATE_VERSION}, rows moved: {rows}.")
        sys.exit(EXIT_OK)
    for line in found.found:
        click.echo(f"Found   {line}.")
    for guess in found.guesses:
        click.echo(f"WARNING {guess}")
    if found.period_asked:
        click.echo(
            "WARNING No month in the tables: the current positions need a reporting period. "
            f"Run again with --period (e.g. kpi-dashboard import {workbook.name} -o "
            f"{output.name} --period Nov-17)."
        )
    for cell in found.unplaced:
        click.echo(f"NOT PLACED {cell.line()}")
    left = len(found.unplaced)
    click.echo(
        f"{output}: template version {TEMPLATE_VERSION}, rows written: {rows}. "
        + (
            f"{left} cell{'s' * (left != 1)} not placed (listed above): copy what matters by hand."
            if left
            else "Every cell placed."
        )
    )
    click.echo(
        f"Next: kpi-dashboard fill {output.name} -o dashboard.xlsx, and read its Validation sheet."
    )
    sys.exit(EXIT_DATA_ERRORS if left or found.period_asked else EXIT_OK)


@main.command()
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on. Keep 127.0.0.1 unless an HTTPS reverse proxy on another machine "
    "forwards to it.",
)
@click.option(
    "--port",
    default=8000,
    show_default=True,
    type=click.IntRange(1, 65535),
    help="Port to listen on.",
)
@click.option(
    "--xlwings-server",
    "xlwings_server",
    is_flag=True,
    help="Run xlwings Server (the Office.js add-in's back end, with the Refresh script) instead "
    "of the POST /refresh endpoint for VBA and Office Scripts.",
)
def serve(host: str, port: int, xlwings_server: bool) -> None:
    """Run the refresh server that Excel's Refresh button calls.

    By default: POST /refresh for VBA RunRemotePython and Office Scripts runPython. Needs
    'pip install kpi-dashboard[server]' and XLWINGS_LICENSE_KEY (see docs/excel-guide.md).
    KPI_DASHBOARD_TOKEN, when set, is the token every request must carry;
    KPI_DASHBOARD_MAX_BYTES caps the payload (default 10 MB); KPI_DASHBOARD_MAX_CONCURRENT
    refreshes run at once (default one per core), and the next wait up to KPI_DASHBOARD_QUEUE_WAIT
    seconds (default 30) before they are told the server is busy. SIGINT or SIGTERM stops it
    within a few seconds.
    """
    import logging
    import os

    try:
        import uvicorn

        from addin.server import create_app, licence_problem
    except ImportError as err:
        if err.name in ("uvicorn", "fastapi", "starlette", "xlwings_server"):
            click.echo(
                f"Error: the refresh server needs the server extra ({err.name} is missing): "
                "pip install 'kpi-dashboard[server]'",
                err=True,
            )
        else:
            click.echo(
                f"Error: cannot load the refresh server ({err}). Reinstall kpi-dashboard.", err=True
            )
        sys.exit(EXIT_UNREADABLE)
    problem = licence_problem()
    if problem:
        fail(problem)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s:     %(name)s: %(message)s")
    if host not in LOCAL_HOSTS:
        click.echo(
            f"Warning: listening on {host}, not only on this machine. Put the server behind HTTPS "
            "and set KPI_DASHBOARD_TOKEN.",
            err=True,
        )
    if xlwings_server:
        from addin import XLWINGS_SERVER_PROJECT

        os.environ.setdefault("XLWINGS_PROJECT_DIR", str(XLWINGS_SERVER_PROJECT))
        # xlwings Server's app behind the same guard as /refresh (turns, size limit, checks)
        uvicorn.run(
            "addin.server:xlwings_server_app",
            factory=True,
            host=host,
            port=port,
            timeout_graceful_shutdown=SHUTDOWN_SECONDS,
        )
        return
    try:
        app = create_app()
    except ValueError as err:
        fail(err)
    if not os.environ.get("KPI_DASHBOARD_TOKEN"):
        click.echo(
            "Warning: KPI_DASHBOARD_TOKEN is not set, so any caller that can reach the server can "
            "use it.",
            err=True,
        )
    uvicorn.run(app, host=host, port=port, timeout_graceful_shutdown=SHUTDOWN_SECONDS)


if __name__ == "__main__":  # pragma: no cover
    main()
