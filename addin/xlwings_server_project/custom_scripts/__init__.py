# xlwings Server loads the scripts of its project from this package.
# kpi-dashboard's Refresh button: POST /xlwings/custom-scripts-call/refresh_dashboard
from addin.officejs import refresh_dashboard  # noqa: F401
