"""The fill touches only what it owns, on real-world workbooks.

The fill splices the output sheets into the officer's own package and copies every other part
raw (``kpi_engine.xlsx.splice``). Each fixture here is a workbook as officers' tools make them,
built in a temporary folder (``tests/realworld.py``): XlsxWriter's images, charts, sparklines,
notes, checkboxes, pictures in cells, header logos, sheet backgrounds, tables, autofilters, hidden
and very hidden sheets and a chart sheet; a macro-enabled .xlsm;
LibreOffice's own package (of an officer's workbook and of a filled dashboard); an EMF logo,
customXml and a calculation chain, and a pivot table with a slicer, added at the zip level. Each
is filled three times, and at the zip level:

- every part the fill does not own is in every output with the same bytes and the same
  compressed bytes (copied raw, never inflated and deflated again);
- the package holds together: relationships land on parts, every part has a content type, the
  workbook's and sheets' elements are in the schema's order, it opens in openpyxl and calamine;
  a few print to PDF through LibreOffice;
- a refill changes nothing else: no extra chart parts, the same output values.

And the regressions the splice fixed (each failed on the openpyxl fill): formula figures kept
across fills, an uncalculated formula reported at its cell, an officer's own "Summary" sheet
never written over, a stray cell at XFD1048576 read in bounded time and memory.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest
import realworld as rw
from builders import save_grids
from click.testing import CliRunner

from kpi_engine.charts import CHART_DATA_NAME, chart_data_rows
from kpi_engine.commands.cli import main
from kpi_engine.commands.fill import fill_workbook

WHEN = dt.datetime(2024, 7, 1, 9, 30)
DEMO = Path(__file__).resolve().parent.parent / "workbook_templates" / "demo_dashboard.xlsx"
FILLS = 3
INSTALL_HINT = "Install LibreOffice (Debian or Ubuntu: sudo apt-get install libreoffice-calc)."


def need_libreoffice() -> None:
    if shutil.which("soffice") is None and shutil.which("libreoffice") is None:
        pytest.skip(f"LibreOffice is not installed. {INSTALL_HINT}")


class Books:
    """The fixture workbooks, each made once per session on first use, and their fills."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.profile = root / "lo-profile"
        self.made: dict[str, Path] = {}
        self.filled: dict[str, list[Path]] = {}

    def path(self, name: str) -> Path:
        if name not in self.made:
            folder = self.root / name
            folder.mkdir()
            self.made[name] = getattr(self, "make_" + name)(folder)
        return self.made[name]

    def fills(self, name: str) -> list[Path]:
        """The workbook filled, then its output filled again, ``FILLS`` times in all."""
        if name not in self.filled:
            src = self.path(name)
            outs, previous = [], src
            for n in range(1, FILLS + 1):
                out = src.with_name(f"{src.stem}.fill{n}{src.suffix}")
                assert fill_workbook(previous, out, refreshed=WHEN).written
                outs.append(out)
                previous = out
            self.filled[name] = outs
        return self.filled[name]

    # --- the makers: each returns the workbook it made in ``folder`` ------------------------

    def make_xlsxwriter(self, folder: Path) -> Path:
        return rw.xlsxwriter_book(folder / "officer.xlsx", folder)

    def make_xlsm(self, folder: Path) -> Path:
        return rw.make_xlsm(self.path("xlsxwriter"), folder / "macros.xlsm")

    def make_libreoffice(self, folder: Path) -> Path:
        """The officer's XlsxWriter workbook, opened and saved by LibreOffice."""
        need_libreoffice()
        return rw.convert(self.path("xlsxwriter"), "xlsx", folder / "lo", self.profile)

    def make_libreoffice_template(self, folder: Path) -> Path:
        """A filled dashboard (output sheets, charts, Template info), saved by LibreOffice."""
        need_libreoffice()
        filled = fill_workbook(DEMO, folder / "dashboard.xlsx", refreshed=WHEN)
        assert filled.written
        return rw.convert(folder / "dashboard.xlsx", "xlsx", folder / "lo", self.profile)

    def make_emf_customxml(self, folder: Path) -> Path:
        return rw.emf_and_custom_xml(DEMO, folder / "emf.xlsx")

    def make_streamed(self, folder: Path) -> Path:
        inputs = rw.xlsxwriter_inputs(folder / "inputs.xlsx")
        return rw.streamed(inputs, folder / "streamed.xlsx")

    def make_pivot_slicer(self, folder: Path) -> Path:
        inputs = rw.xlsxwriter_inputs(folder / "inputs.xlsx")
        return rw.pivot_and_slicer(inputs, folder / "pivot.xlsx")


