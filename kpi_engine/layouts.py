"""Recognising a hand-made dashboard's layout in its sheets' grids (``kpi-dashboard import``).

An authority that adopts kpi-dashboard already has a dashboard: one or more sheets laid out by
hand, as in the seeds. :func:`recognise` reads every sheet's values (and the cells' number
formats, the only evidence of a unit that a pasted 0.639 carries) and finds, at any row and in
any column order, the tables it knows:

* indicator tables: a header row with a Ref ("Indicator Number") or a title ("Indicator Title",
  "Success Measure", "Measure"), and month columns ("Apr-17", "Apr-14 outturn"), a target,
  polarity, owner, RAG, methodology, a baseline, benchmark columns with their year
  ("Stat. Neighbours 2014"), a plan target with its month ("Jan-16 Target") or a current
  position; a section row above (WORKFORCE, or "► Key areas of good performance") gives the
  Section; "Improvement Activity" and "Next Steps" rows under a table are that section's
  narrative for the reporting period, and each indicator they are about gets its part of them
  on the Commentary sheet (the part its ref heads, "CIN 4: ..."; the whole text for a table's
  one rated indicator; a pointer to the section's text for a table of several), so the first
  fill asks for commentary only where the old dashboard had none;
* the action log (Ref, Actions, When?, Complete?);
* a contents list (Ref, Indicator Title, RAG Last Period, Current RAG): recognised, and not
  read as a second set of indicators;
* the director's summary (the text under a "Directors Summary" heading).

It returns rows for the template's input sheets, what it guessed (warnings) and every non-blank
cell it could not place, with its sheet and cell. Pure: grids in, rows out; no file is touched.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from .issues import column_letter
from .missing import marker_of
from .narrative import DIRECTORS_SUMMARY
from .periods import Month, label, parse_month, parse_month_of_year

Row = list[Any]


@dataclass
class SheetGrid:
    """One sheet as read: its values and, cell for cell, its number formats (None: General)."""

    name: str
    values: list[list[Any]]
    formats: list[list[str | None]] = field(default_factory=list)

    def value(self, r: int, c: int) -> Any:
        row = self.values[r] if r < len(self.values) else []
        return row[c] if c < len(row) else None

    def format(self, r: int, c: int) -> str | None:
        row = self.formats[r] if r < len(self.formats) else []
        return row[c] if c < len(row) else None


@dataclass(frozen=True)
class Unplaced:
    """A non-blank cell the import could not place."""

    sheet: str
    cell: str
    text: str

    def line(self) -> str:
        text = " ".join(self.text.split())
        shown = text if len(text) <= 70 else text[:67] + "..."
        return f"{self.sheet}!{self.cell}: {shown!r}"


@dataclass
class Imported:
    """What :func:`recognise` found: rows (header first) for the template's input sheets, their
    number formats, what it guessed and what it could not place."""

    sheets: dict[str, list[Row]]
    formats: dict[str, list[list[str | None]]]
    found: list[str]
    guesses: list[str]
    unplaced: list[Unplaced]
    reporting_period: Month | None
    period_asked: bool = False  # no period in the tables and none given: --period is needed

    def count(self, sheet: str) -> int:
        return max(len(self.sheets.get(sheet, [])) - 1, 0)


# ---------------------------------------------------------------------------------------------
# Cells and words


def cell_name(r: int, c: int) -> str:
    """A1-style name of a 0-based (row, column)."""
    return f"{column_letter(c)}{r + 1}"


def _key(value: Any) -> str:
    """A header's letters and digits only, lower case: "When?" -> "when"."""
    return re.sub(r"[^a-z0-9]", "", str(value).lower()) if value is not None else ""


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _texts(row: Sequence[Any]) -> list[tuple[int, Any]]:
    return [(c, v) for c, v in enumerate(row) if not _blank(v)]


_TAGS = re.compile(r"<[^>]+>")


def clean_text(text: Any) -> str:
    """Text as an officer reads it: HTML paragraphs (pasted from a web form) become lines."""
    s = str(text)
    s = re.sub(r"</p>\s*<p>", "\n", s, flags=re.IGNORECASE)
    s = _TAGS.sub("", s)
    return "\n".join(" ".join(line.split()) for line in s.splitlines() if line.strip())


_SMALL_WORDS = {"of", "and", "in", "for", "the", "to", "on", "a", "at", "by", "or"}


def section_name(text: str) -> str:
    """WORKFORCE -> Workforce; CHILDREN IN NEED OF HELP AND PROTECTION -> Children in Need of
    Help and Protection. Text not all in capitals is kept as typed."""
    words = " ".join(text.split())
    if words != words.upper():
        return words
    out = []
    for i, w in enumerate(words.lower().split()):
        out.append(w if i and w in _SMALL_WORDS else w[:1].upper() + w[1:])
    return " ".join(out)


HEADING_MARKS = "\u25ba\u25b6\u25b8\u25aa\u25a0\u25cf\u2022"  # ► ▶ ▸ ▪ ■ ● •


def _is_section_row(row: Sequence[Any]) -> str | None:
    """The heading of a section row: one short cell of text in capitals (WORKFORCE), or one
    led by a heading mark ("► Key areas of good performance", as seed 001 heads its lists)."""
    cells = _texts(row)
    if len(cells) != 1 or not isinstance(cells[0][1], str):
        return None
    text = " ".join(cells[0][1].split())
    if text[:1] in HEADING_MARKS:
        text = text.lstrip(HEADING_MARKS).strip()
        letters = [ch for ch in text if ch.isalpha()]
        return text if len(letters) >= 3 and len(text) <= 120 else None
    letters = [ch for ch in text if ch.isalpha()]
    if len(letters) < 3 or len(text) > 80 or text != text.upper():
        return None
    return text


