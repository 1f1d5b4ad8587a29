"""The machine-readable results: the report as JSON, shaped by ``schemas/results.schema.json``.

Numbers are unrounded and percentages are fractions; months are ``YYYY-MM``.
"""

from __future__ import annotations

import json
from typing import Any

from .periods import iso
from .results import IndicatorResult, Report, SectionCommentary


def _month(m: int | None) -> str | None:
    return iso(m) if m is not None else None


def indicator_json(r: IndicatorResult) -> dict[str, Any]:
    return {
        "ref": r.ref,
        "title": r.title,
        "section": r.section,
        "polarity": r.polarity,
        "unit": r.unit,
        "decimals": r.decimals,
        "measure": r.measure,
        "owner": r.owner,
        "period": _month(r.period),
        "outturn": r.outturn,
        "outturn_missing_reason": r.outturn_missing_reason,
        "numerator": r.numerator,
        "denominator": r.denominator,
        "small_denominator": r.small_denominator,
        "stale": r.stale,
        "series": [
            {"period": iso(p.period), "value": p.value, "missing_reason": p.missing_reason}
            for p in r.series
        ],
        "teams": {
            t.team: {
                "outturn": t.outturn,
                "numerator": t.numerator,
                "denominator": t.denominator,
                "rag": t.rag,
                "target": t.target,
                "green_from": t.green_from,
                "missing_reason": t.missing_reason,
                "small_denominator": t.small_denominator,
            }
            for t in r.teams
        },
        "six_month_cumulative": r.six_month_cumulative,
        "six_month_average": r.six_month_average,
        "six_month_missing_reason": r.six_month_missing_reason,
        "year_to_date": r.year_to_date,
        "target": r.target,
        "current_target": r.current_target,
        "green_from": r.green_from,
        "rag": r.rag,
        "rag_reason": r.rag_reason,
        "reported_rag": r.reported_rag,
        "reported_rag_period": _month(r.reported_rag_period),
        "previous_period": _month(r.previous_period),
        "previous_rag": r.previous_rag,
        "direction": r.direction,
        "plan_target": r.plan_target,
        "forecast_at_plan": r.forecast_at_plan,
        "will_meet_plan_target": r.will_meet_plan_target,
        "required_change_per_month": r.required_change_per_month,
        "baseline": r.baseline,
        "change_since_baseline": r.change_since_baseline,
        "benchmarks": {
            b.comparator: {"value": b.value, "year": b.year, "better": b.better, "n": b.n}
            for b in r.benchmarks
        },
        "national_rank": None
        if r.standing is None or r.standing.rank is None
        else {"rank": r.standing.rank, "of": r.standing.of, "year": r.standing.year},
        "quartile": None
        if r.standing is None or r.standing.quartile is None
        else {
            "band": r.standing.quartile,
            "year": r.standing.year,
            "next_band_at": r.standing.next_band_at,
        },
        "methodology": r.methodology,
        "commentary": {
            "comment": r.comment,
            "improvement_activity": r.improvement_activity,
            "next_steps": r.next_steps,
        },
    }


def report_json(report: Report) -> dict[str, Any]:
    """The whole report as a JSON-ready dict."""
    s = report.stamp
    return {
        "left_out": list(report.left_out),
        "organisation": s.organisation,
        "reporting_period": _month(s.reporting_period),
        "stamp": {
            "organisation": s.organisation,
            "reporting_period": _month(s.reporting_period),
            "data_as_at": s.data_as_at,
            "refreshed": s.refreshed,
            "engine_version": s.engine_version,
            "template_version": s.template_version,
        },
        "summary": dict(report.summary),
        "good_performance": list(report.good),
        "exceptions": list(report.exceptions),
        "indicators": [indicator_json(r) for r in report.indicators],
        "directors_summary": (
            _texts(report.directors_summary) if report.directors_summary is not None else None
        ),
        "section_commentary": [
            {"section": c.section, **_texts(c)} for c in report.section_commentary
        ],
        "actions": [
            {
                "action_ref": a.action_ref,
                "indicator_ref": a.indicator_ref,
                "action": a.action,
                "owner": a.owner,
                "due": a.due,
                "status": a.status,
                "overdue": a.overdue,
            }
            for a in report.actions
        ],
        "issues": [i.as_dict() for i in report.issues],
    }


def _texts(c: SectionCommentary) -> dict[str, Any]:
    return {
        "commentary": c.commentary,
        "improvement_activity": c.improvement_activity,
        "next_steps": c.next_steps,
    }


def dumps(report: Report) -> str:
    return json.dumps(report_json(report), indent=2, ensure_ascii=False)
