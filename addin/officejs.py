"""xlwings Server's Office.js add-in: the Refresh script.

xlwings Server (``pip install kpi-dashboard[server]``; PolyForm Noncommercial 1.0.0 or paid)
serves an Office.js add-in whose task pane button or ribbon button posts the workbook to
``POST /xlwings/custom-scripts-call/refresh_dashboard``. Its project's ``custom_scripts``
package imports this module (see ``addin/xlwings_server_project``), which registers
:func:`refresh_dashboard` with ``@script``.

``script`` is imported from ``xlwings.server``: xlwings' top-level ``xw.script`` does nothing
unless ``XLWINGS_ON_SERVER`` was set before xlwings was first imported, and the script would
silently never register. ``include`` keeps the payload to the sheets the refresh reads.

The refresh runs as ``POST /refresh``'s do (:class:`addin.server.Refreshes`): in a process of
its own, killed at ``KPI_DASHBOARD_TIMEOUT`` (504), at most ``KPI_DASHBOARD_MAX_CONCURRENT`` at
once, the next waiting up to ``KPI_DASHBOARD_QUEUE_WAIT`` seconds (then 503, busy). Its actions
are added to ``book``, whose ``json()`` xlwings Server returns to the add-in.
"""

from __future__ import annotations

import xlwings as xw
from fastapi import HTTPException
from xlwings.server import script

from addin import server
from addin.excel import INCLUDE_SHEETS


@script(include=list(INCLUDE_SHEETS), name="Refresh dashboard")
async def refresh_dashboard(book: xw.Book) -> None:
    """Rewrite the dashboard's output sheets from its input sheets."""
    try:
        # Looked up at each call, so a test can stand a slow refresh in for it.
        result = await server.shared_refreshes().run(server.refresh_payload, book.api)
    except server.Refused as refused:
        raise HTTPException(refused.status, detail=refused.message) from None
    book.json()["actions"].extend(result.get("actions", []))
