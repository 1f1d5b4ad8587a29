"""kpi-dashboard inside Excel: the Refresh button.

One function, :func:`refresh`, rewrites the output sheets of an open workbook through xlwings,
with the same numbers, words and formats as the headless ``kpi-dashboard fill``. It serves:

- classic xlwings: ``RunPython "import addin; addin.main()"`` (local Python, BSD licence);
- the remote clients, VBA ``RunRemotePython`` and Office Scripts ``runPython``:
  ``kpi-dashboard serve`` runs :data:`addin.server.app`, whose ``POST /refresh`` takes the
  client's JSON payload and returns the actions;
- xlwings Server's Office.js add-in: the ``refresh_dashboard`` script in :mod:`addin.officejs`.

The remote routes use PolyForm-licensed code (xlwings' remote engine, xlwings-server), installed
only with ``pip install kpi-dashboard[server]`` and imported only by those routes: importing
this package imports neither xlwings nor any of them.
"""

from __future__ import annotations

from pathlib import Path

from addin.excel import main, prepare, refresh

#: An xlwings Server project folder whose custom_scripts register :mod:`addin.officejs`.
XLWINGS_SERVER_PROJECT = Path(__file__).with_name("xlwings_server_project")

__all__ = ["XLWINGS_SERVER_PROJECT", "main", "prepare", "refresh"]
