"""The file edge: where a workbook file is opened (reader, behind the guard), read (values) and
written (splice, sheet_xml, chart_xml, package, files). Nothing in the pure core imports it."""