@pytest.fixture(scope="session")
def books(tmp_path_factory) -> Books:
    return Books(tmp_path_factory.mktemp("splice"))


FIXTURES = ["xlsxwriter", "xlsm", "libreoffice", "libreoffice_template", "emf_customxml"]
FIXTURES += ["pivot_slicer", "streamed"]
PRINTED = ["xlsxwriter", "libreoffice", "emf_customxml", "pivot_slicer"]


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def parts(path: Path) -> set[str]:
    with zipfile.ZipFile(path) as z:
        return set(z.namelist())


# --- the fixtures are what they say they are ------------------------------------------------


def test_the_fixtures_hold_the_officers_features(books):
    """Each fixture has the parts its tool writes for the features it claims, so the raw-copy
    checks below check something."""
    expect = {
        "xlsxwriter": {
            "xl/charts/chart1.xml",  # the officer's own chart
            "xl/comments1.xml",  # a note on the Data sheet
            "xl/metadata.xml",  # a picture in a cell (embed_image) ...
            "xl/richData/rdrichvalue.xml",  # ... its rich value
            "xl/featurePropertyBag/featurePropertyBag.xml",  # a checkbox
            "xl/drawings/vmlDrawing2.vml",  # a header logo
        },
        "xlsm": {"xl/vbaProject.bin"},
        "emf_customxml": {
            "xl/media/officer_logo.emf",
            "customXml/item1.xml",
            "customXml/itemProps1.xml",
            "xl/calcChain.xml",
        },
        "streamed": {"xl/", "xl/worksheets/"},  # folders as entries
        "pivot_slicer": {
            "xl/pivotTables/pivotTable1.xml",
            "xl/pivotCache/pivotCacheDefinition1.xml",
            "xl/pivotCache/pivotCacheRecords1.xml",
            "xl/slicers/slicer1.xml",
            "xl/slicerCaches/slicerCache1.xml",
        },
    }
    for name, wanted in expect.items():
        assert wanted <= parts(books.path(name)), name
    with zipfile.ZipFile(books.path("streamed")) as z:
        assert all(i.flag_bits & 0x8 for i in z.infolist())  # sizes in data descriptors
    with zipfile.ZipFile(books.path("xlsxwriter")) as z:
        sheets = {n: z.read(p) for n, p in rw.sheet_parts(z).items()}
        media = [n for n in z.namelist() if n.startswith("xl/media/")]
    assert b"x14:sparkline" in sheets["My charts"] and b"<legacyDrawingHF" in sheets["My charts"]
    assert b"<picture " in sheets["Backdrop"] and b"<dataValidation " in sheets["Data"]
    assert len(media) >= 4  # the logo, the banner (header and background), the cell picture
    with zipfile.ZipFile(books.path("xlsxwriter")) as z:
        assert b"<r><rPr><b/>" in z.read("xl/sharedStrings.xml")  # rich text
    assert set(rw.defined_names(books.path("xlsxwriter"))) == {
        ("_xlnm._FilterDatabase", "Data", "Data!$A$1:$F$19"),
        ("_xlnm.Print_Area", "Indicators", "Indicators!$A$1:$U$4"),
        ("Caseloads", None, "'My charts'!$B$2:$B$7"),
        ("LocalFigures", "Data", "Data!$E$2:$E$19"),
    }
    states = {s[0]: (s[2], s[3]) for s in rw.workbook_sheets(books.path("xlsxwriter"))}
    assert states["Contacts"][0] == "hidden" and states["Lookups"][0] == "veryHidden"
    assert states["Caseload chart"][1].startswith("xl/chartsheets/")
    assert b"<tableParts" in sheets["Contacts"] and b"<autoFilter" in sheets["Data"]


