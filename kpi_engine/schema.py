"""The sheet schemas, loaded from ``schemas/`` and compiled into fast per-cell checks.

The JSON Schemas are the single source of truth for the input sheets: the template's headers
and drop-downs are generated from them and validation applies them. A per-row ``jsonschema``
loop is too slow for a 20,000-row Data sheet, so each property's constraints are compiled once
into a small Python function. The compiler understands the subset of Draft 2020-12 the schemas
use (type, enum, minimum, maximum, minLength, maxLength, pattern, anyOf, local $ref) and refuses
anything else, and a test proves it agrees with ``jsonschema`` on random values.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

# A check returns None when the value passes, else the keyword that failed and its argument.
Failure = tuple[str, Any]
Check = Callable[[Any], "Failure | None"]

_SUPPORTED = {
    "type",
    "enum",
    "minimum",
    "maximum",
    "minLength",
    "maxLength",
    "pattern",
    "anyOf",
    "$ref",
    "title",
    "description",
    "default",
    "examples",
}


def file_name(name: str) -> str:
    """The file holding a sheet's schema: ``Team list`` is ``team_list.schema.json``."""
    return f"{'_'.join(name.lower().split())}.schema.json"


@cache
def load(name: str) -> dict[str, Any]:
    """The schema of a sheet (``"Data"``) or of the results (``"results"``)."""
    text = resources.files("kpi_engine.schemas").joinpath(file_name(name)).read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


_TYPE_TESTS: dict[str, Callable[[Any], bool]] = {
    "string": lambda v: isinstance(v, str),
    "number": _is_number,
    "integer": lambda v: _is_number(v) and float(v).is_integer(),
    "null": lambda v: v is None,
    "boolean": lambda v: isinstance(v, bool),
}


def compile_check(node: dict[str, Any], root: dict[str, Any]) -> Check:
    """Compile one property's schema into a function of the value."""
    if "$ref" in node:
        target = node["$ref"]
        if not target.startswith("#/$defs/"):
            raise ValueError(f"unsupported $ref {target!r}")
        return compile_check(root["$defs"][target[len("#/$defs/") :]], root)
    unknown = {k for k in node if not k.startswith("x-")} - _SUPPORTED
    if unknown:
        raise ValueError(f"schema keywords not supported by the compiler: {sorted(unknown)}")
    checks: list[Check] = []
    if "type" in node:
        names = node["type"] if isinstance(node["type"], list) else [node["type"]]
        tests = tuple(_TYPE_TESTS[n] for n in names)
        wrong_type: Failure = ("type", names)
        # These run once for every cell of every input sheet: no generator, no new tuple.
        if len(tests) == 1:

            def one_type_check(
                v: Any, test: Callable[[Any], bool] = tests[0], failure: Failure = wrong_type
            ) -> Failure | None:
                return None if test(v) else failure

            checks.append(one_type_check)

        else:

            def any_type_check(
                v: Any,
                tests: tuple[Callable[[Any], bool], ...] = tests,
                failure: Failure = wrong_type,
            ) -> Failure | None:
                for test in tests:
                    if test(v):
                        return None
                return failure

            checks.append(any_type_check)
    if "enum" in node:
        allowed = node["enum"]
        # Equal and of the same type (1.0 is not the enum's 1), looked up in one step.
        members = frozenset((type(a), a) for a in allowed)
        not_allowed: Failure = ("enum", allowed)

        def enum_check(
            v: Any, members: frozenset[tuple[type, Any]] = members, failure: Failure = not_allowed
        ) -> Failure | None:
            try:
                return None if (type(v), v) in members else failure
            except TypeError:  # an unhashable value is in no enum
                return failure

        checks.append(enum_check)
    if "minimum" in node:
        lo = node["minimum"]

        def minimum_check(v: Any, lo: float = lo) -> Failure | None:
            return ("minimum", lo) if _is_number(v) and v < lo else None

        checks.append(minimum_check)
    if "maximum" in node:
        hi = node["maximum"]

        def maximum_check(v: Any, hi: float = hi) -> Failure | None:
            return ("maximum", hi) if _is_number(v) and v > hi else None

        checks.append(maximum_check)
    if "minLength" in node:
        n = node["minLength"]

        def min_length_check(v: Any, n: int = n) -> Failure | None:
            return ("minLength", n) if isinstance(v, str) and len(v) < n else None

        checks.append(min_length_check)
    if "maxLength" in node:
        n = node["maxLength"]

        def max_length_check(v: Any, n: int = n) -> Failure | None:
            return ("maxLength", n) if isinstance(v, str) and len(v) > n else None

        checks.append(max_length_check)
    if "pattern" in node:
        rx = re.compile(node["pattern"])

        def pattern_check(v: Any, rx: re.Pattern[str] = rx) -> Failure | None:
            return ("pattern", rx.pattern) if isinstance(v, str) and not rx.search(v) else None

        checks.append(pattern_check)
    if "anyOf" in node:
        branches = [compile_check(b, root) for b in node["anyOf"]]

        def any_of(v: Any, branches: list[Check] = branches) -> Failure | None:
            failures = []
            for b in branches:
                f = b(v)
                if f is None:
                    return None
                failures.append(f)
            return ("anyOf", failures)

        checks.append(any_of)
    if not checks:
        return lambda v: None
    if len(checks) == 1:
        return checks[0]

    def all_of(v: Any, checks: list[Check] = checks) -> Failure | None:
        for c in checks:
            f = c(v)
            if f is not None:
                return f
        return None

    return all_of


@dataclass(frozen=True)
class Column:
    """One property of a sheet schema, ready to read cells with."""

    name: str
    title: str
    description: str
    # How a cell is read: text, code, number, integer, month, month-of-year, date, number-or-text.
    kind: str
    required: bool
    check: Check
    schema: dict[str, Any]
    synonyms: tuple[str, ...] = ()
    header_pattern: re.Pattern[str] | None = None
    enum: tuple[Any, ...] = ()
    aliases: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class SheetSchema:
    name: str
    layout: str  # "table" or "settings"
    columns: dict[str, Column]
    raw: dict[str, Any]

    @property
    def required(self) -> list[str]:
        return [c.name for c in self.columns.values() if c.required]


def _enum_of(node: dict[str, Any], root: dict[str, Any]) -> tuple[Any, ...]:
    if "enum" in node:
        return tuple(node["enum"])
    return ()


@cache
def sheet_schema(name: str) -> SheetSchema:
    """The compiled schema of an input sheet."""
    raw = load(name)
    required = set(raw.get("required", []))
    columns: dict[str, Column] = {}
    for prop, node in raw["properties"].items():
        pattern = node.get("x-header-pattern")
        columns[prop] = Column(
            name=prop,
            title=node.get("title", prop),
            description=node.get("description", ""),
            kind=node.get("x-cell", "text"),
            required=prop in required,
            check=compile_check(node, raw),
            schema=node,
            synonyms=tuple(node.get("x-synonyms", ())),
            header_pattern=re.compile(pattern, re.IGNORECASE) if pattern else None,
            enum=_enum_of(node, raw),
            aliases=dict(node.get("x-aliases", {})),
        )
    return SheetSchema(
        name=raw["title"], layout=raw.get("x-layout", "table"), columns=columns, raw=raw
    )
