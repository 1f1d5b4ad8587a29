"""What openpyxl would drop is named before the fill drops it."""

from __future__ import annotations

import zipfile

import openpyxl

from kpi_engine.xlsx.losses import unsupported_features


def _workbook_with(tmp_path, extra: dict[str, bytes], sheet_suffix: bytes = b""):
    plain = tmp_path / "plain.xlsx"
    book = openpyxl.Workbook()
    book.active.title = "Dashboard"
    book.save(plain)
    out = tmp_path / "with.xlsx"
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"</worksheet>", sheet_suffix + b"</worksheet>")
            dst.writestr(item, data)
        for name, data in extra.items():
            dst.writestr(name, data)
    return out


def test_a_plain_workbook_loses_nothing(tmp_path):
    assert unsupported_features(_workbook_with(tmp_path, {})) == []


def test_shapes_sparklines_and_macros_are_named(tmp_path):
    path = _workbook_with(
        tmp_path,
        {
            "xl/drawings/drawing1.xml": (
                b'<xdr:wsDr xmlns:xdr="x"><xdr:twoCellAnchor><xdr:sp macro=""/>'
                b"</xdr:twoCellAnchor></xdr:wsDr>"
            ),
            "xl/vbaProject.bin": b"\x00",
        },
        b"<extLst><ext><x14:sparklineGroups/></ext></extLst>",
    )
    notes = unsupported_features(path)
    assert len(notes) == 3
    assert any("sparklines in sheets Dashboard" in n for n in notes)
    assert any(n.startswith("shapes or text boxes in the workbook") for n in notes)
    assert any("macros" in n for n in notes)


def test_a_file_that_is_not_a_zip_has_nothing_to_lose(tmp_path):
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"nope")
    assert unsupported_features(bad) == []
