"""Finding a sheet's table and reading its rows by header name.

Officers reorder columns, add their own, leave a title above the table and paste Data wide (Ref,
then one column per month). Headers are matched by name, ignoring case and spaces, with the
synonyms the schemas list ("Indicator Number" for Ref); the header row is found wherever it is in
the first rows. Every cell is read by its column's kind and checked against the schema; every
failure becomes an :class:`~kpi_engine.issues.Issue` naming its cell, and the cell's value
becomes :data:`REJECTED` so that later steps can treat it as missing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from . import cells
from .issues import Code, IssueLog, column_letter
from .periods import iso, parse_month
from .schema import Column, Failure, SheetSchema

Grid = Sequence[Sequence[Any]]


class _Rejected:
    """A cell that failed its check (already reported): later steps treat it as missing. A
    sentinel of its own, so no text an officer types can be mistaken for it."""

    def __repr__(self) -> str:
        return "REJECTED"


REJECTED: Any = _Rejected()
HEADER_SEARCH_ROWS = 30
NUMBER_HINT = (
    "Type the number alone (19% or 0.19 for nineteen per cent), a statistical symbol such as c "
    "(suppressed) or x (not available), or leave it blank; notes belong on the Commentary sheet."
)


@dataclass(slots=True)
class Record:
    """One row of a table: values by column name, and where each came from."""

    row: int  # zero-based row index in the sheet
    values: dict[str, Any]
    cols: dict[str, int]  # column name -> zero-based column index

    def cell(self, name: str) -> str:
        col = self.cols.get(name)
        return f"{column_letter(col)}{self.row + 1}" if col is not None else f"A{self.row + 1}"

    def get(self, name: str) -> Any:
        return self.values.get(name)


@dataclass
class Table:
    sheet: str
    header_row: int | None
    columns: dict[str, int]
    records: list[Record]
    wide: bool = False


def normalise(header: Any) -> str:
    return " ".join(str(header).lower().split()) if header is not None else ""


def _header_index(
    schema: SheetSchema, extra: dict[str, str] | None
) -> tuple[dict[str, str], list[Column]]:
    names: dict[str, str] = {}
    patterned = []
    for col in schema.columns.values():
        names[normalise(col.name)] = col.name
        for syn in col.synonyms:
            names.setdefault(normalise(syn), col.name)
        if col.header_pattern is not None:
            patterned.append(col)
    for header, name in (extra or {}).items():
        names[normalise(header)] = name
    return names, patterned


def match_headers(
    row: Sequence[Any], schema: SheetSchema, extra: dict[str, str] | None = None
) -> dict[str, int]:
    """Column name -> index for the headers in ``row`` that the schema knows (first one wins)."""
    names, patterned = _header_index(schema, extra)
    found: dict[str, int] = {}
    for i, h in enumerate(row):
        key = normalise(h)
        if not key:
            continue
        name = names.get(key)
        if name is None:
            name = next(
                (c.name for c in patterned if c.header_pattern and c.header_pattern.match(key)),
                None,
            )
        if name is not None and name not in found:
            found[name] = i
    return found


def _blank_row(row: Sequence[Any]) -> bool:
    for v in row:
        if v is not None and not (isinstance(v, str) and not v.strip()):
            return False
    return True


def explain(
    column: Column, raw: Any, failure: Failure | None, reason: str | None = None
) -> tuple[Code, str]:
    """Reason code and plain-English message for a cell that failed its column's schema."""
    shown = cells.show(raw)
    title = column.title
    hint = column.description
    if reason is not None:
        if column.kind in ("month", "date", "month-of-year"):
            example = (
                "a date such as 07/10/2025"
                if column.kind == "date"
                else (
                    "a month such as April or 4"
                    if column.kind == "month-of-year"
                    else "a month such as Apr-17, 2017-04 or 01/04/2017"
                )
            )
            return Code.NOT_A_MONTH, f"{title} '{shown}' {reason}. Type {example}."
        extra = f" {NUMBER_HINT}" if column.kind == "number" else ""
        return Code.NOT_A_NUMBER, f"{title} '{shown}' {reason}.{extra} {hint}"
    keyword: str
    arg: Any  # the failed keyword's argument: a limit, the allowed values, or anyOf's failures
    keyword, arg = failure if failure else ("", None)
    if keyword == "anyOf":
        # Prefer the branch that failed on a constraint rather than on type.
        specific = [f for f in arg if f[0] not in ("type", "enum")]
        keyword, arg = specific[0] if specific else arg[0]
        if keyword in ("type", "enum") and column.kind == "number":
            return Code.NOT_A_NUMBER, f"{title} '{shown}' is not a number. {NUMBER_HINT} {hint}"
    if keyword == "enum":
        options = ", ".join(str(a) for a in arg)
        return (
            Code.NOT_ALLOWED,
            f"{title} '{shown}' is not one of the allowed values. Type one of: {options}. {hint}",
        )
    if keyword == "minimum":
        return (
            Code.OUT_OF_RANGE,
            f"{title} '{shown}' is below the lowest allowed, {cells.show(arg)}. {hint}",
        )
    if keyword == "maximum":
        return (
            Code.OUT_OF_RANGE,
            f"{title} '{shown}' is above the highest allowed, {cells.show(arg)}. {hint}",
        )
    if keyword == "maxLength":
        return Code.TOO_LONG, f"{title} is longer than {arg} characters. Shorten it. {hint}"
    if keyword == "minLength":
        return Code.REQUIRED, f"{title} is empty. {hint}"
    if keyword == "pattern":
        return Code.BAD_TEXT, f"{title} '{shown}' is not in a form the engine can read. {hint}"
    if keyword == "type" and column.kind in ("number", "integer"):
        return Code.NOT_A_NUMBER, f"{title} '{shown}' is not a number. {hint}"
    return Code.BAD_TEXT, f"{title} '{shown}' cannot be used. {hint}"


def _reader(column: Column) -> Callable[[Any], Any]:
    kind = column.kind
    if kind == "number":
        return cells.read_number
    if kind == "text":
        return cells.read_text
    if kind == "month":
        cache: dict[Any, str | None] = {}

        def read_month(v: Any) -> str | None:
            try:
                return cache[v]
            except KeyError:
                pass
            except TypeError:
                return cells.read_month(v)
            result = cells.read_month(v)
            cache[v] = result
            return result

        return read_month
    if kind == "code":
        return lambda v: cells.read_code(v, column.enum, column.aliases)
    return lambda v: cells.read_cell(kind, v, column.enum, column.aliases)


def uncalculated_message(title: str, raw: cells.Uncalculated) -> str:
    formula = f" ({cells.show(raw.formula)})" if raw.formula else ""
    return (
        f"{title} holds a formula{formula} whose value was never calculated: the workbook was last "
        "saved by a program that does not calculate formulas. Open it in Excel and save it, so "
        "the value is stored, then fill again."
    )


def read_value(
    column: Column, raw: Any, sheet: str, address: str, log: IssueLog, ref: str | None = None
) -> Any:
    """Read and check one cell; log an error and return :data:`REJECTED` when it fails."""
    if isinstance(raw, cells.Uncalculated):
        log.error(
            sheet,
            address,
            Code.UNCALCULATED_FORMULA,
            uncalculated_message(column.title, raw),
            ref,
        )
        return REJECTED
    try:
        value = _reader(column)(raw)
    except cells.CellError as err:
        code, message = explain(column, raw, None, err.reason)
        log.error(sheet, address, code, message, ref)
        return REJECTED
    if value is None:
        return None
    failure = column.check(value)
    if failure is not None:
        code, message = explain(column, raw, failure)
        log.error(sheet, address, code, message, ref)
        return REJECTED
    return value


def plain_ref(value: Any, sheet: str, address: str, log: IssueLog) -> Any:
    """A Ref with its invisible characters (a no-break or zero-width space, pasted from a web page
    or PDF) made plain, with a warning that shows where they were; anything else as it is."""
    if not isinstance(value, str):
        return value
    found = cells.without_invisibles(value)
    if found is None:
        return value
    plain, shown = found
    log.warning(
        sheet,
        address,
        Code.INVISIBLE_CHARACTER,
        f"Ref '{shown}' holds a character that cannot be seen (often pasted from a web page, a "
        f"PDF or an email); it is read as '{plain}'. Retype the Ref to clear this warning.",
        plain,
    )
    return plain


def _read_rows(
    sheet: str,
    grid: Grid,
    start: int,
    plan: list[tuple[str, int, Column]],
    log: IssueLog,
    ref_name: str | None,
) -> list[Record]:
    readers = [
        (name, col, column, _reader(column), column.check, column.required)
        for name, col, column in plan
    ]
    cols = {name: col for name, col, _ in plan}
    records: list[Record] = []
    for r in range(start, len(grid)):
        row = grid[r]
        if not row or _blank_row(row):
            continue
        values: dict[str, Any] = {}
        ref_raw = None
        if ref_name is not None:
            ref_col = cols.get(ref_name)
            if ref_col is not None and ref_col < len(row):
                ref_raw = cells.read_text(row[ref_col])
        for name, col, column, read, check, required in readers:
            raw = row[col] if col < len(row) else None
            if raw.__class__ is cells.Uncalculated:
                message = uncalculated_message(column.title, raw)
                where = f"{column_letter(col)}{r + 1}"
                log.error(sheet, where, Code.UNCALCULATED_FORMULA, message, ref_raw)
                values[name] = REJECTED
                continue
            try:
                value = read(raw)
            except cells.CellError as err:
                code, message = explain(column, raw, None, err.reason)
                log.error(sheet, f"{column_letter(col)}{r + 1}", code, message, ref_raw)
                values[name] = REJECTED
                continue
            if value is None:
                if required:
                    log.error(
                        sheet,
                        f"{column_letter(col)}{r + 1}",
                        Code.REQUIRED,
                        f"{column.title} is empty: every row needs one. {column.description}",
                        ref_raw,
                    )
                    values[name] = REJECTED
                else:
                    values[name] = None
                continue
            failure = check(value)
            if failure is not None:
                code, message = explain(column, raw, failure)
                log.error(sheet, f"{column_letter(col)}{r + 1}", code, message, ref_raw)
                values[name] = REJECTED
            else:
                values[name] = value
        if ref_name is not None and isinstance(values.get(ref_name), str):
            where = f"{column_letter(cols[ref_name])}{r + 1}"
            values[ref_name] = plain_ref(values[ref_name], sheet, where, log)
        records.append(Record(r, values, cols))
    return records


