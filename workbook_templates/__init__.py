"""The dashboard workbook template, built by code from the JSON Schemas.

The template is one self-contained ``.xlsx`` (no macros) that officers fill and refresh. It owns
the look of the output sheets (fonts, widths, print setup and conditional formats keyed on the
words the engine writes), so the engine only ever writes values and number formats.

- :mod:`workbook_templates.build`: ``build_template()``, ``save_template(path)`` and
  ``write_inputs(book, sheets)``; the committed copy is ``kpi_dashboard_template.xlsx``, made by
  ``python -m workbook_templates.build``.
- :mod:`workbook_templates.look`: ``style_output_sheets(book)``, the look of Summary, Dashboard
  and Validation.
- :mod:`workbook_templates.upgrade`: ``upgrade(src, dst)``, which moves an older or foreign
  workbook's inputs into a fresh template.

Raise ``kpi_engine.TEMPLATE_VERSION`` whenever the template's layout changes in a way an existing
workbook would need ``kpi-dashboard upgrade`` for.
"""
