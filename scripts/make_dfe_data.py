"""Make the DfE data kpi-dashboard ships (kpi_engine/commands/dfe_data/) from DfE's own files.

    python scripts/make_dfe_data.py LAIT.parquet LAIT_DICTIONARY.csv SN_MODEL_2025_WIDE.csv C1.csv

LAIT.parquet is the local authority interactive tool's whole dataset (bds_long_0.parquet),
LAIT_DICTIONARY.csv its data dictionary, SN_MODEL_2025_WIDE.csv DfE's children's services
statistical neighbour model (May 2025) as the CSC outcomes and enablers dashboard publishes it,
C1.csv any table of that dashboard with old_la_code and new_la_code (for the nine-character codes).
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


def main(lait: str, dictionary: str, neighbours: str, codes: str) -> None:
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
    pairs = pd.read_csv(codes, dtype=str)[["old_la_code", "new_la_code"]].dropna()
    pairs = pairs.drop_duplicates("old_la_code", keep="last")
    places["New LA code"] = (
        places["LA Number"]
        .astype(str)
        .map(dict(zip(pairs["old_la_code"], pairs["new_la_code"], strict=True)))
    )
    places.to_csv(OUT / "lait_places.csv", index=False)
    wide = df.pivot_table(
        index=["Short Desc", "LA Number"], columns="Years", values="Values", aggfunc="first"
    ).reset_index()
    wide["LA Number"] = wide["LA Number"].astype("int64")
    wide.to_csv(OUT / "lait_values.csv.gz", index=False, compression={"method": "gzip", "mtime": 0})
    shutil.copyfile(neighbours, OUT / "sn_model_2025_wide.csv")
    print(f"{len(d)} measures, {len(places)} places, {len(wide)} rows")


if __name__ == "__main__":
    main(*sys.argv[1:5])
