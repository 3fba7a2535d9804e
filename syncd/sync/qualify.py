"""Bridge between a matched contact and the lifecycle engine, and from there to a plan."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from syncd.config import Settings
from syncd.lifecycle import (ContactFacts, LifecycleState, evaluate, lead_profile,
                             required_properties)
from syncd.models import CrmRecord, EngagementEvent, HubSpotContact
from syncd.sync.plan import Computed, PlannedWrite, plan_write

__all__ = ["Qualified", "Qualifier", "facts_from"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Qualified:
    computed: Computed
    lifecycle_row: dict[str, Any]
    history_rows: list[dict[str, Any]]


def facts_from(contact: HubSpotContact, record: CrmRecord | None,
               opportunities: Mapping[str, Mapping[str, bool]] | None = None) -> ContactFacts:
    """What Salesforce tells the engine about this person: sales' verdict (Lead Status),
    conversion, and the opportunities of the Contact's account."""
    fields = record.fields if record else {}
    account = (opportunities or {}).get(fields.get("AccountId") or "", {})
    if record is not None and record.object == "Lead":
        status = fields.get("Status")
    elif record is None:  # not in Salesforce yet: HubSpot's own lead status is the verdict
        status = contact.properties.get("hs_lead_status")
    else:
        status = None
    return ContactFacts(
        contact_id=contact.id, properties=contact.properties, lead_status=status,
        is_converted=bool(record and record.object == "Contact"),
        has_open_opportunity=bool(account.get("open")), has_closed_won=bool(account.get("won")),
        churned=bool(account.get("churned")), owner_id=fields.get("OwnerId"))


class Qualifier:
    def __init__(self, settings: Settings) -> None:
        self.model = settings.scoring
        self.mapping = settings.fields

    @staticmethod
    def properties(settings: Settings) -> frozenset[str]:
        """HubSpot contact properties the scoring model and the verdict fallback read."""
        return required_properties(settings.scoring) | {"hs_lead_status"}

    @staticmethod
    def written_values(settings: Settings) -> dict[str, list[str]]:
        """Every value syncd may write into the computed picklist fields."""
        model = settings.scoring
        return {"stage": sorted({d.salesforce for d in model.stage_defs.values()}),
                "intent": ["active", "passive"],
                "grade": sorted({g for g, _ in model.grades})}

    def assess(self, contact: HubSpotContact, record: CrmRecord | None,
               events: Sequence[EngagementEvent], previous: Mapping[str, Any] | None, *,
               now: datetime, run_id: str,
               opportunities: Mapping[str, Mapping[str, bool]] | None = None) -> Qualified:
        prior = LifecycleState.from_dict(previous) if previous else None
        facts = facts_from(contact, record, opportunities)
        result = evaluate(self.model, facts=facts, events=events,
                          previous=prior, now=now)
        last = max((e.occurred_at for e in events), default=None)
        computed = Computed(values={
            "stage": result.salesforce_stage, "score": round(result.score),
            "grade": result.grade, "intent": result.intent, "profile": lead_profile(result),
            "last_engagement": _sf_datetime(last)})
        history = [{"hubspot_id": contact.id, "from_stage": t.from_stage, "to_stage": t.to_stage,
                    "at": t.at, "rule": t.rule, "reason": t.reason,
                    "evidence": _jsonable(t.evidence), "run_id": run_id}
                   for t in result.transitions]
        row = {"hubspot_id": contact.id, "stage": result.stage, "state": result.state.to_dict(),
               "next_review_at": result.next_review_at}
        return Qualified(computed=computed, lifecycle_row=row, history_rows=history)

    def plan(self, contact: HubSpotContact, record: CrmRecord | None, computed: Computed, *,
             last_written: Mapping[str, Any] | None) -> PlannedWrite | None:
        return plan_write(contact, record, computed, mapping=self.mapping, last_written=last_written)


def _sf_datetime(value: datetime | None) -> str | None:
    if value is None:
        return None
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def _jsonable(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_jsonable(v) for v in value]
    if isinstance(value, datetime):
        return value.isoformat()
    return value
