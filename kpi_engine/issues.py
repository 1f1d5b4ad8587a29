"""Validation issues: every problem found, with where it is and what to do.

Like a lazy schema validator, the engine never stops at the first problem: each check appends an
:class:`Issue` to an :class:`IssueLog`, and the front ends (the command line, the Validation sheet,
the JSON results) group them by :class:`Code` alike.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import Enum


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


class Code(str, Enum):
    """Reason codes. The value is what JSON and the Validation sheet show."""

    MISSING_SHEET = "missing_sheet"
    DUPLICATE_SHEET = "duplicate_sheet"
    MISSING_COLUMN = "missing_column"
    REQUIRED = "required_value_missing"
    NOT_A_NUMBER = "not_a_number"
    NOT_A_MONTH = "not_a_month"
    NOT_ALLOWED = "value_not_allowed"
    OUT_OF_RANGE = "out_of_range"
    TOO_LONG = "text_too_long"
    BAD_TEXT = "bad_text"
    INVISIBLE_CHARACTER = "invisible_character"
    UNKNOWN_SETTING = "unknown_setting"
    UNKNOWN_REF = "unknown_ref"
    UNKNOWN_SECTION = "unknown_section"
    DUPLICATE_REF = "duplicate_ref"
    DUPLICATE_ROW = "duplicate_row"
    PERCENT_WITHOUT_SIGN = "percent_without_sign"
    NUMERATOR_ABOVE_DENOMINATOR = "numerator_above_denominator"
    ZERO_DENOMINATOR = "zero_denominator"
    MISSING_DENOMINATOR = "missing_denominator"
    PERCENT_IN_COUNT = "percent_in_count"
    COUNT_NOT_WHOLE = "count_not_whole"
    METHODOLOGY_UNREADABLE = "methodology_unreadable"
    METHODOLOGY_GAP = "methodology_gap"
    METHODOLOGY_OVERLAP = "methodology_overlap"
    METHODOLOGY_MISMATCH = "methodology_mismatch"
    METHODOLOGY_UNIT = "methodology_unit"
    POLARITY_CONFLICT = "polarity_conflict"
    POLARITY_FROM_METHODOLOGY = "polarity_from_methodology"
    TARGET_NOT_GREEN = "target_not_green"
    THRESHOLDS_INCOMPLETE = "thresholds_incomplete"
    BASELINE_INCOMPLETE = "baseline_incomplete"
    NO_REPORTING_PERIOD = "no_reporting_period"
    PERIOD_AFTER_REPORTING = "period_after_reporting"
    MISSING_COMMENTARY = "missing_commentary"
    NO_DATA_ROWS = "no_data_rows"
    INDICATOR_LEFT_OUT = "indicator_left_out"
    TEMPLATE_VERSION = "template_version"
    UNCALCULATED_FORMULA = "uncalculated_formula"
    STRAY_CELL = "stray_cell"
    REPORTED_RAG_DIFFERS = "reported_rag_differs"
    UNKNOWN_TEAM = "unknown_team"
    TO_BEFORE_FROM = "to_before_from"
    OUTSIDE_TEAM_DATES = "outside_team_dates"
    TEAM_STOPPED = "team_stopped"


# What the Validation sheet's Reason column says for each code: words an officer reads at a
# glance; the code itself stays in the JSON results, for machines.
REASON_WORDS: dict[Code, str] = {
    Code.MISSING_SHEET: "Sheet missing",
    Code.DUPLICATE_SHEET: "Sheet twice",
    Code.MISSING_COLUMN: "Column missing",
    Code.REQUIRED: "Value missing",
    Code.NOT_A_NUMBER: "Not a number",
    Code.NOT_A_MONTH: "Not a month",
    Code.NOT_ALLOWED: "Not one of the choices",
    Code.OUT_OF_RANGE: "Out of range",
    Code.TOO_LONG: "Text too long",
    Code.BAD_TEXT: "Text not allowed",
    Code.INVISIBLE_CHARACTER: "Invisible character",
    Code.UNKNOWN_SETTING: "Unknown setting",
    Code.UNKNOWN_REF: "Unknown indicator",
    Code.UNKNOWN_SECTION: "Unknown section",
    Code.DUPLICATE_REF: "Indicator twice",
    Code.DUPLICATE_ROW: "Row twice",
    Code.PERCENT_WITHOUT_SIGN: "% sign missing",
    Code.NUMERATOR_ABOVE_DENOMINATOR: "Numerator above denominator",
    Code.ZERO_DENOMINATOR: "Denominator is 0",
    Code.MISSING_DENOMINATOR: "Denominator missing",
    Code.PERCENT_IN_COUNT: "Percentage typed as a count",
    Code.COUNT_NOT_WHOLE: "Count not a whole number",
    Code.METHODOLOGY_UNREADABLE: "Methodology unreadable",
    Code.METHODOLOGY_GAP: "Gap between bands",
    Code.METHODOLOGY_OVERLAP: "Bands overlap",
    Code.METHODOLOGY_MISMATCH: "Methodology disagrees with thresholds",
    Code.METHODOLOGY_UNIT: "Methodology in another unit",
    Code.POLARITY_CONFLICT: "Polarity disagrees with bands",
    Code.POLARITY_FROM_METHODOLOGY: "Polarity taken from methodology",
    Code.TARGET_NOT_GREEN: "Target not in the Green band",
    Code.THRESHOLDS_INCOMPLETE: "Thresholds incomplete",
    Code.BASELINE_INCOMPLETE: "Baseline incomplete",
    Code.NO_REPORTING_PERIOD: "No reporting period",
    Code.PERIOD_AFTER_REPORTING: "Month after the reporting period",
    Code.MISSING_COMMENTARY: "No commentary",
    Code.NO_DATA_ROWS: "No data",
    Code.INDICATOR_LEFT_OUT: "Indicator left out",
    Code.TEMPLATE_VERSION: "Older template",
    Code.UNCALCULATED_FORMULA: "Formula never calculated",
    Code.STRAY_CELL: "Cell far outside the table",
    Code.REPORTED_RAG_DIFFERS: "Old dashboard's colour differs",
    Code.UNKNOWN_TEAM: "Team not on the Data sheet",
    Code.TO_BEFORE_FROM: "To before From",
    Code.OUTSIDE_TEAM_DATES: "Figures outside the team's dates",
    Code.TEAM_STOPPED: "Team missing from the latest month",
}


def reason_words(code: Code) -> str:
    """The Reason an officer reads for ``code``."""
    return REASON_WORDS.get(code, code.value.replace("_", " ").capitalize())


@dataclass(frozen=True, slots=True)
class Issue:
    severity: Severity
    sheet: str
    cell: str | None
    ref: str | None
    code: Code
    message: str

    def as_dict(self) -> dict[str, object]:
        d = asdict(self)
        d["severity"] = self.severity.value
        d["code"] = self.code.value
        return d

    def where(self) -> str:
        """``Data!D14``, or the sheet alone when no cell applies."""
        return f"{self.sheet}!{self.cell}" if self.cell else self.sheet


class IssueLog:
    """Collects issues in the order found; never raises."""

    def __init__(self) -> None:
        self.items: list[Issue] = []

    def error(
        self, sheet: str, cell: str | None, code: Code, message: str, ref: str | None = None
    ) -> None:
        self.items.append(Issue(Severity.ERROR, sheet, cell, ref, code, message))

    def warning(
        self, sheet: str, cell: str | None, code: Code, message: str, ref: str | None = None
    ) -> None:
        self.items.append(Issue(Severity.WARNING, sheet, cell, ref, code, message))

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.items if i.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.items if i.severity is Severity.WARNING]


def column_letter(index: int) -> str:
    """``0 -> A``, ``25 -> Z``, ``26 -> AA`` (zero-based column index)."""
    letters = ""
    n = index + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters
