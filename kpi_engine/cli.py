"""The ``kpi-dashboard`` command line: thin front ends over the engine.

Each command reads the workbook, makes one engine call and reports. Exit statuses are the same
for every command: 0 no errors (warnings allowed), 1 errors in the data, 2 a file that cannot be
read as a workbook or a command misused. A user's mistake never shows a traceback.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from . import __version__
from .issues import Issue

EXIT_OK, EXIT_DATA_ERRORS, EXIT_UNREADABLE = 0, 1, 2


def _issue_line(issue: Issue) -> str:
    ref = f" ({issue.ref})" if issue.ref else ""
    return f"{issue.severity.value.upper():7} {issue.where()}{ref}: {issue.message}"


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kpi-dashboard")
def main() -> None:
    """Fill and check the monthly KPI dashboard workbook of a children's services department."""


@main.command()
@click.argument("workbook", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the issues as JSON instead of lines of text.")
def validate(workbook: Path, as_json: bool) -> None:
    """Check WORKBOOK's input sheets and list every problem, with its sheet and cell.

    Exit status 0 when there are no errors (warnings allowed), 1 when there are errors, 2 when the
    file cannot be read as a workbook.
    """
    from .evaluate import compute
    from .inputs import read_inputs
    from .workbook_reader import WorkbookError, read_sheets

    try:
        sheets = read_sheets(workbook)
    except WorkbookError as err:
        click.echo(f"Error: {err}", err=True)
        sys.exit(EXIT_UNREADABLE)
    report = compute(read_inputs(sheets))
    issues = report.issues
    errors = sum(1 for i in issues if i.severity.value == "error")
    warnings = len(issues) - errors
    if as_json:
        click.echo(json.dumps({"file": str(workbook), "errors": errors, "warnings": warnings,
                               "issues": [i.as_dict() for i in issues]}, indent=2, ensure_ascii=False))
    else:
        for issue in issues:
            click.echo(_issue_line(issue))
        verdict = "no problems found" if not issues else f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"
        click.echo(f"{workbook.name}: {verdict}.")
    sys.exit(EXIT_DATA_ERRORS if errors else EXIT_OK)


if __name__ == "__main__":  # pragma: no cover
    main()
