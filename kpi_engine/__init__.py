"""kpi-dashboard's engine: reads a dashboard workbook's input sheets, checks them and computes
every indicator's outturn, RAG, trend, forecast and benchmarks. Pure Python: no Excel, no
xlwings, no openpyxl here; the front ends read and write workbooks."""

__version__ = "0.1.0"
# The layout of the template this engine fills; raise it when an existing workbook would need
# `kpi-dashboard upgrade` (workbook_templates builds templates of this version).
TEMPLATE_VERSION = 2