def _month_header(value: Any) -> Month | None:
    """A month column's header: "Apr-17", "Apr 2015", a date, "Apr-14 outturn"."""
    if isinstance(value, (_dt.date, _dt.datetime)):
        return parse_month(value)
    if not isinstance(value, str):
        return None
    text = re.sub(r"\s+(outturn|actual|figure|value)$", "", value.strip(), flags=re.IGNORECASE)
    return parse_month(text)


_PLAN_TARGET = re.compile(r"^\s*(.+?)\s+target\s*$", re.IGNORECASE)
_BENCHMARK = re.compile(r"^\s*(.*?)\s*((?:19|20)\d\d(?:\s*[-/]\s*\d{2,4})?)\s*$")

COMPARATORS = {
    "statneighbours": "Statistical neighbours",
    "statn": "Statistical neighbours",
    "statisticalneighbours": "Statistical neighbours",
    "statisticalneighbour": "Statistical neighbours",
    "statneighbour": "Statistical neighbours",
    "southeast": "South East",
    "seast": "South East",
    "national": "England",
    "england": "England",
    "region": "Region",
    "regional": "Region",
    "london": "London",
}

REF = {"indicatornumber", "ref", "indicatorref", "reference", "kpi", "kpiref", "pi", "no"}
TITLE = {"indicatortitle", "title", "indicator", "successmeasure", "measure", "measurename"}
POLARITY = {"polarity", "goodis", "direction"}
OWNER = {"targetowner", "owner", "lead", "responsibleofficer"}
RAG = {"rag", "currentrag", "ragrating", "ragstatus"}
RAG_BEFORE = {"raglastperiod", "previousrag", "lastrag"}
METHODOLOGY = {"ragmethodology", "methodology", "ragratingmethodology"}
TARGET = {"target", "annualtarget", "currenttarget"}
CURRENT = {"currentposition", "currentoutturn", "outturn", "latest", "currentperformance"}
COMMENTS = {"comments", "comment", "commentary", "notes"}
BENCHMARKING = {"benchmarking", "benchmark", "benchmarks"}
ACTION = {"actions", "action"}
WHEN = {"when", "due", "duedate", "bywhen"}
DONE = {"complete", "completed", "status", "progress"}
IMPROVEMENT = "improvementactivity"
NEXT_STEPS = "nextsteps"
DIRECTORS = {"directorssummary", "directorsummary"}


@dataclass
class _Header:
    row: int
    columns: dict[str, int] = field(default_factory=dict)
    months: dict[int, Month] = field(default_factory=dict)  # column -> month
    benchmarks: dict[int, tuple[str, str]] = field(default_factory=dict)  # column -> (who, year)
    plan: tuple[int, Month, str] | None = None  # column, month, header text
    baseline: tuple[int, str] | None = None  # column, header text
    kind: str = "indicators"
    bare: dict[int, int] = field(default_factory=dict)  # column -> month of the year ("Apr")


def _bare_month(value: Any) -> int | None:
    """A month header with no year ("Apr", "April"): its month of the year."""
    if not isinstance(value, str) or value.strip().isdigit():
        return None
    return parse_month_of_year(value)


def _header(row: Sequence[Any], r: int) -> _Header | None:
    h = _Header(r)
    for c, v in _texts(row):
        if not isinstance(v, (str, _dt.date, _dt.datetime)):
            continue
        k = _key(v)
        month = _month_header(v)
        if month is not None:
            h.months[c] = month
            continue
        if _bare_month(v) is not None:
            h.bare[c] = _bare_month(v) or 0
            continue
        for name, words in (
            ("ref", REF),
            ("title", TITLE),
            ("polarity", POLARITY),
            ("owner", OWNER),
            ("rag", RAG),
            ("rag_before", RAG_BEFORE),
            ("methodology", METHODOLOGY),
            ("current", CURRENT),
            ("comments", COMMENTS),
            ("benchmarking", BENCHMARKING),
            ("action", ACTION),
            ("when", WHEN),
            ("done", DONE),
        ):
            if k in words and name not in h.columns:
                h.columns[name] = c
                break
        else:
            if not isinstance(v, str):
                continue
            if "baseline" in k and h.baseline is None:
                h.baseline = (c, " ".join(v.split()))
                continue
            if k in TARGET or re.fullmatch(r"(\d{4}\d{2,4})?target", k):
                h.columns.setdefault("target", c)
                continue
            plan = _PLAN_TARGET.match(v)
            if plan and parse_month(plan.group(1)) is not None and h.plan is None:
                h.plan = (c, parse_month(plan.group(1)) or 0, " ".join(v.split()))
                continue
            bench = _BENCHMARK.match(v)
            if bench and _key(bench.group(1)) in COMPARATORS:
                h.benchmarks[c] = (COMPARATORS[_key(bench.group(1))], bench.group(2))
    cols = h.columns
    if "action" in cols and ("when" in cols or "done" in cols):
        h.kind = "actions"
        return h
    if "ref" not in cols and "title" not in cols:
        return None
    measures = h.months or h.bare or h.benchmarks or h.plan or h.baseline
    rated = {"target", "polarity", "methodology", "current", "rag"} & cols.keys()
    if not measures and not rated - {"rag"}:
        if "rag" in cols or "rag_before" in cols:
            h.kind = "contents"
            return h
        return None
    if "ref" in cols and "title" not in cols and not measures and len(rated) < 2:
        return None
    return h


# ---------------------------------------------------------------------------------------------
# Values and units


