"""kpi-dashboard benchmarks against DfE's own files, computed independently here.

tests/data/dfe/ holds copied slices of DfE's files (see tests/data/README.md): LAIT's rows for a
few measures and the years 2023-2025 (as CSV, and a smaller slice of LAIT's own parquet file),
two Explore Education Statistics tables for 2024-25, and the May 2025 and April 2021 statistical
neighbour models. The command reads a slice through --data; the expected figures are worked out
here with pandas straight from the same rows.
"""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner

from kpi_engine.commands.benchmarks import find_authority, load, plan
from kpi_engine.commands.cli import main
from kpi_engine.evaluate import compute
from kpi_engine.inputs import read_inputs
from kpi_engine.xlsx.reader import read_workbook

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "dfe"
SLICE = DATA / "lait_slice.csv"
PARQUET = DATA / "lait_slice.parquet"
EES_C1 = DATA / "ees_c1_rereferrals_2024_2025.csv"
EES_CLA = DATA / "ees_cla_rate_2025.csv"
TEMPLATE = ROOT / "workbook_templates" / "kpi_dashboard_template.xlsx"
# Ref, DfE measure, Unit, Polarity: a percentage low-is-good, a rate per 10,000, a count without
# polarity, a percentage high-is-good, a number (caseload) low-is-good.
INDICATORS = [
    ("R 1", "ReReferral", "%", "SIB"),
    ("R 2", "LAC", "rate per 10,000", "SIB"),
    ("R 3", "10_ICPC", "number", None),
    ("R 4", "Continue_Assess_Comp", "%", "BIB"),
    ("R 5", "Work_Force_AvgNumCase_SW", "number", "SIB"),
    ("R 6", "CPPlans2yrs", "%", "SIB"),
]
FINANCIAL = {"ReReferral", "10_ICPC", "Continue_Assess_Comp", "CPPlans2yrs"}
PERCENT = {"ReReferral", "Continue_Assess_Comp", "CPPlans2yrs"}


@pytest.fixture(scope="module")
def lait() -> pd.DataFrame:
    df = pd.read_csv(SLICE, dtype=str, keep_default_na=False)
    df["code"] = df["LA Number"].astype(float).astype(int)
    df["x"] = pd.to_numeric(df["Values"], errors="coerce")
    return df


@pytest.fixture(scope="module")
def neighbours() -> dict[int, list[int]]:
    sn = pd.read_csv(DATA / "sn_model_2025_wide.csv", encoding="utf-8-sig")
    return {
        int(r["old_la_code"]): [int(r[f"SN_{i}"]) for i in range(1, 11)] for _, r in sn.iterrows()
    }


@pytest.fixture(scope="module")
def neighbours_2021() -> dict[int, list[int]]:
    # DfE's file repeats its closeness header (SNP), so the ten codes are every other column
    # from the sixth; its last rows, under "Old SNs:", are the authorities since reorganised.
    sn = pd.read_csv(DATA / "sn_model_2021.csv", encoding="utf-8-sig", header=None, dtype=str)
    sn = sn[sn[0].fillna("").str.fullmatch("[0-9]{3}")]
    return {int(r[0]): [int(r[c]) for c in range(5, 25, 2)] for _, r in sn.iterrows()}


def workbook(tmp_path: Path, authority: object, measures=INDICATORS, officer=()) -> Path:
    path = tmp_path / "book.xlsx"
    shutil.copyfile(TEMPLATE, path)
    wb = openpyxl.load_workbook(path)
    ws = wb["Settings"]
    for row in ws.iter_rows(min_row=2):
        if row[0].value == "Local authority":
            row[1].value = authority
        if row[0].value == "Reporting period":
            row[1].value = pd.Timestamp(2025, 9, 1).to_pydatetime()
    ind = wb["Indicators"]
    head = [c.value for c in ind[1]]
    for i, (ref, code, unit, polarity) in enumerate(measures, start=2):
        values = {"Ref": ref, "Title": code, "Unit": unit, "Polarity": polarity}
        values["DfE measure"] = code
        values["Measure"] = "value"
        for k, v in values.items():
            ind.cell(i, head.index(k) + 1, v)
    bench = wb["Benchmarks"]
    for i, row in enumerate(officer, start=2):
        for j, v in enumerate(row, start=1):
            bench.cell(i, j, v)
    wb.save(path)
    return path


