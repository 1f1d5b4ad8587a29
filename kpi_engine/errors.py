"""The engine's few exception types, each one line a front end can print as it is.

A front end turns these into ``Error: ...`` and exit status 2 (the command line), a 400 (the
refresh server) or a message box (Excel). Anything else that escapes is a bug, never a user's
mistake.
"""

from __future__ import annotations


class KpiDashboardError(Exception):
    """Something the user can put right; the message says what and how."""


class WorkbookError(KpiDashboardError):
    """A file cannot be read as an .xlsx workbook, or is refused as unsafe; the message names it."""


class TemplateError(KpiDashboardError):
    """A workbook cannot be moved into the current template (no input sheets to move, say)."""


class OutputError(KpiDashboardError):
    """An output was asked for where it cannot go (the results JSON over the workbook, say)."""


class PackError(KpiDashboardError):
    """The board pack could not be made: LibreOffice is missing, failed or took too long."""


class MethodologyError(ValueError):
    """An officer's written RAG methodology cannot be read; the message quotes it and shows a form
    that works."""
