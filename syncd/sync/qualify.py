"""Qualify a matched person: the lifecycle engine's score, intent and stage, as values.

Pure: the person's facts, events and previous state in, a ``Qualified`` out. What to write
where is the planners' business (``syncd.sync.planners``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from syncd.lifecycle import ContactFacts, LifecycleState, ScoringModel, evaluate, lead_profile
from syncd.models import CrmRecord, EngagementEvent, HubSpotContact
from syncd.effects import LifecycleUpdate, StageChange
from syncd.sync.plan import Computed

__all__ = ["Qualified", "facts_from", "qualify"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Qualified:
    """What syncd computed for one person: the values it writes, its new lifecycle state
    and the stage transitions that led there."""

    computed: Computed
    lifecycle: LifecycleUpdate
    changes: tuple[StageChange, ...]
    crossing: str | None = None  # why a follow-up starts now (routing.toml's trigger), if it does
    assignment: Any = None  # the owner routing chose (syncd.routing.Assignment), when crossing


def facts_from(contact: HubSpotContact, record: CrmRecord | None,
               opportunities: Mapping[str, Mapping[str, bool]] | None = None,
               new_lead_status: str | None = None) -> ContactFacts:
    """What Salesforce tells the engine about this person: sales' verdict (Lead Status),
    conversion, and the opportunities of the Contact's account. A person not in Salesforce
    yet has the Lead Status their new Lead will start with (``new_lead_status``, carried
    over from HubSpot's lead status), else HubSpot's own lead status."""
    fields = record.fields if record else {}
    account = (opportunities or {}).get(fields.get("AccountId") or "", {})
    if record is not None and record.object == "Lead":
        status = fields.get("Status")
    elif record is None:  # not in Salesforce yet: HubSpot's own lead status is the verdict
        status = new_lead_status or contact.properties.get("hs_lead_status")
    else:
        status = None
    return ContactFacts(
        contact_id=contact.id, properties=contact.properties, lead_status=status,
        is_converted=bool(record and record.object == "Contact"),
        has_open_opportunity=bool(account.get("open")), has_closed_won=bool(account.get("won")),
        churned=bool(account.get("churned")), owner_id=fields.get("OwnerId"))


def qualify(model: ScoringModel, contact: HubSpotContact, record: CrmRecord | None,
            events: Sequence[EngagementEvent], previous: Mapping[str, Any] | None, *,
            now: datetime, run_id: str,
            opportunities: Mapping[str, Mapping[str, bool]] | None = None,
            new_lead_status: str | None = None) -> Qualified:
    """Score, intent and stage of one person, with every transition since ``previous``."""
    prior = LifecycleState.from_dict(previous) if previous else None
    result = evaluate(model, facts=facts_from(contact, record, opportunities, new_lead_status), events=events,
                      previous=prior, now=now, detail=True)
    last = max((e.occurred_at for e in events), default=None)
    computed = Computed(values={
        "stage": result.salesforce_stage, "score": round(result.score),
        "grade": result.grade, "intent": result.intent, "profile": lead_profile(result),
        "last_engagement": _sf_datetime(last), "hubspot_stage": result.hubspot_stage,
        "verdict": result.verdict})
    changes = tuple(StageChange(hubspot_id=contact.id, from_stage=t.from_stage, to_stage=t.to_stage,
                                at=t.at, rule=t.rule, reason=t.reason, evidence=_jsonable(t.evidence),
                                run_id=run_id)
                    for t in result.transitions)
    lifecycle = LifecycleUpdate(hubspot_id=contact.id, stage=result.stage, state=result.state.to_dict(),
                                next_review_at=result.next_review_at)
    return Qualified(computed=computed, lifecycle=lifecycle, changes=changes)


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
