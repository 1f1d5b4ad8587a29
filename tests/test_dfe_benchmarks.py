"""kpi-dashboard benchmarks against DfE's own files, computed independently here.

tests/data/dfe/ holds copied slices of DfE's files (see tests/data/README.md): LAIT's rows for a
few measures and the years 2023-2025, and the May 2025 statistical neighbour model. The command
reads the slice through --data (LAIT's columns as CSV); the expected figures are worked out here
with pandas straight from the same rows.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner

from kpi_engine.commands.cli import main
from kpi_engine.evaluate import compute
from kpi_engine.inputs import read_inputs
from kpi_engine.xlsx.reader import read_workbook

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "dfe"
SLICE = DATA / "lait_slice.csv"
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
