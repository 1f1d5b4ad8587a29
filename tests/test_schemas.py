"""The JSON Schemas are the source of truth: well formed, documented, and applied exactly."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import seed_003
from builders import REFRESHED, evaluate
from hypothesis import given
from hypothesis import strategies as st

from kpi_engine.results_json import report_json
from kpi_engine.schema import file_name, load, sheet_schema
from kpi_engine.workbook_names import INPUT_SHEETS

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "schemas"
ALL = [*INPUT_SHEETS, "results"]


@pytest.mark.parametrize("name", ALL)
def test_schema_is_valid_draft_2020_12(name):
    schema = load(name)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)


def _properties(node, path=""):
    if isinstance(node, dict):
        for key, value in node.get("properties", {}).items():
            yield f"{path}/{key}", value
            yield from _properties(value, f"{path}/{key}")
        for key in ("items", "additionalProperties"):
            if isinstance(node.get(key), dict):
                yield from _properties(node[key], f"{path}/{key}")


@pytest.mark.parametrize("name", ALL)
def test_every_property_has_a_title_and_a_description(name):
    missing = [
        p
        for p, node in _properties(load(name))
        if not node.get("title") or not node.get("description")
    ]
    assert missing == []


def test_installed_schemas_are_the_files_in_the_repository():
    for name in ALL:
        assert load(name) == json.loads((SCHEMA_DIR / file_name(name)).read_text("utf-8"))


# The compiled checks must agree with jsonschema itself on every value a cell can be read as.
json_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=40),
    st.sampled_from(
        [
            "c",
            "x",
            "low",
            "n/a",
            "in progress",
            "BIB",
            "sib",
            "2024-04",
            "2024-13",
            "percentage",
            "5 pts",
            "2023-24",
            "#00B050",
            "April",
        ]
    ),
)
PROPERTIES = [(sheet, prop) for sheet in INPUT_SHEETS for prop in load(sheet)["properties"]]


@pytest.mark.parametrize("sheet, prop", PROPERTIES)
@given(value=json_values)
def test_compiled_check_agrees_with_jsonschema(sheet, prop, value):
    if value is None:
        return  # blank cells are absent properties, never checked
    raw = load(sheet)
    node = dict(raw["properties"][prop])
    if "$defs" in raw:
        node["$defs"] = raw["$defs"]
    expected = jsonschema.Draft202012Validator(node).is_valid(value)
    assert (sheet_schema(sheet).columns[prop].check(value) is None) == expected


def test_results_of_seed_003_match_the_results_schema():
    document = report_json(evaluate(seed_003.SHEETS, refreshed=REFRESHED))
    errors = list(jsonschema.Draft202012Validator(load("results")).iter_errors(document))
    assert errors == []
    assert document["reporting_period"] == "2017-11"
    assert document["summary"]["Red"] == 15


def test_results_hold_fractions_and_unrounded_numbers():
    document = report_json(evaluate(seed_003.SHEETS, refreshed=REFRESHED))
    amt = next(i for i in document["indicators"] if i["ref"] == "AMT 2")
    assert (
        amt["outturn"] == pytest.approx(0.639) and amt["rag"] == "Red" and amt["rag_reason"] is None
    )
    assert amt["series"][-1] == {
        "period": "2017-11",
        "value": pytest.approx(0.639),
        "missing_reason": None,
    }
    qa3 = next(i for i in document["indicators"] if i["ref"] == "QA 3")
    assert qa3["rag"] is None and qa3["rag_reason"] == "No data"
