"""``kpi-dashboard benchmarks``: the Benchmarks sheet filled from DfE's published data.

For every indicator with a **DfE measure** (LAIT's measure code), and the authority the Settings
sheet names (**Local authority**), writes rows for the latest three published years:

- ``Statistical neighbours``: the mean of the authority's ten neighbours in DfE's current model
  (May 2025) over those with a published value, as LAIT averages them, with N the neighbours that
  counted; ``Statistical neighbours (median)``, as DfE's children's social care dashboard does;
- the authority's region as DfE's regional rows name it (for a London borough its Inner or Outer
  London row where the measure has one, else London), and ``England``, as published;
- on the latest year's England row, the authority's national rank (1 the best by the
  indicator's Polarity, else LAIT's; ties share the better rank; "of N" authorities with a
  value), its quartile band (A the best quarter; boundaries by linear interpolation over the
  authorities with a value) and the value that reaches the next better band.

The rows are marked ``kpi-dashboard benchmarks`` in the Source column; a rerun replaces only
those, so rows an officer typed stay (and win over a written row for the same comparator and
year, in the fill). The data is DfE's (Open Government Licence v3.0), shipped compact in
``dfe_data/`` (see its PROVENANCE.md), or a newer download given with ``--data``: LAIT's own file
(parquet, or the same columns as CSV) in place of the shipped data, or an Explore Education
Statistics CSV whose columns ``dfe_data/ees_measures.csv`` maps to LAIT's codes, over it.

An authority DfE no longer publishes (Cumbria, Northamptonshire, ...) gets its own figures and the
neighbours of the last model that listed it (April 2021); a neighbour that no longer publishes in
a year has its successors counted in its place, and the output says so.

The tabular work is pandas', imported only here.
"""

from __future__ import annotations

import csv
import difflib
import gzip
import io
import math
import re
import statistics
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd

from kpi_engine.issues import IssueLog
from kpi_engine.model import GENERATED_SOURCE, Indicator, Inputs
from kpi_engine.schema import sheet_schema
from kpi_engine.sheets import read_table
from kpi_engine.xlsx.reader import SourceWorkbook
from kpi_engine.xlsx.table_rows import TableEdit, rewrite_table

SN, SN_MEDIAN, ENGLAND = "Statistical neighbours", "Statistical neighbours (median)", "England"
ENGLAND_CODE = 970
YEARS_SHOWN = 3
BENCHMARK_COLUMNS = ["Ref", "Comparator", "Year", "Value", "Source", "N", "Rank", "Of"]
BENCHMARK_COLUMNS += ["Quartile", "Next band at"]
LAIT_COLUMNS = ["Short Desc", "Years", "LA and Regions", "Values", "LA Number", "Region"]
EES_COLUMNS = ["time_period", "geographic_level"]
# Authorities DfE no longer publishes, and who publishes in their place (old LA codes).
REORGANISED = {
    909: (942, 943),  # Cumbria: Cumberland, Westmorland and Furness (April 2023)
    928: (940, 941),  # Northamptonshire: North and West Northamptonshire (April 2021)
    835: (838,),  # Dorset (before 2019): Dorset
    836: (839,),  # Poole: Bournemouth, Christchurch and Poole (April 2019)
    837: (839,),  # Bournemouth: likewise
}


class BenchmarksError(Exception):
    """A problem that stops the command: one line for the user, exit status 1 or 2."""

    def __init__(self, message: str, status: int = 1) -> None:
        super().__init__(message)
        self.status = status


@dataclass
class Measure:
    code: str
    words: str
    polarity: str | None  # "High", "Low" or None
    year_type: str
    percent: bool


