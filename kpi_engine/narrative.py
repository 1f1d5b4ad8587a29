"""What the board reads beside the figures: the Narrative sheet (the director's summary and each
section's commentary) and the Actions sheet (the action log).

Reading checks what needs more than one cell: a Section that is no section on the Indicators
sheet, an Indicator ref that is no Ref there, a row or an action ref given twice. Each is a
warning at its cell; the text is printed all the same. :func:`board_narrative` picks the
reporting period's rows and marks the overdue actions.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable

from .issues import Code, IssueLog
from .model import Action, Narrative
from .periods import Month, from_iso, label
from .results import ActionResult, SectionCommentary
from .sheets import REJECTED, Table, normalise

DIRECTORS_SUMMARY = "Director's summary"
OPEN, IN_PROGRESS, DONE, DROPPED = "Open", "In progress", "Done", "Dropped"
CLOSED = (DONE, DROPPED)  # an action in either is never overdue


def _section_key(text: str) -> str:
    """A section name as compared: case, spaces and apostrophes ignored ("Directors Summary" is
    the director's summary)."""
    return normalise(text.replace("'", "").replace("\u2019", ""))


def _text(value: object) -> str | None:
    return None if value in (None, REJECTED) else str(value)


def read_narrative(table: Table, sections: list[str] | None, log: IssueLog) -> list[Narrative]:
    """The Narrative rows, each Section spelt as the Indicators sheet spells it. ``sections`` is
    None when the Indicators sheet could not be read, and then no Section is blamed for it."""
    known = {_section_key(s): s for s in sections or ()}
    director = _section_key(DIRECTORS_SUMMARY)
    first_row: dict[tuple[str, Month], int] = {}
    out: list[Narrative] = []
    for record in table.records:
        section, period = record.get("Section"), record.get("Period")
        if REJECTED in (section, period) or None in (section, period):
            continue
        key = _section_key(section)
        if key == director:
            section = DIRECTORS_SUMMARY
        elif key in known:
            section = known[key]
        elif sections is not None:
            choices = ", ".join(sections) if sections else "none yet"
            log.warning(
                table.sheet,
                record.cell("Section"),
                Code.UNKNOWN_SECTION,
                (
                    f"Section '{section}' is not a section on the Indicators sheet "
                    f"(its sections: {choices}), so its text is printed after theirs. Type one "
                    f"of them, or {DIRECTORS_SUMMARY} for the director's summary."
                ),
            )
        month = from_iso(period)
        seen = first_row.get((key, month))
        if seen is not None:
            log.warning(
                table.sheet,
                record.cell("Section"),
                Code.DUPLICATE_ROW,
                (
                    f"{section} already has a row for {label(month)}, row {seen + 1}, and only "
                    "that one is printed. Put this row's text there, or correct its Section or "
                    "Period."
                ),
            )
            continue
        first_row[(key, month)] = record.row
        commentary, activity, next_steps = (
            _text(record.get(n)) for n in ("Commentary", "Improvement activity", "Next steps")
        )
        out.append(Narrative(section, month, commentary, activity, next_steps, record))
    return out


def read_actions(table: Table, known_refs: set[str] | None, log: IssueLog) -> list[Action]:
    """The action log's rows. ``known_refs`` is None when the Indicators sheet could not be read,
    and then no Indicator ref is blamed for it."""
    first_row: dict[str, int] = {}
    out: list[Action] = []
    for record in table.records:
        ref, text = record.get("Action ref"), record.get("Action")
        if REJECTED in (ref, text) or None in (ref, text):
            continue
        indicator = _text(record.get("Indicator ref"))
        if indicator is not None and known_refs is not None and indicator not in known_refs:
            log.warning(
                table.sheet,
                record.cell("Indicator ref"),
                Code.UNKNOWN_REF,
                (
                    f"Action {ref}: Indicator ref '{indicator}' is not a Ref on the Indicators "
                    "sheet. Type the indicator's Ref as it is there (e.g. FD 3), or leave it "
                    "blank for an action about no one indicator."
                ),
                indicator,
            )
        if ref in first_row:
            log.warning(
                table.sheet,
                record.cell("Action ref"),
                Code.DUPLICATE_ROW,
                (
                    f"Action ref '{ref}' is already used on row {first_row[ref] + 1}. Give each "
                    "action its own ref (e.g. Oct-01, Oct-02), so the board can follow it."
                ),
            )
        else:
            first_row[ref] = record.row
        due = record.get("Due")
        status = record.get("Status")
        out.append(
            Action(
                ref,
                indicator,
                text,
                _text(record.get("Owner")),
                _dt.date.fromisoformat(due) if due not in (None, REJECTED) else None,
                status if status not in (None, REJECTED) else OPEN,
                record,
            )
        )
    return out


def month_end(m: Month) -> _dt.date:
    """The last day of month ``m``."""
    first_of_next = _dt.date((m + 1) // 12, (m + 1) % 12 + 1, 1)
    return first_of_next - _dt.timedelta(days=1)


def is_overdue(action: Action, reporting: Month | None) -> bool:
    """Not Done or Dropped, and due on or before the last day of the reporting period."""
    return (
        reporting is not None
        and action.status not in CLOSED
        and action.due is not None
        and action.due <= month_end(reporting)
    )


def _commentary(row: Narrative) -> SectionCommentary | None:
    if not (row.commentary or row.activity or row.next_steps):
        return None
    return SectionCommentary(row.section, row.commentary, row.activity, row.next_steps)


def board_narrative(
    narrative: Iterable[Narrative],
    actions: Iterable[Action],
    sections: list[str],
    titles: dict[str, str],
    reporting: Month | None,
) -> tuple[SectionCommentary | None, list[SectionCommentary], list[ActionResult]]:
    """The director's summary, the sections' commentary (in the Indicators sheet's order of
    sections, then any other section in the Narrative sheet's order) and the action log, for the
    reporting period. Rows with no text are left out."""
    director: SectionCommentary | None = None
    by_section: dict[str, SectionCommentary] = {}
    for row in narrative:
        if row.period != reporting:
            continue
        entry = _commentary(row)
        if entry is None:
            continue
        if row.section == DIRECTORS_SUMMARY:
            director = entry
        else:
            by_section[row.section] = entry
    order = {s: i for i, s in enumerate(sections)}
    commentary = sorted(by_section.values(), key=lambda c: order.get(c.section, len(order)))
    log = [
        ActionResult(
            a.ref,
            a.indicator_ref,
            titles.get(a.indicator_ref) if a.indicator_ref is not None else None,
            a.text,
            a.owner,
            a.due.isoformat() if a.due is not None else None,
            a.status,
            is_overdue(a, reporting),
        )
        for a in actions
    ]
    return director, commentary, log