_NUMBER_WITH_NOTE = re.compile(r"^\s*([+-]?\d[\d,]*(?:\.\d+)?)\s*(%?)\s*(\S.*)?$")


def _decimals_of(fmt: str | None) -> int | None:
    if not fmt or fmt == "General":
        return None
    first = fmt.split(";")[0]
    m = re.search(r"0\.(0+)", first)
    return len(m.group(1)) if m else 0


def _percent_format(fmt: str | None) -> bool:
    return bool(fmt) and "%" in str(fmt).split(";")[0]


@dataclass
class _Cell:
    """A figure as the import will write it, and what it says about the unit."""

    value: Any
    percent: bool | None = None  # True: a % format or a "%" typed; None: no evidence
    decimals: int | None = None
    note: str | None = None  # text typed beside the number: "(6m+)"


def read_figure(value: Any, fmt: str | None) -> _Cell:
    """A figure cell: a number (with its format's unit), a missing marker kept as typed, or a
    number with a note ("79% (6m+)")."""
    if isinstance(value, bool):
        return _Cell(value)
    if isinstance(value, (int, float)):
        return _Cell(value, True if _percent_format(fmt) else None, _decimals_of(fmt))
    if not isinstance(value, str) or not value.strip():
        return _Cell(None)
    text = value.strip()
    if marker_of(text) is not None:
        return _Cell(text)
    m = _NUMBER_WITH_NOTE.match(text)
    if not m:
        return _Cell(text)
    number = float(m.group(1).replace(",", ""))
    decimals = len(m.group(1).split(".")[1]) if "." in m.group(1) else 0
    if m.group(2):
        return _Cell(round(number / 100, decimals + 2), True, decimals, m.group(3))
    return _Cell(int(number) if number.is_integer() else number, None, decimals, m.group(3))


def _number_format(percent: bool, decimals: int) -> str:
    body = "0" + ("." + "0" * decimals if decimals else "")
    return body + "%" if percent else body


# ---------------------------------------------------------------------------------------------
# Recognising


INDICATOR_COLUMNS = [
    "Ref",
    "Title",
    "Section",
    "Polarity",
    "Unit",
    "Decimals",
    "Measure",
    "Target",
    "Owner",
    "RAG methodology",
    "Baseline",
    "Baseline period",
    "Plan target",
    "Reported RAG",
    "Reported RAG period",
]


@dataclass
class _Indicator:
    ref: str | None
    title: str | None
    section: str | None
    where: str
    values: dict[str, Any] = field(default_factory=dict)
    figures: dict[Month, _Cell] = field(default_factory=dict)
    target: _Cell | None = None
    plan: _Cell | None = None
    baseline: _Cell | None = None
    current: _Cell | None = None
    current_cell: Unplaced | None = None  # where the current position is, should no month be known
    benchmarks: list[tuple[str, str, _Cell]] = field(default_factory=list)
    comment: str | None = None
    notes: dict[str, list[str]] = field(default_factory=dict)  # kind -> the text about it alone
    see: dict[str, str] = field(default_factory=dict)  # kind -> the section whose text covers it

    def rated(self) -> bool:
        """Whether the old dashboard rated it (an old RAG, a written methodology or a target
        that is a number): the indicators whose colour wants commentary."""
        numeric = self.target is not None and _a_figure(self.target.value)
        return numeric or bool({"Reported RAG", "RAG methodology"} & self.values.keys())


@dataclass
class _State:
    sheet: SheetGrid
    section: str | None = None
    section_cell: tuple[int, int] | None = None
    indicators: list[_Indicator] = field(default_factory=list)
    narrative: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    actions: list[Row] = field(default_factory=list)
    unplaced: list[Unplaced] = field(default_factory=list)
    found: list[str] = field(default_factory=list)
    guesses: list[str] = field(default_factory=list)
    title: str | None = None
    period: Month | None = None
    given: Month | None = None  # --period
    directors: list[str] = field(default_factory=list)
    contents: int = 0
    baseline_label: str | None = None
    plan: tuple[Month, str] | None = None
    months: set[Month] = field(default_factory=set)

    def left(self, r: int, c: int, value: Any) -> None:
        self.unplaced.append(Unplaced(self.sheet.name, cell_name(r, c), str(value)))


def _section_used(st: _State) -> None:
    st.section_cell = None


def _take_section(st: _State, r: int, c: int, text: str) -> None:
    if st.section_cell is not None:  # a heading no table followed
        pr, pc = st.section_cell
        st.left(pr, pc, st.sheet.value(pr, pc))
    st.section = section_name(text)
    st.section_cell = (r, c)


STATUS = {
    "y": "Done",
    "yes": "Done",
    "done": "Done",
    "complete": "Done",
    "completed": "Done",
    "closed": "Done",
    "ongoing": "In progress",
    "inprogress": "In progress",
    "started": "In progress",
    "n": "Open",
    "no": "Open",
    "open": "Open",
    "notstarted": "Open",
    "dropped": "Dropped",
    "cancelled": "Dropped",
}


