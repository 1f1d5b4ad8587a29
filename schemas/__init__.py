"""JSON Schemas of the input sheets and of the JSON results (installed as
``kpi_engine.schemas``)."""