@pytest.mark.parametrize("name", ["libreoffice", "libreoffice_template"])
def test_the_libreoffice_fixtures_are_libreoffices_own_package(books, name):
    with zipfile.ZipFile(books.path(name)) as z:
        assert b"LibreOffice" in z.read("docProps/app.xml")
        sheets = rw.sheet_parts(z)
        assert {"Settings", "Indicators", "Data"} <= set(sheets)
        if name == "libreoffice_template":
            assert {"Summary", "Charts", "Template info"} <= set(sheets)
            charts = rw.relationships(z, sheets["Charts"])
            assert any(r["Type"].endswith("/drawing") for r in charts)  # LibreOffice's charts


@pytest.mark.parametrize("name", FIXTURES)
def test_each_fixture_holds_together_before_the_fill(books, name):
    """So that a fault found in an output is the fill's, not the fixture's."""
    rw.assert_sound(books.path(name), reopen=False)  # reading the inputs is the fill's test
    rw.assert_parts_in_schema_order(books.path(name))


# --- every part the fill does not own, copied raw ---------------------------------------------


@pytest.mark.parametrize("name", FIXTURES)
def test_every_part_the_fill_does_not_own_is_copied_raw(books, name):
    src = books.path(name)
    outs = books.fills(name)
    compared = rw.assert_copied_raw(src, outs[0])
    assert compared >= 10
    for before, after in itertools.pairwise(outs):
        rw.assert_copied_raw(before, after)
        rw.assert_copied_raw(src, after)


@pytest.mark.parametrize("name", ["xlsm", "emf_customxml", "pivot_slicer", "streamed"])
def test_the_raw_check_sees_a_part_inflated_and_deflated_again(books, name, tmp_path):
    """The zip-level fixtures' parts are compressed as Python's default deflate would not
    compress them (binaries stored, the rest at level 1), so a fill that inflated and deflated
    them again would fail the check above (on XlsxWriter's, openpyxl's and LibreOffice's own
    packages it could not tell)."""
    src = books.path(name)
    with zipfile.ZipFile(src) as z:
        stored = [i.filename for i in z.infolist() if i.compress_type == zipfile.ZIP_STORED]
    binary = {"xlsm": "xl/vbaProject.bin", "emf_customxml": "xl/media/officer_logo.emf"}
    assert name not in binary or binary[name] in stored
    with pytest.raises(AssertionError, match="recompressed|raw bytes differ"):
        rw.assert_copied_raw(src, rw.deflated_again(books.fills(name)[0], tmp_path / "again.xlsx"))


@pytest.mark.parametrize("name", FIXTURES)
def test_the_filled_package_holds_together(books, name):
    outs = books.fills(name)
    left = rw.unreachable_parts(books.path(name))
    for n, out in enumerate(outs):
        rw.assert_sound(out, reopen=n in (0, len(outs) - 1))  # the second is the third's twin
        rw.assert_parts_in_schema_order(out)
        assert rw.unreachable_parts(out) <= left  # nothing replaced is left behind
    first = books.fills(name)[0]
    assert {"Summary", "Dashboard", "Validation", "Teams", "Charts", "Template info"} <= set(
        rw.open_in_openpyxl(first)
    )


