"""kpi-dashboard's engine: reads a dashboard workbook's input sheets, checks them and computes
every indicator's outturn, RAG, trend, forecast and benchmarks. Pure Python: no Excel, no
xlwings, no openpyxl here; the front ends read and write workbooks."""

__version__ = "0.1.0"