def run(path: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["benchmarks", str(path), *args])
    return result.exit_code, result.output


def written(path: Path) -> pd.DataFrame:
    wb = openpyxl.load_workbook(path)
    rows = list(wb["Benchmarks"].iter_rows(values_only=True))
    return pd.DataFrame(rows[1:], columns=rows[0])


def expected(lait, neighbours, la: int, code: str, year: str) -> dict[str, object]:
    d = lait[(lait["Short Desc"] == code) & (lait["Years"] == year)]
    by = dict(zip(d["code"], d["x"], strict=True))
    scale = 100 if code in PERCENT else 1
    sn = [by[c] for c in neighbours.get(la, []) if pd.notna(by.get(c))]
    out: dict[str, object] = {"England": by[970] / scale}
    if sn:
        out["mean"] = sum(sn) / len(sn) / scale
        out["median"] = pd.Series(sn).median() / scale
        out["n"] = len(sn)
    region = d.loc[d["code"] == la, "Region"].iloc[0]
    regional = {"Inner London": "London (Inner)", "Outer London": "London (Outer)"}
    name = regional.get(region, region)
    rows = d[d["LA and Regions"].str.lower() == name.lower()]
    if rows.empty or rows["x"].isna().all():
        rows = d[d["LA and Regions"] == "London"]
    out["region"] = (rows["LA and Regions"].iloc[0], rows["x"].iloc[0] / scale)
    las = d[(d["code"] < 970) & d["x"].notna()]
    own = by.get(la)
    if pd.notna(own):
        high = code == "Continue_Assess_Comp"
        ranks = las["x"].rank(method="min", ascending=not high)
        out["rank"] = int(ranks[las["code"] == la].iloc[0])
        out["of"] = len(las)
        q1, q2, q3 = las["x"].quantile([0.25, 0.5, 0.75], interpolation="linear")
        if high:
            out["band"] = "A" if own >= q3 else "B" if own >= q2 else "C" if own >= q1 else "D"
        else:
            out["band"] = "A" if own <= q1 else "B" if own <= q2 else "C" if own <= q3 else "D"
        out["bounds"] = (q1, q2, q3)
    return out


def label(code: str, year: str) -> str:
    return f"{int(year) - 1}-{year[2:]}" if code in FINANCIAL else year


# Walsall (West Midlands; Derby, a neighbour, suppressed for CPPlans2yrs), Westminster (Inner
# London), Cumberland (made from Cumbria in 2023), Barnet (Outer London), Rutland (small).
@pytest.mark.parametrize(
    "la,name",
    [
        (335, "Walsall"),
        (213, "Westminster"),
        (942, "Cumberland"),
        (302, "Barnet"),
        (857, "Rutland"),
    ],
)
def test_figures_match_dfe(tmp_path, lait, neighbours, la, name):
    path = workbook(tmp_path, name)
    status, out = run(path, "--data", str(SLICE))
    assert status == 0, out
    got = written(path)
    for ref, code, _unit, polarity in INDICATORS:
        rows = got[got["Ref"] == ref]
        assert set(rows["Year"]) == {label(code, y) for y in ("2023", "2024", "2025")}
        for year in ("2023", "2024", "2025"):
            want = expected(lait, neighbours, la, code, year)
            at = rows[rows["Year"] == label(code, year)].set_index("Comparator")
            assert at.loc["England", "Value"] == pytest.approx(want["England"])
            region, value = want["region"]
            assert at.loc[region, "Value"] == pytest.approx(value)
            if "mean" in want:
                assert at.loc["Statistical neighbours", "Value"] == pytest.approx(want["mean"])
                assert at.loc["Statistical neighbours (median)", "Value"] == pytest.approx(
                    want["median"]
                )
                assert at.loc["Statistical neighbours", "N"] == want["n"]
            if year == "2025":
                england = at.loc["England"]
                if polarity is None or "rank" not in want:
                    assert pd.isna(england["Rank"]) and pd.isna(england["Quartile"])
                else:
                    assert (england["Rank"], england["Of"]) == (want["rank"], want["of"])
                    assert england["Quartile"] == want["band"]
            else:
                assert pd.isna(at.loc["England", "Rank"])
        assert set(rows["Source"]) == {"kpi-dashboard benchmarks"}


