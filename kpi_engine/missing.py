"""Words that mean "no number here, for this reason".

Published statistics mark missing numbers with the government statistical symbols; officers type
``n/a`` or ``Data - In progress``. In a numeric cell these are missing values with a reason,
never errors, and the reason travels to the dashboard.
"""

from __future__ import annotations

# Canonical marker -> the reason shown to readers.
REASONS: dict[str, str] = {
    "c": "Suppressed (c)",
    "x": "Not available (x)",
    "z": "Not applicable (z)",
    "k": "Rounds to zero (k)",
    "u": "Low reliability (u)",
    "low": "Low (low)",
    "n/a": "Not available",
    "-": "Not available",
    "in progress": "Data in progress",
}

_ALIASES: dict[str, str] = {
    "c": "c",
    "x": "x",
    "z": "z",
    "k": "k",
    "u": "u",
    "low": "low",
    "[c]": "c",
    "[x]": "x",
    "[z]": "z",
    "[k]": "k",
    "[u]": "u",
    "[low]": "low",
    "n/a": "n/a",
    "na": "n/a",
    "n.a.": "n/a",
    "#n/a": "n/a",
    "not available": "n/a",
    "-": "-",
    "–": "-",
    "—": "-",
    "..": "-",
    ":": "-",
    "in progress": "in progress",
    "data in progress": "in progress",
}

NO_DATA = "No data"
INVALID = "Invalid"

MARKERS: tuple[str, ...] = tuple(REASONS)


def marker_of(text: str) -> str | None:
    """The canonical marker a cell's text stands for, or ``None`` if it is not one."""
    key = text.strip().lower()
    found = _ALIASES.get(key)
    if found is not None:
        return found
    if key.startswith(("data - in progress", "data in progress")):
        return "in progress"
    return None


def symbol_for(reason: str) -> str | None:
    """The statistical symbol a reader sees for a missing figure's reason (``Suppressed (c)
    (South)`` is ``c``), or ``None`` when the reason is not a marker's."""
    for marker, text in REASONS.items():  # "Not available (x)" is tried before "Not available"
        if reason.startswith(text):
            return marker
    return None


def reason_for(marker: str) -> str:
    return REASONS.get(marker, marker)