def _read_actions(st: _State, h: _Header, r: int) -> int:
    g = st.sheet
    cols = h.columns
    undated: list[str] = []
    n = 0
    while r < len(g.values) and _texts(g.values[r]):
        row = g.values[r]
        if _header(row, r) is not None:
            break
        used = {cols.get(k) for k in ("ref", "action", "when", "done", "owner")}
        ref = g.value(r, cols["ref"]) if "ref" in cols else None
        action = g.value(r, cols["action"])
        if _blank(action):
            for c, v in _texts(row):
                st.left(r, c, v)
            r += 1
            continue
        due_raw = g.value(r, cols["when"]) if "when" in cols else None
        due: Any = None
        if isinstance(due_raw, (_dt.date, _dt.datetime)):
            due = due_raw
        elif not _blank(due_raw):
            m = parse_month(due_raw)
            if m is not None:
                y, mo = divmod(m, 12)
                nxt = _dt.date(y + (mo == 11), (mo + 1) % 12 + 1, 1)
                due = nxt - _dt.timedelta(days=1)
            else:
                undated.append(f"{ref or cell_name(r, 0)} ({due_raw})")
        done_raw = g.value(r, cols["done"]) if "done" in cols else None
        status = STATUS.get(_key(done_raw)) if not _blank(done_raw) else None
        if not _blank(done_raw) and status is None:
            st.left(r, cols["done"], done_raw)
        owner = g.value(r, cols["owner"]) if "owner" in cols else None
        refs = ", ".join(dict.fromkeys(re.findall(r"\b[A-Z]{1,4} ?\d{1,2}[a-z]?\b", str(action))))
        st.actions.append(
            [
                str(ref).strip() if not _blank(ref) else None,
                refs or None,
                clean_text(action),
                owner,
                due,
                status,
            ]
        )
        for c, v in _texts(row):
            if c not in used:
                st.left(r, c, v)
        n += 1
        r += 1
    if undated:
        st.guesses.append(
            f"{st.sheet.name}: action log due dates that are not months left blank: "
            f"{', '.join(undated)}."
        )
    st.found.append(f"{st.sheet.name}!{cell_name(h.row, 0)}: the action log, {n} actions")
    return r


def _read_contents(st: _State, h: _Header, r: int) -> int:
    """A contents list: its rows are placed as recognised (the indicators come from the tables)."""
    g = st.sheet
    n = 0
    while r < len(g.values):
        row = g.values[r]
        if not _texts(row) or _header(row, r) is not None:
            break
        n += 1
        r += 1
    st.contents += n
    st.found.append(
        f"{st.sheet.name}!{cell_name(h.row, 0)}: a contents list ({n} rows), not read as "
        "indicators: the tables below it hold them"
    )
    return r


_RAG_WORDS = {"r", "red", "a", "amber", "g", "green"}