def test_suppressed_neighbour_is_left_out_and_counted(tmp_path, lait, neighbours):
    want = expected(lait, neighbours, 335, "CPPlans2yrs", "2025")
    assert want["n"] == 9  # Derby publishes no figure
    path = workbook(tmp_path, "Walsall")
    _, out = run(path, "--data", str(SLICE))
    assert "no published value for Derby" in out


def test_the_shipped_data_gives_the_same_rows(tmp_path):
    a = workbook(tmp_path, "walsall")
    run(a, "--data", str(SLICE))
    b = tmp_path / "b.xlsx"
    status, out = run(a, "-o", str(b))
    assert status == 0, out
    assert written(a).equals(written(b))


def test_rerun_replaces_only_its_rows_and_officer_rows_win(tmp_path):
    officer = [("R 1", "England", "2024-25", 0.3, None)]
    path = workbook(tmp_path, "E08000030", officer=officer)  # Walsall's nine-character code
    assert run(path)[0] == 0
    first = written(path)
    assert run(path)[0] == 0
    again = written(path)
    assert first.equals(again)
    assert (again["Source"].isna()).sum() == 1  # the officer's row, kept once
    book = read_workbook(path)
    report = compute(read_inputs(book.grids))
    r1 = report.indicator("R 1")
    england = {b.comparator: b for b in r1.benchmarks}["England"]
    assert (england.value, england.year) == (0.3, "2024-25")  # the officer's row wins
    assert r1.standing is not None and r1.standing.rank is not None
    wb = openpyxl.load_workbook(path)
    table = wb["Benchmarks"].tables["BenchmarksTable"]
    assert table.ref == f"A1:J{len(again) + 1}"


def test_unknown_authority_and_measure(tmp_path):
    path = workbook(tmp_path, "Walsal")
    status, out = run(path)
    assert status == 1 and "Nearest: Walsall" in out
    path = workbook(tmp_path, "Walsall", measures=[("R 1", "ReRefferal", "%", "SIB")])
    status, out = run(path)
    assert status == 1
    assert "Indicators!Y2 (R 1): DfE measure 'ReRefferal'" in out and "ReReferral" in out


def test_reorganised_authority_is_said(tmp_path):
    path = workbook(tmp_path, "Cumbria")
    status, out = run(path)
    assert status == 0
    assert "reorganised" in out and "Cumberland" in out


POLARITY_MEASURES = [(ref, code, p) for ref, code, _unit, p in INDICATORS if p is not None]


def test_next_band_at_is_the_next_better_quartile_boundary(tmp_path, lait, neighbours):
    # The boundaries are the lower quartile, median and upper quartile of every authority with
    # a value (linear interpolation, here pandas'); the next band's is the one a better value
    # crosses: for high-is-good B needs Q3, C the median, D Q1; for low-is-good B needs Q1, C
    # the median, D Q3; A has none.
    seen = set()
    for la, name in [(335, "Walsall"), (213, "Westminster"), (942, "Cumberland"), (857, "Rutland")]:
        path = workbook(tmp_path, name)
        assert run(path, "--data", str(SLICE))[0] == 0
        got = written(path)
        for ref, code, polarity in POLARITY_MEASURES:
            want = expected(lait, neighbours, la, code, "2025")
            row = got[(got["Ref"] == ref) & (got["Comparator"] == "England") & got["Rank"].notna()]
            if "bounds" not in want:
                assert row.empty
                continue
            q1, q2, q3 = want["bounds"]
            boundary = (
                {"A": None, "B": q3, "C": q2, "D": q1}
                if polarity == "BIB"
                else {"A": None, "B": q1, "C": q2, "D": q3}
            )[want["band"]]
            (next_at,) = row["Next band at"]
            if boundary is None:
                assert pd.isna(next_at)
            else:
                scale = 100 if code in PERCENT else 1
                assert next_at == pytest.approx(boundary / scale)
            seen.add(want["band"])
    assert {"A", "D"} <= seen and seen & {"B", "C"}  # every kind of boundary was checked


