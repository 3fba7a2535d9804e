"""Small formatting shared by the terminal summary and the HTML page."""

from __future__ import annotations

from datetime import datetime

from syncd.report.model import Report

__all__ = ["kpis", "pct", "when"]


def pct(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.0%}"


def when(value: datetime | None) -> str:
    return "n/a" if value is None else f"{value:%Y-%m-%d %H:%M} UTC"


def kpis(report: Report) -> list[tuple[str, str]]:
    """The headline figures, as (label, value)."""
    ok = report.runs_by_status.get("ok", 0)
    failed = report.runs_by_status.get("failed", 0)
    written = report.outcomes["created"] + report.outcomes["updated"]
    return [("cycles ok / failed", f"{ok} / {failed}"), ("records written", str(written)),
            ("rejected", str(report.outcomes["rejected"])), ("in review", str(report.review.size)),
            ("MQL → SQL", pct(report.funnel.mql_to_sql)),
            ("active → first sales touch", "n/a" if report.funnel.active_to_first_touch_hours is None
             else f"{report.funnel.active_to_first_touch_hours:.1f} h"),
            ("followed up within SLA", pct(report.funnel.followed_up_within_sla))]
