"""SLA tracking: did sales touch each follow-up in time?

A follow-up is touched when its task is closed (read from the change feed), when the
Lead Status leaves the "not contacted" values of ``routing.toml``, or when Salesforce records
activity on the person (``LastActivityDate``) on or after the day it started. One still
untouched past its due time is breached: a ``sla.breached`` event (ids, owner, business
hours late — no personal data), a count in the cycle summary, and the escalation of
``routing.toml`` on the person's next look (they become pending).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

import structlog

from syncd.effects import ChunkResult, FollowUp
from syncd.routing import RoutingRules, business_hours_between

__all__ = ["SlaStep", "follow_up_of", "touched"]

log = structlog.get_logger("syncd.sla")


def follow_up_of(row: Mapping[str, Any]) -> FollowUp:
    return FollowUp(**{k: row[k] for k in FollowUp.__dataclass_fields__})


def touched(rules: RoutingRules, follow_up: FollowUp, record: Mapping[str, Any]) -> bool:
    """Pure: has sales touched this person since the follow-up started?"""
    status = record.get("Status")
    if status is not None and not rules.status.untouched(status):
        return True
    last = record.get("LastActivityDate")
    try:
        return bool(last) and date.fromisoformat(str(last)[:10]) >= follow_up.started_at.date()
    except ValueError:
        return False


@dataclass(frozen=True, slots=True)
class SlaStep:
    """A cycle step after the mirror: settles open follow-ups as touched or breached."""

    rules: RoutingRules

    def run(self, deps: Any, summary: Any, *, now: datetime, run_id: str) -> None:
        rows = deps.store.open_follow_ups()
        if not rows:
            return
        records = deps.store.mirror_rows([r["sf_id"] for r in rows if r["sf_id"]])
        facts, escalate = [], []
        for row in rows:
            f = follow_up_of(row)
            if touched(self.rules, f, records.get(f.sf_id or "", {})):
                facts.append(replace(f, status="touched", touched_at=now))
                summary.other["sla_touched"] += 1
            elif f.status == "open" and now > f.due_at:
                facts.append(replace(f, status="breached", breached_at=now))
                summary.other["sla_breached"] += 1
                log.warning("sla.breached", run_id=run_id, hubspot_id=f.hubspot_id, sf_id=f.sf_id,
                            owner_id=f.owner_id, task_key=f.key,
                            hours_late=round(business_hours_between(self.rules.sla, f.due_at, now), 2))
                if self.rules.sla.escalation != "none":
                    escalate.append(f.hubspot_id)
        if facts:
            deps.store.commit_chunk(ChunkResult(facts=tuple(facts)), now=now)
        if escalate:
            deps.store.mark_pending(escalate)