def _a_figure(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _indicator_row(g: SheetGrid, h: _Header, r: int) -> bool:
    """Whether row ``r`` reads as one of ``h``'s indicators: its title (or ref) and a RAG or a
    figure where the header says they are."""
    cols = h.columns
    name = g.value(r, cols.get("title", cols.get("ref", 0)))
    if not isinstance(name, str) or not name.strip():
        return False
    rag = g.value(r, cols["rag"]) if "rag" in cols else None
    if isinstance(rag, str) and rag.strip().lower() in _RAG_WORDS:
        return True
    figures = [cols[k] for k in ("target", "current") if k in cols] + list(h.months)
    return any(_a_figure(g.value(r, c)) for c in figures)


def _table_goes_on(g: SheetGrid, h: _Header, r: int) -> bool:
    """Whether the blank row(s) from ``r`` are a gap inside the table (a page break in the
    original), not its end: the next row that is not blank is another of its indicators."""
    while r < len(g.values) and not _texts(g.values[r]):
        r += 1
    return r < len(g.values) and _header(g.values[r], r) is None and _indicator_row(g, h, r)


def _row_number_column(g: SheetGrid, h: _Header) -> int | None:
    """A column with no heading just before the titles, in a table with no Ref column: the
    row numbers (1, 2, 3) a hand-made table is often given."""
    title = h.columns.get("title")
    if "ref" in h.columns or not title or not _blank(g.value(h.row, title - 1)):
        return None
    return title - 1


def _year_the_months(st: _State, h: _Header) -> None:
    """Give month headers with no year ("Apr" ... "Mar") their years, in column order ending at
    or before the reporting period (--period, the month the sheet shows, or the header's own
    dated months), and say what was guessed. With nothing to go by they are left unplaced."""
    if not h.bare:
        return
    g = st.sheet
    columns = sorted(h.bare)
    where = f"{g.name}!{cell_name(h.row, columns[0])}:{cell_name(h.row, columns[-1])}"
    anchor = st.given or st.period or max(h.months.values(), default=None)
    if anchor is None:
        st.guesses.append(
            f"{where}: month headers with no year ({g.value(h.row, columns[0])} to "
            f"{g.value(h.row, columns[-1])}) and no month to take the year from: their figures "
            "are not placed. Run again with --period (e.g. --period Nov-17)."
        )
        return
    later = anchor + 1
    for c in reversed(columns):
        month = later - 1
        while month % 12 + 1 != h.bare[c]:
            month -= 1
        h.months[c] = later = month
    first, last = h.months[columns[0]], h.months[columns[-1]]
    st.guesses.append(
        f"{where}: month headers with no year ({g.value(h.row, columns[0])} to "
        f"{g.value(h.row, columns[-1])}) read as {label(first)} to {label(last)}, the years "
        f"guessed from the reporting period {label(anchor)}: check them."
    )


_MENTION = r"[A-Z]{1,5} ?\d{1,3}[a-z]?"
# A ref heading a part of a section's text: at its start, a line's or a sentence's, and followed
# by ":" or " - " ("CIN 4: ...", "FD3 - ...", "CP13: ...").
_HEADED = re.compile(
    rf"(?:^|(?<=[.!?] ))[ \t]*({_MENTION})[ \t]*(?::|[ \t][-\u2013][ \t])", re.MULTILINE
)


def ref_key(ref: str) -> str:
    """A ref as a section's text names it: "CP 13" and "CP13", "LAC 19 (12m)" and "LAC 19"."""
    return re.sub(r"[^a-z0-9]", "", re.sub(r"\(.*?\)", "", ref).lower())


def split_by_ref(text: str, refs: Iterable[str]) -> tuple[str, dict[str, list[str]]]:
    """A section's text in parts: what comes before any ref heading (about the whole table), and
    per ref (as given) the parts headed by it ("CIN 4: ... CIN 5: ..."). Only ``refs`` head a
    part; any other "X 1:" stays in the part it is in."""
    keys = {ref_key(r): r for r in refs}
    found = [(m.start(1), keys.get(ref_key(m.group(1)))) for m in _HEADED.finditer(text)]
    starts = [(at, ref) for at, ref in found if ref is not None]
    cuts = [at for at, _ in starts] + [len(text)]
    parts: dict[str, list[str]] = {}
    for (at, ref), end in zip(starts, cuts[1:], strict=True):
        part = text[at:end].strip()
        if part:
            parts.setdefault(ref, []).append(part)
    return text[: cuts[0]].strip(), parts


def _carry(table: Sequence[_Indicator], kind: str, text: str, section: str | None) -> None:
    """Give a table's indicators the part of an Improvement Activity or Next Steps row that is
    about them, so that the first fill does not ask for commentary the old dashboard had: the
    part its ref heads ("CIN 4: ..."), or, for text that names none, the whole text when the
    table rates one indicator, else a pointer to the section's text (which the Narrative sheet
    holds), rather than the same paragraph repeated beside each of them."""
    by_ref = {i.ref: i for i in table if i.ref}
    whole, parts = split_by_ref(text, by_ref)
    for ref, texts in parts.items():
        by_ref[ref].notes.setdefault(kind, []).extend(texts)
    if not whole:
        return
    rated = [i for i in table if i.rated()] or list(table)
    if len(rated) == 1 or not section:
        for ind in rated:
            ind.notes.setdefault(kind, []).append(whole)
    else:
        for ind in rated:
            ind.see[kind] = section


def _read_table(st: _State, h: _Header, r: int) -> int:
    g = st.sheet
    _year_the_months(st, h)
    cols = h.columns
    used = set(cols.values()) | set(h.months) | set(h.benchmarks)
    numbers_at = _row_number_column(g, h)
    numbered: list[int] = []
    if h.plan:
        used.add(h.plan[0])
        st.plan = (h.plan[1], h.plan[2])
    if h.baseline:
        used.add(h.baseline[0])
        st.baseline_label = h.baseline[1]
    st.months.update(h.months.values())
    section = st.section
    _section_used(st)
    n = 0
    table: list[_Indicator] = []
    said: list[tuple[str, str, str | None]] = []  # (kind, text, section) under the table
    while r < len(g.values):
        row = g.values[r]
        cells = _texts(row)
        if not cells and _table_goes_on(g, h, r):
            r += 1
            continue
        if not cells or _header(row, r) is not None:
            break
        _, first = cells[0]
        k = _key(first)
        if k in (IMPROVEMENT, NEXT_STEPS):
            texts = [(c, v) for c, v in cells[1:]]
            if texts:
                c, text = texts[0]
                kind = "Improvement activity" if k == IMPROVEMENT else "Next steps"
                st.narrative.setdefault((section or "", kind), []).append(clean_text(text))
                said.append((kind, clean_text(text), section))
                for c2, v2 in texts[1:]:
                    st.left(r, c2, v2)
            r += 1
            continue
        heading = _is_section_row(row)
        ref = g.value(r, cols["ref"]) if "ref" in cols else None
        title = g.value(r, cols["title"]) if "title" in cols else None
        if heading is not None and (_blank(title) or "title" not in cols or first == title):
            section = section_name(heading)
            r += 1
            continue
        if _blank(ref) and _blank(title):
            for c, v in cells:
                st.left(r, c, v)
            r += 1
            continue
        ind = _Indicator(
            " ".join(str(ref).split()) if not _blank(ref) else None,
            " ".join(str(title).split()) if not _blank(title) else None,
            section,
            cell_name(r, cols.get("ref", cols.get("title", 0))),
        )
        for name, column in (("Polarity", "polarity"), ("Owner", "owner")):
            if column in cols and not _blank(g.value(r, cols[column])):
                ind.values[name] = str(g.value(r, cols[column])).strip()
        if "methodology" in cols and not _blank(g.value(r, cols["methodology"])):
            ind.values["RAG methodology"] = " ".join(str(g.value(r, cols["methodology"])).split())
        if "rag" in cols and not _blank(g.value(r, cols["rag"])):
            ind.values["Reported RAG"] = str(g.value(r, cols["rag"])).strip()
        for c, m in h.months.items():
            cell = read_figure(g.value(r, c), g.format(r, c))
            if cell.value is not None:
                ind.figures[m] = cell
        if "target" in cols:
            ind.target = read_figure(g.value(r, cols["target"]), g.format(r, cols["target"]))
            if ind.target.value == "%":
                ind.target = None
                st.guesses.append(
                    f"{g.name}!{cell_name(r, cols['target'])}: the target is '%' with no "
                    "number, so it is left blank (no target): type it on the Indicators sheet."
                )
        if h.plan:
            ind.plan = read_figure(g.value(r, h.plan[0]), g.format(r, h.plan[0]))
        if h.baseline:
            ind.baseline = read_figure(g.value(r, h.baseline[0]), g.format(r, h.baseline[0]))
        if "current" in cols:
            ind.current = read_figure(g.value(r, cols["current"]), g.format(r, cols["current"]))
            ind.current_cell = Unplaced(
                g.name, cell_name(r, cols["current"]), str(g.value(r, cols["current"]))
            )
        for c, (who, year) in h.benchmarks.items():
            cell = read_figure(g.value(r, c), g.format(r, c))
            if cell.value is not None:
                ind.benchmarks.append((who, year, cell))
        notes = []
        for column in ("comments", "benchmarking"):
            if column in cols and not _blank(g.value(r, cols[column])):
                notes.append(clean_text(g.value(r, cols[column])))
        ind.comment = "\n".join(notes) or None
        for c, v in cells:
            if c == numbers_at and _a_figure(v) and float(v).is_integer():
                numbered.append(r)
            elif c not in used:
                st.left(r, c, v)
        st.indicators.append(ind)
        table.append(ind)
        n += 1
        r += 1
    for kind, text, where in said:
        _carry(table, kind, text, where)
    st.found.append(
        f"{st.sheet.name}!{cell_name(h.row, 0)}: an indicator table"
        f"{f' ({section})' if section else ''}, {n} indicator{'s' * (n != 1)}"
    )
    if numbers_at is not None and numbered:
        cells_ = f"{cell_name(numbered[0], numbers_at)}:{cell_name(numbered[-1], numbers_at)}"
        st.guesses.append(
            f"{g.name}!{cells_}: the numbers in the column with no heading are taken as row "
            "numbers, not refs, and are not kept."
        )
    return r


def _read_sheet(st: _State) -> None:
    g = st.sheet
    r = 0
    in_directors = False
    heading: str | None = None
    while r < len(g.values):
        row = g.values[r]
        cells = _texts(row)
        if not cells:
            r += 1
            continue
        h = _header(row, r)
        if h is not None:
            in_directors = False
            if h.kind == "actions":
                r = _read_actions(st, h, r + 1)
            elif h.kind == "contents":
                r = _read_contents(st, h, r + 1)
            else:
                r = _read_table(st, h, r + 1)
            continue
        c0, first = cells[0]
        k = _key(first)
        if k in DIRECTORS:
            in_directors = True
            heading = None
            r += 1
            continue
        if "actionlog" in k and len(cells) == 1:
            in_directors = False
            r += 1
            continue
        section = _is_section_row(row)
        if section is not None and not in_directors:
            _take_section(st, r, c0, section)
            r += 1
            continue
        if len(cells) == 1 and isinstance(first, str):
            text = " ".join(first.split())
            month = parse_month(text)
            if month is not None and st.period is None:
                st.period = month
                r += 1
                continue
            if in_directors:
                if len(text) <= 60 and not text.endswith("."):
                    heading = text
                else:
                    lead = f"{heading}: " if heading else ""
                    st.directors.append(lead + clean_text(text))
                    heading = None
                r += 1
                continue
            if text == st.title:  # the title repeated at the top of a page
                r += 1
                continue
            if st.title is None and not st.indicators and len(text) <= 120 and section is None:
                st.title = text
                r += 1
                continue
        for c, v in cells:
            st.left(r, c, v)
        r += 1
    if st.section_cell is not None:
        pr, pc = st.section_cell
        st.left(pr, pc, g.value(pr, pc))


_COUNTED = re.compile(r"^\s*(number|no\.?|count|total|average|mean|rate per)\b", re.IGNORECASE)


def _shown_decimals(values: Sequence[float], scale: int) -> int:
    """The decimals the figures were typed with (0.713 as a % is 71.3: one), at most two."""
    most = 0
    for v in values:
        text = f"{round(v * scale, 6):.6f}".rstrip("0")
        most = max(most, len(text.split(".")[1]) if "." in text else 0)
    return min(most, 2)


def _unit(ind: _Indicator) -> tuple[bool, int, str | None]:
    """(percent, decimals, what was guessed). The figures' own cells decide first (a % format,
    a "%" typed); figures with no such mark are a percentage only when they are all between 0
    and 1, not all whole, and something else says % (the target, plan target or baseline written
    as one, or "%" in the title or methodology), and the title does not say it counts ("Number
    of ..."): a count beside a "%" elsewhere stays a count."""
    figures = [*ind.figures.values()]
    if ind.current is not None and ind.current.value is not None:
        figures.append(ind.current)
    others = [c for c in (ind.target, ind.plan, ind.baseline) if c is not None]
    numbers = [c for c in figures if _a_figure(c.value)]
    latest = [
        ind.figures[m] for m in sorted(ind.figures) if isinstance(ind.figures[m].value, float)
    ]
    latest_int = [
        ind.figures[m] for m in sorted(ind.figures) if isinstance(ind.figures[m].value, int)
    ]
    other_numbers = [c for c in others if _a_figure(c.value)]
    pick = (latest or latest_int or numbers or other_numbers or [_Cell(None)])[-1]
    if any(c.percent for c in figures) or (not numbers and any(c.percent for c in others)):
        decimals = pick.decimals if pick.percent and pick.decimals is not None else 0
        return True, decimals, None
    title = (ind.title or "").lower()
    methodology = ind.values.get("RAG methodology", "")
    values = [float(c.value) for c in numbers]
    small = bool(values) and all(0 <= v <= 1 for v in values)
    fractional = any(not v.is_integer() for v in values)
    counted = bool(_COUNTED.match(title))
    if small and fractional and not counted:
        reasons = []
        if any(c.percent for c in others):
            reasons.append("the target is written as a percentage")
        if title.startswith("%") or "percentage" in title or " % " in f" {title} ":
            reasons.append("'%' in the title")
        if "%" in methodology:
            reasons.append("'%' in the RAG methodology")
        if reasons:
            why = " and ".join(reasons) + ", and the figures are all between 0 and 1"
            return True, _shown_decimals(values, 100), why
    decimals = pick.decimals if pick.decimals is not None else 0
    if decimals == 0 and any(
        isinstance(c.value, float) and not c.value.is_integer() for c in numbers
    ):
        decimals = 1
    return False, decimals, None


def _store(cell: _Cell | None, percent: bool) -> Any:
    if cell is None:
        return None
    return cell.value


COMMENT_COLUMNS = ("Comment", "Improvement activity", "Next steps")
_NOT_GREEN = {"r", "red", "a", "amber", "yellow", "ra", "redamber", "ag", "ambergreen"}


def _said(ind: _Indicator, period: str) -> dict[str, list[str]]:
    """What the old dashboard said about ``ind`` for the reporting period, by Commentary column:
    its Comments (and Benchmarking) cells, the parts of its table's Improvement Activity and
    Next Steps about it, and a pointer to the section's text where that covers the whole table."""
    out: dict[str, list[str]] = {}
    if ind.comment:
        out["Comment"] = [ind.comment]
    for kind, texts in ind.notes.items():
        out.setdefault(kind, []).extend(texts)
    if ind.see:
        kinds = [k for k in ("Improvement activity", "Next steps") if k in ind.see]
        section = ind.see[kinds[0]]
        out.setdefault("Comment", []).append(
            f"See the {section} section's {' and '.join(kinds)} for {period} (Narrative "
            "sheet): it is about the whole table."
        )
    return out


def recognise(
    sheets: Iterable[SheetGrid], period: Month | None = None, refs_from: str = "titles"
) -> Imported:
    """Find the layouts :mod:`kpi_engine.layouts` knows in ``sheets`` and return the template's
    input rows. ``period`` (``--period``) wins over the period the workbook shows."""
    states = []
    for grid in sheets:
        st = _State(grid, given=period)
        _read_sheet(st)
        states.append(st)
    unplaced = [u for st in states for u in st.unplaced]
    found = [f for st in states for f in st.found]
    guesses = [g for st in states for g in st.guesses]
    indicators = [i for st in states for i in st.indicators]
    months = {m for st in states for m in st.months}
    shown = next((st.period for st in states if st.period is not None), None)
    reporting = period if period is not None else shown
    asked = False
    if reporting is None and months:
        reporting = max(months)
    if reporting is None and indicators:
        asked = True
    _give_refs(indicators, guesses)
    data: list[Row] = [["Ref", "Period", "Value"]]
    data_formats: list[list[str | None]] = [[None, None, None]]
    comments: dict[tuple[str, str], dict[str, list[str]]] = {}  # (ref, period) -> column -> texts
    unexplained: list[str] = []
    benchmarks: list[Row] = [["Ref", "Comparator", "Year", "Value"]]
    bench_formats: list[list[str | None]] = [[None, None, None, None]]
    rows: list[Row] = [INDICATOR_COLUMNS]
    formats: list[list[str | None]] = [[None] * len(INDICATOR_COLUMNS)]
    by_words: list[str] = []
    doubts: list[str] = []
    no_polarity: list[str] = []
    seen: dict[str, int] = {}
    plan = next((st.plan for st in states if st.plan is not None), None)
    baseline_label = next((st.baseline_label for st in states if st.baseline_label), None)
    for ind in indicators:
        ref = ind.ref or ""
        if ref in seen:
            seen[ref] += 1
            ref = f"{ref} ({seen[ref]})"
            guesses.append(f"{ind.where}: {ind.ref} is in the tables twice; this row is {ref}.")
        else:
            seen[ref] = 1
        percent, decimals, guessed = _unit(ind)
        if guessed:
            by_words.append(f"{ref} ({guessed})")
        written = [c for c in (ind.target, ind.plan, ind.baseline) if c is not None]
        if not percent and ind.figures and any(c.percent for c in written):
            doubts.append(ref)
        if "Polarity" not in ind.values and ("Reported RAG" in ind.values or ind.target):
            numeric = ind.target is not None and isinstance(ind.target.value, (int, float))
            if numeric or "RAG methodology" in ind.values:
                no_polarity.append(ref)
        fmt = _number_format(percent, decimals)
        target = _store(ind.target, percent)
        plan_value = _store(ind.plan, percent)
        reported = ind.values.get("Reported RAG")
        values = {
            "Ref": ref,
            "Title": ind.title or ref,
            "Section": ind.section,
            "Polarity": ind.values.get("Polarity"),
            "Unit": "%" if percent else "number",
            "Decimals": decimals,
            "Measure": "percentage" if percent else "value",
            "Target": target,
            "Owner": ind.values.get("Owner"),
            "RAG methodology": ind.values.get("RAG methodology"),
            "Baseline": _store(ind.baseline, percent),
            "Baseline period": None,
            "Plan target": plan_value,
            "Reported RAG": reported,
            "Reported RAG period": label(reporting) if reported and reporting is not None else None,
        }
        rows.append([values[c] for c in INDICATOR_COLUMNS])
        number_cols = {"Target", "Baseline", "Plan target"}
        formats.append([fmt if c in number_cols else None for c in INDICATOR_COLUMNS])
        figures = dict(ind.figures)
        if not figures and ind.current is not None and ind.current.value is not None:
            if reporting is not None:
                figures[reporting] = ind.current
            elif ind.current_cell is not None:
                unplaced.append(ind.current_cell)  # no month for it: --period
        for m in sorted(figures):
            cell = figures[m]
            data.append([ref, label(m), cell.value])
            data_formats.append([None, None, fmt if isinstance(cell.value, (int, float)) else None])
            if cell.note:
                comments.setdefault((ref, label(m)), {}).setdefault("Comment", []).append(
                    f"As reported: {cell.note}"
                )
        if reporting is not None:
            said = _said(ind, label(reporting))
            for column, texts in said.items():
                comments.setdefault((ref, label(reporting)), {}).setdefault(column, []).extend(
                    texts
                )
            if not said and _key(reported) in _NOT_GREEN:
                unexplained.append(ref)
        for who, year, cell in ind.benchmarks:
            benchmarks.append([ref, who, year, cell.value])
            bench_formats.append(
                [None, None, None, fmt if isinstance(cell.value, (int, float)) else None]
            )
    if by_words:
        guesses.append(
            "Unit % guessed (no % format on the figures' cells) for: "
            + "; ".join(by_words)
            + ". Check the Unit on the Indicators sheet."
        )
    if doubts:
        guesses.append(
            "The target is written as a percentage but the figures have no % format and are "
            "not all fractions between 0 and 1, so they are taken as numbers, for: "
            + ", ".join(doubts)
            + ". If they are percentages, type them as percentages (86% or 0.86) on the Data "
            "sheet and set Unit to %."
        )
    if no_polarity:
        guesses.append(
            "No polarity given for "
            + ", ".join(no_polarity)
            + ": one with a written RAG methodology takes it from the text when filled (with a "
            "warning), the others are not rated; type BIB (bigger is better) or SIB in their "
            "Polarity cells on the Indicators sheet."
        )
    if unexplained and reporting is not None:
        guesses.append(
            f"The old dashboard rated {', '.join(unexplained)} Red, Amber or Yellow for "
            f"{label(reporting)} with no commentary about them: the fill asks for it for each "
            "it rates Red or Amber. Type it on the Commentary sheet."
        )
    commentary: list[Row] = [["Ref", "Period", *COMMENT_COLUMNS]]
    for (ref, period_), columns in comments.items():
        commentary.append(
            [ref, period_, *("\n\n".join(columns.get(c, [])) or None for c in COMMENT_COLUMNS)]
        )
    settings: list[Row] = [["Setting", "Value"]]
    title = next((st.title for st in states if st.title), None)
    if title:
        settings.append(["Organisation", title])
        guesses.append(
            f"The workbook's title '{title}' is the Organisation on the Settings sheet: type your "
            "authority's name there if it is not."
        )
    if reporting is not None:
        settings.append(["Reporting period", label(reporting)])
    if plan is not None:
        settings.append(["Plan target label", plan[1]])
        settings.append(["Plan target period", label(plan[0])])
    if baseline_label:
        settings.append(["Baseline label", baseline_label])
        guesses.append(
            f"The baseline column '{baseline_label}' gives no month and year, so Baseline period "
            "is left blank: type it on the Indicators sheet (e.g. Jun-14) for the straight line "
            "from the baseline to the plan target."
        )
    narrative: list[Row] = [
        ["Section", "Period", "Commentary", "Improvement activity", "Next steps"]
    ]
    directors = [d for st in states for d in st.directors]
    period_label = label(reporting) if reporting is not None else None
    if directors:
        narrative.append([DIRECTORS_SUMMARY, period_label, "\n\n".join(directors), None, None])
    sections: dict[str, dict[str, list[str]]] = {}
    for st in states:
        for (section, kind), texts in st.narrative.items():
            sections.setdefault(section, {}).setdefault(kind, []).extend(texts)
    for section, kinds in sections.items():
        activity = "\n\n".join(kinds.get("Improvement activity", [])) or None
        steps = "\n\n".join(kinds.get("Next steps", [])) or None
        if activity or steps:
            narrative.append([section or None, period_label, None, activity, steps])
    actions: list[Row] = [["Action ref", "Indicator ref", "Action", "Owner", "Due", "Status"]]
    actions += [a for st in states for a in st.actions]
    out = {
        "Settings": settings,
        "Indicators": rows,
        "Data": data,
        "Commentary": commentary,
        "Benchmarks": benchmarks,
        "Narrative": narrative,
        "Actions": actions,
    }
    out = {k: v for k, v in out.items() if len(v) > 1}
    fmts = {"Indicators": formats, "Data": data_formats, "Benchmarks": bench_formats}
    return Imported(
        out,
        {k: v for k, v in fmts.items() if k in out},
        found,
        guesses,
        unplaced,
        reporting,
        asked,
    )


# ---------------------------------------------------------------------------------------------
# Refs for tables without them


_STOP = {"of", "the", "and", "a", "an", "in", "on", "to", "for", "with", "who", "are", "is", "%"}


def ref_from_title(title: str) -> str:
    """A short, readable ref from a title, the same every time: the initials of its first words
    ("% assessments completed in 45 working days" -> "ACI45WD")."""
    words = [w for w in re.findall(r"[A-Za-z0-9]+", title) if w.lower() not in _STOP]
    initials = "".join(w if w.isdigit() else w[0].upper() for w in words[:8])
    return initials[:6] or "IND"


def _give_refs(indicators: Sequence[_Indicator], guesses: list[str]) -> None:
    made = []
    taken = {i.ref for i in indicators if i.ref}
    for ind in indicators:
        if ind.ref or not ind.title:
            continue
        base = ref_from_title(ind.title)
        ref, n = base, 1
        while ref in taken:
            n += 1
            ref = f"{base} {n}"
        taken.add(ref)
        ind.ref = ref
        made.append(f"{ref} ({ind.where})")
    if made:
        guesses.append(
            "No Ref column: refs made from the titles (the same each time this file is "
            "imported): " + ", ".join(made) + "."
        )