def test_an_officers_logo_on_an_output_sheet_stays(books):
    """The writer owns the Dashboard's cells, not the council's logo an officer put on it: the
    sheet still points at its drawing, and the drawing and picture are the officer's bytes."""
    src = books.path("emf_customxml")
    with zipfile.ZipFile(src) as z:
        dashboard = rw.sheet_parts(z)["Dashboard"]
        (logo,) = [r for r in rw.relationships(z, dashboard) if r["Id"] == "rIdOfficerLogo"]
        drawing = rw.target_part(dashboard, logo["Target"])
        before = {n: z.read(n) for n in (drawing, rw.rels_of(drawing), "xl/media/officer_logo.emf")}
    for out in books.fills("emf_customxml"):
        with zipfile.ZipFile(out) as z:
            assert b'<drawing r:id="rIdOfficerLogo"/>' in z.read(dashboard)
            (kept,) = [r for r in rw.relationships(z, dashboard) if r["Id"] == "rIdOfficerLogo"]
            assert rw.target_part(dashboard, kept["Target"]) == drawing
            assert {n: z.read(n) for n in before} == before


@pytest.mark.parametrize("name", FIXTURES)
def test_the_workbook_keeps_its_sheets_names_and_order(books, name):
    """Sheets, their ids, states and parts, and defined names (local ones still on their sheet):
    the input's are all in every output, in the same order; sheets are added after them."""
    src = books.path(name)
    before = rw.workbook_sheets(src)
    for out in books.fills(name):
        after = rw.workbook_sheets(out)
        assert after[: len(before)] == before
        # every name kept, in order; the fill adds (or moves) only the name of its chart data
        ours = [n for n in rw.defined_names(out) if n[0] == CHART_DATA_NAME]
        kept = [n for n in rw.defined_names(out) if n[0] != CHART_DATA_NAME]
        assert kept == [n for n in rw.defined_names(src) if n[0] != CHART_DATA_NAME]
        assert len(ours) <= 1 and all(n[1] is None for n in ours)  # one, for the workbook
        added = [s[0] for s in after[len(before) :]]
        assert all(s[2] == "hidden" for s in after[len(before) :] if s[0] == "Template info")
        assert set(added) <= {"Summary", "Dashboard", "Validation", "Teams", "Charts"} | {
            "Template info"
        }


@pytest.mark.parametrize("name", FIXTURES)
def test_refills_change_nothing_else(books, name):
    """A refill: no chart, drawing or other part added, the output sheets' values as after the
    first fill, and (the same refresh time) the very same file."""
    outs = books.fills(name)
    counts = [(len(rw.chart_parts(out)), len(parts(out))) for out in outs]
    assert len(set(counts)) == 1, counts
    outputs = ("Summary", "Dashboard", "Validation", "Teams", "Charts")
    first = rw.read_values(outs[0], outputs)
    assert set(first) == set(outputs)
    for out in outs[1:]:
        assert rw.read_values(out, outputs) == first
    assert outs[1].read_bytes() == outs[2].read_bytes()
    styles = {rw.part_or_none(out, "xl/styles.xml") for out in outs}
    assert len(styles) == 1  # a quotePrefix style added once, not once per fill


