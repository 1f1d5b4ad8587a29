"""xlwings Server's Office.js add-in: the Refresh script.

xlwings Server (``pip install kpi-dashboard[server]``; PolyForm Noncommercial 1.0.0 or paid)
serves an Office.js add-in whose task pane button or ribbon button posts the workbook to
``POST /xlwings/custom-scripts-call/refresh_dashboard``. Its project's ``custom_scripts``
package imports this module (see ``addin/xlwings_server_project``), which registers
:func:`refresh_dashboard` with ``@script``.

``script`` is imported from ``xlwings.server``: xlwings' top-level ``xw.script`` does nothing
unless ``XLWINGS_ON_SERVER`` was set before xlwings was first imported, and the script would
silently never register. ``include`` keeps the payload to the sheets the refresh reads.
"""

from __future__ import annotations

import asyncio

import xlwings as xw
from xlwings.server import script

from addin.excel import INCLUDE_SHEETS, refresh


@script(include=list(INCLUDE_SHEETS), name="Refresh dashboard")
async def refresh_dashboard(book: xw.Book) -> None:
    """Rewrite the dashboard's output sheets from its input sheets."""
    # The engine is plain CPU work: run it off the server's event loop.
    await asyncio.to_thread(refresh, book)