def find_header(
    grid: Grid, schema: SheetSchema, extra: dict[str, str] | None = None
) -> tuple[int | None, dict[str, int]]:
    """The first row (of the first few) holding every required header,
    else the best partial one."""
    best: tuple[int | None, dict[str, int]] = (None, {})
    required = schema.required
    for r in range(min(HEADER_SEARCH_ROWS, len(grid))):
        found = match_headers(grid[r], schema, extra)
        if found and all(name in found for name in required):
            return r, found
        if len(found) > len(best[1]):
            best = (r, found)
    return best


def _month_headers(row: Sequence[Any]) -> dict[int, str]:
    months = {}
    for i, h in enumerate(row):
        if h is None or (isinstance(h, (int, float)) and not isinstance(h, bool) and h < 30000):
            continue
        m = parse_month(h)
        if m is not None:
            months[i] = iso(m)
    return months


def find_wide_header(
    grid: Grid, schema: SheetSchema
) -> tuple[int, dict[str, int], dict[int, str]] | None:
    """A wide paste: a Ref column and two or more month columns, no Period column."""
    for r in range(min(HEADER_SEARCH_ROWS, len(grid))):
        found = match_headers(grid[r], schema)
        if "Ref" in found and "Period" not in found:
            months = _month_headers(grid[r])
            months = {c: m for c, m in months.items() if c not in found.values()}
            if len(months) >= 2:
                return r, found, months
    return None


def read_table(
    sheet: str,
    grid: Grid,
    schema: SheetSchema,
    log: IssueLog,
    extra_headers: dict[str, str] | None = None,
    allow_wide: bool = False,
) -> Table:
    """Read every row of a table sheet; problems go to ``log``."""
    if allow_wide:
        header = find_header(grid, schema, extra_headers)
        if header[0] is None or not all(n in header[1] for n in schema.required):
            wide = find_wide_header(grid, schema)
            if wide is not None:
                return _read_wide(sheet, grid, schema, log, *wide)
    header_row, found = find_header(grid, schema, extra_headers)
    if header_row is None:
        wanted = ", ".join(schema.required)
        log.error(
            sheet,
            "A1",
            Code.MISSING_COLUMN,
            (
                f"No header row found in the first {HEADER_SEARCH_ROWS} rows of {sheet}: "
                f"it needs the columns {wanted}."
            ),
        )
        return Table(sheet, None, {}, [])
    missing = [n for n in schema.required if n not in found]
    for name in missing:
        col = schema.columns[name]
        also = f" (or {', '.join(col.synonyms)})" if col.synonyms else ""
        log.error(
            sheet,
            f"A{header_row + 1}",
            Code.MISSING_COLUMN,
            (
                f"{sheet} has no '{name}' column{also} in its header row {header_row + 1}. "
                f"Add it: {col.description}"
            ),
        )
    if missing:
        return Table(sheet, header_row, found, [])
    plan = [(name, col, schema.columns[name]) for name, col in found.items()]
    records = _read_rows(sheet, grid, header_row + 1, plan, log, "Ref" if "Ref" in found else None)
    return Table(sheet, header_row, found, records)


def _read_wide(
    sheet: str,
    grid: Grid,
    schema: SheetSchema,
    log: IssueLog,
    header_row: int,
    found: dict[str, int],
    months: dict[int, str],
) -> Table:
    ref_col = schema.columns["Ref"]
    value_col = schema.columns["Value"]
    team_col = schema.columns.get("Team")
    records: list[Record] = []
    for r in range(header_row + 1, len(grid)):
        row = grid[r]
        if not row or _blank_row(row):
            continue
        where = f"{column_letter(found['Ref'])}{r + 1}"
        raw_ref = row[found["Ref"]] if found["Ref"] < len(row) else None
        ref = plain_ref(read_value(ref_col, raw_ref, sheet, where, log), sheet, where, log)
        if ref is None:
            continue
        team = None
        if team_col is not None and "Team" in found and found["Team"] < len(row):
            team = read_value(
                team_col,
                row[found["Team"]],
                sheet,
                f"{column_letter(found['Team'])}{r + 1}",
                log,
                ref,
            )
        for c, period in months.items():
            raw = row[c] if c < len(row) else None
            if cells.is_blank(raw):
                continue
            value = read_value(value_col, raw, sheet, f"{column_letter(c)}{r + 1}", log, ref)
            cols = {"Ref": found["Ref"], "Period": c, "Value": c}
            if "Team" in found:
                cols["Team"] = found["Team"]
            records.append(
                Record(r, {"Ref": ref, "Period": period, "Value": value, "Team": team}, cols)
            )
    return Table(sheet, header_row, found, records, wide=True)
