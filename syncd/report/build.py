"""Gather the report from the state store (and the scoring model's stage ladder)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy.engine import Engine

from syncd.lifecycle import ScoringModel
from syncd.logs import redact
from syncd.report import queries as q
from syncd.report.funnel import build_funnel, intent_of
from syncd.report.model import OUTCOMES, RejectReason, Report, ReviewSummary, RunPoint

__all__ = ["build_report"]

TOP_REASONS = 8
EXAMPLES = 3


def build_report(engine: Engine, scoring: ScoringModel, *, now: datetime,
                 since: datetime | None = None) -> Report:
    """Everything ``syncd report`` shows, as of ``now``, for runs since ``since``."""
    runs = tuple(_run_point(r) for r in q.runs_since(engine, since))
    finished = [r for r in runs if r.status == "ok"]
    ladder = sorted(scoring.ladder, key=lambda s: scoring.ranks[s])
    funnel = build_funnel(
        ladder=ladder, labels={s: d.salesforce for s, d in scoring.stage_defs.items()},
        current=[(h, s, intent_of(state)) for h, s, state in q.current_stages(engine)],
        moves=q.stage_moves_since(engine, since))
    return Report(
        generated_at=now, since=since, runs=runs,
        outcomes={k: sum(r.outcomes[k] for r in finished) for k in OUTCOMES},
        rejects=_reasons(q.rejects_since(engine, since)), review=_review(q.review_items(engine)),
        api_calls=_sum_maps(r.api_calls for r in runs),
        budget_left=dict(finished[-1].budget_left) if finished else {},
        funnel=funnel, runs_by_status=dict(sorted(Counter(r.status for r in runs).items())))


def _run_point(row: Mapping[str, Any]) -> RunPoint:
    s = row.get("summary") or {}
    return RunPoint(run_id=row["run_id"], started_at=row["started_at"], status=row["status"],
                    seconds=float(s.get("seconds") or 0.0),
                    outcomes={k: int(s.get(k) or 0) for k in OUTCOMES}, pulled=int(s.get("pulled") or 0),
                    api_calls={k: int(v) for k, v in (s.get("api_calls") or {}).items()},
                    budget_left=dict(s.get("budget_left") or {}))


def _sum_maps(maps) -> dict[str, int]:
    total: Counter = Counter()
    for m in maps:
        total.update(m)
    return dict(sorted(total.items()))


def _scrub(text: str) -> str:
    """A rejection message without personal data (values echoed back by Salesforce)."""
    return redact(None, "", {"reason": text or ""})["reason"][:160]


def _reasons(rows: list[dict[str, Any]]) -> tuple[RejectReason, ...]:
    by_code: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        by_code.setdefault(row["code"], []).append(row)
    ranked = sorted(by_code.items(), key=lambda kv: (-len(kv[1]), kv[0]))[:TOP_REASONS]
    return tuple(RejectReason(code=code, count=len(items), reason=_scrub(items[0]["message"]),
                              examples=tuple(_example(i) for i in items[:EXAMPLES]))
                 for code, items in ranked)


def _example(row: Mapping[str, Any]) -> str:
    return f"HubSpot {row['hubspot_id']}" + (f" → {row['sf_object']}" if row.get("sf_object") else "")


def _review(items: list[dict[str, Any]]) -> ReviewSummary:
    reasons = Counter(_reason_kind(i["reason"]) for i in items)
    return ReviewSummary(size=len(items), oldest=items[0]["created_at"] if items else None,
                         reasons=dict(reasons.most_common()),
                         examples=tuple(f"HubSpot {i['hubspot_id']}" for i in items[:EXAMPLES]))


def _reason_kind(reason: str) -> str:
    """The reason without the ids and counts in it, so alike reasons group together."""
    words = [w if not any(ch.isdigit() for ch in w) else "…" for w in _scrub(reason).split()]
    return " ".join(words)