@pytest.mark.parametrize("name", PRINTED)
def test_the_filled_workbook_prints_through_libreoffice(books, name, tmp_path):
    need_libreoffice()
    out = books.fills(name)[-1]
    folder = tmp_path / "pdf"
    folder.mkdir()
    done = rw.soffice(["--convert-to", "pdf", "--outdir", str(folder), str(out)], books.profile)
    assert done.returncode == 0, done.stderr
    pdf = folder / (out.stem + ".pdf")
    assert pdf.exists() and pdf.stat().st_size > 1000
    assert pdf.read_bytes()[:5] == b"%PDF-"
    if shutil.which("pdftotext"):  # the output sheets are in it, with the engine's figures
        text = subprocess.run(
            ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        report = fill_workbook(out, None, refreshed=WHEN).report
        assert report.stamp.organisation and report.stamp.organisation in text
        assert all(r.title.split()[0] in text for r in report.indicators[:3])


# --- .xlsm ------------------------------------------------------------------------------------


def macro_parts(path: Path) -> tuple[bytes, str | None, bool]:
    """(vbaProject.bin's bytes, the workbook's content type, whether the workbook still has
    its relationship to the VBA project)."""
    with zipfile.ZipFile(path) as z:
        rels = rw.relationships(z, "xl/workbook.xml")
        linked = any(
            r["Type"] == rw.VBA_REL
            and rw.target_part("xl/workbook.xml", r["Target"]) == "xl/vbaProject.bin"
            for r in rels
        )
        return z.read("xl/vbaProject.bin"), rw.content_type(z, "xl/workbook.xml"), linked


@pytest.mark.parametrize("in_place", [True, False], ids=["in-place", "new-file"])
def test_an_xlsm_keeps_its_macros(books, tmp_path, in_place):
    folder = tmp_path / "macros"
    folder.mkdir()
    book = shutil.copy(books.path("xlsm"), folder / "book.xlsm")
    out = book if in_place else folder / "filled.xlsm"
    before = Path(shutil.copy(book, tmp_path / "before.xlsm"))
    source = book
    for _ in range(2):  # filled, then its output filled again
        result = invoke("fill", source, "-o", out)
        assert result.exit_code == 0, result.output
        assert sorted(p.name for p in folder.iterdir()) == sorted({"book.xlsm", out.name})
        vba, kind, linked = macro_parts(out)
        assert vba == rw.VBA_BYTES and kind == rw.MACRO_BOOK_CT and linked
        rw.assert_copied_raw(before, out)
        rw.assert_sound(out)
        source = out
    with zipfile.ZipFile(before) as a, zipfile.ZipFile(out) as b:
        old, new = a.getinfo("xl/vbaProject.bin"), b.getinfo("xl/vbaProject.bin")
        assert rw.raw_entry(before, old) == rw.raw_entry(out, new)


# --- regressions: each failed on the openpyxl-based fill --------------------------------------


def test_formula_figures_are_kept_across_three_fills(tmp_path):
    """Data's Value cells as formulas with cached values, as Excel saves them: every fill gives
    the results of the same workbook typed as plain numbers (openpyxl dropped the cached values
    when it saved, so the second fill saw blanks)."""
    plain = rw.xlsxwriter_inputs(tmp_path / "plain.xlsx")
    fill_workbook(plain, None, refreshed=WHEN, json_out=tmp_path / "plain.json")
    expected = json.loads((tmp_path / "plain.json").read_text(encoding="utf-8"))
    assert [i["outturn"] for i in expected["indicators"]] == [0.85, 0.5, 21]
    previous = rw.xlsxwriter_inputs(tmp_path / "formulas.xlsx", formulas=True)
    with zipfile.ZipFile(previous) as z:
        assert b"<f>21*1</f><v>21</v>" in z.read(rw.sheet_parts(z)["Data"])
    for n in range(1, FILLS + 1):
        out, results = tmp_path / f"fill{n}.xlsx", tmp_path / f"fill{n}.json"
        result = invoke("fill", previous, "-o", out, "--json", results)
        assert result.exit_code == 0, result.output
        got = json.loads(results.read_text(encoding="utf-8"))
        got["stamp"]["refreshed"] = expected["stamp"]["refreshed"]
        got["stamp"]["template_version"] = expected["stamp"]["template_version"]
        assert got == expected, f"fill {n}"
        with zipfile.ZipFile(out) as z:
            assert b"<f>21*1</f><v>21</v>" in z.read(rw.sheet_parts(z)["Data"])
        previous = out


def uncalculated(tmp_path: Path, how: str) -> tuple[Path, str]:
    """The input workbook with one formula whose value was never calculated, and its cell."""
    src = save_grids(tmp_path / "uncalculated.xlsx", rw.input_grids(formula_like_text=False))
    if how == "openpyxl":  # openpyxl stores the formula with an empty <v></v>
        book = openpyxl.load_workbook(src)
        book["Data"]["E5"] = "=1+1"
        book.save(src)
        return src, "Data!E5"
    # No <v> at all: a formula typed while calculation was off, saved by a tool that does not
    # calculate.
    with zipfile.ZipFile(src) as z:
        sheets = rw.sheet_parts(z)
        part = sheets["Settings" if how == "setting" else "Data"]
        xml = z.read(part)
    cell, formula, where = {
        "number": (b'<c r="E5" t="n"><v>19</v></c>', b'<c r="E5"><f>1+1</f></c>', "Data!E5"),
        "text": (
            b'<c r="E5" t="n"><v>19</v></c>',
            b'<c r="E5" t="n"><v>19</v></c><c r="F5" t="str"><f>"North"</f></c>',
            "Data!F5",
        ),
        "setting": (
            b'<c r="B4" t="inlineStr"><is><t>April</t></is></c>',
            b'<c r="B4" t="str"><f>"April"</f></c>',
            "Settings!B4",
        ),
    }[how]
    assert xml.count(cell) == 1, (how, xml)
    return rw.rewrite_zip(
        src, tmp_path / f"{how}.xlsx", replace={part: xml.replace(cell, formula)}
    ), where


@pytest.mark.parametrize(
    "how",
    [
        "openpyxl",
        "number",
        "text",
        "setting",
    ],
)
def test_a_formula_with_no_cached_value_is_reported_at_its_cell(tmp_path, how):
    """A formula whose value was never calculated is an error at its cell, never a blank nor its
    formula's text taken for the figure: written by openpyxl (``<v></v>``), or with no ``<v>``
    at all in a number column, a text column, or a setting."""
    src, where = uncalculated(tmp_path, how)
    results = tmp_path / "r.json"
    result = invoke("fill", src, "-o", tmp_path / "out.xlsx", "--json", results)
    assert result.exit_code == 1, result.output
    issues = json.loads(results.read_text(encoding="utf-8"))["issues"]
    found = [f"{i['sheet']}!{i['cell']}" for i in issues if i["code"] == "uncalculated_formula"]
    assert found == [where]
    assert all(i["severity"] == "error" for i in issues if i["code"] == "uncalculated_formula")


@pytest.mark.parametrize("sheet", ["Summary", "charts"])
def test_an_officers_own_output_named_sheet_is_never_written_over(tmp_path, sheet):
    grids = {**rw.input_grids(formula_like_text=False), sheet: [["My own notes"], ["Keep these"]]}
    src = save_grids(tmp_path / "own.xlsx", grids)
    before = src.read_bytes()
    out = tmp_path / "out.xlsx"
    result = invoke("fill", src, "-o", out)
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error:"), result.output
    assert f"'{sheet}'" in lines[0] and "Rename" in lines[0]
    assert "new-template" in lines[0] and "upgrade" in lines[0]
    assert not out.exists() and src.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["own.xlsx"]
    # In place too: the workbook itself is left as it was.
    result = invoke("fill", src, "-o", src)
    assert result.exit_code == 2 and src.read_bytes() == before


def test_the_refusal_names_only_commands_that_exist(tmp_path):
    src = save_grids(
        tmp_path / "own.xlsx", {**rw.input_grids(formula_like_text=False), "Summary": [["Mine"]]}
    )
    message = invoke("fill", src, "-o", tmp_path / "out.xlsx").output
    commands = re.findall(r"'kpi-dashboard ([\w-]+)", message)
    assert commands and set(commands) <= set(main.commands), commands


# A fill in a fresh process, its wall time and peak memory (as tests/test_hostile.py measures),
# killed after a minute so that a regression fails the test instead of hanging it.
MEASURE = r"""
import json, resource, subprocess, sys, time
started = time.perf_counter()
try:
    done = subprocess.run(sys.argv[1:], capture_output=True, text=True, timeout=60)
    rc, stdout, stderr = done.returncode, done.stdout, done.stderr
except subprocess.TimeoutExpired:
    rc, stdout, stderr = None, "", "killed after 60 s"
wall = time.perf_counter() - started
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"rc": rc, "wall": wall, "stdout": stdout, "stderr": stderr,
                  "rss_kb": rss // 1024 if sys.platform == "darwin" else rss}))
"""


def measure(*command) -> dict:
    """Run the CLI in a fresh process: its exit status, wall time and peak memory (KB)."""
    args = [sys.executable, "-m", "kpi_engine.commands.cli", *[str(c) for c in command]]
    out = subprocess.run(
        [sys.executable, "-c", MEASURE, *args], capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout)


def test_a_stray_cell_at_the_sheets_far_corner_is_read_in_bounded_time_and_memory(tmp_path):
    src = save_grids(tmp_path / "stray.xlsx", rw.input_grids(formula_like_text=False))
    book = openpyxl.load_workbook(src)
    book["Data"]["XFD1048576"] = "oops"
    book.save(src)
    assert src.stat().st_size < 10_000
    out, results = tmp_path / "out.xlsx", tmp_path / "results.json"
    run = measure("fill", src, "-o", out, "--json", results)
    assert run["rc"] in (0, 1), run["stderr"]
    assert run["wall"] < 10, run
    assert run["rss_kb"] < 300 * 1024, run
    assert out.exists()
    issues = json.loads(results.read_text(encoding="utf-8"))["issues"]
    strays = [(i["code"], i["sheet"], i["cell"]) for i in issues if i["code"] == "stray_cell"]
    assert strays == [("stray_cell", "Data", "XFD1048576")]
    rw.assert_copied_raw(src, out)  # the Data sheet, stray cell and all, is the officer's


# --- a workbook whose XML names its namespace with a prefix ------------------------------------


def test_a_workbook_written_with_a_namespace_prefix_is_filled(tmp_path):
    src = rw.prefixed(rw.xlsxwriter_inputs(tmp_path / "inputs.xlsx"), tmp_path / "sdk.xlsx")
    out = tmp_path / "out.xlsx"
    result = invoke("fill", src, "-o", out)
    assert result.exit_code == 0, result.output
    rw.assert_copied_raw(src, out)
    rw.assert_sound(out)


def test_a_stray_cell_in_a_sheet_written_with_a_namespace_prefix_is_left_out(tmp_path):
    src = save_grids(tmp_path / "stray.xlsx", rw.input_grids(formula_like_text=False))
    book = openpyxl.load_workbook(src)
    book["Data"]["XFD1048576"] = "oops"
    book.save(src)
    run = measure("validate", rw.prefixed(src, tmp_path / "sdk.xlsx"))
    assert run["rc"] in (0, 1), run["stderr"][-500:]
    assert "Data!XFD1048576" in run["stdout"]


def test_an_xlsm_is_not_filled_under_an_xlsx_name(books, tmp_path):
    src = tmp_path / "book.xlsm"
    shutil.copy(books.path("xlsm"), src)
    out = tmp_path / "book.xlsx"
    result = invoke("fill", src, "-o", out)
    assert result.exit_code == 2 and "book.xlsm" in result.output and ".xlsm" in result.output
    assert not out.exists()


def test_the_chart_data_name_goes_where_the_schema_puts_it_and_takes_no_other_name():
    from kpi_engine.xlsx.splice import _chart_data_name

    book = (
        b'<workbook><sheets><sheet name="Charts" sheetId="1"/></sheets>'
        b'<functionGroups builtInGroupCount="18"/><calcPr calcId="1"/></workbook>'
    )
    named = _chart_data_name(book, "Charts", 2)
    order = re.findall(rb"<(\w+)\b", named)
    assert order.index(b"functionGroups") < order.index(b"definedNames") < order.index(b"calcPr")
    first, last = chart_data_rows(2)
    assert f"'Charts'!$C${first}:$C${last}</definedName>".encode() in named
    # a rerun replaces its own name (written either way) and keeps the officer's
    ours = b'<definedName name="kpi_chart_data"/>'
    mine = b'<definedName name="Mine">Charts!$A$1</definedName>'
    again = book.replace(b"<calcPr", b"<definedNames>" + ours + mine + b"</definedNames><calcPr")
    out = _chart_data_name(again, "Charts", 0)
    assert mine in out and b"kpi_chart_data" not in out
