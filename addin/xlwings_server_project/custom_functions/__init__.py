# xlwings Server requires this package; kpi-dashboard defines no custom functions.
