"""Send planned writes to Salesforce in batches and turn per-row results into state rows."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import structlog

from syncd.ports import CrmGateway
from syncd.sync.match import MatchDecision
from syncd.sync.plan import PlannedWrite
from syncd.sync.summary import CycleSummary

__all__ = ["write_planned"]

log = structlog.get_logger("syncd.writer")


def write_planned(crm: CrmGateway, plans: Sequence[tuple[PlannedWrite, MatchDecision]], *,
                  external_id_field: str, summary: CycleSummary, outcome: dict[str, list[dict[str, Any]]],
                  settled: list[str], run_id: str, now: datetime) -> None:
    groups: dict[tuple[str, str], list[tuple[PlannedWrite, MatchDecision]]] = defaultdict(list)
    for plan, decision in plans:
        groups[(plan.object_name, plan.mode)].append((plan, decision))
    for (object_name, mode), group in sorted(groups.items()):
        if mode == "update":
            results = crm.update(object_name, [{"Id": p.record_id, **p.fields} for p, _ in group])
        else:
            results = crm.upsert(object_name, external_id_field, [dict(p.fields) for p, _ in group])
        for (plan, decision), result in zip(group, results, strict=True):
            if result.ok:
                _written(plan, decision, result.id or plan.record_id, result.created, summary, outcome)
                settled.append(plan.hubspot_id)
            elif result.retriable:  # stays pending: the next cycle sends it again
                summary.retrying += 1
                log.warning("row.deferred", hubspot_id=plan.hubspot_id, sf_object=object_name,
                            code=result.error_code, reason=result.message)
            else:
                summary.rejected += 1
                log.warning("row.rejected", hubspot_id=plan.hubspot_id, sf_object=object_name,
                            code=result.error_code, reason=result.message)
                outcome["rejects"].append({"run_id": run_id, "hubspot_id": plan.hubspot_id,
                                           "sf_object": object_name, "code": result.error_code or "ERROR",
                                           "message": result.message or "", "at": now})
                settled.append(plan.hubspot_id)


def _written(plan: PlannedWrite, decision: MatchDecision, record_id: str | None, created: bool,
             summary: CycleSummary, outcome: dict[str, list[dict[str, Any]]]) -> None:
    if created or decision.record is None:
        summary.created += 1
    else:
        summary.updated += 1
    outcome["links"].append({"hubspot_id": plan.hubspot_id, "sf_object": plan.object_name,
                             "sf_id": record_id, "matched_by": decision.matched_by or "created"})
    outcome["written"].append({"hubspot_id": plan.hubspot_id, "sf_object": plan.object_name,
                               "sf_id": record_id, "hash": plan.digest, "fields": dict(plan.desired)})
