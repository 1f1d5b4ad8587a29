"""Make the DfE data kpi-dashboard ships (kpi_engine/commands/dfe_data/) from DfE's own files.

    python scripts/make_dfe_data.py LAIT.parquet LAIT_DICTIONARY.csv SN_2025.csv SN_2021.csv \
        EES.csv [EES.csv ...]

LAIT.parquet is the local authority interactive tool's whole dataset (bds_long_0.parquet),
LAIT_DICTIONARY.csv its data dictionary, SN_2025.csv and SN_2021.csv DfE's children's services
statistical neighbour models (May 2025, and April 2021 for the authorities reorganised since) as
the CSC outcomes and enablers dashboard publishes them, and the EES.csv files that dashboard's
Explore Education Statistics tables with old_la_code and new_la_code. Every authority gets the
nine-character code of its latest row in any of them (codes change when boundaries do: Barnsley
E08000016 became E08000038 in 2021), and its earlier codes are kept so either is accepted.
Keeps the measures of children's social care (topics Child Protection, Children in Need, Children
Looked After, Adoption and Children's Services Workforce; not the Academic Year ones, which are
pupils' attainment and absence), one row per measure and authority (or region, or England), one
column per year, values exactly as published. Needs pandas and pyarrow.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pandas as pd

TOPICS = [
    "Child Protection",
    "Children in Need",
    "Children Looked After",
    "Adoption",
    "Children's Services Workforce",
]
OUT = Path(__file__).resolve().parent.parent / "kpi_engine" / "commands" / "dfe_data"


def nine_character_codes(tables: list[str]) -> pd.DataFrame:
    """Per old LA code, its latest nine-character code and the earlier ones (';'-separated)."""
    pairs = []
    for path in tables:
        t = pd.read_csv(path, dtype=str, encoding="utf-8-sig", keep_default_na=False)
        t = t[t["geographic_level"] == "Local authority"]
        pairs.append(t[["time_period", "old_la_code", "new_la_code"]])
    p = pd.concat(pairs)
    p = p[(p["old_la_code"] != "") & p["new_la_code"].str.fullmatch(r"E[0-9]{8}")]
    p = p.drop_duplicates().sort_values(["old_la_code", "time_period", "new_la_code"])
    out = []
    for old, rows in p.groupby("old_la_code"):
        latest = rows["new_la_code"].iloc[-1]
        former = sorted(set(rows["new_la_code"]) - {latest})
        out.append((int(old), latest, ";".join(former)))
    return pd.DataFrame(out, columns=["LA Number", "New LA code", "Former LA codes"])


def main(lait: str, dictionary: str, sn_2025: str, sn_2021: str, *tables: str) -> None:
    d = pd.read_csv(dictionary, dtype=str)
    d = d[d["Topic"].isin(TOPICS) & (d["Year_Type"] != "Academic Year")]
    keep = [
        "Measure_short",
        "Measure",
        "Topic",
        "Polarity",
        "dps",
        "Year_Type",
        "y_axis_name",
        "No_Quartile",
    ]
    d[keep].to_csv(OUT / "lait_measures.csv", index=False)
    df = pd.read_parquet(lait)
    df = df[df["Short Desc"].isin(set(d["Measure_short"]))]
    places = (
        df[["LA Number", "LA and Regions", "Region"]]
        .drop_duplicates()
        .sort_values("LA Number")
        .astype({"LA Number": "int64"})
    )
    places = places.merge(nine_character_codes(list(tables)), on="LA Number", how="left")
    missing = places[(places["LA Number"] < 970) & places["New LA code"].isna()]
    if not missing.empty:
        raise SystemExit(f"no nine-character code for {', '.join(missing['LA and Regions'])}")
    places.to_csv(OUT / "lait_places.csv", index=False)
    wide = df.pivot_table(
        index=["Short Desc", "LA Number"], columns="Years", values="Values", aggfunc="first"
    ).reset_index()
    wide["LA Number"] = wide["LA Number"].astype("int64")
    wide.to_csv(OUT / "lait_values.csv.gz", index=False, compression={"method": "gzip", "mtime": 0})
    shutil.copyfile(sn_2025, OUT / "sn_model_2025_wide.csv")
    shutil.copyfile(sn_2021, OUT / "sn_model_2021.csv")
    print(f"{len(d)} measures, {len(places)} places, {len(wide)} rows")


if __name__ == "__main__":
    if len(sys.argv) < 6:
        raise SystemExit(__doc__)
    main(*sys.argv[1:])