def test_parquet_route_reads_laits_own_file(tmp_path):
    pytest.importorskip("pyarrow", reason="reading parquet needs pyarrow (the test extra has it)")
    measures = [i for i in INDICATORS if i[1] in ("ReReferral", "LAC", "Continue_Assess_Comp")]
    a = workbook(tmp_path, "Barnet", measures=measures)
    b = tmp_path / "from_parquet.xlsx"
    shutil.copyfile(a, b)
    status, out = run(a, "--data", str(SLICE))
    assert status == 0, out
    status, out = run(b, "--data", str(PARQUET))
    assert status == 0, out
    assert "DfE data: lait_slice.parquet" in out
    from_csv, from_parquet = written(a), written(b)
    assert len(from_parquet) == len(from_csv) > 0
    assert from_parquet.equals(from_csv)  # the slice is the same rows of the same file


def ees_expected(
    table: pd.DataFrame, neighbours: dict[int, list[int]], la: int, column: str, high: bool
) -> dict[str, object]:
    """The figures of an Explore Education Statistics table's 2025 rows, worked out here."""
    t = table[table["time_period"] == "2025"]
    las = t[t["geographic_level"] == "Local authority"].copy()
    las["code"] = las["old_la_code"].astype(int)
    las["x"] = pd.to_numeric(las[column], errors="coerce")
    by = dict(zip(las["code"], las["x"], strict=True))
    sn = [by[c] for c in neighbours[la] if pd.notna(by.get(c))]
    england = t.loc[t["geographic_level"] == "National", column].iloc[0]
    regional = t[t["geographic_level"] == "Regional"].set_index("region_name")[column]
    valued = las[las["x"].notna()]
    ranks = valued["x"].rank(method="min", ascending=not high)
    return {
        "mean": sum(sn) / len(sn),
        "median": pd.Series(sn).median(),
        "n": len(sn),
        "England": float(england),
        "regional": {k: float(v) for k, v in regional.items() if v not in ("c", "x", "z")},
        "rank": int(ranks[valued["code"] == la].iloc[0]),
        "of": len(valued),
    }