@dataclass
class Dataset:
    """DfE's figures: one row per measure, place and year, values as published (text)."""

    values: pd.DataFrame  # measure, year, code, value
    places: pd.DataFrame  # code, name, region, new_code, former (nine-character codes)
    measures: dict[str, Measure]
    neighbours: dict[int, list[int]]  # DfE's current model (May 2025)
    source: str
    # The April 2021 model: neighbours for an authority the current model no longer lists.
    older_neighbours: dict[int, list[int]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._by: dict[str, pd.DataFrame] = {
            code: frame for code, frame in self.values.groupby("measure", sort=False)
        }

    def measure_rows(self, code: str) -> pd.DataFrame:
        return self._by.get(code, self.values.iloc[0:0])


def _data_file(name: str) -> Any:
    return resources.files("kpi_engine.commands").joinpath("dfe_data").joinpath(name)


def _percent(words: str, axis: str) -> bool:
    text = f"{words} {axis}".lower()
    return "%" in text or "percent" in text or axis.lower() in ("turnover rate", "absence rate")


def _measures(extra: Iterable[tuple[str, str]] = ()) -> dict[str, Measure]:
    with _data_file("lait_measures.csv").open("rb") as f:
        d = pd.read_csv(f, dtype=str, keep_default_na=False)
    out = {}
    for row in d.itertuples(index=False):
        polarity = row.Polarity if row.Polarity in ("High", "Low") else None
        out[row.Measure_short] = Measure(
            row.Measure_short,
            row.Measure,
            polarity,
            row.Year_Type,
            _percent(row.Measure, row.y_axis_name),
        )
    for code, words in extra:  # measures of a newer download the shipped dictionary lacks
        if code not in out:
            out[code] = Measure(code, words, None, "", _percent(words, ""))
    return out


def _neighbours() -> dict[int, list[int]]:
    with _data_file("sn_model_2025_wide.csv").open("rb") as f:
        sn = pd.read_csv(f, encoding="utf-8-sig")
    return {
        int(row["old_la_code"]): [int(row[f"SN_{i}"]) for i in range(1, 11)]
        for _, row in sn.iterrows()
    }


def _older_neighbours() -> dict[int, list[int]]:
    """DfE's April 2021 model as published: LA code in the first column, then the region, then
    ten neighbour codes each followed by its closeness (the headers repeat, so by position)."""
    text = _data_file("sn_model_2021.csv").read_bytes().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    out = {}
    for row in rows[1:]:
        if row and row[0].strip().isdigit():
            out[int(row[0])] = [int(c) for c in row[5:25:2] if c.strip().isdigit()]
    return out


def _shipped_places() -> pd.DataFrame:
    with _data_file("lait_places.csv").open("rb") as f:
        p = pd.read_csv(f, dtype=str, keep_default_na=False)
    return pd.DataFrame(
        {
            "code": p["LA Number"].astype(int),
            "name": p["LA and Regions"],
            "region": p["Region"],
            "new_code": p["New LA code"],
            "former": p["Former LA codes"],
        }
    )


def _from_lait_long(df: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    missing = [c for c in LAIT_COLUMNS if c not in df.columns]
    if missing:
        raise BenchmarksError(
            f"the data file has no {', '.join(missing)} column: give LAIT's own file "
            "(bds_long_0.parquet, or the same columns as CSV)",
            2,
        )
    df = df[df["LA Number"].notna() & (df["LA Number"].astype(str) != "")]
    code = pd.to_numeric(df["LA Number"], errors="coerce").astype("Int64")
    values = pd.DataFrame(
        {
            "measure": df["Short Desc"].astype(str).values,
            "year": df["Years"].astype(str).values,
            "code": code.values,
            "value": df["Values"].astype(str).values,
        }
    )
    values = values[values["code"].notna()]
    values["code"] = values["code"].astype(int)
    places = pd.DataFrame(
        {"code": code.values, "name": df["LA and Regions"].values, "region": df["Region"].values}
    ).dropna(subset=["code"])
    places = places.drop_duplicates("code").astype({"code": int})
    return values, places


def _shipped_values() -> pd.DataFrame:
    with _data_file("lait_values.csv.gz").open("rb") as f:
        wide = pd.read_csv(io.BytesIO(gzip.decompress(f.read())), dtype=str)
    long = wide.melt(id_vars=["Short Desc", "LA Number"], var_name="year", value_name="value")
    return pd.DataFrame(
        {
            "measure": long["Short Desc"],
            "year": long["year"],
            "code": long["LA Number"].astype(int),
            "value": long["value"],
        }
    ).dropna(subset=["value"])


@dataclass
class EesMapping:
    """One LAIT measure as a column of an Explore Education Statistics table (on the rows
    whose filter columns have the given values): verified value for value against LAIT."""

    measure: str
    column: str
    filters: dict[str, str]
    publication: str


def ees_mappings() -> list[EesMapping]:
    with _data_file("ees_measures.csv").open("rb") as f:
        d = pd.read_csv(f, dtype=str, keep_default_na=False)
    out = []
    for row in d.itertuples(index=False):
        filters = dict(part.split("=", 1) for part in str(row.Filters).split(";") if "=" in part)
        out.append(EesMapping(row.Measure_short, row.Column, filters, row.Publication))
    return out


def _ees_year(period: str) -> str:
    """EES's time_period as LAIT's year: 202425 (a financial or academic year) is 2025, as LAIT
    labels the year by its end; 2025 stays."""
    period = period.strip()
    if re.fullmatch(r"[0-9]{6}", period):
        return str(int(period[:4]) + 1)
    return period


def _from_ees(df: pd.DataFrame, name: str, places: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """The rows of the measures an Explore Education Statistics CSV holds, as LAIT's codes."""
    level = df["geographic_level"].str.strip().str.lower()
    code = pd.Series(pd.NA, index=df.index, dtype="Int64")
    code[level == "national"] = ENGLAND_CODE
    if "old_la_code" in df.columns:
        la = pd.to_numeric(df["old_la_code"], errors="coerce").astype("Int64")
        code[level == "local authority"] = la[level == "local authority"]
    if "region_name" in df.columns:
        regions = places[places["code"] > ENGLAND_CODE]
        by_name = {_key(n): int(c) for c, n in zip(regions["code"], regions["name"], strict=True)}
        regional = df["region_name"].astype(str).map(lambda n: by_name.get(_key(n)))
        code[level == "regional"] = regional[level == "regional"].astype("Int64")
    frames, found = [], []
    for m in ees_mappings():
        if m.column not in df.columns or any(k not in df.columns for k in m.filters):
            continue
        keep = code.notna()
        for k, v in m.filters.items():
            keep &= df[k].astype(str).str.strip().str.lower() == v.lower()
        if not keep.any():
            continue
        rows = df[keep]
        frames.append(
            pd.DataFrame(
                {
                    "measure": m.measure,
                    "year": rows["time_period"].astype(str).map(_ees_year).values,
                    "code": code[keep].astype(int).values,
                    "value": rows[m.column].astype(str).str.strip().values,
                }
            ).drop_duplicates(["year", "code"])
        )
        found.append(m.measure)
    if not frames:
        known = sorted({m.column for m in ees_mappings()})
        raise BenchmarksError(
            f"the data file {name} is an Explore Education Statistics table, but none of its "
            f"columns is one whose LAIT measure kpi-dashboard knows ({', '.join(known)})",
            2,
        )
    return pd.concat(frames, ignore_index=True), found


def _new_places(df: pd.DataFrame, places: pd.DataFrame) -> pd.DataFrame:
    """Authorities an Explore Education Statistics table has that the shipped data lacks (one
    made after it), by the table's own names and codes."""
    columns = ["old_la_code", "la_name", "region_name", "new_la_code"]
    if any(c not in df.columns for c in columns):
        return places.iloc[0:0]
    las = df[df["geographic_level"].str.strip().str.lower() == "local authority"][columns]
    las = las.assign(code=pd.to_numeric(las["old_la_code"], errors="coerce")).dropna(
        subset=["code"]
    )
    las = las[~las["code"].isin(set(places["code"]))].drop_duplicates("code", keep="first")
    return pd.DataFrame(
        {
            "code": las["code"].astype(int),
            "name": las["la_name"],
            "region": las["region_name"],
            "new_code": las["new_la_code"],
            "former": "",
        }
    )


def _read(data: Path) -> pd.DataFrame:
    suffix = ".csv" if data.name.lower().endswith(".csv.gz") else data.suffix.lower()
    if suffix not in (".parquet", ".csv"):
        raise BenchmarksError(
            f"the data file {data.name} is not one kpi-dashboard reads: give LAIT's own file "
            "(bds_long_0.parquet, or the same columns as CSV) or an Explore Education "
            "Statistics CSV",
            2,
        )
    try:
        if suffix == ".parquet":
            try:
                df = pd.read_parquet(data)
            except ImportError as err:
                raise BenchmarksError(
                    "reading LAIT's parquet file needs pyarrow: "
                    "pip install 'kpi-dashboard[dfe]' (or give the same data as CSV)",
                    2,
                ) from err
        else:
            df = pd.read_csv(data, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except BenchmarksError:
        raise
    except (OSError, ValueError) as err:
        raise BenchmarksError(f"cannot read the data file {data.name}: {err}", 2) from err
    return df


def load(data: Path | None = None) -> Dataset:
    """The shipped data; or a newer LAIT download (parquet, or the same columns as CSV) in its
    place; or an Explore Education Statistics CSV over it, for the measures and years it has."""
    shipped_places = _shipped_places()
    if data is None:
        return Dataset(
            _shipped_values(),
            shipped_places,
            _measures(),
            _neighbours(),
            "shipped",
            _older_neighbours(),
        )
    df = _read(data)
    if all(c in df.columns for c in EES_COLUMNS) and not all(c in df.columns for c in LAIT_COLUMNS):
        new, found = _from_ees(df, data.name, shipped_places)
        shipped_places = pd.concat([shipped_places, _new_places(df, shipped_places)])
        old = _shipped_values()
        covered = pd.MultiIndex.from_frame(new[["measure", "year"]].drop_duplicates())
        stays = ~pd.MultiIndex.from_frame(old[["measure", "year"]]).isin(covered)
        values = pd.concat([old[stays], new], ignore_index=True)
        return Dataset(
            values,
            shipped_places,
            _measures(),
            _neighbours(),
            f"{data.name} (Explore Education Statistics: {', '.join(found)}) over the shipped data",
            _older_neighbours(),
        )
    if not all(c in df.columns for c in LAIT_COLUMNS) and not any(
        c in df.columns for c in LAIT_COLUMNS
    ):
        raise BenchmarksError(
            f"the data file {data.name} is neither LAIT's data (columns "
            f"{', '.join(LAIT_COLUMNS)}) nor an Explore Education Statistics table (columns "
            f"{', '.join(EES_COLUMNS)}, old_la_code, ...)",
            2,
        )
    values, places = _from_lait_long(df)
    for column in ("new_code", "former"):
        codes = dict(zip(shipped_places["code"], shipped_places[column], strict=True))
        places[column] = places["code"].map(codes).fillna("")
    words: list[tuple[str, str]] = []
    if "Data item" in df.columns:
        words = list(
            df[["Short Desc", "Data item"]].drop_duplicates("Short Desc").itertuples(False)
        )
    return Dataset(values, places, _measures(words), _neighbours(), data.name, _older_neighbours())


# ---------------------------------------------------------------------------------------------
# Published text to numbers, years to labels


def number(text: object) -> float | None:
    """A published value as a number, or None for a symbol (``-``, ``c``, ``x`` ...)."""
    try:
        x = float(str(text))
    except ValueError:
        return None
    return None if math.isnan(x) else x


def symbol(text: object) -> str:
    t = str(text).strip().lower()
    return t if t in ("c", "x", "z", "k", "u", "low", "-") else "x"


def _year_number(year: str) -> int:
    m = re.match(r"([0-9]{4})", year)
    return int(m.group(1)) if m else 0


def year_label(year: str, year_type: str) -> str:
    """LAIT's year as DfE labels it: 2025 of a financial-year measure is 2024-25."""
    year = re.sub(r"\s*\(.*\)$", "", year.strip())
    if re.fullmatch(r"[0-9]{4}", year) and year_type.lower().startswith("financial"):
        y = int(year)
        return f"{y - 1}-{y % 100:02d}"
    return year


# ---------------------------------------------------------------------------------------------
# The authority and its comparators


def _key(name: str) -> str:
    name = " ".join(name.lower().split())
    m = re.fullmatch(r"london \((inner|outer)\)", name)
    return f"{m.group(1)} london" if m else name


def find_authority(data: Dataset, typed: object) -> int:
    """The LA code of the authority the Settings name (by name, old or new code)."""
    text = str(typed).strip()
    if isinstance(typed, (int, float)) or re.fullmatch(r"[0-9]{3}", text):
        code = int(float(text))
        if code in set(data.places["code"]) and code < ENGLAND_CODE:
            return code
    las = data.places[data.places["code"] < ENGLAND_CODE]
    nine = text.upper()
    for row in las.itertuples(index=False):
        former = str(row.former).split(";") if row.former else []
        if _key(row.name) == _key(text) or (row.new_code and nine in [row.new_code, *former]):
            return int(row.code)
    nearest = difflib.get_close_matches(text, list(las["name"]), n=3, cutoff=0.5)
    hint = f" Nearest: {', '.join(nearest)}." if nearest else ""
    raise BenchmarksError(
        f"Settings 'Local authority' is '{text}', which is not an English authority in DfE's "
        f"data. Type its name as DfE writes it, or its three-digit or nine-character code.{hint}"
    )


def _region_codes(data: Dataset, la: int) -> list[int]:
    """The regional rows for ``la``, most specific first (Inner London, then London)."""
    place = data.places[data.places["code"] == la].iloc[0]
    region = _key(str(place["region"]))
    regions = data.places[data.places["code"] > ENGLAND_CODE]
    out = [int(r.code) for r in regions.itertuples(False) if _key(r.name) == region]
    if region in ("inner london", "outer london"):
        out += [int(r.code) for r in regions.itertuples(False) if _key(r.name) == "london"]
    return out


@dataclass
class Row:
    comparator: str
    year: str
    value: float | str  # a symbol when missing
    n: int | None = None
    rank: int | None = None
    of: int | None = None
    quartile: str | None = None
    next_band_at: float | None = None


@dataclass
class IndicatorRows:
    ref: str
    measure: Measure
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _scale(x: float, measure: Measure) -> float:
    return round(x / 100, 12) if measure.percent else round(x, 10)


def quartiles(values: list[float]) -> tuple[float, float, float]:
    """The lower quartile, median and upper quartile, by linear interpolation (Excel's
    QUARTILE.INC, numpy's default)."""
    s = sorted(values)

    def q(p: float) -> float:
        h = (len(s) - 1) * p
        lo = int(h)
        hi = min(lo + 1, len(s) - 1)
        return s[lo] + (h - lo) * (s[hi] - s[lo])

    return q(0.25), q(0.5), q(0.75)


def band(value: float, bounds: tuple[float, float, float], high: bool) -> tuple[str, float | None]:
    """The quartile band (A best) and the value that reaches the next better band."""
    q1, q2, q3 = bounds
    if high:
        if value >= q3:
            return "A", None
        if value >= q2:
            return "B", q3
        if value >= q1:
            return "C", q2
        return "D", q1
    if value <= q1:
        return "A", None
    if value <= q2:
        return "B", q1
    if value <= q3:
        return "C", q2
    return "D", q3


def rank(value: float, others: list[float], high: bool) -> int:
    """1 + how many are strictly better: ties share the better rank."""
    return 1 + sum(1 for v in others if (v > value if high else v < value))


def neighbour_values(
    vals: dict[int, str], neighbours: list[int]
) -> tuple[list[float], list[int], list[tuple[int, list[int]]]]:
    """The neighbours' published values, those without one, and the neighbours that no longer
    publish with the successors counted in their place (each successor a neighbour of its own,
    once, so every figure in the mean is one DfE published)."""
    counted: list[float] = []
    gone: list[int] = []
    replaced: list[tuple[int, list[int]]] = []
    used = set(neighbours)
    for c in neighbours:
        x = number(vals.get(c))
        if x is not None:
            counted.append(x)
            continue
        new = [
            s for s in REORGANISED.get(c, ()) if s not in used and number(vals.get(s)) is not None
        ]
        if new:
            counted += [x for s in new if (x := number(vals.get(s))) is not None]
            used.update(new)
            replaced.append((c, new))
        else:
            gone.append(c)
    return counted, gone, replaced


def _polarity(ind: Indicator, measure: Measure) -> bool | None:
    if ind.polarity in ("BIB", "SIB"):
        return ind.polarity == "BIB"
    if measure.polarity is not None:
        return measure.polarity == "High"
    return None


def compute(data: Dataset, la: int, ind: Indicator, measure: Measure) -> IndicatorRows:
    """The rows for one indicator."""
    out = IndicatorRows(ind.ref, measure)
    frame = data.measure_rows(measure.code)
    by_year: dict[str, dict[int, str]] = {}
    for year, code, value in zip(frame["year"], frame["code"], frame["value"], strict=True):
        by_year.setdefault(year, {})[int(code)] = value
    published = [
        y for y, vals in by_year.items() if any(number(v) is not None for v in vals.values())
    ]
    names = dict(zip(data.places["code"], data.places["name"], strict=True))
    successors = REORGANISED.get(la)
    if successors:  # an authority no longer published: the years up to its last figure
        own_years = [y for y in published if number(by_year[y].get(la)) is not None]
        if own_years:
            last = max(_year_number(y) for y in own_years)
            published = [y for y in published if _year_number(y) <= last]
    years = sorted(published, key=_year_number)[-YEARS_SHOWN:]
    if not years:
        out.notes.append(f"DfE publishes no figures for {measure.code}")
        return out
    neighbours = data.neighbours.get(la)
    if neighbours is None:
        neighbours = data.older_neighbours.get(la)
        said = f"{names.get(la, la)} is not in DfE's current statistical neighbour model" + (
            f" (reorganised: DfE now publishes {' and '.join(names[c] for c in successors)})"
            if successors
            else ""
        )
        out.notes.append(
            said + ", so its neighbours are the April 2021 model's"
            if neighbours is not None
            else said + ", so there are no statistical neighbour rows"
        )
    regions = [
        c
        for c in _region_codes(data, la)
        if any(number(by_year[y].get(c)) is not None for y in years)
    ][:1]
    high = _polarity(ind, measure)
    latest = years[-1]
    for year in years:
        vals = by_year[year]
        label = year_label(year, measure.year_type)
        if neighbours is not None:
            counted, missing, replaced = neighbour_values(vals, neighbours)
            for old, new in replaced:
                said = (
                    f"{names.get(old, old)} no longer publishes: "
                    f"{' and '.join(names.get(c, str(c)) for c in new)} counted in its place"
                )
                if said not in out.notes:
                    out.notes.append(said)
            gone = [names.get(c, str(c)) for c in missing]
            if counted:
                mean = sum(counted) / len(counted)
                out.rows.append(Row(SN, label, _scale(mean, measure), len(counted)))
                out.rows.append(
                    Row(SN_MEDIAN, label, _scale(statistics.median(counted), measure), len(counted))
                )
            else:
                out.rows.append(Row(SN, label, "x", 0))
                out.rows.append(Row(SN_MEDIAN, label, "x", 0))
            if gone and year == latest:
                out.notes.append(f"{label}: no published value for {', '.join(gone)}")
        for code in regions:
            x = number(vals.get(code))
            out.rows.append(
                Row(
                    names[code],
                    label,
                    _scale(x, measure) if x is not None else symbol(vals.get(code, "x")),
                )
            )
        x = number(vals.get(ENGLAND_CODE))
        england = Row(
            ENGLAND,
            label,
            _scale(x, measure) if x is not None else symbol(vals.get(ENGLAND_CODE, "x")),
        )
        if year == latest:
            own = number(vals.get(la))
            las = [v for c, t in vals.items() if c < ENGLAND_CODE and (v := number(t)) is not None]
            if high is None:
                out.notes.append(f"{measure.code} has no polarity: no rank or band")
            elif own is None:
                out.notes.append(f"{label}: {names.get(la, la)} has no published value: no rank")
            elif las:
                england.rank = rank(own, las, high)
                england.of = len(las)
                england.quartile, nxt = band(own, quartiles(las), high)
                england.next_band_at = None if nxt is None else _scale(nxt, measure)
        out.rows.append(england)
    return out


# ---------------------------------------------------------------------------------------------
# The workbook


@dataclass
class Outcome:
    authority: str
    written: list[IndicatorRows]
    errors: list[str]
    notes: list[str]
    replaced: int


def _nearest_codes(data: Dataset, typed: str) -> str:
    codes = sorted(set(data.measures) | set(data.values["measure"].unique()))
    near = difflib.get_close_matches(typed, codes, n=3, cutoff=0.5)
    if not near:
        low = typed.lower()
        near = [c for c in codes if low[:4] and low[:4] in c.lower()][:3]
    return f" Nearest: {', '.join(near)}." if near else ""


def plan(book: SourceWorkbook, inputs: Inputs, data: Dataset) -> tuple[Outcome, TableEdit]:
    """What to write: the rows per indicator, and the edit of the Benchmarks sheet."""
    typed = inputs.settings.local_authority
    if typed in (None, ""):
        raise BenchmarksError(
            "Settings has no 'Local authority': type the authority as DfE names it "
            "(e.g. Walsall) or its LA code, the key to DfE's published figures."
        )
    la = find_authority(data, typed)
    authority = str(data.places.loc[data.places["code"] == la, "name"].iloc[0])
    errors: list[str] = []
    written: list[IndicatorRows] = []
    known = set(data.measures) | set(data.values["measure"].unique())
    indicators_sheet = inputs.sheet_names.get("Indicators", "Indicators")
    for ind in inputs.indicators.values():
        code = ind.dfe_measure
        if not code:
            continue
        code = str(code).strip()
        if code not in known:
            where = (
                f"{indicators_sheet}!{ind.record.cell('DfE measure')}"
                if ind.record is not None
                else indicators_sheet
            )
            errors.append(
                f"{where} ({ind.ref}): DfE measure '{code}' is not one of LAIT's measure codes."
                + _nearest_codes(data, code)
            )
            continue
        measure = data.measures.get(code) or Measure(code, code, None, "", False)
        rows = compute(data, la, ind, measure)
        if measure.percent != ind.percent:
            rows.notes.append(
                f"{code} is published as {'a percentage' if measure.percent else 'a number'} "
                f"but {ind.ref}'s Unit is {ind.unit}: check the mapping"
            )
        written.append(rows)
    return Outcome(authority, written, errors, [], 0), _edit(book, inputs, written)


def _edit(book: SourceWorkbook, inputs: Inputs, written: list[IndicatorRows]) -> TableEdit:
    sheet = inputs.sheet_names.get("Benchmarks")
    if sheet is None:
        raise BenchmarksError(
            "the workbook has no Benchmarks sheet: run kpi-dashboard upgrade to add it", 1
        )
    table = read_table(sheet, book.grids[sheet], sheet_schema("Benchmarks"), IssueLog())
    if table.header_row is None:
        raise BenchmarksError(f"the {sheet} sheet has no header row (Ref, Comparator, Value)")
    columns = dict(table.columns)  # name -> zero-based index
    header = book.grids[sheet][table.header_row]
    last = max([i for i, v in enumerate(header) if v not in (None, "")] + [-1]) + 1
    add = [c for c in BENCHMARK_COLUMNS if c not in columns]
    for i, name in enumerate(add):
        columns[name] = last + i
    drop = {
        r.row + 1
        for r in table.records
        if str(r.values.get("Source") or "").strip().lower() == GENERATED_SOURCE
    }
    rows: list[dict[int, Any]] = []
    for ind in written:
        for row in ind.rows:
            values = {
                "Ref": ind.ref,
                "Comparator": row.comparator,
                "Year": row.year,
                "Value": row.value,
                "Source": GENERATED_SOURCE,
                "N": row.n,
                "Rank": row.rank,
                "Of": row.of,
                "Quartile": row.quartile,
                "Next band at": row.next_band_at,
            }
            rows.append({columns[k] + 1: v for k, v in values.items()})
    return TableEdit(sheet, table.header_row + 1, last, drop, add, rows)


def write(book: SourceWorkbook, edit: TableEdit, out: Any) -> None:
    rewrite_table(book.package, book.sheets, edit, out)
