"""The house keeps its layers: the pure core imports no file, Excel or front-end library, and the
import contract that CI checks covers every core module."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest
from builders import modules_loaded_by

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    tomllib = pytest.importorskip("tomli")

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "kpi_engine"
CORE = sorted(p.stem for p in PACKAGE.glob("*.py") if p.stem != "__init__")
CONTRACTS = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["importlinter"][
    "contracts"
]
CORE_CONTRACT = next(c for c in CONTRACTS if c["type"] == "forbidden")
FORBIDDEN = set(CORE_CONTRACT["forbidden_modules"])


def imported_modules(path: Path) -> set[str]:
    """Every module a file imports, anywhere in it (inside functions too), made absolute."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                found.add("kpi_engine" + ("." + node.module if node.module else ""))
            elif node.module:
                found.add(node.module)
    return found


def test_the_contract_names_every_core_module():
    named = sorted(m.removeprefix("kpi_engine.") for m in CORE_CONTRACT["source_modules"])
    assert named == CORE


def test_the_contract_forbids_what_the_house_rules_forbid():
    libraries = {"openpyxl", "python_calamine", "xlwings", "click", "tqdm", "matplotlib"}
    libraries |= {"fastapi", "pandas", "pyarrow", "lxml", "defusedxml", "zipfile"}
    upper = {"kpi_engine.commands", "kpi_engine.xlsx", "addin", "workbook_templates"}
    assert libraries | upper <= FORBIDDEN


@pytest.mark.parametrize("module", CORE)
def test_a_core_module_imports_nothing_forbidden(module):
    imports = imported_modules(PACKAGE / f"{module}.py")
    bad = sorted(m for m in imports if any(m == f or m.startswith(f + ".") for f in FORBIDDEN))
    assert bad == [], f"kpi_engine/{module}.py imports {bad}: the pure core must not"


def test_the_scan_sees_an_import_inside_a_function(tmp_path):
    probe = tmp_path / "probe.py"
    probe.write_text("def f():\n    from openpyxl.utils import get_column_letter\n", "utf-8")
    assert "openpyxl.utils" in imported_modules(probe)


def test_the_pipeline_loads_no_excel_library():
    # zipfile is not among them: importlib.resources (the schemas) loads it for itself.
    loaded = modules_loaded_by(
        "kpi_engine.pipeline, kpi_engine.results_json",
        ("openpyxl", "xlwings", "pandas", "matplotlib", "click", "tqdm", "python_calamine"),
    )
    assert loaded == []