@pytest.mark.parametrize(
    "source,code,column,unit,scale,filters",
    [
        (EES_C1, "ReReferral", "rereferral_percent", "%", 100, {}),
        (
            EES_CLA,
            "LAC",
            "rate_per_10000",
            "rate per 10,000",
            1,
            {"population_type": "Children looked after on 31 March each year"},
        ),
    ],
)
def test_explore_education_statistics_csv(
    tmp_path, lait, neighbours, source, code, column, unit, scale, filters
):
    table = pd.read_csv(source, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    for k, v in filters.items():
        table = table[table[k] == v]
    path = workbook(tmp_path, "Barnet", measures=[("R 1", code, unit, "SIB")])
    status, out = run(path, "--data", str(source))
    assert status == 0, out
    assert "Explore Education Statistics" in out
    want = ees_expected(table, neighbours, 302, column, high=False)
    got = written(path)
    latest = got[got["Year"] == label(code, "2025")].set_index("Comparator")
    assert latest.loc["England", "Value"] == pytest.approx(want["England"] / scale)
    assert latest.loc["London (Outer)", "Value"] == pytest.approx(
        want["regional"]["Outer London"] / scale
    )
    sn = latest.loc["Statistical neighbours"]
    assert sn["Value"] == pytest.approx(want["mean"] / scale) and sn["N"] == want["n"]
    assert latest.loc["Statistical neighbours (median)", "Value"] == pytest.approx(
        want["median"] / scale
    )
    assert (latest.loc["England", "Rank"], latest.loc["England", "Of"]) == (
        want["rank"],
        want["of"],
    )
    # The years the table lacks come from the shipped data, LAIT's published figures.
    earlier = got[got["Year"] == label(code, "2023")].set_index("Comparator")
    d = lait[(lait["Short Desc"] == code) & (lait["Years"] == "2023") & (lait["code"] == 970)]
    assert earlier.loc["England", "Value"] == pytest.approx(d["x"].iloc[0] / scale)


def test_explore_education_statistics_figures_are_the_ones_used(tmp_path):
    # The table's England figure for 2024-25 altered: the command writes the table's figure,
    # not the shipped one, and keeps the shipped figures of the measures the table lacks.
    table = pd.read_csv(EES_C1, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    national = (table["geographic_level"] == "National") & (table["time_period"] == "2025")
    table.loc[national, "rereferral_percent"] = "99.9"
    altered = tmp_path / "c1.csv"
    table.to_csv(altered, index=False)
    measures = [("R 1", "ReReferral", "%", "SIB"), ("R 2", "LAC", "rate per 10,000", "SIB")]
    path = workbook(tmp_path, "Walsall", measures=measures)
    status, out = run(path, "--data", str(altered))
    assert status == 0, out
    got = written(path).set_index(["Ref", "Comparator", "Year"])
    assert got.loc[("R 1", "England", "2024-25"), "Value"] == pytest.approx(0.999)
    assert got.loc[("R 2", "England", "2025"), "Value"] == 67  # LAIT's, shipped


def test_an_unsupported_data_file_is_said(tmp_path):
    path = workbook(tmp_path, "Walsall")
    book = tmp_path / "download.xlsx"
    shutil.copyfile(path, book)
    status, out = run(path, "--data", str(book))
    assert status == 2 and "download.xlsx is not one kpi-dashboard reads" in out
    other = tmp_path / "other.csv"
    other.write_text("a,b\n1,2\n")
    status, out = run(path, "--data", str(other))
    assert status == 2
    assert "neither LAIT's data" in out and "nor an Explore Education Statistics table" in out
    ees = tmp_path / "ees.csv"
    ees.write_text("time_period,geographic_level,pupils\n2025,National,10\n")
    status, out = run(path, "--data", str(ees))
    assert status == 2 and "none of its columns is one whose LAIT measure" in out


def neighbour_row(data, path: Path, year_label: str):
    """The statistical neighbour row the command plans for a one-indicator workbook, with the
    indicator's notes: the neighbour lists here are DfE's other model, or made up."""
    book = read_workbook(path)
    outcome, _ = plan(book, read_inputs(book.grids), data)
    (ind,) = outcome.written
    row = next(
        r for r in ind.rows if r.comparator == "Statistical neighbours" and r.year == year_label
    )
    return row, ind.notes


def test_a_neighbour_that_no_longer_publishes_has_its_successors_counted(
    tmp_path, lait, neighbours_2021
):
    # Derbyshire's April 2021 list names Cumbria, which DfE has not published since Cumberland
    # and Westmorland and Furness replaced it in April 2023: both count in its place.
    book = workbook(tmp_path, "Derbyshire", measures=[("R 1", "ReReferral", "%", "SIB")])
    data = dataclasses.replace(load(SLICE), neighbours=neighbours_2021)
    listed = neighbours_2021[830]
    assert 909 in listed and 942 not in listed and 943 not in listed
    d = lait[(lait["Short Desc"] == "ReReferral") & (lait["Years"] == "2025")]
    by = dict(zip(d["code"], d["x"], strict=True))
    assert pd.isna(by[909])
    counted = [by[c] for c in [*listed, 942, 943] if c != 909 and pd.notna(by[c])]
    row, notes = neighbour_row(data, book, "2024-25")
    assert row.n == len(counted) == 11
    assert row.value == pytest.approx(sum(counted) / len(counted) / 100)
    assert "Cumbria no longer publishes: Cumberland and Westmorland and Furness counted" in (
        " ".join(notes)
    )
    # 2022-23: Cumbria still published, so it counts as itself.
    d = lait[(lait["Short Desc"] == "ReReferral") & (lait["Years"] == "2023")]
    by = dict(zip(d["code"], d["x"], strict=True))
    counted = [by[c] for c in listed if pd.notna(by[c])]
    row, _ = neighbour_row(data, book, "2022-23")
    assert row.n == len(counted) and row.value == pytest.approx(sum(counted) / len(counted) / 100)


def test_northamptonshire_is_replaced_by_the_successor_not_listed(tmp_path, lait, neighbours):
    # A list naming Northamptonshire (no figures since April 2021) and North Northamptonshire:
    # only West Northamptonshire is added, so no authority counts twice.
    book = workbook(tmp_path, "Walsall", measures=[("R 1", "LAC", "rate per 10,000", "SIB")])
    listed = [928, 940, *neighbours[335][:8]]
    data = dataclasses.replace(load(SLICE), neighbours={335: listed})
    d = lait[(lait["Short Desc"] == "LAC") & (lait["Years"] == "2025")]
    by = dict(zip(d["code"], d["x"], strict=True))
    counted = [by[c] for c in [*listed[1:], 941] if pd.notna(by[c])]
    row, notes = neighbour_row(data, book, "2025")
    assert row.n == len(counted) == 10
    assert row.value == pytest.approx(sum(counted) / len(counted))
    assert "Northamptonshire no longer publishes: West Northamptonshire counted" in " ".join(notes)


def test_cumbria_gets_its_own_figures_and_its_last_neighbours(tmp_path, lait, neighbours_2021):
    path = workbook(tmp_path, "Cumbria", measures=[("R 1", "LAC", "rate per 10,000", "SIB")])
    status, out = run(path, "--data", str(SLICE))
    assert status == 0, out
    assert "reorganised" in out and "April 2021 model" in out
    got = written(path)
    assert set(got["Year"]) == {"2023"}  # Cumbria's last published year in the slice
    d = lait[(lait["Short Desc"] == "LAC") & (lait["Years"] == "2023")]
    by = dict(zip(d["code"], d["x"], strict=True))
    counted = [by[c] for c in neighbours_2021[909] if pd.notna(by[c])]
    sn = got.set_index("Comparator").loc["Statistical neighbours"]
    assert sn["N"] == len(counted) and sn["Value"] == pytest.approx(sum(counted) / len(counted))


def test_every_current_authority_by_name_and_both_codes(tmp_path, lait):
    # The 2024-25 C1 table names every authority DfE publishes, with its old and nine-character
    # codes; the name is LAIT's.
    c1 = pd.read_csv(EES_C1, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    las = c1[(c1["geographic_level"] == "Local authority") & (c1["time_period"] == "2025")]
    assert len(las) == 153
    names = dict(zip(lait["code"], lait["LA and Regions"], strict=False))
    data = load()
    for old, nine in zip(las["old_la_code"], las["new_la_code"], strict=True):
        code = int(old)
        for typed in (names[code], names[code].upper(), old, code, nine, nine.lower()):
            assert find_authority(data, typed) == code, typed
    # Codes that changed with boundaries (DfE's C1 rows for earlier years): either is accepted.
    assert find_authority(data, "E08000016") == find_authority(data, "E08000038") == 370
    assert find_authority(data, "E10000023") == find_authority(data, "E06000065") == 815


@pytest.mark.parametrize("typed", ["Barnsley", "370", "E08000038"])
def test_settings_local_authority_in_every_form(tmp_path, typed):
    path = workbook(tmp_path, typed, measures=[("R 1", "ReReferral", "%", "SIB")])
    status, out = run(path)
    assert status == 0, out
    assert "(Barnsley, DfE data: shipped)" in out


def test_officer_rows_stay_put_on_a_rerun(tmp_path):
    measures = [("R 1", "ReReferral", "%", "SIB"), ("R 2", "LAC", "rate per 10,000", "SIB")]
    path = workbook(tmp_path, "Walsall", measures=measures)
    assert run(path)[0] == 0
    wb = openpyxl.load_workbook(path)
    ws = wb["Benchmarks"]
    officer_row = ws.max_row + 1
    for col, v in enumerate(["R 1", "Our target group", "2024-25", 0.2], start=1):
        ws.cell(officer_row, col, v)
    wb.save(path)

    def positions() -> dict[int, tuple]:
        sheet = openpyxl.load_workbook(path)["Benchmarks"]
        return {
            r[0].row: tuple(c.value for c in r[:5])
            for r in sheet.iter_rows(min_row=2)
            if any(c.value is not None for c in r)
        }

    before = positions()
    assert run(path)[0] == 0
    assert positions() == before  # the same rows, every one where it was
    # Fewer rows now (R 2 unmapped): its places go blank, the officer's row stays where it was.
    wb = openpyxl.load_workbook(path)
    ind = wb["Indicators"]
    head = [c.value for c in ind[1]]
    ind.cell(3, head.index("DfE measure") + 1).value = None
    wb.save(path)
    assert run(path)[0] == 0
    after = positions()
    assert after[officer_row] == ("R 1", "Our target group", "2024-25", 0.2, None)
    assert {k: v for k, v in before.items() if v[0] == "R 1"} == after
    table = openpyxl.load_workbook(path)["Benchmarks"].tables["BenchmarksTable"]
    assert table.ref == f"A1:J{officer_row}"
